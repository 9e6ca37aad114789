//! What the rest of the app reads of the viewer, and what it tells it from outside a key: a
//! request went out, it failed, the cursor starts over. Everything else changes only through
//! the pane's own keys and the answers it is given.

use jiff::Timestamp;

use super::{
    BodyView, Find, JqLine, JqState, ResponsePane, ResponseState, ResponseTab, SchemaView,
};
use crate::younium::ApiRequest;

impl ResponsePane {
    pub fn state(&self) -> &ResponseState {
        &self.state
    }

    /// Request `id` went out at `started`; the pane shows it in flight until its answer.
    pub fn start_sending(&mut self, id: u64, started: Timestamp, request: ApiRequest) {
        self.state = ResponseState::Sending {
            id,
            started,
            request: Box::new(request),
        };
    }

    /// No answer: `message` says why (not sent, cancelled, the connection failed).
    pub fn fail(&mut self, message: String) {
        self.state = ResponseState::Failed { message };
    }

    pub fn tab(&self) -> ResponseTab {
        self.tab
    }

    /// The first line shown of the current tab.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// Body lines visible at the last draw.
    pub fn viewport(&self) -> usize {
        self.viewport
    }

    /// The search, while there is one.
    pub fn find(&self) -> Option<&Find> {
        self.find.as_ref()
    }

    /// The jq filter line, while it is open.
    pub fn jq_line(&self) -> Option<&JqLine> {
        self.jq_line.as_ref()
    }

    /// What the Body tab shows: the body, or a filter's output.
    pub fn jq(&self) -> &JqState {
        &self.jq
    }

    /// The Body tab's folds and cursor line.
    pub fn view(&self) -> &BodyView {
        &self.view
    }

    /// The cursor goes back to the first line with every fold open.
    pub fn reset_view(&mut self) {
        self.view = BodyView::default();
    }

    /// The fold prefix (`z`) was typed: the next key is a fold key.
    pub fn awaiting_fold(&self) -> bool {
        self.awaiting_fold
    }

    /// The response schema of the answer on screen, and its check.
    pub fn schema(&self) -> &SchemaView {
        &self.schema
    }
}

/// Where the viewer looks, set directly (the benchmarks place it; keys move it otherwise).
impl ResponsePane {
    /// The first line shown.
    pub fn scroll_to(&mut self, line: usize) {
        self.scroll = line;
    }

    /// The first column shown of long lines.
    pub fn scroll_sideways_to(&mut self, column: usize) {
        self.hscroll = column;
    }

    /// The cursor line of the Body tab.
    pub fn set_cursor(&mut self, line: usize) {
        self.view.cursor = line;
    }
}
