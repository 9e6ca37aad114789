//! Paged list answers: api-version 2.1's envelope (`pageNumber`, `totalPages`, … `data`) and
//! the v3 data-export API's (`items`, `nextPage`), read without parsing the records; and the
//! request for the next (or, in 2.1, previous) page.
//!
//! 2.1 pages are numbered: the next request is the same one with `PageNumber` changed
//! ([`with_page`]). v3 pages by cursor: the next request is the answer's `nextPage` link
//! ([`follow_link`]), which must lie on the connected origin, and there is no way back.

use std::fmt;

use reqwest::Url;
use serde::Deserialize;
use serde::de::{self, IgnoredAny, SeqAccess, Visitor};

use super::origin::{Origin, Refused};
use super::request::{ApiRequest, Param};

/// How a paged answer leads on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageKind {
    /// api-version 2.1: pages are numbered; build requests with [`with_page`].
    Numbered,
    /// The v3 data-export API: the next page is the `nextPage` link (a path and query on the
    /// same origin, carrying an opaque cursor), followed with [`follow_link`]; `None` on the
    /// last page. A cursor has no previous page.
    Cursor {
        /// The `nextPage` link as the answer gave it; `None` on the last page.
        next: Option<String>,
    },
}

/// The facts of a paged answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageInfo {
    /// 2.1: the envelope's `pageNumber`. v3: the envelope's, if it gives one, else 1; a caller
    /// that followed links counts pages itself (see [`PageInfo::with_page_number`]).
    pub page_number: u64,
    /// The envelope's `pageSize` (at most 100 in 2.1).
    pub page_size: Option<u64>,
    /// The envelope's `totalPages`.
    pub total_pages: Option<u64>,
    /// The envelope's `totalCount`: the records of the whole list.
    pub total_count: Option<u64>,
    /// A page follows: a `nextPage` link, or (2.1) a page number below `totalPages`.
    pub has_next: bool,
    /// A page comes before (2.1 only: a cursor has no way back).
    pub has_previous: bool,
    /// The records on this page, when the list could be counted (`data` or `items` an array).
    pub records: Option<u64>,
    /// Numbered (2.1) or cursor (v3), and so how the next page is asked for.
    pub kind: PageKind,
}

/// A JSON value skipped, counting its elements when it is an array.
struct Counted(Option<u64>);

impl<'de> Deserialize<'de> for Counted {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountVisitor;
        impl<'de> Visitor<'de> for CountVisitor {
            type Value = Counted;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Counted, A::Error> {
                let mut count = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    count += 1;
                }
                Ok(Counted(Some(count)))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Counted, A::Error> {
                IgnoredAny::visit_map(IgnoredAny, map)?;
                Ok(Counted(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Counted, E> {
                Ok(Counted(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Counted, E> {
                Ok(Counted(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Counted, E> {
                Ok(Counted(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Counted, E> {
                Ok(Counted(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Counted, E> {
                Ok(Counted(None))
            }
            fn visit_unit<E>(self) -> Result<Counted, E> {
                Ok(Counted(None))
            }
        }
        deserializer.deserialize_any(CountVisitor)
    }
}

/// Both envelopes' members; any other member is only noted.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    page_number: Option<u64>,
    page_size: Option<u64>,
    total_pages: Option<u64>,
    total_count: Option<u64>,
    next_page: Option<String>,
    previous_page: Option<String>,
    first_page: Option<IgnoredAny>,
    last_page: Option<IgnoredAny>,
    data: Option<Counted>,
    items: Option<Counted>,
    #[serde(flatten)]
    other: std::collections::BTreeMap<String, IgnoredAny>,
}

impl PageInfo {
    /// Reads the envelope of a 2.1 list answer or a v3 one; `None` for anything else. The
    /// records are skipped (counted), not parsed.
    ///
    /// A v3 envelope is an object whose `items` is an array, without `data`, and either with
    /// a `nextPage` link or with no member other than the paging ones (so a record that
    /// happens to have an `items` array is not taken for a page).
    ///
    /// ```
    /// use younium::paging::{PageInfo, PageKind};
    /// let body = br#"{"pageNumber":2,"pageSize":100,"totalPages":3,"totalCount":250,
    ///                 "nextPage":"https://api.younium.com/Invoices?PageNumber=3","data":[{},{}]}"#;
    /// let page = PageInfo::probe(body).unwrap();
    /// assert_eq!((page.page_number, page.total_count, page.records), (2, Some(250), Some(2)));
    /// assert!(page.has_next && page.has_previous && page.kind == PageKind::Numbered);
    /// assert!(PageInfo::probe(br#"[{"id":"a bare 2.0 array"}]"#).is_none());
    /// ```
    pub fn probe(body: &[u8]) -> Option<PageInfo> {
        let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
        if *first != b'{' {
            return None;
        }
        let env: Envelope = serde_json::from_slice(body).ok()?;
        let _ = (&env.first_page, &env.last_page);
        let next = env.next_page.filter(|s| !s.trim().is_empty());
        if let Some(data) = &env.data {
            let page_number = env.page_number?;
            return Some(PageInfo {
                page_number,
                page_size: env.page_size,
                total_pages: env.total_pages,
                total_count: env.total_count,
                has_next: next.is_some() || env.total_pages.is_some_and(|t| page_number < t),
                has_previous: env.previous_page.is_some_and(|s| !s.is_empty()) || page_number > 1,
                records: data.0,
                kind: PageKind::Numbered,
            });
        }
        let items = env.items?.0?;
        if next.is_none() && !env.other.is_empty() {
            return None;
        }
        Some(PageInfo {
            page_number: env.page_number.unwrap_or(1).max(1),
            page_size: env.page_size,
            total_pages: env.total_pages,
            total_count: env.total_count,
            has_next: next.is_some(),
            has_previous: false,
            records: Some(items),
            kind: PageKind::Cursor { next },
        })
    }

    /// The page an api-version 2.1 "nothing found" 400 stands for: page `number`, the last
    /// one, without records.
    pub fn nothing_found(number: u64) -> PageInfo {
        PageInfo {
            page_number: number,
            page_size: None,
            total_pages: Some(number),
            total_count: None,
            has_next: false,
            has_previous: number > 1,
            records: Some(0),
            kind: PageKind::Numbered,
        }
    }

    /// A v3 page reached by following links from page 1: its number as counted by the caller.
    pub fn with_page_number(mut self, page_number: u64) -> PageInfo {
        self.page_number = page_number.max(1);
        self
    }

    /// A v3 page ([`PageKind::Cursor`]).
    pub fn is_cursor(&self) -> bool {
        matches!(self.kind, PageKind::Cursor { .. })
    }

    /// `page 2 of 7 · 251 records` (2.1); `v3 page 3 (100 records)`: the records of this page
    /// (v3; `v3 page 3 of 9 (100 of 880 records)` where the envelope gives totals).
    pub fn summary(&self) -> String {
        let prefix = if self.is_cursor() { "v3 page" } else { "page" };
        let mut s = match self.total_pages {
            Some(total) => format!("{prefix} {} of {total}", self.page_number),
            None => format!("{prefix} {}", self.page_number),
        };
        if self.is_cursor() {
            let plural = |n: u64| if n == 1 { "" } else { "s" };
            match (self.records, self.total_count) {
                (Some(records), Some(total)) => {
                    s.push_str(&format!(" ({records} of {total} record{})", plural(total)))
                }
                (Some(records), None) => {
                    s.push_str(&format!(" ({records} record{})", plural(records)))
                }
                (None, Some(total)) => s.push_str(&format!(" · {total} records")),
                (None, None) => {}
            }
        } else if let Some(count) = self.total_count {
            s.push_str(&format!(" · {count} records"));
        }
        s
    }

    /// The request for the next page of `req` (the request this answer came from), if there is
    /// one: 2.1 with `PageNumber` one up, v3 the `nextPage` link (refused when it leads off
    /// the origin of `base_url`).
    pub(crate) fn next_request(
        &self,
        req: &ApiRequest,
        base_url: &str,
    ) -> Option<Result<ApiRequest, Refused>> {
        if !self.has_next {
            return None;
        }
        match &self.kind {
            PageKind::Numbered => Some(Ok(with_page(req, self.page_number + 1))),
            PageKind::Cursor { next } => Some(follow_link(req, next.as_deref()?, base_url)),
        }
    }
}

/// The request a `nextPage` link names: `req`'s method, headers and body, the link's path
/// and query (replacing `req`'s: the link carries what the server needs to go on). The link,
/// a path or a full URL, must lie on the origin (and under the base path) of `base_url`, as
/// every URL the app sends to: a link elsewhere is refused, nothing is sent.
pub fn follow_link(req: &ApiRequest, link: &str, base_url: &str) -> Result<ApiRequest, Refused> {
    let origin = Origin::parse(base_url).map_err(|e| Refused::BadUrl(e.to_string()))?;
    let url = origin.join(link)?;
    let base_path = Url::parse(&origin.base_url())
        .map(|base| base.path().trim_end_matches('/').to_string())
        .unwrap_or_default();
    let path = url.path().strip_prefix(&base_path).unwrap_or(url.path());
    let mut next = req.clone();
    next.path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    next.query = url
        .query_pairs()
        .map(|(name, value)| Param::new(name, value))
        .collect();
    Ok(next)
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
    use crate::Method;

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
    fn a_v3_envelope_is_a_cursor_page() {
        let body = br#"{"items":[{"id":1},{"id":2},{"id":3}],"nextPage":"/v3/Invoices?pageSize=3&cursor=abc"}"#;
        let info = PageInfo::probe(body).unwrap();
        assert_eq!(
            info.kind,
            PageKind::Cursor {
                next: Some("/v3/Invoices?pageSize=3&cursor=abc".into())
            }
        );
        assert!(info.has_next && !info.has_previous);
        assert_eq!((info.page_number, info.records), (1, Some(3)));
        assert_eq!((info.total_count, info.total_pages), (None, None));
        assert_eq!(info.summary(), "v3 page 1 (3 records)");
        let info = info.with_page_number(3);
        assert_eq!(info.summary(), "v3 page 3 (3 records)");
        // The last page: no nextPage, or null.
        for last in [
            &br#"{"items":[{"id":1}]}"#[..],
            br#"{"items":[],"nextPage":null}"#,
        ] {
            let info = PageInfo::probe(last).unwrap();
            assert!(!info.has_next, "{}", String::from_utf8_lossy(last));
            assert_eq!(info.kind, PageKind::Cursor { next: None });
        }
        // Totals where the envelope gives them.
        let info =
            PageInfo::probe(br#"{"items":[{"id":1}],"totalCount":9,"nextPage":"/v3/x?c=1"}"#)
                .unwrap();
        assert_eq!(info.summary(), "v3 page 1 (1 of 9 records)");
        // A record with an `items` array is not a page; nor is `items` that is not an array.
        assert!(PageInfo::probe(br#"{"id":"o-1","items":[1,2]}"#).is_none());
        assert!(PageInfo::probe(br#"{"items":{"a":1}}"#).is_none());
        // 2.1 pages count their records too and keep their summary.
        let info = PageInfo::probe(br#"{"pageNumber":1,"totalPages":1,"data":[1,2]}"#).unwrap();
        assert_eq!((info.kind, info.records), (PageKind::Numbered, Some(2)));
    }

    #[test]
    fn the_next_request_follows_the_link_on_the_same_origin_only() {
        let mut req = ApiRequest::new(Method::Get, "/v3/Invoices");
        req.query.push(Param::new("pageSize", "3"));
        req.headers.push(Param::new("legal-entity", "Nordlys AB"));
        let body = br#"{"items":[1,2,3],"nextPage":"/v3/Invoices?pageSize=3&cursor=c2ltOjM"}"#;
        let info = PageInfo::probe(body).unwrap();
        let next = info
            .next_request(&req, "http://127.0.0.1:8001")
            .unwrap()
            .unwrap();
        assert_eq!(next.path, "/v3/Invoices");
        assert_eq!(
            next.query,
            vec![Param::new("pageSize", "3"), Param::new("cursor", "c2ltOjM")]
        );
        assert_eq!(next.headers, req.headers);
        // Under a base path, the link's path is kept relative to it; a full URL on the origin
        // is accepted.
        let under = follow_link(
            &req,
            "https://proxy.example/younium/v3/Invoices?cursor=x",
            "https://proxy.example/younium",
        )
        .unwrap();
        assert_eq!(under.path, "/v3/Invoices");
        for elsewhere in [
            "https://evil.example/v3/Invoices?cursor=x",
            "http://127.0.0.1:80011/v3/Invoices",
            "http://127.0.0.1:8001@evil.example/v3/Invoices",
        ] {
            let refused = follow_link(&req, elsewhere, "http://127.0.0.1:8001");
            assert!(
                matches!(
                    refused,
                    Err(Refused::OtherOrigin { .. } | Refused::BadUrl(_))
                ),
                "{elsewhere}: {refused:?}"
            );
        }
        // No next page on the last one; 2.1 pages count up.
        let last = PageInfo::probe(br#"{"items":[1]}"#).unwrap();
        assert!(last.next_request(&req, "http://h").is_none());
        let numbered = PageInfo::probe(br#"{"pageNumber":2,"totalPages":3,"data":[]}"#).unwrap();
        let next = numbered.next_request(&req, "http://h").unwrap().unwrap();
        assert!(next.query.contains(&Param::new("PageNumber", "3")));
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
