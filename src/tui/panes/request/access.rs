//! What the rest of the app reads of the builder, and the few things it asks of it from
//! outside a key (a message, the field list, a diagnosis fix). Everything else changes only
//! through the pane's own keys.

use super::{Editing, FieldChoices, HeaderContext, RequestPane, RequestTab};
use crate::younium::request::HeaderText;
use crate::younium::schema::Report;
use crate::younium::{ApiRequest, Method, Param};

impl RequestPane {
    pub fn method(&self) -> Method {
        self.method
    }

    /// The path as typed or loaded, placeholders included.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// One row per placeholder, in path order.
    pub fn path_params(&self) -> &[Param] {
        &self.path_params
    }

    pub fn query(&self) -> &[Param] {
        &self.query
    }

    /// The user's header rows (overrides of automatic headers included).
    pub fn headers(&self) -> &[Param] {
        &self.headers
    }

    /// The body checked against its schema, when there is one to check it against.
    pub fn body_report(&self) -> Option<&Report> {
        self.body_report.as_ref()
    }

    /// The body was edited since it was loaded or last sent.
    pub fn body_dirty(&self) -> bool {
        self.body_dirty
    }

    pub fn tab(&self) -> RequestTab {
        self.tab
    }

    /// The line under the message: why the last action did not happen.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The text of the field the cursor is on, as typed so far while it is edited: the path,
    /// a parameter's or header's value, the body's cursor line. `None` for a secret header.
    pub fn cursor_text(&self, ctx: &HeaderContext<'_>) -> Option<String> {
        match &self.editing {
            Some(Editing::Path(input)) => return Some(input.text().to_string()),
            Some(Editing::Table { input, .. }) => return Some(input.text().to_string()),
            Some(Editing::Body) => return self.body_cursor_line(),
            None => {}
        }
        if self.row == 0 {
            return Some(self.template.clone());
        }
        match self.tab {
            RequestTab::Params => self.param_row(self.row - 1).map(|p| p.value.clone()),
            RequestTab::Headers => match self.header_line(self.row - 1, ctx)?.header.value {
                HeaderText::Plain(text) => Some(text),
                _ => None,
            },
            RequestTab::Body => self.body_cursor_line(),
        }
    }

    fn body_cursor_line(&self) -> Option<String> {
        self.body.lines().get(self.body.cursor().0).cloned()
    }

    /// What the cursor's templates resolve to, for the foot line (the app works it out
    /// before each draw: the pane does not hold the variables).
    pub fn show_preview(&mut self, preview: Option<String>) {
        self.preview = preview;
    }

    /// Says `message` under the builder until the next key.
    pub fn say(&mut self, message: String) {
        self.message = Some(message);
    }

    /// The builder's request as it would be saved: the path's placeholders stay when they
    /// are not filled yet.
    pub fn to_save(&self) -> ApiRequest {
        self.build().unwrap_or_else(|_| ApiRequest {
            method: self.method,
            path: self.template.trim().to_string(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.sends_body().then(|| self.body_text()),
            idempotency_key: None,
        })
    }

    /// The field list for the body's cursor line: the Body tab comes forward, and when there
    /// is nothing to list the pane says why.
    pub fn open_field_list(&mut self) -> Option<FieldChoices> {
        self.tab = RequestTab::Body;
        self.row = 1;
        self.field_choices().map_err(|why| self.say(why)).ok()
    }

    /// A fix put the automatic `header` back on `call`: when the builder holds the same call
    /// (method and path), its rows give the header back to the connection too, so what it
    /// shows is what was sent.
    pub fn follow_header_fix(&mut self, call: &ApiRequest, header: &str) {
        if self.method == call.method && self.build().is_ok_and(|b| b.path == call.path) {
            ApiRequest::use_automatic_header(&mut self.headers, header);
        }
    }
}
