//! The Response pane with a body on screen, and keys typed into it: for the `update` tests of
//! the viewer (find, jq).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::tz::TimeZone;
use younium_tui::pretty::Document;
use younium_tui::session::{CallOutcome, ManagerOptions};
use younium_tui::tui::app::{Action, App, Effect, Focus};
use younium_tui::tui::panes::connection::ConnectionPane;
use younium_tui::tui::theme::Theme;
use younium_tui::younium::request::SentRequest;
use younium_tui::younium::{ApiResponse, Method, Secret, TokenState};

use super::{fixed_now, token};

/// Records 0..n, each one line of `"name": "Account i"` among others.
pub fn records(n: usize) -> String {
    let records: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"id": i, "name": format!("Account {i}"), "status": "Posted"}))
        .collect();
    serde_json::Value::Array(records).to_string()
}

/// An app with `body` on screen in the Response pane, indexed, 20 lines high.
pub fn app_showing(body: &str) -> App {
    let pane = ConnectionPane {
        client_id: "id".into(),
        secret: Some(Secret::new("s")),
        ..Default::default()
    };
    let mut app = App::new(
        pane,
        ManagerOptions::default(),
        Theme { colour: false },
        TimeZone::UTC,
        fixed_now(),
    );
    app.now = fixed_now();
    app.token.state = TokenState::Valid(Arc::new(token(fixed_now().as_second() - 10, 3600)));
    let effects = app.update(key(KeyCode::F(5))).1;
    let id = effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { id, .. } => Some(*id),
            _ => None,
        })
        .expect("sent");
    let response = ApiResponse {
        status: 200,
        reason: "OK".into(),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-trace".into(), "Posted-42".into()),
        ],
        body: Bytes::from(body.to_string()),
        elapsed: Duration::from_millis(5),
        sent: SentRequest {
            method: Method::Get,
            url: "http://x/Invoices".into(),
            headers: vec![],
            body: None,
            sent_at: fixed_now(),
        },
    };
    app.update(Action::Response {
        id,
        result: Ok(CallOutcome {
            response,
            token: None,
            retried_after_401: false,
            renewal_error: None,
        }),
    });
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
