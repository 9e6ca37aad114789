//! `w` on a list: the choice of what to save (the body as received, or its records as a JSON
//! array, NDJSON or CSV), then the file name. The records are written by `export` as a
//! stream in a blocking task, never a second copy of the body in memory.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::app::{App, Effect, Overlay};
use super::input::{InputOutcome, LineInput};
use super::keymap::{Command, Keymap, Scope};
use super::panes::overlays::{centered, frame_block};
use super::panes::response::Shown;
use super::theme::Theme;
use crate::export::Format;

/// The choices, in order: `None` is the body as received.
pub const CHOICES: [Option<Format>; 4] = [
    None,
    Some(Format::Json),
    Some(Format::Ndjson),
    Some(Format::Csv),
];

/// Whether the answer on screen is a list whose records can be exported: a 2.1 or v3 page
/// (its page facts were read when it was indexed), or a bare array (api-version 2.0, the merged pages). Decided from what is
/// known already, without reading the body again.
pub fn holds_records(shown: &Shown) -> bool {
    if !shown.response.is_success() || !shown.response.is_json() {
        return false;
    }
    shown.page.is_some()
        || shown
            .response
            .body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'[')
}

fn label(choice: Option<Format>) -> &'static str {
    match choice {
        None => "The body as received",
        Some(format) => format.description(),
    }
}

impl App {
    /// A key in the choice.
    pub(crate) fn save_as_command(
        &mut self,
        selected: usize,
        command: Option<Command>,
    ) -> Option<Overlay> {
        match command {
            Some(Command::Close) => None,
            Some(Command::ScrollUp) => Some(Overlay::SaveAs {
                selected: selected.saturating_sub(1),
            }),
            Some(Command::ScrollDown) => Some(Overlay::SaveAs {
                selected: (selected + 1).min(CHOICES.len() - 1),
            }),
            Some(Command::Choose) => {
                let format = CHOICES[selected.min(CHOICES.len() - 1)];
                let input = Box::new(LineInput::new(&self.save_name(format), false));
                Some(match format {
                    None => Overlay::SaveBody(input),
                    Some(format) => Overlay::SaveRecords { input, format },
                })
            }
            _ => Some(Overlay::SaveAs { selected }),
        }
    }

    /// A key in the file name box of a records export.
    pub(crate) fn save_records_key(
        &mut self,
        mut input: Box<LineInput>,
        format: Format,
        key: KeyEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        match input.handle(key) {
            InputOutcome::Submit(name) => {
                let name = name.trim();
                if let (false, Some(shown)) = (name.is_empty(), self.response.shown()) {
                    effects.push(Effect::SaveRecords {
                        path: name.into(),
                        body: shown.response.body.clone(),
                        format,
                    });
                }
                None
            }
            InputOutcome::Cancel => None,
            InputOutcome::Edited => Some(Overlay::SaveRecords { input, format }),
        }
    }
}

/// Draws the choice.
pub fn render(frame: &mut Frame<'_>, selected: usize, keymap: &Keymap, theme: &Theme) {
    let area = centered(frame.area(), 70, CHOICES.len() as u16 + 5);
    frame.render_widget(Clear, area);
    let keys = |c| keymap.hint_in(Scope::Overlay, c);
    let hint = format!(
        " {} choose · {} close ",
        keys(Command::Choose),
        keys(Command::Close)
    );
    let block = frame_block("Save the response", theme)
        .title_bottom(Line::styled(hint, theme.dim()).alignment(Alignment::Right));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = CHOICES
        .iter()
        .enumerate()
        .map(|(i, choice)| {
            let mark = if i == selected { "› " } else { "  " };
            let ext = choice.map_or("", |f| f.extension());
            let line = Line::from(vec![
                Span::raw(mark),
                Span::raw(format!("{:<54}", label(*choice))),
                Span::styled(ext.to_string(), theme.dim()),
            ]);
            if i == selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Records: a 2.1 page's data, a v3 page's items, or the array itself.",
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
