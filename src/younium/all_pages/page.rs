//! One page: sent (through [`ApiClient::call`], which renews an expired token and sends once
//! more), retried after a 5xx or a dropped connection, paused with the whole run after a 429,
//! and its records cut out of the envelope.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::{AllPagesError, Options};
use crate::export::records::{self, Found};
use crate::session::{ApiClient, CallError};
use crate::younium::paging::{PageInfo, with_page};
use crate::younium::request::{
    ApiRequest, ApiResponse, CallSettings, RequestError, parse_retry_after,
};

/// 429 answers one page may get before the run gives up on it.
const MAX_RATE_LIMITED: u32 = 10;
/// The first wait of the exponential backoff (doubled per attempt, with jitter).
const BACKOFF_BASE: Duration = Duration::from_millis(200);
/// The longest backoff between two attempts when the server names no wait.
const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// The records of one page: `rec,rec,rec` (no brackets), ready to append.
#[derive(Clone, Debug, Default)]
pub(super) struct Chunk {
    pub bytes: Vec<u8>,
    pub count: u64,
    /// The page's envelope; `None` for a bare array.
    pub info: Option<PageInfo>,
}

/// A page that could not be had.
#[derive(Clone, Debug)]
pub(super) struct PageFailure {
    pub page: u64,
    pub message: String,
    pub status: Option<u16>,
    /// No call could be made at all (no token, a refused URL): not the page's fault.
    pub call: Option<Box<CallError>>,
}

impl PageFailure {
    pub fn into_error(self) -> AllPagesError {
        match self.call {
            Some(call) => AllPagesError::Call(*call),
            None if self.status.is_none() && self.message.starts_with("not a list") => {
                AllPagesError::NotAList(self.message)
            }
            None => AllPagesError::Failed {
                page: self.page,
                message: self.message,
                status: self.status,
            },
        }
    }
}

/// What every page of a run shares.
pub(super) struct RunContext {
    client: ApiClient,
    base_url: String,
    /// The request with its page size set; each page sets `PageNumber` on it.
    request: ApiRequest,
    settings: CallSettings,
    retries: u32,
    /// No request starts before this instant (a 429's wait, for the whole run).
    paused_until: Mutex<Option<Instant>>,
    retry_count: AtomicU32,
}

impl RunContext {
    pub fn new(
        client: ApiClient,
        base_url: &str,
        request: ApiRequest,
        settings: CallSettings,
        options: Options,
    ) -> RunContext {
        RunContext {
            client,
            base_url: base_url.to_string(),
            request,
            settings,
            retries: options.retries,
            paused_until: Mutex::new(None),
            retry_count: AtomicU32::new(0),
        }
    }

    /// Retries so far, 429 waits included.
    pub fn retries(&self) -> u32 {
        self.retry_count.load(Ordering::Relaxed)
    }

    /// What is left of a 429 wait, if the run is waiting.
    pub fn waiting(&self) -> Option<Duration> {
        let until = (*self.paused_until.lock().unwrap_or_else(|e| e.into_inner()))?;
        let left = until.saturating_duration_since(Instant::now());
        (!left.is_zero()).then_some(left)
    }

    /// Holds every request of the run back for `wait` (a later end wins).
    fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut paused = self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
    }

    /// Waits until no pause holds requests back.
    async fn gate(&self) {
        loop {
            let until = *self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
            match until {
                Some(until) if until > Instant::now() => {
                    tokio::time::sleep_until(until.into()).await
                }
                _ => return,
            }
        }
    }
}

/// Exponential backoff with jitter: half to all of `BACKOFF_BASE × 2^(attempt-1)`.
pub(super) fn backoff(attempt: u32) -> Duration {
    let full = BACKOFF_BASE
        .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(16)))
        .min(BACKOFF_MAX);
    full.mul_f64(0.5 + fastrand::f64() * 0.5)
}

/// Fetches page `page` of the run (`None`: the request as it stands, unpaged) until it is
/// had or has failed for good.
pub(super) async fn fetch(
    ctx: std::sync::Arc<RunContext>,
    page: Option<u64>,
) -> Result<Chunk, PageFailure> {
    let number = page.unwrap_or(1);
    let req = match page {
        Some(page) => with_page(&ctx.request, page),
        None => ctx.request.clone(),
    };
    send_until_done(&ctx, &req, number).await
}

/// Sends `req` (page `number` of the run) with the run's retry rules, and reads its records;
/// a body that cannot be read (cut short on the way) is fetched again like a dropped
/// connection.
pub(super) async fn send_until_done(
    ctx: &RunContext,
    req: &ApiRequest,
    number: u64,
) -> Result<Chunk, PageFailure> {
    let mut attempt = 0;
    loop {
        let response = send_for_body(ctx, req, number).await?;
        match read_answer(&response, number) {
            Ok(chunk) => return Ok(chunk),
            Err(failure) if attempt < ctx.retries && response.is_success() => {
                tracing::debug!(page = number, "unreadable page; fetching it again");
                attempt += 1;
                ctx.retry_count.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(backoff(attempt)).await;
                drop(failure);
            }
            Err(failure) => return Err(failure),
        }
    }
}

/// Sends `req` until it answers 2xx (or the 2.1 "nothing found" 400): a 429 pauses the whole
/// run for its `Retry-After` (else a backoff); a 5xx or a dropped connection is retried up to
/// the run's `retries`; any other answer fails the page at once.
pub(super) async fn send_for_body(
    ctx: &RunContext,
    req: &ApiRequest,
    number: u64,
) -> Result<ApiResponse, PageFailure> {
    let mut failures = 0u32;
    let mut rate_limited = 0u32;
    loop {
        ctx.gate().await;
        let failed = |message: String, status: Option<u16>| PageFailure {
            page: number,
            message,
            status,
            call: None,
        };
        let outcome = ctx.client.call(&ctx.base_url, req, &ctx.settings).await;
        let retry_wait = match outcome {
            Ok(outcome) => {
                let response = outcome.response;
                if response.is_success() || response.is_empty_list() {
                    return Ok(response);
                } else if response.status == 429 {
                    rate_limited += 1;
                    if rate_limited > MAX_RATE_LIMITED {
                        return Err(failed(answer_message(&response), Some(429)));
                    }
                    let wait = response
                        .header("retry-after")
                        .and_then(parse_retry_after)
                        .unwrap_or_else(|| backoff(rate_limited));
                    tracing::debug!(
                        page = number,
                        ms = wait.as_millis() as u64,
                        "429: pausing the run"
                    );
                    ctx.pause(wait);
                    ctx.retry_count.fetch_add(1, Ordering::Relaxed);
                    continue;
                } else if response.status >= 500 {
                    failures += 1;
                    if failures > ctx.retries {
                        return Err(failed(answer_message(&response), Some(response.status)));
                    }
                    response
                        .header("retry-after")
                        .and_then(parse_retry_after)
                        .unwrap_or_else(|| backoff(failures))
                } else {
                    // 4xx: no retry mends it (a 401 was already renewed and sent again).
                    return Err(failed(answer_message(&response), Some(response.status)));
                }
            }
            Err(CallError::Request(RequestError::Transport(error))) => {
                failures += 1;
                if failures > ctx.retries {
                    return Err(failed(error.to_string(), None));
                }
                backoff(failures)
            }
            Err(error) => {
                return Err(PageFailure {
                    page: number,
                    message: error.to_string(),
                    status: None,
                    call: Some(Box::new(error)),
                });
            }
        };
        ctx.retry_count.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(retry_wait).await;
    }
}

/// `500 Internal Server Error: <the server's message>`.
fn answer_message(response: &ApiResponse) -> String {
    let status = response.status_line();
    match response.problem().summary() {
        Some(said) => format!("{status}: {said}"),
        None => status,
    }
}

/// The records of an answer: a 2.1 envelope's `data`, a bare array, or none for the 2.1
/// "nothing found" 400.
pub(super) fn read_answer(response: &ApiResponse, number: u64) -> Result<Chunk, PageFailure> {
    let failure = |message: String| PageFailure {
        page: number,
        message,
        status: Some(response.status),
        call: None,
    };
    if response.is_empty_list() {
        return Ok(Chunk {
            info: Some(PageInfo {
                page_number: number,
                page_size: None,
                total_pages: Some(number),
                total_count: None,
                has_next: false,
                has_previous: number > 1,
                records: Some(0),
                kind: crate::younium::paging::PageKind::Numbered,
            }),
            ..Chunk::default()
        });
    }
    if !response.is_success() {
        return Err(failure(answer_message(response)));
    }
    let info = PageInfo::probe(&response.body);
    chunk_of(&response.body, info).map_err(|message| PageFailure {
        status: None,
        ..failure(format!("not a list: {message}"))
    })
}

/// Cuts the records out of a body into a chunk.
pub(super) fn chunk_of(body: &Bytes, info: Option<PageInfo>) -> Result<Chunk, String> {
    let found = records::find(body).map_err(|e| e.to_string())?;
    let array = match found {
        Found::Array(array) => array,
        Found::Single(_) => return Err("the answer is one record, not a list".into()),
        Found::Empty => {
            return Ok(Chunk {
                info,
                ..Chunk::default()
            });
        }
    };
    let mut bytes = Vec::with_capacity(array.get().len());
    let mut count = 0u64;
    records::each(array, |record| {
        if count > 0 {
            bytes.push(b',');
        }
        bytes.extend_from_slice(record.get().as_bytes());
        count += 1;
        Ok::<(), std::convert::Infallible>(())
    })
    .map_err(|e| e.to_string())?;
    Ok(Chunk { bytes, count, info })
}
