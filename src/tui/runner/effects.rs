//! The effects the runner carries out, one method each: the request (a job that a newer send
//! replaces), indexing the body, the diagnosis, discovery, the demo, and the work on files,
//! the clipboard and the keyring (blocking tasks nothing replaces).

use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use super::{Kind, LARGE_BODY, OSC52_LIMIT, Runner, SystemClipboard};
use crate::pretty::Document;
use crate::session::ManagerOptions;
use crate::simulator::{Simulator, SimulatorConfig, demo};
use crate::tui::app::{Action, DemoInfo, Effect};
use crate::tui::panes::connection::LegalEntity;
use crate::tui::panes::response::SchemaCheck;
use crate::younium::doctor::diagnose::{Input, Known, diagnose};
use crate::younium::doctor::{Discovery, DiscoverySource, Me, discover};
use crate::younium::limit::ByteSize;
use crate::younium::paging::PageInfo;
use crate::younium::request::{Http, HttpOptions};
use crate::younium::{ApiRequest, CallSettings, Environment, Secret};

impl Runner {
    pub(super) fn configure(&mut self, http: HttpOptions, manager: ManagerOptions) {
        match Http::new(http) {
            Ok(http) => {
                self.client.tokens.configure(http.clone(), manager);
                self.client.http = http;
            }
            Err(e) => {
                self.reporter().send(Action::Status(format!(
                    "the profile's timeouts are not in use: {e}"
                )));
            }
        }
    }

    /// The request: a newer send (or `Esc`) aborts the one in flight.
    pub(super) fn send(
        &mut self,
        id: u64,
        base_url: String,
        request: Box<ApiRequest>,
        settings: CallSettings,
    ) {
        let client = self.client.clone();
        self.task_job(Kind::Send, move |reporter| async move {
            let result = client.call(&base_url, &request, &settings).await;
            reporter.send(Action::Response { id, result });
        });
    }

    /// Indexes the body on screen, then checks it against its schema.
    pub(super) fn index(
        &mut self,
        id: u64,
        body: Bytes,
        json: bool,
        content_type: Option<String>,
        check: Option<SchemaCheck>,
    ) {
        let reporter = self.jobs.replace(Kind::Index, &self.tx);
        tokio::task::spawn_blocking(move || {
            let large = body.len() > LARGE_BODY;
            let doc = Document::with_content_type(body.clone(), json, content_type.as_deref());
            let page = json.then(|| PageInfo::probe(doc.body())).flatten();
            let doc = Arc::new(doc);
            reporter.send(Action::Indexed { id, doc, page });
            // The body is on screen already; the check follows it.
            if let Some(check) = check {
                let report = check.run(&body);
                reporter.send(Action::SchemaChecked { id, report });
            }
            if large {
                crate::memory::release_free_memory();
            }
        });
    }

    pub(super) fn start_demo(&mut self) {
        let config = demo_config(self.demo_ttl);
        let slot = self.simulator.clone();
        let reporter = self.reporter();
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
            reporter.send(Action::DemoReady(result));
        });
    }

    /// The diagnosis: a newer one (or `Esc`) aborts the one running.
    pub(super) fn diagnose(
        &mut self,
        id: u64,
        environment: Environment,
        request: Box<ApiRequest>,
        settings: CallSettings,
        known: Option<Known>,
        fallback: Vec<LegalEntity>,
    ) {
        let client = self.client.clone();
        self.task_job(Kind::Diagnose, move |reporter| async move {
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
            let progress = reporter.clone();
            let diagnosis = diagnose(input, |p| {
                progress.send(Action::DiagnosisProgress { id, progress: p });
            })
            .await;
            reporter.send(Action::Diagnosed {
                id,
                diagnosis: Box::new(diagnosis),
            });
        });
    }

    pub(super) fn discover(
        &mut self,
        environment: Environment,
        legal_entity: Option<String>,
        fallback: Vec<LegalEntity>,
    ) {
        let client = self.client.clone();
        let reporter = self.reporter();
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
            reporter.send(Action::Discovered(discovery));
        });
    }

    /// The effects on files, the clipboard and the keyring: blocking work nothing replaces.
    pub(super) fn file_effect(&mut self, effect: Effect) {
        match effect {
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
                Action::RequestSaved(crate::tui::saved_requests::save(
                    path, profile, request, left_out,
                ))
            }),
            Effect::JudgeStep {
                id,
                step,
                vars,
                now,
                seed,
                response,
            } => self.blocking(move || {
                let mut resolver = crate::younium::template::Resolver::fixed(vars, now, seed);
                let result = crate::flow::judge(&step, &mut resolver, &response);
                Action::StepJudged { id, result }
            }),
            Effect::SaveVar {
                path,
                profile,
                name,
                value,
            } => self.blocking(move || {
                Action::VarSaved(crate::tui::vars::save(path, profile, name, value))
            }),
            Effect::DeleteSavedRequest {
                path,
                profile,
                name,
            } => self.blocking(move || {
                Action::RequestSaved(crate::tui::saved_requests::delete(path, profile, name))
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
            Effect::SaveBody { path, body } => {
                self.blocking(move || Action::Status(save_body(&path, &body)))
            }
            other => unreachable!("{other:?} is not an effect on files"),
        }
    }
}

/// Writes `body` to a new file at `path`; says what it did.
fn save_body(path: &std::path::Path, body: &[u8]) -> String {
    let result = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(body));
    match result {
        Ok(()) => format!(
            "saved {} to {}",
            ByteSize::of_len(body.len()),
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            format!("{} exists already: choose another name (w)", path.display())
        }
        Err(e) => format!("could not save to {}: {e}", path.display()),
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
        (true, true) => format!("copied {what} ({})", ByteSize::of_len(size)),
        (true, false) => format!("copied {what} to the system clipboard"),
        (false, true) => format!("copied {what} through the terminal (OSC 52)"),
        (false, false) => format!(
            "could not copy {what}: no system clipboard, and {} is too much for the terminal's; w saves the body to a file",
            ByteSize::of_len(size)
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
