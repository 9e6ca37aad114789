//! The interactive UI: an Elm-style app (`app`: state, actions, `update`; `view`: drawing)
//! driven by one `tokio::select!` loop over terminal events, background results, token state
//! changes and a 1 s tick that only runs while a countdown is on screen. It draws only when
//! something changed and no queued message is waiting.

pub mod app;
pub mod diagnosis;
pub mod export;
pub mod input;
pub mod layout;
pub mod panes;
pub mod profiles;
pub mod theme;
pub mod view;

use std::io::Stdout;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream,
};
use futures::StreamExt;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use self::app::{Action, App, DemoInfo, Effect};
use self::panes::connection::{ConnectionPane, LegalEntity};
use self::theme::Theme;
use crate::cli::Cli;
use crate::config;
use crate::pretty::Document;
use crate::session::{ApiClient, TokenManager};
use crate::settings::{self, EnvVars, Inputs, Settings};
use crate::simulator::{Simulator, SimulatorConfig, demo};
use crate::younium::Secret;
use crate::younium::doctor::diagnose::{Input, diagnose};
use crate::younium::doctor::{Discovery, DiscoverySource, Me, discover};
use crate::younium::paging::PageInfo;
use crate::younium::request::Http;

/// Above this, the memory a replaced response used is handed back to the system.
const LARGE_BODY: usize = 1_000_000;

/// glibc keeps freed heap memory for reuse, so a 10 MB response that was replaced (and the
/// network buffers that carried it) would stay in the resident size; give it back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_free_memory() {
    // SAFETY: malloc_trim only returns free memory to the OS; it is safe to call at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_free_memory() {}

/// Terminals cap what OSC 52 may carry; beyond this the copy goes to the system clipboard only.
const OSC52_LIMIT: usize = 100_000;

/// Starts the UI and returns when the user quits.
pub async fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let args = &cli.connection;
    let loaded = config::load(args.config.as_deref());
    let settings = settings::resolve(&Inputs {
        config: &loaded,
        profile: args.profile.as_deref(),
        flags: args,
        env: &EnvVars::from_process(),
    })?;
    let mut app = App::new(
        ConnectionPane::default(),
        settings.manager,
        Theme::from_env(),
        TimeZone::system(),
    );
    let mut first = Vec::new();
    configure(&mut app, cli, loaded, &settings, &mut first);
    let demo_ttl = cli.demo_token_ttl.map(Duration::from_secs);
    let mut terminal = TerminalGuard::enter()?;
    // The first frame goes out before the HTTP client (and its root certificates) is built.
    let size = terminal.terminal.size()?;
    app.size = (size.width, size.height);
    terminal.terminal.draw(|f| view::draw(&mut app, f))?;
    let http = Http::new(settings.http)?;
    let tokens = TokenManager::spawn(http.clone(), None, settings.manager);
    let client = ApiClient { http, tokens };
    let result = Runner::new(client, demo_ttl)
        .run(&mut terminal.terminal, app, first)
        .await;
    drop(terminal);
    result.map(|()| ExitCode::SUCCESS)
}

/// Sets the app up from the resolved settings (the profile, with the command line winning, and
/// `YOUNIUM_SECRET`), and lists the effects to start with.
fn configure(
    app: &mut App,
    cli: &Cli,
    loaded: config::Loaded,
    settings: &Settings,
    first: &mut Vec<Effect>,
) {
    app.config = loaded.file;
    app.use_settings(settings, first);
    if let Some(error) = &settings.config_warning {
        app.config_error = Some(error.to_string());
        app.connection.error = Some(format!("config ignored: {error}"));
        app.welcome_error = Some(format!("The config file was not used: {error}"));
    }
    let has_credentials = !app.connection.client_id.is_empty()
        || app.connection.secret.is_some()
        || app.profile.is_some();
    app.screen = if has_credentials && !cli.demo {
        app::Screen::Main
    } else {
        app::Screen::Welcome
    };
    if app.connection.editing.is_none() {
        app.focus = if app.connection.missing().is_some() {
            app::Focus::Connection
        } else {
            app::Focus::Catalog
        };
        app.connection.selected = if app.connection.client_id.is_empty() {
            panes::connection::Field::ClientId
        } else {
            panes::connection::Field::Secret
        };
    }
    if cli.demo {
        app.demo_starting = true;
        first.push(Effect::StartDemo);
    } else if !first
        .iter()
        .any(|e| matches!(e, Effect::ResolveSecret { .. }))
        && let Some(connection) = app.connection.connection()
    {
        first.push(Effect::Connect(Some(connection)));
    }
}

type Term = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal in raw mode; restores it when dropped, and from the panic hook.
struct TerminalGuard {
    terminal: Term,
}

impl TerminalGuard {
    fn enter() -> anyhow::Result<Self> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = crossterm::execute!(
                std::io::stdout(),
                DisableMouseCapture,
                DisableBracketedPaste
            );
            previous(info);
        }));
        // ratatui's own hook restores raw mode and the main screen, then calls the one above.
        let terminal = ratatui::try_init()?;
        crossterm::execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
        Ok(Self { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = crossterm::execute!(
            std::io::stdout(),
            DisableMouseCapture,
            DisableBracketedPaste
        );
        ratatui::restore();
    }
}

/// Carries out effects and feeds results back as actions.
struct Runner {
    client: ApiClient,
    demo_ttl: Option<Duration>,
    tx: mpsc::UnboundedSender<Action>,
    rx: mpsc::UnboundedReceiver<Action>,
    in_flight: Option<JoinHandle<()>>,
    diagnosis: Option<JoinHandle<()>>,
    simulator: Option<Simulator>,
}

impl Runner {
    fn new(client: ApiClient, demo_ttl: Option<Duration>) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            client,
            demo_ttl,
            tx,
            rx,
            in_flight: None,
            diagnosis: None,
            simulator: None,
        }
    }

    async fn run(
        mut self,
        terminal: &mut Term,
        mut app: App,
        first: Vec<Effect>,
    ) -> anyhow::Result<()> {
        let size = terminal.size()?;
        app.size = (size.width, size.height);
        for effect in first {
            self.execute(effect).await;
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
                _ = tick.tick(), if app.needs_tick() => Action::Tick,
            };
            app.now = Timestamp::now();
            let (redraw, effects) = app.update(action);
            dirty |= redraw;
            for effect in effects {
                self.execute(effect).await;
            }
            if app.quit {
                break;
            }
            if dirty && self.rx.is_empty() {
                terminal.draw(|f| view::draw(&mut app, f))?;
                dirty = false;
            }
        }
        for task in [self.in_flight.take(), self.diagnosis.take()]
            .into_iter()
            .flatten()
        {
            task.abort();
        }
        if let Some(sim) = self.simulator.take() {
            sim.shutdown().await;
        }
        Ok(())
    }

    async fn execute(&mut self, effect: Effect) {
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
            Effect::Index { id, body, json } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let large = body.len() > LARGE_BODY;
                    let doc = Document::new(body, json);
                    let page = if json {
                        PageInfo::probe(doc.body())
                    } else {
                        None
                    };
                    let _ = tx.send(Action::Indexed {
                        id,
                        doc: Arc::new(doc),
                        page,
                    });
                    if large {
                        release_free_memory();
                    }
                });
            }
            Effect::StartDemo => {
                let result = self.start_demo().await;
                let _ = self.tx.send(Action::DemoReady(result));
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
            } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let result =
                        crate::config::read_secret(&source, &file).map_err(|e| e.to_string());
                    let _ = tx.send(Action::SecretResolved { profile, result });
                });
            }
            Effect::SaveProfile {
                mut file,
                name,
                update,
            } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let result = file
                        .save_profile(&name, &update)
                        .map(|()| file)
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Action::ProfileSaved(result));
                });
            }
            Effect::StoreSecret {
                account,
                secret,
                profile,
            } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let action = match crate::config::keyring_set(&account, &secret) {
                        Err(e) => Action::Status(format!("not stored: {e}")),
                        Ok(()) => match profile {
                            Some((mut file, name)) => {
                                match file.set_secret_keyring(&name, &account) {
                                    Ok(()) => Action::ProfileSaved(Ok(file)),
                                    Err(e) => Action::Status(format!(
                                        "stored in the OS keyring as {account}, but the profile was not updated: {e}"
                                    )),
                                }
                            }
                            None => Action::Status(format!(
                                "stored in the OS keyring as {account}; use secret = {{ keyring = \"{account}\" }} in a profile"
                            )),
                        },
                    };
                    let _ = tx.send(action);
                });
            }
            Effect::Copy { text, what } => {
                let tx = self.tx.clone();
                let for_system = text.clone();
                // The system clipboard may take a moment to answer (or time out on a headless box).
                let system = tokio::task::spawn_blocking(move || {
                    arboard::Clipboard::new()
                        .and_then(|mut c| c.set_text(for_system))
                        .is_ok()
                })
                .await
                .unwrap_or(false);
                let osc52 = text.len() <= OSC52_LIMIT
                    && crossterm::execute!(
                        std::io::stdout(),
                        crossterm::clipboard::CopyToClipboard::to_clipboard_from(text.as_bytes())
                    )
                    .is_ok();
                let message = match (system, osc52) {
                    (true, true) => format!(
                        "copied {what} ({})",
                        crate::commands::format_size(text.len())
                    ),
                    (true, false) => format!("copied {what} to the system clipboard"),
                    (false, true) => format!("copied {what} through the terminal (OSC 52)"),
                    (false, false) => format!(
                        "could not copy {what}: no system clipboard, and {} is too much for the terminal's; w saves the body to a file",
                        crate::commands::format_size(text.len())
                    ),
                };
                let _ = tx.send(Action::Status(message));
            }
            Effect::SaveBody { path, body } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    let result = std::fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(&path)
                        .and_then(|mut f| std::io::Write::write_all(&mut f, &body));
                    let message = match result {
                        Ok(()) => format!(
                            "saved {} to {}",
                            crate::commands::format_size(body.len()),
                            path.display()
                        ),
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                            format!("{} exists already: choose another name (w)", path.display())
                        }
                        Err(e) => format!("could not save to {}: {e}", path.display()),
                    };
                    let _ = tx.send(Action::Status(message));
                });
            }
            Effect::Quit => {}
        }
    }

    async fn start_demo(&mut self) -> Result<DemoInfo, String> {
        let mut config = SimulatorConfig::default();
        if let Some(ttl) = self.demo_ttl {
            config.token_ttl = ttl.max(Duration::from_secs(5));
        }
        let sim = Simulator::start_local(config)
            .await
            .map_err(|e| e.to_string())?;
        let info = DemoInfo {
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
        };
        self.simulator = Some(sim);
        Ok(info)
    }
}
