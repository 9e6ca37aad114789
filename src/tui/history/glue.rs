//! The app's side of the history: opening the box, its keys, recording each answer, and what
//! comes back from the file (the list, an entry to load or show, a comparison).

use crossterm::event::KeyEvent;

use super::{
    BrowserEvent, CompareSide, EntryUse, Exchange, HistoryAccess, HistoryBrowser, HistoryJob,
    HistoryReply,
};
use crate::history::{Context, Entry};
use crate::sanitize;
use crate::tui::app::{App, Effect, Focus, Overlay};
use crate::tui::keymap::Scope;
use crate::younium::{ApiRequest, ApiResponse};

impl App {
    /// `H`: opens the box and asks for the list.
    pub(crate) fn open_history(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        match &self.history {
            HistoryAccess::On(_) => {
                self.next_id += 1;
                effects.push(Effect::History(HistoryJob::List { id: self.next_id }));
                Some(Overlay::History(Box::new(HistoryBrowser::loading(
                    self.next_id,
                ))))
            }
            HistoryAccess::Off => {
                self.status =
                    Some("No history: this session records nothing (--no-history).".into());
                None
            }
            HistoryAccess::Failed(why) => {
                self.status = Some(format!("No history: {why}"));
                None
            }
        }
    }

    /// Rows of entries the box shows at the current size.
    pub(crate) fn history_rows(&self) -> usize {
        super::view::list_rows(self.size.1)
    }

    /// A key in the box.
    pub(crate) fn history_key(
        &mut self,
        mut browser: Box<HistoryBrowser>,
        key: KeyEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        if browser.is_filtering() {
            browser.filter_key(key);
            return Some(Overlay::History(browser));
        }
        let command = self.keymap.command(Scope::History, &key);
        match browser.command(command, self.history_rows()) {
            BrowserEvent::None | BrowserEvent::Help => Some(Overlay::History(browser)),
            BrowserEvent::Close => None,
            BrowserEvent::Load(entry) => self.load_into_builder(
                crate::tui::app::Loading::HistoryEntry(entry),
                false,
                effects,
            ),
            BrowserEvent::View(entry) => {
                self.status = Some(format!("Reading the answer stored in #{entry}…"));
                effects.push(Effect::History(HistoryJob::Get {
                    entry,
                    purpose: EntryUse::View,
                }));
                None
            }
            BrowserEvent::Delete(entry) => {
                effects.push(Effect::History(HistoryJob::Delete { entry }));
                browser.remove(entry);
                Some(Overlay::History(browser))
            }
            BrowserEvent::Compare { old, new } => {
                self.start_compare(CompareSide::Entry(old), CompareSide::Entry(new), effects)
            }
            BrowserEvent::ComparePrevious(entry) => self.start_compare(
                CompareSide::PreviousOfEntry(entry),
                CompareSide::Entry(entry),
                effects,
            ),
        }
    }

    /// What the history file answered.
    pub(crate) fn on_history(&mut self, reply: HistoryReply, effects: &mut Vec<Effect>) -> bool {
        match reply {
            HistoryReply::Listed { id, result } => match &mut self.overlay {
                Some(Overlay::History(browser)) if browser.id == id => {
                    browser.listed(result);
                    true
                }
                _ => false,
            },
            HistoryReply::Got { purpose, result } => {
                match result {
                    Ok(entry) => self.use_entry(*entry, purpose, effects),
                    Err(e) => {
                        self.status = Some(format!("The history entry could not be read: {e}"))
                    }
                }
                true
            }
            HistoryReply::Deleted { entry, result } => {
                self.status = Some(match result {
                    Ok(true) => format!("Deleted #{entry} from the history."),
                    Ok(false) => format!("#{entry} was no longer in the history."),
                    Err(e) => format!("#{entry} could not be deleted: {e}"),
                });
                true
            }
            HistoryReply::Compared { id, result } => self.on_compared(id, result),
            HistoryReply::Opened(result) => {
                match result {
                    Ok(None) => return false,
                    Ok(Some(notice)) => self.status = Some(sanitize::one_line(&notice).into()),
                    Err(e) => {
                        let why = format!("{e}; this session records nothing");
                        self.status = Some(sanitize::one_line(&why).into_owned());
                        self.history = HistoryAccess::Failed(why);
                    }
                }
                true
            }
        }
    }

    fn use_entry(&mut self, entry: Entry, purpose: EntryUse, effects: &mut Vec<Effect>) {
        match purpose {
            EntryUse::Load => {
                self.request.load_request(&entry.request());
                self.focus = Focus::Request;
                self.status = Some(format!(
                    "Loaded #{} ({} {}): send it with {}.",
                    entry.id,
                    entry.record.method,
                    entry.record.path,
                    self.keymap.hint(crate::tui::keymap::Command::Send)
                ));
            }
            EntryUse::View => {
                if self.response.in_flight().is_some() {
                    effects.push(Effect::Cancel);
                }
                let when = super::view::when(entry.record.time, &self.tz, self.now);
                let note = format!(
                    "The answer stored in the history as #{}, sent {when}: nothing was sent now.",
                    entry.id
                );
                self.status = None;
                self.next_id += 1;
                let id = self.next_id;
                self.show_response(id, entry.request(), entry.response(), vec![note], effects);
                if !self.is_editing() {
                    self.focus = Focus::Response;
                }
            }
        }
    }

    /// Records an answer that came back from a send (when the history is on).
    pub(crate) fn record(
        &self,
        request: &ApiRequest,
        response: &ApiResponse,
        effects: &mut Vec<Effect>,
    ) {
        if !matches!(self.history, HistoryAccess::On(_)) {
            return;
        }
        let context = Context::of_sent(
            self.profile.clone(),
            self.connection.environment().clone(),
            response,
            self.connection.api_version(),
        );
        effects.push(Effect::History(HistoryJob::Record(Box::new(Exchange {
            context,
            request: request.clone(),
            response: response.clone(),
        }))));
    }
}
