//! The application state, the actions that change it, and `update`, which applies an action
//! and returns the effects (network calls, clipboard, files) for the event loop to carry out.
//! Nothing here touches the terminal, the network or the clock: time arrives in actions and
//! new ids come from [`IdSource`], so every flow is testable and deterministic.
//!
//! Overlays are states of one enum, [`Overlay`], held in one place (`App::overlay`). A key
//! handler never writes it: it returns the overlay to show next, and `on_key` (in `dispatch`)
//! stores that.

use crossterm::event::{KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use jiff::Timestamp;
use jiff::tz::TimeZone;

pub use super::action::{Action, CopyText, Effect, IdSource};
use super::diagnosis::DiagnosisView;
use super::history::{Comparison, HistoryAccess, HistoryBrowser};
use super::input::LineInput;
use super::keymap::{Keymap, Scope};
use super::layout::{Areas, layout};
use super::panes::catalog::CatalogPane;
use super::panes::connection::{ConnectionPane, LegalEntity};
use super::panes::request::RequestPane;
use super::panes::response::ResponsePane;
use super::panes::token::TokenPane;
use super::theme::Theme;
use crate::config::ConfigFile;
use crate::session::ManagerOptions;
use crate::younium::catalog::Operation;
use crate::younium::catalog::catalog;
use crate::younium::{ApiRequest, Secret, TokenState};

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

    /// Where the keymap looks up a key pressed in this pane.
    pub fn scope(self) -> Scope {
        match self {
            Focus::Connection => Scope::Connection,
            Focus::Token => Scope::Token,
            Focus::Catalog => Scope::Catalog,
            Focus::Request => Scope::Request,
            Focus::Response => Scope::Response,
        }
    }

    pub(crate) fn step(self, by: isize) -> Focus {
        let i = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0) as isize;
        Self::ORDER[(i + by).rem_euclid(Self::ORDER.len() as isize) as usize]
    }
}

/// What a yes/no question does on yes.
#[derive(Clone, Debug, PartialEq)]
pub enum OnYes {
    /// Send this request, exactly as it was when the question was asked.
    Send {
        request: Box<ApiRequest>,
        checks: SendChecks,
    },
    Quit,
    /// Probe production (asked once per session).
    Diagnose,
    /// Delete a saved request (`None`: a top-level one).
    DeleteSaved {
        profile: Option<String>,
        name: String,
    },
    /// Load into the builder, replacing the body typed there.
    Load(Box<Loading>),
    /// Save the session's connection as the profile's default (`W`).
    SaveConnection,
    /// Let the all-pages run `id` go past its page cap (no: it stops there).
    AllPagesPastCap {
        id: u64,
    },
}

/// What can be loaded into the request builder.
#[derive(Clone, Debug, PartialEq)]
pub enum Loading {
    /// An operation from the catalogue (its skeleton body).
    Operation(Box<Operation>),
    /// A request (from a test or the history), as it is.
    Request(ApiRequest),
    /// A saved request, with the checks it may carry.
    Saved(Box<crate::config::SavedRequest>),
    /// An entry of the history, by id (read from the file first).
    HistoryEntry(i64),
    /// Step `step` of flow `flow`; sent at once as part of a run.
    Step { flow: usize, step: usize, run: bool },
}

/// Checks already passed for a send, so a confirmed send skips them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendChecks {
    /// The body was asked about (not JSON, or not as its schema says).
    pub body_ok: bool,
    pub production_ok: bool,
    /// The run fetching every page may be dropped for this send.
    pub all_pages_ok: bool,
    /// The request is the builder's (a flow step loaded there is then the one sent).
    pub from_builder: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub danger: bool,
    pub on_yes: OnYes,
}

/// Everything drawn over the panes. Each overlay's whole state lives in its variant.
#[derive(Debug)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Jwt {
        scroll: usize,
    },
    /// The variables box (`V`).
    Vars(Box<super::vars::VarsBox>),
    /// The name to keep a value of the answer under (`x`, `X`).
    Capture(Box<super::capture::Capture>),
    EntityPicker {
        selected: usize,
    },
    Confirm(Confirm),
    /// The 401/403 diagnosis, filled in as progress arrives.
    Diagnosis(Box<DiagnosisView>),
    ProfilePicker {
        selected: usize,
    },
    /// The file name for saving the response body.
    SaveBody(Box<LineInput>),
    /// What to save of a list (`w`): the body as received or its records in a format.
    SaveAs {
        selected: usize,
    },
    /// The file name for the records of a list in `format`.
    SaveRecords {
        input: Box<LineInput>,
        format: crate::export::Format,
    },
    /// The request history (`H`).
    History(Box<HistoryBrowser>),
    /// Two answers compared.
    Compare(Box<Comparison>),
    /// The name to save the builder's request under (`Ctrl-S`).
    SaveRequest(Box<LineInput>),
    /// The fields the body's object may still take (`Ctrl-Space`).
    FieldList(Box<super::fields::FieldList>),
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

pub struct App {
    pub(in crate::tui) now: Timestamp,
    pub(in crate::tui) tz: TimeZone,
    pub(in crate::tui) theme: Theme,
    pub(in crate::tui) size: (u16, u16),
    pub(in crate::tui) screen: Screen,
    pub(in crate::tui) focus: Focus,
    pub(in crate::tui) overlay: Option<Overlay>,
    /// Which key does what: dispatch, the help and the footer all read it.
    pub(in crate::tui) keymap: Keymap,
    pub(in crate::tui) connection: ConnectionPane,
    pub(in crate::tui) token: TokenPane,
    pub(in crate::tui) catalog: CatalogPane,
    pub(in crate::tui) request: RequestPane,
    pub(in crate::tui) response: ResponsePane,
    pub(in crate::tui) demo: Option<DemoInfo>,
    pub(in crate::tui) demo_starting: bool,
    /// A message for the welcome screen (e.g. the demo failed to start).
    pub(in crate::tui) welcome_error: Option<String>,
    /// The user agreed to probe production in this session.
    pub(in crate::tui) production_probes_ok: bool,
    /// What the last legal-entity discovery found or why it failed; `None`: not run yet.
    pub(in crate::tui) discovery_note: Option<String>,
    /// The config file (absent when there is none or it has an error).
    pub(in crate::tui) config: Option<ConfigFile>,
    /// Where the config file is, or would be created (saved requests go there).
    pub(in crate::tui) config_path: Option<std::path::PathBuf>,
    /// Why the config file was not used (file, line, what), shown until dismissed.
    pub(in crate::tui) config_error: Option<String>,
    /// The active profile.
    pub(in crate::tui) profile: Option<String>,
    /// The legal entities found as last saved to (or loaded from) the profile, so only new
    /// ones are written.
    pub(in crate::tui) saved_entities: Option<Vec<crate::younium::doctor::LegalEntity>>,
    /// A message in the footer until the next key.
    pub(in crate::tui) status: Option<String>,
    /// The focused pane takes the whole screen (`Z`).
    pub(in crate::tui) maximised: bool,
    /// Whether answers are recorded, and where.
    pub(in crate::tui) history: HistoryAccess,
    /// How every page is fetched (`A`): the profile's `concurrency`, `max_pages`, ….
    pub(in crate::tui) all_pages: crate::younium::all_pages::Options,
    /// New idempotency keys.
    pub(in crate::tui) ids: IdSource,
    /// Values for `{{name}}` templates: `--var`, the profile's and the file's `[vars]`.
    pub(in crate::tui) vars: crate::younium::template::Vars,
    /// The flow files, and the step in the builder.
    pub(in crate::tui) flows: super::flows::Flows,
    pub(crate) next_id: u64,
    pub(in crate::tui) quit: bool,
}

impl App {
    /// A new app at time `now`.
    pub fn new(
        connection: ConnectionPane,
        options: ManagerOptions,
        theme: Theme,
        tz: TimeZone,
        now: Timestamp,
    ) -> Self {
        let welcome = !connection.has_credentials();
        Self {
            now,
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
            keymap: Keymap::default(),
            connection,
            token: TokenPane::new(options),
            catalog: CatalogPane::new(catalog()),
            request: RequestPane::default(),
            response: ResponsePane::default(),
            demo: None,
            demo_starting: false,
            welcome_error: None,
            production_probes_ok: false,
            discovery_note: None,
            config: None,
            config_path: None,
            config_error: None,
            profile: None,
            saved_entities: None,
            status: None,
            maximised: false,
            history: HistoryAccess::Off,
            all_pages: crate::younium::all_pages::Options::default(),
            vars: Default::default(),
            flows: Default::default(),
            ids: IdSource::random(),
            next_id: 0,
            quit: false,
        }
    }

    /// Where the session records (the embedder opens the file; the runner reports on it).
    pub fn use_history(&mut self, access: HistoryAccess) {
        self.history = access;
    }

    /// Where new ids and idempotency keys come from (seeded in tests, for the same effects
    /// from the same keys).
    pub fn use_ids(&mut self, ids: IdSource) {
        self.ids = ids;
    }

    /// A 1 s tick is needed: a countdown or an elapsed-time counter is on screen.
    pub fn needs_tick(&self) -> bool {
        self.screen == Screen::Main
            && (self.token.needs_tick() || self.response.in_flight().is_some())
    }

    pub fn areas(&self) -> Areas {
        layout(
            self.size,
            self.connection_rows(),
            self.focus,
            self.maximised,
        )
    }

    pub fn connection_rows(&self) -> u16 {
        self.connection.row_count()
    }

    /// Whether any text editor has the keyboard (global single-letter keys are off then).
    pub fn is_editing(&self) -> bool {
        self.connection.is_editing()
            || self.catalog.is_editing()
            || self.request.is_editing()
            || self.response.is_editing()
    }

    /// The Headers tab's lines as the user sees them: what the builder will send, the
    /// automatic headers included, and what is switched off.
    pub fn shown_headers(&self) -> Vec<crate::younium::request::EffectiveHeader> {
        let settings = self.connection.settings();
        let token = self.header_token();
        self.request
            .effective(&super::panes::request::HeaderContext {
                settings: &settings,
                token: token.as_ref(),
            })
    }

    pub(crate) fn header_token(&self) -> Option<Secret> {
        self.token
            .state()
            .usable_token(self.now, std::time::Duration::ZERO)
            .map(|t| t.access.clone())
    }

    /// Hands out new ids where the state needs one (a request that needs a new
    /// idempotency key).
    fn fill_ids(&mut self) {
        let ids = &mut self.ids;
        self.request
            .ensure_idempotency_key(|| ids.idempotency_key());
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
            Action::Load(what) => {
                if let Some(question) = self.load_into_builder(*what, false, &mut effects) {
                    self.overlay = Some(question);
                }
                true
            }
            Action::Paste(text) => {
                self.on_paste(&text, &mut effects);
                true
            }
            Action::Resize(w, h) => {
                self.size = (w, h);
                true
            }
            Action::Tick(now) => {
                self.now = now;
                self.needs_tick()
            }
            Action::Token(state) => {
                self.on_token_state(state);
                true
            }
            Action::Response { id, result } => self.on_response(id, result, &mut effects),
            Action::Indexed { id, doc, page } => self.response.indexed(id, doc, page),
            Action::SchemaChecked { id, report } => self.response.schema_checked(id, report),
            Action::FindCount { id, index } => self.response.counted(id, index),
            Action::JqDone { id, result } => self.response.jq_done(id, result),
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
            Action::History(reply) => self.on_history(reply, &mut effects),
            Action::AllPagesProgress { id, progress } => self.on_all_pages_progress(id, progress),
            Action::AllPagesDone { id, result } => self.on_all_pages_done(id, result, &mut effects),
            Action::AllPagesCap { id, cap } => self.on_all_pages_cap(id, cap),
            Action::StepJudged { id, result } => {
                if let Some(question) = self.step_judged(id, result, &mut effects) {
                    self.overlay = Some(question);
                }
                true
            }
            Action::VarSaved(result) => {
                self.on_var_saved(result);
                true
            }
            Action::RequestSaved(result) => {
                self.on_request_saved(result);
                true
            }
            Action::Status(message) => {
                self.status = Some(message);
                true
            }
        };
        self.fill_ids();
        self.autosave(&mut effects);
        (redraw, effects)
    }

    fn on_paste(&mut self, text: &str, effects: &mut Vec<Effect>) {
        match (&mut self.overlay, self.focus) {
            (Some(Overlay::SaveBody(input) | Overlay::SaveRequest(input)), _) => input.paste(text),
            (Some(Overlay::SaveRecords { input, .. }), _) => input.paste(text),
            (Some(Overlay::History(browser)), _) => browser.paste(text),
            (Some(_), _) => {}
            (None, Focus::Connection) => self.connection.paste(text),
            (None, Focus::Catalog) => self.catalog.paste(text),
            (None, Focus::Request) => self.request.paste(text),
            (None, Focus::Response) => {
                let event = self.response.paste(text);
                self.response_event(event, effects);
            }
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

    /// The legal entity or api-version changed. Only a legacy token has the legal entity baked
    /// in, so only then is a new token needed.
    pub(crate) fn settings_changed(&mut self, effects: &mut Vec<Effect>) {
        if self.connection.auth() == crate::younium::AuthMethod::Legacy {
            effects.push(Effect::Connect(self.connection.connection()));
        }
    }

    /// A new token state. When the first exchange of a connection fails for good (rejected
    /// credentials, something missing), the cursor goes to the field to fix, its editor open,
    /// unless the user is typing or answering something else.
    fn on_token_state(&mut self, state: TokenState) {
        if let TokenState::Failed {
            error,
            previous: None,
            ..
        } = &state
            && error.is_permanent()
            && self.overlay.is_none()
            && !self.is_editing()
        {
            self.focus = Focus::Connection;
            self.connection.select_field_to_fix(error);
        }
        self.token.set_state(state);
    }

    /// `q`: quits, or asks first when something would be lost.
    pub(crate) fn ask_quit(&mut self) -> Option<Overlay> {
        let mut reasons = Vec::new();
        if self.response.in_flight().is_some() {
            reasons.push("A request is still in flight.".to_string());
        }
        if self.request.body_dirty() {
            reasons.push("The request body was edited and not sent.".to_string());
        }
        if reasons.is_empty() {
            self.quit = true;
            return None;
        }
        reasons.push("Quit anyway?".into());
        Some(Overlay::Confirm(Confirm {
            title: "Quit".into(),
            lines: reasons,
            danger: false,
            on_yes: OnYes::Quit,
        }))
    }
}
