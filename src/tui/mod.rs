//! The interactive UI: an Elm-style app (`app`: state, actions, `update`; `view`: drawing)
//! driven by one `tokio::select!` loop over terminal events, background results, token state
//! changes and a 1 s tick that only runs while a countdown is on screen. It draws only when
//! something changed and no queued message is waiting.

pub mod action;
pub mod all_pages;
pub mod app;
pub mod capture;
pub mod diagnosis;
pub mod diff_view;
pub mod dispatch;
pub mod export;
pub mod fields;
pub mod flows;
pub mod history;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod panes;
pub mod pickers;
pub mod profiles;
pub mod runner;
pub mod save_as;
pub mod saved_requests;
pub mod sending;
mod state;
pub mod theme;
pub mod vars;
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
use self::history::HistoryAccess;
use self::panes::connection::ConnectionPane;
use self::runner::{Runner, arboard_clipboard};
use self::theme::Theme;
use crate::cli::Cli;
use crate::config;
use crate::session::{ApiClient, TokenManager};
use crate::settings::{self, Settings};
use crate::younium::request::Http;

/// Starts the UI and returns when the user quits.
pub async fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let args = &cli.connection;
    let (loaded, settings) = settings::from_command_line(args)?;
    let mut app = App::new(
        ConnectionPane::default(),
        settings.manager,
        Theme::for_terminal(settings.theme),
        TimeZone::system(),
        Timestamp::now(),
    );
    let mut first = Vec::new();
    configure(&mut app, cli, loaded, &settings, &mut first);
    let demo_ttl = cli.demo_token_ttl.map(Duration::from_secs);
    let mut terminal = TerminalGuard::enter()?;
    // The first frame goes out before the HTTP client (and its root certificates) is built.
    let size = terminal.terminal.size()?;
    app.size = (size.width, size.height);
    terminal.terminal.draw(|f| view::draw(&mut app, f))?;
    let history = open_history(&mut app, &cli.history, settings.history);
    let http = Http::new(settings.http)?;
    let tokens = TokenManager::spawn(http.clone(), None, settings.manager);
    let client = ApiClient { http, tokens };
    let result = Runner::new(client, demo_ttl, arboard_clipboard(), true)
        .with_history(history)
        .run(&mut terminal.terminal, app, first)
        .await;
    drop(terminal);
    result.map(|()| ExitCode::SUCCESS)
}

/// Sets the app up from the resolved settings (the profile, with the command line winning, and
/// `YOUNIUM_SECRET`), and lists the effects to start with. Public so tests can set an app up
/// from a config file exactly as `run` does.
pub fn configure(
    app: &mut App,
    cli: &Cli,
    loaded: config::Loaded,
    settings: &Settings,
    first: &mut Vec<Effect>,
) {
    let config = loaded
        .file
        .as_ref()
        .map(|f| (f, settings.profile.as_deref()));
    let flows = flows::discover(loaded.path.as_deref(), &cli.flows, config);
    app.use_config(loaded);
    app.use_settings(settings, first);
    app.use_flows(flows);
    if let Some(error) = &settings.config_warning {
        app.config_unusable(error);
    }
    let has_credentials = app.connection.has_credentials() || app.profile.is_some();
    app.screen = if has_credentials && !cli.demo {
        app::Screen::Main
    } else {
        app::Screen::Welcome
    };
    if !app.connection.is_editing() {
        app.focus = if app.connection.missing().is_some() {
            app::Focus::Connection
        } else {
            app::Focus::Catalog
        };
        app.connection.select_credential();
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

/// The history file for the session, opened by its first use (a record, `H`): until then
/// SQLite stays out of the idle app. The runner reports the opening (a file set aside, or
/// why nothing is recorded) to the status line.
fn open_history(
    app: &mut App,
    args: &crate::cli::HistoryArgs,
    limits: crate::history::Limits,
) -> Option<crate::history::History> {
    let Some(path) = args.path() else {
        app.use_history(HistoryAccess::Off);
        return None;
    };
    let history = crate::history::History::deferred(&path, limits);
    app.use_history(HistoryAccess::On(path));
    Some(history)
}
