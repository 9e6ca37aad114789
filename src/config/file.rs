//! Reading the file: parsing it with `toml_edit` (the document is kept so saving keeps the
//! user's comments), errors located by line and column, and choosing a profile in it.

use std::path::{Path, PathBuf};

use toml_edit::DocumentMut;

use super::profile::{Config, Profile};
use crate::younium::limit;

/// What went wrong with the config file, for a person.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `reason` reads after the path, e.g. `could not read it: permission denied`.
    #[error("{path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path}, line {line}, column {column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: no profile named {name:?} (profiles: {known})")]
    NoSuchProfile {
        path: String,
        name: String,
        known: String,
    },
}

/// The config file as loaded: its path, the parsed document (kept for saving), the values.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub(super) doc: DocumentMut,
    pub config: Config,
    /// The `[keys]` section, if the file has one.
    pub keys: Option<KeysSection>,
    /// Readable by its owner alone (needed for plain secrets).
    pub private: bool,
}

/// The `[keys]` section as the file wrote it, read with the rest of the file: the keymap
/// (`tui::keymap::keymap_from_config`) turns it into bindings, and its problems into lines.
#[derive(Debug, Clone)]
pub struct KeysSection {
    /// What `keys` is (a table, or whatever else the file put there), with spans into `source`.
    pub item: toml_edit::Item,
    /// Where the name `keys` is written.
    pub name_span: Option<std::ops::Range<usize>>,
    /// The file's text as read, which the spans point into.
    pub source: String,
}

impl ConfigFile {
    /// The file's text as loaded (or as last saved).
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    /// Loads the file. A missing file is `Ok(None)` (nothing configured yet).
    pub fn load(path: &Path) -> Result<Option<ConfigFile>, ConfigError> {
        let text = match limit::read_text_file(
            path,
            limit::MAX_CONFIG_FILE,
            "it",
            "a config file is a few kilobytes: check the path",
        ) {
            Ok(t) => t,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => {
                return Err(ConfigError::Unreadable {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                });
            }
        };
        Self::parse(path, &text).map(Some)
    }

    /// Parses text as if it were the file at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<ConfigFile, ConfigError> {
        let shown = path.display().to_string();
        let located = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = line_column(text, span.map_or(0, |s| s.start));
            ConfigError::Invalid {
                path: shown.clone(),
                line,
                column,
                message,
            }
        };
        // Parsed once with its spans: `[keys]` keeps them (for the keymap's line numbers),
        // the rest becomes the editable document.
        let spanned = toml_edit::Document::parse(text)
            .map_err(|e: toml_edit::TomlError| located(e.span(), first_line(e.message())))?;
        let keys = spanned.get("keys").map(|item| KeysSection {
            item: item.clone(),
            name_span: spanned.key("keys").and_then(|k| k.span()),
            source: text.to_string(),
        });
        let doc: DocumentMut = spanned.into_mut();
        // from_str keeps the spans a value error needs for its line number.
        let config: Config = toml_edit::de::from_str(text)
            .map_err(|e| located(e.span(), first_line(e.message())))?;
        Ok(ConfigFile {
            path: path.to_path_buf(),
            doc,
            config,
            keys,
            private: is_private(path),
        })
    }

    /// The named profile, or the default one (`default_profile`, else the only one).
    pub fn profile(&self, name: Option<&str>) -> Result<Option<(String, &Profile)>, ConfigError> {
        let wanted = name
            .map(str::to_string)
            .or_else(|| self.config.default_profile.clone())
            .or_else(|| {
                (self.config.profiles.len() == 1)
                    .then(|| self.config.profiles.keys().next().cloned())
                    .flatten()
            });
        let Some(wanted) = wanted else {
            return Ok(None);
        };
        match self.config.profiles.get(&wanted) {
            Some(p) => Ok(Some((wanted, p))),
            None => Err(ConfigError::NoSuchProfile {
                path: self.path.display().to_string(),
                name: wanted,
                known: self.profile_names().join(", "),
            }),
        }
    }

    pub fn profile_names(&self) -> Vec<String> {
        self.config.profiles.keys().cloned().collect()
    }
}

/// The `[history]` section: `max_body = "10MB"`, `max_entries = 5000`, `max_size = "500MB"`.
#[derive(Clone, Copy, Debug, Default, serde::Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HistoryConfig {
    /// A body longer than this is kept cut.
    pub max_body: Option<limit::ByteSize>,
    /// The oldest entries are dropped past this many.
    pub max_entries: Option<u64>,
    /// The oldest entries are dropped while the file's entries take more than this.
    pub max_size: Option<limit::ByteSize>,
}

impl HistoryConfig {
    /// The limits, the defaults where the section says nothing.
    pub fn limits(&self) -> crate::history::Limits {
        let default = crate::history::Limits::default();
        crate::history::Limits {
            max_body: self.max_body.map_or(default.max_body, |b| b.bytes()),
            max_entries: self.max_entries.unwrap_or(default.max_entries),
            max_bytes: self.max_size.map_or(default.max_bytes, |b| b.bytes()),
        }
    }
}

fn first_line(message: &str) -> String {
    message.trim().lines().next().unwrap_or("").to_string()
}

#[cfg(unix)]
fn is_private(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn is_private(_path: &Path) -> bool {
    true
}

/// The line and column (in characters, both from 1) of byte `offset` of `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SecretSource;
    use crate::config::tests::SAMPLE;
    use crate::younium::{ApiVersion, Environment};

    fn parsed() -> ConfigFile {
        ConfigFile::parse(Path::new("/tmp/x/config.toml"), SAMPLE).unwrap()
    }

    #[test]
    fn profiles_and_secret_sources() {
        let f = parsed();
        let (name, p) = f.profile(None).unwrap().unwrap();
        assert_eq!(name, "sandbox");
        assert_eq!(p.environment().unwrap(), Some(Environment::Sandbox));
        assert_eq!(
            p.secret,
            Some(SecretSource::Env {
                env: "MY_SANDBOX_SECRET".into()
            })
        );
        let (_, prod) = f.profile(Some("prod")).unwrap().unwrap();
        assert!(
            matches!(&prod.secret, Some(SecretSource::Command { command, .. }) if command[0] == "pass")
        );
        assert_eq!(prod.api_version, Some(ApiVersion::V2_0));
        let err = f.profile(Some("nope")).unwrap_err().to_string();
        assert!(
            err.contains("no profile named \"nope\" (profiles: prod, sandbox)"),
            "{err}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn an_endless_or_binary_file_is_refused_with_a_message() {
        let e = ConfigFile::load(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/dev/zero: it is larger than the 1 MiB limit; a config file is a few kilobytes: check the path"
        );
        assert!(
            ConfigFile::load(Path::new("/nonexistent/c.toml"))
                .unwrap()
                .is_none()
        );
        let e = ConfigFile::load(Path::new("/proc/self/root")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("/proc/self/root: could not read it:"),
            "{e}"
        );
    }

    #[test]
    fn the_history_section_gives_the_limits() {
        let text = "[history]\nmax_body = \"1MB\"\nmax_entries = 10\nmax_size = \"2MB\"\n";
        let f = ConfigFile::parse(Path::new("c.toml"), text).unwrap();
        let limits = f.config.history.unwrap().limits();
        assert_eq!(
            (limits.max_body, limits.max_entries, limits.max_bytes),
            (1 << 20, 10, 2 << 20)
        );
        let partial = ConfigFile::parse(Path::new("c.toml"), "[history]\nmax_entries = 3\n")
            .unwrap()
            .config
            .history
            .unwrap()
            .limits();
        assert_eq!(partial.max_body, crate::history::Limits::default().max_body);
        let e = ConfigFile::parse(Path::new("c.toml"), "[history]\nmax_rows = 3\n").unwrap_err();
        assert!(e.to_string().contains("max_rows"), "{e}");
    }

    #[test]
    fn a_bad_theme_names_the_file_the_line_and_the_values() {
        let e = ConfigFile::parse(Path::new("/cfg/config.toml"), "\ntheme = \"blue\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/cfg/config.toml, line 2, column 9: "), "{e}");
        for value in ["`auto`", "`dark`", "`light`"] {
            assert!(e.contains(value), "{e}");
        }
        let light = ConfigFile::parse(Path::new("c.toml"), "theme = \"light\"\n").unwrap();
        assert_eq!(light.config.theme, Some(crate::config::ThemeChoice::Light));
    }

    #[test]
    fn errors_name_the_line_and_what_is_wrong() {
        let bad = "[profiles.a]\nenvironment = \"sandbox\"\nclient_id = 12\n";
        let e = ConfigFile::parse(Path::new("c.toml"), bad).unwrap_err();
        let ConfigError::Invalid { line, message, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(*line, 3, "{e}");
        assert!(message.contains("string"), "{e}");
        let e = ConfigFile::parse(Path::new("c.toml"), "[profiles.a]\nclient_id = \n").unwrap_err();
        assert!(e.to_string().starts_with("c.toml, line 2"), "{e}");
        let e =
            ConfigFile::parse(Path::new("c.toml"), "[profiles.a]\nclientid = \"x\"\n").unwrap_err();
        assert!(e.to_string().contains("clientid"), "{e}");
    }
}
