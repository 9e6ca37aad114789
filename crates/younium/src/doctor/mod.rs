//! Why did a call answer 401 or 403? Legal-entity discovery through `GET /Users`, safe probes
//! (GETs only, never a repeated write) and the verdicts drawn from them.
//!
//! The decisions are pure functions of the probe results, so each verdict is tested without a
//! network; [`discover`] and [`diagnose::diagnose`] (which sends the probes) do the HTTP.

pub mod diagnose;
mod discovery;
mod probes;
mod suggest;
mod verdict;
mod verdict401;
mod verdict403;

use serde::Serialize;

pub use discovery::{Discovery, DiscoveryError, DiscoverySource, Me, discover};
pub(crate) use probes::run_probes;
pub use probes::{Plan, Probe, ProbeOutcome, plan_403, probe_request};
pub use verdict::{Fix, Verdict, VerdictKind};
pub(crate) use verdict401::{Context401, verdict_401};
pub use verdict403::verdict_403;

/// A legal entity of the tenant, and the roles the current user holds in it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LegalEntity {
    /// The name, as `roles[].legalEntityName` gives it; a `legal-entity` header may carry it.
    pub name: String,
    /// The GUID (`roles[].legalEntityId`), when known: an entity typed by name has none.
    pub id: Option<String>,
    /// Role names the current user has there (empty when unknown).
    pub roles: Vec<String>,
}

impl LegalEntity {
    /// Whether a `legal-entity` header value names this entity (GUID or case-insensitive name).
    pub fn matches(&self, value: &str) -> bool {
        let v = value.trim();
        self.name.eq_ignore_ascii_case(v)
            || self
                .id
                .as_deref()
                .is_some_and(|id| id.eq_ignore_ascii_case(v))
    }
}

#[cfg(test)]
mod fixtures {
    use super::LegalEntity;

    pub(super) fn entities() -> Vec<LegalEntity> {
        vec![
            LegalEntity {
                name: "Nordlys Software AB".into(),
                id: Some("09b2a3a6-274a-44ca-bdf6-b43c4ac282fb".into()),
                roles: vec!["System Administrator".into()],
            },
            LegalEntity {
                name: "Nordlys Software Inc".into(),
                id: Some("c7f6d830-188d-4d3b-b6fc-3eede38fe9e3".into()),
                roles: vec!["Sales".into()],
            },
        ]
    }
}
