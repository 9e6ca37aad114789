//! The field list (`Ctrl-Space` in the Request pane, also while the body is edited): the
//! fields the object of the cursor's line may still take, from the spec, with their types;
//! Enter inserts the one picked, `/` filters them as you type. On an array's line the choice
//! is a new item.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::app::{App, Overlay};
use super::input::{InputOutcome, LineInput};
use super::keymap::{Command, Keymap, Scope};
use super::panes::overlays::{centered, frame_block};
use super::panes::request::FieldChoices;
use super::theme::Theme;
use crate::sanitize::one_line;
use crate::younium::schema::FieldHint;

/// The open list: what may be inserted, the filter typed after `/`, and which of the fields
/// the filter lets through is selected.
#[derive(Debug)]
pub struct FieldList {
    pub choices: FieldChoices,
    pub selected: usize,
    pub filter: String,
    /// The filter line while it is typed in.
    pub filtering: Option<LineInput>,
}

impl FieldList {
    pub(crate) fn new(choices: FieldChoices) -> Self {
        Self {
            choices,
            selected: 0,
            filter: String::new(),
            filtering: None,
        }
    }

    /// The fields the filter lets through (every word in the name or the type, any case).
    pub fn visible(&self) -> Vec<&FieldHint> {
        let words: Vec<String> = self
            .filter
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.choices
            .hints
            .iter()
            .filter(|h| {
                let text = format!("{} {}", h.name, h.kind).to_lowercase();
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .collect()
    }

    /// The selected field, if the filter lets any through.
    fn chosen(&self) -> Option<FieldHint> {
        let visible = self.visible();
        visible
            .get(self.selected.min(visible.len().saturating_sub(1)))
            .map(|h| (*h).clone())
    }
}

impl App {
    /// A key in the list: typed into the filter while it is open (Enter inserts the first
    /// field it lets through, Esc drops it), else the command the keymap reads.
    pub(crate) fn field_list_key(
        &mut self,
        mut list: Box<FieldList>,
        key: KeyEvent,
        command: Option<Command>,
    ) -> Option<Overlay> {
        if let Some(input) = &mut list.filtering {
            match input.handle(key) {
                InputOutcome::Edited => list.filter = input.text().to_string(),
                InputOutcome::Submit(_) => return self.insert_chosen(list),
                InputOutcome::Cancel => {
                    list.filtering = None;
                    list.filter.clear();
                }
            }
            list.selected = 0;
            return Some(Overlay::FieldList(list));
        }
        let last = list.visible().len().saturating_sub(1);
        list.selected = match command {
            Some(Command::Close) => return None,
            Some(Command::Choose) => return self.insert_chosen(list),
            Some(Command::Filter) => {
                list.filtering = Some(LineInput::new(&list.filter, false));
                list.selected
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

    /// Inserts the selected field and closes the list; with nothing selectable it stays open.
    fn insert_chosen(&mut self, mut list: Box<FieldList>) -> Option<Overlay> {
        match list.chosen() {
            Some(hint) => {
                self.request.insert_field(&list.choices, &hint);
                None
            }
            None => {
                list.filtering = None;
                Some(Overlay::FieldList(list))
            }
        }
    }
}

/// Draws the list: one field a row (`› name  type, constraints  required`), the selected one
/// highlighted and kept in view, and under it the filter or how many there are.
pub fn render(frame: &mut Frame<'_>, list: &FieldList, keymap: &Keymap, theme: &Theme) {
    let all = &list.choices.hints;
    let hints = list.visible();
    let height = (all.len() as u16 + 4).min(frame.area().height.saturating_sub(2).max(5));
    let width = frame.area().width.saturating_sub(4).min(110);
    let area = centered(frame.area(), width, height);
    frame.render_widget(Clear, area);
    let keys = |c| keymap.hint_in(Scope::Overlay, c);
    let hint = format!(
        " {} insert · {} filter · {} close ",
        keys(Command::Choose),
        keys(Command::Filter),
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
    let [rows_area, foot] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let rows = rows_area.height as usize;
    let selected = list.selected.min(hints.len().saturating_sub(1));
    let first = selected.saturating_sub(rows.saturating_sub(1));
    let name_width = all
        .iter()
        .map(|h| h.name.chars().count())
        .max()
        .unwrap_or(0);
    let name_width = name_width.clamp(8, 32);
    let lines: Vec<Line> = hints
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, h)| {
            let mark = if i == selected { "› " } else { "  " };
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
            if i == selected {
                line.style(theme.selected())
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rows_area);
    if let Some(input) = &list.filtering {
        let [slash, line] =
            Layout::horizontal([Constraint::Length(1), Constraint::Fill(1)]).areas(foot);
        frame.render_widget(Paragraph::new(Span::styled("/", theme.key())), slash);
        input.render(frame, line, theme);
        return;
    }
    let more = hints.len().saturating_sub(first + rows);
    let count = match (list.filter.is_empty(), hints.len()) {
        (false, 0) => format!("no field matches /{}", list.filter),
        (false, n) => format!("{n} of {} match /{}", all.len(), list.filter),
        (true, n) => format!("{n} to choose from"),
    };
    let text = if more > 0 {
        format!("{count} · {more} more below")
    } else {
        count
    };
    frame.render_widget(
        Paragraph::new(Line::styled(one_line(&text).into_owned(), theme.dim())),
        foot,
    );
}
