//! What the app holds: the store behind a mutex for queries, and a recording thread fed
//! through a channel, so recording returns at once and the insert happens elsewhere. The UI's
//! store is opened on first use ([`History::deferred`]): SQLite's code and page cache stay out
//! of an idle app until something is recorded or looked up.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use super::{Context, HistoryError, Limits, Record, Store};
use crate::younium::{ApiRequest, ApiResponse};

/// Work for the recording thread.
enum Job {
    Record(Box<Record>),
    /// Built into a record on the thread: the redaction scans the whole body.
    Exchange(Box<(Context, ApiRequest, ApiResponse)>),
    /// Answered once everything before it is written.
    Flush(mpsc::SyncSender<()>),
}

/// The store, opened now or on first use.
enum Slot {
    /// Not opened yet: the first record or query opens it.
    Waiting(PathBuf),
    /// Open; the notice of the opening (a file set aside) until [`History::opened`] takes it.
    Open {
        store: Store,
        notice: Option<String>,
    },
    /// It could not be opened: every use answers this.
    Failed { path: PathBuf, message: String },
}

impl Slot {
    /// The open store, opening it first if it is waiting.
    fn store(&mut self, limits: Limits) -> Result<&mut Store, HistoryError> {
        if let Slot::Waiting(path) = self {
            *self = match Store::open(path, limits) {
                Ok((store, notice)) => Slot::Open { store, notice },
                Err(HistoryError::File { path, message }) => Slot::Failed { path, message },
            };
        }
        match self {
            Slot::Open { store, .. } => Ok(store),
            Slot::Failed { path, message } => Err(HistoryError::File {
                path: path.clone(),
                message: message.clone(),
            }),
            Slot::Waiting(_) => unreachable!("opened just above"),
        }
    }
}

/// What the app holds: the store for queries and the recording thread.
#[derive(Clone)]
pub struct History {
    slot: Arc<Mutex<Slot>>,
    jobs: mpsc::Sender<Job>,
    limits: Limits,
    thread: Arc<Mutex<Option<std::thread::JoinHandle<()>>>>,
}

impl History {
    /// Opens the file and starts the recording thread. The notice is for the status line.
    pub fn open(path: &Path, limits: Limits) -> Result<(History, Option<String>), HistoryError> {
        let (store, notice) = Store::open(path, limits)?;
        Ok((History::new(store), notice))
    }

    /// The history over an open store, its recording thread started. The thread ends when
    /// the last clone of the history is dropped.
    pub fn new(store: Store) -> History {
        let limits = store.limits();
        History::start(
            Slot::Open {
                store,
                notice: None,
            },
            limits,
        )
    }

    /// The history of `path`, opened by the first record or query (on the recording thread,
    /// or in the query's blocking task), never by this call. [`History::opened`] says how the
    /// opening went.
    pub fn deferred(path: &Path, limits: Limits) -> History {
        History::start(Slot::Waiting(path.to_path_buf()), limits)
    }

    fn start(slot: Slot, limits: Limits) -> History {
        let slot = Arc::new(Mutex::new(slot));
        let (jobs, inbox) = mpsc::channel::<Job>();
        let writer = Arc::clone(&slot);
        let spawned = std::thread::Builder::new()
            .name("history".into())
            .spawn(move || record_loop(&writer, limits, &inbox));
        let thread = match spawned {
            Ok(handle) => Some(handle),
            Err(e) => {
                tracing::warn!("history: the recording thread could not start: {e}");
                None
            }
        };
        History {
            slot,
            jobs,
            limits,
            thread: Arc::new(Mutex::new(thread)),
        }
    }

    /// Opens the file if it is not open yet (blocks meanwhile: call it off the UI thread).
    /// `Ok(Some(notice))` once, the first time, when a broken file was set aside; the error
    /// when it cannot be used (the same every time).
    pub fn opened(&self) -> Result<Option<String>, HistoryError> {
        let mut slot = lock(&self.slot);
        slot.store(self.limits)?;
        match &mut *slot {
            Slot::Open { notice, .. } => Ok(notice.take()),
            _ => Ok(None),
        }
    }

    /// Runs `work` over the store, opening it first if needed (blocks: call it off the UI
    /// thread).
    pub fn with_store<T>(
        &self,
        work: impl FnOnce(&mut Store) -> Result<T, HistoryError>,
    ) -> Result<T, HistoryError> {
        work(lock(&self.slot).store(self.limits)?)
    }

    /// The limits the records are cut to.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Hands a record to the recording thread; returns at once.
    pub fn record(&self, record: Record) {
        let _ = self.jobs.send(Job::Record(Box::new(record)));
    }

    /// Hands an exchange to the recording thread, which builds its record
    /// ([`Record::from_exchange`], with this history's limits) and stores it; returns at once
    /// (the clones are cheap: the body is shared).
    pub fn record_exchange(&self, context: &Context, request: &ApiRequest, response: &ApiResponse) {
        let job = (context.clone(), request.clone(), response.clone());
        let _ = self.jobs.send(Job::Exchange(Box::new(job)));
    }

    /// Waits until every record handed over so far is written (for `call` before it exits,
    /// and for tests).
    pub fn flush(&self) {
        let (done, wait) = mpsc::sync_channel(1);
        if self.jobs.send(Job::Flush(done)).is_ok() {
            let _ = wait.recv();
        }
    }
}

impl History {
    /// Writes what was handed over and, from the last clone, ends the recording thread and
    /// closes the file (SQLite folds its -wal back in). For a process about to exit: without
    /// it the file stays consistent, but its -wal and -shm are left beside it.
    pub fn close(self) {
        self.flush();
        let History {
            slot, jobs, thread, ..
        } = self;
        drop(jobs);
        // The last handle: every sender is gone, so the thread ends.
        if Arc::strong_count(&thread) == 1 {
            let handle = thread.lock().ok().and_then(|mut t| t.take());
            if let Some(handle) = handle {
                let _ = handle.join();
            }
        }
        drop(slot);
    }
}

fn record_loop(slot: &Mutex<Slot>, limits: Limits, inbox: &mpsc::Receiver<Job>) {
    for job in inbox {
        let record = match job {
            Job::Flush(done) => {
                let _ = done.send(());
                continue;
            }
            Job::Record(record) => *record,
            Job::Exchange(exchange) => {
                let (context, request, response) = *exchange;
                Record::from_exchange(&context, &request, &response, &limits)
            }
        };
        let stored = lock(slot)
            .store(limits)
            .and_then(|store| store.insert(&record));
        if let Err(e) = stored {
            tracing::warn!("history: {e}");
        }
        // A large body was copied (cut, redacted) and handed to SQLite: give it back now.
        if record.stored_bytes() > 1_000_000 {
            drop(record);
            crate::memory::release_free_memory();
        }
    }
}

/// The slot, even if a thread panicked while holding it.
fn lock(slot: &Mutex<Slot>) -> std::sync::MutexGuard<'_, Slot> {
    slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
