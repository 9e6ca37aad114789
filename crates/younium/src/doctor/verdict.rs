//! A verdict: what the doctor concluded, in plain words, and the fix the app can apply.

use serde::Serialize;

/// What to do about it, when the app can do it for the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Fix {
    UseLegalEntity { value: String },
    Renew,
    SwitchEnvironment { base_url: String },
}

/// The kind of answer, for tests and machines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    Works,
    UnknownEntity,
    MissingHeader,
    MissingPermission,
    ForbiddenEverywhere,
    NotLegalEntity,
    NoToken,
    Expired,
    OtherEnvironment,
    LegacyNotAccepted,
    Rejected,
    Inconclusive,
}

/// A verdict in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub kind: VerdictKind,
    pub headline: String,
    pub details: Vec<String>,
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
