//! `younium-tui token`: exchange the credentials and report on the token.

use std::process::ExitCode;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::{Value, json};

use super::output::{self, say};
use super::{EXIT_FAILURE, resolve};
use crate::cli::{ConnectionArgs, TokenArgs};
use crate::younium::auth;
use crate::younium::token::{Token, format_countdown, format_local, format_utc};

pub async fn run(args: &TokenArgs, connection: &ConnectionArgs) -> anyhow::Result<ExitCode> {
    let resolved = resolve(connection, true)?;
    let conn = resolved.connection.expect("resolve requires credentials");
    match auth::exchange(&resolved.http, &conn).await {
        Ok(token) => {
            let now = Timestamp::now();
            if args.json {
                output::print_json(&report_json(&token, now, args.reveal))?;
            } else {
                output::print_text(&report_text(&token, now, &TimeZone::system(), args.reveal))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            if args.json {
                output::print_json(&json!({"state": "failed", "error": error.to_string()}))?;
            }
            say(format_args!(
                "error: no token from {}: {error}",
                conn.credentials.method.token_url(&conn.environment)
            ));
            Ok(ExitCode::from(EXIT_FAILURE))
        }
    }
}

/// The human report: state, expiry, time left, sources, claims. Values from the token answer
/// and the configuration are sanitised one line each; the claims are JSON (sanitised as a whole
/// when printed).
pub fn report_text(token: &Token, now: Timestamp, tz: &TimeZone, reveal: bool) -> String {
    let mut out = String::new();
    let mut row = |label: &str, value: String| {
        out.push_str(&format!(
            "{label:<13} {}\n",
            crate::sanitize::one_line(&value)
        ))
    };
    let state = if token.is_expired(now) {
        "EXPIRED"
    } else {
        "VALID"
    };
    row("State", state.into());
    row(
        "Environment",
        format!(
            "{} ({})",
            token.origin.environment.label(),
            token.origin.environment.base_url()
        ),
    );
    row(
        "Issued by",
        format!(
            "{} via {}",
            token.origin.method.label(),
            token.origin.token_url
        ),
    );
    row("Expires", format_local(token.expires_at, tz));
    row("", format_utc(token.expires_at));
    row("Time left", format_countdown(token.remaining(now)));
    row(
        "Token",
        if reveal {
            token.access.expose().to_string()
        } else {
            format!("{}  (--reveal prints it)", token.access.shortened())
        },
    );
    let e = &token.expiry;
    let mut sources = Vec::new();
    if let Some(secs) = e.expires_in {
        sources.push(format!("expiresIn {secs} s"));
    }
    if let Some(text) = &e.expires_text {
        sources.push(format!("expires {text:?}"));
    }
    if let Some(exp) = e.jwt_exp {
        sources.push(format!("JWT exp {}", format_utc(exp)));
    }
    row("Expiry from", sources.join("; "));
    for note in e.disagreements(token.requested_at, token.server_skew) {
        row("Disagreement", note);
    }
    for note in &token.notes {
        row("Note", note.clone());
    }
    if let Some(skew) = token.server_skew {
        row(
            "Clock skew",
            format!("server clock is {} s ahead of this machine", skew.as_secs()),
        );
    }
    if token.had_refresh_token {
        row("Refresh", "a refreshToken was issued; Younium documents no use for it, so renewal exchanges the credentials again".into());
    }
    match &token.jwt {
        Ok(jwt) => {
            out.push_str("\nJWT header and claims (decoded; the signature is not checked):\n");
            out.push_str(&indent(
                &serde_json::to_string_pretty(&jwt.header).unwrap_or_default(),
            ));
            out.push_str(&indent(
                &serde_json::to_string_pretty(&annotated_claims(&jwt.claims, tz))
                    .unwrap_or_default(),
            ));
        }
        Err(why) => out.push_str(&format!("\nThe token is not a decodable JWT: {why}\n")),
    }
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

/// Claims with the numeric dates spelled out next to them.
fn annotated_claims(claims: &Value, tz: &TimeZone) -> Value {
    let Some(obj) = claims.as_object() else {
        return claims.clone();
    };
    let mut out = serde_json::Map::new();
    for (key, value) in obj {
        out.insert(key.clone(), value.clone());
        if matches!(key.as_str(), "exp" | "iat" | "nbf" | "auth_time")
            && let Some(at) = value.as_i64().and_then(|s| Timestamp::from_second(s).ok())
        {
            out.insert(
                format!("{key} (readable)"),
                Value::String(format_local(at, tz)),
            );
        }
    }
    Value::Object(out)
}

/// The machine report.
pub fn report_json(token: &Token, now: Timestamp, reveal: bool) -> Value {
    let e = &token.expiry;
    let mut v = json!({
        "state": if token.is_expired(now) { "expired" } else { "valid" },
        "environment": token.origin.environment.key(),
        "base_url": token.origin.environment.base_url(),
        "auth": token.origin.method.key(),
        "token_url": token.origin.token_url,
        "expires_at": token.expires_at.to_string(),
        "seconds_left": token.remaining(now).as_secs(),
        "expiry_sources": {
            "expires_in": e.expires_in,
            "expires": e.expires_text,
            "jwt_exp": e.jwt_exp.map(|t| t.to_string()),
        },
        "disagreements": e.disagreements(token.requested_at, token.server_skew),
        "notes": token.notes,
        "server_clock_skew_seconds": token.server_skew.map(|s| s.as_secs()),
        "access_token_shortened": token.access.shortened(),
    });
    match &token.jwt {
        Ok(jwt) => {
            v["jwt"] =
                json!({"header": jwt.header, "claims": jwt.claims, "signature_checked": false})
        }
        Err(why) => v["jwt_error"] = Value::String(why.to_string()),
    }
    if reveal {
        v["access_token"] = Value::String(token.access.expose().to_string());
    }
    v
}
