//! Paging a v3 data-export answer in the UI (pure `update`, no network): `>` sends the request
//! the `nextPage` link names, the page number is counted, `<` has nothing to go back to, and a
//! link off the connected origin is refused.

use crate::common;

use std::sync::Arc;

use crossterm::event::KeyCode;
use younium_tui::tui::app::{Action, App, Effect, Focus};
use younium_tui::younium::paging::PageInfo;
use younium_tui::younium::request::Param;
use younium_tui::younium::{ApiRequest, Method};

use crate::common::app::{json_ok, respond};
use crate::common::keys::{press, typed};
use crate::common::screen::render;

/// The request of the first `Send` effect.
fn sent(effects: &[Effect]) -> Option<(u64, ApiRequest)> {
    effects.iter().find_map(|e| match e {
        Effect::Send { id, request, .. } => Some((*id, request.clone())),
        _ => None,
    })
}

/// Answers request `id` with `body` and indexes it, as the runner would.
fn answer(app: &mut App, id: u64, body: &str) {
    let url = "https://api.sandbox.younium.com/v3/Invoices";
    respond(app, id, json_ok(url, body));
    let body = app.response().shown().expect("shown").response.body.clone();
    let doc = Arc::new(younium_tui::pretty::Document::new(body.clone(), true));
    let page = PageInfo::probe(&body);
    app.update(Action::Indexed { id, doc, page });
    crate::common::keys::focus(app, Focus::Response);
}

/// A signed-in app that sent `GET /v3/Invoices?pageSize=2` and shows `first` as its answer.
fn showing_first_page(first: &str) -> App {
    let mut app = common::signed_in_app();
    let mut request = ApiRequest::new(Method::Get, "/v3/Invoices");
    request.query.push(Param::new("pageSize", "2"));
    app.update(younium_tui::tui::app::Action::Load(Box::new(
        younium_tui::tui::app::Loading::Request(request.clone()),
    )));
    let (id, sent_request) = sent(&press(&mut app, KeyCode::F(5))).expect("sent");
    assert_eq!(sent_request.path, "/v3/Invoices");
    answer(&mut app, id, first);
    app
}

fn summary(app: &App) -> String {
    app.response()
        .shown()
        .and_then(|s| s.page.as_ref())
        .map(PageInfo::summary)
        .unwrap_or_default()
}

#[test]
fn next_on_a_v3_page_sends_the_next_page_link_and_counts_pages() {
    let mut app = showing_first_page(
        r#"{"items":[{"id":"a"},{"id":"b"}],"nextPage":"/v3/Invoices?pageSize=2&cursor=c2ltLXYzOjI"}"#,
    );
    assert_eq!(summary(&app), "v3 page 1 (2 records)");
    assert!(
        press(&mut app, KeyCode::Char('<')).is_empty(),
        "a cursor has no previous page"
    );
    let (id, next) = sent(&press(&mut app, KeyCode::Char('>'))).expect("> sends");
    assert_eq!(next.method, Method::Get);
    assert_eq!(next.path, "/v3/Invoices");
    assert_eq!(
        next.query,
        vec![
            Param::new("pageSize", "2"),
            Param::new("cursor", "c2ltLXYzOjI")
        ]
    );
    answer(
        &mut app,
        id,
        r#"{"items":[{"id":"c"}],"nextPage":"/v3/Invoices?pageSize=2&cursor=c2ltLXYzOjM"}"#,
    );
    assert_eq!(summary(&app), "v3 page 2 (1 record)");
    let (id, _) = sent(&press(&mut app, KeyCode::Char('>'))).expect("> sends again");
    answer(&mut app, id, r#"{"items":[{"id":"d"}]}"#);
    assert_eq!(summary(&app), "v3 page 3 (1 record)");
    // The last page: nothing further, nothing back.
    assert!(sent(&press(&mut app, KeyCode::Char('>'))).is_none());
    assert!(sent(&press(&mut app, KeyCode::Char('<'))).is_none());
}

#[test]
fn a_next_page_link_that_is_not_a_url_is_refused_on_one_clean_line() {
    let mut app = showing_first_page(
        r#"{"items":[{"id":"a"}],"nextPage":"https://exa\u001b[31mmple:99999/v3\nx"}"#,
    );
    let effects = press(&mut app, KeyCode::Char('>'));
    assert!(sent(&effects).is_none(), "{effects:?}");
    let note = app.response().shown().expect("shown").notes.last().cloned();
    let note = note.expect("a note");
    assert!(
        note.contains("not requested") && !note.contains('\u{1b}') && !note.contains('\n'),
        "{note:?}"
    );
}

#[test]
fn a_next_page_link_to_another_origin_is_refused() {
    let mut app = showing_first_page(
        r#"{"items":[{"id":"a"}],"nextPage":"https://evil.example/v3/Invoices?cursor=x"}"#,
    );
    let effects = press(&mut app, KeyCode::Char('>'));
    assert!(sent(&effects).is_none(), "{effects:?}");
    let shown = app.response().shown().expect("still shown");
    assert!(
        shown
            .notes
            .iter()
            .any(|n| n.contains("not requested") && n.contains("evil.example")),
        "{:?}",
        shown.notes
    );
}

#[test]
fn the_catalogue_has_a_v3_group_marked_partly_guessed() {
    let mut app = common::signed_in_app();
    app.update(younium_tui::tui::app::Action::Resize(120, 40));
    crate::common::keys::focus(&mut app, Focus::Catalog);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "v3");
    press(&mut app, KeyCode::Enter);
    let screen = render(&mut app);
    assert!(screen.contains("partly guessed"), "{screen}");
    insta::assert_snapshot!("catalog_v3_group", screen);
}

#[test]
fn a_v3_page_shows_its_number_and_count_in_the_status_line() {
    let mut app = showing_first_page(
        r#"{"items":[{"id":"a"},{"id":"b"}],"nextPage":"/v3/Invoices?pageSize=2&cursor=c2ltLXYzOjI"}"#,
    );
    let (id, _) = sent(&press(&mut app, KeyCode::Char('>'))).expect("> sends");
    answer(&mut app, id, r#"{"items":[{"id":"c"}]}"#);
    app.update(younium_tui::tui::app::Action::Resize(120, 30));
    let screen = render(&mut app);
    assert!(screen.contains("v3 page 2 (1 record)"), "{screen}");
    insta::assert_snapshot!("response_v3_page_2", screen);
}

/// Item 9 of "Exact": `A` on page 2 of a v3 chain fetches from the chain's first request (the
/// one that was sent for page 1), not from page 2 taken for page 1, so no record is dropped and
/// the pages are counted from 1. Two steps on still leads back to the same first request.
#[test]
fn all_pages_from_a_later_v3_page_starts_from_the_first_request() {
    let mut app = showing_first_page(
        r#"{"items":[{"id":"a"},{"id":"b"}],"nextPage":"/v3/Invoices?pageSize=2&cursor=c2ltLXYzOjI"}"#,
    );
    let (id, _) = sent(&press(&mut app, KeyCode::Char('>'))).expect("> sends");
    answer(
        &mut app,
        id,
        r#"{"items":[{"id":"c"},{"id":"d"}],"nextPage":"/v3/Invoices?pageSize=2&cursor=c2ltLXYzOjQ"}"#,
    );
    let (id, _) = sent(&press(&mut app, KeyCode::Char('>'))).expect("> sends again");
    answer(
        &mut app,
        id,
        r#"{"items":[{"id":"e"}],"nextPage":"/v3/Invoices?pageSize=2&cursor=c2ltLXYzOjU"}"#,
    );
    assert_eq!(summary(&app), "v3 page 3 (1 record)");
    let effects = press(&mut app, KeyCode::Char('A'));
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::AllPages { request, .. } => Some(request.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("A starts a run: {effects:?} {:?}", app.status()));
    assert_eq!(request.path, "/v3/Invoices");
    assert_eq!(
        request.query,
        vec![Param::new("pageSize", "2")],
        "the first page's request, no cursor"
    );
    let first_given = effects
        .iter()
        .any(|e| matches!(e, Effect::AllPages { first: Some(_), .. }));
    assert!(!first_given, "page 3 on screen is not page 1 of the run");
}
