//! The headless commands against a hostile server: escape sequences in ProblemDetails, in
//! legal-entity names from `/Users`, in JWT claims and in token errors never reach the terminal
//! raw; doctor's suggested fix is safe to paste into a shell; a reader that closes the pipe
//! early (`| head`) ends the command quietly.
//!
//! The server (an axum router on 127.0.0.1:0) issues tokens like Younium and answers:
//! `/problem` a 400 ProblemDetails whose title and detail hold OSC 52 (clipboard), a screen
//! clear, a window title and a C1 CSI; `/raw-problem` the same as raw bytes (not valid JSON);
//! `/raw-text` a text body with raw escapes; `/big` a large JSON array; `/Users` a page whose
//! legal-entity names hold escapes and `$(touch …)` / backticks; anything else answers 403
//! unless the `legal-entity` header names the entity with the shell-hostile name.

use crate::common;
use crate::common::text;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

const OSC52: &str = "\x1b]52;c;cHduZWQ=\x07";
const CLEAR: &str = "\x1b[2J";
const TITLE: &str = "\x1b]0;pwned\x07";
const CSI: &str = "\u{9b}31m";
/// The client ID for which the token endpoint answers 401 with hostile errors.
const REFUSED_ID: &str = "refused-client";

struct Hostile {
    /// Runs `touch` in `dir` if a shell ever expands it; the call works with this entity.
    shell_name: String,
    /// Terminal escapes; cannot even be sent as a header.
    escape_name: String,
}

impl Hostile {
    fn new(dir: &Path) -> Hostile {
        let dir = dir.display();
        Hostile {
            shell_name: format!(
                "Acme $(touch {dir}/pwned) `touch {dir}/pwned2` it's \"AB\"; touch {dir}/pwned3"
            ),
            escape_name: format!("Evil{OSC52}{CLEAR}{TITLE}{CSI} Inc"),
        }
    }

    fn problem(&self, status: u16) -> Value {
        json!({
            "type": "https://tools.ietf.org/html/rfc7231#section-6.5.1",
            "title": format!("Bad request{OSC52}{CLEAR}"),
            "detail": format!("Nothing here{TITLE}{CSI} at all"),
            "status": status,
        })
    }
}

fn problem_response(status: StatusCode, body: impl Into<axum::body::Body>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.into(),
    )
        .into_response()
}

async fn answer(State(h): State<Arc<Hostile>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let entity = req
        .headers()
        .get("legal-entity")
        .map(|v| v.as_bytes().to_vec());
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    match path.as_str() {
        "/auth/token" => token_answer(&body),
        "/Users" => axum::Json(json!({
            "pageNumber": 1, "pageSize": 100, "totalPages": 1, "totalCount": 1,
            "data": [{"id": "u1", "email": "me@example.com", "roles": [
                {"name": "Admin", "legalEntityId": "le-1", "legalEntityName": h.shell_name},
                {"name": "Admin", "legalEntityId": "le-2", "legalEntityName": h.escape_name},
            ]}],
        }))
        .into_response(),
        "/problem" => problem_response(StatusCode::BAD_REQUEST, h.problem(400).to_string()),
        "/raw-problem" => problem_response(
            StatusCode::BAD_REQUEST,
            format!("{{\"title\": \"raw{TITLE}{OSC52}\", \"detail\": \"x{CLEAR}{CSI}\"}}"),
        ),
        "/raw-text" => (
            [(header::CONTENT_TYPE, "text/plain")],
            format!("line one{OSC52}\nline two{CLEAR}{CSI}\r\n"),
        )
            .into_response(),
        "/big" => {
            let rows: Vec<Value> = (0..20_000)
                .map(|i| json!({"id": i, "name": "row"}))
                .collect();
            axum::Json(json!({"data": rows})).into_response()
        }
        _ if entity.as_deref() == Some(h.shell_name.as_bytes())
            || entity.as_deref() == Some(b"le-1") =>
        {
            axum::Json(json!({
                "pageNumber": 1, "pageSize": 1, "totalPages": 1, "totalCount": 1,
                "data": [{"id": "x", "name": h.escape_name}],
            }))
            .into_response()
        }
        _ => problem_response(StatusCode::FORBIDDEN, h.problem(403).to_string()),
    }
}

/// A working token whose JWT claims hold escapes, or a 401 full of them for [`REFUSED_ID`].
fn token_answer(body: &Bytes) -> Response {
    let request: Value = serde_json::from_slice(body).unwrap_or_default();
    if request["clientId"] == REFUSED_ID {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"errors": [format!("Invalid client{OSC52}{TITLE}{CSI}")]})),
        )
            .into_response();
    }
    axum::Json(json!({
        "accessToken": common::jwt(json!({
            "sub": format!("me{TITLE}"),
            "name": format!("{CSI}{CLEAR}Mallory"),
            "exp": 4_000_000_000i64,
        })),
        "expiresIn": 3600,
    }))
    .into_response()
}

struct Server {
    base: String,
    hostile: Arc<Hostile>,
    /// Where a shell expansion of a hostile name would create files.
    dir: PathBuf,
}

async fn server(name: &str) -> Server {
    let dir = common::binary::temp_dir(&format!("headless-safety-{name}"));
    std::fs::write(dir.join("config.toml"), "").unwrap();
    let hostile = Arc::new(Hostile::new(&dir));
    let app = Router::new().fallback(answer).with_state(hostile.clone());
    let base = format!("http://{}", common::servers::serve(app).await);
    Server { base, hostile, dir }
}

impl Server {
    fn command(&self, client_id: &str, args: &[&str]) -> Command {
        let mut cmd = common::binary();
        cmd.args(args)
            .args(["--base-url", &self.base, "--client-id", client_id])
            .env("YOUNIUM_SECRET", "hostile-test-secret")
            .env("YOUNIUM_TUI_CONFIG", self.dir.join("config.toml"))
            .env("YOUNIUM_TUI_LOG_FILE", self.dir.join("log.txt"))
            .env_remove("YOUNIUM_LEGAL_ENTITY")
            .env_remove("YOUNIUM_ENV")
            .env_remove("YOUNIUM_PROFILE")
            .stdin(Stdio::null());
        cmd
    }

    async fn run(&self, args: &[&str]) -> Output {
        self.run_as("hostile-client", args).await
    }

    async fn run_as(&self, client_id: &str, args: &[&str]) -> Output {
        let cmd = self.command(client_id, args);
        common::output(cmd).await
    }

    /// Files a shell expansion of a hostile name would have created.
    fn pwned(&self) -> Vec<PathBuf> {
        ["pwned", "pwned2", "pwned3"]
            .iter()
            .map(|f| self.dir.join(f))
            .filter(|p| p.exists())
            .collect()
    }
}

/// No byte or character a terminal would act on: ESC, BEL, CSI (0x9b as a character).
fn assert_inert(what: &str, bytes: &[u8]) {
    let shown = text(bytes);
    assert!(
        !bytes.iter().any(|b| matches!(b, 0x1b | 0x07)) && !shown.contains('\u{9b}'),
        "{what} holds a raw escape: {shown:?}"
    );
}

fn assert_output_inert(out: &Output) {
    assert_inert("stdout", &out.stdout);
    assert_inert("stderr", &out.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_shows_a_hostile_problem_escaped_and_keeps_json_valid() {
    let s = server("problem").await;
    let out = s.run(&["call", "GET", "/problem"]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_output_inert(&out);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(r"Bad request\e]52;c;cHduZWQ=\x07\e[2J"),
        "{stderr}"
    );
    assert!(
        stderr.contains(r"Nothing here\e]0;pwned\x07\u{9b}31m"),
        "{stderr}"
    );
    // stdout is the body as JSON: the same value, with the escapes as JSON escapes.
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body, s.hostile.problem(400));

    let raw = s.run(&["call", "GET", "/raw-problem"]).await;
    assert_eq!(raw.status.code(), Some(1), "{}", text(&raw.stderr));
    // The body is not JSON; to a pipe it goes as sent (see `call`), but stderr is a terminal's.
    assert_inert("stderr", &raw.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_keeps_c1_controls_in_a_json_body_as_escapes() {
    let s = server("json").await;
    let out = s
        .run(&["call", "GET", "/Invoices", "--legal-entity", "le-1"])
        .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_output_inert(&out);
    assert!(
        text(&out.stdout).contains(r"\u009b31m"),
        "{}",
        text(&out.stdout)
    );
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["data"][0]["name"], s.hostile.escape_name.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forbidden_call_explains_without_raw_escapes() {
    let s = server("forbidden").await;
    let out = s.run(&["call", "GET", "/Invoices"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert_output_inert(&out);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entities_shows_hostile_names_escaped_as_text_and_as_json() {
    let s = server("entities").await;
    let out = s.run(&["entities"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_output_inert(&out);
    let table = text(&out.stdout);
    assert!(
        table.contains(r"Evil\e]52;c;cHduZWQ=\x07\e[2J\e]0;pwned\x07\u{9b}31m Inc"),
        "{table}"
    );
    assert!(table.contains(&s.hostile.shell_name), "{table}");

    let json = s.run(&["entities", "--json"]).await;
    assert!(json.status.success());
    assert_output_inert(&json);
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    let names: Vec<&str> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            s.hostile.shell_name.as_str(),
            s.hostile.escape_name.as_str()
        ]
    );
    assert!(s.pwned().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctors_fix_runs_nothing_when_pasted_and_names_the_entity_exactly() {
    let s = server("doctor").await;
    let out = s.run(&["doctor", "/Invoices"]).await;
    let report = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "a fix was found: {report}");
    assert_output_inert(&out);
    let quoted = report
        .lines()
        .find_map(|l| l.strip_prefix("Fix: --legal-entity "))
        .unwrap_or_else(|| panic!("no fix line: {report}"));
    // What a user pasting the line gets: the one argument, every character as the server sent.
    let printed = Command::new("sh")
        .args(["-c", &format!("printf %s {quoted}")])
        .current_dir(&s.dir)
        .output()
        .unwrap();
    assert!(printed.status.success(), "{}", text(&printed.stderr));
    assert_eq!(text(&printed.stdout), s.hostile.shell_name);
    assert!(s.pwned().is_empty(), "the pasted fix ran a command");

    let json = s.run(&["doctor", "/Invoices", "--json"]).await;
    assert_output_inert(&json);
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["verdict"]["fix"]["value"], s.hostile.shell_name.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_shows_hostile_claims_and_errors_escaped() {
    let s = server("token").await;
    let out = s.run(&["token"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_output_inert(&out);
    assert!(text(&out.stdout).contains("Mallory"));

    let json = s.run(&["token", "--json"]).await;
    assert!(json.status.success());
    assert_output_inert(&json);
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["jwt"]["claims"]["name"], format!("{CSI}{CLEAR}Mallory"));

    let refused = s.run_as(REFUSED_ID, &["token"]).await;
    assert_eq!(refused.status.code(), Some(2));
    assert_output_inert(&refused);
    let stderr = text(&refused.stderr);
    assert!(stderr.contains(r"Invalid client\e]52;c;"), "{stderr}");
    let refused_json = s.run_as(REFUSED_ID, &["token", "--json"]).await;
    assert_output_inert(&refused_json);
    let v: Value = serde_json::from_slice(&refused_json.stdout).unwrap();
    assert_eq!(v["state"], "failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_stops_early_ends_the_call_quietly() {
    let s = server("pipe").await;
    let mut cmd = s.command("hostile-client", &["call", "GET", "/big"]);
    let out = tokio::task::spawn_blocking(move || {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Like `| head -c 100`: read a little (the body is far larger than a pipe's buffer),
        // then close the pipe while the command is still writing.
        let mut head = [0u8; 100];
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.to_lowercase().contains("broken pipe"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_body_on_a_terminal_is_shown_escaped() {
    let s = server("pty").await;
    let config = s.dir.join("config.toml");
    let args = [
        "call",
        "GET",
        "/raw-text",
        "--base-url",
        &s.base,
        "--client-id",
        "hostile-client",
    ];
    let env = [
        ("YOUNIUM_SECRET", "hostile-test-secret"),
        ("YOUNIUM_TUI_CONFIG", config.to_str().unwrap()),
        ("NO_COLOR", "1"),
    ];
    let mut tty = common::pty::Tui::start(&args, &env);
    let start = Instant::now();
    let status = tokio::task::spawn_blocking(move || {
        let status = loop {
            if let Some(status) = tty.child.try_wait().unwrap() {
                break status;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "call hung");
            std::thread::sleep(Duration::from_millis(20));
        };
        std::thread::sleep(Duration::from_millis(200));
        (status, tty.raw.lock().unwrap().clone())
    })
    .await
    .unwrap();
    let (status, raw) = status;
    assert!(status.success(), "{}", text(&raw));
    assert_inert("the terminal", &raw);
    let shown = text(&raw);
    assert!(shown.contains(r"line one\e]52;c;cHduZWQ=\x07"), "{shown}");
    assert!(shown.contains(r"line two\e[2J\u{9b}31m"), "{shown}");
}
