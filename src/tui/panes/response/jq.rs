//! The jq filter line in the response viewer (`|`). The filter is compiled on the key (about
//! a millisecond), so a bad one is reported under the line and changes nothing else; a good
//! one runs in the background (Esc stops it, a stale result is dropped by id) and its output
//! is shown in the Body tab as a document of its own, until Esc or an empty filter brings the
//! whole body back.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{BodyView, ResponseEvent, ResponsePane, ResponseTab};
use crate::jq::Filter;
use crate::pretty::Document;
use crate::tui::input::{InputOutcome, LineInput};
use crate::tui::theme::Theme;

/// Filters kept for the session, for ↑ ↓ in the line.
const HISTORY: usize = 50;

/// The filter line while it is open, with why the last filter tried did not run.
#[derive(Debug)]
pub struct JqLine {
    pub input: LineInput,
    pub error: Option<LineError>,
    /// The filter of the history shown in the line (↑ ↓), if any.
    recalled: Option<usize>,
    /// What was typed before ↑, for ↓ past the newest filter.
    draft: String,
}

impl JqLine {
    fn new(text: &str, error: Option<LineError>) -> Self {
        Self {
            input: LineInput::new(text, false),
            error,
            recalled: None,
            draft: String::new(),
        }
    }
}

/// A filter that did not compile (jaq's message and the column) or failed as it ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub message: String,
    /// Where in the filter, from 1 (a compile error only).
    pub column: Option<usize>,
}

/// What the Body tab shows: the whole body, or a filter's output (or the body while a
/// filter runs).
#[derive(Debug, Default)]
pub enum JqState {
    #[default]
    Body,
    Running {
        id: u64,
        text: String,
        /// Set to stop the run (Esc, another filter, another response).
        cancel: Arc<AtomicBool>,
    },
    Shown {
        id: u64,
        text: String,
        output: JqOutput,
        /// Where the body's view was: Esc goes back there.
        origin: (usize, usize),
        /// The body's folds and cursor, kept while the output is shown.
        body_view: BodyView,
    },
}

/// A filter's output as a document: one output as itself, several (or none) as an array.
#[derive(Clone, Debug)]
pub struct JqOutput {
    pub doc: Arc<Document>,
    pub outputs: usize,
}

/// A filter to run in the background over the body.
#[derive(Debug)]
pub struct JqRequest {
    pub id: u64,
    pub filter: Filter,
    pub body: Bytes,
    pub cancel: Arc<AtomicBool>,
}

/// Runs `filter` over `body` and indexes its output (slow for a large body: call it off the
/// UI thread). The error is what to show under the filter line.
pub fn run_filter(filter: &Filter, body: &[u8], cancel: &AtomicBool) -> Result<JqOutput, String> {
    let values = filter
        .run_text(body, cancel)
        .map_err(|e| e.to_string())?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    // The viewer indexes one JSON value; jq's several outputs become one array. The texts
    // keep the digits of the body's numbers.
    let json = match values.as_slice() {
        [one] => one.clone().into_bytes(),
        _ => format!("[{}]", values.join(",")).into_bytes(),
    };
    Ok(JqOutput {
        doc: Arc::new(Document::new(Bytes::from(json), true)),
        outputs: values.len(),
    })
}

impl ResponsePane {
    /// The document the Body tab shows: a filter's output, or the body once indexed.
    pub fn doc(&self) -> Option<Arc<Document>> {
        match &self.jq {
            JqState::Shown { output, .. } => Some(output.doc.clone()),
            _ => self.shown().and_then(|s| s.doc.clone()),
        }
    }

    /// The id of the filter output shown (0: the body), for the body lines' cache.
    pub(super) fn jq_shown(&self) -> u64 {
        match self.jq {
            JqState::Shown { id, .. } => id,
            _ => 0,
        }
    }

    /// `|`: opens the filter line (holding the filter shown, if any). In the Body tab, once
    /// the body is indexed.
    pub(super) fn open_jq(&mut self) {
        if self.tab != ResponseTab::Body || self.shown().is_none_or(|s| s.doc.is_none()) {
            return;
        }
        let text = match &self.jq {
            JqState::Shown { text, .. } => text.as_str(),
            _ => "",
        };
        self.jq_line = Some(JqLine::new(text, None));
    }

    /// A key typed while the filter line is open.
    pub(super) fn jq_key(&mut self, key: KeyEvent) -> ResponseEvent {
        let Some(line) = &mut self.jq_line else {
            return ResponseEvent::Ignored;
        };
        match key.code {
            KeyCode::Up => return self.recall(true),
            KeyCode::Down => return self.recall(false),
            _ => {}
        }
        match line.input.handle(key) {
            InputOutcome::Submit(text) => return self.submit_jq(&text),
            InputOutcome::Cancel => self.jq_line = None,
            InputOutcome::Edited => line.error = None,
        }
        ResponseEvent::Handled
    }

    /// ↑ (`older`) or ↓ in the line: the previous or next filter of the session; ↓ past
    /// the newest brings back what was typed.
    fn recall(&mut self, older: bool) -> ResponseEvent {
        let Some(line) = &mut self.jq_line else {
            return ResponseEvent::Ignored;
        };
        let newest = self.jq_history.len().checked_sub(1);
        let next = match (line.recalled, older) {
            (None, true) => newest,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if Some(i) < newest => Some(i + 1),
            (Some(_), false) | (None, false) => None,
        };
        if next.is_none() && line.recalled.is_none() {
            return ResponseEvent::Handled;
        }
        if line.recalled.is_none() {
            line.draft = line.input.text().to_string();
        }
        let text = match next {
            Some(i) => self.jq_history[i].clone(),
            None => std::mem::take(&mut line.draft),
        };
        line.input = LineInput::new(&text, false);
        line.error = None;
        line.recalled = next;
        ResponseEvent::Handled
    }

    pub(super) fn jq_paste(&mut self, text: &str) {
        if let Some(line) = &mut self.jq_line {
            line.input.paste(text);
            line.error = None;
        }
    }

    /// Enter: an empty filter goes back to the body; one that does not compile stays in the
    /// line with jaq's message under it; a good one runs in the background.
    fn submit_jq(&mut self, text: &str) -> ResponseEvent {
        let text = text.trim();
        if text.is_empty() {
            self.jq_line = None;
            self.end_jq();
            return ResponseEvent::Handled;
        }
        let filter = match Filter::compile(text) {
            Ok(filter) => filter,
            Err(e) => {
                if let Some(line) = &mut self.jq_line {
                    line.error = Some(LineError {
                        message: e.message,
                        column: Some(e.column),
                    });
                }
                return ResponseEvent::Handled;
            }
        };
        let Some(body) = self.shown().map(|s| s.response.body.clone()) else {
            return ResponseEvent::Handled;
        };
        self.jq_line = None;
        self.end_jq();
        self.remember(text);
        self.jq_seq += 1;
        let cancel = Arc::<AtomicBool>::default();
        self.jq = JqState::Running {
            id: self.jq_seq,
            text: text.to_string(),
            cancel: cancel.clone(),
        };
        ResponseEvent::RunJq(JqRequest {
            id: self.jq_seq,
            filter,
            body,
            cancel,
        })
    }

    /// Keeps `text` as the newest filter of the session (once).
    fn remember(&mut self, text: &str) {
        self.jq_history.retain(|t| t != text);
        self.jq_history.push(text.to_string());
        if self.jq_history.len() > HISTORY {
            self.jq_history.remove(0);
        }
    }

    /// Back to the whole body: a running filter is stopped, a shown output closed (its search
    /// ends, the body's view comes back as it was).
    pub(super) fn end_jq(&mut self) {
        match std::mem::take(&mut self.jq) {
            JqState::Body => {}
            JqState::Running { cancel, .. } => cancel.store(true, Ordering::Relaxed),
            JqState::Shown {
                origin, body_view, ..
            } => {
                self.end_find();
                (self.scroll, self.hscroll) = origin;
                self.view = body_view;
            }
        }
    }

    /// The filter run `id` finished; false when it is stale (stopped, or another one since).
    pub fn jq_done(&mut self, id: u64, result: Result<JqOutput, String>) -> bool {
        let text = match &self.jq {
            JqState::Running {
                id: running, text, ..
            } if *running == id => text.clone(),
            _ => return false,
        };
        match result {
            Ok(output) => {
                self.end_find();
                self.jq = JqState::Shown {
                    id,
                    text,
                    output,
                    origin: (self.scroll, self.hscroll),
                    body_view: std::mem::take(&mut self.view),
                };
                (self.scroll, self.hscroll) = (0, 0);
            }
            Err(message) => {
                self.jq = JqState::Body;
                let error = LineError {
                    message,
                    column: None,
                };
                self.jq_line = Some(JqLine::new(&text, Some(error)));
            }
        }
        true
    }

    /// `| .data[].name ` (and the outputs, when several) for the pane's title; empty with
    /// the whole body shown.
    pub(super) fn jq_title(&self) -> String {
        match &self.jq {
            JqState::Body => String::new(),
            JqState::Running { text, .. } => format!("| {} running… ", shortened(text)),
            JqState::Shown { text, output, .. } if output.outputs == 1 => {
                format!("| {} ", shortened(text))
            }
            JqState::Shown { text, output, .. } => {
                let text = shortened(text);
                format!("| {text} ({} outputs, as an array) ", output.outputs)
            }
        }
    }

    /// Rows the filter line takes in `width` columns: the line, and under it the error (a
    /// caret at its column, then the message).
    pub(super) fn jq_line_height(&self, width: u16) -> u16 {
        let Some(line) = &self.jq_line else {
            return 0;
        };
        match &line.error {
            None => 1,
            Some(e) => {
                let rows = error_text(e)
                    .chars()
                    .count()
                    .div_ceil(usize::from(width.max(20)));
                1 + u16::from(e.column.is_some()) + rows.min(3) as u16
            }
        }
    }

    /// The filter line, and under it the error with a caret at its column.
    pub(super) fn render_jq_line(&self, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
        let Some(line) = &self.jq_line else {
            return;
        };
        let [input, caret, message] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(u16::from(
                line.error.as_ref().is_some_and(|e| e.column.is_some()),
            )),
            Constraint::Fill(1),
        ])
        .areas(area);
        let [bar, text] =
            Layout::horizontal([Constraint::Length(2), Constraint::Fill(1)]).areas(input);
        frame.render_widget(Paragraph::new(Span::styled("| ", theme.key())), bar);
        line.input.render(frame, text, theme);
        let Some(e) = &line.error else {
            return;
        };
        if let Some(column) = e.column {
            // The text starts two columns in, after `| `.
            let mark = format!("{}^", " ".repeat(column + 1));
            frame.render_widget(
                Paragraph::new(Span::styled(mark, theme.error_text())),
                caret,
            );
        }
        frame.render_widget(
            Paragraph::new(Line::styled(error_text(e), theme.error_text()))
                .wrap(Wrap { trim: false }),
            message,
        );
    }
}

/// A long filter cut to fit the pane's title.
fn shortened(text: &str) -> String {
    const MAX: usize = 30;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let mut short: String = text.chars().take(MAX - 1).collect();
    short.push('…');
    short
}

/// The message under the filter line.
fn error_text(e: &LineError) -> String {
    match e.column {
        Some(column) => format!("column {column}: {}", e.message),
        None => e.message.clone(),
    }
}
