//! `call … --jq`, run as the built binary against the simulator: the filter's outputs one
//! JSON value per line on a pipe, and a filter that does not compile refused before sending.

use crate::common;

use std::process::{Command, Output, Stdio};

use serde_json::Value;
use younium_tui::simulator::{Simulator, demo};

use crate::common::{simulator, text};

/// `call GET PATH --jq FILTER` with the demo credentials and a legal entity that may view
/// invoices (stdout a pipe, no terminal on stdin).
async fn call_jq(sim: &Simulator, path: &str, filter: &str) -> Output {
    common::output(command(sim, path, filter)).await
}

fn command(sim: &Simulator, path: &str, filter: &str) -> Command {
    let mut cmd = common::demo_binary(&sim.base_url());
    cmd.args(["--legal-entity", demo::LEGAL_ENTITIES[0].id])
        .args(["call", "GET", path, "--jq", filter]);
    cmd
}

fn invoice_calls(sim: &Simulator) -> usize {
    sim.log()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/Invoices"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_each_output_as_one_line_of_json() {
    let sim = simulator().await;
    let out = call_jq(&sim, "/Invoices", ".data[].invoiceNumber").await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.len() > 1, "{stdout}");
    let values: Vec<Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    let numbers: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    assert!(!numbers.is_empty(), "{stdout}");
    assert!(numbers.iter().all(|n| n.starts_with("I-")), "{stdout}");
    assert!(
        text(&out.stderr).starts_with("200 OK · "),
        "the status line stays"
    );
    assert_eq!(invoice_calls(&sim), 1);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_stay_on_one_line_and_select_filters() {
    let sim = simulator().await;
    let filter = ".data[] | select(.totalAmount > 1000) | {invoiceNumber, totalAmount}";
    let out = call_jq(&sim, "/Invoices", filter).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.lines().count() > 1, "{stdout}");
    for line in stdout.lines() {
        let value: Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(value["totalAmount"].as_f64().unwrap() > 1000.0, "{line}");
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_that_does_not_compile_is_refused_before_sending() {
    let sim = simulator().await;
    let out = call_jq(&sim, "/Invoices", ".data[").await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("the jq filter does not compile: expected closing bracket"),
        "{stderr}"
    );
    assert!(stderr.contains("column 7"), "{stderr}");
    assert!(
        stderr.contains("  .data[\n        ^"),
        "a caret under the place: {stderr}"
    );
    assert!(out.stdout.is_empty());
    assert_eq!(invoice_calls(&sim), 0, "nothing was sent");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_runtime_error_exits_2_with_its_message() {
    let sim = simulator().await;
    let out = call_jq(&sim, "/Invoices", ".data[0].totalAmount[]").await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: the jq filter failed: cannot use"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_status_is_reported_as_without_a_filter() {
    let sim = simulator().await;
    let out = call_jq(&sim, "/Invoices/no-such-invoice", ".invoiceNumber").await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let body: Value = serde_json::from_slice(&out.stdout).expect("the error body, unfiltered");
    assert!(body.is_object(), "{body}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outputs_stream_and_a_reader_that_stops_ends_the_command_quietly() {
    use std::io::{BufRead, BufReader};
    let sim = simulator().await;
    let mut cmd = command(&sim, "/Invoices", "repeat(.pageNumber)");
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let status = tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        for _ in 0..3 {
            assert_eq!(lines.next().unwrap().unwrap(), "1");
        }
        drop(lines); // like `| head -3`
        child.wait().unwrap()
    })
    .await
    .unwrap();
    assert!(status.success(), "{status:?}");
    sim.shutdown().await;
}
