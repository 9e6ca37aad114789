//! The event loop and the effects it carries out. The loop waits on terminal events,
//! background results, token state changes and (only while something counts down) a 1 s
//! tick; it stamps the time on each action, applies it with `App::update`, starts the effects,
//! and draws when something changed and no queued result is waiting.
//!
//! Starting an effect never waits: each one is a task (network, clipboard, files, formatting,
//! secret commands) that reports back with an [`Action`], so nothing here holds a frame.

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use jiff::Timestamp;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::app::{Action, App, DemoInfo, Effect};
use super::panes::connection::LegalEntity;
use super::{Term, view};
use crate::commands::format_size;
use crate::pretty::Document;
use crate::pretty::find::index_matches;
use crate::session::ApiClient;
use crate::simulator::{Simulator, SimulatorConfig, demo};
use crate::tui::panes::response::run_filter;
use crate::younium::Secret;
use crate::younium::doctor::diagnose::{Input, diagnose};
use crate::younium::doctor::{Discovery, DiscoverySource, Me, discover};
use crate::younium::paging::PageInfo;
use crate::younium::request::Http;

mod all_pages;
mod history;

/// Above this, the memory a replaced response used is handed back to the system.
const LARGE_BODY: usize = 1_000_000;

/// Terminals cap what OSC 52 may carry; beyond this the copy goes to the system clipboard only.
const OSC52_LIMIT: usize = 100_000;

/// Puts text on the system clipboard; `false` when there is none. May block (arboard can
/// wait on a clipboard manager), so it only ever runs in a blocking task.
pub type SystemClipboard = Arc<dyn Fn(String) -> bool + Send + Sync>;

/// The OS clipboard through arboard.
pub fn arboard_clipboard() -> SystemClipboard {
    Arc::new(|text| {
        arboard::Clipboard::new()
            .and_then(|mut c| c.set_text(text))
            .is_ok()
    })
}

/// Carries out effects and feeds results back as actions.
pub struct Runner {
    client: ApiClient,
    demo_ttl: Option<Duration>,
    clipboard: SystemClipboard,
    /// Whether OSC 52 may be written to stdout (not in tests).
    osc52: bool,
    tx: mpsc::UnboundedSender<Action>,
    rx: mpsc::UnboundedReceiver<Action>,
    in_flight: Option<JoinHandle<()>>,
    diagnosis: Option<JoinHandle<()>>,
    /// The demo's simulator, once started (kept here so it lives as long as the UI).
    simulator: Arc<Mutex<Option<Simulator>>>,
    /// Where answers are recorded (`None`: nowhere).
    history: Option<crate::history::History>,
    /// The all-pages run, with what stops it.
    all_pages: Option<all_pages::AllPagesTask>,
}

impl Runner {
    pub fn new(
        client: ApiClient,
        demo_ttl: Option<Duration>,
        clipboard: SystemClipboard,
        osc52: bool,
    ) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            client,
            demo_ttl,
            clipboard,
            osc52,
            tx,
            rx,
            in_flight: None,
            diagnosis: None,
            simulator: Arc::default(),
            history: None,
            all_pages: None,
        }
    }

    /// Records answers into `history` and answers its queries (`None`: records nothing).
    pub fn with_history(mut self, history: Option<crate::history::History>) -> Self {
        self.history = history;
        self
    }

    /// The next result a task reported, if one is queued (for tests).
    pub fn try_result(&mut self) -> Option<Action> {
        self.rx.try_recv().ok()
    }

    /// Waits for the next result a task reports (for tests).
    pub async fn next_result(&mut self) -> Option<Action> {
        self.rx.recv().await
    }

    pub(super) async fn run(
        mut self,
        terminal: &mut Term,
        mut app: App,
        first: Vec<Effect>,
    ) -> anyhow::Result<()> {
        let size = terminal.size()?;
        app.size = (size.width, size.height);
        for effect in first {
            self.execute(effect);
        }
        let mut events = EventStream::new();
        let mut token_rx = self.client.tokens.subscribe();
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        terminal.draw(|f| view::draw(&mut app, f))?;
        let mut dirty = false;
        loop {
            let action = tokio::select! {
                biased;
                Some(action) = self.rx.recv() => action,
                Ok(()) = token_rx.changed() => Action::Token(token_rx.borrow_and_update().clone()),
                event = events.next() => match event {
                    Some(Ok(Event::Key(key))) => Action::Key(key),
                    Some(Ok(Event::Mouse(mouse))) => Action::Mouse(mouse),
                    Some(Ok(Event::Paste(text))) => Action::Paste(text),
                    Some(Ok(Event::Resize(w, h))) => Action::Resize(w, h),
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Err(anyhow::anyhow!("reading the terminal failed: {e}")),
                    None => return Ok(()),
                },
                _ = tick.tick(), if app.needs_tick() => Action::Tick(Timestamp::now()),
            };
            // The loop is the clock: every action sees the time it happened at.
            app.now = Timestamp::now();
            let (redraw, effects) = app.update(action);
            dirty |= redraw;
            for effect in effects {
                self.execute(effect);
            }
            if app.quit {
                break;
            }
            if dirty && self.rx.is_empty() {
                terminal.draw(|f| view::draw(&mut app, f))?;
                dirty = false;
            }
        }
        self.shutdown().await;
        Ok(())
    }

    async fn shutdown(&mut self) {
        if let Some(run) = &self.all_pages {
            run.cancel.cancel();
        }
        for task in [self.in_flight.take(), self.diagnosis.take()]
            .into_iter()
            .flatten()
        {
            task.abort();
        }
        let simulator = self.simulator.lock().ok().and_then(|mut s| s.take());
        if let Some(sim) = simulator {
            sim.shutdown().await;
        }
    }

    /// Starts an effect. Never waits: whatever takes time runs as a task.
    pub fn execute(&mut self, effect: Effect) {
        match effect {
            Effect::Connect(connection) => self.client.tokens.set_connection(connection),
            Effect::Configure { http, manager } => match Http::new(http) {
                Ok(http) => {
                    self.client.tokens.configure(http.clone(), manager);
                    self.client.http = http;
                }
                Err(e) => {
                    let _ = self.tx.send(Action::Status(format!(
                        "the profile's timeouts are not in use: {e}"
                    )));
                }
            },
            Effect::Renew => self.client.tokens.renew_now(),
            Effect::History(job) => self.history_job(job),
            Effect::AllPages {
                id,
                base_url,
                request,
                settings,
                first,
                options,
            } => self.start_all_pages(id, base_url, *request, settings, first, options),
            Effect::StopAllPages => self.stop_all_pages(),
            Effect::AllPagesPastCap(go_on) => self.answer_all_pages(go_on),
            Effect::Send {
                id,
                base_url,
                request,
                settings,
            } => {
                if let Some(task) = self.in_flight.take() {
                    task.abort();
                }
                let client = self.client.clone();
                let tx = self.tx.clone();
                self.in_flight = Some(tokio::spawn(async move {
                    let result = client.call(&base_url, &request, &settings).await;
                    let _ = tx.send(Action::Response { id, result });
                }));
            }
            Effect::Cancel => {
                if let Some(task) = self.in_flight.take() {
                    task.abort();
                }
            }
            Effect::Index {
                id,
                body,
                json,
                content_type,
                check,
            } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let large = body.len() > LARGE_BODY;
                    let doc =
                        Document::with_content_type(body.clone(), json, content_type.as_deref());
                    let page = json.then(|| PageInfo::probe(doc.body())).flatten();
                    let doc = Arc::new(doc);
                    let _ = tx.send(Action::Indexed { id, doc, page });
                    // The body is on screen already; the check follows it.
                    if let Some(check) = check {
                        let report = check.run(&body);
                        let _ = tx.send(Action::SchemaChecked { id, report });
                    }
                    if large {
                        crate::memory::release_free_memory();
                    }
                });
            }
            Effect::CountMatches {
                id,
                doc,
                matcher,
                cancel,
            } => self.blocking(move || {
                let index = index_matches(doc.as_ref(), &matcher, &cancel).map(Arc::new);
                Action::FindCount { id, index }
            }),
            Effect::RunJq {
                id,
                filter,
                body,
                cancel,
            } => self.blocking(move || {
                let result = run_filter(&filter, &body, &cancel);
                if body.len() > LARGE_BODY {
                    crate::memory::release_free_memory();
                }
                Action::JqDone { id, result }
            }),
            Effect::StartDemo => {
                let config = demo_config(self.demo_ttl);
                let slot = self.simulator.clone();
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = match Simulator::start_local(config).await {
                        Ok(sim) => {
                            let info = demo_info(&sim);
                            if let Ok(mut slot) = slot.lock() {
                                *slot = Some(sim);
                            }
                            Ok(info)
                        }
                        Err(e) => Err(e.to_string()),
                    };
                    let _ = tx.send(Action::DemoReady(result));
                });
            }
            Effect::Diagnose {
                id,
                environment,
                request,
                settings,
                known,
                fallback,
            } => {
                if let Some(task) = self.diagnosis.take() {
                    task.abort();
                }
                let client = self.client.clone();
                let tx = self.tx.clone();
                self.diagnosis = Some(tokio::spawn(async move {
                    let token = if request.uses_managed_token() {
                        client.tokens.token().await.ok()
                    } else {
                        None
                    };
                    let issued = client.tokens.issued_tokens();
                    let input = Input {
                        http: &client.http,
                        environment: &environment,
                        request: &request,
                        settings: &settings,
                        token,
                        issued: &issued,
                        fallback_entities: &fallback,
                        known,
                    };
                    let progress_tx = tx.clone();
                    let diagnosis = diagnose(input, |progress| {
                        let _ = progress_tx.send(Action::DiagnosisProgress { id, progress });
                    })
                    .await;
                    let _ = tx.send(Action::Diagnosed {
                        id,
                        diagnosis: Box::new(diagnosis),
                    });
                }));
            }
            Effect::CancelDiagnosis => {
                if let Some(task) = self.diagnosis.take() {
                    task.abort();
                }
            }
            Effect::Discover {
                environment,
                legal_entity,
                fallback,
            } => {
                let client = self.client.clone();
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let discovery = match client.tokens.token().await {
                        Ok(token) => {
                            let me = Me::from_jwt(token.jwt.as_ref().ok());
                            discover(
                                &client.http,
                                environment.base_url(),
                                &token,
                                legal_entity.as_deref(),
                                &me,
                                &fallback,
                            )
                            .await
                        }
                        Err(e) => Discovery {
                            entities: fallback,
                            source: DiscoverySource::Fallback {
                                reason: format!("no token to list them with ({e})"),
                            },
                        },
                    };
                    let _ = tx.send(Action::Discovered(discovery));
                });
            }
            Effect::ResolveSecret {
                profile,
                source,
                file,
            } => self.blocking(move || {
                let result = crate::config::read_secret(&source, &file).map_err(|e| e.to_string());
                Action::SecretResolved { profile, result }
            }),
            Effect::SaveProfile {
                mut file,
                name,
                update,
            } => self.blocking(move || {
                let result = file
                    .save_profile(&name, &update)
                    .map(|()| file)
                    .map_err(|e| e.to_string());
                Action::ProfileSaved(result)
            }),
            Effect::SaveRequest {
                path,
                profile,
                request,
                left_out,
            } => self.blocking(move || {
                Action::RequestSaved(super::saved_requests::save(
                    path, profile, request, left_out,
                ))
            }),
            Effect::DeleteSavedRequest {
                path,
                profile,
                name,
            } => self.blocking(move || {
                Action::RequestSaved(super::saved_requests::delete(path, profile, name))
            }),
            Effect::StoreSecret {
                account,
                secret,
                profile,
            } => self.blocking(move || store_secret(&account, &secret, profile)),
            Effect::Copy { text, what } => {
                let clipboard = self.clipboard.clone();
                let osc52 = self.osc52;
                self.blocking(move || {
                    Action::Status(copy(text.render(), &what, &clipboard, osc52))
                });
            }
            Effect::SaveRecords { path, body, format } => {
                self.blocking(move || Action::Status(save_records(&path, &body, format)))
            }
            Effect::SaveBody { path, body } => self.blocking(move || {
                let result = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .and_then(|mut f| f.write_all(&body));
                Action::Status(match result {
                    Ok(()) => format!("saved {} to {}", format_size(body.len()), path.display()),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        format!("{} exists already: choose another name (w)", path.display())
                    }
                    Err(e) => format!("could not save to {}: {e}", path.display()),
                })
            }),
        }
    }

    /// Runs `work` on the blocking pool and reports its action.
    fn blocking(&self, work: impl FnOnce() -> Action + Send + 'static) {
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            let _ = tx.send(work());
        });
    }
}

fn demo_config(ttl: Option<Duration>) -> SimulatorConfig {
    let mut config = SimulatorConfig::default();
    if let Some(ttl) = ttl {
        config.token_ttl = ttl.max(Duration::from_secs(5));
    }
    config
}

fn demo_info(sim: &Simulator) -> DemoInfo {
    DemoInfo {
        base_url: sim.base_url(),
        client_id: demo::CLIENT_ID.to_string(),
        secret: Secret::new(demo::SECRET),
        entities: demo::LEGAL_ENTITIES
            .iter()
            .map(|e| LegalEntity {
                roles: Vec::new(),
                name: e.name.to_string(),
                id: Some(e.id.to_string()),
            })
            .collect(),
    }
}

/// Puts `text` on the system clipboard and, when small enough, the terminal's (OSC 52, which
/// also works over SSH); says what happened.
fn copy(text: String, what: &str, clipboard: &SystemClipboard, osc52: bool) -> String {
    let size = text.len();
    let through_terminal = osc52 && size <= OSC52_LIMIT && write_osc52(&text);
    let system = clipboard(text);
    match (system, through_terminal) {
        (true, true) => format!("copied {what} ({})", format_size(size)),
        (true, false) => format!("copied {what} to the system clipboard"),
        (false, true) => format!("copied {what} through the terminal (OSC 52)"),
        (false, false) => format!(
            "could not copy {what}: no system clipboard, and {} is too much for the terminal's; w saves the body to a file",
            format_size(size)
        ),
    }
}

/// Writes the OSC 52 sequence while holding stdout, so it never lands inside a frame.
fn write_osc52(text: &str) -> bool {
    let mut out = std::io::stdout().lock();
    crossterm::execute!(
        out,
        crossterm::clipboard::CopyToClipboard::to_clipboard_from(text.as_bytes())
    )
    .is_ok()
}

fn store_secret(
    account: &str,
    secret: &Secret,
    profile: Option<(crate::config::ConfigFile, String)>,
) -> Action {
    match crate::config::keyring_set(account, secret) {
        Err(e) => Action::Status(format!("not stored: {e}")),
        Ok(()) => match profile {
            Some((mut file, name)) => match file.set_secret_keyring(&name, account) {
                Ok(()) => Action::ProfileSaved(Ok(file)),
                Err(e) => Action::Status(format!(
                    "stored in the OS keyring as {account}, but the profile was not updated: {e}"
                )),
            },
            None => Action::Status(format!(
                "stored in the OS keyring as {account}; use secret = {{ keyring = \"{account}\" }} in a profile"
            )),
        },
    }
}

/// Writes the records of `body` to a new file at `path` in `format`; says what it did.
fn save_records(path: &std::path::Path, body: &[u8], format: crate::export::Format) -> String {
    let file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return format!("{} exists already: choose another name (w)", path.display());
        }
        Err(e) => return format!("could not save to {}: {e}", path.display()),
    };
    let mut out = std::io::BufWriter::new(file);
    let written = crate::export::write(body, format, &mut out)
        .and_then(|w| out.flush().map(|()| w).map_err(Into::into));
    match written {
        Ok(w) if w.columns > 0 => format!(
            "saved {} records as {format} ({} columns) to {}{}",
            crate::pretty::thousands(w.records),
            w.columns,
            path.display(),
            w.changes().map(|c| format!("; {c}")).unwrap_or_default()
        ),
        Ok(w) => format!(
            "saved {} records as {format} to {}",
            crate::pretty::thousands(w.records),
            path.display()
        ),
        Err(e) => {
            // Half a file is worse than none.
            let _ = std::fs::remove_file(path);
            format!("could not save the records to {}: {e}", path.display())
        }
    }
}
