//! Snapshot tests of the screen (ratatui TestBackend + insta), with time, time zone and random
//! values fixed. Review a changed snapshot with `cargo insta review` (or read the .snap.new).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use crossterm::event::KeyCode;
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use younium_tui::pretty::Document;
use younium_tui::pretty::find::index_matches;
use younium_tui::session::ManagerOptions;
use younium_tui::tui::app::{Action, App, Effect, Focus, Loading, Overlay, Screen};
use younium_tui::tui::panes::connection::{ConnectionPane, LegalEntity, SecretSource};
use younium_tui::tui::panes::response::{ResponseState, run_filter};
use younium_tui::tui::theme::Theme;
use younium_tui::tui::view;
use younium_tui::younium::auth::AuthError;
use younium_tui::younium::catalog::RequiredPermission;
use younium_tui::younium::paging::PageInfo;
use younium_tui::younium::request::{SentRequest, effective_headers};
use younium_tui::younium::{
    ApiRequest, ApiResponse, CallSettings, Environment, Method, Secret, TokenState,
};

use crate::common::keys::{press, typed};
use crate::common::screen::render;
use crate::common::{fixed_now, token};

const ENTITY: &str = "Nordlys Software AB";

fn app() -> App {
    let mut pane =
        ConnectionPane::with_credentials("9b2f6c1e-demo-client", Secret::new("not-shown"));
    pane.use_secret(Secret::new("not-shown"), SecretSource::EnvVar);
    pane.set_environment(Environment::Sandbox);
    pane.choose_legal_entity(Some(ENTITY.into()));
    for (name, id) in [(ENTITY, "ab01"), ("Nordlys Software Inc", "ab02")] {
        pane.remember_entity(LegalEntity {
            roles: Vec::new(),
            name: name.into(),
            id: Some(format!("1a7d0000-0000-4000-8000-00000000{id}")),
        });
    }
    // A fixed offset, so local time and UTC both show and differ.
    let tz = TimeZone::fixed(jiff::tz::offset(1));
    let mut app = App::new(
        pane,
        ManagerOptions::default(),
        Theme::mono(),
        tz,
        fixed_now(),
    );
    // Ids (and so idempotency keys) the same in every run, from the first update on.
    app.use_ids(younium_tui::tui::app::IdSource::seeded(7));
    app.update(younium_tui::tui::app::Action::Resize(120, 40));
    app
}

/// A token valid for a day, issued a minute ago, handed to `a`.
fn signed_in(a: &mut App) {
    a.update(Action::Token(TokenState::Valid(Arc::new(token(
        now_secs() - 60,
        86_400,
    )))));
}

fn now_secs() -> i64 {
    fixed_now().as_second()
}

fn response(status: u16, reason: &str, body: &str, request: &ApiRequest) -> ApiResponse {
    let settings = CallSettings {
        legal_entity: Some(ENTITY.into()),
        ..Default::default()
    };
    let tok = Secret::new("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl");
    ApiResponse {
        status,
        reason: reason.into(),
        headers: vec![
            (
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            ),
            ("date".into(), "Fri, 27 Nov 2026 12:00:00 GMT".into()),
        ],
        body: Bytes::from(body.to_string()),
        elapsed: Duration::from_millis(87),
        sent: SentRequest {
            method: request.method,
            url: format!(
                "https://api.sandbox.younium.com{}?PageSize=20&PageNumber=1",
                request.path
            ),
            headers: effective_headers(request, &settings, Some(&tok)),
            body: request.body.clone(),
            sent_at: fixed_now(),
        },
    }
}

/// `request` put in the builder (`Action::Load`), sent with F5 and answered with `response`,
/// indexed as the runner indexes it, the Response pane focused.
fn show(app: &mut App, response: ApiResponse, request: ApiRequest) {
    app.update(Action::Load(Box::new(Loading::Request(request))));
    let mut effects = press(app, KeyCode::F(5));
    if matches!(app.overlay(), Some(Overlay::Confirm(_))) {
        // A body its schema finds fault with: sent anyway, as asked.
        effects = press(app, KeyCode::Char('y'));
    }
    let id = crate::common::app::sent_id(&effects);
    let body = response.body.clone();
    crate::common::app::respond(app, id, response);
    let doc = Arc::new(Document::new(body.clone(), true));
    let page = PageInfo::probe(&body);
    app.update(Action::Indexed { id, doc, page });
    crate::common::keys::focus(app, Focus::Response);
}

fn accounts_page() -> String {
    let records: Vec<serde_json::Value> = (1..=3)
        .map(|i| {
            serde_json::json!({
                "id": format!("53abf01b-5942-4bed-b61f-08da9ad6fb8{i}"),
                "accountNumber": format!("A-00000{i}"),
                "name": format!("Example Customer {i}"),
                "currencyCode": "SEK",
                "inactive": false,
                "cmrr": {"amount": 9000.0 * i as f64, "currencyCode": "SEK"}
            })
        })
        .collect();
    serde_json::json!({
        "pageNumber": 1, "pageSize": 20, "totalPages": 3, "totalCount": 57,
        "nextPage": "https://api.sandbox.younium.com/Accounts?PageNumber=2&PageSize=20",
        "previousPage": null, "data": records
    })
    .to_string()
}

#[test]
fn token_states() {
    let mut a = app();
    a.update(Action::Token(TokenState::Missing));
    insta::assert_snapshot!("token_none", render(&mut a));
    a.update(Action::Token(TokenState::Fetching));
    insta::assert_snapshot!("token_fetching", render(&mut a));
    a.update(Action::Token(TokenState::Valid(Arc::new(token(
        now_secs() - 600,
        86_400,
    )))));
    insta::assert_snapshot!("token_valid", render(&mut a));
    a.update(Action::Token(TokenState::Expiring(Arc::new(token(
        now_secs() - 86_200,
        86_400,
    )))));
    insta::assert_snapshot!("token_expiring", render(&mut a));
    a.update(Action::Token(TokenState::Failed {
        error: AuthError::Rejected {
            status: 401,
            message: "Invalid client credentials".into(),
        },
        previous: None,
        retry_at: None,
        attempts: 1,
    }));
    insta::assert_snapshot!("token_failed", render(&mut a));
}

#[test]
fn response_json_paged() {
    let mut a = app();
    signed_in(&mut a);
    let req = ApiRequest::new(Method::Get, "/Accounts");
    show(&mut a, response(200, "OK", &accounts_page(), &req), req);
    insta::assert_snapshot!("response_json", render(&mut a));
}

/// `Z` gives the focused pane the whole screen between the title and the footer; `Z` again
/// gives the other panes back.
#[test]
fn response_maximised() {
    let mut a = app();
    signed_in(&mut a);
    let req = ApiRequest::new(Method::Get, "/Accounts");
    show(&mut a, response(200, "OK", &accounts_page(), &req), req);
    press(&mut a, KeyCode::Char('Z'));
    insta::assert_snapshot!("response_maximised", render(&mut a));
    press(&mut a, KeyCode::Char('Z'));
    assert!(render(&mut a).contains("1 Connection"));
}

#[test]
fn response_forbidden_with_explanation() {
    let mut a = app();
    signed_in(&mut a);
    let req = ApiRequest::new(Method::Get, "/Invoices");
    show(&mut a, response(403, "Forbidden", "", &req), req);
    insta::assert_snapshot!("response_403", render(&mut a));
}

#[test]
fn response_empty_list() {
    let mut a = app();
    signed_in(&mut a);
    let body = r#"{"errors":{"message":["No invoices could be found"]},"type":"https://tools.ietf.org/html/rfc7231#section-6.5.1","title":"One or more validation errors occurred.","status":400,"traceId":"00-3d2bb54c2d84258e9d15f951f7c337a8-2ad73a76575f4b69-01"}"#;
    let req = ApiRequest::new(Method::Get, "/Invoices");
    show(&mut a, response(400, "Bad Request", body, &req), req);
    insta::assert_snapshot!("response_empty_list", render(&mut a));
}

#[test]
fn response_large_body_scrolled() {
    let mut a = app();
    signed_in(&mut a);
    let records: Vec<serde_json::Value> = (0..5000)
        .map(|i| serde_json::json!({"id": i, "name": format!("Account {i}"), "tags": ["a", "b"]}))
        .collect();
    let body = serde_json::Value::Array(records).to_string();
    let req = ApiRequest::new(Method::Get, "/Accounts");
    show(&mut a, response(200, "OK", &body, &req), req);
    press(&mut a, KeyCode::Char('G'));
    for _ in 0..3 {
        press(&mut a, KeyCode::PageUp);
    }
    insta::assert_snapshot!("response_large_scrolled", render(&mut a));
}

/// Runs the match count an effect asks for, as the runner would, and reports it.
fn run_count(app: &mut App, effects: Vec<Effect>) {
    for effect in effects {
        if let Effect::CountMatches {
            id,
            doc,
            matcher,
            cancel,
        } = effect
        {
            let index = index_matches(doc.as_ref(), &matcher, &cancel).map(Arc::new);
            app.update(Action::FindCount { id, index });
        }
    }
}

#[test]
fn response_find_with_matches_and_count() {
    let mut a = app();
    signed_in(&mut a);
    let records: Vec<serde_json::Value> = (0..5000)
        .map(|i| serde_json::json!({"id": i, "name": format!("Account {i}"), "note": format!("account {i}, account {}", i + 1)}))
        .collect();
    let body = serde_json::Value::Array(records).to_string();
    let req = ApiRequest::new(Method::Get, "/Accounts");
    show(&mut a, response(200, "OK", &body, &req), req);
    press(&mut a, KeyCode::Char('/'));
    let effects = typed(&mut a, "account 12");
    insta::assert_snapshot!("response_find_typing", render(&mut a));
    run_count(&mut a, effects);
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Char('n'));
    press(&mut a, KeyCode::Char('n'));
    let screen = render(&mut a);
    insta::assert_snapshot!("response_find_counted", screen);
    // The current match stands out from the others (no colour: reversed and bold).
    let mut terminal = Terminal::new(TestBackend::new(a.size().0, a.size().1)).unwrap();
    terminal.draw(|f| view::draw(&mut a, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let styles: Vec<Modifier> = (0..a.size().1)
        .flat_map(|y| (0..a.size().0).map(move |x| (x, y)))
        .map(|(x, y)| buffer[(x, y)].modifier)
        .collect();
    let current = Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED;
    assert_eq!(styles.iter().filter(|m| m.contains(current)).count(), 10);
    assert!(styles.iter().filter(|m| **m == Modifier::REVERSED).count() >= 20);
}

/// An invoice list for the jq snapshots.
fn invoices_body() -> String {
    let data: Vec<serde_json::Value> = (1..=6)
        .map(|i| serde_json::json!({"invoiceNumber": format!("INV-{i:04}"), "account": {"name": format!("Account {i}")}, "totalAmount": i * 25_000}))
        .collect();
    serde_json::json!({"data": data, "pageNumber": 1}).to_string()
}

/// Types `filter` into the jq line (opened with `|`) and presses Enter.
fn filter(app: &mut App, filter: &str) -> Vec<Effect> {
    press(app, KeyCode::Char('|'));
    typed(app, filter);
    press(app, KeyCode::Enter)
}

#[test]
fn response_jq_result() {
    let mut a = app();
    signed_in(&mut a);
    let req = ApiRequest::new(Method::Get, "/Invoices");
    show(&mut a, response(200, "OK", &invoices_body(), &req), req);
    let effects = filter(
        &mut a,
        ".data[] | select(.totalAmount > 50000) | {invoiceNumber, name: .account.name}",
    );
    let Some(Effect::RunJq {
        id,
        filter,
        body,
        cancel,
    }) = effects.into_iter().next()
    else {
        panic!("a jq run")
    };
    insta::assert_snapshot!("response_jq_running", render(&mut a));
    let result = run_filter(&filter, &body, &cancel);
    a.update(Action::JqDone { id, result });
    insta::assert_snapshot!("response_jq_result", render(&mut a));
}

#[test]
fn response_jq_error() {
    let mut a = app();
    signed_in(&mut a);
    let req = ApiRequest::new(Method::Get, "/Invoices");
    show(&mut a, response(200, "OK", &invoices_body(), &req), req);
    assert!(filter(&mut a, ".data[] | select(.totalAmount >").is_empty());
    insta::assert_snapshot!("response_jq_error", render(&mut a));
}

#[test]
fn request_tab_masks_the_token() {
    let mut a = app();
    signed_in(&mut a);
    let mut req = ApiRequest::new(Method::Post, "/Accounts");
    req.idempotency_key = Some("00000000-0000-4000-8000-0000000000aa".into());
    req.body = Some("{\n  \"name\": \"Acme\"\n}".into());
    show(
        &mut a,
        response(201, "Created", r#"{"id":"x","name":"Acme"}"#, &req),
        req,
    );
    press(&mut a, KeyCode::Char(']'));
    press(&mut a, KeyCode::Char(']'));
    let screen = render(&mut a);
    assert!(
        !screen.contains("eyJzdWIiOiIxIn0"),
        "token must be shortened"
    );
    insta::assert_snapshot!("response_request_tab", screen);
}

#[test]
fn request_builder_headers_and_invalid_body() {
    let mut a = app();
    signed_in(&mut a);
    crate::common::keys::focus(&mut a, Focus::Request);
    crate::common::keys::choose_method(&mut a, Method::Post);
    crate::common::keys::switch_off_header(&mut a, "api-version");
    // Back up to the path line, on the Headers tab.
    for _ in 0..16 {
        press(&mut a, KeyCode::Up);
    }
    insta::assert_snapshot!("request_headers", render(&mut a));
    press(&mut a, KeyCode::Char(']'));
    crate::common::keys::replace_body(&mut a, "{\n  \"name\": \"Acme\",\n}");
    insta::assert_snapshot!("request_body_invalid", render(&mut a));
}

#[test]
fn catalog_filtered() {
    let mut a = app();
    crate::common::keys::focus(&mut a, Focus::Catalog);
    press(&mut a, KeyCode::Char('/'));
    typed(&mut a, "users");
    insta::assert_snapshot!("catalog_filtered", render(&mut a));
}

#[test]
fn overlays() {
    let mut a = app();
    signed_in(&mut a);
    crate::common::keys::focus(&mut a, Focus::Response);
    press(&mut a, KeyCode::Char('?'));
    assert!(matches!(a.overlay(), Some(Overlay::Help { .. })));
    insta::assert_snapshot!("help_overlay", render(&mut a));
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('J'));
    insta::assert_snapshot!("jwt_overlay", render(&mut a));
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('L'));
    insta::assert_snapshot!("entity_picker", render(&mut a));
}

#[test]
fn production_write_needs_confirmation() {
    let mut a = app();
    crate::common::keys::choose_environment(&mut a, &Environment::Production);
    signed_in(&mut a);
    crate::common::keys::focus(&mut a, Focus::Request);
    crate::common::keys::choose_method(&mut a, Method::Delete);
    crate::common::keys::type_path(&mut a, "/Accounts/A-000001");
    let effects = press(&mut a, KeyCode::F(5));
    assert!(
        effects.is_empty(),
        "nothing is sent before the confirmation"
    );
    insta::assert_snapshot!("production_confirm", render(&mut a));
}

#[test]
fn welcome_and_too_small() {
    // No credentials yet: the welcome screen.
    let mut w = App::new(
        ConnectionPane::default(),
        ManagerOptions::default(),
        Theme::mono(),
        TimeZone::UTC,
        fixed_now(),
    );
    assert_eq!(w.screen(), Screen::Welcome);
    insta::assert_snapshot!("welcome", render(&mut w));
    let mut a = app();
    a.update(Action::Resize(59, 24));
    insta::assert_snapshot!("too_small", render(&mut a));
}

#[test]
fn sending_state() {
    let mut a = app();
    signed_in(&mut a);
    assert!(!press(&mut a, KeyCode::F(5)).is_empty(), "sent");
    assert!(matches!(
        a.response().state(),
        ResponseState::Sending { .. }
    ));
    insta::assert_snapshot!("sending", render(&mut a));
}

#[test]
fn diagnosis_overlay() {
    use younium_tui::younium::doctor::diagnose::Diagnosis;
    use younium_tui::younium::doctor::{
        Discovery, DiscoverySource, LegalEntity as Entity, ProbeOutcome, plan_403, verdict_403,
    };
    let mut a = app();
    signed_in(&mut a);
    let entities = vec![
        Entity {
            name: ENTITY.into(),
            id: Some("1a7d0000-0000-4000-8000-00000000ab01".into()),
            roles: vec!["System Administrator".into()],
        },
        Entity {
            name: "Nordlys Software Inc".into(),
            id: Some("1a7d0000-0000-4000-8000-00000000ab02".into()),
            roles: vec!["Sales".into()],
        },
    ];
    let req = ApiRequest::new(Method::Get, "/Invoices");
    let mut plan = plan_403(&req, Some("Nordlys Software Inc"), &entities);
    for p in &mut plan.probes {
        let ok = p.label.starts_with("control")
            || p.header.as_deref().is_some_and(|h| entities[0].matches(h));
        p.outcome = ProbeOutcome::Status {
            status: if ok { 200 } else { 403 },
        };
    }
    let invoice_view = RequiredPermission {
        name: "Invoice View".into(),
        inferred: true,
    };
    let verdict = verdict_403(&plan, &entities, Some(&invoice_view));
    // GET /Invoices answers 403, D diagnoses it, and the diagnosis arrives.
    crate::common::keys::type_path(&mut a, "/Invoices");
    let id = crate::common::app::sent_id(&press(&mut a, KeyCode::F(5)));
    crate::common::answer_with(&mut a, id, (403, "Forbidden"), vec![], b"");
    let effects = press(&mut a, KeyCode::Char('D'));
    let Some(Effect::Diagnose { id, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    a.update(Action::Diagnosed {
        id: *id,
        diagnosis: Box::new(Diagnosis {
            method: "GET".into(),
            path: "/Invoices".into(),
            status: Some(403),
            discovery: Some(Discovery {
                entities,
                source: DiscoverySource::Users {
                    pages: 1,
                    users: 7,
                    current_user: Some("api@nordlys.example".into()),
                },
            }),
            plan: Some(plan),
            verdict,
        }),
    });
    assert!(matches!(a.overlay(), Some(Overlay::Diagnosis(_))));
    insta::assert_snapshot!("diagnosis_overlay", render(&mut a));
}
