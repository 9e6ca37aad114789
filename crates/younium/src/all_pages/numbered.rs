//! An api-version 2.1 list, its pages numbered: the starting page first (the one given, or
//! fetched), then the rest with several requests in flight as the [`Schedule`] allows, each
//! handed to the sink as its turn comes. An api-version 2.0 answer (a bare array) is every
//! record already.

use std::sync::Arc;

use tokio::task::{AbortHandle, JoinSet};

use super::context::{RunContext, Teller, drive};
use super::page::{self, Chunk, PageFailure};
use super::schedule::Schedule;
use super::{
    AllPagesError, CapReached, Counts, DEFAULT_PAGE_SIZE, Finish, Observer, Outcome, Progress, Run,
    Sink, SinkStop, number_param, with_page_size,
};
use crate::paging::{PageInfo, with_page};
use crate::request::{ApiResponse, ApiVersion};

pub(super) async fn fetch<S: Sink, O: Observer>(
    mut run: Run<'_, S, O>,
    first: Option<&ApiResponse>,
) -> Result<Outcome, AllPagesError> {
    let target = run.target;
    let first_info = first.and_then(|f| PageInfo::probe(&f.body));
    let page_size = number_param(target.request, "PageSize")
        .or_else(|| first_info.as_ref()?.page_size)
        .unwrap_or(DEFAULT_PAGE_SIZE);
    let paged = target.settings.api_version == ApiVersion::V2_1;
    let base = if paged {
        with_page_size(target.request, page_size)
    } else {
        target.request.clone()
    };
    let ctx = Arc::new(RunContext::new(target, base, run.options, run.started));
    // The page the run starts from: the one given (by its own word, else the request's), or 1.
    let start_page = first_info
        .map(|i| i.page_number)
        .or_else(|| number_param(target.request, "PageNumber"))
        .unwrap_or(1)
        .max(1);
    let request = match paged {
        true => with_page(&ctx.request, start_page),
        false => ctx.request.clone(),
    };
    let mut teller = Teller::default();
    let nothing = |ctx: &RunContext| ctx.progress(&Counts::default(), 0, 0);
    let fetched = drive(
        &ctx,
        run.observer,
        &mut teller,
        &run.cancel,
        nothing,
        page::fetch(&ctx, &request, start_page, first),
    )
    .await;
    let start = match fetched {
        None => return Ok(run.outcome(Counts::default(), Finish::Stopped)),
        Some(Ok(chunk)) => chunk,
        Some(Err(failure)) => {
            let (page, message) = failure.into_error()?;
            teller.tell(&ctx, run.observer, nothing(&ctx));
            return Ok(run.outcome(Counts::default(), Finish::Failed { page, message }));
        }
    };
    let Some(info) = start.info.clone().filter(|_| paged) else {
        return Ok(bare_array(&mut run, &ctx, &mut teller, start));
    };
    let mut numbered = Numbered {
        sched: Schedule::new(run.options.effective_concurrency(), run.options.max_pages),
        run,
        ctx,
        counts: Counts::default(),
        tasks: JoinSet::new(),
        aborts: Vec::new(),
        failure: None,
        teller,
    };
    numbered.note_page(start_page, &info);
    if start_page == 1 {
        numbered.counts.head = Some(start.head.clone());
    }
    Ok(numbered.go(start_page, start).await)
}

/// A bare array: every record, page 1 of 1.
fn bare_array<S: Sink, O: Observer>(
    run: &mut Run<'_, S, O>,
    ctx: &RunContext,
    teller: &mut Teller,
    start: Chunk,
) -> Outcome {
    let mut counts = Counts {
        pages_total: Some(1),
        records_total: Some(start.count),
        head: Some(start.head.clone()),
        ..Counts::default()
    };
    let finish = match run.sink.page(1, &start.bytes, start.count) {
        Ok(()) => {
            counts.handed(1, start.count);
            Finish::Complete
        }
        Err(stop) => Finish::Sink(stop),
    };
    let mut last = ctx.progress(&counts, 0, 0);
    last.elapsed = run.started.elapsed();
    teller.tell(ctx, run.observer, last);
    run.outcome(counts, finish)
}

type Joined = (u64, Result<Chunk, PageFailure>);

/// A numbered run after its starting page.
struct Numbered<'r, S, O> {
    run: Run<'r, S, O>,
    ctx: Arc<RunContext>,
    sched: Schedule<Chunk>,
    counts: Counts,
    tasks: JoinSet<Joined>,
    aborts: Vec<(u64, AbortHandle)>,
    /// The first page that failed for good, and why.
    failure: Option<(u64, String)>,
    teller: Teller,
}

impl<S: Sink, O: Observer> Numbered<'_, S, O> {
    async fn go(mut self, start_page: u64, start: Chunk) -> Outcome {
        // A list known to be longer than the cap is asked about before anything is handed on.
        if let Some(last) = self.sched.last().filter(|last| *last > self.sched.cap()) {
            match self.ask_cap().await {
                Some(true) => self.sched.raise_cap(last),
                Some(false) => {
                    let cap = self.sched.cap();
                    return self.end(Some(Finish::Capped { cap }));
                }
                None => return self.end(Some(Finish::Stopped)),
            }
        }
        self.sched.had(start_page, start);
        let mut tick = tokio::time::interval(super::progress::INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let end = loop {
            if let Err(stop) = self.hand_on() {
                break Some(Finish::Sink(stop));
            }
            if self.failure.is_none() && self.sched.at_cap() {
                match self.ask_cap().await {
                    Some(true) => {
                        let more = self.run.options.max_pages.max(1);
                        self.sched.raise_cap(self.sched.cap().saturating_add(more));
                    }
                    Some(false) => {
                        break Some(Finish::Capped {
                            cap: self.sched.cap(),
                        });
                    }
                    None => break Some(Finish::Stopped),
                }
            }
            if self.failure.is_none() {
                self.start_pages();
            }
            if self.tasks.is_empty() {
                break None;
            }
            tokio::select! {
                biased;
                _ = self.run.cancel.cancelled() => break Some(Finish::Stopped),
                joined = self.tasks.join_next() => self.joined(joined),
                _ = tick.tick() => self.tell(),
            }
        };
        self.end(end)
    }

    /// Hands the pages now in turn to the sink.
    fn hand_on(&mut self) -> Result<(), SinkStop> {
        while let Some((page, chunk)) = self.sched.pop() {
            self.run.sink.page(page, &chunk.bytes, chunk.count)?;
            self.counts.handed(page, chunk.count);
        }
        Ok(())
    }

    /// Asks the observer whether to go past the cap; `None` when the run is cancelled first.
    async fn ask_cap(&mut self) -> Option<bool> {
        self.tell();
        let question = CapReached {
            pages: self.counts.pages,
            pages_total: self.counts.pages_total,
            cap: self.sched.cap(),
        };
        self.run.ask_past_cap(&question).await
    }

    fn start_pages(&mut self) {
        while let Some(page) = self.sched.start() {
            let ctx = self.ctx.clone();
            let handle = self.tasks.spawn(async move {
                let request = with_page(&ctx.request, page);
                (page, page::fetch(&ctx, &request, page, None).await)
            });
            self.aborts.push((page, handle));
        }
    }

    fn joined(&mut self, joined: Option<Result<Joined, tokio::task::JoinError>>) {
        let Some(Ok((page, result))) = joined else {
            return; // aborted
        };
        self.aborts.retain(|(p, _)| *p != page);
        match result {
            Ok(chunk) => {
                if let Some(info) = &chunk.info {
                    self.note_page(page, info);
                }
                if page == 1 {
                    self.counts.head = Some(chunk.head.clone());
                }
                self.sched.arrived(page, chunk);
            }
            Err(failure) => {
                self.sched.gave_up(page);
                if self.failure.as_ref().is_none_or(|(p, _)| page < *p) {
                    // Pages after the failed one are of no use now.
                    for (p, handle) in &self.aborts {
                        if *p > page {
                            handle.abort();
                        }
                    }
                    self.failure = Some((page, failure.message));
                }
            }
        }
    }

    /// A page's envelope may say how long the list is, or that it ends here.
    fn note_page(&mut self, page: u64, info: &PageInfo) {
        if self.counts.pages_total.is_none() {
            if let Some(total) = info.total_pages {
                self.counts.pages_total = Some(total);
                self.sched.learn_last(total);
            } else if !info.has_next {
                self.sched.learn_last(page);
            }
        } else if !info.has_next {
            self.sched.learn_last(page);
        }
        if self.counts.records_total.is_none() {
            self.counts.records_total = info.total_count;
        }
    }

    fn progress(&self) -> Progress {
        let waiting = self.sched.waiting().map(|c| c.count).sum();
        let early = self.sched.waiting().count() as u64;
        self.ctx.progress(&self.counts, early, waiting)
    }

    fn tell(&mut self) {
        let now = self.progress();
        self.teller.tell(&self.ctx, self.run.observer, now);
    }

    fn end(mut self, end: Option<Finish>) -> Outcome {
        self.tasks.abort_all();
        let finish = end.unwrap_or_else(|| match self.failure.take() {
            Some((page, message)) => Finish::Failed { page, message },
            // Cannot happen with a server that keeps its totals; said rather than hidden.
            None if !self.sched.is_complete() => Finish::Failed {
                page: self.counts.pages + 1,
                message: "the page was never answered".into(),
            },
            None => Finish::Complete,
        });
        let mut last = self.progress();
        last.waiting = None;
        self.teller.tell(&self.ctx, self.run.observer, last);
        let counts = std::mem::take(&mut self.counts);
        self.run.outcome(counts, finish)
    }
}
