//! `A`: every page of the list on screen, fetched in the background (see
//! `younium::all_pages`), shown as a progress bar over the page while it runs and as one JSON
//! array when it ends, recorded in the history as one entry. Esc stops it and keeps the pages
//! that arrived; a new send asks first.

use super::app::{App, Effect, Focus, Overlay};
use super::panes::response::AllPagesRun;
use crate::younium::Method;
use crate::younium::all_pages::{Finish, Merged, Options, Progress, list_request};

impl App {
    /// `A` in the Response pane.
    pub(crate) fn start_all_pages(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        if let Some(why) = self.why_no_all_pages() {
            self.status = Some(why);
            return None;
        }
        let shown = self.response.shown()?;
        let request = shown.request.clone();
        let first = shown.response.clone();
        self.next_id += 1;
        let id = self.next_id;
        effects.push(Effect::AllPages {
            id,
            base_url: self.connection.environment.base_url().to_string(),
            request: Box::new(request.clone()),
            settings: self.connection.settings(),
            first: Box::new(first.clone()),
            options: Options {
                concurrency: self.concurrency,
                ..Options::default()
            },
        });
        self.response.all_pages = Some(AllPagesRun {
            id,
            request,
            first,
            progress: None,
            stopping: false,
        });
        None
    }

    /// Why `A` cannot start on what is on screen, if it cannot.
    fn why_no_all_pages(&self) -> Option<String> {
        if self.response.all_pages.is_some() {
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
            Some(p) if !p.has_next && !p.has_previous => {
                Some("The whole list is on this page: there is nothing more to fetch.".into())
            }
            Some(_) => None,
        }
    }

    /// Esc while a run is going: stop sending, keep the pages merged.
    pub(crate) fn stop_all_pages(&mut self, effects: &mut Vec<Effect>) {
        if let Some(run) = &mut self.response.all_pages
            && !run.stopping
        {
            run.stopping = true;
            effects.push(Effect::StopAllPages);
        }
    }

    pub(crate) fn on_all_pages_progress(&mut self, id: u64, progress: Progress) -> bool {
        match &mut self.response.all_pages {
            Some(run) if run.id == id => {
                run.progress = Some(progress);
                true
            }
            _ => false,
        }
    }

    /// The run ended: its records replace the page on screen and go into the history.
    pub(crate) fn on_all_pages_done(
        &mut self,
        id: u64,
        result: Result<Merged, String>,
        effects: &mut Vec<Effect>,
    ) -> bool {
        if self
            .response
            .all_pages
            .as_ref()
            .is_none_or(|run| run.id != id)
        {
            return false;
        }
        let Some(run) = self.response.all_pages.take() else {
            return false;
        };
        let merged = match result {
            Ok(merged) => merged,
            Err(why) => {
                self.status = Some(format!("All pages: nothing fetched: {why}"));
                return true;
            }
        };
        let summary = merged.summary();
        let mut notes = vec![format!("merged into one array: {summary}")];
        if let Finish::Failed { page, .. } = &merged.finish {
            notes.push(format!(
                "page {page} failed after its retries: the records above are pages 1–{} only",
                merged.pages
            ));
        }
        let request = list_request(&run.request);
        let response = merged.as_response(&run.first);
        self.status = Some(format!("All pages: {summary}"));
        self.record(&request, &response, effects);
        self.next_id += 1;
        let shown_id = self.next_id;
        let focus = self.focus;
        self.show_response(shown_id, request, response, notes, effects);
        // Whoever left the pane while it ran stays where they are.
        self.focus = focus;
        if self.focus == Focus::Response {
            self.response.view = Default::default();
        }
        true
    }
}
