//! The configuration file: named profiles (environment, credentials and where the secret comes
//! from, legal entity, api-version, timeouts), read with `toml_edit` so changes the UI saves back
//! keep the user's comments and key order. A file with an error is reported (file, line, what)
//! and never overwritten.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml_edit::{DocumentMut, Item, Table, value};

use crate::younium::doctor::LegalEntity;
use crate::younium::{ApiVersion, AuthMethod, Environment, Secret};

/// The environment variable naming another config file.
pub const CONFIG_ENV: &str = "YOUNIUM_TUI_CONFIG";

/// The whole file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The profile used when none is named.
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One named connection.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// `production`, `sandbox`, `us-production`, `us-sandbox`, or a URL.
    pub environment: Option<String>,
    /// A custom base URL (instead of `environment`).
    pub base_url: Option<String>,
    pub auth: Option<AuthMethod>,
    pub client_id: Option<String>,
    /// The legacy login's username (same as `client_id` with `auth = "legacy"`).
    pub username: Option<String>,
    pub secret: Option<SecretSource>,
    pub legal_entity: Option<String>,
    #[serde(default)]
    pub known_legal_entities: Vec<KnownEntityConfig>,
    pub api_version: Option<ApiVersion>,
    pub renew_margin_seconds: Option<u64>,
    pub connect_timeout_seconds: Option<u64>,
    pub timeout_seconds: Option<u64>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KnownEntityConfig {
    pub name: String,
    pub id: Option<String>,
}

/// Where a profile's secret comes from.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum SecretSource {
    /// `secret = "…"` in the file: only accepted when the file is readable by its owner alone.
    Plain(String),
    /// `secret = { env = "NAME" }`
    Env { env: String },
    /// `secret = { command = ["pass", "show", "younium/sandbox"] }`: stdout is the secret.
    Command {
        command: Vec<String>,
        timeout_seconds: Option<u64>,
    },
    /// `secret = { keyring = "account" }`: the OS keyring, service `younium-tui`.
    Keyring { keyring: String },
    /// `secret = { prompt = true }`: ask for it.
    Prompt { prompt: bool },
}

impl SecretSource {
    /// A short description for the UI (never the secret).
    pub fn describe(&self) -> String {
        match self {
            SecretSource::Plain(_) => "in the config file".into(),
            SecretSource::Env { env } => format!("env {env}"),
            SecretSource::Command { command, .. } => format!(
                "command {}",
                command.first().map(String::as_str).unwrap_or("?")
            ),
            SecretSource::Keyring { keyring } => format!("OS keyring ({keyring})"),
            SecretSource::Prompt { .. } => "typed".into(),
        }
    }
}

impl Profile {
    pub fn environment(&self) -> Result<Option<Environment>, String> {
        match (&self.base_url, &self.environment) {
            (Some(url), _) => Environment::from_base_url(url)
                .map(Some)
                .map_err(|e| e.to_string()),
            (None, Some(env)) => env
                .parse()
                .map(Some)
                .map_err(|e: crate::younium::environment::EnvironmentError| e.to_string()),
            (None, None) => Ok(None),
        }
    }

    /// The client ID, or the legacy username.
    pub fn id(&self) -> Option<&str> {
        self.client_id.as_deref().or(self.username.as_deref())
    }

    pub fn known_entities(&self) -> Vec<LegalEntity> {
        self.known_legal_entities
            .iter()
            .map(|k| LegalEntity {
                name: k.name.clone(),
                id: k.id.clone(),
                roles: Vec::new(),
            })
            .collect()
    }

    pub fn timeouts(&self) -> (Option<Duration>, Option<Duration>) {
        (
            self.connect_timeout_seconds.map(Duration::from_secs),
            self.timeout_seconds.map(Duration::from_secs),
        )
    }
}

/// What went wrong with the config file, for a person.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: could not read it: {reason}")]
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
    doc: DocumentMut,
    pub config: Config,
    /// Readable by its owner alone (needed for plain secrets).
    pub private: bool,
}

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

/// Loads the config file chosen by `--config`, `$YOUNIUM_TUI_CONFIG` or the default path.
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

impl ConfigFile {
    /// Loads the file. A missing file is `Ok(None)` (nothing configured yet).
    pub fn load(path: &Path) -> Result<Option<ConfigFile>, ConfigError> {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(ConfigError::Unreadable {
                    path: shown,
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
            let offset = span.map(|s| s.start).unwrap_or(0).min(text.len());
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before
                .rsplit('\n')
                .next()
                .map(|l| l.chars().count())
                .unwrap_or(0)
                + 1;
            ConfigError::Invalid {
                path: shown.clone(),
                line,
                column,
                message,
            }
        };
        let doc: DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| located(e.span(), first_line(e.message())))?;
        // from_str keeps the spans a value error needs for its line number.
        let config: Config = toml_edit::de::from_str(text)
            .map_err(|e| located(e.span(), first_line(e.message())))?;
        Ok(ConfigFile {
            path: path.to_path_buf(),
            doc,
            config,
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
                known: self
                    .config
                    .profiles
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    pub fn profile_names(&self) -> Vec<String> {
        self.config.profiles.keys().cloned().collect()
    }

    /// Writes the changes the UI makes to a profile back into the file, keeping everything
    /// else (comments, order, other keys) as it was.
    pub fn save_profile(&mut self, name: &str, update: &ProfileUpdate) -> Result<(), String> {
        let profiles = self
            .doc
            .entry("profiles")
            .or_insert_with(|| Item::Table(Table::new()));
        let Some(profiles) = profiles.as_table_like_mut() else {
            return Err("`profiles` in the config file is not a table".into());
        };
        let profile = profiles.entry(name).or_insert(Item::Table(Table::new()));
        let Some(profile) = profile.as_table_like_mut() else {
            return Err(format!(
                "`profiles.{name}` in the config file is not a table"
            ));
        };
        match &update.environment {
            Environment::Custom(url) => {
                replace_key(profile, "environment", "base_url", value(url.as_str()))
            }
            env => replace_key(profile, "base_url", "environment", value(env.key())),
        }
        match &update.legal_entity {
            Some(le) => {
                profile.insert("legal_entity", value(le.as_str()));
            }
            None => {
                profile.remove("legal_entity");
            }
        }
        profile.insert("api_version", value(update.api_version.as_str()));
        if !update.known_entities.is_empty() {
            let mut list = toml_edit::Array::new();
            for e in &update.known_entities {
                let mut t = toml_edit::InlineTable::new();
                t.insert("name", e.name.as_str().into());
                if let Some(id) = &e.id {
                    t.insert("id", id.as_str().into());
                }
                list.push(t);
            }
            profile.insert("known_legal_entities", value(list));
        }
        let text = self.doc.to_string();
        write_atomically(&self.path, &text)
            .map_err(|e| format!("could not save {}: {e}", self.path.display()))?;
        self.config = toml_edit::de::from_document(self.doc.clone()).map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// Sets `new` to `item` and removes `old`, moving `old`'s comments to `new` so none is lost.
fn replace_key(table: &mut dyn toml_edit::TableLike, old: &str, new: &str, item: Item) {
    let decor = table.key_mut(old).map(|k| k.leaf_decor().clone());
    table.remove(old);
    table.insert(new, item);
    if let (Some(decor), Some(mut key)) = (decor, table.key_mut(new)) {
        *key.leaf_decor_mut() = decor;
    }
}

impl ConfigFile {
    /// Points a profile's secret at the OS keyring (after the UI stored it there).
    pub fn set_secret_keyring(&mut self, name: &str, account: &str) -> Result<(), String> {
        let profile = self
            .doc
            .get_mut("profiles")
            .and_then(|p| p.as_table_like_mut())
            .and_then(|p| p.get_mut(name))
            .and_then(|p| p.as_table_like_mut())
            .ok_or_else(|| format!("no profile {name:?} in {}", self.path.display()))?;
        let mut source = toml_edit::InlineTable::new();
        source.insert("keyring", account.into());
        profile.insert("secret", value(source));
        let text = self.doc.to_string();
        write_atomically(&self.path, &text)
            .map_err(|e| format!("could not save {}: {e}", self.path.display()))?;
        self.config = toml_edit::de::from_document(self.doc.clone()).map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// What the UI saves back to a profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileUpdate {
    pub environment: Environment,
    pub legal_entity: Option<String>,
    pub api_version: ApiVersion,
    pub known_entities: Vec<LegalEntity>,
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

/// Replaces the file in one step, keeping its permissions.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, text)?;
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(&tmp, meta.permissions())?;
    }
    std::fs::rename(&tmp, path)
}

/// The service name used in the OS keyring.
pub const KEYRING_SERVICE: &str = "younium-tui";

/// Reads a secret from its source. `file` is the config file (for the plain-secret check).
/// Blocking (a command or the keyring may take a moment): call from a blocking context.
pub fn read_secret(source: &SecretSource, file: &ConfigFile) -> Result<Option<Secret>, String> {
    match source {
        SecretSource::Plain(text) => {
            if file.private {
                Ok(Some(Secret::new(text.clone())))
            } else {
                Err(format!(
                    "{} holds a plain secret but others can read it: run `chmod 600 {}` (or use secret = {{ env = \"NAME\" }})",
                    file.path.display(),
                    file.path.display()
                ))
            }
        }
        SecretSource::Env { env } => match std::env::var(env) {
            Ok(v) if !v.trim().is_empty() => Ok(Some(Secret::new(v))),
            _ => Err(format!(
                "the environment variable {env} (the profile's secret source) is not set"
            )),
        },
        SecretSource::Command {
            command,
            timeout_seconds,
        } => run_secret_command(command, Duration::from_secs(timeout_seconds.unwrap_or(10)))
            .map(Some),
        SecretSource::Keyring { keyring } => keyring_get(keyring).map(Some),
        SecretSource::Prompt { .. } => Ok(None),
    }
}

/// Runs `command` (no shell) and takes its first stdout line as the secret.
pub fn run_secret_command(command: &[String], timeout: Duration) -> Result<Secret, String> {
    use std::io::Read;
    let (program, args) = command.split_first().ok_or("the secret command is empty")?;
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run the secret command {program:?}: {e}"))?;
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the secret command {program:?} did not finish within {} s",
                    timeout.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("the secret command {program:?} failed: {e}")),
        }
    };
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    if !status.success() {
        // stderr may help; stdout is never shown, it could hold the secret.
        let why = err.lines().next().unwrap_or("").trim();
        return Err(format!(
            "the secret command {program:?} failed ({status}){}",
            if why.is_empty() {
                String::new()
            } else {
                format!(": {why}")
            }
        ));
    }
    let secret = out
        .lines()
        .next()
        .unwrap_or("")
        .trim_end_matches('\r')
        .to_string();
    out.clear();
    if secret.trim().is_empty() {
        return Err(format!("the secret command {program:?} printed nothing"));
    }
    Ok(Secret::new(secret))
}

#[cfg(feature = "keyring")]
fn keyring_entry(account: &str) -> Result<keyring::Entry, String> {
    keyring::Entry::new(KEYRING_SERVICE, account).map_err(keyring_message)
}

#[cfg(feature = "keyring")]
fn keyring_message(e: keyring::Error) -> String {
    match e {
        keyring::Error::NoEntry => {
            "the OS keyring holds no secret under that name: store one with S in the connection pane".into()
        }
        e => format!(
            "the OS keyring is not available ({e}); on a machine without a keyring service use secret = {{ env = \"NAME\" }} or a command"
        ),
    }
}

/// Reads a secret from the OS keyring.
#[cfg(feature = "keyring")]
pub fn keyring_get(account: &str) -> Result<Secret, String> {
    keyring_entry(account)?
        .get_password()
        .map(Secret::new)
        .map_err(keyring_message)
}

/// Stores a secret in the OS keyring.
#[cfg(feature = "keyring")]
pub fn keyring_set(account: &str, secret: &Secret) -> Result<(), String> {
    keyring_entry(account)?
        .set_password(secret.expose())
        .map_err(keyring_message)
}

#[cfg(not(feature = "keyring"))]
pub fn keyring_get(_account: &str) -> Result<Secret, String> {
    Err("this build has no OS keyring support (built without the `keyring` feature)".into())
}

#[cfg(not(feature = "keyring"))]
pub fn keyring_set(_account: &str, _secret: &Secret) -> Result<(), String> {
    Err("this build has no OS keyring support (built without the `keyring` feature)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"# my profiles
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

    #[test]
    fn saving_keeps_comments_and_order() {
        let dir = std::env::temp_dir().join(format!("younium-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, SAMPLE).unwrap();
        let mut f = ConfigFile::load(&path).unwrap().unwrap();
        f.save_profile(
            "sandbox",
            &ProfileUpdate {
                environment: Environment::Custom("http://127.0.0.1:9".into()),
                legal_entity: Some("Acme Inc".into()),
                api_version: ApiVersion::V2_1,
                known_entities: vec![LegalEntity {
                    name: "Acme Inc".into(),
                    id: Some("g-2".into()),
                    roles: vec![],
                }],
            },
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# my profiles\n"));
        assert!(text.contains("# the test tenant"));
        assert!(text.contains("base_url = \"http://127.0.0.1:9\""));
        assert!(!text.contains("environment = \"sandbox\""));
        assert!(text.contains("legal_entity = \"Acme Inc\""));
        assert!(
            text.contains(r#"known_legal_entities = [{ name = "Acme Inc", id = "g-2" }]"#),
            "{text}"
        );
        assert!(text.find("[profiles.sandbox]").unwrap() < text.find("[profiles.prod]").unwrap());
        let again = ConfigFile::load(&path).unwrap().unwrap();
        assert_eq!(
            again
                .profile(Some("sandbox"))
                .unwrap()
                .unwrap()
                .1
                .legal_entity
                .as_deref(),
            Some("Acme Inc")
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn plain_secrets_need_a_private_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("younium-plain-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(
            &path,
            "[profiles.a]\nclient_id = \"x\"\nsecret = \"s3cret\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let f = ConfigFile::load(&path).unwrap().unwrap();
        let source = f.profile(None).unwrap().unwrap().1.secret.clone().unwrap();
        let err = read_secret(&source, &f).unwrap_err();
        assert!(err.contains("chmod 600"), "{err}");
        assert!(!err.contains("s3cret"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let f = ConfigFile::load(&path).unwrap().unwrap();
        assert_eq!(
            read_secret(&source, &f).unwrap().unwrap().expose(),
            "s3cret"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_keyring_entry_or_service_is_a_message_not_a_panic() {
        // On a desktop the entry does not exist; on a headless box there is no keyring service.
        let err = keyring_get("younium-tui-test:no-such-account").unwrap_err();
        assert!(err.contains("keyring"), "{err}");
    }

    #[test]
    fn secret_commands_run_without_a_shell_and_time_out() {
        let ok = run_secret_command(
            &["echo".into(), "from-command".into()],
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(ok.expose(), "from-command");
        let no_shell =
            run_secret_command(&["echo".into(), "$HOME".into()], Duration::from_secs(5)).unwrap();
        assert_eq!(no_shell.expose(), "$HOME");
        let slow = run_secret_command(&["sleep".into(), "5".into()], Duration::from_millis(200))
            .unwrap_err();
        assert!(slow.contains("did not finish"), "{slow}");
        let missing = run_secret_command(&["no-such-program-xyz".into()], Duration::from_secs(1))
            .unwrap_err();
        assert!(missing.contains("could not run"), "{missing}");
        let failing = run_secret_command(&["false".into()], Duration::from_secs(5)).unwrap_err();
        assert!(failing.contains("failed"), "{failing}");
    }
}
