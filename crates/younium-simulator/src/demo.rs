//! Credentials and legal entities of the simulator's demo tenant, "Nordlys Software".
//!
//! These values are public on purpose: they only open the simulator, never a real Younium tenant.

/// Client ID of the demo API user, who has every permission in the first legal entity and lacks
/// *Invoice View* (and the other invoice permissions) in the second.
pub const CLIENT_ID: &str = "1f9f7812-f445-402c-8c60-fb1916c4d186";
/// Secret of the demo API user.
pub const SECRET: &str = "nordlys-demo-secret-Vq7Lk2Rx9Pw4";

/// Client ID of an API user who lacks *User View* and *Invoice View* (and *Invoice Read*) in every
/// legal entity, and may not write anything.
pub const LIMITED_CLIENT_ID: &str = "411a0308-cc7f-4f19-ae5a-67d39cb4a7b1";
/// Secret of the limited API user.
pub const LIMITED_SECRET: &str = "nordlys-limited-secret-Hc3Tn8Za5Jm1";

/// Username for the legacy password grant (`POST /connect/token`, `client_id=apiclient`).
pub const LEGACY_USERNAME: &str = "legacy.integration@nordlys.example";
/// Password for the legacy password grant.
pub const LEGACY_PASSWORD: &str = "legacy-demo-password";

/// A legal entity of the demo tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LegalEntityInfo {
    /// The GUID, accepted in the `legal-entity` header.
    pub id: &'static str,
    /// The name, also accepted in the `legal-entity` header (matched case-insensitively).
    pub name: &'static str,
}

/// The demo tenant's legal entities. The first is the default for legacy logins without
/// `legal_entity`.
pub const LEGAL_ENTITIES: [LegalEntityInfo; 2] = [
    LegalEntityInfo {
        id: "09b2a3a6-274a-44ca-bdf6-b43c4ac282fb",
        name: "Nordlys Software AB",
    },
    LegalEntityInfo {
        id: "c7f6d830-188d-4d3b-b6fc-3eede38fe9e3",
        name: "Nordlys Software Inc",
    },
];
