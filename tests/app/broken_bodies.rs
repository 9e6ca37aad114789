//! Bodies that are not what they claim, on screen (TestBackend + insta): JSON cut short or
//! spoiled mid-way, shown pretty-printed up to the error with that line marked and the reason
//! above; an HTML error page highlighted as HTML; bytes that are not UTF-8 replaced and
//! counted. The answer goes through `update` and the indexing it asks for, as the runner
//! does it.

use crate::common;

use std::sync::Arc;

use crate::common::app::sent_id;
use crate::common::keys::press;
use crate::common::screen::draw;
use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use younium_tui::pretty::{BodyKind, Document};
use younium_tui::tui::app::{Action, App, Effect, Focus};
use younium_tui::tui::theme::{Background, Theme};

/// An app that sent a request and got `body` back with `content_type`, indexed as the runner
/// indexes it, the Response pane maximised on a 110×30 screen.
fn showing(content_type: &str, body: &[u8], colour: bool) -> App {
    let theme = Theme::new(colour, Background::Dark);
    let mut app = common::app::signed_in_app_with(common::app::credentials(), theme);
    let id = sent_id(&press(&mut app, KeyCode::F(5)));
    let headers = vec![("content-type".to_string(), content_type.to_string())];
    let effects = common::answer_with(&mut app, id, (200, "OK"), headers, body);
    let Some(Effect::Index {
        id,
        body,
        json,
        content_type,
        ..
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::Index { .. }))
    else {
        panic!("no indexing asked for");
    };
    let doc = Document::with_content_type(body, json, content_type.as_deref());
    app.update(Action::Indexed {
        id,
        doc: Arc::new(doc),
        page: None,
    });
    crate::common::keys::focus(&mut app, Focus::Response);
    app.update(younium_tui::tui::app::Action::Resize(110, 30));
    press(&mut app, KeyCode::Char('Z'));
    app
}

/// The buffer row that holds `text`, and the column where it starts.
fn find(buffer: &Buffer, text: &str) -> Option<(u16, u16)> {
    (0..buffer.area.height).find_map(|y| {
        let row: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol().chars().next().unwrap_or(' '))
            .collect();
        row.find(text)
            .map(|byte| (y, row[..byte].chars().count() as u16))
    })
}

/// A list answer cut off in the middle of a string (the connection dropped).
fn truncated_list() -> Vec<u8> {
    let records: Vec<serde_json::Value> = (1..=3)
        .map(|i| serde_json::json!({"id": format!("A-00000{i}"), "name": format!("Nordlys customer {i}"), "inactive": false}))
        .collect();
    let body = serde_json::json!({"pageNumber": 1, "totalCount": 57, "data": records}).to_string();
    let cut = body.find("customer 3").unwrap() + 4;
    body.as_bytes()[..cut].to_vec()
}

#[test]
fn a_truncated_json_body_is_marked_at_its_error() {
    let body = truncated_list();
    let mut app = showing("application/json; charset=utf-8", &body, false);
    let doc = app.response().doc().expect("indexed");
    assert_eq!(doc.kind(), BodyKind::BrokenJson);
    assert_eq!(doc.json_error_line(), Some(doc.line_count() - 1));
    insta::assert_snapshot!("broken_truncated_json", draw(&mut app).backend());

    // In colour, the marked line's number is in the error colour, the others dim.
    let mut app = showing("application/json", &body, true);
    let terminal = draw(&mut app);
    let buffer = terminal.backend().buffer();
    let (y, x) = find(buffer, "17✗").expect("the error mark");
    assert_eq!(buffer[(x, y)].fg, Color::LightRed);
    assert_eq!(buffer[(x + 2, y)].fg, Color::LightRed);
    let (y, x) = find(buffer, " 1 {").expect("the first line");
    assert_eq!(buffer[(x + 1, y)].fg, Color::DarkGray);
}

#[test]
fn a_stray_byte_shows_the_rest_as_received_from_the_marked_line() {
    let body = br#"{"pageNumber":1,"data":[{"id":"A-000001","amount":12.5},{"id":"A-000002","amount":NaN},{"id":"A-000003"}]}"#;
    let mut app = showing("application/json", body, false);
    insta::assert_snapshot!("broken_stray_byte", draw(&mut app).backend());
}

#[test]
fn an_html_body_is_highlighted_as_html() {
    let page = "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n";
    let mut app = showing("text/html", page.as_bytes(), false);
    assert_eq!(app.response().doc().unwrap().kind(), BodyKind::Text);
    insta::assert_snapshot!("broken_html_body", draw(&mut app).backend());

    // In colour a tag's name and the text between tags differ.
    let mut app = showing("text/html; charset=utf-8", page.as_bytes(), true);
    let terminal = draw(&mut app);
    let buffer = terminal.backend().buffer();
    let (y, x) = find(buffer, "<h1>502").expect("the heading");
    let tag = buffer[(x + 1, y)].fg;
    let text = buffer[(x + 4, y)].fg;
    assert_ne!(tag, text, "h1 and its text");
    // The same page as plain text has one colour.
    let mut app = showing("text/plain", page.as_bytes(), true);
    let terminal = draw(&mut app);
    let buffer = terminal.backend().buffer();
    let (y, x) = find(buffer, "<h1>502").expect("the heading");
    assert_eq!(buffer[(x + 1, y)].fg, buffer[(x + 4, y)].fg);
}

#[test]
fn bytes_that_are_not_utf8_are_replaced_and_counted() {
    let body = b"name;city\nAcme;G\xf6teborg\nNordlys;Malm\xf6\n\xff\xfe\n";
    let mut app = showing("text/csv", body, false);
    let doc = app.response().doc().unwrap();
    assert_eq!(doc.invalid_utf8(), 4);
    let screen = draw(&mut app).backend().to_string();
    assert!(
        screen.contains("Not valid UTF-8: 4 bytes shown as �."),
        "{screen}"
    );
    assert!(screen.contains("Acme;G�teborg"), "{screen}");
}

#[test]
fn control_characters_in_a_text_body_are_drawn_as_visible_stand_ins() {
    let body = b"before \x1b[2J\x07 after\x01\nok \xe2\x80\xae reversed\n";
    let mut app = showing("text/plain", body, false);
    let terminal = draw(&mut app);
    let buffer = terminal.backend().buffer();
    assert!(
        find(buffer, "before \u{241b}[2J\u{2407} after\u{2401}").is_some(),
        "{}",
        terminal.backend()
    );
    assert!(find(buffer, "ok \u{fffd} reversed").is_some());
}
