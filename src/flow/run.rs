//! Running one step: its templates filled in, sent, and its answer held to its
//! expectations; what it captures is kept for the steps after it.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Step;
use crate::jq::Filter;
use crate::sanitize;
use crate::session::ApiClient;
use crate::younium::template::{Origin, Resolver};
use crate::younium::{ApiRequest, ApiResponse, CallSettings};

/// How a step ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// The answer came and did not meet an expectation (or a capture found nothing).
    Failed(String),
    /// Nothing was sent, or no answer came: why.
    NotSent(String),
}

/// A step as it ran.
#[derive(Debug)]
pub struct StepResult {
    pub verdict: Verdict,
    /// The request as sent (templates filled in), when it got that far.
    pub sent: Option<ApiRequest>,
    pub response: Option<ApiResponse>,
    pub elapsed: Duration,
}

/// Where a step is sent.
pub struct Outcome<'a> {
    pub client: &'a ApiClient,
    pub base_url: &'a str,
    pub settings: &'a CallSettings,
}

/// Runs `step`: fills it in from `resolver`, sends it, checks its answer, and sets what it
/// captures in `resolver`.
pub async fn run_step(step: &Step, resolver: &mut Resolver, to: &Outcome<'_>) -> StepResult {
    let label = step.label();
    let request = match resolver.request(&step.request, &label) {
        Ok(request) => request,
        Err(e) => return not_sent(None, e.to_string()),
    };
    let started = Instant::now();
    let outcome = to.client.call(to.base_url, &request, to.settings).await;
    let elapsed = started.elapsed();
    let response = match outcome {
        Ok(outcome) => outcome.response,
        Err(e) => return not_sent(Some(request), e.to_string()),
    };
    let verdict = match judge(step, resolver, &response) {
        Ok(()) => Verdict::Passed,
        Err(why) => Verdict::Failed(why),
    };
    StepResult {
        verdict,
        sent: Some(request),
        response: Some(response),
        elapsed,
    }
}

fn not_sent(sent: Option<ApiRequest>, why: String) -> StepResult {
    StepResult {
        verdict: Verdict::NotSent(why),
        sent,
        response: None,
        elapsed: Duration::ZERO,
    }
}

/// The answer against the step's expectations, then its captures.
fn judge(step: &Step, resolver: &mut Resolver, response: &ApiResponse) -> Result<(), String> {
    match step.expect.status {
        Some(status) if response.status != status => {
            return Err(format!("expected status {status}, got {}", response.status));
        }
        None if !response.is_success() => {
            return Err(format!("expected a 2xx status, got {}", response.status));
        }
        _ => {}
    }
    for filter in &step.expect.jq {
        let outputs = outputs(resolver, filter, "expect.jq", &response.body)?;
        if outputs.is_empty() || outputs.iter().any(|v| v != &Value::Bool(true)) {
            return Err(format!(
                "expected {} to be true, got {}",
                shorten(filter),
                shown(&outputs)
            ));
        }
    }
    for (name, filter) in &step.capture {
        let what = format!("capture {name}");
        let outputs = outputs(resolver, filter, &what, &response.body)?;
        let Some(first) = outputs.first() else {
            return Err(format!(
                "{what}: {} output nothing ({})",
                shorten(filter),
                shape(&response.body)
            ));
        };
        let value = match first {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        resolver.set(
            Origin::Session(format!("captured by {}", step.label())),
            name,
            &value,
        );
    }
    Ok(())
}

/// The outputs of `filter` (templates filled in) over `body`.
fn outputs(
    resolver: &mut Resolver,
    filter: &str,
    what: &str,
    body: &[u8],
) -> Result<Vec<Value>, String> {
    let text = resolver.jq(filter, what).map_err(|e| e.to_string())?;
    let compiled = Filter::compile(&text).map_err(|e| format!("{what}: {e}"))?;
    let cancel = AtomicBool::new(false);
    let run = compiled
        .run(body, &cancel)
        .map_err(|e| format!("{what}: {} failed: {e} ({})", shorten(filter), shape(body)))?;
    run.take(100)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{what}: {} failed: {e} ({})", shorten(filter), shape(body)))
}

/// Outputs as a failure names them: compact, shortened, safe to print.
fn shown(outputs: &[Value]) -> String {
    match outputs {
        [] => "no output".into(),
        [one] => shorten(&one.to_string()),
        many => shorten(
            &many
                .iter()
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

fn shorten(text: &str) -> String {
    crate::younium::text::shorten(&sanitize::one_line(text), 120)
}

/// What the body is, for a filter that found nothing in it.
fn shape(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => {
            let keys: Vec<&str> = map.keys().take(8).map(String::as_str).collect();
            let more = if map.len() > 8 { ", …" } else { "" };
            format!("the body is an object with {}{more}", keys.join(", "))
        }
        Ok(Value::Array(items)) => format!("the body is an array of {}", items.len()),
        Ok(other) => format!("the body is {}", shorten(&other.to_string())),
        Err(_) if body.is_empty() => "the body is empty".into(),
        Err(_) => "the body is not JSON".into(),
    }
}
