//! The response viewer: status line with the explanation of an error status, tabs for the
//! body, the headers and the request as sent. The body is indexed off the UI thread and only
//! the visible lines are highlighted, so a 10 MB answer scrolls as fast as a small one; of each
//! line only the visible columns are built, so a 43 MB answer on one line does too.

mod access;
mod all_pages;
mod cursor;
mod find;
mod jq;
mod lines;
mod schema;

pub use all_pages::AllPagesRun;
pub use cursor::BodyView;
pub use schema::{CHECK_LIMIT, FieldType, SchemaCheck, SchemaState, SchemaView};

use lines::{
    body_gutter, body_notes, explanation_lines, header_lines, request_lines, status_line, visible,
    wrapped_height,
};

use std::cell::RefCell;
use std::sync::Arc;

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Tabs, Wrap,
};

use crate::pretty::Document;
use crate::pretty::highlight::{Background, highlighter};
use crate::tui::keymap::{Command, Keymap, Scope};
use crate::tui::theme::Theme;
use crate::younium::limit::ByteSize;
use crate::younium::paging::PageInfo;
use crate::younium::{ApiRequest, ApiResponse, Explanation, Method};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseTab {
    Body,
    Headers,
    Request,
}

const TABS: [ResponseTab; 3] = [
    ResponseTab::Body,
    ResponseTab::Headers,
    ResponseTab::Request,
];

/// A response on screen, with what the app worked out about it.
#[derive(Debug)]
pub struct Shown {
    pub id: u64,
    pub response: ApiResponse,
    /// The request exactly as it was sent (for paging, the diagnosis, the save-file name).
    pub request: ApiRequest,
    /// `None` while the body is being indexed.
    pub doc: Option<Arc<Document>>,
    pub page: Option<PageInfo>,
    pub explanation: Option<Explanation>,
    /// For the api-version 2.1 empty-list 400: the server's message.
    pub empty_list: Option<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Default)]
pub enum ResponseState {
    #[default]
    Empty,
    Sending {
        id: u64,
        started: Timestamp,
        /// The request as sent; it stays with the response it brings.
        request: Box<ApiRequest>,
    },
    /// No response: the request could not be sent or the connection failed.
    Failed {
        message: String,
    },
    Shown(Box<Shown>),
}

pub use find::{BUDGET as FIND_BUDGET, CountRequest, Find, thousands};
pub use jq::{JqLine, JqOutput, JqRequest, JqState, LineError, run_filter};

#[derive(Debug)]
pub enum ResponseEvent {
    Page(u64),
    /// Count the matches of a new search in the body, in the background.
    Count(CountRequest),
    /// Run a jq filter over the body, in the background.
    RunJq(JqRequest),
    Handled,
    Ignored,
}

#[derive(Debug)]
pub struct ResponsePane {
    state: ResponseState,
    tab: ResponseTab,
    scroll: usize,
    hscroll: usize,
    /// Body lines visible at the last draw, for paging keys.
    viewport: usize,
    /// Text columns visible at the last draw, to bring a match into view.
    columns: usize,
    /// The search (`/`), while there is one.
    find: Option<Find>,
    /// The last search's id.
    find_seq: u64,
    /// The jq filter line (`|`), while it is open.
    jq_line: Option<JqLine>,
    /// What the Body tab shows: the body, or a jq filter's output.
    jq: JqState,
    /// The last filter run's id.
    jq_seq: u64,
    /// The filters run this session, oldest first (↑ ↓ in the filter line).
    jq_history: Vec<String>,
    /// The Body tab's folds and cursor line.
    view: BodyView,
    /// The fold prefix (`z`) was typed: the next key is looked up in the fold scope.
    awaiting_fold: bool,
    /// The body lines of the last frame, only the columns shown.
    body_cache: RefCell<Option<(BodyKey, BodyLines)>>,
    /// Every page of the list on screen being fetched (`A`), shown as a bar over it.
    all_pages: Option<AllPagesRun>,
    /// The v3 page (counted by following `nextPage` links) that response `id` will be:
    /// `(id, page, the request of page 1)`. A cursor page does not say its own number.
    next_page_number: Option<(u64, u64, ApiRequest)>,
    /// The request of page 1 of the v3 chain that response `id` (on screen) is a later page of.
    chain_first: Option<(u64, ApiRequest)>,
    /// The response schema of the answer on screen, and its check.
    schema: SchemaView,
}

/// What decides the body lines drawn: the response (and the filter output shown), the first
/// line, the height, the colour, and the columns shown (first column, count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct BodyKey {
    id: u64,
    jq: u64,
    folds: u64,
    start: usize,
    height: u16,
    colour: bool,
    background: Background,
    hscroll: usize,
    columns: usize,
}

impl Default for ResponsePane {
    fn default() -> Self {
        Self {
            state: ResponseState::Empty,
            tab: ResponseTab::Body,
            scroll: 0,
            hscroll: 0,
            viewport: 20,
            columns: 80,
            find: None,
            find_seq: 0,
            jq_line: None,
            jq: JqState::Body,
            jq_seq: 0,
            jq_history: Vec::new(),
            view: BodyView::default(),
            awaiting_fold: false,
            body_cache: RefCell::new(None),
            all_pages: None,
            next_page_number: None,
            chain_first: None,
            schema: SchemaView::default(),
        }
    }
}

impl ResponsePane {
    pub fn shown(&self) -> Option<&Shown> {
        match &self.state {
            ResponseState::Shown(s) => Some(s),
            _ => None,
        }
    }

    pub fn in_flight(&self) -> Option<u64> {
        match self.state {
            ResponseState::Sending { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The body of response `id` was indexed; false when another response is on screen now.
    pub fn indexed(&mut self, id: u64, doc: Arc<Document>, page: Option<PageInfo>) -> bool {
        match &mut self.state {
            ResponseState::Shown(shown) if shown.id == id => {
                shown.doc = Some(doc);
                shown.page = match (page, &self.next_page_number) {
                    (Some(page), Some((for_id, number, first)))
                        if page.is_cursor() && *for_id == id =>
                    {
                        self.chain_first = Some((id, first.clone()));
                        Some(page.with_page_number(*number))
                    }
                    (page, _) => page,
                };
                true
            }
            _ => false,
        }
    }

    /// Response `id` (being sent) is v3 page `page`, reached from the page on screen; `first`
    /// is the request of page 1 of the chain.
    pub fn expect_page(&mut self, id: u64, page: u64, first: ApiRequest) {
        self.next_page_number = Some((id, page, first));
    }

    /// The request of page 1 of the v3 chain the page on screen is a later page of.
    pub fn chain_first(&self) -> Option<&ApiRequest> {
        let shown = self.shown()?;
        self.chain_first
            .as_ref()
            .filter(|(id, _)| *id == shown.id)
            .map(|(_, first)| first)
    }

    /// Adds a note to the response on screen (shown under its status line).
    pub fn note(&mut self, note: String) {
        if let ResponseState::Shown(shown) = &mut self.state {
            shown.notes.push(note);
        }
    }

    /// Puts a fresh response on screen, scrolled to the top.
    pub fn show(&mut self, shown: Shown) {
        self.end_find();
        self.end_jq();
        self.jq_line = None;
        self.schema = SchemaView::for_answer(shown.id, &shown.request, &shown.response);
        self.state = ResponseState::Shown(Box::new(shown));
        self.scroll = 0;
        self.hscroll = 0;
        self.view = BodyView::default();
        self.tab = ResponseTab::Body;
    }

    fn line_count(&self) -> usize {
        match (&self.state, self.tab) {
            (ResponseState::Shown(_), ResponseTab::Body) => self.body_rows(),
            (ResponseState::Shown(s), ResponseTab::Headers) => {
                header_lines(s, &self.schema, &Theme::mono()).len()
            }
            (ResponseState::Shown(s), ResponseTab::Request) => {
                request_lines(s, &Theme::mono()).len()
            }
            _ => 0,
        }
    }

    pub fn scroll_by(&mut self, lines: isize) {
        let max = self.line_count().saturating_sub(1);
        self.scroll = (self.scroll as isize + lines).clamp(0, max as isize) as usize;
    }

    /// A key typed while the find line or the filter line is open.
    pub fn edit_key(&mut self, key: crossterm::event::KeyEvent) -> ResponseEvent {
        if self.jq_line.is_some() {
            self.jq_key(key)
        } else {
            self.find_key(key)
        }
    }

    /// The pane's title: the filter shown, then the search.
    pub fn title(&self) -> String {
        self.jq_title() + &self.find_title()
    }

    /// What the keymap says a key means here (while the find or filter line is open, keys go
    /// to [`edit_key`](Self::edit_key) instead).
    pub fn handle_key(&mut self, command: Option<Command>) -> ResponseEvent {
        let page = self.viewport.max(1) as isize;
        let after_prefix = std::mem::take(&mut self.awaiting_fold);
        let Some(command) = command else {
            return ResponseEvent::Ignored;
        };
        match command {
            Command::FoldPrefix if !after_prefix => self.awaiting_fold = self.on_body(),
            Command::ToggleFold => self.toggle_fold(),
            Command::FoldAll => self.fold_all(),
            Command::UnfoldAll => self.unfold_all(),
            Command::Find => self.open_find(),
            Command::FindNext => self.find_step(true),
            Command::FindPrevious => self.find_step(false),
            Command::Jq => self.open_jq(),
            // Esc with no request in flight: the app passes `Cancel` on to end the search,
            // then to go back to the whole body.
            Command::Cancel if self.find.is_some() => self.end_find(),
            Command::Cancel if !matches!(self.jq, JqState::Body) => self.end_jq(),
            Command::ScrollDown => self.step(1, false),
            Command::ScrollUp => self.step(-1, false),
            Command::HalfPageDown => self.step(page / 2, true),
            Command::HalfPageUp => self.step(-page / 2, true),
            Command::PageDown => self.step(page, true),
            Command::PageUp => self.step(-page, true),
            // The cursor to the first or last row; the view follows it there.
            Command::Top => self.step(isize::MIN / 2, false),
            Command::Bottom if self.on_body() => self.step(isize::MAX / 2, false),
            Command::Bottom => self.scroll = self.line_count().saturating_sub(self.viewport.max(1)),
            Command::ScrollRight => self.hscroll += 8,
            Command::ScrollLeft => self.hscroll = self.hscroll.saturating_sub(8),
            Command::ScrollHome => self.hscroll = 0,
            Command::NextTab => self.switch_tab(1),
            Command::PreviousTab => self.switch_tab(-1),
            Command::NextPage => return self.page_event(1),
            Command::PreviousPage => return self.page_event(-1),
            _ => return ResponseEvent::Ignored,
        }
        ResponseEvent::Handled
    }

    fn switch_tab(&mut self, step: isize) {
        self.end_find();
        let i = TABS.iter().position(|t| *t == self.tab).unwrap_or(0) as isize;
        self.tab = TABS[(i + step).rem_euclid(TABS.len() as isize) as usize];
        self.scroll = 0;
        self.hscroll = 0;
    }

    fn page_event(&self, step: i64) -> ResponseEvent {
        let Some(page) = self.shown().and_then(|s| s.page.as_ref()) else {
            return ResponseEvent::Handled;
        };
        let allowed = if step > 0 {
            page.has_next
        } else {
            page.has_previous
        };
        match page.page_number.checked_add_signed(step) {
            Some(n) if allowed && n >= 1 => ResponseEvent::Page(n),
            _ => ResponseEvent::Handled,
        }
    }

    pub fn render(
        &mut self,
        frame: &mut Frame<'_>,
        area: Rect,
        block: Block<'_>,
        now: Timestamp,
        theme: &Theme,
        keymap: &Keymap,
    ) {
        let mut inner = block.inner(area);
        let block = match self.schema_flag(self.flag_room(area.width)) {
            Some(flag) => block.title(Span::styled(flag, theme.warn())),
            None => block,
        };
        frame.render_widget(block, area);
        if let Some(run) = &self.all_pages
            && inner.height > all_pages::BAR_HEIGHT + 2
        {
            let bar = Rect {
                height: all_pages::BAR_HEIGHT,
                ..inner
            };
            run.render(frame, bar, theme, keymap);
            inner.y += all_pages::BAR_HEIGHT;
            inner.height -= all_pages::BAR_HEIGHT;
        }
        match &self.state {
            ResponseState::Empty => {
                let text = vec![
                    Line::styled("No response yet.", theme.dim()),
                    Line::styled(
                        format!(
                            "Pick an endpoint in Endpoints ({}, then {}), fill it in, then {} to send.",
                            keymap.hint(Command::FocusCatalog),
                            keymap.hint_in(Scope::Catalog, Command::Load),
                            keymap.hint(Command::Send),
                        ),
                        theme.dim(),
                    ),
                ];
                frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
            }
            ResponseState::Sending {
                started, request, ..
            } => {
                let secs = now.duration_since(*started).as_secs_f64().max(0.0);
                let spinner =
                    ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"][(secs as usize) % 10];
                let text = vec![
                    Line::from(vec![
                        Span::styled(format!("{spinner} Sending "), theme.warn()),
                        Span::raw(format!("{} {}", request.method, request.path)),
                    ]),
                    Line::styled(format!("{secs:.0} s   Esc cancels"), theme.dim()),
                ];
                frame.render_widget(Paragraph::new(text), inner);
            }
            ResponseState::Failed { message } => {
                let text = vec![
                    Line::styled("No response", theme.error_text()),
                    Line::raw(message.clone()),
                ];
                frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
            }
            ResponseState::Shown(_) => self.render_shown(frame, inner, theme, keymap),
        }
    }

    fn render_shown(&mut self, frame: &mut Frame<'_>, area: Rect, theme: &Theme, keymap: &Keymap) {
        let ResponseState::Shown(shown) = &self.state else {
            return;
        };
        let explanation = explanation_lines(shown, theme);
        let explain_height = if self.tab == ResponseTab::Body {
            wrapped_height(&explanation, area.width).min(area.height as usize * 3 / 5) as u16
        } else {
            0
        };
        let line_height = match self.jq_line_height(area.width) {
            0 => u16::from(self.is_editing()),
            jq => jq,
        };
        let path_height = u16::from(self.on_body() && line_height == 0);
        let [status, tabs, explain, content, path_line, find_line] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(explain_height),
            Constraint::Fill(1),
            Constraint::Length(path_height),
            Constraint::Length(line_height),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(status_line(shown, theme, keymap)), status);
        let flag = if self.schema_has_errors() { " ⚠" } else { "" };
        let titles = vec![
            "Body".to_string(),
            format!("Headers ({}){flag}", shown.response.headers.len()),
            "Request".to_string(),
        ];
        let selected = TABS.iter().position(|t| *t == self.tab).unwrap_or(0);
        frame.render_widget(
            Tabs::new(titles)
                .select(selected)
                .highlight_style(theme.title().add_modifier(Modifier::REVERSED))
                .divider("│"),
            tabs,
        );
        frame.render_widget(
            Paragraph::new(explanation).wrap(Wrap { trim: false }),
            explain,
        );
        self.viewport = content.height as usize;
        let (scroll, hscroll) = (self.scroll, self.hscroll);
        let width = content.width.saturating_sub(1) as usize;
        let BodyLines {
            mut lines,
            rows,
            skip,
        } = match self.tab {
            // Built already cut to the columns shown: a line can be 43 MB long.
            ResponseTab::Body => {
                let count = self.doc().map_or(0, |d| d.line_count());
                self.columns = width.saturating_sub(count.to_string().len() + 1);
                self.body_lines(content, theme)
            }
            tab => {
                self.columns = width;
                let all = match tab {
                    ResponseTab::Headers => header_lines(shown, &self.schema, theme),
                    _ => request_lines(shown, theme),
                };
                let lines = visible(all, scroll, hscroll, content);
                BodyLines {
                    rows: (scroll..scroll + lines.len()).collect(),
                    lines,
                    skip: 0,
                }
            }
        };
        if self.doc().is_some() || self.tab != ResponseTab::Body {
            self.mark_matches(&mut lines, &rows, skip, theme);
        }
        if self.on_body() {
            let at = self.cursor_row().checked_sub(self.scroll).map(|r| r + skip);
            if let Some(line) = at.and_then(|r| lines.get_mut(r)) {
                // The bar goes across the pane, not just under the text.
                let pad = (content.width as usize).saturating_sub(line.width() + 1);
                line.spans.push(Span::raw(" ".repeat(pad)));
                line.style = line.style.patch(theme.cursor_line());
            }
        }
        frame.render_widget(Paragraph::new(lines), content);
        self.render_path_line(frame, path_line, theme, keymap);
        if self.jq_line.is_some() {
            self.render_jq_line(frame, find_line, theme);
        } else {
            self.render_find_line(frame, find_line, theme);
        }
        let total = self.line_count();
        if total > content.height as usize {
            let mut state = ScrollbarState::new(total.saturating_sub(content.height as usize))
                .position(self.scroll);
            frame.render_stateful_widget(
                Scrollbar::new(ScrollbarOrientation::VerticalRight),
                content,
                &mut state,
            );
        }
    }

    /// The visible body rows: the gutter (the line number, `▸` on a fold), then columns
    /// `hscroll..` of each row, as many as fit `area` less its scrollbar column.
    fn body_lines(&self, area: Rect, theme: &Theme) -> BodyLines {
        let Some(shown) = self.shown() else {
            return BodyLines::default();
        };
        let Some(doc) = self.doc() else {
            let note = format!(
                "Formatting {}…",
                ByteSize::of_len(shown.response.body.len())
            );
            return BodyLines::note(Line::styled(note, theme.dim()));
        };
        if doc.body().is_empty() {
            return BodyLines::note(Line::styled("(empty body)", theme.dim()));
        }
        let start = self.scroll.min(self.body_rows().saturating_sub(1));
        let gutter = doc.line_count().to_string().len();
        let width = area.width.saturating_sub(1) as usize;
        let key = BodyKey {
            id: shown.id,
            jq: self.jq_shown(),
            folds: self.view.folds.generation(),
            start,
            height: area.height,
            colour: theme.colour,
            background: theme.background,
            hscroll: self.hscroll,
            columns: width.saturating_sub(gutter + 1),
        };
        // A frame drawn for another reason (the countdown ticking) reuses the lines.
        if let Some((cached_key, lines)) = &*self.body_cache.borrow()
            && *cached_key == key
        {
            return lines.clone();
        }
        let mut out = BodyLines::default();
        if start == 0 {
            out.lines.extend(body_notes(&doc, theme));
            out.skip = out.lines.len();
        }
        let height = (area.height as usize).saturating_sub(out.skip);
        let rows = self.rows_from(&doc, start, height);
        let columns = key.hscroll..key.hscroll.saturating_add(key.columns);
        let styled = highlighter().window_rows(&doc, &rows, columns, theme.background);
        for (row, runs) in rows.iter().zip(styled) {
            let folded = row.fold.is_some();
            let mut spans = vec![body_gutter(&doc, row.line, gutter, folded, theme)];
            // A text body can hold control characters: each is drawn as a visible stand-in.
            spans.extend(runs.into_iter().map(|(style, text)| {
                let text = if text.chars().any(crate::sanitize::is_unsafe) {
                    text.chars().map(crate::sanitize::cell).collect()
                } else {
                    text
                };
                Span::styled(text, theme.syntax(style))
            }));
            out.lines.push(Line::from(spans));
            out.rows.push(row.line);
        }
        *self.body_cache.borrow_mut() = Some((key, out.clone()));
        out
    }
}

/// The lines drawn in the content area, and for each row after the `skip` note lines the
/// line of the text it shows (a body line, a header…), for marking matches.
#[derive(Clone, Debug, Default, PartialEq)]
struct BodyLines {
    lines: Vec<Line<'static>>,
    rows: Vec<usize>,
    skip: usize,
}

impl BodyLines {
    fn note(line: Line<'static>) -> Self {
        BodyLines {
            lines: vec![line],
            rows: Vec::new(),
            skip: 1,
        }
    }
}

#[cfg(test)]
mod tests;
