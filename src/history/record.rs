//! One exchange as stored ([`Record`]), built from a request and its answer with every secret
//! taken out and long bodies cut; and back again ([`Entry::request`], [`Entry::response`]).

use std::time::Duration;

use bytes::Bytes;
use jiff::Timestamp;

use super::redact;
use super::{Context, Limits};
use crate::younium::request::{EffectiveHeader, HeaderOrigin, HeaderText, SentRequest};
use crate::younium::{ApiRequest, ApiResponse, Method, Param};

/// A request header as stored (secrets already redacted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredHeader {
    pub name: String,
    pub value: String,
    /// Set by the user (a header row of the request), not added by the app: loading the entry
    /// into the builder restores these only.
    pub user: bool,
    /// Went out. A row the user switched off is kept too (sent `false`, value emptied for an
    /// automatic header), so loading the entry switches it off again.
    pub sent: bool,
}

/// One exchange, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub time: Timestamp,
    pub profile: Option<String>,
    /// `Environment::key()`: production, sandbox, us-production, us-sandbox or custom.
    pub environment: String,
    pub base_url: String,
    pub production: bool,
    pub legal_entity: Option<String>,
    pub api_version: String,
    pub method: Method,
    /// The path as sent, without the query.
    pub path: String,
    /// The query as sent, in order (enabled rows only).
    pub query: Vec<(String, String)>,
    pub request_headers: Vec<StoredHeader>,
    pub request_body: Option<String>,
    pub status: u16,
    pub reason: String,
    pub elapsed_ms: u64,
    /// The response body's whole size, before any cut.
    pub size: u64,
    pub response_headers: Vec<(String, String)>,
    /// The response body as stored (cut to the limit, then a marker).
    pub response_body: Bytes,
    /// The response body was cut.
    pub body_cut: bool,
}

impl Record {
    /// The record of `request` answered by `response`, secrets redacted, bodies cut to
    /// `limits.max_body`.
    ///
    /// Redacted: the `Authorization` value (`Bearer <redacted>`), any header the app treats
    /// as secret (`<redacted>`), JWT-looking strings in headers and both bodies
    /// (`<redacted JWT>`), and secret-named members of a JSON request body. The path, query
    /// and body are the request's; the headers are those that went out (`response.sent`).
    /// The redaction scans the whole body: for a large answer, call this off the UI thread
    /// (or hand the exchange over with `History::record_exchange`).
    pub fn from_exchange(
        context: &Context,
        request: &ApiRequest,
        response: &ApiResponse,
        limits: &Limits,
    ) -> Record {
        let size = response.body.len() as u64;
        Record::from_exchange_of_size(context, request, response, limits, size)
    }

    /// [`Record::from_exchange`] for an answer whose body is the first part of one `size`
    /// bytes long (the merged records of `call --all-pages`, kept only as far as the history
    /// keeps them): the entry says `size`, and the cut.
    pub fn from_exchange_of_size(
        context: &Context,
        request: &ApiRequest,
        response: &ApiResponse,
        limits: &Limits,
        size: u64,
    ) -> Record {
        let request_headers = response.sent.headers.iter().map(stored_header).collect();
        let request_body = request
            .body
            .as_deref()
            .or(response.sent.body.as_deref())
            .map(|b| cut_text(&redact::request_body(b), limits.max_body));
        let response_headers = response
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), redact::header_value(n, v)))
            .collect();
        let body = match redact::jwts(&response.body) {
            std::borrow::Cow::Borrowed(_) => response.body.clone(),
            std::borrow::Cow::Owned(v) => Bytes::from(v),
        };
        let (response_body, body_cut) = cut_body(body, size, limits.max_body);
        Record {
            time: response.sent.sent_at,
            profile: context.profile.clone(),
            environment: context.environment.key().to_string(),
            base_url: context.environment.base_url().to_string(),
            production: context.environment.is_production(),
            legal_entity: context
                .legal_entity
                .as_deref()
                .map(|le| redact::jwts_in_text(le).into_owned()),
            api_version: context.api_version.to_string(),
            method: request.method,
            path: request.path.trim().to_string(),
            query: stored_query(&request.query),
            request_headers,
            request_body,
            status: response.status,
            reason: response.reason.clone(),
            elapsed_ms: u64::try_from(response.elapsed.as_millis()).unwrap_or(u64::MAX),
            size,
            response_headers,
            response_body,
            body_cut,
        }
    }

    /// `a=1&b=2`: the query as the list shows it (empty when there is none).
    pub fn query_text(&self) -> String {
        query_text(&self.query)
    }

    /// The bytes this record takes in the file, roughly: its bodies and headers.
    pub fn stored_bytes(&self) -> u64 {
        let headers: usize = self
            .request_headers
            .iter()
            .map(|h| h.name.len() + h.value.len())
            .chain(self.response_headers.iter().map(|(n, v)| n.len() + v.len()))
            .sum();
        (self.response_body.len()
            + self.request_body.as_ref().map_or(0, String::len)
            + headers
            + self.path.len()) as u64
    }
}

/// The query rows as a record keeps them: the enabled ones, in order, JWTs redacted.
fn stored_query(query: &[Param]) -> Vec<(String, String)> {
    query
        .iter()
        .filter(|p| p.enabled && !p.name.trim().is_empty())
        .map(|p| {
            (
                p.name.trim().to_string(),
                redact::jwts_in_text(&p.value).into_owned(),
            )
        })
        .collect()
}

/// "The same call", what `=` compares an answer with an earlier answer to: the method, the
/// path and the query (another page of a list is another call), as the history stores them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SameCall {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
}

impl SameCall {
    /// The call `request` makes.
    pub fn of(request: &ApiRequest) -> SameCall {
        SameCall {
            method: request.method,
            path: request.path.trim().to_string(),
            query: stored_query(&request.query),
        }
    }

    /// The call a stored record made.
    pub fn of_record(record: &Record) -> SameCall {
        SameCall {
            method: record.method,
            path: record.path.clone(),
            query: record.query.clone(),
        }
    }
}

impl std::fmt::Display for SameCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if !self.query.is_empty() {
            write!(f, "?{}", query_text(&self.query))?;
        }
        Ok(())
    }
}

pub(super) fn query_text(query: &[(String, String)]) -> String {
    query
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn stored_header(h: &EffectiveHeader) -> StoredHeader {
    let value = match &h.value {
        HeaderText::Bearer(_) => redact::BEARER.to_string(),
        HeaderText::Secret(s) => redact::header_value(&h.name, s.expose()),
        HeaderText::Plain(s) => redact::header_value(&h.name, s),
    };
    // A secret the user typed under an innocent name is still a secret.
    let value = match &h.value {
        HeaderText::Secret(_) if !h.name.eq_ignore_ascii_case("authorization") => {
            redact::REDACTED.to_string()
        }
        _ => value,
    };
    match h.origin {
        // What an automatic header shows while off is the app's value, not the user's.
        HeaderOrigin::Disabled => StoredHeader {
            name: h.name.clone(),
            value: String::new(),
            user: true,
            sent: false,
        },
        origin => StoredHeader {
            name: h.name.clone(),
            value,
            user: origin != HeaderOrigin::Automatic,
            sent: h.is_sent(),
        },
    }
}

/// The marker after a cut body.
fn marker(kept: usize, size: u64) -> String {
    format!("\n[younium-tui history: body cut, {kept} of {size} bytes kept]\n")
}

/// Where to cut `bytes` at most `limit` long: moved back (at most 3 bytes) to the start of a
/// UTF-8 character.
fn cut_point(bytes: &[u8], limit: usize) -> usize {
    let mut at = limit.min(bytes.len());
    let floor = at.saturating_sub(3);
    while at > floor && at < bytes.len() && (bytes[at] & 0xC0) == 0x80 {
        at -= 1;
    }
    if at < bytes.len() && (bytes[at] & 0xC0) == 0x80 {
        limit.min(bytes.len())
    } else {
        at
    }
}

/// `body` cut to `max` bytes with a marker; `size` is the size of the body as received.
fn cut_body(body: Bytes, size: u64, max: u64) -> (Bytes, bool) {
    let max = usize::try_from(max).unwrap_or(usize::MAX);
    if body.len() <= max {
        return (body, false);
    }
    let at = cut_point(&body, max);
    let mut out = Vec::with_capacity(at + 80);
    out.extend_from_slice(&body[..at]);
    out.extend_from_slice(marker(at, size).as_bytes());
    (Bytes::from(out), true)
}

fn cut_text(text: &str, max: u64) -> String {
    let max = usize::try_from(max).unwrap_or(usize::MAX);
    if text.len() <= max {
        return text.to_string();
    }
    let mut at = max;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    format!("{}{}", &text[..at], marker(at, text.len() as u64))
}

/// An entry as the list shows it (no bodies).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub id: i64,
    pub time: Timestamp,
    pub profile: Option<String>,
    pub environment: String,
    pub base_url: String,
    pub production: bool,
    pub legal_entity: Option<String>,
    pub api_version: String,
    pub method: Method,
    pub path: String,
    /// `a=1&b=2`, empty when there is none.
    pub query: String,
    pub status: u16,
    pub elapsed_ms: u64,
    pub size: u64,
}

impl Summary {
    /// Whether every word of `filter` (case-insensitive) matches the method, the path (with the
    /// query), the status, the legal entity, the profile or the environment (`production`).
    /// An empty filter matches all.
    pub fn matches(&self, filter: &str) -> bool {
        let status = self.status.to_string();
        filter.split_whitespace().all(|word| {
            let fields = [
                Some(self.method.as_str()),
                Some(self.path.as_str()),
                Some(self.query.as_str()),
                Some(status.as_str()),
                self.legal_entity.as_deref(),
                self.profile.as_deref(),
                Some(self.environment.as_str()),
            ];
            fields
                .into_iter()
                .flatten()
                .any(|field| contains_ignore_case(field, word))
                || (word.contains('?') && contains_ignore_case(&self.path_and_query(), word))
        })
    }

    /// `/Accounts?PageSize=5`.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

/// `needle` in `haystack`, ASCII letters compared without case (other characters as they are).
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return true;
    }
    if n.len() > h.len() {
        return false;
    }
    if !needle.is_ascii() {
        return haystack.to_lowercase().contains(&needle.to_lowercase());
    }
    h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// A whole entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub record: Record,
}

impl Entry {
    /// The request to load into the builder: method, path, query, the user's headers, body.
    /// A redacted header (the user's own `Authorization`, a secret) is left out: its value is
    /// gone. A POST gets a fresh idempotency key.
    pub fn request(&self) -> ApiRequest {
        let r = &self.record;
        let mut request = ApiRequest::new(r.method, r.path.clone());
        request.query = r.query.iter().map(|(n, v)| Param::new(n, v)).collect();
        request.headers = r
            .request_headers
            .iter()
            .filter(|h| h.user && (!h.sent || !is_redacted(h)))
            .map(|h| Param {
                name: h.name.clone(),
                value: if h.sent || !is_redacted(h) {
                    h.value.clone()
                } else {
                    String::new()
                },
                enabled: h.sent,
            })
            .collect();
        request.body = r.request_body.clone();
        request
    }

    /// The stored answer, for the viewer (its `sent` rebuilt from the record; the redacted
    /// values stay redacted).
    pub fn response(&self) -> ApiResponse {
        let r = &self.record;
        let mut url = format!("{}{}", r.base_url, r.path);
        if !r.query.is_empty() {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for (n, v) in &r.query {
                query.append_pair(n, v);
            }
            url.push('?');
            url.push_str(&query.finish());
        }
        ApiResponse {
            status: r.status,
            reason: r.reason.clone(),
            headers: r.response_headers.clone(),
            body: r.response_body.clone(),
            elapsed: Duration::from_millis(r.elapsed_ms),
            sent: SentRequest {
                method: r.method,
                url,
                headers: r
                    .request_headers
                    .iter()
                    .map(|h| EffectiveHeader {
                        name: h.name.clone(),
                        value: HeaderText::Plain(h.value.clone()),
                        origin: match (h.user, h.sent) {
                            (_, false) => HeaderOrigin::UserDisabled,
                            (true, true) => HeaderOrigin::User,
                            (false, true) => HeaderOrigin::Automatic,
                        },
                    })
                    .collect(),
                body: r.request_body.clone(),
                sent_at: r.time,
            },
        }
    }
}

fn is_redacted(h: &StoredHeader) -> bool {
    h.name.eq_ignore_ascii_case("authorization")
        || h.value == redact::REDACTED
        || h.value == redact::BEARER
}
