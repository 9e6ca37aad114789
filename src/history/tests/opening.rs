//! Opening a file another process is using.

use super::*;

/// A file another process holds while this one opens it is waited for: never set aside.
#[test]
fn a_file_another_process_holds_is_waited_for_and_never_set_aside() {
    let path = temp_path("busy");
    drop(Store::open(&path, Limits::default()).unwrap());
    let holder = rusqlite::Connection::open(&path).unwrap();
    // Exclusive locking mode keeps the lock after the write, until the connection closes.
    holder
        .pragma_update(None, "locking_mode", "EXCLUSIVE")
        .unwrap();
    holder
        .execute_batch("BEGIN EXCLUSIVE; CREATE TABLE held (x); COMMIT;")
        .unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(holder);
    });
    let (store, notice) = Store::open(&path, Limits::default()).unwrap();
    release.join().unwrap();
    assert_eq!(notice, None);
    assert_eq!(store.count().unwrap(), 0);
    let aside = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".broken-"))
        .count();
    assert_eq!(aside, 0, "nothing set aside");
}
