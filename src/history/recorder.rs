//! What the app holds: the store behind a mutex for queries, and a recording thread fed
//! through a channel, so recording returns at once and the insert happens elsewhere.

use std::path::Path;
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

/// What the app holds: the store for queries and the recording thread.
#[derive(Clone)]
pub struct History {
    pub store: Arc<Mutex<Store>>,
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
        let store = Arc::new(Mutex::new(store));
        let (jobs, inbox) = mpsc::channel::<Job>();
        let writer = Arc::clone(&store);
        let spawned = std::thread::Builder::new()
            .name("history".into())
            .spawn(move || record_loop(&writer, &inbox));
        let thread = match spawned {
            Ok(handle) => Some(handle),
            Err(e) => {
                tracing::warn!("history: the recording thread could not start: {e}");
                None
            }
        };
        History {
            store,
            jobs,
            limits,
            thread: Arc::new(Mutex::new(thread)),
        }
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
            store,
            jobs,
            thread,
            ..
        } = self;
        drop(jobs);
        // The last handle: every sender is gone, so the thread ends.
        if Arc::strong_count(&thread) == 1 {
            let handle = thread.lock().ok().and_then(|mut t| t.take());
            if let Some(handle) = handle {
                let _ = handle.join();
            }
        }
        drop(store);
    }
}

fn record_loop(store: &Mutex<Store>, inbox: &mpsc::Receiver<Job>) {
    for job in inbox {
        let record = match job {
            Job::Flush(done) => {
                let _ = done.send(());
                continue;
            }
            Job::Record(record) => *record,
            Job::Exchange(exchange) => {
                let (context, request, response) = *exchange;
                let limits = lock(store).limits();
                Record::from_exchange(&context, &request, &response, &limits)
            }
        };
        if let Err(e) = lock(store).insert(&record) {
            tracing::warn!("history: {e}");
        }
        // A large body was copied (cut, redacted) and handed to SQLite: give it back now.
        if record.stored_bytes() > 1_000_000 {
            drop(record);
            crate::memory::release_free_memory();
        }
    }
}

/// The store, even if a thread panicked while holding it.
fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
