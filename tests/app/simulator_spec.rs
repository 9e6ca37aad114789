//! The simulator answers as Younium's spec says: every list it serves, and one record of each
//! by id, checked against the catalogue's response schemas with the same checker the response
//! viewer flags answers with, and each list's records as one array (as `A` merges them). A
//! demo whose every answer was flagged would teach nothing.

use crate::common;

use reqwest::Client;
use serde_json::Value;
use younium_tui::simulator::{Simulator, demo};
use younium_tui::younium::Method;
use younium_tui::younium::catalog::catalog;

async fn get(client: &Client, sim: &Simulator, token: &str, path: &str) -> (u16, Value) {
    let response = client
        .get(format!("{}{path}", sim.base_url()))
        .bearer_auth(token)
        .header("legal-entity", demo::LEGAL_ENTITIES[0].id)
        .header("api-version", "2.1")
        .send()
        .await
        .expect("answer");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_answer_the_simulator_serves_matches_its_response_schema() {
    let client = common::clients::reqwest_client();
    let sim = common::simulator().await;
    let token = common::demo_token(&client, &sim.base_url()).await;
    let mut checked = 0;
    let mut problems = Vec::new();
    for op in &catalog().operations {
        if op.method != Method::Get
            || op.is_partly_guessed()
            || !op.path_params.is_empty()
            || op.response_schema().is_none()
        {
            continue;
        }
        let (status, body) = get(&client, &sim, &token, &op.path).await;
        if status != 200 {
            continue;
        }
        let mut answers = vec![(op.path.clone(), op, body.clone())];
        // Every page merged into one array (`A`) is read against the envelope's `data`.
        if op.is_paged() {
            answers.push((format!("{} (records)", op.path), op, body["data"].clone()));
        }
        // One record by id, where the catalogue has `GET {list}/{id}`.
        let id = body["data"][0]["id"].as_str().map(str::to_string);
        if let (Some(id), Some(by_id)) =
            (id, catalog().find(Method::Get, &format!("{}/x", op.path)))
            && by_id.path.ends_with("/{id}")
            && by_id.response_schema().is_some()
        {
            let path = format!("{}/{id}", op.path);
            let (status, record) = get(&client, &sim, &token, &path).await;
            if status == 200 {
                answers.push((path, by_id, record));
            }
        }
        for (path, op, value) in answers {
            let report = op.validate_response(&value).expect("a schema");
            checked += 1;
            if report.has_errors() {
                let first: Vec<String> = report.problems.iter().take(3).map(|p| p.text()).collect();
                problems.push(format!(
                    "GET {path}: {} — {}",
                    report.summary(),
                    first.join("; ")
                ));
            }
        }
    }
    sim.shutdown().await;
    assert!(checked >= 30, "only {checked} answers checked");
    assert!(
        problems.is_empty(),
        "{checked} checked:\n{}",
        problems.join("\n")
    );
}
