//! The interactive UI: an Elm-style app (`app`: state, actions, `update`; `view`: drawing)
//! driven by one `tokio::select!` loop over terminal events, background results, token state
//! changes and a 1 s tick that only runs while a countdown is on screen. It draws only when
//! something changed and no queued message is waiting.

pub mod action;
pub mod app;
pub mod diagnosis;
pub mod dispatch;
pub mod export;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod panes;
pub mod pickers;
pub mod profiles;
pub mod runner;
pub mod sending;
pub mod theme;
pub mod view;

use std::io::Stdout;
use std::process::ExitCode;
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use self::app::{App, Effect};
use self::panes::connection::{ConnectionPane, LegalEntity, SecretSource};
use self::runner::{Runner, arboard_clipboard};
use self::theme::Theme;
use crate::cli::Cli;
use crate::commands::SECRET_ENV;
use crate::config;
use crate::session::{ApiClient, ManagerOptions, TokenManager};
use crate::younium::request::{Http, HttpOptions};
use crate::younium::{Environment, Secret};

/// Starts the UI and returns when the user quits.
pub async fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let options = ManagerOptions::default();
    let mut app = App::new(
        ConnectionPane::default(),
        options,
        Theme::from_env(),
        TimeZone::system(),
        Timestamp::now(),
    );
    let mut first = Vec::new();
    configure(&mut app, cli, &mut first)?;
    let demo_ttl = cli.demo_token_ttl.map(Duration::from_secs);
    let mut terminal = TerminalGuard::enter()?;
    // The first frame goes out before the HTTP client (and its root certificates) is built.
    let size = terminal.terminal.size()?;
    app.size = (size.width, size.height);
    terminal.terminal.draw(|f| view::draw(&mut app, f))?;
    let http = Http::new(HttpOptions::default())?;
    let tokens = TokenManager::spawn(http.clone(), None, app.token.options);
    let client = ApiClient { http, tokens };
    let result = Runner::new(client, demo_ttl, arboard_clipboard(), true)
        .run(&mut terminal.terminal, app, first)
        .await;
    drop(terminal);
    result.map(|()| ExitCode::SUCCESS)
}

/// Sets the app up from the config file (profile), the command line (which wins) and
/// `YOUNIUM_SECRET`, and lists the effects to start with.
fn configure(app: &mut App, cli: &Cli, first: &mut Vec<Effect>) -> anyhow::Result<()> {
    let args = &cli.connection;
    let loaded = config::load(args.config.as_deref());
    app.config_error = loaded.error.map(|e| e.to_string());
    app.config = loaded.file;
    if let Some(file) = &app.config {
        match file.profile(args.profile.as_deref()) {
            Ok(Some((name, _))) => app.load_profile(&name, first),
            Ok(None) => {}
            Err(e) => app.config_error = Some(e.to_string()),
        }
    }
    let pane = &mut app.connection;
    if let Some(url) = &args.base_url {
        pane.environment = Environment::from_base_url(url)?;
    } else if let Some(env) = &args.environment {
        pane.environment = env.clone();
    }
    if let Environment::Custom(url) = &pane.environment {
        pane.custom_url = url.clone();
    }
    if let Some(auth) = args.auth {
        pane.auth = auth;
    }
    if let Some(id) = args.client_id.clone().filter(|s| !s.trim().is_empty()) {
        pane.client_id = id;
    }
    if let Some(le) = args.legal_entity.clone().filter(|s| !s.trim().is_empty()) {
        pane.remember_entity(LegalEntity {
            name: le.clone(),
            ..Default::default()
        });
        pane.legal_entity = Some(le);
    }
    if let Some(version) = args.api_version {
        pane.api_version = version;
    }
    if let Ok(secret) = std::env::var(SECRET_ENV)
        && !secret.trim().is_empty()
    {
        pane.secret = Some(Secret::new(secret));
        pane.secret_source = SecretSource::EnvVar;
        pane.editing = None;
        first.retain(|e| !matches!(e, Effect::ResolveSecret { .. }));
    }
    if let Some(error) = &app.config_error {
        app.connection.error = Some(format!("config ignored: {error}"));
        app.welcome_error = Some(format!("The config file was not used: {error}"));
    }
    // Command-line values are for this run: they are not saved into the profile unless changed in the UI.
    if app.profile.is_some() {
        app.saved = Some(app.profile_update());
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
    Ok(())
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
