//! Headless commands: the same library as the UI, for scripts, CI and quick checks.
//!
//! Exit status: 0 on success, 1 when the server answered an error status, 2 when no answer
//! could be had (bad input, no token, network failure). The reason goes to stderr.

pub mod call;
pub mod doctor;
pub mod endpoints;
pub mod entities;
pub mod simulate;
pub mod token;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, bail};

use crate::cli::ConnectionArgs;
use crate::config::{self, ConfigFile, Profile};
use crate::session::ManagerOptions;
use crate::younium::doctor::LegalEntity;
use crate::younium::request::{Http, HttpOptions};
use crate::younium::{CallSettings, Connection, Credentials, Environment, Secret};

/// The environment variable that carries the secret (or the legacy password).
pub const SECRET_ENV: &str = "YOUNIUM_SECRET";

/// Exit statuses.
pub const EXIT_HTTP_ERROR: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

/// Everything a headless command needs to talk to Younium.
pub struct Resolved {
    pub environment: Environment,
    pub connection: Option<Connection>,
    pub settings: CallSettings,
    pub http: Http,
    pub manager: ManagerOptions,
    /// Legal entities known without asking the server, for the diagnosis when `GET /Users`
    /// cannot be read: the profile's list (found or used before), else the one typed.
    pub known_entities: Vec<LegalEntity>,
}

/// The profile named by `--profile` (or the file's default), with its file.
fn profile(args: &ConnectionArgs) -> anyhow::Result<Option<(ConfigFile, String, Profile)>> {
    let loaded = config::load(args.config.as_deref());
    match (loaded.file, loaded.error) {
        (Some(file), _) => match file.profile(args.profile.as_deref())? {
            Some((name, p)) => {
                let p = p.clone();
                Ok(Some((file, name, p)))
            }
            None => Ok(None),
        },
        (None, Some(error)) if args.profile.is_some() => Err(error.into()),
        (None, Some(error)) => {
            eprintln!("warning: the config file is ignored: {error}");
            Ok(None)
        }
        (None, None) if args.profile.is_some() => bail!(
            "--profile {} was given, but there is no config file at {}",
            args.profile.as_deref().unwrap_or_default(),
            loaded
                .path
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "(no config directory)".into())
        ),
        (None, None) => Ok(None),
    }
}

/// Turns the connection options, the profile (command-line options win) and the secret
/// (`YOUNIUM_SECRET`, the profile's source, or a prompt) into a connection.
/// With `need_credentials`, missing credentials are an error.
pub fn resolve(args: &ConnectionArgs, need_credentials: bool) -> anyhow::Result<Resolved> {
    let profile = profile(args)?;
    let p = profile.as_ref().map(|(_, _, p)| p);
    let environment = match (&args.base_url, &args.environment, p) {
        (Some(url), _, _) => Environment::from_base_url(url)?,
        (None, Some(env), _) => env.clone(),
        (None, None, Some(p)) => p
            .environment()
            .map_err(anyhow::Error::msg)?
            .unwrap_or(Environment::Sandbox),
        (None, None, None) => Environment::Sandbox,
    };
    let method = args.auth.or(p.and_then(|p| p.auth)).unwrap_or_default();
    let legal_entity = args
        .legal_entity
        .clone()
        .or_else(|| p.and_then(|p| p.legal_entity.clone()))
        .filter(|s| !s.trim().is_empty());
    let id = args
        .client_id
        .clone()
        .or_else(|| p.and_then(|p| p.id().map(str::to_string)));
    let connection = match id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => Some(Connection {
            environment: environment.clone(),
            credentials: Credentials {
                method,
                id: id.to_string(),
                secret: read_secret(method.id_label(), id, profile.as_ref())?,
            },
            legacy_legal_entity: legal_entity.clone(),
        }),
        None if need_credentials => bail!(
            "no client ID: pass --client-id (or set YOUNIUM_CLIENT_ID, or use a --profile) and put the secret in {SECRET_ENV}"
        ),
        None => None,
    };
    let mut http_options = HttpOptions::default();
    if let Some(secs) = args.timeout.or(p.and_then(|p| p.timeout_seconds)) {
        http_options.timeout = Duration::from_secs(secs.max(1));
    }
    if let Some(secs) = p.and_then(|p| p.connect_timeout_seconds) {
        http_options.connect_timeout = Duration::from_secs(secs.max(1));
    }
    let mut manager = ManagerOptions::default();
    if let Some(secs) = p.and_then(|p| p.renew_margin_seconds) {
        manager.renew_margin = Duration::from_secs(secs);
    }
    let mut known_entities = p.map(Profile::known_entities).unwrap_or_default();
    if known_entities.is_empty()
        && let Some(name) = legal_entity.as_deref()
    {
        known_entities.push(LegalEntity {
            name: name.to_string(),
            ..Default::default()
        });
    }
    Ok(Resolved {
        environment,
        connection,
        known_entities,
        settings: CallSettings {
            api_version: args
                .api_version
                .or(p.and_then(|p| p.api_version))
                .unwrap_or_default(),
            legal_entity,
        },
        http: Http::new(http_options)?,
        manager,
    })
}

/// The secret: `YOUNIUM_SECRET`, else the profile's source, else a hidden prompt on a terminal.
fn read_secret(
    id_label: &str,
    id: &str,
    profile: Option<&(ConfigFile, String, Profile)>,
) -> anyhow::Result<Secret> {
    if let Ok(value) = std::env::var(SECRET_ENV)
        && !value.trim().is_empty()
    {
        return Ok(Secret::new(value));
    }
    if let Some((file, name, p)) = profile
        && let Some(source) = &p.secret
        && let Some(secret) =
            config::read_secret(source, file).map_err(|e| anyhow::anyhow!("profile {name}: {e}"))?
    {
        return Ok(secret);
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "no secret: set {SECRET_ENV} or a secret source in the profile (it is never taken from the command line)"
        );
    }
    let typed = rpassword::prompt_password(format!("Secret for {id_label} {id}: "))
        .context("could not read the secret from the terminal")?;
    let secret = Secret::new(typed);
    if secret.is_blank() {
        bail!("no secret was typed");
    }
    Ok(secret)
}

/// Prints a failure the way every command does and returns the failure status.
pub fn fail(error: &anyhow::Error) -> ExitCode {
    eprintln!("error: {error:#}");
    ExitCode::from(EXIT_FAILURE)
}

/// Formats a byte count: `812 B`, `12.4 kB`, `10.9 MB`.
pub fn format_size(bytes: usize) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(format_size(812), "812 B");
        assert_eq!(format_size(12_400), "12.4 kB");
        assert_eq!(format_size(10_900_000), "10.9 MB");
    }
}
