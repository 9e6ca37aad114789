//! `w` on a list offers what to save: the body as received, or its records as JSON, NDJSON or
//! CSV; any other body goes straight to the file name. The runner writes the records file.

use crate::common;

use std::sync::Arc;

use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use younium_tui::export::Format;
use younium_tui::tui::app::{Action, App, Effect, Overlay};
use younium_tui::tui::view;

use crate::common::keys::press;

const PAGE: &str = r#"{"pageNumber": 1, "pageSize": 2, "totalPages": 1, "totalCount": 2,
  "data": [{"id": "i-1", "account": {"name": "Acme, \"AB\""}, "tags": ["a", "b"]},
           {"id": "i-2", "account": {"name": "Globex\nLtd"}, "total": 12.5}]}"#;

fn list_app() -> App {
    let mut app = common::viewer::app_showing(PAGE);
    let id = app.response().shown().unwrap().id;
    app.update(Action::Indexed {
        id,
        doc: Arc::new(younium_tui::pretty::Document::new(
            bytes::Bytes::from(PAGE),
            true,
        )),
        page: younium_tui::younium::paging::PageInfo::probe(PAGE.as_bytes()),
    });
    app.update(younium_tui::tui::app::Action::Resize(120, 30));
    app
}

#[test]
fn w_on_a_list_offers_the_formats_then_names_the_file_after_the_choice() {
    let mut app = list_app();
    press(&mut app, KeyCode::Char('w'));
    assert!(matches!(
        app.overlay(),
        Some(Overlay::SaveAs { selected: 0 })
    ));
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal.draw(|f| view::draw(&mut app, f)).unwrap();
    insta::assert_snapshot!("save_as_choice", terminal.backend().to_string());
    for _ in 0..3 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    let Some(Overlay::SaveRecords { input, format }) = &app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert_eq!(*format, Format::Csv);
    assert!(
        input.text().starts_with("younium-accounts-"),
        "{}",
        input.text()
    );
    assert!(input.text().ends_with(".csv"), "{}", input.text());
    let effects = press(&mut app, KeyCode::Enter);
    match effects.as_slice() {
        [Effect::SaveRecords { path, format, body }] => {
            assert!(path.to_string_lossy().ends_with(".csv"));
            assert_eq!(*format, Format::Csv);
            assert_eq!(body.as_ref(), PAGE.as_bytes());
        }
        other => panic!("{other:?}"),
    }
    // The first choice is the body as it came.
    let mut app = list_app();
    press(&mut app, KeyCode::Char('w'));
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay(), Some(Overlay::SaveBody(_))));
}

#[test]
fn w_on_a_single_record_asks_only_for_the_file_name() {
    let mut app = common::viewer::app_showing(r#"{"id": "a-1", "name": "Acme"}"#);
    press(&mut app, KeyCode::Char('w'));
    assert!(
        matches!(app.overlay(), Some(Overlay::SaveBody(_))),
        "{:?}",
        app.overlay()
    );
}

#[tokio::test]
async fn the_runner_writes_the_records_as_csv_that_reads_back() {
    let mut runner = common::live::offline_runner();
    let path = std::env::temp_dir().join(format!("younium-tui-save-as-{}.csv", std::process::id()));
    let _ = std::fs::remove_file(&path);
    runner.execute(Effect::SaveRecords {
        path: path.clone(),
        body: bytes::Bytes::from(PAGE),
        format: Format::Csv,
    });
    match runner.next_result().await {
        Some(Action::Status(message)) => {
            assert!(message.starts_with("saved 2 records as csv ("), "{message}")
        }
        other => panic!("{other:?}"),
    }
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers, ["id", "account.name", "tags", "total"]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows[0], ["i-1", "Acme, \"AB\"", r#"["a","b"]"#, ""]);
    assert_eq!(rows[1], ["i-2", "Globex\nLtd", "", "12.5"]);
    // A file that exists is never overwritten.
    runner.execute(Effect::SaveRecords {
        path: path.clone(),
        body: bytes::Bytes::from(PAGE),
        format: Format::Ndjson,
    });
    match runner.next_result().await {
        Some(Action::Status(message)) => assert!(message.contains("exists already"), "{message}"),
        other => panic!("{other:?}"),
    }
    let _ = std::fs::remove_file(&path);
}
