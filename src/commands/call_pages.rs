//! `call --all-pages` and `call --format`: every page of a list, and the records of an answer
//! as JSON, NDJSON or CSV, streamed to stdout.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use tokio_util::sync::CancellationToken;

use super::output::say;
use super::{EXIT_FAILURE, EXIT_HTTP_ERROR};
use crate::cli::CallArgs;
use crate::export::{self, ExportError, Format};
use crate::pretty::thousands;
use crate::sanitize;
use crate::session::ApiClient;
use crate::younium::all_pages::{self, AllPagesError, Finish, Options, Progress};
use crate::younium::{ApiRequest, ApiResponse, CallSettings};

/// The status of a run stopped with Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// The run's options: `--concurrency`, else the profile's (or the default).
pub fn options(args: &CallArgs, profile_concurrency: usize) -> Options {
    Options {
        concurrency: args
            .concurrency
            .map_or(profile_concurrency, usize::from)
            .clamp(1, all_pages::MAX_CONCURRENCY),
        ..Options::default()
    }
}

/// Fetches every page and prints the records; nothing reaches stdout unless every page came.
pub async fn run_all(
    args: &CallArgs,
    client: &ApiClient,
    base_url: &str,
    req: &ApiRequest,
    settings: &CallSettings,
    options: Options,
    first: &ApiResponse,
) -> anyhow::Result<RunOutcome> {
    let format = args.format.unwrap_or(Format::Json);
    let cancel = CancellationToken::new();
    let on_ctrl_c = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.cancel();
            }
        })
    };
    let terminal = io::stderr().is_terminal();
    let show = |p: &Progress| {
        if terminal {
            let _ = write!(io::stderr().lock(), "\r\x1b[2K{}", progress_line(p));
        }
    };
    let result = all_pages::fetch_all(
        client,
        base_url,
        req,
        settings,
        options,
        Some(first),
        show,
        cancel,
    )
    .await;
    on_ctrl_c.abort();
    if terminal {
        let _ = write!(io::stderr().lock(), "\r\x1b[2K");
    }
    let merged = match result {
        Ok(merged) => merged,
        Err(error) => {
            say(format_args!("error: {error}"));
            let code = match error {
                AllPagesError::Failed {
                    status: Some(_), ..
                } => EXIT_HTTP_ERROR,
                _ => EXIT_FAILURE,
            };
            return Ok(RunOutcome::failed(code));
        }
    };
    let took = format!("{:.1} s", merged.elapsed.as_secs_f64());
    let code = match &merged.finish {
        Finish::Complete => {
            say(format_args!("{} · {took}", merged.summary()));
            write_records(format, &merged.records)?;
            ExitCode::SUCCESS
        }
        Finish::Stopped => {
            say(format_args!("{}; nothing written", merged.summary()));
            ExitCode::from(EXIT_INTERRUPTED)
        }
        Finish::Failed { .. } => {
            say(format_args!("error: {}; nothing written", merged.summary()));
            ExitCode::from(EXIT_HTTP_ERROR)
        }
    };
    Ok(RunOutcome {
        code,
        merged: Some(merged),
    })
}

/// How a run ended: the exit code, and the records when any page arrived.
pub struct RunOutcome {
    pub code: ExitCode,
    pub merged: Option<all_pages::Merged>,
}

impl RunOutcome {
    fn failed(code: u8) -> Self {
        RunOutcome {
            code: ExitCode::from(code),
            merged: None,
        }
    }
}

/// With `--format`, prints the records of a successful answer (or none for the 2.1 "nothing
/// found" 400) and says the command is done; `None` lets `call` go on as usual.
pub fn print_formatted(
    args: &CallArgs,
    response: &ApiResponse,
) -> anyhow::Result<Option<ExitCode>> {
    let Some(format) = args.format else {
        return Ok(None);
    };
    if response.is_empty_list() {
        write_records(format, b"[]")?;
        return Ok(Some(ExitCode::SUCCESS));
    }
    if !response.is_success() {
        return Ok(None);
    }
    match write_records(format, &response.body) {
        Ok(()) => Ok(Some(ExitCode::SUCCESS)),
        Err(error) => {
            say(format_args!("error: {error:#}"));
            Ok(Some(ExitCode::from(EXIT_FAILURE)))
        }
    }
}

/// `pages 12/100 · 1,200/10,000 records · 850 records/s · 10 s left`.
pub fn progress_line(p: &Progress) -> String {
    let of = |done: u64, total: Option<u64>| match total {
        Some(total) => format!("{}/{}", thousands(done), thousands(total)),
        None => thousands(done),
    };
    let mut line = format!(
        "pages {} · {} records",
        of(p.pages_done, p.pages_total),
        of(p.records_done, p.records_total)
    );
    if let Some(rate) = p.rate() {
        line.push_str(&format!(" · {} records/s", thousands(rate.round() as u64)));
    }
    if let Some(left) = p.remaining().filter(|_| p.pages_done > 0) {
        line.push_str(&format!(" · {} s left", left.as_secs()));
    }
    if let Some(wait) = p.waiting {
        line.push_str(&format!(
            " · rate-limited: waiting {:.1} s",
            wait.as_secs_f64()
        ));
    }
    if p.retries > 0 {
        let noun = if p.retries == 1 { "retry" } else { "retries" };
        line.push_str(&format!(" · {} {noun}", p.retries));
    }
    line
}

/// Streams the records of `body` to stdout. JSON text goes through [`sanitize::json`] line by
/// line (still the same JSON); CSV is sanitised only on a terminal (to a file or a pipe it is
/// data). A reader that stops early (`| head`) ends it quietly.
pub fn write_records(format: Format, body: &[u8]) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    let clean: Option<fn(&str) -> Cow<'_, str>> = match format {
        Format::Csv if terminal => Some(sanitize::multi_line),
        Format::Csv => None,
        _ => Some(sanitize::json),
    };
    let out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let written = match clean {
        Some(clean) => {
            let mut safe = SafeLines::new(out, clean);
            export::write(body, format, &mut safe).and_then(|_| Ok(safe.flush()?))
        }
        None => {
            let mut out = out;
            export::write(body, format, &mut out).and_then(|_| Ok(out.flush()?))
        }
    };
    match written {
        Err(error) if is_broken_pipe(&error) => Ok(()),
        other => other.map_err(anyhow::Error::from),
    }
}

fn is_broken_pipe(error: &ExportError) -> bool {
    match error {
        ExportError::Io(e) => e.kind() == io::ErrorKind::BrokenPipe,
        ExportError::Csv(e) => {
            matches!(e.kind(), csv::ErrorKind::Io(e) if e.kind() == io::ErrorKind::BrokenPipe)
        }
        ExportError::Json(e) => e.io_error_kind() == Some(io::ErrorKind::BrokenPipe),
        ExportError::Records(_) => false,
    }
}

/// A writer that passes each whole line through `clean` before it reaches `inner`.
pub struct SafeLines<W: Write> {
    inner: W,
    line: Vec<u8>,
    clean: fn(&str) -> Cow<'_, str>,
}

impl<W: Write> SafeLines<W> {
    pub fn new(inner: W, clean: fn(&str) -> Cow<'_, str>) -> Self {
        SafeLines {
            inner,
            line: Vec::with_capacity(4096),
            clean,
        }
    }

    fn emit(&mut self) -> io::Result<()> {
        if self.line.is_empty() {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&self.line);
        let cleaned = (self.clean)(&text);
        self.inner.write_all(cleaned.as_bytes())?;
        self.line.clear();
        Ok(())
    }
}

impl<W: Write> Write for SafeLines<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(at) = rest.iter().position(|b| *b == b'\n') {
            self.line.extend_from_slice(&rest[..=at]);
            self.emit()?;
            rest = &rest[at + 1..];
        }
        self.line.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.emit()?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn safe_lines_clean_each_line() {
        let mut out = Vec::new();
        {
            let mut safe = SafeLines::new(&mut out, sanitize::json);
            safe.write_all("{\"a\":\"x\u{9b}2J\"}\n[1,".as_bytes())
                .unwrap();
            safe.write_all(b"2]").unwrap();
            safe.flush().unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"a\":\"x\\u009b2J\"}\n[1,2]"
        );
    }

    #[test]
    fn progress_reads_well() {
        let p = Progress {
            pages_done: 12,
            pages_total: Some(100),
            records_done: 1200,
            records_total: Some(10_000),
            elapsed: Duration::from_secs(2),
            waiting: Some(Duration::from_millis(1500)),
            retries: 1,
        };
        assert_eq!(
            progress_line(&p),
            "pages 12/100 · 1,200/10,000 records · 600 records/s · 14 s left · rate-limited: waiting 1.5 s · 1 retry"
        );
    }
}
