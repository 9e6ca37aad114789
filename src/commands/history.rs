//! `younium-tui history`: the request history from the command line. `history [FILTER...]`
//! lists entries newest first (a table, or `--json`: one array, no bodies), `history show ID`
//! prints one whole (as stored: redacted), `history clear [--before DATE]` deletes.
//! [`open_for_recording`] is how `call` gets a history to record into.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context as _, anyhow};
use serde_json::{Value, json};

use super::EXIT_FAILURE;
use super::output::{self, say};
use crate::cli::{HistoryAction, HistoryArgs, HistoryCommandArgs};
use crate::history::{Entry, History, Limits, Store, Summary};
use crate::sanitize;
use crate::younium::limit::ByteSize;

pub fn run(args: &HistoryCommandArgs, history: &HistoryArgs) -> anyhow::Result<ExitCode> {
    let path = history.path().ok_or_else(|| {
        if history.no_history {
            anyhow!("--no-history: there is no history to read")
        } else {
            anyhow!("no place for the history file (no home directory): pass --history FILE")
        }
    })?;
    let (mut store, notice) = Store::open(&path, Limits::default())?;
    if let Some(notice) = notice {
        say(format_args!("warning: {notice}"));
    }
    match &args.action {
        None => list(&store, args),
        Some(HistoryAction::Show { id, json }) => show(&store, *id, *json),
        Some(HistoryAction::Clear { before }) => {
            let n = store.clear(*before)?;
            let what = match before {
                Some(t) => format!(" sent before {t}"),
                None => String::new(),
            };
            output::print_text(&format!(
                "deleted {n} entr{}{what} from {}\n",
                if n == 1 { "y" } else { "ies" },
                path.display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Opens the history `call` records into. One that cannot be opened is one warning line on
/// stderr and no history; one set aside is a warning naming both files.
pub fn open_for_recording(args: &HistoryArgs, limits: Limits) -> Option<History> {
    let path = args.path()?;
    match History::open(&path, limits) {
        Ok((history, notice)) => {
            if let Some(notice) = notice {
                say(format_args!("warning: {notice}"));
            }
            Some(history)
        }
        Err(e) => {
            say(format_args!("warning: not recording this call: {e}"));
            None
        }
    }
}

fn list(store: &Store, args: &HistoryCommandArgs) -> anyhow::Result<ExitCode> {
    let filter = args.filter.join(" ");
    let all = store.list(None)?;
    let total = all.len();
    let shown: Vec<Summary> = all
        .into_iter()
        .filter(|s| s.matches(&filter))
        .take(args.limit.unwrap_or(usize::MAX))
        .collect();
    if args.json {
        let entries: Vec<Value> = shown.iter().map(summary_json).collect();
        output::print_json(&entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    if shown.is_empty() {
        match total {
            0 => say("the history is empty"),
            _ => say(format_args!("no entry of {total} matches {filter:?}")),
        }
        return Ok(ExitCode::SUCCESS);
    }
    output::print_text(&table(&shown))?;
    say(format_args!("{} of {total} entries", shown.len()));
    Ok(ExitCode::SUCCESS)
}

/// `2026-12-01 15:49:47` (UTC).
fn time_text(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// The environment as the table shows it: production ones in capitals.
fn environment_text(s: &Summary) -> String {
    if s.production {
        s.environment.to_uppercase()
    } else {
        s.environment.clone()
    }
}

/// One row per entry: id, time, profile, environment, legal entity, method, path?query,
/// status, elapsed, size. Cells are sanitised.
pub fn table(entries: &[Summary]) -> String {
    let header = [
        "ID",
        "TIME (UTC)",
        "PROFILE",
        "ENV",
        "LEGAL ENTITY",
        "METHOD",
        "PATH",
        "STATUS",
        "ELAPSED",
        "SIZE",
    ];
    let rows: Vec<[String; 10]> = entries
        .iter()
        .map(|s| {
            [
                s.id.to_string(),
                time_text(s.time),
                s.profile.clone().unwrap_or_else(|| "-".into()),
                environment_text(s),
                s.legal_entity.clone().unwrap_or_else(|| "-".into()),
                s.method.to_string(),
                s.path_and_query(),
                s.status.to_string(),
                format!("{} ms", s.elapsed_ms),
                ByteSize(s.size).to_string(),
            ]
            .map(|cell| sanitize::one_line(&cell).into_owned())
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[&str]| {
        let last = cells.len() - 1;
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i == last {
                out.push_str(cell);
            } else {
                let _ = write!(out, "{cell:<w$}  ");
            }
        }
        out.push('\n');
    };
    line(&header);
    for row in &rows {
        line(&row.each_ref().map(String::as_str));
    }
    out
}

fn summary_json(s: &Summary) -> Value {
    json!({
        "id": s.id,
        "time": s.time.to_string(),
        "profile": s.profile,
        "environment": s.environment,
        "base_url": s.base_url,
        "production": s.production,
        "legal_entity": s.legal_entity,
        "api_version": s.api_version,
        "method": s.method.as_str(),
        "path": s.path,
        "query": s.query,
        "status": s.status,
        "elapsed_ms": s.elapsed_ms,
        "size": s.size,
    })
}

fn show(store: &Store, id: i64, as_json: bool) -> anyhow::Result<ExitCode> {
    let Some(entry) = store.get(id)? else {
        say(format_args!("error: no history entry {id}"));
        return Ok(ExitCode::from(EXIT_FAILURE));
    };
    if as_json {
        output::print_json(&entry_json(&entry))?;
    } else {
        output::print_text(&entry_text(&entry)).context("writing the entry")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn entry_json(entry: &Entry) -> Value {
    let r = &entry.record;
    let response = entry.response();
    json!({
        "id": entry.id,
        "time": r.time.to_string(),
        "profile": r.profile,
        "environment": r.environment,
        "base_url": r.base_url,
        "production": r.production,
        "legal_entity": r.legal_entity,
        "api_version": r.api_version,
        "request": {
            "method": r.method.as_str(),
            "url": response.sent.url,
            "path": r.path,
            "query": r.query,
            "headers": r.request_headers.iter().map(|h| json!({
                "name": h.name, "value": h.value, "user": h.user, "sent": h.sent
            })).collect::<Vec<_>>(),
            "body": r.request_body,
        },
        "response": {
            "status": r.status,
            "reason": r.reason,
            "elapsed_ms": r.elapsed_ms,
            "size": r.size,
            "body_cut": r.body_cut,
            "headers": r.response_headers,
            "body": String::from_utf8_lossy(&r.response_body),
        },
    })
}

/// The request line, its headers and body; a blank line; the status, headers and body.
/// Cells and lines are sanitised (the whole text once more by `print_text`).
fn entry_text(entry: &Entry) -> String {
    let r = &entry.record;
    let response = entry.response();
    let one = |s: &str| sanitize::one_line(s).into_owned();
    let mut out = String::new();
    let env = if r.production {
        format!("{} (PRODUCTION)", r.environment)
    } else {
        r.environment.clone()
    };
    let _ = writeln!(
        out,
        "# entry {} · {} UTC · profile {} · {env} · legal entity {} · api-version {}",
        entry.id,
        time_text(r.time),
        one(r.profile.as_deref().unwrap_or("-")),
        one(r.legal_entity.as_deref().unwrap_or("(none)")),
        one(&r.api_version),
    );
    let _ = writeln!(out, "{} {}", r.method, one(&response.sent.url));
    for h in r.request_headers.iter().filter(|h| h.sent) {
        let _ = writeln!(out, "{}: {}", one(&h.name), one(&h.value));
    }
    for h in r.request_headers.iter().filter(|h| !h.sent) {
        let _ = writeln!(out, "# switched off, not sent: {}", one(&h.name));
    }
    if let Some(body) = &r.request_body {
        let _ = writeln!(out, "\n{}", sanitize::multi_line(body.trim_end()));
    }
    let _ = writeln!(
        out,
        "\n{} {} · {} ms · {}{}",
        r.status,
        one(&r.reason),
        r.elapsed_ms,
        ByteSize(r.size),
        if r.body_cut { " (body cut)" } else { "" }
    );
    for (name, value) in &r.response_headers {
        let _ = writeln!(out, "{}: {}", one(name), one(value));
    }
    if !r.response_body.is_empty() {
        let body = String::from_utf8_lossy(&r.response_body);
        let _ = writeln!(out, "\n{}", sanitize::multi_line(body.trim_end()));
    }
    out
}
