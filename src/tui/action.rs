//! What happens to the app ([`Action`]), the work it asks the event loop to do ([`Effect`]),
//! and where new ids come from ([`IdSource`]).

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use bytes::Bytes;
use crossterm::event::{KeyEvent, MouseEvent};
use jiff::Timestamp;

use super::app::DemoInfo;
use super::history::{HistoryJob, HistoryReply};
use super::panes::connection::LegalEntity;
use super::panes::response::JqOutput;
use crate::config::{ConfigFile, ProfileUpdate, SecretSource as ProfileSecret};
use crate::jq::Filter;
use crate::pretty::Document;
use crate::pretty::find::{MatchIndex, Matcher};
use crate::session::{CallError, CallOutcome, ManagerOptions};
use crate::younium::doctor::Discovery;
use crate::younium::doctor::diagnose::{Diagnosis, Known, Progress};
use crate::younium::paging::PageInfo;
use crate::younium::request::HttpOptions;
use crate::younium::{ApiRequest, CallSettings, Connection, Environment, Secret, TokenState};

/// Where new ids (idempotency keys) come from: random in the app, seeded in tests.
#[derive(Clone, Debug)]
pub struct IdSource(fastrand::Rng);

impl IdSource {
    pub fn random() -> Self {
        Self(fastrand::Rng::new())
    }

    pub fn seeded(seed: u64) -> Self {
        Self(fastrand::Rng::with_seed(seed))
    }

    /// A seed for what else is random in a request (its `{{$uuid}}` and `{{$randomInt}}`).
    pub fn seed(&mut self) -> u64 {
        self.0.u64(..)
    }

    /// A random (version 4) UUID, as Younium recommends for idempotency keys.
    pub fn idempotency_key(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.0.u128(..).to_le_bytes())
            .into_uuid()
            .to_string()
    }
}

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Action {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    /// Something to put in the request builder from outside the panes (an import, a test):
    /// as a pick from the catalogue, it asks first when it would replace a body typed and not
    /// sent.
    Load(Box<super::app::Loading>),
    Resize(u16, u16),
    /// The clock, once a second while something on screen counts (and before other actions).
    Tick(Timestamp),
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
    /// Answer `id` checked against its response schema, after it was indexed (`None`: the
    /// body did not parse).
    SchemaChecked {
        id: u64,
        report: Option<crate::younium::schema::Report>,
    },
    /// The matches of search `id` in the body, counted (`None`: the count was stopped).
    FindCount {
        id: u64,
        index: Option<Arc<MatchIndex>>,
    },
    /// jq filter run `id` finished: its output, or why it failed.
    JqDone {
        id: u64,
        result: Result<JqOutput, String>,
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
    /// What the history file answered.
    History(HistoryReply),
    /// How far the all-pages run `id` has got.
    AllPagesProgress {
        id: u64,
        progress: crate::younium::all_pages::Progress,
    },
    /// The all-pages run `id` reached its page cap with more to come: ask whether to go on.
    AllPagesCap {
        id: u64,
        cap: crate::younium::all_pages::CapReached,
    },
    /// The all-pages run `id` ended: its records (or why there are none).
    AllPagesDone {
        id: u64,
        result: Result<crate::younium::all_pages::Merged, String>,
    },
    /// A saved request was written to the config file or deleted from it (or why not).
    RequestSaved(Result<super::saved_requests::RequestSaved, String>),
    /// The verdict on a flow step's answer ([`Effect::JudgeStep`]): its captures, or what was
    /// not met.
    StepJudged {
        id: u64,
        result: Result<Vec<(String, String)>, String>,
    },
    /// The answer to [`Effect::SaveVar`].
    VarSaved(Result<super::vars::VarSaved, String>),
    /// A message for the footer (copy, save, keyring results).
    Status(String),
}

/// What a copy puts on the clipboard; formatting a large body happens in the copy's task.
#[derive(Clone, Debug)]
pub enum CopyText {
    Text(String),
    /// The response body pretty-printed from its index.
    Pretty(Arc<Document>),
    /// The body as received (invalid UTF-8 replaced).
    Raw(Bytes),
}

impl CopyText {
    /// The text itself (may take a while for a large body: call it off the UI thread).
    pub fn render(self) -> String {
        match self {
            CopyText::Text(text) => text,
            CopyText::Pretty(doc) => doc.pretty_text(),
            CopyText::Raw(body) => String::from_utf8_lossy(&body).into_owned(),
        }
    }
}

/// Work for the event loop. Each runs as a task and reports back with an [`Action`].
#[derive(Debug)]
pub enum Effect {
    /// New credentials for the token manager (`None`: stop).
    Connect(Option<Connection>),
    /// New HTTP limits for the client and renewal pacing for the token manager (another profile).
    Configure {
        http: HttpOptions,
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
        /// The response's `content-type`, which decides how text is highlighted.
        content_type: Option<String>,
        /// Check the body against its response schema once indexed (answered with
        /// [`Action::SchemaChecked`]).
        check: Option<crate::tui::panes::response::SchemaCheck>,
    },
    /// Count the matches of search `id` in `doc`, until `cancel` is set.
    CountMatches {
        id: u64,
        doc: Arc<Document>,
        matcher: Matcher,
        cancel: Arc<AtomicBool>,
    },
    /// Run jq filter `id` over `body`, until `cancel` is set.
    RunJq {
        id: u64,
        filter: Filter,
        body: Bytes,
        cancel: Arc<AtomicBool>,
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
        text: CopyText,
        what: String,
    },
    SaveBody {
        path: std::path::PathBuf,
        body: Bytes,
    },
    /// Write the records of the list in `body` to `path` in `format`, as a stream.
    SaveRecords {
        path: std::path::PathBuf,
        body: Bytes,
        format: crate::export::Format,
    },
    /// Work on the history file (recording, the list, an entry, a comparison).
    History(HistoryJob),
    /// Fetch every page of the list `request` asked for (`first`: its answer, the page on
    /// screen; `None`: fetch it too).
    AllPages {
        id: u64,
        base_url: String,
        request: Box<ApiRequest>,
        settings: CallSettings,
        first: Option<Box<crate::younium::ApiResponse>>,
        options: crate::younium::all_pages::Options,
    },
    /// Stop the all-pages run, keeping the pages merged.
    StopAllPages,
    /// The answer to the all-pages run's question at its page cap: go on, or stop there.
    AllPagesPastCap(bool),
    /// Save a request in the config file at `path` (created when missing), with `profile`.
    SaveRequest {
        path: std::path::PathBuf,
        profile: Option<String>,
        request: crate::config::SavedRequest,
        /// Secret header rows already left out of `request`, for the status line.
        left_out: usize,
    },
    /// Check the answer to `id` against a flow step's expectations and run its captures (jq
    /// over the body: off the UI thread), with the session's variables for the filters'
    /// templates.
    JudgeStep {
        id: u64,
        step: Box<crate::flow::Step>,
        vars: crate::younium::template::Vars,
        now: jiff::Timestamp,
        seed: u64,
        response: Box<crate::younium::ApiResponse>,
    },
    /// Save a variable into `profile`'s `[vars]` (none: the file's own) in the config file
    /// at `path` (created when missing).
    SaveVar {
        path: std::path::PathBuf,
        profile: Option<String>,
        name: String,
        value: String,
    },
    /// Delete the saved request `name` of `profile` from the config file at `path`.
    DeleteSavedRequest {
        path: std::path::PathBuf,
        profile: Option<String>,
        name: String,
    },
    /// List the legal entities from `GET /Users`.
    Discover {
        environment: Environment,
        legal_entity: Option<String>,
        fallback: Vec<LegalEntity>,
    },
}
