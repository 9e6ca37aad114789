//! Secret hygiene, proven: runs the headless commands and a TUI session against the simulator
//! with debug logging on, then scans every log line, every screen byte, every command output,
//! every committed snapshot and the whole history database (its file and its -wal) for the
//! test secrets and for every token the simulator issued.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common;
use crate::common::pty::Tui;
use younium_tui::simulator::{Simulator, SimulatorConfig, demo};
use younium_tui::younium::{AuthMethod, Connection, Credentials, Environment, Secret};

const SECRETS: [&str; 3] = [demo::SECRET, demo::LIMITED_SECRET, demo::LEGACY_PASSWORD];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_or_issued_token_appears_anywhere() {
    let sim = Simulator::start_local(SimulatorConfig::default())
        .await
        .unwrap();
    let base = sim.base_url();
    let log = std::env::temp_dir().join(format!(
        "younium-tui-secret-scan-{}.log",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&log);
    let log_text = log.to_str().unwrap().to_string();
    let mut haystacks: Vec<(String, String)> = Vec::new();
    // The history every command and the TUI record into. Held open here, so its -wal stays
    // on disk for the scan (the last connection to close would fold it into the file).
    let history_dir = std::env::temp_dir().join(format!(
        "younium-tui-secret-scan-history-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&history_dir);
    let history = history_dir.join("history.sqlite3");
    let history_text = history.to_str().unwrap().to_string();
    let (_held_open, _) =
        younium_tui::history::Store::open(&history, younium_tui::history::Limits::default())
            .unwrap();
    // A body with secret-named members and the secret itself as a value.
    let body = history_dir.join("body.json");
    std::fs::write(
        &body,
        format!(
            r#"{{"name":"Scan AB","clientSecret":"{}","nested":{{"password":"{}"}}}}"#,
            demo::SECRET,
            demo::LEGACY_PASSWORD
        ),
    )
    .unwrap();
    let body_text = body.to_str().unwrap().to_string();

    let commands: [&[&str]; 8] = [
        &["token"],
        &["token", "--json"],
        &[
            "call",
            "GET",
            "/Accounts",
            "-q",
            "PageSize=2",
            "--legal-entity",
            demo::LEGAL_ENTITIES[0].name,
            "-i",
        ],
        &[
            "call",
            "GET",
            "/Invoices",
            "--legal-entity",
            demo::LEGAL_ENTITIES[1].name,
        ],
        &[
            "doctor",
            "GET",
            "/Invoices",
            "--legal-entity",
            demo::LEGAL_ENTITIES[1].name,
        ],
        &["entities", "--json"],
        &[
            "call",
            "POST",
            "/Accounts",
            "--body",
            &body_text,
            "--legal-entity",
            demo::LEGAL_ENTITIES[0].name,
        ],
        &["history", "--json"],
    ];
    for args in commands {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_younium-tui"));
        cmd.args(args)
            .args(["--base-url", &base, "--client-id", demo::CLIENT_ID])
            .env("YOUNIUM_SECRET", demo::SECRET)
            .env("YOUNIUM_TUI_LOG", "debug")
            .env("YOUNIUM_TUI_LOG_FILE", &log)
            .env("YOUNIUM_TUI_CONFIG", "/nonexistent/younium-tui-test.toml")
            .env("YOUNIUM_TUI_HISTORY", &history)
            .stdin(Stdio::null());
        let out = common::output(cmd).await;
        let name = args.join(" ");
        haystacks.push((
            format!("stdout of {name}"),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        ));
        haystacks.push((
            format!("stderr of {name}"),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }

    let tui_base = base.clone();
    let tui_log = log_text.clone();
    let screen_bytes = tokio::task::spawn_blocking(move || {
        let args = [
            "--base-url",
            tui_base.as_str(),
            "--client-id",
            demo::CLIENT_ID,
            "--legal-entity",
            demo::LEGAL_ENTITIES[1].name,
        ];
        let env = [
            ("YOUNIUM_SECRET", demo::SECRET),
            ("YOUNIUM_TUI_LOG", "debug"),
            ("YOUNIUM_TUI_LOG_FILE", tui_log.as_str()),
            ("YOUNIUM_TUI_HISTORY", history_text.as_str()),
        ];
        let mut tui = Tui::start(&args, &env);
        tui.wait_for(" VALID ", Duration::from_secs(30));
        tui.keys("3/get invoices\r");
        tui.keys("\r"); // the best match, GET /Invoices, is selected
        tui.keys("s");
        tui.wait_for("403 Forbidden", Duration::from_secs(20));
        tui.keys("]]"); // the request as sent
        tui.wait_for("Authorization: Bearer", Duration::from_secs(5));
        tui.keys("D");
        tui.wait_for("Diagnosis", Duration::from_secs(20));
        tui.keys("\x1b");
        tui.keys("J"); // the decoded JWT
        tui.wait_for("signature is NOT checked", Duration::from_secs(5));
        tui.keys("\x1b");
        tui.quit()
    })
    .await
    .unwrap();
    haystacks.push((
        "the TUI's terminal output".into(),
        String::from_utf8_lossy(&screen_bytes).into_owned(),
    ));

    let log_lines = std::fs::read_to_string(&log).expect("the log file was written");
    assert!(
        log_lines.lines().count() >= 10,
        "debug logging produced lines:\n{log_lines}"
    );
    haystacks.push(("the log file".into(), log_lines));
    for entry in
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/app/snapshots")).unwrap()
    {
        let path = entry.unwrap().path();
        haystacks.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }

    let recorded =
        younium_tui::history::Store::open(&history, younium_tui::history::Limits::default())
            .unwrap()
            .0
            .count()
            .unwrap();
    assert!(recorded >= 3, "the calls were recorded ({recorded})");
    for suffix in ["", "-wal"] {
        let path = format!("{}{suffix}", history.display());
        let bytes = std::fs::read(&path).unwrap_or_default();
        assert!(suffix.is_empty() || !bytes.is_empty(), "{path} is on disk");
        haystacks.push((path, String::from_utf8_lossy(&bytes).into_owned()));
    }

    let tokens: Vec<String> = sim
        .log()
        .iter()
        .flat_map(|r| r.headers.iter())
        .filter(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .filter_map(|(_, v)| v.strip_prefix("Bearer ").map(str::to_string))
        .collect();
    assert!(!tokens.is_empty(), "the simulator saw tokens");
    for (what, text) in &haystacks {
        for secret in SECRETS {
            assert!(!text.contains(secret), "a secret appears in {what}");
        }
        for token in &tokens {
            assert!(
                !text.contains(token.as_str()),
                "an issued token appears in {what}"
            );
        }
    }
    sim.shutdown().await;
}

#[test]
fn debug_output_of_credentials_never_shows_the_secret() {
    let conn = Connection {
        environment: Environment::Sandbox,
        credentials: Credentials {
            method: AuthMethod::ApiTokenV1,
            id: "id".into(),
            secret: Secret::new(demo::SECRET),
        },
        legacy_legal_entity: None,
    };
    let shown = format!("{conn:?} {conn:#?}");
    assert!(!shown.contains(demo::SECRET), "{shown}");
    assert!(shown.contains("***"));
}
