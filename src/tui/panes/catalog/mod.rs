//! The endpoint catalogue pane: the saved requests of the profile in use (a "Saved" group on
//! top), the flows (a "Flows" group, each opening to its steps), then the operations grouped
//! by tag, all filtered as you type.

use crossterm::event::KeyEvent;

use crate::config::{SavedEntry, SavedRequest};
use crate::tui::input::{InputOutcome, LineInput};
use crate::tui::keymap::Command;
use crate::younium::catalog::{Catalog, Operation, filter_words};

#[derive(Debug, PartialEq)]
pub enum CatalogEvent {
    Load(Box<Operation>),
    /// A saved request to load into the builder.
    LoadSaved(Box<SavedRequest>),
    /// Step `step` of flow `flow` (indexes into the flows given) to load into the builder.
    LoadStep {
        flow: usize,
        step: usize,
    },
    /// Run flow `flow` from its first step.
    RunFlow(usize),
    Handled,
    Ignored,
}

/// A row of the list: a heading (the Saved or Flows group, a tag), a saved request (index
/// into `saved`), a flow or one of its steps (indexes into `flows`) or an operation (index
/// into the catalogue).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    SavedHeading,
    Saved(usize),
    FlowsHeading,
    Flow(usize),
    Step(usize, usize),
    Tag(usize),
    Op(usize),
}

impl Row {
    fn is_heading(self) -> bool {
        matches!(self, Row::SavedHeading | Row::FlowsHeading | Row::Tag(_))
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
    /// The flows, as the app last gave them.
    flows: Vec<FlowItem>,
    /// The flows whose steps are shown.
    open: std::collections::BTreeSet<usize>,
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
            flows: Vec::new(),
            open: Default::default(),
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
        let flows: Vec<usize> = (0..self.flows.len())
            .filter(|i| self.flows[*i].matches_all(&words))
            .collect();
        if !flows.is_empty() {
            self.rows.push(Row::FlowsHeading);
            for i in flows {
                self.rows.push(Row::Flow(i));
                if self.open.contains(&i) {
                    let steps = self.flows[i].steps.len();
                    self.rows.extend((0..steps).map(|j| Row::Step(i, j)));
                }
            }
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

    /// The flows shown.
    pub fn flows(&self) -> &[FlowItem] {
        &self.flows
    }

    /// The flow of the selected row (a flow or one of its steps), and the step.
    pub fn selected_flow(&self) -> Option<(usize, Option<usize>)> {
        match self.rows.get(self.selected) {
            Some(Row::Flow(i)) => Some((*i, None)),
            Some(Row::Step(i, j)) => Some((*i, Some(*j))),
            _ => None,
        }
    }

    /// The flows to show (after a load, or when a step's mark changes); the selection and the
    /// open flows stay where they were.
    pub fn set_flows(&mut self, flows: Vec<FlowItem>) {
        let was = self.rows.get(self.selected).copied();
        let same = flows.len() == self.flows.len();
        self.flows = flows;
        if !same {
            self.open.clear();
        }
        self.refilter();
        if same && let Some(row) = was {
            self.select(row);
        }
    }

    /// Shows the steps of flow `flow` (a run does, so its marks are seen).
    pub fn open_flow(&mut self, flow: usize) {
        let was = self.rows.get(self.selected).copied();
        self.open.insert(flow);
        self.refilter();
        if let Some(row) = was {
            self.select(row);
        }
    }

    /// Selects `row` when it is in the list.
    fn select(&mut self, row: Row) {
        if let Some(at) = self.rows.iter().position(|r| *r == row) {
            self.selected = at;
        }
    }

    /// Enter on a flow opens or closes its steps; on a step, loads it.
    fn enter_flow(&mut self, flow: usize, step: Option<usize>) -> CatalogEvent {
        if let Some(step) = step {
            return CatalogEvent::LoadStep { flow, step };
        }
        if !self.open.remove(&flow) {
            self.open.insert(flow);
        }
        self.refilter();
        self.select(Row::Flow(flow));
        CatalogEvent::Handled
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
        if command == Some(Command::Load)
            && let Some((flow, step)) = self.selected_flow()
        {
            return self.enter_flow(flow, step);
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
            Some(Command::RunFlow) => match self.selected_flow() {
                Some((flow, _)) if self.flows[flow].error.is_none() => CatalogEvent::RunFlow(flow),
                _ => CatalogEvent::Handled,
            },
            Some(Command::Load) => match (self.selected_saved(), self.selected_operation()) {
                (Some(entry), _) => {
                    let request = entry.request.clone();
                    let event = CatalogEvent::LoadSaved(Box::new(request.clone()));
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
}

mod flows;
mod view;

pub use flows::{FlowItem, StepItem, StepMark};

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
                capture: vec![],
                expect: Default::default(),
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
        let CatalogEvent::LoadSaved(request) = pane.press(key(KeyCode::Enter)) else {
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
