//! The v3 data-export API (`/v3/…`): an envelope of `items` and `nextPage`, no `nextPage`
//! meaning done. Pages form a chain, so they are fetched one after another.
//!
//! This is the seam the v3 paging work joins: [`next_request`] turns a page's `nextPage` into
//! the request for the next page. Younium documents the envelope but not the form of
//! `nextPage` (a URL, a path or a cursor: see api-notes.md §4), so it accepts a URL or a path
//! with a query (its query replaces the request's) and treats anything else as a cursor sent
//! back as `nextPage=…`. Replace it with `younium::paging`'s v3 reader when that lands.

use std::sync::Arc;
use std::time::Instant;

use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use super::merge::Merger;
use super::page::{self, RunContext};
use super::{AllPagesError, Finish, Merged, Options, Progress, stopped_before_start};
use crate::session::ApiClient;
use crate::younium::request::{ApiRequest, ApiResponse, CallSettings, Param};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    next_page: Option<serde_json::Value>,
    total_count: Option<u64>,
}

/// The request for the page after `body`, or `None` when `body` is the last page.
pub fn next_request(current: &ApiRequest, body: &[u8]) -> Option<ApiRequest> {
    let envelope: Envelope = serde_json::from_slice(body).ok()?;
    let next = match envelope.next_page? {
        serde_json::Value::String(s) if !s.trim().is_empty() => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let mut req = current.clone();
    let query = match next.split_once('?') {
        Some((_, query)) if next.contains('/') || next.starts_with('?') => query,
        _ => {
            req.query
                .retain(|p| !p.name.eq_ignore_ascii_case("nextPage"));
            req.query.push(Param::new("nextPage", next));
            return Some(req);
        }
    };
    req.query = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| Param::new(k.into_owned(), v.into_owned()))
        .collect();
    Some(req)
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
            match next_request(&current, &body) {
                Some(next) => current = next,
                None => break,
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
    use crate::younium::Method;

    #[test]
    fn next_page_links_and_cursors() {
        let req = ApiRequest::new(Method::Get, "/v3/Invoices");
        let next = next_request(
            &req,
            br#"{"items":[],"nextPage":"https://api.younium.com/v3/Invoices?pageSize=100&page=2"}"#,
        )
        .unwrap();
        assert_eq!(next.path, "/v3/Invoices");
        assert_eq!(next.query[1], Param::new("page", "2"));
        let cursor = next_request(&req, br#"{"items":[],"nextPage":"abc"}"#).unwrap();
        assert_eq!(cursor.query[0], Param::new("nextPage", "abc"));
        assert!(next_request(&req, br#"{"items":[],"nextPage":null}"#).is_none());
        assert!(next_request(&req, br#"{"items":[]}"#).is_none());
    }
}
