//! Unit tests of `App::update` for the main flows: what state changes and which effects
//! come out, with no terminal and no network.

use crate::common;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use jiff::tz::TimeZone;
use younium_tui::session::{CallOutcome, ManagerOptions};
use younium_tui::tui::app::{Action, App, DemoInfo, Effect, Focus, OnYes, Overlay, Screen};
use younium_tui::tui::panes::connection::{ConnectionPane, LegalEntity};
use younium_tui::tui::panes::response::ResponseState;
use younium_tui::tui::theme::Theme;
use younium_tui::younium::{ApiRequest, ApiResponse, Environment, Method, Secret, TokenState};

use crate::common::app::{json_ok, sent_id};
use crate::common::fixed_now;
use crate::common::keys::{press, typed};

fn app_with_credentials() -> App {
    common::signed_in_app()
}

#[test]
fn first_run_without_credentials_shows_the_welcome_screen() {
    let app = App::new(
        ConnectionPane::default(),
        ManagerOptions::default(),
        Theme::mono(),
        TimeZone::UTC,
        fixed_now(),
    );
    assert_eq!(app.screen(), Screen::Welcome);
    let app = app_with_credentials();
    assert_eq!(app.screen(), Screen::Main);
}

#[test]
fn demo_flow_connects_with_the_simulators_credentials() {
    let mut app = App::new(
        ConnectionPane::default(),
        ManagerOptions::default(),
        Theme::mono(),
        TimeZone::UTC,
        fixed_now(),
    );
    let effects = press(&mut app, KeyCode::Char('d'));
    assert!(matches!(effects[..], [Effect::StartDemo]));
    assert!(
        press(&mut app, KeyCode::Char('d')).is_empty(),
        "a second d does not start another"
    );
    let info = DemoInfo {
        base_url: "http://127.0.0.1:5555".into(),
        client_id: "demo".into(),
        secret: Secret::new("pw"),
        entities: vec![LegalEntity {
            roles: Vec::new(),
            name: "E1".into(),
            id: Some("g1".into()),
        }],
    };
    let (_, effects) = app.update(Action::DemoReady(Ok(info)));
    let Some(Effect::Connect(Some(conn))) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(conn.environment.base_url(), "http://127.0.0.1:5555");
    assert_eq!(app.screen(), Screen::Main);
    assert_eq!(app.connection().legal_entity(), Some("E1"));
}

#[test]
fn demo_failure_is_shown_on_the_welcome_screen() {
    let mut app = App::new(
        ConnectionPane::default(),
        ManagerOptions::default(),
        Theme::mono(),
        TimeZone::UTC,
        fixed_now(),
    );
    press(&mut app, KeyCode::Char('d'));
    app.update(Action::DemoReady(Err("port in use".into())));
    assert_eq!(app.screen(), Screen::Welcome);
    assert!(
        app.welcome_error()
            .as_deref()
            .unwrap()
            .contains("port in use")
    );
}

#[test]
fn catalogue_to_send_to_response() {
    let mut app = app_with_credentials();
    crate::common::keys::focus(&mut app, Focus::Catalog);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "get accounts");
    press(&mut app, KeyCode::Enter); // keeps the filter; the best match is selected
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus(), Focus::Request);
    assert_eq!(app.request().template(), "/Accounts");
    let effects = press(&mut app, KeyCode::Char('s'));
    let id = sent_id(&effects);
    assert_eq!(app.response().in_flight(), Some(id));
    let (redraw, effects) = app.update(Action::Response {
        id,
        result: Ok(CallOutcome {
            response: ok_response(r#"{"pageNumber":1,"totalPages":2,"nextPage":"x","data":[]}"#),
            token: None,
            retried_after_401: false,
            renewal_error: None,
        }),
    });
    assert!(redraw);
    assert!(matches!(effects[..], [Effect::Index { id: i, json: true, .. }] if i == id));
    assert!(app.response().shown().is_some());
    assert_eq!(
        app.focus(),
        Focus::Response,
        "the response takes the keyboard"
    );
}

#[test]
fn stale_responses_are_ignored() {
    let mut app = app_with_credentials();
    let first = sent_id(&press(&mut app, KeyCode::F(5)));
    let second_effects = press(&mut app, KeyCode::F(5));
    assert!(
        second_effects.iter().any(|e| matches!(e, Effect::Cancel)),
        "the older request is cancelled"
    );
    let second = sent_id(&second_effects);
    let (redraw, _) = app.update(Action::Response {
        id: first,
        result: Ok(CallOutcome {
            response: ok_response("[]"),
            token: None,
            retried_after_401: false,
            renewal_error: None,
        }),
    });
    assert!(!redraw);
    assert_eq!(app.response().in_flight(), Some(second));
}

#[test]
fn escape_cancels_the_request_in_flight() {
    let mut app = app_with_credentials();
    press(&mut app, KeyCode::F(5));
    crate::common::keys::focus(&mut app, Focus::Response);
    let effects = press(&mut app, KeyCode::Esc);
    assert!(matches!(effects[..], [Effect::Cancel]));
    assert!(matches!(
        app.response().state(),
        ResponseState::Failed { .. }
    ));
}

#[test]
fn invalid_json_asks_before_sending() {
    let mut app = app_with_credentials();
    crate::common::keys::choose_method(&mut app, Method::Post);
    crate::common::keys::replace_body(&mut app, "{\"a\": }");
    let effects = press(&mut app, KeyCode::F(5));
    assert!(effects.is_empty());
    let Some(Overlay::Confirm(c)) = &app.overlay() else {
        panic!("expected a question")
    };
    assert!(matches!(c.on_yes, OnYes::Send { .. }));
    assert!(c.lines[0].contains("line 1, column 7"), "{:?}", c.lines);
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    assert!(app.overlay().is_none());
    press(&mut app, KeyCode::F(5));
    let effects = press(&mut app, KeyCode::Char('y'));
    sent_id(&effects);
}

#[test]
fn production_writes_ask_and_name_the_target() {
    let mut app = app_with_credentials();
    crate::common::keys::choose_environment(&mut app, &Environment::Production);
    crate::common::keys::type_legal_entity(&mut app, "Acme AB");
    crate::common::keys::choose_method(&mut app, Method::Delete);
    crate::common::keys::type_path(&mut app, "/Usage/42");
    assert!(press(&mut app, KeyCode::F(5)).is_empty());
    let Some(Overlay::Confirm(c)) = &app.overlay() else {
        panic!()
    };
    assert!(c.danger);
    assert_eq!(c.lines[0], "DELETE /Usage/42");
    assert!(c.lines.iter().any(|l| l.contains("Acme AB")));
    let effects = press(&mut app, KeyCode::Char('y'));
    sent_id(&effects);
    // GETs are not asked about.
    crate::common::keys::choose_method(&mut app, Method::Get);
    sent_id(&press(&mut app, KeyCode::F(5)));
}

#[test]
fn quitting_asks_when_work_would_be_lost() {
    let mut app = app_with_credentials();
    crate::common::keys::edit_body(&mut app, "{");
    assert!(app.request().body_dirty());
    assert!(press(&mut app, KeyCode::Char('q')).is_empty());
    assert!(matches!(app.overlay(), Some(Overlay::Confirm(_))));
    let effects = press(&mut app, KeyCode::Char('y'));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.quit());
    let mut clean = app_with_credentials();
    assert!(press(&mut clean, KeyCode::Char('q')).is_empty());
    assert!(clean.quit(), "nothing to lose: quits at once");
}

#[test]
fn changing_credentials_reconnects_but_legal_entity_does_not() {
    let mut app = app_with_credentials();
    crate::common::keys::focus(&mut app, Focus::Connection);
    // Cursor starts on the client ID.
    press(&mut app, KeyCode::Enter);
    typed(&mut app, "2");
    let effects = press(&mut app, KeyCode::Enter);
    assert!(matches!(&effects[..], [Effect::Connect(Some(c))] if c.credentials.id == "id2"));
    press(&mut app, KeyCode::Char('L'));
    press(&mut app, KeyCode::Down);
    let effects = press(&mut app, KeyCode::Enter);
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn only_key_presses_count() {
    let mut app = app_with_credentials();
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    let (redraw, effects) = app.update(Action::Key(release));
    assert!(!redraw && effects.is_empty() && !app.quit());
}

#[test]
fn ticks_only_matter_while_something_counts_down() {
    let mut app = app_with_credentials();
    assert!(app.needs_tick());
    app.update(younium_tui::tui::app::Action::Token(TokenState::Missing));
    assert!(!app.needs_tick());
    assert!(!app.update(Action::Tick(fixed_now())).0);
}

#[test]
fn next_page_resends_with_the_page_number() {
    let mut app = app_with_credentials();
    let id = sent_id(&press(&mut app, KeyCode::F(5)));
    app.update(Action::Response {
        id,
        result: Ok(CallOutcome {
            response: ok_response(r#"{"pageNumber":1,"totalPages":3,"nextPage":"x","data":[1]}"#),
            token: None,
            retried_after_401: false,
            renewal_error: None,
        }),
    });
    let body = app.response().shown().unwrap().response.body.clone();
    let doc = Arc::new(younium_tui::pretty::Document::new(body.clone(), true));
    let page = younium_tui::younium::paging::PageInfo::probe(&body);
    app.update(Action::Indexed { id, doc, page });
    crate::common::keys::focus(&mut app, Focus::Response);
    let effects = press(&mut app, KeyCode::Char('>'));
    let Some(Effect::Send { request, .. }) =
        effects.iter().find(|e| matches!(e, Effect::Send { .. }))
    else {
        panic!("{effects:?}")
    };
    assert!(
        request
            .query
            .iter()
            .any(|p| p.name == "PageNumber" && p.value == "2")
    );
    assert!(
        press(&mut app, KeyCode::Char('p')).is_empty(),
        "no previous page of page 1 while page 2 loads"
    );
}

fn ok_response(body: &str) -> ApiResponse {
    json_ok("http://x/Accounts", body)
}

fn forbidden_response() -> ApiResponse {
    let mut r = ok_response("");
    r.status = 403;
    r.reason = "Forbidden".into();
    r
}

#[test]
fn d_diagnoses_the_403_on_screen_and_enter_applies_the_fix() {
    use younium_tui::younium::doctor::diagnose::Diagnosis;
    use younium_tui::younium::doctor::{Fix, Verdict, VerdictKind};
    let mut app = app_with_credentials();
    crate::common::keys::type_legal_entity(&mut app, "Nordlys Sofware AB");
    let id = sent_id(&press(&mut app, KeyCode::F(5)));
    app.update(Action::Response {
        id,
        result: Ok(CallOutcome {
            response: forbidden_response(),
            token: None,
            retried_after_401: false,
            renewal_error: None,
        }),
    });
    let effects = press(&mut app, KeyCode::Char('D'));
    let Some(Effect::Diagnose {
        id: did,
        known: Some(known),
        ..
    }) = effects.first()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        known.status, 403,
        "the status on screen is used, the call is not sent again"
    );
    assert!(matches!(app.overlay(), Some(Overlay::Diagnosis(_))));
    let verdict = Verdict {
        kind: VerdictKind::UnknownEntity,
        headline: "matches no legal entity".into(),
        details: vec![],
        fix: Some(Fix::UseLegalEntity {
            value: "Nordlys Software AB".into(),
        }),
    };
    let diagnosis = Diagnosis {
        method: "GET".into(),
        path: "/Accounts".into(),
        status: Some(403),
        discovery: None,
        plan: None,
        verdict,
    };
    app.update(Action::Diagnosed {
        id: *did,
        diagnosis: Box::new(diagnosis),
    });
    let effects = press(&mut app, KeyCode::Enter);
    assert_eq!(app.connection().legal_entity(), Some("Nordlys Software AB"));
    assert!(app.overlay().is_none());
    let Some(Effect::Send { settings, .. }) =
        effects.iter().find(|e| matches!(e, Effect::Send { .. }))
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        settings.legal_entity.as_deref(),
        Some("Nordlys Software AB")
    );
}

/// The fix reaches the header as it will be sent: a `legal-entity` switched off in the
/// builder is switched back on (to the connection's, now the fix), and the resend carries it.
#[test]
fn the_403_fix_reaches_a_switched_off_header_and_the_resend_carries_it() {
    use younium_tui::younium::doctor::diagnose::Diagnosis;
    use younium_tui::younium::doctor::{Fix, Verdict, VerdictKind};
    let mut app = app_with_credentials();
    crate::common::keys::type_legal_entity(&mut app, "Nordlys Software AB");
    crate::common::keys::switch_off_header(&mut app, "legal-entity");
    let id = sent_id(&press(&mut app, KeyCode::F(5)));
    app.update(Action::Response {
        id,
        result: Ok(CallOutcome {
            response: forbidden_response(),
            token: None,
            retried_after_401: false,
            renewal_error: None,
        }),
    });
    let effects = press(&mut app, KeyCode::Char('D'));
    let Some(Effect::Diagnose { id: did, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    let verdict = Verdict {
        kind: VerdictKind::MissingHeader,
        headline: "no legal-entity header was sent".into(),
        details: vec![],
        fix: Some(Fix::UseLegalEntity {
            value: "Nordlys Software AB".into(),
        }),
    };
    app.update(Action::Diagnosed {
        id: *did,
        diagnosis: Box::new(Diagnosis {
            method: "GET".into(),
            path: "/Accounts".into(),
            status: Some(403),
            discovery: None,
            plan: None,
            verdict,
        }),
    });
    let effects = press(&mut app, KeyCode::Enter);
    let Some(Effect::Send {
        request, settings, ..
    }) = effects.iter().find(|e| matches!(e, Effect::Send { .. }))
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        request.legal_entity_sent(settings),
        Some("Nordlys Software AB"),
        "the resend carries the legal entity: {request:?}"
    );
    assert!(
        app.request().headers().is_empty(),
        "the builder shows it switched on again: {:?}",
        app.request().headers()
    );
}

#[test]
fn probing_production_is_confirmed_once_per_session() {
    let mut app = app_with_credentials();
    crate::common::keys::choose_environment(&mut app, &Environment::Production);
    assert!(press(&mut app, KeyCode::Char('D')).is_empty());
    let Some(Overlay::Confirm(c)) = &app.overlay() else {
        panic!("expected a question")
    };
    assert!(c.danger && matches!(c.on_yes, OnYes::Diagnose));
    let effects = press(&mut app, KeyCode::Char('y'));
    assert!(matches!(effects.first(), Some(Effect::Diagnose { .. })));
    press(&mut app, KeyCode::Esc);
    let effects = press(&mut app, KeyCode::Char('D'));
    assert!(
        matches!(effects.first(), Some(Effect::Diagnose { .. })),
        "not asked twice: {effects:?}"
    );
}

#[test]
fn escape_cancels_a_running_diagnosis() {
    let mut app = app_with_credentials();
    press(&mut app, KeyCode::Char('D'));
    let effects = press(&mut app, KeyCode::Esc);
    assert!(matches!(effects[..], [Effect::CancelDiagnosis]));
    assert!(app.overlay().is_none());
}

#[test]
fn a_post_sent_again_keeps_its_idempotency_key_until_it_changes() {
    let mut app = app_with_credentials();
    crate::common::keys::choose_method(&mut app, Method::Post);
    crate::common::keys::replace_body(&mut app, "{\"name\": \"Acme\"}");
    let key_of =
        |effects: &[Effect]| match effects.iter().find(|e| matches!(e, Effect::Send { .. })) {
            Some(Effect::Send { request, .. }) => request.idempotency_key.clone().unwrap(),
            _ => panic!("{effects:?}"),
        };
    let first = key_of(&press(&mut app, KeyCode::F(5)));
    let again = key_of(&press(&mut app, KeyCode::F(5)));
    assert_eq!(first, again, "a retried send must not create twice");
    crate::common::keys::replace_body(&mut app, "{\"name\": \"Other\"}");
    let changed = key_of(&press(&mut app, KeyCode::F(5)));
    assert_ne!(first, changed, "a different request gets a new key");
}

/// A rejected first exchange puts the cursor on the secret with its editor open, so what the
/// user types next goes into it: `s` does not send, `q` does not ask to quit.
#[test]
fn a_rejected_secret_is_typed_again_in_its_editor_not_run_as_keys() {
    use younium_tui::tui::panes::connection::Field;
    use younium_tui::younium::AuthError;
    let rejected = || TokenState::Failed {
        error: AuthError::Rejected {
            status: 401,
            message: "Invalid client credentials".into(),
        },
        previous: None,
        retry_at: None,
        attempts: 1,
    };
    let mut app = app_with_credentials();
    crate::common::keys::focus(&mut app, Focus::Catalog);
    app.update(Action::Token(rejected()));
    assert_eq!(app.focus(), Focus::Connection);
    assert_eq!(app.connection().selected(), Field::Secret);
    assert!(app.connection().is_editing());
    for c in "sq".chars() {
        let effects = press(&mut app, KeyCode::Char(c));
        assert!(effects.is_empty(), "{c:?} is typed, not run: {effects:?}");
    }
    assert!(app.overlay().is_none() && !app.quit());
    let effects = press(&mut app, KeyCode::Enter);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Connect(Some(_)))),
        "the typed secret is used: {effects:?}"
    );
    assert_eq!(app.connection().secret().as_ref().unwrap().expose(), "sq");

    // Someone typing elsewhere keeps the keyboard.
    let mut app = app_with_credentials();
    crate::common::keys::focus(&mut app, Focus::Request);
    press(&mut app, KeyCode::Enter);
    assert!(app.request().is_editing());
    app.update(Action::Token(rejected()));
    assert_eq!(app.focus(), Focus::Request);
    assert!(!app.connection().is_editing());
}

/// A request loaded from outside the panes (`Action::Load`) goes in as a catalogue pick does:
/// over a body typed and not sent, only after a yes.
#[test]
fn a_load_over_a_typed_body_asks_first() {
    use younium_tui::tui::app::Loading;
    let mut app = app_with_credentials();
    crate::common::keys::edit_body(&mut app, "{\"typed\": 1}");
    let load = || {
        Action::Load(Box::new(Loading::Request(ApiRequest::new(
            Method::Get,
            "/Invoices",
        ))))
    };
    app.update(load());
    let Some(Overlay::Confirm(c)) = &app.overlay() else {
        panic!("expected the question, got {:?}", app.overlay())
    };
    assert_eq!(c.title, "Replace the body you typed?");
    assert_eq!(app.request().template(), "/Accounts", "nothing loaded yet");
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.request().template(), "/Invoices");
    assert_eq!(app.request().body_text(), "");
}
