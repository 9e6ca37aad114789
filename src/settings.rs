//! Connection settings, resolved once for the headless commands and the UI alike: the config
//! file's profile, then the command line (flags and the environment variables clap reads for
//! them) over it, then defaults. [`resolve`] is pure: it reads no file, no variable and no
//! secret, so what it decides can be tested and is the same wherever it is asked.
//!
//! Reading the secret is the next, separate step (a command or the OS keyring may take a
//! moment): the headless commands do it at once, the UI off its thread.

pub mod all_pages;
mod vars;

use std::time::Duration;

use crate::cli::ConnectionArgs;
use crate::config::{ConfigError, Loaded, Profile, SecretSource, ThemeChoice};
use crate::session::ManagerOptions;
use crate::younium::doctor::LegalEntity;
use crate::younium::environment::EnvironmentError;
use crate::younium::limit::ByteSize;
use crate::younium::request::HttpOptions;
use crate::younium::template::Vars;
use crate::younium::{ApiVersion, AuthMethod, CallSettings, Environment, Secret};

/// The environment variable that carries the secret (or the legacy password).
pub const SECRET_ENV: &str = "YOUNIUM_SECRET";

/// The environment variable that chooses the colours over the config file's `theme`.
pub const THEME_ENV: &str = "YOUNIUM_TUI_THEME";

/// The environment variables [`resolve`] uses beyond those clap reads into the flags.
#[derive(Clone, Debug, Default)]
pub struct EnvVars {
    /// `YOUNIUM_SECRET`, when set to something.
    pub secret: Option<Secret>,
    /// `YOUNIUM_TUI_THEME`, when set to something (checked by [`resolve`]).
    pub theme: Option<String>,
}

impl EnvVars {
    /// Reads them from this process's environment.
    pub fn from_process() -> Self {
        let secret = std::env::var(SECRET_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(Secret::new);
        let theme = std::env::var(THEME_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty());
        EnvVars { secret, theme }
    }
}

/// Everything settings are resolved from.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// The config file as loaded, or why it could not be.
    pub config: &'a Loaded,
    /// The profile asked for (`--profile`, or one picked in the UI); `None`: the file's
    /// default. (`flags.profile` is not looked at: this is.)
    pub profile: Option<&'a str>,
    /// The connection flags; each one given wins over the profile.
    pub flags: &'a ConnectionArgs,
    pub env: &'a EnvVars,
}

/// Where the secret is to come from; reading it is the caller's next step.
#[derive(Clone, Debug, PartialEq)]
pub enum SecretPlan {
    /// `YOUNIUM_SECRET` holds it; it wins over the profile's source.
    Given(Secret),
    /// The profile's source, still to be read.
    Profile(SecretSource),
    /// Nothing says: ask the user.
    Ask,
}

/// Where to connect, as whom, and how patiently.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub environment: Environment,
    pub auth: AuthMethod,
    /// The client ID (the username with legacy login); `None` when nothing gives one.
    pub client_id: Option<String>,
    pub legal_entity: Option<String>,
    pub api_version: ApiVersion,
    pub http: HttpOptions,
    pub manager: ManagerOptions,
    /// How all the pages of a list are fetched: the profile's `concurrency`, `max_pages` and
    /// `max_wait_seconds`, the `--max-pages` and `--max-wait` flags over the last two, else the
    /// defaults (`call --concurrency` wins over the concurrency).
    pub all_pages: crate::younium::all_pages::Options,
    /// Legal entities known without asking the server, for the diagnosis when `GET /Users`
    /// cannot be read: the profile's list (found or used before), else the one in use.
    pub known_entities: Vec<LegalEntity>,
    /// The profile in use.
    pub profile: Option<String>,
    pub secret: SecretPlan,
    /// The config file could not be used, but nothing needed it: say so and go on.
    pub config_warning: Option<ConfigError>,
    /// The colours: `--theme`, else `YOUNIUM_TUI_THEME`, else the file's `theme`, else auto.
    pub theme: ThemeChoice,
    /// How much the request history keeps: the config file's `[history]`, else the defaults.
    pub history: crate::history::Limits,
    /// Values for templates: `--var`, then the profile's `[vars]`, then the file's.
    pub vars: Vars,
}

impl Settings {
    /// The headers every call carries.
    pub fn call_settings(&self) -> CallSettings {
        CallSettings {
            api_version: self.api_version,
            legal_entity: self.legal_entity.clone(),
        }
    }
}

/// Why no settings could be made.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("no config file at {path} (named by --config)")]
    NoConfigFile { path: String },
    #[error("--profile {name} was given, but there is no config file at {path}")]
    NoFileForProfile { name: String, path: String },
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("--base-url: {0}")]
    BaseUrl(EnvironmentError),
    #[error("profile {profile}: {source}")]
    ProfileEnvironment {
        profile: String,
        source: EnvironmentError,
    },
    #[error("{what} is 0 s, which would fail every call: give 1 or more seconds")]
    ZeroTimeout { what: String },
    #[error("{what} is 0, which would refuse every answer with a body: give a size such as 512MB")]
    ZeroMaxBody { what: String },
    #[error(
        "the profile's concurrency is {value}: give 1 to {} requests in flight",
        crate::younium::all_pages::MAX_CONCURRENCY
    )]
    Concurrency { value: usize },
    #[error("the profile's max_pages is 0, which would fetch no page: give 1 or more")]
    ZeroMaxPages,
    #[error(
        "the profile's max_wait_seconds is 0, which would end a run at any Retry-After: give 1 or more seconds"
    )]
    ZeroMaxWait,
    #[error("{THEME_ENV}={value:?} is not a theme: use {}", ThemeChoice::NAMES)]
    Theme { value: String },
}

/// Turns the config file, the chosen profile, the flags and the environment into settings.
/// A flag given wins over the profile, and the profile over the defaults; `YOUNIUM_SECRET`
/// wins over the profile's secret source. A config file with an error is only fatal when a
/// profile was asked for by name; a file named by `--config` must exist.
/// The settings for this run: the config file `--config` names (or the default one), the
/// profile asked for, the flags and the process environment. The TUI and the headless
/// commands both start here.
pub fn from_command_line(args: &ConnectionArgs) -> Result<(Loaded, Settings), SettingsError> {
    let loaded = crate::config::load(args.config.as_deref());
    let settings = resolve(&Inputs {
        config: &loaded,
        profile: args.profile.as_deref(),
        flags: args,
        env: &EnvVars::from_process(),
    })?;
    Ok((loaded, settings))
}

pub fn resolve(inputs: &Inputs<'_>) -> Result<Settings, SettingsError> {
    let (profile_name, profile, config_warning) = choose_profile(inputs)?;
    let p = profile.as_ref();
    let flags = inputs.flags;
    let environment = match (&flags.base_url, &flags.environment, p) {
        (Some(url), _, _) => Environment::from_base_url(url).map_err(SettingsError::BaseUrl)?,
        (None, Some(env), _) => env.clone(),
        (None, None, Some(p)) => p
            .environment()
            .map_err(|source| SettingsError::ProfileEnvironment {
                profile: profile_name.clone().unwrap_or_default(),
                source,
            })?
            .unwrap_or(Environment::Sandbox),
        (None, None, None) => Environment::Sandbox,
    };
    let from_profile = |f: fn(&Profile) -> Option<&String>| p.and_then(f).cloned();
    let legal_entity = flags
        .legal_entity
        .clone()
        .or_else(|| from_profile(|p| p.legal_entity.as_ref()))
        .filter(|s| !s.trim().is_empty());
    let client_id = flags
        .client_id
        .clone()
        .or_else(|| p.and_then(Profile::id).map(str::to_string))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let mut known_entities = p.map(Profile::known_entities).unwrap_or_default();
    if known_entities.is_empty()
        && let Some(name) = &legal_entity
    {
        known_entities.push(LegalEntity {
            name: name.clone(),
            ..Default::default()
        });
    }
    let secret = match (&inputs.env.secret, p.and_then(|p| p.secret.as_ref())) {
        (Some(secret), _) => SecretPlan::Given(secret.clone()),
        (None, Some(source)) => SecretPlan::Profile(source.clone()),
        (None, None) => SecretPlan::Ask,
    };
    let vars = vars::resolve(inputs, profile_name.as_deref().zip(p));
    Ok(Settings {
        environment,
        auth: flags.auth.or(p.and_then(|p| p.auth)).unwrap_or_default(),
        client_id,
        legal_entity,
        api_version: flags
            .api_version
            .or(p.and_then(|p| p.api_version))
            .unwrap_or_default(),
        http: http_options(flags, p)?,
        manager: manager_options(p),
        all_pages: all_pages::resolve(flags, p)?,
        known_entities,
        profile: profile_name,
        secret,
        config_warning,
        theme: theme(inputs)?,
        history: inputs
            .config
            .file
            .as_ref()
            .and_then(|f| f.config.history)
            .map(|h| h.limits())
            .unwrap_or_default(),
        vars,
    })
}

/// `--theme`, else `YOUNIUM_TUI_THEME`, else the config file's `theme` (a top-level key,
/// whichever profile is used), else auto.
fn theme(inputs: &Inputs<'_>) -> Result<ThemeChoice, SettingsError> {
    if let Some(choice) = inputs.flags.theme {
        return Ok(choice);
    }
    if let Some(value) = &inputs.env.theme {
        return value.parse().map_err(|_| SettingsError::Theme {
            value: value.clone(),
        });
    }
    Ok(inputs
        .config
        .file
        .as_ref()
        .and_then(|f| f.config.theme)
        .unwrap_or_default())
}

type Chosen = (Option<String>, Option<Profile>, Option<ConfigError>);

/// The profile asked for (or the file's default), or a warning when the file is unusable
/// but nothing needed it.
fn choose_profile(inputs: &Inputs<'_>) -> Result<Chosen, SettingsError> {
    let loaded = inputs.config;
    let shown_path = || {
        loaded
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(no config directory)".into())
    };
    match (&loaded.file, &loaded.error) {
        (Some(file), _) => Ok(match file.profile(inputs.profile)? {
            Some((name, p)) => (Some(name), Some(p.clone()), None),
            None => (None, None, None),
        }),
        (None, Some(error)) if inputs.profile.is_some() => Err(error.clone().into()),
        (None, Some(error)) => Ok((None, None, Some(error.clone()))),
        (None, None) if inputs.flags.config.is_some() => {
            Err(SettingsError::NoConfigFile { path: shown_path() })
        }
        (None, None) => match inputs.profile {
            Some(name) => Err(SettingsError::NoFileForProfile {
                name: name.to_string(),
                path: shown_path(),
            }),
            None => Ok((None, None, None)),
        },
    }
}

/// `--timeout`, else the profile's `timeout_seconds`; `connect_timeout_seconds` from the
/// profile; `--max-body`, else the profile's `max_body`; else the defaults. Zero is refused
/// rather than quietly raised.
fn http_options(flags: &ConnectionArgs, p: Option<&Profile>) -> Result<HttpOptions, SettingsError> {
    let mut options = HttpOptions::default();
    let timeout = match (flags.timeout, p.and_then(|p| p.timeout_seconds)) {
        (Some(secs), _) => Some(("--timeout", secs)),
        (None, Some(secs)) => Some(("the profile's timeout_seconds", secs)),
        (None, None) => None,
    };
    if let Some((what, secs)) = timeout {
        options.timeout = positive(what, secs)?;
    }
    if let Some(secs) = p.and_then(|p| p.connect_timeout_seconds) {
        options.connect_timeout = positive("the profile's connect_timeout_seconds", secs)?;
    }
    let max_body = match (flags.max_body, p.and_then(|p| p.max_body)) {
        (Some(size), _) => Some(("--max-body", size)),
        (None, Some(size)) => Some(("the profile's max_body", size)),
        (None, None) => None,
    };
    match max_body {
        Some((what, ByteSize(0))) => return Err(SettingsError::ZeroMaxBody { what: what.into() }),
        Some((_, size)) => options.max_body = size,
        None => {}
    }
    Ok(options)
}

fn positive(what: &str, secs: u64) -> Result<Duration, SettingsError> {
    match secs {
        0 => Err(SettingsError::ZeroTimeout { what: what.into() }),
        secs => Ok(Duration::from_secs(secs)),
    }
}

fn manager_options(p: Option<&Profile>) -> ManagerOptions {
    let mut options = ManagerOptions::default();
    if let Some(secs) = p.and_then(|p| p.renew_margin_seconds) {
        options.renew_margin = Duration::from_secs(secs);
    }
    options
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::config::ConfigFile;

    const FILE: &str = r#"
default_profile = "alpha"

[profiles.alpha]
environment = "production"
auth = "v2"
client_id = "alpha-id"
secret = { env = "ALPHA_SECRET" }
legal_entity = "Acme AB"
api_version = "2.0"
renew_margin_seconds = 60
timeout_seconds = 30
connect_timeout_seconds = 4
max_body = "1GB"

[profiles.bare]
"#;

    fn loaded(text: &str) -> Loaded {
        Loaded::from(ConfigFile::parse(Path::new("/cfg/config.toml"), text).unwrap())
    }

    fn resolve_with(
        config: &Loaded,
        profile: Option<&str>,
        flags: &ConnectionArgs,
        env: &EnvVars,
    ) -> Result<Settings, SettingsError> {
        resolve(&Inputs {
            config,
            profile,
            flags,
            env,
        })
    }

    fn all_flags() -> ConnectionArgs {
        ConnectionArgs {
            environment: Some(Environment::UsSandbox),
            auth: Some(AuthMethod::Legacy),
            client_id: Some("flag-id".into()),
            legal_entity: Some("Acme Inc".into()),
            api_version: Some(ApiVersion::V2_1),
            timeout: Some(1),
            max_body: Some(ByteSize::mib(8)),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_when_nothing_is_configured() {
        let s = resolve_with(
            &Loaded::default(),
            None,
            &ConnectionArgs::default(),
            &EnvVars::default(),
        )
        .unwrap();
        assert_eq!(s.environment, Environment::Sandbox);
        assert_eq!(s.auth, AuthMethod::default());
        assert_eq!((s.client_id, s.legal_entity), (None, None));
        assert_eq!(s.api_version, ApiVersion::default());
        assert_eq!(s.http, HttpOptions::default());
        assert_eq!(s.manager, ManagerOptions::default());
        assert_eq!((s.profile, s.secret), (None, SecretPlan::Ask));
        assert!(s.known_entities.is_empty());
    }

    #[test]
    fn the_profile_beats_the_defaults() {
        let s = resolve_with(
            &loaded(FILE),
            None,
            &ConnectionArgs::default(),
            &EnvVars::default(),
        )
        .unwrap();
        assert_eq!(s.profile.as_deref(), Some("alpha"));
        assert_eq!(s.environment, Environment::Production);
        assert_eq!(s.auth, AuthMethod::ApiTokenV2);
        assert_eq!(s.client_id.as_deref(), Some("alpha-id"));
        assert_eq!(s.legal_entity.as_deref(), Some("Acme AB"));
        assert_eq!(s.known_entities[0].name, "Acme AB");
        assert_eq!(s.api_version, ApiVersion::V2_0);
        assert_eq!(s.http.timeout, Duration::from_secs(30));
        assert_eq!(s.http.connect_timeout, Duration::from_secs(4));
        assert_eq!(s.http.max_body, ByteSize::mib(1024));
        assert_eq!(s.manager.renew_margin, Duration::from_secs(60));
        assert_eq!(
            s.secret,
            SecretPlan::Profile(SecretSource::Env {
                env: "ALPHA_SECRET".into()
            })
        );
    }

    #[test]
    fn flags_beat_the_profile() {
        let s = resolve_with(&loaded(FILE), None, &all_flags(), &EnvVars::default()).unwrap();
        assert_eq!(s.profile.as_deref(), Some("alpha"));
        assert_eq!(s.environment, Environment::UsSandbox);
        assert_eq!(s.auth, AuthMethod::Legacy);
        assert_eq!(s.client_id.as_deref(), Some("flag-id"));
        assert_eq!(s.legal_entity.as_deref(), Some("Acme Inc"));
        assert_eq!(s.api_version, ApiVersion::V2_1);
        assert_eq!(s.http.timeout, Duration::from_secs(1));
        assert_eq!(s.http.max_body, ByteSize::mib(8));
        // No flag for these: the profile's stay.
        assert_eq!(s.http.connect_timeout, Duration::from_secs(4));
        assert_eq!(s.manager.renew_margin, Duration::from_secs(60));
        let url = ConnectionArgs {
            base_url: Some("http://127.0.0.1:9/base".into()),
            ..Default::default()
        };
        let s = resolve_with(&loaded(FILE), None, &url, &EnvVars::default()).unwrap();
        assert_eq!(
            s.environment,
            Environment::Custom("http://127.0.0.1:9/base".into())
        );
        // An empty flag is given: it clears the profile's legal entity.
        let cleared = ConnectionArgs {
            legal_entity: Some(String::new()),
            ..Default::default()
        };
        let s = resolve_with(&loaded(FILE), None, &cleared, &EnvVars::default()).unwrap();
        assert_eq!(s.legal_entity, None);
    }

    #[test]
    fn the_flags_alone_without_a_profile() {
        let s = resolve_with(&Loaded::default(), None, &all_flags(), &EnvVars::default()).unwrap();
        assert_eq!(s.http.timeout, Duration::from_secs(1));
        assert_eq!(
            s.http.connect_timeout,
            HttpOptions::default().connect_timeout
        );
        assert_eq!(s.manager, ManagerOptions::default());
        assert_eq!(s.known_entities.len(), 1, "the legal entity in use");
    }

    #[test]
    fn younium_secret_beats_the_profiles_source() {
        let env = EnvVars {
            secret: Some(Secret::new("from-env")),
            ..Default::default()
        };
        let s = resolve_with(&loaded(FILE), None, &ConnectionArgs::default(), &env).unwrap();
        assert_eq!(s.secret, SecretPlan::Given(Secret::new("from-env")));
        let bare = resolve_with(
            &loaded(FILE),
            Some("bare"),
            &ConnectionArgs::default(),
            &EnvVars::default(),
        )
        .unwrap();
        assert_eq!(bare.secret, SecretPlan::Ask);
        assert_eq!(bare.environment, Environment::Sandbox);
        assert_eq!(bare.manager, ManagerOptions::default());
    }

    #[test]
    fn a_zero_timeout_is_refused_not_raised_to_one_second() {
        let zero = ConnectionArgs {
            timeout: Some(0),
            ..Default::default()
        };
        let e = resolve_with(&Loaded::default(), None, &zero, &EnvVars::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--timeout is 0 s, which would fail every call: give 1 or more seconds"
        );
        let file = loaded("[profiles.a]\nconnect_timeout_seconds = 0\n");
        let e =
            resolve_with(&file, None, &ConnectionArgs::default(), &EnvVars::default()).unwrap_err();
        assert!(
            e.to_string().contains("connect_timeout_seconds is 0 s"),
            "{e}"
        );
        let file = loaded("[profiles.a]\nmax_body = 0\n");
        let e =
            resolve_with(&file, None, &ConnectionArgs::default(), &EnvVars::default()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("the profile's max_body is 0, which would refuse"),
            "{e}"
        );
    }

    #[test]
    fn a_config_file_named_by_flag_must_exist() {
        let missing = PathBuf::from("/nonexistent/config.toml");
        let flags = ConnectionArgs {
            config: Some(missing.clone()),
            ..Default::default()
        };
        let nothing = Loaded {
            path: Some(missing),
            ..Default::default()
        };
        let e = resolve_with(&nothing, None, &flags, &EnvVars::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no config file at /nonexistent/config.toml (named by --config)"
        );
        // The default location (or $YOUNIUM_TUI_CONFIG) may be empty: nothing configured yet.
        let s = resolve_with(
            &nothing,
            None,
            &ConnectionArgs::default(),
            &EnvVars::default(),
        );
        assert!(s.is_ok());
        let e = resolve_with(
            &nothing,
            Some("p"),
            &ConnectionArgs::default(),
            &EnvVars::default(),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("--profile p was given"), "{e}");
    }

    #[test]
    fn a_broken_file_is_a_warning_unless_a_profile_is_asked_for() {
        let broken = Loaded {
            path: Some("/cfg/config.toml".into()),
            file: None,
            error: Some(ConfigError::Invalid {
                path: "/cfg/config.toml".into(),
                line: 3,
                column: 1,
                message: "bad".into(),
            }),
        };
        let s = resolve_with(&broken, None, &all_flags(), &EnvVars::default()).unwrap();
        assert!(s.config_warning.is_some());
        assert_eq!(s.client_id.as_deref(), Some("flag-id"));
        let e = resolve_with(&broken, Some("a"), &all_flags(), &EnvVars::default()).unwrap_err();
        assert!(matches!(
            e,
            SettingsError::Config(ConfigError::Invalid { .. })
        ));
        let e = resolve_with(
            &loaded(FILE),
            Some("nope"),
            &ConnectionArgs::default(),
            &EnvVars::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("no profile named \"nope\""), "{e}");
        let e = resolve_with(
            &loaded("[profiles.a]\nenvironment = \"mars\"\n"),
            None,
            &ConnectionArgs::default(),
            &EnvVars::default(),
        )
        .unwrap_err();
        assert!(
            e.to_string().starts_with("profile a: unknown environment"),
            "{e}"
        );
    }

    #[test]
    fn the_same_inputs_give_the_same_settings() {
        let (config, flags) = (loaded(FILE), all_flags());
        let env = EnvVars {
            secret: Some(Secret::new("s")),
            ..Default::default()
        };
        let once = resolve_with(&config, Some("alpha"), &flags, &env).unwrap();
        let again = resolve_with(&config, Some("alpha"), &flags, &env).unwrap();
        assert_eq!(once, again);
    }
}
