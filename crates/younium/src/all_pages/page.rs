//! One page: sent (through [`ApiClient::call`], which renews an expired token and sends once
//! more) until its records are had or it has failed for good. One budget of retries per page
//! covers a 5xx, a dropped connection and an answer that cannot be read (JSON cut short, a
//! gateway's HTML page); a 429 pauses the whole run for its `Retry-After` (else a backoff); a
//! server asking to wait longer than the run's `max_wait` fails the page, naming the wait.
//!
//! [`ApiClient::call`]: crate::session::ApiClient::call

use std::time::Duration;

use super::context::RunContext;
use super::{AllPagesError, Wait, WaitCause};
use crate::paging::PageInfo;
use crate::records::{self, Found};
use crate::request::{ApiRequest, ApiResponse, RequestError, asked_retry_after};
use crate::session::CallError;

/// 429 answers one page may get before the run gives up on it.
const MAX_RATE_LIMITED: u32 = 10;
/// The first wait of the exponential backoff (doubled per attempt, with jitter).
const BACKOFF_BASE: Duration = Duration::from_millis(200);
/// The longest backoff between two attempts when the server names no wait.
const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// The records of one page as a JSON array (`[rec,rec]`, the records' own text), ready to hand on.
#[derive(Clone, Debug)]
pub(super) struct Chunk {
    pub bytes: Vec<u8>,
    pub count: u64,
    /// The page's envelope; `None` for a bare array.
    pub info: Option<PageInfo>,
    /// The answer it came in, without its body.
    pub head: ApiResponse,
}

/// Why a page could not be had.
#[derive(Clone, Debug)]
pub(super) enum FailureKind {
    /// The page failed (an answer no retry mended): the run ends, naming it.
    Page,
    /// The answer is readable but not a list.
    NotAList,
    /// No call could be made at all (no token, a refused URL): not the page's fault.
    Call(Box<CallError>),
}

#[derive(Clone, Debug)]
pub(super) struct PageFailure {
    pub page: u64,
    pub message: String,
    pub kind: FailureKind,
}

impl PageFailure {
    /// The run's error, or `Ok` with the message when it is the page's own failure.
    pub fn into_error(self) -> Result<(u64, String), AllPagesError> {
        match self.kind {
            FailureKind::Page => Ok((self.page, self.message)),
            FailureKind::NotAList => Err(AllPagesError::NotAList(self.message)),
            FailureKind::Call(call) => Err(AllPagesError::Call(*call)),
        }
    }
}

/// Exponential backoff with jitter: half to all of `BACKOFF_BASE × 2^(attempt-1)`.
fn backoff(attempt: u32) -> Duration {
    let full = BACKOFF_BASE
        .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(16)))
        .min(BACKOFF_MAX);
    full.mul_f64(0.5 + fastrand::f64() * 0.5)
}

/// The tries of one page so far.
#[derive(Default)]
struct Tries {
    failures: u32,
    rate_limited: u32,
}

/// What to do about one answer.
enum Verdict {
    Done(Box<Chunk>),
    /// Wait, then send again; `whole_run`: the wait holds every request (429).
    Retry {
        wait: Duration,
        cause: WaitCause,
        whole_run: bool,
    },
    Fail(PageFailure),
}

/// Sends `req` (page `page` of the run) until its records are had. `first`: its answer when
/// the caller has one already (it counts as the first try).
pub(super) async fn fetch(
    ctx: &RunContext,
    req: &ApiRequest,
    page: u64,
    first: Option<&ApiResponse>,
) -> Result<Chunk, PageFailure> {
    let mut tries = Tries::default();
    let mut given = first.map(|answer| Ok(answer.clone()));
    loop {
        let answer = match given.take() {
            Some(answer) => answer,
            None => {
                ctx.gate().await;
                let outcome = ctx.client.call(&ctx.base_url, req, &ctx.settings).await;
                outcome.map(|o| o.response)
            }
        };
        match judge(ctx, answer, page, &mut tries) {
            Verdict::Done(chunk) => return Ok(*chunk),
            Verdict::Fail(failure) => return Err(failure),
            Verdict::Retry {
                wait,
                cause,
                whole_run,
            } => {
                tracing::debug!(page, ms = wait.as_millis() as u64, "page: waiting to retry");
                ctx.note_wait(Wait { page, wait, cause });
                if whole_run {
                    ctx.pause(wait);
                } else {
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

fn judge(
    ctx: &RunContext,
    answer: Result<ApiResponse, CallError>,
    page: u64,
    tries: &mut Tries,
) -> Verdict {
    let fail = |message: String, kind: FailureKind| {
        Verdict::Fail(PageFailure {
            page,
            message,
            kind,
        })
    };
    let response = match answer {
        Ok(response) => response,
        Err(CallError::Request(RequestError::Transport(error))) => {
            return retry(ctx, tries, page, error.to_string(), None);
        }
        Err(error @ CallError::Request(RequestError::TooLarge(_))) => {
            return fail(error.to_string(), FailureKind::Page);
        }
        Err(error) => return fail(error.to_string(), FailureKind::Call(Box::new(error))),
    };
    if response.is_success() || response.is_empty_list() {
        return match read_answer(&response, page) {
            Ok(chunk) => Verdict::Done(Box::new(chunk)),
            Err(Unread::NotJson(why)) => retry(ctx, tries, page, why, None),
            Err(Unread::NotAList(why)) => fail(format!("not a list: {why}"), FailureKind::NotAList),
        };
    }
    let said = answer_message(&response);
    let retry_after = response.header("retry-after").map(str::to_string);
    if response.status == 429 {
        tries.rate_limited += 1;
        if tries.rate_limited > MAX_RATE_LIMITED {
            return fail(said, FailureKind::Page);
        }
        let wait = match server_wait(ctx, retry_after.as_deref()) {
            Ok(wait) => wait.unwrap_or_else(|| backoff(tries.rate_limited)),
            Err(too_long) => return fail(format!("{said}; {too_long}"), FailureKind::Page),
        };
        return Verdict::Retry {
            wait,
            cause: WaitCause::RateLimited {
                why: response.status_line(),
                retry_after,
            },
            whole_run: true,
        };
    }
    if response.status >= 500 {
        return retry(ctx, tries, page, said, retry_after);
    }
    // 4xx: no retry mends it (a 401 was already renewed and sent again).
    fail(said, FailureKind::Page)
}

/// A retry of the page after `why`, or its failure when the retries are spent.
fn retry(
    ctx: &RunContext,
    tries: &mut Tries,
    page: u64,
    why: String,
    retry_after: Option<String>,
) -> Verdict {
    tries.failures += 1;
    let failed = |message: String| {
        Verdict::Fail(PageFailure {
            page,
            message,
            kind: FailureKind::Page,
        })
    };
    if tries.failures > ctx.retries {
        return failed(why);
    }
    let wait = match server_wait(ctx, retry_after.as_deref()) {
        Ok(wait) => wait.unwrap_or_else(|| backoff(tries.failures)),
        Err(too_long) => return failed(format!("{why}; {too_long}")),
    };
    Verdict::Retry {
        wait,
        cause: WaitCause::Retry {
            attempt: tries.failures,
            of: ctx.retries,
            why,
            retry_after,
        },
        whole_run: false,
    }
}

/// A `Retry-After` longer than a run waits.
#[derive(Debug, thiserror::Error)]
#[error(
    "the server asked to wait {asked} (Retry-After: {text}), longer than the {longest} a run \
     waits (--max-wait, max_wait_seconds in the profile)"
)]
struct TooLongWait {
    asked: String,
    text: String,
    longest: String,
}

/// The wait a `Retry-After` asks for (`None`: none, or unreadable); `Err` naming it when it is
/// longer than the run waits.
fn server_wait(
    ctx: &RunContext,
    retry_after: Option<&str>,
) -> Result<Option<Duration>, TooLongWait> {
    let Some(text) = retry_after else {
        return Ok(None);
    };
    match asked_retry_after(text) {
        Some(asked) if asked > ctx.max_wait => Err(TooLongWait {
            asked: super::progress::human(asked),
            text: text.trim().chars().take(40).collect(),
            longest: super::progress::human(ctx.max_wait),
        }),
        asked => Ok(asked),
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

/// Why an answer's records could not be had.
enum Unread {
    /// Not JSON: cut short on the way, or a page of HTML. A retry may mend it.
    NotJson(String),
    NotAList(String),
}

/// The answer without its body.
fn head_of(response: &ApiResponse) -> ApiResponse {
    ApiResponse {
        body: bytes::Bytes::new(),
        ..response.clone()
    }
}

/// The records of an answer: a 2.1 envelope's `data`, a v3 `items`, a bare array, or none
/// for the 2.1 "nothing found" 400.
fn read_answer(response: &ApiResponse, number: u64) -> Result<Chunk, Unread> {
    let head = head_of(response);
    if response.is_empty_list() {
        return Ok(Chunk {
            bytes: b"[]".to_vec(),
            count: 0,
            info: Some(PageInfo::nothing_found(number)),
            head,
        });
    }
    let body = &response.body;
    let not_json = |e: &dyn std::fmt::Display| {
        let kind = response
            .header("content-type")
            .map(|ct| format!(" ({})", ct.chars().take(60).collect::<String>()))
            .unwrap_or_default();
        Unread::NotJson(format!(
            "{}: the answer{kind} is not JSON (cut short?): {e}",
            response.status_line()
        ))
    };
    let array = match records::find(body) {
        Ok(Found::Array(array)) => array,
        Ok(Found::Single(_)) => return Err(Unread::NotAList("the answer is one record".into())),
        Ok(Found::Empty) => {
            return Ok(Chunk {
                bytes: b"[]".to_vec(),
                count: 0,
                info: PageInfo::probe(body),
                head,
            });
        }
        Err(records::RecordsError::NotJson(e)) => return Err(not_json(&e)),
        Err(e) => {
            // Not an array nor an object: JSON of another kind, or no JSON at all (HTML).
            return Err(
                match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
                    Err(e) => not_json(&e),
                    Ok(_) => Unread::NotAList(e.to_string()),
                },
            );
        }
    };
    let mut bytes = Vec::with_capacity(array.get().len());
    bytes.push(b'[');
    let mut count = 0u64;
    records::each(array, |record| {
        if count > 0 {
            bytes.push(b',');
        }
        bytes.extend_from_slice(record.get().as_bytes());
        count += 1;
        Ok::<(), std::convert::Infallible>(())
    })
    .map_err(|e| not_json(&e))?;
    bytes.push(b']');
    Ok(Chunk {
        bytes,
        count,
        info: PageInfo::probe(body),
        head,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, content_type: &str, body: &str) -> ApiResponse {
        ApiResponse {
            status,
            reason: String::new(),
            headers: vec![("content-type".into(), content_type.into())],
            body: bytes::Bytes::from(body.to_string()),
            elapsed: Duration::ZERO,
            sent: crate::request::SentRequest {
                method: crate::Method::Get,
                url: "http://x/".into(),
                headers: vec![],
                body: None,
                sent_at: jiff::Timestamp::UNIX_EPOCH,
            },
        }
    }

    #[test]
    fn answers_cut_short_or_in_html_are_unread_and_records_are_kept_as_they_came() {
        let cut = answer(
            200,
            "application/json",
            r#"{"pageNumber":1,"data":[{"id":"a"},{"id"#,
        );
        assert!(matches!(read_answer(&cut, 1), Err(Unread::NotJson(m)) if m.contains("not JSON")));
        let html = answer(200, "text/html", "<html><body>Bad Gateway</body></html>");
        assert!(
            matches!(read_answer(&html, 1), Err(Unread::NotJson(m)) if m.contains("text/html"))
        );
        let one = answer(200, "application/json", r#"{"id":"a"}"#);
        assert!(matches!(read_answer(&one, 1), Err(Unread::NotAList(_))));
        let page = answer(
            200,
            "application/json",
            r#"{"pageNumber":1,"totalPages":1,"data":[ {"n": 1.000000000000000001} , {"n":2}]}"#,
        );
        let chunk = read_answer(&page, 1).ok().unwrap();
        assert_eq!(chunk.bytes, br#"[{"n": 1.000000000000000001},{"n":2}]"#);
        assert_eq!((chunk.count, chunk.head.body.len()), (2, 0));
    }
}
