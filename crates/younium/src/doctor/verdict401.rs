//! The 401 verdict: no token, an expired one, one from another environment, a legacy token
//! where only API tokens work, or one rejected while still valid.

use std::sync::Arc;

use jiff::Timestamp;

use super::{Fix, Verdict, VerdictKind};
use crate::auth::AuthMethod;
use crate::environment::Environment;
use crate::token::{Jwt, Token, format_duration};

/// Where a token came from, as far as the app can tell.
#[derive(Clone, Debug)]
enum TokenSource {
    /// One this app issued in this session.
    Issued(Arc<Token>),
    /// A token from elsewhere (pasted), decoded if possible.
    Foreign(Option<Jwt>),
}

/// What the 401 diagnosis knows.
pub(crate) struct Context401<'a> {
    /// The bearer value that was sent, if any.
    pub sent: Option<&'a str>,
    /// Tokens this session issued, to recognise the one sent.
    pub issued: &'a [Arc<Token>],
    pub called: &'a Environment,
    pub path: &'a str,
    pub sent_at: Timestamp,
    pub www_authenticate: Option<&'a str>,
}

/// The Younium environment whose API or login host `url` is on, judged on the parsed host
/// (never on a substring: `sandbox.notyounium.com` is no Younium host).
fn younium_environment(url: &reqwest::Url) -> Option<Environment> {
    let host = url.host_str()?;
    Environment::NAMED.into_iter().find(|env| {
        [env.base_url().to_string(), env.legacy_token_url()]
            .iter()
            .filter_map(|known| reqwest::Url::parse(known).ok())
            .any(|known| {
                known.host_str() == Some(host)
                    && known.port_or_known_default() == url.port_or_known_default()
            })
    })
}

/// A loopback host: the simulator, a local proxy.
fn is_local(url: &reqwest::Url) -> bool {
    match url.host_str() {
        Some(host) if host.eq_ignore_ascii_case("localhost") => true,
        Some(host) => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

/// Whether a token's issuer belongs to the environment called; `None` when it cannot be told.
/// Hosts are compared parsed: the same origin, else the same named Younium environment (its
/// API or login host), else two loopback servers are two different servers.
fn issuer_matches(iss: &str, called: &Environment) -> Option<bool> {
    let (iss, called) = (
        reqwest::Url::parse(iss).ok()?,
        reqwest::Url::parse(called.base_url()).ok()?,
    );
    if crate::origin::same_origin(&iss, &called) {
        return Some(true);
    }
    match (younium_environment(&iss), younium_environment(&called)) {
        (Some(a), Some(b)) => Some(a == b),
        _ => (is_local(&iss) && is_local(&called)).then_some(false),
    }
}

/// Whether two environments are other servers, judged on their parsed origins.
fn other_environment(a: &Environment, b: &Environment) -> bool {
    match (
        crate::origin::Origin::parse(a.base_url()),
        crate::origin::Origin::parse(b.base_url()),
    ) {
        (Ok(a), Ok(b)) => a != b,
        _ => a != b,
    }
}

/// Tells apart the reasons for a 401.
pub(crate) fn verdict_401(ctx: &Context401<'_>) -> Verdict {
    let Some(sent) = ctx.sent.map(str::trim).filter(|s| !s.is_empty()) else {
        return Verdict {
            kind: VerdictKind::NoToken,
            headline: "No token was sent".into(),
            details: vec!["The Authorization header was missing: it was switched off or overridden, or no token had been issued.".into()],
            fix: Some(Fix::Renew),
        };
    };
    let raw = sent
        .strip_prefix("Bearer ")
        .or_else(|| sent.strip_prefix("bearer "))
        .unwrap_or(sent)
        .trim();
    let source = match ctx.issued.iter().find(|t| t.access.expose() == raw) {
        Some(t) => TokenSource::Issued(t.clone()),
        None => TokenSource::Foreign(Jwt::decode(raw).ok()),
    };
    let (exp, skew, origin_env, origin_label, legacy) = match &source {
        TokenSource::Issued(t) => (
            Some(t.expires_at),
            t.server_skew,
            Some(t.origin.environment.clone()),
            format!("{} ({})", t.origin.environment.label(), t.origin.token_url),
            t.origin.method == AuthMethod::Legacy,
        ),
        TokenSource::Foreign(jwt) => {
            let iss = jwt
                .as_ref()
                .and_then(|j| j.string_claim("iss"))
                .map(str::to_string);
            let legacy = jwt.as_ref().is_some_and(|j| {
                j.string_claim("client_id") == Some("apiclient")
                    || j.string_claim("auth") == Some("legacy")
                    || j.claims
                        .get("amr")
                        .is_some_and(|a| a.to_string().contains("pwd"))
            });
            (
                jwt.as_ref().and_then(|j| j.time_claim("exp")),
                None,
                None,
                iss.unwrap_or_else(|| "an unknown issuer (not a JWT this app issued)".into()),
                legacy,
            )
        }
    };
    let other_env = match (&origin_env, &source) {
        (Some(env), _) => Some(other_environment(env, ctx.called)),
        (None, TokenSource::Foreign(Some(jwt))) => jwt
            .string_claim("iss")
            .and_then(|iss| issuer_matches(iss, ctx.called))
            .map(|same| !same),
        _ => None,
    };
    let expired_local = exp.is_some_and(|e| e <= ctx.sent_at);
    let expired_server = match (exp, skew) {
        (Some(e), Some(s)) => ctx
            .sent_at
            .checked_add(s)
            .is_ok_and(|server_now| server_now >= e),
        _ => false,
    };
    let expiry_note = exp.map(|e| {
        let d = e.duration_since(ctx.sent_at);
        if d.is_negative() {
            format!(
                "It expired {} before the call (local clock).",
                format_duration(-d)
            )
        } else {
            format!("By the local clock it had {} left.", format_duration(d))
        }
    });
    if other_env == Some(true) {
        let mut v = Verdict::new(
            VerdictKind::OtherEnvironment,
            format!(
                "The token was issued by another environment: {origin_label}, not {}",
                ctx.called.label()
            ),
        )
        .detail(format!(
            "Tokens only work where they were issued; this call went to {}.",
            ctx.called.base_url()
        ));
        if expired_local {
            v = v.detail("It has also expired.");
        }
        if let Some(n) = expiry_note {
            v = v.detail(n);
        }
        v.fix = match &origin_env {
            Some(env) => Some(Fix::SwitchEnvironment {
                base_url: env.base_url().to_string(),
            }),
            None => Some(Fix::Renew),
        };
        return v.detail("Get a token from the environment you call (renew), or call the environment that issued it.");
    }
    if expired_local || expired_server {
        let mut v = Verdict::new(
            VerdictKind::Expired,
            if expired_local {
                "The token had expired"
            } else {
                "The token had expired by the server's clock"
            },
        );
        if let Some(n) = expiry_note {
            v = v.detail(n);
        }
        if let Some(s) = skew.filter(|s| !s.is_zero()) {
            v = v.detail(format!(
                "The server's clock is {} s ahead of this machine's.",
                s.as_secs()
            ));
        }
        v.fix = Some(Fix::Renew);
        return v.detail("Renew: the app exchanges the client ID and secret again.");
    }
    if legacy && ctx.path.to_ascii_lowercase().starts_with("/insights") {
        let mut v = Verdict::new(VerdictKind::LegacyNotAccepted, "A legacy (username/password) token was used where only API tokens work")
            .detail("The Insights API accepts only API tokens: generate a client ID and secret under Personal Tokens and use auth v1 or v2.");
        v.fix = None;
        return v;
    }
    let mut v = Verdict::new(
        VerdictKind::Rejected,
        "The token was rejected while still valid: revoked, or the credentials were changed",
    );
    if let Some(n) = expiry_note {
        v = v.detail(n);
    }
    if let Some(w) = ctx.www_authenticate {
        v = v.detail(format!("WWW-Authenticate: {w}"));
    }
    v.fix = Some(Fix::Renew);
    v.detail("Renew; if that fails, generate a new token (client ID and secret) in Younium.")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token issued an hour ago that lived `lifetime` seconds (so 60 has expired).
    fn token_from(env: Environment, lifetime: i64) -> Arc<Token> {
        let expires_in = lifetime;
        let at = Timestamp::now() - jiff::SignedDuration::from_secs(3600);
        let body = format!(
            r#"{{"accessToken":"tok-{}-abcdefghijklmnop","expiresIn":{expires_in}}}"#,
            env.key()
        );
        Arc::new(
            crate::token::parse_token_answer(
                body.as_bytes(),
                crate::token::ExchangeContext {
                    origin: crate::token::TokenOrigin {
                        environment: env,
                        method: AuthMethod::ApiTokenV1,
                        token_url: "x".into(),
                    },
                    requested_at: at,
                    received_at: at,
                    date_header: None,
                },
            )
            .unwrap(),
        )
    }

    #[test]
    fn the_401_verdicts() {
        let prod = Environment::Production;
        let ctx = |sent: Option<&'static str>, issued: &'static [Arc<Token>]| Context401 {
            sent,
            issued,
            called: &Environment::Production,
            path: "/Accounts",
            sent_at: Timestamp::now(),
            www_authenticate: None,
        };
        assert_eq!(verdict_401(&ctx(None, &[])).kind, VerdictKind::NoToken);
        let sandbox_token: &'static [Arc<Token>] =
            Box::leak(vec![token_from(Environment::Sandbox, 7200)].into_boxed_slice());
        let v = verdict_401(&ctx(
            Some("Bearer tok-sandbox-abcdefghijklmnop"),
            sandbox_token,
        ));
        assert_eq!(v.kind, VerdictKind::OtherEnvironment);
        assert_eq!(
            v.fix,
            Some(Fix::SwitchEnvironment {
                base_url: "https://api.sandbox.younium.com".into()
            })
        );
        let expired: &'static [Arc<Token>] =
            Box::leak(vec![token_from(prod.clone(), 60)].into_boxed_slice());
        let v = verdict_401(&ctx(
            Some("Bearer tok-production-abcdefghijklmnop"),
            expired,
        ));
        assert_eq!((v.kind, v.fix), (VerdictKind::Expired, Some(Fix::Renew)));
        let valid: &'static [Arc<Token>] =
            Box::leak(vec![token_from(prod, 7200)].into_boxed_slice());
        assert_eq!(
            verdict_401(&ctx(Some("Bearer tok-production-abcdefghijklmnop"), valid)).kind,
            VerdictKind::Rejected
        );
    }

    #[test]
    fn issuers_are_compared_by_environment() {
        assert_eq!(
            issuer_matches("https://auth.sandbox.younium.com", &Environment::Production),
            Some(false)
        );
        assert_eq!(
            issuer_matches("https://auth.younium.com", &Environment::Production),
            Some(true)
        );
        assert_eq!(
            issuer_matches(
                "http://127.0.0.1:1",
                &Environment::Custom("http://127.0.0.1:2".into())
            ),
            Some(false)
        );
        assert_eq!(
            issuer_matches("https://idp.example", &Environment::Production),
            None
        );
        // Hosts are parsed, not searched for words: neither of these is a Younium host.
        assert_eq!(
            issuer_matches("https://sandbox.notyounium.com", &Environment::Sandbox),
            None
        );
        assert_eq!(
            issuer_matches(
                "https://api.sandbox.younium.com.attacker.example",
                &Environment::Sandbox
            ),
            None
        );
        assert_eq!(
            issuer_matches(
                "https://API.Sandbox.younium.com:443/",
                &Environment::Sandbox
            ),
            Some(true)
        );
        assert_eq!(
            issuer_matches(
                "https://auth.sandbox.us.younium.com",
                &Environment::UsSandbox
            ),
            Some(true)
        );
        assert_eq!(
            issuer_matches("https://auth.sandbox.us.younium.com", &Environment::Sandbox),
            Some(false)
        );
        assert!(!other_environment(
            &Environment::Custom("http://127.0.0.1:9/".into()),
            &Environment::Custom("http://127.0.0.1:9".into())
        ));
    }
}
