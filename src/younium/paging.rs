//! api-version 2.1 paged envelopes: reading the page facts without parsing `data`, and
//! building the request for the next or previous page.

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::request::{ApiRequest, Param};

/// The facts of a paged answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageInfo {
    pub page_number: u64,
    pub page_size: Option<u64>,
    pub total_pages: Option<u64>,
    pub total_count: Option<u64>,
    pub has_next: bool,
    pub has_previous: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    page_number: Option<u64>,
    page_size: Option<u64>,
    total_pages: Option<u64>,
    total_count: Option<u64>,
    next_page: Option<String>,
    previous_page: Option<String>,
    data: Option<IgnoredAny>,
}

impl PageInfo {
    /// Reads the envelope of a 2.1 list answer; `None` for anything else. The records are
    /// skipped, not parsed.
    pub fn probe(body: &[u8]) -> Option<PageInfo> {
        let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
        if *first != b'{' {
            return None;
        }
        let env: Envelope = serde_json::from_slice(body).ok()?;
        env.data.as_ref()?;
        let page_number = env.page_number?;
        Some(PageInfo {
            page_number,
            page_size: env.page_size,
            total_pages: env.total_pages,
            total_count: env.total_count,
            has_next: env.next_page.is_some_and(|s| !s.is_empty())
                || env.total_pages.is_some_and(|t| page_number < t),
            has_previous: env.previous_page.is_some_and(|s| !s.is_empty()) || page_number > 1,
        })
    }

    /// `page 2 of 7 · 251 records`
    pub fn summary(&self) -> String {
        let mut s = match self.total_pages {
            Some(total) => format!("page {} of {total}", self.page_number),
            None => format!("page {}", self.page_number),
        };
        if let Some(count) = self.total_count {
            s.push_str(&format!(" · {count} records"));
        }
        s
    }
}

/// The same request for another page: `PageNumber` set (case-insensitively replacing any
/// existing one), everything else kept. Younium's `nextPage` link is only a hint; building
/// the request ourselves keeps the user's Filter and OrderBy for certain.
pub fn with_page(req: &ApiRequest, page: u64) -> ApiRequest {
    let mut next = req.clone();
    match next
        .query
        .iter_mut()
        .find(|p| p.name.eq_ignore_ascii_case("PageNumber"))
    {
        Some(p) => {
            p.value = page.to_string();
            p.enabled = true;
        }
        None => next.query.push(Param::new("PageNumber", page.to_string())),
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::younium::Method;

    #[test]
    fn envelope_is_read_without_the_records() {
        let body = br#"{"pageNumber":2,"pageSize":2,"totalPages":3,"totalCount":5,
            "nextPage":"http://x/Accounts?PageNumber=3","previousPage":"http://x/Accounts?PageNumber=1",
            "data":[{"id":1},{"id":2}]}"#;
        let info = PageInfo::probe(body).unwrap();
        assert_eq!(info.page_number, 2);
        assert!(info.has_next && info.has_previous);
        assert_eq!(info.summary(), "page 2 of 3 · 5 records");
        assert!(PageInfo::probe(b"[1,2]").is_none());
        assert!(PageInfo::probe(br#"{"id":"x"}"#).is_none());
        let last = br#"{"pageNumber":1,"totalPages":1,"totalCount":1,"nextPage":null,"data":[]}"#;
        let info = PageInfo::probe(last).unwrap();
        assert!(!info.has_next && !info.has_previous);
    }

    #[test]
    fn page_requests_keep_filters() {
        let mut req = ApiRequest::new(Method::Get, "/Accounts");
        req.query.push(Param::new("Filter", "name eq 'x'"));
        req.query.push(Param::new("pagenumber", "1"));
        let next = with_page(&req, 2);
        assert_eq!(next.query[1].value, "2");
        assert_eq!(next.query[0].value, "name eq 'x'");
        let fresh = with_page(&ApiRequest::new(Method::Get, "/Accounts"), 3);
        assert_eq!(fresh.query[0], Param::new("PageNumber", "3"));
    }
}
