//! A one-line text field on top of ratatui-textarea: Enter submits, Esc cancels, everything
//! else edits (Emacs-style shortcuts from the textarea included).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, TextArea};

use super::theme::Theme;

/// What a key did to the field.
#[derive(Debug, PartialEq, Eq)]
pub enum InputOutcome {
    Submit(String),
    Cancel,
    Edited,
}

/// `text` with its line ends as `\n`: terminals paste lines ended by CR (most), CRLF or LF.
pub fn unix_line_ends(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    }
}

pub struct LineInput {
    area: TextArea<'static>,
}

impl std::fmt::Debug for LineInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The field may hold a secret being typed.
        f.write_str("LineInput(…)")
    }
}

impl LineInput {
    pub fn new(initial: &str, masked: bool) -> Self {
        let mut area = TextArea::new(vec![unix_line_ends(initial).replace('\n', " ")]);
        area.move_cursor(CursorMove::End);
        area.set_cursor_line_style(Style::new());
        area.set_cursor_style(Style::new().add_modifier(Modifier::REVERSED));
        if masked {
            area.set_mask_char('•');
        }
        Self { area }
    }

    /// A field holding a suggestion, all of it selected: typing replaces it, a cursor key
    /// keeps it to edit, Enter takes it.
    pub fn suggested(suggestion: &str) -> Self {
        let mut input = Self::new(suggestion, false);
        input.area.select_all();
        input
            .area
            .set_selection_style(Style::new().add_modifier(Modifier::REVERSED));
        input
    }

    pub fn text(&self) -> &str {
        self.area.lines().first().map(String::as_str).unwrap_or("")
    }

    pub fn handle(&mut self, key: KeyEvent) -> InputOutcome {
        let ctrl = key
            .modifiers
            .contains(crossterm::event::KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => InputOutcome::Submit(self.text().to_string()),
            KeyCode::Esc => InputOutcome::Cancel,
            // One line only: a typed newline or tab never gets into the field.
            KeyCode::Char('m' | 'j') if ctrl => InputOutcome::Edited,
            KeyCode::Tab | KeyCode::BackTab => InputOutcome::Edited,
            // Readline's Ctrl-U (the textarea would undo instead): clear up to the cursor.
            KeyCode::Char('u') if ctrl => {
                self.area.delete_line_by_head();
                InputOutcome::Edited
            }
            _ => {
                self.area.input(key);
                InputOutcome::Edited
            }
        }
    }

    /// Inserts pasted text (each line end, whichever the terminal sent, becomes a space).
    pub fn paste(&mut self, text: &str) {
        self.area
            .insert_str(unix_line_ends(text).replace('\n', " "));
    }

    pub fn render(&self, frame: &mut Frame<'_>, area: Rect, theme: &Theme) {
        let mut widget = self.area.clone();
        widget.set_style(theme.editing());
        frame.render_widget(&widget, area);
    }
}
