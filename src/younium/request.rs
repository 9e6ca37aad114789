//! API calls: a request as the user describes it, the headers Younium needs added to it, the
//! HTTP client, and the response kept whole with its timing.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use jiff::Timestamp;
use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};

use super::limit::{self, ByteSize, TooLarge};
use super::origin::{self, Origin, Refused};
use super::problem::Problem;
use super::secret::Secret;
use super::token::Token;

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
    pub const ALL: [ApiVersion; 2] = [ApiVersion::V2_1, ApiVersion::V2_0];

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
    #[error("unknown api-version {0:?}: use 2.1 or 2.0")]
    ApiVersion(String),
    #[error("unknown method {0:?}: use GET, POST, PATCH, PUT or DELETE")]
    Method(String),
    #[error("{text:?} is not of the form NAME{separator}VALUE")]
    NoSeparator { text: String, separator: char },
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
    #[default]
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Get,
        Method::Post,
        Method::Patch,
        Method::Put,
        Method::Delete,
    ];

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
    pub name: String,
    pub value: String,
    pub enabled: bool,
}

impl Param {
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
    pub method: Method,
    /// `/Accounts/{id}`-style path; placeholders must be filled before sending.
    pub path: String,
    pub query: Vec<Param>,
    /// User headers. One named like an automatic header overrides it, or removes it when
    /// disabled.
    pub headers: Vec<Param>,
    pub body: Option<String>,
    /// Sent as `younium-idempotency-key` on POST. Kept with the request so sending the same
    /// request again does not create the record twice.
    pub idempotency_key: Option<String>,
}

impl ApiRequest {
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
/// `}` after it is literal text; empty text between pieces is left out.
pub fn template_pieces(template: &str) -> impl Iterator<Item = TemplatePiece<'_>> {
    let mut rest = template;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
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
    pub api_version: ApiVersion,
    /// GUID or name; `None` sends no `legal-entity` header.
    pub legal_entity: Option<String>,
}

/// Where a header in the effective list comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderOrigin {
    /// Added by the app.
    Automatic,
    /// An automatic header the user replaced.
    Overridden,
    /// An automatic header the user switched off: shown, not sent.
    Disabled,
    /// The user's own header.
    User,
}

/// A header value that may be secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderText {
    Plain(String),
    /// `Authorization: Bearer …` with the app's token.
    Bearer(Secret),
    /// A value the user typed into a header that usually carries a secret.
    Secret(Secret),
}

impl HeaderText {
    /// The value as it goes on the wire.
    pub fn wire(&self) -> String {
        match self {
            HeaderText::Plain(s) => s.clone(),
            HeaderText::Bearer(token) => format!("Bearer {}", token.expose()),
            HeaderText::Secret(s) => s.expose().to_string(),
        }
    }

    /// The value for the screen: secrets shortened unless `reveal`.
    pub fn display(&self, reveal: bool) -> String {
        match self {
            HeaderText::Plain(s) => s.clone(),
            _ if reveal => self.wire(),
            HeaderText::Bearer(token) => format!("Bearer {}", token.shortened()),
            HeaderText::Secret(s) => s.shortened(),
        }
    }
}

/// One header as it will be (or was) sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveHeader {
    pub name: String,
    pub value: HeaderText,
    pub origin: HeaderOrigin,
}

impl EffectiveHeader {
    pub fn is_sent(&self) -> bool {
        self.origin != HeaderOrigin::Disabled
    }
}

/// Header names that carry credentials when the user types them.
fn is_sensitive_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization"
        || n == "cookie"
        || n.contains("secret")
        || n.contains("token") && !n.contains("idempotency")
}

/// The headers a request carries: the automatic ones (after the user's overrides) followed
/// by the user's own. `token` is the managed token, if one is available.
pub fn effective_headers(
    req: &ApiRequest,
    settings: &CallSettings,
    token: Option<&Secret>,
) -> Vec<EffectiveHeader> {
    let mut automatic: Vec<(&str, Option<HeaderText>)> = vec![
        (
            "Authorization",
            token.map(|t| HeaderText::Bearer(t.clone())),
        ),
        ("Accept", Some(HeaderText::Plain("application/json".into()))),
        (
            "Content-Type",
            Some(HeaderText::Plain("application/json".into())),
        ),
        (
            "api-version",
            Some(HeaderText::Plain(settings.api_version.to_string())),
        ),
        (
            "legal-entity",
            settings.legal_entity.clone().map(HeaderText::Plain),
        ),
    ];
    if req.method == Method::Post {
        automatic.push((
            "younium-idempotency-key",
            req.idempotency_key.clone().map(HeaderText::Plain),
        ));
    }
    let mut out = Vec::new();
    for (name, value) in &automatic {
        match req.user_header(name) {
            Some(user) if user.enabled => out.push(EffectiveHeader {
                name: (*name).to_string(),
                value: user_value(user),
                origin: HeaderOrigin::Overridden,
            }),
            Some(_) => out.push(EffectiveHeader {
                name: (*name).to_string(),
                value: value.clone().unwrap_or(HeaderText::Plain(String::new())),
                origin: HeaderOrigin::Disabled,
            }),
            None => {
                if let Some(value) = value {
                    out.push(EffectiveHeader {
                        name: (*name).to_string(),
                        value: value.clone(),
                        origin: HeaderOrigin::Automatic,
                    });
                }
            }
        }
    }
    let is_automatic = |n: &str| {
        automatic
            .iter()
            .any(|(a, _)| a.eq_ignore_ascii_case(n.trim()))
    };
    out.extend(
        req.headers
            .iter()
            .filter(|h| h.enabled && !h.name.trim().is_empty() && !is_automatic(&h.name))
            .map(|h| EffectiveHeader {
                name: h.name.trim().to_string(),
                value: user_value(h),
                origin: HeaderOrigin::User,
            }),
    );
    out
}

fn user_value(p: &Param) -> HeaderText {
    if is_sensitive_header(&p.name) {
        HeaderText::Secret(Secret::new(p.value.clone()))
    } else {
        HeaderText::Plain(p.value.clone())
    }
}

/// Builds the full URL: the path under the base (a full URL only when it lies inside the
/// base's origin, see [`Origin::join`]), and the enabled query parameters.
pub fn build_url(base_url: &str, req: &ApiRequest) -> Result<reqwest::Url, RequestError> {
    let path = req.path.trim();
    let missing = placeholders(path);
    if !missing.is_empty() {
        return Err(RequestError::Invalid(format!(
            "fill the path parameter{} {} first",
            if missing.len() > 1 { "s" } else { "" },
            missing
                .iter()
                .map(|m| format!("{{{m}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let origin = Origin::parse(base_url).map_err(|e| RequestError::Invalid(e.to_string()))?;
    let mut url = origin.join(path)?;
    let enabled: Vec<&Param> = req
        .query
        .iter()
        .filter(|p| p.enabled && !p.name.trim().is_empty())
        .collect();
    if !enabled.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for p in enabled {
            pairs.append_pair(p.name.trim(), &p.value);
        }
    }
    Ok(url)
}

/// The managed token may go to `url`: only to the origin (and base path) that issued it.
pub fn check_token_destination(token: &Token, url: &reqwest::Url) -> Result<(), Refused> {
    let issuer = token.origin.environment.base_url();
    match Origin::parse(issuer) {
        Ok(origin) if origin.contains(url) => Ok(()),
        _ => Err(Refused::TokenElsewhere {
            target: origin::describe(url),
            issuer: issuer.to_string(),
        }),
    }
}

/// The request exactly as it went out, for the "request" tab and exports.
#[derive(Clone, Debug)]
pub struct SentRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<EffectiveHeader>,
    pub body: Option<String>,
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
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// From sending the request to the last byte of the body.
    pub elapsed: Duration,
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
    #[error("{0}")]
    Transport(TransportError),
    /// The answer was larger than `--max-body`; none of it was kept.
    #[error(transparent)]
    TooLarge(TooLarge),
}

/// What went wrong on the way to or from the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportKind {
    Connect,
    Timeout,
    /// The connection closed before a full answer arrived.
    Dropped,
    Other,
}

/// A network failure, described for a person.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct TransportError {
    pub url: String,
    pub kind: TransportKind,
    pub reason: String,
    /// The limits in force, so a timeout can name the one it hit.
    pub limits: HttpOptions,
}

impl TransportError {
    pub fn from_reqwest(url: &str, error: &reqwest::Error, limits: HttpOptions) -> Self {
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
fn without_query(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

fn innermost_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    let mut last = error.to_string();
    while let Some(source) = current.source() {
        last = source.to_string();
        current = source;
    }
    last
}

/// Timeouts and limits for the program's one HTTP client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpOptions {
    pub connect_timeout: Duration,
    /// For the whole exchange, body included.
    pub timeout: Duration,
    /// The largest API answer read (`--max-body`, `max_body` in the profile).
    pub max_body: ByteSize,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(120),
            max_body: limit::MAX_BODY,
        }
    }
}

/// Installs rustls' ring provider; must run before any client is built. Safe to call again.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The program's HTTP clients, with the limits they were built with: API calls go through
/// [`send`], the token exchange through [`Http::token_client`].
#[derive(Clone, Debug)]
pub struct Http {
    client: reqwest::Client,
    /// For the token exchange: follows no redirect at all, so the secret in the request body
    /// can only ever reach the token endpoint that was asked.
    token_client: reqwest::Client,
    options: HttpOptions,
}

/// The HTTP client could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("could not set up HTTP: {0}")]
pub struct HttpError(String);

/// At most this many redirects are followed, all within the first URL's origin.
const MAX_REDIRECTS: usize = 5;

impl Http {
    /// Builds the client: rustls, system roots, the timeouts, and redirects followed only
    /// within the origin they start from (a redirect elsewhere is answered as it stands, so
    /// no header, token or body ever follows it to another origin).
    pub fn new(options: HttpOptions) -> Result<Http, HttpError> {
        install_crypto_provider();
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            let first = attempt.previous().first();
            if attempt.previous().len() > MAX_REDIRECTS {
                attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
            } else if first.is_some_and(|first| origin::same_origin(first, attempt.url())) {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let build = |policy| {
            reqwest::Client::builder()
                .user_agent(concat!("younium-tui/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(options.connect_timeout)
                .timeout(options.timeout)
                .redirect(policy)
                .build()
                .map_err(|e| HttpError(innermost_cause(&e)))
        };
        Ok(Http {
            client: build(policy)?,
            token_client: build(reqwest::redirect::Policy::none())?,
            options,
        })
    }

    pub fn options(&self) -> HttpOptions {
        self.options
    }

    /// The client for the token exchange (no redirects followed).
    pub fn token_client(&self) -> &reqwest::Client {
        &self.token_client
    }
}

/// Sends a request with the standard headers and reads the whole answer. This is the one
/// path every call with a token takes: the URL must lie inside `base_url`, and the managed
/// `token` is attached only when the URL lies inside the origin that issued it.
pub async fn send(
    http: &Http,
    base_url: &str,
    req: &ApiRequest,
    settings: &CallSettings,
    token: Option<&Token>,
) -> Result<ApiResponse, RequestError> {
    let url = build_url(base_url, req)?;
    if let Some(token) = token {
        check_token_destination(token, &url)?;
    }
    let headers = effective_headers(req, settings, token.map(|t| &t.access));
    let mut builder = http.client.request(req.method.to_reqwest(), url.clone());
    for h in headers.iter().filter(|h| h.is_sent()) {
        let name = reqwest::header::HeaderName::from_bytes(h.name.as_bytes()).map_err(|_| {
            RequestError::Invalid(format!("{:?} is not a valid header name", h.name))
        })?;
        let mut value = reqwest::header::HeaderValue::from_str(&h.value.wire()).map_err(|_| {
            RequestError::Invalid(format!(
                "the value of header {} has characters HTTP does not allow",
                h.name
            ))
        })?;
        value.set_sensitive(!matches!(h.value, HeaderText::Plain(_)));
        builder = builder.header(name, value);
    }
    let body = req.body.clone().filter(|b| !b.trim().is_empty());
    if let Some(body) = &body {
        builder = builder.body(body.clone());
    }
    let sent = SentRequest {
        method: req.method,
        url: url.to_string(),
        headers,
        body,
        sent_at: Timestamp::now(),
    };
    tracing::debug!(method = %req.method, path = url.path(), "send");
    let started = Instant::now();
    let url_text = url.to_string();
    let transport = |e: &reqwest::Error| {
        RequestError::Transport(TransportError::from_reqwest(&url_text, e, http.options))
    };
    let response = builder.send().await.map_err(|e| transport(&e))?;
    let status = response.status();
    let response_headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = read_body(response, http.options.max_body)
        .await
        .map_err(|e| match e {
            BodyError::Transport(e) => transport(&e),
            BodyError::TooLarge(declared) => RequestError::TooLarge(TooLarge {
                what: format!("the answer from {}", without_query(&url_text)),
                limit: http.options.max_body,
                declared,
                hint: "raise it with --max-body (or max_body in the profile)".into(),
            }),
        })?;
    let elapsed = started.elapsed();
    tracing::debug!(
        status = status.as_u16(),
        bytes = body.len(),
        ms = elapsed.as_millis() as u64,
        "answer"
    );
    Ok(ApiResponse {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("").to_string(),
        headers: response_headers,
        body,
        elapsed,
        sent,
    })
}

/// Why a body could not be read whole.
#[derive(Debug)]
pub(crate) enum BodyError {
    Transport(reqwest::Error),
    /// More than the limit: `Content-Length` said so up front (the size), or the chunks
    /// passed it (none).
    TooLarge(Option<u64>),
}

/// Reads the whole body into one buffer sized from `Content-Length`, chunk by chunk, so a
/// 10 MB answer is held once rather than once in pieces and once joined. More than `max`
/// bytes (announced, or as they arrive) is refused and what was read is dropped: an endless
/// body costs at most the limit.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    max: ByteSize,
) -> Result<Bytes, BodyError> {
    // A lying Content-Length must not make us reserve gigabytes up front.
    const MAX_RESERVE: u64 = 256 * 1024 * 1024;
    let declared = response.content_length();
    if let Some(len) = declared.filter(|len| max.is_exceeded_by(*len)) {
        return Err(BodyError::TooLarge(Some(len)));
    }
    let expected = declared.unwrap_or(0).min(MAX_RESERVE).min(max.bytes()) as usize;
    let mut buf = Vec::with_capacity(expected);
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if max.is_exceeded_by((buf.len() + chunk.len()) as u64) {
            return Err(BodyError::TooLarge(None));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(buf))
}

/// A header's value as text.
pub fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The longest wait a `Retry-After` is taken at: a server asking for days is wrong or hostile,
/// and the user would see "retrying in 27777h".
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// `Retry-After` as a duration (seconds form; an HTTP date counts from now), at most
/// [`MAX_RETRY_AFTER`].
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = header_text(headers, "retry-after")?;
    parse_retry_after(&text)
}

/// Parses a `Retry-After` value: delay-seconds or an HTTP date; at most [`MAX_RETRY_AFTER`]
/// ([`retry_after_note`] says when the server asked for more).
pub fn parse_retry_after(text: &str) -> Option<Duration> {
    asked_retry_after(text).map(|asked| asked.min(MAX_RETRY_AFTER))
}

/// A sentence when the server asked to wait longer than [`MAX_RETRY_AFTER`], e.g. `the server
/// asked to wait 27777h 46m (Retry-After: 99999999); waiting at most 1h 0m`.
pub fn retry_after_note(text: &str) -> Option<String> {
    let asked = asked_retry_after(text).filter(|asked| *asked > MAX_RETRY_AFTER)?;
    let human = |d: Duration| {
        super::token::format_duration(
            jiff::SignedDuration::try_from(d).unwrap_or(jiff::SignedDuration::MAX),
        )
    };
    Some(format!(
        "the server asked to wait {} (Retry-After: {}); waiting at most {}",
        human(asked),
        text.trim().chars().take(40).collect::<String>(),
        human(MAX_RETRY_AFTER)
    ))
}

/// The wait the server asked for, however long. A number too large for any clock is the
/// longest wait there is.
fn asked_retry_after(text: &str) -> Option<Duration> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            text.parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let at = super::token::parse_http_date_lenient(text)?;
    let wait = at.duration_since(Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> CallSettings {
        CallSettings {
            api_version: ApiVersion::V2_1,
            legal_entity: Some("Acme AB".into()),
        }
    }

    #[test]
    fn automatic_headers() {
        let req = ApiRequest::new(Method::Post, "/Accounts");
        let token = Secret::new("eyJhbGciOiJIUzI1NiJ9.payload.signature");
        let hs = effective_headers(&req, &settings(), Some(&token));
        let names: Vec<_> = hs.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Authorization",
                "Accept",
                "Content-Type",
                "api-version",
                "legal-entity",
                "younium-idempotency-key"
            ]
        );
        assert_eq!(hs[0].value.display(false), "Bearer eyJhbGci…ure");
        assert!(hs[0].value.wire().ends_with("signature"));
        assert_eq!(hs[3].value.wire(), "2.1");
        let get = ApiRequest::new(Method::Get, "/Accounts");
        assert!(get.idempotency_key.is_none());
        assert_eq!(
            effective_headers(&get, &CallSettings::default(), None).len(),
            3
        );
    }

    #[test]
    fn overrides_and_disables() {
        let mut req = ApiRequest::new(Method::Get, "/Accounts");
        req.headers.push(Param::new("LEGAL-ENTITY", "Other"));
        req.headers.push(Param {
            name: "api-version".into(),
            value: String::new(),
            enabled: false,
        });
        req.headers.push(Param::new("X-Trace", "1"));
        let hs = effective_headers(&req, &settings(), None);
        let le = hs.iter().find(|h| h.name == "legal-entity").unwrap();
        assert_eq!(
            (le.origin, le.value.wire()),
            (HeaderOrigin::Overridden, "Other".into())
        );
        let v = hs.iter().find(|h| h.name == "api-version").unwrap();
        assert!(!v.is_sent());
        assert_eq!(hs.last().unwrap().origin, HeaderOrigin::User);
        assert_eq!(req.legal_entity_sent(&settings()), Some("Other"));
        assert!(req.uses_managed_token());
        req.headers
            .push(Param::new("authorization", "Bearer mine-0123456789abcdef"));
        assert!(!req.uses_managed_token());
        let auth = effective_headers(&req, &settings(), None)
            .into_iter()
            .find(|h| h.name == "Authorization")
            .unwrap();
        assert_eq!(auth.value.display(false), "Bearer m…def");
    }

    #[test]
    fn urls() {
        let mut req = ApiRequest::new(Method::Get, "/Accounts/{id}");
        let err = build_url("http://h", &req).unwrap_err();
        assert_eq!(err.to_string(), "fill the path parameter {id} first");
        req.path = "/Accounts".into();
        req.query = vec![
            Param::new("Filter", "name eq 'A B'"),
            Param {
                name: "PageSize".into(),
                value: "5".into(),
                enabled: false,
            },
        ];
        let url = build_url("http://h:1/", &req).unwrap();
        assert_eq!(url.as_str(), "http://h:1/Accounts?Filter=name+eq+%27A+B%27");
        for elsewhere in [
            "https://evil.example/Accounts",
            "http://h:10/Accounts",
            "http://h:1@evil.example/Accounts",
        ] {
            req.path = elsewhere.into();
            assert!(
                matches!(build_url("http://h:1", &req), Err(RequestError::Refused(_))),
                "{elsewhere}"
            );
        }
        req.path = "http://h:1/Accounts?PageNumber=2".into();
        req.query.clear();
        assert_eq!(
            build_url("http://h:1", &req).unwrap().as_str(),
            "http://h:1/Accounts?PageNumber=2"
        );
    }

    #[test]
    fn params_and_placeholders() {
        assert_eq!(Param::parse("a=b=c", '=').unwrap().value, "b=c");
        assert_eq!(Param::parse("X-A: 1", ':').unwrap().name, "X-A");
        assert!(Param::parse("novalue", '=').is_err());
        assert_eq!(placeholders("/A/{year}/B/{period}"), ["year", "period"]);
        assert!(placeholders("/A/{broken").is_empty());
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
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Mon, 01 Jan 2001 00:00:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(retry_after_note("7"), None);
    }

    #[test]
    fn an_absurd_retry_after_is_clamped_and_said() {
        for absurd in [
            "99999999",
            "99999999999999999999999",
            "Fri, 01 Jan 9999 00:00:00 GMT",
        ] {
            assert_eq!(parse_retry_after(absurd), Some(MAX_RETRY_AFTER), "{absurd}");
        }
        assert_eq!(
            retry_after_note("99999999").unwrap(),
            "the server asked to wait 27777h 46m (Retry-After: 99999999); waiting at most 1h 0m"
        );
        assert_eq!(parse_retry_after("3600"), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_after_note("3600"), None);
    }

    #[test]
    fn names_parse() {
        assert_eq!("patch".parse::<Method>().unwrap(), Method::Patch);
        assert_eq!("2.0".parse::<ApiVersion>().unwrap(), ApiVersion::V2_0);
        assert!("3".parse::<ApiVersion>().is_err());
    }
}
