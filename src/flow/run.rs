//! Running one step: its templates filled in, sent, and its answer held to its
//! expectations; what it captures is kept for the steps after it.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::Step;
use crate::jq::Filter;
use crate::sanitize;
use crate::session::ApiClient;
use crate::younium::request::parse_retry_after;
use crate::younium::template::{Origin, Resolver, not_json};
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
    /// The longest `Retry-After` a 429 is waited out for (as all pages does); a longer one
    /// fails the step, naming it.
    pub max_wait: Duration,
}

/// 429 answers waited out, at most, before the step fails with the last one.
const RETRIES_AFTER_429: u32 = 5;

/// Runs `step`: fills it in from `resolver`, sends it, checks its answer, and sets what it
/// captures in `resolver`.
pub async fn run_step(step: &Step, resolver: &mut Resolver, to: &Outcome<'_>) -> StepResult {
    let label = step.label();
    let mut request = match resolver.request(&step.request, &label) {
        Ok(request) => request,
        Err(e) => return not_sent(None, e.to_string()),
    };
    let at = format!("{label}: the body");
    if let Some(e) = request.body.as_deref().and_then(|b| not_json(b, &at)) {
        return not_sent(None, e.to_string());
    }
    // Each send of a step (another run, another row) is a new POST, with a key of its own;
    // a 429 waited out below sends the same key again, as a retry should.
    if request.method == crate::younium::Method::Post {
        request.idempotency_key = Some(crate::younium::request::new_idempotency_key());
    }
    let started = Instant::now();
    let mut waits = 0;
    let response = loop {
        let response = match to.client.call(to.base_url, &request, to.settings).await {
            Ok(outcome) => outcome.response,
            Err(e) => return not_sent(Some(request), e.to_string()),
        };
        // Too many requests: wait as the server asks (1 s when it does not say), then again.
        let wait = (response.status == 429 && waits < RETRIES_AFTER_429).then(|| {
            let asked = response.header("retry-after");
            asked
                .and_then(parse_retry_after)
                .unwrap_or(Duration::from_secs(1))
        });
        match wait {
            Some(wait) if wait <= to.max_wait => {
                waits += 1;
                tokio::time::sleep(wait).await;
            }
            _ => break response,
        }
    };
    let elapsed = started.elapsed();
    let verdict = match judge(step, resolver, &response) {
        Ok(_) => Verdict::Passed,
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

/// The answer against the step's expectations, then its captures: each is set in `resolver`
/// (for the filters after it and the steps after this one) and returned, in order. `Err`:
/// what was not met, or the capture that found nothing.
pub fn judge(
    step: &Step,
    resolver: &mut Resolver,
    response: &ApiResponse,
) -> Result<Vec<(String, String)>, String> {
    let mut captured = Vec::new();
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
        let (filled, outputs) = outputs(resolver, filter, "expect.jq", &response.body)?;
        if outputs.is_empty() || outputs.iter().any(|v| v != "true") {
            return Err(format!(
                "expected {} to be true, got {}",
                shorten(&filled),
                shown(&outputs)
            ));
        }
    }
    for (name, filter) in &step.capture {
        let what = format!("capture {name}");
        let (filled, outputs) = outputs(resolver, filter, &what, &response.body)?;
        let Some(first) = outputs.first() else {
            return Err(format!(
                "{what}: {} output nothing ({})",
                shorten(&filled),
                shape(&response.body)
            ));
        };
        // A string as its content, anything else as its JSON text (digits as received).
        let value = match serde_json::from_str::<String>(first) {
            Ok(text) if first.starts_with('"') => text,
            _ => first.clone(),
        };
        resolver.set(
            Origin::Session(format!("captured by {}", step.label())),
            name,
            &value,
        );
        captured.push((name.clone(), value));
    }
    Ok(captured)
}

/// `filter` with its templates filled in, and its outputs over `body`.
fn outputs(
    resolver: &mut Resolver,
    filter: &str,
    what: &str,
    body: &[u8],
) -> Result<(String, Vec<String>), String> {
    let text = resolver.jq(filter, what).map_err(|e| e.to_string())?;
    let compiled = Filter::compile(&text).map_err(|e| format!("{what}: {e}"))?;
    let cancel = AtomicBool::new(false);
    let failed = |e: String| format!("{what}: {} failed: {e} ({})", shorten(&text), shape(body));
    let run = compiled
        .run_text(body, &cancel)
        .map_err(|e| failed(e.to_string()))?;
    let outputs = run
        .take(100)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| failed(e.to_string()))?;
    Ok((text, outputs))
}

/// Outputs as a failure names them: compact, shortened, safe to print.
fn shown(outputs: &[String]) -> String {
    match outputs {
        [] => "no output".into(),
        many => shorten(&many.join(", ")),
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
