//! The history box and the comparison keys, through `update` alone (no file, no network): what
//! each key asks the runner to do, and the box as drawn (snapshots).

use crate::common;

use crate::common::keys::{press, typed};
use crate::common::screen::render;
use crossterm::event::KeyCode;
use jiff::Timestamp;
use younium_tui::history::Summary;
use younium_tui::tui::app::{Action, App, Effect, Focus, Overlay};
use younium_tui::tui::history::{CompareSide, EntryUse, HistoryAccess, HistoryJob, HistoryReply};
use younium_tui::younium::Method;

fn summary(id: i64, minutes_ago: i64, method: Method, path: &str, status: u16) -> Summary {
    Summary {
        id,
        time: Timestamp::from_second(common::fixed_now().as_second() - minutes_ago * 60).unwrap(),
        profile: Some("sandbox".into()),
        environment: "sandbox".into(),
        base_url: "https://api.sandbox.younium.com".into(),
        production: false,
        legal_entity: Some("Nordlys AB".into()),
        api_version: "2.1".into(),
        method,
        path: path.into(),
        query: String::new(),
        status,
        elapsed_ms: 80 + id as u64,
        size: 1_000 * id as u64,
    }
}

/// Newest first, as the file lists them.
fn entries() -> Vec<Summary> {
    let mut production = summary(4, 5, Method::Get, "/Invoices", 403);
    production.production = true;
    production.profile = Some("live".into());
    production.environment = "production".into();
    production.legal_entity = Some("Nordlys Inc".into());
    let mut paged = summary(3, 30, Method::Get, "/Invoices", 200);
    paged.query = "PageSize=20&PageNumber=2".into();
    vec![
        production,
        paged,
        summary(2, 60, Method::Patch, "/Accounts/A-1001", 200),
        summary(1, 24 * 60 + 1, Method::Get, "/Accounts/A-1001", 200),
    ]
}

/// An app with the box open and its list read.
fn with_box() -> App {
    let mut app = common::signed_in_app();
    app.update(younium_tui::tui::app::Action::Resize(150, 20));
    app.use_history(HistoryAccess::On("/tmp/history.sqlite3".into()));
    let effects = press(&mut app, KeyCode::Char('H'));
    let id = match effects.as_slice() {
        [Effect::History(HistoryJob::List { id })] => *id,
        other => panic!("{other:?}"),
    };
    app.update(Action::History(HistoryReply::Listed {
        id,
        result: Ok(entries()),
    }));
    app
}

fn selected(app: &App) -> Option<i64> {
    match &app.overlay() {
        Some(Overlay::History(b)) => b.selected_entry().map(|s| s.id),
        _ => None,
    }
}

#[test]
fn with_no_history_the_key_says_why_and_opens_nothing() {
    let mut app = common::signed_in_app();
    assert!(press(&mut app, KeyCode::Char('H')).is_empty());
    assert!(app.overlay().is_none());
    assert!(app.status().as_deref().unwrap().contains("--no-history"));
    // The file could not be opened on its first use.
    app.update(Action::History(HistoryReply::Opened(Err(
        "the history file /x: disk full".into(),
    ))));
    press(&mut app, KeyCode::Char('H'));
    assert_eq!(
        app.status().as_deref(),
        Some("No history: the history file /x: disk full; this session records nothing")
    );
}

#[test]
fn the_box_lists_newest_first_and_filters_as_you_type() {
    let mut app = with_box();
    insta::assert_snapshot!("history_box", render(&mut app));
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "patch");
    assert_eq!(selected(&app), Some(2));
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("history_box_filtered", render(&mut app));
    // Esc in the filter clears it; Esc again closes the box.
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Esc);
    assert_eq!(selected(&app), Some(2), "the selection stays on the entry");
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
}

#[test]
fn enter_loads_v_views_d_deletes() {
    let mut app = with_box();
    press(&mut app, KeyCode::Down);
    let effects = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::History(HistoryJob::Get {
                entry: 3,
                purpose: EntryUse::Load
            })]
        ),
        "{effects:?}"
    );
    assert!(app.overlay().is_none());

    let mut app = with_box();
    let effects = press(&mut app, KeyCode::Char('v'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::History(HistoryJob::Get {
            entry: 4,
            purpose: EntryUse::View
        })]
    ));

    let mut app = with_box();
    let effects = press(&mut app, KeyCode::Char('d'));
    assert!(matches!(
        effects.as_slice(),
        [Effect::History(HistoryJob::Delete { entry: 4 })]
    ));
    assert_eq!(selected(&app), Some(3), "the next entry is selected");
    let Some(Overlay::History(b)) = &app.overlay() else {
        panic!()
    };
    assert_eq!(b.visible.len(), 3);
}

#[test]
fn mark_then_compare_asks_for_the_two_entries_older_first() {
    let mut app = with_box();
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('m'));
    // `=` on the marked entry itself only says what to do.
    assert!(press(&mut app, KeyCode::Char('=')).is_empty());
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    insta::assert_snapshot!("history_box_marked", render(&mut app));
    let effects = press(&mut app, KeyCode::Char('='));
    match effects.as_slice() {
        [Effect::History(HistoryJob::Compare { old, new, .. })] => {
            assert!(matches!(old, CompareSide::Entry(1)), "{old:?}");
            assert!(matches!(new, CompareSide::Entry(3)), "{new:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(app.overlay(), Some(Overlay::Compare(_))));
    // With no mark, `=` compares an entry with the answer before it to the same call.
    let mut app = with_box();
    let effects = press(&mut app, KeyCode::Char('='));
    match effects.as_slice() {
        [Effect::History(HistoryJob::Compare { old, new, .. })] => {
            assert!(matches!(old, CompareSide::PreviousOfEntry(4)), "{old:?}");
            assert!(matches!(new, CompareSide::Entry(4)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn equals_in_the_response_pane_compares_the_answer_on_screen_with_the_one_before() {
    let mut app = common::signed_in_app();
    app.use_history(HistoryAccess::On("/tmp/history.sqlite3".into()));
    press(&mut app, KeyCode::Char('='));
    assert!(
        app.overlay().is_none(),
        "nothing on screen: nothing to compare"
    );
    crate::common::keys::type_path(&mut app, "/Accounts");
    crate::common::keys::focus(&mut app, Focus::Request);
    press(&mut app, KeyCode::F(5));
    let id = match &app.response().state() {
        younium_tui::tui::panes::response::ResponseState::Sending { id, .. } => *id,
        other => panic!("{other:?}"),
    };
    let effects = common::answer_with(&mut app, id, (200, "OK"), vec![], b"{\"data\": []}");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::History(HistoryJob::Record(_)))),
        "the answer is recorded: {effects:?}"
    );
    crate::common::keys::focus(&mut app, Focus::Response);
    let effects = press(&mut app, KeyCode::Char('='));
    match effects.as_slice() {
        [Effect::History(HistoryJob::Compare { old, new, .. })] => {
            assert!(
                matches!(old, CompareSide::PreviousOf { call, .. }
                    if call.method == Method::Get
                        && call.path == "/Accounts"
                        && call.query == [("PageSize".to_string(), "20".to_string()), ("PageNumber".to_string(), "1".to_string())]),
                "{old:?}"
            );
            assert!(
                matches!(new, CompareSide::Body { title, .. } if title.starts_with("on screen: GET /Accounts"))
            );
        }
        other => panic!("{other:?}"),
    }
    let Some(Overlay::Compare(c)) = &app.overlay() else {
        panic!()
    };
    let id = c.id;
    app.update(Action::History(HistoryReply::Compared {
        id,
        result: Err("The history has no earlier answer to GET /Accounts to compare with.".into()),
    }));
    insta::assert_snapshot!("compare_nothing_before", render(&mut app));
}
