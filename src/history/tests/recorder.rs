//! The recording thread and the store opened on first use.

use super::*;

#[test]
fn recording_returns_at_once_and_flush_waits_for_it() {
    let path = temp_path("recorder");
    let (history, notice) = History::open(&path, Limits::default()).unwrap();
    assert!(notice.is_none());
    history.record(record(Method::Get, "/Accounts", b"[1]"));
    let (request, response) = exchange(Method::Get, "/Invoices", TOKEN.as_bytes());
    history.record_exchange(&context(), &request, &response);
    history.flush();
    let entry = history
        .with_store(|store| {
            let list = store.list(None)?;
            assert_eq!(list.len(), 2);
            store.get(list[0].id.max(list[1].id))
        })
        .unwrap()
        .unwrap();
    assert_eq!(&entry.record.response_body[..], b"<redacted JWT>");
    // A clone still open: closing one keeps the other recording.
    let other = history.clone();
    history.close();
    other.record(record(Method::Get, "/Users", b"[]"));
    other.close();
    assert!(!PathBuf::from(format!("{}-wal", path.display())).exists());
    let (store, _) = Store::open(&path, Limits::default()).unwrap();
    assert_eq!(store.count().unwrap(), 3);
}

/// A deferred history touches no file until its first use; the first use opens it (setting a
/// broken file aside), and `opened` gives the notice once.
#[test]
fn a_deferred_history_opens_its_file_on_first_use() {
    let path = temp_path("deferred");
    let history = History::deferred(&path, Limits::default());
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert!(!path.exists(), "nothing opened before the first use");
    std::fs::write(&path, b"not a database").unwrap();
    history.record(record(Method::Get, "/Accounts", b"[1]"));
    history.flush();
    let notice = history.opened().unwrap().expect("the broken file is said");
    assert!(notice.contains("could not be used"), "{notice}");
    assert_eq!(history.opened().unwrap(), None, "said once");
    assert_eq!(history.with_store(|s| s.count()).unwrap(), 1);
    history.close();

    // A file that cannot be opened: every use says why, the same way.
    let dir = temp_path("deferred-blocked")
        .parent()
        .unwrap()
        .to_path_buf();
    std::fs::write(dir.join("not-a-dir"), b"x").unwrap();
    let blocked = dir.join("not-a-dir").join("h.sqlite3");
    let history = History::deferred(&blocked, Limits::default());
    let first = history.opened().unwrap_err().to_string();
    let again = history.with_store(|s| s.count()).unwrap_err().to_string();
    assert_eq!(first, again);
}
