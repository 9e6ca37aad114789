//! `younium-tui run FLOW.toml`: a flow's steps in order, a line for each as it ends, and a
//! summary. Exit 0 when every step passed, 1 when one failed, 2 when the flow could not run
//! (nothing was sent).

use std::process::ExitCode;
use std::time::Duration;

use super::output::{print_text, say};
use anyhow::Context as _;

use super::run_rows::{Rows, run_rows};
use super::{EXIT_FAILURE, EXIT_HTTP_ERROR, resolve_with};
use crate::cli::{ConnectionArgs, HistoryArgs, RunArgs};
use crate::flow::{self, Flow, Outcome, StepResult, Verdict};
use crate::history::Context;
use crate::sanitize;
use crate::simulator::{Simulator, SimulatorConfig, demo};
use crate::younium::template::{Origin, Resolver, Vars};
use crate::younium::{ApiRequest, Method, Secret};

pub async fn run(
    args: &RunArgs,
    connection: &ConnectionArgs,
    history: &HistoryArgs,
) -> anyhow::Result<ExitCode> {
    // The demo's simulator lives as long as the run.
    let (simulator, connection, secret) = if args.demo {
        let (sim, demo_args, secret) = demo_connection(connection).await?;
        (Some(sim), demo_args, Some(secret))
    } else {
        (None, connection.clone(), None)
    };
    let (loaded, settings) = crate::settings::from_command_line(&connection)?;
    let config = loaded
        .file
        .as_ref()
        .map(|f| (f, settings.profile.as_deref()));
    let flow = match flow::load(&args.flow, config) {
        Ok(flow) => flow,
        Err(e) => return Ok(cannot_run(&[e.to_string()])),
    };
    let mut vars = settings.vars.clone();
    // The command line wins over the flow's [vars], which win over the profile's (`Vars`).
    let from_flow = flow.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    vars.extend(&Origin::Flow, from_flow);
    let data = match args.data.as_deref().map(flow::data::read).transpose() {
        Ok(data) => data,
        Err(e) => return Ok(cannot_run(&[e.to_string()])),
    };
    // With data, the first row's columns stand for every row's.
    let checked = data.as_ref().map_or(vars.clone(), |d| d.vars_for(&vars, 0));
    let problems = flow::check(&flow, &checked);
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Ok(cannot_run(&lines));
    }
    if args.dry_run {
        dry_run(&flow, checked, settings.environment.base_url())?;
        return Ok(ExitCode::SUCCESS);
    }
    if settings.environment.write_needs_confirmation(Method::Post)
        && !args.yes
        && let Some(step) = flow.steps.iter().find(|s| s.request.method.is_write())
    {
        return Ok(cannot_run(&[format!(
            "{}: refusing to send {} to PRODUCTION ({}) without --yes",
            step.label(),
            step.request.method,
            settings.environment.base_url()
        )]));
    }
    let resolved = resolve_with(&connection, true, secret)?;
    let recorder = super::history::open_for_recording(history, resolved.history);
    let client = resolved.client();
    let to = Outcome {
        client: &client,
        base_url: resolved.environment.base_url(),
        settings: &resolved.settings,
        max_wait: resolved.all_pages.max_wait,
    };
    let recording = recorder.as_ref().map(|h| (h, &resolved));
    let all_passed = match &data {
        None => run_once(args, &flow, vars, &to, recording).await?,
        Some(data) => run_data(args, &flow, data, &vars, &to, recording).await?,
    };
    if let Some(history) = recorder {
        history.close();
    }
    if let Some(sim) = simulator {
        sim.shutdown().await;
    }
    Ok(if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_HTTP_ERROR)
    })
}

/// Where a run records its steps: the history and the connection they were sent with.
pub(super) type Recording<'a> = (&'a crate::history::History, &'a super::Resolved);

/// The flow once: a line per step as it ends, the summary, the report; whether all passed.
async fn run_once(
    args: &RunArgs,
    flow: &Flow,
    vars: Vars,
    to: &Outcome<'_>,
    recording: Option<Recording<'_>>,
) -> anyhow::Result<bool> {
    let mut resolver = Resolver::new(vars);
    let (results, interrupted) =
        run_steps(flow, &mut resolver, to, recording, args.keep_going).await?;
    say(summary(flow, &results, interrupted));
    if let Some(path) = &args.junit {
        super::junit::write(path, flow, &super::junit::cases(flow, &results))?;
    }
    Ok(results.len() == flow.steps.len()
        && results.iter().all(|(_, r)| r.verdict == Verdict::Passed))
}

/// The flow once per row of `data`: the summary, the report, the failed rows; whether all
/// passed.
async fn run_data(
    args: &RunArgs,
    flow: &Flow,
    data: &flow::data::Data,
    vars: &Vars,
    to: &Outcome<'_>,
    recording: Option<Recording<'_>>,
) -> anyhow::Result<bool> {
    let rows = Rows {
        flow,
        data,
        vars,
        concurrency: args.concurrency.map_or(1, usize::from),
        keep_going: args.keep_going,
    };
    let done = run_rows(rows, to, recording).await?;
    say(super::run_rows::summary(&rows, &done));
    if let Some(path) = &args.junit {
        super::junit::write(path, flow, &super::run_rows::cases(&rows, &done))?;
    }
    let failed = done.failed();
    if let Some(path) = &args.failed_rows {
        flow::data::write_rows(path, data, &failed)
            .with_context(|| format!("could not write the failed rows to {}", path.display()))?;
        say(format_args!(
            "{} failed rows written to {}",
            failed.len(),
            path.display()
        ));
    }
    Ok(failed.is_empty() && done.rows.len() == data.rows.len())
}

/// The built-in simulator on a free port, the connection flags pointed at it with its demo
/// client (and its first legal entity unless one is named), and its secret.
async fn demo_connection(
    connection: &ConnectionArgs,
) -> anyhow::Result<(Simulator, ConnectionArgs, Secret)> {
    let sim = Simulator::start_local(SimulatorConfig::default()).await?;
    let mut args = connection.clone();
    args.environment = None;
    args.base_url = Some(sim.base_url());
    args.client_id = Some(demo::CLIENT_ID.to_string());
    args.auth = None;
    if args.legal_entity.is_none() {
        args.legal_entity = Some(demo::LEGAL_ENTITIES[0].name.to_string());
    }
    Ok((sim, args, Secret::new(demo::SECRET)))
}

/// The steps in order, a line for each as it ends, until one fails (unless `keep_going`)
/// or Ctrl-C; the results, and whether Ctrl-C stopped the run.
async fn run_steps(
    flow: &Flow,
    resolver: &mut Resolver,
    to: &Outcome<'_>,
    recording: Option<Recording<'_>>,
    keep_going: bool,
) -> anyhow::Result<(Vec<(usize, StepResult)>, bool)> {
    let mut results: Vec<(usize, StepResult)> = Vec::new();
    let mut interrupted = false;
    for step in &flow.steps {
        let result = tokio::select! {
            result = flow::run_step(step, resolver, to) => result,
            _ = tokio::signal::ctrl_c() => {
                interrupted = true;
                break;
            }
        };
        if let Some((history, resolved)) = recording {
            record(history, resolved, &result);
        }
        print_text(&step_lines(step, &result, to.base_url))?;
        let failed = result.verdict != Verdict::Passed;
        results.push((step.number, result));
        if failed && !keep_going {
            break;
        }
    }
    Ok((results, interrupted))
}

/// Keeps a step's exchange in the history, as sent (templates filled in).
pub(super) fn record(
    history: &crate::history::History,
    resolved: &super::Resolved,
    result: &StepResult,
) {
    let (Some(sent), Some(response)) = (&result.sent, &result.response) else {
        return;
    };
    let context = Context::of_sent(
        resolved.profile.clone(),
        resolved.environment.clone(),
        response,
        resolved.settings.api_version,
    );
    history.record_exchange(&context, sent, response);
}

/// The flow could not run: why, and exit 2.
fn cannot_run(lines: &[String]) -> ExitCode {
    for line in lines {
        say(format_args!("error: {line}"));
    }
    say("nothing was sent");
    ExitCode::from(EXIT_FAILURE)
}

/// `✓ name  METHOD path  status  time`, and for a failure what was expected and what came.
pub(super) fn step_lines(step: &flow::Step, result: &StepResult, base_url: &str) -> String {
    let mark = if result.verdict == Verdict::Passed {
        "✓"
    } else {
        "✗"
    };
    let request = result.sent.as_ref().unwrap_or(&step.request);
    let status = result
        .response
        .as_ref()
        .map_or("-".to_string(), |r| r.status.to_string());
    let mut out = format!(
        "{mark} {}  {} {}  {status}  {}\n",
        sanitize::one_line(&step.name),
        request.method,
        sanitize::one_line(&target(base_url, request)),
        millis(result.elapsed)
    );
    if let Verdict::Failed(why) | Verdict::NotSent(why) = &result.verdict {
        out.push_str(&format!("    {}\n", sanitize::one_line(why)));
    }
    out
}

/// The path and query a request goes to, as the URL has them (percent-encoded).
fn target(base_url: &str, request: &ApiRequest) -> String {
    match crate::younium::request::build_url(base_url, request) {
        Ok(url) => match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        },
        Err(_) => request.path.clone(),
    }
}

fn millis(elapsed: Duration) -> String {
    format!("{} ms", elapsed.as_millis())
}

/// "3 steps: 2 passed, 1 failed", and which did not run.
fn summary(flow: &Flow, results: &[(usize, StepResult)], interrupted: bool) -> String {
    let passed = results
        .iter()
        .filter(|(_, r)| r.verdict == Verdict::Passed)
        .count();
    let failed = results.len() - passed;
    let not_run = flow.steps.len() - results.len();
    let mut text = format!("{} steps: {passed} passed", flow.steps.len());
    if failed > 0 {
        text.push_str(&format!(", {failed} failed"));
    }
    if not_run > 0 {
        text.push_str(&format!(", {not_run} not run"));
    }
    if interrupted {
        text.push_str(&interrupted_note(results.len()));
    }
    text
}

/// What Ctrl-C left: the steps that ran, and the one it cut off, which may have reached the
/// server (a write may have been made without its answer being seen).
fn interrupted_note(ran: usize) -> String {
    let finished = match ran {
        0 => "no step finished".to_string(),
        1 => "step 1 ran".to_string(),
        n => format!("steps 1–{n} ran"),
    };
    format!(
        " (stopped by Ctrl-C: {finished}; step {} was cut off and may have reached the server)",
        ran + 1
    )
}

/// Each request as it would be sent, with what earlier steps capture left as `{{name}}`.
fn dry_run(flow: &Flow, vars: Vars, base_url: &str) -> anyhow::Result<()> {
    let mut resolver = Resolver::new(vars);
    for step in &flow.steps {
        let request = resolver.request(&step.request, &step.label())?;
        print_text(&format!(
            "# {}\n{}\n",
            step.label(),
            shown(base_url, &request)
        ))?;
        for (name, _) in &step.capture {
            resolver.leave(name);
        }
    }
    Ok(())
}

/// A request as `--dry-run` prints it.
fn shown(base_url: &str, request: &ApiRequest) -> String {
    // What is left as `{{name}}` is shown so, not percent-encoded as the URL would carry it.
    let target = target(base_url, request)
        .replace("%7B%7B", "{{")
        .replace("%7D%7D", "}}");
    let mut out = format!("{} {target}\n", request.method);
    out.push_str("Authorization: Bearer (the token manager's, when sent)\n");
    for header in request.headers.iter().filter(|h| h.enabled) {
        let value = if crate::younium::request::is_secret_header(&header.name) {
            "(secret, not shown)"
        } else {
            header.value.as_str()
        };
        out.push_str(&format!("{}: {value}\n", header.name));
    }
    if let Some(body) = &request.body {
        out.push('\n');
        out.push_str(body);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::interrupted_note;

    #[test]
    fn ctrl_c_says_which_steps_ran_and_which_was_cut_off() {
        assert_eq!(
            interrupted_note(0),
            " (stopped by Ctrl-C: no step finished; step 1 was cut off and may have reached the \
             server)"
        );
        assert!(interrupted_note(1).contains("step 1 ran; step 2 was cut off"));
        assert!(interrupted_note(3).contains("steps 1–3 ran; step 4 was cut off"));
    }
}
