//! The request history from the command line, as the built binary against the simulator:
//! `call` records (with --history before or after the subcommand, not with --no-history),
//! `history --json` lists, `history show` prints, `history clear` empties; two `call`
//! processes writing the same file at once both land; a corrupt file is set aside.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use younium_tui::simulator::demo;

use crate::common::{self, simulator, text};

/// A fresh directory for one test's history file.
fn temp_file(name: &str) -> PathBuf {
    common::binary::temp_dir(&format!("history-{name}")).join("history.sqlite3")
}

/// The binary signed in to the simulator at `base`, with no history file unless `args` say
/// so.
fn command(base: &str, args: &[&str]) -> Command {
    let mut cmd = common::demo_binary(base);
    cmd.env_remove("YOUNIUM_TUI_HISTORY").args(args);
    cmd
}

async fn run(base: &str, args: &[&str]) -> Output {
    common::output(command(base, args)).await
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

async fn listed(base: &str, file: &Path) -> Vec<Value> {
    let out = run(
        base,
        &["history", "--json", "--history", file.to_str().unwrap()],
    )
    .await;
    serde_json::from_str::<Value>(&ok(&out))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_records_and_history_lists_shows_and_clears() {
    let sim = simulator().await;
    let base = sim.base_url();
    let file = temp_file("cli");
    let f = file.to_str().unwrap();
    let entity = demo::LEGAL_ENTITIES[0].name;
    // --history before the subcommand…
    ok(&run(
        &base,
        &[
            "--history",
            f,
            "call",
            "GET",
            "/Accounts",
            "-q",
            "PageSize=2",
            "--legal-entity",
            entity,
        ],
    )
    .await);
    // …and after it.
    ok(&run(
        &base,
        &[
            "call",
            "GET",
            "/Invoices",
            "--legal-entity",
            entity,
            "--history",
            f,
        ],
    )
    .await);
    // --no-history records nothing.
    ok(&run(
        &base,
        &[
            "call",
            "GET",
            "/Products",
            "--legal-entity",
            entity,
            "--no-history",
        ],
    )
    .await);
    // Neither does a call with YOUNIUM_TUI_HISTORY set and --no-history.
    let mut cmd = command(
        &base,
        &[
            "call",
            "GET",
            "/Products",
            "--legal-entity",
            entity,
            "--no-history",
        ],
    );
    cmd.env("YOUNIUM_TUI_HISTORY", f);
    let out = common::output(cmd).await;
    ok(&out);
    // YOUNIUM_TUI_HISTORY names the file when --history does not.
    let mut cmd = command(
        &base,
        &["call", "GET", "/Invoices", "--legal-entity", entity],
    );
    cmd.env("YOUNIUM_TUI_HISTORY", f);
    let out = common::output(cmd).await;
    ok(&out);

    // Each process closed the file: no -wal is left beside it.
    assert!(!Path::new(&format!("{f}-wal")).exists());
    let entries = listed(&base, &file).await;
    assert_eq!(entries.len(), 3, "{entries:?}");
    // Newest first.
    assert_eq!(entries[0]["path"], "/Invoices");
    assert_eq!(entries[1]["path"], "/Invoices");
    let accounts = &entries[2];
    assert_eq!(accounts["path"], "/Accounts");
    assert_eq!(accounts["query"], "PageSize=2");
    assert_eq!(accounts["method"], "GET");
    assert_eq!(accounts["status"], 200);
    assert_eq!(accounts["legal_entity"], entity);
    assert_eq!(accounts["environment"], "custom");
    assert_eq!(accounts["api_version"], "2.1");
    assert_eq!(accounts["production"], false);
    assert!(accounts.get("body").is_none());

    // The table, filtered.
    let out = ok(&run(&base, &["history", "accounts", "--history", f]).await);
    assert!(out.contains("/Accounts?PageSize=2"), "{out}");
    assert!(!out.contains("/Invoices"), "{out}");
    assert!(out.starts_with("ID "), "{out}");
    let limited = listed_limit(&base, f, 1).await;
    assert_eq!(limited.len(), 1);

    // One entry whole, redacted.
    let id = accounts["id"].as_i64().unwrap().to_string();
    let shown = ok(&run(&base, &["history", "show", &id, "--history", f]).await);
    assert!(shown.contains("GET http"), "{shown}");
    assert!(shown.contains("/Accounts?PageSize=2"), "{shown}");
    assert!(
        shown.contains("Authorization: Bearer <redacted>"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("legal-entity: {entity}")),
        "{shown}"
    );
    assert!(shown.contains("\n200 OK"), "{shown}");
    assert!(shown.contains("\"data\""), "{shown}");
    let as_json = ok(&run(&base, &["history", "show", &id, "--json", "--history", f]).await);
    let v: Value = serde_json::from_str(&as_json).unwrap();
    assert_eq!(v["response"]["status"], 200);
    let body: Value = serde_json::from_str(v["response"]["body"].as_str().unwrap()).unwrap();
    assert!(body["data"].is_array());
    let missing = run(&base, &["history", "show", "99999", "--history", f]).await;
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("no history entry 99999"));

    // Clear: nothing older than 2000; then everything.
    let out = ok(&run(
        &base,
        &["history", "clear", "--before", "2000-01-01", "--history", f],
    )
    .await);
    assert!(out.starts_with("deleted 0 entries"), "{out}");
    let out = ok(&run(&base, &["history", "clear", "--history", f]).await);
    assert!(out.starts_with("deleted 3 entries"), "{out}");
    assert!(listed(&base, &file).await.is_empty());
}

async fn listed_limit(base: &str, file: &str, n: usize) -> Vec<Value> {
    let n = n.to_string();
    let out = run(
        base,
        &["history", "--json", "--limit", &n, "--history", file],
    )
    .await;
    serde_json::from_str::<Value>(&ok(&out))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_record_into_one_file_at_once() {
    let sim = simulator().await;
    let base = sim.base_url();
    let file = temp_file("two");
    let f = file.to_str().unwrap();
    let entity = demo::LEGAL_ENTITIES[0].name;
    let mut children = Vec::new();
    for path in ["/Accounts", "/Invoices"] {
        let child = command(
            &base,
            &[
                "call",
                "GET",
                path,
                "--legal-entity",
                entity,
                "--history",
                f,
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        children.push(child);
    }
    for child in children {
        let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
            .await
            .unwrap();
        ok(&out);
        assert!(
            !text(&out.stderr).contains("warning"),
            "{}",
            text(&out.stderr)
        );
    }
    let entries = listed(&base, &file).await;
    let mut paths: Vec<&str> = entries
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, ["/Accounts", "/Invoices"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_file_is_set_aside_and_the_call_goes_on() {
    let sim = simulator().await;
    let base = sim.base_url();
    let file = temp_file("corrupt");
    let f = file.to_str().unwrap();
    let garbage = b"this is not a database, just some bytes in the way".repeat(50);
    std::fs::write(&file, &garbage).unwrap();
    let out = run(
        &base,
        &[
            "call",
            "GET",
            "/Accounts",
            "--legal-entity",
            demo::LEGAL_ENTITIES[0].name,
            "--history",
            f,
        ],
    )
    .await;
    ok(&out);
    let stderr = text(&out.stderr);
    let aside: Vec<PathBuf> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".broken-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(&aside[0]).unwrap(), garbage);
    assert!(stderr.contains(f), "{stderr}");
    assert!(stderr.contains(aside[0].to_str().unwrap()), "{stderr}");
    assert_eq!(listed(&base, &file).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_that_cannot_be_opened_is_one_warning_and_the_call_goes_on() {
    let sim = simulator().await;
    let base = sim.base_url();
    // A directory where the file should be: it can be neither opened nor created.
    let file = temp_file("unusable");
    std::fs::create_dir_all(file.join("x")).unwrap();
    let out = run(
        &base,
        &[
            "call",
            "GET",
            "/Accounts",
            "--legal-entity",
            demo::LEGAL_ENTITIES[0].name,
            "--history",
            file.to_str().unwrap(),
        ],
    )
    .await;
    let body = ok(&out);
    assert!(body.contains("\"data\""), "{body}");
    let warnings: Vec<String> = text(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .map(str::to_string)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_config_files_history_section_limits_what_call_keeps() {
    let sim = simulator().await;
    let base = sim.base_url();
    let file = temp_file("limits");
    let f = file.to_str().unwrap();
    let config = file.with_file_name("config.toml");
    std::fs::write(
        &config,
        "# kept small\n[history]\nmax_entries = 1\nmax_body = \"1KB\"\n",
    )
    .unwrap();
    let c = config.to_str().unwrap();
    let entity = demo::LEGAL_ENTITIES[0].name;
    for path in ["/Accounts", "/Invoices"] {
        ok(&run(
            &base,
            &[
                "call",
                "GET",
                path,
                "--legal-entity",
                entity,
                "--config",
                c,
                "--history",
                f,
            ],
        )
        .await);
    }
    let entries = listed(&base, &file).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["path"], "/Invoices");
    let id = entries[0]["id"].as_i64().unwrap().to_string();
    let shown = ok(&run(&base, &["history", "show", &id, "--json", "--history", f]).await);
    let v: Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(v["response"]["body_cut"], true, "{v}");
    let body = v["response"]["body"].as_str().unwrap();
    assert!(
        body.contains("[younium-tui history: body cut, 1024 of "),
        "{body}"
    );
    assert!(v["response"]["size"].as_u64().unwrap() > 1024);
}
