//! The Response pane with a body on screen, and keys typed into it: for the `update` tests of
//! the viewer (find, jq).

use std::sync::Arc;

use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use younium_tui::pretty::Document;
use younium_tui::tui::app::{Action, App, Effect, Focus};

/// Records 0..n, each one line of `"name": "Account i"` among others.
pub fn records(n: usize) -> String {
    let records: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"id": i, "name": format!("Account {i}"), "status": "Posted"}))
        .collect();
    serde_json::Value::Array(records).to_string()
}

/// An app with `body` on screen in the Response pane, indexed, 20 lines high.
pub fn app_showing(body: &str) -> App {
    let mut app = super::signed_in_app();
    let effects = app.update(key(KeyCode::F(5))).1;
    let id = effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { id, .. } => Some(*id),
            _ => None,
        })
        .expect("sent");
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
    app.focus = Focus::Response;
    app.response.viewport = 20;
    app
}

pub fn key(code: KeyCode) -> Action {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    Action::Key(KeyEvent::new(code, modifiers))
}

pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(key(code)).1
}

/// Types `text`, returning the effects of the last key.
pub fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    let mut last = Vec::new();
    for c in text.chars() {
        last = press(app, KeyCode::Char(c));
    }
    last
}
