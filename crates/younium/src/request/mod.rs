//! API calls: a request as the user describes it (this file), the headers Younium needs added
//! to it (`headers`), where it may go (`urls`), the HTTP clients and the one sending path
//! (`http`), the response kept whole with its timing (`response`), and `Retry-After` (`retry`).

mod headers;
mod http;
mod response;
mod retry;
mod urls;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use headers::{
    EffectiveHeader, HeaderOrigin, HeaderText, automatic_header, can_switch_off,
    effective_header_rows, effective_headers, is_secret_header,
};
pub(crate) use http::{BodyError, read_body};
pub use http::{Http, HttpError, HttpOptions, install_crypto_provider, send};
pub use response::{ApiResponse, RequestError, SentRequest, TransportError, TransportKind};
pub use retry::{MAX_RETRY_AFTER, parse_retry_after, retry_after, retry_after_note};
pub(crate) use retry::{asked_retry_after, header_text};
pub use urls::build_url;
pub(crate) use urls::check_token_destination;

/// The `api-version` header's value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ApiVersion {
    /// Lists are bare arrays with every record.
    #[serde(rename = "2.0")]
    V2_0,
    /// Lists are paged envelopes; an empty list answers 400. The default.
    #[default]
    #[serde(rename = "2.1")]
    V2_1,
}

impl ApiVersion {
    /// Both versions, the default first.
    pub const ALL: [ApiVersion; 2] = [ApiVersion::V2_1, ApiVersion::V2_0];

    /// The header value: `2.1`, `2.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V2_0 => "2.0",
            ApiVersion::V2_1 => "2.1",
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text that does not name a method, an api-version or a parameter.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not `2.1`, `2.0` or `2`.
    #[error("unknown api-version {0:?}: use 2.1 or 2.0")]
    ApiVersion(String),
    /// Not one of [`Method::ALL`] (in any case).
    #[error("unknown method {0:?}: use GET, POST, PATCH, PUT or DELETE")]
    Method(String),
    /// A parameter without its separator ([`Param::parse`]).
    #[error("{text:?} is not of the form NAME{separator}VALUE")]
    NoSeparator {
        /// The text as given.
        text: String,
        /// The separator looked for: `=` for a query parameter, `:` for a header.
        separator: char,
    },
    /// A parameter whose name is blank.
    #[error("{0:?} has an empty name")]
    EmptyName(String),
}

impl FromStr for ApiVersion {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "2.0" | "2" => Ok(ApiVersion::V2_0),
            "2.1" => Ok(ApiVersion::V2_1),
            other => Err(ParseError::ApiVersion(other.to_string())),
        }
    }
}

/// HTTP methods the explorer sends. Younium itself uses no PUT, but a proxy might.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// Reads; the only method the all-pages engine and the diagnosis send.
    #[default]
    Get,
    /// Creates; carries a `younium-idempotency-key` (see [`ApiRequest::idempotency_key`]).
    Post,
    /// Changes part of a record.
    Patch,
    /// Not used by Younium; kept for proxies and mocks.
    Put,
    /// Deletes.
    Delete,
}

impl Method {
    /// Every method, in the order a picker shows them.
    pub const ALL: [Method; 5] = [
        Method::Get,
        Method::Post,
        Method::Patch,
        Method::Put,
        Method::Delete,
    ];

    /// The method as sent: `GET`, `POST`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Changes data: needs confirmation in production, never repeated by a diagnosis.
    pub fn is_write(self) -> bool {
        !matches!(self, Method::Get)
    }

    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Method::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ParseError::Method(s.to_string()))
    }
}

/// A query parameter or header row: name, value, and whether it is sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Param {
    /// The name as sent. Where the library looks for one (`PageSize`, `PageNumber`) case does
    /// not matter, as it does not to Younium's query binding.
    pub name: String,
    /// The value, unencoded: the URL is encoded when it is built.
    pub value: String,
    /// Sent when true; a switched-off row is kept so that it can be switched back on.
    pub enabled: bool,
}

impl Param {
    /// A row that is sent.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
            enabled: true,
        }
    }

    /// Parses `K=V` (query) or `K: V` (header).
    pub fn parse(text: &str, separator: char) -> Result<Self, ParseError> {
        let (name, value) = text
            .split_once(separator)
            .ok_or_else(|| ParseError::NoSeparator {
                text: text.to_string(),
                separator,
            })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(ParseError::EmptyName(text.to_string()));
        }
        Ok(Self::new(name, value.trim()))
    }
}

/// A call as the user describes it. The standard headers are added when it is sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiRequest {
    /// The method.
    pub method: Method,
    /// `/Accounts/{id}`-style path; placeholders must be filled before sending.
    pub path: String,
    /// Query parameters, in order (`PageSize`, `Filter`, …).
    pub query: Vec<Param>,
    /// User headers. One named like an automatic header overrides it, or removes it when
    /// disabled.
    pub headers: Vec<Param>,
    /// The JSON body, as text (sent as it is; a blank one is not sent).
    pub body: Option<String>,
    /// Sent as `younium-idempotency-key` on POST. Kept with the request so sending the same
    /// request again does not create the record twice.
    pub idempotency_key: Option<String>,
}

impl ApiRequest {
    /// A request with no query, headers or body; a POST gets a fresh idempotency key.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            idempotency_key: (method == Method::Post).then(new_idempotency_key),
            ..Default::default()
        }
    }

    /// The user's header row for `name`, if any (case-insensitive).
    fn user_header(&self, name: &str) -> Option<&Param> {
        self.headers
            .iter()
            .find(|h| h.name.trim().eq_ignore_ascii_case(name))
    }

    /// True when the app should attach the managed token (the user has not overridden or
    /// disabled `Authorization`).
    pub fn uses_managed_token(&self) -> bool {
        self.user_header("authorization").is_none()
    }

    /// Drops the user's rows for the automatic header `name` (an override, a switch-off), so
    /// the request carries the connection's value again.
    pub fn use_automatic_header(headers: &mut Vec<Param>, name: &str) {
        headers.retain(|h| !h.name.trim().eq_ignore_ascii_case(name));
    }

    /// The value of the `legal-entity` header the request will carry under `settings`.
    pub fn legal_entity_sent<'a>(&'a self, settings: &'a CallSettings) -> Option<&'a str> {
        match self.user_header("legal-entity") {
            Some(p) if p.enabled => Some(p.value.as_str()),
            Some(_) => None,
            None => settings.legal_entity.as_deref(),
        }
    }
}

/// A fresh idempotency key (a random UUID, as Younium recommends).
pub fn new_idempotency_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The `{name}` placeholders in a path, in order.
pub fn placeholders(path: &str) -> Vec<String> {
    template_pieces(path)
        .filter_map(|piece| match piece {
            TemplatePiece::Placeholder(name) => Some(name.to_string()),
            TemplatePiece::Text(_) => None,
        })
        .collect()
}

/// A piece of a path template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplatePiece<'a> {
    /// Literal text, sent as written.
    Text(&'a str),
    /// The name inside `{…}`.
    Placeholder(&'a str),
}

/// A path template cut into literal text and `{name}` placeholders, in order. A `{` with no
/// `}` after it is literal text; empty text between pieces is left out. A `{{variable}}`
/// (see [`crate::template`]) is text here: it is filled in when the request is sent.
pub fn template_pieces(template: &str) -> impl Iterator<Item = TemplatePiece<'_>> {
    let mut rest = template;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.starts_with("{{")
            && let Some(close) = rest.find("}}")
        {
            let (text, after) = rest.split_at(close + 2);
            rest = after;
            return Some(TemplatePiece::Text(text));
        }
        let braces = rest
            .find('{')
            .and_then(|open| Some((open, open + rest[open..].find('}')?)));
        let (piece, after) = match braces {
            Some((0, close)) => (
                TemplatePiece::Placeholder(&rest[1..close]),
                &rest[close + 1..],
            ),
            Some((open, _)) => (TemplatePiece::Text(&rest[..open]), &rest[open..]),
            None => (TemplatePiece::Text(rest), ""),
        };
        rest = after;
        Some(piece)
    })
}

/// Settings that apply to every call but do not need a new token when they change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallSettings {
    /// The `api-version` header; 2.1 by default.
    pub api_version: ApiVersion,
    /// GUID or name; `None` sends no `legal-entity` header.
    pub legal_entity: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_and_placeholders() {
        assert_eq!(Param::parse("a=b=c", '=').unwrap().value, "b=c");
        assert_eq!(Param::parse("X-A: 1", ':').unwrap().name, "X-A");
        assert!(Param::parse("novalue", '=').is_err());
        assert_eq!(placeholders("/A/{year}/B/{period}"), ["year", "period"]);
        assert!(placeholders("/A/{broken").is_empty());
        assert_eq!(placeholders("/A/{{id}}/{n}/{{x}}"), ["n"]);
    }

    #[test]
    fn template_pieces_in_order() {
        use TemplatePiece::{Placeholder, Text};
        let pieces: Vec<_> = template_pieces("{a}/B/{c}{d}.pdf/{e").collect();
        assert_eq!(
            pieces,
            [
                Placeholder("a"),
                Text("/B/"),
                Placeholder("c"),
                Placeholder("d"),
                Text(".pdf/{e")
            ]
        );
        // The name runs to the first `}`, a `{` inside it included.
        assert_eq!(
            template_pieces("x{y{z}").collect::<Vec<_>>(),
            [Text("x"), Placeholder("y{z")]
        );
        assert_eq!(template_pieces("").count(), 0);
    }

    #[test]
    fn names_parse() {
        assert_eq!("patch".parse::<Method>().unwrap(), Method::Patch);
        assert_eq!("2.0".parse::<ApiVersion>().unwrap(), ApiVersion::V2_0);
        assert!("3".parse::<ApiVersion>().is_err());
    }
}
