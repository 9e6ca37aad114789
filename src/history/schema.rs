//! The file's schema, versioned with `PRAGMA user_version`: migration `n` (counting from 1)
//! takes a file at version `n - 1` to version `n`, in one transaction.
//!
//! - v1: the `entries` table (the summary's columns first, the bodies last, so a list reads
//!   no body pages).
//! - v2: `stored_bytes` per entry (the retention limit by size), the indexes the list
//!   (newest first, by time then id) and `previous` (same method and path, before a time)
//!   need, and a one-row `totals` table (entries and bytes) kept by triggers, so the
//!   retention check after each insert reads one row instead of every entry (the column sits
//!   after the bodies: summing it would read them all).

use rusqlite::Connection;

/// The migrations, in order.
pub const MIGRATIONS: [&str; 2] = [
    // v1
    "CREATE TABLE entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time_ns INTEGER NOT NULL,
        profile TEXT,
        environment TEXT NOT NULL,
        base_url TEXT NOT NULL,
        production INTEGER NOT NULL,
        legal_entity TEXT,
        api_version TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        query TEXT NOT NULL,
        status INTEGER NOT NULL,
        reason TEXT NOT NULL,
        elapsed_ms INTEGER NOT NULL,
        size INTEGER NOT NULL,
        body_cut INTEGER NOT NULL,
        request_headers TEXT NOT NULL,
        response_headers TEXT NOT NULL,
        request_body TEXT,
        response_body BLOB NOT NULL
    );",
    // v2
    "ALTER TABLE entries ADD COLUMN stored_bytes INTEGER NOT NULL DEFAULT 0;
     UPDATE entries SET stored_bytes = length(response_body) + coalesce(length(request_body), 0)
         + length(request_headers) + length(response_headers) + length(path);
     CREATE INDEX entries_time ON entries (time_ns);
     CREATE INDEX entries_method_path_time ON entries (method, path, time_ns);
     CREATE TABLE totals (entries INTEGER NOT NULL, bytes INTEGER NOT NULL);
     INSERT INTO totals SELECT count(*), coalesce(sum(stored_bytes), 0) FROM entries;
     CREATE TRIGGER entries_added AFTER INSERT ON entries BEGIN
         UPDATE totals SET entries = entries + 1, bytes = bytes + new.stored_bytes;
     END;
     CREATE TRIGGER entries_removed AFTER DELETE ON entries BEGIN
         UPDATE totals SET entries = entries - 1, bytes = bytes - old.stored_bytes;
     END;",
];

/// The version this code writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Why the schema could not be brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("it was written by a newer younium-tui (schema version {0}, this one knows {VERSION})")]
    Newer(i64),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// The file's schema version.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Brings the schema up to `target` (at most [`VERSION`]), one transaction per step.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<(), SchemaError> {
    loop {
        // IMMEDIATE: two processes opening a new file at once take turns.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current = version(&tx)?;
        if current > VERSION {
            return Err(SchemaError::Newer(current));
        }
        if current >= target {
            return Ok(());
        }
        tx.execute_batch(MIGRATIONS[current as usize])?;
        tx.pragma_update(None, "user_version", current + 1)?;
        tx.commit()?;
    }
}

/// Brings the schema up to date.
pub fn migrate(conn: &mut Connection) -> Result<(), SchemaError> {
    migrate_to(conn, VERSION)
}
