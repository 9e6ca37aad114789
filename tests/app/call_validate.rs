//! Write bodies checked against the spec's request schemas: `call POST … --body FILE` refuses a
//! body with errors before anything is sent (exit 2, the list on stderr), sends one with
//! warnings only, and `--no-validate` sends it anyway; the simulator answers the same schemas'
//! errors as Younium-style 400 ProblemDetails keyed by field.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::clients::reqwest_client;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use younium_tui::simulator::{Simulator, SimulatorConfig, demo};

const ENTITY_AB: &str = demo::LEGAL_ENTITIES[0].id;

async fn simulator() -> Simulator {
    Simulator::start_local(SimulatorConfig::default())
        .await
        .unwrap()
}

/// `call POST /Accounts --body FILE` with `extra` arguments, signed in to the simulator at
/// `base` with the demo client in its first legal entity.
async fn post_accounts(base: &str, file: &Path, extra: &[&str]) -> Output {
    let mut cmd = common::demo_binary(base);
    cmd.args([
        "--legal-entity",
        ENTITY_AB,
        "call",
        "POST",
        "/Accounts",
        "--body",
    ])
    .arg(file)
    .args(extra);
    common::output(cmd).await
}

/// A body in a file of its own.
fn body_file(name: &str, body: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("younium-tui-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, body).unwrap();
    file
}

async fn account_count(client: &Client, sim: &Simulator, token: &str) -> u64 {
    let page: Value = client
        .get(format!("{}/Accounts?PageSize=1", sim.base_url()))
        .bearer_auth(token)
        .header("api-version", "2.1")
        .header("legal-entity", ENTITY_AB)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page["totalCount"].as_u64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_with_errors_is_refused_before_anything_is_sent() {
    let sim = simulator().await;
    let file = body_file(
        "errors.json",
        "{\n  \"name\": \"Acme\",\n  \"accountType\": \"Buyer\",\n  \"segment\": \"SMB\"\n}\n",
    );
    let out = post_accounts(&sim.base_url(), &file, &[]).await;
    let stderr = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "error: the body does not match CreateAccountRequest: 2 errors, 1 warning",
            "  error       line 1  .currency: required field missing \
             (LookupKeyCurrency (GUID, code or {key, value}))",
            "  error       line 3  .accountType: \"Buyer\" is not one of \
             Customer|Reseller|Subsidiary|Prospect|Other",
            "  warning     line 4  .segment: not a field of CreateAccountRequest: Younium \
             ignores it (a custom field goes in customFields)",
            "nothing was sent: fix the body, or send it as it is with --no-validate",
        ]
    );
    let stats = sim.stats();
    assert_eq!(
        (stats.token_exchanges, stats.api_calls),
        (0, 0),
        "no token fetched, nothing sent"
    );
    let client = reqwest_client();
    let token = common::demo_token(&client, &sim.base_url()).await;
    let before = account_count(&client, &sim, &token).await;
    assert_eq!(before, 40, "the demo's accounts, none added");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_are_printed_and_the_body_is_sent() {
    let sim = simulator().await;
    let file = body_file(
        "warnings.json",
        r#"{"name": "Acme AB", "currency": "SEK", "segment": "SMB"}"#,
    );
    let out = post_accounts(&sim.base_url(), &file, &[]).await;
    let stderr = common::text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "warning: the body does not match CreateAccountRequest: 1 warning",
            "  warning     line 1  .segment: not a field of CreateAccountRequest: Younium \
             ignores it (a custom field goes in customFields)",
        ]
    );
    assert!(lines[2].starts_with("201 Created · "), "{stderr}");
    let created: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(created["name"], "Acme AB");
    // A clean body says nothing before the status line.
    let file = body_file("clean.json", r#"{"name": "Clean AB", "currency": "SEK"}"#);
    let out = post_accounts(&sim.base_url(), &file, &[]).await;
    assert!(out.status.success());
    assert!(common::text(&out.stderr).starts_with("201 Created · "));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_validate_sends_it_and_the_simulator_answers_400() {
    let sim = simulator().await;
    let file = body_file("unchecked.json", r#"{"name": "Acme"}"#);
    let out = post_accounts(&sim.base_url(), &file, &["--no-validate"]).await;
    let stderr = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("400 Bad Request · "), "{stderr}");
    assert!(!stderr.contains("does not match"), "{stderr}");
    let problem: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        problem["errors"]["Currency"],
        json!(["The Currency field is required."])
    );
    assert_eq!(sim.stats().api_calls, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_simulator_answers_schema_errors_keyed_by_field() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = common::demo_token(&client, &sim.base_url()).await;
    let post = |body: Value| {
        client
            .post(format!("{}/Accounts", sim.base_url()))
            .bearer_auth(&token)
            .header("api-version", "2.1")
            .header("legal-entity", ENTITY_AB)
            .json(&body)
            .send()
    };
    let response = post(json!({"name": "Acme"})).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["title"], "One or more validation errors occurred.");
    assert_eq!(
        problem["errors"],
        json!({"Currency": ["The Currency field is required."]})
    );

    let response = post(json!({"name": "Acme", "currency": "SEK", "accountType": "Buyer"}))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let problem: Value = response.json().await.unwrap();
    let messages = problem["errors"]["$.accountType"].as_array().unwrap();
    assert!(
        messages[0]
            .as_str()
            .unwrap()
            .starts_with("The JSON value could not be converted to "),
        "{problem}"
    );

    let response = post(json!({"name": "Acme", "currency": "SEK", "accountType": "Reseller"}))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["accountType"], "Reseller");
    assert_eq!(created["currencyCode"], "SEK");
    sim.shutdown().await;
}
