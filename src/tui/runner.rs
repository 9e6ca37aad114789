//! The event loop and the effects it carries out. The loop waits on terminal events,
//! background results, token state changes and (only while something counts down) a 1 s
//! tick; it stamps the time on each action, applies it with `App::update`, starts the effects,
//! and draws when something changed and no queued result is waiting.
//!
//! Starting an effect never waits: each one is a task (network, clipboard, files, formatting,
//! secret commands) that reports back with an [`Action`], so nothing here holds a frame.
//! Work that a newer job of its kind replaces (`jobs`) is stopped when replaced, and what it
//! still reports is dropped here, before the app sees it. The effects themselves are in
//! `effects`, `all_pages` and `history`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use jiff::Timestamp;
use tokio::sync::mpsc;

use super::app::{Action, App, Effect};
use super::{Term, view};
use crate::pretty::find::index_matches;
use crate::session::ApiClient;
use crate::simulator::Simulator;
use crate::tui::panes::response::run_filter;

mod all_pages;
mod effects;
mod history;
mod jobs;

use jobs::{Jobs, Kind, Report, Reporter, Stop};

/// Above this, the memory a replaced response used is handed back to the system.
const LARGE_BODY: usize = 1_000_000;

/// Terminals cap what OSC 52 may carry; beyond this the copy goes to the system clipboard only.
const OSC52_LIMIT: usize = 100_000;

/// Puts text on the system clipboard; `false` when there is none. May block (arboard can
/// wait on a clipboard manager), so it only ever runs in a blocking task.
pub type SystemClipboard = Arc<dyn Fn(String) -> bool + Send + Sync>;

/// The OS clipboard through arboard.
pub fn arboard_clipboard() -> SystemClipboard {
    Arc::new(|text| {
        arboard::Clipboard::new()
            .and_then(|mut c| c.set_text(text))
            .is_ok()
    })
}

/// Carries out effects and feeds results back as actions.
pub struct Runner {
    client: ApiClient,
    demo_ttl: Option<Duration>,
    clipboard: SystemClipboard,
    /// Whether OSC 52 may be written to stdout (not in tests).
    osc52: bool,
    tx: mpsc::UnboundedSender<Report>,
    rx: mpsc::UnboundedReceiver<Report>,
    /// The work that one newer job of its kind replaces (a send, the diagnosis, indexing,
    /// counting, jq, every page).
    jobs: Jobs,
    /// The demo's simulator, once started (kept here so it lives as long as the UI).
    simulator: Arc<Mutex<Option<Simulator>>>,
    /// Where answers are recorded (`None`: nowhere).
    history: Option<crate::history::History>,
    /// Whether the history's opening has been reported (it opens on first use).
    history_opened: bool,
    /// Where the all-pages run's answers at its page cap go, while one runs.
    all_pages: Option<all_pages::Answers>,
}

impl Runner {
    pub fn new(
        client: ApiClient,
        demo_ttl: Option<Duration>,
        clipboard: SystemClipboard,
        osc52: bool,
    ) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            client,
            demo_ttl,
            clipboard,
            osc52,
            tx,
            rx,
            jobs: Jobs::default(),
            simulator: Arc::default(),
            history: None,
            history_opened: false,
            all_pages: None,
        }
    }

    /// Records answers into `history` and answers its queries (`None`: records nothing).
    pub fn with_history(mut self, history: Option<crate::history::History>) -> Self {
        self.history = history;
        self
    }

    /// The next result a task reported, if one is queued (for tests); results of replaced
    /// jobs are dropped on the way.
    pub fn try_result(&mut self) -> Option<Action> {
        while let Ok(report) = self.rx.try_recv() {
            if self.jobs.is_current(report.from) {
                return Some(report.action);
            }
        }
        None
    }

    /// Waits for the next result a task reports (for tests), dropping those of replaced jobs.
    pub async fn next_result(&mut self) -> Option<Action> {
        loop {
            let report = self.rx.recv().await?;
            if self.jobs.is_current(report.from) {
                return Some(report.action);
            }
        }
    }

    /// A reporter for work that nothing replaces.
    fn reporter(&self) -> Reporter {
        Reporter::unstamped(self.tx.clone())
    }

    pub(super) async fn run(
        mut self,
        terminal: &mut Term,
        mut app: App,
        first: Vec<Effect>,
    ) -> anyhow::Result<()> {
        let size = terminal.size()?;
        app.size = (size.width, size.height);
        for effect in first {
            self.execute(effect);
        }
        let mut events = EventStream::new();
        let mut token_rx = self.client.tokens.subscribe();
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        terminal.draw(|f| view::draw(&mut app, f))?;
        let mut dirty = false;
        loop {
            let action = tokio::select! {
                biased;
                Some(report) = self.rx.recv() => match self.jobs.is_current(report.from) {
                    true => report.action,
                    // A replaced job's result: nothing on screen waits for it.
                    false => continue,
                },
                Ok(()) = token_rx.changed() => Action::Token(token_rx.borrow_and_update().clone()),
                event = events.next() => match event {
                    Some(Ok(Event::Key(key))) => Action::Key(key),
                    Some(Ok(Event::Mouse(mouse))) => Action::Mouse(mouse),
                    Some(Ok(Event::Paste(text))) => Action::Paste(text),
                    Some(Ok(Event::Resize(w, h))) => Action::Resize(w, h),
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Err(anyhow::anyhow!("reading the terminal failed: {e}")),
                    None => return Ok(()),
                },
                _ = tick.tick(), if app.needs_tick() => Action::Tick(Timestamp::now()),
            };
            // The loop is the clock: every action sees the time it happened at.
            app.now = Timestamp::now();
            let (redraw, effects) = app.update(action);
            dirty |= redraw;
            for effect in effects {
                self.execute(effect);
            }
            if app.quit {
                break;
            }
            if dirty && self.rx.is_empty() {
                terminal.draw(|f| view::draw(&mut app, f))?;
                dirty = false;
            }
        }
        self.shutdown().await;
        Ok(())
    }

    async fn shutdown(&mut self) {
        self.jobs.stop_all();
        let simulator = self.simulator.lock().ok().and_then(|mut s| s.take());
        if let Some(sim) = simulator {
            sim.shutdown().await;
        }
    }

    /// Starts an effect. Never waits: whatever takes time runs as a task.
    pub fn execute(&mut self, effect: Effect) {
        match effect {
            Effect::Connect(connection) => self.client.tokens.set_connection(connection),
            Effect::Configure { http, manager } => self.configure(http, manager),
            Effect::Renew => self.client.tokens.renew_now(),
            Effect::History(job) => self.history_job(job),
            Effect::AllPages {
                id,
                base_url,
                request,
                settings,
                first,
                options,
            } => self.start_all_pages(id, base_url, *request, settings, first, options),
            Effect::StopAllPages => self.stop_all_pages(),
            Effect::AllPagesPastCap(go_on) => self.answer_all_pages(go_on),
            Effect::Send {
                id,
                base_url,
                request,
                settings,
            } => self.send(id, base_url, Box::new(request), settings),
            Effect::Cancel => self.jobs.stop(Kind::Send),
            Effect::Index {
                id,
                body,
                json,
                content_type,
                check,
            } => self.index(id, body, json, content_type, check),
            Effect::CountMatches {
                id,
                doc,
                matcher,
                cancel,
            } => self.blocking_job(Kind::Count, cancel.clone(), move || {
                let index = index_matches(doc.as_ref(), &matcher, &cancel).map(Arc::new);
                Action::FindCount { id, index }
            }),
            Effect::RunJq {
                id,
                filter,
                body,
                cancel,
            } => self.blocking_job(Kind::Jq, cancel.clone(), move || {
                let result = run_filter(&filter, &body, &cancel);
                if body.len() > LARGE_BODY {
                    crate::memory::release_free_memory();
                }
                Action::JqDone { id, result }
            }),
            Effect::StartDemo => self.start_demo(),
            Effect::Diagnose {
                id,
                environment,
                request,
                settings,
                known,
                fallback,
            } => self.diagnose(
                id,
                environment,
                Box::new(request),
                settings,
                known,
                fallback,
            ),
            Effect::CancelDiagnosis => self.jobs.stop(Kind::Diagnose),
            Effect::Discover {
                environment,
                legal_entity,
                fallback,
            } => self.discover(environment, legal_entity, fallback),
            other => self.file_effect(other),
        }
    }

    /// Runs `work` on the blocking pool and reports its action.
    fn blocking(&self, work: impl FnOnce() -> Action + Send + 'static) {
        let reporter = self.reporter();
        tokio::task::spawn_blocking(move || {
            reporter.send(work());
        });
    }

    /// Runs `work` on the blocking pool as the job of `kind` (stopped through `cancel` when a
    /// newer one replaces it) and reports its action.
    fn blocking_job(
        &mut self,
        kind: Kind,
        cancel: Arc<std::sync::atomic::AtomicBool>,
        work: impl FnOnce() -> Action + Send + 'static,
    ) {
        let reporter = self.jobs.replace(kind, &self.tx);
        self.jobs.running(kind, Stop::Flag(cancel));
        tokio::task::spawn_blocking(move || {
            reporter.send(work());
        });
    }

    /// Runs `work` as a task, the job of `kind`: a newer one aborts it.
    fn task_job<F>(&mut self, kind: Kind, work: impl FnOnce(Reporter) -> F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let reporter = self.jobs.replace(kind, &self.tx);
        let task = tokio::spawn(work(reporter));
        self.jobs.running(kind, Stop::Abort(task.abort_handle()));
    }
}
