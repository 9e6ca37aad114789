//! A simulator extension, not part of Younium's API: lists made up on the fly, for the limits
//! of "all pages" (a list that claims a billion pages, a v3 cursor that never ends, pages of a
//! megabyte) without holding any of it in memory.
//!
//! - `GET /SimulatorPages` answers api-version 2.1 envelopes: page `PageNumber` of `pages`
//!   (`totalPages`, `totalCount` as claimed), `PageSize` records (at most 100, default 100);
//!   past the last page the 2.1 "nothing found" 400.
//! - `GET /v3/SimulatorPages` answers v3 envelopes (`items`, `nextPage` with a `cursor`),
//!   `pageSize` records (at most 5000), for `pages` pages; `nextPage` leads on until then.
//!
//! Parameters (case-insensitive): `pages` (default 10), `recordBytes` (each record padded to
//! about this many bytes, default 100, at most 1 MB). Record `i` of page `p` is
//! `{"id":"sp-p-i","page":p,"index":i,"padding":"…"}`. The usual token and legal-entity checks
//! apply. Used by the tests and `benches/all_pages.rs`.

use axum::http::StatusCode;

use super::reply::{Reply, field_error, nothing_found, validation_problem};

/// The path segment of the extension.
pub(crate) const SEGMENT: &str = "SimulatorPages";
/// The largest padded record.
const MAX_RECORD_BYTES: usize = 1 << 20;

struct Query {
    pages: u64,
    record_bytes: usize,
    page_size: usize,
    page: u64,
}

fn parse(query: &str, v3: bool) -> Result<Query, String> {
    let mut q = Query {
        pages: 10,
        record_bytes: 100,
        page_size: 100,
        page: 1,
    };
    let max_size = if v3 { 5000 } else { 100 };
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let number = || {
            value
                .trim()
                .parse::<u64>()
                .map_err(|_| format!("The value '{value}' is not valid for {name}."))
        };
        match name.to_ascii_lowercase().as_str() {
            "pages" => q.pages = number()?,
            "recordbytes" => q.record_bytes = (number()? as usize).min(MAX_RECORD_BYTES),
            "pagesize" => q.page_size = (number()?.clamp(1, max_size)) as usize,
            "pagenumber" if !v3 => q.page = number()?.max(1),
            "cursor" if v3 => q.page = number()?.max(1),
            _ => {}
        }
    }
    Ok(q)
}

/// The records of page `q.page`, as one JSON array's text.
fn records(q: &Query) -> String {
    let mut out = String::with_capacity(q.page_size * (q.record_bytes + 64) + 2);
    out.push('[');
    for i in 1..=q.page_size {
        if i > 1 {
            out.push(',');
        }
        let head = format!(
            r#"{{"id":"sp-{}-{i}","page":{},"index":{i},"padding":""#,
            q.page, q.page
        );
        let pad = q.record_bytes.saturating_sub(head.len() + 2);
        out.push_str(&head);
        out.extend(std::iter::repeat_n('x', pad));
        out.push_str("\"}");
    }
    out.push(']');
    out
}

/// Answers `GET /SimulatorPages` (`v3`: `/v3/SimulatorPages`).
pub(crate) fn answer(query: &str, v3: bool, trace_id: &str) -> Reply {
    let q = match parse(query, v3) {
        Ok(q) => q,
        Err(message) => return validation_problem(field_error(SEGMENT, &message), trace_id),
    };
    if q.page > q.pages {
        return nothing_found("No simulator pages could be found", trace_id);
    }
    let items = records(&q);
    let text = if v3 {
        let next = (q.page < q.pages).then(|| {
            format!(
                r#","nextPage":"/v3/{SEGMENT}?pages={}&recordBytes={}&pageSize={}&cursor={}""#,
                q.pages,
                q.record_bytes,
                q.page_size,
                q.page + 1
            )
        });
        format!(r#"{{"items":{items}{}}}"#, next.unwrap_or_default())
    } else {
        let next = (q.page < q.pages).then(|| {
            format!(
                r#""nextPage":"/{SEGMENT}?PageNumber={}&PageSize={}","#,
                q.page + 1,
                q.page_size
            )
        });
        format!(
            r#"{{"pageNumber":{},"pageSize":{},"totalPages":{},"totalCount":{},{}"data":{items}}}"#,
            q.page,
            q.page_size,
            q.pages,
            q.pages.saturating_mul(q.page_size as u64),
            next.unwrap_or_default()
        )
    };
    Reply::json_text(StatusCode::OK, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_padded_to_the_size_asked() {
        let q = parse("pages=3&recordBytes=200&PageSize=4&PageNumber=2", false).unwrap();
        let text = records(&q);
        let values: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(values.len(), 4);
        assert_eq!(values[1]["id"], "sp-2-2");
        assert!((790..=810).contains(&text.len()), "{}", text.len());
    }
}
