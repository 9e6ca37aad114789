//! Sending from the UI: the request in the builder (or a page of the one on screen) is built
//! once, checked (invalid JSON, a write to production: each may ask first), and sent as that
//! very value. The value travels with the `Sending` state and stays with the response it
//! brought, so the "Request" tab, paging, the diagnosis and the save-file name all use the
//! request as sent, never the builder as it is now.

use super::app::{App, Confirm, Effect, Focus, OnYes, Overlay, SendChecks};
use super::panes::connection::LegalEntity;
use super::panes::request::BodyQuestion;
use super::panes::response::{ResponseState, SchemaCheck, Shown};
use crate::session::{CallError, CallOutcome};
use crate::younium::paging::{PageInfo, PageKind, follow_link, with_page};
use crate::younium::problem::explain_answer;
use crate::younium::template::{Resolver, TemplateError, request_names};
use crate::younium::{ApiRequest, ApiResponse};

impl App {
    /// Sends the request in the builder; returns a question to ask first, if any.
    pub(crate) fn send_builder(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        self.request.refresh_idempotency_key();
        let ids = &mut self.ids;
        self.request
            .ensure_idempotency_key(|| ids.idempotency_key());
        let request = match self.request.build() {
            Ok(r) => r,
            Err(message) => {
                self.request.say(message);
                self.focus = Focus::Request;
                return None;
            }
        };
        let checks = SendChecks {
            from_builder: true,
            ..SendChecks::default()
        };
        if request_names(&request).is_empty() {
            let question = self.request.body_question();
            return self.send(request, question, checks, effects);
        }
        match self.fill_templates(&request) {
            Ok(filled) => {
                let body = filled.body.as_deref().unwrap_or_default();
                let question = self.request.filled_body_question(body);
                self.send(filled, question, checks, effects)
            }
            Err(e) => {
                // Nothing goes out: the builder and the status line name the variable.
                self.status = Some(format!("not sent: {e}"));
                self.request.say(e.to_string());
                self.focus = Focus::Request;
                None
            }
        }
    }

    /// The builder's request with its templates filled in from the session's variables, as
    /// it will be sent (a body that is not JSON then is the question's to ask about). The
    /// built-ins take the app's clock and ids, so `update` stays deterministic.
    fn fill_templates(&mut self, request: &ApiRequest) -> Result<ApiRequest, TemplateError> {
        let mut resolver = Resolver::fixed(self.vars.clone(), self.now, self.ids.seed());
        resolver.request(request, "")
    }

    /// The question to ask before `request` goes out, if a check not passed yet needs one:
    /// the body, a write to production, a running all-pages fetch. `Ok`: none.
    fn ask_first(
        &self,
        request: ApiRequest,
        body: Option<BodyQuestion>,
        checks: SendChecks,
    ) -> Result<ApiRequest, Overlay> {
        if let (Some(question), false) = (body, checks.body_ok) {
            return Err(Overlay::Confirm(Confirm {
                title: question.title,
                lines: question.lines,
                danger: false,
                on_yes: OnYes::Send {
                    request: Box::new(request),
                    checks: SendChecks {
                        body_ok: true,
                        ..checks
                    },
                },
            }));
        }
        let settings = self.connection.settings();
        if self
            .connection
            .environment()
            .write_needs_confirmation(request.method)
            && !checks.production_ok
        {
            let entity = request
                .legal_entity_sent(&settings)
                .unwrap_or("none")
                .to_string();
            return Err(Overlay::Confirm(Confirm {
                title: "Write to PRODUCTION".into(),
                lines: vec![
                    format!("{} {}", request.method, request.path),
                    format!("Environment: {}", self.connection.environment().label()),
                    format!("Legal entity: {entity}"),
                    "This changes real data. Send it?".into(),
                ],
                danger: true,
                on_yes: OnYes::Send {
                    request: Box::new(request),
                    checks: SendChecks {
                        production_ok: true,
                        ..checks
                    },
                },
            }));
        }
        if let Some(run) = self.response.all_pages()
            && !checks.all_pages_ok
        {
            let done = run.progress.as_ref().map_or(String::new(), |p| {
                let total = p.pages_total.map_or(String::new(), |t| format!(" of {t}"));
                format!(" ({} pages{total} so far)", p.pages_done)
            });
            return Err(Overlay::Confirm(Confirm {
                title: "Every page is being fetched".into(),
                lines: vec![
                    format!(
                        "{} {} is fetching every page{done}.",
                        run.request.method, run.request.path
                    ),
                    format!(
                        "Stop it, drop what it fetched, and send {} {}?",
                        request.method, request.path
                    ),
                ],
                danger: false,
                on_yes: OnYes::Send {
                    request: Box::new(request),
                    checks: SendChecks {
                        all_pages_ok: true,
                        ..checks
                    },
                },
            }));
        }
        Ok(request)
    }

    /// Sends `request` unless a check asks first (then the question carries the request, so
    /// yes sends exactly what was asked about). `body` is what is wrong with the body (not
    /// JSON, or not as its schema says), if anything.
    pub(crate) fn send(
        &mut self,
        request: ApiRequest,
        body: Option<BodyQuestion>,
        checks: SendChecks,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let request = match self.ask_first(request, body, checks) {
            Ok(request) => request,
            Err(question) => return Some(question),
        };
        let settings = self.connection.settings();
        if self.response.drop_all_pages() {
            effects.push(Effect::StopAllPages);
        }
        if request.uses_managed_token()
            && let Some(missing) = self.connection.missing()
        {
            self.response
                .fail(format!("No token yet: {missing} in the connection pane."));
            return None;
        }
        if self.response.in_flight().is_some() {
            effects.push(Effect::Cancel);
        }
        self.next_id += 1;
        let id = self.next_id;
        if checks.from_builder || self.request.build().is_ok_and(|built| built == request) {
            self.request.mark_sent();
        }
        if checks.from_builder {
            self.step_sent(id);
        }
        self.response.start_sending(id, self.now, request.clone());
        effects.push(Effect::Send {
            id,
            base_url: self.connection.environment().base_url().to_string(),
            request,
            settings,
        });
        None
    }

    /// `n`/`p`: the same request as the one on screen (path, query, headers, body as sent),
    /// another page. The builder is left as the user has it.
    /// A v3 page (cursor paging) leads only on, to the request its `nextPage` link names
    /// (refused, with a note, when the link leaves the connected origin); the page number it
    /// will show is counted here.
    pub(crate) fn go_to_page(&mut self, page: u64, effects: &mut Vec<Effect>) -> Option<Overlay> {
        let shown = self.response.shown()?;
        let chain_first = self
            .response
            .chain_first()
            .unwrap_or(&shown.request)
            .clone();
        let (next, cursor) = match shown.page.as_ref() {
            Some(
                info @ PageInfo {
                    kind: PageKind::Cursor { next },
                    ..
                },
            ) => {
                let link = next.as_deref().filter(|_| page > info.page_number)?;
                let base_url = self.connection.environment().base_url().to_string();
                match follow_link(&shown.request, link, &base_url) {
                    Ok(request) => (request, true),
                    Err(refused) => {
                        // The link is the server's text: one line, no control characters.
                        let said = format!("The next page was not requested: {refused}");
                        self.response
                            .note(crate::sanitize::one_line(&said).into_owned());
                        return None;
                    }
                }
            }
            _ => (with_page(&shown.request, page), false),
        };
        let overlay = self.send(next, None, SendChecks::default(), effects);
        if cursor && let Some(id) = self.response.in_flight() {
            self.response.expect_page(id, page, chain_first);
        }
        overlay
    }

    pub(crate) fn on_response(
        &mut self,
        id: u64,
        result: Result<CallOutcome, CallError>,
        effects: &mut Vec<Effect>,
    ) -> bool {
        let ResponseState::Sending {
            id: sending,
            request,
            ..
        } = self.response.state()
        else {
            return false;
        };
        if *sending != id {
            return false;
        }
        let request = (**request).clone();
        let outcome = match result {
            Ok(o) => o,
            Err(e) => {
                self.response.fail(e.to_string());
                self.step_answered(id, Err(e.to_string()), effects);
                return true;
            }
        };
        let response = outcome.response;
        self.step_answered(id, Ok(&response), effects);
        let legal_entity = response
            .sent
            .header("legal-entity")
            .map(|v| v.display(false));
        if response.is_success()
            && let Some(le) = &legal_entity
        {
            self.connection.remember_entity(LegalEntity {
                roles: Vec::new(),
                name: le.clone(),
                id: None,
            });
        }
        let mut notes = Vec::new();
        if outcome.retried_after_401 {
            notes.push(
                "the first attempt answered 401; the token was renewed and the request sent again"
                    .to_string(),
            );
        }
        if let Some(e) = &outcome.renewal_error {
            notes.push(format!("renewing the token after the 401 failed: {e}"));
        }
        self.record(&request, &response, effects);
        self.show_response(id, request, response, notes, effects);
        true
    }

    /// Shows an answer (just received, or stored in the history) with what explains it, and
    /// has its body indexed.
    pub(crate) fn show_response(
        &mut self,
        id: u64,
        request: ApiRequest,
        response: ApiResponse,
        notes: Vec<String>,
        effects: &mut Vec<Effect>,
    ) {
        let problem = (!response.is_success()).then(|| response.problem());
        let empty_list = problem
            .as_ref()
            .filter(|p| p.is_empty_list(response.status))
            .map(|p| p.messages_text());
        let explanation = match (&problem, &empty_list) {
            (Some(_), None) => explain_answer(&request, &response),
            _ => None,
        };
        effects.push(Effect::Index {
            id,
            body: response.body.clone(),
            json: response.is_json(),
            content_type: response.header("content-type").map(str::to_string),
            check: SchemaCheck::for_answer(&request, &response),
        });
        if !self.is_editing() {
            self.focus = Focus::Response;
        }
        self.response.show(Shown {
            id,
            response,
            request,
            doc: None,
            page: None,
            explanation,
            empty_list,
            notes,
        });
    }
}
