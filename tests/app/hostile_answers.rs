//! A hostile server: answers that never end, sizes that lie, token endpoints that echo the
//! secret back or ask to be left alone for years. Each misbehaviour is a path prefix on one
//! loopback listener; the library and the built binary are run against it.

use crate::common;

use std::io::Read;
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use younium_tui::younium::limit::ByteSize;
use younium_tui::younium::request::{self, Http, HttpOptions, MAX_RETRY_AFTER, RequestError};
use younium_tui::younium::{
    ApiRequest, AuthError, AuthMethod, CallSettings, Connection, Environment, Method, auth,
};

/// A secret with characters that JSON escapes and forms encode, so each spelling of it an
/// echo can carry is tried.
const SECRET: &str = "s3cr\"t/p@ss wörd-0123";
/// Pieces of the secret that no output may contain, in any spelling.
const SECRET_PIECES: [&str; 4] = ["s3cr", "p@ss", "p%40ss", "rd-0123"];

#[derive(Clone, Default)]
struct Shared {
    /// Bytes the endless bodies have produced so far.
    streamed: Arc<AtomicU64>,
}

static CHUNK: [u8; 64 * 1024] = [b'7'; 64 * 1024];

/// A body that never ends, sent as fast as the client reads.
fn endless(shared: &Shared) -> Response {
    let streamed = shared.streamed.clone();
    let chunks = futures::stream::repeat_with(move || {
        streamed.fetch_add(CHUNK.len() as u64, Ordering::Relaxed);
        Ok::<_, std::convert::Infallible>(Bytes::from_static(&CHUNK))
    });
    Response::new(Body::from_stream(chunks))
}

async fn answer(State(shared): State<Shared>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let (mode, rest) = path[1..].split_once('/').unwrap_or((&path[1..], ""));
    let is_token = rest == "auth/token" || rest == "auth/v2/token" || rest == "connect/token";
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let echoed = String::from_utf8_lossy(&body).into_owned();
    match (mode, is_token) {
        ("endless", true) | ("declared", true) => common::servers::token_answer(),
        ("endless", false) | ("endless-token", true) => endless(&shared),
        // Says 10 GB up front (and never sends them).
        ("declared", false) => Response::builder()
            .header(header::CONTENT_LENGTH, 10u64 << 30)
            .body(Body::from_stream(futures::stream::pending::<
                Result<Bytes, std::convert::Infallible>,
            >()))
            .unwrap(),
        ("echo", true) => (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({
                "title": "Unauthorized",
                "status": 401,
                "detail": format!("no client matches {echoed}"),
            })),
        )
            .into_response(),
        ("echo-text", true) => (
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain")],
            format!("bad request body: {echoed}"),
        )
            .into_response(),
        ("retry", true) => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "99999999")],
            axum::Json(json!({"errors": ["slow down"]})),
        )
            .into_response(),
        ("deep", true) => common::servers::token_answer(),
        // 200 kB of arrays nested 100,000 deep.
        ("deep", false) => (
            [(header::CONTENT_TYPE, "application/json")],
            format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        )
            .into_response(),
        ("form-token", true) => {
            let jwt = common::jwt(json!({"sub": "me", "exp": 4_000_000_000i64}));
            format!("access_token={jwt}&expires_in=3600").into_response()
        }
        _ => (StatusCode::NOT_FOUND, "no such mode").into_response(),
    }
}

struct Hostile {
    addr: SocketAddr,
    shared: Shared,
}

impl Hostile {
    async fn start() -> Hostile {
        let shared = Shared::default();
        let app = Router::new().fallback(answer).with_state(shared.clone());
        let addr = common::servers::serve(app).await;
        Hostile { addr, shared }
    }

    fn base(&self, mode: &str) -> String {
        format!("http://{}/{mode}", self.addr)
    }

    fn connection(&self, mode: &str, method: AuthMethod) -> Connection {
        common::clients::connection(&self.base(mode), method, ("client-1", SECRET))
    }
}

fn http(max_body: ByteSize) -> Http {
    common::crypto();
    Http::new(HttpOptions {
        max_body,
        ..HttpOptions::default()
    })
    .unwrap()
}

fn assert_no_secret(what: &str, text: &str) {
    for piece in SECRET_PIECES {
        assert!(
            !text.contains(piece),
            "{what} shows the secret ({piece}): {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_answer_stops_at_the_limit_with_nothing_kept() {
    let server = Hostile::start().await;
    let http = http(ByteSize::mib(8));
    let env = Environment::from_base_url(&server.base("endless")).unwrap();
    let req = ApiRequest::new(Method::Get, "/Accounts");
    let err = request::send(&http, env.base_url(), &req, &CallSettings::default(), None)
        .await
        .unwrap_err();
    let RequestError::TooLarge(too_large) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(too_large.limit, ByteSize::mib(8));
    assert_eq!(
        err.to_string(),
        format!(
            "the answer from {}/Accounts is larger than the 8 MiB limit; raise it with --max-body (or max_body in the profile)",
            server.base("endless")
        )
    );
    assert!(server.shared.streamed.load(Ordering::Relaxed) >= 8 << 20);
}

#[tokio::test]
async fn a_declared_size_over_the_limit_is_refused_before_reading() {
    let server = Hostile::start().await;
    let env = Environment::from_base_url(&server.base("declared")).unwrap();
    let req = ApiRequest::new(Method::Get, "/Invoices");
    let err = request::send(
        &http(ByteSize::mib(512)),
        env.base_url(),
        &req,
        &CallSettings::default(),
        None,
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("/Invoices is larger than the 512 MiB limit (it is 10 GiB); raise it with --max-body (or max_body in the profile)"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_token_answer_stops_at_one_megabyte() {
    let server = Hostile::start().await;
    let conn = server.connection("endless-token", AuthMethod::ApiTokenV1);
    let err = auth::exchange(&http(ByteSize::mib(512)), &conn)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::TooLarge(_)), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "the answer from the token endpoint {}/auth/token is larger than the 1 MiB limit; a token answer is a few kilobytes: check the base URL",
            server.base("endless-token")
        )
    );
}

#[tokio::test]
async fn a_secret_echoed_by_the_token_endpoint_is_not_shown() {
    let server = Hostile::start().await;
    let http = http(ByteSize::mib(512));
    for (mode, method) in [
        ("echo", AuthMethod::ApiTokenV1),
        ("echo", AuthMethod::ApiTokenV2),
        ("echo", AuthMethod::Legacy),
        ("echo-text", AuthMethod::ApiTokenV1),
        ("echo-text", AuthMethod::Legacy),
    ] {
        let err = auth::exchange(&http, &server.connection(mode, method))
            .await
            .unwrap_err();
        let shown = err.to_string();
        assert!(
            matches!(err, AuthError::Rejected { .. }),
            "{mode} {method}: {err:?}"
        );
        assert!(shown.contains("***"), "{mode} {method}: {shown}");
        assert!(shown.contains("client-1"), "the rest is kept: {shown}");
        assert_no_secret(&format!("{mode} {method}"), &shown);
        assert_no_secret("the error's Debug", &format!("{err:?}"));
    }
}

#[tokio::test]
async fn a_retry_after_of_years_is_clamped_and_said() {
    let server = Hostile::start().await;
    let err = auth::exchange(
        &http(ByteSize::mib(512)),
        &server.connection("retry", AuthMethod::ApiTokenV1),
    )
    .await
    .unwrap_err();
    assert_eq!(err.retry_after(), Some(MAX_RETRY_AFTER));
    assert_eq!(
        err.to_string(),
        "the token endpoint answered 429: slow down (the server asked to wait 27777h 46m (Retry-After: 99999999); waiting at most 1h 0m)"
    );
}

#[tokio::test]
async fn a_malformed_token_answer_is_quoted_without_the_token() {
    let server = Hostile::start().await;
    let err = auth::exchange(
        &http(ByteSize::mib(512)),
        &server.connection("form-token", AuthMethod::ApiTokenV1),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AuthError::Malformed(_)), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.contains("it starts with \"access_token=***"),
        "{shown}"
    );
    assert!(!shown.contains("eyJ"), "{shown}");
}

/// What a child process printed, and its peak resident memory.
struct Measured {
    success: bool,
    stderr: String,
    peak_kb: u64,
    took: Duration,
}

/// Runs the binary with `args`, sampling its peak resident size (VmHWM) from /proc while it
/// runs. The last sample before it exits is the peak of its whole life.
fn run_measured(args: &[&str], envs: &[(&str, &str)]) -> Measured {
    let started = Instant::now();
    let mut child = common::binary()
        .args(args)
        .env("YOUNIUM_SECRET", SECRET)
        .env(
            "YOUNIUM_TUI_CONFIG",
            "/nonexistent/younium-test/config.toml",
        )
        .env_remove("YOUNIUM_ENV")
        .env_remove("YOUNIUM_BASE_URL")
        .env_remove("YOUNIUM_LEGAL_ENTITY")
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr_pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let status = loop {
        if let Some(kb) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| vm_hwm_kb(&s))
        {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(90), "still running");
        std::thread::sleep(Duration::from_millis(5));
    };
    Measured {
        success: status.success(),
        stderr: reader.join().unwrap(),
        peak_kb,
        took: started.elapsed(),
    }
}

fn vm_hwm_kb(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_call_command_stops_an_endless_answer_with_bounded_memory() {
    let server = Hostile::start().await;
    let (endless, declared) = (server.base("endless"), server.base("declared"));
    let common_args = ["--client-id", "client-1", "--max-body", "8MB"];
    let (baseline, measured) = tokio::task::spawn_blocking(move || {
        // The same command on an answer refused up front: the process's own size.
        let mut args = vec!["call", "GET", "/Accounts", "--base-url", &declared];
        args.extend(common_args);
        let baseline = run_measured(&args, &[]);
        let mut args = vec!["call", "GET", "/Accounts", "--base-url", &endless];
        args.extend(common_args);
        (baseline, run_measured(&args, &[]))
    })
    .await
    .unwrap();
    let streamed = server.shared.streamed.load(Ordering::Relaxed);
    println!(
        "call on an endless answer with --max-body 8MB: peak {} MB (baseline {} MB on a refused answer), {} MB streamed by the server, {} ms",
        measured.peak_kb / 1024,
        baseline.peak_kb / 1024,
        streamed >> 20,
        measured.took.as_millis()
    );
    assert!(!measured.success);
    assert!(
        measured
            .stderr
            .contains("/Accounts is larger than the 8 MiB limit; raise it with --max-body"),
        "{}",
        measured.stderr
    );
    assert!(
        baseline.stderr.contains("(it is 10 GiB)"),
        "{}",
        baseline.stderr
    );
    assert!(
        streamed >= 8 << 20,
        "the limit was reached: {streamed} bytes"
    );
    assert!(
        baseline.peak_kb > 0 && measured.peak_kb > 0,
        "VmHWM was read"
    );
    // 8 MB of body (16 MB of buffer at most) and the client's buffers on top of the process.
    assert!(
        measured.peak_kb < baseline.peak_kb + 96 * 1024,
        "peak {} kB against a baseline of {} kB",
        measured.peak_kb,
        baseline.peak_kb
    );
    assert!(
        measured.peak_kb < 512 * 1024,
        "peak {} kB",
        measured.peak_kb
    );
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_command_stops_an_endless_token_answer_with_bounded_memory() {
    let server = Hostile::start().await;
    let base = server.base("endless-token");
    let measured = tokio::task::spawn_blocking(move || {
        run_measured(
            &["token", "--base-url", &base, "--client-id", "client-1"],
            &[],
        )
    })
    .await
    .unwrap();
    println!(
        "token on an endless token answer: peak {} MB, {} ms",
        measured.peak_kb / 1024,
        measured.took.as_millis()
    );
    assert!(!measured.success);
    assert!(
        measured.stderr.contains("larger than the 1 MiB limit"),
        "{}",
        measured.stderr
    );
    assert!(
        measured.peak_kb < 256 * 1024,
        "peak {} kB",
        measured.peak_kb
    );
}

/// `token` exchanges directly; `call` goes through the token manager, which logs a failed
/// exchange at WARN.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_commands_neither_show_nor_log_an_echoed_secret() {
    let server = Hostile::start().await;
    let dir = common::binary::temp_dir("hostile-echoed-secret");
    let log = dir.join("log.txt");
    for (command, mode, auth) in [
        ("token", "echo", "v1"),
        ("token", "echo-text", "legacy"),
        ("call", "echo", "v2"),
        ("call", "echo-text", "v1"),
    ] {
        let base = server.base(mode);
        let log_path = log.to_str().unwrap().to_string();
        let measured = tokio::task::spawn_blocking(move || {
            let mut args = vec![command];
            if command == "call" {
                args.extend(["GET", "/Accounts"]);
            }
            args.extend([
                "--base-url",
                &base,
                "--client-id",
                "client-1",
                "--auth",
                auth,
            ]);
            run_measured(
                &args,
                &[
                    ("YOUNIUM_TUI_LOG", "debug"),
                    ("YOUNIUM_TUI_LOG_FILE", &log_path),
                ],
            )
        })
        .await
        .unwrap();
        let what = format!("{command} against {mode} with {auth}");
        assert!(!measured.success, "{what}");
        assert!(
            measured.stderr.contains("***"),
            "{what}: {}",
            measured.stderr
        );
        assert_no_secret(&format!("{what}: stderr"), &measured.stderr);
    }
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(
        logged.contains("WARN") && logged.contains("token exchange failed"),
        "the manager logs the rejection: {logged}"
    );
    assert!(logged.contains("***"), "{logged}");
    assert_no_secret("the log", &logged);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_files_and_credentials_in_urls_end_with_a_message() {
    let measured = tokio::task::spawn_blocking(|| {
        let config = run_measured(&["token", "--config", "/dev/zero"], &[]);
        let url = run_measured(
            &[
                "token",
                "--base-url",
                "http://user:hunter2@127.0.0.1:9",
                "--client-id",
                "c",
            ],
            &[],
        );
        (config, url)
    })
    .await
    .unwrap();
    let (config, url) = measured;
    assert!(!config.success);
    assert!(
        config
            .stderr
            .contains("/dev/zero: it is larger than the 1 MiB limit"),
        "{}",
        config.stderr
    );
    assert!(!url.success);
    assert!(
        url.stderr.contains("user name or password"),
        "{}",
        url.stderr
    );
    assert!(!url.stderr.contains("hunter2"), "{}", url.stderr);
}

/// A body nested 100,000 deep prints in size proportional to it, not as gigabytes of
/// indentation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deeply_nested_body_prints_in_bounded_size() {
    let server = Hostile::start().await;
    let base = server.base("deep");
    let out = tokio::task::spawn_blocking(move || {
        common::binary()
            .args(["call", "GET", "/Accounts", "--base-url", &base])
            .args(["--client-id", "client-1"])
            .env("YOUNIUM_SECRET", SECRET)
            .env(
                "YOUNIUM_TUI_CONFIG",
                "/nonexistent/younium-test/config.toml",
            )
            .stdin(Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = out.stdout.len();
    assert!(
        (200_000..1_000_000).contains(&printed),
        "{printed} bytes printed for a 200 kB body"
    );
}
