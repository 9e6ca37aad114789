//! Running "all pages": the engine in a task of its own, its progress and its end reported
//! as actions, and Esc's stop through its cancellation token.

use tokio_util::sync::CancellationToken;

use super::Runner;
use crate::tui::app::Action;
use crate::younium::all_pages::{Options, fetch_all};
use crate::younium::{ApiRequest, ApiResponse, CallSettings};

impl Runner {
    pub(super) fn start_all_pages(
        &mut self,
        id: u64,
        base_url: String,
        request: ApiRequest,
        settings: CallSettings,
        first: ApiResponse,
        options: Options,
    ) {
        self.stop_all_pages();
        let cancel = CancellationToken::new();
        let client = self.client.clone();
        let tx = self.tx.clone();
        let stop = cancel.clone();
        let task = tokio::spawn(async move {
            let progress_tx = tx.clone();
            let report = move |progress: &crate::younium::all_pages::Progress| {
                let _ = progress_tx.send(Action::AllPagesProgress {
                    id,
                    progress: progress.clone(),
                });
            };
            let result = fetch_all(
                &client,
                &base_url,
                &request,
                &settings,
                options,
                Some(&first),
                report,
                stop,
            )
            .await
            .map_err(|e| e.to_string());
            // The pages' buffers are freed: hand their memory back before the records are shown.
            crate::memory::release_free_memory();
            let _ = tx.send(Action::AllPagesDone { id, result });
        });
        self.all_pages = Some((cancel, task));
    }

    /// Stops the run: the engine drops the pages in flight and reports the ones merged.
    pub(super) fn stop_all_pages(&mut self) {
        if let Some((cancel, _task)) = self.all_pages.take() {
            cancel.cancel();
        }
    }
}
