//! The 401/403 diagnosis in the UI: `D` starts it for the response on screen (or the request
//! in the builder), an overlay shows the legal entities, the probe table as it fills in, and
//! the verdict; Enter applies the fix (use the entity that works, renew, switch environment).

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::app::{App, Confirm, Effect, OnYes, Overlay, SendChecks};
use super::keymap::{Command, Keymap, Scope};
use super::panes::overlays::render_text_box;
use super::pickers::scroll_command;
use super::theme::Theme;
use super::view::box_hint;
use crate::younium::doctor::diagnose::{Diagnosis, Known, Progress};
use crate::younium::doctor::{Discovery, DiscoverySource, Fix, Plan, ProbeOutcome, Verdict};
use crate::younium::{ApiRequest, Environment};

/// A diagnosis on screen, filled in as progress arrives.
#[derive(Clone, Debug)]
pub struct DiagnosisView {
    pub id: u64,
    /// The request diagnosed (as sent, when it came from the response on screen); the
    /// legal-entity fix sends it again.
    pub request: ApiRequest,
    pub label: String,
    pub status: Option<u16>,
    pub discovery: Option<Discovery>,
    pub plan: Option<Plan>,
    pub verdict: Option<Verdict>,
    pub scroll: usize,
}

impl App {
    /// Starts a diagnosis of the response on screen (or the request in the builder); returns
    /// the overlay to show: the diagnosis, or first a question before probing production.
    pub(crate) fn start_diagnosis(
        &mut self,
        confirmed: bool,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let from_response = self
            .response
            .shown()
            .filter(|s| matches!(s.response.status, 401 | 403))
            .map(|s| {
                let known = Known {
                    status: s.response.status,
                    www_authenticate: s.response.header("www-authenticate").map(str::to_string),
                    authorization: s.response.sent.header("authorization").map(|h| h.wire()),
                    sent_at: s.response.sent.sent_at,
                };
                (s.request.clone(), Some(known))
            });
        let (request, known) = match from_response {
            Some(pair) => pair,
            None => match self.request.build() {
                Ok(r) => (r, None),
                Err(message) => {
                    self.request.say(message);
                    return None;
                }
            },
        };
        if self.connection.environment().is_production() && !self.production_probes_ok && !confirmed
        {
            return Some(Overlay::Confirm(Confirm {
                title: "Probe PRODUCTION".into(),
                lines: vec![
                    "The diagnosis sends a few GET requests (never a write) to production:".into(),
                    format!(
                        "GET {} with each legal entity, and GET /Users.",
                        crate::younium::doctor::probe_request(&request).path
                    ),
                    "Allow it for this session?".into(),
                ],
                danger: true,
                on_yes: OnYes::Diagnose,
            }));
        }
        self.next_id += 1;
        let id = self.next_id;
        let view = DiagnosisView {
            id,
            request: request.clone(),
            label: format!("{} {}", request.method, request.path),
            status: known.as_ref().map(|k| k.status),
            discovery: None,
            plan: None,
            verdict: None,
            scroll: 0,
        };
        effects.push(Effect::Diagnose {
            id,
            environment: self.connection.environment().clone(),
            request,
            settings: self.connection.settings(),
            known,
            fallback: self.connection.known_entities().to_vec(),
        });
        Some(Overlay::Diagnosis(Box::new(view)))
    }

    /// The diagnosis on screen, if it is the one with `id`.
    fn diagnosis_view(&mut self, id: u64) -> Option<&mut DiagnosisView> {
        match &mut self.overlay {
            Some(Overlay::Diagnosis(view)) if view.id == id => Some(view),
            _ => None,
        }
    }

    pub(crate) fn on_diagnosis_progress(&mut self, id: u64, progress: Progress) -> bool {
        let Some(view) = self.diagnosis_view(id) else {
            return false;
        };
        match progress {
            Progress::Original(status) => view.status = Some(status),
            Progress::Discovered(discovery) => {
                view.discovery = Some((*discovery).clone());
                self.on_discovered(&discovery);
            }
            Progress::Planned(plan) => view.plan = Some(*plan),
            Progress::Probe(i, outcome) => {
                if let Some(p) = view.plan.as_mut().and_then(|p| p.probes.get_mut(i)) {
                    p.outcome = outcome;
                }
            }
        }
        true
    }

    pub(crate) fn on_diagnosed(&mut self, id: u64, diagnosis: Diagnosis) -> bool {
        let Some(view) = self.diagnosis_view(id) else {
            return false;
        };
        view.status = diagnosis.status.or(view.status);
        view.discovery = diagnosis.discovery.or(view.discovery.take());
        view.plan = diagnosis.plan.or(view.plan.take());
        view.verdict = Some(diagnosis.verdict);
        true
    }

    /// A command while the diagnosis overlay is open; returns the overlay to show next.
    pub(crate) fn diagnosis_command(
        &mut self,
        mut view: Box<DiagnosisView>,
        command: Option<Command>,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let running = view.verdict.is_none();
        match command {
            Some(Command::Close) => {
                if running {
                    effects.push(Effect::CancelDiagnosis);
                }
                None
            }
            Some(Command::Diagnose) => {
                if running {
                    effects.push(Effect::CancelDiagnosis);
                }
                self.start_diagnosis(true, effects)
            }
            Some(Command::Choose) => match view.verdict.as_ref().and_then(|v| v.fix.clone()) {
                Some(fix) => self.apply_fix(fix, view.request, effects),
                None => Some(Overlay::Diagnosis(view)),
            },
            other => {
                view.scroll = scroll_command(view.scroll, other);
                Some(Overlay::Diagnosis(view))
            }
        }
    }

    /// Applies a verdict's fix; returns a question if the resend needs one.
    fn apply_fix(
        &mut self,
        fix: Fix,
        diagnosed: ApiRequest,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        match fix {
            Fix::UseLegalEntity { value } => {
                self.connection.choose_legal_entity(Some(value));
                self.settings_changed(effects);
                // The fix reaches the header as it is sent: a row that switched it off or
                // overrode it would keep the call failing. The builder, when it holds the
                // same call, shows the same.
                let mut resend = diagnosed;
                ApiRequest::use_automatic_header(&mut resend.headers, "legal-entity");
                self.request.follow_header_fix(&resend, "legal-entity");
                self.send(resend, None, SendChecks::default(), effects)
            }
            Fix::Renew => {
                effects.push(Effect::Renew);
                None
            }
            Fix::SwitchEnvironment { base_url } => {
                if let Ok(env) = Environment::from_base_url(&base_url) {
                    self.connection.set_environment(env);
                    effects.push(Effect::Connect(self.connection.connection()));
                }
                None
            }
        }
    }
}

fn fix_hint(fix: &Fix, keymap: &Keymap) -> String {
    let key = keymap.hint_in(Scope::Overlay, Command::Choose);
    match fix {
        Fix::UseLegalEntity { value } => {
            format!("{key}: use legal entity {value:?} and send again")
        }
        Fix::Renew => format!("{key}: renew the token"),
        Fix::SwitchEnvironment { base_url } => format!("{key}: switch to {base_url}"),
    }
}

/// The overlay's lines.
pub fn lines(view: &DiagnosisView, keymap: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(vec![
        Span::styled(view.label.clone(), theme.title()),
        Span::styled(
            match view.status {
                Some(s) => format!("  answered {s}"),
                None if view.label.starts_with("GET") => "  sending…".to_string(),
                None => "  (a write: not sent)".to_string(),
            },
            theme.dim(),
        ),
    ])];
    if let Some(d) = &view.discovery {
        out.push(Line::raw(""));
        let source = match &d.source {
            DiscoverySource::Users {
                users,
                current_user,
                ..
            } => format!(
                "Legal entities (GET /Users, {users} users{})",
                current_user
                    .as_ref()
                    .map(|u| format!("; you are {u}"))
                    .unwrap_or_default()
            ),
            DiscoverySource::Fallback { reason } => {
                format!("Legal entities: {reason}; using the ones typed or used before")
            }
        };
        out.push(Line::styled(source, theme.label()));
        for e in &d.entities {
            out.push(Line::from(vec![
                Span::raw(format!("  {:<28} ", e.name)),
                Span::styled(
                    format!("{:<38}", e.id.as_deref().unwrap_or("GUID unknown")),
                    theme.dim(),
                ),
                Span::raw(if e.roles.is_empty() {
                    String::new()
                } else {
                    e.roles.join(", ")
                }),
            ]));
        }
    }
    if let Some(plan) = &view.plan {
        out.push(Line::raw(""));
        let done = plan
            .probes
            .iter()
            .filter(|p| p.outcome != ProbeOutcome::Pending)
            .count();
        out.push(Line::styled(
            format!(
                "Probes: {}  ({done}/{} done)",
                plan.probe_label,
                plan.probes.len()
            ),
            theme.label(),
        ));
        if let Some(note) = &plan.write_not_repeated {
            out.push(Line::styled(format!("  {note}"), theme.dim()));
        }
        for p in &plan.probes {
            let style = match p.outcome.allowed() {
                Some(true) => theme.good(),
                Some(false) => theme.bad(),
                None => theme.dim(),
            };
            out.push(Line::from(vec![
                Span::raw(format!("  {:<22} ", p.label)),
                Span::raw(format!(
                    "{:<40} ",
                    p.header.as_deref().unwrap_or("(no header)")
                )),
                Span::styled(p.outcome.label(), style),
            ]));
        }
    }
    out.push(Line::raw(""));
    match &view.verdict {
        None => out.push(Line::styled(
            format!(
                "Working… ({} cancels)",
                keymap.hint_in(Scope::Overlay, Command::Close)
            ),
            theme.warn(),
        )),
        Some(v) => {
            out.push(Line::styled(v.headline.clone(), theme.error_text()));
            for d in &v.details {
                out.push(Line::from(vec![
                    Span::styled("  • ", theme.dim()),
                    Span::raw(d.clone()),
                ]));
            }
            out.push(Line::raw(""));
            if let Some(fix) = &v.fix {
                out.push(Line::styled(fix_hint(fix, keymap), theme.key()));
            }
        }
    }
    out
}

pub fn render(frame: &mut Frame<'_>, view: &DiagnosisView, keymap: &Keymap, theme: &Theme) {
    let title = if view.verdict.is_some() {
        "Diagnosis"
    } else {
        "Diagnosing…"
    };
    let hint = box_hint(
        keymap,
        &[
            (&[Command::Diagnose], "again"),
            (&[Command::ScrollUp, Command::ScrollDown], "scroll"),
            (&[Command::Close], "close"),
        ],
    );
    render_text_box(
        frame,
        title,
        lines(view, keymap, theme),
        view.scroll,
        &hint,
        theme,
    );
}
