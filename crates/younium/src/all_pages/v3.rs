//! The v3 data-export API (`/v3/…`): an envelope of `items` and `nextPage`, no `nextPage`
//! meaning done. Pages form a chain, so they are fetched one after another, each handed to
//! the sink as it comes; the run asks before it goes past the page cap (a cursor that never
//! ends would otherwise run for ever).
//!
//! The next page's request comes from `younium::paging` (`PageInfo::next_request`), the one
//! place a `nextPage` link is read and held to the origin: a link elsewhere ends the run with
//! that page named, nothing sent. The run starts from the request it is given: page 1 of the
//! chain is the request's answer (`first`, when the caller has it).

use super::context::{RunContext, Teller, drive};
use super::page;
use super::{AllPagesError, CapReached, Counts, Finish, Observer, Outcome, Run, Sink};
use crate::paging::PageInfo;
use crate::request::{ApiRequest, ApiResponse};

/// The request for the page after the one `info` describes (its `nextPage`, followed only
/// within the origin of `base_url`); `Ok(None)` on the last page.
fn next_of(
    current: &ApiRequest,
    info: Option<&PageInfo>,
    base_url: &str,
) -> Result<Option<ApiRequest>, String> {
    match info.and_then(|info| info.next_request(current, base_url)) {
        None => Ok(None),
        Some(Ok(next)) => Ok(Some(next)),
        Some(Err(refused)) => Err(format!("its nextPage link was not followed: {refused}")),
    }
}

/// Follows `nextPage` from the request (whose answer `first` is, when given) to the end.
pub(super) async fn fetch_sequential<S: Sink, O: Observer>(
    mut run: Run<'_, S, O>,
    first: Option<&ApiResponse>,
) -> Result<Outcome, AllPagesError> {
    let target = run.target;
    let ctx = RunContext::new(target, target.request.clone(), run.options, run.started);
    let mut counts = Counts::default();
    let mut teller = Teller::default();
    let mut cap = run.options.max_pages.max(1);
    let mut current = target.request.clone();
    let mut given = first;
    let mut page = 1u64;
    let finish = loop {
        let fetched = drive(
            &ctx,
            run.observer,
            &mut teller,
            &run.cancel,
            |ctx| ctx.progress(&counts, 0, 0),
            page::fetch(&ctx, &current, page, given.take()),
        )
        .await;
        let chunk = match fetched {
            None => break Finish::Stopped,
            Some(Ok(chunk)) => chunk,
            Some(Err(failure)) => {
                let (page, message) = match page {
                    1 => failure.into_error()?,
                    _ => (page, failure.message),
                };
                break Finish::Failed { page, message };
            }
        };
        if page == 1 {
            counts.head = Some(chunk.head.clone());
        }
        let info = chunk.info.as_ref();
        counts.records_total = counts.records_total.or(info.and_then(|i| i.total_count));
        if let Err(stop) = run.sink.page(page, &chunk.bytes, chunk.count) {
            break Finish::Sink(stop);
        }
        counts.handed(page, chunk.count);
        teller.tell(&ctx, run.observer, ctx.progress(&counts, 0, 0));
        match next_of(&current, info, target.base_url) {
            Ok(Some(next)) => current = next,
            Ok(None) => break Finish::Complete,
            Err(message) => {
                break Finish::Failed {
                    page: page + 1,
                    message,
                };
            }
        }
        if page >= cap {
            let question = CapReached {
                pages: page,
                pages_total: None,
                cap,
            };
            match run.ask_past_cap(&question).await {
                Some(true) => cap = cap.saturating_add(run.options.max_pages.max(1)),
                Some(false) => break Finish::Capped { cap },
                None => break Finish::Stopped,
            }
        }
        page += 1;
    };
    if finish == Finish::Complete {
        counts.pages_total = Some(counts.pages);
    }
    let mut last = ctx.progress(&counts, 0, 0);
    last.waiting = None;
    teller.tell(&ctx, run.observer, last);
    Ok(run.outcome(counts, finish))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Method, Param};

    fn next(req: &ApiRequest, body: &[u8], base: &str) -> Result<Option<ApiRequest>, String> {
        next_of(req, PageInfo::probe(body).as_ref(), base)
    }

    #[test]
    fn next_page_links_stay_on_the_origin() {
        let base = "https://api.younium.com";
        let req = ApiRequest::new(Method::Get, "/v3/Invoices");
        let page = br#"{"items":[{"id":1}],"nextPage":"/v3/Invoices?pageSize=100&cursor=abc"}"#;
        let following = next(&req, page, base).unwrap().unwrap();
        assert_eq!(following.path, "/v3/Invoices");
        assert!(
            following.query.contains(&Param::new("cursor", "abc")),
            "{:?}",
            following.query
        );
        let absolute = br#"{"items":[],"nextPage":"https://api.younium.com/v3/Invoices?cursor=d"}"#;
        assert!(next(&req, absolute, base).unwrap().is_some());
        let elsewhere = br#"{"items":[],"nextPage":"https://evil.example/v3/Invoices?cursor=d"}"#;
        let refused = next(&req, elsewhere, base).unwrap_err();
        assert!(refused.contains("not followed"), "{refused}");
        assert_eq!(
            next(&req, br#"{"items":[],"nextPage":null}"#, base),
            Ok(None)
        );
        assert_eq!(next(&req, br#"{"items":[]}"#, base), Ok(None));
    }
}
