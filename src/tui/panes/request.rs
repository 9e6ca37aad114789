//! The request builder: method, path with `{param}` placeholders, query parameters, the
//! effective headers (automatic ones included, overridable), and a JSON body with live
//! validation.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Tabs};
use ratatui_textarea::TextArea;

use crate::pretty::json::{self, JsonError};
use crate::tui::input::{InputOutcome, LineInput};
use crate::tui::theme::Theme;
use crate::younium::catalog::Operation;
use crate::younium::request::{
    EffectiveHeader, HeaderOrigin, effective_headers, new_idempotency_key, placeholders,
};
use crate::younium::{ApiRequest, CallSettings, Method, Param, Secret};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestTab {
    Params,
    Headers,
    Body,
}

const TABS: [RequestTab; 3] = [RequestTab::Params, RequestTab::Headers, RequestTab::Body];

/// The state of the body text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyCheck {
    Empty,
    Valid,
    Invalid(JsonError),
}

/// Which cell of a table is being edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cell {
    Name,
    Value,
}

#[derive(Debug)]
enum Editing {
    Path(LineInput),
    Table {
        row: usize,
        cell: Cell,
        input: LineInput,
    },
    Body,
}

/// What the rest of the app must do after a key.
#[derive(Debug, PartialEq, Eq)]
pub enum RequestEvent {
    Handled,
    Ignored,
}

/// What the header table needs from outside the pane.
pub struct HeaderContext<'a> {
    pub settings: &'a CallSettings,
    pub token: Option<&'a Secret>,
}

pub struct RequestPane {
    pub method: Method,
    /// The path as typed or loaded, placeholders included.
    pub template: String,
    /// One row per placeholder, in path order.
    pub path_params: Vec<Param>,
    pub query: Vec<Param>,
    /// The user's header rows (overrides of automatic headers included).
    pub headers: Vec<Param>,
    body: TextArea<'static>,
    pub body_check: BodyCheck,
    /// Edited since loaded or last sent.
    pub body_dirty: bool,
    pub idempotency_key: String,
    pub operation: Option<Operation>,
    pub tab: RequestTab,
    /// 0 is the method/path line; 1.. are rows of the current tab.
    pub row: usize,
    editing: Option<Editing>,
    pub message: Option<String>,
    /// The fingerprint of the request last sent with `idempotency_key`.
    sent_fingerprint: Option<u64>,
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
            body_dirty: false,
            idempotency_key: new_idempotency_key(),
            operation: None,
            tab: RequestTab::Params,
            row: 0,
            editing: None,
            message: None,
            sent_fingerprint: None,
        };
        pane.style_body();
        pane
    }
}

impl RequestPane {
    /// Loads an operation from the catalogue.
    pub fn load(&mut self, op: &Operation) {
        self.method = op.method;
        self.template = op.path.clone();
        self.sync_path_params();
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
        self.set_body(op.body_template().unwrap_or_default());
        self.body_dirty = false;
        self.idempotency_key = new_idempotency_key();
        self.sent_fingerprint = None;
        self.operation = Some(op.clone());
        self.tab = if !self.path_params.is_empty() || !self.query.is_empty() || op.body.is_none() {
            RequestTab::Params
        } else {
            RequestTab::Body
        };
        self.row = if self.path_params.is_empty() { 0 } else { 1 };
        self.editing = None;
        self.message = None;
    }

    pub fn set_body(&mut self, text: String) {
        self.body = TextArea::new(text.lines().map(str::to_string).collect());
        self.style_body();
        self.check_body();
    }

    fn style_body(&mut self) {
        self.body
            .set_cursor_line_style(ratatui::style::Style::new());
        self.body.set_tab_length(2);
        self.body.set_placeholder_text("JSON body (Enter to edit)");
    }

    pub fn body_text(&self) -> String {
        self.body.lines().join("\n")
    }

    fn check_body(&mut self) {
        let text = self.body_text();
        self.body_check = if text.trim().is_empty() {
            BodyCheck::Empty
        } else {
            match json::validate(text.as_bytes()) {
                Ok(()) => BodyCheck::Valid,
                Err(e) => BodyCheck::Invalid(e),
            }
        };
    }

    fn sync_path_params(&mut self) {
        let names = placeholders(&self.template);
        let old = std::mem::take(&mut self.path_params);
        self.path_params = names
            .into_iter()
            .map(|name| {
                let value = old
                    .iter()
                    .find(|p| p.name == name)
                    .map(|p| p.value.clone())
                    .unwrap_or_default();
                Param::new(name, value)
            })
            .collect();
    }

    /// Whether the method sends the body.
    pub fn sends_body(&self) -> bool {
        self.method != Method::Get && self.body_check != BodyCheck::Empty
    }

    /// The request as it will be sent, or what is missing.
    pub fn build(&self) -> Result<ApiRequest, String> {
        let mut path = self.template.trim().to_string();
        for p in &self.path_params {
            if p.value.trim().is_empty() {
                return Err(format!(
                    "fill the path parameter {{{}}} (Params tab)",
                    p.name
                ));
            }
            path = path.replace(&format!("{{{}}}", p.name), &encode_segment(p.value.trim()));
        }
        Ok(ApiRequest {
            method: self.method,
            path,
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.sends_body().then(|| self.body_text()),
            idempotency_key: (self.method == Method::Post).then(|| self.idempotency_key.clone()),
        })
    }

    /// Loads a request built elsewhere (the next page) back into the builder's fields.
    pub fn set_query(&mut self, query: Vec<Param>) {
        self.query = query;
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

    pub fn effective(&self, ctx: &HeaderContext<'_>) -> Vec<EffectiveHeader> {
        let req = self.build().unwrap_or_else(|_| ApiRequest {
            method: self.method,
            path: self.template.clone(),
            headers: self.headers.clone(),
            idempotency_key: (self.method == Method::Post).then(|| self.idempotency_key.clone()),
            ..Default::default()
        });
        let mut hs = effective_headers(&req, ctx.settings, ctx.token);
        if ctx.token.is_none() && req.uses_managed_token() {
            // Shown so the user sees it will be there once a token arrives.
            hs.insert(
                0,
                EffectiveHeader {
                    name: "Authorization".into(),
                    value: crate::younium::request::HeaderText::Plain(
                        "Bearer (token pending)".into(),
                    ),
                    origin: HeaderOrigin::Automatic,
                },
            );
        }
        hs
    }

    pub fn paste(&mut self, text: &str) {
        match &mut self.editing {
            Some(Editing::Path(input)) | Some(Editing::Table { input, .. }) => input.paste(text),
            Some(Editing::Body) => {
                self.body.insert_str(text);
                self.body_dirty = true;
                self.check_body();
            }
            None if self.tab == RequestTab::Body => {
                self.body.insert_str(text);
                self.body_dirty = true;
                self.check_body();
            }
            None => {}
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &HeaderContext<'_>) -> RequestEvent {
        self.message = None;
        if let Some(editing) = &mut self.editing {
            return match editing {
                Editing::Body => self.body_key(key),
                Editing::Path(input) => match input.handle(key) {
                    InputOutcome::Submit(text) => {
                        self.template = text.trim().to_string();
                        self.sync_path_params();
                        self.editing = None;
                        RequestEvent::Handled
                    }
                    InputOutcome::Cancel => {
                        self.editing = None;
                        RequestEvent::Handled
                    }
                    InputOutcome::Edited => RequestEvent::Handled,
                },
                Editing::Table { row, cell, input } => {
                    let (row, cell) = (*row, *cell);
                    match input.handle(key) {
                        InputOutcome::Submit(text) => {
                            self.editing = None;
                            self.commit_cell(row, cell, text, ctx);
                            RequestEvent::Handled
                        }
                        InputOutcome::Cancel => {
                            self.editing = None;
                            RequestEvent::Handled
                        }
                        InputOutcome::Edited => RequestEvent::Handled,
                    }
                }
            };
        }
        let rows = self.row_count(ctx);
        match key.code {
            KeyCode::Char('m') => self.cycle_method(1),
            KeyCode::Char('M') => self.cycle_method(-1),
            KeyCode::Char(']') => self.switch_tab(1),
            KeyCode::Char('[') => self.switch_tab(-1),
            KeyCode::Up | KeyCode::Char('k') => {
                self.row = self.row.saturating_sub(1);
                RequestEvent::Handled
            }
            KeyCode::Down | KeyCode::Char('j') => {
                self.row = (self.row + 1).min(rows);
                RequestEvent::Handled
            }
            KeyCode::Char('K') => {
                self.idempotency_key = new_idempotency_key();
                self.message = Some("new idempotency key".into());
                RequestEvent::Handled
            }
            KeyCode::Char('f') if self.tab == RequestTab::Body => {
                self.format_body();
                RequestEvent::Handled
            }
            KeyCode::Enter | KeyCode::Char('e') => self.edit(Cell::Value, ctx),
            KeyCode::Char('n') if self.row > 0 => self.edit(Cell::Name, ctx),
            KeyCode::Char('a') => self.add_row(),
            KeyCode::Char(' ') if self.row > 0 => self.toggle(ctx),
            KeyCode::Char('d') | KeyCode::Delete if self.row > 0 => self.delete(ctx),
            _ => RequestEvent::Ignored,
        }
    }

    fn body_key(&mut self, key: KeyEvent) -> RequestEvent {
        match key.code {
            KeyCode::Esc => {
                self.editing = None;
                RequestEvent::Handled
            }
            KeyCode::Tab => {
                self.body.insert_str("  ");
                self.after_body_edit();
                RequestEvent::Handled
            }
            _ => {
                if self.body.input(key) {
                    self.after_body_edit();
                }
                RequestEvent::Handled
            }
        }
    }

    fn after_body_edit(&mut self) {
        self.body_dirty = true;
        self.check_body();
    }

    fn format_body(&mut self) {
        match serde_json::from_str::<serde_json::Value>(&self.body_text()) {
            Ok(v) => {
                let pretty = serde_json::to_string_pretty(&v).unwrap_or_default();
                self.set_body(pretty);
                self.body_dirty = true;
            }
            Err(e) => self.message = Some(format!("cannot format: {}", JsonError::from_serde(&e))),
        }
    }

    fn cycle_method(&mut self, step: isize) -> RequestEvent {
        let i = Method::ALL
            .iter()
            .position(|m| *m == self.method)
            .unwrap_or(0) as isize;
        self.method = Method::ALL[(i + step).rem_euclid(Method::ALL.len() as isize) as usize];
        RequestEvent::Handled
    }

    fn switch_tab(&mut self, step: isize) -> RequestEvent {
        let i = TABS.iter().position(|t| *t == self.tab).unwrap_or(0) as isize;
        self.tab = TABS[(i + step).rem_euclid(TABS.len() as isize) as usize];
        self.row = self.row.min(1);
        RequestEvent::Handled
    }

    fn edit(&mut self, cell: Cell, ctx: &HeaderContext<'_>) -> RequestEvent {
        if self.row == 0 {
            self.editing = Some(Editing::Path(LineInput::new(&self.template, false)));
            return RequestEvent::Handled;
        }
        let row = self.row - 1;
        match self.tab {
            RequestTab::Body => {
                self.editing = Some(Editing::Body);
            }
            RequestTab::Params => {
                let Some(p) = self.param_row(row) else {
                    return RequestEvent::Ignored;
                };
                if row < self.path_params.len() && cell == Cell::Name {
                    self.message = Some(
                        "path parameter names come from the path; edit the path instead".into(),
                    );
                    return RequestEvent::Handled;
                }
                let initial = if cell == Cell::Name {
                    p.name.clone()
                } else {
                    p.value.clone()
                };
                self.editing = Some(Editing::Table {
                    row,
                    cell,
                    input: LineInput::new(&initial, false),
                });
            }
            RequestTab::Headers => {
                let hs = self.effective(ctx);
                let Some(h) = hs.get(row) else {
                    return RequestEvent::Ignored;
                };
                if h.origin != HeaderOrigin::User && cell == Cell::Name {
                    self.message =
                        Some("automatic header names are fixed; add your own header with a".into());
                    return RequestEvent::Handled;
                }
                // Editing an automatic header's value starts from its current value; a secret
                // starts empty so it is never copied into an editor.
                let initial = match &h.value {
                    crate::younium::request::HeaderText::Plain(v)
                        if h.origin != HeaderOrigin::Disabled =>
                    {
                        v.clone()
                    }
                    _ => String::new(),
                };
                let initial = if cell == Cell::Name {
                    h.name.clone()
                } else {
                    initial
                };
                self.editing = Some(Editing::Table {
                    row,
                    cell,
                    input: LineInput::new(&initial, false),
                });
            }
        }
        RequestEvent::Handled
    }

    fn param_row(&self, row: usize) -> Option<&Param> {
        if row < self.path_params.len() {
            self.path_params.get(row)
        } else {
            self.query.get(row - self.path_params.len())
        }
    }

    fn commit_cell(&mut self, row: usize, cell: Cell, text: String, ctx: &HeaderContext<'_>) {
        match self.tab {
            RequestTab::Params => {
                let n = self.path_params.len();
                if row >= n
                    && cell == Cell::Name
                    && text.trim().is_empty()
                    && self.query.get(row - n).is_some_and(|p| p.value.is_empty())
                {
                    self.query.remove(row - n);
                    self.row = self.row.min(n + self.query.len());
                    return;
                }
                let p = if row < n {
                    self.path_params.get_mut(row)
                } else {
                    self.query.get_mut(row - n)
                };
                let Some(p) = p else { return };
                match cell {
                    Cell::Name => {
                        p.name = text.trim().to_string();
                        if p.value.is_empty() {
                            // A new row: go straight on to its value.
                            self.editing = Some(Editing::Table {
                                row,
                                cell: Cell::Value,
                                input: LineInput::new("", false),
                            });
                        }
                    }
                    Cell::Value => {
                        p.value = text;
                        p.enabled = true;
                    }
                }
            }
            RequestTab::Headers if row == usize::MAX => {
                let name = text.trim().to_string();
                if name.is_empty() {
                    self.headers.pop();
                    return;
                }
                if let Some(last) = self.headers.last_mut() {
                    last.name = name.clone();
                }
                let hs = self.effective(ctx);
                if let Some(pos) = hs.iter().position(|h| h.name.eq_ignore_ascii_case(&name)) {
                    self.row = pos + 1;
                    self.editing = Some(Editing::Table {
                        row: pos,
                        cell: Cell::Value,
                        input: LineInput::new("", false),
                    });
                }
            }
            RequestTab::Headers => {
                let hs = self.effective(ctx);
                let Some(h) = hs.get(row) else { return };
                match self.user_header_index(&h.name) {
                    Some(i) => match cell {
                        Cell::Name => self.headers[i].name = text.trim().to_string(),
                        Cell::Value => {
                            self.headers[i].value = text;
                            self.headers[i].enabled = true;
                        }
                    },
                    None if cell == Cell::Value => {
                        self.headers.push(Param::new(h.name.clone(), text))
                    }
                    None => {}
                }
            }
            RequestTab::Body => {}
        }
    }

    fn user_header_index(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|p| p.name.trim().eq_ignore_ascii_case(name.trim()))
    }

    fn add_row(&mut self) -> RequestEvent {
        let (list, offset) = match self.tab {
            RequestTab::Params => (&mut self.query, self.path_params.len()),
            RequestTab::Headers => (&mut self.headers, 0),
            RequestTab::Body => return RequestEvent::Ignored,
        };
        list.push(Param::new("", ""));
        let index = list.len() - 1;
        let row = match self.tab {
            RequestTab::Headers => usize::MAX, // resolved below
            _ => offset + index,
        };
        if self.tab == RequestTab::Headers {
            // A new user header is listed last among the effective headers.
            self.editing = Some(Editing::Table {
                row,
                cell: Cell::Name,
                input: LineInput::new("", false),
            });
        } else {
            self.row = row + 1;
            self.editing = Some(Editing::Table {
                row,
                cell: Cell::Name,
                input: LineInput::new("", false),
            });
        }
        RequestEvent::Handled
    }

    fn toggle(&mut self, ctx: &HeaderContext<'_>) -> RequestEvent {
        let row = self.row - 1;
        match self.tab {
            RequestTab::Params => {
                let n = self.path_params.len();
                if row < n {
                    self.message = Some("path parameters are always sent".into());
                } else if let Some(p) = self.query.get_mut(row - n) {
                    p.enabled = !p.enabled;
                }
            }
            RequestTab::Headers => {
                let hs = self.effective(ctx);
                let Some(h) = hs.get(row) else {
                    return RequestEvent::Ignored;
                };
                match self.user_header_index(&h.name) {
                    Some(i) => self.headers[i].enabled = !self.headers[i].enabled,
                    None => self.headers.push(Param {
                        name: h.name.clone(),
                        value: String::new(),
                        enabled: false,
                    }),
                }
            }
            RequestTab::Body => return RequestEvent::Ignored,
        }
        RequestEvent::Handled
    }

    fn delete(&mut self, ctx: &HeaderContext<'_>) -> RequestEvent {
        let row = self.row - 1;
        match self.tab {
            RequestTab::Params => {
                let n = self.path_params.len();
                if row < n {
                    self.message = Some(
                        "path parameters come from the path; edit the path to remove one".into(),
                    );
                } else if row - n < self.query.len() {
                    self.query.remove(row - n);
                    self.row = self.row.min(n + self.query.len()).max(1);
                }
            }
            RequestTab::Headers => {
                let hs = self.effective(ctx);
                let Some(h) = hs.get(row) else {
                    return RequestEvent::Ignored;
                };
                match self.user_header_index(&h.name) {
                    Some(i) => {
                        self.headers.remove(i);
                        self.message = Some(match h.origin {
                            HeaderOrigin::User => format!("removed {}", h.name),
                            _ => format!("{} is automatic again", h.name),
                        });
                    }
                    None => {
                        self.message =
                            Some("automatic header: space switches it off, e overrides it".into())
                    }
                }
            }
            RequestTab::Body => return RequestEvent::Ignored,
        }
        RequestEvent::Handled
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
            self.idempotency_key = new_idempotency_key();
            self.sent_fingerprint = None;
        }
    }

    pub fn render(
        &mut self,
        frame: &mut Frame<'_>,
        area: Rect,
        block: Block<'_>,
        focused: bool,
        ctx: &HeaderContext<'_>,
        theme: &Theme,
    ) {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [path_line, tabs_line, content, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(inner);
        let path_selected = focused && self.row == 0;
        let mut spans = vec![
            Span::styled(
                format!(" {:<6}", self.method.as_str()),
                theme.method(self.method),
            ),
            Span::raw(" "),
        ];
        if !matches!(self.editing, Some(Editing::Path(_))) {
            spans.extend(path_spans(&self.template, &self.path_params, theme));
        }
        let path_style = if path_selected {
            theme.selected()
        } else {
            theme.text()
        };
        frame.render_widget(
            Paragraph::new(Line::from(spans)).style(path_style),
            path_line,
        );
        if let Some(Editing::Path(input)) = &self.editing {
            let rect = Rect {
                x: path_line.x + 8,
                width: path_line.width.saturating_sub(8),
                ..path_line
            };
            input.render(frame, rect, theme);
        }
        let body_mark = match &self.body_check {
            BodyCheck::Empty => "",
            BodyCheck::Valid => " ✓",
            BodyCheck::Invalid(_) => " ✗",
        };
        let titles = vec![
            format!(
                "Params ({})",
                self.path_params.len() + self.query.iter().filter(|p| p.enabled).count()
            ),
            format!(
                "Headers ({})",
                self.effective(ctx).iter().filter(|h| h.is_sent()).count()
            ),
            format!("Body{body_mark}"),
        ];
        let selected_tab = TABS.iter().position(|t| *t == self.tab).unwrap_or(0);
        frame.render_widget(
            Tabs::new(titles)
                .select(selected_tab)
                .highlight_style(theme.title().add_modifier(Modifier::REVERSED))
                .divider("│"),
            tabs_line,
        );
        match self.tab {
            RequestTab::Params => self.render_params(frame, content, focused, theme),
            RequestTab::Headers => self.render_headers(frame, content, focused, ctx, theme),
            RequestTab::Body => self.render_body(frame, content, focused, theme),
        }
        frame.render_widget(Paragraph::new(self.foot_line(theme)), foot);
    }

    fn foot_line(&self, theme: &Theme) -> Line<'static> {
        if let Some(m) = &self.message {
            return Line::styled(m.clone(), theme.warn());
        }
        let mut spans = Vec::new();
        if let Some(op) = &self.operation
            && let Some(p) = &op.permission
        {
            spans.push(Span::styled("needs ", theme.dim()));
            spans.push(Span::styled(p.clone(), theme.warn()));
            spans.push(Span::raw("  "));
        }
        if self.method == Method::Post {
            spans.push(Span::styled(
                format!("idempotency key {}", self.idempotency_key),
                theme.dim(),
            ));
        }
        if self.method == Method::Get && self.body_check != BodyCheck::Empty {
            spans.push(Span::styled("  (GET sends no body)", theme.dim()));
        }
        Line::from(spans)
    }

    fn table_line(
        &self,
        index: usize,
        focused: bool,
        cells: Vec<Span<'static>>,
        theme: &Theme,
    ) -> Line<'static> {
        let line = Line::from(cells);
        if focused && self.row == index + 1 {
            line.style(theme.selected())
        } else {
            line
        }
    }

    fn editing_cell(&self, row: usize) -> Option<(Cell, &LineInput)> {
        match &self.editing {
            Some(Editing::Table {
                row: r,
                cell,
                input,
            }) if *r == row => Some((*cell, input)),
            _ => None,
        }
    }

    fn render_params(&self, frame: &mut Frame<'_>, area: Rect, focused: bool, theme: &Theme) {
        let mut lines = Vec::new();
        let name_width = self
            .path_params
            .iter()
            .chain(&self.query)
            .map(|p| p.name.len())
            .max()
            .unwrap_or(4)
            .clamp(4, 24);
        let mut edit_at = None;
        for (i, p) in self.path_params.iter().chain(&self.query).enumerate() {
            let is_path = i < self.path_params.len();
            let mark = if is_path {
                "path"
            } else if p.enabled {
                "[x] "
            } else {
                "[ ] "
            };
            let value = if p.value.is_empty() && is_path {
                Span::styled("(required)", theme.warn())
            } else {
                Span::raw(p.value.clone())
            };
            let name_style = if p.enabled {
                theme.label()
            } else {
                theme.dim().add_modifier(Modifier::CROSSED_OUT)
            };
            if let Some((cell, _)) = self.editing_cell(i) {
                edit_at = Some((lines.len(), cell));
            }
            let cells = row_cells(mark, &p.name, name_width, name_style, " = ", value, theme);
            lines.push(self.table_line(i, focused, cells, theme));
        }
        if lines.is_empty() {
            lines.push(Line::styled(
                "No parameters. a adds a query parameter.",
                theme.dim(),
            ));
        }
        self.render_table(frame, area, lines, edit_at, 5, name_width, theme);
    }

    fn render_headers(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        focused: bool,
        ctx: &HeaderContext<'_>,
        theme: &Theme,
    ) {
        let hs = self.effective(ctx);
        let name_width = hs
            .iter()
            .map(|h| h.name.len())
            .max()
            .unwrap_or(4)
            .clamp(4, 26);
        let mut lines = Vec::new();
        let mut edit_at = None;
        for (i, h) in hs.iter().enumerate() {
            let (mark, style) = match h.origin {
                HeaderOrigin::Automatic => ("auto", theme.dim()),
                HeaderOrigin::Overridden => ("over", theme.warn()),
                HeaderOrigin::Disabled => ("off ", theme.dim().add_modifier(Modifier::CROSSED_OUT)),
                HeaderOrigin::User => ("user", theme.text()),
            };
            if let Some((cell, _)) = self.editing_cell(i) {
                edit_at = Some((lines.len(), cell));
            }
            let value = Span::styled(h.value.display(false), style);
            let cells = row_cells(mark, &h.name, name_width, style, " : ", value, theme);
            lines.push(self.table_line(i, focused, cells, theme));
        }
        // A header being added has no effective row yet: edit it on an extra line.
        if let Some(Editing::Table {
            row: usize::MAX, ..
        }) = &self.editing
        {
            edit_at = Some((lines.len(), Cell::Name));
            lines.push(Line::raw(""));
        }
        self.render_table(frame, area, lines, edit_at, 5, name_width, theme);
    }

    #[allow(clippy::too_many_arguments)]
    fn render_table(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        lines: Vec<Line<'static>>,
        edit_at: Option<(usize, Cell)>,
        mark_width: u16,
        name_width: usize,
        theme: &Theme,
    ) {
        let visible = area.height as usize;
        let selected = self.row.saturating_sub(1);
        let skip = (selected + 1).saturating_sub(visible);
        let shown: Vec<Line<'static>> = lines.into_iter().skip(skip).take(visible).collect();
        frame.render_widget(Paragraph::new(shown), area);
        if let (Some((line, cell)), Some(Editing::Table { input, .. })) = (edit_at, &self.editing) {
            let Some(y) = line.checked_sub(skip).filter(|l| *l < visible) else {
                return;
            };
            let x = match cell {
                Cell::Name => mark_width,
                Cell::Value => mark_width + name_width as u16 + 3,
            };
            let rect = Rect {
                x: area.x + x,
                y: area.y + y as u16,
                width: area.width.saturating_sub(x),
                height: 1,
            };
            input.render(frame, rect, theme);
        }
    }

    fn render_body(&mut self, frame: &mut Frame<'_>, area: Rect, focused: bool, theme: &Theme) {
        let [editor, status] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
        let editing = matches!(self.editing, Some(Editing::Body));
        self.body.set_cursor_style(if editing {
            ratatui::style::Style::new().add_modifier(Modifier::REVERSED)
        } else {
            ratatui::style::Style::new()
        });
        self.body
            .set_style(if focused && self.row == 1 && !editing {
                theme.selected()
            } else {
                theme.text()
            });
        frame.render_widget(&self.body, editor);
        let line = match &self.body_check {
            BodyCheck::Empty => Line::styled("empty body", theme.dim()),
            BodyCheck::Valid => Line::styled("✓ valid JSON   (f formats it)", theme.good()),
            BodyCheck::Invalid(e) => Line::styled(format!("✗ {e}"), theme.bad()),
        };
        let line = if editing {
            line.patch_style(theme.text())
                .spans
                .into_iter()
                .chain([Span::styled("   Esc stops editing", theme.dim())])
                .collect::<Line<'_>>()
        } else {
            line
        };
        frame.render_widget(Paragraph::new(line), status);
    }

    pub fn help(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("s, F5, Ctrl-R", "send the request (from any pane)"),
            ("m / M", "next / previous method"),
            ("[ ]", "switch tab: Params, Headers, Body"),
            ("↑↓ / j k", "choose the path line or a row"),
            ("Enter / e", "edit the path, a value, or the body"),
            ("n", "edit a row's name"),
            ("a", "add a query parameter or header"),
            ("space", "switch a row on or off (automatic headers too)"),
            (
                "d / Del",
                "delete a row; on an overridden header: back to automatic",
            ),
            ("f", "format the JSON body"),
            ("K", "new idempotency key (POST)"),
            (
                "c",
                "copy the request as curl ($YOUNIUM_TOKEN unless revealed)",
            ),
            ("Esc", "stop editing the body"),
        ]
    }
}

/// The cells of a table row: a marker, the name padded to `width`, a separator, the value.
fn row_cells(
    mark: &str,
    name: &str,
    width: usize,
    name_style: ratatui::style::Style,
    separator: &'static str,
    value: Span<'static>,
    theme: &Theme,
) -> Vec<Span<'static>> {
    vec![
        Span::styled(format!("{mark} "), theme.dim()),
        Span::styled(format!("{name:<width$}"), name_style),
        Span::styled(separator, theme.dim()),
        value,
    ]
}

fn path_spans(template: &str, params: &[Param], theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        spans.push(Span::raw(rest[..start].to_string()));
        let name = &rest[start + 1..start + len];
        match params
            .iter()
            .find(|p| p.name == name)
            .filter(|p| !p.value.trim().is_empty())
        {
            Some(p) => spans.push(Span::styled(p.value.clone(), theme.good())),
            None => spans.push(Span::styled(
                format!("{{{name}}}"),
                theme.warn().add_modifier(Modifier::UNDERLINED),
            )),
        }
        rest = &rest[start + len + 1..];
    }
    spans.push(Span::raw(rest.to_string()));
    spans
}

/// Percent-encodes a path segment value (everything but unreserved characters).
fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether a key is one the body editor wants even though it looks global.
pub fn body_editor_captures(key: &KeyEvent) -> bool {
    !(key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('r')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::younium::catalog::catalog;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctx() -> (CallSettings, Option<Secret>) {
        (
            CallSettings {
                legal_entity: Some("Acme".into()),
                ..Default::default()
            },
            Some(Secret::new("eyJhbGciOiJIUzI1NiJ9.e30.signature")),
        )
    }

    fn type_text(pane: &mut RequestPane, text: &str, c: &HeaderContext<'_>) {
        for ch in text.chars() {
            pane.handle_key(key(KeyCode::Char(ch)), c);
        }
        pane.handle_key(key(KeyCode::Enter), c);
    }

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
        pane.handle_key(key(KeyCode::Enter), &c);
        type_text(&mut pane, "A 1/2", &c);
        assert_eq!(pane.build().unwrap().path, "/Accounts/A%201%2F2/Invoices");
    }

    #[test]
    fn header_overrides_through_the_table() {
        let mut pane = RequestPane::default();
        let (s, t) = ctx();
        let c = HeaderContext {
            settings: &s,
            token: t.as_ref(),
        };
        pane.handle_key(key(KeyCode::Char(']')), &c);
        let names: Vec<String> = pane.effective(&c).iter().map(|h| h.name.clone()).collect();
        let le = names.iter().position(|n| n == "legal-entity").unwrap();
        pane.row = le + 1;
        pane.handle_key(key(KeyCode::Char('e')), &c);
        for _ in 0..10 {
            pane.handle_key(key(KeyCode::Backspace), &c);
        }
        type_text(&mut pane, "Other", &c);
        let h = &pane.effective(&c)[le];
        assert_eq!(
            (h.origin, h.value.wire()),
            (HeaderOrigin::Overridden, "Other".to_string())
        );
        pane.handle_key(key(KeyCode::Char('d')), &c);
        assert_eq!(pane.effective(&c)[le].origin, HeaderOrigin::Automatic);
        pane.handle_key(key(KeyCode::Char(' ')), &c);
        assert_eq!(pane.effective(&c)[le].origin, HeaderOrigin::Disabled);
        assert_eq!(pane.build().unwrap().legal_entity_sent(&s), None);
    }

    #[test]
    fn body_validation_is_live() {
        let mut pane = RequestPane::default();
        let (s, t) = ctx();
        let c = HeaderContext {
            settings: &s,
            token: t.as_ref(),
        };
        pane.method = Method::Post;
        pane.tab = RequestTab::Body;
        pane.row = 1;
        pane.handle_key(key(KeyCode::Enter), &c);
        assert!(pane.is_editing_body());
        for ch in "{\"name\": ".chars() {
            pane.handle_key(key(KeyCode::Char(ch)), &c);
        }
        assert!(matches!(&pane.body_check, BodyCheck::Invalid(e) if e.line == 1));
        for ch in "1}".chars() {
            pane.handle_key(key(KeyCode::Char(ch)), &c);
        }
        assert_eq!(pane.body_check, BodyCheck::Valid);
        assert!(pane.body_dirty);
        pane.handle_key(key(KeyCode::Esc), &c);
        assert!(!pane.is_editing());
        pane.handle_key(key(KeyCode::Char('f')), &c);
        assert_eq!(pane.body_text(), "{\n  \"name\": 1\n}");
        let req = pane.build().unwrap();
        assert_eq!(req.body.as_deref(), Some("{\n  \"name\": 1\n}"));
        assert!(req.idempotency_key.is_some());
    }

    #[test]
    fn query_rows_add_toggle_delete() {
        let mut pane = RequestPane::default();
        let (s, t) = ctx();
        let c = HeaderContext {
            settings: &s,
            token: t.as_ref(),
        };
        pane.handle_key(key(KeyCode::Char('a')), &c);
        type_text(&mut pane, "Filter", &c);
        type_text(&mut pane, "name eq 'x'", &c);
        assert_eq!(pane.query[2], Param::new("Filter", "name eq 'x'"));
        pane.handle_key(key(KeyCode::Char(' ')), &c);
        assert!(!pane.query[2].enabled);
        pane.handle_key(key(KeyCode::Char('d')), &c);
        assert_eq!(pane.query.len(), 2);
        pane.handle_key(key(KeyCode::Char(']')), &c);
        pane.handle_key(key(KeyCode::Char('a')), &c);
        type_text(&mut pane, "X-Debug", &c);
        type_text(&mut pane, "1", &c);
        assert_eq!(pane.headers, [Param::new("X-Debug", "1")]);
        let last = pane.effective(&c).pop().unwrap();
        assert_eq!(
            (last.name.as_str(), last.origin),
            ("X-Debug", HeaderOrigin::User)
        );
    }
}
