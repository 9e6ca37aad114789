//! `update` tests of the body's cursor line, folding (`Enter`, `z a`, `z M`, `z R`) and the
//! JSON path (`Y`), with snapshots of a folded array and object and of the path line.

use crossterm::event::KeyCode;
use younium_tui::tui::app::{App, CopyText, Effect};

use crate::common::keys::{press, typed};
use crate::common::screen::render;
use crate::common::viewer::app_showing;

/// Two invoices, each with lines, in a Younium-like envelope.
const BODY: &str = r#"{"pageNumber":1,"data":[{"invoiceNumber":"I-000001","account":{"name":"Kestrel Analytics AB","accountNumber":"A-000001"},"invoiceLines":[{"productName":"Platform","amount":100},{"productName":"Support","amount":20}],"status":"Posted"},{"invoiceNumber":"I-000002","account":{"name":"Nordlys Software AB","accountNumber":"A-000002"},"invoiceLines":[{"productName":"Seats","amount":5}],"status":"Draft"}],"totalCount":2}"#;
//  0 {
//  1   "pageNumber": 1,
//  2   "data": [
//  3     {
//  4       "invoiceNumber": "I-000001",
//  5       "account": {
//  6         "name": "Kestrel Analytics AB",
//  7         "accountNumber": "A-000001"
//  8       },
//  9       "invoiceLines": [
// 10         {
// 11           "productName": "Platform",
// 12 …

fn down(app: &mut App, n: usize) {
    for _ in 0..n {
        press(app, KeyCode::Char('j'));
    }
}

fn cursor(app: &App) -> usize {
    app.response().view().cursor
}

fn rows(app: &App) -> usize {
    let doc = app.response().doc().unwrap();
    app.response().view().folds.rows(&doc)
}

fn copied(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Copy {
            text: CopyText::Text(text),
            ..
        } => Some(text.clone()),
        _ => None,
    })
}

#[test]
fn j_and_k_move_the_cursor_and_the_view_follows() {
    let mut app = app_showing(BODY);
    // A 120×21 screen leaves the body five lines.
    app.update(younium_tui::tui::app::Action::Resize(120, 21));
    crate::common::screen::render(&mut app);
    assert_eq!(app.response().viewport(), 5);
    down(&mut app, 3);
    assert_eq!((cursor(&app), app.response().scroll()), (3, 0));
    down(&mut app, 3);
    assert_eq!(
        (cursor(&app), app.response().scroll()),
        (6, 2),
        "the view follows"
    );
    press(&mut app, KeyCode::Char('k'));
    assert_eq!((cursor(&app), app.response().scroll()), (5, 2));
    press(&mut app, KeyCode::Char('G'));
    let last = app.response().doc().unwrap().line_count() - 1;
    assert_eq!((cursor(&app), app.response().scroll()), (last, last - 4));
    press(&mut app, KeyCode::Char('g'));
    assert_eq!((cursor(&app), app.response().scroll()), (0, 0));
}

#[test]
fn enter_and_z_a_fold_the_container_of_the_cursor_line_and_again_unfold_it() {
    let mut app = app_showing(BODY);
    let all = rows(&app);
    down(&mut app, 9);
    press(&mut app, KeyCode::Enter);
    assert_eq!(rows(&app), all - 9, "invoiceLines: 10 lines become 1");
    assert!(app.response().view().folds.is_folded(9));
    typed(&mut app, "za");
    assert_eq!(rows(&app), all, "again: unfolded");
    // On a member line, z a folds the container it is in and the cursor goes to its opener.
    down(&mut app, 2);
    assert_eq!(cursor(&app), 11);
    typed(&mut app, "za");
    assert_eq!(cursor(&app), 10);
    assert!(app.response().view().folds.is_folded(10));
    // The row after the fold is the line after its closing line.
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(cursor(&app), 14);
}

#[test]
fn z_m_folds_below_the_top_level_and_z_r_unfolds_all() {
    let mut app = app_showing(BODY);
    let all = rows(&app);
    down(&mut app, 6);
    typed(&mut app, "zM");
    assert_eq!(
        rows(&app),
        5,
        "{{ / pageNumber / data folded / totalCount / }}"
    );
    assert_eq!(cursor(&app), 2, "the cursor goes to the fold it is in");
    press(&mut app, KeyCode::Enter);
    assert_eq!(rows(&app), 8, "data open, its two invoices still folded");
    typed(&mut app, "zR");
    assert_eq!(rows(&app), all);
}

#[test]
fn z_then_another_key_does_nothing_but_end_the_prefix() {
    let mut app = app_showing(BODY);
    press(&mut app, KeyCode::Char('z'));
    assert!(app.response().awaiting_fold());
    press(&mut app, KeyCode::Char('j'));
    assert!(!app.response().awaiting_fold());
    assert_eq!(cursor(&app), 0, "j after z is not a move");
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(cursor(&app), 1);
}

#[test]
fn capital_y_copies_the_path_and_small_y_the_body() {
    let mut app = app_showing(BODY);
    down(&mut app, 11);
    let effects = press(&mut app, KeyCode::Char('Y'));
    assert_eq!(
        copied(&effects).as_deref(),
        Some(".data[0].invoiceLines[0].productName")
    );
    let effects = press(&mut app, KeyCode::Char('y'));
    assert!(
        effects.iter().any(|e| matches!(
            e,
            Effect::Copy {
                text: CopyText::Pretty(_),
                ..
            }
        )),
        "y copies the body"
    );
}

#[test]
fn a_match_inside_a_fold_is_unfolded_to_be_shown() {
    let mut app = app_showing(BODY);
    typed(&mut app, "zM");
    typed(&mut app, "/Seats");
    press(&mut app, KeyCode::Enter);
    let line = cursor(&app);
    let doc = app.response().doc().unwrap();
    assert!(doc.line(line).contains("Seats"));
    assert_eq!(
        app.response().view().folds.row_of_line(line),
        app.response().cursor_row()
    );
    assert!(
        !app.response().view().folds.is_folded(2),
        "its folds opened"
    );
}

#[test]
fn snapshot_folded_array_and_object_with_the_path_line() {
    let mut app = app_showing(BODY);
    down(&mut app, 5);
    press(&mut app, KeyCode::Enter);
    down(&mut app, 1);
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("folded_array_and_object", render(&mut app));
    typed(&mut app, "zM");
    insta::assert_snapshot!("fold_all", render(&mut app));
}
