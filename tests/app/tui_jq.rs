//! `update` tests of the jq filter line in the response (`|`, Enter, Esc): the run asked of
//! the background, compile errors under the line, the output shown and its title, the way
//! back to the body, stale runs dropped; and the run itself as the runner does it.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use crossterm::event::KeyCode;
use younium_tui::jq::Filter;
use younium_tui::pretty::find::index_matches;
use younium_tui::tui::app::{Action, App, Effect};
use younium_tui::tui::panes::response::{JqState, LineError, run_filter};

use crate::common::keys::{press, typed};
use crate::common::viewer::{app_showing, records, run_jq as run};

fn first_line(app: &App) -> String {
    app.response().doc().expect("a document").line(0)
}

#[test]
fn bar_opens_the_filter_line() {
    let mut app = app_showing(&records(3));
    assert!(press(&mut app, KeyCode::Char('|')).is_empty());
    assert!(app.response().jq_line().is_some());
    assert!(
        app.is_editing(),
        "global keys are off while the line is open"
    );
    // Esc in the line closes it; nothing else changes.
    press(&mut app, KeyCode::Esc);
    assert!(app.response().jq_line().is_none());
    assert!(matches!(app.response().jq(), JqState::Body));
}

#[test]
fn enter_runs_a_good_filter_in_the_background_and_shows_its_output() {
    let mut app = app_showing(&records(3));
    press(&mut app, KeyCode::Char('|'));
    typed(&mut app, ".[1]");
    let effects = press(&mut app, KeyCode::Enter);
    assert!(matches!(effects.as_slice(), [Effect::RunJq { .. }]));
    assert!(app.response().jq_line().is_none());
    assert_eq!(app.response().title(), "| .[1] running… ");
    assert_eq!(first_line(&app), "[", "the body until the output is in");
    assert!(run(&mut app, effects));
    assert_eq!(app.response().title(), "| .[1] ");
    assert_eq!(first_line(&app), "{");
    assert_eq!(
        app.response().doc().unwrap().line(2),
        "  \"name\": \"Account 1\","
    );
}

#[test]
fn several_outputs_are_shown_as_an_array() {
    let mut app = app_showing(&records(3));
    press(&mut app, KeyCode::Char('|'));
    typed(&mut app, ".[].name");
    let effects = press(&mut app, KeyCode::Enter);
    run(&mut app, effects);
    assert_eq!(
        app.response().title(),
        "| .[].name (3 outputs, as an array) "
    );
    assert_eq!(
        app.response().doc().unwrap().pretty_text(),
        "[\n  \"Account 0\",\n  \"Account 1\",\n  \"Account 2\"\n]\n"
    );
}

#[test]
fn a_compile_error_shows_jaqs_message_and_changes_nothing_else() {
    let mut app = app_showing(&records(3));
    press(&mut app, KeyCode::Char('|'));
    typed(&mut app, ".[] | select(.id ==");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    let line = app.response().jq_line().expect("the line stays open");
    let error = line.error.clone().expect("an error under the line");
    assert_eq!(error.column, Some(20));
    assert!(!error.message.is_empty());
    assert!(matches!(app.response().jq(), JqState::Body));
    assert_eq!(app.response().title(), "");
    // Typing clears the error.
    typed(&mut app, " 1)");
    assert!(app.response().jq_line().unwrap().error.is_none());
}

#[test]
fn a_runtime_error_shows_under_the_line_and_keeps_the_body() {
    let mut app = app_showing(&records(3));
    press(&mut app, KeyCode::Char('|'));
    typed(&mut app, ".[] | .name | .x");
    let effects = press(&mut app, KeyCode::Enter);
    assert!(run(&mut app, effects));
    let line = app.response().jq_line().expect("the line opens again");
    assert_eq!(line.input.text(), ".[] | .name | .x");
    assert!(matches!(line.error, Some(LineError { column: None, .. })));
    assert!(matches!(app.response().jq(), JqState::Body));
    assert_eq!(first_line(&app), "[");
}

#[test]
fn esc_or_an_empty_filter_goes_back_to_the_body_where_it_was() {
    let mut app = app_showing(&records(100));
    press(&mut app, KeyCode::Char('G'));
    let at = app.response().scroll();
    assert!(at > 0);
    press(&mut app, KeyCode::Char('|'));
    typed(&mut app, ".[0]");
    let effects = press(&mut app, KeyCode::Enter);
    run(&mut app, effects);
    assert_eq!(app.response().scroll(), 0);
    // Find works on the output, and Esc ends the search first.
    press(&mut app, KeyCode::Char('/'));
    let count = typed(&mut app, "account 0");
    let Some(Effect::CountMatches {
        id,
        doc,
        matcher,
        cancel,
    }) = count.into_iter().next()
    else {
        panic!("a count of the output's matches")
    };
    assert_eq!(doc.line(0), "{", "over the output");
    let index = index_matches(doc.as_ref(), &matcher, &cancel).map(Arc::new);
    app.update(Action::FindCount { id, index });
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.response().title(), "| .[0] /account 0 1 of 1 ");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.response().title(), "| .[0] ");
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.response().jq(), JqState::Body));
    assert_eq!(app.response().title(), "");
    assert_eq!(app.response().scroll(), at);
    // `|`, the filter shown is in the line; emptied and Enter: the body again.
    press(&mut app, KeyCode::Char('|'));
    typed(&mut app, ".[1]");
    let effects = press(&mut app, KeyCode::Enter);
    run(&mut app, effects);
    press(&mut app, KeyCode::Char('|'));
    assert_eq!(app.response().jq_line().unwrap().input.text(), ".[1]");
    for _ in 0..4 {
        press(&mut app, KeyCode::Backspace);
    }
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    assert!(matches!(app.response().jq(), JqState::Body));
    assert_eq!(first_line(&app), "[");
}

#[test]
fn esc_stops_a_run_and_its_result_is_dropped() {
    let mut app = app_showing(&records(3));
    press(&mut app, KeyCode::Char('|'));
    typed(&mut app, ".[0]");
    let effects = press(&mut app, KeyCode::Enter);
    let Some(Effect::RunJq {
        id, filter, body, ..
    }) = effects.into_iter().next()
    else {
        panic!("a run")
    };
    let Some(JqState::Running { cancel, .. }) = Some(&app.response().jq()) else {
        unreachable!()
    };
    let cancel = cancel.clone();
    press(&mut app, KeyCode::Esc);
    assert!(cancel.load(Ordering::Relaxed), "the run is told to stop");
    assert!(matches!(app.response().jq(), JqState::Body));
    let late = run_filter(&filter, &body, &AtomicBool::new(false));
    assert!(!app.update(Action::JqDone { id, result: late }).0);
    assert_eq!(first_line(&app), "[");
}

#[test]
fn a_newer_filter_drops_the_older_result() {
    let mut app = app_showing(&records(3));
    press(&mut app, KeyCode::Char('|'));
    typed(&mut app, ".[0]");
    let old = press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('|'));
    typed(&mut app, ".[2]");
    let new = press(&mut app, KeyCode::Enter);
    assert!(!run(&mut app, old), "stale");
    assert_eq!(app.response().title(), "| .[2] running… ");
    assert!(run(&mut app, new));
    assert_eq!(app.response().doc().unwrap().line(1), "  \"id\": 2,");
}

#[test]
fn up_and_down_recall_the_filters_of_the_session() {
    let mut app = app_showing(&records(3));
    for f in [".[0]", ".[1]", ".[0]"] {
        press(&mut app, KeyCode::Char('|'));
        for _ in 0..10 {
            press(&mut app, KeyCode::Backspace);
        }
        typed(&mut app, f);
        let effects = press(&mut app, KeyCode::Enter);
        run(&mut app, effects);
    }
    press(&mut app, KeyCode::Char('|'));
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, ".x");
    let text = |app: &App| app.response().jq_line().unwrap().input.text().to_string();
    press(&mut app, KeyCode::Up);
    assert_eq!(text(&app), ".[0]", "the newest, kept once");
    press(&mut app, KeyCode::Up);
    assert_eq!(text(&app), ".[1]");
    press(&mut app, KeyCode::Up);
    assert_eq!(text(&app), ".[1]", "the oldest stays");
    press(&mut app, KeyCode::Down);
    assert_eq!(text(&app), ".[0]");
    press(&mut app, KeyCode::Down);
    assert_eq!(text(&app), ".x", "past the newest: what was typed");
    // A filter that does not compile is not kept.
    for _ in 0..2 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, ".[");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Up);
    assert_eq!(text(&app), ".[0]");
}

#[test]
fn bar_is_in_the_keymap() {
    use younium_tui::tui::keymap::{Command, Scope};
    let app = app_showing(&records(1));
    assert_eq!(app.keymap().hint_in(Scope::Response, Command::Jq), "|");
}

/// What the runner does with `Effect::RunJq`.
#[test]
fn run_filter_makes_a_document_of_the_outputs() {
    let body = br#"{"data": [{"name": "Acme", "id": 1}, {"name": "Globex", "id": 2}]}"#;
    let filter = Filter::compile(".data[].name").unwrap();
    let output = run_filter(&filter, body, &AtomicBool::new(false)).unwrap();
    assert_eq!(output.outputs, 2);
    assert_eq!(
        output.doc.pretty_text(),
        "[\n  \"Acme\",\n  \"Globex\"\n]\n"
    );
    let one = Filter::compile(".data[0]").unwrap();
    let output = run_filter(&one, body, &AtomicBool::new(false)).unwrap();
    assert_eq!(output.outputs, 1);
    assert_eq!(output.doc.line_count(), 4);
    let none = Filter::compile("empty").unwrap();
    assert_eq!(
        run_filter(&none, body, &AtomicBool::new(false))
            .unwrap()
            .doc
            .pretty_text(),
        "[]\n"
    );
    let bad = Filter::compile(".data | .x").unwrap();
    assert!(run_filter(&bad, body, &AtomicBool::new(false)).is_err());
    assert!(run_filter(&filter, b"not json", &AtomicBool::new(false)).is_err());
    assert_eq!(
        run_filter(&filter, body, &AtomicBool::new(true)).unwrap_err(),
        "cancelled"
    );
}

/// The runner runs `Effect::RunJq` off the loop and reports the indexed output.
#[tokio::test]
async fn the_runner_runs_the_filter_and_reports_its_document() {
    let mut runner = common::live::offline_runner();
    runner.execute(Effect::RunJq {
        id: 7,
        filter: Filter::compile(".data[].name").unwrap(),
        body: Bytes::from_static(br#"{"data": [{"name": "Acme"}, {"name": "Globex"}]}"#),
        cancel: Arc::default(),
    });
    match runner.next_result().await {
        Some(Action::JqDone {
            id: 7,
            result: Ok(output),
        }) => {
            assert_eq!(output.outputs, 2);
            assert_eq!(
                output.doc.pretty_text(),
                "[\n  \"Acme\",\n  \"Globex\"\n]\n"
            );
        }
        other => panic!("{other:?}"),
    }
}
