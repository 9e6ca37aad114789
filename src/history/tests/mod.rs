//! The record (redaction, cutting, back to a request and a response), the summary's filter,
//! and the store (round trip, queries, retention, migrations, a broken file).

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use jiff::Timestamp;

use super::*;
use crate::younium::request::{SentRequest, effective_headers};
use crate::younium::{
    ApiRequest, ApiResponse, ApiVersion, CallSettings, Environment, Method, Param, Secret,
};

const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJlLXZhbHVl";

fn context() -> Context {
    Context {
        profile: Some("demo".into()),
        environment: Environment::Production,
        legal_entity: Some("Acme AB".into()),
        api_version: ApiVersion::V2_1,
    }
}

fn exchange(method: Method, path: &str, body: &[u8]) -> (ApiRequest, ApiResponse) {
    let mut request = ApiRequest::new(method, path);
    request.query.push(Param::new("PageSize", "5"));
    request.query.push(Param {
        name: "off".into(),
        value: "x".into(),
        enabled: false,
    });
    request.headers.push(Param::new("X-Trace", "t-1"));
    request
        .headers
        .push(Param::new("X-Api-Token", "typed-secret-123"));
    let settings = CallSettings {
        api_version: ApiVersion::V2_1,
        legal_entity: Some("Acme AB".into()),
    };
    let token = Secret::new(TOKEN);
    let response = ApiResponse {
        status: 200,
        reason: "OK".into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-echo".into(), format!("was {TOKEN}")),
            ("set-cookie".into(), "session=abc".into()),
        ],
        body: Bytes::copy_from_slice(body),
        elapsed: Duration::from_millis(85),
        sent: SentRequest {
            method,
            url: format!("https://api.younium.com{path}?PageSize=5"),
            headers: effective_headers(&request, &settings, Some(&token)),
            body: request.body.clone(),
            sent_at: Timestamp::from_second(1_790_000_000).unwrap(),
        },
    };
    (request, response)
}

fn record(method: Method, path: &str, body: &[u8]) -> Record {
    let (request, response) = exchange(method, path, body);
    Record::from_exchange(&context(), &request, &response, &Limits::default())
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "younium-tui-history-unit-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("history.sqlite3")
}

#[test]
fn the_record_redacts_every_secret() {
    let body = format!(r#"{{"data":[{{"token":"{TOKEN}","name":"Acme"}}]}}"#);
    let (mut request, response) = exchange(Method::Post, "/Accounts", body.as_bytes());
    request.body = Some(format!(
        r#"{{"name":"n","clientSecret":"s3cret","nested":{{"Access_Token":"a"}},"note":"{TOKEN}"}}"#
    ));
    let r = Record::from_exchange(&context(), &request, &response, &Limits::default());
    let auth = r
        .request_headers
        .iter()
        .find(|h| h.name == "Authorization")
        .unwrap();
    assert_eq!(
        (auth.value.as_str(), auth.user),
        ("Bearer <redacted>", false)
    );
    let typed = r
        .request_headers
        .iter()
        .find(|h| h.name == "X-Api-Token")
        .unwrap();
    assert_eq!((typed.value.as_str(), typed.user), ("<redacted>", true));
    let stored_body = r.request_body.as_deref().unwrap();
    let v: serde_json::Value = serde_json::from_str(stored_body).unwrap();
    assert_eq!(v["clientSecret"], "<redacted>");
    assert_eq!(v["nested"]["Access_Token"], "<redacted>");
    assert_eq!(v["note"], "<redacted JWT>");
    assert_eq!(v["name"], "n");
    let answer: serde_json::Value = serde_json::from_slice(&r.response_body).unwrap();
    assert_eq!(answer["data"][0]["token"], "<redacted JWT>");
    assert_eq!(answer["data"][0]["name"], "Acme");
    assert_eq!(r.response_headers[1].1, "was <redacted JWT>");
    assert_eq!(r.response_headers[2].1, "<redacted>");
    let everything = format!("{r:?}");
    for secret in [TOKEN, "s3cret", "typed-secret-123", "session=abc"] {
        assert!(!everything.contains(secret), "{secret} in {everything}");
    }
    assert_eq!(r.size, body.len() as u64);
    assert!(!r.body_cut);
    assert_eq!(r.query, [("PageSize".to_string(), "5".to_string())]);
    assert!(r.production);
    assert_eq!(r.environment, "production");
    assert_eq!(r.base_url, "https://api.younium.com");
    assert_eq!(r.api_version, "2.1");
    assert_eq!(r.elapsed_ms, 85);
}

#[test]
fn a_long_body_is_cut_with_a_marker() {
    // 'é' is two bytes: a limit of 4 falls inside the third one.
    let body = "ééééé".as_bytes();
    let (request, response) = exchange(Method::Get, "/Accounts", body);
    let limits = Limits {
        max_body: 5,
        ..Limits::default()
    };
    let r = Record::from_exchange(&context(), &request, &response, &limits);
    assert!(r.body_cut);
    assert_eq!(r.size, 10);
    let text = std::str::from_utf8(&r.response_body).unwrap();
    assert!(
        text.starts_with("éé\n[younium-tui history: body cut, 4 of 10 bytes kept]"),
        "{text}"
    );
    let exact = Limits {
        max_body: 10,
        ..Limits::default()
    };
    let r = Record::from_exchange(&context(), &request, &response, &exact);
    assert!(!r.body_cut);
    assert_eq!(&r.response_body[..], body);
}

#[test]
fn an_entry_gives_back_the_request_and_the_response() {
    let r = record(Method::Post, "/Accounts", br#"{"id":"A-1"}"#);
    let entry = Entry {
        id: 7,
        record: r.clone(),
    };
    let request = entry.request();
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.path, "/Accounts");
    assert_eq!(request.query, [Param::new("PageSize", "5")]);
    // The user's headers, but neither the redacted one nor any the app added.
    assert_eq!(request.headers, [Param::new("X-Trace", "t-1")]);
    assert!(request.idempotency_key.is_some());
    let response = entry.response();
    assert_eq!(response.status_line(), "200 OK");
    assert_eq!(&response.body[..], br#"{"id":"A-1"}"#);
    assert_eq!(
        response.sent.url,
        "https://api.younium.com/Accounts?PageSize=5"
    );
    assert_eq!(
        response.sent.header("authorization").unwrap().wire(),
        "Bearer <redacted>"
    );
    assert_eq!(response.elapsed, Duration::from_millis(85));
}

#[test]
fn the_filter_matches_every_word_somewhere() {
    let s = Summary {
        id: 1,
        time: Timestamp::UNIX_EPOCH,
        profile: Some("demo".into()),
        environment: "production".into(),
        base_url: "https://api.younium.com".into(),
        production: true,
        legal_entity: Some("Nordlys AB".into()),
        api_version: "2.1".into(),
        method: Method::Get,
        path: "/Invoices".into(),
        query: "PageSize=5".into(),
        status: 403,
        elapsed_ms: 12,
        size: 100,
    };
    for yes in [
        "",
        "  ",
        "get",
        "invoices",
        "403",
        "nordlys",
        "NORDLYS ab",
        "demo",
        "pagesize=5",
        "get 403 /inv",
        "prod",
    ] {
        assert!(s.matches(yes), "{yes:?}");
    }
    for no in ["post", "200", "accounts", "get 200", "acme"] {
        assert!(!s.matches(no), "{no:?}");
    }
}

#[test]
fn the_store_keeps_and_gives_back_records() {
    let path = temp_path("roundtrip");
    let (mut store, notice) = Store::open(&path, Limits::default()).unwrap();
    assert!(notice.is_none());
    let mut first = record(Method::Get, "/Accounts", b"[1]");
    let id1 = store.insert(&first).unwrap();
    let mut second = record(Method::Get, "/Accounts", b"[2]");
    second.time = first
        .time
        .checked_add(jiff::SignedDuration::from_secs(60))
        .unwrap();
    let id2 = store.insert(&second).unwrap();
    let mut other = record(Method::Get, "/Invoices", b"[3]");
    other.time = second
        .time
        .checked_add(jiff::SignedDuration::from_secs(60))
        .unwrap();
    let id3 = store.insert(&other).unwrap();

    let got = store.get(id1).unwrap().unwrap();
    first.time = got.record.time;
    assert_eq!(got.record, first);
    assert!(store.get(999).unwrap().is_none());

    let list = store.list(None).unwrap();
    assert_eq!(
        list.iter().map(|s| s.id).collect::<Vec<_>>(),
        [id3, id2, id1]
    );
    assert_eq!(list[0].path, "/Invoices");
    assert_eq!(list[0].query, "PageSize=5");
    assert_eq!(list[0].legal_entity.as_deref(), Some("Acme AB"));
    assert_eq!(store.list(Some(1)).unwrap().len(), 1);

    let accounts = SameCall::of_record(&first);
    assert_eq!(accounts.to_string(), "GET /Accounts?PageSize=5");
    let prev = store
        .previous(&accounts, other.time, Some(id2))
        .unwrap()
        .unwrap();
    assert_eq!(prev.id, id1);
    let prev = store
        .previous(&accounts, other.time, None)
        .unwrap()
        .unwrap();
    assert_eq!(prev.id, id2);
    assert!(
        store
            .previous(
                &SameCall {
                    method: Method::Post,
                    ..accounts.clone()
                },
                other.time,
                None
            )
            .unwrap()
            .is_none()
    );

    assert!(store.delete(id2).unwrap());
    assert!(!store.delete(id2).unwrap());
    assert_eq!(store.clear(Some(other.time)).unwrap(), 1);
    assert_eq!(store.count().unwrap(), 1);
    assert_eq!(store.clear(None).unwrap(), 1);
    assert_eq!(store.count().unwrap(), 0);
}

#[cfg(unix)]
#[test]
fn the_file_and_its_directory_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let path = temp_path("private")
        .parent()
        .unwrap()
        .join("sub/dir/h.sqlite3");
    Store::open(&path, Limits::default()).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
}

#[test]
fn retention_by_count_drops_the_oldest() {
    let path = temp_path("count");
    let limits = Limits {
        max_entries: 3,
        ..Limits::default()
    };
    let (mut store, _) = Store::open(&path, limits).unwrap();
    let base = record(Method::Get, "/Accounts", b"[]");
    let ids = insert_seconds_apart(&mut store, &base, 5);
    let kept: Vec<i64> = store.list(None).unwrap().iter().map(|s| s.id).collect();
    assert_eq!(kept, [ids[4], ids[3], ids[2]]);
}

#[test]
fn retention_by_bytes_drops_the_oldest_but_never_the_newest() {
    let path = temp_path("bytes");
    let one = record(Method::Get, "/Accounts", &[b'x'; 1000]).stored_bytes();
    let limits = Limits {
        max_bytes: one * 2 + one / 2,
        ..Limits::default()
    };
    let (mut store, _) = Store::open(&path, limits).unwrap();
    let base = record(Method::Get, "/Accounts", &[b'x'; 1000]);
    let ids = insert_seconds_apart(&mut store, &base, 4);
    let kept: Vec<i64> = store.list(None).unwrap().iter().map(|s| s.id).collect();
    assert_eq!(kept, [ids[3], ids[2]]);
    assert!(store.stored_bytes().unwrap() <= limits.max_bytes);
    // One entry larger than the whole limit stays, alone.
    let big = record(Method::Get, "/Big", &[b'y'; 10_000]);
    let id = store.insert(&big).unwrap();
    let kept: Vec<i64> = store.list(None).unwrap().iter().map(|s| s.id).collect();
    assert_eq!(kept, [id]);
    // The totals the triggers keep agree with the rows.
    store.delete(id).unwrap();
    store.insert(&base).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (n, bytes): (i64, i64) = conn
        .query_row(
            "SELECT count(*), coalesce(sum(stored_bytes), 0) FROM entries",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (n as u64, bytes as u64),
        (store.count().unwrap(), store.stored_bytes().unwrap())
    );
    assert_eq!(n, 1);
}

#[test]
fn migrations_run_from_an_empty_file_and_from_version_1() {
    let path = temp_path("migrate");
    // An empty file (0 bytes) is a valid empty database.
    std::fs::write(&path, b"").unwrap();
    let (store, notice) = Store::open(&path, Limits::default()).unwrap();
    assert!(notice.is_none());
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    assert_eq!(schema::version(&conn).unwrap(), schema::VERSION);
    drop(conn);

    // A file at version 1 with a row written by the version-1 schema alone.
    let path = temp_path("migrate-v1");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    schema::migrate_to(&mut conn, 1).unwrap();
    assert_eq!(schema::version(&conn).unwrap(), 1);
    conn.execute(
        "INSERT INTO entries (time_ns, profile, environment, base_url, production, legal_entity,
            api_version, method, path, query, status, elapsed_ms, size, reason, body_cut,
            request_headers, response_headers, request_body, response_body)
         VALUES (1790000000000000000, 'demo', 'sandbox', 'https://api.sandbox.younium.com', 0,
            'Acme AB', '2.1', 'GET', '/Accounts', '[[\"PageSize\",\"5\"]]', 200, 40, 11, 'OK', 0,
            '[[\"Authorization\",\"Bearer <redacted>\",false]]', '[[\"content-type\",\"application/json\"]]',
            NULL, X'7B226964223A317D')",
        [],
    )
    .unwrap();
    drop(conn);
    let (mut store, notice) = Store::open(&path, Limits::default()).unwrap();
    assert!(notice.is_none());
    let list = store.list(None).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].path, "/Accounts");
    assert_eq!(list[0].query, "PageSize=5");
    let entry = store.get(list[0].id).unwrap().unwrap();
    assert_eq!(&entry.record.response_body[..], br#"{"id":1}"#);
    assert_eq!(entry.record.request_headers[0].value, "Bearer <redacted>");
    // v2's stored bytes were filled in for the old row.
    assert!(store.stored_bytes().unwrap() > 0);
    // And the file takes new rows.
    store
        .insert(&record(Method::Get, "/Accounts", b"[]"))
        .unwrap();
    assert_eq!(store.count().unwrap(), 2);
}

#[test]
fn a_file_from_a_newer_version_is_left_alone() {
    let path = temp_path("newer");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let error = Store::open(&path, Limits::default())
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("newer younium-tui"), "{error}");
    assert!(path.exists());
}

#[test]
fn a_corrupt_file_is_set_aside_and_a_fresh_one_started() {
    let path = temp_path("corrupt");
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7 + 3) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    std::fs::write(&wal, b"old wal").unwrap();
    let (mut store, notice) = Store::open(&path, Limits::default()).unwrap();
    let notice = notice.expect("a notice");
    let aside: Vec<PathBuf> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("history.sqlite3.broken-") && !name.ends_with("-wal")
        })
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(&aside[0]).unwrap(), garbage);
    assert_eq!(
        std::fs::read(format!("{}-wal", aside[0].display())).unwrap(),
        b"old wal"
    );
    assert!(notice.contains(&path.display().to_string()), "{notice}");
    assert!(notice.contains(&aside[0].display().to_string()), "{notice}");
    store
        .insert(&record(Method::Get, "/Accounts", b"[]"))
        .unwrap();
    assert_eq!(store.count().unwrap(), 1);
}

/// Another page of a list is another call: `=` never compares page 1 with page 2.
#[test]
fn the_previous_answer_is_to_the_same_query_too() {
    let path = temp_path("same-call");
    let (mut store, _) = Store::open(&path, Limits::default()).unwrap();
    let (mut request, response) = exchange(Method::Get, "/Invoices", b"[1]");
    let page = |n: &str, request: &mut ApiRequest| {
        request.query = vec![Param::new("PageSize", "5"), Param::new("PageNumber", n)];
        Record::from_exchange(&context(), request, &response, &Limits::default())
    };
    let mut one = page("1", &mut request);
    let mut two = page("2", &mut request);
    one.time = Timestamp::from_second(1_790_000_000).unwrap();
    two.time = Timestamp::from_second(1_790_000_060).unwrap();
    let id1 = store.insert(&one).unwrap();
    let id2 = store.insert(&two).unwrap();
    let later = Timestamp::from_second(1_790_000_120).unwrap();
    let first_page = SameCall::of_record(&one);
    let found = store.previous(&first_page, later, None).unwrap().unwrap();
    assert_eq!(
        found.id, id1,
        "page 1's previous answer is page 1's, not page 2's"
    );
    let (_, before_two) = store.previous_of(id2).unwrap().unwrap();
    assert!(before_two.is_none(), "nothing earlier was sent for page 2");
    assert!(store.previous_of(999).unwrap().is_none());
}

/// A header the user switched off did not go out, and loading the entry switches it off
/// again: the request's own headers come back, what the connection added does not.
#[test]
fn switched_off_headers_are_kept_as_not_sent_and_come_back_off() {
    let path = temp_path("switched-off");
    let (mut store, _) = Store::open(&path, Limits::default()).unwrap();
    let (mut request, mut response) = exchange(Method::Get, "/Invoices", b"[]");
    request.headers.push(Param {
        name: "legal-entity".into(),
        value: String::new(),
        enabled: false,
    });
    request.headers.push(Param {
        name: "X-Off".into(),
        value: "kept".into(),
        enabled: false,
    });
    let settings = CallSettings {
        api_version: ApiVersion::V2_1,
        legal_entity: Some("Acme AB".into()),
    };
    response.sent.headers = effective_headers(&request, &settings, Some(&Secret::new(TOKEN)));
    let record = Record::from_exchange(&context(), &request, &response, &Limits::default());
    let id = store.insert(&record).unwrap();
    let entry = store.get(id).unwrap().unwrap();
    let off: Vec<(&str, &str)> = entry
        .record
        .request_headers
        .iter()
        .filter(|h| !h.sent)
        .map(|h| (h.name.as_str(), h.value.as_str()))
        .collect();
    assert_eq!(off, [("legal-entity", ""), ("X-Off", "kept")]);
    let back = entry.request();
    let rows: Vec<(&str, &str, bool)> = back
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.value.as_str(), h.enabled))
        .collect();
    assert_eq!(
        rows,
        [
            ("legal-entity", "", false),
            ("X-Trace", "t-1", true),
            ("X-Off", "kept", false)
        ]
    );
    assert_eq!(back.legal_entity_sent(&settings), None);
    // The answer's "as sent" shows them as not sent.
    assert!(
        entry
            .response()
            .sent
            .headers
            .iter()
            .any(|h| h.name == "X-Off" && !h.is_sent())
    );
}

/// Entries recorded before switched-off rows were kept read as all sent.
#[test]
fn an_older_entry_with_three_part_header_rows_still_reads() {
    let path = temp_path("old-rows");
    let (mut store, _) = Store::open(&path, Limits::default()).unwrap();
    let id = store
        .insert(&record(Method::Get, "/Accounts", b"[]"))
        .unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE entries SET request_headers = ?1 WHERE id = ?2",
        rusqlite::params![
            r#"[["X-Trace","t-1",true],["Accept","application/json",false]]"#,
            id
        ],
    )
    .unwrap();
    drop(conn);
    let (store, _) = Store::open(&path, Limits::default()).unwrap();
    let entry = store.get(id).unwrap().unwrap();
    assert!(entry.record.request_headers.iter().all(|h| h.sent));
    assert_eq!(entry.request().headers, [Param::new("X-Trace", "t-1")]);
}

mod opening;
mod recorder;

/// Inserts `count` copies of `base`, each a second after the one before; their ids.
fn insert_seconds_apart(store: &mut Store, base: &Record, count: i64) -> Vec<i64> {
    (0..count)
        .map(|i| {
            let mut r = base.clone();
            r.time = base
                .time
                .checked_add(jiff::SignedDuration::from_secs(i))
                .unwrap();
            store.insert(&r).unwrap()
        })
        .collect()
}
