//! Reading error bodies in every shape Younium uses, and explaining what a status means and
//! what the user can do about it.

use serde_json::Value;

use super::catalog::RequiredPermission;

/// How the error body was shaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemShape {
    /// ASP.NET ProblemDetails: `title`, `status`, `errors` (object or array), `traceId`.
    ProblemDetails,
    /// `{"errors": ["…"]}`, as the token endpoints answer.
    ErrorList,
    /// OAuth2 style `{"error", "error_description"}` from the legacy identity server.
    OAuth,
    /// JSON, but none of the above.
    OtherJson,
    /// Not JSON.
    Text,
    /// No body at all.
    Empty,
}

/// One message from an error body, with the field it is about when the server named one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemMessage {
    /// The field it is about (a key of ProblemDetails' `errors` object, `accountNumber`);
    /// `None` for a message about the whole request.
    pub field: Option<String>,
    /// The message as the server wrote it.
    pub text: String,
}

/// An error body, read.
///
/// ```
/// use younium::Problem;
/// let body = br#"{"title":"One or more validation errors occurred.","status":400,
///                 "errors":{"message":["No invoices could be found"]},"traceId":"00-ab-01"}"#;
/// let problem = Problem::read(body);
/// assert!(problem.is_empty_list(400));
/// assert_eq!(problem.trace_id.as_deref(), Some("00-ab-01"));
/// assert_eq!(
///     problem.summary().unwrap(),
///     "One or more validation errors occurred: No invoices could be found"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Which of Younium's error shapes the body had.
    pub shape: ProblemShape,
    /// ProblemDetails' `title`.
    pub title: Option<String>,
    /// ProblemDetails' `detail`.
    pub detail: Option<String>,
    /// Every message the body holds (`errors`, `error_description`, `message`), in order.
    pub messages: Vec<ProblemMessage>,
    /// `traceId`: what Younium support asks for.
    pub trace_id: Option<String>,
    /// For text bodies: the text, trimmed and cut to a readable length.
    pub text: Option<String>,
}

const TEXT_LIMIT: usize = 500;

impl Problem {
    /// Reads any body; never fails.
    pub fn read(body: &[u8]) -> Problem {
        let mut problem = Problem {
            shape: ProblemShape::Empty,
            title: None,
            detail: None,
            messages: Vec::new(),
            trace_id: None,
            text: None,
        };
        if body.iter().all(u8::is_ascii_whitespace) {
            return problem;
        }
        let Ok(json) = serde_json::from_slice::<Value>(body) else {
            problem.shape = ProblemShape::Text;
            let text = String::from_utf8_lossy(body);
            // A gateway's error page: its title says it all, its markup says nothing.
            problem.text = Some(match html_title(&text) {
                Some(title) => format!("an HTML page, \"{}\"", shorten(&title)),
                None => shorten(text.trim()),
            });
            return problem;
        };
        let Some(obj) = json.as_object() else {
            problem.shape = ProblemShape::OtherJson;
            problem.text = Some(shorten(&json.to_string()));
            return problem;
        };
        let text_of = |key: &str| obj.get(key).and_then(Value::as_str).map(str::to_string);
        problem.title = text_of("title");
        problem.detail = text_of("detail");
        problem.trace_id = text_of("traceId").or_else(|| text_of("trace_id"));
        match obj.get("errors").or_else(|| obj.get("error")) {
            Some(Value::Object(fields)) => {
                for (field, value) in fields {
                    for text in strings_in(value) {
                        problem.messages.push(ProblemMessage {
                            field: Some(field.clone()).filter(|f| f != "message" && !f.is_empty()),
                            text,
                        });
                    }
                }
            }
            Some(value @ (Value::Array(_) | Value::String(_))) => {
                problem.messages.extend(
                    strings_in(value)
                        .into_iter()
                        .map(|text| ProblemMessage { field: None, text }),
                );
            }
            _ => {}
        }
        let is_oauth = obj.contains_key("error_description")
            || (obj.get("error").is_some_and(Value::is_string) && problem.title.is_none());
        if let Some(desc) = text_of("error_description") {
            problem.messages.push(ProblemMessage {
                field: None,
                text: desc,
            });
        }
        for key in ["message", "Message"] {
            if let Some(msg) = text_of(key) {
                problem.messages.push(ProblemMessage {
                    field: None,
                    text: msg,
                });
            }
        }
        problem.shape = if problem.title.is_some() || obj.contains_key("status") {
            ProblemShape::ProblemDetails
        } else if is_oauth {
            ProblemShape::OAuth
        } else if obj.contains_key("errors") {
            ProblemShape::ErrorList
        } else if problem.messages.is_empty() {
            problem.text = Some(shorten(&json.to_string()));
            ProblemShape::OtherJson
        } else {
            ProblemShape::ErrorList
        };
        problem
    }

    /// The messages as lines, `field: text` where a field is named.
    pub fn message_lines(&self) -> Vec<String> {
        self.messages
            .iter()
            .map(|m| match &m.field {
                Some(field) => format!("{field}: {}", m.text),
                None => m.text.clone(),
            })
            .collect()
    }

    /// The messages on one line, `; `-separated (the empty-list message, for instance).
    pub fn messages_text(&self) -> String {
        self.message_lines().join("; ")
    }

    /// One line for status bars and stderr: the most specific thing the server said.
    pub fn summary(&self) -> Option<String> {
        let lines = self.message_lines();
        let mut parts: Vec<String> = Vec::new();
        if let Some(title) = &self.title {
            parts.push(title.trim_end_matches('.').to_string());
        }
        if !lines.is_empty() {
            parts.push(lines.join("; "));
        } else if let Some(detail) = &self.detail {
            parts.push(detail.clone());
        } else if let Some(text) = &self.text {
            parts.push(text.clone());
        }
        (!parts.is_empty()).then(|| parts.join(": "))
    }

    /// True for the api-version 2.1 "nothing found" answer: a 400 whose messages say
    /// `No … could be found`. It means an empty list, not a failure.
    pub fn is_empty_list(&self, status: u16) -> bool {
        status == 400
            && !self.messages.is_empty()
            && self.messages.iter().all(|m| is_not_found_message(&m.text))
    }
}

fn is_not_found_message(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    t.starts_with("no ") && t.trim_end_matches('.').ends_with("could be found")
}

fn strings_in(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(strings_in).collect(),
        Value::Null => Vec::new(),
        other => vec![other.to_string()],
    }
}

/// The `<title>` of a body that is an HTML page.
fn html_title(text: &str) -> Option<String> {
    let lower = text.trim_start().get(..15)?.to_ascii_lowercase();
    if !lower.starts_with("<!doctype html") && !lower.starts_with("<html") {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title>")? + "<title>".len();
    let end = start + lower[start..].find("</title>")?;
    let title = text
        .get(start..end)?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then_some(title)
}

fn shorten(text: &str) -> String {
    crate::text::shorten(text, TEXT_LIMIT)
}

/// What the app knows about the call that failed, to make the explanation specific.
#[derive(Clone, Debug, Default)]
pub struct CallContext<'a> {
    /// The method as sent (`GET`).
    pub method: &'a str,
    /// The path as sent.
    pub path: &'a str,
    /// The `legal-entity` header exactly as sent; `None` when none was sent.
    pub legal_entity: Option<&'a str>,
    /// The `api-version` header as sent (`2.1`).
    pub api_version: Option<&'a str>,
    /// The permission the catalogue says the endpoint needs.
    pub permission: Option<&'a RequiredPermission>,
    /// The `WWW-Authenticate` header of a 401.
    pub www_authenticate: Option<&'a str>,
    /// The `Retry-After` header of a 429 or 503.
    pub retry_after: Option<&'a str>,
    /// Whether an `Authorization` header was sent at all.
    pub sent_token: bool,
}

/// A status explained: what it means here and what to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// What the status means for this call, in one sentence.
    pub headline: String,
    /// What the call and the answer show (the header sent, the server's own words, …).
    pub details: Vec<String>,
    /// What to do next, most likely first.
    pub actions: Vec<String>,
}

/// The explanation of an error answer to `request` as it was sent (`None` for a success,
/// or a status with nothing to add): the context is built from the request and the headers
/// that went out, the same for the UI and the commands.
pub fn explain_answer(
    request: &crate::request::ApiRequest,
    response: &crate::request::ApiResponse,
) -> Option<Explanation> {
    if response.is_success() {
        return None;
    }
    let permission = crate::catalog::catalog().permission_for(request.method, &request.path);
    let sent = |name: &str| response.sent.header(name).map(|v| v.display(false));
    let (legal_entity, api_version) = (sent("legal-entity"), sent("api-version"));
    let ctx = CallContext {
        method: request.method.as_str(),
        path: &request.path,
        legal_entity: legal_entity.as_deref(),
        api_version: api_version.as_deref(),
        permission: permission.as_ref(),
        www_authenticate: response.header("www-authenticate"),
        retry_after: response.header("retry-after"),
        sent_token: response.sent.header("authorization").is_some(),
    };
    explain(response.status, &response.problem(), &ctx)
}

/// Explains a non-success status in `ctx` (see [`explain_answer`], which builds the context
/// from an answer). Returns `None` for 1xx–3xx.
pub fn explain(status: u16, problem: &Problem, ctx: &CallContext<'_>) -> Option<Explanation> {
    let server_said = problem.summary();
    let mut e = match status {
        400 if problem.is_empty_list(status) => Explanation {
            headline: "No records: api-version 2.1 answers an empty list (or a page past the end) with 400".into(),
            details: vec![],
            actions: vec![
                "This is an empty result, not a failure. Loosen the Filter, or go back a page.".into(),
            ],
        },
        400 if matches!(ctx.method, "POST" | "PUT" | "PATCH") => Explanation {
            headline: "Bad request: the server could not accept the body or the parameters".into(),
            details: vec![],
            actions: vec![
                "Check the fields the server names below against the endpoint's request schema; \
                 the same checks run on a body before it is sent (the Request pane lists them, \
                 `call` stops on them)."
                    .into(),
            ],
        },
        400 => Explanation {
            headline: "Bad request: the server could not accept the parameters or the body".into(),
            details: vec![],
            actions: vec![
                "Check the fields the server names below against the endpoint's schema.".into(),
                "Query parameter values must match their types (PageSize 1–100, dates as YYYY-MM-DD).".into(),
            ],
        },
        401 => explain_401(ctx),
        403 => explain_403(ctx),
        404 => Explanation {
            headline: format!("Not found: nothing answers at {} {}", ctx.method, ctx.path),
            details: vec![],
            actions: vec![
                "Check the id in the path: it must exist in the legal entity you sent.".into(),
                "A record from another legal entity also answers 404 here.".into(),
            ],
        },
        405 => Explanation {
            headline: format!("Method not allowed: {} is not accepted on this path", ctx.method),
            details: vec![],
            actions: vec!["Younium uses GET, POST, PATCH and DELETE; PUT does not exist.".into()],
        },
        409 | 412 | 422 => Explanation {
            headline: format!("{status}: the server refused the change as it stands"),
            details: vec![],
            actions: vec!["Read the server's message below; reload the record and try again.".into()],
        },
        429 => Explanation {
            headline: "Too many requests: the server is rate-limiting this client".into(),
            details: ctx
                .retry_after
                .map(|r| vec![format!("The server asks to wait: Retry-After {r}.")])
                .unwrap_or_default(),
            actions: vec!["Wait, then send again; fewer requests in parallel help.".into()],
        },
        500..=599 => Explanation {
            headline: format!("Server error {status}: the fault is on Younium's side"),
            details: ctx
                .retry_after
                .map(|r| vec![format!("Retry-After: {r}.")])
                .unwrap_or_default(),
            actions: vec![
                "Retry in a moment. If it persists, report it to Younium support with the traceId.".into(),
            ],
        },
        402 | 406..=408 | 410 | 411 | 413..=421 | 423..=428 | 430..=499 => Explanation {
            headline: format!("Client error {status}"),
            details: vec![],
            actions: vec!["Read the server's message below.".into()],
        },
        _ => return None,
    };
    if let Some(said) = server_said {
        e.details.insert(0, format!("The server said: {said}"));
    }
    if let Some(trace) = &problem.trace_id {
        e.details
            .push(format!("traceId {trace} (quote it to Younium support)"));
    }
    Some(e)
}

fn explain_401(ctx: &CallContext<'_>) -> Explanation {
    let mut details = Vec::new();
    if let Some(www) = ctx.www_authenticate {
        details.push(format!("WWW-Authenticate: {www}"));
    }
    let headline = if !ctx.sent_token {
        "Unauthorized: no Authorization header was sent".to_string()
    } else {
        let www = ctx.www_authenticate.unwrap_or("").to_ascii_lowercase();
        if www.contains("expired") {
            "Unauthorized: the token has expired".to_string()
        } else if www.contains("signature") || www.contains("issuer") || www.contains("audience") {
            "Unauthorized: the token was not issued for this environment".to_string()
        } else {
            "Unauthorized: the token was missing, expired or rejected".to_string()
        }
    };
    Explanation {
        headline,
        details,
        actions: vec![
            "Renew the token (it is exchanged again from the client ID and secret).".into(),
            "Check that the token comes from the environment you are calling: sandbox tokens do not work in production.".into(),
            "Run the 401 diagnosis for a precise answer.".into(),
        ],
    }
}

fn explain_403(ctx: &CallContext<'_>) -> Explanation {
    let sent = match ctx.legal_entity {
        Some(v) if v.trim().is_empty() => "an empty legal-entity header was sent".to_string(),
        Some(v) => format!("legal-entity: {v} was sent"),
        None => "no legal-entity header was sent".to_string(),
    };
    let mut details = vec![sent];
    match ctx.permission {
        Some(p) if p.inferred => details.push(format!(
            "This endpoint most likely needs the permission {} (the spec names it for this resource's other endpoints).",
            p.name
        )),
        Some(p) => details.push(format!("This endpoint needs the permission {}.", p.name)),
        None => {}
    }
    Explanation {
        headline: "Forbidden: authenticated, but not allowed here".into(),
        details,
        actions: vec![
            "If the tenant has several legal entities, send a legal-entity header with one of their names or GUIDs.".into(),
            match ctx.permission {
                Some(p) => format!("Check that your user's role in that legal entity grants {}.", p.name),
                None => "Check that your user's role in that legal entity grants access to this resource.".into(),
            },
            "Run the 403 diagnosis to find which legal entity works.".into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One context for the UI and `call`: the legal entity and api-version as they went out.
    #[test]
    fn an_answer_is_explained_from_the_request_as_sent() {
        use crate::request::{
            ApiRequest, ApiResponse, CallSettings, Method, SentRequest, effective_headers,
        };
        let request = ApiRequest::new(Method::Get, "/Invoices");
        let settings = CallSettings {
            legal_entity: Some("Acme AB".into()),
            ..Default::default()
        };
        let response = ApiResponse {
            status: 403,
            reason: "Forbidden".into(),
            headers: vec![],
            body: bytes::Bytes::new(),
            elapsed: std::time::Duration::ZERO,
            sent: SentRequest {
                method: Method::Get,
                url: "https://api.sandbox.younium.com/Invoices".into(),
                headers: effective_headers(&request, &settings, None),
                body: None,
                sent_at: jiff::Timestamp::UNIX_EPOCH,
            },
        };
        let e = explain_answer(&request, &response).unwrap();
        let text = format!("{} {:?}", e.headline, e.details);
        assert!(text.contains("Acme AB"), "{text}");
        let mut ok = response.clone();
        ok.status = 200;
        assert_eq!(explain_answer(&request, &ok), None);
    }

    const EMPTY_LIST: &str = r#"{"errors":{"message":["No accounts could be found"]},
        "type":"https://tools.ietf.org/html/rfc7231#section-6.5.1",
        "title":"One or more validation errors occurred.","status":400,
        "traceId":"00-3d2bb54c2d84258e9d15f951f7c337a8-2ad73a76575f4b69-01"}"#;

    #[test]
    fn problem_details_with_errors_object() {
        let p = Problem::read(EMPTY_LIST.as_bytes());
        assert_eq!(p.shape, ProblemShape::ProblemDetails);
        assert_eq!(p.message_lines(), ["No accounts could be found"]);
        assert!(p.trace_id.as_deref().unwrap().starts_with("00-3d2b"));
        assert!(p.is_empty_list(400));
        assert!(!p.is_empty_list(404));
        let e = explain(400, &p, &CallContext::default()).unwrap();
        assert!(e.headline.starts_with("No records"));
    }

    #[test]
    fn validation_errors_keep_field_names() {
        let body = br#"{"title":"One or more validation errors occurred.","status":400,
            "errors":{"name":["The Name field is required."],"PageSize":["too big"]}}"#;
        let p = Problem::read(body);
        assert_eq!(
            p.message_lines(),
            ["name: The Name field is required.", "PageSize: too big"]
        );
        assert!(!p.is_empty_list(400));
        assert_eq!(
            p.summary().unwrap(),
            "One or more validation errors occurred: name: The Name field is required.; PageSize: too big"
        );
    }

    #[test]
    fn a_400_to_a_write_points_at_the_body_and_to_a_read_at_the_query() {
        let p = Problem::read(
            br#"{"title":"One or more validation errors occurred.",
            "status":400,"errors":{"Currency":["The Currency field is required."]}}"#,
        );
        let write = CallContext {
            method: "POST",
            ..CallContext::default()
        };
        let e = explain(400, &p, &write).unwrap();
        assert!(
            e.actions.iter().any(|a| a.contains("request schema")),
            "{e:?}"
        );
        assert!(!e.actions.iter().any(|a| a.contains("PageSize")), "{e:?}");
        let read = CallContext {
            method: "GET",
            ..CallContext::default()
        };
        let e = explain(400, &p, &read).unwrap();
        assert!(e.actions.iter().any(|a| a.contains("PageSize")), "{e:?}");
    }

    #[test]
    fn problem_details_with_errors_array() {
        let p = Problem::read(br#"{"title":"Bad","status":400,"errors":["a","b"]}"#);
        assert_eq!(p.message_lines(), ["a", "b"]);
    }

    #[test]
    fn token_endpoint_error_list() {
        let p = Problem::read(br#"{"errors":["Invalid client credentials"]}"#);
        assert_eq!(p.shape, ProblemShape::ErrorList);
        assert_eq!(p.summary().unwrap(), "Invalid client credentials");
    }

    #[test]
    fn oauth_error() {
        let p = Problem::read(
            br#"{"error":"invalid_grant","error_description":"invalid_username_or_password"}"#,
        );
        assert_eq!(p.shape, ProblemShape::OAuth);
        assert_eq!(
            p.message_lines(),
            ["invalid_grant", "invalid_username_or_password"]
        );
    }

    #[test]
    fn text_empty_and_odd_bodies() {
        assert_eq!(Problem::read(b"").shape, ProblemShape::Empty);
        assert_eq!(Problem::read(b"  \n").summary(), None);
        let p = Problem::read(b"<html>Bad Gateway</html>");
        assert_eq!(p.shape, ProblemShape::Text);
        assert_eq!(p.summary().unwrap(), "<html>Bad Gateway</html>");
        assert_eq!(Problem::read(b"[1,2]").shape, ProblemShape::OtherJson);
        let long = "x".repeat(2000);
        assert!(Problem::read(long.as_bytes()).text.unwrap().chars().count() <= 501);
        let page = b"<!DOCTYPE html>\n<html><head><title>502 Bad\n  Gateway</title></head>\
                     <body><h1>502</h1></body></html>";
        assert_eq!(
            Problem::read(page).text.as_deref(),
            Some("an HTML page, \"502 Bad Gateway\"")
        );
        let short = b"<html>";
        assert_eq!(Problem::read(short).text.as_deref(), Some("<html>"));
    }

    #[test]
    fn forbidden_names_the_header_sent() {
        let invoice_view = RequiredPermission::named("Invoice View");
        let ctx = CallContext {
            method: "GET",
            path: "/Invoices",
            legal_entity: Some("Acme Ltd"),
            permission: Some(&invoice_view),
            ..Default::default()
        };
        let e = explain(403, &Problem::read(b""), &ctx).unwrap();
        assert!(e.details[0].contains("legal-entity: Acme Ltd"));
        assert!(e.details[1].contains("needs the permission Invoice View"));
        let inferred_view = RequiredPermission {
            inferred: true,
            ..invoice_view.clone()
        };
        let inferred = CallContext {
            permission: Some(&inferred_view),
            ..ctx
        };
        let e = explain(403, &Problem::read(b""), &inferred).unwrap();
        assert!(
            e.details[1].contains("most likely needs the permission Invoice View"),
            "{e:?}"
        );
        let none = CallContext::default();
        let e = explain(403, &Problem::read(b""), &none).unwrap();
        assert_eq!(e.details[0], "no legal-entity header was sent");
    }

    #[test]
    fn every_status_class_is_explained() {
        let p = Problem::read(b"");
        for status in [400, 401, 403, 404, 405, 409, 418, 429, 500, 502, 503] {
            assert!(
                explain(status, &p, &CallContext::default()).is_some(),
                "{status}"
            );
        }
        assert!(explain(200, &p, &CallContext::default()).is_none());
        let ctx = CallContext {
            sent_token: true,
            www_authenticate: Some(
                r#"Bearer error="invalid_token", error_description="The token expired at '01/01/2025'""#,
            ),
            ..Default::default()
        };
        assert!(explain(401, &p, &ctx).unwrap().headline.contains("expired"));
    }
}
