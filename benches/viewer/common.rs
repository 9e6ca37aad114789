//! What the viewer benchmarks share: a synthetic body, the pane on a TestBackend, keys,
//! resident memory and the figures' formatting.

use std::time::Duration;

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Block;
use younium_tui::pretty::Document;
use younium_tui::tui::keymap::Keymap;
use younium_tui::tui::panes::response::{ResponsePane, Shown};
use younium_tui::tui::theme::Theme;
use younium_tui::younium::paging::PageInfo;
use younium_tui::younium::request::SentRequest;
use younium_tui::younium::{ApiRequest, ApiResponse, Method};

/// Account-like records (nested objects, arrays, numbers, strings) until `target` bytes.
pub fn body(target: usize) -> Bytes {
    let mut out = String::with_capacity(target + 2048);
    out.push_str(r#"{"pageNumber":1,"pageSize":100,"totalPages":1,"totalCount":0,"data":["#);
    let mut i = 0u64;
    while out.len() < target {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            concat!(
                r#"{{"id":"53abf01b-5942-4bed-b61f-{:012x}","accountNumber":"A-{:06}","accountType":"Customer","#,
                r#""inactive":false,"invoiceDeliveryMethod":"Email","currencyCode":"SEK","name":"Example Customer {}","#,
                r#""defaultInvoiceAddress":{{"id":"4c595cad-00ea-47ec-b697-{:012x}","street":"Street {}","city":"City","zip":"11111","country":"Sweden"}},"#,
                r#""customFields":{{}},"created":"2022-09-21T13:22:16.366372","modified":"2022-09-21T13:22:16.3881969","#,
                r#""cmrr":{{"amount":{}.5,"currencyCode":"SEK","baseCurrencyAmount":{}.25,"baseCurrencyCode":"SEK"}},"tags":["a","b",null,1.5e3]}}"#
            ),
            i, i, i, i, i, i * 3, i * 7
        ));
        i += 1;
    }
    out.push_str("]}");
    Bytes::from(out)
}

/// Resident memory of this process (VmRSS), in KiB.
pub fn rss_kib() -> u64 {
    status_kib("VmRSS:")
}

/// Resident memory once a large parsed body, freed on a thread of its own after a filter run
/// (`jq-free`, see `src/jq.rs`), is gone: waits for that thread to end (30 s at most).
pub fn rss_after_background_free() -> u64 {
    for _ in 0..3000 {
        if !jq_free_running() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    rss_kib()
}

fn jq_free_running() -> bool {
    std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
        .any(|task| {
            std::fs::read_to_string(task.path().join("comm")).is_ok_and(|c| c.trim() == "jq-free")
        })
}

/// The most resident memory since the last [`reset_peak`] (VmHWM), in KiB.
pub fn peak_kib() -> u64 {
    status_kib("VmHWM:")
}

/// Starts a new peak for [`peak_kib`] (Linux: `5` into /proc/self/clear_refs).
pub fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Hands freed heap memory back to the OS, as the app does after a large body or filter run,
/// so resident figures are what the app shows.
pub use younium_tui::memory::release_free_memory;

pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

pub fn shown(body: Bytes, doc: Document, page: Option<PageInfo>) -> Shown {
    shown_for("/Accounts", body, doc, page)
}

/// A 200 answer to `GET path` as the pane shows it.
pub fn shown_for(path: &str, body: Bytes, doc: Document, page: Option<PageInfo>) -> Shown {
    let request = ApiRequest::new(Method::Get, path);
    Shown {
        id: 1,
        response: ApiResponse {
            status: 200,
            reason: "OK".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body,
            elapsed: Duration::from_millis(10),
            sent: SentRequest {
                method: Method::Get,
                url: format!("http://x{path}"),
                headers: vec![],
                body: None,
                sent_at: jiff::Timestamp::now(),
            },
        },
        request,
        doc: Some(std::sync::Arc::new(doc)),
        page,
        explanation: None,
        empty_list: None,
        notes: vec![],
    }
}

pub fn draw(pane: &mut ResponsePane, terminal: &mut Terminal<TestBackend>) {
    let theme = Theme::default();
    terminal
        .draw(|f| {
            pane.render(
                f,
                f.area(),
                Block::bordered(),
                jiff::Timestamp::now(),
                &theme,
                &Keymap::default(),
            )
        })
        .unwrap();
}

pub fn key(c: char) -> crossterm::event::KeyEvent {
    key_code(crossterm::event::KeyCode::Char(c))
}

pub fn key_code(code: crossterm::event::KeyCode) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)
}

pub fn stats(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    (median, p95, *samples.last().unwrap())
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
