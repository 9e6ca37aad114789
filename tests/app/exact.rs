//! What arrives is what leaves: `call` (piped, `--format`, `--all-pages`) and the UI's `w`
//! against a server whose answers hold numbers no float holds, bytes that are not text and
//! cells that a spreadsheet would run as formulas; a server message that mentions a short
//! secret inside a word; a headless `call` on a terminal, which must ask the terminal nothing;
//! and a token endpoint that never answers, whose timed-out exchange is not repeated.
//!
//! The answers no simulator record can hold come from a small server of this file (each
//! behaviour a path prefix, as in `hostile_answers`); the rest from the built-in simulator.

use crate::common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use crossterm::event::{KeyCode, KeyModifiers};
use serde_json::json;
use younium_tui::simulator::{Simulator, SimulatorConfig, demo};
use younium_tui::tui::app::{Action, Focus, Loading, Overlay};
use younium_tui::tui::panes::connection::ConnectionPane;
use younium_tui::tui::panes::response::ResponseState;
use younium_tui::younium::{ApiRequest, Environment, Method, Secret};

use crate::common::live::Live;
use crate::common::pty::Tui;

/// 30 digits: `1.2345678901234568e+29` through a float.
const BIG: &str = "123456789012345678901234567890";
/// 47 decimals: `0.1` through a float.
fn long_decimal() -> String {
    format!("0.1{}1", "0".repeat(45))
}

/// Page `n` (of 2) of invoices with numbers past a float, escapes and formula-like cells.
fn invoices_page(n: u64) -> String {
    let long = long_decimal();
    let data = if n == 1 {
        format!(
            r#"[{{"id": "i-1", "total": {BIG}, "rate": {long}, "huge": 1e400, "credit": -12.50,
                 "note": "=cmd|' /C calc'!A0", "name": "caf\u00e9 \"Q\"\tAB"}},
               {{"id": "i-2", "total": -0.0, "link": "=HYPERLINK(\"http://x.example\",\"x\")",
                 "sum": "@SUM(A1:A9)", "plus": "+1", "minus": "-1+2", "tab": "\tx", "cr": "\rx"}}]"#
        )
    } else {
        format!(r#"[{{"id": "i-3", "total": -{BIG}.000, "rate": 1E-400}}]"#)
    };
    format!(
        r#"{{"pageNumber": {n}, "pageSize": 2, "totalPages": 2, "totalCount": 3, "data": {data}}}"#
    )
}

/// 1,024 bytes of no text: every byte value four times, invalid UTF-8, NUL, ESC, tabs, CR.
fn blob() -> Vec<u8> {
    (0..1024u32).map(|i| (i * 7 % 256) as u8).collect()
}

async fn answer(req: Request) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_ascii_lowercase();
    let (mode, rest) = path[1..].split_once('/').unwrap_or((&path[1..], ""));
    match (mode, rest) {
        ("expired", "auth/token") => (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"errors": ["The secret x has expired: the token expired"]})),
        )
            .into_response(),
        (_, "auth/token") => common::servers::token_answer(),
        (_, "Invoices") => {
            let page = if query.contains("pagenumber=2") { 2 } else { 1 };
            (
                [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
                invoices_page(page),
            )
                .into_response()
        }
        (_, "blob") => {
            ([(header::CONTENT_TYPE, "application/octet-stream")], blob()).into_response()
        }
        // Claims JSON, is not: tabs, a lone CR, invalid UTF-8 and no final newline.
        (_, "broken") => (
            [(header::CONTENT_TYPE, "application/json")],
            b"{\"a\":\t1,\r\xff\xfe oops".to_vec(),
        )
            .into_response(),
        _ => (StatusCode::NOT_FOUND, "no such thing").into_response(),
    }
}

/// The server of this file on 127.0.0.1; its base URL for a mode is `http://addr/mode`.
async fn server() -> SocketAddr {
    common::servers::serve(Router::new().fallback(answer)).await
}

fn base(addr: SocketAddr) -> String {
    format!("http://{addr}/api")
}

/// `call ARGS…` against `base`, stdout piped: (status, stdout bytes, stderr text).
async fn call(base: &str, args: &[&str]) -> (Option<i32>, Vec<u8>, String) {
    let mut cmd = common::demo_binary(base);
    cmd.arg("--no-history").arg("call").args(args);
    let out = common::output(cmd).await;
    (out.status.code(), out.stdout, common::text(&out.stderr))
}

fn assert_every_digit(out: &str, what: &str) {
    let long = long_decimal();
    for kept in [BIG, long.as_str(), "1e400", "-12.50", "-0.0"] {
        assert!(out.contains(kept), "{what}: {kept} is missing from\n{out}");
    }
    for rounded in ["1.2345678901234568e", "0.1,", "0.1\n", "0.1\r", "-12.5,"] {
        assert!(!out.contains(rounded), "{what}: {rounded:?} in\n{out}");
    }
}

#[tokio::test]
async fn exports_keep_every_digit_of_every_page() {
    let addr = server().await;
    for format in ["json", "ndjson", "csv"] {
        for pages in [false, true] {
            let mut args = vec!["GET", "/Invoices", "--format", format];
            if pages {
                args.push("--all-pages");
            }
            let (code, out, err) = call(&base(addr), &args).await;
            assert_eq!(code, Some(0), "{args:?}: {err}");
            let out = String::from_utf8(out).unwrap();
            if pages {
                for kept in [format!("-{BIG}.000"), "1E-400".into()] {
                    assert!(
                        out.contains(&kept),
                        "{args:?}: {kept} is missing from\n{out}"
                    );
                }
            }
            assert_every_digit(&out, &args.join(" "));
        }
    }
}

#[tokio::test]
async fn csv_neutralises_formulas_and_csv_raw_writes_them_as_they_are() {
    let addr = server().await;
    let cells = |out: &[u8]| -> Vec<String> {
        let mut reader = csv::Reader::from_reader(out);
        let mut cells: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        for row in reader.records() {
            cells.extend(row.unwrap().iter().map(String::from));
        }
        cells
    };
    let formulas = [
        "=cmd|' /C calc'!A0",
        "=HYPERLINK(\"http://x.example\",\"x\")",
        "@SUM(A1:A9)",
        "+1",
        "-1+2",
        "\tx",
        "\rx",
    ];
    let (code, out, err) = call(&base(addr), &["GET", "/Invoices", "--format", "csv"]).await;
    assert_eq!(code, Some(0), "{err}");
    let safe = cells(&out);
    for formula in formulas {
        assert!(
            safe.contains(&format!("'{formula}")),
            "{formula:?} in {safe:?}"
        );
        assert!(
            !safe.contains(&formula.to_string()),
            "{formula:?} in {safe:?}"
        );
    }
    // Numbers stay numbers, negative ones too.
    assert!(safe.contains(&"-12.50".to_string()) && safe.contains(&"-0.0".to_string()));
    let (code, out, err) = call(
        &base(addr),
        &["GET", "/Invoices", "--format", "csv", "--csv-raw"],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    let raw = cells(&out);
    for formula in formulas {
        assert!(raw.contains(&formula.to_string()), "{formula:?} in {raw:?}");
    }
    let (code, out, err) = call(&base(addr), &["GET", "/Invoices", "--csv-raw"]).await;
    assert_eq!(code, Some(2), "{err}");
    assert!(out.is_empty() && err.contains("--format csv"), "{err}");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_piped_byte_for_byte() {
    let addr = server().await;
    let (code, out, err) = call(&base(addr), &["GET", "/blob"]).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.len(), 1024, "{err}");
    assert_eq!(out, blob());
    let (code, out, err) = call(&base(addr), &["GET", "/broken"]).await;
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, b"{\"a\":\t1,\r\xff\xfe oops");
}

/// The app and its runner signed in to `base` with the demo client.
fn rig(base: &str) -> Live {
    let mut pane = ConnectionPane::with_credentials(demo::CLIENT_ID, Secret::new(demo::SECRET));
    pane.set_environment(Environment::Custom(base.into()));
    Live::signed_in(pane, None)
}

/// Sends `GET path` from the builder, then `w`, `downs` times ↓ in the choice (on a list),
/// the file name and Enter; returns the status line the save ends with.
async fn save(live: &mut Live, path: &str, downs: usize, file: &Path) -> String {
    live.apply(Action::Load(Box::new(Loading::Request(ApiRequest::new(
        Method::Get,
        path,
    )))));
    live.focus(Focus::Request);
    live.press(KeyCode::F(5));
    live.until(
        "the answer",
        |app| matches!(&app.response().state(), ResponseState::Shown(s) if s.doc.is_some()),
    )
    .await;
    live.focus(Focus::Response);
    live.press(KeyCode::Char('w'));
    if matches!(live.app.overlay(), Some(Overlay::SaveAs { .. })) {
        for _ in 0..downs {
            live.press(KeyCode::Down);
        }
        live.press(KeyCode::Enter);
    }
    live.press_with(KeyCode::Char('u'), KeyModifiers::CONTROL);
    live.apply(Action::Paste(file.display().to_string()));
    live.press(KeyCode::Enter);
    live.until("the save", |app| app.status().is_some()).await;
    live.app.status().clone().unwrap_or_default()
}

fn temp_file(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("younium-exact-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

#[tokio::test]
async fn w_saves_a_body_byte_for_byte_and_records_with_every_digit() {
    let addr = server().await;
    let mut live = rig(&base(addr));
    let file = temp_file("blob.bin");
    let status = save(&mut live, "/blob", 0, &file).await;
    assert!(status.starts_with("saved"), "{status}");
    assert_eq!(std::fs::read(&file).unwrap(), blob());
    let _ = std::fs::remove_file(&file);

    // On a list: the body as received, JSON, NDJSON, CSV.
    for (downs, name) in [(0, "page.json"), (1, "records.json"), (2, "records.ndjson")] {
        let file = temp_file(name);
        let status = save(&mut live, "/Invoices", downs, &file).await;
        assert!(status.starts_with("saved"), "{status}");
        let out = std::fs::read_to_string(&file).unwrap();
        if downs == 0 {
            assert_eq!(out, invoices_page(1));
        }
        assert_every_digit(&out, name);
        let _ = std::fs::remove_file(&file);
    }
    let file = temp_file("records.csv");
    let status = save(&mut live, "/Invoices", 3, &file).await;
    assert!(
        status.contains("7 cells that a spreadsheet would run as formulas were given a leading '"),
        "{status}"
    );
    let out = std::fs::read_to_string(&file).unwrap();
    assert_every_digit(&out, "csv");
    assert!(
        out.contains("'=cmd|' /C calc'!A0") && !out.contains(",=cmd"),
        "{out}"
    );
    let _ = std::fs::remove_file(&file);
}

#[tokio::test]
async fn a_short_secret_is_not_found_inside_words() {
    let addr = server().await;
    let mut cmd = common::demo_binary(&format!("http://{addr}/expired"));
    cmd.env("YOUNIUM_SECRET", "x").arg("token");
    let out = common::output(cmd).await;
    let err = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("The secret *** has expired: the token expired"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_headless_call_on_a_terminal_asks_the_terminal_nothing() {
    Tui::on_simulator(|base| {
        let mut tui = Tui::demo_client(base, &["--no-history", "call", "GET", "/Accounts"]);
        let status = tui.child.wait().unwrap();
        assert!(status.success(), "{}", tui.text());
        // The queries would come before the body; once the body's end is read, all is.
        let raw = tui.wait_until(
            |_| {
                let raw = tui.raw.lock().unwrap();
                let text = String::from_utf8_lossy(&raw);
                text.contains("totalCount").then(|| raw.clone())
            },
            Duration::from_secs(30),
        );
        for query in [&b"\x1b]10;?"[..], b"\x1b]11;?", b"\x1b[c", b"\x1b[0c"] {
            assert!(
                !raw.windows(query.len()).any(|w| w == query),
                "{:?} was written to the terminal",
                String::from_utf8_lossy(query)
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_timed_out_exchange_is_reported_not_repeated() {
    let sim = Simulator::start_local(SimulatorConfig {
        faults: "hang-token".parse().unwrap(),
        ..SimulatorConfig::default()
    })
    .await
    .unwrap();
    let mut cmd = common::demo_binary(&sim.base_url());
    cmd.args(["--timeout", "1", "--no-history", "call", "GET", "/Accounts"]);
    let out = common::output(cmd).await;
    let err = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no token"), "{err}");
    let exchanges = sim
        .log()
        .iter()
        .filter(|r| r.path.starts_with("/auth"))
        .count();
    assert_eq!(exchanges, 1, "{err}");
    sim.shutdown().await;
}
