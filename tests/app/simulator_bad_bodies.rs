//! The simulator's `html` and `cut` faults over HTTP: a gateway's HTML page instead of JSON,
//! and a JSON answer cut short, and what the viewer makes of each (HTML highlighted as HTML, the
//! cut answer pretty-printed up to where it stops).

use crate::common;

use reqwest::{StatusCode, header};
use younium_tui::pretty::highlight::TextSyntax;
use younium_tui::pretty::{BodyKind, Document};
use younium_tui::simulator::{Faults, SimulatorConfig, demo};

/// `GET /Accounts` from a simulator with `faults`: status, content type and body.
async fn accounts(faults: &str) -> (StatusCode, String, bytes::Bytes) {
    let sim = common::simulator_with(SimulatorConfig {
        faults: faults.parse::<Faults>().unwrap(),
        ..SimulatorConfig::default()
    })
    .await;
    let client = common::clients::reqwest_client();
    let token = common::demo_token(&client, &sim.base_url()).await;
    let response = client
        .get(format!("{}/Accounts", sim.base_url()))
        .bearer_auth(token)
        .header("legal-entity", demo::LEGAL_ENTITIES[0].name)
        .header("api-version", "2.1")
        .send()
        .await
        .unwrap();
    let status = response.status();
    let content_type = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    let body = response.bytes().await.unwrap();
    sim.shutdown().await;
    (status, content_type, body)
}

#[tokio::test]
async fn a_gateway_page_comes_as_html_and_is_highlighted_as_html() {
    let (status, content_type, body) = accounts("html=1").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(body.starts_with(b"<!DOCTYPE html>"));
    let doc = Document::with_content_type(body, false, Some(&content_type));
    assert_eq!(doc.kind(), BodyKind::Text);
    assert_eq!(doc.text_syntax(), TextSyntax::Html);
}

#[tokio::test]
async fn a_cut_answer_is_json_that_stops_and_is_shown_up_to_the_cut() {
    let (whole_status, _, whole) = accounts("none").await;
    let (status, content_type, body) = accounts("cut=1").await;
    assert_eq!((whole_status, status), (StatusCode::OK, StatusCode::OK));
    assert!(content_type.starts_with("application/json"));
    assert!(
        body.len() < whole.len(),
        "{} of {} bytes",
        body.len(),
        whole.len()
    );
    assert!(serde_json::from_slice::<serde_json::Value>(&body).is_err());
    let doc = Document::with_content_type(body, true, Some(&content_type));
    assert_eq!(doc.kind(), BodyKind::BrokenJson);
    let error_line = doc.json_error_line().expect("the line where it stops");
    assert!(
        error_line > 10,
        "most of the answer is pretty-printed: {error_line}"
    );
    assert_eq!(doc.line(1), "  \"pageNumber\": 1,");
}

#[test]
fn the_fault_spec_names_them() {
    let faults: Faults = "html=0.1,cut=20%".parse().unwrap();
    assert_eq!(faults.to_string(), "html=0.1,cut=0.2");
}
