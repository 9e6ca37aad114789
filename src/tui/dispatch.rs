//! Where a key goes. Every key that is a command is looked up in `App::keymap` and handled as
//! that [`Command`]; only text editing (a field, the filter, the body) takes raw keys. In order:
//!
//! 1. `QuitNow` (Ctrl-C), looked up in Always: quits from anywhere.
//! 2. Terminal too small: only `Quit` (q) does anything.
//! 3. The welcome screen: its own scope (`d`, `c`, `q`).
//! 4. An overlay: its scope (Overlay, or Confirm for a question); the file-name box edits.
//! 5. No overlay: `Send` in Always (F5, Ctrl-R) even while editing, unless the body editor
//!    claims the key (Ctrl-R is its redo); then, while a field is edited, the raw key goes to
//!    the focused pane; else the key is looked up along the focused pane's chain (pane, Global,
//!    Always), the app's commands are handled here and the pane's go to the pane.
//!
//! The handlers return the overlay to show next and `on_key` writes it: the one place a key
//! changes `App::overlay`. Besides keys, only three things open or close one: `Action::Load`
//! (asking before it replaces a typed body), an all-pages run at its page cap (its
//! question, closed again when the run ends), and a flow run's next step (its send may ask
//! first, as a send from a key does).

use crossterm::event::KeyEvent;

use super::app::{App, Confirm, Effect, Focus, Loading, OnYes, Overlay, Screen};
use super::fields::FieldList;
use super::keymap::{Command, Scope};
use super::panes::catalog::CatalogEvent;
use super::panes::connection::ConnectionEvent;
use super::panes::request::{HeaderContext, RequestEvent};
use super::panes::response::ResponseEvent;
use super::panes::token::TokenEvent;

impl App {
    /// Where `self.overlay` changes on a key: the handler returns what to show next.
    pub(crate) fn on_key(&mut self, key: KeyEvent, effects: &mut Vec<Effect>) {
        self.status = None;
        if self.keymap.command(Scope::Always, &key) == Some(Command::QuitNow) {
            self.quit = true;
            return;
        }
        if self.too_small() {
            if self.keymap.command(Scope::Global, &key) == Some(Command::Quit) {
                self.quit = true;
            }
            return;
        }
        if self.screen == Screen::Welcome {
            let command = self.keymap.command(Scope::Welcome, &key);
            self.welcome_command(command, effects);
            return;
        }
        self.overlay = match self.overlay.take() {
            Some(overlay) => self.overlay_key(overlay, key, effects),
            None => self.main_key(key, effects),
        };
    }

    /// Keys with no overlay open; returns the overlay to open, if any.
    fn main_key(&mut self, key: KeyEvent, effects: &mut Vec<Effect>) -> Option<Overlay> {
        if !self.request.editor_claims(&key)
            && self.keymap.command(Scope::Always, &key) == Some(Command::Send)
        {
            return self.send_builder(effects);
        }
        if self.request.is_editing_body() {
            let command = self.keymap.command(Scope::Request, &key);
            if let Some(event) = self.request.body_editor_command(command) {
                return self.request_event(event);
            }
        }
        // After the fold prefix (`z`) the Response pane's next key is a fold key.
        let scope = if self.focus == Focus::Response && self.response.awaiting_fold() {
            Scope::Fold
        } else {
            self.focus.scope()
        };
        let command = if self.is_editing() {
            None
        } else {
            self.keymap.command(scope, &key)
        };
        if let Some(command) = command
            && let Some(next) = self.app_command(command, effects)
        {
            return next;
        }
        self.pane_key(command, key, effects)
    }

    /// Commands the app carries out (whichever pane has the keyboard, or on behalf of the
    /// focused one). `None`: the pane's to handle; `Some(next)`: handled, with the overlay to
    /// open.
    fn app_command(
        &mut self,
        command: Command,
        effects: &mut Vec<Effect>,
    ) -> Option<Option<Overlay>> {
        let next = match command {
            Command::Quit => self.ask_quit(),
            Command::QuitNow => {
                self.quit = true;
                None
            }
            Command::Help => Some(Overlay::Help { scroll: 0 }),
            Command::NextPane | Command::PreviousPane => {
                let by = if command == Command::NextPane { 1 } else { -1 };
                self.focus = self.areas().step(self.focus, by);
                None
            }
            Command::FocusConnection => self.focus_on(Focus::Connection),
            Command::FocusToken => self.focus_on(Focus::Token),
            Command::FocusCatalog => self.focus_on(Focus::Catalog),
            Command::FocusRequest => self.focus_on(Focus::Request),
            Command::FocusResponse => self.focus_on(Focus::Response),
            Command::Renew => {
                effects.push(Effect::Renew);
                None
            }
            Command::Send => self.send_builder(effects),
            Command::PickLegalEntity => self.open_entity_picker(effects),
            Command::ShowJwt => self.open_jwt(),
            Command::ShowVars => self.open_vars(),
            Command::Diagnose => self.start_diagnosis(false, effects),
            Command::PickProfile => self.open_profile_picker(),
            Command::SaveConnection => self.ask_save_connection(),
            Command::Maximise => {
                self.maximised = !self.maximised;
                None
            }
            Command::AllPages if self.focus == Focus::Response => self.start_all_pages(effects),
            Command::Cancel
                if self.response.all_pages().is_some() && self.response.in_flight().is_none() =>
            {
                self.stop_all_pages(effects);
                None
            }
            Command::Cancel if let Some(id) = self.response.in_flight() => {
                effects.push(Effect::Cancel);
                self.response
                    .fail("Cancelled. Nothing more will be read from that request.".into());
                let why = "cancelled before its answer came (it may have reached the server)";
                self.step_judged(id, Err(why.into()), effects)
            }
            Command::StoreSecret => self.store_secret(effects),
            Command::CopyCurl if self.focus == Focus::Response => self.copy_response_curl(effects),
            Command::CopyCurl => self.copy_request_curl(effects),
            Command::CopyBody => self.copy_body(effects),
            Command::CopyPath => self.copy_path(effects),
            Command::CaptureValue if self.focus == Focus::Response => self.start_capture(),
            Command::CaptureJq if self.focus == Focus::Response => self.start_capture_jq(),
            Command::SaveBody => self.start_save_body(),
            Command::OpenHistory => self.open_history(effects),
            Command::Compare if self.focus == Focus::Response => self.compare_shown(effects),
            Command::SaveRequest => self.start_save_request(),
            Command::DeleteSaved if self.focus == Focus::Catalog => self.ask_delete_saved(),
            _ => return None,
        };
        Some(next)
    }

    fn focus_on(&mut self, focus: Focus) -> Option<Overlay> {
        self.focus = focus;
        None
    }

    /// The focused pane's turn: `command` is what the key means there (`None` while a field
    /// is edited: the pane takes the raw key).
    fn pane_key(
        &mut self,
        command: Option<Command>,
        key: KeyEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        match self.focus {
            Focus::Connection => match self.connection.handle_key(command, key) {
                ConnectionEvent::CredentialsChanged => {
                    effects.push(Effect::Connect(self.connection.connection()));
                }
                ConnectionEvent::SettingsChanged => self.settings_changed(effects),
                ConnectionEvent::PickEntity => return self.open_entity_picker(effects),
                ConnectionEvent::Handled | ConnectionEvent::Ignored => {}
            },
            Focus::Token => match self.token.handle_key(command) {
                TokenEvent::Handled | TokenEvent::Ignored => {}
            },
            Focus::Catalog => match self.catalog.handle_key(command, key) {
                CatalogEvent::Load(op) => {
                    return self.load_into_builder(Loading::Operation(op), false, effects);
                }
                CatalogEvent::LoadSaved(saved) => {
                    return self.load_into_builder(Loading::Saved(saved), false, effects);
                }
                CatalogEvent::LoadStep { flow, step } => {
                    let what = Loading::Step {
                        flow,
                        step,
                        run: false,
                    };
                    return self.load_into_builder(what, false, effects);
                }
                CatalogEvent::RunFlow(flow) => return self.run_flow(flow, effects),
                CatalogEvent::Handled | CatalogEvent::Ignored => {}
            },
            Focus::Request => {
                let settings = self.connection.settings();
                let token = self.header_token();
                let ctx = HeaderContext {
                    settings: &settings,
                    token: token.as_ref(),
                };
                let event = self.request.handle_key(command, key, &ctx);
                return self.request_event(event);
            }
            Focus::Response => {
                let event = if self.response.is_editing() {
                    self.response.edit_key(key)
                } else {
                    self.response.handle_key(command)
                };
                return self.response_event(event, effects);
            }
        }
        None
    }

    /// What the request pane asked for: the field list.
    fn request_event(&mut self, event: RequestEvent) -> Option<Overlay> {
        match event {
            RequestEvent::FieldList(choices) => {
                Some(Overlay::FieldList(Box::new(FieldList::new(*choices))))
            }
            RequestEvent::Handled | RequestEvent::Ignored => None,
        }
    }

    /// What the response pane asked for: another page, the count of a new search, or a jq run.
    pub(crate) fn response_event(
        &mut self,
        event: ResponseEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        match event {
            ResponseEvent::Page(n) => return self.go_to_page(n, effects),
            ResponseEvent::Count(count) => {
                if let Some(doc) = self.response.doc() {
                    effects.push(Effect::CountMatches {
                        id: count.id,
                        doc,
                        matcher: count.matcher,
                        cancel: count.cancel,
                    });
                }
            }
            ResponseEvent::RunJq(run) => effects.push(Effect::RunJq {
                id: run.id,
                filter: run.filter,
                body: run.body,
                cancel: run.cancel,
            }),
            ResponseEvent::Handled | ResponseEvent::Ignored => {}
        }
        None
    }

    /// Loads an operation, a saved request or a history entry into the builder; asks first
    /// when that would replace a body the user typed and has not sent (`confirmed`: asked).
    pub(crate) fn load_into_builder(
        &mut self,
        what: Loading,
        confirmed: bool,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        if !confirmed && self.request.body_dirty() && !self.request.body_text().trim().is_empty() {
            let name = match &what {
                Loading::Operation(op) => format!("{} {}", op.method, op.path),
                Loading::Request(request) => format!("{} {}", request.method, request.path),
                Loading::Saved(saved) => format!("{} {}", saved.method, saved.path),
                Loading::HistoryEntry(entry) => format!("history entry #{entry}"),
                Loading::Step { step, .. } => format!("step {} of the flow", step + 1),
            };
            return Some(Overlay::Confirm(Confirm {
                title: "Replace the body you typed?".into(),
                lines: vec![
                    "The request body was edited and not sent.".into(),
                    format!("Loading {name} replaces it. Load anyway?"),
                ],
                danger: false,
                on_yes: OnYes::Load(Box::new(what)),
            }));
        }
        if let Loading::Step { flow, step, run } = what {
            return self.load_step(flow, step, run, effects);
        }
        self.leave_step();
        match what {
            Loading::Step { .. } => {}
            Loading::Saved(saved) => self.load_saved(&saved),
            Loading::Operation(op) => self.request.load(&op),
            Loading::Request(request) => self.request.load_request(&request),
            Loading::HistoryEntry(entry) => {
                self.status = Some(format!("Loading #{entry} into the request builder…"));
                effects.push(Effect::History(crate::tui::history::HistoryJob::Get {
                    entry,
                    purpose: crate::tui::history::EntryUse::Load,
                }));
                return None;
            }
        }
        self.focus = Focus::Request;
        None
    }
}
