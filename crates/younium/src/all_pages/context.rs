//! What every page of a run shares: the request and where it goes, the retry rules, the pause
//! a 429 puts on the whole run, and the waits to be told to the observer.

use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use super::progress::INTERVAL;
use super::{Counts, Observer, Options, Progress, Target, Wait};
use crate::request::{ApiRequest, CallSettings};
use crate::session::ApiClient;

pub(super) struct RunContext {
    pub client: ApiClient,
    pub base_url: String,
    /// The request with its page size set; each page sets `PageNumber` on it (2.1).
    pub request: ApiRequest,
    pub settings: CallSettings,
    pub retries: u32,
    pub max_wait: Duration,
    /// When the run began.
    pub started: Instant,
    /// No request starts before this instant (a 429's wait, for the whole run).
    paused_until: Mutex<Option<Instant>>,
    retry_count: AtomicU32,
    /// Waits begun and not yet told to the observer.
    waits: Mutex<Vec<Wait>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl RunContext {
    pub fn new(
        target: Target<'_>,
        request: ApiRequest,
        options: Options,
        started: Instant,
    ) -> RunContext {
        RunContext {
            started,
            client: target.client.clone(),
            base_url: target.base_url.to_string(),
            request,
            settings: target.settings.clone(),
            retries: options.retries,
            max_wait: options.max_wait,
            paused_until: Mutex::new(None),
            retry_count: AtomicU32::new(0),
            waits: Mutex::new(Vec::new()),
        }
    }

    /// Retries so far, 429 waits included.
    pub fn retries(&self) -> u32 {
        self.retry_count.load(Ordering::Relaxed)
    }

    /// What is left of a 429 wait, if the run is waiting.
    pub fn waiting(&self) -> Option<Duration> {
        let until = (*lock(&self.paused_until))?;
        let left = until.saturating_duration_since(Instant::now());
        (!left.is_zero()).then_some(left)
    }

    /// The progress of a run that handed on `counts` and holds `early` pages (`early_records`
    /// records) waiting for their turn.
    pub fn progress(&self, counts: &Counts, early: u64, early_records: u64) -> Progress {
        Progress {
            pages_done: counts.pages + early,
            pages_total: counts.pages_total,
            records_done: counts.records + early_records,
            records_total: counts.records_total,
            elapsed: self.started.elapsed(),
            waiting: self.waiting(),
            retries: self.retries(),
        }
    }

    /// A retry (or a 429 wait) begins: counted, and kept to be told.
    pub(crate) fn note_wait(&self, wait: Wait) {
        self.retry_count.fetch_add(1, Ordering::Relaxed);
        lock(&self.waits).push(wait);
    }

    /// The waits begun since the last call.
    pub(crate) fn take_waits(&self) -> Vec<Wait> {
        std::mem::take(&mut *lock(&self.waits))
    }

    /// Holds every request of the run back for `wait` (a later end wins).
    pub fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut paused = lock(&self.paused_until);
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
    }

    /// Waits until no pause holds requests back.
    pub async fn gate(&self) {
        loop {
            let until = *lock(&self.paused_until);
            match until {
                Some(until) if until > Instant::now() => {
                    tokio::time::sleep_until(until.into()).await
                }
                _ => return,
            }
        }
    }
}

/// Tells the observer of the waits begun and of the progress when it changed.
#[derive(Default)]
pub(super) struct Teller {
    last: Option<Progress>,
}

impl Teller {
    pub fn tell(&mut self, ctx: &RunContext, observer: &mut impl Observer, now: Progress) {
        for wait in ctx.take_waits() {
            observer.wait(&wait);
        }
        if self.last.as_ref().is_none_or(|last| changed(last, &now)) {
            observer.progress(&now);
            self.last = Some(now);
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

/// Runs `work` to its end while telling the observer of waits and progress; `None` when the
/// run is cancelled first.
pub(super) async fn drive<T>(
    ctx: &RunContext,
    observer: &mut impl Observer,
    teller: &mut Teller,
    cancel: &CancellationToken,
    progress: impl Fn(&RunContext) -> Progress,
    work: impl Future<Output = T>,
) -> Option<T> {
    let mut work = std::pin::pin!(work);
    let mut tick = tokio::time::interval(INTERVAL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            biased;
            _ = cancel.cancelled() => return None,
            done = &mut work => return Some(done),
            _ = tick.tick() => teller.tell(ctx, observer, progress(ctx)),
        }
    }
}
