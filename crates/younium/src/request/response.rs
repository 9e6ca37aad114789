//! A response kept whole with the request as it went out, and why a request produced none.

use std::time::Duration;

use bytes::Bytes;
use jiff::Timestamp;

use super::{EffectiveHeader, HeaderText, HttpOptions, Method};
use crate::limit::TooLarge;
use crate::origin::Refused;
use crate::problem::Problem;

/// The request exactly as it went out, for the "request" tab and exports.
#[derive(Clone, Debug)]
pub struct SentRequest {
    /// The method.
    pub method: Method,
    /// The full URL, query included.
    pub url: String,
    /// Every header, switched-off ones included (marked so); secret values stay [`Secret`]s.
    ///
    /// [`Secret`]: crate::Secret
    pub headers: Vec<EffectiveHeader>,
    /// The body as sent; `None` when there was none (a blank body is not sent).
    pub body: Option<String>,
    /// When it was sent, by this machine's clock.
    pub sent_at: Timestamp,
}

impl SentRequest {
    /// The value of a header as sent, if it was.
    pub fn header(&self, name: &str) -> Option<&HeaderText> {
        self.headers
            .iter()
            .find(|h| h.is_sent() && h.name.eq_ignore_ascii_case(name))
            .map(|h| &h.value)
    }
}

/// A response, whole.
#[derive(Clone, Debug)]
pub struct ApiResponse {
    /// The HTTP status. Any status is a response: a 403 or a 500 is not an `Err`.
    pub status: u16,
    /// The status's canonical reason phrase (`Forbidden`), empty for an unknown status.
    pub reason: String,
    /// The headers in the order received, names in lower case, values as text (bytes that
    /// are not UTF-8 replaced).
    pub headers: Vec<(String, String)>,
    /// The body exactly as received (at most [`HttpOptions::max_body`]): numbers keep their
    /// digits until something parses them.
    pub body: Bytes,
    /// From sending the request to the last byte of the body.
    pub elapsed: Duration,
    /// The request this answers, as it went out.
    pub sent: SentRequest,
}

impl ApiResponse {
    /// First header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A 2xx status. (The 2.1 empty-list 400 is not one: see [`Self::is_empty_list`].)
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body read as an error (only meaningful for 4xx/5xx).
    pub fn problem(&self) -> Problem {
        Problem::read(&self.body)
    }

    /// The api-version 2.1 "nothing found" 400, which is an empty result.
    pub fn is_empty_list(&self) -> bool {
        self.status == 400 && self.problem().is_empty_list(400)
    }

    /// Whether the body claims (or looks) to be JSON.
    pub fn is_json(&self) -> bool {
        let declared = self
            .header("content-type")
            .is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
        declared
            || self
                .body
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|b| *b == b'{' || *b == b'[')
    }

    /// `200 OK`.
    pub fn status_line(&self) -> String {
        format!("{} {}", self.status, self.reason)
    }
}

/// Why a request could not be completed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The request cannot be built as it stands; nothing was sent.
    #[error("{0}")]
    Invalid(String),
    /// The URL is somewhere the request (or its token) must not go; nothing was sent.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// No full answer: no connection, a timeout, a connection dropped half-way.
    #[error("{0}")]
    Transport(TransportError),
    /// The answer was larger than `--max-body`; none of it was kept.
    #[error(transparent)]
    TooLarge(TooLarge),
}

/// What went wrong on the way to or from the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportKind {
    /// No connection: the name did not resolve, the port refused, TLS failed.
    Connect,
    /// A limit of [`HttpOptions`] passed: connecting, or the whole exchange.
    Timeout,
    /// The connection closed before a full answer arrived.
    Dropped,
    /// Anything else the HTTP client reports.
    Other,
}

/// A network failure, described for a person.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct TransportError {
    /// The URL, without its query (it may hold data not meant for a log).
    pub url: String,
    /// What kind of failure, for code that treats them differently (retries).
    pub kind: TransportKind,
    /// The innermost cause as the HTTP client words it.
    pub reason: String,
    /// The limits in force, so a timeout can name the one it hit.
    pub limits: HttpOptions,
}

impl TransportError {
    pub(crate) fn from_reqwest(url: &str, error: &reqwest::Error, limits: HttpOptions) -> Self {
        let reason = innermost_cause(error);
        let lower = reason.to_ascii_lowercase();
        let kind = if error.is_timeout() {
            TransportKind::Timeout
        } else if lower.contains("closed")
            || lower.contains("reset")
            || lower.contains("incomplete")
            || lower.contains("broken pipe")
            || lower.contains("unexpected eof")
        {
            TransportKind::Dropped
        } else if error.is_connect() {
            TransportKind::Connect
        } else {
            TransportKind::Other
        };
        let url = without_query(url).to_string();
        TransportError {
            url,
            kind,
            reason,
            limits,
        }
    }

    fn describe(&self) -> String {
        match self.kind {
            TransportKind::Connect => format!(
                "could not connect to {}: {} (check the base URL, your network or proxy)",
                self.url, self.reason
            ),
            TransportKind::Timeout => format!(
                "no answer from {} within the {} limit ({}; connecting may take {}): the server is slow or unreachable; raise the limit with --timeout or timeout_seconds in the profile",
                self.url,
                seconds(self.limits.timeout),
                self.reason,
                seconds(self.limits.connect_timeout),
            ),
            TransportKind::Dropped => format!(
                "the connection to {} closed before a full answer arrived: {}",
                self.url, self.reason
            ),
            TransportKind::Other => format!("request to {} failed: {}", self.url, self.reason),
        }
    }
}

/// The URL without its query string: noise in a message, and it may hold data the user did
/// not mean to log.
pub(super) fn without_query(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

pub(super) fn innermost_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    let mut last = error.to_string();
    while let Some(source) = current.source() {
        last = source.to_string();
        current = source;
    }
    last
}
