//! The app and its runner together, as the event loop drives them: each effect is carried out
//! (over real HTTP), and its result fed back to the app.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyModifiers};
use younium_tui::history::History;
use younium_tui::session::{ApiClient, ManagerOptions, TokenManager};
use younium_tui::tui::app::{Action, App, Screen};
use younium_tui::tui::panes::connection::ConnectionPane;
use younium_tui::tui::runner::Runner;

use super::keys::{chord, key};

/// An app on its main screen (160×48) and the runner that carries out its effects.
pub struct Live {
    pub app: App,
    pub runner: Runner,
}

impl Live {
    /// Signed in as `pane` says (on the wall clock), recording into `history` if given.
    pub fn signed_in(pane: ConnectionPane, history: Option<History>) -> Live {
        let http = super::clients::http();
        let client = ApiClient {
            tokens: TokenManager::spawn(http.clone(), pane.connection(), ManagerOptions::default()),
            http,
        };
        let runner = runner(client).with_history(history);
        let mut app = App::new(
            pane,
            ManagerOptions::default(),
            younium_tui::tui::theme::Theme::mono(),
            jiff::tz::TimeZone::UTC,
            jiff::Timestamp::now(),
        );
        assert_eq!(
            app.screen(),
            Screen::Main,
            "signed in: past the welcome screen"
        );
        app.update(younium_tui::tui::app::Action::Resize(160, 48));
        Live { app, runner }
    }

    /// Applies `action` and starts its effects.
    pub fn apply(&mut self, action: Action) {
        for effect in self.app.update(action).1 {
            self.runner.execute(effect);
        }
    }

    /// Presses `code` (see [`key`]).
    pub fn press(&mut self, code: KeyCode) {
        self.apply(key(code));
    }

    /// Presses `code` with `modifiers` held.
    pub fn press_with(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        self.apply(chord(code, modifiers));
    }

    /// Moves the focus to `pane` with its key.
    pub fn focus(&mut self, pane: younium_tui::tui::app::Focus) {
        self.press(super::keys::focus_key(pane));
        assert_eq!(self.app.focus(), pane, "its key focuses {pane:?}");
    }

    /// Types `name` as the legal entity through the pick-list (see
    /// [`super::keys::legal_entity_keys`]), its effects carried out.
    pub fn type_legal_entity(&mut self, name: &str) {
        let was = self.app.focus();
        for action in super::keys::legal_entity_keys(name) {
            self.apply(action);
        }
        assert_eq!(self.app.connection().legal_entity(), Some(name));
        self.focus(was);
    }

    /// Types `text`.
    pub fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Feeds the runner's results back until `done` holds (10 s at most).
    pub async fn until(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !done(&self.app) {
            match tokio::time::timeout_at(deadline, self.runner.next_result()).await {
                Ok(Some(action)) => self.apply(action),
                _ => panic!(
                    "timed out waiting for {what}; status {:?}",
                    self.app.status()
                ),
            }
        }
    }
}

/// A runner of `client` that copies to no clipboard and records nothing.
fn runner(client: ApiClient) -> Runner {
    Runner::new(client, None, Arc::new(|_: String| true), false)
}

/// A client without credentials, for effects that need no server.
pub fn offline_client() -> ApiClient {
    let http = super::clients::http();
    ApiClient {
        tokens: TokenManager::spawn(http.clone(), None, ManagerOptions::default()),
        http,
    }
}

/// A runner of [`offline_client`] (jq, indexing, saving).
pub fn offline_runner() -> Runner {
    runner(offline_client())
}
