//! Responses as the simulator builds them, and the error bodies Younium (ASP.NET Core) sends:
//! ProblemDetails with a `traceId`, validation errors keyed by field, bare 401/403/404.

use axum::{
    body::Body,
    http::{HeaderName, HeaderValue, StatusCode, header},
    response::Response,
};
use serde_json::{Map, Value, json};

const JSON: &str = "application/json; charset=utf-8";
const PROBLEM_JSON: &str = "application/problem+json; charset=utf-8";

/// A finished response, cheap to clone for idempotent replays.
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    pub status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<(&'static str, String)>,
}

impl Reply {
    /// No body at all (401, 403, unknown paths, DELETE).
    pub(crate) fn empty(status: StatusCode) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn json(status: StatusCode, value: &Value) -> Reply {
        Reply::json_text(status, value.to_string())
    }

    /// JSON that is already serialized (records are stored that way).
    pub(crate) fn json_text(status: StatusCode, text: String) -> Reply {
        Reply::with_body(status, JSON, text)
    }

    pub(crate) fn with_body(status: StatusCode, content_type: &'static str, text: String) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Some((content_type, text)),
        }
    }

    /// Adds a header; values that cannot be header values are left out.
    pub(crate) fn header(mut self, name: HeaderName, value: impl AsRef<str>) -> Reply {
        if let Ok(value) = HeaderValue::from_str(value.as_ref()) {
            self.headers.push((name, value));
        }
        self
    }

    /// The same answer with only the first `fraction` of its body (cut on a character
    /// boundary); the length sent is the length of what is left.
    pub(crate) fn cut_short(mut self, fraction: f64) -> Reply {
        if let Some((_, text)) = &mut self.body {
            let mut at = (text.len() as f64 * fraction.clamp(0.0, 1.0)) as usize;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.truncate(at);
        }
        self
    }

    pub(crate) fn into_response(self) -> Response {
        let mut response = match self.body {
            Some((content_type, text)) => {
                let mut response = Response::new(Body::from(text));
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
                response
            }
            None => Response::new(Body::empty()),
        };
        *response.status_mut() = self.status;
        for (name, value) in self.headers {
            response.headers_mut().append(name, value);
        }
        response
    }
}

/// A W3C `traceparent`-style id as ASP.NET puts in ProblemDetails: `00-<32 hex>-<16 hex>-01`.
pub(crate) fn trace_id(rng: &mut fastrand::Rng) -> String {
    format!("00-{:032x}-{:016x}-01", rng.u128(..), rng.u64(..))
}

/// Errors keyed by field or parameter, each with one or more messages.
pub(crate) type FieldErrors = Vec<(String, Vec<String>)>;

/// One error under one key.
pub(crate) fn field_error(key: impl Into<String>, message: impl Into<String>) -> FieldErrors {
    vec![(key.into(), vec![message.into()])]
}

/// 400 "One or more validation errors occurred." with `errors` keyed like ASP.NET model state.
pub(crate) fn validation_problem(errors: FieldErrors, trace_id: &str) -> Reply {
    let mut map = Map::new();
    for (key, messages) in errors {
        match map.get_mut(&key) {
            Some(Value::Array(existing)) => existing.extend(messages.into_iter().map(Value::from)),
            _ => {
                map.insert(key, json!(messages));
            }
        }
    }
    problem_reply(
        StatusCode::BAD_REQUEST,
        json!({
            "errors": map,
            "type": "https://tools.ietf.org/html/rfc7231#section-6.5.1",
            "title": "One or more validation errors occurred.",
            "status": 400,
            "traceId": trace_id,
        }),
    )
}

/// The 2.1 answer to a list with nothing in it, e.g. "No accounts could be found".
pub(crate) fn nothing_found(message: &str, trace_id: &str) -> Reply {
    validation_problem(field_error("message", message), trace_id)
}

pub(crate) fn not_found(trace_id: &str) -> Reply {
    problem_reply(
        StatusCode::NOT_FOUND,
        json!({
            "type": "https://tools.ietf.org/html/rfc7231#section-6.5.4",
            "title": "Not Found",
            "status": 404,
            "traceId": trace_id,
        }),
    )
}

/// 500, 502 or 503 as an injected fault.
pub(crate) fn server_error(status: StatusCode, trace_id: &str) -> Reply {
    let (kind, title) = match status.as_u16() {
        502 => ("section-6.6.3", "Bad Gateway"),
        503 => ("section-6.6.4", "Service Unavailable"),
        _ => (
            "section-6.6.1",
            "An error occurred while processing your request.",
        ),
    };
    problem_reply(
        status,
        json!({
            "type": format!("https://tools.ietf.org/html/rfc7231#{kind}"),
            "title": title,
            "status": status.as_u16(),
            "traceId": trace_id,
        }),
    )
}

pub(crate) fn unsupported_media_type(trace_id: &str) -> Reply {
    problem_reply(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        json!({
            "type": "https://tools.ietf.org/html/rfc7231#section-6.5.13",
            "title": "Unsupported Media Type",
            "status": 415,
            "traceId": trace_id,
        }),
    )
}

/// A ProblemDetails body with any extra members.
pub(crate) fn problem_reply(status: StatusCode, body: Value) -> Reply {
    Reply::with_body(status, PROBLEM_JSON, body.to_string())
}

/// Removes `null` members everywhere, as Younium omits fields without a value.
pub(crate) fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}
