//! The probes for a 403: which GETs to send (never a repeated write), with which
//! `legal-entity` headers, and sending them.

use futures::StreamExt;
use serde::Serialize;

use super::LegalEntity;
use crate::request::{self, ApiRequest, ApiVersion, CallSettings, Http, Method, Param};
use crate::token::Token;

/// Probes in flight at once: enough to be quick, few enough not to look like an attack.
pub(crate) const PROBE_CONCURRENCY: usize = 3;

/// What a probe is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Probe {
    /// `as sent`, `no header`, `by GUID`, `by name`, `control`.
    pub label: String,
    /// The legal entity it is about, if any.
    pub entity: Option<String>,
    /// The `legal-entity` header value (`None`: no header).
    pub header: Option<String>,
    /// What it answered (pending until it has).
    pub outcome: ProbeOutcome,
    /// The control probe uses another resource to tell a blocked user from a missing permission.
    #[serde(skip)]
    pub(super) control: bool,
}

/// What a probe answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ProbeOutcome {
    /// Not sent yet, or no answer yet.
    Pending,
    /// The server answered.
    Status {
        /// The HTTP status.
        status: u16,
    },
    /// No answer: the request could not be sent or the connection failed.
    Failed {
        /// Why.
        error: String,
    },
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

    /// A short line for a table of probes: `200 allowed`, `404 allowed (looked)`,
    /// `403 forbidden`, `failed: <why>`.
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
    /// The method of the call that answered 403.
    pub method: Method,
    /// Its path.
    pub path: String,
    /// The request the probes send (always a GET).
    #[serde(skip)]
    pub probe: ApiRequest,
    /// `GET /Invoices`: what the probes send, for a heading.
    pub probe_label: String,
    /// Set when the original was a write, which is never repeated.
    pub write_not_repeated: Option<String>,
    /// The `legal-entity` value the call carried (`None`: none, or blank).
    pub sent_header: Option<String>,
    /// The probes in the order they are shown; the control comes last.
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
pub(crate) async fn run_probes(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::fixtures::entities;

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
}
