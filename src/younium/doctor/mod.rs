//! Why did a call answer 401 or 403? Legal-entity discovery through `GET /Users`, safe probes
//! (GETs only, never a repeated write) and the verdicts drawn from them.
//!
//! The decisions are pure functions of the probe results, so each verdict is tested without a
//! network; [`run_probes`] and [`discover`] do the HTTP.

pub mod diagnose;

use std::sync::Arc;

use futures::StreamExt;
use jiff::Timestamp;
use serde::Serialize;

use super::catalog::RequiredPermission;
use super::environment::Environment;
use super::paging::{PageInfo, with_page};
use super::request::{self, ApiRequest, ApiVersion, CallSettings, Http, Method, Param};
use super::token::{Jwt, Token, format_duration};

/// Probes in flight at once: enough to be quick, few enough not to look like an attack.
pub const PROBE_CONCURRENCY: usize = 3;

/// A legal entity of the tenant, and the roles the current user holds in it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LegalEntity {
    pub name: String,
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

/// Where the list of legal entities came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DiscoverySource {
    /// `GET /Users`, every page.
    Users {
        pages: u64,
        users: usize,
        current_user: Option<String>,
    },
    /// `/Users` could not be read; the entities are the ones typed or used before.
    Fallback { reason: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Discovery {
    pub entities: Vec<LegalEntity>,
    pub source: DiscoverySource,
}

/// Who the token belongs to, from its claims, to find "me" among the users.
#[derive(Clone, Debug, Default)]
pub struct Me {
    pub ids: Vec<String>,
}

impl Me {
    pub fn from_jwt(jwt: Option<&Jwt>) -> Me {
        let ids = jwt
            .map(|j| {
                [
                    "sub",
                    "email",
                    "preferred_username",
                    "name",
                    "client_id",
                    "user_id",
                    "userId",
                ]
                .iter()
                .filter_map(|c| j.string_claim(c).map(str::to_ascii_lowercase))
                .collect()
            })
            .unwrap_or_default();
        Me { ids }
    }

    fn is(&self, user: &serde_json::Value) -> bool {
        ["id", "email", "userName"].iter().any(|k| {
            user.get(k)
                .and_then(|v| v.as_str())
                .is_some_and(|v| self.ids.contains(&v.to_ascii_lowercase()))
        })
    }
}

/// Lists the tenant's legal entities from `GET /Users` (all pages). When `/Users` is
/// forbidden or fails, falls back to `fallback` and says why.
pub async fn discover(
    http: &Http,
    base_url: &str,
    token: &Token,
    legal_entity: Option<&str>,
    me: &Me,
    fallback: &[LegalEntity],
) -> Discovery {
    match read_users(http, base_url, token, legal_entity, me).await {
        Ok(d) => d,
        Err(reason) => Discovery {
            entities: fallback.to_vec(),
            source: DiscoverySource::Fallback { reason },
        },
    }
}

async fn read_users(
    http: &Http,
    base_url: &str,
    token: &Token,
    legal_entity: Option<&str>,
    me: &Me,
) -> Result<Discovery, String> {
    let mut req = ApiRequest::new(Method::Get, "/Users");
    req.query.push(Param::new("PageSize", "100"));
    // /Users covers every legal entity; try without the header first, then with it.
    let mut settings = CallSettings {
        api_version: ApiVersion::V2_1,
        legal_entity: None,
    };
    let mut entities: Vec<LegalEntity> = Vec::new();
    let (mut pages, mut users, mut current_user) = (0u64, 0usize, None);
    let mut page = 1u64;
    loop {
        let r = request::send(
            http,
            base_url,
            &with_page(&req, page),
            &settings,
            Some(token),
        )
        .await
        .map_err(|e| format!("GET /Users failed: {e}"))?;
        if r.status == 403 && page == 1 && settings.legal_entity.is_none() && legal_entity.is_some()
        {
            settings.legal_entity = legal_entity.map(str::to_string);
            continue;
        }
        if r.status == 403 {
            return Err("GET /Users answered 403: your user lacks the User View permission, so the tenant's legal entities cannot be listed".into());
        }
        if r.is_empty_list() {
            break;
        }
        if !r.is_success() {
            return Err(format!(
                "GET /Users answered {}: {}",
                r.status_line(),
                r.problem().summary().unwrap_or_default()
            ));
        }
        let body: serde_json::Value = serde_json::from_slice(&r.body)
            .map_err(|e| format!("GET /Users answered something that is not JSON: {e}"))?;
        let list = body
            .get("data")
            .or(Some(&body))
            .and_then(|d| d.as_array())
            .ok_or("GET /Users answered JSON without a user list")?;
        pages += 1;
        for user in list {
            users += 1;
            let mine = me.is(user);
            if mine {
                current_user = ["email", "userName", "id"]
                    .iter()
                    .find_map(|k| user.get(k).and_then(|v| v.as_str()).map(str::to_string));
            }
            for role in user
                .get("roles")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
            {
                let (Some(id), name) = (
                    role.get("legalEntityId").and_then(|v| v.as_str()),
                    role.get("legalEntityName").and_then(|v| v.as_str()),
                ) else {
                    continue;
                };
                let index = match entities.iter().position(|e| e.id.as_deref() == Some(id)) {
                    Some(i) => i,
                    None => {
                        entities.push(LegalEntity {
                            name: name.unwrap_or(id).to_string(),
                            id: Some(id.to_string()),
                            roles: Vec::new(),
                        });
                        entities.len() - 1
                    }
                };
                if mine && let Some(role_name) = role.get("name").and_then(|v| v.as_str()) {
                    let roles = &mut entities[index].roles;
                    if !roles.iter().any(|r| r == role_name) {
                        roles.push(role_name.to_string());
                    }
                }
            }
        }
        match PageInfo::probe(&r.body) {
            Some(info) if info.has_next && page < 1000 => page += 1,
            _ => break,
        }
    }
    Ok(Discovery {
        entities,
        source: DiscoverySource::Users {
            pages,
            users,
            current_user,
        },
    })
}

/// What a probe is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Probe {
    /// `as sent`, `no header`, `by GUID`, `by name`, `control`.
    pub label: String,
    /// The legal entity it is about, if any.
    pub entity: Option<String>,
    /// The `legal-entity` header value (`None`: no header).
    pub header: Option<String>,
    pub outcome: ProbeOutcome,
    /// The control probe uses another resource to tell a blocked user from a missing permission.
    #[serde(skip)]
    control: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ProbeOutcome {
    Pending,
    Status { status: u16 },
    Failed { error: String },
}

impl ProbeOutcome {
    /// The call was allowed: anything but 401/403 (a 404 or an empty-list 400 means the
    /// server looked, so the legal entity and permission were accepted).
    pub fn allowed(&self) -> Option<bool> {
        match self {
            ProbeOutcome::Status { status } => Some(!matches!(status, 401 | 403)),
            _ => None,
        }
    }

    pub fn label(&self) -> String {
        match self {
            ProbeOutcome::Pending => "…".into(),
            ProbeOutcome::Status { status } => match status {
                200..=299 => format!("{status} allowed"),
                400 | 404 => format!("{status} allowed (looked)"),
                401 => "401 unauthorized".into(),
                403 => "403 forbidden".into(),
                s => format!("{s}"),
            },
            ProbeOutcome::Failed { error } => format!("failed: {error}"),
        }
    }
}

/// The probes for one 403: which request they send, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub method: Method,
    pub path: String,
    /// The request the probes send (always a GET).
    #[serde(skip)]
    pub probe: ApiRequest,
    pub probe_label: String,
    /// Set when the original was a write, which is never repeated.
    pub write_not_repeated: Option<String>,
    pub sent_header: Option<String>,
    pub probes: Vec<Probe>,
    #[serde(skip)]
    control_request: Option<ApiRequest>,
}

/// The GET a probe sends for `original`: the same request for a GET, otherwise the list
/// endpoint of the same resource with `PageSize=1`.
pub fn probe_request(original: &ApiRequest) -> ApiRequest {
    if original.method == Method::Get {
        let mut probe = original.clone();
        probe
            .headers
            .retain(|h| !h.name.trim().eq_ignore_ascii_case("legal-entity"));
        return probe;
    }
    let resource = original
        .path
        .trim_start_matches('/')
        .split(['/', '?'])
        .next()
        .unwrap_or("");
    let mut probe = ApiRequest::new(Method::Get, format!("/{resource}"));
    probe.query.push(Param::new("PageSize", "1"));
    probe.headers = original
        .headers
        .iter()
        .filter(|h| !h.name.trim().eq_ignore_ascii_case("legal-entity"))
        .cloned()
        .collect();
    probe
}

/// Plans the probes: the header as sent, no header, each known entity by GUID and by name,
/// and a control on another resource. Identical header values are probed once; values that
/// differ only in case are both probed, since a server may match names exactly.
pub fn plan_403(
    original: &ApiRequest,
    sent_header: Option<&str>,
    entities: &[LegalEntity],
) -> Plan {
    let probe = probe_request(original);
    let mut probes: Vec<Probe> = Vec::new();
    let mut add = |label: &str, entity: Option<&str>, header: Option<&str>| {
        let dup = probes.iter().any(|p| match (&p.header, header) {
            (Some(a), Some(b)) => a.trim() == b.trim(),
            (None, None) => true,
            _ => false,
        });
        if !dup {
            probes.push(Probe {
                label: label.into(),
                entity: entity.map(str::to_string),
                header: header.map(str::to_string),
                outcome: ProbeOutcome::Pending,
                control: false,
            });
        }
    };
    let sent = sent_header.filter(|s| !s.trim().is_empty());
    if let Some(value) = sent {
        let entity = entities
            .iter()
            .find(|e| e.matches(value))
            .map(|e| e.name.as_str());
        add("as sent", entity, Some(value));
    }
    add("no header", None, None);
    for e in entities {
        if let Some(id) = &e.id {
            add("by GUID", Some(&e.name), Some(id));
        }
        add("by name", Some(&e.name), Some(&e.name));
    }
    let resource = probe
        .path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let control_path = if resource == "accounts" {
        "/Products"
    } else {
        "/Accounts"
    };
    let mut control = ApiRequest::new(Method::Get, control_path);
    control.query.push(Param::new("PageSize", "1"));
    // The control reads another resource in a legal entity known to exist, spelled as the
    // tenant spells it: the one sent if it is one, else the first. It tells "this resource is
    // forbidden" from "all is".
    let control_header = sent
        .and_then(|v| entities.iter().find(|e| e.matches(v)))
        .or_else(|| entities.first())
        .map(|e| e.name.clone())
        .or_else(|| sent.map(str::to_string));
    probes.push(Probe {
        label: format!("control: GET {control_path}"),
        entity: None,
        header: control_header,
        outcome: ProbeOutcome::Pending,
        control: true,
    });
    Plan {
        method: original.method,
        path: original.path.clone(),
        probe_label: format!("GET {}", probe.path),
        write_not_repeated: original.method.is_write().then(|| {
            format!(
                "{} is a write and is never repeated; the probes read GET {} instead",
                original.method, probe.path
            )
        }),
        probe,
        sent_header: sent.map(str::to_string),
        probes,
        control_request: Some(control),
    }
}

/// Runs the planned probes, at most [`PROBE_CONCURRENCY`] at once, calling `progress` as each
/// finishes. Only GETs are sent.
pub async fn run_probes(
    http: &Http,
    base_url: &str,
    token: Option<&Token>,
    api_version: ApiVersion,
    plan: &mut Plan,
    mut progress: impl FnMut(usize, &ProbeOutcome),
) {
    let jobs: Vec<(usize, ApiRequest, CallSettings)> = plan
        .probes
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let req = if p.control {
                plan.control_request
                    .clone()
                    .unwrap_or_else(|| plan.probe.clone())
            } else {
                plan.probe.clone()
            };
            debug_assert_eq!(req.method, Method::Get, "probes never write");
            (
                i,
                req,
                CallSettings {
                    api_version,
                    legal_entity: p.header.clone(),
                },
            )
        })
        .collect();
    let mut results = futures::stream::iter(jobs)
        .map(|(i, req, settings)| async move {
            let outcome = match request::send(http, base_url, &req, &settings, token).await {
                Ok(r) => ProbeOutcome::Status { status: r.status },
                Err(e) => ProbeOutcome::Failed {
                    error: e.to_string(),
                },
            };
            (i, outcome)
        })
        .buffer_unordered(PROBE_CONCURRENCY);
    while let Some((i, outcome)) = results.next().await {
        progress(i, &outcome);
        plan.probes[i].outcome = outcome;
    }
}

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

fn names(entities: &[&LegalEntity]) -> String {
    entities
        .iter()
        .map(|e| match &e.id {
            Some(id) => format!("{} ({id})", e.name),
            None => e.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Letters and digits only, lower-cased: the form in which case and spacing mistakes vanish.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn looks_like_guid(s: &str) -> bool {
    uuid::Uuid::parse_str(s.trim()).is_ok()
}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Suggestions for a header value that matches no legal entity.
pub fn suggestions(value: &str, entities: &[LegalEntity]) -> Vec<String> {
    let v = value.trim();
    if looks_like_guid(v) {
        return vec![format!(
            "{v:?} is a GUID, but none of this tenant's legal entities has it: a GUID from another tenant, or from the other environment (sandbox and production legal entities have different GUIDs)"
        )];
    }
    let exact: Vec<String> = entities
        .iter()
        .filter(|e| squash(&e.name) == squash(v))
        .map(|e| {
            format!(
                "{v:?} differs from {:?} only in case, spacing or punctuation",
                e.name
            )
        })
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    entities
        .iter()
        .filter(|e| {
            distance(&v.to_lowercase(), &e.name.to_lowercase()) <= (e.name.len() / 4).max(2)
        })
        .map(|e| format!("did you mean {:?}?", e.name))
        .collect()
}

/// Draws the 403 verdict from finished probes. `permission` is the endpoint's permission and
/// whether it was inferred from the resource's other endpoints.
pub fn verdict_403(
    plan: &Plan,
    entities: &[LegalEntity],
    permission: Option<&RequiredPermission>,
) -> Verdict {
    let mut v = verdict_from_probes(plan, entities, permission.map(|p| p.name.clone()));
    if let Some(RequiredPermission {
        name: p,
        inferred: true,
    }) = permission
        && v.headline.contains(p.as_str())
    {
        v = v.detail(format!(
            "The spec does not name this endpoint's permission; {p} is the one it names for this resource's other endpoints."
        ));
    }
    v
}

fn verdict_from_probes(
    plan: &Plan,
    entities: &[LegalEntity],
    perm_text: Option<String>,
) -> Verdict {
    let allowed = |p: &Probe| p.outcome.allowed();
    let entity_works = |e: &LegalEntity| -> Option<bool> {
        let mine: Vec<Option<bool>> = plan
            .probes
            .iter()
            .filter(|p| !p.control && p.entity.as_deref() == Some(e.name.as_str()))
            .map(allowed)
            .collect();
        if mine.contains(&Some(true)) {
            Some(true)
        } else if mine.iter().all(|m| *m == Some(false)) && !mine.is_empty() {
            Some(false)
        } else {
            None
        }
    };
    let working: Vec<&LegalEntity> = entities
        .iter()
        .filter(|e| entity_works(e) == Some(true))
        .collect();
    let as_sent = plan.probes.iter().find(|p| p.label == "as sent");
    let no_header = plan.probes.iter().find(|p| p.label == "no header");
    let control = plan.probes.iter().find(|p| p.control);
    if plan
        .probes
        .iter()
        .any(|p| matches!(p.outcome, ProbeOutcome::Status { status: 401 }))
    {
        return Verdict::new(
            VerdictKind::Inconclusive,
            "The probes answered 401: the token is the problem, not the legal entity",
        )
        .detail("Renew the token and diagnose again; the 401 diagnosis tells why it was refused.");
    }
    let sent_works = match (&plan.sent_header, as_sent, no_header) {
        (Some(_), Some(p), _) => allowed(p),
        (None, _, Some(p)) => allowed(p),
        _ => None,
    };
    if sent_works == Some(true) {
        let mut v = match &plan.write_not_repeated {
            Some(note) => Verdict::new(VerdictKind::NotLegalEntity, "Not a legal-entity problem: reading this resource works with the header as sent")
                .detail(note.clone())
                .detail(format!("A 403 on the {} itself then comes from a missing write permission for this resource, or a blocked integration.", plan.method)),
            None => Verdict::new(VerdictKind::Works, "The call works as given: the probe with the same header was allowed")
                .detail("If it answered 403 before, the permission or the legal entity was changed since."),
        };
        if let Some(p) = &perm_text {
            v = v.detail(format!("The endpoint needs {p}."));
        }
        return v;
    }
    if sent_works.is_none() {
        return Verdict::new(
            VerdictKind::Inconclusive,
            "The probe with the header as sent did not complete",
        )
        .detail("See the probe table for the error, then try again.");
    }
    let everything_forbidden = plan.probes.iter().all(|p| allowed(p) == Some(false));
    let control_ok = control.and_then(allowed);
    match plan.sent_header.as_deref() {
        Some(value) => {
            let sent_entity = entities.iter().find(|e| e.matches(value));
            match sent_entity {
                None if !working.is_empty() || !entities.is_empty() => {
                    let mut v = Verdict::new(VerdictKind::UnknownEntity, format!("The legal-entity header {value:?} matches no legal entity of this tenant"));
                    for s in suggestions(value, entities) {
                        v = v.detail(s);
                    }
                    v = v.detail(format!("The tenant's legal entities: {}.", names(&entities.iter().collect::<Vec<_>>())));
                    match working.first() {
                        Some(first) => {
                            v = v.detail(format!("The call works with: {}.", names(&working)));
                            let best = entities
                                .iter()
                                .filter(|e| working.contains(e))
                                .min_by_key(|e| distance(&squash(&e.name), &squash(value)))
                                .unwrap_or(first);
                            v.fix = Some(Fix::UseLegalEntity { value: best.name.clone() });
                        }
                        None => v = v.detail("It is forbidden in every legal entity too: see the permission."),
                    }
                    v
                }
                None => Verdict::new(VerdictKind::Inconclusive, format!("The legal-entity header {value:?} was refused, and this tenant's legal entities are unknown"))
                    .detail("GET /Users could not list them; type the names you know in the legal-entity pick-list and diagnose again."),
                Some(entity) if working.contains(&entity) => spelling_verdict(value, entity, &working),
                Some(entity) => permission_verdict(entity, &working, perm_text, everything_forbidden, control_ok, plan),
            }
        }
        None => {
            if entities.len() >= 2 || !working.is_empty() {
                let mut v = Verdict::new(
                    VerdictKind::MissingHeader,
                    "No legal-entity header was sent, and this tenant has several legal entities",
                )
                .detail(format!(
                    "Send one of: {}.",
                    names(&entities.iter().collect::<Vec<_>>())
                ));
                match working.first() {
                    Some(first) => {
                        v = v.detail(format!("The call works with: {}.", names(&working)));
                        v.fix = Some(Fix::UseLegalEntity {
                            value: first.name.clone(),
                        });
                    }
                    None => {
                        v = v
                            .detail("But it is forbidden in every one of them: see the permission.")
                    }
                }
                v
            } else if everything_forbidden {
                forbidden_everywhere(perm_text, control_ok, plan)
            } else {
                Verdict::new(VerdictKind::Inconclusive, "No legal-entity header was sent and the tenant's legal entities are unknown")
                    .detail("GET /Users could not list them; type the names you know in the legal-entity pick-list and diagnose again.")
            }
        }
    }
}

/// The header names an entity the call works in, but not as the server accepts it: Younium
/// matches names case-insensitively, a server that does not wants the tenant's own spelling.
fn spelling_verdict(value: &str, entity: &LegalEntity, working: &[&LegalEntity]) -> Verdict {
    let mut v = Verdict::new(
        VerdictKind::UnknownEntity,
        format!(
            "The legal-entity header {value:?} was refused, but {:?} works: the server accepts it only as the tenant spells it",
            entity.name
        ),
    );
    if value.trim() != value {
        v = v.detail("The value sent has spaces around it.");
    }
    v = v.detail(format!("The call works with: {}.", names(working)));
    v.fix = Some(Fix::UseLegalEntity {
        value: entity.name.clone(),
    });
    v
}

fn permission_verdict(
    entity: &LegalEntity,
    working: &[&LegalEntity],
    perm_text: Option<String>,
    everything_forbidden: bool,
    control_ok: Option<bool>,
    plan: &Plan,
) -> Verdict {
    if working.is_empty() {
        return if everything_forbidden || control_ok.is_some() {
            forbidden_everywhere(perm_text, control_ok, plan)
        } else {
            Verdict::new(VerdictKind::Inconclusive, "Some probes did not complete")
                .detail("See the probe table.")
        };
    }
    let need = perm_text.unwrap_or_else(|| "the permission for this resource".into());
    let mut v = Verdict::new(
        VerdictKind::MissingPermission,
        format!(
            "The legal entity {:?} is right, but your user lacks {need} there",
            entity.name
        ),
    );
    if !entity.roles.is_empty() {
        v = v.detail(format!(
            "Your role(s) in {}: {}.",
            entity.name,
            entity.roles.join(", ")
        ));
    }
    v = v.detail(format!("The same call works in: {}.", names(working)));
    v = v.detail("Ask an administrator to grant it (Younium: Settings → Roles), or use a legal entity where it works.");
    v.fix = working.first().map(|w| Fix::UseLegalEntity {
        value: w.name.clone(),
    });
    v
}

fn forbidden_everywhere(
    perm_text: Option<String>,
    control_ok: Option<bool>,
    plan: &Plan,
) -> Verdict {
    let control = plan
        .probes
        .iter()
        .find(|p| p.control)
        .map(|p| p.label.trim_start_matches("control: ").to_string())
        .unwrap_or_default();
    let need = perm_text.unwrap_or_else(|| "the permission for this resource".into());
    match control_ok {
        Some(true) => Verdict::new(VerdictKind::ForbiddenEverywhere, format!("Forbidden in every legal entity: your user lacks {need} everywhere"))
            .detail(format!("Every probe of {} answered 403, while {control} was allowed: the user works, this resource does not.", plan.probe_label))
            .detail("Ask an administrator to grant the permission in the legal entity you need."),
        _ => Verdict::new(VerdictKind::ForbiddenEverywhere, "Everything is forbidden, in every legal entity")
            .detail(format!("Every probe answered 403, the control {control} included: the user (or the integration it belongs to) is blocked, or lacks every permission."))
            .detail("Check the user's roles and any connected integration or service in Younium, or ask Younium support."),
    }
}

/// Where a token came from, as far as the app can tell.
#[derive(Clone, Debug)]
enum TokenSource {
    /// One this app issued in this session.
    Issued(Arc<Token>),
    /// A token from elsewhere (pasted), decoded if possible.
    Foreign(Option<Jwt>),
}

/// What the 401 diagnosis knows.
pub struct Context401<'a> {
    /// The bearer value that was sent, if any.
    pub sent: Option<&'a str>,
    /// Tokens this session issued, to recognise the one sent.
    pub issued: &'a [Arc<Token>],
    pub called: &'a Environment,
    pub path: &'a str,
    pub sent_at: Timestamp,
    pub www_authenticate: Option<&'a str>,
}

/// The host (and port) of a URL, lower-cased.
fn authority(url: &str) -> Option<String> {
    let u = reqwest::Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some(match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

/// Whether a token's issuer belongs to the environment called; `None` when it cannot be told.
fn issuer_matches(iss: &str, called: &Environment) -> Option<bool> {
    let (iss_auth, called_auth) = (authority(iss)?, authority(called.base_url())?);
    if iss_auth == called_auth {
        return Some(true);
    }
    let younium = |h: &str| h.ends_with("younium.com") || h.contains("younium.com:");
    if younium(&iss_auth) && younium(&called_auth) {
        let flags = |h: &str| {
            (
                h.contains("sandbox"),
                h.contains(".us.") || h.starts_with("us."),
            )
        };
        return Some(flags(&iss_auth) == flags(&called_auth));
    }
    // Two different hosts that are not Younium's (a proxy, the simulator): different servers.
    let local =
        |h: &str| h.starts_with("127.") || h.starts_with("localhost") || h.starts_with("[::1]");
    (local(&iss_auth) && local(&called_auth)).then_some(false)
}

/// Tells apart the reasons for a 401.
pub fn verdict_401(ctx: &Context401<'_>) -> Verdict {
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
            t.origin.method == super::auth::AuthMethod::Legacy,
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
        (Some(env), _) => Some(env.base_url() != ctx.called.base_url()),
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
    use crate::younium::catalog::catalog;

    fn entities() -> Vec<LegalEntity> {
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

    /// Fills the plan's outcomes: `works(header)` says whether a header value is allowed.
    fn finish(plan: &mut Plan, works: impl Fn(Option<&str>, bool) -> u16) {
        for p in &mut plan.probes {
            p.outcome = ProbeOutcome::Status {
                status: works(p.header.as_deref(), p.control),
            };
        }
    }

    fn is_entity(h: Option<&str>, es: &[LegalEntity]) -> Option<usize> {
        es.iter().position(|e| h.is_some_and(|h| e.matches(h)))
    }

    /// Answers as a server where any header naming a legal entity (GUID, or name in any case)
    /// is allowed and anything else is forbidden.
    fn works_in_every_entity(plan: &mut Plan, es: &[LegalEntity]) {
        finish(
            plan,
            |h, _| {
                if is_entity(h, es).is_some() { 200 } else { 403 }
            },
        );
    }

    #[test]
    fn writes_are_never_probed_with_their_own_method() {
        let mut post = ApiRequest::new(Method::Post, "/Invoices/123/post");
        post.body = Some("{}".into());
        post.headers.push(Param::new("legal-entity", "x"));
        let plan = plan_403(&post, Some("x"), &entities());
        assert_eq!(plan.probe.method, Method::Get);
        assert_eq!(plan.probe.path, "/Invoices");
        assert!(plan.probe.body.is_none());
        assert!(plan.write_not_repeated.is_some());
        assert!(plan.probes.iter().all(|_| plan.probe.method == Method::Get));
        // Header value, no header, 2 × (GUID, name), control.
        assert_eq!(plan.probes.len(), 7);
    }

    #[test]
    fn wrong_name_suggests_and_fixes() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Accounts");
        let mut plan = plan_403(&req, Some("Nordlys Sofware AB"), &es);
        works_in_every_entity(&mut plan, &es);
        let v = verdict_403(&plan, &es, None);
        assert_eq!(v.kind, VerdictKind::UnknownEntity);
        assert!(
            v.details
                .iter()
                .any(|d| d.contains("did you mean \"Nordlys Software AB\"")),
            "{v:?}"
        );
        assert_eq!(
            v.fix,
            Some(Fix::UseLegalEntity {
                value: "Nordlys Software AB".into()
            })
        );
        assert_eq!(v.exit_code(), 1);
    }

    #[test]
    fn a_server_that_matches_names_exactly_gets_the_tenant_spelling() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Accounts");
        let mut plan = plan_403(&req, Some("nordlys software ab"), &es);
        // The exact name is probed too, and the control uses the tenant's spelling.
        assert!(
            plan.probes
                .iter()
                .any(|p| !p.control && p.header.as_deref() == Some("Nordlys Software AB"))
        );
        let control = plan.probes.iter().find(|p| p.control).unwrap();
        assert_eq!(control.header.as_deref(), Some("Nordlys Software AB"));
        finish(&mut plan, |h, _| {
            let exact =
                |e: &LegalEntity| h.is_some_and(|h| h == e.name || e.id.as_deref() == Some(h));
            if es.iter().any(exact) { 200 } else { 403 }
        });
        let v = verdict_403(&plan, &es, Some(&RequiredPermission::named("Account View")));
        assert_eq!(v.kind, VerdictKind::UnknownEntity, "{v:?}");
        assert!(
            v.headline.contains("\"Nordlys Software AB\" works"),
            "{v:?}"
        );
        assert_eq!(
            v.fix,
            Some(Fix::UseLegalEntity {
                value: "Nordlys Software AB".into()
            })
        );
    }

    #[test]
    fn case_and_spacing_are_named() {
        let s = suggestions("nordlys  software-ab", &entities());
        assert!(
            s[0].contains("only in case, spacing or punctuation"),
            "{s:?}"
        );
    }

    #[test]
    fn a_foreign_guid_is_called_out() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Accounts");
        let guid = "6f1c2a9e-0000-4000-8000-1234567890ab";
        let mut plan = plan_403(&req, Some(guid), &es);
        works_in_every_entity(&mut plan, &es);
        let v = verdict_403(&plan, &es, None);
        assert_eq!(v.kind, VerdictKind::UnknownEntity);
        assert!(v.details[0].contains("GUID from another tenant"), "{v:?}");
    }

    #[test]
    fn missing_header_lists_the_entities() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Accounts");
        let mut plan = plan_403(&req, None, &es);
        works_in_every_entity(&mut plan, &es);
        let v = verdict_403(&plan, &es, None);
        assert_eq!(v.kind, VerdictKind::MissingHeader);
        assert!(
            v.details[0].contains("Nordlys Software AB (09b2a3a6"),
            "{v:?}"
        );
        assert!(matches!(v.fix, Some(Fix::UseLegalEntity { .. })));
    }

    #[test]
    fn permission_missing_in_one_entity() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Invoices");
        let mut plan = plan_403(&req, Some("Nordlys Software Inc"), &es);
        finish(&mut plan, |h, control| {
            if control || is_entity(h, &es) == Some(0) {
                200
            } else {
                403
            }
        });
        let v = verdict_403(&plan, &es, Some(&RequiredPermission::named("Invoice View")));
        assert_eq!(v.kind, VerdictKind::MissingPermission);
        assert!(v.headline.contains("lacks Invoice View"), "{v:?}");
        assert!(
            v.details
                .iter()
                .any(|d| d.contains("Your role(s) in Nordlys Software Inc: Sales"))
        );
        assert!(
            v.details
                .iter()
                .any(|d| d.contains("works in: Nordlys Software AB"))
        );
        assert_eq!(
            v.fix,
            Some(Fix::UseLegalEntity {
                value: "Nordlys Software AB".into()
            })
        );
    }

    #[test]
    fn forbidden_everywhere_with_and_without_a_working_control() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Invoices");
        let mut plan = plan_403(&req, Some("Nordlys Software AB"), &es);
        finish(&mut plan, |_, control| if control { 200 } else { 403 });
        let v = verdict_403(
            &plan,
            &es,
            Some(&RequiredPermission {
                name: "Invoice View".into(),
                inferred: true,
            }),
        );
        assert_eq!(v.kind, VerdictKind::ForbiddenEverywhere);
        assert!(
            v.headline.contains("lacks Invoice View everywhere"),
            "{v:?}"
        );
        assert!(
            v.details
                .last()
                .unwrap()
                .contains("does not name this endpoint's permission")
        );
        assert!(
            v.details[0].contains("control") || v.details[0].contains("GET /Accounts was allowed"),
            "{v:?}"
        );
        assert_eq!(v.exit_code(), 2);
        finish(&mut plan, |_, _| 403);
        let v = verdict_403(&plan, &es, None);
        assert!(v.headline.starts_with("Everything is forbidden"), "{v:?}");
    }

    #[test]
    fn a_write_whose_read_works_is_not_a_legal_entity_problem() {
        let es = entities();
        let req = ApiRequest::new(Method::Delete, "/Accounts/A-1");
        let mut plan = plan_403(&req, Some("Nordlys Software AB"), &es);
        works_in_every_entity(&mut plan, &es);
        let v = verdict_403(&plan, &es, None);
        assert_eq!(v.kind, VerdictKind::NotLegalEntity);
        assert!(v.details[0].contains("never repeated"));
    }

    #[test]
    fn inferred_permissions_come_from_sibling_endpoints() {
        assert_eq!(
            catalog().permission_for(Method::Get, "/Accounts/1"),
            Some(RequiredPermission::named("Account View"))
        );
        assert_eq!(
            catalog().permission_for(Method::Get, "/Invoices"),
            Some(RequiredPermission {
                name: "Invoice View".into(),
                inferred: true
            })
        );
    }

    /// A token issued an hour ago that lived `lifetime` seconds (so 60 has expired).
    fn token_from(env: Environment, lifetime: i64) -> Arc<Token> {
        let expires_in = lifetime;
        let at = Timestamp::now() - jiff::SignedDuration::from_secs(3600);
        let body = format!(
            r#"{{"accessToken":"tok-{}-abcdefghijklmnop","expiresIn":{expires_in}}}"#,
            env.key()
        );
        Arc::new(
            super::super::token::parse_token_answer(
                body.as_bytes(),
                super::super::token::ExchangeContext {
                    origin: super::super::token::TokenOrigin {
                        environment: env,
                        method: super::super::auth::AuthMethod::ApiTokenV1,
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
    }
}
