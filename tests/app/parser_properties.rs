//! Property tests for the readers of hostile input: the token answer, the expiry and
//! `Retry-After` dates, ProblemDetails bodies, the JSON line indexer and formatter, and the
//! redaction of an echoed secret. Arbitrary input never panics; the formatter's output parses
//! back to the value it was given.

use bytes::Bytes;
use jiff::Timestamp;
use proptest::prelude::*;
use serde_json::{Map, Value};
use younium_tui::pretty::Document;
use younium_tui::younium::request::{MAX_RETRY_AFTER, parse_retry_after, retry_after_note};
use younium_tui::younium::secret::redact_secret;
use younium_tui::younium::token::{
    ExchangeContext, TokenOrigin, parse_http_date_lenient, parse_token_answer, redact_token_like,
};
use younium_tui::younium::{AuthMethod, Environment, Problem, Secret};

/// Any JSON value, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[0-9eE.+-]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A value for a field of a token answer: anything, or the shapes servers get wrong.
fn token_field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        json_value(),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        Just(serde_json::json!(1e300)),
        Just(serde_json::json!(-1e300)),
        Just(serde_json::json!(u64::MAX)),
        Just(serde_json::json!(i64::MIN)),
        "-?[0-9]{1,25}(\\.[0-9]{0,4})?".prop_map(Value::String),
        date_text().prop_map(Value::String),
        "eyJ[A-Za-z0-9_-]{0,30}\\.[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_-]{0,10}"
            .prop_map(Value::String),
    ]
}

/// A token answer object built from the fields a parser looks for, and others.
fn token_answer() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("accessToken"),
        Just("access_token"),
        Just("expiresIn"),
        Just("expires_in"),
        Just("expires"),
        Just("tokenType"),
        Just("token_type"),
        Just("refreshToken"),
        Just("refresh_token"),
        Just("other"),
    ];
    prop::collection::vec((key, token_field_value()), 0..8).prop_map(|fields| {
        Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )
    })
}

/// Text shaped like an RFC 1123 date, with every part possibly out of range.
fn date_text() -> impl Strategy<Value = String> {
    "([A-Za-z]{0,4}, ?)?[0-9]{1,3} [A-Za-z]{3} -?[0-9]{1,6} [0-9]{1,3}:[0-9]{1,3}(:[0-9]{1,3})? ?[A-Za-z0-9+-]{0,6}"
}

fn any_time() -> impl Strategy<Value = Timestamp> {
    (Timestamp::MIN.as_second()..=Timestamp::MAX.as_second())
        .prop_map(|s| Timestamp::from_second(s).unwrap())
}

fn context() -> impl Strategy<Value = ExchangeContext> {
    (
        prop::sample::select(AuthMethod::ALL.to_vec()),
        any_time(),
        any_time(),
        prop::option::of(prop_oneof![date_text(), any::<String>()]),
    )
        .prop_map(
            |(method, requested_at, received_at, date_header)| ExchangeContext {
                origin: TokenOrigin {
                    environment: Environment::Sandbox,
                    method,
                    token_url: "https://api.sandbox.younium.com/auth/token".into(),
                },
                requested_at,
                received_at,
                date_header,
            },
        )
}

/// Everything a caller does with a parsed token, so none of it panics either.
fn use_token(body: &[u8], ctx: ExchangeContext) {
    match parse_token_answer(body, ctx) {
        Ok(token) => {
            let now = token.received_at;
            let _ = token.remaining(now);
            let _ = token.fraction_left(now);
            let _ = token
                .expiry
                .disagreements(token.requested_at, token.server_skew);
            assert!(!token.access.expose().trim().is_empty());
        }
        Err(message) => assert!(!message.to_string().is_empty()),
    }
}

proptest! {
    #[test]
    fn token_answers_of_arbitrary_bytes_never_panic(
        body in prop::collection::vec(any::<u8>(), 0..256),
        ctx in context(),
    ) {
        use_token(&body, ctx);
    }

    #[test]
    fn token_answers_of_any_field_values_never_panic(answer in token_answer(), ctx in context()) {
        use_token(answer.to_string().as_bytes(), ctx);
    }

    #[test]
    fn a_malformed_answer_never_quotes_a_jwt(
        prefix in "[a-z_=&]{0,10}",
        jwt in "eyJ[A-Za-z0-9_-]{10,30}\\.[A-Za-z0-9_-]{10,30}\\.[A-Za-z0-9_-]{0,10}",
    ) {
        let body = format!("{prefix}{jwt}");
        let ctx = ExchangeContext {
            origin: TokenOrigin {
                environment: Environment::Sandbox,
                method: AuthMethod::ApiTokenV1,
                token_url: String::new(),
            },
            requested_at: Timestamp::UNIX_EPOCH,
            received_at: Timestamp::UNIX_EPOCH,
            date_header: None,
        };
        if let Err(message) = parse_token_answer(body.as_bytes(), ctx).map_err(|e| e.to_string()) {
            prop_assert!(!message.contains(&jwt[..13]), "{}", message);
        }
        prop_assert!(!redact_token_like(&body).contains("eyJ"));
    }

    #[test]
    fn the_lenient_date_parser_never_panics(text in prop_oneof![date_text(), any::<String>()]) {
        let _ = parse_http_date_lenient(&text);
    }

    #[test]
    fn retry_after_never_panics_and_never_exceeds_the_maximum(
        text in prop_oneof![date_text(), "[0-9]{0,30}", any::<String>()],
    ) {
        if let Some(wait) = parse_retry_after(&text) {
            prop_assert!(wait <= MAX_RETRY_AFTER);
        }
        let _ = retry_after_note(&text);
    }

    #[test]
    fn problem_bodies_of_arbitrary_bytes_never_panic(
        body in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let problem = Problem::read(&body);
        let _ = (problem.summary(), problem.message_lines(), problem.is_empty_list(400));
    }

    #[test]
    fn problem_bodies_of_any_json_never_panic(value in json_value()) {
        let problem = Problem::read(value.to_string().as_bytes());
        let _ = (problem.summary(), problem.messages_text(), problem.is_empty_list(400));
    }

    #[test]
    fn the_formatter_gives_back_the_same_value(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            value.to_string()
        };
        let doc = Document::new(Bytes::from(text.clone()), true);
        let shown = doc.pretty_text();
        // Compared with the input parsed, so both sides read the same number tokens.
        let input: Value = serde_json::from_str(&text).unwrap();
        let back: Value = serde_json::from_str(&shown)
            .map_err(|e| TestCaseError::fail(format!("{e} in {shown}")))?;
        prop_assert_eq!(back, input);
    }

    #[test]
    fn the_indexer_never_panics_on_arbitrary_bytes(
        body in prop::collection::vec(any::<u8>(), 0..512),
        looks_json in any::<bool>(),
    ) {
        let doc = Document::new(Bytes::from(body), looks_json);
        let _ = doc.pretty_text();
        for i in 0..=doc.line_count() {
            let _ = doc.line(i);
        }
    }

    #[test]
    fn the_indexer_never_panics_on_json_like_bytes(
        pieces in prop::collection::vec(
            prop_oneof![
                Just("{"), Just("}"), Just("["), Just("]"), Just(","), Just(":"), Just("\""),
                Just("\\"), Just("1"), Just("-0.5e3"), Just("true"), Just("null"), Just(" "),
                Just("\n"), Just("\"k\""), Just("é"),
            ],
            0..64,
        ),
    ) {
        let doc = Document::new(Bytes::from(pieces.concat()), true);
        let _ = doc.pretty_text();
    }

    #[test]
    fn a_redacted_text_never_holds_the_secret_as_a_word_of_its_own(
        secret in "[^*\\s\"=&:,]{1,12}",
        pieces in prop::collection::vec(
            (
                prop_oneof![Just(0u8), Just(1), Just(2), Just(3)],
                prop_oneof![Just(" "), Just("\""), Just("="), Just("&"), Just(": "), Just(","), Just("\n")],
            ),
            0..8,
        ),
        filler in "[ -~]{0,6}",
    ) {
        // The secret as sent, inside JSON, in a form, and plain text, each apart from the
        // next as a server writes them (the letters of a longer word are not the secret).
        prop_assume!(!filler.contains(&secret));
        let json = serde_json::to_string(&secret).unwrap();
        let form: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let text: String = pieces
            .iter()
            .map(|(p, apart)| {
                let piece = match p {
                    0 => &secret,
                    1 => &json,
                    2 => &form,
                    _ => &filler,
                };
                format!("{piece}{apart}")
            })
            .collect();
        let shown = redact_secret(&text, &Secret::new(secret.clone()));
        prop_assert!(!shown.contains(&secret), "{:?} in {:?}", secret, shown);
    }
}
