//! Profiles end to end: two profiles with different secret sources, each with its own token
//! (headless and in the TUI, where switching happens with P), a broken config that still lets
//! the app run and is never overwritten, a world-readable plain secret refused with the fix
//! named, and changes saved back into the file with its comments kept.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use crate::common::binary::temp_dir;
use crate::common::pty::Tui;
use crate::common::{simulator, text};
use younium_tui::simulator::{Simulator, demo};

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Two profiles on two simulators: one reads its secret from an environment variable, the
/// other from a command.
fn two_profiles(dir: &Path, a: &Simulator, b: &Simulator) -> PathBuf {
    let path = dir.join("config.toml");
    let text = format!(
        r#"# younium-tui profiles for the tests
default_profile = "alpha"

[profiles.alpha]
# secret from an environment variable
base_url = "{a}"
client_id = "{id}"
secret = {{ env = "ALPHA_SECRET" }}
legal_entity = "{ab}"

[profiles.beta]
base_url = "{b}"
client_id = "{id}"
auth = "v2"
secret = {{ command = ["printf", "%s", "{secret}"] }}
"#,
        a = a.base_url(),
        b = b.base_url(),
        id = demo::CLIENT_ID,
        ab = demo::LEGAL_ENTITIES[0].name,
        secret = demo::SECRET,
    );
    std::fs::write(&path, text).unwrap();
    path
}

async fn run(args: Vec<String>, env: Vec<(&'static str, String)>) -> Output {
    let mut cmd = common::binary();
    cmd.args(&args)
        .env_remove("YOUNIUM_SECRET")
        .env_remove("YOUNIUM_PROFILE")
        .env(
            "YOUNIUM_TUI_LOG_FILE",
            std::env::temp_dir().join("younium-tui-test-profiles.log"),
        )
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::output(cmd).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_profile_gets_its_own_token_from_its_own_secret_source() {
    let (a, b) = (simulator().await, simulator().await);
    let dir = temp_dir("profiles-headless");
    let config = two_profiles(&dir, &a, &b);
    let cfg = config.to_str().unwrap().to_string();
    let alpha = run(
        vec![
            "--config".into(),
            cfg.clone(),
            "token".into(),
            "--json".into(),
        ],
        vec![("ALPHA_SECRET", demo::SECRET.into())],
    )
    .await;
    assert!(alpha.status.success(), "{}", text(&alpha.stderr));
    let v: serde_json::Value = serde_json::from_slice(&alpha.stdout).unwrap();
    assert_eq!(v["base_url"], a.base_url());
    let beta = run(
        vec![
            "--config".into(),
            cfg.clone(),
            "--profile".into(),
            "beta".into(),
            "token".into(),
            "--json".into(),
        ],
        vec![],
    )
    .await;
    assert!(beta.status.success(), "{}", text(&beta.stderr));
    let v: serde_json::Value = serde_json::from_slice(&beta.stdout).unwrap();
    assert_eq!(
        (v["base_url"].as_str(), v["auth"].as_str()),
        (Some(b.base_url().as_str()), Some("v2"))
    );
    assert_eq!(
        (a.stats().token_exchanges, b.stats().token_exchanges),
        (1, 1)
    );
    // The profile's legal entity is used by calls; a flag overrides it.
    let call = run(
        vec![
            "--config".into(),
            cfg.clone(),
            "call".into(),
            "GET".into(),
            "/Accounts".into(),
        ],
        vec![("ALPHA_SECRET", demo::SECRET.into())],
    )
    .await;
    assert!(call.status.success(), "{}", text(&call.stderr));
    // A missing env var names the variable, not a generic failure.
    let missing = run(vec!["--config".into(), cfg, "token".into()], vec![]).await;
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing.stderr).contains("ALPHA_SECRET"),
        "{}",
        text(&missing.stderr)
    );
    a.shutdown().await;
    b.shutdown().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_world_readable_plain_secret_is_refused_with_the_fix() {
    let sim = simulator().await;
    let dir = temp_dir("profiles-plain");
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "[profiles.p]\nbase_url = \"{}\"\nclient_id = \"{}\"\nsecret = \"{}\"\n",
            sim.base_url(),
            demo::CLIENT_ID,
            demo::SECRET
        ),
    )
    .unwrap();
    chmod(&path, 0o644);
    let cfg = path.to_str().unwrap().to_string();
    let refused = run(vec!["--config".into(), cfg.clone(), "token".into()], vec![]).await;
    assert_eq!(refused.status.code(), Some(2));
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains(&format!("chmod 600 {}", path.display())),
        "{stderr}"
    );
    assert!(!stderr.contains(demo::SECRET));
    assert_eq!(sim.stats().token_exchanges, 0, "nothing was sent");
    chmod(&path, 0o600);
    let accepted = run(vec!["--config".into(), cfg, "token".into()], vec![]).await;
    assert!(accepted.status.success(), "{}", text(&accepted.stderr));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_config_is_reported_and_left_alone() {
    let dir = temp_dir("profiles-broken");
    let path = dir.join("config.toml");
    let broken = "[profiles.a]\nclient_id = \"x\"\nenvironment = sandbox\n";
    std::fs::write(&path, broken).unwrap();
    let cfg = path.to_str().unwrap().to_string();
    let named = run(
        vec![
            "--config".into(),
            cfg.clone(),
            "--profile".into(),
            "a".into(),
            "token".into(),
        ],
        vec![],
    )
    .await;
    assert_eq!(named.status.code(), Some(2));
    let stderr = text(&named.stderr);
    assert!(
        stderr.contains(&format!("{}, line 3, column", path.display())),
        "{stderr}"
    );
    // Without --profile a command goes on with its flags, warning about the file.
    let args = vec![
        "--config".into(),
        cfg.clone(),
        "token".into(),
        "--base-url".into(),
        "http://127.0.0.1:9".into(),
        "--client-id".into(),
        "x".into(),
    ];
    let flags = run(args, vec![("YOUNIUM_SECRET", "y".into())]).await;
    let stderr = text(&flags.stderr);
    assert!(
        stderr.contains("warning: the config file is ignored"),
        "{stderr}"
    );
    assert!(stderr.contains("could not connect"), "{stderr}");
    // The UI opens anyway and shows the error; the file is untouched afterwards.
    let tui = tokio::task::spawn_blocking(move || {
        let screen = Tui::start(&["--config", &cfg], &[]);
        let shown = screen.wait_for("line 3", Duration::from_secs(10));
        assert!(shown.contains("not used"), "{shown}");
        screen.quit();
    });
    tui.await.unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tui_switches_profiles_and_saves_changes_back() {
    let (a, b) = (simulator().await, simulator().await);
    let dir = temp_dir("profiles-tui");
    let config = two_profiles(&dir, &a, &b);
    let cfg = config.to_str().unwrap().to_string();
    let (a_url, b_url) = (a.base_url(), b.base_url());
    let config_path = config.clone();
    let drive = tokio::task::spawn_blocking(move || {
        let mut screen = Tui::start(&["--config", &cfg], &[("ALPHA_SECRET", demo::SECRET)]);
        let text = screen.wait_for(" VALID ", Duration::from_secs(30));
        assert!(
            text.contains(&a_url),
            "profile alpha is the default: {text}"
        );
        assert!(text.contains("(env ALPHA_SECRET)"), "{text}");
        screen.keys("P");
        screen.wait_for("Profiles in", Duration::from_secs(5));
        screen.keys("j\r");
        // The title bar names the profile once it is switched (the picker lists beta's URL
        // already, so that alone says nothing).
        let text = screen.wait_for("profile beta", Duration::from_secs(5));
        assert!(text.contains(&b_url), "{text}");
        let text = screen.wait_for(" VALID ", Duration::from_secs(30));
        assert!(text.contains("(command printf)"), "{text}");
        // Pick a legal entity for beta: it is this session's; the file gets the legal
        // entities found, not the pick.
        screen.keys("L");
        screen.wait_for("legal entities from GET /Users", Duration::from_secs(10));
        screen.keys("jj\r");
        screen.wait_for(
            "for this session (W: make it profile beta",
            Duration::from_secs(5),
        );
        let before = std::fs::read_to_string(&config_path).unwrap();
        let beta = &before[before.find("[profiles.beta]").unwrap()..];
        assert!(!beta.contains("legal_entity ="), "{before}");
        // W asks, naming what changes, and saves it as beta's default.
        screen.keys("W");
        let question = screen.wait_for("Save as profile beta", Duration::from_secs(5));
        assert!(
            question.contains("legal_entity = Nordlys Software Inc"),
            "{question}"
        );
        screen.keys("y");
        screen.wait_for("saved to", Duration::from_secs(5));
        screen.quit();
    });
    drive.await.unwrap();
    assert_eq!(a.stats().token_exchanges, 1);
    assert_eq!(b.stats().token_exchanges, 1, "beta got its own token");
    let saved = std::fs::read_to_string(&config).unwrap();
    assert!(
        saved.starts_with("# younium-tui profiles for the tests\n"),
        "{saved}"
    );
    assert!(
        saved.contains("# secret from an environment variable"),
        "{saved}"
    );
    let beta = &saved[saved.find("[profiles.beta]").unwrap()..];
    assert!(
        beta.contains(&format!(
            "legal_entity = \"{}\"",
            demo::LEGAL_ENTITIES[1].name
        )),
        "{saved}"
    );
    assert!(beta.contains("known_legal_entities = ["), "{saved}");
    assert!(
        !saved.contains(demo::SECRET) || saved.contains("printf"),
        "no secret was written"
    );
    a.shutdown().await;
    b.shutdown().await;
}

/// `[keys]` in the config file rebinds keys; an unknown name is reported at start with the
/// file and line, and the defaults stay for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_from_the_config_file_rebind_and_report_problems() {
    let sim = simulator().await;
    let dir = temp_dir("profiles-keys");
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        format!(
            "[profiles.alpha]\nbase_url = \"{}\"\nclient_id = \"{}\"\nsecret = {{ env = \"ALPHA_SECRET\" }}\n\n[keys]\nhelp = [\"F1\"]\nsned = [\"F6\"]\n",
            sim.base_url(),
            demo::CLIENT_ID
        ),
    )
    .unwrap();
    let cfg = path.display().to_string();
    let tui = tokio::task::spawn_blocking(move || {
        let mut screen = Tui::start(&["--config", &cfg], &[("ALPHA_SECRET", demo::SECRET)]);
        let shown = screen.wait_for("key bindings kept", Duration::from_secs(10));
        assert!(shown.contains("config.toml:8"), "{shown}");
        assert!(shown.contains("sned"), "{shown}");
        screen.keys("?");
        std::thread::sleep(Duration::from_millis(300));
        assert!(
            !screen.text().contains("Everywhere"),
            "? is no longer the help key"
        );
        screen.keys("\x1bOP"); // F1
        let help = screen.wait_for("Everywhere", Duration::from_secs(5));
        assert!(help.contains("F1"), "{help}");
        screen.keys("\x1bOP");
        std::thread::sleep(Duration::from_millis(300));
        screen.quit();
    });
    tui.await.unwrap();
}
