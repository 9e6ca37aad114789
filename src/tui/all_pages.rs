//! `A`: every page of the list on screen, fetched in the background (see
//! `younium::all_pages`), shown as a progress bar over the page while it runs and as one JSON
//! array when it ends, recorded in the history as one entry. Esc stops it and keeps the pages
//! that arrived; a new send asks first; going past the page cap (`max_pages`) asks first too.
//!
//! A v3 page reached with `>` is a later link of a cursor chain: the run starts again from the
//! chain's first request, so the records are every page's, and counted from page 1.

use super::app::{App, Confirm, Effect, Focus, OnYes, Overlay};
use super::panes::response::AllPagesRun;
use crate::younium::Method;
use crate::younium::all_pages::{CapReached, Finish, Merged, Progress, SinkStop, list_request};

impl App {
    /// `A` in the Response pane (while a run waits at its page cap: its question again).
    pub(crate) fn start_all_pages(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        if let Some(run) = self.response.all_pages()
            && let Some(cap) = run.at_cap.clone()
        {
            return Some(self.cap_question(run.id, &cap));
        }
        if let Some(why) = self.why_no_all_pages() {
            self.status = Some(why);
            return None;
        }
        let on_screen = self.response.shown()?.response.clone();
        // A later page of a v3 chain: fetch from the chain's first request (nothing on screen
        // is page 1 of it).
        let (request, first) = match self.response.chain_first() {
            Some(first_request) => (first_request.clone(), None),
            None => (
                self.response.shown()?.request.clone(),
                Some(on_screen.clone()),
            ),
        };
        self.next_id += 1;
        let id = self.next_id;
        effects.push(Effect::AllPages {
            id,
            base_url: self.connection.environment().base_url().to_string(),
            request: Box::new(request.clone()),
            settings: self.connection.settings(),
            first: first.clone().map(Box::new),
            options: self.all_pages,
        });
        self.response.begin_all_pages(AllPagesRun {
            id,
            request,
            first: first.unwrap_or(on_screen),
            progress: None,
            stopping: false,
            at_cap: None,
        });
        None
    }

    /// Why `A` cannot start on what is on screen, if it cannot.
    fn why_no_all_pages(&self) -> Option<String> {
        if self.response.all_pages().is_some() {
            return Some("Already fetching every page: Esc stops it.".into());
        }
        let Some(shown) = self.response.shown() else {
            return Some("Nothing to page through: send a list request first.".into());
        };
        if shown.request.method != Method::Get || !shown.response.is_success() {
            return Some(
                "Every page can be fetched for a list that answered (a GET with 2xx).".into(),
            );
        }
        match &shown.page {
            None if shown.doc.is_none() => Some("Still reading the page: try again in a moment.".into()),
            None => Some(
                "Not a paged list: every page is fetched for an api-version 2.1 list or a v3 export."
                    .into(),
            ),
            Some(p) if !p.has_next && !p.has_previous && self.response.chain_first().is_none() => {
                Some("The whole list is on this page: there is nothing more to fetch.".into())
            }
            Some(_) => None,
        }
    }

    /// Esc while a run is going: stop sending, keep the pages merged.
    pub(crate) fn stop_all_pages(&mut self, effects: &mut Vec<Effect>) {
        if self.response.stop_all_pages() {
            effects.push(Effect::StopAllPages);
        }
    }

    pub(crate) fn on_all_pages_progress(&mut self, id: u64, progress: Progress) -> bool {
        self.response.all_pages_progress(id, progress)
    }

    /// The run reached its page cap with more to come: ask before going past it (when
    /// another question is open, the bar says the run waits, and `A` asks).
    pub(crate) fn on_all_pages_cap(&mut self, id: u64, cap: CapReached) -> bool {
        if !self.response.all_pages_cap(id, Some(cap.clone())) {
            return false;
        }
        if self.overlay.is_none() {
            self.overlay = Some(self.cap_question(id, &cap));
        }
        true
    }

    fn cap_question(&self, id: u64, cap: &CapReached) -> Overlay {
        let more = match cap.pages_total {
            Some(total) => format!("Fetch all {} pages?", crate::pretty::thousands(total)),
            None => format!(
                "Fetch {} more pages? (the profile's max_pages raises the cap)",
                crate::pretty::thousands(self.all_pages.max_pages)
            ),
        };
        Overlay::Confirm(Confirm {
            title: "All pages: the page cap".into(),
            lines: vec![
                cap.describe(),
                more,
                "No stops here and keeps the pages fetched.".into(),
            ],
            danger: false,
            on_yes: OnYes::AllPagesPastCap { id },
        })
    }

    /// The answer to the question at the page cap.
    pub(crate) fn answer_all_pages_cap(
        &mut self,
        id: u64,
        go_on: bool,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        if self.response.all_pages_cap(id, None) {
            effects.push(Effect::AllPagesPastCap(go_on));
        }
        None
    }

    /// The run ended: its records replace the page on screen and go into the history.
    pub(crate) fn on_all_pages_done(
        &mut self,
        id: u64,
        result: Result<Merged, String>,
        effects: &mut Vec<Effect>,
    ) -> bool {
        let Some(run) = self.response.end_all_pages(id) else {
            return false;
        };
        if matches!(&self.overlay, Some(Overlay::Confirm(c)) if c.on_yes == (OnYes::AllPagesPastCap { id }))
        {
            self.overlay = None;
        }
        let merged = match result {
            Ok(merged) if merged.pages > 0 => merged,
            Ok(merged) => {
                self.status = Some(format!("All pages: {}", merged.summary()));
                return true;
            }
            Err(why) => {
                self.status = Some(format!("All pages: nothing fetched: {why}"));
                return true;
            }
        };
        let summary = merged.summary();
        let mut notes = vec![format!("merged into one array: {summary}")];
        match &merged.finish {
            Finish::Failed { page, .. } => notes.push(format!(
                "page {page} failed after its retries: the records above are pages 1–{} only",
                merged.pages
            )),
            Finish::Complete | Finish::Stopped => {}
            Finish::Sink(SinkStop::Full { .. }) => notes.push(format!(
                "the records above are pages 1–{} only (--max-body, or max_body in the profile, \
                 raises the limit)",
                merged.pages
            )),
            _ => notes.push(format!(
                "the records above are pages 1–{} only",
                merged.pages
            )),
        }
        let request = list_request(&run.request);
        let response = merged.as_response(merged.head.as_ref().unwrap_or(&run.first));
        self.status = Some(format!("All pages: {summary}"));
        self.record(&request, &response, effects);
        self.next_id += 1;
        let shown_id = self.next_id;
        let focus = self.focus;
        self.show_response(shown_id, request, response, notes, effects);
        // Whoever left the pane while it ran stays where they are.
        self.focus = focus;
        if self.focus == Focus::Response {
            self.response.reset_view();
        }
        true
    }
}
