//! The application state, the actions that change it, and `update`, which applies an action
//! and returns the effects (network calls, timers) for the event loop to carry out. Nothing
//! here touches the terminal or the network, so every flow is testable.

use std::sync::Arc;

use bytes::Bytes;
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::diagnosis::DiagnosisView;
use super::input::LineInput;
use super::layout::{Areas, layout};
use super::panes::catalog::{CatalogEvent, CatalogPane};
use super::panes::connection::{ConnectionEvent, ConnectionPane, Field, LegalEntity, SecretSource};
use super::panes::overlays::entity_choices;
use super::panes::request::{BodyCheck, HeaderContext, RequestPane};
use super::panes::response::{ResponseEvent, ResponsePane, ResponseState, Shown};
use super::panes::token::{TokenEvent, TokenPane};
use super::theme::Theme;
use crate::config::{ConfigFile, ProfileUpdate, SecretSource as ProfileSecret};
use crate::pretty::Document;
use crate::session::{CallError, CallOutcome, ManagerOptions};
use crate::younium::catalog::catalog;
use crate::younium::doctor::diagnose::{Diagnosis, Known, Progress};
use crate::younium::doctor::{Discovery, DiscoverySource};
use crate::younium::paging::{PageInfo, with_page};
use crate::younium::problem::{CallContext, explain};
use crate::younium::{ApiRequest, CallSettings, Connection, Environment, Secret, TokenState};

/// The pane with the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Connection,
    Token,
    Catalog,
    Request,
    Response,
}

impl Focus {
    pub const ORDER: [Focus; 5] = [
        Focus::Connection,
        Focus::Token,
        Focus::Catalog,
        Focus::Request,
        Focus::Response,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Focus::Connection => "Connection",
            Focus::Token => "Token",
            Focus::Catalog => "Endpoints",
            Focus::Request => "Request",
            Focus::Response => "Response",
        }
    }

    fn step(self, by: isize) -> Focus {
        let i = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0) as isize;
        Self::ORDER[(i + by).rem_euclid(Self::ORDER.len() as isize) as usize]
    }
}

/// What a yes/no question does on yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnYes {
    Send(SendChecks),
    Quit,
    /// Probe production (asked once per session).
    Diagnose,
}

/// Checks already passed for a send, so a confirmed send skips them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendChecks {
    pub invalid_json_ok: bool,
    pub production_ok: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub danger: bool,
    pub on_yes: OnYes,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Jwt {
        scroll: usize,
    },
    EntityPicker {
        selected: usize,
    },
    Confirm(Confirm),
    /// The 401/403 diagnosis; its state is `App::diagnosis`.
    Diagnosis,
    ProfilePicker {
        selected: usize,
    },
    /// The file name for saving the response body; the text is `App::save_input`.
    SaveBody,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Welcome,
    Main,
}

/// The simulator the demo runs on, as the UI needs to know it.
#[derive(Clone, Debug)]
pub struct DemoInfo {
    pub base_url: String,
    pub client_id: String,
    pub secret: Secret,
    pub entities: Vec<LegalEntity>,
}

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// One second passed (only while something on screen counts).
    Tick,
    Token(TokenState),
    Response {
        id: u64,
        result: Result<CallOutcome, CallError>,
    },
    Indexed {
        id: u64,
        doc: Arc<Document>,
        page: Option<PageInfo>,
    },
    DemoReady(Result<DemoInfo, String>),
    /// A step of a running diagnosis.
    DiagnosisProgress {
        id: u64,
        progress: Progress,
    },
    Diagnosed {
        id: u64,
        diagnosis: Box<Diagnosis>,
    },
    /// The legal entities `GET /Users` lists (or why it could not).
    Discovered(Discovery),
    /// A profile's secret was read from its source (`None`: it must be typed).
    SecretResolved {
        profile: String,
        result: Result<Option<Secret>, String>,
    },
    /// The config file after a save (or why saving failed).
    ProfileSaved(Result<ConfigFile, String>),
    /// A message for the footer (copy, save, keyring results).
    Status(String),
}

/// Work for the event loop.
#[derive(Debug)]
pub enum Effect {
    /// New credentials for the token manager (`None`: stop).
    Connect(Option<Connection>),
    /// New HTTP limits for the client and renewal pacing for the token manager (another profile).
    Configure {
        http: crate::younium::request::HttpOptions,
        manager: ManagerOptions,
    },
    Renew,
    Send {
        id: u64,
        base_url: String,
        request: ApiRequest,
        settings: CallSettings,
    },
    Cancel,
    Index {
        id: u64,
        body: Bytes,
        json: bool,
    },
    StartDemo,
    Diagnose {
        id: u64,
        environment: Environment,
        request: ApiRequest,
        settings: CallSettings,
        known: Option<Known>,
        fallback: Vec<LegalEntity>,
    },
    CancelDiagnosis,
    ResolveSecret {
        profile: String,
        source: ProfileSecret,
        file: ConfigFile,
    },
    SaveProfile {
        file: ConfigFile,
        name: String,
        update: ProfileUpdate,
    },
    /// Store the typed secret in the OS keyring (and point the profile at it).
    StoreSecret {
        account: String,
        secret: Secret,
        profile: Option<(ConfigFile, String)>,
    },
    Copy {
        text: String,
        what: String,
    },
    SaveBody {
        path: std::path::PathBuf,
        body: Bytes,
    },
    /// List the legal entities from `GET /Users`.
    Discover {
        environment: Environment,
        legal_entity: Option<String>,
        fallback: Vec<LegalEntity>,
    },
    Quit,
}

pub struct App {
    pub now: Timestamp,
    pub tz: TimeZone,
    pub theme: Theme,
    pub size: (u16, u16),
    pub screen: Screen,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub connection: ConnectionPane,
    pub token: TokenPane,
    pub catalog: CatalogPane,
    pub request: RequestPane,
    pub response: ResponsePane,
    pub demo: Option<DemoInfo>,
    pub demo_starting: bool,
    /// A message for the welcome screen (e.g. the demo failed to start).
    pub welcome_error: Option<String>,
    pub diagnosis: Option<DiagnosisView>,
    /// The user agreed to probe production in this session.
    pub production_probes_ok: bool,
    /// What the last legal-entity discovery found or why it failed; `None`: not run yet.
    pub discovery_note: Option<String>,
    /// The config file (absent when there is none or it has an error).
    pub config: Option<ConfigFile>,
    /// Why the config file was not used (file, line, what), shown until dismissed.
    pub config_error: Option<String>,
    /// The active profile.
    pub profile: Option<String>,
    /// What was last saved to (or loaded from) the profile, so only changes are written.
    pub saved: Option<ProfileUpdate>,
    /// A message in the footer until the next key.
    pub status: Option<String>,
    pub save_input: Option<LineInput>,
    pub(crate) next_id: u64,
    pub quit: bool,
}

impl App {
    pub fn new(
        connection: ConnectionPane,
        options: ManagerOptions,
        theme: Theme,
        tz: TimeZone,
    ) -> Self {
        let welcome = connection.client_id.is_empty() && connection.secret.is_none();
        Self {
            now: Timestamp::now(),
            tz,
            theme,
            size: (120, 40),
            screen: if welcome {
                Screen::Welcome
            } else {
                Screen::Main
            },
            focus: if connection.missing().is_some() {
                Focus::Connection
            } else {
                Focus::Catalog
            },
            overlay: None,
            connection,
            token: TokenPane {
                options,
                ..Default::default()
            },
            catalog: CatalogPane::new(catalog()),
            request: RequestPane::default(),
            response: ResponsePane::default(),
            demo: None,
            demo_starting: false,
            welcome_error: None,
            diagnosis: None,
            production_probes_ok: false,
            discovery_note: None,
            config: None,
            config_error: None,
            profile: None,
            saved: None,
            status: None,
            save_input: None,
            next_id: 0,
            quit: false,
        }
    }

    /// A 1 s tick is needed: a countdown or an elapsed-time counter is on screen.
    pub fn needs_tick(&self) -> bool {
        self.screen == Screen::Main
            && (self.token.needs_tick() || self.response.in_flight().is_some())
    }

    pub fn areas(&self) -> Areas {
        layout(self.size, self.connection_rows())
    }

    pub fn connection_rows(&self) -> u16 {
        self.connection.row_count()
    }

    /// Whether any text editor has the keyboard (global single-letter keys are off then).
    pub fn is_editing(&self) -> bool {
        self.connection.is_editing() || self.catalog.is_editing() || self.request.is_editing()
    }

    fn header_token(&self) -> Option<Secret> {
        self.token
            .state
            .usable_token(self.now, std::time::Duration::ZERO)
            .map(|t| t.access.clone())
    }

    /// Applies one action. Returns whether the screen changed, and the effects to run.
    pub fn update(&mut self, action: Action) -> (bool, Vec<Effect>) {
        let mut effects = Vec::new();
        let redraw = match action {
            Action::Key(key) if key.kind == KeyEventKind::Press => {
                self.on_key(key, &mut effects);
                true
            }
            Action::Key(_) => false,
            Action::Mouse(mouse) => self.on_mouse(mouse),
            Action::Paste(text) => {
                self.on_paste(&text);
                true
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                true
            }
            Action::Tick => {
                self.now = Timestamp::now();
                self.needs_tick()
            }
            Action::Token(state) => {
                self.token.state = state;
                true
            }
            Action::Response { id, result } => self.on_response(id, result, &mut effects),
            Action::Indexed { id, doc, page } => match &mut self.response.state {
                ResponseState::Shown(shown) if shown.id == id => {
                    shown.doc = Some(doc);
                    shown.page = page;
                    true
                }
                _ => false,
            },
            Action::DemoReady(result) => {
                self.on_demo(result, &mut effects);
                true
            }
            Action::DiagnosisProgress { id, progress } => self.on_diagnosis_progress(id, progress),
            Action::Diagnosed { id, diagnosis } => self.on_diagnosed(id, *diagnosis),
            Action::Discovered(discovery) => {
                self.on_discovered(&discovery);
                true
            }
            Action::SecretResolved { profile, result } => {
                self.on_secret_resolved(profile, result, &mut effects);
                true
            }
            Action::ProfileSaved(result) => {
                self.on_profile_saved(result);
                true
            }
            Action::Status(message) => {
                self.status = Some(message);
                true
            }
        };
        self.autosave(&mut effects);
        (redraw, effects)
    }

    fn on_key(&mut self, key: KeyEvent, effects: &mut Vec<Effect>) {
        self.status = None;
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            self.quit(effects);
            return;
        }
        if self.too_small() {
            if key.code == KeyCode::Char('q') {
                self.quit(effects);
            }
            return;
        }
        if self.screen == Screen::Welcome {
            self.welcome_key(key, effects);
            return;
        }
        if self.overlay.is_some() {
            self.overlay_key(key, effects);
            return;
        }
        if key.code == KeyCode::F(5)
            || (ctrl && key.code == KeyCode::Char('r') && !self.request.is_editing_body())
        {
            self.send(SendChecks::default(), effects);
            return;
        }
        if !self.is_editing() && self.global_key(key, effects) {
            return;
        }
        self.pane_key(key, effects);
    }

    /// Keys that mean the same everywhere (when no text field is being edited).
    fn global_key(&mut self, key: KeyEvent, effects: &mut Vec<Effect>) -> bool {
        match key.code {
            KeyCode::Char('q') => self.ask_quit(effects),
            KeyCode::Char('?') => self.overlay = Some(Overlay::Help { scroll: 0 }),
            KeyCode::Tab => self.focus = self.focus.step(1),
            KeyCode::BackTab => self.focus = self.focus.step(-1),
            KeyCode::Char(c @ '1'..='5') => {
                self.focus = Focus::ORDER[(c as u8 - b'1') as usize];
            }
            KeyCode::Char('r') => effects.push(Effect::Renew),
            KeyCode::Char('s') => self.send(SendChecks::default(), effects),
            KeyCode::Char('L') => self.open_entity_picker(effects),
            KeyCode::Char('J') => self.open_jwt(),
            KeyCode::Char('D') => self.start_diagnosis(false, effects),
            KeyCode::Char('P') => self.open_profile_picker(),
            KeyCode::Esc if self.response.in_flight().is_some() => {
                effects.push(Effect::Cancel);
                self.response.state = ResponseState::Failed {
                    message: "Cancelled. Nothing more will be read from that request.".into(),
                };
            }
            _ => return false,
        }
        true
    }

    fn pane_key(&mut self, key: KeyEvent, effects: &mut Vec<Effect>) {
        if !self.is_editing() {
            let handled = match (self.focus, key.code) {
                (Focus::Connection, KeyCode::Char('S')) => self.store_secret(effects),
                (Focus::Request, KeyCode::Char('c')) => self.copy_request_curl(effects),
                (Focus::Response, KeyCode::Char('c')) => self.copy_response_curl(effects),
                (Focus::Response, KeyCode::Char('y')) => self.copy_body(effects),
                (Focus::Response, KeyCode::Char('w')) => self.start_save_body(),
                _ => false,
            };
            if handled {
                return;
            }
        }
        match self.focus {
            Focus::Connection => match self.connection.handle_key(key) {
                ConnectionEvent::CredentialsChanged => {
                    effects.push(Effect::Connect(self.connection.connection()))
                }
                ConnectionEvent::SettingsChanged => self.settings_changed(effects),
                ConnectionEvent::PickEntity => self.open_entity_picker(effects),
                ConnectionEvent::Handled | ConnectionEvent::Ignored => {}
            },
            Focus::Token => match self.token.handle_key(key) {
                TokenEvent::Renew => effects.push(Effect::Renew),
                TokenEvent::ShowJwt => self.open_jwt(),
                TokenEvent::Handled | TokenEvent::Ignored => {}
            },
            Focus::Catalog => {
                if let CatalogEvent::Load(op) = self.catalog.handle_key(key) {
                    self.request.load(&op);
                    self.focus = Focus::Request;
                }
            }
            Focus::Request => {
                let settings = self.connection.settings();
                let token = self.header_token();
                let ctx = HeaderContext {
                    settings: &settings,
                    token: token.as_ref(),
                };
                self.request.handle_key(key, &ctx);
            }
            Focus::Response => {
                if let ResponseEvent::Page(n) = self.response.handle_key(key) {
                    self.go_to_page(n, effects);
                }
            }
        }
    }

    fn on_paste(&mut self, text: &str) {
        match self.focus {
            Focus::Connection => self.connection.paste(text),
            Focus::Catalog => self.catalog.paste(text),
            Focus::Request => self.request.paste(text),
            _ => {}
        }
    }

    fn on_mouse(&mut self, mouse: MouseEvent) -> bool {
        if self.screen != Screen::Main || self.overlay.is_some() || self.too_small() {
            return false;
        }
        let areas = self.areas();
        let Some(target) = areas.pane_at(mouse.column, mouse.row) else {
            return false;
        };
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = target;
                if target == Focus::Catalog {
                    // Rows start below the border and the filter line.
                    let first_row = areas.catalog.y + 2;
                    if mouse.row >= first_row {
                        self.catalog.click((mouse.row - first_row) as usize);
                    }
                }
                true
            }
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let step = if mouse.kind == MouseEventKind::ScrollDown {
                    3
                } else {
                    -3
                };
                match target {
                    Focus::Response => self.response.scroll_by(step),
                    Focus::Catalog => self.catalog.move_by(step),
                    _ => return false,
                }
                true
            }
            _ => false,
        }
    }

    pub fn too_small(&self) -> bool {
        self.screen == Screen::Main && self.areas().too_small
    }

    fn welcome_key(&mut self, key: KeyEvent, effects: &mut Vec<Effect>) {
        match key.code {
            KeyCode::Char('d') if !self.demo_starting => {
                self.demo_starting = true;
                self.welcome_error = None;
                effects.push(Effect::StartDemo);
            }
            KeyCode::Char('c') => {
                self.screen = Screen::Main;
                self.focus = Focus::Connection;
                self.connection.edit_field(Field::ClientId);
            }
            KeyCode::Char('q') | KeyCode::Esc => self.quit(effects),
            _ => {}
        }
    }

    fn on_demo(&mut self, result: Result<DemoInfo, String>, effects: &mut Vec<Effect>) {
        self.demo_starting = false;
        match result {
            Ok(info) => {
                let c = &mut self.connection;
                c.environment = crate::younium::Environment::Custom(info.base_url.clone());
                c.custom_url = info.base_url.clone();
                c.auth = crate::younium::AuthMethod::ApiTokenV1;
                c.client_id = info.client_id.clone();
                c.secret = Some(info.secret.clone());
                c.secret_source = SecretSource::Demo;
                c.legal_entity = info.entities.first().map(|e| e.name.clone());
                for e in &info.entities {
                    c.remember_entity(e.clone());
                }
                self.demo = Some(info);
                self.screen = Screen::Main;
                self.focus = Focus::Catalog;
                effects.push(Effect::Connect(self.connection.connection()));
            }
            Err(e) => self.welcome_error = Some(format!("The simulator did not start: {e}")),
        }
    }

    fn open_entity_picker(&mut self, effects: &mut Vec<Effect>) {
        if self.discovery_note.is_none() && self.token.state.token().is_some() {
            self.discover(effects);
        }
        let current = self.connection.legal_entity.as_deref();
        let selected = match current {
            None => 0,
            Some(le) => self
                .connection
                .known_entities
                .iter()
                .position(|k| {
                    k.name.eq_ignore_ascii_case(le)
                        || k.id
                            .as_deref()
                            .is_some_and(|id| id.eq_ignore_ascii_case(le))
                })
                .map_or(entity_choices(&self.connection.known_entities) - 1, |i| {
                    i + 1
                }),
        };
        self.overlay = Some(Overlay::EntityPicker { selected });
    }

    /// Asks the event loop to list the legal entities (the pick-list shows progress).
    pub(crate) fn discover(&mut self, effects: &mut Vec<Effect>) {
        self.discovery_note = Some("Listing legal entities from GET /Users…".into());
        effects.push(Effect::Discover {
            environment: self.connection.environment.clone(),
            legal_entity: self.connection.legal_entity.clone(),
            fallback: self.connection.known_entities.clone(),
        });
    }

    /// Adds what discovery found to the pick-list and notes where it came from.
    pub(crate) fn on_discovered(&mut self, discovery: &Discovery) {
        for e in &discovery.entities {
            self.connection.remember_entity(e.clone());
        }
        self.discovery_note = Some(match &discovery.source {
            DiscoverySource::Users { users, .. } => format!(
                "{} legal entities from GET /Users ({users} users). d lists them again.",
                discovery.entities.len()
            ),
            DiscoverySource::Fallback { reason } => {
                format!("{reason}. Showing the ones typed or used before.")
            }
        });
    }

    fn open_jwt(&mut self) {
        if self.token.state.token().is_some() {
            self.overlay = Some(Overlay::Jwt { scroll: 0 });
        }
    }

    fn overlay_key(&mut self, key: KeyEvent, effects: &mut Vec<Effect>) {
        let Some(overlay) = self.overlay.take() else {
            return;
        };
        let close = matches!(key.code, KeyCode::Esc | KeyCode::Char('q'));
        self.overlay = match overlay {
            Overlay::Help { .. } | Overlay::Jwt { .. }
                if close || key.code == KeyCode::Char('?') =>
            {
                None
            }
            Overlay::Help { scroll } => Some(Overlay::Help {
                scroll: scroll_key(scroll, key),
            }),
            Overlay::Jwt { scroll } => Some(Overlay::Jwt {
                scroll: scroll_key(scroll, key),
            }),
            Overlay::EntityPicker { selected } => self.picker_key(selected, key, effects),
            Overlay::Diagnosis => self.diagnosis_key(key, effects),
            Overlay::ProfilePicker { selected } => self.profile_picker_key(selected, key, effects),
            Overlay::SaveBody => self.save_body_key(key, effects),
            Overlay::Confirm(confirm) => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    match confirm.on_yes {
                        OnYes::Send(checks) => self.send(checks, effects),
                        OnYes::Quit => self.quit(effects),
                        OnYes::Diagnose => {
                            self.production_probes_ok = true;
                            self.start_diagnosis(true, effects);
                        }
                    }
                    return;
                }
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => None,
                _ => Some(Overlay::Confirm(confirm)),
            },
        };
    }

    fn picker_key(
        &mut self,
        selected: usize,
        key: KeyEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let count = entity_choices(&self.connection.known_entities);
        match key.code {
            KeyCode::Char('d') => {
                self.discover(effects);
                Some(Overlay::EntityPicker { selected })
            }
            KeyCode::Esc | KeyCode::Char('q') => None,
            KeyCode::Up | KeyCode::Char('k') => Some(Overlay::EntityPicker {
                selected: selected.saturating_sub(1),
            }),
            KeyCode::Down | KeyCode::Char('j') => Some(Overlay::EntityPicker {
                selected: (selected + 1).min(count - 1),
            }),
            KeyCode::Enter => {
                if selected == 0 {
                    self.connection.legal_entity = None;
                } else if selected == count - 1 {
                    self.focus = Focus::Connection;
                    self.connection.edit_legal_entity();
                } else {
                    self.connection.legal_entity =
                        Some(self.connection.known_entities[selected - 1].name.clone());
                }
                self.settings_changed(effects);
                None
            }
            _ => Some(Overlay::EntityPicker { selected }),
        }
    }

    /// The legal entity or api-version changed. Only a legacy token has the legal entity baked
    /// in, so only then is a new token needed.
    pub(crate) fn settings_changed(&mut self, effects: &mut Vec<Effect>) {
        if self.connection.auth == crate::younium::AuthMethod::Legacy {
            effects.push(Effect::Connect(self.connection.connection()));
        }
    }

    fn ask_quit(&mut self, effects: &mut Vec<Effect>) {
        let mut reasons = Vec::new();
        if self.response.in_flight().is_some() {
            reasons.push("A request is still in flight.".to_string());
        }
        if self.request.body_dirty {
            reasons.push("The request body was edited and not sent.".to_string());
        }
        if reasons.is_empty() {
            self.quit(effects);
        } else {
            reasons.push("Quit anyway?".into());
            self.overlay = Some(Overlay::Confirm(Confirm {
                title: "Quit".into(),
                lines: reasons,
                danger: false,
                on_yes: OnYes::Quit,
            }));
        }
    }

    fn quit(&mut self, effects: &mut Vec<Effect>) {
        self.quit = true;
        effects.push(Effect::Quit);
    }

    /// Sends the request in the builder, asking first where a check calls for it.
    pub(crate) fn send(&mut self, checks: SendChecks, effects: &mut Vec<Effect>) {
        self.request.refresh_idempotency_key();
        let request = match self.request.build() {
            Ok(r) => r,
            Err(message) => {
                self.request.message = Some(message);
                self.focus = Focus::Request;
                return;
            }
        };
        if let (BodyCheck::Invalid(e), false) = (&self.request.body_check, checks.invalid_json_ok)
            && self.request.sends_body()
        {
            self.overlay = Some(Overlay::Confirm(Confirm {
                title: "The body is not valid JSON".into(),
                lines: vec![
                    format!("{e}"),
                    "The server will most likely answer 400. Send it anyway?".into(),
                ],
                danger: false,
                on_yes: OnYes::Send(SendChecks {
                    invalid_json_ok: true,
                    ..checks
                }),
            }));
            return;
        }
        let settings = self.connection.settings();
        if self.connection.environment.is_production()
            && request.method.is_write()
            && !checks.production_ok
        {
            let entity = request
                .legal_entity_sent(&settings)
                .unwrap_or("none")
                .to_string();
            self.overlay = Some(Overlay::Confirm(Confirm {
                title: "Write to PRODUCTION".into(),
                lines: vec![
                    format!("{} {}", request.method, request.path),
                    format!("Environment: {}", self.connection.environment.label()),
                    format!("Legal entity: {entity}"),
                    "This changes real data. Send it?".into(),
                ],
                danger: true,
                on_yes: OnYes::Send(SendChecks {
                    production_ok: true,
                    ..checks
                }),
            }));
            return;
        }
        if request.uses_managed_token()
            && let Some(missing) = self.connection.missing()
        {
            self.response.state = ResponseState::Failed {
                message: format!("No token yet: {missing} in the connection pane."),
            };
            return;
        }
        if self.response.in_flight().is_some() {
            effects.push(Effect::Cancel);
        }
        self.next_id += 1;
        let id = self.next_id;
        self.response.state = ResponseState::Sending {
            id,
            started: self.now,
            label: format!("{} {}", request.method, request.path),
        };
        self.request.mark_sent();
        effects.push(Effect::Send {
            id,
            base_url: self.connection.environment.base_url().to_string(),
            request,
            settings,
        });
    }

    fn go_to_page(&mut self, page: u64, effects: &mut Vec<Effect>) {
        let Some(shown) = self.response.shown() else {
            return;
        };
        let next = with_page(&shown.request, page);
        self.request.set_query(next.query);
        self.send(SendChecks::default(), effects);
    }

    fn on_response(
        &mut self,
        id: u64,
        result: Result<CallOutcome, CallError>,
        effects: &mut Vec<Effect>,
    ) -> bool {
        if self.response.in_flight() != Some(id) {
            return false;
        }
        let outcome = match result {
            Ok(o) => o,
            Err(e) => {
                self.response.state = ResponseState::Failed {
                    message: e.to_string(),
                };
                return true;
            }
        };
        let response = outcome.response;
        let request = self.request.build().unwrap_or_default();
        let problem = (!response.is_success()).then(|| response.problem());
        let empty_list = problem
            .as_ref()
            .filter(|p| p.is_empty_list(response.status))
            .map(|p| p.messages_text());
        let legal_entity = response
            .sent
            .header("legal-entity")
            .map(|v| v.display(false));
        if response.is_success()
            && let Some(le) = &legal_entity
        {
            self.connection.remember_entity(LegalEntity {
                roles: Vec::new(),
                name: le.clone(),
                id: None,
            });
        }
        let explanation = match (&problem, &empty_list) {
            (Some(p), None) => {
                let permission = catalog().permission_for(request.method, &request.path);
                let ctx = CallContext {
                    method: request.method.as_str(),
                    path: &request.path,
                    legal_entity: legal_entity.as_deref(),
                    api_version: None,
                    permission: permission.as_ref(),
                    www_authenticate: response.header("www-authenticate"),
                    retry_after: response.header("retry-after"),
                    sent_token: response.sent.header("authorization").is_some(),
                };
                explain(response.status, p, &ctx)
            }
            _ => None,
        };
        let mut notes = Vec::new();
        if outcome.retried_after_401 {
            notes.push(
                "the first attempt answered 401; the token was renewed and the request sent again"
                    .to_string(),
            );
        }
        if let Some(e) = &outcome.renewal_error {
            notes.push(format!("renewing the token after the 401 failed: {e}"));
        }
        effects.push(Effect::Index {
            id,
            body: response.body.clone(),
            json: response.is_json(),
        });
        if !self.is_editing() {
            self.focus = Focus::Response;
        }
        self.response.show(Shown {
            id,
            response,
            request,
            doc: None,
            page: None,
            explanation,
            empty_list,
            notes,
        });
        true
    }
}

fn scroll_key(scroll: usize, key: KeyEvent) -> usize {
    match key.code {
        KeyCode::Down | KeyCode::Char('j') => scroll + 1,
        KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
        KeyCode::PageDown | KeyCode::Char(' ') => scroll + 10,
        KeyCode::PageUp => scroll.saturating_sub(10),
        KeyCode::Home | KeyCode::Char('g') => 0,
        _ => scroll,
    }
}
