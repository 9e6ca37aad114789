//! The history's effects: recording on the history's own thread, and the queries (the list,
//! an entry, a deletion, a comparison) in blocking tasks, each answered with an action.

use bytes::Bytes;
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::Runner;
use crate::history::{Entry, History, HistoryError, Store};
use crate::tui::app::Action;
use crate::tui::diff_view::DiffView;
use crate::tui::history::{CompareSide, HistoryJob, HistoryReply, exchange_line};

impl Runner {
    pub(super) fn history_job(&mut self, job: HistoryJob) {
        let Some(history) = self.history.clone() else {
            if let Some(reply) = off(job) {
                self.reporter().send(Action::History(reply));
            }
            return;
        };
        // The file is opened by its first use (here, or on the recording thread): say how
        // that went, once.
        if !self.history_opened {
            self.history_opened = true;
            let opening = history.clone();
            self.blocking(move || {
                let result = opening.opened().map_err(|e| e.to_string());
                Action::History(HistoryReply::Opened(result))
            });
        }
        match job {
            // Redacting and cutting a large body takes a moment: the history's own thread
            // does it, in the order the answers came.
            HistoryJob::Record(exchange) => {
                history.record_exchange(&exchange.context, &exchange.request, &exchange.response)
            }
            HistoryJob::List { id } => self.blocking(move || {
                let result = with_store(&history, |s| s.list(None));
                Action::History(HistoryReply::Listed { id, result })
            }),
            HistoryJob::Get { entry, purpose } => self.blocking(move || {
                let result = with_store(&history, |s| s.get(entry)).and_then(|found| {
                    found
                        .map(Box::new)
                        .ok_or_else(|| format!("#{entry} is no longer in the history"))
                });
                Action::History(HistoryReply::Got { purpose, result })
            }),
            HistoryJob::Delete { entry } => self.blocking(move || {
                let result = with_store(&history, |s| s.delete(entry));
                Action::History(HistoryReply::Deleted { entry, result })
            }),
            HistoryJob::Compare { id, old, new } => self.blocking(move || {
                let result = compare(&history, old, new);
                Action::History(HistoryReply::Compared { id, result })
            }),
        }
    }
}

/// The answer to a query when there is no history (the app does not send them then).
fn off(job: HistoryJob) -> Option<HistoryReply> {
    let why = || "the history is off".to_string();
    match job {
        HistoryJob::Record(_) => None,
        HistoryJob::List { id } => Some(HistoryReply::Listed {
            id,
            result: Err(why()),
        }),
        HistoryJob::Get { purpose, .. } => Some(HistoryReply::Got {
            purpose,
            result: Err(why()),
        }),
        HistoryJob::Delete { entry } => Some(HistoryReply::Deleted {
            entry,
            result: Err(why()),
        }),
        HistoryJob::Compare { id, .. } => Some(HistoryReply::Compared {
            id,
            result: Err(why()),
        }),
    }
}

fn with_store<T>(
    history: &History,
    work: impl FnOnce(&mut Store) -> Result<T, HistoryError>,
) -> Result<T, String> {
    history.with_store(work).map_err(|e| e.to_string())
}

/// Reads both sides and compares them.
fn compare(history: &History, old: CompareSide, new: CompareSide) -> Result<Box<DiffView>, String> {
    let tz = TimeZone::system();
    let now = Timestamp::now();
    let (old_title, old_body) = side(history, old, &tz, now)?;
    let (new_title, new_body) = side(history, new, &tz, now)?;
    let diff = crate::diff::compare(&old_body, &new_body);
    Ok(Box::new(DiffView::new(old_title, new_title, diff)))
}

/// A side's title and body.
fn side(
    history: &History,
    side: CompareSide,
    tz: &TimeZone,
    now: Timestamp,
) -> Result<(String, Bytes), String> {
    let entry: Entry = match side {
        CompareSide::Body { title, body } => return Ok((title, body)),
        CompareSide::Entry(id) => with_store(history, |s| s.get(id))?
            .ok_or_else(|| format!("#{id} is no longer in the history"))?,
        CompareSide::PreviousOf { call, before } => with_store(history, |s| {
            s.previous(&call, before, None)
        })?
        .ok_or_else(|| format!("The history has no earlier answer to {call} to compare with."))?,
        CompareSide::PreviousOfEntry(id) => match with_store(history, |s| s.previous_of(id))? {
            None => return Err(format!("#{id} is no longer in the history")),
            Some((entry, previous)) => previous.ok_or_else(|| {
                let call = crate::history::SameCall::of_record(&entry.record);
                format!("The history has no answer to {call} before #{id} to compare with.")
            })?,
        },
    };
    let r = &entry.record;
    let title = exchange_line(
        Some(entry.id),
        r.method,
        &r.path,
        &r.query_text(),
        r.legal_entity.as_deref(),
        r.status,
        r.time,
        tz,
        now,
    );
    Ok((title, entry.record.response_body))
}
