//! `update` tests of find in the response (`/`, typing, Enter, `n`, `N`, Esc): where the view
//! goes, the count that comes back from the background, stale counts dropped, a new search
//! stopping the old count.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use crossterm::event::KeyCode;
use younium_tui::pretty::find::index_matches;
use younium_tui::tui::app::{Action, App, Effect};
use younium_tui::tui::panes::response::ResponseTab;

use crate::common::keys::{press, typed};
use crate::common::viewer::{app_showing, records};

/// Runs the count an effect asks for, as the runner would, and reports it.
fn count(app: &mut App, effects: Vec<Effect>) -> bool {
    let Some(Effect::CountMatches {
        id,
        doc,
        matcher,
        cancel,
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::CountMatches { .. }))
    else {
        panic!("no count was asked for")
    };
    let index = index_matches(doc.as_ref(), &matcher, &cancel).map(Arc::new);
    app.update(Action::FindCount { id, index }).0
}

fn current_line(app: &App) -> Option<usize> {
    app.response()
        .find()
        .as_ref()?
        .current
        .as_ref()
        .map(|h| h.line)
}

#[test]
fn slash_opens_the_line_and_typing_finds_as_you_type() {
    let mut app = app_showing(&records(100));
    assert!(press(&mut app, KeyCode::Char('/')).is_empty());
    assert!(app.response().is_editing());
    assert!(
        app.is_editing(),
        "global keys are off while the line is open"
    );
    let effects = typed(&mut app, "account 4");
    // `[`, then 5 lines a record: "Account 4" is on line 1 + 5 * 4 + 2.
    assert_eq!(current_line(&app), Some(23));
    assert_eq!(app.response().scroll(), 23 - 10, "the match is centred");
    assert_eq!(app.response().find_title(), "/account 4 counting… ");
    assert!(count(&mut app, effects));
    // Account 4 and Account 40..49.
    assert_eq!(app.response().find_title(), "/account 4 1 of 11 ");
    // Smart case: a capital makes it case-sensitive.
    let effects = typed(&mut app, "X");
    assert_eq!(current_line(&app), None);
    count(&mut app, effects);
    assert_eq!(app.response().find_title(), "/account 4X no match ");
}

#[test]
fn enter_keeps_the_search_and_n_and_shift_n_walk_it() {
    let mut app = app_showing(&records(100));
    press(&mut app, KeyCode::Char('/'));
    let effects = typed(&mut app, "\"status\": \"posted\"");
    count(&mut app, effects);
    press(&mut app, KeyCode::Enter);
    assert!(!app.response().is_editing());
    assert!(!app.is_editing());
    assert_eq!(current_line(&app), Some(4));
    assert_eq!(
        app.response().find_title(),
        "/\"status\": \"posted\" 1 of 100 "
    );
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(current_line(&app), Some(9));
    assert_eq!(
        app.response().find_title(),
        "/\"status\": \"posted\" 2 of 100 "
    );
    press(&mut app, KeyCode::Char('N'));
    press(&mut app, KeyCode::Char('N'));
    assert_eq!(current_line(&app), Some(499), "wraps to the last");
    assert_eq!(
        app.response().find_title(),
        "/\"status\": \"posted\" 100 of 100 "
    );
    assert_eq!(app.response().scroll(), 499 - 10);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(current_line(&app), Some(4), "and round to the first");
}

#[test]
fn n_finds_the_next_match_before_the_count_is_in() {
    let mut app = app_showing(&records(100));
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "posted");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(current_line(&app), Some(9));
    assert_eq!(app.response().find_title(), "/posted counting… ");
}

#[test]
fn esc_ends_the_search_and_goes_back() {
    let mut app = app_showing(&records(100));
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "account 90");
    assert!(app.response().scroll() > 400);
    press(&mut app, KeyCode::Esc);
    assert!(app.response().find().is_none());
    assert_eq!(app.response().scroll(), 0, "back where the search began");
    // After Enter, Esc ends the kept search; the view stays.
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "account 90");
    press(&mut app, KeyCode::Enter);
    let at = app.response().scroll();
    press(&mut app, KeyCode::Esc);
    assert!(app.response().find().is_none());
    assert_eq!(app.response().scroll(), at);
    // With no search, n does nothing (and does not page).
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
}

#[test]
fn a_new_search_stops_the_old_count_and_its_result_is_dropped() {
    let mut app = app_showing(&records(100));
    press(&mut app, KeyCode::Char('/'));
    let old = typed(&mut app, "account");
    let Some(Effect::CountMatches {
        id: old_id,
        cancel: old_cancel,
        doc,
        matcher,
    }) = old.into_iter().next()
    else {
        panic!("a count")
    };
    let new = typed(&mut app, " 7");
    assert!(
        old_cancel.load(Ordering::Relaxed),
        "the old count is told to stop"
    );
    let stale = index_matches(doc.as_ref(), &matcher, &Default::default()).map(Arc::new);
    assert!(
        !app.update(Action::FindCount {
            id: old_id,
            index: stale
        })
        .0
    );
    assert_eq!(app.response().find_title(), "/account 7 counting… ");
    assert!(count(&mut app, new));
    assert_eq!(app.response().find_title(), "/account 7 1 of 11 ");
    // A stopped count reports nothing.
    assert!(
        !app.update(Action::FindCount {
            id: 99,
            index: None
        })
        .0
    );
}

#[test]
fn finds_in_the_headers_tab_at_once() {
    let mut app = app_showing(&records(3));
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.response().tab(), ResponseTab::Headers);
    press(&mut app, KeyCode::Char('/'));
    let effects = typed(&mut app, "posted");
    assert!(effects.is_empty(), "a few lines: counted on the key");
    assert_eq!(current_line(&app), Some(1));
    assert_eq!(app.response().find_title(), "/posted 1 of 1 ");
    press(&mut app, KeyCode::Enter);
    // Another tab ends the search.
    press(&mut app, KeyCode::Char(']'));
    assert!(app.response().find().is_none());
}

#[test]
fn paging_moved_to_angle_brackets() {
    let app = app_showing(&records(1));
    let keys = &app.keymap();
    use younium_tui::tui::keymap::{Command, Scope};
    let hint = |c| keys.hint_in(Scope::Response, c);
    assert_eq!(hint(Command::Find), "/");
    assert_eq!(hint(Command::FindNext), "n");
    assert_eq!(hint(Command::FindPrevious), "N");
    assert_eq!(hint(Command::NextPage), ">");
    assert_eq!(hint(Command::PreviousPage), "<");
}

#[test]
fn counts_are_grouped_in_thousands() {
    use younium_tui::tui::panes::response::thousands;
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1_204), "1,204");
    assert_eq!(thousands(227_838), "227,838");
    assert_eq!(thousands(1_000_000), "1,000,000");
}
