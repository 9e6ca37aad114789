//! The endpoint catalogue pane: the saved requests of the profile in use (a "Saved" group on
//! top), then the operations grouped by tag, all filtered as you type.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

use crate::config::{SavedEntry, SavedRequest};
use crate::sanitize;
use crate::tui::input::{InputOutcome, LineInput};
use crate::tui::keymap::Command;
use crate::tui::theme::Theme;
use crate::younium::ApiRequest;
use crate::younium::catalog::{Catalog, Operation, V3_TAG, filter_words};

#[derive(Debug, PartialEq)]
pub enum CatalogEvent {
    Load(Box<Operation>),
    /// A saved request to load into the builder.
    LoadRequest(Box<ApiRequest>),
    Handled,
    Ignored,
}

/// A row of the list: a heading (the Saved group, a tag), a saved request (index into
/// `saved`) or an operation (index into the catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    SavedHeading,
    Saved(usize),
    Tag(usize),
    Op(usize),
}

impl Row {
    fn is_heading(self) -> bool {
        matches!(self, Row::SavedHeading | Row::Tag(_))
    }
}

#[derive(Debug)]
pub struct CatalogPane {
    catalog: &'static Catalog,
    tags: Vec<&'static str>,
    filter: String,
    filtering: Option<LineInput>,
    /// The saved requests of the profile in use (its own first, then the shared ones).
    saved: Vec<SavedEntry>,
    /// The saved request last loaded (to offer its name when the request is saved again).
    loaded: Option<SavedRequest>,
    rows: Vec<Row>,
    /// Index into `rows`; always a saved request or an operation when there is one.
    selected: usize,
    /// First row shown.
    offset: usize,
}

impl CatalogPane {
    pub fn new(catalog: &'static Catalog) -> Self {
        let mut pane = Self {
            catalog,
            tags: catalog.tags(),
            filter: String::new(),
            filtering: None,
            saved: Vec::new(),
            loaded: None,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
        };
        pane.refilter();
        pane
    }

    fn refilter(&mut self) {
        let words = filter_words(&self.filter);
        let matching: Vec<usize> = self
            .catalog
            .operations
            .iter()
            .enumerate()
            .filter(|(_, op)| op.matches_all(&words))
            .map(|(i, _)| i)
            .collect();
        self.rows.clear();
        let saved: Vec<usize> = self
            .saved
            .iter()
            .enumerate()
            .filter(|(_, s)| s.request.matches_all(&words))
            .map(|(i, _)| i)
            .collect();
        if !saved.is_empty() {
            self.rows.push(Row::SavedHeading);
            self.rows.extend(saved.into_iter().map(Row::Saved));
        }
        for (t, tag) in self.tags.iter().enumerate() {
            let ops: Vec<usize> = matching
                .iter()
                .copied()
                .filter(|i| self.catalog.operations[*i].tag == *tag)
                .collect();
            if !ops.is_empty() {
                self.rows.push(Row::Tag(t));
                self.rows.extend(ops.into_iter().map(Row::Op));
            }
        }
        // The list stays grouped by tag; the selection starts on the best match, so typing
        // `get /invoices` lands on `GET /Invoices` rather than on the first group's hit.
        let ops = self.rows.iter().enumerate().filter_map(|(row, r)| match r {
            Row::Op(i) => Some((row, &self.catalog.operations[*i])),
            _ => None,
        });
        let first = self.rows.iter().position(|r| !r.is_heading());
        let best = ops
            .map(|(row, op)| (op.match_score(&words), row, op.path.len()))
            .filter(|(score, ..)| *score > 0)
            .max_by_key(|&(score, row, len)| {
                (score, std::cmp::Reverse(len), std::cmp::Reverse(row))
            });
        self.selected = best.map(|(_, row, _)| row).or(first).unwrap_or(0);
        self.offset = 0;
    }

    pub fn selected_operation(&self) -> Option<&'static Operation> {
        match self.rows.get(self.selected) {
            Some(Row::Op(i)) => Some(&self.catalog.operations[*i]),
            _ => None,
        }
    }

    /// The saved request selected, if the selection is one.
    pub fn selected_saved(&self) -> Option<&SavedEntry> {
        match self.rows.get(self.selected) {
            Some(Row::Saved(i)) => self.saved.get(*i),
            _ => None,
        }
    }

    /// The saved request last loaded into the builder.
    pub fn loaded_saved(&self) -> Option<&SavedRequest> {
        self.loaded.as_ref()
    }

    /// The saved requests listed in the Saved group (before filtering).
    pub fn saved(&self) -> &[SavedEntry] {
        &self.saved
    }

    /// Lists these saved requests in the Saved group. The selection goes to the filter's best
    /// match (the first saved request when there is no filter), or stays on the saved request
    /// it was on.
    pub fn set_saved(&mut self, saved: Vec<SavedEntry>) {
        let was = match self.rows.get(self.selected) {
            Some(Row::Saved(i)) => Some(self.saved[*i].request.name.clone()),
            _ => None,
        };
        self.saved = saved;
        self.refilter();
        if let Some(row) = was.and_then(|name| {
            self.rows
                .iter()
                .position(|row| matches!(row, Row::Saved(i) if self.saved[*i].request.name == name))
        }) {
            self.selected = row;
        }
    }

    /// How many saved requests and operations the filter lets through.
    pub fn match_count(&self) -> usize {
        self.rows.iter().filter(|r| !r.is_heading()).count()
    }

    pub fn is_editing(&self) -> bool {
        self.filtering.is_some()
    }

    /// Moves the selection by `step` operations (skipping headings).
    pub fn move_by(&mut self, step: isize) {
        let ops: Vec<usize> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.is_heading())
            .map(|(i, _)| i)
            .collect();
        if ops.is_empty() {
            return;
        }
        let current = ops.iter().position(|i| *i == self.selected).unwrap_or(0) as isize;
        let next = (current + step).clamp(0, ops.len() as isize - 1) as usize;
        self.selected = ops[next];
    }

    /// A key: typed into the filter while it is being edited, else `command` (what the
    /// keymap says the key means here) acts on the list.
    pub fn handle_key(&mut self, command: Option<Command>, key: KeyEvent) -> CatalogEvent {
        if let Some(input) = &mut self.filtering {
            let outcome = input.handle(key);
            let text = input.text().to_string();
            match outcome {
                InputOutcome::Submit(_) => self.filtering = None,
                InputOutcome::Cancel => {
                    self.filtering = None;
                    self.filter.clear();
                    self.refilter();
                    return CatalogEvent::Handled;
                }
                InputOutcome::Edited => {}
            }
            if text != self.filter {
                self.filter = text;
                self.refilter();
            }
            return CatalogEvent::Handled;
        }
        match command {
            Some(Command::Filter) => {
                self.filtering = Some(LineInput::new(&self.filter, false));
                CatalogEvent::Handled
            }
            // Esc with no request in flight: the app passes `Cancel` on to clear the filter.
            Some(Command::Cancel) if !self.filter.is_empty() => {
                self.filter.clear();
                self.refilter();
                CatalogEvent::Handled
            }
            Some(Command::ScrollUp) => self.step(-1),
            Some(Command::ScrollDown) => self.step(1),
            Some(Command::PageUp) => self.step(-10),
            Some(Command::PageDown) => self.step(10),
            Some(Command::Top) => self.step(-isize::MAX / 2),
            Some(Command::Bottom) => self.step(isize::MAX / 2),
            Some(Command::Load) => match (self.selected_saved(), self.selected_operation()) {
                (Some(entry), _) => {
                    let request = entry.request.clone();
                    let event = CatalogEvent::LoadRequest(Box::new(request.to_request()));
                    self.loaded = Some(request);
                    event
                }
                (None, Some(op)) => CatalogEvent::Load(Box::new(op.clone())),
                (None, None) => CatalogEvent::Handled,
            },
            _ => CatalogEvent::Ignored,
        }
    }

    /// A key as the default keymap reads it in this pane (for the tests beside the pane).
    #[cfg(test)]
    fn press(&mut self, key: KeyEvent) -> CatalogEvent {
        let keymap = crate::tui::keymap::Keymap::default();
        let command = keymap.command(crate::tui::keymap::Scope::Catalog, &key);
        self.handle_key(command, key)
    }

    fn step(&mut self, n: isize) -> CatalogEvent {
        self.move_by(n);
        CatalogEvent::Handled
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(input) = &mut self.filtering {
            input.paste(text);
            self.filter = input.text().to_string();
            self.refilter();
        }
    }

    /// Selects the row under a click at `row` lines below the list's top.
    pub fn click(&mut self, row: usize) -> bool {
        let index = self.offset + row;
        if self.rows.get(index).is_some_and(|r| !r.is_heading()) {
            self.selected = index;
            return true;
        }
        false
    }

    pub fn render(
        &mut self,
        frame: &mut Frame<'_>,
        area: Rect,
        block: Block<'_>,
        focused: bool,
        theme: &Theme,
    ) {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [filter_area, list_area, detail_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(2),
        ])
        .areas(inner);
        match &self.filtering {
            Some(input) => {
                frame.render_widget(Paragraph::new(Span::styled("/", theme.key())), filter_area);
                let rect = Rect {
                    x: filter_area.x + 1,
                    width: filter_area.width.saturating_sub(1),
                    ..filter_area
                };
                input.render(frame, rect, theme);
            }
            None if self.filter.is_empty() => frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled("/", theme.key()),
                    Span::styled(
                        format!(" filter {} operations", self.catalog.operations.len()),
                        theme.dim(),
                    ),
                ])),
                filter_area,
            ),
            None => frame.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled("/", theme.key()),
                    Span::raw(self.filter.clone()),
                    Span::styled(format!("  {} match", self.match_count()), theme.dim()),
                ])),
                filter_area,
            ),
        }
        if self.rows.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "No operation matches; Esc clears the filter.",
                    theme.dim(),
                )),
                list_area,
            );
        } else {
            // Only the visible rows become list items.
            let height = list_area.height.max(1) as usize;
            self.offset = visible_offset(self.offset, self.selected, height, &self.rows);
            let end = (self.offset + height).min(self.rows.len());
            let items: Vec<ListItem<'_>> = self.rows[self.offset..end]
                .iter()
                .map(|row| match row {
                    Row::SavedHeading => ListItem::new(Line::styled("Saved", theme.title())),
                    Row::Saved(i) => {
                        let request = &self.saved[*i].request;
                        ListItem::new(Line::from(vec![
                            Span::raw("  "),
                            Span::styled(
                                format!("{:<7}", request.method.as_str()),
                                theme.method(request.method),
                            ),
                            Span::raw(sanitize::one_line(&request.name).into_owned()),
                            Span::raw("  "),
                            Span::styled(
                                sanitize::one_line(&request.path).into_owned(),
                                theme.dim(),
                            ),
                        ]))
                    }
                    Row::Tag(t) if self.tags[*t] == V3_TAG => ListItem::new(Line::from(vec![
                        Span::styled(self.tags[*t].to_string(), theme.title()),
                        Span::styled("  partly guessed", theme.warn()),
                    ])),
                    Row::Tag(t) => {
                        ListItem::new(Line::styled(self.tags[*t].to_string(), theme.title()))
                    }
                    Row::Op(i) => {
                        let op = &self.catalog.operations[*i];
                        let mut spans = vec![
                            Span::raw("  "),
                            Span::styled(
                                format!("{:<7}", op.method.as_str()),
                                theme.method(op.method),
                            ),
                            Span::raw(op.path.clone()),
                        ];
                        if op.is_partly_guessed() {
                            spans.push(Span::styled(" ?", theme.warn()));
                        }
                        ListItem::new(Line::from(spans))
                    }
                })
                .collect();
            let mut state = ListState::default().with_selected(Some(self.selected - self.offset));
            let list = List::new(items).highlight_style(if focused {
                theme.selected()
            } else {
                theme.text()
            });
            frame.render_stateful_widget(list, list_area, &mut state);
        }
        if let Some(entry) = self.selected_saved() {
            let whose = match &entry.profile {
                Some(p) => format!("saved with profile {}", sanitize::one_line(p)),
                None => "saved for every profile".into(),
            };
            let query = entry.request.query.iter().filter(|q| q.enabled).count();
            let mut facts = vec![Span::styled(whose, theme.dim())];
            if query > 0 {
                facts.push(Span::styled(format!("  {query} query"), theme.dim()));
            }
            if entry.request.body.is_some() {
                facts.push(Span::styled("  JSON body", theme.dim()));
            }
            frame.render_widget(
                Paragraph::new(vec![
                    Line::from(facts),
                    Line::styled("Enter loads it into the request", theme.dim()),
                ]),
                detail_area,
            );
        } else if let Some(op) = self.selected_operation() {
            let mut facts = vec![];
            if let Some(p) = &op.permission {
                facts.push(Span::styled("needs ", theme.dim()));
                facts.push(Span::styled(p.clone(), theme.warn()));
                facts.push(Span::raw("  "));
            }
            if op.is_paged() {
                facts.push(Span::styled("paged  ", theme.dim()));
            } else if op.is_cursor_paged() {
                facts.push(Span::styled("v3 paged by nextPage  ", theme.dim()));
            }
            if op.body.is_some() {
                facts.push(Span::styled("JSON body  ", theme.dim()));
            }
            let codes: Vec<String> = op.success.iter().map(u16::to_string).collect();
            facts.push(Span::styled(codes.join("/"), theme.dim()));
            let second = if op.is_partly_guessed() {
                vec![
                    Span::styled("Enter loads it  ", theme.dim()),
                    Span::styled("? partly guessed endpoint", theme.warn()),
                ]
            } else {
                vec![Span::styled("Enter loads it into the request", theme.dim())]
            };
            frame.render_widget(
                Paragraph::new(vec![Line::from(facts), Line::from(second)]),
                detail_area,
            );
        }
    }
}

/// The first row to show so the selection is visible, with its tag heading when it is the
/// first operation of a group.
fn visible_offset(offset: usize, selected: usize, height: usize, rows: &[Row]) -> usize {
    let mut offset = if selected < offset {
        selected
    } else if selected >= offset + height {
        selected + 1 - height
    } else {
        offset
    };
    if offset == selected && selected > 0 && rows[selected - 1].is_heading() {
        offset -= 1;
    }
    offset.min(rows.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::younium::catalog::catalog;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn filter_as_you_type_and_load() {
        let mut pane = CatalogPane::new(catalog());
        let all = pane.match_count();
        pane.press(key(KeyCode::Char('/')));
        for c in "get invoices".chars() {
            pane.press(key(KeyCode::Char(c)));
        }
        assert!(pane.match_count() < all && pane.match_count() > 3);
        pane.press(key(KeyCode::Enter));
        assert!(!pane.is_editing());
        let CatalogEvent::Load(op) = pane.press(key(KeyCode::Enter)) else {
            panic!("Enter should load")
        };
        // The best match is selected, though /Accounts/{id}/Invoices comes first in the list.
        assert_eq!((op.method.as_str(), op.path.as_str()), ("GET", "/Invoices"));
        pane.press(key(KeyCode::Esc));
        assert_eq!(pane.match_count(), all);
    }

    #[test]
    fn a_path_prefix_beats_a_mention_elsewhere() {
        let mut pane = CatalogPane::new(catalog());
        pane.press(key(KeyCode::Char('/')));
        for c in "/subscriptions/".chars() {
            pane.press(key(KeyCode::Char(c)));
        }
        let op = pane.selected_operation().expect("a selection");
        assert!(op.path.starts_with("/Subscriptions/"), "{}", op.path);
    }

    fn saved(name: &str, path: &str) -> SavedEntry {
        SavedEntry {
            profile: None,
            request: SavedRequest {
                name: name.into(),
                method: crate::younium::Method::Get,
                path: path.into(),
                query: vec![],
                headers: vec![],
                body: None,
            },
        }
    }

    #[test]
    fn saved_requests_come_first_and_load_as_requests() {
        let mut pane = CatalogPane::new(catalog());
        let ops = pane.match_count();
        pane.set_saved(vec![saved("Mine", "/Users"), saved("Other", "/Invoices")]);
        assert_eq!(pane.match_count(), ops + 2);
        // The heading is not selectable; the first saved request is selected.
        assert!(!pane.click(0));
        assert_eq!(pane.selected_saved().unwrap().request.name, "Mine");
        pane.move_by(1);
        assert_eq!(pane.selected_saved().unwrap().request.name, "Other");
        pane.move_by(1);
        assert!(pane.selected_operation().is_some());
        pane.move_by(-1);
        let CatalogEvent::LoadRequest(request) = pane.press(key(KeyCode::Enter)) else {
            panic!("Enter should load the saved request")
        };
        assert_eq!(request.path, "/Invoices");
        assert_eq!(pane.loaded_saved().unwrap().name, "Other");
        // A new list keeps the selection on the same saved request.
        pane.set_saved(vec![saved("New", "/Accounts"), saved("Other", "/Invoices")]);
        assert_eq!(pane.selected_saved().unwrap().request.name, "Other");
        // The filter applies to the name and the path.
        pane.press(key(KeyCode::Char('/')));
        for c in "mine".chars() {
            pane.press(key(KeyCode::Char(c)));
        }
        assert_eq!(pane.match_count(), 0);
        pane.set_saved(vec![saved("Mine", "/Users")]);
        assert_eq!(pane.match_count(), 1);
        assert_eq!(pane.selected_saved().unwrap().request.name, "Mine");
    }

    #[test]
    fn selection_skips_headings() {
        let mut pane = CatalogPane::new(catalog());
        assert!(pane.selected_operation().is_some());
        pane.move_by(1000);
        assert!(pane.selected_operation().is_some());
        pane.move_by(-1000);
        assert!(pane.selected_operation().is_some());
    }
}
