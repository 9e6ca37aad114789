//! `call --all-pages` and `call --format`, run as the built binary against the simulator.

mod common;

use std::process::Output;

use common::text;
use younium_tui::simulator::{ScriptedAction, ScriptedFault, Simulator, SimulatorConfig, demo};

async fn simulator() -> Simulator {
    Simulator::start_local(SimulatorConfig {
        extra_invoices: 300,
        ..SimulatorConfig::default()
    })
    .await
    .unwrap()
}

async fn run(sim: &Simulator, args: &[&str]) -> Output {
    let mut cmd = common::demo_binary(&sim.base_url());
    cmd.args(["--legal-entity", demo::LEGAL_ENTITIES[0].name])
        .args(args);
    common::output(cmd).await
}

/// Every invoice id in the server's order.
async fn truth(sim: &Simulator) -> Vec<String> {
    let out = run(
        sim,
        &[
            "call",
            "GET",
            "/Invoices",
            "-q",
            "simulatorUnpaged=true",
            "--format",
            "ndjson",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_pages_as_csv_end_to_end() {
    let sim = simulator().await;
    let truth = truth(&sim).await;
    assert!(truth.len() > 300);
    let out = run(
        &sim,
        &[
            "call",
            "GET",
            "/Invoices",
            "-q",
            "PageSize=40",
            "--all-pages",
            "--concurrency",
            "3",
            "--format",
            "csv",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let pages = truth.len().div_ceil(40);
    assert!(
        stderr.contains(&format!("all {pages} pages · ")),
        "{stderr}"
    );
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let id = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "id")
        .unwrap();
    assert!(
        reader.headers().unwrap().iter().any(|h| h.contains('.')),
        "nested columns"
    );
    let ids: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[id].to_string())
        .collect();
    assert_eq!(ids, truth);
    assert!(!text(&out.stdout).contains(demo::SECRET) && !stderr.contains(demo::SECRET));
    let requests = sim
        .log()
        .iter()
        .filter(|r| r.query.contains("PageSize=40"))
        .count();
    assert_eq!(requests, pages);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_pages_json_by_default_and_a_failed_run_prints_nothing() {
    let sim = simulator().await;
    let truth = truth(&sim).await;
    let out = run(&sim, &["call", "GET", "/Invoices", "--all-pages"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let records: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(records.len(), truth.len());

    sim.script_fault(
        ScriptedFault::new("/Invoices", Some(2), ScriptedAction::ServerError(502)).times(10),
    );
    let out = run(
        &sim,
        &[
            "call",
            "GET",
            "/Invoices",
            "-q",
            "PageSize=50",
            "--all-pages",
            "--format",
            "ndjson",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("page 2 failed: 502 Bad Gateway"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing written"), "{stderr}");
    sim.clear_script();

    let out = run(&sim, &["call", "GET", "/Invoices", "--concurrency", "3"]).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "--concurrency needs --all-pages"
    );
    let out = run(
        &sim,
        &[
            "call",
            "GET",
            "/Invoices",
            "--all-pages",
            "--concurrency",
            "9",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "more than 8 is refused");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn format_without_all_pages_prints_the_records_of_one_answer() {
    let sim = simulator().await;
    let out = run(
        &sim,
        &[
            "call",
            "GET",
            "/Accounts",
            "-q",
            "PageSize=5",
            "--format",
            "ndjson",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert!(lines.iter().all(|r| r["id"].is_string()));
    let out = run(
        &sim,
        &[
            "call",
            "GET",
            "/Accounts",
            "-q",
            "PageSize=3",
            "--format",
            "csv",
        ],
    )
    .await;
    assert!(out.status.success());
    assert_eq!(
        csv::Reader::from_reader(&out.stdout[..]).records().count(),
        3
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_comes_from_the_profile_and_is_checked() {
    let sim = simulator().await;
    let dir = std::env::temp_dir().join(format!("younium-allpages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    for (value, ok) in [(2, true), (0, false), (9, false)] {
        std::fs::write(&config, format!("[profiles.p]\nconcurrency = {value}\n")).unwrap();
        let out = run(
            &sim,
            &[
                "--config",
                config.to_str().unwrap(),
                "--profile",
                "p",
                "call",
                "GET",
                "/Accounts",
                "--all-pages",
            ],
        )
        .await;
        let stderr = text(&out.stderr);
        if ok {
            assert!(out.status.success(), "{stderr}");
        } else {
            assert_eq!(out.status.code(), Some(2), "{stderr}");
            assert!(
                stderr.contains(&format!(
                    "the profile's concurrency is {value}: give 1 to 8"
                )),
                "{stderr}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    sim.shutdown().await;
}

/// The merged records are one history entry: the list without a page number, every record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_pages_is_recorded_as_one_history_entry() {
    let sim = simulator().await;
    let truth = truth(&sim).await;
    let history = std::env::temp_dir().join(format!(
        "younium-tui-call-all-pages-{}.sqlite3",
        std::process::id()
    ));
    let file = history.to_str().unwrap();
    let out = run(
        &sim,
        &[
            "--history",
            file,
            "call",
            "GET",
            "/Invoices",
            "-q",
            "PageSize=50",
            "--all-pages",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed = run(&sim, &["--history", file, "history", "--json"]).await;
    let entries: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let id = entries[0]["id"].to_string();
    let shown = run(&sim, &["--history", file, "history", "show", &id, "--json"]).await;
    let entry: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let text_of = |v: &serde_json::Value| v.to_string();
    assert!(!text_of(&entry).contains("PageNumber"), "{entry}");
    let body = entry
        .pointer("/response/body")
        .and_then(|b| b.as_str())
        .unwrap_or_else(|| panic!("no response body in {entry}"));
    let records: Vec<serde_json::Value> = serde_json::from_str(body).unwrap();
    assert_eq!(records.len(), truth.len());
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", history.display()));
    }
}
