//! `call --all-pages` and `call --format`, run as the built binary against the simulator.

use crate::common;

use std::process::Output;

use crate::common::text;
use younium_tui::simulator::{ScriptedAction, ScriptedFault, Simulator, SimulatorConfig, demo};

async fn simulator() -> Simulator {
    common::simulator_with(SimulatorConfig {
        extra_invoices: 300,
        ..SimulatorConfig::default()
    })
    .await
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

/// A run that fails keeps what it streamed (item 12 of "Exact": the pages are written as their
/// turn comes): NDJSON has the records of the pages before the failed one, JSON is left open
/// (it does not parse as whole), CSV writes nothing; stderr names the page; exit 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_pages_json_by_default_and_a_failed_run_keeps_only_what_streamed() {
    let sim = simulator().await;
    let truth = truth(&sim).await;
    let out = run(&sim, &["call", "GET", "/Invoices", "--all-pages"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let records: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(records.len(), truth.len());

    for (format, written) in [
        ("ndjson", "written: the records of pages 1–2 only"),
        (
            "json",
            "written: the records of pages 1–2 only, the JSON array left open",
        ),
        ("csv", "nothing written"),
    ] {
        sim.script_fault(
            ScriptedFault::new("/Invoices", Some(3), ScriptedAction::ServerError(502)).times(4),
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
                format,
            ],
        )
        .await;
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("page 3 failed: 502 Bad Gateway"),
            "{stderr}"
        );
        assert!(stderr.contains(written), "{format}: {stderr}");
        let stdout = text(&out.stdout);
        match format {
            "ndjson" => {
                let ids: Vec<String> = stdout
                    .lines()
                    .map(|l| {
                        serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string()
                    })
                    .collect();
                assert_eq!(ids.len(), 100);
            }
            "json" => {
                assert!(stdout.starts_with("[\n") && !stdout.trim_end().ends_with(']'));
                assert!(serde_json::from_str::<serde_json::Value>(&stdout).is_err());
            }
            _ => assert!(stdout.is_empty(), "{stdout}"),
        }
        sim.clear_script();
    }
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
    let dir = common::binary::temp_dir("call-all-pages-concurrency");
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

/// Item 15: the first page cut short (or a gateway's HTML page) is retried like a 5xx, and a
/// first page that keeps failing is named and exits 1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_page_cut_short_or_in_html_is_retried_and_named_when_it_fails() {
    let sim = simulator().await;
    let truth = truth(&sim).await;
    sim.script_fault(ScriptedFault::new("/Invoices", None, ScriptedAction::Cut));
    sim.script_fault(ScriptedFault::new(
        "/Invoices",
        Some(2),
        ScriptedAction::Html,
    ));
    let args = [
        "call",
        "GET",
        "/Invoices",
        "-q",
        "PageSize=50",
        "--all-pages",
        "--format",
        "ndjson",
    ];
    let out = run(&sim, &args).await;
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(text(&out.stdout).lines().count(), truth.len());
    assert!(
        stderr.contains("note: page 1: 200 OK: the answer"),
        "{stderr}"
    );
    assert!(stderr.contains("note: page 2: 502 Bad Gateway"), "{stderr}");
    assert!(stderr.contains(": retry 1 of 3 in "), "{stderr}");

    sim.script_fault(ScriptedFault::new("/Invoices", None, ScriptedAction::Html).times(4));
    let out = run(&sim, &args).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: page 1 failed: 502 Bad Gateway"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert!(out.stdout.is_empty());
    sim.shutdown().await;
}

/// Item 14: every wait is said on stderr (not a terminal here); a Retry-After longer than the
/// longest wait (`--max-wait`, default 5 min) ends the run at once, naming the server's wait.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waits_are_said_and_one_past_the_longest_wait_ends_the_run() {
    let sim = simulator().await;
    let rate_limit = |value: &str| {
        ScriptedFault::new(
            "/Invoices",
            Some(2),
            ScriptedAction::RateLimited {
                retry_after: Some(value.into()),
            },
        )
    };
    let args = [
        "call",
        "GET",
        "/Invoices",
        "-q",
        "PageSize=50",
        "--all-pages",
        "--format",
        "ndjson",
    ];
    sim.script_fault(rate_limit("1"));
    let out = run(&sim, &args).await;
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("note: page 2: 429 Too Many Requests: the run waits 1 s, as the server asked (Retry-After: 1)"),
        "{stderr}"
    );

    sim.script_fault(rate_limit("999999999"));
    let out = run(&sim, &args).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("page 2 failed: 429 Too Many Requests: Rate limit is exceeded.; the server asked to wait 11,574 days (Retry-After: 999999999), longer than the 5 min a run waits"),
        "{stderr}"
    );

    sim.script_fault(rate_limit("2"));
    let mut short = args.to_vec();
    short.extend(["--max-wait", "1"]);
    let out = run(&sim, &short).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("(Retry-After: 2), longer than the 1 s a run waits"),
        "{stderr}"
    );
    sim.shutdown().await;
}

/// Item 13: a list of a billion pages stops before anything is written, naming the cap and how
/// to raise it; an endless v3 cursor stops at `--max-pages` with those pages written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_cap_stops_a_run_and_says_why() {
    let sim = simulator().await;
    let out = run(
        &sim,
        &[
            "call",
            "GET",
            "/SimulatorPages",
            "-q",
            "pages=1000000000",
            "--all-pages",
        ],
    )
    .await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("1,000,000,000 pages, more than the 10,000-page cap: none fetched (--max-pages N, or max_pages in the profile, raises the cap); nothing written"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    let out = run(
        &sim,
        &[
            "call",
            "GET",
            "/v3/SimulatorPages",
            "-q",
            "pages=1000000000",
            "-q",
            "pageSize=4",
            "--all-pages",
            "--max-pages",
            "3",
            "--format",
            "ndjson",
        ],
    )
    .await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("pages 1–3: stopped at the 3-page cap, the list goes on"),
        "{stderr}"
    );
    assert_eq!(text(&out.stdout).lines().count(), 12);
    sim.shutdown().await;
}
