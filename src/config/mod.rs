//! The configuration file: named profiles (environment, credentials and where the secret comes
//! from, legal entity, api-version, timeouts), read with `toml_edit` so changes the UI saves back
//! keep the user's comments and key order. A file with an error is reported (file, line, what)
//! and never overwritten.
//!
//! `file` reads and parses it, `profile` is what it holds, `secret` reads a profile's secret
//! from its source, `write` saves changes back, `saved` keeps named requests. Turning a profile into connection settings
//! (with the command line winning) is [`crate::settings`]'s job.

mod file;
mod profile;
mod saved;
mod secret;
mod write;

use std::path::{Path, PathBuf};

pub use file::{ConfigError, ConfigFile, HistoryConfig, line_column};
pub use profile::{Config, KnownEntityConfig, Profile, ThemeChoice};
pub(crate) use saved::read_params;
pub use saved::{SaveOutcome, SavedEntry, SavedList, SavedRequest, save_request_at};
pub use secret::{
    KEYRING_SERVICE, SecretError, SecretSource, keyring_get, keyring_set, read_secret,
    run_secret_command,
};
pub use write::{ConnectionDefaults, ProfileUpdate, SaveError};

/// The environment variable naming another config file.
pub const CONFIG_ENV: &str = "YOUNIUM_TUI_CONFIG";

/// The default location: the platform's config directory, `younium-tui/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("com", "younium", "younium-tui")
        .map(|d| d.config_dir().join("config.toml"))
}

/// `--config`, else `$YOUNIUM_TUI_CONFIG`, else the default location.
pub fn choose_path(flag: Option<&Path>) -> Option<PathBuf> {
    flag.map(Path::to_path_buf)
        .or_else(|| {
            std::env::var_os(CONFIG_ENV)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .or_else(default_path)
}

/// The outcome of looking for the config file: a file, an error, or nothing there.
#[derive(Debug, Default)]
pub struct Loaded {
    pub path: Option<PathBuf>,
    pub file: Option<ConfigFile>,
    pub error: Option<ConfigError>,
}

impl From<ConfigFile> for Loaded {
    fn from(file: ConfigFile) -> Self {
        Loaded {
            path: Some(file.path.clone()),
            file: Some(file),
            error: None,
        }
    }
}

/// The config file at `path` as it is on disk now, to change and save: a file that is not
/// there yet is made empty (its folder created); one that does not read is refused with its
/// error, so a save never overwrites a file it could not read.
pub fn load_or_new(path: &Path) -> Result<ConfigFile, String> {
    match ConfigFile::load(path) {
        Ok(Some(file)) => Ok(file),
        Ok(None) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
            }
            ConfigFile::parse(path, "").map_err(|e| e.to_string())
        }
        Err(e) => Err(format!("not saved, the config file was left as it is: {e}")),
    }
}

/// Loads the config file chosen by `--config`, `$YOUNIUM_TUI_CONFIG` or the default path.
/// A file that is not there is no error here: whether that is fine (nothing configured yet)
/// or not (`--config` named it) is for [`crate::settings::resolve`] to say.
pub fn load(flag: Option<&Path>) -> Loaded {
    let Some(path) = choose_path(flag) else {
        return Loaded::default();
    };
    match ConfigFile::load(&path) {
        Ok(file) => Loaded {
            path: Some(path),
            file,
            error: None,
        },
        Err(error) => Loaded {
            path: Some(path),
            file: None,
            error: Some(error),
        },
    }
}

#[cfg(test)]
pub(crate) mod tests {
    /// A file with two profiles, comments and a default, for the tests of each part.
    pub(crate) const SAMPLE: &str = r#"# my profiles
default_profile = "sandbox"

[profiles.sandbox]
# the test tenant
environment = "sandbox"
client_id = "abc"
secret = { env = "MY_SANDBOX_SECRET" }
legal_entity = "Acme AB"

[profiles.prod]
environment = "production"
client_id = "def"
secret = { command = ["pass", "show", "younium/prod"] }
api_version = "2.0"
"#;
}
