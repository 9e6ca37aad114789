//! What the builder sends is what it shows, held to a small model.
//!
//! Random sequences of what a user does to a request (switch a header off and on, override
//! it, add, edit and delete header and query rows, load an operation, a saved request or a
//! history entry, change the method, pick a legal entity, apply the 403 diagnosis' fix) are
//! played on the app by its keys. After each sequence:
//!
//! 1. the Headers tab shows what the model says the request carries;
//! 2. the request is sent over real HTTP to a server that echoes what it received, and what
//!    it received is what the Response pane's Request tab ("as sent") shows;
//! 3. and that is what the model says: method, path, query, headers and body.
//!
//! The model is a few lines per action, written from what the README promises, not from the
//! builder's code.

use crate::common;

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method as HttpMethod, Uri};
use crossterm::event::KeyCode;
use proptest::prelude::*;
use serde_json::{Value, json};
use younium_tui::config::{ConfigFile, SavedRequest};
use younium_tui::history::{Context, Entry, Limits, Record};
use younium_tui::session::CallOutcome;
use younium_tui::tui::app::{Action, App, Effect, Focus, Overlay};
use younium_tui::tui::history::{EntryUse, HistoryReply};
use younium_tui::tui::panes::connection::LegalEntity;
use younium_tui::tui::panes::request::RequestTab;
use younium_tui::tui::saved_requests::RequestSaved;
use younium_tui::tui::theme::Theme;
use younium_tui::younium::catalog::{Operation, catalog};
use younium_tui::younium::doctor::diagnose::Diagnosis;
use younium_tui::younium::doctor::{Fix, Verdict, VerdictKind};
use younium_tui::younium::request::{
    ApiResponse, CallSettings, EffectiveHeader, Http, SentRequest, effective_headers, send,
};
use younium_tui::younium::token::Token;
use younium_tui::younium::{ApiRequest, ApiVersion, Environment, Method, Param, TokenState};

use crate::common::keys::{ctrl, press, typed};

/// The automatic headers the steps act on (the idempotency key is the app's alone).
const AUTO: [&str; 5] = [
    "Authorization",
    "Accept",
    "Content-Type",
    "api-version",
    "legal-entity",
];
const USER_NAMES: [&str; 4] = ["X-Trace", "x-trace", "X-Debug", "Prefer"];
const QUERY_NAMES: [&str; 3] = ["Filter", "OrderBy", "PageSize"];
const ENTITIES: [&str; 2] = ["Nordlys Software AB", "Nordlys Software Inc"];
const OPERATIONS: [(Method, &str); 4] = [
    (Method::Get, "/Accounts"),
    (Method::Post, "/Accounts"),
    (Method::Get, "/Invoices"),
    (Method::Patch, "/Accounts/{id}"),
];

// ---------------------------------------------------------------------------------------
// The model

/// An automatic header as the user left it: the app's value, an override, or off.
#[derive(Clone, Debug, PartialEq)]
enum Auto {
    App,
    Over(String),
    /// Switched off, with the override it would bring back (empty: none, automatic again).
    Off(String),
}

#[derive(Clone, Debug, PartialEq)]
struct Row {
    name: String,
    value: String,
    on: bool,
}

#[derive(Clone, Debug)]
struct Model {
    method: Method,
    template: String,
    id: String,
    query: Vec<Row>,
    auto: Vec<Auto>,
    user: Vec<Row>,
    body: String,
    entity: String,
}

impl Model {
    fn new() -> Model {
        Model {
            method: Method::Get,
            template: "/Accounts".into(),
            id: String::new(),
            query: vec![row("PageSize", "20", true), row("PageNumber", "1", true)],
            auto: vec![Auto::App; AUTO.len()],
            user: Vec::new(),
            body: String::new(),
            entity: ENTITIES[0].into(),
        }
    }

    /// A new request from the catalogue: its own parameters, no header rows, its skeleton.
    fn load_operation(&mut self, op: &Operation) {
        *self = Model {
            method: op.method,
            template: op.path.clone(),
            query: op
                .query_params
                .iter()
                .map(|p| match p.name.as_str() {
                    "PageSize" => row("PageSize", "20", true),
                    "PageNumber" => row("PageNumber", "1", true),
                    name => row(name, "", p.required),
                })
                .collect(),
            body: op.skeleton().unwrap_or_default(),
            entity: self.entity.clone(),
            ..Model::new()
        };
    }

    /// A whole request (saved, or from the history): its rows as they are.
    fn load_request(&mut self, request: &ApiRequest) {
        let mut model = Model {
            method: request.method,
            template: request.path.clone(),
            query: request
                .query
                .iter()
                .map(|p| row(&p.name, &p.value, p.enabled))
                .collect(),
            body: request.body.clone().unwrap_or_default(),
            entity: self.entity.clone(),
            ..Model::new()
        };
        for h in &request.headers {
            match auto_index(&h.name) {
                Some(i) if h.enabled => model.auto[i] = Auto::Over(h.value.clone()),
                Some(_) if h.name == "Accept" => {}
                Some(i) => model.auto[i] = Auto::Off(h.value.clone()),
                None => model.user.push(row(&h.name, &h.value, h.enabled)),
            }
        }
        *self = model;
    }

    fn toggle_auto(&mut self, i: usize) {
        // With no Accept the HTTP client sends its own: Accept is overridden, never off.
        if AUTO[i] == "Accept" {
            return;
        }
        self.auto[i] = match std::mem::replace(&mut self.auto[i], Auto::App) {
            Auto::App => Auto::Off(String::new()),
            Auto::Over(v) => Auto::Off(v),
            Auto::Off(v) if v.is_empty() => Auto::App,
            Auto::Off(v) => Auto::Over(v),
        };
    }

    fn path(&self) -> Option<String> {
        match self.template.contains("{id}") {
            true if self.id.is_empty() => None,
            true => Some(self.template.replace("{id}", &self.id)),
            false => Some(self.template.clone()),
        }
    }

    /// The headers sent, lower-case names, the idempotency key's value left out.
    fn headers(&self, token: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, name) in AUTO.iter().enumerate() {
            let value = match &self.auto[i] {
                Auto::Off(_) => continue,
                // HTTP carries no whitespace around a value.
                Auto::Over(v) => v.trim().to_string(),
                Auto::App => match *name {
                    "Authorization" => format!("Bearer {token}"),
                    "api-version" => "2.1".into(),
                    "legal-entity" => self.entity.clone(),
                    _ => "application/json".into(),
                },
            };
            out.push((name.to_ascii_lowercase(), value));
        }
        if self.method == Method::Post {
            out.push(("younium-idempotency-key".into(), "…".into()));
        }
        for r in self.user.iter().filter(|r| r.on) {
            out.push((r.name.to_ascii_lowercase(), r.value.trim().to_string()));
        }
        out.sort();
        out
    }

    fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .iter()
            .filter(|r| r.on && !r.name.trim().is_empty())
            .map(|r| (r.name.clone(), r.value.clone()))
            .collect()
    }

    fn body_sent(&self) -> Option<String> {
        (self.method != Method::Get && !self.body.trim().is_empty()).then(|| self.body.clone())
    }
}

fn row(name: &str, value: &str, on: bool) -> Row {
    Row {
        name: name.into(),
        value: value.into(),
        on,
    }
}

fn auto_index(name: &str) -> Option<usize> {
    AUTO.iter()
        .position(|a| a.eq_ignore_ascii_case(name.trim()))
}

// ---------------------------------------------------------------------------------------
// The steps

#[derive(Clone, Debug)]
enum Step {
    ToggleAuto(usize),
    OverrideAuto(usize, String),
    DeleteAuto(usize),
    AddUser(usize, String),
    ToggleUser(usize),
    EditUser(usize, String),
    DeleteUser(usize),
    AddQuery(usize, String),
    ToggleQuery(usize),
    EditQuery(usize, String),
    DeleteQuery(usize),
    FillId(String),
    LoadOperation(usize),
    LoadSaved(Box<ApiRequest>),
    LoadHistory(Box<ApiRequest>),
    NextMethod,
    PickEntity(usize),
    DiagnosisFix(usize),
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9][A-Za-z0-9 .-]{0,10}",
        1 => Just(String::new()),
    ]
}

/// A request as saved or recorded: rows of plain names, one per automatic header at most.
fn stored_request() -> impl Strategy<Value = ApiRequest> {
    let auto_row = (0..AUTO.len(), value(), any::<bool>()).prop_map(|(i, v, on)| Param {
        name: AUTO[i].to_string(),
        value: v,
        enabled: on,
    });
    let user_row = (0..USER_NAMES.len(), value(), any::<bool>()).prop_map(|(i, v, on)| Param {
        name: USER_NAMES[i].to_string(),
        value: v,
        enabled: on,
    });
    let query_row = (0..QUERY_NAMES.len(), value(), any::<bool>()).prop_map(|(i, v, on)| Param {
        name: QUERY_NAMES[i].to_string(),
        value: v,
        enabled: on,
    });
    (
        prop::sample::select(vec![Method::Get, Method::Post, Method::Patch]),
        prop::collection::vec(auto_row, 0..3),
        prop::collection::vec(user_row, 0..3),
        prop::collection::vec(query_row, 0..3),
    )
        .prop_map(|(method, autos, users, query)| {
            let mut headers: Vec<Param> = Vec::new();
            for a in autos {
                if !headers.iter().any(|h| h.name == a.name) {
                    headers.push(a);
                }
            }
            headers.extend(users);
            ApiRequest {
                method,
                path: "/Accounts".into(),
                query,
                headers,
                body: (method != Method::Get).then(|| r#"{"name": "Acme"}"#.to_string()),
                idempotency_key: None,
            }
        })
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..AUTO.len()).prop_map(Step::ToggleAuto),
        3 => (0..AUTO.len(), value()).prop_map(|(i, v)| Step::OverrideAuto(i, v)),
        1 => (0..AUTO.len()).prop_map(Step::DeleteAuto),
        2 => (0..USER_NAMES.len(), value()).prop_map(|(i, v)| Step::AddUser(i, v)),
        2 => (0..4usize).prop_map(Step::ToggleUser),
        1 => (0..4usize, value()).prop_map(|(i, v)| Step::EditUser(i, v)),
        1 => (0..4usize).prop_map(Step::DeleteUser),
        1 => (0..QUERY_NAMES.len(), value()).prop_map(|(i, v)| Step::AddQuery(i, v)),
        2 => (0..4usize).prop_map(Step::ToggleQuery),
        1 => (0..4usize, value()).prop_map(|(i, v)| Step::EditQuery(i, v)),
        1 => (0..4usize).prop_map(Step::DeleteQuery),
        1 => "[A-Z0-9-]{0,8}".prop_map(Step::FillId),
        2 => (0..OPERATIONS.len()).prop_map(Step::LoadOperation),
        1 => stored_request().prop_map(|r| Step::LoadSaved(Box::new(r))),
        1 => stored_request().prop_map(|r| Step::LoadHistory(Box::new(r))),
        1 => Just(Step::NextMethod),
        1 => (0..ENTITIES.len()).prop_map(Step::PickEntity),
        1 => (0..ENTITIES.len()).prop_map(Step::DiagnosisFix),
    ]
}

// ---------------------------------------------------------------------------------------
// Playing a step on the app, by its keys

struct Bench {
    rt: tokio::runtime::Runtime,
    base: String,
    http: Http,
    token: Arc<Token>,
}

/// Goes to the Request pane's `tab`, on line `line` (0: the path line).
fn go_to(app: &mut App, tab: RequestTab, line: usize) {
    press(app, KeyCode::Char('4'));
    for _ in 0..3 {
        if app.request().tab() == tab {
            break;
        }
        press(app, KeyCode::Char(']'));
    }
    for _ in 0..40 {
        press(app, KeyCode::Char('k'));
    }
    for _ in 0..line {
        press(app, KeyCode::Char('j'));
    }
}

/// The Headers tab's line of the header `name`, the `nth` of that name (from 1).
fn header_line(app: &App, pick: impl Fn(&EffectiveHeader) -> bool, nth: usize) -> Option<usize> {
    let lines = app.shown_headers();
    let mut seen = 0;
    for (i, h) in lines.iter().enumerate() {
        if pick(h) {
            seen += 1;
            if seen == nth {
                return Some(i + 1);
            }
        }
    }
    None
}

fn user_line(app: &App, model: &Model, k: usize) -> Option<usize> {
    let r = model.user.get(k)?;
    let nth = model.user[..=k]
        .iter()
        .filter(|u| u.name.trim().eq_ignore_ascii_case(r.name.trim()))
        .count();
    header_line(
        app,
        |h| auto_index(&h.name).is_none() && h.name.eq_ignore_ascii_case(r.name.trim()),
        nth,
    )
}

fn replace_text(app: &mut App, text: &str) {
    ctrl(app, 'u');
    typed(app, text);
    press(app, KeyCode::Enter);
}

fn play(app: &mut App, model: &mut Model, step: &Step, bench: &Bench) {
    match step {
        Step::ToggleAuto(i) => {
            go_to(
                app,
                RequestTab::Headers,
                header_line(app, |h| h.name == AUTO[*i], 1).unwrap(),
            );
            press(app, KeyCode::Char(' '));
            model.toggle_auto(*i);
        }
        Step::OverrideAuto(i, v) => {
            go_to(
                app,
                RequestTab::Headers,
                header_line(app, |h| h.name == AUTO[*i], 1).unwrap(),
            );
            press(app, KeyCode::Char('e'));
            replace_text(app, v);
            model.auto[*i] = Auto::Over(v.clone());
        }
        Step::DeleteAuto(i) => {
            go_to(
                app,
                RequestTab::Headers,
                header_line(app, |h| h.name == AUTO[*i], 1).unwrap(),
            );
            press(app, KeyCode::Char('d'));
            model.auto[*i] = Auto::App;
        }
        Step::AddUser(i, v) => {
            go_to(app, RequestTab::Headers, 0);
            press(app, KeyCode::Char('a'));
            typed(app, USER_NAMES[*i]);
            press(app, KeyCode::Enter);
            typed(app, v);
            press(app, KeyCode::Enter);
            model.user.push(row(USER_NAMES[*i], v, true));
        }
        Step::ToggleUser(k) | Step::EditUser(k, _) | Step::DeleteUser(k) => {
            if model.user.is_empty() {
                return;
            }
            let k = k % model.user.len();
            go_to(app, RequestTab::Headers, user_line(app, model, k).unwrap());
            match step {
                Step::ToggleUser(_) => {
                    press(app, KeyCode::Char(' '));
                    model.user[k].on = !model.user[k].on;
                }
                Step::EditUser(_, v) => {
                    press(app, KeyCode::Char('e'));
                    replace_text(app, v);
                    model.user[k].value = v.clone();
                    model.user[k].on = true;
                }
                _ => {
                    press(app, KeyCode::Char('d'));
                    model.user.remove(k);
                }
            }
        }
        Step::AddQuery(i, v) => {
            go_to(app, RequestTab::Params, 0);
            press(app, KeyCode::Char('a'));
            typed(app, QUERY_NAMES[*i]);
            press(app, KeyCode::Enter);
            typed(app, v);
            press(app, KeyCode::Enter);
            model.query.push(row(QUERY_NAMES[*i], v, true));
        }
        Step::ToggleQuery(k) | Step::EditQuery(k, _) | Step::DeleteQuery(k) => {
            if model.query.is_empty() {
                return;
            }
            let k = k % model.query.len();
            let paths = usize::from(model.template.contains("{id}"));
            go_to(app, RequestTab::Params, paths + k + 1);
            match step {
                Step::ToggleQuery(_) => {
                    press(app, KeyCode::Char(' '));
                    model.query[k].on = !model.query[k].on;
                }
                Step::EditQuery(_, v) => {
                    press(app, KeyCode::Char('e'));
                    replace_text(app, v);
                    model.query[k].value = v.clone();
                    model.query[k].on = true;
                }
                _ => {
                    press(app, KeyCode::Char('d'));
                    model.query.remove(k);
                }
            }
        }
        Step::FillId(v) => {
            if !model.template.contains("{id}") {
                return;
            }
            go_to(app, RequestTab::Params, 1);
            press(app, KeyCode::Char('e'));
            replace_text(app, v);
            model.id = v.clone();
        }
        Step::LoadOperation(i) => {
            let (method, path) = OPERATIONS[*i];
            let op = catalog().find(method, path).unwrap();
            load_from_catalog(app, |c| {
                c.selected_operation()
                    .is_some_and(|o| o.method == op.method && o.path == op.path)
            });
            model.load_operation(op);
        }
        Step::LoadSaved(request) => {
            // Saved into a config file, listed from it, picked in the catalogue.
            static FILES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let path = std::env::temp_dir().join(format!(
                "younium-tui-model-saved-{}-{n}.toml",
                std::process::id()
            ));
            let mut file = ConfigFile::parse(&path, "").unwrap();
            // As ctrl-s saves it: no secret header, no idempotency key; the app takes the
            // file as written from the save's answer.
            let (saved, _) = SavedRequest::from_request("model step", request);
            let outcome = file.save_request(None, &saved).unwrap();
            let _ = std::fs::remove_file(&path);
            app.update(Action::RequestSaved(Ok(RequestSaved {
                file,
                name: saved.name.clone(),
                profile: None,
                outcome: Some(outcome),
                left_out: 0,
            })));
            load_from_catalog(app, |c| c.selected_saved().is_some());
            model.load_request(&saved.to_request());
        }
        Step::LoadHistory(request) => {
            let entry = recorded(request, model, bench);
            app.update(Action::History(HistoryReply::Got {
                purpose: EntryUse::Load,
                result: Ok(Box::new(entry)),
            }));
            // What the entry sent comes back: its overrides and switch-offs, not the
            // connection's values (a switched-off automatic header comes back off, no value).
            // A secret (an Authorization override) is never stored, nor a query row that was
            // not sent.
            let mut loaded = (**request).clone();
            for h in &mut loaded.headers {
                if auto_index(&h.name).is_some() && !h.enabled {
                    h.value.clear();
                }
            }
            loaded
                .headers
                .retain(|h| !(h.enabled && h.name.eq_ignore_ascii_case("authorization")));
            loaded.query.retain(|p| p.enabled);
            model.load_request(&loaded);
        }
        Step::NextMethod => {
            go_to(app, RequestTab::Params, 0);
            press(app, KeyCode::Char('m'));
            let i = Method::ALL.iter().position(|m| *m == model.method).unwrap();
            model.method = Method::ALL[(i + 1) % Method::ALL.len()];
        }
        Step::PickEntity(i) => {
            press(app, KeyCode::Char('L'));
            let Some(Overlay::EntityPicker { selected }) = app.overlay() else {
                panic!("no picker: {:?}", app.overlay())
            };
            let (selected, target) = (*selected, i + 1);
            for _ in selected..target {
                press(app, KeyCode::Char('j'));
            }
            for _ in target..selected {
                press(app, KeyCode::Char('k'));
            }
            press(app, KeyCode::Enter);
            model.entity = ENTITIES[*i].into();
        }
        Step::DiagnosisFix(i) => diagnosis_fix(app, model, *i, bench),
    }
    assert!(
        app.overlay().is_none(),
        "after {step:?}: {:?}",
        app.overlay()
    );
}

/// Focuses the Endpoints pane with no filter and loads the row `pick` accepts.
fn load_from_catalog(
    app: &mut App,
    pick: impl Fn(&younium_tui::tui::panes::catalog::CatalogPane) -> bool,
) {
    press(app, KeyCode::Char('3'));
    press(app, KeyCode::Home);
    for _ in 0..400 {
        if pick(app.catalog()) {
            break;
        }
        press(app, KeyCode::Char('j'));
    }
    assert!(pick(app.catalog()), "not in the catalogue");
    press(app, KeyCode::Enter);
    if matches!(app.overlay(), Some(Overlay::Confirm(_))) {
        press(app, KeyCode::Char('y'));
    }
}

/// The history entry of `request` as it was sent on this connection.
fn recorded(request: &ApiRequest, model: &Model, bench: &Bench) -> Entry {
    let settings = settings(model);
    let response = ApiResponse {
        status: 200,
        reason: "OK".into(),
        headers: vec![],
        body: Bytes::from_static(b"{}"),
        elapsed: std::time::Duration::from_millis(3),
        sent: SentRequest {
            method: request.method,
            url: format!("{}{}", bench.base, request.path),
            headers: effective_headers(request, &settings, Some(&bench.token.access)),
            body: request.body.clone(),
            sent_at: common::fixed_now(),
        },
    };
    let context = Context {
        profile: None,
        environment: Environment::Custom(bench.base.clone()),
        legal_entity: Some(model.entity.clone()),
        api_version: ApiVersion::V2_1,
    };
    let record = Record::from_exchange(&context, request, &response, &Limits::default());
    Entry { id: 1, record }
}

fn settings(model: &Model) -> CallSettings {
    CallSettings {
        api_version: ApiVersion::V2_1,
        legal_entity: Some(model.entity.clone()),
    }
}

/// F5 (yes to a question about the body); the send it starts, if the request builds.
fn send_builder(app: &mut App) -> Option<(u64, ApiRequest, CallSettings, String)> {
    let mut effects = press(app, KeyCode::F(5));
    if matches!(app.overlay(), Some(Overlay::Confirm(_))) {
        effects = press(app, KeyCode::Char('y'));
    }
    effects.into_iter().find_map(|e| match e {
        Effect::Send {
            id,
            request,
            settings,
            base_url,
        } => Some((id, request, settings, base_url)),
        _ => None,
    })
}

/// Send, a 403 comes back, `D`, the verdict "use legal entity X", `Enter`: the resend carries
/// X and the builder shows the header on again.
fn diagnosis_fix(app: &mut App, model: &mut Model, i: usize, bench: &Bench) {
    let Some((id, _, _, _)) = send_builder(app) else {
        assert!(
            model.path().is_none(),
            "the request builds but was not sent"
        );
        return;
    };
    let mut forbidden = ok_response();
    forbidden.status = 403;
    app.update(Action::Response {
        id,
        result: Ok(outcome(forbidden)),
    });
    let effects = press(app, KeyCode::Char('D'));
    let Some(Effect::Diagnose { id: did, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    let verdict = Verdict {
        kind: VerdictKind::MissingHeader,
        headline: "no legal-entity header".into(),
        details: vec![],
        fix: Some(Fix::UseLegalEntity {
            value: ENTITIES[i].into(),
        }),
    };
    app.update(Action::Diagnosed {
        id: *did,
        diagnosis: Box::new(Diagnosis {
            method: model.method.to_string(),
            path: model.path().unwrap(),
            status: Some(403),
            discovery: None,
            plan: None,
            verdict,
        }),
    });
    let effects = press(app, KeyCode::Enter);
    let (request, settings) = effects
        .into_iter()
        .find_map(|e| match e {
            Effect::Send {
                request, settings, ..
            } => Some((request, settings)),
            _ => None,
        })
        .expect("the fix sends again");
    model.entity = ENTITIES[i].into();
    model.auto[4] = Auto::App;
    let response = exchange(bench, &request, &settings);
    let received = echoed(&response);
    assert!(
        received
            .headers
            .contains(&("legal-entity".into(), ENTITIES[i].into())),
        "the resend carries the fix: {received:?}"
    );
    assert_eq!(received, as_sent(&response.sent), "the resend as sent");
}

fn ok_response() -> ApiResponse {
    ApiResponse {
        status: 200,
        reason: String::new(),
        headers: vec![],
        body: Bytes::new(),
        elapsed: std::time::Duration::from_millis(3),
        sent: SentRequest {
            method: Method::Get,
            url: "http://x/".into(),
            headers: vec![],
            body: None,
            sent_at: common::fixed_now(),
        },
    }
}

fn outcome(response: ApiResponse) -> CallOutcome {
    CallOutcome {
        response,
        token: None,
        retried_after_401: false,
        renewal_error: None,
    }
}

// ---------------------------------------------------------------------------------------
// The wire

/// What a request was, on the wire or as the app says it sent it.
#[derive(Clone, Debug, PartialEq)]
struct Wire {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    /// Lower-case names, sorted; the idempotency key's value as `…`.
    headers: Vec<(String, String)>,
    body: Option<String>,
}

/// Headers the HTTP client adds for the transport itself, not part of the request as shown.
const TRANSPORT: [&str; 5] = [
    "host",
    "content-length",
    "user-agent",
    "accept-encoding",
    "connection",
];

fn normalise_headers(headers: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = headers
        .map(|(n, v)| {
            let n = n.to_ascii_lowercase();
            let v = if n == "younium-idempotency-key" {
                "…".into()
            } else {
                v
            };
            (n, v)
        })
        .filter(|(n, _)| !TRANSPORT.contains(&n.as_str()))
        .collect();
    out.sort();
    out
}

fn split_url(url: &str) -> (String, Vec<(String, String)>) {
    let parsed = reqwest::Url::parse(url).unwrap();
    let query = parsed
        .query_pairs()
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    (parsed.path().to_string(), query)
}

/// What the echo server says it received.
fn echoed(response: &ApiResponse) -> Wire {
    let v: Value = serde_json::from_slice(&response.body).unwrap();
    let (path, query) = split_url(&format!("http://x{}", v["uri"].as_str().unwrap()));
    Wire {
        method: v["method"].as_str().unwrap().into(),
        path,
        query,
        headers: normalise_headers(
            v["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| (h[0].as_str().unwrap().into(), h[1].as_str().unwrap().into())),
        ),
        body: v["body"]
            .as_str()
            .map(str::to_string)
            .filter(|b| !b.is_empty()),
    }
}

/// What the Request tab shows as sent.
fn as_sent(sent: &SentRequest) -> Wire {
    let (path, query) = split_url(&sent.url);
    Wire {
        method: sent.method.to_string(),
        path,
        query,
        headers: normalise_headers(
            sent.headers
                .iter()
                .filter(|h| h.is_sent())
                .map(|h| (h.name.clone(), h.value.wire())),
        ),
        body: sent.body.clone().filter(|b| !b.trim().is_empty()),
    }
}

fn exchange(bench: &Bench, request: &ApiRequest, settings: &CallSettings) -> ApiResponse {
    let token = request.uses_managed_token().then_some(&*bench.token);
    bench
        .rt
        .block_on(send(&bench.http, &bench.base, request, settings, token))
        .expect("the echo server answers")
}

async fn echo(method: HttpMethod, uri: Uri, headers: HeaderMap, body: Bytes) -> axum::Json<Value> {
    let headers: Vec<Value> = headers
        .iter()
        .map(|(n, v)| json!([n.as_str(), String::from_utf8_lossy(v.as_bytes())]))
        .collect();
    axum::Json(json!({
        "method": method.as_str(),
        "uri": uri.to_string(),
        "headers": headers,
        "body": String::from_utf8_lossy(&body),
    }))
}

fn bench() -> Bench {
    common::crypto();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let addr = rt.block_on(common::servers::serve(axum::Router::new().fallback(echo)));
    let base = format!("http://{addr}");
    let http = common::clients::http();
    let token = Arc::new(token_for(&base));
    Bench {
        rt,
        base,
        http,
        token,
    }
}

/// A token issued by the echo server's origin, valid at the tests' fixed time.
fn token_for(base: &str) -> Token {
    let issued = common::fixed_now().as_second() - 10;
    let access = common::jwt(json!({"iat": issued, "exp": issued + 3600}));
    let answer = json!({"accessToken": access, "expiresIn": 3600});
    common::tokens::exchanged(&answer, Environment::Custom(base.to_string()), issued)
}

fn app_on(bench: &Bench) -> App {
    let mut pane = common::app::credentials();
    pane.set_environment(Environment::Custom(bench.base.clone()));
    pane.choose_legal_entity(Some(ENTITIES[0].into()));
    for name in ENTITIES {
        pane.remember_entity(LegalEntity {
            name: name.into(),
            id: None,
            roles: vec![],
        });
    }
    let mut app = common::app::signed_in_app_with(pane, Theme::mono());
    app.update(younium_tui::tui::app::Action::Resize(140, 44));
    app.update(younium_tui::tui::app::Action::Token(TokenState::Valid(
        bench.token.clone(),
    )));
    crate::common::keys::focus(&mut app, Focus::Request);
    app
}

/// Plays `steps`, then checks the screen, the wire and the model agree.
fn check(bench: &Bench, steps: &[Step]) -> Result<(), TestCaseError> {
    let mut app = app_on(bench);
    let mut model = Model::new();
    for step in steps {
        play(&mut app, &mut model, step, bench);
    }
    let token = bench.token.access.expose().to_string();
    let shown = normalise_headers(
        app.shown_headers()
            .iter()
            .filter(|h| h.is_sent())
            .map(|h| (h.name.clone(), h.value.wire())),
    );
    prop_assert_eq!(&shown, &model.headers(&token), "the Headers tab");
    let Some((id, request, settings, base_url)) = send_builder(&mut app) else {
        prop_assert!(
            model.path().is_none(),
            "the request builds but was not sent"
        );
        return Ok(());
    };
    prop_assert_eq!(base_url, bench.base.clone());
    let response = exchange(bench, &request, &settings);
    let received = echoed(&response);
    app.update(Action::Response {
        id,
        result: Ok(outcome(response)),
    });
    let tab = as_sent(
        &app.response()
            .shown()
            .expect("the answer is shown")
            .response
            .sent,
    );
    prop_assert_eq!(
        &received,
        &tab,
        "what the server received is the Request tab's as sent"
    );
    prop_assert_eq!(
        &tab.headers,
        &shown,
        "what was sent is what the Headers tab showed"
    );
    let path = model.path().unwrap();
    let expected = Wire {
        method: model.method.to_string(),
        path: path.clone(),
        query: model.query_pairs(),
        headers: model.headers(&token),
        body: model.body_sent(),
    };
    prop_assert_eq!(&received, &expected, "the model");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        // More with PROPTEST_CASES=2000 (run so before landing a change to the builder).
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(96),
        max_shrink_iters: 400,
        ..ProptestConfig::default()
    })]

    #[test]
    fn what_is_sent_is_what_the_builder_shows(steps in prop::collection::vec(step(), 1..24)) {
        thread_local! {
            static BENCH: Bench = bench();
        }
        BENCH.with(|b| check(b, &steps))?;
    }
}

/// The sequences the issue names, kept as plain tests.
#[test]
fn the_named_sequences_send_what_they_show() {
    let bench = bench();
    let cases: Vec<Vec<Step>> = vec![
        // An automatic header off and on again is automatic.
        vec![Step::ToggleAuto(3), Step::ToggleAuto(3)],
        // Content-Type off on a GET does not leak into the POST loaded next.
        vec![Step::ToggleAuto(2), Step::LoadOperation(1)],
        // The fix reaches a switched-off legal-entity.
        vec![Step::ToggleAuto(4), Step::DiagnosisFix(0)],
        // Two user headers of one name are two rows, each switched by its own line.
        vec![
            Step::AddUser(0, "a".into()),
            Step::AddUser(1, "b".into()),
            Step::ToggleUser(1),
        ],
    ];
    for steps in cases {
        check(&bench, &steps).unwrap_or_else(|e| panic!("{steps:?}: {e}"));
    }
}
