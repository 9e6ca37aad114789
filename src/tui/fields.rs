//! The field list (`Ctrl-Space` in the Request pane, also while the body is edited): the
//! fields the object of the cursor's line may still take, from the spec, with their types;
//! Enter inserts the one picked. On an array's line the choice is a new item.

use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::app::{App, Focus, Overlay};
use super::keymap::{Command, Keymap, Scope};
use super::panes::overlays::{centered, frame_block};
use super::panes::request::{FieldChoices, RequestTab};
use super::theme::Theme;
use crate::sanitize::one_line;

/// The open list: what may be inserted and which is selected.
#[derive(Debug)]
pub struct FieldList {
    pub choices: FieldChoices,
    pub selected: usize,
}

impl App {
    /// Opens the list for the cursor's line of the body, or says in the pane why there is
    /// nothing to list.
    pub(crate) fn open_field_list(&mut self) -> Option<Overlay> {
        self.focus = Focus::Request;
        self.request.tab = RequestTab::Body;
        self.request.row = 1;
        match self.request.field_choices() {
            Ok(choices) => Some(Overlay::FieldList(Box::new(FieldList {
                choices,
                selected: 0,
            }))),
            Err(message) => {
                self.request.message = Some(message);
                None
            }
        }
    }

    /// A key in the list.
    pub(crate) fn field_list_command(
        &mut self,
        mut list: Box<FieldList>,
        command: Option<Command>,
    ) -> Option<Overlay> {
        let last = list.choices.hints.len().saturating_sub(1);
        list.selected = match command {
            Some(Command::Close) => return None,
            Some(Command::Choose) => {
                let hint = list.choices.hints[list.selected.min(last)].clone();
                self.request.insert_field(&list.choices, &hint);
                return None;
            }
            Some(Command::ScrollUp) => list.selected.saturating_sub(1),
            Some(Command::ScrollDown) => (list.selected + 1).min(last),
            Some(Command::PageUp) => list.selected.saturating_sub(10),
            Some(Command::PageDown) => (list.selected + 10).min(last),
            Some(Command::Top) => 0,
            Some(Command::Bottom) => last,
            _ => list.selected,
        };
        Some(Overlay::FieldList(list))
    }
}

/// Draws the list: one field a row (`› name  type, constraints  required`), the selected one
/// highlighted and kept in view.
pub fn render(frame: &mut Frame<'_>, list: &FieldList, keymap: &Keymap, theme: &Theme) {
    let hints = &list.choices.hints;
    let height = (hints.len() as u16 + 4).min(frame.area().height.saturating_sub(2).max(5));
    let width = frame.area().width.saturating_sub(4).min(110);
    let area = centered(frame.area(), width, height);
    frame.render_widget(Clear, area);
    let keys = |c| keymap.hint_in(Scope::Overlay, c);
    let hint = format!(
        " {} insert · {} close ",
        keys(Command::Choose),
        keys(Command::Close)
    );
    let what = if list.choices.into_array() {
        "A new item for"
    } else {
        "Fields to add to"
    };
    let title = one_line(&format!(
        "{what} {} ({})",
        list.choices.place_name(),
        list.choices.schema
    ))
    .into_owned();
    let block = frame_block(&title, theme)
        .title_bottom(Line::styled(hint, theme.dim()).alignment(Alignment::Right));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = inner.height.saturating_sub(1) as usize;
    let first = list.selected.saturating_sub(rows.saturating_sub(1));
    let name_width = hints
        .iter()
        .map(|h| h.name.chars().count())
        .max()
        .unwrap_or(0);
    let name_width = name_width.clamp(8, 32);
    let mut lines: Vec<Line> = hints
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, h)| {
            let mark = if i == list.selected { "› " } else { "  " };
            let name = one_line(&h.name);
            let mut spans = vec![
                Span::raw(mark),
                Span::styled(format!("{name:<name_width$}  "), theme.key()),
                Span::raw(one_line(&h.kind).into_owned()),
            ];
            if h.required {
                spans.push(Span::styled("  required", theme.warn()));
            }
            let line = Line::from(spans);
            if i == list.selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    let more = hints.len().saturating_sub(first + rows);
    lines.push(Line::styled(
        if more > 0 {
            format!("… {more} more below")
        } else {
            format!("{} to choose from", hints.len())
        },
        theme.dim(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
