//! Tokens made up for the tests: a fixed now, unsigned JWTs, and tokens as the library parses
//! them from an answer.

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
    let answer = json!({"accessToken": access, "expiresIn": ttl, "refreshToken": "r-1"});
    exchanged(&answer, Environment::Sandbox, issued)
}

/// The token of the v1 token `answer` from `environment`, asked for and received at `at`
/// (seconds since epoch).
pub fn exchanged(answer: &Value, environment: Environment, at: i64) -> Token {
    let token_url = format!("{}/auth/token", environment.base_url());
    let at = Timestamp::from_second(at).unwrap();
    parse_token_answer(
        answer.to_string().as_bytes(),
        ExchangeContext {
            origin: TokenOrigin {
                environment,
                method: AuthMethod::ApiTokenV1,
                token_url,
            },
            requested_at: at,
            received_at: at,
            date_header: None,
        },
    )
    .unwrap()
}
