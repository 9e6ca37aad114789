//! What the file holds: the profiles, each a named connection (environment, credentials and
//! where the secret comes from, legal entity, api-version, timeouts).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::secret::SecretSource;
use crate::younium::doctor::LegalEntity;
use crate::younium::environment::EnvironmentError;
use crate::younium::limit::ByteSize;
use crate::younium::{ApiVersion, AuthMethod, Environment};

/// The whole file.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The profile used when none is named.
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// `[keys]`: key bindings, kept with their spans in `ConfigFile::keys` for the keymap
    /// (`tui::keymap::keymap_from_config`), which reports unknown names and conflicts with
    /// their lines and keeps the defaults for them.
    #[serde(default)]
    pub keys: Option<serde::de::IgnoredAny>,
    /// `theme = "dark" | "light" | "auto"`: the colours, for a dark or a light terminal
    /// background; `auto` (the default) asks the terminal.
    pub theme: Option<ThemeChoice>,
    /// `[[requests]]`: saved requests no profile owns. Read entry by entry by
    /// `ConfigFile::saved_requests` (see `config::saved`), which skips a bad one with a warning.
    #[serde(default)]
    pub requests: Option<serde::de::IgnoredAny>,
    /// `[history]`: how much the request history keeps.
    pub history: Option<super::file::HistoryConfig>,
    /// `[vars]`: values for `{{name}}` templates, whichever profile is used (a profile's own
    /// win over these).
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
}

/// The `theme` key: which colours to use.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    /// Ask the terminal for its background colour.
    #[default]
    Auto,
    Dark,
    Light,
}

impl ThemeChoice {
    /// The values, as the file and `YOUNIUM_TUI_THEME` spell them.
    pub const NAMES: &str = "dark, light or auto";

    /// The background this choice fixes (`None`: auto).
    pub fn fixed(self) -> Option<crate::pretty::highlight::Background> {
        use crate::pretty::highlight::Background;
        match self {
            ThemeChoice::Auto => None,
            ThemeChoice::Dark => Some(Background::Dark),
            ThemeChoice::Light => Some(Background::Light),
        }
    }
}

impl std::str::FromStr for ThemeChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(ThemeChoice::Auto),
            "dark" => Ok(ThemeChoice::Dark),
            "light" => Ok(ThemeChoice::Light),
            _ => Err(format!("{text:?} is not a theme: use {}", Self::NAMES)),
        }
    }
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
    /// The largest answer read: `"1GB"`, `"512MB"` or a number of bytes.
    pub max_body: Option<ByteSize>,
    /// Requests in flight when fetching all the pages of a list (1 to 8; default 4).
    pub concurrency: Option<usize>,
    /// Pages fetched before an all-pages run asks (the UI) or stops (`call`); default 10,000.
    pub max_pages: Option<u64>,
    /// The longest `Retry-After` an all-pages run waits; a longer one ends it. Default 300.
    pub max_wait_seconds: Option<u64>,
    /// `[[profiles.NAME.requests]]`: the profile's saved requests (see `config::saved`).
    #[serde(default)]
    pub requests: Option<serde::de::IgnoredAny>,
    /// `[profiles.NAME.vars]`: values for `{{name}}` templates with this profile.
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
}

/// A legal entity the profile remembers (`known_legal_entities = [{ name, id }]`).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct KnownEntityConfig {
    pub name: String,
    pub id: Option<String>,
}

impl Profile {
    /// The environment `base_url` (first) or `environment` names, if either is set.
    pub fn environment(&self) -> Result<Option<Environment>, EnvironmentError> {
        match (&self.base_url, &self.environment) {
            (Some(url), _) => Environment::from_base_url(url).map(Some),
            (None, Some(env)) => env.parse().map(Some),
            (None, None) => Ok(None),
        }
    }

    /// The client ID, or the legacy username.
    pub fn id(&self) -> Option<&str> {
        self.client_id.as_deref().or(self.username.as_deref())
    }

    /// `known_legal_entities`, as the diagnosis and the legal-entity picker use them.
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
}
