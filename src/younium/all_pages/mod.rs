//! All the pages of a list at once: the engine behind `A` on a paged response and
//! `call --all-pages`.
//!
//! api-version 2.1 lists come 100 records a page at most. [`fetch_all`] reads the first page
//! (or takes the one on screen), learns the total, and fetches the rest with several requests
//! in flight, merging the records into one JSON array in page order whatever order the pages
//! arrive in. 429 answers pause the whole run; 5xx and dropped connections are retried per
//! page; a page that still fails ends the run with its number and the server's message, and
//! cancelling keeps the pages merged so far. api-version 2.0 answers are bare arrays, already
//! every record. v3 (`/v3/…`) lists are followed through `nextPage` one page after another
//! (see [`v3`]).

mod merge;
mod page;
mod progress;
pub mod v3;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use self::merge::Merger;
use self::page::{Chunk, PageFailure, RunContext};
use crate::session::{ApiClient, CallError};
use crate::younium::paging::PageInfo;
use crate::younium::request::{ApiRequest, ApiResponse, ApiVersion, CallSettings, Method, Param};

/// The most requests in flight a run allows.
pub const MAX_CONCURRENCY: usize = 8;
/// The page size asked for when the request names none: the most api-version 2.1 allows.
pub const DEFAULT_PAGE_SIZE: u64 = 100;

/// How a run behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Requests in flight at once, 1..=8 (clamped); default 4.
    pub concurrency: usize,
    /// Retries per page after a 5xx answer or a dropped connection; default 3.
    pub retries: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            concurrency: 4,
            retries: 3,
        }
    }
}

impl Options {
    /// The concurrency actually used: 1..=[`MAX_CONCURRENCY`].
    pub fn effective_concurrency(&self) -> usize {
        self.concurrency.clamp(1, MAX_CONCURRENCY)
    }
}

/// How far a run has got (sent to the caller as it changes, at most ~10 times a second).
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub pages_done: u64,
    pub pages_total: Option<u64>,
    pub records_done: u64,
    pub records_total: Option<u64>,
    pub elapsed: Duration,
    /// Set while the run waits out a 429 (the whole run slows, not one page).
    pub waiting: Option<Duration>,
    pub retries: u32,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finish {
    Complete,
    /// Cancelled: the pages merged before it are kept.
    Stopped,
    /// `page` still failed after its retries (or failed in a way no retry mends).
    Failed {
        page: u64,
        message: String,
    },
}

/// The records of a run.
#[derive(Clone, Debug)]
pub struct Merged {
    /// One JSON array of every record of the pages 1..=pages, in page order, none twice.
    pub records: Bytes,
    pub record_count: u64,
    /// Pages merged (always a run from the first page with no gap).
    pub pages: u64,
    pub pages_total: Option<u64>,
    pub finish: Finish,
    pub elapsed: Duration,
}

impl Merged {
    /// "all 40 pages · 4,000 records", "pages 1–17 of 40: stopped",
    /// "pages 1–17 of 40: page 18 failed: <server's message>"
    pub fn summary(&self) -> String {
        progress::summary(self)
    }

    /// The merged records as one answer to [`list_request`]: the status line and the request
    /// as sent of `first` (the page the run started from), the records as its JSON body. The
    /// viewer shows it and the history keeps it as one entry.
    pub fn as_response(&self, first: &ApiResponse) -> ApiResponse {
        ApiResponse {
            status: first.status,
            reason: first.reason.clone(),
            headers: vec![(
                "content-type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: self.records.clone(),
            elapsed: self.elapsed,
            sent: first.sent.clone(),
        }
    }
}

/// The request the merged records answer: the list without a page number.
pub fn list_request(request: &ApiRequest) -> ApiRequest {
    let mut request = request.clone();
    request
        .query
        .retain(|p| !p.name.eq_ignore_ascii_case("PageNumber"));
    request
}

/// Why a run produced nothing at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AllPagesError {
    /// No call could be made (no token, a URL that may not be used, …).
    #[error(transparent)]
    Call(#[from] CallError),
    /// The first page failed.
    #[error("page {page} failed: {message}")]
    Failed {
        page: u64,
        message: String,
        /// The HTTP status of the last answer, when there was one.
        status: Option<u16>,
    },
    /// The answer is not a list (or the request is not a GET).
    #[error("{0}")]
    NotAList(String),
}

/// The request's own `PageSize`, if it sends one.
fn page_size_of(req: &ApiRequest) -> Option<u64> {
    req.query
        .iter()
        .find(|p| p.enabled && p.name.eq_ignore_ascii_case("PageSize"))
        .and_then(|p| p.value.trim().parse().ok())
}

/// The request with `PageSize` set to `size` when it has none.
fn with_page_size(req: &ApiRequest, size: u64) -> ApiRequest {
    let mut req = req.clone();
    if page_size_of(&req).is_none() {
        req.query
            .retain(|p| !p.name.eq_ignore_ascii_case("PageSize"));
        req.query.push(Param::new("PageSize", size.to_string()));
    }
    req
}

/// True for a request to the v3 data-export API (`/v3/…`).
pub fn is_v3(req: &ApiRequest) -> bool {
    let path = req.path.trim_start_matches('/');
    path.len() >= 3 && path[..3].eq_ignore_ascii_case("v3/")
}

/// Fetches every page of the list `request` asks for. `first` is the answer to the request
/// itself when the caller has it (the page on screen), so it is not fetched again; pages
/// before it are fetched too, so the result always starts at page 1.
///
/// `progress` is called from this future (never from another thread) as the run goes, at
/// most about ten times a second, and once more at the end. Cancelling `cancel` stops
/// sending, drops the pages in flight and returns the pages merged so far
/// ([`Finish::Stopped`]). `Err` only when nothing could be fetched at all.
#[allow(clippy::too_many_arguments)]
pub async fn fetch_all(
    client: &ApiClient,
    base_url: &str,
    request: &ApiRequest,
    settings: &CallSettings,
    options: Options,
    first: Option<&ApiResponse>,
    progress: impl FnMut(&Progress) + Send,
    cancel: CancellationToken,
) -> Result<Merged, AllPagesError> {
    let started = Instant::now();
    if request.method != Method::Get {
        return Err(AllPagesError::NotAList(format!(
            "only a GET list can be fetched page by page, not {}",
            request.method
        )));
    }
    if is_v3(request) {
        return v3::fetch_sequential(
            client, base_url, request, settings, options, first, progress, cancel, started,
        )
        .await;
    }
    let page_size = page_size_of(request)
        .or_else(|| first.and_then(|f| PageInfo::probe(&f.body)?.page_size))
        .unwrap_or(DEFAULT_PAGE_SIZE);
    let paged = settings.api_version == ApiVersion::V2_1;
    let base = if paged {
        with_page_size(request, page_size)
    } else {
        request.clone()
    };
    let ctx = Arc::new(RunContext::new(
        client.clone(),
        base_url,
        base,
        settings.clone(),
        options,
    ));
    // The page the run starts from: the one given, or the first.
    let (start_page, start) = match first {
        Some(response) => {
            let info = PageInfo::probe(&response.body);
            let page = info.as_ref().map_or(1, |i| i.page_number.max(1));
            match page::read_answer(response, page) {
                Ok(chunk) => (page, chunk),
                Err(failure) => return Err(failure.into_error()),
            }
        }
        None => {
            let page = paged.then_some(1);
            let fetched = tokio::select! {
                biased;
                _ = cancel.cancelled() => None,
                result = page::fetch(ctx.clone(), page) => Some(result),
            };
            match fetched {
                None => return Ok(stopped_before_start(started)),
                Some(Ok(chunk)) => (1, chunk),
                Some(Err(failure)) => return Err(failure.into_error()),
            }
        }
    };
    // A bare array (2.0, or a list that is not paged) is every record already.
    let Some(info) = start.info.clone() else {
        let elapsed = started.elapsed();
        let mut progress = progress;
        let record_count = start.count;
        let records = match first {
            Some(response) if start_page == 1 => response.body.clone(),
            _ => Merger::single(start),
        };
        progress(&Progress {
            pages_done: 1,
            pages_total: Some(1),
            records_done: record_count,
            records_total: Some(record_count),
            elapsed,
            waiting: None,
            retries: ctx.retries(),
        });
        return Ok(Merged {
            records,
            record_count,
            pages: 1,
            pages_total: Some(1),
            finish: Finish::Complete,
            elapsed,
        });
    };
    let run = Run {
        ctx,
        options,
        started,
        pages_total: info.total_pages,
        records_total: info.total_count,
        ended_at: (!info.has_next).then_some(start_page),
    };
    Ok(run.go(start_page, start, progress, cancel).await)
}

fn stopped_before_start(started: Instant) -> Merged {
    Merged {
        records: Bytes::from_static(b"[]"),
        record_count: 0,
        pages: 0,
        pages_total: None,
        finish: Finish::Stopped,
        elapsed: started.elapsed(),
    }
}

/// One run of a paged list after its starting page.
struct Run {
    ctx: Arc<RunContext>,
    options: Options,
    started: Instant,
    pages_total: Option<u64>,
    records_total: Option<u64>,
    /// The last page, once known without a total (a page that says there is no next).
    ended_at: Option<u64>,
}

impl Run {
    /// The last page to fetch, when known.
    fn last_page(&self) -> Option<u64> {
        self.pages_total.or(self.ended_at)
    }

    async fn go(
        mut self,
        start_page: u64,
        start: Chunk,
        mut progress: impl FnMut(&Progress) + Send,
        cancel: CancellationToken,
    ) -> Merged {
        let concurrency = self.options.effective_concurrency() as u64;
        // Pages arrived out of order wait in the merger; never let more than this many run
        // ahead of the first missing page, so memory stays near the size of the records.
        let window = concurrency * 4;
        let mut merger = Merger::new(self.pages_total, start.bytes.len());
        merger.offer(start_page, start);
        let mut tasks: JoinSet<(u64, Result<Chunk, PageFailure>)> = JoinSet::new();
        let mut aborts: Vec<(u64, tokio::task::AbortHandle)> = Vec::new();
        let mut next_page = 1u64;
        let mut failure: Option<(u64, String)> = None;
        let mut stopped = false;
        let mut tick = tokio::time::interval(progress::INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_sent: Option<Progress> = None;
        loop {
            // Start what may start.
            while failure.is_none() && !stopped && (tasks.len() as u64) < concurrency {
                if next_page == start_page {
                    next_page += 1;
                    continue;
                }
                let known_last = self.last_page();
                let may = match known_last {
                    Some(last) => next_page <= last,
                    // No total: one page after another until one says it is the last.
                    None => tasks.is_empty() && merger.next_missing() == next_page,
                };
                if !may || next_page >= merger.next_missing() + window {
                    break;
                }
                let page = next_page;
                let ctx = self.ctx.clone();
                let handle = tasks.spawn(async move { (page, page::fetch(ctx, Some(page)).await) });
                aborts.push((page, handle));
                next_page += 1;
            }
            if tasks.is_empty() {
                break;
            }
            tokio::select! {
                biased;
                _ = cancel.cancelled(), if !stopped => {
                    stopped = true;
                    tasks.abort_all();
                }
                joined = tasks.join_next() => {
                    let Some(joined) = joined else { continue };
                    let Ok((page, result)) = joined else { continue }; // aborted
                    aborts.retain(|(p, _)| *p != page);
                    match result {
                        Ok(chunk) => {
                            if let Some(info) = &chunk.info {
                                self.note_page(page, info);
                            }
                            merger.offer(page, chunk);
                        }
                        Err(fail) => {
                            if failure.as_ref().is_none_or(|(p, _)| page < *p) {
                                // Pages after the failed one are of no use now.
                                for (p, handle) in &aborts {
                                    if *p > page {
                                        handle.abort();
                                    }
                                }
                                failure = Some((page, fail.message));
                            }
                        }
                    }
                }
                _ = tick.tick() => {
                    let now = self.progress(&merger);
                    if last_sent.as_ref().is_none_or(|last| changed(last, &now)) {
                        progress(&now);
                        last_sent = Some(now);
                    }
                }
            }
        }
        let elapsed = self.started.elapsed();
        let finish = if stopped {
            Finish::Stopped
        } else if let Some((page, message)) = failure {
            Finish::Failed { page, message }
        } else if self.last_page().is_some_and(|last| merger.pages() < last) {
            // Cannot happen with a server that keeps its totals; said rather than hidden.
            Finish::Failed {
                page: merger.next_missing(),
                message: "the page was never answered".into(),
            }
        } else {
            Finish::Complete
        };
        let mut last = self.progress(&merger);
        last.elapsed = elapsed;
        last.waiting = None;
        progress(&last);
        let (records, record_count, pages) = merger.finish();
        Merged {
            records,
            record_count,
            pages,
            pages_total: self.pages_total,
            finish,
            elapsed,
        }
    }

    /// A page's envelope may end a list without a total.
    fn note_page(&mut self, page: u64, info: &PageInfo) {
        if self.pages_total.is_none() {
            if let Some(total) = info.total_pages {
                self.pages_total = Some(total);
            } else if !info.has_next {
                self.ended_at = Some(self.ended_at.map_or(page, |e| e.min(page)));
            }
        }
        if self.records_total.is_none() {
            self.records_total = info.total_count;
        }
    }

    fn progress(&self, merger: &Merger) -> Progress {
        Progress {
            pages_done: merger.pages_arrived(),
            pages_total: self.pages_total,
            records_done: merger.records_arrived(),
            records_total: self.records_total,
            elapsed: self.started.elapsed(),
            waiting: self.ctx.waiting(),
            retries: self.ctx.retries(),
        }
    }
}

/// Worth telling the caller: anything but the clock moved, or a wait is counting down.
fn changed(last: &Progress, now: &Progress) -> bool {
    now.waiting.is_some()
        || last.waiting.is_some()
        || (
            last.pages_done,
            last.records_done,
            last.retries,
            last.pages_total,
        ) != (
            now.pages_done,
            now.records_done,
            now.retries,
            now.pages_total,
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_is_kept_or_set() {
        let mut req = ApiRequest::new(Method::Get, "/Invoices");
        assert_eq!(page_size_of(&with_page_size(&req, 100)), Some(100));
        req.query.push(Param::new("pagesize", "7"));
        assert_eq!(page_size_of(&with_page_size(&req, 100)), Some(7));
        assert!(is_v3(&ApiRequest::new(Method::Get, "/v3/Invoices")));
        assert!(is_v3(&ApiRequest::new(Method::Get, "V3/Invoices")));
        assert!(!is_v3(&ApiRequest::new(Method::Get, "/v3x")));
        assert_eq!(
            Options {
                concurrency: 99,
                retries: 3
            }
            .effective_concurrency(),
            8
        );
    }
}
