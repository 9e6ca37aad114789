//! `younium-tui run FLOW.toml`, the built binary against the simulator: captures carried from
//! one answer into the next request, expectations, exit statuses, the dry run, JUnit, and a
//! flow that cannot run sending nothing.

use std::path::{Path, PathBuf};
use std::process::Output;

use younium_tui::simulator::demo;

use crate::common::{self, simulator, text};

/// Writes `text` as a flow file in a directory of the test's own.
fn flow_file(test: &str, text: &str) -> PathBuf {
    let path = common::binary::temp_dir(test).join("flow.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs the flow at `flow` against `base` as the demo client, with `args` after it.
async fn run(base: &str, flow: &Path, args: &[&str]) -> Output {
    let mut cmd = common::demo_binary(base);
    cmd.args([
        "--legal-entity",
        demo::LEGAL_ENTITIES[0].name,
        "--no-history",
        "run",
    ])
    .arg(flow)
    .args(args);
    common::output(cmd).await
}

const CREATE_AND_READ: &str = r#"
[vars]
name = 'Flow {{$timestamp}} "North" AB'

[[step]]
name = "create the account"
method = "POST"
path = "/Accounts"
body = '{"name": "{{name}}", "currency": "SEK", "accountType": "Customer"}'
expect = { status = 201 }
capture = { accountId = ".id", number = ".accountNumber" }

[[step]]
name = "read it back"
method = "GET"
path = "/Accounts/{{accountId}}"
expect = { status = 200, jq = ['.name == "{{name}}"', '.accountNumber == "{{number}}"', ".id == {{accountId}}"] }

[[step]]
name = "find it by number"
method = "GET"
path = "/Accounts"
query = [{ name = "Filter", value = "accountNumber eq '{{number}}'" }]
expect = { jq = ['.data | length == 1', '.data[0].name | startswith("{{prefix}}")'] }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_captured_from_one_answer_goes_into_the_next_requests() {
    let sim = simulator().await;
    let flow = flow_file("flow-capture", CREATE_AND_READ);
    let out = run(&sim.base_url(), &flow, &["--var", "prefix=Flow "]).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("✓ create the account  POST /Accounts  201  "),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("✓ read it back  GET /Accounts/"),
        "{stdout}"
    );
    // The id went into the path, the number into the filter (percent-encoded in the URL).
    assert!(!lines[1].contains("{{"), "{stdout}");
    assert!(
        lines[2].contains("Filter=accountNumber+eq+%27A-"),
        "{stdout}"
    );
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        text(&out.stderr).contains("3 steps: 3 passed"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_step_stops_the_run_unless_told_to_keep_going_and_exits_1() {
    let sim = simulator().await;
    let text_of = r#"
[[step]]
name = "no such account"
method = "GET"
path = "/Accounts/not-an-id"
[[step]]
name = "a list"
method = "GET"
path = "/Accounts"
expect = { status = 200, jq = [".totalCount == -1"] }
capture = { none = ".data[] | select(.name == \"nobody\") | .id" }
[[step]]
name = "accounts again"
method = "GET"
path = "/Accounts"
"#;
    let flow = flow_file("flow-fail", text_of);
    let junit = flow.with_file_name("junit.xml");
    let out = run(
        &sim.base_url(),
        &flow,
        &["--junit", junit.to_str().unwrap()],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("✗ no such account  GET /Accounts/not-an-id  404  "),
        "{stdout}"
    );
    assert!(
        stdout.contains("    expected a 2xx status, got 404"),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().count(),
        2,
        "it stopped at the failure: {stdout}"
    );
    assert!(text(&out.stderr).contains("3 steps: 0 passed, 1 failed, 2 not run"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains(r#"tests="3" failures="1" errors="0" skipped="2""#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<failure message="expected a 2xx status, got 404"/>"#),
        "{xml}"
    );

    let out = run(&sim.base_url(), &flow, &["--keep-going"]).await;
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("✗ a list  GET /Accounts  200"), "{stdout}");
    assert!(
        stdout.contains("expected .totalCount == -1 to be true, got false"),
        "{stdout}"
    );
    assert!(stdout.contains("✓ accounts again"), "{stdout}");
    assert!(text(&out.stderr).contains("3 steps: 1 passed, 2 failed"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_that_cannot_run_says_why_with_where_and_sends_nothing() {
    let sim = simulator().await;
    let unknown = flow_file(
        "flow-unknown",
        "[[step]]\nmethod = \"POST\"\npath = \"/Accounts\"\nbody = '{\"name\": \"{{who}}\"}'\n",
    );
    let broken = flow_file(
        "flow-broken",
        "[[step]]\nmethod = \"GET\"\npath = \"/A\"\nexpect = [1]\n",
    );
    for (flow, said) in [
        (
            &unknown,
            "error: step 1 (POST /Accounts): unknown variable {{who}} in the body".to_string(),
        ),
        (
            &broken,
            format!(
                "error: {}:4:10: step 1: expect: not a table",
                broken.display()
            ),
        ),
    ] {
        let out = run(&sim.base_url(), flow, &[]).await;
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(stderr.contains(&said), "{stderr}");
        assert!(stderr.contains("nothing was sent"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    let listed = sim.log();
    assert!(listed.is_empty(), "nothing reached the server: {listed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_prints_the_requests_with_captures_left_as_templates() {
    let sim = simulator().await;
    let flow = flow_file("flow-dry", CREATE_AND_READ);
    let out = run(&sim.base_url(), &flow, &["--dry-run", "--var", "prefix=x"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("# step 1 (create the account)\nPOST /Accounts\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(r#"{"name": "Flow "#) && stdout.contains(r#" \"North\" AB""#),
        "{stdout}"
    );
    assert!(stdout.contains("GET /Accounts/{{accountId}}\n"), "{stdout}");
    assert!(!stdout.contains(demo::SECRET));
    assert!(sim.log().is_empty(), "a dry run sends nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_flow_runs_green_against_the_demo() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/flows/new-customer.toml");
    let mut cmd = common::binary();
    cmd.args(["--no-history", "run", "--demo"])
        .arg(&example)
        .env("YOUNIUM_TUI_CONFIG", "/nonexistent/younium-tui-test.toml")
        .env_remove("YOUNIUM_SECRET")
        .env_remove("YOUNIUM_PROFILE");
    let out = common::output(cmd).await;
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with('✓')).count(),
        6,
        "{stdout}"
    );
}

const PER_ROW: &str = r#"
[[step]]
name = "create"
method = "POST"
path = "/Accounts"
body = '{"name": "{{row.name}}", "currency": "SEK", "accountType": "{{row.type}}"}'
expect = { status = 201 }
capture = { id = ".id" }

[[step]]
name = "read back"
method = "GET"
path = "/Accounts/{{id}}"
expect = { jq = ['.name == "{{row.name}}"'] }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_run_runs_each_row_with_its_own_values_and_writes_the_failed_rows() {
    let sim = simulator().await;
    let flow = flow_file("flow-rows", PER_ROW);
    let dir = flow.parent().unwrap().to_path_buf();
    let csv = dir.join("rows.csv");
    std::fs::write(
        &csv,
        "name,type\nAcme One AB,Customer\n\"Quote \"\"Two\"\" AB\",Customer\nBroken AB,Buyer\nFour AB,Customer\n",
    )
    .unwrap();
    let failed = dir.join("failed.csv");
    let out = run(
        &sim.base_url(),
        &flow,
        &[
            "--data",
            csv.to_str().unwrap(),
            "--concurrency",
            "3",
            "--keep-going",
            "--failed-rows",
            failed.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // Every row its own account: a POST of its own (each row a new idempotency key).
    for row in [1, 2, 4] {
        assert!(
            stdout.contains(&format!("row {row} ✓ read back")),
            "{stdout}"
        );
    }
    assert!(
        stdout.contains("row 3 ✗ create  POST /Accounts  400"),
        "{stdout}"
    );
    assert!(!stdout.contains("row 3 ✓ read back") && !stdout.contains("row 3 ✗ read back"));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("4 rows of 2 steps: 3 passed, 1 failed"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&failed).unwrap(),
        "name,type\nBroken AB,Buyer\n"
    );
    let created: Vec<_> = sim
        .log()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/Accounts")
        .collect();
    assert_eq!(created.len(), 4, "{created:?}");

    // Without --keep-going no row starts after a failed one.
    let out = run(&sim.base_url(), &flow, &["--data", csv.to_str().unwrap()]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("4 rows of 2 steps: 2 passed, 1 failed, 1 not run"));
}
