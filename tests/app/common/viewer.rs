//! The Response pane with a body on screen: for the `update` tests of the viewer (find, jq,
//! folds, saving).

use std::sync::Arc;

use bytes::Bytes;
use crossterm::event::KeyCode;
use younium_tui::pretty::Document;
use younium_tui::tui::app::{Action, App, Focus};

use super::app::sent_id;
use super::keys::press;

/// Records 0..n, each one line of `"name": "Account i"` among others.
pub fn records(n: usize) -> String {
    let records: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"id": i, "name": format!("Account {i}"), "status": "Posted"}))
        .collect();
    serde_json::Value::Array(records).to_string()
}

/// An app with `body` on screen in the Response pane, indexed, 20 lines high.
pub fn app_showing(body: &str) -> App {
    app_showing_in(super::signed_in_app(), body)
}

/// `app` (signed in) with `body` on screen, as [`app_showing`].
pub fn app_showing_in(mut app: App, body: &str) -> App {
    let id = sent_id(&press(&mut app, KeyCode::F(5)));
    let headers = vec![
        ("content-type".into(), "application/json".into()),
        ("x-trace".into(), "Posted-42".into()),
    ];
    super::answer(&mut app, id, 200, headers, body);
    let doc = Arc::new(Document::new(Bytes::from(body.to_string()), true));
    app.update(Action::Indexed {
        id,
        doc,
        page: None,
    });
    crate::common::keys::focus(&mut app, Focus::Response);
    assert_eq!(
        app.response().viewport(),
        20,
        "the default, before anything is drawn"
    );
    app
}

/// Runs the filter an effect among `effects` asks for, as the runner would, and hands the app
/// its output; whether the app redraws.
pub fn run_jq(app: &mut App, effects: Vec<younium_tui::tui::app::Effect>) -> bool {
    use younium_tui::tui::app::Effect;
    let Some(Effect::RunJq {
        id,
        filter,
        body,
        cancel,
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::RunJq { .. }))
    else {
        panic!("no run was asked for")
    };
    let result = younium_tui::tui::panes::response::run_filter(&filter, &body, &cancel);
    app.update(Action::JqDone { id, result }).0
}
