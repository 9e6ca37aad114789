//! The request history: every request sent from the UI and by `call`, with its answer, in a
//! SQLite file (rusqlite, bundled).
//!
//! - [`Record`] is one exchange as stored: built by [`Record::from_exchange`], which redacts
//!   every secret (the `Authorization` value is stored as `Bearer <redacted>`, JWT-looking
//!   strings in bodies and headers are replaced) and cuts a body over [`Limits::max_body`]
//!   with a marker.
//! - [`Store`] is the file: open (migrating, or setting a corrupt or locked file aside), insert
//!   (with retention), list, get, delete, clear, previous.
//! - [`History`] is what the app holds: the store behind a mutex for queries (run them off the
//!   UI thread) and a recording thread fed through a channel, so recording never delays a frame.
//!   [`History::record_exchange`] hands over an exchange as it is (the redaction, which scans
//!   the body, runs on the thread); [`History::record`] a record built already;
//!   [`History::flush`] waits for both; [`History::close`] also closes the file.
//!
//! The file is `--history FILE`, else `$YOUNIUM_TUI_HISTORY`, else [`default_path`]
//! (`crate::cli::HistoryArgs::path`; `None` with `--no-history`). Its limits come from the
//! config file's `[history]` section (`crate::settings::Settings::history`).
//!
//! Files: `record` (the record, the summary, the entry), `redact` (taking secrets out),
//! `schema` (the versioned schema and its migrations), `store` (the file), `recorder` (the
//! recording thread).

mod record;
mod recorder;
pub mod redact;
pub mod schema;
mod store;
#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use record::{Entry, Record, SameCall, StoredHeader, Summary};
pub use recorder::History;
pub use store::Store;

use crate::younium::{ApiResponse, ApiVersion, Environment};

/// The environment variable naming another history file (as `--history` does).
pub const HISTORY_ENV: &str = "YOUNIUM_TUI_HISTORY";

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

impl Context {
    /// The context of `response`'s request: the legal entity and api-version it carried as
    /// sent (`api_version` when its header was not sent or does not read).
    pub fn of_sent(
        profile: Option<String>,
        environment: Environment,
        response: &ApiResponse,
        api_version: ApiVersion,
    ) -> Context {
        let sent = |name| response.sent.header(name).map(|v| v.wire());
        Context {
            profile,
            environment,
            legal_entity: sent("legal-entity"),
            api_version: sent("api-version")
                .and_then(|v| v.parse().ok())
                .unwrap_or(api_version),
        }
    }
}

/// Why the history could not be used.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("the history file {path}: {message}")]
    File { path: PathBuf, message: String },
}

/// The history file's default place: the platform's state directory (data directory where
/// the platform has none), `younium-tui/history.sqlite3`. `None` when there is no home.
pub fn default_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("com", "younium", "younium-tui")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("history.sqlite3"))
}
