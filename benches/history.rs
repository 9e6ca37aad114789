//! The history file's speed: inserting 10,000 entries with small bodies into a temp file,
//! listing all 10,000 summaries (what opening `H` reads), filtering them in memory per
//! keystroke with `Summary::matches`, and recording a 10 MB answer (the time `record` takes
//! to return against the time until it is written).
//!
//! Run: `cargo bench --bench history`. Prints a table; asserts nothing.

use std::time::{Duration, Instant};

use bytes::Bytes;
use jiff::{SignedDuration, Timestamp};
use younium_tui::history::{Context, History, Limits, Record, Store};
use younium_tui::younium::request::{SentRequest, effective_headers};
use younium_tui::younium::{
    ApiRequest, ApiResponse, ApiVersion, CallSettings, Environment, Method, Param, Secret,
};

const ENTRIES: usize = 10_000;

fn exchange(i: usize, body: Bytes) -> (Context, ApiRequest, ApiResponse) {
    let methods = [
        Method::Get,
        Method::Get,
        Method::Get,
        Method::Post,
        Method::Patch,
    ];
    let paths = [
        "/Accounts",
        "/Invoices",
        "/Subscriptions",
        "/Products",
        "/Users",
    ];
    let method = methods[i % methods.len()];
    let path = format!("{}/{}", paths[i % paths.len()], i % 97);
    let mut request = ApiRequest::new(method, path.clone());
    request
        .query
        .push(Param::new("PageSize", (i % 100).to_string()));
    let entity = ["Nordlys Software AB", "Nordlys Consulting Oy"][i % 2];
    let settings = CallSettings {
        api_version: ApiVersion::V2_1,
        legal_entity: Some(entity.into()),
    };
    let token = Secret::new("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl");
    let response = ApiResponse {
        status: [200, 200, 403, 404, 400][i % 5],
        reason: "OK".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body,
        elapsed: Duration::from_millis(40 + (i % 50) as u64),
        sent: SentRequest {
            method,
            url: format!("http://127.0.0.1:1{path}"),
            headers: effective_headers(&request, &settings, Some(&token)),
            body: None,
            sent_at: Timestamp::from_second(1_790_000_000).unwrap()
                + SignedDuration::from_secs(i as i64),
        },
    };
    let context = Context {
        profile: Some(["demo", "prod"][i % 2].into()),
        environment: if i.is_multiple_of(7) {
            Environment::Production
        } else {
            Environment::Custom("http://127.0.0.1:1".into())
        },
        legal_entity: Some(entity.into()),
        api_version: ApiVersion::V2_1,
    };
    (context, request, response)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let dir =
        std::env::temp_dir().join(format!("younium-tui-history-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("history.sqlite3");
    let limits = Limits {
        max_entries: ENTRIES as u64 * 2,
        ..Limits::default()
    };

    let (mut store, _) = Store::open(&path, limits).unwrap();
    let small = Bytes::from_static(br#"{"pageNumber":1,"data":[{"id":"A-1","name":"Acme AB"}]}"#);
    let records: Vec<Record> = (0..ENTRIES)
        .map(|i| {
            let (c, q, r) = exchange(i, small.clone());
            Record::from_exchange(&c, &q, &r, &limits)
        })
        .collect();
    let started = Instant::now();
    for r in &records {
        store.insert(r).unwrap();
    }
    let insert = started.elapsed();

    let mut list_times = Vec::new();
    let mut all = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        all = store.list(None).unwrap();
        list_times.push(started.elapsed());
    }
    assert_eq!(all.len(), ENTRIES);
    list_times.sort();
    let first_screen = {
        let started = Instant::now();
        let page = store.list(Some(50)).unwrap();
        assert_eq!(page.len(), 50);
        started.elapsed()
    };

    // Typing "get invoices 200 software" one key at a time.
    let typed = "get invoices 200 software";
    let mut per_key = Vec::new();
    let mut last = 0;
    for end in 1..=typed.len() {
        let filter = &typed[..end];
        let started = Instant::now();
        last = all.iter().filter(|s| s.matches(filter)).count();
        per_key.push(started.elapsed());
    }
    per_key.sort();
    drop(store);

    // Recording a 10 MB answer: `record_exchange` (the record built on the thread), and
    // `record` of a record built beforehand; each against the time until it is written.
    let big: Bytes = {
        let row = r#"{"id":"INV-000001","accountNumber":"A-1","amount":1234.5,"currency":"SEK"},"#;
        let mut s = String::from(r#"{"data":["#);
        while s.len() < 10_000_000 {
            s.push_str(row);
        }
        s.push_str(r#"{}]}"#);
        Bytes::from(s)
    };
    let (history, _) = History::open(&path, limits).unwrap();
    let (c, q, r) = exchange(1, big.clone());
    let started = Instant::now();
    history.record_exchange(&c, &q, &r);
    let exchange_returned = started.elapsed();
    history.flush();
    let exchange_written = started.elapsed();

    let started = Instant::now();
    let record = Record::from_exchange(&c, &q, &r, &limits);
    let build = started.elapsed();
    let mut returned = Vec::new();
    let mut written = Vec::new();
    for _ in 0..5 {
        let record = record.clone();
        let started = Instant::now();
        history.record(record);
        returned.push(started.elapsed());
        history.flush();
        written.push(started.elapsed());
    }
    returned.sort();
    written.sort();
    let (record_returned, record_written) = (returned[2], written[2]);

    println!("history bench ({ENTRIES} entries, {})", path.display());
    println!(
        "  insert {ENTRIES} small entries        {} ({:.0} µs each)",
        ms(insert),
        insert.as_secs_f64() * 1e6 / ENTRIES as f64
    );
    println!(
        "  list(None) of {ENTRIES}               median {} (min {}, max {})",
        ms(list_times[2]),
        ms(list_times[0]),
        ms(list_times[4])
    );
    println!("  list(Some(50)) (a first screen)     {}", ms(first_screen));
    println!(
        "  filter {ENTRIES} per key ({} keys)     median {} max {} ({last} match {typed:?})",
        typed.len(),
        ms(per_key[per_key.len() / 2]),
        ms(per_key[per_key.len() - 1])
    );
    println!(
        "  record_exchange of 10 MB: returns   {}, written after {}",
        ms(exchange_returned),
        ms(exchange_written)
    );
    println!("  Record::from_exchange of 10 MB      {}", ms(build));
    println!(
        "  record of a 10 MB record (median of 5): returns {}, written after {}",
        ms(record_returned),
        ms(record_written)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
