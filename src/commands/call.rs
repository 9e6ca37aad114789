//! `younium-tui call METHOD PATH`: one API call from the command line.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::bail;

use super::output::{self, quiet_pipe, say};
use super::{EXIT_FAILURE, EXIT_HTTP_ERROR, resolve};
use crate::cli::{CallArgs, ConnectionArgs, HistoryArgs};
use crate::config::ThemeChoice;
use crate::export::Format;
use crate::history::Context;
use crate::jq;
use crate::pretty::{BodyKind, Document, highlight::highlighter, json};
use crate::sanitize;
use crate::younium::catalog::catalog;
use crate::younium::limit::ByteSize;
use crate::younium::problem::explain_answer;
use crate::younium::schema::Severity;
use crate::younium::template::Resolver;
use crate::younium::{ApiRequest, ApiResponse, Method, Param};

pub async fn run(
    args: &CallArgs,
    connection: &ConnectionArgs,
    history: &HistoryArgs,
) -> anyhow::Result<ExitCode> {
    let method: Method = args.method.parse().map_err(anyhow::Error::msg)?;
    let args_as_asked = with_csv_raw(args)?;
    let args: &CallArgs = &args_as_asked;
    // A filter that does not compile stops the command before anything is sent.
    let filter = match args.jq.as_deref().map(jq::Filter::compile).transpose() {
        Ok(filter) => filter,
        Err(error) => {
            report_filter_error(args.jq.as_deref().unwrap_or_default(), &error);
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let mut req = ApiRequest::new(method, args.path.trim());
    for q in &args.query {
        req.query.push(Param::parse(q, '=')?);
    }
    for h in &args.header {
        req.headers.push(Param::parse(h, ':')?);
    }
    req.body = args
        .body
        .as_deref()
        .map(crate::younium::limit::read_request_body)
        .transpose()?;
    let resolved = resolve(connection, req.uses_managed_token())?;
    // Templates are filled in first: an unknown variable stops the call before anything is
    // sent, naming it and where it is used.
    let mut templates = Resolver::new(resolved.vars.clone());
    let req = match templates.request(&req, "") {
        Ok(req) => req,
        Err(error) => {
            say(format_args!("error: {error}"));
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    if let Some(body) = &req.body {
        json::validate(body.as_bytes())
            .map_err(|e| anyhow::anyhow!("the body is not valid JSON: {e}"))?;
        // Checked against the operation's schema before anything is sent (or fetched).
        if !args.no_validate
            && let Some(code) = check_body(method, &req.path, body)
        {
            return Ok(code);
        }
    }
    let legal_entity = req
        .legal_entity_sent(&resolved.settings)
        .unwrap_or("(none)")
        .to_string();
    if resolved.environment.write_needs_confirmation(method) && !args.yes {
        bail!(
            "refusing to send {method} {} to PRODUCTION ({}, legal entity {legal_entity}) without --yes",
            req.path,
            resolved.environment.base_url()
        );
    }
    // Opened before sending, so a history that cannot be used is said first.
    let recorder = super::history::open_for_recording(history, resolved.history);
    let client = resolved.client();
    if args.all_pages {
        // Every page, the first too, is fetched (and retried) by the run; the history keeps
        // the merged records as one entry.
        let recording = recorder.map(|history| super::call_pages::Recording {
            history,
            profile: resolved.profile.clone(),
            environment: resolved.environment.clone(),
            api_version: resolved.settings.api_version,
        });
        let target = crate::younium::all_pages::Target {
            client: &client,
            base_url: resolved.environment.base_url(),
            request: &req,
            settings: &resolved.settings,
        };
        let options =
            crate::settings::all_pages::with_concurrency(resolved.all_pages, args.concurrency);
        return super::call_pages::run_all(args, target, options, recording).await;
    }
    let outcome = match client
        .call(resolved.environment.base_url(), &req, &resolved.settings)
        .await
    {
        Ok(outcome) => outcome,
        Err(error) => {
            say(format_args!("error: {error}"));
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let response = &outcome.response;
    if let Some(recorder) = recorder {
        let context = Context::of_sent(
            resolved.profile.clone(),
            resolved.environment.clone(),
            response,
            resolved.settings.api_version,
        );
        recorder.record_exchange(&context, &req, response);
        recorder.close();
    }
    say(status_line(response));
    if outcome.retried_after_401 {
        say("note: the first attempt answered 401; the token was renewed and the call sent again");
    }
    if let Some(error) = &outcome.renewal_error {
        say(format_args!(
            "note: the call answered 401 and renewing the token failed: {error}"
        ));
    }
    if args.include {
        for (name, value) in &response.headers {
            say(format_args!("{name}: {}", sanitize::one_line(value)));
        }
    }
    if let Some(done) = super::call_pages::print_formatted(args, response)? {
        return Ok(done);
    }
    if response.is_empty_list() {
        say(format_args!(
            "no records: {}",
            response.problem().messages_text()
        ));
        output::print_text("[]\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(filter) = filter.as_ref().filter(|_| response.is_success()) {
        return print_filtered(filter, response, resolved.theme);
    }
    print_body(response, resolved.theme)?;
    if response.is_success() || response.status < 400 {
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(explanation) = explain_answer(&req, response) {
        say(&explanation.headline);
        for line in explanation.details.iter().chain(&explanation.actions) {
            say(format_args!("  - {}", sanitize::one_line(line)));
        }
    }
    Ok(ExitCode::from(EXIT_HTTP_ERROR))
}

/// `--csv-raw` makes `--format csv` [`Format::CsvRaw`]; without `--format csv` it is refused
/// before anything is sent.
fn with_csv_raw(args: &CallArgs) -> anyhow::Result<Cow<'_, CallArgs>> {
    if !args.csv_raw {
        return Ok(Cow::Borrowed(args));
    }
    if args.format != Some(Format::Csv) {
        bail!(
            "--csv-raw goes with --format csv: it writes CSV cells that look like formulas as they are"
        );
    }
    let mut raw = args.clone();
    raw.format = Some(Format::CsvRaw);
    Ok(Cow::Owned(raw))
}

/// The body checked against the request schema of the catalogue operation the method and
/// path match. Problems go to stderr under a heading (`error: the body does not match
/// CreateAccountRequest: 2 errors, 1 warning`), one line each; with errors the command stops
/// here (exit 2, nothing sent), with warnings only it goes on. `None` to go on.
fn check_body(method: Method, path: &str, body: &str) -> Option<ExitCode> {
    let op = catalog().find(method, path)?;
    let report = op.validate_body(body)?;
    if report.is_clean() {
        return None;
    }
    let schema = op.body_schema_name().unwrap_or("the request schema");
    let heading = if report.is_incomplete() {
        "error"
    } else {
        "warning"
    };
    say(format_args!(
        "{heading}: the body does not match {schema}: {}",
        report.summary()
    ));
    for problem in &report.problems {
        let severity = match problem.severity {
            Severity::Error => "error     ",
            Severity::ToFill => "to fill in",
            Severity::Warning => "warning   ",
        };
        say(format_args!("  {severity}  {}", problem.text()));
    }
    let more = report.total().saturating_sub(report.problems.len());
    if more > 0 {
        say(format_args!("  … and {more} more"));
    }
    if !report.is_incomplete() {
        return None;
    }
    say("nothing was sent: fix the body, or send it as it is with --no-validate");
    Some(ExitCode::from(EXIT_FAILURE))
}

/// `200 OK · 85 ms · 12.4 kB · GET http://…/Accounts?PageSize=5`
pub fn status_line(response: &ApiResponse) -> String {
    format!(
        "{} · {} ms · {} · {} {}",
        response.status_line(),
        response.elapsed.as_millis(),
        ByteSize::of_len(response.body.len()),
        response.sent.method,
        response.sent.url
    )
}

/// Writes the body to stdout.
///
/// A JSON body is pretty-printed with the characters JSON lets through raw but a terminal acts
/// on (DEL, C1 such as 0x9b) written as `\u` escapes: still valid JSON with the same value, to a
/// terminal or a pipe alike (C0 controls, ESC included, cannot be raw in valid JSON). Any other
/// body (text, binary, invalid UTF-8, JSON that does not parse) is, on a terminal, shown line by
/// line sanitised; to a pipe or a file it goes byte for byte as received, being data for a
/// program, not for a screen. A reader that stops early ends it quietly.
fn print_body(response: &ApiResponse, theme: ThemeChoice) -> anyhow::Result<()> {
    if response.body.is_empty() {
        return Ok(());
    }
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let doc = Document::new(response.body.clone(), response.is_json());
    // Valid JSON is UTF-8: a body with bytes that are not is not JSON, whatever it parses as.
    let json = doc.kind() == BodyKind::Json && doc.invalid_utf8() == 0;
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = if json || terminal {
        let doc = match doc {
            // A body that claims to be JSON but is not is shown as the text it is.
            doc if doc.kind() == BodyKind::BrokenJson => {
                Document::new(response.body.clone(), false)
            }
            doc => safe_json(doc),
        };
        write_document(&doc, terminal, theme, &mut out)
    } else {
        out.write_all(&response.body)
    };
    quiet_pipe(written.and_then(|()| out.flush()))?;
    Ok(())
}

/// A JSON document highlighted on a terminal that takes colour; otherwise line by line.
fn write_document(
    doc: &Document,
    terminal: bool,
    theme: ThemeChoice,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let colour = terminal && crate::tui::theme::colour_wanted();
    if colour && doc.kind() == BodyKind::Json {
        highlighter().write_ansi(doc, crate::tui::theme::headless_background(theme), out)
    } else {
        write_lines(doc, terminal, out)
    }
}

/// `error: the jq filter does not compile: …`, then the filter with a caret under the place.
fn report_filter_error(text: &str, error: &jq::JqError) {
    say(format_args!(
        "error: the jq filter does not compile: {error}"
    ));
    if let Some(line) = text.lines().nth(error.line - 1) {
        say(format_args!("  {line}"));
        say(format_args!("  {}^", " ".repeat(error.column - 1)));
    }
}

/// Runs `filter` over the body and prints its outputs as they come: each a pretty JSON
/// document on a terminal (coloured as [`print_body`] does), one compact line to a pipe.
/// An empty body has no input, so no outputs. A filter error ends the command with status 2,
/// after the outputs before it.
fn print_filtered(
    filter: &jq::Filter,
    response: &ApiResponse,
    theme: ThemeChoice,
) -> anyhow::Result<ExitCode> {
    if response.body.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let stop = std::sync::atomic::AtomicBool::new(false);
    let stdout = std::io::stdout();
    let terminal = stdout.is_terminal();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failure = None;
    match filter.run_text(&response.body, &stop) {
        Err(error) => failure = Some(error),
        Ok(outputs) => {
            for output in outputs {
                match output {
                    Ok(value) => {
                        if let Err(error) = write_value(&value, terminal, theme, &mut out) {
                            // A reader that went away (`| head`) has what it wanted.
                            quiet_pipe(Err(error))?;
                            return Ok(ExitCode::SUCCESS);
                        }
                    }
                    Err(error) => failure = Some(error),
                }
            }
        }
    }
    let written = quiet_pipe(out.flush());
    let Some(error) = failure else {
        written?;
        return Ok(ExitCode::SUCCESS);
    };
    say(format_args!("error: the jq filter failed: {error}"));
    Ok(ExitCode::from(EXIT_FAILURE))
}

/// One output of a filter: pretty (and coloured where [`write_document`] colours) on a
/// terminal, one compact line otherwise; valid JSON either way (see [`sanitize::json`]).
fn write_value(
    text: &str,
    terminal: bool,
    theme: ThemeChoice,
    out: &mut impl Write,
) -> std::io::Result<()> {
    if terminal {
        let doc = Document::new(sanitize::json(text).into_owned().into(), true);
        write_document(&doc, terminal, theme, out)
    } else {
        writeln!(out, "{}", sanitize::json(text))
    }
}

/// A JSON document re-indexed over [`sanitize::json`] of its body when that changes anything.
fn safe_json(doc: Document) -> Document {
    if doc.kind() != BodyKind::Json {
        return doc;
    }
    // A valid JSON document is UTF-8.
    let Ok(text) = std::str::from_utf8(doc.body()) else {
        return doc;
    };
    match sanitize::json(text) {
        std::borrow::Cow::Borrowed(_) => doc,
        std::borrow::Cow::Owned(safe) => Document::new(safe.into(), true),
    }
}

fn write_lines(doc: &Document, terminal: bool, out: &mut impl Write) -> std::io::Result<()> {
    for i in 0..doc.line_count() {
        let line = doc.line(i);
        if terminal {
            writeln!(out, "{}", sanitize::one_line(&line))?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
