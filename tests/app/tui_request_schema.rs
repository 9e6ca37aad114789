//! Writes from the spec in the Request pane: loading `POST /Accounts` fills its skeleton, the
//! field list (Ctrl-Space) offers what the object may still take and inserts the one picked,
//! problems against the schema are listed under the editor as the body changes, sending a body
//! with errors asks first naming the first one, and a typed body is never replaced unasked.

use crate::common;

use crossterm::event::KeyCode;
use younium_tui::tui::app::{App, Effect, Focus, Overlay};
use younium_tui::younium::Method;
use younium_tui::younium::schema::Severity;

use crate::common::app::sends;
use crate::common::keys::{ctrl, press, typed};
use crate::common::screen::render;

/// The signed-in app with `POST /Accounts` loaded from the Endpoints pane.
fn accounts_post() -> App {
    let mut app = common::signed_in_app();
    app.update(younium_tui::tui::app::Action::Resize(120, 40));
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "post accounts");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus(), Focus::Request);
    assert_eq!(
        (app.request().method(), app.request().template()),
        (Method::Post, "/Accounts")
    );
    app
}

#[test]
fn the_skeleton_holds_the_required_fields_and_its_one_blank_is_listed_to_fill_in() {
    let mut app = accounts_post();
    assert_eq!(
        app.request().body_text(),
        "{\n  \"name\": \"\",\n  \"currency\": \"SEK\"\n}"
    );
    assert!(
        !app.request().body_dirty(),
        "a skeleton is not the user's typing"
    );
    let report = app.request().body_report().expect("checked");
    assert_eq!(
        (report.errors, report.to_fill, report.warnings),
        (0, 1, 0),
        "the name is the user's to give, not an error: {report:?}"
    );
    assert_eq!(report.problems[0].path, ".name");
    assert_eq!(report.problems[0].line, Some(2));
    insta::assert_snapshot!("request_skeleton", render(&mut app));
}

#[test]
fn the_field_list_offers_what_is_missing_and_inserts_the_pick() {
    let mut app = accounts_post();
    ctrl(&mut app, ' ');
    let Some(Overlay::FieldList(list)) = &app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert_eq!(list.choices.place, ".");
    let names: Vec<&str> = list.choices.hints.iter().map(|h| h.name.as_str()).collect();
    assert!(
        !names.contains(&"name") && !names.contains(&"currency"),
        "{names:?}"
    );
    assert_eq!(names[0], "accountType");
    insta::assert_snapshot!("request_field_list", render(&mut app));
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay().is_none());
    assert_eq!(
        app.request().body_text(),
        "{\n  \"name\": \"\",\n  \"currency\": \"SEK\",\n  \"accountType\": \"Customer\"\n}"
    );
    assert!(
        app.request().is_editing_body(),
        "editing goes on at the new value"
    );
    // From inside the editor too: on the new line, the same object, one field fewer.
    ctrl(&mut app, ' ');
    let Some(Overlay::FieldList(list)) = &app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert!(list.choices.hints.iter().all(|h| h.name != "accountType"));
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
}

#[test]
fn problems_are_listed_as_the_body_changes_and_sending_asks_first() {
    let mut app = accounts_post();
    crate::common::keys::replace_body(
        &mut app,
        "{\n  \"name\": \"Acme\",\n  \"inactive\": \"yes\",\n  \"accountType\": \"Buyer\",\n  \
         \"nickname\": \"A\"\n}",
    );
    let report = app.request().body_report().cloned().expect("checked");
    let found: Vec<(&str, Severity, Option<usize>)> = report
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.severity, p.line))
        .collect();
    assert!(
        found.contains(&(".currency", Severity::Error, Some(1))),
        "{found:?}"
    );
    assert!(
        found.contains(&(".inactive", Severity::Error, Some(3))),
        "{found:?}"
    );
    assert!(
        found.contains(&(".accountType", Severity::Error, Some(4))),
        "{found:?}"
    );
    assert!(
        found.contains(&(".nickname", Severity::Warning, Some(5))),
        "{found:?}"
    );
    // The Request pane on the whole screen (`Z`) has room for every problem.
    press(&mut app, KeyCode::Char('Z'));
    insta::assert_snapshot!("request_body_problems", render(&mut app));
    press(&mut app, KeyCode::Char('Z'));

    // Sending asks, naming the first error; no leaves everything as it was.
    let effects = press(&mut app, KeyCode::F(5));
    assert!(!sends(&effects));
    let Some(Overlay::Confirm(confirm)) = &app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert_eq!(
        confirm.title,
        "The body does not match CreateAccountRequest"
    );
    assert_eq!(confirm.lines[0], report.first_error().unwrap().text());
    press(&mut app, KeyCode::Char('n'));
    assert!(app.overlay().is_none());

    // Fixed, with a warning left: sends without asking.
    crate::common::keys::replace_body(
        &mut app,
        "{\"name\": \"Acme\", \"currency\": \"SEK\", \"nickname\": \"A\"}",
    );
    let report = app.request().body_report().unwrap();
    assert_eq!((report.errors, report.warnings), (0, 1));
    let effects = press(&mut app, KeyCode::F(5));
    assert!(app.overlay().is_none(), "{:?}", app.overlay());
    assert!(sends(&effects));
}

#[test]
fn yes_sends_the_body_with_errors_as_it_was() {
    let mut app = accounts_post();
    let effects = press(&mut app, KeyCode::F(5));
    assert!(!sends(&effects));
    assert!(matches!(app.overlay(), Some(Overlay::Confirm(_))));
    let effects = press(&mut app, KeyCode::Char('y'));
    let sent = effects.iter().find_map(|e| match e {
        Effect::Send { request, .. } => Some(request.clone()),
        _ => None,
    });
    assert_eq!(
        sent.and_then(|r| r.body),
        Some("{\n  \"name\": \"\",\n  \"currency\": \"SEK\"\n}".to_string())
    );
}

#[test]
fn a_typed_body_is_not_replaced_without_asking() {
    let mut app = accounts_post();
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert!(app.request().is_editing_body());
    typed(&mut app, " ");
    press(&mut app, KeyCode::Esc);
    assert!(app.request().body_dirty());
    let typed_body = app.request().body_text();
    // Loading another operation asks first; no keeps the typing.
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('/'));
    for _ in 0.."post accounts".len() {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "post products");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let Some(Overlay::Confirm(confirm)) = &app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert_eq!(confirm.title, "Replace the body you typed?");
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.request().body_text(), typed_body);
    assert_eq!(app.request().template(), "/Accounts");
    // Yes loads it.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.request().template(), "/Products");
    assert!(!app.request().body_dirty());
}

#[test]
fn f8_goes_from_problem_to_problem_and_round() {
    let mut app = accounts_post();
    crate::common::keys::replace_body(
        &mut app,
        "{\n  \"name\": \"Acme\",\n  \"inactive\": \"yes\",\n  \"accountType\": \"Buyer\"\n}",
    );
    let f8 = |app: &mut App| {
        press(app, KeyCode::F(8));
    };
    // From the top: the missing currency is on line 1 (the object's), the cursor is there
    // already, so the next is line 3.
    f8(&mut app);
    assert!(app.request().is_editing_body());
    assert_eq!(app.request().body_cursor(), (2, 2));
    assert!(app.request().message().unwrap().contains(".inactive"));
    // In the editor too, then round to the first.
    f8(&mut app);
    assert_eq!(app.request().body_cursor(), (3, 2));
    f8(&mut app);
    assert_eq!(app.request().body_cursor(), (0, 0));
    assert!(app.request().message().unwrap().contains(".currency"));
}

#[test]
fn slash_filters_the_field_list_and_enter_inserts_the_first_match() {
    let mut app = accounts_post();
    ctrl(&mut app, ' ');
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "address");
    let Some(Overlay::FieldList(list)) = &app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    let names: Vec<&str> = list.visible().iter().map(|h| h.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "invoiceEmailAddress",
            "invoiceEmailCcAddresses",
            "electronicInvoiceAddress",
            "electronicInvoiceAddressScheme",
            "reminderEmailAddress",
            "defaultInvoiceAddress",
            "defaultDeliveryAddress"
        ]
    );
    // More words narrow it; a word of the type counts too.
    typed(&mut app, " AddressRequest deliv");
    insta::assert_snapshot!("request_field_list_filtered", render(&mut app));
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay().is_none());
    let body: serde_json::Value = serde_json::from_str(&app.request().body_text()).unwrap();
    assert!(body["defaultDeliveryAddress"].is_object(), "{body}");
    // Esc in the filter drops it and keeps the list; nothing matching inserts nothing.
    press(&mut app, KeyCode::Esc);
    ctrl(&mut app, ' ');
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "zzz");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay(), Some(Overlay::FieldList(_))));
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Esc);
    let Some(Overlay::FieldList(list)) = &app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert!(list.filter.is_empty());
    assert_eq!(list.visible().len(), list.choices.hints.len());
}

#[test]
fn a_body_over_the_limit_is_checked_once_when_sent() {
    let mut app = accounts_post();
    let pad = "x".repeat(younium_tui::tui::panes::request::SCHEMA_CHECK_LIMIT);
    crate::common::keys::replace_body(
        &mut app,
        &format!("{{\"name\": \"Big\", \"customFields\": {{\"pad\": \"{pad}\"}}}}"),
    );
    assert!(
        app.request().body_report().is_none(),
        "not checked as it is typed"
    );
    assert!(render(&mut app).contains("checked against its schema when sent"));
    let effects = press(&mut app, KeyCode::F(5));
    assert!(!sends(&effects));
    let Some(Overlay::Confirm(confirm)) = &app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert!(
        confirm.lines[0].contains(".currency"),
        "{:?}",
        confirm.lines
    );
}

#[test]
fn while_editing_the_status_line_names_the_cursor_field_and_its_type() {
    let mut app = accounts_post();
    crate::common::keys::replace_body(
        &mut app,
        "{\n  \"name\": \"\",\n  \"currency\": \"SEK\",\n  \"defaultInvoiceAddress\": {\n    \
         \"city\": \"Lund\",\n    \"colour\": 1\n  }\n}",
    );
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let mut fields = Vec::new();
    for _ in 0..8 {
        fields.push(app.request().cursor_field().unwrap_or_default());
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(
        fields,
        [
            ".: CreateAccountRequest",
            ".name: string, length ≥ 1",
            ".currency: LookupKeyCurrency (GUID, code or {key, value})",
            ".defaultInvoiceAddress: AddressRequest, nullable",
            ".defaultInvoiceAddress.city: string, nullable",
            ".defaultInvoiceAddress.colour: not in the schema",
            ".defaultInvoiceAddress: AddressRequest, nullable",
            ".: CreateAccountRequest",
        ]
    );
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Up);
    app.update(younium_tui::tui::app::Action::Resize(140, 40));
    let s = render(&mut app);
    assert!(
        s.contains(".defaultInvoiceAddress.city: string, nullable"),
        "{s}"
    );
}
