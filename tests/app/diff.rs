//! Response diffs: the two uses of issue 12 over the simulator's real answers (the same list
//! in two legal entities; an account before and after a PATCH), and snapshots of the view.

use crate::common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use younium_tui::diff::{ChangeKind, Diff, compare};
use younium_tui::simulator::{Simulator, demo};
use younium_tui::tui::diff_view::DiffView;
use younium_tui::tui::keymap::Command;
use younium_tui::tui::theme::Theme;

const ENTITY_AB: &str = demo::LEGAL_ENTITIES[0].id;
const ENTITY_INC: &str = demo::LEGAL_ENTITIES[1].id;

struct Api {
    sim: Simulator,
    client: Client,
    token: String,
}

impl Api {
    async fn start() -> Api {
        let sim = common::simulator().await;
        let client = common::clients::reqwest_client();
        let token = common::demo_token(&client, &sim.base_url()).await;
        Api { sim, client, token }
    }

    /// The body of a call, as bytes, as the history stores it.
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        entity: &str,
        body: Option<Value>,
    ) -> Vec<u8> {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.sim.base_url()))
            .bearer_auth(&self.token)
            .header("legal-entity", entity)
            .header("api-version", "2.1");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("call");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.bytes().await.expect("body").to_vec()
    }
}

#[tokio::test]
async fn the_same_list_in_two_legal_entities_lists_the_differing_values() {
    let api = Api::start().await;
    let path = "/Accounts?PageSize=5";
    let ab = api.call(reqwest::Method::GET, path, ENTITY_AB, None).await;
    let inc = api.call(reqwest::Method::GET, path, ENTITY_INC, None).await;
    let Diff::Json(diff) = compare(&ab, &inc) else {
        panic!("two JSON lists make a JSON diff");
    };
    assert!(!diff.changes.is_empty());
    // Every difference is real: the value at its path differs between the two bodies.
    let (ab, inc): (Value, Value) = (
        serde_json::from_slice(&ab).unwrap(),
        serde_json::from_slice(&inc).unwrap(),
    );
    for change in &diff.changes {
        let pointer: String = change
            .path
            .0
            .iter()
            .map(|step| match step {
                younium_tui::diff::Step::Key(k) => format!("/{k}"),
                younium_tui::diff::Step::Index(i) => format!("/{i}"),
            })
            .collect();
        match &change.kind {
            ChangeKind::Changed { old, new } => {
                assert_eq!(ab.pointer(&pointer).unwrap().to_string(), *old);
                assert_eq!(inc.pointer(&pointer).unwrap().to_string(), *new);
            }
            ChangeKind::Added(new) => assert_eq!(inc.pointer(&pointer).unwrap().to_string(), *new),
            ChangeKind::Removed(old) => assert_eq!(ab.pointer(&pointer).unwrap().to_string(), *old),
        }
    }
    // The entities hold other accounts (no id in common): compared by index, the values that
    // differ are listed field by field, the names among them.
    let paths: Vec<String> = diff.changes.iter().map(|c| c.path.to_string()).collect();
    assert!(paths.iter().any(|p| p == ".data[0].name"), "{paths:?}");
    assert!(
        diff.changes
            .iter()
            .all(|c| matches!(c.kind, ChangeKind::Changed { .. }) || c.path.0.len() > 2),
        "no whole record is added or removed: {paths:?}"
    );
}

#[tokio::test]
async fn an_account_before_and_after_a_patch_is_one_change_naming_the_field() {
    let api = Api::start().await;
    let list: Value = serde_json::from_slice(
        &api.call(
            reqwest::Method::GET,
            "/Accounts?PageSize=1",
            ENTITY_AB,
            None,
        )
        .await,
    )
    .unwrap();
    let id = list["data"][0]["id"]
        .as_str()
        .expect("an account id")
        .to_owned();
    let path = format!("/Accounts/{id}");
    let before = api.call(reqwest::Method::GET, &path, ENTITY_AB, None).await;
    api.call(
        reqwest::Method::PATCH,
        &path,
        ENTITY_AB,
        Some(json!({"ourReference": "Checked by the diff"})),
    )
    .await;
    let after = api.call(reqwest::Method::GET, &path, ENTITY_AB, None).await;
    let diff = compare(&before, &after);
    let Diff::Json(json_diff) = &diff else {
        panic!("not a JSON diff: {diff:?}");
    };
    let rows: Vec<String> = json_diff
        .changes
        .iter()
        .map(|c| format!("{} {:?}", c.path, c.kind))
        .collect();
    let named: Vec<&String> = rows
        .iter()
        .filter(|r| r.starts_with(".ourReference "))
        .collect();
    assert_eq!(named.len(), 1, "{rows:?}");
    assert!(named[0].contains("Checked by the diff"), "{rows:?}");
    // Nothing else changed but what the server stamps on a write.
    let others: Vec<&String> = rows
        .iter()
        .filter(|r| !r.starts_with(".ourReference ") && !r.to_lowercase().contains("modified"))
        .collect();
    assert!(others.is_empty(), "{rows:?}");
}

fn screen(view: &mut DiffView, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| view.render(f, f.area(), &Theme::default()))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn snapshot_json_diff() {
    let old = json!({
        "pageNumber": 1,
        "totalCount": 3,
        "data": [
            {"id": "a-1", "name": "Acme", "accountNumber": "A-000001", "customFields": {"segment": "SMB"}},
            {"id": "a-2", "name": "Borealis AB", "accountNumber": "A-000002"},
            {"id": "a-3", "name": "Cirrus Inc", "accountNumber": "A-000003", "ourReference": "Anna"}
        ]
    });
    let new = json!({
        "pageNumber": 1,
        "totalCount": 4,
        "data": [
            {"id": "a-1", "name": "Acme AB", "accountNumber": "A-000001", "customFields": {"segment": "Enterprise", "region": "Nordics"}},
            {"id": "a-9", "name": "Dagsljus Oy", "accountNumber": "A-000009", "description": "A long description that will not fit in the width of the box, so it is cut with an ellipsis"},
            {"id": "a-2", "name": "Borealis AB", "accountNumber": "A-000002"},
            {"id": "a-3", "name": "Cirrus Inc", "accountNumber": "A-000003", "odd key": true}
        ]
    });
    let diff = compare(old.to_string().as_bytes(), new.to_string().as_bytes());
    let mut view = DiffView::new(
        "#12 GET /Accounts · legal entity Nordlys Software AB · 200 · 14:03:10".into(),
        "#14 GET /Accounts · legal entity Nordlys Software Inc · 200 · 14:05:42".into(),
        diff,
    );
    view.command(Command::FindNext);
    view.command(Command::FindNext);
    insta::assert_snapshot!("diff_json", screen(&mut view, 100, 16));
}

#[test]
fn snapshot_text_diff() {
    let old: String = (1..=30)
        .map(|i| format!("<tr><td>invoice {i}</td><td>{}.00</td></tr>\n", i * 10))
        .collect();
    let new = old
        .replace("<td>40.00</td>", "<td>45.00</td>")
        .replace("<tr><td>invoice 22</td><td>220.00</td></tr>\n", "")
        .replace("invoice 26</td>", "invoice 26 (credited)</td>");
    let diff = compare(old.as_bytes(), new.as_bytes());
    let mut view = DiffView::new(
        "#3 GET /Reports/invoices.html · 200".into(),
        "#5 GET /Reports/invoices.html · 200".into(),
        diff,
    );
    insta::assert_snapshot!("diff_text", screen(&mut view, 80, 24));
}

#[test]
fn snapshot_identical() {
    let body = br#"{"id":"a-1","name":"Acme"}"#;
    let mut view = DiffView::new(
        "#1 GET /Accounts/a-1".into(),
        "#2 GET /Accounts/a-1".into(),
        compare(body, body),
    );
    insta::assert_snapshot!("diff_identical", screen(&mut view, 60, 8));
}

#[test]
fn snapshot_json_against_an_html_error_page() {
    let old = br#"{"id":"a-1","name":"Acme","accountNumber":"A-000001"}"#;
    let new = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\x1b[2J\xff</body>\r\n</html>\r\n";
    let mut view = DiffView::new(
        "#7 GET /Accounts/a-1 · 200".into(),
        "#9 GET /Accounts/a-1 · 502".into(),
        compare(old, new),
    );
    insta::assert_snapshot!("diff_json_against_html", screen(&mut view, 90, 16));
}
