//! A verdict: what the doctor concluded, in plain words, and the fix the app can apply.

use serde::Serialize;

/// What to do about it, when the app can do it for the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Fix {
    /// Send the call with this `legal-entity` header instead.
    UseLegalEntity {
        /// The value a probe showed working (a name as the tenant spells it, or a GUID).
        value: String,
    },
    /// Exchange the credentials for a new token.
    Renew,
    /// Call the environment that issued the token (a token from another environment).
    SwitchEnvironment {
        /// That environment's base URL.
        base_url: String,
    },
}

/// The kind of answer, for tests and machines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// The call succeeds as given (it answered 2xx, 400 or 404, or its probe was allowed).
    Works,
    /// 403: the `legal-entity` value names no legal entity of the tenant, or only in a
    /// spelling the server does not accept.
    UnknownEntity,
    /// 403: no `legal-entity` header, and the tenant has several legal entities.
    MissingHeader,
    /// 403: the legal entity is right, but the user lacks the endpoint's permission there
    /// (it works in another one).
    MissingPermission,
    /// 403 in every legal entity: the permission is missing everywhere, or the user is blocked.
    ForbiddenEverywhere,
    /// The legal entity is not the problem: another status than 401/403, or a write refused
    /// where reading the same resource works.
    NotLegalEntity,
    /// 401: no `Authorization` header was sent.
    NoToken,
    /// 401: the token had expired when it was sent (by this machine's clock or the server's).
    Expired,
    /// 401: the token was issued by another environment than the one called.
    OtherEnvironment,
    /// 401: a legacy (username/password) token where only API tokens work (Insights).
    LegacyNotAccepted,
    /// 401: the token was valid and still refused (revoked, credentials changed).
    Rejected,
    /// The probes could not decide (some failed, no token to probe with, the call not sent).
    Inconclusive,
}

/// A verdict in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Which conclusion, for code that acts on it.
    pub kind: VerdictKind,
    /// The conclusion in one sentence, for a person.
    pub headline: String,
    /// The evidence and what to do, a sentence each.
    pub details: Vec<String>,
    /// The fix the app can apply itself, when there is one.
    pub fix: Option<Fix>,
}

impl Verdict {
    pub(crate) fn new(kind: VerdictKind, headline: impl Into<String>) -> Self {
        Self {
            kind,
            headline: headline.into(),
            details: Vec::new(),
            fix: None,
        }
    }

    pub(crate) fn detail(mut self, d: impl Into<String>) -> Self {
        self.details.push(d.into());
        self
    }

    /// `doctor`'s exit status: 0 works as given, 1 a fix was found, 2 none was.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            VerdictKind::Works => 0,
            _ if self.fix.is_some() => 1,
            _ => 2,
        }
    }
}
