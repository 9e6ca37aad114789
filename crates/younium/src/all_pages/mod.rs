//! All the pages of a list at once: the engine behind `A` on a paged response and
//! `call --all-pages`.
//!
//! api-version 2.1 lists come 100 records a page at most. [`fetch_all`] reads the first page
//! (or takes the one on screen), learns the total, and fetches the rest with several requests
//! in flight, handing the records to a [`Sink`] in page order whatever order the pages arrive
//! in; at most `concurrency + 1` pages are held at once (in flight or waiting their turn), so
//! memory does not grow with the number of pages. [`collect`] is the sink that keeps
//! them, up to the body limit, as one JSON array.
//!
//! 429 answers pause the whole run; 5xx, dropped connections and answers that cannot be read
//! (cut short, a gateway's HTML page) are retried per page; every wait is told to the
//! [`Observer`], and a server asking to wait longer than [`Options::max_wait`] ends the run.
//! A run fetches at most [`Options::max_pages`] pages before it asks the observer whether to go
//! on. A page that still fails ends the run with its number and the server's message, and
//! cancelling keeps the pages handed on so far. api-version 2.0 answers are bare arrays,
//! already every record. v3 (`/v3/…`) lists are followed through `nextPage` one page after
//! another (see [`v3`]).

mod collect;
mod context;
mod numbered;
mod page;
mod progress;
mod schedule;
pub mod v3;

use std::future::Future;
use std::time::{Duration, Instant};

use bytes::Bytes;

pub use self::collect::collect;
pub use self::progress::{CapReached, Wait, WaitCause};
use crate::limit::ByteSize;
use crate::request::{ApiRequest, ApiResponse, CallSettings, Method, Param};
use crate::session::{ApiClient, CallError};
/// What stops a run ([`fetch_all`]'s `cancel`), re-exported so that a caller needs no
/// `tokio-util` of its own.
pub use tokio_util::sync::CancellationToken;

/// The most requests in flight a run allows.
pub const MAX_CONCURRENCY: usize = 8;
/// The page size asked for when the request names none: the most api-version 2.1 allows.
pub const DEFAULT_PAGE_SIZE: u64 = 100;
/// Pages a run fetches before it asks (or, headless, stops): 10,000 pages of 100 records.
pub(crate) const DEFAULT_MAX_PAGES: u64 = 10_000;
/// The longest wait a server may ask for (`Retry-After`) before the run ends instead.
pub(crate) const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(300);

/// How a run behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Requests in flight at once, 1..=8 (clamped); default 4.
    pub concurrency: usize,
    /// Retries per page after a 5xx answer, a dropped connection or an answer that cannot be
    /// read; default 3.
    pub retries: u32,
    /// Pages fetched before the observer is asked whether to go on ([`Observer::past_cap`]);
    /// default 10,000 (a million records). A list known to be longer is asked about at the start.
    pub max_pages: u64,
    /// A `Retry-After` longer than this ends the run (naming the wait) instead of waiting;
    /// default 5 minutes.
    pub max_wait: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            concurrency: 4,
            retries: 3,
            max_pages: DEFAULT_MAX_PAGES,
            max_wait: DEFAULT_MAX_WAIT,
        }
    }
}

impl Options {
    /// The concurrency actually used: 1..=[`MAX_CONCURRENCY`].
    pub(crate) fn effective_concurrency(&self) -> usize {
        self.concurrency.clamp(1, MAX_CONCURRENCY)
    }
}

/// How far a run has got (sent to the caller as it changes, at most ~10 times a second).
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// Pages handed to the sink so far.
    pub pages_done: u64,
    /// The list's `totalPages`, once a page has said it (2.0 lists never do, v3 ones may not).
    pub pages_total: Option<u64>,
    /// Records handed to the sink so far.
    pub records_done: u64,
    /// The list's `totalCount`, once a page has said it.
    pub records_total: Option<u64>,
    /// Since the run started.
    pub elapsed: Duration,
    /// Set while the run waits out a 429 (the whole run slows, not one page).
    pub waiting: Option<Duration>,
    /// Pages sent again so far (after a 5xx, a dropped connection, an unreadable answer).
    pub retries: u32,
}

/// Why a [`Sink`] took no more pages.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SinkStop {
    /// The records kept reached their size limit (the body limit, `--max-body`).
    #[error("{limit} limit")]
    Full {
        /// The limit that was reached.
        limit: ByteSize,
    },
    /// The reader of the output went away (`| head`).
    #[error("the reader stopped")]
    Closed,
    /// Writing the records failed.
    #[error("could not write the records: {0}")]
    Write(String),
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finish {
    /// Every page of the list was handed to the sink.
    Complete,
    /// Cancelled: the pages handed on before it are kept.
    Stopped,
    /// `page` still failed after its retries (or failed in a way no retry mends).
    Failed {
        /// The page that failed (1 for the first).
        page: u64,
        /// The status line and the server's message (`403 Forbidden`, `500 …: <message>`),
        /// or what went wrong on the way.
        message: String,
    },
    /// The page cap was reached with more pages to come (or the list is known to be longer),
    /// and going past it was declined.
    Capped {
        /// The cap that was in force ([`Options::max_pages`]).
        cap: u64,
    },
    /// The sink took no more pages.
    Sink(SinkStop),
}

/// What a run did; the records went to its sink.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Records handed to the sink.
    pub record_count: u64,
    /// Pages handed to the sink (always a run from the first page with no gap).
    pub pages: u64,
    /// The list's `totalPages`, when a page said it.
    pub pages_total: Option<u64>,
    /// Whether the run got to the end, and if not why not: check it, a run that did not
    /// finish is still `Ok`.
    pub finish: Finish,
    /// The whole run, first request to last page.
    pub elapsed: Duration,
    /// The answer to page 1 without its body (its status line and the request as sent), when
    /// it came: the merged records are shown and recorded as its answer.
    pub head: Option<ApiResponse>,
}

impl Outcome {
    /// "all 40 pages · 4,000 records", "pages 1–17 of 40: stopped",
    /// "pages 1–17 of 40: page 18 failed: <server's message>", "pages 1–120 of 900 kept: 512 MiB
    /// limit", "pages 1–10,000: stopped at the 10,000-page cap, the list goes on"
    pub fn summary(&self) -> String {
        progress::summary(self)
    }
}

/// The records of a run kept in memory ([`collect`]).
#[derive(Clone, Debug)]
pub struct Merged {
    /// One JSON array of every record of the pages 1..=pages, in page order, none twice.
    pub records: Bytes,
    /// Records in `records`.
    pub record_count: u64,
    /// Pages merged (always a run from the first page with no gap).
    pub pages: u64,
    /// The list's `totalPages`, when a page said it.
    pub pages_total: Option<u64>,
    /// Whether the run got to the end (see [`Outcome::finish`]).
    pub finish: Finish,
    /// The whole run.
    pub elapsed: Duration,
    /// The answer to page 1 without its body (see [`Outcome::head`]).
    pub head: Option<ApiResponse>,
}

impl Merged {
    /// The run's summary (see [`Outcome::summary`]).
    pub fn summary(&self) -> String {
        self.outcome().summary()
    }

    /// The run without its records.
    pub fn outcome(&self) -> Outcome {
        Outcome {
            record_count: self.record_count,
            pages: self.pages,
            pages_total: self.pages_total,
            finish: self.finish.clone(),
            elapsed: self.elapsed,
            head: self.head.clone(),
        }
    }

    /// The merged records as one answer to [`list_request`]: the status line and the request
    /// as sent of `first` (the page the run started from), the records as its JSON body. The
    /// viewer shows it and the history keeps it as one entry.
    pub fn as_response(&self, first: &ApiResponse) -> ApiResponse {
        merged_response(first, self.records.clone(), self.elapsed)
    }
}

/// `records` (a JSON array) as one answer with the status line and request as sent of `first`.
pub fn merged_response(first: &ApiResponse, records: Bytes, elapsed: Duration) -> ApiResponse {
    ApiResponse {
        status: first.status,
        reason: first.reason.clone(),
        headers: vec![(
            "content-type".into(),
            "application/json; charset=utf-8".into(),
        )],
        body: records,
        elapsed,
        sent: first.sent.clone(),
    }
}

/// Where the records of a run go, a page at a time. A closure
/// `FnMut(u64, &[u8], u64) -> Result<(), SinkStop>` is one (page, records, count).
///
/// The records are the page's own bytes, so every number keeps its digits; walk them one by
/// one with [`records::each_in_body`](crate::records::each_in_body).
pub trait Sink: Send {
    /// Page `page`'s records as one JSON array (`[]` when it has none). Called in page order,
    /// once a page; an `Err` ends the run with [`Finish::Sink`].
    fn page(&mut self, page: u64, records: &[u8], count: u64) -> Result<(), SinkStop>;
}

impl<F: FnMut(u64, &[u8], u64) -> Result<(), SinkStop> + Send> Sink for F {
    fn page(&mut self, page: u64, records: &[u8], count: u64) -> Result<(), SinkStop> {
        self(page, records, count)
    }
}

/// Who hears how a run goes. A closure `FnMut(&Progress)` hears the progress only, and
/// declines to go past the page cap.
pub trait Observer: Send {
    /// How far the run has got (at most ~10 times a second, and once at the end).
    fn progress(&mut self, progress: &Progress);

    /// A wait is starting: a 429's pause of the whole run, or a page's retry.
    fn wait(&mut self, wait: &Wait) {
        let _ = wait;
    }

    /// The run reached its page cap with more to come: `true` goes on for another
    /// [`Options::max_pages`] pages (or to the known end). Cancelling the run ends the question.
    fn past_cap(&mut self, cap: &CapReached) -> impl Future<Output = bool> + Send {
        let _ = cap;
        std::future::ready(false)
    }
}

impl<F: FnMut(&Progress) + Send> Observer for F {
    fn progress(&mut self, progress: &Progress) {
        self(progress)
    }
}

/// The list a run pages through: the request, where to send it and with which headers.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    /// Sends each page with the managed token (renewed and retried once on a 401).
    pub client: &'a ApiClient,
    /// The environment's base URL ([`Environment::base_url`](crate::Environment::base_url)):
    /// no page, and no `nextPage` link, is followed outside it.
    pub base_url: &'a str,
    /// The list: a GET, with its own query (`Filter`, `OrderBy`, `PageSize`; 100 a page when
    /// neither it nor the first answer says). A `PageNumber` does not narrow the run: every
    /// page from 1 is fetched.
    pub request: &'a ApiRequest,
    /// The `api-version` and `legal-entity` every page is sent with.
    pub settings: &'a CallSettings,
}

/// The request the merged records answer: the list without a page number.
pub fn list_request(request: &ApiRequest) -> ApiRequest {
    let mut request = request.clone();
    request
        .query
        .retain(|p| !p.name.eq_ignore_ascii_case("PageNumber"));
    request
}

/// Why a run could not start at all. A page that failed (the first one too) is a
/// [`Finish::Failed`], not an error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AllPagesError {
    /// No call could be made (no token, a URL that may not be used, …).
    #[error(transparent)]
    Call(#[from] CallError),
    /// The answer is not a list (or the request is not a GET).
    #[error("{0}")]
    NotAList(String),
}

/// The request's own enabled numeric query parameter `name` (case-insensitive), if any.
fn number_param(req: &ApiRequest, name: &str) -> Option<u64> {
    req.query
        .iter()
        .find(|p| p.enabled && p.name.eq_ignore_ascii_case(name))
        .and_then(|p| p.value.trim().parse().ok())
}

/// The request with `PageSize` set to `size` when it has none.
fn with_page_size(req: &ApiRequest, size: u64) -> ApiRequest {
    let mut req = req.clone();
    if number_param(&req, "PageSize").is_none() {
        req.query
            .retain(|p| !p.name.eq_ignore_ascii_case("PageSize"));
        req.query.push(Param::new("PageSize", size.to_string()));
    }
    req
}

/// True for a request to the v3 data-export API (`/v3/…`).
pub(crate) fn is_v3(req: &ApiRequest) -> bool {
    let path = req.path.trim_start_matches('/');
    path.len() >= 3 && path[..3].eq_ignore_ascii_case("v3/")
}

/// Fetches every page of the list `target` asks for and hands the records to `sink`.
/// `first` is the answer to the request itself when the caller has it (the page on screen, or
/// `call`'s first answer), so it is not fetched again unless it failed in a way a retry mends
/// (then it counts as the page's first try); pages before it are fetched too, so the records
/// always start at page 1.
///
/// `observer` hears the progress from this future (never from another thread), the waits, and
/// is asked before the run goes past [`Options::max_pages`]. Cancelling `cancel` stops sending,
/// drops the pages in flight and ends with the pages handed on so far ([`Finish::Stopped`]).
/// `Err` only when no call could be made, or the answer is not a list.
pub async fn fetch_all(
    target: Target<'_>,
    options: Options,
    first: Option<&ApiResponse>,
    sink: &mut impl Sink,
    observer: &mut impl Observer,
    cancel: CancellationToken,
) -> Result<Outcome, AllPagesError> {
    let started = Instant::now();
    let request = target.request;
    if request.method != Method::Get {
        return Err(AllPagesError::NotAList(format!(
            "only a GET list can be fetched page by page, not {}",
            request.method
        )));
    }
    let run = Run {
        target,
        options,
        sink,
        observer,
        cancel,
        started,
    };
    if is_v3(request) {
        v3::fetch_sequential(run, first).await
    } else {
        numbered::fetch(run, first).await
    }
}

/// [`fetch_all`] as a script wants it: the default [`Options`], no page in hand, no progress
/// told, and no way to stop the run but to drop the future. Check the outcome's
/// [`finish`](Outcome::finish): a run that ended early (a page that failed for good, the page
/// cap) is still `Ok`, with the pages before it handed on.
pub async fn fetch_all_with_defaults(
    target: Target<'_>,
    sink: &mut impl Sink,
) -> Result<Outcome, AllPagesError> {
    let mut quiet = |_: &Progress| {};
    let never = CancellationToken::new();
    fetch_all(target, Options::default(), None, sink, &mut quiet, never).await
}

/// What every kind of run is given.
pub(super) struct Run<'a, S, O> {
    pub target: Target<'a>,
    pub options: Options,
    pub sink: &'a mut S,
    pub observer: &'a mut O,
    pub cancel: CancellationToken,
    pub started: Instant,
}

impl<S, O> Run<'_, S, O> {
    /// The outcome of a run that ends now.
    fn outcome(&self, counts: Counts, finish: Finish) -> Outcome {
        Outcome {
            record_count: counts.records,
            pages: counts.pages,
            pages_total: counts.pages_total,
            finish,
            elapsed: self.started.elapsed(),
            head: counts.head,
        }
    }
}

impl<S, O: Observer> Run<'_, S, O> {
    /// Asks the observer whether to go past the cap; `None` when the run is cancelled first.
    async fn ask_past_cap(&mut self, question: &CapReached) -> Option<bool> {
        tokio::select! {
            biased;
            _ = self.cancel.cancelled() => None,
            yes = self.observer.past_cap(question) => Some(yes),
        }
    }
}

/// What a run has handed on so far, and what it knows of the list.
#[derive(Default)]
pub(super) struct Counts {
    pub pages: u64,
    pub records: u64,
    pub pages_total: Option<u64>,
    pub records_total: Option<u64>,
    pub head: Option<ApiResponse>,
}

impl Counts {
    /// Page `page` (its `count` records) went to the sink.
    fn handed(&mut self, page: u64, count: u64) {
        self.pages = page;
        self.records += count;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_is_kept_or_set() {
        let mut req = ApiRequest::new(Method::Get, "/Invoices");
        assert_eq!(
            number_param(&with_page_size(&req, 100), "PageSize"),
            Some(100)
        );
        req.query.push(Param::new("pagesize", "7"));
        assert_eq!(
            number_param(&with_page_size(&req, 100), "pageSize"),
            Some(7)
        );
        assert!(is_v3(&ApiRequest::new(Method::Get, "/v3/Invoices")));
        assert!(is_v3(&ApiRequest::new(Method::Get, "V3/Invoices")));
        assert!(!is_v3(&ApiRequest::new(Method::Get, "/v3x")));
        assert_eq!(
            Options {
                concurrency: 99,
                ..Options::default()
            }
            .effective_concurrency(),
            8
        );
    }
}
