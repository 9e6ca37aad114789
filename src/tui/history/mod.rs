//! The history box (`H`): the requests sent before, newest first, filtered as you type. Enter
//! loads one into the builder, `v` shows its stored answer without sending, `d` deletes it,
//! `m` marks one and `=` compares another with it (with no mark: with the previous answer to
//! the same method and path).
//!
//! The list is read once when the box opens (off the UI thread, see `Effect::ListHistory`);
//! filtering runs over it in memory, so each key costs a pass over the summaries, not a query.

mod compare;
mod glue;
mod view;

use crossterm::event::KeyEvent;

pub use compare::{Comparison, render as render_comparison};
pub use view::{render, title as exchange_line};

use crate::history::Summary;
use crate::tui::input::{InputOutcome, LineInput};
use crate::tui::keymap::Command;

/// Whether the app records, and where.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum HistoryAccess {
    /// Recording into this file.
    On(std::path::PathBuf),
    /// Not recording: why (`--no-history`, or the file could not be opened).
    #[default]
    Off,
    Failed(String),
}

/// What a key in the box asks the app to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrowserEvent {
    None,
    Close,
    Load(i64),
    View(i64),
    Delete(i64),
    /// Compare two entries (older first).
    Compare {
        old: i64,
        new: i64,
    },
    /// Compare an entry with the previous answer to its method and path.
    ComparePrevious(i64),
    Help,
}

/// The box's whole state.
#[derive(Debug)]
pub struct HistoryBrowser {
    /// The list request this box waits for.
    pub id: u64,
    /// `None` while the list is being read.
    pub entries: Option<Vec<Summary>>,
    pub error: Option<String>,
    pub filter: String,
    pub filtering: Option<LineInput>,
    /// Indexes into `entries` of the rows that match the filter.
    pub visible: Vec<usize>,
    /// The selected row (an index into `visible`).
    pub selected: usize,
    /// The first row drawn.
    pub offset: usize,
    /// The entry marked for comparing.
    pub marked: Option<i64>,
    /// A line under the list (why a key did nothing).
    pub message: Option<String>,
}

impl HistoryBrowser {
    pub fn loading(id: u64) -> Self {
        Self {
            id,
            entries: None,
            error: None,
            filter: String::new(),
            filtering: None,
            visible: Vec::new(),
            selected: 0,
            offset: 0,
            marked: None,
            message: None,
        }
    }

    /// The list arrived.
    pub fn listed(&mut self, result: Result<Vec<Summary>, String>) {
        match result {
            Ok(entries) => {
                self.entries = Some(entries);
                self.refilter();
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn refilter(&mut self) {
        let keep = self.selected_entry().map(|s| s.id);
        self.visible = match &self.entries {
            Some(entries) => entries
                .iter()
                .enumerate()
                .filter(|(_, s)| s.matches(&self.filter))
                .map(|(i, _)| i)
                .collect(),
            None => Vec::new(),
        };
        self.selected = keep
            .and_then(|id| self.visible_entries().position(|s| s.id == id))
            .unwrap_or(0);
    }

    fn visible_entries(&self) -> impl Iterator<Item = &Summary> {
        let entries = self.entries.as_deref().unwrap_or_default();
        self.visible.iter().map(move |i| &entries[*i])
    }

    pub fn selected_entry(&self) -> Option<&Summary> {
        let entries = self.entries.as_ref()?;
        entries.get(*self.visible.get(self.selected)?)
    }

    /// Takes an entry out of the list (it was deleted).
    pub fn remove(&mut self, id: i64) {
        if let Some(entries) = &mut self.entries {
            entries.retain(|s| s.id != id);
        }
        if self.marked == Some(id) {
            self.marked = None;
        }
        let selected = self.selected;
        self.refilter();
        self.selected = selected.min(self.visible.len().saturating_sub(1));
    }

    pub fn is_filtering(&self) -> bool {
        self.filtering.is_some()
    }

    /// A key typed into the filter.
    pub fn filter_key(&mut self, key: KeyEvent) {
        let Some(input) = &mut self.filtering else {
            return;
        };
        match input.handle(key) {
            InputOutcome::Submit(_) => self.filtering = None,
            InputOutcome::Cancel => {
                self.filtering = None;
                self.filter.clear();
                self.refilter();
            }
            InputOutcome::Edited => {
                let text = input.text().to_string();
                if text != self.filter {
                    self.filter = text;
                    self.refilter();
                }
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(input) = &mut self.filtering {
            input.paste(text);
            self.filter = input.text().to_string();
            self.refilter();
        }
    }

    /// A command; `page` is how many rows the box shows.
    pub fn command(&mut self, command: Option<Command>, page: usize) -> BrowserEvent {
        self.message = None;
        let last = self.visible.len().saturating_sub(1);
        let selected = self.selected_entry().map(|s| s.id);
        match command {
            Some(Command::Close) => return BrowserEvent::Close,
            Some(Command::Help) => return BrowserEvent::Help,
            Some(Command::Filter) => self.filtering = Some(LineInput::new(&self.filter, false)),
            Some(Command::ScrollUp) => self.selected = self.selected.saturating_sub(1),
            Some(Command::ScrollDown) => self.selected = (self.selected + 1).min(last),
            Some(Command::PageUp) => self.selected = self.selected.saturating_sub(page.max(1)),
            Some(Command::PageDown) => self.selected = (self.selected + page.max(1)).min(last),
            Some(Command::Top) => self.selected = 0,
            Some(Command::Bottom) => self.selected = last,
            Some(Command::Load) => return selected.map_or(BrowserEvent::None, BrowserEvent::Load),
            Some(Command::ViewStored) => {
                return selected.map_or(BrowserEvent::None, BrowserEvent::View);
            }
            Some(Command::DeleteEntry) => {
                return selected.map_or(BrowserEvent::None, BrowserEvent::Delete);
            }
            Some(Command::Mark) => {
                self.marked = match (self.marked, selected) {
                    (Some(m), Some(s)) if m == s => None,
                    (_, s) => s,
                };
            }
            Some(Command::Compare) => return self.compare(selected),
            _ => {}
        }
        self.scroll_to_selection(page);
        BrowserEvent::None
    }

    fn compare(&mut self, selected: Option<i64>) -> BrowserEvent {
        let Some(selected) = selected else {
            return BrowserEvent::None;
        };
        match self.marked {
            Some(marked) if marked == selected => {
                self.message = Some("Pick another entry to compare with the marked one.".into());
                BrowserEvent::None
            }
            // Ids grow with time: the smaller is the older.
            Some(marked) => BrowserEvent::Compare {
                old: marked.min(selected),
                new: marked.max(selected),
            },
            None => BrowserEvent::ComparePrevious(selected),
        }
    }

    /// Keeps the selected row in the `rows` drawn.
    pub fn scroll_to_selection(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
    }
}

/// History work for the event loop (`Effect::History`).
#[derive(Debug)]
pub enum HistoryJob {
    /// Record an exchange (redacted and written on the recording thread).
    Record(Box<Exchange>),
    /// Read the list for the box `id`.
    List {
        id: u64,
    },
    /// Read a whole entry, to load it into the builder or show its answer.
    Get {
        entry: i64,
        purpose: EntryUse,
    },
    Delete {
        entry: i64,
    },
    /// Compare two answers (the diff view `id`).
    Compare {
        id: u64,
        old: CompareSide,
        new: CompareSide,
    },
}

/// What the event loop found (`Action::History`).
#[derive(Debug)]
pub enum HistoryReply {
    Listed {
        id: u64,
        result: Result<Vec<Summary>, String>,
    },
    Got {
        purpose: EntryUse,
        result: Result<Box<crate::history::Entry>, String>,
    },
    Deleted {
        entry: i64,
        result: Result<bool, String>,
    },
    Compared {
        id: u64,
        result: Result<Box<crate::tui::diff_view::DiffView>, String>,
    },
    /// The file was opened on first use: a notice once (a broken file set aside), or why it
    /// cannot be used.
    Opened(Result<Option<String>, String>),
}

/// One request and its answer, with where it was sent.
#[derive(Debug)]
pub struct Exchange {
    pub context: crate::history::Context,
    pub request: crate::younium::ApiRequest,
    pub response: crate::younium::ApiResponse,
}

/// Why an entry is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryUse {
    /// Into the request builder.
    Load,
    /// Its answer into the Response pane.
    View,
}

/// One side of a comparison.
#[derive(Clone, Debug)]
pub enum CompareSide {
    /// A history entry.
    Entry(i64),
    /// The newest answer in the history to the same call (method, path, query) sent before
    /// `before`.
    PreviousOf {
        call: crate::history::SameCall,
        before: jiff::Timestamp,
    },
    /// The newest answer in the history to the same call as entry `0`, before it.
    PreviousOfEntry(i64),
    /// A body in memory (the answer on screen), with its title.
    Body { title: String, body: bytes::Bytes },
}
