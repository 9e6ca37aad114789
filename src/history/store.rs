//! The history file: opening it (migrating, or setting a broken file aside), inserting with
//! retention, and the queries the list, the viewer and the diff need.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use jiff::Timestamp;
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::record::query_text;
use super::schema::{self, SchemaError};
use super::{Entry, HistoryError, Limits, Record, SameCall, StoredHeader, Summary};
use crate::younium::Method;

/// How long a write waits for another process's before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The history file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    limits: Limits,
}

/// Why a file could not be opened: broken (set it aside and start afresh), busy (another
/// process is opening or writing it: try again, never set it aside), or not ours to touch.
enum OpenError {
    Broken(String),
    Busy(String),
    Fatal(String),
}

impl From<rusqlite::Error> for OpenError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
        match e.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked) => OpenError::Busy(e.to_string()),
            _ => OpenError::Broken(e.to_string()),
        }
    }
}

impl From<SchemaError> for OpenError {
    fn from(e: SchemaError) -> Self {
        match e {
            SchemaError::Newer(_) => OpenError::Fatal(e.to_string()),
            SchemaError::Sqlite(e) => e.into(),
        }
    }
}

const SUMMARY_COLUMNS: &str = "id, time_ns, profile, environment, base_url, production, \
    legal_entity, api_version, method, path, query, status, elapsed_ms, size";
const ENTRY_COLUMNS: &str = "id, time_ns, profile, environment, base_url, production, \
    legal_entity, api_version, method, path, query, status, elapsed_ms, size, reason, body_cut, \
    request_headers, response_headers, request_body, response_body";

impl Store {
    /// Opens (or creates) the file and brings its schema up to date. A file that is corrupt or
    /// unreadable is renamed aside (never deleted) and a fresh one started: the returned
    /// notice says so, with both paths. A file another process keeps busy is waited for, and
    /// left alone (an error) if it stays busy; so is a file written by a newer version.
    pub fn open(path: &Path, limits: Limits) -> Result<(Store, Option<String>), HistoryError> {
        let error = |message: String| HistoryError::File {
            path: path.to_path_buf(),
            message,
        };
        prepare(path).map_err(|e| error(e.to_string()))?;
        let store = |conn| Store {
            conn,
            path: path.to_path_buf(),
            limits,
        };
        match connect_patiently(path) {
            Ok(conn) => Ok((store(conn), None)),
            Err(OpenError::Fatal(message) | OpenError::Busy(message)) => Err(error(message)),
            Err(OpenError::Broken(reason)) => {
                let aside = set_aside(path).map_err(|e| {
                    error(format!("{reason}; it could not be moved aside either: {e}"))
                })?;
                prepare(path).map_err(|e| error(e.to_string()))?;
                let conn = connect_patiently(path).map_err(|e| match e {
                    OpenError::Broken(m) | OpenError::Busy(m) | OpenError::Fatal(m) => error(m),
                })?;
                let notice = format!(
                    "the history file {} could not be used ({reason}): moved to {}, a new one started",
                    path.display(),
                    aside.display()
                );
                Ok((store(conn), Some(notice)))
            }
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    fn error(&self, e: impl ToString) -> HistoryError {
        HistoryError::File {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// Stores a record, then drops the oldest entries past the limits (never the one just
    /// stored). Returns its id.
    pub fn insert(&mut self, record: &Record) -> Result<i64, HistoryError> {
        let limits = self.limits;
        let result = (|| -> rusqlite::Result<i64> {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO entries (time_ns, profile, environment, base_url, production,
                    legal_entity, api_version, method, path, query, status, elapsed_ms, size,
                    reason, body_cut, request_headers, response_headers, request_body,
                    response_body, stored_bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20)",
                params![
                    nanos(record.time),
                    record.profile,
                    record.environment,
                    record.base_url,
                    record.production,
                    record.legal_entity,
                    record.api_version,
                    record.method.as_str(),
                    record.path,
                    to_json(&record.query),
                    record.status,
                    clamp(record.elapsed_ms),
                    clamp(record.size),
                    record.reason,
                    record.body_cut,
                    to_json(
                        &record
                            .request_headers
                            .iter()
                            .map(|h| (&h.name, &h.value, h.user, h.sent))
                            .collect::<Vec<_>>()
                    ),
                    to_json(&record.response_headers),
                    record.request_body,
                    &record.response_body[..],
                    clamp(record.stored_bytes()),
                ],
            )?;
            let id = tx.last_insert_rowid();
            retain(&tx, id, limits)?;
            tx.commit()?;
            Ok(id)
        })();
        result.map_err(|e| self.error(e))
    }

    /// The newest `limit` entries (all when `None`), newest first.
    pub fn list(&self, limit: Option<usize>) -> Result<Vec<Summary>, HistoryError> {
        let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let result = (|| -> rusqlite::Result<Vec<Summary>> {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM entries ORDER BY time_ns DESC, id DESC LIMIT ?1"
            ))?;
            stmt.query_map([limit], summary)?.collect()
        })();
        result.map_err(|e| self.error(e))
    }

    pub fn get(&self, id: i64) -> Result<Option<Entry>, HistoryError> {
        self.conn
            .query_row(
                &format!("SELECT {ENTRY_COLUMNS} FROM entries WHERE id = ?1"),
                [id],
                entry,
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    /// The newest entry of the same call (method, path and query) sent before `before`
    /// (excluding `not`).
    pub fn previous(
        &self,
        call: &SameCall,
        before: Timestamp,
        not: Option<i64>,
    ) -> Result<Option<Entry>, HistoryError> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {ENTRY_COLUMNS} FROM entries
                     WHERE method = ?1 AND path = ?2 AND query = ?3 AND time_ns < ?4
                       AND (?5 IS NULL OR id != ?5)
                     ORDER BY time_ns DESC, id DESC LIMIT 1"
                ),
                params![
                    call.method.as_str(),
                    call.path,
                    to_json(&call.query),
                    nanos(before),
                    not
                ],
                entry,
            )
            .optional()
            .map_err(|e| self.error(e))
    }

    /// The entry `id` and the newest entry of the same call sent before it, if both are there.
    pub fn previous_of(&self, id: i64) -> Result<Option<(Entry, Option<Entry>)>, HistoryError> {
        let Some(entry) = self.get(id)? else {
            return Ok(None);
        };
        let call = SameCall::of_record(&entry.record);
        let previous = self.previous(&call, entry.record.time, Some(id))?;
        Ok(Some((entry, previous)))
    }

    /// Deletes one entry; false when there was none.
    pub fn delete(&mut self, id: i64) -> Result<bool, HistoryError> {
        self.conn
            .execute("DELETE FROM entries WHERE id = ?1", [id])
            .map(|n| n > 0)
            .map_err(|e| self.error(e))
    }

    /// Deletes every entry (or those older than `before`); returns how many.
    pub fn clear(&mut self, before: Option<Timestamp>) -> Result<usize, HistoryError> {
        let result = match before {
            None => self.conn.execute("DELETE FROM entries", []),
            Some(t) => self
                .conn
                .execute("DELETE FROM entries WHERE time_ns < ?1", [nanos(t)]),
        };
        result.map_err(|e| self.error(e))
    }

    /// How many entries the file holds.
    pub fn count(&self) -> Result<u64, HistoryError> {
        totals(&self.conn)
            .map(|(n, _)| n.max(0) as u64)
            .map_err(|e| self.error(e))
    }

    /// The bytes the entries take, as retention counts them.
    pub fn stored_bytes(&self) -> Result<u64, HistoryError> {
        totals(&self.conn)
            .map(|(_, b)| b.max(0) as u64)
            .map_err(|e| self.error(e))
    }
}

/// The entries and bytes stored, from the `totals` row the triggers keep.
fn totals(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row("SELECT entries, bytes FROM totals", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
}

/// Drops the oldest entries past `max_entries`, then while the bytes stored exceed
/// `max_bytes`; never `keep`.
fn retain(conn: &Connection, keep: i64, limits: Limits) -> rusqlite::Result<()> {
    let (entries, _) = totals(conn)?;
    let over = entries - clamp(limits.max_entries.max(1));
    if over > 0 {
        conn.execute(
            "DELETE FROM entries WHERE id IN
                (SELECT id FROM entries WHERE id != ?1 ORDER BY time_ns, id LIMIT ?2)",
            params![keep, over],
        )?;
    }
    let (_, bytes) = totals(conn)?;
    let mut excess = bytes - clamp(limits.max_bytes);
    if excess <= 0 {
        return Ok(());
    }
    let mut doomed = Vec::new();
    {
        let mut stmt = conn
            .prepare("SELECT id, stored_bytes FROM entries WHERE id != ?1 ORDER BY time_ns, id")?;
        let mut rows = stmt.query([keep])?;
        while excess > 0
            && let Some(row) = rows.next()?
        {
            doomed.push(row.get::<_, i64>(0)?);
            excess -= row.get::<_, i64>(1)?;
        }
    }
    let mut delete = conn.prepare("DELETE FROM entries WHERE id = ?1")?;
    for id in doomed {
        delete.execute([id])?;
    }
    Ok(())
}

/// The directory (owner-only on Unix) and the file (0600) before SQLite opens it.
fn prepare(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// [`connect`], again while the file is busy (another process opening it in WAL mode, or
/// checkpointing: SQLite answers some of those at once, without its busy timeout), for up to
/// about the busy timeout.
fn connect_patiently(path: &Path) -> Result<Connection, OpenError> {
    let pause = Duration::from_millis(50);
    let mut waited = Duration::ZERO;
    loop {
        match connect(path) {
            Err(OpenError::Busy(message)) if waited < BUSY_TIMEOUT => {
                tracing::debug!("history: {message}; trying again");
                std::thread::sleep(pause);
                waited += pause;
            }
            Err(OpenError::Busy(message)) => {
                return Err(OpenError::Busy(format!(
                    "it stayed in use by another process ({message})"
                )));
            }
            other => return other,
        }
    }
}

/// Opens the file in WAL mode with a busy timeout, checks it and migrates it.
fn connect(path: &Path) -> Result<Connection, OpenError> {
    // Not a database at all: said before SQLite looks at it (and at its -wal, which it
    // would otherwise discard).
    check_header(path)?;
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let _mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
    if check != "ok" {
        return Err(OpenError::Broken(format!(
            "it failed its integrity check: {check}"
        )));
    }
    schema::migrate(&mut conn)?;
    Ok(conn)
}

/// A file that is not empty must start with SQLite's header.
fn check_header(path: &Path) -> Result<(), OpenError> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| OpenError::Broken(e.to_string()))?;
    let read = file
        .read(&mut header)
        .map_err(|e| OpenError::Broken(e.to_string()))?;
    if read == 0 || (read == 16 && &header == b"SQLite format 3\0") {
        Ok(())
    } else {
        Err(OpenError::Broken("it is not an SQLite database".into()))
    }
}

/// Renames the file (and its `-wal` and `-shm`) to `<name>.broken-<UTC time>`; returns the
/// new path.
fn set_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = Timestamp::now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut aside = sibling(path, &format!(".broken-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = sibling(path, &format!(".broken-{stamp}-{n}"));
    }
    std::fs::rename(path, &aside)?;
    for suffix in ["-wal", "-shm"] {
        let from = sibling(path, suffix);
        if from.exists() {
            let to = sibling(&aside, suffix);
            std::fs::rename(&from, &to)?;
        }
    }
    Ok(aside)
}

/// `path` with `suffix` appended to its file name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn nanos(t: Timestamp) -> i64 {
    i64::try_from(t.as_nanosecond()).unwrap_or(if t.as_nanosecond() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

fn conversion(
    index: usize,
    kind: Type,
    e: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, kind, Box::new(e))
}

fn json_column<T: serde::de::DeserializeOwned>(row: &Row<'_>, index: usize) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map_err(|e| conversion(index, Type::Text, e))
}

fn time_column(row: &Row<'_>, index: usize) -> rusqlite::Result<Timestamp> {
    Timestamp::from_nanosecond(i128::from(row.get::<_, i64>(index)?))
        .map_err(|e| conversion(index, Type::Integer, e))
}

fn method_column(row: &Row<'_>, index: usize) -> rusqlite::Result<Method> {
    row.get::<_, String>(index)?
        .parse()
        .map_err(|e| conversion(index, Type::Text, e))
}

fn unsigned(row: &Row<'_>, index: usize) -> rusqlite::Result<u64> {
    Ok(row.get::<_, i64>(index)?.max(0) as u64)
}

fn summary(row: &Row<'_>) -> rusqlite::Result<Summary> {
    Ok(Summary {
        id: row.get(0)?,
        time: time_column(row, 1)?,
        profile: row.get(2)?,
        environment: row.get(3)?,
        base_url: row.get(4)?,
        production: row.get(5)?,
        legal_entity: row.get(6)?,
        api_version: row.get(7)?,
        method: method_column(row, 8)?,
        path: row.get(9)?,
        query: query_text(&json_column::<Vec<(String, String)>>(row, 10)?),
        status: row.get(11)?,
        elapsed_ms: unsigned(row, 12)?,
        size: unsigned(row, 13)?,
    })
}

/// A request header as the file has it: `[name, value, user, sent]`, or `[name, value, user]`
/// in entries recorded before switched-off rows were kept (those were all sent).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum StoredRow {
    Marked(String, String, bool, bool),
    Sent(String, String, bool),
}

fn entry(row: &Row<'_>) -> rusqlite::Result<Entry> {
    let headers: Vec<StoredRow> = json_column(row, 16)?;
    Ok(Entry {
        id: row.get(0)?,
        record: Record {
            time: time_column(row, 1)?,
            profile: row.get(2)?,
            environment: row.get(3)?,
            base_url: row.get(4)?,
            production: row.get(5)?,
            legal_entity: row.get(6)?,
            api_version: row.get(7)?,
            method: method_column(row, 8)?,
            path: row.get(9)?,
            query: json_column(row, 10)?,
            status: row.get(11)?,
            elapsed_ms: unsigned(row, 12)?,
            size: unsigned(row, 13)?,
            reason: row.get(14)?,
            body_cut: row.get(15)?,
            request_headers: headers
                .into_iter()
                .map(|row| match row {
                    StoredRow::Sent(name, value, user) => StoredHeader {
                        name,
                        value,
                        user,
                        sent: true,
                    },
                    StoredRow::Marked(name, value, user, sent) => StoredHeader {
                        name,
                        value,
                        user,
                        sent,
                    },
                })
                .collect(),
            response_headers: json_column(row, 17)?,
            request_body: row.get(18)?,
            response_body: Bytes::from(row.get::<_, Vec<u8>>(19)?),
        },
    })
}
