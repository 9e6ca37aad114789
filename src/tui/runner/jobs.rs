//! Background work of a kind with at most one job in flight (gitui's `AsyncSingleJob` is the
//! model): starting a job of a kind stops the one running (a task is aborted, blocking work is
//! told to stop through its token), and whatever a replaced or stopped job still reports is
//! dropped before it reaches the app, so no pane needs its own stale-result check for it.
//!
//! Every result travels as a [`Report`] stamped with the job it came from; the event loop asks
//! [`Jobs::is_current`] before handing its action on.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;
use tokio_util::sync::CancellationToken;

use crate::tui::app::Action;

/// The kinds of work that replace one another.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// The request on screen (`Send`, `Cancel`).
    Send,
    /// The 401/403 diagnosis.
    Diagnose,
    /// Indexing (and checking) the body on screen.
    Index,
    /// Counting the matches of the search.
    Count,
    /// The jq filter.
    Jq,
    /// Every page of a list.
    AllPages,
}

const KINDS: usize = 6;

impl Kind {
    fn slot(self) -> usize {
        self as usize
    }
}

/// How a running job is stopped.
pub(super) enum Stop {
    /// A task: aborted where it waits.
    Abort(AbortHandle),
    /// Work that checks a token (a run that keeps what it has).
    Cancel(CancellationToken),
    /// Blocking work that checks a flag as it goes (counting matches, jq).
    Flag(Arc<AtomicBool>),
}

impl Stop {
    fn stop(self) {
        match self {
            Stop::Abort(handle) => handle.abort(),
            Stop::Cancel(token) => token.cancel(),
            Stop::Flag(flag) => flag.store(true, Ordering::Relaxed),
        }
    }
}

/// Which job a report came from: its kind and generation.
pub(crate) type Stamp = (Kind, u64);

/// A result on its way to the event loop.
pub(crate) struct Report {
    /// `None` for work that nothing replaces (saving a file, a history query).
    pub(super) from: Option<Stamp>,
    pub(super) action: Action,
}

/// Sends a job's results, each stamped with the job.
#[derive(Clone)]
pub(crate) struct Reporter {
    tx: UnboundedSender<Report>,
    from: Option<Stamp>,
}

impl Reporter {
    /// A reporter of work that nothing replaces.
    pub(super) fn unstamped(tx: UnboundedSender<Report>) -> Reporter {
        Reporter { tx, from: None }
    }

    /// Sends `action`; false once the loop has gone.
    pub(crate) fn send(&self, action: Action) -> bool {
        self.tx
            .send(Report {
                from: self.from,
                action,
            })
            .is_ok()
    }
}

/// The job of each kind that is current, and how to stop it.
#[derive(Default)]
pub(super) struct Jobs {
    generation: [u64; KINDS],
    running: [Option<Stop>; KINDS],
}

impl Jobs {
    /// Starts a job of `kind`: the one running is stopped and what it still reports dropped.
    /// Returns the new job's reporter; hand [`Jobs::running`] how to stop it.
    pub(super) fn replace(&mut self, kind: Kind, tx: &UnboundedSender<Report>) -> Reporter {
        self.stop(kind);
        Reporter {
            tx: tx.clone(),
            from: Some((kind, self.generation[kind.slot()])),
        }
    }

    /// How the current job of `kind` is stopped.
    pub(super) fn running(&mut self, kind: Kind, stop: Stop) {
        self.running[kind.slot()] = Some(stop);
    }

    /// Stops the job of `kind`, if one runs; whatever it reports from now on is dropped.
    pub(super) fn stop(&mut self, kind: Kind) {
        self.generation[kind.slot()] += 1;
        if let Some(stop) = self.running[kind.slot()].take() {
            stop.stop();
        }
    }

    /// Tells the job of `kind` to stop but goes on hearing it: a run that keeps what it has
    /// reports that as it ends (every page: `Esc` keeps the pages that arrived).
    pub(super) fn cancel(&mut self, kind: Kind) {
        if let Some(stop) = self.running[kind.slot()].take() {
            stop.stop();
        }
    }

    /// Stops every job (the loop is ending).
    pub(super) fn stop_all(&mut self) {
        for slot in &mut self.running {
            if let Some(stop) = slot.take() {
                stop.stop();
            }
        }
    }

    /// Whether a report stamped `from` is from the current job of its kind (an unstamped one
    /// always is).
    pub(super) fn is_current(&self, from: Option<Stamp>) -> bool {
        from.is_none_or(|(kind, generation)| self.generation[kind.slot()] == generation)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tokio::sync::mpsc;

    use super::*;

    #[derive(Clone, Debug)]
    enum Step {
        Start(usize),
        Stop(usize),
        /// The n-th job started so far (of any kind) reports.
        Report(usize),
    }

    fn kind(i: usize) -> Kind {
        [Kind::Send, Kind::Diagnose, Kind::Jq][i % 3]
    }

    proptest! {
        /// A report reaches the app exactly when its job is the last one started of its kind
        /// and has not been stopped since: the model is a "current job" per kind.
        #[test]
        fn only_the_current_job_of_a_kind_is_heard(
            steps in prop::collection::vec(
                prop_oneof![
                    (0..3usize).prop_map(Step::Start),
                    (0..3usize).prop_map(Step::Stop),
                    (0..20usize).prop_map(Step::Report),
                ],
                1..60,
            )
        ) {
            let (tx, _rx) = mpsc::unbounded_channel();
            let mut jobs = Jobs::default();
            let mut started: Vec<(Kind, Reporter)> = Vec::new();
            let mut current: [Option<usize>; 3] = [None; 3];
            for step in steps {
                match step {
                    Step::Start(k) => {
                        let reporter = jobs.replace(kind(k), &tx);
                        current[k] = Some(started.len());
                        started.push((kind(k), reporter));
                    }
                    Step::Stop(k) => {
                        jobs.stop(kind(k));
                        current[k] = None;
                    }
                    Step::Report(n) if n < started.len() => {
                        let (job_kind, reporter) = &started[n];
                        let k = [Kind::Send, Kind::Diagnose, Kind::Jq]
                            .iter()
                            .position(|x| x == job_kind)
                            .unwrap();
                        prop_assert_eq!(jobs.is_current(reporter.from), current[k] == Some(n));
                    }
                    Step::Report(_) => {}
                }
            }
            prop_assert!(jobs.is_current(None));
        }
    }

    #[tokio::test]
    async fn a_replaced_task_is_aborted() {
        let (tx, _rx) = mpsc::unbounded_channel();
        let mut jobs = Jobs::default();
        jobs.replace(Kind::Send, &tx);
        let task = tokio::spawn(std::future::pending::<()>());
        jobs.running(Kind::Send, Stop::Abort(task.abort_handle()));
        jobs.replace(Kind::Send, &tx);
        assert!(task.await.unwrap_err().is_cancelled());
        // A cancel stops the run but still hears what it reports as it ends.
        let reporter = jobs.replace(Kind::AllPages, &tx);
        let token = CancellationToken::new();
        jobs.running(Kind::AllPages, Stop::Cancel(token.clone()));
        jobs.cancel(Kind::AllPages);
        assert!(token.is_cancelled());
        assert!(jobs.is_current(reporter.from));
        let token = CancellationToken::new();
        jobs.running(Kind::Jq, Stop::Cancel(token.clone()));
        jobs.stop_all();
        assert!(token.is_cancelled());
    }
}
