//! Access tokens: the token with what is known of its expiry, the decoded JWT, the token's
//! lifecycle state and how times are written. Reading the token endpoint's answer is in
//! `answer`.

mod answer;

pub use answer::{
    AnswerError, ExchangeContext, parse_http_date_lenient, parse_token_answer, redact_token_like,
};

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;

use super::auth::AuthMethod;
use super::environment::Environment;
use super::secret::Secret;

/// Sources of expiry further apart than this are reported as disagreeing.
const DISAGREEMENT_TOLERANCE: SignedDuration = SignedDuration::from_secs(60);

/// Where a token was issued: the app never sends a token to another environment without
/// knowing, and the 401 diagnosis uses this to spot a token from elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenOrigin {
    /// The environment the token was asked from; it is sent only to this origin.
    pub environment: Environment,
    /// How it was obtained (a legacy token is refused by some APIs: Insights).
    pub method: AuthMethod,
    /// The endpoint that issued the token.
    pub token_url: String,
}

/// A token as issued, with everything known about its lifetime.
#[derive(Clone, Debug)]
pub struct Token {
    /// The access token (a JWT) that goes in `Authorization: Bearer …`.
    pub access: Secret,
    /// Where it was issued.
    pub origin: TokenOrigin,
    /// Local time the exchange request was sent; `expiresIn` counts from here (conservative).
    pub requested_at: Timestamp,
    /// Local time the answer arrived.
    pub received_at: Timestamp,
    /// When the token stops working, on the local clock: the earliest of the sources.
    pub expires_at: Timestamp,
    /// What each source (`expiresIn`, `expires`, the JWT's `exp`) said, to show where they
    /// disagree.
    pub expiry: ExpiryEvidence,
    /// Server clock minus local clock, from the answer's `Date` header.
    pub server_skew: Option<SignedDuration>,
    /// The JWT's header and claims, or why it could not be decoded.
    pub jwt: Result<Jwt, JwtError>,
    /// `tokenType`/`token_type` (`Bearer`), when the answer gives it.
    pub token_type: Option<String>,
    /// The answer carried a refresh token. Younium documents no endpoint that takes it, so it
    /// is not kept; renewal exchanges the credentials again.
    pub had_refresh_token: bool,
    /// Oddities of the answer worth telling, e.g. both spellings of a field with different
    /// values.
    pub notes: Vec<String>,
}

impl Token {
    /// Seconds of the lifetime left at `now` (negative once expired).
    pub fn remaining(&self, now: Timestamp) -> SignedDuration {
        self.expires_at.duration_since(now)
    }

    /// The whole lifetime, from the request to expiry.
    pub fn lifetime(&self) -> SignedDuration {
        self.expires_at.duration_since(self.requested_at)
    }

    /// No lifetime left at `now`. (Sending needs a little more: see
    /// [`TokenState::usable_token`].)
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at <= now
    }

    /// Fraction of the lifetime left, 0.0..=1.0, for a gauge.
    pub fn fraction_left(&self, now: Timestamp) -> f64 {
        let total = self.lifetime().as_secs_f64();
        if total <= 0.0 {
            return 0.0;
        }
        (self.remaining(now).as_secs_f64() / total).clamp(0.0, 1.0)
    }
}

/// What each source said about the expiry. Server-clock values are kept as sent; the local
/// equivalents subtract the known skew.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExpiryEvidence {
    /// `expiresIn`/`expires_in`, in seconds.
    pub expires_in: Option<i64>,
    /// What is wrong with an `expiresIn` that was there but could not be used, e.g.
    /// `expiresIn is 1e300, out of range`.
    pub expires_in_problem: Option<String>,
    /// `expires`, as sent.
    pub expires_text: Option<String>,
    /// `expires`, parsed (server clock).
    pub expires: Option<Timestamp>,
    /// The JWT's `exp` claim (server clock).
    pub jwt_exp: Option<Timestamp>,
}

/// One source's idea of the expiry, on the local clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpiryClaim {
    /// `expiresIn`, `expires` or `JWT exp`.
    pub source: &'static str,
    /// The expiry it gives, on the local clock.
    pub at: Timestamp,
}

impl ExpiryEvidence {
    /// Each known source converted to the local clock.
    pub fn claims(
        &self,
        requested_at: Timestamp,
        skew: Option<SignedDuration>,
    ) -> Vec<ExpiryClaim> {
        let skew = skew.unwrap_or(SignedDuration::ZERO);
        let mut claims = Vec::new();
        if let Some(secs) = self.expires_in
            && let Ok(at) = requested_at.checked_add(SignedDuration::from_secs(secs))
        {
            claims.push(ExpiryClaim {
                source: "expiresIn",
                at,
            });
        }
        for (source, at) in [("expires", self.expires), ("JWT exp", self.jwt_exp)] {
            if let Some(at) = at.and_then(|t| t.checked_sub(skew).ok()) {
                claims.push(ExpiryClaim { source, at });
            }
        }
        claims
    }

    /// Human sentences about sources that disagree by more than a minute, e.g.
    /// `expires is 2h 0m earlier than expiresIn`.
    pub fn disagreements(
        &self,
        requested_at: Timestamp,
        skew: Option<SignedDuration>,
    ) -> Vec<String> {
        let claims = self.claims(requested_at, skew);
        let ignored = self
            .expires_in_problem
            .as_ref()
            .map(|problem| format!("{problem}, so it is ignored"));
        let (future, past): (Vec<&ExpiryClaim>, Vec<&ExpiryClaim>) =
            claims.iter().partition(|c| c.at > requested_at);
        let mut notes: Vec<String> = ignored.into_iter().collect();
        notes.extend(past.iter().filter(|_| !future.is_empty()).map(|c| {
            format!(
                "{} is {} before the token was issued, so it is ignored",
                c.source,
                format_duration(requested_at.duration_since(c.at))
            )
        }));
        let Some(earliest) = future.iter().min_by_key(|c| c.at) else {
            return notes;
        };
        notes.extend(
            future
                .iter()
                .filter(|c| c.at.duration_since(earliest.at) > DISAGREEMENT_TOLERANCE)
                .map(|c| {
                    format!(
                        "{} is {} later than {} (the earlier one is believed)",
                        c.source,
                        format_duration(c.at.duration_since(earliest.at)),
                        earliest.source
                    )
                }),
        );
        notes
    }
}

/// A decoded JWT. The signature is NOT checked: this is for display only.
#[derive(Clone, Debug, PartialEq)]
pub struct Jwt {
    /// The JOSE header (`alg`, `typ`, `kid`).
    pub header: Value,
    /// The payload's claims (`exp`, `iat`, `sub`, …).
    pub claims: Value,
}

impl Jwt {
    /// Decodes the header and claims of a compact JWT (`header.payload.signature`).
    pub fn decode(token: &str) -> Result<Jwt, JwtError> {
        let mut parts = token.trim().split('.');
        let (Some(header), Some(claims), Some(_sig), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::NotThreeParts);
        };
        Ok(Jwt {
            header: decode_part(header, "header")?,
            claims: decode_part(claims, "claims")?,
        })
    }

    /// A numeric-date claim (`exp`, `iat`, `nbf`) as a timestamp.
    pub fn time_claim(&self, name: &str) -> Option<Timestamp> {
        let secs = self.claims.get(name)?.as_f64()?;
        Timestamp::from_second(secs as i64).ok()
    }

    pub(crate) fn string_claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name)?.as_str()
    }
}

/// Why a token does not decode as a JWT.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Not `header.payload.signature`: an opaque token.
    #[error("not a JWT: expected three dot-separated parts")]
    NotThreeParts,
    /// A part is not base64url.
    #[error("the JWT {part} is not base64url: {error}")]
    NotBase64 {
        /// `header` or `claims`.
        part: &'static str,
        /// The decoder's message.
        error: String,
    },
    /// A part decodes, but not to JSON.
    #[error("the JWT {part} is not JSON: {error}")]
    NotJson {
        /// `header` or `claims`.
        part: &'static str,
        /// The parser's message.
        error: String,
    },
}

fn decode_part(part: &str, what: &'static str) -> Result<Value, JwtError> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| JwtError::NotBase64 {
            part: what,
            error: e.to_string(),
        })?;
    serde_json::from_slice(&bytes).map_err(|e| JwtError::NotJson {
        part: what,
        error: e.to_string(),
    })
}

/// Formats a duration as `HH:MM:SS`, or `-HH:MM:SS` when negative; days roll into hours.
pub fn format_countdown(d: SignedDuration) -> String {
    let secs = d.as_secs();
    let sign = if secs < 0 { "-" } else { "" };
    let secs = secs.unsigned_abs();
    format!(
        "{sign}{:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Formats a duration for sentences: `2h 5m`, `4m 10s`, `12s`.
pub fn format_duration(d: SignedDuration) -> String {
    let secs = d.as_secs().unsigned_abs();
    let sign = if d.is_negative() { "-" } else { "" };
    match secs {
        0..60 => format!("{sign}{secs}s"),
        60..3600 => format!("{sign}{}m {}s", secs / 60, secs % 60),
        _ => format!("{sign}{}h {}m", secs / 3600, (secs / 60) % 60),
    }
}

/// A time on the given clock's zone, e.g. `2026-11-28 14:05:01 CET`.
pub fn format_local(at: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    at.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M:%S %Z")
        .to_string()
}

/// A time in UTC, e.g. `2026-11-28 13:05:01 UTC`.
pub fn format_utc(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// The token's lifecycle, as published by the token manager.
#[derive(Clone, Debug, Default)]
pub enum TokenState {
    /// No credentials, or nothing exchanged yet.
    #[default]
    Missing,
    /// The first exchange (or one after expiry) is under way.
    Fetching,
    /// A token that has more than the renewal margin left.
    Valid(Arc<Token>),
    /// Inside the renewal margin: a renewal is due or under way; the token still works.
    Expiring(Arc<Token>),
    /// The token ran out and no new one has arrived yet.
    Expired(Arc<Token>),
    /// The last exchange failed. `previous` may still be usable until it expires.
    Failed {
        /// Why; [`AuthError::is_permanent`](crate::AuthError::is_permanent) says whether
        /// the manager waits for new credentials.
        error: super::auth::AuthError,
        /// The token from before the failure, if there was one.
        previous: Option<Arc<Token>>,
        /// When the manager will try again on its own (none for rejected credentials).
        retry_at: Option<Timestamp>,
        /// Failed exchanges in a row.
        attempts: u32,
    },
}

/// The badge a person sees: the state as of `now`, so a token that ran out between two
/// messages from the manager already shows as expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenBadge {
    /// [`TokenState::Missing`].
    None,
    /// [`TokenState::Fetching`].
    Fetching,
    /// A token with more than the renewal margin left.
    Valid,
    /// Inside the renewal margin, still working.
    Expiring,
    /// Past its expiry (whatever the manager last said).
    Expired,
    /// [`TokenState::Failed`].
    Failed,
}

impl TokenBadge {
    /// The badge's text: `VALID`, `EXPIRING SOON`, `NO TOKEN`, ….
    pub fn label(self) -> &'static str {
        match self {
            TokenBadge::None => "NO TOKEN",
            TokenBadge::Fetching => "FETCHING",
            TokenBadge::Valid => "VALID",
            TokenBadge::Expiring => "EXPIRING SOON",
            TokenBadge::Expired => "EXPIRED",
            TokenBadge::Failed => "FAILED",
        }
    }
}

impl TokenState {
    /// The token this state refers to, if any (possibly expired).
    pub fn token(&self) -> Option<&Arc<Token>> {
        match self {
            TokenState::Valid(t) | TokenState::Expiring(t) | TokenState::Expired(t) => Some(t),
            TokenState::Failed { previous, .. } => previous.as_ref(),
            TokenState::Missing | TokenState::Fetching => None,
        }
    }

    /// A token that may be sent at `now`: one with at least `guard` of its life left.
    pub fn usable_token(&self, now: Timestamp, guard: Duration) -> Option<&Arc<Token>> {
        let guard = SignedDuration::try_from(guard).unwrap_or(SignedDuration::ZERO);
        self.token().filter(|t| t.remaining(now) > guard)
    }

    /// The badge for a person at `now` (see [`TokenBadge`]).
    pub fn badge(&self, now: Timestamp) -> TokenBadge {
        match self {
            TokenState::Missing => TokenBadge::None,
            TokenState::Fetching => TokenBadge::Fetching,
            TokenState::Failed { .. } => TokenBadge::Failed,
            TokenState::Expired(_) => TokenBadge::Expired,
            TokenState::Valid(t) | TokenState::Expiring(t) if t.is_expired(now) => {
                TokenBadge::Expired
            }
            TokenState::Valid(_) => TokenBadge::Valid,
            TokenState::Expiring(_) => TokenBadge::Expiring,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_format() {
        assert_eq!(
            format_countdown(SignedDuration::from_secs(86399)),
            "23:59:59"
        );
        assert_eq!(
            format_countdown(SignedDuration::from_secs(90061)),
            "25:01:01"
        );
        assert_eq!(format_countdown(SignedDuration::from_secs(-5)), "-00:00:05");
        assert_eq!(format_duration(SignedDuration::from_secs(125)), "2m 5s");
        assert_eq!(format_duration(SignedDuration::from_secs(7260)), "2h 1m");
    }
}
