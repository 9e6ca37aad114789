//! The request builder: method, path with `{param}` placeholders, query parameters, the
//! effective headers (automatic ones included, overridable), and a JSON body with live
//! validation.
//!
//! This file holds the pane's state, the request it builds and the key routing. The path
//! line, the two tables, the body editor and the drawing of the whole each have their own file.

mod access;
mod body;
mod fields;
mod headers;
mod outline;
mod params;
mod path;
mod table;
mod view;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use crate::tui::input::{InputOutcome, LineInput};
use crate::tui::keymap::Command;
use crate::younium::catalog::{Operation, catalog};
use crate::younium::{ApiRequest, CallSettings, Method, Param, Secret};

pub use body::{BodyCheck, BodyQuestion, SCHEMA_CHECK_LIMIT};
pub use fields::FieldChoices;
use table::{Cell, Row};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestTab {
    Params,
    Headers,
    Body,
}

const TABS: [RequestTab; 3] = [RequestTab::Params, RequestTab::Headers, RequestTab::Body];

#[derive(Debug)]
enum Editing {
    Path(LineInput),
    Table {
        row: Row,
        cell: Cell,
        input: LineInput,
        /// The rows as they were before a row was added: `Esc` while naming it or typing
        /// its value puts them back, so nothing half-made is left (or sent).
        before: Option<Rows>,
    },
    Body,
}

/// A table's rows, kept to be put back.
#[derive(Debug)]
enum Rows {
    Query(Vec<Param>),
    Headers(Vec<Param>),
}

/// What the rest of the app must do after a key.
#[derive(Debug)]
pub enum RequestEvent {
    /// Open the field list (`Ctrl-Space`) with these choices for the body's cursor line.
    FieldList(Box<FieldChoices>),
    Handled,
    Ignored,
}

/// Whether the body editor takes `key` as its own shortcut (Ctrl-R is its redo, Ctrl-Z its
/// undo…): keys with Ctrl or Alt on a character go to it while it is being edited, so only
/// other keys of `send` (F5, Ctrl-Enter) send from there.
pub fn body_editor_takes(key: &KeyEvent) -> bool {
    key.modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        && matches!(key.code, KeyCode::Char(_))
}

/// What the header table needs from outside the pane.
pub struct HeaderContext<'a> {
    pub settings: &'a CallSettings,
    pub token: Option<&'a Secret>,
}

/// The cursor line's field and type, for a body revision and row (computed while drawing).
type CursorFieldCache = std::cell::RefCell<Option<((u64, usize), Option<String>)>>;

pub struct RequestPane {
    method: Method,
    /// The path as typed or loaded, placeholders included.
    template: String,
    /// One row per placeholder, in path order.
    path_params: Vec<Param>,
    query: Vec<Param>,
    /// The user's header rows (overrides of automatic headers included).
    headers: Vec<Param>,
    body: TextArea<'static>,
    body_check: BodyCheck,
    /// The body checked against its schema (valid JSON and a catalogue operation only).
    body_report: Option<crate::younium::schema::Report>,
    /// Edited since loaded or last sent.
    body_dirty: bool,
    /// `None` until the app hands out a new one (see [`RequestPane::ensure_idempotency_key`]):
    /// keys come from the app's id source, so `update` stays deterministic under test.
    idempotency_key: Option<String>,
    operation: Option<Operation>,
    tab: RequestTab,
    /// 0 is the method/path line; 1.. are rows of the current tab.
    row: usize,
    editing: Option<Editing>,
    message: Option<String>,
    /// The fingerprint of the request last sent with `idempotency_key`.
    sent_fingerprint: Option<u64>,
    /// Counts the body's changes (each is checked), so what is worked out from the text can
    /// be kept until the next one.
    body_revision: u64,
    /// The cursor line's field and type ([`RequestPane::cursor_field`]), for a revision and row.
    cursor_field: CursorFieldCache,
    /// What the templates of the cursor's field resolve to (set before each draw).
    preview: Option<String>,
}

impl std::fmt::Debug for RequestPane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestPane")
            .field("method", &self.method)
            .field("template", &self.template)
            .field("tab", &self.tab)
            .field("row", &self.row)
            .finish_non_exhaustive()
    }
}

impl Default for RequestPane {
    fn default() -> Self {
        let mut pane = Self {
            method: Method::Get,
            template: "/Accounts".into(),
            path_params: Vec::new(),
            query: vec![Param::new("PageSize", "20"), Param::new("PageNumber", "1")],
            headers: Vec::new(),
            body: TextArea::default(),
            body_check: BodyCheck::Empty,
            preview: None,
            body_report: None,
            body_dirty: false,
            idempotency_key: None,
            operation: None,
            tab: RequestTab::Params,
            row: 0,
            editing: None,
            message: None,
            sent_fingerprint: None,
            body_revision: 0,
            cursor_field: std::cell::RefCell::new(None),
        };
        pane.style_body();
        pane
    }
}

impl RequestPane {
    /// Loads an operation from the catalogue: a new request with the operation's own
    /// parameters (paging pre-filled), no header rows and its body skeleton; nothing of the
    /// request before it is kept.
    pub fn load(&mut self, op: &Operation) {
        self.start_anew(op.method, &op.path);
        self.query = op
            .query_params
            .iter()
            .map(|p| {
                let value = match p.name.as_str() {
                    "PageSize" => "20",
                    "PageNumber" => "1",
                    _ => "",
                };
                Param {
                    name: p.name.clone(),
                    value: value.into(),
                    enabled: !value.is_empty() || p.required,
                }
            })
            .collect();
        self.operation = Some(op.clone());
        self.set_body(op.skeleton().unwrap_or_default());
        self.tab = if !self.path_params.is_empty() || !self.query.is_empty() || op.body.is_none() {
            RequestTab::Params
        } else {
            RequestTab::Body
        };
        self.row = if self.path_params.is_empty() { 0 } else { 1 };
    }

    /// Loads a whole request (from the history or a saved request) into the builder: its
    /// method, path (placeholders filled, so none are left to fill), query, the user's headers
    /// and body, and nothing of the request before it. The catalogue's operation for the path
    /// is kept for its hints.
    pub fn load_request(&mut self, request: &ApiRequest) {
        self.start_anew(request.method, &request.path);
        self.query = request.query.clone();
        self.headers = request.headers.clone();
        self.operation = catalog().find(request.method, &request.path).cloned();
        self.set_body(request.body.clone().unwrap_or_default());
        self.tab = if request.body.is_some() && request.method != Method::Get {
            RequestTab::Body
        } else {
            RequestTab::Params
        };
    }

    /// The builder as a new request for `method` and `path`: every row, the body, the key and
    /// the edit of the request before are gone (the connection's settings are not request
    /// state and stay where they are, outside the pane).
    fn start_anew(&mut self, method: Method, path: &str) {
        *self = RequestPane {
            method,
            template: path.to_string(),
            query: Vec::new(),
            ..RequestPane::default()
        };
        self.sync_path_params();
    }

    /// Whether the method sends the body.
    pub fn sends_body(&self) -> bool {
        self.method != Method::Get && self.body_check != BodyCheck::Empty
    }

    /// The request as it will be sent, or what is missing.
    pub fn build(&self) -> Result<ApiRequest, String> {
        Ok(ApiRequest {
            method: self.method,
            path: self.filled_path()?,
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.sends_body().then(|| self.body_text()),
            idempotency_key: self.post_idempotency_key(),
        })
    }

    /// The idempotency key, which only a POST carries.
    fn post_idempotency_key(&self) -> Option<String> {
        self.idempotency_key
            .clone()
            .filter(|_| self.method == Method::Post)
    }

    pub fn is_editing(&self) -> bool {
        self.editing.is_some()
    }

    pub fn is_editing_body(&self) -> bool {
        matches!(self.editing, Some(Editing::Body))
    }

    fn row_count(&self, ctx: &HeaderContext<'_>) -> usize {
        match self.tab {
            RequestTab::Params => self.path_params.len() + self.query.len(),
            RequestTab::Headers => self.effective(ctx).len(),
            RequestTab::Body => 1,
        }
    }

    pub fn paste(&mut self, text: &str) {
        match &mut self.editing {
            Some(Editing::Path(input)) | Some(Editing::Table { input, .. }) => input.paste(text),
            Some(Editing::Body) => self.insert_body(text),
            None if self.tab == RequestTab::Body => self.insert_body(text),
            None => {}
        }
    }

    /// A key: typed into what is being edited (the path, a cell, the body), else `command`
    /// (what the keymap says the key means here) acts on the builder.
    pub fn handle_key(
        &mut self,
        command: Option<Command>,
        key: KeyEvent,
        ctx: &HeaderContext<'_>,
    ) -> RequestEvent {
        self.message = None;
        if let Some(editing) = self.editing.take() {
            return self.editing_key(editing, key, ctx);
        }
        let rows = self.row_count(ctx);
        let Some(command) = command else {
            return RequestEvent::Ignored;
        };
        match command {
            Command::NextMethod => self.cycle_method(1),
            Command::PreviousMethod => self.cycle_method(-1),
            Command::NextTab => self.switch_tab(1),
            Command::PreviousTab => self.switch_tab(-1),
            Command::ScrollUp => {
                self.row = self.row.saturating_sub(1);
                RequestEvent::Handled
            }
            Command::ScrollDown => {
                self.row = (self.row + 1).min(rows);
                RequestEvent::Handled
            }
            Command::NewIdempotencyKey => {
                self.idempotency_key = None;
                self.message = Some("new idempotency key".into());
                RequestEvent::Handled
            }
            Command::NextProblem => self.next_problem(),
            Command::FormatBody if self.tab == RequestTab::Body => {
                self.format_body();
                RequestEvent::Handled
            }
            Command::Edit => self.edit(Cell::Value, ctx),
            Command::EditName if self.row > 0 => self.edit(Cell::Name, ctx),
            Command::AddRow => self.add_row(),
            Command::ToggleRow if self.row > 0 => self.toggle(ctx),
            Command::DeleteRow if self.row > 0 => self.delete(ctx),
            Command::InsertField => self.field_list(),
            _ => RequestEvent::Ignored,
        }
    }

    /// The commands that work from the body editor too (their keys are no editing keys):
    /// the field list and the next problem. `None`: the key is the editor's.
    pub fn body_editor_command(&mut self, command: Option<Command>) -> Option<RequestEvent> {
        match command? {
            Command::InsertField => Some(self.field_list()),
            Command::NextProblem => Some(self.next_problem()),
            _ => None,
        }
    }

    fn field_list(&mut self) -> RequestEvent {
        self.open_field_list()
            .map_or(RequestEvent::Handled, |choices| {
                RequestEvent::FieldList(Box::new(choices))
            })
    }

    /// Whether the body is being edited and the editor takes `key` as its own shortcut (see
    /// [`body_editor_takes`]).
    pub fn editor_claims(&self, key: &KeyEvent) -> bool {
        self.is_editing_body() && body_editor_takes(key)
    }

    /// A key while something is being edited; `editing` was taken out of the pane and is put
    /// back unless the key ends the edit.
    fn editing_key(
        &mut self,
        editing: Editing,
        key: KeyEvent,
        ctx: &HeaderContext<'_>,
    ) -> RequestEvent {
        match editing {
            Editing::Body => {
                self.editing = Some(Editing::Body);
                return self.body_key(key);
            }
            Editing::Path(mut input) => match input.handle(key) {
                InputOutcome::Submit(text) => self.set_template(&text),
                InputOutcome::Cancel => {}
                InputOutcome::Edited => self.editing = Some(Editing::Path(input)),
            },
            Editing::Table {
                row,
                cell,
                mut input,
                before,
            } => match input.handle(key) {
                InputOutcome::Submit(text) => {
                    self.commit_cell(row, cell, text, ctx);
                    // Going on from a new row's name to its value is the same addition.
                    if let Some(Editing::Table { before: next, .. }) = &mut self.editing {
                        *next = before;
                    }
                }
                InputOutcome::Cancel => match before {
                    Some(Rows::Query(rows)) => self.query = rows,
                    Some(Rows::Headers(rows)) => self.headers = rows,
                    None => {}
                },
                InputOutcome::Edited => {
                    self.editing = Some(Editing::Table {
                        row,
                        cell,
                        input,
                        before,
                    })
                }
            },
        }
        RequestEvent::Handled
    }

    fn cycle_method(&mut self, step: isize) -> RequestEvent {
        let i = Method::ALL
            .iter()
            .position(|m| *m == self.method)
            .unwrap_or(0) as isize;
        self.method = Method::ALL[(i + step).rem_euclid(Method::ALL.len() as isize) as usize];
        self.check_body();
        RequestEvent::Handled
    }

    fn switch_tab(&mut self, step: isize) -> RequestEvent {
        let i = TABS.iter().position(|t| *t == self.tab).unwrap_or(0) as isize;
        self.tab = TABS[(i + step).rem_euclid(TABS.len() as isize) as usize];
        self.row = self.row.min(1);
        RequestEvent::Handled
    }

    /// Starts editing what the selected row shows: the path, a table cell, or the body.
    fn edit(&mut self, cell: Cell, ctx: &HeaderContext<'_>) -> RequestEvent {
        if self.row == 0 {
            self.editing = Some(Editing::Path(LineInput::new(&self.template, false)));
            return RequestEvent::Handled;
        }
        let row = self.row - 1;
        match self.tab {
            RequestTab::Params => self.edit_param(row, cell),
            RequestTab::Headers => self.edit_header(row, cell, ctx),
            RequestTab::Body => {
                self.editing = Some(Editing::Body);
                RequestEvent::Handled
            }
        }
    }

    fn add_row(&mut self) -> RequestEvent {
        match self.tab {
            RequestTab::Params => self.add_query_row(),
            RequestTab::Headers => self.add_header(),
            RequestTab::Body => RequestEvent::Ignored,
        }
    }

    fn toggle(&mut self, ctx: &HeaderContext<'_>) -> RequestEvent {
        let row = self.row - 1;
        match self.tab {
            RequestTab::Params => self.toggle_param(row),
            RequestTab::Headers => self.toggle_header(row, ctx),
            RequestTab::Body => RequestEvent::Ignored,
        }
    }

    fn delete(&mut self, ctx: &HeaderContext<'_>) -> RequestEvent {
        let row = self.row - 1;
        match self.tab {
            RequestTab::Params => self.delete_param(row),
            RequestTab::Headers => self.delete_header(row, ctx),
            RequestTab::Body => RequestEvent::Ignored,
        }
    }

    /// After a send the body counts as saved.
    pub fn mark_sent(&mut self) {
        self.body_dirty = false;
        self.sent_fingerprint = Some(self.fingerprint());
    }

    /// The request as it stands, hashed: a send of the same request keeps its idempotency key.
    fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            self.method,
            &self.template,
            &self.path_params,
            &self.query,
            &self.headers,
            self.body_text(),
        )
            .hash(&mut h);
        h.finish()
    }

    /// A new idempotency key once the request differs from the one sent with the current key:
    /// the same request sent again keeps its key (no duplicate), a changed one must not reuse it
    /// (Younium would replay the old answer).
    pub fn refresh_idempotency_key(&mut self) {
        if self
            .sent_fingerprint
            .is_some_and(|sent| sent != self.fingerprint())
        {
            self.idempotency_key = None;
            self.sent_fingerprint = None;
        }
    }

    /// Gives the pane a new idempotency key from `new_key` when it has none.
    pub fn ensure_idempotency_key(&mut self, new_key: impl FnOnce() -> String) {
        if self.idempotency_key.is_none() {
            self.idempotency_key = Some(new_key());
        }
    }
}

/// Helpers the tests beside each part of the pane share.
#[cfg(test)]
mod testing {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::{HeaderContext, RequestPane};
    use crate::younium::{CallSettings, Secret};

    pub(super) fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    pub(super) fn ctx() -> (CallSettings, Option<Secret>) {
        (
            CallSettings {
                legal_entity: Some("Acme".into()),
                ..Default::default()
            },
            Some(Secret::new("eyJhbGciOiJIUzI1NiJ9.e30.signature")),
        )
    }

    /// A key as the default keymap reads it in the request pane.
    pub(super) fn press(pane: &mut RequestPane, key: KeyEvent, c: &HeaderContext<'_>) {
        let keymap = crate::tui::keymap::Keymap::default();
        let command = keymap.command(crate::tui::keymap::Scope::Request, &key);
        pane.handle_key(command, key, c);
    }

    pub(super) fn type_text(pane: &mut RequestPane, text: &str, c: &HeaderContext<'_>) {
        for ch in text.chars() {
            press(pane, key(KeyCode::Char(ch)), c);
        }
        press(pane, key(KeyCode::Enter), c);
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{ctx, key, press, type_text};
    use super::*;
    use crate::younium::catalog::catalog;

    #[test]
    fn loading_an_operation_marks_path_params_and_prefills_paging() {
        let mut pane = RequestPane::default();
        let op = catalog().find(Method::Get, "/Accounts/x/Invoices").unwrap();
        pane.load(op);
        assert_eq!(pane.template, "/Accounts/{id}/Invoices");
        assert_eq!(pane.path_params, [Param::new("id", "")]);
        assert!(
            pane.query
                .iter()
                .any(|p| p.name == "PageSize" && p.value == "20" && p.enabled)
        );
        assert!(pane.query.iter().any(|p| p.name == "Filter" && !p.enabled));
        assert_eq!(
            pane.build().unwrap_err(),
            "fill the path parameter {id} (Params tab)"
        );
        let (s, t) = ctx();
        let c = HeaderContext {
            settings: &s,
            token: t.as_ref(),
        };
        pane.row = 1;
        press(&mut pane, key(KeyCode::Enter), &c);
        type_text(&mut pane, "A 1/2", &c);
        assert_eq!(pane.build().unwrap().path, "/Accounts/A%201%2F2/Invoices");
    }
}
