//! Settings resolved once and honoured everywhere: `--timeout` and a profile's
//! `timeout_seconds` limit the UI's calls as they do the headless commands' (against a slow
//! simulator, the message names the limit), a zero limit and a missing `--config` file are
//! refused, and switching profile with `P` reconfigures the client and the token manager.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use crossterm::event::KeyCode;
use jiff::tz::TimeZone;
use younium_tui::cli::ConnectionArgs;
use younium_tui::config::{ConfigFile, Loaded};
use younium_tui::settings::{self, EnvVars, Inputs};
use younium_tui::simulator::{Simulator, SimulatorConfig, demo};
use younium_tui::tui::app::{App, Effect};
use younium_tui::tui::panes::connection::ConnectionPane;
use younium_tui::tui::theme::Theme;
use younium_tui::younium::Environment;

use crate::common::binary::temp_dir;
use crate::common::keys::press;
use crate::common::pty::Tui;

/// What every answer too slow for a 1 s limit is told with.
const ONE_SECOND_LIMIT: &str = "within the 1 s limit";

/// A simulator that answers everything, token requests included, after three seconds.
async fn slow_simulator() -> Simulator {
    common::simulator_with(SimulatorConfig {
        faults: "latency=3s".parse().unwrap(),
        ..SimulatorConfig::default()
    })
    .await
}

/// A profile on `base_url` whose calls may take one second.
fn impatient_profile(dir: &Path, base_url: &str) -> PathBuf {
    let path = dir.join("config.toml");
    let text = format!(
        "[profiles.impatient]\nbase_url = \"{base_url}\"\nclient_id = \"{}\"\ntimeout_seconds = 1\n",
        demo::CLIENT_ID
    );
    std::fs::write(&path, text).unwrap();
    path
}

async fn headless(args: Vec<String>) -> Output {
    let mut cmd = common::binary();
    cmd.args(&args)
        .env("YOUNIUM_SECRET", demo::SECRET)
        .env("YOUNIUM_TUI_CONFIG", "/nonexistent/younium-tui-test.toml")
        .env_remove("YOUNIUM_PROFILE")
        .env(
            "YOUNIUM_TUI_LOG_FILE",
            std::env::temp_dir().join("younium-tui-test-settings.log"),
        )
        .stdin(Stdio::null());
    common::output(cmd).await
}

fn stderr(o: &Output) -> String {
    common::text(&o.stderr)
}

/// Whether a pane on screen shows `sentence`, however its lines are wrapped: each column of
/// panes (the text between the same pair of `│` borders on every row) is read as one text.
fn shows(screen: &str, sentence: &str) -> bool {
    let rows: Vec<Vec<&str>> = screen.lines().map(|l| l.split('│').collect()).collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..columns).any(|column| {
        let text = rows
            .iter()
            .filter_map(|row| row.get(column))
            .flat_map(|cell| cell.split_whitespace())
            .collect::<Vec<_>>()
            .join(" ");
        text.contains(sentence)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tui_honours_timeout_and_names_the_limit() {
    let sim = slow_simulator().await;
    let base = sim.base_url();
    let drive = tokio::task::spawn_blocking(move || {
        let args = [
            "--base-url",
            &base,
            "--client-id",
            demo::CLIENT_ID,
            "--timeout",
            "1",
        ];
        let screen = Tui::start(&args, &[("YOUNIUM_SECRET", demo::SECRET)]);
        // The token request is the first to be too slow; the token pane says why it failed.
        let text = screen.wait_until(
            |text| shows(text, ONE_SECOND_LIMIT).then(|| text.to_string()),
            Duration::from_secs(20),
        );
        assert!(!text.contains(" VALID "), "{text}");
        screen.quit();
    });
    let result = drive.await;
    sim.shutdown().await;
    result.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profiles_timeout_holds_in_the_tui_as_in_the_headless_commands() {
    let sim = slow_simulator().await;
    let dir = temp_dir("settings-profile");
    let config = impatient_profile(&dir, &sim.base_url());
    let cfg = config.to_str().unwrap().to_string();
    let token = headless(vec!["--config".into(), cfg.clone(), "token".into()]).await;
    assert_eq!(token.status.code(), Some(2));
    assert!(
        stderr(&token).contains(ONE_SECOND_LIMIT),
        "{}",
        stderr(&token)
    );
    let drive = tokio::task::spawn_blocking(move || {
        let screen = Tui::start(&["--config", &cfg], &[("YOUNIUM_SECRET", demo::SECRET)]);
        screen.wait_until(
            |text| shows(text, ONE_SECOND_LIMIT).then_some(()),
            Duration::from_secs(20),
        );
        screen.quit();
    });
    let result = drive.await;
    sim.shutdown().await;
    result.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zero_timeout_and_a_missing_config_file_are_refused() {
    let zero = headless(vec!["token".into(), "--timeout".into(), "0".into()]).await;
    assert_eq!(zero.status.code(), Some(2));
    assert!(
        stderr(&zero).contains("0 s would fail every call"),
        "{}",
        stderr(&zero)
    );
    let missing = "/nonexistent/younium-tui-named.toml";
    let named = headless(vec![
        "--config".into(),
        missing.into(),
        "token".into(),
        "--client-id".into(),
        demo::CLIENT_ID.into(),
    ])
    .await;
    assert_eq!(named.status.code(), Some(2));
    assert!(
        stderr(&named).contains(&format!("no config file at {missing}")),
        "{}",
        stderr(&named)
    );
}

const TWO_PROFILES: &str = r#"
default_profile = "alpha"

[profiles.alpha]
environment = "sandbox"
client_id = "alpha-id"
secret = { env = "ALPHA_SECRET" }
renew_margin_seconds = 60
timeout_seconds = 30

[profiles.beta]
base_url = "http://127.0.0.1:9"
client_id = "beta-id"
secret = { command = ["printf", "%s", "beta-secret"] }
renew_margin_seconds = 900
timeout_seconds = 7
connect_timeout_seconds = 3
"#;

#[test]
fn switching_profile_reconfigures_the_client_and_the_token_manager() {
    let file = ConfigFile::parse(Path::new("/cfg/config.toml"), TWO_PROFILES).unwrap();
    let loaded = Loaded::from(file.clone());
    // Started with --timeout 2: it applies to alpha, the profile it was given with.
    let flags = ConnectionArgs {
        timeout: Some(2),
        ..Default::default()
    };
    let start = settings::resolve(&Inputs {
        config: &loaded,
        profile: None,
        flags: &flags,
        env: &EnvVars::default(),
    })
    .unwrap();
    assert_eq!(start.http.timeout, Duration::from_secs(2));
    let mut app = App::new(
        ConnectionPane::default(),
        start.manager,
        Theme::mono(),
        TimeZone::UTC,
        jiff::Timestamp::now(),
    );
    app.use_config(file.into());
    let mut first = Vec::new();
    app.use_settings(&start, &mut first);
    assert_eq!(app.token().options().renew_margin, Duration::from_secs(60));
    assert!(matches!(&first[..], [Effect::ResolveSecret { profile, .. }] if profile == "alpha"));
    // Past the welcome screen as the user goes: `c`, then Esc out of the client id.
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Esc);

    press(&mut app, KeyCode::Char('P'));
    press(&mut app, KeyCode::Char('j'));
    let effects = press(&mut app, KeyCode::Enter);

    // Beta as the same resolve sees it on its own: the start-up flag does not carry over.
    let beta = settings::resolve(&Inputs {
        config: &loaded,
        profile: Some("beta"),
        flags: &ConnectionArgs::default(),
        env: &EnvVars::default(),
    })
    .unwrap();
    assert_eq!(beta.http.timeout, Duration::from_secs(7));
    assert_eq!(beta.http.connect_timeout, Duration::from_secs(3));
    assert_eq!(beta.manager.renew_margin, Duration::from_secs(900));
    let configured = effects.iter().find_map(|e| match e {
        Effect::Configure { http, manager } => Some((*http, *manager)),
        _ => None,
    });
    assert_eq!(configured, Some((beta.http, beta.manager)), "{effects:?}");
    let order: Vec<&str> = effects
        .iter()
        .map(|e| match e {
            Effect::Configure { .. } => "configure",
            Effect::Connect(None) => "disconnect",
            Effect::ResolveSecret { .. } => "secret",
            _ => "other",
        })
        .collect();
    assert_eq!(order, ["configure", "disconnect", "secret"]);
    // The token pane shows the margin the token manager now uses.
    assert_eq!(app.token().options(), &beta.manager);
    assert_eq!(app.profile().as_deref(), Some("beta"));
    assert_eq!(app.connection().client_id(), "beta-id");
    assert_eq!(
        app.connection().environment(),
        &Environment::Custom("http://127.0.0.1:9".into())
    );
}
