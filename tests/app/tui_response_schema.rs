//! An answer read against its response schema, through the app: the indexing effect asks for
//! the check, its result flags the pane (a stale one is dropped), and the runner reports the
//! check after the index. Reports are built by hand: the checker has its own tests.

use crate::common;

use std::sync::Arc;

use bytes::Bytes;
use crossterm::event::KeyCode;
use younium_tui::pretty::Document;
use younium_tui::tui::app::{Action, App, Effect};
use younium_tui::tui::panes::response::{SchemaCheck, SchemaState};
use younium_tui::younium::catalog::catalog;
use younium_tui::younium::request::{EffectiveHeader, HeaderOrigin, HeaderText, SentRequest};
use younium_tui::younium::schema::{Problem, ProblemKind, Report, Severity};
use younium_tui::younium::{ApiResponse, Method};

use crate::common::app::{respond, sent_id};
use crate::common::keys::{key, press};

/// Sends the request in the editor; its id.
fn send(app: &mut App) -> u64 {
    sent_id(&press(app, KeyCode::F(5)))
}

/// The answer to `GET /Accounts` (`id`) arrives, sent with `api_version`; the effects.
fn answer(app: &mut App, id: u64, status: u16, api_version: &str, body: &str) -> Vec<Effect> {
    let response = ApiResponse {
        status,
        reason: String::new(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: Bytes::from(body.to_string()),
        elapsed: std::time::Duration::from_millis(3),
        sent: SentRequest {
            method: Method::Get,
            url: "http://x/Accounts".into(),
            headers: vec![EffectiveHeader {
                name: "api-version".into(),
                value: HeaderText::Plain(api_version.into()),
                origin: HeaderOrigin::Automatic,
            }],
            body: None,
            sent_at: common::fixed_now(),
        },
    };
    respond(app, id, response)
}

fn check_of(effects: &[Effect]) -> Option<SchemaCheck> {
    effects.iter().find_map(|e| match e {
        Effect::Index { check, .. } => Some(*check),
        _ => None,
    })?
}

fn accounts_app() -> App {
    let mut app = common::signed_in_app();
    crate::common::keys::type_path(&mut app, "/Accounts");
    app
}

const BODY: &str = r#"{"pageNumber":1,"pageSize":20,"totalCount":1,"data":[{"id":"53abf01b-5942-4bed-b61f-08da9ad6fb81","inactive":"no"}]}"#;

fn report() -> Report {
    Report {
        problems: vec![Problem {
            path: ".data[0].inactive".into(),
            severity: Severity::Error,
            kind: ProblemKind::WrongType,
            message: "expected boolean, found string".into(),
            line: None,
        }],
        errors: 1,
        to_fill: 0,
        warnings: 0,
    }
}

#[test]
fn a_2xx_answer_to_a_catalogue_operation_is_checked_and_flagged() {
    let mut app = accounts_app();
    let id = send(&mut app);
    let effects = answer(&mut app, id, 200, "2.1", BODY);
    let check = check_of(&effects).expect("the check is asked for with the index");
    assert_eq!(check.operation.path, "/Accounts");
    assert_eq!(app.response().schema().state, SchemaState::Checking);
    let doc = Arc::new(Document::new(Bytes::from(BODY), true));
    app.update(Action::Indexed {
        id,
        doc,
        page: None,
    });
    assert_eq!(app.response().schema_flag(200), None, "not until checked");
    let (redraw, _) = app.update(Action::SchemaChecked {
        id,
        report: Some(report()),
    });
    assert!(redraw);
    assert_eq!(
        app.response().schema_flag(200).as_deref(),
        Some(" ⚠ not as the spec says: .data[0].inactive expected boolean, found string ")
    );
}

#[test]
fn a_check_of_an_answer_no_longer_shown_is_dropped() {
    let mut app = accounts_app();
    let first = send(&mut app);
    answer(&mut app, first, 200, "2.1", BODY);
    let second = send(&mut app);
    answer(&mut app, second, 200, "2.1", BODY);
    let (redraw, _) = app.update(Action::SchemaChecked {
        id: first,
        report: Some(report()),
    });
    assert!(!redraw);
    assert_eq!(app.response().schema_flag(200), None);
}

#[test]
fn no_check_for_an_error_or_another_api_version() {
    let mut app = accounts_app();
    let id = send(&mut app);
    assert!(check_of(&answer(&mut app, id, 400, "2.1", "{}")).is_none());
    let id = send(&mut app);
    assert!(check_of(&answer(&mut app, id, 200, "2.0", "[]")).is_none());
    assert_eq!(app.response().schema().state, SchemaState::None);
    // Keys still work on the answer.
    app.update(key(KeyCode::Char('j')));
}

/// The runner reports the index first, then the check (here of a body that does not parse,
/// which needs no checker).
#[tokio::test]
async fn the_runner_reports_the_check_after_the_index() {
    let mut runner = common::live::offline_runner();
    let operation = catalog().find(Method::Get, "/Accounts").unwrap();
    runner.execute(Effect::Index {
        id: 9,
        body: Bytes::from_static(br#"{"data": [1, "#),
        json: true,
        content_type: Some("application/json".into()),
        check: Some(SchemaCheck { operation }),
    });
    assert!(matches!(
        runner.next_result().await,
        Some(Action::Indexed { id: 9, .. })
    ));
    assert!(matches!(
        runner.next_result().await,
        Some(Action::SchemaChecked {
            id: 9,
            report: None
        })
    ));
}
