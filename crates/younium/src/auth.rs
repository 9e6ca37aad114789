//! Credentials and the token exchange: API tokens through `/auth/token` (v1, camelCase) or
//! `/auth/v2/token` (v2, snake_case), and the deprecated username/password grant.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::environment::Environment;
use super::limit::{MAX_TOKEN_ANSWER, TooLarge};
use super::problem::Problem;
use super::request::{
    BodyError, Http, TransportError, header_text, read_body, retry_after, retry_after_note,
};
use super::secret::{Secret, redact_secret};
use super::token::{ExchangeContext, Token, TokenOrigin, parse_token_answer};

/// How to obtain a token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// `POST {base}/auth/token`, camelCase answer. The default.
    #[default]
    #[serde(rename = "v1")]
    ApiTokenV1,
    /// `POST {base}/auth/v2/token`, snake_case answer.
    #[serde(rename = "v2")]
    ApiTokenV2,
    /// Username and password through the identity server's password grant. Obsolete.
    Legacy,
}

impl AuthMethod {
    /// Every method, the default first (the order a picker shows them).
    pub const ALL: [AuthMethod; 3] = [
        AuthMethod::ApiTokenV1,
        AuthMethod::ApiTokenV2,
        AuthMethod::Legacy,
    ];

    /// The token endpoint for this method in `env`.
    pub fn token_url(self, env: &Environment) -> String {
        match self {
            AuthMethod::ApiTokenV1 => format!("{}/auth/token", env.base_url()),
            AuthMethod::ApiTokenV2 => format!("{}/auth/v2/token", env.base_url()),
            AuthMethod::Legacy => env.legacy_token_url(),
        }
    }

    /// What a person reads in a picker: `API token (v1 /auth/token)`.
    pub fn label(self) -> &'static str {
        match self {
            AuthMethod::ApiTokenV1 => "API token (v1 /auth/token)",
            AuthMethod::ApiTokenV2 => "API token (v2 /auth/v2/token)",
            AuthMethod::Legacy => "Legacy username/password (deprecated)",
        }
    }

    /// The name in a profile and on the command line (`v1`, `v2`, `legacy`), as
    /// [`FromStr`] reads it back.
    pub fn key(self) -> &'static str {
        match self {
            AuthMethod::ApiTokenV1 => "v1",
            AuthMethod::ApiTokenV2 => "v2",
            AuthMethod::Legacy => "legacy",
        }
    }

    /// What the identifier field is called for this method.
    pub fn id_label(self) -> &'static str {
        match self {
            AuthMethod::Legacy => "Username",
            _ => "Client ID",
        }
    }
}

impl fmt::Display for AuthMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Text that names no auth method.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown auth method {0:?}: use v1, v2 or legacy")]
pub struct UnknownAuthMethod(pub String);

impl FromStr for AuthMethod {
    type Err = UnknownAuthMethod;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "v1" | "token" | "api-token" => Ok(AuthMethod::ApiTokenV1),
            "v2" => Ok(AuthMethod::ApiTokenV2),
            "legacy" | "password" => Ok(AuthMethod::Legacy),
            other => Err(UnknownAuthMethod(other.to_string())),
        }
    }
}

/// What is needed to obtain a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// Which token endpoint they are sent to, and how.
    pub method: AuthMethod,
    /// The client ID (API token) or the username (legacy).
    pub id: String,
    /// The secret (API token) or the password (legacy).
    pub secret: Secret,
}

/// Everything that identifies where a token comes from: changing any of it needs a new token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    /// Where the token is asked for; it is then only ever sent back to this origin.
    pub environment: Environment,
    /// Who asks.
    pub credentials: Credentials,
    /// Only the legacy grant uses it: the legal entity is baked into the token at login.
    pub legacy_legal_entity: Option<String>,
}

impl Connection {
    /// An API token (client ID and secret) exchanged at `environment`'s `/auth/token`, the
    /// usual way in.
    pub fn api_token(
        environment: Environment,
        client_id: impl Into<String>,
        secret: Secret,
    ) -> Self {
        Connection {
            environment,
            credentials: Credentials {
                method: AuthMethod::ApiTokenV1,
                id: client_id.into(),
                secret,
            },
            legacy_legal_entity: None,
        }
    }
}

/// Why no token could be obtained. Cloneable so it can be published to every watcher.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The server turned the credentials down (400/401/403 from the token endpoint).
    #[error("the server rejected the credentials ({status}): {message}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The server's own message (`errors[]`, ProblemDetails), the secret masked.
        message: String,
    },
    /// The token endpoint answered with another error status (404, 429, 5xx…).
    #[error("the token endpoint answered {status}: {message}")]
    Server {
        /// The HTTP status.
        status: u16,
        /// The server's own message, the secret masked (with a note when `Retry-After` asked
        /// for more than the hour waited at most).
        message: String,
        /// The wait `Retry-After` asked for (a 429, a 503); the token manager honours it.
        retry_after: Option<Duration>,
    },
    /// The token endpoint answered with a redirect. It is never followed: the secret goes
    /// only in the body of a request to the token endpoint itself.
    #[error(
        "the token endpoint answered {status} and redirected to {location}; the secret was not sent there: check the base URL"
    )]
    Redirected {
        /// The HTTP status (301, 302, 307, …).
        status: u16,
        /// Where the redirect pointed, described without any user or password in it.
        location: String,
    },
    /// A 200 whose body is not a token.
    #[error("the token answer could not be read: {0}")]
    Malformed(String),
    /// The server could not be reached or the connection broke.
    #[error("{0}")]
    Transport(TransportError),
    /// The answer was larger than any token answer (a hostile or misdirected endpoint).
    #[error(transparent)]
    TooLarge(TooLarge),
    /// Something the user has to fill in first.
    #[error("{0}")]
    Incomplete(String),
}

impl AuthError {
    /// Retrying without a change by the user cannot help.
    pub fn is_permanent(&self) -> bool {
        matches!(
            self,
            AuthError::Rejected { .. } | AuthError::Redirected { .. } | AuthError::Incomplete(_)
        )
    }

    /// The wait the server asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            AuthError::Server { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Exchanges the credentials for a token.
pub async fn exchange(http: &Http, connection: &Connection) -> Result<Token, AuthError> {
    let creds = &connection.credentials;
    if creds.id.trim().is_empty() {
        return Err(AuthError::Incomplete(format!(
            "{} is empty",
            creds.method.id_label()
        )));
    }
    if creds.secret.is_blank() {
        return Err(AuthError::Incomplete(match creds.method {
            AuthMethod::Legacy => "the password is empty".into(),
            _ => "the secret is empty".into(),
        }));
    }
    let url = creds.method.token_url(&connection.environment);
    let request = match creds.method {
        AuthMethod::ApiTokenV1 | AuthMethod::ApiTokenV2 => {
            http.token_client().post(&url).json(&serde_json::json!({
                "clientId": creds.id.trim(),
                "secret": creds.secret.expose(),
            }))
        }
        AuthMethod::Legacy => {
            let mut form = vec![
                ("grant_type", "password"),
                ("username", creds.id.trim()),
                ("password", creds.secret.expose()),
                ("client_id", "apiclient"),
                ("scope", "openid youniumapi profile"),
            ];
            if let Some(le) = connection
                .legacy_legal_entity
                .as_deref()
                .filter(|s| !s.trim().is_empty())
            {
                form.push(("legal_entity", le));
            }
            http.token_client().post(&url).form(&form)
        }
    }
    .header(reqwest::header::ACCEPT, "application/json");

    tracing::debug!(%url, method = %creds.method, "token exchange");
    let requested_at = Timestamp::now();
    let transport = |e: &reqwest::Error| {
        AuthError::Transport(TransportError::from_reqwest(&url, e, http.options()))
    };
    let response = request.send().await.map_err(|e| transport(&e))?;
    let status = response.status().as_u16();
    if response.status().is_redirection() {
        let location = header_text(response.headers(), "location")
            .map(|l| super::origin::describe_text(&l))
            .unwrap_or_else(|| "(no Location header)".into());
        return Err(AuthError::Redirected { status, location });
    }
    let date_header = header_text(response.headers(), "date");
    let retry = retry_after(response.headers());
    let retry_note = header_text(response.headers(), "retry-after")
        .as_deref()
        .and_then(retry_after_note);
    let body = read_body(response, MAX_TOKEN_ANSWER)
        .await
        .map_err(|e| match e {
            BodyError::Transport(e) => transport(&e),
            BodyError::TooLarge(declared) => AuthError::TooLarge(TooLarge {
                what: format!("the answer from the token endpoint {url}"),
                limit: MAX_TOKEN_ANSWER,
                declared,
                hint: "a token answer is a few kilobytes: check the base URL".into(),
            }),
        })?;
    let received_at = Timestamp::now();
    tracing::debug!(status, bytes = body.len(), "token answer");
    // The server may repeat what it was sent: nothing it says is shown with the secret in it.
    let redact = |text: &str| redact_secret(text, &creds.secret);

    if !(200..300).contains(&status) {
        let body = redact(&String::from_utf8_lossy(&body));
        let mut message = Problem::read(body.as_bytes())
            .summary()
            .map(|summary| redact(&summary))
            .unwrap_or_else(|| "(no message in the answer)".into());
        if let Some(note) = retry_note {
            message = format!("{message} ({note})");
        }
        return Err(match status {
            400 | 401 | 403 => AuthError::Rejected { status, message },
            _ => AuthError::Server {
                status,
                message,
                retry_after: retry,
            },
        });
    }
    let ctx = ExchangeContext {
        origin: TokenOrigin {
            environment: connection.environment.clone(),
            method: creds.method,
            token_url: url,
        },
        requested_at,
        received_at,
        date_header,
    };
    let token =
        parse_token_answer(&body, ctx).map_err(|e| AuthError::Malformed(redact(&e.to_string())))?;
    for note in &token.notes {
        tracing::warn!(note = %redact(note), "token answer");
    }
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_urls_per_method() {
        let env = Environment::Sandbox;
        assert_eq!(
            AuthMethod::ApiTokenV1.token_url(&env),
            "https://api.sandbox.younium.com/auth/token"
        );
        assert_eq!(
            AuthMethod::ApiTokenV2.token_url(&env),
            "https://api.sandbox.younium.com/auth/v2/token"
        );
        assert_eq!(
            AuthMethod::Legacy.token_url(&env),
            "https://auth.sandbox.younium.com/connect/token"
        );
        let custom = Environment::Custom("http://127.0.0.1:9".into());
        assert_eq!(
            AuthMethod::Legacy.token_url(&custom),
            "http://127.0.0.1:9/connect/token"
        );
    }

    #[test]
    fn method_names() {
        assert_eq!("V2".parse::<AuthMethod>().unwrap(), AuthMethod::ApiTokenV2);
        assert_eq!("legacy".parse::<AuthMethod>().unwrap(), AuthMethod::Legacy);
        assert!("oauth".parse::<AuthMethod>().is_err());
    }

    #[test]
    fn permanence() {
        assert!(
            AuthError::Rejected {
                status: 401,
                message: "x".into()
            }
            .is_permanent()
        );
        assert!(
            !AuthError::Server {
                status: 503,
                message: "x".into(),
                retry_after: None
            }
            .is_permanent()
        );
    }
}
