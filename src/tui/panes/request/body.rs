//! The JSON body: a ratatui-textarea editor, its live validation and formatting.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::{CursorMove, TextArea};

use super::{Editing, RequestEvent, RequestPane};
use crate::pretty::json::{self, JsonError};
use crate::tui::theme::Theme;
use crate::younium::catalog::Operation;
use crate::younium::schema::{Report, Severity};

/// The state of the body text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyCheck {
    Empty,
    Valid,
    /// JSON once its `{{templates}}` are filled in (at send); not held to its schema before.
    Templated,
    Invalid(JsonError),
}

impl BodyCheck {
    fn of(text: &str) -> Self {
        if text.trim().is_empty() {
            return BodyCheck::Empty;
        }
        // Checked on every edit: stop at the first template, allocate nothing.
        use crate::younium::template::{Piece, pieces};
        if pieces(text).any(|p| matches!(p, Piece::Var(_))) {
            let stood_in = crate::younium::template::with_stand_ins(text);
            return match json::validate(stood_in.as_bytes()) {
                Ok(()) => BodyCheck::Templated,
                Err(e) => BodyCheck::Invalid(e),
            };
        }
        match json::validate(text.as_bytes()) {
            Ok(()) => BodyCheck::Valid,
            Err(e) => BodyCheck::Invalid(e),
        }
    }

    /// The mark after the Body tab's title.
    pub(super) fn tab_mark(&self) -> &'static str {
        match self {
            BodyCheck::Empty => "",
            BodyCheck::Valid | BodyCheck::Templated => " ✓",
            BodyCheck::Invalid(_) => " ✗",
        }
    }

    fn status_line(&self, theme: &Theme) -> Line<'static> {
        match self {
            BodyCheck::Empty => Line::styled("empty body", theme.dim()),
            BodyCheck::Valid => Line::styled("✓ valid JSON   (f formats it)", theme.good()),
            BodyCheck::Templated => Line::styled(
                "✓ valid JSON with {{templates}}: filled in and checked when sent",
                theme.good(),
            ),
            BodyCheck::Invalid(e) => Line::styled(format!("✗ {e}"), theme.bad()),
        }
    }
}

/// Bodies longer than this are not checked against their schema as they are typed (a check
/// costs about 1 ms per 100 kB; over this it would hold keys up).
pub const SCHEMA_CHECK_LIMIT: usize = 1024 * 1024;

/// Why sending the body should be asked about first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyQuestion {
    pub title: String,
    pub lines: Vec<String>,
}

impl RequestPane {
    pub fn set_body(&mut self, text: String) {
        self.body = TextArea::new(text.lines().map(str::to_string).collect());
        self.style_body();
        self.check_body();
    }

    pub(super) fn style_body(&mut self) {
        self.body.set_cursor_line_style(Style::new());
        self.body.set_tab_length(2);
        self.body.set_placeholder_text("JSON body (Enter to edit)");
    }

    /// The editor's cursor: row and column (in characters), from 0.
    pub fn body_cursor(&self) -> (usize, usize) {
        let c = self.body.cursor();
        (c.0, c.1)
    }

    pub fn body_text(&self) -> String {
        self.body.lines().join("\n")
    }

    /// Checks the body: its JSON, then (valid JSON, an operation with a body schema) the
    /// schema, each problem with its line.
    pub(super) fn check_body(&mut self) {
        self.body_revision += 1;
        let text = self.body_text();
        self.body_check = BodyCheck::of(&text);
        self.body_report = match self.body_check {
            BodyCheck::Valid if !self.too_long() => self
                .schema_operation()
                .and_then(|op| op.validate_body(&text)),
            _ => None,
        };
    }

    /// The catalogue operation whose body schema the body is checked against: the one loaded,
    /// while the method is still its method.
    pub(super) fn schema_operation(&self) -> Option<&Operation> {
        self.operation
            .as_ref()
            .filter(|op| op.method == self.method && op.body_schema().is_some())
    }

    /// The name of the schema the body is checked against (`CreateAccountRequest`).
    fn schema_name(&self) -> String {
        self.schema_operation()
            .and_then(Operation::body_schema_name)
            .unwrap_or("its schema")
            .to_string()
    }

    /// What to ask before sending this body, if anything: it is not JSON, or it has schema
    /// errors (warnings do not ask).
    pub fn body_question(&self) -> Option<BodyQuestion> {
        if !self.sends_body() {
            return None;
        }
        self.question(&self.body_check, self.body_report.as_ref(), None)
    }

    /// [`body_question`](Self::body_question) for the body as its templates were filled in
    /// (`filled`): its JSON, then its schema, checked now.
    pub fn filled_body_question(&self, filled: &str) -> Option<BodyQuestion> {
        if !self.sends_body() {
            return None;
        }
        let check = BodyCheck::of(filled);
        let report = match check {
            BodyCheck::Valid => self
                .schema_operation()
                .and_then(|op| op.validate_body(filled)),
            _ => None,
        };
        self.question(&check, report.as_ref(), Some(filled))
    }

    /// What to ask about a body in the state `check` with `report` (`filled`: the text as
    /// sent, when it is not the editor's).
    fn question(
        &self,
        check: &BodyCheck,
        report: Option<&Report>,
        filled: Option<&str>,
    ) -> Option<BodyQuestion> {
        if let BodyCheck::Invalid(e) = check {
            return Some(BodyQuestion {
                title: "The body is not valid JSON".into(),
                lines: vec![
                    e.to_string(),
                    "The server will most likely answer 400. Send it anyway?".into(),
                ],
            });
        }
        // A body too long to check as it is typed is checked once, now.
        let late = match (report, check, filled) {
            (None, BodyCheck::Valid, None) if self.too_long() => self
                .schema_operation()
                .and_then(|op| op.validate_body(&self.body_text())),
            _ => None,
        };
        let report = late.as_ref().or(report).filter(|r| r.is_incomplete())?;
        let first = report.first_incomplete()?;
        let (title, verdict) = if report.has_errors() {
            (
                format!("The body does not match {}", self.schema_name()),
                format!(
                    "{} in all: Younium will most likely answer 400. Send it anyway?",
                    report.summary()
                ),
            )
        } else {
            let them = if report.to_fill == 1 {
                "it is"
            } else {
                "they are"
            };
            (
                "The body has values to fill in".to_string(),
                format!(
                    "{}: Younium answers 400 until {them} filled in. Send it anyway?",
                    report.summary()
                ),
            )
        };
        Some(BodyQuestion {
            title,
            lines: vec![first.text(), verdict],
        })
    }

    /// The problems under the editor: at most a third of `height` rows (none below 7), errors
    /// first, then how many more there are.
    fn problem_lines(&self, height: u16, theme: &Theme) -> Vec<Line<'static>> {
        let Some(report) = self.body_report.as_ref().filter(|r| !r.is_clean()) else {
            return Vec::new();
        };
        let rows = if height < 7 {
            0
        } else {
            (height / 3).min(6) as usize
        };
        let total = report.total();
        let shown = if total > rows {
            rows.saturating_sub(1)
        } else {
            rows
        };
        let mut lines: Vec<Line<'static>> = report
            .problems
            .iter()
            .take(shown)
            .map(|p| match p.severity {
                Severity::Error => Line::styled(format!("✗ {}", p.text()), theme.bad()),
                Severity::ToFill => Line::styled(format!("◌ {}", p.text()), theme.text()),
                Severity::Warning => Line::styled(format!("⚠ {}", p.text()), theme.warn()),
            })
            .collect();
        if rows > 0 && total > shown {
            lines.push(Line::styled(
                format!("… {} more ({} in all)", total - shown, report.summary()),
                theme.dim(),
            ));
        }
        lines
    }

    /// The status line of valid JSON checked against its schema.
    fn schema_status(&self, report: &Report, theme: &Theme) -> Line<'static> {
        let name = self.schema_name();
        if report.is_clean() {
            Line::styled(
                format!("✓ valid JSON, as {name} says   (f formats it)"),
                theme.good(),
            )
        } else if !report.has_errors() && report.to_fill > 0 {
            Line::styled(
                format!(
                    "valid JSON; {} before it is as {name} says",
                    report.summary()
                ),
                theme.text(),
            )
        } else {
            let style = if report.has_errors() {
                theme.bad()
            } else {
                theme.warn()
            };
            Line::styled(
                format!("valid JSON, not as {name} says: {}", report.summary()),
                style,
            )
        }
    }

    /// Moves the editor to the next line with a problem after the cursor's (round to the first),
    /// editing there, and says the problem.
    pub fn next_problem(&mut self) -> RequestEvent {
        let Some(report) = self.body_report.as_ref().filter(|r| !r.is_clean()) else {
            self.message = Some(match &self.body_check {
                BodyCheck::Invalid(e) => format!("The body is not valid JSON: {e}"),
                _ => "No problems in the body.".into(),
            });
            return RequestEvent::Handled;
        };
        let here = self.body.cursor().0 + 1;
        let by_line = |after: usize| {
            report
                .problems
                .iter()
                .filter(|p| p.line.is_some_and(|l| l > after))
                .min_by_key(|p| p.line)
        };
        let Some(problem) = by_line(here).or_else(|| by_line(0)) else {
            return RequestEvent::Handled;
        };
        let row = problem.line.unwrap_or(1) - 1;
        let col = self
            .body
            .lines()
            .get(row)
            .map_or(0, |l| l.chars().take_while(|c| c.is_whitespace()).count());
        self.message = Some(problem.text());
        self.body.move_cursor(CursorMove::Jump(
            u16::try_from(row).unwrap_or(u16::MAX),
            u16::try_from(col).unwrap_or(u16::MAX),
        ));
        self.tab = super::RequestTab::Body;
        self.row = 1;
        self.editing = Some(Editing::Body);
        RequestEvent::Handled
    }

    /// Whether the body is too long to check against its schema as it is typed.
    pub(super) fn too_long(&self) -> bool {
        let newlines = self.body.lines().len().saturating_sub(1);
        let len: usize = self.body.lines().iter().map(String::len).sum::<usize>() + newlines;
        len > SCHEMA_CHECK_LIMIT
    }

    /// The Body tab's mark: ✗ not JSON, ⚠ schema errors, ◌ values to fill in, ✓ fine.
    pub(super) fn body_tab_mark(&self) -> &'static str {
        match (&self.body_check, &self.body_report) {
            (BodyCheck::Valid, Some(report)) if report.has_errors() => " ⚠",
            (BodyCheck::Valid, Some(report)) if report.is_incomplete() => " ◌",
            (check, _) => check.tab_mark(),
        }
    }

    /// Inserts pasted text at the cursor.
    pub(super) fn insert_body(&mut self, text: &str) {
        self.body
            .insert_str(crate::tui::input::unix_line_ends(text));
        self.after_body_edit();
    }

    /// A key while the body is being edited.
    pub(super) fn body_key(&mut self, key: KeyEvent) -> RequestEvent {
        match key.code {
            KeyCode::Esc => self.editing = None,
            KeyCode::Tab => {
                self.body.insert_str("  ");
                self.after_body_edit();
            }
            _ => {
                if self.body.input(key) {
                    self.after_body_edit();
                }
            }
        }
        RequestEvent::Handled
    }

    pub(super) fn after_body_edit(&mut self) {
        self.body_dirty = true;
        self.check_body();
    }

    pub(super) fn format_body(&mut self) {
        match serde_json::from_str::<serde_json::Value>(&self.body_text()) {
            Ok(v) => {
                let pretty = serde_json::to_string_pretty(&v).unwrap_or_default();
                self.set_body(pretty);
                self.body_dirty = true;
            }
            Err(e) => self.message = Some(format!("cannot format: {}", JsonError::from_serde(&e))),
        }
    }

    pub(super) fn render_body(
        &mut self,
        frame: &mut Frame<'_>,
        area: Rect,
        focused: bool,
        theme: &Theme,
    ) {
        let problems = self.problem_lines(area.height, theme);
        let [editor, list, status] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(problems.len() as u16),
            Constraint::Length(1),
        ])
        .areas(area);
        let editing = matches!(self.editing, Some(Editing::Body));
        self.body.set_cursor_style(if editing {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        });
        self.body
            .set_style(if focused && self.row == 1 && !editing {
                theme.selected()
            } else {
                theme.text()
            });
        // Line numbers, so that the problems' `line N` can be found (set only when the style
        // changes: setting it maps the whole text again).
        if self.body.line_number_style() != Some(theme.dim()) {
            self.body.set_line_number_style(theme.dim());
        }
        frame.render_widget(&self.body, editor);
        frame.render_widget(Paragraph::new(problems), list);
        let line = match (&self.body_check, &self.body_report) {
            (BodyCheck::Valid, Some(report)) => self.schema_status(report, theme),
            (BodyCheck::Valid, None) if self.schema_operation().is_some() && self.too_long() => {
                Line::styled(
                    format!(
                        "✓ valid JSON (over {}: checked against its schema when sent)",
                        crate::younium::limit::ByteSize::of_len(SCHEMA_CHECK_LIMIT)
                    ),
                    theme.good(),
                )
            }
            (check, _) => check.status_line(theme),
        };
        // While editing: the state in short, then the cursor line's field and its type.
        let line = match (editing, self.cursor_field()) {
            (true, Some(field)) => {
                let short = match (&self.body_check, &self.body_report) {
                    (BodyCheck::Valid, Some(r)) if !r.is_clean() => {
                        Span::styled(format!("⚠ {}", r.summary()), theme.warn())
                    }
                    (BodyCheck::Invalid(e), _) => Span::styled(format!("✗ {e}"), theme.bad()),
                    _ => Span::styled("✓", theme.good()),
                };
                Line::from(vec![
                    short,
                    Span::raw("   "),
                    Span::styled(field, theme.key()),
                ])
            }
            (true, None) => line
                .patch_style(theme.text())
                .spans
                .into_iter()
                .chain([Span::styled("   Esc stops editing", theme.dim())])
                .collect::<Line<'_>>(),
            (false, _) => line,
        };
        frame.render_widget(Paragraph::new(line), status);
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::super::testing::{ctx, key, press};
    use super::super::{HeaderContext, RequestTab};
    use super::*;
    use crate::younium::Method;

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
        press(&mut pane, key(KeyCode::Enter), &c);
        assert!(pane.is_editing_body());
        for ch in "{\"name\": ".chars() {
            press(&mut pane, key(KeyCode::Char(ch)), &c);
        }
        assert!(matches!(&pane.body_check, BodyCheck::Invalid(e) if e.line == 1));
        for ch in "1}".chars() {
            press(&mut pane, key(KeyCode::Char(ch)), &c);
        }
        assert_eq!(pane.body_check, BodyCheck::Valid);
        assert!(pane.body_dirty);
        press(&mut pane, key(KeyCode::Esc), &c);
        assert!(!pane.is_editing());
        press(&mut pane, key(KeyCode::Char('f')), &c);
        assert_eq!(pane.body_text(), "{\n  \"name\": 1\n}");
        pane.ensure_idempotency_key(|| "k-1".into());
        let req = pane.build().unwrap();
        assert_eq!(req.body.as_deref(), Some("{\n  \"name\": 1\n}"));
        assert_eq!(req.idempotency_key.as_deref(), Some("k-1"));
    }
}

#[cfg(test)]
mod paste_tests {
    use super::super::{RequestPane, RequestTab};

    /// Terminals paste lines ended by CR (most), CRLF or LF: each is a line of the body.
    #[test]
    fn a_pasted_body_keeps_its_lines_whatever_their_ends() {
        for end in ["\r", "\r\n", "\n"] {
            let mut pane = RequestPane {
                tab: RequestTab::Body,
                ..RequestPane::default()
            };
            let text = ["{", r#"  "name": "Acme","#, r#"  "currency": "SEK""#, "}"].join(end);
            pane.paste(&text);
            assert_eq!(
                pane.body_text(),
                "{\n  \"name\": \"Acme\",\n  \"currency\": \"SEK\"\n}",
                "line ends {end:?}"
            );
        }
    }
}
