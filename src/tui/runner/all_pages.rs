//! Running "all pages": the engine in a task of its own, its progress, its question at the
//! page cap and its end reported as actions, the answer to the question passed back, and
//! Esc's stop through its cancellation token.

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::Runner;
use crate::tui::app::Action;
use crate::younium::all_pages::{CapReached, Observer, Options, Progress, Target, collect};
use crate::younium::{ApiRequest, ApiResponse, CallSettings};

/// The run in flight.
pub(super) struct AllPagesTask {
    pub cancel: CancellationToken,
    /// Answers to the run's question at its page cap.
    answers: mpsc::UnboundedSender<bool>,
    _task: JoinHandle<()>,
}

/// The run's observer: everything it hears goes to the app as an action.
struct ToApp {
    id: u64,
    tx: mpsc::UnboundedSender<Action>,
    answers: mpsc::UnboundedReceiver<bool>,
}

impl Observer for ToApp {
    fn progress(&mut self, progress: &Progress) {
        let _ = self.tx.send(Action::AllPagesProgress {
            id: self.id,
            progress: progress.clone(),
        });
    }

    async fn past_cap(&mut self, cap: &CapReached) -> bool {
        let asked = self.tx.send(Action::AllPagesCap {
            id: self.id,
            cap: cap.clone(),
        });
        asked.is_ok() && self.answers.recv().await.unwrap_or(false)
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
        self.stop_all_pages();
        let cancel = CancellationToken::new();
        let client = self.client.clone();
        let tx = self.tx.clone();
        let stop = cancel.clone();
        let (answers, answered) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
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
            let result = collect(target, options, first.as_deref(), &mut observer, stop)
                .await
                .map_err(|e| e.to_string());
            // The pages' buffers are freed: hand their memory back before the records are shown.
            crate::memory::release_free_memory();
            let _ = tx.send(Action::AllPagesDone { id, result });
        });
        self.all_pages = Some(AllPagesTask {
            cancel,
            answers,
            _task: task,
        });
    }

    /// Stops the run: the engine drops the pages in flight and reports the ones merged.
    pub(super) fn stop_all_pages(&mut self) {
        if let Some(run) = self.all_pages.take() {
            run.cancel.cancel();
        }
    }

    /// Passes the answer to the run's question at its page cap.
    pub(super) fn answer_all_pages(&mut self, go_on: bool) {
        if let Some(run) = &self.all_pages {
            let _ = run.answers.send(go_on);
        }
    }
}
