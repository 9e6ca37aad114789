//! Running "all pages": the engine in a task of its own (the job of its kind: a newer run or
//! `Esc` stops it through its cancellation token, so it keeps the pages it has), its progress,
//! its question at the page cap and its end reported as actions, and the answer to the
//! question passed back.

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::Runner;
use super::jobs::{Kind, Reporter, Stop};
use crate::tui::app::Action;
use crate::younium::all_pages::{CapReached, Observer, Options, Progress, Target, collect};
use crate::younium::{ApiRequest, ApiResponse, CallSettings};

/// Where the answers to the run's question at its page cap go (while it runs).
pub(super) type Answers = mpsc::UnboundedSender<bool>;

/// The run's observer: everything it hears goes to the app as an action.
struct ToApp {
    id: u64,
    tx: Reporter,
    answers: mpsc::UnboundedReceiver<bool>,
}

impl Observer for ToApp {
    fn progress(&mut self, progress: &Progress) {
        self.tx.send(Action::AllPagesProgress {
            id: self.id,
            progress: progress.clone(),
        });
    }

    async fn past_cap(&mut self, cap: &CapReached) -> bool {
        let asked = self.tx.send(Action::AllPagesCap {
            id: self.id,
            cap: cap.clone(),
        });
        asked && self.answers.recv().await.unwrap_or(false)
    }
}

impl Runner {
    pub(super) fn start_all_pages(
        &mut self,
        id: u64,
        base_url: String,
        request: ApiRequest,
        settings: CallSettings,
        first: Option<Box<ApiResponse>>,
        options: Options,
    ) {
        let tx = self.jobs.replace(Kind::AllPages, &self.tx);
        let cancel = CancellationToken::new();
        self.jobs
            .running(Kind::AllPages, Stop::Cancel(cancel.clone()));
        let client = self.client.clone();
        let (answers, answered) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut observer = ToApp {
                id,
                tx: tx.clone(),
                answers: answered,
            };
            let target = Target {
                client: &client,
                base_url: &base_url,
                request: &request,
                settings: &settings,
            };
            let result = collect(target, options, first.as_deref(), &mut observer, cancel)
                .await
                .map_err(|e| e.to_string());
            // The pages' buffers are freed: hand their memory back before the records are shown.
            crate::memory::release_free_memory();
            tx.send(Action::AllPagesDone { id, result });
        });
        self.all_pages = Some(answers);
    }

    /// Stops the run: the engine drops the pages in flight and reports the ones merged (which
    /// are heard: a cancel, not a replacement).
    pub(super) fn stop_all_pages(&mut self) {
        self.all_pages = None;
        self.jobs.cancel(Kind::AllPages);
    }

    /// Passes the answer to the run's question at its page cap.
    pub(super) fn answer_all_pages(&mut self, go_on: bool) {
        if let Some(answers) = &self.all_pages {
            let _ = answers.send(go_on);
        }
    }
}
