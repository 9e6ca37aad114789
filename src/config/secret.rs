//! Where a profile's secret comes from, and reading it: an environment variable, a command
//! (run without a shell), the OS keyring, a prompt, or the file itself when only its owner can
//! read it. Reading may block (a command, the keyring): callers do it off the UI thread.

use std::time::Duration;

#[path = "secret_command.rs"]
mod command;

use serde::Deserialize;

use super::ConfigFile;
use crate::younium::Secret;

/// The service name used in the OS keyring.
pub const KEYRING_SERVICE: &str = "younium-tui";

/// How long a secret command may run when the profile does not say.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

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

/// Why a secret could not be read. No variant holds the secret or the command's stdout.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error(
        "{path} holds a plain secret but others can read it: run `chmod 600 {path}` (or use secret = {{ env = \"NAME\" }})"
    )]
    PlainNotPrivate { path: String },
    #[error("the environment variable {name} (the profile's secret source) is not set")]
    EnvUnset { name: String },
    #[error("the secret command is empty")]
    EmptyCommand,
    #[error("could not run the secret command {program:?}: {reason}")]
    Spawn { program: String, reason: String },
    #[error("the secret command {program:?} did not finish within {} s", timeout.as_secs())]
    TimedOut { program: String, timeout: Duration },
    #[error("the secret command {program:?} failed: {reason}")]
    Wait { program: String, reason: String },
    /// `reason` is the first line of its stderr, if any.
    #[error(
        "the secret command {program:?} failed ({status}){}",
        reason_suffix(reason)
    )]
    Failed {
        program: String,
        status: String,
        reason: String,
    },
    #[error("the secret command {program:?} printed nothing")]
    Empty { program: String },
    #[error("the secret command {program:?} printed a first line over {}: not a secret", crate::younium::limit::ByteSize::of_len(*limit))]
    TooLong { program: String, limit: usize },
    #[error(
        "the OS keyring holds no secret under that name: store one with S in the connection pane"
    )]
    NoKeyringEntry,
    #[error(
        "the OS keyring is not available ({reason}); on a machine without a keyring service use secret = {{ env = \"NAME\" }} or a command"
    )]
    KeyringUnavailable { reason: String },
    #[error("this build has no OS keyring support (built without the `keyring` feature)")]
    NoKeyringSupport,
}

fn reason_suffix(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(": {reason}")
    }
}

/// Reads a secret from its source. `file` is the config file (for the plain-secret check).
/// `Ok(None)`: the source says to ask. Blocking (a command or the keyring may take a
/// moment): call from a blocking context.
pub fn read_secret(
    source: &SecretSource,
    file: &ConfigFile,
) -> Result<Option<Secret>, SecretError> {
    match source {
        SecretSource::Plain(text) if file.private => Ok(Some(Secret::new(text.clone()))),
        SecretSource::Plain(_) => Err(SecretError::PlainNotPrivate {
            path: file.path.display().to_string(),
        }),
        SecretSource::Env { env } => match std::env::var(env) {
            Ok(v) if !v.trim().is_empty() => Ok(Some(Secret::new(v))),
            _ => Err(SecretError::EnvUnset { name: env.clone() }),
        },
        SecretSource::Command {
            command,
            timeout_seconds,
        } => {
            let timeout = timeout_seconds.map_or(COMMAND_TIMEOUT, Duration::from_secs);
            run_secret_command(command, timeout).map(Some)
        }
        SecretSource::Keyring { keyring } => keyring_get(keyring).map(Some),
        SecretSource::Prompt { .. } => Ok(None),
    }
}

pub use command::run_secret_command;

#[cfg(feature = "keyring")]
fn keyring_entry(account: &str) -> Result<keyring::Entry, SecretError> {
    keyring::Entry::new(KEYRING_SERVICE, account).map_err(keyring_error)
}

#[cfg(feature = "keyring")]
fn keyring_error(e: keyring::Error) -> SecretError {
    match e {
        keyring::Error::NoEntry => SecretError::NoKeyringEntry,
        e => SecretError::KeyringUnavailable {
            reason: e.to_string(),
        },
    }
}

/// Reads a secret from the OS keyring.
#[cfg(feature = "keyring")]
pub fn keyring_get(account: &str) -> Result<Secret, SecretError> {
    keyring_entry(account)?
        .get_password()
        .map(Secret::new)
        .map_err(keyring_error)
}

/// Stores a secret in the OS keyring.
#[cfg(feature = "keyring")]
pub fn keyring_set(account: &str, secret: &Secret) -> Result<(), SecretError> {
    keyring_entry(account)?
        .set_password(secret.expose())
        .map_err(keyring_error)
}

/// Reads a secret from the OS keyring (this build has none).
#[cfg(not(feature = "keyring"))]
pub fn keyring_get(_account: &str) -> Result<Secret, SecretError> {
    Err(SecretError::NoKeyringSupport)
}

/// Stores a secret in the OS keyring (this build has none).
#[cfg(not(feature = "keyring"))]
pub fn keyring_set(_account: &str, _secret: &Secret) -> Result<(), SecretError> {
    Err(SecretError::NoKeyringSupport)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

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
        let err = read_secret(&source, &f).unwrap_err().to_string();
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
        let err = keyring_get("younium-tui-test:no-such-account")
            .unwrap_err()
            .to_string();
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
        assert!(slow.to_string().contains("did not finish"), "{slow}");
        let missing = run_secret_command(&["no-such-program-xyz".into()], Duration::from_secs(1))
            .unwrap_err();
        assert!(missing.to_string().contains("could not run"), "{missing}");
        let failing = run_secret_command(&["false".into()], Duration::from_secs(5)).unwrap_err();
        assert!(failing.to_string().contains("failed"), "{failing}");
        let env = read_secret(
            &SecretSource::Env {
                env: "YOUNIUM_TUI_TEST_NO_SUCH_VAR".into(),
            },
            &ConfigFile::parse(Path::new("c.toml"), "").unwrap(),
        )
        .unwrap_err();
        assert_eq!(
            env,
            SecretError::EnvUnset {
                name: "YOUNIUM_TUI_TEST_NO_SUCH_VAR".into()
            }
        );
    }
}
