//! Headless commands: the same library as the UI, for scripts, CI and quick checks.
//!
//! Exit status: 0 on success, 1 when the server answered an error status, 2 when no answer
//! could be had (bad input, no token, network failure). The reason goes to stderr.
//! Everything they print passes through [`output`]: server and file text sanitised, a closed
//! stdout (`| head`) not an error.

pub mod call;
pub mod call_pages;
pub mod doctor;
pub mod endpoints;
pub mod entities;
pub mod history;
pub mod junit;
pub mod output;
pub mod run;
pub mod run_rows;
pub mod simulate;
pub mod token;

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use crate::cli::ConnectionArgs;
use crate::config::{self, ConfigFile};
use crate::session::ManagerOptions;
use crate::settings::{self, SECRET_ENV, SecretPlan, Settings};
use crate::younium::doctor::LegalEntity;
use crate::younium::request::Http;
use crate::younium::{CallSettings, Connection, Credentials, Environment, Secret};

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
    /// How `call --all-pages` fetches (the profile's, the flags', else the defaults).
    pub all_pages: crate::younium::all_pages::Options,
    /// Legal entities known without asking the server, for the diagnosis when `GET /Users`
    /// cannot be read: the profile's list (found or used before), else the one typed.
    pub known_entities: Vec<LegalEntity>,
    /// The profile in use, for the history.
    pub profile: Option<String>,
    /// Values for `{{name}}` templates (`--var`, the profile's and the file's `[vars]`).
    pub vars: crate::younium::template::Vars,
    /// How much the request history keeps (the config file's `[history]`).
    pub history: crate::history::Limits,
    /// The colours of what is printed (`--theme`, `YOUNIUM_TUI_THEME`, the file's `theme`).
    pub theme: crate::config::ThemeChoice,
}

/// Resolves the settings (the profile, with the command line winning; see
/// [`settings::resolve`]), reads the secret (`YOUNIUM_SECRET`, the profile's source, or a
/// prompt) and builds the HTTP client with the resolved limits.
/// With `need_credentials`, missing credentials are an error.
pub fn resolve(args: &ConnectionArgs, need_credentials: bool) -> anyhow::Result<Resolved> {
    resolve_with(args, need_credentials, None)
}

/// [`resolve`], with the secret `given` when the caller has it (the demo's).
pub fn resolve_with(
    args: &ConnectionArgs,
    need_credentials: bool,
    given: Option<Secret>,
) -> anyhow::Result<Resolved> {
    let (loaded, mut settings) = settings::from_command_line(args)?;
    if let Some(secret) = given {
        settings.secret = SecretPlan::Given(secret);
    }
    if let Some(warning) = &settings.config_warning {
        output::say(format_args!(
            "warning: the config file is ignored: {warning}"
        ));
    }
    let connection = match &settings.client_id {
        Some(id) => Some(Connection {
            environment: settings.environment.clone(),
            credentials: Credentials {
                method: settings.auth,
                id: id.clone(),
                secret: read_secret(&settings, id, loaded.file.as_ref())?,
            },
            legacy_legal_entity: settings.legal_entity.clone(),
        }),
        None if need_credentials => bail!(
            "no client ID: pass --client-id (or set YOUNIUM_CLIENT_ID, or use a --profile) and put the secret in {SECRET_ENV}"
        ),
        None => None,
    };
    Ok(Resolved {
        http: Http::new(settings.http)?,
        manager: settings.manager,
        all_pages: settings.all_pages,
        settings: settings.call_settings(),
        environment: settings.environment,
        known_entities: settings.known_entities,
        profile: settings.profile,
        vars: settings.vars,
        history: settings.history,
        theme: settings.theme,
        connection,
    })
}

impl Resolved {
    /// A client for the resolved connection: its token manager started, its HTTP limits.
    pub fn client(&self) -> crate::session::ApiClient {
        crate::session::ApiClient {
            tokens: crate::session::TokenManager::spawn(
                self.http.clone(),
                self.connection.clone(),
                self.manager,
            ),
            http: self.http.clone(),
        }
    }
}

/// The secret: `YOUNIUM_SECRET`, else the profile's source, else a hidden prompt on a terminal.
fn read_secret(settings: &Settings, id: &str, file: Option<&ConfigFile>) -> anyhow::Result<Secret> {
    match (&settings.secret, file) {
        (SecretPlan::Given(secret), _) => return Ok(secret.clone()),
        (SecretPlan::Profile(source), Some(file)) => {
            let name = settings.profile.as_deref().unwrap_or_default();
            if let Some(secret) = config::read_secret(source, file)
                .map_err(|e| anyhow::anyhow!("profile {name}: {e}"))?
            {
                return Ok(secret);
            }
        }
        _ => {}
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "no secret: set {SECRET_ENV} or a secret source in the profile (it is never taken from the command line)"
        );
    }
    let label = settings.auth.id_label();
    let typed = rpassword::prompt_password(format!("Secret for {label} {id}: "))
        .context("could not read the secret from the terminal")?;
    let secret = Secret::new(typed);
    if secret.is_blank() {
        bail!("no secret was typed");
    }
    Ok(secret)
}

/// Prints a failure the way every command does and returns the failure status.
pub fn fail(error: &anyhow::Error) -> ExitCode {
    output::say(format_args!("error: {error:#}"));
    ExitCode::from(EXIT_FAILURE)
}
