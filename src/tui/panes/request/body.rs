//! The JSON body: a ratatui-textarea editor, its live validation and formatting.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;

use super::{Editing, RequestEvent, RequestPane};
use crate::pretty::json::{self, JsonError};
use crate::tui::theme::Theme;

/// The state of the body text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyCheck {
    Empty,
    Valid,
    Invalid(JsonError),
}

impl BodyCheck {
    fn of(text: &str) -> Self {
        if text.trim().is_empty() {
            BodyCheck::Empty
        } else {
            match json::validate(text.as_bytes()) {
                Ok(()) => BodyCheck::Valid,
                Err(e) => BodyCheck::Invalid(e),
            }
        }
    }

    /// The mark after the Body tab's title.
    pub(super) fn tab_mark(&self) -> &'static str {
        match self {
            BodyCheck::Empty => "",
            BodyCheck::Valid => " ✓",
            BodyCheck::Invalid(_) => " ✗",
        }
    }

    fn status_line(&self, theme: &Theme) -> Line<'static> {
        match self {
            BodyCheck::Empty => Line::styled("empty body", theme.dim()),
            BodyCheck::Valid => Line::styled("✓ valid JSON   (f formats it)", theme.good()),
            BodyCheck::Invalid(e) => Line::styled(format!("✗ {e}"), theme.bad()),
        }
    }
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

    pub fn body_text(&self) -> String {
        self.body.lines().join("\n")
    }

    fn check_body(&mut self) {
        self.body_check = BodyCheck::of(&self.body_text());
    }

    /// Inserts pasted text at the cursor.
    pub(super) fn insert_body(&mut self, text: &str) {
        self.body.insert_str(text);
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
        let [editor, status] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
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
        frame.render_widget(&self.body, editor);
        let line = self.body_check.status_line(theme);
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
