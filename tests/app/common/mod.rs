//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod pty;
pub mod viewer;

use base64::Engine as _;
use jiff::Timestamp;
use serde_json::{Value, json};
use younium_tui::younium::token::{ExchangeContext, Token, TokenOrigin, parse_token_answer};
use younium_tui::younium::{AuthMethod, Environment};

/// A fixed "now" for stable snapshots: 2026-11-27 12:00:00 UTC.
pub fn fixed_now() -> Timestamp {
    Timestamp::from_second(1_795_780_800).unwrap()
}

/// A JWT (unsigned for our purposes) with the given claims.
pub fn jwt(claims: Value) -> String {
    let enc = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk",
        enc(&json!({"alg": "HS256", "typ": "JWT"})),
        enc(&claims)
    )
}

/// A token issued at `issued` (seconds since epoch) living `ttl` seconds, from the sandbox.
pub fn token(issued: i64, ttl: i64) -> Token {
    let access = jwt(json!({
        "iss": "https://api.sandbox.younium.com",
        "sub": "3f1c9a40-0000-4000-8000-000000000001",
        "email": "api@nordlys.example",
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl,
    }));
    let body = json!({"accessToken": access, "expiresIn": ttl, "refreshToken": "r-1"});
    let at = Timestamp::from_second(issued).unwrap();
    parse_token_answer(
        body.to_string().as_bytes(),
        ExchangeContext {
            origin: TokenOrigin {
                environment: Environment::Sandbox,
                method: AuthMethod::ApiTokenV1,
                token_url: "https://api.sandbox.younium.com/auth/token".into(),
            },
            requested_at: at,
            received_at: at,
            date_header: None,
        },
    )
    .unwrap()
}

/// Installs rustls' crypto provider (needed before any reqwest client is built).
pub fn crypto() {
    younium_tui::younium::request::install_crypto_provider();
}

/// An app with credentials and a valid token at [`fixed_now`], without colour, ids seeded.
pub fn signed_in_app() -> younium_tui::tui::app::App {
    use younium_tui::tui::app::{App, IdSource};
    let pane = younium_tui::tui::panes::connection::ConnectionPane {
        client_id: "id".into(),
        secret: Some(younium_tui::younium::Secret::new("s")),
        ..Default::default()
    };
    let mut app = App::new(
        pane,
        younium_tui::session::ManagerOptions::default(),
        younium_tui::tui::theme::Theme::mono(),
        jiff::tz::TimeZone::UTC,
        fixed_now(),
    );
    app.ids = IdSource::seeded(7);
    app.token.state = younium_tui::younium::TokenState::Valid(std::sync::Arc::new(token(
        fixed_now().as_second() - 10,
        3600,
    )));
    app
}

/// The answer to request `id` arrives: `status`, `headers` and `body`, 3 ms after it was sent.
pub fn answer(
    app: &mut younium_tui::tui::app::App,
    id: u64,
    status: u16,
    headers: Vec<(String, String)>,
    body: &str,
) {
    answer_with(app, id, (status, ""), headers, body.as_bytes());
}

/// [`answer`] with a reason phrase and a body of any bytes, returning the effects.
pub fn answer_with(
    app: &mut younium_tui::tui::app::App,
    id: u64,
    (status, reason): (u16, &str),
    headers: Vec<(String, String)>,
    body: &[u8],
) -> Vec<younium_tui::tui::app::Effect> {
    use younium_tui::session::CallOutcome;
    use younium_tui::tui::app::Action;
    use younium_tui::younium::request::SentRequest;
    use younium_tui::younium::{ApiResponse, Method};
    let response = ApiResponse {
        status,
        reason: reason.into(),
        headers,
        body: bytes::Bytes::copy_from_slice(body),
        elapsed: std::time::Duration::from_millis(3),
        sent: SentRequest {
            method: Method::Get,
            url: "http://x/".into(),
            headers: vec![],
            body: None,
            sent_at: fixed_now(),
        },
    };
    app.update(Action::Response {
        id,
        result: Ok(CallOutcome {
            response,
            token: None,
            retried_after_401: false,
            renewal_error: None,
        }),
    })
    .1
}

/// Where the binary started by a test records its history (see [`pty::history_file`]).
pub fn test_history_file() -> std::path::PathBuf {
    pty::history_file()
}

/// The built binary, recording into [`test_history_file`] (a test may set its own).
pub fn binary() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_younium-tui"));
    cmd.env("YOUNIUM_TUI_HISTORY", test_history_file());
    cmd
}

/// The built binary signed in to the simulator at `base` with its demo client (the secret
/// from the environment, no config file, no environment or profile of the user's, stdin not
/// a terminal); the caller adds its arguments.
pub fn demo_binary(base: &str) -> std::process::Command {
    use younium_tui::simulator::demo;
    let mut cmd = binary();
    cmd.args(["--base-url", base, "--client-id", demo::CLIENT_ID])
        .env("YOUNIUM_SECRET", demo::SECRET)
        .env("YOUNIUM_TUI_CONFIG", "/nonexistent/younium-tui-test.toml")
        .env_remove("YOUNIUM_LEGAL_ENTITY")
        .env_remove("YOUNIUM_ENV")
        .env_remove("YOUNIUM_PROFILE")
        .stdin(std::process::Stdio::null());
    cmd
}

/// Runs `cmd` to its end on a blocking thread (so a simulator on the test's runtime answers).
pub async fn output(mut cmd: std::process::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// A stream's bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A v1 token for the simulator's demo client.
pub async fn demo_token(client: &reqwest::Client, base: &str) -> String {
    use younium_tui::simulator::demo;
    let answer: Value = client
        .post(format!("{base}/auth/token"))
        .json(&json!({"clientId": demo::CLIENT_ID, "secret": demo::SECRET}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["accessToken"].as_str().unwrap().to_owned()
}
