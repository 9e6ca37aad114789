//! Reading the token endpoint's answer: either spelling of each field, expiry from every
//! source, and errors that never quote a token-shaped value.

use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::*;

/// Facts about the exchange that are not in the body.
#[derive(Clone, Debug)]
pub struct ExchangeContext {
    /// Who issued the answer: the token it becomes is held to this environment.
    pub origin: TokenOrigin,
    /// Local time the exchange request was sent: `expiresIn` counts from here.
    pub requested_at: Timestamp,
    /// Local time the answer arrived (with `requested_at`, places the `Date` header).
    pub received_at: Timestamp,
    /// The answer's `Date` header, if any.
    pub date_header: Option<String>,
}

/// Why a token answer is not a token. The messages never quote a token-shaped value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// The body does not parse (a proxy's HTML page, a cut answer).
    #[error("the token answer is not JSON ({error}); it starts with {starts:?}")]
    NotJson {
        /// The parser's message.
        error: String,
        /// The first characters of the body, anything token-shaped masked.
        starts: String,
    },
    /// JSON, but an array, a string, … (its shape, not its content).
    #[error("the token answer is JSON but not an object: {0}")]
    NotAnObject(String),
    /// A field that must be a string is something else.
    #[error("{field} is not a string but {shape}")]
    NotAString {
        /// The field as the answer spells it (`accessToken`, `access_token`, …).
        field: &'static str,
        /// What it is instead (`a number`, `an object`).
        shape: String,
    },
    /// Neither `accessToken` nor `access_token`, or it is blank.
    #[error("the token answer has no accessToken/access_token")]
    NoAccessToken,
    /// Every expiry the answer gives lies before the request was sent (the latest, in UTC).
    #[error(
        "the token answer says the token expired at {0} already, before it arrived: check the server's clock"
    )]
    ExpiredBeforeArrival(String),
    /// `expiresIn` is unusable (what is wrong with it) and no other source gives an expiry.
    #[error("the token answer's {0}, and nothing else in it says when the token expires")]
    BadExpiry(String),
    /// No `expiresIn`, no `expires`, and no JWT `exp`.
    #[error("the token answer says nothing about expiry (no expiresIn, expires or JWT exp)")]
    NoExpiry,
}

/// Reads a successful token answer (`/auth/token`, `/auth/v2/token` or the legacy grant).
///
/// Either spelling of each field is accepted (`accessToken` or `access_token`); when both
/// are there the one the endpoint documents wins and a difference is noted. An `expiresIn`
/// that is a numeric string counts; one out of range or not a number is noted and ignored.
/// Errors never quote a token-shaped value from the answer.
pub fn parse_token_answer(body: &[u8], ctx: ExchangeContext) -> Result<Token, AnswerError> {
    let json: Value = serde_json::from_slice(body).map_err(|e| AnswerError::NotJson {
        error: e.to_string(),
        starts: preview(body),
    })?;
    let Value::Object(answer) = json else {
        return Err(AnswerError::NotAnObject(json_shape(&json)));
    };
    let mut notes = Vec::new();
    let snake_first = ctx.origin.method != AuthMethod::ApiTokenV1;
    let field = |camel: &'static str, snake: &'static str| {
        let (first, second) = if snake_first {
            (snake, camel)
        } else {
            (camel, snake)
        };
        match (answer.get(first), answer.get(second)) {
            (Some(a), Some(b)) => Some((first, a, (a != b).then_some(second))),
            (Some(a), None) => Some((first, a, None)),
            (None, Some(b)) => Some((second, b, None)),
            (None, None) => None,
        }
    };
    let mut text_field =
        |camel: &'static str, snake: &'static str| -> Result<Option<String>, AnswerError> {
            let Some((name, value, differs)) = field(camel, snake) else {
                return Ok(None);
            };
            if let Some(other) = differs {
                notes.push(format!(
                    "the answer has both {name} and {other}, and they differ: {name} is used"
                ));
            }
            match value {
                Value::Null => Ok(None),
                Value::String(s) => Ok(Some(s.clone())),
                other => Err(AnswerError::NotAString {
                    field: name,
                    shape: json_shape(other),
                }),
            }
        };
    let access = text_field("accessToken", "access_token")?
        .filter(|t| !t.trim().is_empty())
        .ok_or(AnswerError::NoAccessToken)?;
    let token_type = text_field("tokenType", "token_type")?;
    let had_refresh_token = text_field("refreshToken", "refresh_token")?.is_some();
    let mut expires_in_problem = None;
    let expires_in = match field("expiresIn", "expires_in") {
        None => None,
        Some((name, value, differs)) => {
            if let Some(other) = differs {
                notes.push(format!(
                    "the answer has both {name} and {other}, and they differ: {name} is used"
                ));
            }
            match expires_in_seconds(value) {
                Ok(secs) => secs,
                Err(problem) => {
                    expires_in_problem = Some(format!("{name} {problem}"));
                    None
                }
            }
        }
    };
    let expires_text = match answer.get("expires") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    let expires = expires_text.as_deref().and_then(parse_http_date_lenient);
    let jwt = Jwt::decode(&access);
    let jwt_exp = jwt.as_ref().ok().and_then(|j| j.time_claim("exp"));
    let evidence = ExpiryEvidence {
        expires_in,
        expires_in_problem,
        expires_text,
        expires,
        jwt_exp,
    };
    let server_skew = ctx
        .date_header
        .as_deref()
        .and_then(parse_http_date_lenient)
        .map(|server_now| {
            let midpoint = ctx
                .requested_at
                .checked_add(ctx.received_at.duration_since(ctx.requested_at) / 2)
                .unwrap_or(ctx.received_at);
            server_now.duration_since(midpoint)
        })
        // The Date header has one-second resolution: smaller differences are noise.
        .filter(|skew| skew.abs() >= SignedDuration::from_secs(2));
    let claims = evidence.claims(ctx.requested_at, server_skew);
    // A source that puts the expiry before the token was even issued is wrong (Younium's own
    // documented example carries a stale `expires`); believe the earliest of the others.
    let expires_at = claims
        .iter()
        .map(|c| c.at)
        .filter(|at| *at > ctx.requested_at)
        .min()
        .ok_or_else(|| {
            match (
                claims.iter().map(|c| c.at).max(),
                &evidence.expires_in_problem,
            ) {
                (Some(at), _) => AnswerError::ExpiredBeforeArrival(format_utc(at)),
                (None, Some(problem)) => AnswerError::BadExpiry(problem.clone()),
                (None, None) => AnswerError::NoExpiry,
            }
        })?;
    Ok(Token {
        access: Secret::new(access),
        origin: ctx.origin,
        requested_at: ctx.requested_at,
        received_at: ctx.received_at,
        expires_at,
        expiry: evidence,
        server_skew,
        jwt,
        token_type,
        had_refresh_token,
        notes,
    })
}

/// The longest `expiresIn` believed: a century. Anything longer is out of range (and would
/// not fit the clock).
const MAX_EXPIRES_IN: i64 = 100 * 366 * 24 * 3600;

/// What is wrong with an `expiresIn`, its value shown: `is 1e300, out of range`.
#[derive(Debug, thiserror::Error)]
enum ExpiresInProblem {
    #[error("is {0}, not a number of seconds")]
    NotSeconds(String),
    #[error("is {0}, out of range")]
    OutOfRange(String),
}

/// `expiresIn` in seconds: a number or a numeric string. `Ok(None)` for null.
fn expires_in_seconds(value: &Value) -> Result<Option<i64>, ExpiresInProblem> {
    let number = match value {
        Value::Null => return Ok(None),
        Value::Number(n) => n.as_i64().map(|i| i as f64).or_else(|| n.as_f64()),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let shown = || match value {
        Value::String(s) => format!("{:?}", s.chars().take(40).collect::<String>()),
        Value::Number(n) => n.to_string(),
        other => json_shape(other),
    };
    let Some(number) = number else {
        return Err(ExpiresInProblem::NotSeconds(shown()));
    };
    if !number.is_finite() || number.abs() > MAX_EXPIRES_IN as f64 {
        return Err(ExpiresInProblem::OutOfRange(shown()));
    }
    Ok(Some(number.round() as i64))
}

/// What a JSON value is, without its content: `an array`, `{"accessToken": string, …}`.
fn json_shape(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(_) => "a number".into(),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(fields) => {
            let mut names: Vec<String> = fields
                .keys()
                .take(8)
                .map(|k| format!("{:?}", k.chars().take(32).collect::<String>()))
                .collect();
            if fields.len() > 8 {
                names.push("…".into());
            }
            let names = if names.is_empty() {
                "no fields".to_string()
            } else {
                redact_token_like(&names.join(", "))
            };
            format!("an object with {names}")
        }
    }
}

/// The start of an answer that is not JSON, for an error message, with anything that looks
/// like a token (a JWT, a long base64 or hex run) replaced by `***`.
fn preview(body: &[u8]) -> String {
    let start = String::from_utf8_lossy(&body[..body.len().min(60)]).into_owned();
    redact_token_like(&start)
}

/// Runs of base64/hex characters at least this long are taken for tokens.
const TOKEN_RUN: usize = 20;

/// Replaces what looks like a token with `***`: a run of base64, base64url or hex characters
/// that holds `eyJ` (a JWT) or a stretch 20 characters long or longer between dots or slashes
/// (the whole run goes: a JWT's three parts, a path ending in a long id).
///
/// ```
/// use younium::token::redact_token_like;
/// assert_eq!(redact_token_like("token eyJhbGciOi.eyJzdWIi.c2ln here"), "token *** here");
/// assert_eq!(redact_token_like("<html>Bad gateway</html>"), "<html>Bad gateway</html>");
/// ```
pub fn redact_token_like(text: &str) -> String {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "+/_-.".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.find(is_token_char).unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c: char| !is_token_char(c)).unwrap_or(rest.len());
        let run = &rest[..end];
        let looks_like_token =
            run.contains("eyJ") || run.split(['.', '/']).any(|piece| piece.len() >= TOKEN_RUN);
        out.push_str(if looks_like_token { "***" } else { run });
        rest = &rest[end..];
    }
    out
}

/// Parses an RFC 1123 / RFC 2822 date, ignoring the weekday.
///
/// Younium's own documented example (`Thu, 21 Sep 2025 11:12:01 GMT`) names the wrong day of
/// the week, which strict parsers reject, so the weekday is dropped before parsing.
pub fn parse_http_date_lenient(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    let without_weekday = match text.split_once(',') {
        Some((day, rest)) if day.trim().chars().all(|c| c.is_ascii_alphabetic()) => rest.trim(),
        _ => text,
    };
    let parser = jiff::fmt::rfc2822::DateTimeParser::new();
    parser
        .parse_timestamp(without_weekday)
        .or_else(|_| parser.parse_timestamp(text))
        .ok()
}
#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> TokenOrigin {
        TokenOrigin {
            environment: Environment::Sandbox,
            method: AuthMethod::ApiTokenV1,
            token_url: "https://api.sandbox.younium.com/auth/token".into(),
        }
    }

    fn jwt_with(claims: Value) -> String {
        let enc = |v: &Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
        };
        format!(
            "{}.{}.c2ln",
            enc(&serde_json::json!({"alg":"RS256","typ":"JWT"})),
            enc(&claims)
        )
    }

    fn ctx(at: i64, date: Option<&str>) -> ExchangeContext {
        ExchangeContext {
            origin: origin(),
            requested_at: Timestamp::from_second(at).unwrap(),
            received_at: Timestamp::from_second(at).unwrap(),
            date_header: date.map(str::to_string),
        }
    }

    #[test]
    fn documented_weekday_mistake_is_tolerated() {
        // 21 Sep 2025 was a Sunday; the docs say Thursday.
        let t = parse_http_date_lenient("Thu, 21 Sep 2025 11:12:01 GMT").unwrap();
        assert_eq!(t.to_string(), "2025-09-21T11:12:01Z");
        let t = parse_http_date_lenient("Thu, 21 Mar 2024 11:12:01 GMT").unwrap();
        assert_eq!(t.as_second(), 1711019521);
        assert!(parse_http_date_lenient("yesterday").is_none());
    }

    #[test]
    fn camel_case_answer() {
        let issued = 1_711_000_000;
        let jwt = jwt_with(serde_json::json!({"exp": issued + 86400, "iat": issued}));
        // `expires` (1711019521) is 19521 s after issue, far before expiresIn and exp: believed.
        let body = serde_json::json!({
            "expires": "Thu, 21 Mar 2024 11:12:01 GMT", "expiresIn": 86400,
            "accessToken": jwt, "refreshToken": "4baf"
        });
        let token = parse_token_answer(body.to_string().as_bytes(), ctx(issued, None)).unwrap();
        assert_eq!(token.expires_at.as_second(), 1711019521);
        assert!(token.had_refresh_token);
        let notes = token.expiry.disagreements(token.requested_at, None);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0].contains("expiresIn is"), "{notes:?}");
        assert_eq!(
            token.jwt.unwrap().time_claim("iat").unwrap().as_second(),
            issued
        );
    }

    #[test]
    fn the_documented_example_received_today_is_not_taken_as_expired() {
        // Younium's docs show `expires` in 2024; received later, it cannot be right.
        let now = 1_795_780_800;
        let body = br#"{"expires":"Thu, 21 Sep 2025 11:12:01 GMT","expiresIn":86400,"accessToken":"abc.def"}"#;
        let token = parse_token_answer(body, ctx(now, None)).unwrap();
        assert_eq!(token.expires_at.as_second(), now + 86400);
        let notes = token.expiry.disagreements(token.requested_at, None);
        assert!(
            notes[0].starts_with("expires is") && notes[0].contains("before the token was issued"),
            "{notes:?}"
        );
        let stale = br#"{"expires":"Thu, 21 Sep 2025 11:12:01 GMT","accessToken":"abc.def"}"#;
        let e = parse_token_answer(stale, ctx(now, None)).unwrap_err();
        assert!(
            e.to_string()
                .contains("expired at 2025-09-21 11:12:01 UTC already"),
            "{e}"
        );
    }

    #[test]
    fn snake_case_answer_and_string_expiry() {
        let body = br#"{"access_token":"abc.def","expires_in":"3600","token_type":"Bearer"}"#;
        let token = parse_token_answer(body, ctx(1000, None)).unwrap();
        assert_eq!(token.expires_at.as_second(), 4600);
        assert_eq!(token.token_type.as_deref(), Some("Bearer"));
        assert!(token.jwt.is_err());
        assert!(
            token
                .expiry
                .disagreements(token.requested_at, None)
                .is_empty()
        );
    }

    #[test]
    fn server_clock_skew_moves_server_times_onto_the_local_clock() {
        let local = 1_700_000_000;
        let server_now = Timestamp::from_second(local + 120).unwrap();
        let date = jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&server_now)
            .unwrap();
        let jwt = jwt_with(serde_json::json!({"exp": local + 120 + 600}));
        let body = serde_json::json!({"accessToken": jwt, "expiresIn": 3600});
        let token =
            parse_token_answer(body.to_string().as_bytes(), ctx(local, Some(&date))).unwrap();
        assert_eq!(token.server_skew, Some(SignedDuration::from_secs(120)));
        // The JWT's exp is 600 s after the server's now, which is 600 s after our now.
        assert_eq!(token.expires_at.as_second(), local + 600);
    }

    #[test]
    fn garbage_answers_are_errors_not_panics() {
        assert!(parse_token_answer(b"<html>oops</html>", ctx(0, None)).is_err());
        assert!(parse_token_answer(b"{\"accessToken\":\"\"}", ctx(0, None)).is_err());
        let e = parse_token_answer(b"{\"accessToken\":\"x\"}", ctx(0, None)).unwrap_err();
        assert_eq!(e, AnswerError::NoExpiry);
        assert!(
            parse_token_answer(b"{\"accessToken\":\"x\",\"expiresIn\":[1]}", ctx(0, None)).is_err()
        );
    }

    #[test]
    fn expires_in_as_a_string_or_out_of_range_is_said_as_such() {
        let token = parse_token_answer(br#"{"accessToken":"x","expiresIn":"86400"}"#, ctx(0, None))
            .unwrap();
        assert_eq!(token.expires_at.as_second(), 86400);
        assert_eq!(token.expiry.expires_in, Some(86400));
        for (value, said) in [
            ("1e300", "expiresIn is 1e+300, out of range"),
            ("\"1e300\"", "expiresIn is \"1e300\", out of range"),
            ("99999999999999999999", "expiresIn is 1e+20, out of range"),
            (
                "\"a day\"",
                "expiresIn is \"a day\", not a number of seconds",
            ),
            ("[1]", "expiresIn is an array, not a number of seconds"),
        ] {
            let body = format!(r#"{{"accessToken":"x","expiresIn":{value}}}"#);
            let e = parse_token_answer(body.as_bytes(), ctx(0, None)).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "the token answer's {said}, and nothing else in it says when the token expires"
                ),
                "{value}"
            );
        }
        // With another source the token is usable, and the bad field is noted.
        let jwt = jwt_with(serde_json::json!({"exp": 7200}));
        let body = serde_json::json!({"access_token": jwt, "expires_in": 1e300});
        let mut v2 = ctx(0, None);
        v2.origin.method = AuthMethod::ApiTokenV2;
        let token = parse_token_answer(body.to_string().as_bytes(), v2).unwrap();
        assert_eq!(token.expires_at.as_second(), 7200);
        assert_eq!(
            token.expiry.disagreements(token.requested_at, None),
            ["expires_in is 1e+300, out of range, so it is ignored"]
        );
    }

    #[test]
    fn both_spellings_are_accepted_and_a_difference_noted() {
        let same = br#"{"accessToken":"tok","access_token":"tok","expiresIn":60,"expires_in":60}"#;
        let token = parse_token_answer(same, ctx(0, None)).unwrap();
        assert_eq!(token.access.expose(), "tok");
        assert!(token.notes.is_empty(), "{:?}", token.notes);
        let differ = br#"{"accessToken":"camel","access_token":"snake","expiresIn":60}"#;
        // v1 documents camelCase, v2 and the legacy grant snake_case.
        let token = parse_token_answer(differ, ctx(0, None)).unwrap();
        assert_eq!(token.access.expose(), "camel");
        assert_eq!(
            token.notes,
            [
                "the answer has both accessToken and access_token, and they differ: accessToken is used"
            ]
        );
        let mut legacy = ctx(0, None);
        legacy.origin.method = AuthMethod::Legacy;
        let token = parse_token_answer(differ, legacy).unwrap();
        assert_eq!(token.access.expose(), "snake");
        assert!(!token.notes[0].contains("camel") && !token.notes[0].contains("snake\""));
    }

    #[test]
    fn a_malformed_answer_is_never_quoted_with_a_token_in_it() {
        let jwt = jwt_with(serde_json::json!({"exp": 7200}));
        let form = format!("access_token={jwt}&expires_in=3600");
        let e = parse_token_answer(form.as_bytes(), ctx(0, None))
            .unwrap_err()
            .to_string();
        assert!(e.contains("it starts with \"access_token=***\""), "{e}");
        let hex = "token: 0123456789abcdef0123456789abcdef";
        let e = parse_token_answer(hex.as_bytes(), ctx(0, None))
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("it starts with \"token: ***\""), "{e}");
        // JSON of the wrong shape is described, not quoted.
        let e = parse_token_answer(br#"{"accessToken":12345678}"#, ctx(0, None)).unwrap_err();
        assert_eq!(e.to_string(), "accessToken is not a string but a number");
        let e = parse_token_answer(br#"["short-token"]"#, ctx(0, None)).unwrap_err();
        assert_eq!(
            e,
            AnswerError::NotAnObject("an array".into()),
            "the shape, not the value"
        );
        assert_eq!(
            redact_token_like("<html><body>502 Bad Gateway</body></html>"),
            "<html><body>502 Bad Gateway</body></html>"
        );
        assert_eq!(
            redact_token_like("see https://api.example.com/auth/token now"),
            "see https://api.example.com/auth/token now"
        );
    }

    #[test]
    fn jwt_decoding() {
        assert!(Jwt::decode("a.b").is_err());
        assert!(matches!(
            Jwt::decode("!!!.e30.x").unwrap_err(),
            super::super::JwtError::NotBase64 { part: "header", .. }
        ));
        let jwt = Jwt::decode(&jwt_with(serde_json::json!({"iss":"me","nbf":5}))).unwrap();
        assert_eq!(jwt.string_claim("iss"), Some("me"));
        assert_eq!(jwt.time_claim("nbf").unwrap().as_second(), 5);
        assert_eq!(jwt.header["alg"], "RS256");
    }
}
