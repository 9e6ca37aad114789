//! `A` in the Response pane through `update` alone: what it asks the runner for, the progress
//! bar as it runs, Esc's stop, the merged array when it ends (and its history entry), and the
//! question a send asks while it runs. Snapshots of the bar and of the stopped state.

use crate::common;

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use crossterm::event::KeyCode;
use younium_tui::pretty::Document;
use younium_tui::tui::app::{Action, App, Effect, Focus, Overlay};
use younium_tui::tui::history::{HistoryAccess, HistoryJob};
use younium_tui::younium::all_pages::{Finish, Merged, Progress};
use younium_tui::younium::paging::PageInfo;

use crate::common::keys::press;
use crate::common::screen::render;

const PAGE: &str = r#"{"pageNumber": 1, "pageSize": 2, "totalPages": 40, "totalCount": 80,
  "nextPage": "http://x/Invoices?PageNumber=2", "data": [{"id": "i-1"}, {"id": "i-2"}]}"#;

/// An app showing the first page of a paged list (indexed, its page facts read).
fn paged_app() -> App {
    let mut app = common::viewer::app_showing(PAGE);
    let id = app.response().shown().unwrap().id;
    app.update(Action::Indexed {
        id,
        doc: Arc::new(Document::new(Bytes::from(PAGE), true)),
        page: PageInfo::probe(PAGE.as_bytes()),
    });
    app.use_history(HistoryAccess::On("/tmp/history.sqlite3".into()));
    app.update(younium_tui::tui::app::Action::Resize(120, 30));
    app
}

fn started(app: &mut App) -> u64 {
    let effects = press(app, KeyCode::Char('A'));
    match effects.as_slice() {
        [
            Effect::AllPages {
                id,
                request,
                first,
                options,
                ..
            },
        ] => {
            assert_eq!(request.path, "/Accounts");
            assert_eq!(first.as_ref().map(|f| f.status), Some(200));
            assert_eq!(options.concurrency, 4);
            *id
        }
        other => panic!("{other:?}"),
    }
}

fn progress(pages: u64, waiting: Option<Duration>) -> Progress {
    Progress {
        pages_done: pages,
        pages_total: Some(40),
        records_done: pages * 2,
        records_total: Some(80),
        elapsed: Duration::from_secs(pages),
        waiting,
        retries: 1,
    }
}

fn merged(pages: u64, finish: Finish) -> Merged {
    let records: Vec<String> = (1..=pages * 2)
        .map(|i| format!(r#"{{"id": "i-{i}"}}"#))
        .collect();
    Merged {
        records: Bytes::from(format!("[{}]", records.join(","))),
        record_count: pages * 2,
        pages,
        pages_total: Some(40),
        finish,
        elapsed: Duration::from_secs(pages),
        head: None,
    }
}

#[test]
fn a_starts_only_on_a_paged_list() {
    let mut app = common::signed_in_app();
    crate::common::keys::focus(&mut app, Focus::Response);
    assert!(press(&mut app, KeyCode::Char('A')).is_empty());
    assert!(
        app.status()
            .as_deref()
            .unwrap()
            .contains("send a list request first")
    );

    let mut app = common::viewer::app_showing(r#"{"id": "a-1"}"#);
    assert!(press(&mut app, KeyCode::Char('A')).is_empty());
    assert!(
        app.status()
            .as_deref()
            .unwrap()
            .starts_with("Not a paged list"),
        "{:?}",
        app.status()
    );

    let mut app = paged_app();
    let id = started(&mut app);
    assert_eq!(app.response().all_pages().map(|r| r.id), Some(id));
    assert!(
        press(&mut app, KeyCode::Char('A')).is_empty(),
        "one run at a time"
    );
    assert!(
        app.status()
            .as_deref()
            .unwrap()
            .starts_with("Already fetching")
    );
}

#[test]
fn the_bar_shows_pages_records_rate_and_time_left_and_esc_stops() {
    let mut app = paged_app();
    let id = started(&mut app);
    app.update(Action::AllPagesProgress {
        id,
        progress: progress(17, None),
    });
    insta::assert_snapshot!("all_pages_running", render(&mut app));
    // A 429: the wait is said instead of the time left.
    app.update(Action::AllPagesProgress {
        id,
        progress: progress(18, Some(Duration::from_secs(5))),
    });
    let screen = render(&mut app);
    assert!(screen.contains("the server asked to wait: 5 s"), "{screen}");
    // Moving to another pane and back leaves it running.
    press(&mut app, KeyCode::Char('4'));
    press(&mut app, KeyCode::Char('5'));
    assert!(app.response().all_pages().is_some());

    let effects = press(&mut app, KeyCode::Esc);
    assert!(
        matches!(effects.as_slice(), [Effect::StopAllPages]),
        "{effects:?}"
    );
    assert!(app.response().all_pages().unwrap().stopping);
    let effects = app
        .update(Action::AllPagesDone {
            id,
            result: Ok(merged(17, Finish::Stopped)),
        })
        .1;
    assert!(app.response().all_pages().is_none());
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::History(HistoryJob::Record(x))
            if x.response.body.starts_with(b"[{\"id\": \"i-1\"}"))),
        "the merged array is recorded as one entry: {effects:?}"
    );
    let shown = app.response().shown().unwrap();
    assert_eq!(
        shown.notes,
        ["merged into one array: pages 1–17 of 40: stopped"]
    );
    assert!(
        shown.request.query.iter().all(|p| p.name != "PageNumber"),
        "{:?}",
        shown.request.query
    );
    let index = effects
        .iter()
        .find_map(|e| match e {
            Effect::Index { id, body, .. } => Some((*id, body.clone())),
            _ => None,
        })
        .expect("the records are indexed");
    app.update(Action::Indexed {
        id: index.0,
        doc: Arc::new(Document::new(index.1, true)),
        page: None,
    });
    insta::assert_snapshot!("all_pages_stopped", render(&mut app));
}

#[test]
fn a_failed_page_is_named_and_the_pages_before_it_are_kept() {
    let mut app = paged_app();
    let id = started(&mut app);
    app.update(Action::AllPagesDone {
        id,
        result: Ok(merged(
            3,
            Finish::Failed {
                page: 4,
                message: "Internal Server Error".into(),
            },
        )),
    });
    let shown = app.response().shown().unwrap();
    assert!(
        shown.notes[0].contains("page 4 failed"),
        "{:?}",
        shown.notes
    );
    assert!(
        shown.notes[1].contains("pages 1–3 only"),
        "{:?}",
        shown.notes
    );
    // Nothing at all fetched: the page stays, the status says why.
    let mut app = paged_app();
    let id = started(&mut app);
    let before = app.response().shown().unwrap().id;
    app.update(Action::AllPagesDone {
        id,
        result: Err("page 2 failed: 403 Forbidden".into()),
    });
    assert_eq!(app.response().shown().unwrap().id, before);
    assert!(app.status().as_deref().unwrap().contains("page 2 failed"));
}

#[test]
fn a_send_while_it_runs_asks_first_and_yes_stops_it() {
    let mut app = paged_app();
    let id = started(&mut app);
    app.update(Action::AllPagesProgress {
        id,
        progress: progress(5, None),
    });
    crate::common::keys::focus(&mut app, Focus::Request);
    let effects = press(&mut app, KeyCode::F(5));
    assert!(effects.is_empty(), "{effects:?}");
    let Some(Overlay::Confirm(c)) = &app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert!(
        c.lines[0].contains("(5 pages of 40 so far)"),
        "{:?}",
        c.lines
    );
    let effects = press(&mut app, KeyCode::Char('y'));
    assert!(matches!(effects[0], Effect::StopAllPages), "{effects:?}");
    assert!(effects.iter().any(|e| matches!(e, Effect::Send { .. })));
    assert!(app.response().all_pages().is_none());
    // Its end, arriving after, changes nothing.
    assert!(
        !app.update(Action::AllPagesDone {
            id,
            result: Ok(merged(6, Finish::Stopped)),
        })
        .0
    );
}

/// Item 13 of "Exact": the run reaching its page cap asks before going past it; yes goes on,
/// no stops there (the engine keeps the pages); a question while another is open waits, and
/// `A` asks it. Item 12: a run stopped at the body limit names the pages kept.
#[test]
fn the_page_cap_asks_before_going_past_it() {
    use younium_tui::younium::all_pages::CapReached;
    use younium_tui::younium::limit::ByteSize;
    let mut app = paged_app();
    let id = started(&mut app);
    let cap = CapReached {
        pages: 10_000,
        pages_total: None,
        cap: 10_000,
    };
    assert!(
        app.update(Action::AllPagesCap {
            id,
            cap: cap.clone()
        })
        .0
    );
    let Some(Overlay::Confirm(question)) = &app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert_eq!(
        question.lines[0],
        "10,000 pages fetched (the 10,000-page cap, max_pages) and the list goes on."
    );
    let effects = press(&mut app, KeyCode::Char('y'));
    assert!(
        matches!(effects.as_slice(), [Effect::AllPagesPastCap(true)]),
        "{effects:?}"
    );
    app.update(Action::AllPagesCap {
        id,
        cap: cap.clone(),
    });
    let effects = press(&mut app, KeyCode::Char('n'));
    assert!(
        matches!(effects.as_slice(), [Effect::AllPagesPastCap(false)]),
        "{effects:?}"
    );
    assert!(app.overlay().is_none());

    // Another question is open: the run waits, the bar says so, `A` asks.
    press(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.overlay(), Some(Overlay::Help { .. })));
    app.update(Action::AllPagesCap { id, cap });
    assert!(matches!(app.overlay(), Some(Overlay::Help { .. })));
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
    assert!(render(&mut app).contains("waiting at the 10,000-page cap"));
    press(&mut app, KeyCode::Char('A'));
    assert!(
        matches!(app.overlay(), Some(Overlay::Confirm(_))),
        "{:?}",
        app.overlay()
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());

    let full = Finish::Sink(younium_tui::younium::all_pages::SinkStop::Full {
        limit: ByteSize::mib(512),
    });
    app.update(Action::AllPagesDone {
        id,
        result: Ok(merged(12, full)),
    });
    let notes = &app.response().shown().unwrap().notes;
    assert_eq!(
        notes[0],
        "merged into one array: pages 1–12 of 40 kept: 512 MiB limit"
    );
}
