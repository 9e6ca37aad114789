//! `call --all-pages` and `call --format`: every page of a list, and the records of an answer
//! as JSON, NDJSON or CSV, streamed to stdout.
//!
//! With `--all-pages` the records go out a page at a time as each page's turn comes
//! ([`PageWriter`]); CSV is spooled until the last page, its header needing every record's
//! fields. Waits are said on stderr, terminal or not; progress too on a terminal.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use bytes::Bytes;
use tokio_util::sync::CancellationToken;

use super::output::say;
use super::{EXIT_FAILURE, EXIT_HTTP_ERROR};
use crate::cli::CallArgs;
use crate::export::stream::PageWriter;
use crate::export::{self, ExportError, Format};
use crate::history::{Context, History, Record};
use crate::pretty::thousands;
use crate::sanitize;
use crate::younium::all_pages::{
    self, Finish, Observer, Options, Outcome, Progress, Sink, SinkStop, Target, Wait,
};
use crate::younium::{ApiRequest, ApiResponse, ApiVersion, Environment};

/// The status of a run stopped with Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Where the merged records are recorded: the history and what its entry says of the call.
pub struct Recording {
    pub history: History,
    pub profile: Option<String>,
    pub environment: Environment,
    pub api_version: ApiVersion,
}

/// Fetches every page (the first one too) and streams the records to stdout as each page's
/// turn comes; the merged records are one history entry.
pub async fn run_all(
    args: &CallArgs,
    target: Target<'_>,
    options: Options,
    recording: Option<Recording>,
) -> anyhow::Result<ExitCode> {
    let format = args.format.unwrap_or(Format::Json);
    let keep = recording
        .as_ref()
        .map(|r| r.history.limits().max_body.saturating_add(64 * 1024));
    let mut sink = Stdout {
        writer: PageWriter::new(format, stdout_writer(format))?,
        kept: keep.map(Kept::new),
    };
    let cancel = CancellationToken::new();
    let on_ctrl_c = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.cancel();
            }
        })
    };
    let mut stderr = Stderr {
        terminal: io::stderr().is_terminal(),
    };
    let result = all_pages::fetch_all(target, options, None, &mut sink, &mut stderr, cancel).await;
    on_ctrl_c.abort();
    stderr.clear();
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(error) => {
            say(format_args!("error: {error}"));
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let Stdout { writer, kept } = sink;
    if let (Some(recording), Some(kept), Some(head)) = (recording, kept, &outcome.head) {
        record(recording, target.request, head, kept, &outcome);
    }
    finish(format, writer, &outcome)
}

/// Ends the output as the run ended and says so; the exit status.
fn finish(format: Format, writer: PageWriter<Out>, outcome: &Outcome) -> anyhow::Result<ExitCode> {
    let summary = outcome.summary();
    let took = format!("{:.1} s", outcome.elapsed.as_secs_f64());
    let (code, hint) = match &outcome.finish {
        Finish::Complete => {
            match writer.finish() {
                Ok((written, _)) => {
                    say(format_args!("{summary} · {took}"));
                    if let Some(changes) = written.changes() {
                        say(format_args!(
                            "note: {changes} (--csv-raw writes them as they are)"
                        ));
                    }
                }
                Err(error) if is_broken_pipe(&error) => {}
                Err(error) => {
                    say(format_args!(
                        "error: {summary}, but writing failed: {error}"
                    ));
                    return Ok(ExitCode::from(EXIT_HTTP_ERROR));
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        // The reader has what it wanted.
        Finish::Sink(SinkStop::Closed) => return Ok(ExitCode::SUCCESS),
        Finish::Stopped => (EXIT_INTERRUPTED, ""),
        Finish::Capped { .. } => (
            EXIT_HTTP_ERROR,
            " (--max-pages N, or max_pages in the profile, raises the cap)",
        ),
        Finish::Failed { .. } | Finish::Sink(_) => (EXIT_HTTP_ERROR, ""),
    };
    let written = writer.records();
    let _ = writer.abandon();
    let pages = match outcome.pages {
        1 => "page 1".to_string(),
        n => format!("pages 1–{}", thousands(n)),
    };
    let left = match (format, written, outcome.pages) {
        (Format::Csv, _, _) | (_, 0, _) | (_, _, 0) => "nothing written".to_string(),
        (Format::Ndjson, _, _) => format!("written: the records of {pages} only"),
        _ => format!("written: the records of {pages} only, the JSON array left open"),
    };
    let error = if code == EXIT_INTERRUPTED {
        ""
    } else {
        "error: "
    };
    say(format_args!("{error}{summary}{hint}; {left}"));
    Ok(ExitCode::from(code))
}

/// Records the merged records (as far as the history keeps them) as one entry: the list
/// without a page number, answered as page 1 was.
fn record(
    recording: Recording,
    request: &ApiRequest,
    head: &ApiResponse,
    kept: Kept,
    outcome: &Outcome,
) {
    let (body, size) = kept.finish();
    let response = all_pages::merged_response(head, body, outcome.elapsed);
    let context = Context::of_sent(
        recording.profile,
        recording.environment,
        head,
        recording.api_version,
    );
    let limits = recording.history.limits();
    let list = all_pages::list_request(request);
    recording.history.record(Record::from_exchange_of_size(
        &context, &list, &response, &limits, size,
    ));
    recording.history.close();
}

/// What the run writes to: stdout, buffered, with JSON text passed through [`sanitize::json`]
/// line by line (still the same JSON) and CSV through [`sanitize::multi_line`] only on a
/// terminal (to a file or a pipe it is data).
type Out = Box<dyn Write + Send>;

fn stdout_writer(format: Format) -> Out {
    let stdout = io::stdout();
    let terminal = stdout.is_terminal();
    let out = io::BufWriter::with_capacity(64 * 1024, stdout);
    match format {
        f if f.is_csv() && terminal => Box::new(SafeLines::new(out, sanitize::multi_line)),
        f if f.is_csv() => Box::new(out),
        _ => Box::new(SafeLines::new(out, sanitize::json)),
    }
}

/// The sink of a headless run: the records to stdout, and their first part for the history.
struct Stdout {
    writer: PageWriter<Out>,
    kept: Option<Kept>,
}

impl Sink for Stdout {
    fn page(&mut self, _page: u64, records: &[u8], count: u64) -> Result<(), SinkStop> {
        if let Some(kept) = &mut self.kept {
            kept.push(records, count);
        }
        self.writer
            .page(records)
            .map_err(|error| match is_broken_pipe(&error) {
                true => SinkStop::Closed,
                false => SinkStop::Write(error.to_string()),
            })
    }
}

/// The merged records' first `keep` bytes (one JSON array when they all fit) and their size.
struct Kept {
    buf: Vec<u8>,
    keep: usize,
    size: u64,
    records: u64,
}

impl Kept {
    fn new(keep: u64) -> Kept {
        Kept {
            buf: vec![b'['],
            keep: usize::try_from(keep).unwrap_or(usize::MAX),
            size: 1,
            records: 0,
        }
    }

    fn push(&mut self, array: &[u8], count: u64) {
        let inner = array
            .strip_prefix(b"[")
            .and_then(|a| a.strip_suffix(b"]"))
            .unwrap_or(array);
        if count == 0 || inner.is_empty() {
            return;
        }
        let comma: &[u8] = if self.records > 0 { b"," } else { b"" };
        self.records += count;
        self.size += (comma.len() + inner.len()) as u64;
        for part in [comma, inner] {
            let room = self.keep.saturating_sub(self.buf.len());
            self.buf.extend_from_slice(&part[..part.len().min(room)]);
        }
    }

    /// The array (closed when whole) and the size of the whole one.
    fn finish(mut self) -> (Bytes, u64) {
        self.size += 1;
        if self.buf.len() < self.keep {
            self.buf.push(b']');
        }
        (Bytes::from(self.buf), self.size)
    }
}

/// Says the waits on stderr, always, and the progress on a terminal.
struct Stderr {
    terminal: bool,
}

impl Stderr {
    /// Clears the progress line (a terminal only).
    fn clear(&self) {
        if self.terminal {
            let _ = write!(io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

impl Observer for Stderr {
    fn progress(&mut self, p: &Progress) {
        if self.terminal {
            let _ = write!(io::stderr().lock(), "\r\x1b[2K{}", progress_line(p));
        }
    }

    fn wait(&mut self, wait: &Wait) {
        self.clear();
        say(format_args!("note: {}", wait.describe()));
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
        f if f.is_csv() && terminal => Some(sanitize::multi_line),
        f if f.is_csv() => None,
        _ => Some(sanitize::json),
    };
    let out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let written = match clean {
        Some(clean) => {
            let mut safe = SafeLines::new(out, clean);
            export::write(body, format, &mut safe).and_then(|w| Ok(safe.flush().map(|()| w)?))
        }
        None => {
            let mut out = out;
            export::write(body, format, &mut out).and_then(|w| Ok(out.flush().map(|()| w)?))
        }
    };
    match written {
        Err(error) if is_broken_pipe(&error) => Ok(()),
        Err(error) => Err(error.into()),
        Ok(written) => {
            if let Some(changes) = written.changes() {
                say(format_args!(
                    "note: {changes} (--csv-raw writes them as they are)"
                ));
            }
            Ok(())
        }
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
            "pages 12/100 · 1,200/10,000 records · 600 records/s · 16 s left · rate-limited: waiting 1.5 s · 1 retry"
        );
    }
}
