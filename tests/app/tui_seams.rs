//! Regression tests for the seams the redesign closed: overlays with one writer, the request
//! as sent travelling with its response, a deterministic `update`, and effects that never
//! hold the event loop.

use crate::common;

use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use bytes::Bytes;
use crossterm::event::KeyCode;
use younium_tui::tui::app::{Action, App, CopyText, Effect, Focus, OnYes, Overlay};
use younium_tui::tui::runner::Runner;
use younium_tui::younium::doctor::diagnose::Diagnosis;
use younium_tui::younium::doctor::{Fix, Verdict, VerdictKind};
use younium_tui::younium::{Environment, Method};

use crate::common::fixed_now;
use crate::common::keys::press;

fn app() -> App {
    let mut app = common::signed_in_app();
    crate::common::keys::type_legal_entity(&mut app, "Acme Inc");
    app
}

/// The one Send among `effects`: (id, the request, the legal entity it goes with).
fn sent(effects: &[Effect]) -> (u64, younium_tui::younium::ApiRequest, Option<String>) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Send {
                id,
                request,
                settings,
                ..
            } => Some((*id, request.clone(), settings.legal_entity.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no Send in {effects:?}"))
}

fn answer(app: &mut App, id: u64, status: u16, body: &str) {
    let json = vec![("content-type".into(), "application/json".into())];
    common::answer(app, id, status, json, body);
}

fn confirm_title(app: &App) -> &str {
    match &app.overlay() {
        Some(Overlay::Confirm(c)) => &c.title,
        other => panic!("expected a question, got {other:?}"),
    }
}

/// Before: the fix's resend opened the production question and the diagnosis handler closed
/// it in the same key press, so nothing was sent and nothing said.
#[test]
fn the_diagnosis_fix_on_a_production_write_asks_and_y_sends() {
    let mut app = app();
    crate::common::keys::choose_environment(&mut app, &Environment::Production);
    crate::common::keys::choose_method(&mut app, Method::Delete);
    crate::common::keys::type_path(&mut app, "/Usage/42");
    press(&mut app, KeyCode::F(5));
    assert_eq!(confirm_title(&app), "Write to PRODUCTION");
    let (id, ..) = sent(&press(&mut app, KeyCode::Char('y')));
    answer(&mut app, id, 403, "");
    press(&mut app, KeyCode::Char('D'));
    assert_eq!(confirm_title(&app), "Probe PRODUCTION");
    let effects = press(&mut app, KeyCode::Char('y'));
    let did = effects
        .iter()
        .find_map(|e| match e {
            Effect::Diagnose { id, .. } => Some(*id),
            _ => None,
        })
        .expect("the diagnosis starts");
    app.update(Action::Diagnosed {
        id: did,
        diagnosis: Box::new(Diagnosis {
            method: "DELETE".into(),
            path: "/Usage/42".into(),
            status: Some(403),
            discovery: None,
            plan: None,
            verdict: Verdict {
                kind: VerdictKind::UnknownEntity,
                headline: "wrong legal entity".into(),
                details: vec![],
                fix: Some(Fix::UseLegalEntity {
                    value: "Acme AB".into(),
                }),
            },
        }),
    });
    let effects = press(&mut app, KeyCode::Enter);
    assert!(effects.is_empty(), "nothing sent before yes: {effects:?}");
    assert_eq!(confirm_title(&app), "Write to PRODUCTION");
    let (_, request, entity) = sent(&press(&mut app, KeyCode::Char('y')));
    assert_eq!(
        (request.method, request.path.as_str()),
        (Method::Delete, "/Usage/42")
    );
    assert_eq!(entity.as_deref(), Some("Acme AB"));
    assert!(app.overlay().is_none());
}

/// Before: the response showed the builder as it was when the answer arrived, and `n` sent
/// the next page of whatever path the builder held.
#[test]
fn the_request_as_sent_stays_with_its_response_and_pages_from_it() {
    let mut app = app();
    crate::common::keys::type_path(&mut app, "/Accounts");
    let (id, ..) = sent(&press(&mut app, KeyCode::F(5)));
    // Edited while the request is in flight.
    crate::common::keys::type_path(&mut app, "/Invoices/{id}");
    answer(
        &mut app,
        id,
        200,
        r#"{"pageNumber":1,"totalPages":3,"nextPage":"x","data":[1]}"#,
    );
    let shown = app.response().shown().expect("shown");
    assert_eq!(shown.request.path, "/Accounts");
    let body = shown.response.body.clone();
    let doc = Arc::new(younium_tui::pretty::Document::new(body.clone(), true));
    let page = younium_tui::younium::paging::PageInfo::probe(&body);
    app.update(Action::Indexed { id, doc, page });
    crate::common::keys::focus(&mut app, Focus::Response);
    let (next_id, next, _) = sent(&press(&mut app, KeyCode::Char('>')));
    assert_eq!(next.path, "/Accounts", "the page of the path that was sent");
    assert!(
        next.query
            .iter()
            .any(|p| p.name == "PageNumber" && p.value == "2")
    );
    assert_eq!(
        app.request().template(),
        "/Invoices/{id}",
        "the builder is left as the user has it"
    );
    // The save-file name comes from the request as sent too (page 2 is now in flight, so
    // answer it first).
    answer(&mut app, next_id, 200, "{}");
    press(&mut app, KeyCode::Char('w'));
    let Some(Overlay::SaveBody(input)) = &app.overlay() else {
        panic!("expected the file-name input, got {:?}", app.overlay())
    };
    assert!(
        input.text().starts_with("younium-accounts-"),
        "{}",
        input.text()
    );
}

#[test]
fn a_confirmed_send_is_the_request_asked_about() {
    let mut app = app();
    crate::common::keys::choose_method(&mut app, Method::Post);
    crate::common::keys::type_path(&mut app, "/Accounts");
    crate::common::keys::replace_body(&mut app, "{\"name\": }");
    press(&mut app, KeyCode::F(5));
    let Some(Overlay::Confirm(c)) = &app.overlay() else {
        panic!("expected the invalid-JSON question")
    };
    let OnYes::Send { request, .. } = &c.on_yes else {
        panic!()
    };
    let asked = (**request).clone();
    // A paste while the question is open edits nothing behind it: yes sends what was asked
    // about.
    app.update(Action::Paste("/Invoices".into()));
    assert_eq!(app.request().template(), "/Accounts");
    let (_, sent_request, _) = sent(&press(&mut app, KeyCode::Char('y')));
    assert_eq!(sent_request, asked);
}

/// `update` reads no clock and draws no randomness of its own: the same seed and the same
/// keys give the same effects.
#[test]
fn update_is_deterministic_with_a_seeded_id_source() {
    let run = || {
        let mut app = app();
        crate::common::keys::choose_method(&mut app, Method::Post);
        crate::common::keys::type_path(&mut app, "/Accounts");
        crate::common::keys::replace_body(&mut app, "{\"name\": \"A\"}");
        let (_, request, _) = sent(&press(&mut app, KeyCode::F(5)));
        (request.idempotency_key.clone().unwrap(), app.now())
    };
    let (first, now) = run();
    assert_eq!(run().0, first);
    assert_eq!(now, fixed_now());
    assert_eq!(first.len(), 36);
    assert_eq!(&first[14..15], "4", "a version-4 UUID: {first}");
    let mut app = app();
    app.update(Action::Tick(
        fixed_now() + jiff::SignedDuration::from_secs(5),
    ));
    assert_eq!(app.now(), fixed_now() + jiff::SignedDuration::from_secs(5));
}

/// A clipboard that blocks does not hold the loop: the effect starts and returns, `?` opens
/// the help at once, and the copy reports when the clipboard answers.
#[tokio::test]
async fn a_blocking_clipboard_does_not_delay_the_help() {
    let client = common::live::offline_client();
    let (release, gate) = mpsc::channel::<()>();
    let gate = Mutex::new(gate);
    let clipboard = Arc::new(move |_text: String| {
        // Blocks until the test lets it go (at most 5 s, so a failure cannot hang the run).
        let _ = gate.lock().unwrap().recv_timeout(Duration::from_secs(5));
        true
    });
    let mut runner = Runner::new(client, None, clipboard, false);
    runner.execute(Effect::Copy {
        text: CopyText::Raw(Bytes::from_static(b"{\"a\": 1}")),
        what: "the response body".into(),
    });
    let mut app = app();
    press(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.overlay(), Some(Overlay::Help { .. })));
    assert!(runner.try_result().is_none(), "the copy is still waiting");
    release.send(()).unwrap();
    match runner.next_result().await {
        Some(Action::Status(message)) => {
            assert_eq!(message, "copied the response body to the system clipboard")
        }
        other => panic!("{other:?}"),
    }
}
