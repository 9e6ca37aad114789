//! The whole diagnosis of one call, as the TUI and `younium-tui doctor` run it: send the call
//! itself when it is a GET, then the 401 or 403 reasoning, with progress reported as it goes.

use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;

use super::{
    Context401, Discovery, LegalEntity, Me, Plan, ProbeOutcome, Verdict, VerdictKind, discover,
    plan_403, run_probes, verdict_401, verdict_403,
};
use crate::catalog::catalog;
use crate::environment::Environment;
use crate::request::{self, ApiRequest, CallSettings, Http};
use crate::token::Token;

/// What a diagnosis knows before it starts.
pub struct Input<'a> {
    /// The client the call and the probes are sent with.
    pub http: &'a Http,
    /// Where the call goes (and, for a 401, where its token should come from).
    pub environment: &'a Environment,
    /// The call being diagnosed.
    pub request: &'a ApiRequest,
    /// The `api-version` and `legal-entity` it was sent with.
    pub settings: &'a CallSettings,
    /// The managed token, when the request uses it.
    pub token: Option<Arc<Token>>,
    /// Tokens this session issued (to recognise one pasted into a header).
    pub issued: &'a [Arc<Token>],
    /// Entities typed or used before, for when `/Users` cannot be read.
    pub fallback_entities: &'a [LegalEntity],
    /// The status the call already answered (the TUI has it); `None` sends the call (GET only).
    pub known: Option<Known>,
}

/// A response already in hand.
#[derive(Clone, Debug)]
pub struct Known {
    /// The HTTP status.
    pub status: u16,
    /// The `WWW-Authenticate` header of the answer (a 401 says there why the token failed).
    pub www_authenticate: Option<String>,
    /// The `Authorization` value that was sent (wire form), if any.
    pub authorization: Option<String>,
    /// When it was sent: whether the token had expired by then decides an "expired" verdict.
    pub sent_at: Timestamp,
}

/// Steps, for a progress display.
#[derive(Clone, Debug)]
pub enum Progress {
    /// The call as given answered this.
    Original(u16),
    /// The tenant's legal entities were listed (a 403).
    Discovered(Box<Discovery>),
    /// The probes to send were chosen (a 403).
    Planned(Box<Plan>),
    /// Probe number `.0` of the plan answered.
    Probe(usize, ProbeOutcome),
}

/// The result.
#[derive(Clone, Debug, Serialize)]
pub struct Diagnosis {
    /// The call's method (`GET`).
    pub method: String,
    /// The call's path as given.
    pub path: String,
    /// What the call as given answered (`None`: a write, not sent).
    pub status: Option<u16>,
    /// The legal entities found (a 403 only).
    pub discovery: Option<Discovery>,
    /// The probes sent and what each answered (a 403 only).
    pub plan: Option<Plan>,
    /// The conclusion, with the details that support it and what to do.
    pub verdict: Verdict,
}

/// Runs the diagnosis. Writes are never sent: only GETs go out.
pub async fn diagnose(input: Input<'_>, mut progress: impl FnMut(Progress)) -> Diagnosis {
    let req = input.request;
    let base = input.environment.base_url();
    let bearer = input.token.as_deref();
    let mut result = Diagnosis {
        method: req.method.to_string(),
        path: req.path.clone(),
        status: None,
        discovery: None,
        plan: None,
        verdict: Verdict::new(VerdictKind::Inconclusive, ""),
    };
    let known = match input.known.clone() {
        Some(k) => Some(k),
        None if !req.method.is_write() => {
            match request::send(input.http, base, req, input.settings, bearer).await {
                Ok(r) => Some(Known {
                    status: r.status,
                    www_authenticate: r.header("www-authenticate").map(str::to_string),
                    authorization: r.sent.header("authorization").map(|h| h.wire()),
                    sent_at: r.sent.sent_at,
                }),
                Err(e) => {
                    result.verdict = Verdict::new(
                        VerdictKind::Inconclusive,
                        format!("The call could not be sent: {e}"),
                    );
                    return result;
                }
            }
        }
        None => None,
    };
    if let Some(k) = &known {
        result.status = Some(k.status);
        progress(Progress::Original(k.status));
        match k.status {
            401 => {
                let ctx = Context401 {
                    sent: k.authorization.as_deref(),
                    issued: input.issued,
                    called: input.environment,
                    path: &req.path,
                    sent_at: k.sent_at,
                    www_authenticate: k.www_authenticate.as_deref(),
                };
                result.verdict = verdict_401(&ctx);
                return result;
            }
            403 => {}
            s if !(200..300).contains(&s) && s != 404 && s != 400 => {
                result.verdict = Verdict::new(VerdictKind::NotLegalEntity, format!("The call answered {s}: not a 401 or 403, so neither the token nor the legal entity is the problem"))
                    .detail("See the response's explanation for what the status means.");
                return result;
            }
            s => {
                result.verdict = Verdict::new(
                    VerdictKind::Works,
                    format!("The call works as given: it answered {s}"),
                );
                return result;
            }
        }
    }
    let Some(token) = bearer else {
        result.verdict = Verdict::new(
            VerdictKind::Inconclusive,
            "No token to probe with: renew first",
        );
        return result;
    };
    let sent_header = req.legal_entity_sent(input.settings).map(str::to_string);
    let me = Me::from_jwt(input.token.as_ref().and_then(|t| t.jwt.as_ref().ok()));
    let discovery = discover(
        input.http,
        base,
        token,
        sent_header.as_deref(),
        &me,
        input.fallback_entities,
    )
    .await;
    progress(Progress::Discovered(Box::new(discovery.clone())));
    let mut plan = plan_403(req, sent_header.as_deref(), &discovery.entities);
    progress(Progress::Planned(Box::new(plan.clone())));
    run_probes(
        input.http,
        base,
        Some(token),
        input.settings.api_version,
        &mut plan,
        |i, outcome| progress(Progress::Probe(i, outcome.clone())),
    )
    .await;
    result.verdict = verdict_403(
        &plan,
        &discovery.entities,
        catalog().permission_for(req.method, &req.path).as_ref(),
    );
    result.discovery = Some(discovery);
    result.plan = Some(plan);
    result
}
