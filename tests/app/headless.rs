//! The headless commands, run as the built binary against the simulator: exit statuses,
//! what goes to stdout and stderr, and that the secret and the token never appear.

use crate::common;

use std::process::{Output, Stdio};

use younium_tui::simulator::demo;

use crate::common::{simulator, text};

/// Runs the binary signed in to `base` as the demo client with `secret` (no terminal on stdin).
async fn run(base: &str, secret: &str, args: &[&str]) -> Output {
    let mut cmd = common::demo_binary(base);
    cmd.env("YOUNIUM_SECRET", secret).args(args);
    common::output(cmd).await
}

fn assert_no_secret(out: &Output) {
    for stream in [&out.stdout, &out.stderr] {
        assert!(
            !text(stream).contains(demo::SECRET),
            "the secret leaked: {}",
            text(stream)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_reports_state_and_hides_the_token_unless_revealed() {
    let sim = simulator().await;
    let out = run(&sim.base_url(), demo::SECRET, &["token"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("State         VALID"), "{stdout}");
    assert!(stdout.contains("Time left     23:59:"), "{stdout}");
    assert!(stdout.contains("the signature is not checked"), "{stdout}");
    assert!(stdout.contains("(--reveal prints it)"));
    assert!(
        !stdout.contains("eyJ") || !stdout.lines().any(|l| l.contains("eyJ") && l.len() > 80),
        "full token printed: {stdout}"
    );
    assert_no_secret(&out);

    let json = run(
        &sim.base_url(),
        demo::SECRET,
        &["token", "--json", "--reveal"],
    )
    .await;
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["state"], "valid");
    assert!(v["seconds_left"].as_i64().unwrap() > 86_000);
    assert!(v["access_token"].as_str().unwrap().starts_with("eyJ"));
    assert_eq!(v["jwt"]["signature_checked"], false);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_with_a_wrong_secret_fails_with_the_servers_message() {
    let sim = simulator().await;
    let out = run(&sim.base_url(), "wrong-secret", &["token"]).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("Invalid client credentials"), "{stderr}");
    assert!(!stderr.contains("wrong-secret"));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_prints_the_body_and_a_status_line() {
    let sim = simulator().await;
    let base = sim.base_url();
    let out = run(
        &base,
        demo::SECRET,
        &[
            "call",
            "GET",
            "/Accounts",
            "-q",
            "PageSize=2",
            "--legal-entity",
            "nordlys software ab",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let body: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("plain JSON on a pipe");
    assert_eq!(body["data"].as_array().unwrap().len(), 2);
    assert!(
        text(&out.stdout).contains("\n  \"pageNumber\": 1"),
        "pretty-printed"
    );
    assert!(!text(&out.stdout).contains("\x1b["), "no colour on a pipe");
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("200 OK · "), "{stderr}");
    assert!(
        stderr.contains(&format!("GET {base}/Accounts?PageSize=2")),
        "{stderr}"
    );
    assert_no_secret(&out);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_explains_a_403_and_exits_1() {
    let sim = simulator().await;
    let out = run(
        &sim.base_url(),
        demo::SECRET,
        &["call", "GET", "/Accounts", "--legal-entity", "Nordlys"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("403 Forbidden"), "{stderr}");
    assert!(
        stderr.contains("legal-entity: Nordlys was sent"),
        "{stderr}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_list_is_an_empty_result() {
    let sim = simulator().await;
    let args = [
        "call",
        "GET",
        "/Accounts",
        "-q",
        "Filter=name eq 'no such customer'",
        "--legal-entity",
        demo::LEGAL_ENTITIES[0].id,
    ];
    let out = run(&sim.base_url(), demo::SECRET, &args).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "[]");
    assert!(
        text(&out.stderr).contains("no records: No accounts could be found"),
        "{}",
        text(&out.stderr)
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_is_not_json_is_refused_before_sending() {
    let sim = simulator().await;
    let dir = common::binary::temp_dir("headless-not-json");
    let file = dir.join("bad.json");
    std::fs::write(&file, "{\"name\": }").unwrap();
    let out = run(
        &sim.base_url(),
        demo::SECRET,
        &[
            "call",
            "POST",
            "/Accounts",
            "--body",
            file.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("the body is not valid JSON: line 1, column 10"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(sim.stats().api_calls, 0, "nothing was sent");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn production_writes_need_yes() {
    let mut cmd = common::binary();
    cmd.args([
        "call",
        "DELETE",
        "/Accounts/A-000001",
        "--env",
        "production",
        "--client-id",
        "x",
        "--legal-entity",
        "Acme AB",
    ])
    .env("YOUNIUM_SECRET", "y")
    .stdin(Stdio::null());
    let out = common::output(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("refusing to send DELETE /Accounts/A-000001 to PRODUCTION"),
        "{stderr}"
    );
    assert!(
        stderr.contains("legal entity Acme AB") && stderr.contains("--yes"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_anywhere_is_a_clear_error() {
    let mut cmd = common::binary();
    cmd.args(["token", "--client-id", "x"])
        .env_remove("YOUNIUM_SECRET")
        .stdin(Stdio::null());
    let out = common::output(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no secret: set YOUNIUM_SECRET"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn endpoints_lists_matching_operations() {
    let out = common::binary()
        .args(["endpoints", "invoice"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("METHOD"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("GET    /Invoices ") && l.contains("paged")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("/Invoices/{id}") && l.contains("Invoice Read")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .skip(1)
            .all(|l| l.to_ascii_lowercase().contains("invoice"))
    );
    let none = common::binary()
        .args(["endpoints", "zzz"])
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(1));
}
