//! The request history: every request sent from the UI and by `call`, with its answer, in a
//! SQLite file (rusqlite, bundled). INTERFACE SKELETON: the bodies are filled in by the history
//! work; the types and signatures are what the UI codes against.
//!
//! - [`Record`] is one exchange as stored: built by [`Record::from_exchange`], which redacts
//!   every secret (the `Authorization` value is stored as `Bearer <redacted>`, JWT-looking
//!   strings in bodies and headers are replaced) and cuts a body over [`Limits::max_body`]
//!   with a marker.
//! - [`Store`] is the file: open (migrating, or setting a corrupt or locked file aside), insert
//!   (with retention), list, get, delete, clear, previous.
//! - [`History`] is what the app holds: the store behind a mutex for queries (run them off the
//!   UI thread) and a recording thread fed through a channel, so recording never delays a frame.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use jiff::Timestamp;

use crate::younium::{ApiRequest, ApiResponse, ApiVersion, Environment, Method};

/// How much the history keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// A response (or request) body longer than this is kept cut, with a marker. Default 10 MB.
    pub max_body: u64,
    /// The oldest entries are dropped past this many. Default 5,000.
    pub max_entries: u64,
    /// The oldest entries are dropped while the bodies stored take more than this. Default 500 MB.
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body: 10_000_000,
            max_entries: 5_000,
            max_bytes: 500_000_000,
        }
    }
}

/// Where and as whom a request was sent: what the request itself does not say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    pub profile: Option<String>,
    pub environment: Environment,
    /// The legal entity the request carried (`None`: no header).
    pub legal_entity: Option<String>,
    pub api_version: ApiVersion,
}

/// A request header as stored (secrets already redacted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredHeader {
    pub name: String,
    pub value: String,
    /// Set by the user (a header row of the request), not added by the app: loading the entry
    /// into the builder restores these only.
    pub user: bool,
}

/// One exchange, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub time: Timestamp,
    pub profile: Option<String>,
    /// `Environment::key()`: production, sandbox, us-production, us-sandbox or custom.
    pub environment: String,
    pub base_url: String,
    pub production: bool,
    pub legal_entity: Option<String>,
    pub api_version: String,
    pub method: Method,
    /// The path as sent, without the query.
    pub path: String,
    /// The query as sent, in order (enabled rows only).
    pub query: Vec<(String, String)>,
    pub request_headers: Vec<StoredHeader>,
    pub request_body: Option<String>,
    pub status: u16,
    pub reason: String,
    pub elapsed_ms: u64,
    /// The response body's whole size, before any cut.
    pub size: u64,
    pub response_headers: Vec<(String, String)>,
    /// The response body as stored (cut to the limit, then a marker).
    pub response_body: Bytes,
    /// The response body was cut.
    pub body_cut: bool,
}

impl Record {
    /// The record of `request` answered by `response`, secrets redacted, bodies cut to
    /// `limits.max_body`.
    pub fn from_exchange(
        context: &Context,
        request: &ApiRequest,
        response: &ApiResponse,
        limits: &Limits,
    ) -> Record {
        let _ = (context, request, response, limits);
        todo!("history work")
    }
}

/// An entry as the list shows it (no bodies).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub id: i64,
    pub time: Timestamp,
    pub profile: Option<String>,
    pub environment: String,
    pub base_url: String,
    pub production: bool,
    pub legal_entity: Option<String>,
    pub api_version: String,
    pub method: Method,
    pub path: String,
    /// `a=1&b=2`, empty when there is none.
    pub query: String,
    pub status: u16,
    pub elapsed_ms: u64,
    pub size: u64,
}

impl Summary {
    /// Whether every word of `filter` (case-insensitive) matches the method, the path (with the
    /// query), the status, the legal entity or the profile. An empty filter matches all.
    pub fn matches(&self, filter: &str) -> bool {
        let _ = filter;
        todo!("history work")
    }
}

/// A whole entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub record: Record,
}

impl Entry {
    /// The request to load into the builder: method, path, query, the user's headers, body.
    pub fn request(&self) -> ApiRequest {
        todo!("history work")
    }

    /// The stored answer, for the viewer (its `sent` rebuilt from the record; the redacted
    /// values stay redacted).
    pub fn response(&self) -> ApiResponse {
        todo!("history work")
    }
}

/// Why the history could not be used.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("the history file {path}: {message}")]
    File { path: PathBuf, message: String },
}

/// The history file.
pub struct Store {
    _private: (),
}

impl Store {
    /// Opens (or creates) the file and brings its schema up to date. A file that is corrupt,
    /// locked or unreadable is renamed aside (never deleted) and a fresh one started: the
    /// returned notice says so, with both paths.
    pub fn open(path: &Path, limits: Limits) -> Result<(Store, Option<String>), HistoryError> {
        let _ = (path, limits);
        todo!("history work")
    }

    /// Stores a record, then drops the oldest entries past the limits. Returns its id.
    pub fn insert(&mut self, record: &Record) -> Result<i64, HistoryError> {
        let _ = record;
        todo!("history work")
    }

    /// The newest `limit` entries (all when `None`), newest first.
    pub fn list(&self, limit: Option<usize>) -> Result<Vec<Summary>, HistoryError> {
        let _ = limit;
        todo!("history work")
    }

    pub fn get(&self, id: i64) -> Result<Option<Entry>, HistoryError> {
        let _ = id;
        todo!("history work")
    }

    /// The newest entry with the same method and path sent before `before` (excluding `not`).
    pub fn previous(
        &self,
        method: Method,
        path: &str,
        before: Timestamp,
        not: Option<i64>,
    ) -> Result<Option<Entry>, HistoryError> {
        let _ = (method, path, before, not);
        todo!("history work")
    }

    /// Deletes one entry; false when there was none.
    pub fn delete(&mut self, id: i64) -> Result<bool, HistoryError> {
        let _ = id;
        todo!("history work")
    }

    /// Deletes every entry (or those older than `before`); returns how many.
    pub fn clear(&mut self, before: Option<Timestamp>) -> Result<usize, HistoryError> {
        let _ = before;
        todo!("history work")
    }
}

/// The history file's default place: the platform's state directory (data directory where
/// the platform has none), `younium-tui/history.sqlite3`.
pub fn default_path() -> Option<PathBuf> {
    todo!("history work")
}

/// What the app holds: the store for queries and the recording thread.
#[derive(Clone)]
pub struct History {
    pub store: Arc<Mutex<Store>>,
}

impl History {
    /// Opens the file and starts the recording thread. The notice is for the status line.
    pub fn open(path: &Path, limits: Limits) -> Result<(History, Option<String>), HistoryError> {
        let _ = (path, limits);
        todo!("history work")
    }

    /// Hands a record to the recording thread; returns at once.
    pub fn record(&self, record: Record) {
        let _ = record;
        todo!("history work")
    }

    /// Waits until every record handed over so far is written (for `call` before it exits,
    /// and for tests).
    pub fn flush(&self) {
        todo!("history work")
    }
}
