//! The app under `update`, with no terminal and no network: signed in, answered as the runner
//! would answer it, and the effects it asks for.

use std::sync::Arc;
use std::time::Duration;

use younium_tui::session::{CallOutcome, ManagerOptions};
use younium_tui::tui::app::{Action, App, Effect, IdSource};
use younium_tui::tui::panes::connection::ConnectionPane;
use younium_tui::tui::theme::Theme;
use younium_tui::younium::request::SentRequest;
use younium_tui::younium::{ApiResponse, Method, Secret, TokenState};

use super::tokens::{fixed_now, token};

/// An app with credentials and a valid token at [`fixed_now`], without colour, ids seeded.
pub fn signed_in_app() -> App {
    signed_in_app_with(credentials(), Theme::mono())
}

/// The Connection pane with a client id and a secret, and nothing else set.
pub fn credentials() -> ConnectionPane {
    ConnectionPane::with_credentials("id", Secret::new("s"))
}

/// [`signed_in_app`] set up with `pane` (as the settings would fill it) and `theme`.
pub fn signed_in_app_with(pane: ConnectionPane, theme: Theme) -> App {
    let mut app = App::new(
        pane,
        ManagerOptions::default(),
        theme,
        jiff::tz::TimeZone::UTC,
        fixed_now(),
    );
    app.use_ids(IdSource::seeded(7));
    app.update(younium_tui::tui::app::Action::Token(TokenState::Valid(
        Arc::new(token(fixed_now().as_second() - 10, 3600)),
    )));
    app
}

/// The answer to request `id` arrives: `status`, `headers` and `body`, 3 ms after it was sent.
pub fn answer(app: &mut App, id: u64, status: u16, headers: Vec<(String, String)>, body: &str) {
    answer_with(app, id, (status, ""), headers, body.as_bytes());
}

/// [`answer`] with a reason phrase and a body of any bytes, returning the effects.
pub fn answer_with(
    app: &mut App,
    id: u64,
    (status, reason): (u16, &str),
    headers: Vec<(String, String)>,
    body: &[u8],
) -> Vec<Effect> {
    let response = ApiResponse {
        status,
        reason: reason.into(),
        headers,
        body: bytes::Bytes::copy_from_slice(body),
        elapsed: Duration::from_millis(3),
        sent: SentRequest {
            method: Method::Get,
            url: "http://x/".into(),
            headers: vec![],
            body: None,
            sent_at: fixed_now(),
        },
    };
    respond(app, id, response)
}

/// `response` arrives as the answer to request `id` (no renewal on the way); the effects.
pub fn respond(app: &mut App, id: u64, response: ApiResponse) -> Vec<Effect> {
    app.update(Action::Response {
        id,
        result: Ok(CallOutcome {
            response,
            token: None,
            retried_after_401: false,
            renewal_error: None,
        }),
    })
    .1
}

/// A `200 OK` JSON answer with `body` to a GET of `url`, 5 ms after it was sent.
pub fn json_ok(url: &str, body: &str) -> ApiResponse {
    ApiResponse {
        status: 200,
        reason: "OK".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: bytes::Bytes::from(body.to_string()),
        elapsed: Duration::from_millis(5),
        sent: SentRequest {
            method: Method::Get,
            url: url.into(),
            headers: vec![],
            body: None,
            sent_at: fixed_now(),
        },
    }
}

/// The id of the request the one `Send` among `effects` sends.
pub fn sent_id(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no Send in {effects:?}"))
}

/// Whether `effects` send a request.
pub fn sends(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Send { .. }))
}
