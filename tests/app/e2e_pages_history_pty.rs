//! End to end, the built binary in a pseudo-terminal: against a slow simulator (every answer
//! 250 ms late) it sends a paged list, presses `A`, sees the progress bar, then the merged
//! array and its history entry; and it starts on a corrupt history file, says so, and records
//! into a fresh one.

use std::time::Duration;

use crate::common;
use crate::common::pty::Tui;
use younium_tui::simulator::{Faults, Simulator, SimulatorConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paged_list_then_a_shows_the_bar_then_the_merged_array() {
    let mut faults = Faults::default();
    faults.apply("latency=250ms").unwrap();
    let sim = Simulator::start_local(SimulatorConfig {
        faults,
        records_per_entity: 200,
        ..SimulatorConfig::default()
    })
    .await
    .unwrap();
    let base = sim.base_url();
    let result = tokio::task::spawn_blocking(move || drive(&base)).await;
    sim.shutdown().await;
    result.unwrap();
}

fn drive(base_url: &str) {
    let history = std::env::temp_dir().join(format!(
        "younium-tui-e2e-all-pages-{}.sqlite3",
        std::process::id()
    ));
    let history_arg = history.to_str().unwrap().to_string();
    let mut screen = Tui::demo_client(base_url, &["--history", &history_arg]);
    let wait = Duration::from_secs(30);
    screen.wait_for(" VALID ", wait);

    screen.keys("3/get invoices\r");
    screen.keys("\r");
    screen.wait_for("GET    /Invoices  ", wait);
    screen.keys("s");
    let text = screen.wait_for("(> next)", wait);
    let pages: u64 = text
        .split(" page 1 of ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no page count: {text}"));
    assert!(pages > 2, "{text}");

    screen.keys("5A");
    let text = screen.wait_for("All pages ", wait);
    assert!(text.contains("stops, keeping what arrived"), "{text}");
    let merged = format!("merged into one array: all {pages} pages");
    screen.wait_for(&merged, wait);
    // The note shows as soon as the array arrives; the body once it is indexed.
    let text = screen.wait_for("  1 [", wait);
    assert!(text.contains(&merged), "{text}");
    assert!(!text.contains("All pages "), "the bar is gone: {text}");

    // One history entry for the whole list, beside the first page.
    screen.keys("H");
    let text = screen.wait_for("2 entries", wait);
    assert_eq!(text.matches(" /Invoices?Page").count(), 2, "{text}");
    screen.keys("\x1b");
    screen.quit();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", history.display()));
    }
}

/// A history file that is not a database: the UI starts, and its first record says in the
/// status line where the file went (the file is opened on first use), records into a fresh
/// one, and the old file is kept as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_history_file_is_set_aside_and_said_in_the_status_line() {
    Tui::on_simulator(corrupt).await;
}

fn corrupt(base_url: &str) {
    let dir = common::binary::temp_dir("e2e-corrupt-history");
    let file = dir.join("history.sqlite3");
    std::fs::write(&file, b"this is not a database, and never was").unwrap();
    let mut screen = Tui::demo_client(base_url, &["--history", file.to_str().unwrap()]);
    let wait = Duration::from_secs(30);
    screen.wait_for(" VALID ", wait);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"this is not a database, and never was",
        "not opened before its first use"
    );
    screen.keys("3/get accounts\r\r");
    screen.wait_for("GET    /Accounts", wait);
    screen.keys("s");
    screen.wait_for("200 OK", wait);
    let text = screen.wait_for("could not be used", wait);
    assert!(text.contains("history.sqlite3"), "{text}");
    screen.keys("H");
    screen.wait_for(" 1 entry ", wait);
    screen.keys("\x1b");
    screen.quit();
    let aside: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".broken-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        std::fs::read(aside[0].path()).unwrap(),
        b"this is not a database, and never was"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
