//! Younium environments and the base URLs they live at.

use std::fmt;
use std::str::FromStr;

use super::origin::Origin;

/// Where API calls go.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Environment {
    /// EU production, `https://api.younium.com`.
    Production,
    /// EU sandbox, `https://api.sandbox.younium.com`.
    Sandbox,
    /// US production, `https://api.us.younium.com`.
    UsProduction,
    /// US sandbox, `https://api.sandbox.us.younium.com` (the docs also spell it
    /// `api.us.sandbox…` once; two of three pages use this spelling).
    UsSandbox,
    /// Any other base URL: the built-in simulator, a proxy, a mock.
    Custom(String),
}

impl Environment {
    /// The named environments, in the order a picker shows them.
    pub const NAMED: [Environment; 4] = [
        Environment::Sandbox,
        Environment::Production,
        Environment::UsSandbox,
        Environment::UsProduction,
    ];

    /// Builds a custom environment from a URL, or recognises a named one however it is
    /// spelled (`https://API.younium.com:443/` is production): the comparison is on the
    /// parsed origin, see [`Origin`].
    pub fn from_base_url(url: &str) -> Result<Self, EnvironmentError> {
        let origin = Origin::parse(url).map_err(|e| EnvironmentError::BadUrl {
            url: e.url,
            reason: e.reason,
        })?;
        Ok(Self::NAMED
            .into_iter()
            .find(|env| Origin::parse(env.base_url()).is_ok_and(|named| named == origin))
            .unwrap_or_else(|| Environment::Custom(origin.base_url())))
    }

    /// The parsed base URL that requests and the token are held to.
    pub fn origin(&self) -> Result<Origin, EnvironmentError> {
        Origin::parse(self.base_url()).map_err(|e| EnvironmentError::BadUrl {
            url: e.url,
            reason: e.reason,
        })
    }

    /// The API base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Production => "https://api.younium.com",
            Environment::Sandbox => "https://api.sandbox.younium.com",
            Environment::UsProduction => "https://api.us.younium.com",
            Environment::UsSandbox => "https://api.sandbox.us.younium.com",
            Environment::Custom(url) => url,
        }
    }

    /// The identity server's password-grant endpoint for the deprecated username/password login.
    ///
    /// The EU hosts are documented; the US ones follow the same pattern but are a guess.
    /// A custom base URL serves it at `{base}/connect/token`.
    pub(crate) fn legacy_token_url(&self) -> String {
        match self {
            Environment::Production => "https://auth.younium.com/connect/token".into(),
            Environment::Sandbox => "https://auth.sandbox.younium.com/connect/token".into(),
            Environment::UsProduction => "https://auth.us.younium.com/connect/token".into(),
            Environment::UsSandbox => "https://auth.sandbox.us.younium.com/connect/token".into(),
            Environment::Custom(url) => format!("{url}/connect/token"),
        }
    }

    /// Short machine-friendly name, as accepted by `--env`.
    pub fn key(&self) -> &str {
        match self {
            Environment::Production => "production",
            Environment::Sandbox => "sandbox",
            Environment::UsProduction => "us-production",
            Environment::UsSandbox => "us-sandbox",
            Environment::Custom(_) => "custom",
        }
    }

    /// Human-readable name for titles and pickers.
    pub fn label(&self) -> String {
        match self {
            Environment::Production => "Production (EU)".into(),
            Environment::Sandbox => "Sandbox (EU)".into(),
            Environment::UsProduction => "Production (US)".into(),
            Environment::UsSandbox => "Sandbox (US)".into(),
            Environment::Custom(url) => format!("Custom {url}"),
        }
    }

    /// Production data: writes here need confirmation and the UI shows a warning colour.
    pub fn is_production(&self) -> bool {
        matches!(self, Environment::Production | Environment::UsProduction)
    }

    /// Whether sending `method` here asks first (the UI) or needs `--yes` (the commands): a
    /// write to production. The one place that says so.
    pub fn write_needs_confirmation(&self, method: crate::request::Method) -> bool {
        self.is_production() && method.is_write()
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl FromStr for Environment {
    type Err = EnvironmentError;

    /// Accepts `production`/`prod`, `sandbox`, `us`/`us-production`, `us-sandbox`, or a URL.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "production" | "prod" | "eu" => Ok(Environment::Production),
            "sandbox" | "eu-sandbox" => Ok(Environment::Sandbox),
            "us" | "us-production" | "us-prod" => Ok(Environment::UsProduction),
            "us-sandbox" => Ok(Environment::UsSandbox),
            other if other.contains("://") => Environment::from_base_url(s),
            _ => Err(EnvironmentError::Unknown(s.to_string())),
        }
    }
}

/// Why an environment could not be chosen.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EnvironmentError {
    /// A name that is no environment and no URL.
    #[error(
        "unknown environment {0:?}: use production, sandbox, us-production, us-sandbox or a URL"
    )]
    Unknown(String),
    /// A URL that cannot be a base URL (see [`Origin::parse`]).
    #[error("{url:?} is not a usable base URL: {reason}")]
    BadUrl {
        /// The URL as given, without any user name or password in it.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_write_to_production_asks_first() {
        use crate::request::Method;
        assert!(Environment::Production.write_needs_confirmation(Method::Post));
        assert!(Environment::UsProduction.write_needs_confirmation(Method::Delete));
        assert!(!Environment::Production.write_needs_confirmation(Method::Get));
        assert!(!Environment::Sandbox.write_needs_confirmation(Method::Patch));
    }

    #[test]
    fn names_and_urls() {
        assert_eq!(
            "prod".parse::<Environment>().unwrap().base_url(),
            "https://api.younium.com"
        );
        assert_eq!(
            "us-sandbox".parse::<Environment>().unwrap().base_url(),
            "https://api.sandbox.us.younium.com"
        );
        assert!("nowhere".parse::<Environment>().is_err());
    }

    #[test]
    fn known_urls_are_recognised_and_custom_ones_kept() {
        assert_eq!(
            Environment::from_base_url("https://api.sandbox.younium.com/").unwrap(),
            Environment::Sandbox
        );
        let custom = Environment::from_base_url("http://127.0.0.1:8080/").unwrap();
        assert_eq!(custom.base_url(), "http://127.0.0.1:8080");
        assert_eq!(
            custom.legacy_token_url(),
            "http://127.0.0.1:8080/connect/token"
        );
        for production in [
            "https://API.younium.com",
            "https://api.younium.com:443",
            "https://api.younium.com/",
            " https://Api.Younium.Com:443/ ",
        ] {
            assert_eq!(
                Environment::from_base_url(production).unwrap(),
                Environment::Production,
                "{production}"
            );
        }
        assert!(
            !Environment::from_base_url("http://api.younium.com")
                .unwrap()
                .is_production(),
            "plain http is not the production API"
        );
        for bad in [
            "https://user:pw@api.younium.com",
            "https://api.younium.com/?x=1",
            "https://api.younium.com/#top",
        ] {
            let err = Environment::from_base_url(bad).unwrap_err().to_string();
            assert!(!err.contains("pw@"), "{err}");
        }
        assert!(Environment::from_base_url("ftp://x").is_err());
        assert!(Environment::from_base_url("not a url").is_err());
    }

    #[test]
    fn production_is_flagged() {
        assert!(Environment::Production.is_production());
        assert!(Environment::UsProduction.is_production());
        assert!(!Environment::Sandbox.is_production());
        assert!(!Environment::Custom("http://x".into()).is_production());
    }
}
