//! The HTTP clients and the one sending path every call with a token takes.

use std::time::{Duration, Instant};

use bytes::Bytes;
use jiff::Timestamp;

use super::response::{innermost_cause, without_query};
use super::{
    ApiRequest, ApiResponse, CallSettings, HeaderText, RequestError, SentRequest, TransportError,
    build_url, check_token_destination, effective_headers,
};
use crate::limit::{self, ByteSize, TooLarge};
use crate::origin;
use crate::token::Token;

/// Timeouts and limits for the program's one HTTP client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpOptions {
    /// For connecting (DNS, TCP, TLS); default 10 s.
    pub connect_timeout: Duration,
    /// For the whole exchange, body included; default 120 s.
    pub timeout: Duration,
    /// The largest API answer read (`--max-body`, `max_body` in the profile); default
    /// [`limit::MAX_BODY`], 512 MB. A larger one is an error, not a cut body.
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
/// [`send`]; the token exchange uses a second client that follows no redirect at all.
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

    /// The limits the clients were built with.
    pub fn options(&self) -> HttpOptions {
        self.options
    }

    /// The client for the token exchange (no redirects followed).
    pub(crate) fn token_client(&self) -> &reqwest::Client {
        &self.token_client
    }
}

/// Sends a request with the standard headers and reads the whole answer. This is the one
/// path every call with a token takes: the URL must lie inside `base_url`, and the managed
/// `token` is attached only when the URL lies inside the origin that issued it.
///
/// Any status is an `Ok` response; `Err` means nothing came back whole: the request could
/// not be built or may not go there (nothing sent), the network failed, or the answer was
/// larger than [`HttpOptions::max_body`]. A 401 is not renewed here: [`ApiClient::call`]
/// does that.
///
/// [`ApiClient::call`]: crate::session::ApiClient::call
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
