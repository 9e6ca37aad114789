//! The v3 data-export API (`/v3/…`): an envelope of `items` and `nextPage`, no `nextPage`
//! meaning done. Pages form a chain, so they are fetched one after another.
//!
//! The next page's request comes from `younium::paging` ([`PageInfo::next_request`]), the one
//! place a `nextPage` link is read and held to the origin: a link elsewhere ends the run with
//! that page named, nothing sent.

use std::sync::Arc;
use std::time::Instant;

use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::merge::Merger;
use super::page::{self, RunContext};
use super::{AllPagesError, Finish, Merged, Options, Progress, stopped_before_start};
use crate::session::ApiClient;
use crate::younium::paging::PageInfo;
use crate::younium::request::{ApiRequest, ApiResponse, CallSettings};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    total_count: Option<u64>,
}

/// The request for the page after `body` (its `nextPage`, followed only within the origin of
/// `base_url`); `Ok(None)` on the last page.
fn next_of(
    current: &ApiRequest,
    body: &[u8],
    base_url: &str,
) -> Result<Option<ApiRequest>, String> {
    match PageInfo::probe(body).and_then(|info| info.next_request(current, base_url)) {
        None => Ok(None),
        Some(Ok(next)) => Ok(Some(next)),
        Some(Err(refused)) => Err(format!("its nextPage link was not followed: {refused}")),
    }
}

/// Follows `nextPage` from `request` (or from `first`, the answer on screen) to the end.
#[allow(clippy::too_many_arguments)]
pub(super) async fn fetch_sequential(
    client: &ApiClient,
    base_url: &str,
    request: &ApiRequest,
    settings: &CallSettings,
    options: Options,
    first: Option<&ApiResponse>,
    mut progress: impl FnMut(&Progress) + Send,
    cancel: CancellationToken,
    started: Instant,
) -> Result<Merged, AllPagesError> {
    let ctx = Arc::new(RunContext::new(
        client.clone(),
        base_url,
        request.clone(),
        settings.clone(),
        options,
    ));
    let mut merger = Merger::new(None, first.map_or(0, |f| f.body.len()));
    let mut records_total = None;
    let mut current = request.clone();
    let mut next_body: Option<bytes::Bytes> = None;
    let mut finish = Finish::Complete;
    let mut page = 1u64;
    if let Some(first) = first {
        let chunk = page::read_answer(first, 1).map_err(|f| f.into_error())?;
        merger.offer(1, chunk);
        next_body = Some(first.body.clone());
        page = 2;
    }
    loop {
        if let Some(body) = next_body.take() {
            records_total = records_total.or_else(|| {
                serde_json::from_slice::<Envelope>(&body)
                    .ok()
                    .and_then(|e| e.total_count)
            });
            match next_of(&current, &body, base_url) {
                Ok(Some(next)) => current = next,
                Ok(None) => break,
                Err(message) => {
                    finish = Finish::Failed { page, message };
                    break;
                }
            }
        }
        let fetched = tokio::select! {
            biased;
            _ = cancel.cancelled() => None,
            result = fetch_raw(&ctx, &current, page) => Some(result),
        };
        match fetched {
            None if page == 1 => return Ok(stopped_before_start(started)),
            None => {
                finish = Finish::Stopped;
                break;
            }
            Some(Err(failure)) if page == 1 => return Err(failure.into_error()),
            Some(Err(failure)) => {
                finish = Finish::Failed {
                    page,
                    message: failure.message,
                };
                break;
            }
            Some(Ok((chunk, body))) => {
                merger.offer(page, chunk);
                next_body = Some(body);
            }
        }
        progress(&Progress {
            pages_done: merger.pages(),
            pages_total: None,
            records_done: merger.records_arrived(),
            records_total,
            elapsed: started.elapsed(),
            waiting: ctx.waiting(),
            retries: ctx.retries(),
        });
        page += 1;
    }
    let (records, record_count, pages) = merger.finish();
    Ok(Merged {
        records,
        record_count,
        pages,
        pages_total: (finish == Finish::Complete).then_some(pages),
        finish,
        elapsed: started.elapsed(),
    })
}

/// One v3 page with the run's retry rules; the body is kept for its `nextPage`.
async fn fetch_raw(
    ctx: &RunContext,
    req: &ApiRequest,
    page: u64,
) -> Result<(page::Chunk, bytes::Bytes), page::PageFailure> {
    // The body is needed for `nextPage`: fetch through the shared retry path, then read it.
    let response = page::send_for_body(ctx, req, page).await?;
    let chunk = page::read_answer(&response, page)?;
    Ok((chunk, response.body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::younium::{Method, Param};

    #[test]
    fn next_page_links_stay_on_the_origin() {
        let base = "https://api.younium.com";
        let req = ApiRequest::new(Method::Get, "/v3/Invoices");
        let page = br#"{"items":[{"id":1}],"nextPage":"/v3/Invoices?pageSize=100&cursor=abc"}"#;
        let next = next_of(&req, page, base).unwrap().unwrap();
        assert_eq!(next.path, "/v3/Invoices");
        assert!(
            next.query.contains(&Param::new("cursor", "abc")),
            "{:?}",
            next.query
        );
        let absolute = br#"{"items":[],"nextPage":"https://api.younium.com/v3/Invoices?cursor=d"}"#;
        assert!(next_of(&req, absolute, base).unwrap().is_some());
        let elsewhere = br#"{"items":[],"nextPage":"https://evil.example/v3/Invoices?cursor=d"}"#;
        let refused = next_of(&req, elsewhere, base).unwrap_err();
        assert!(refused.contains("not followed"), "{refused}");
        assert_eq!(
            next_of(&req, br#"{"items":[],"nextPage":null}"#, base),
            Ok(None)
        );
        assert_eq!(next_of(&req, br#"{"items":[]}"#, base), Ok(None));
    }
}
