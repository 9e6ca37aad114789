//! List requests: their query parameters (names matched case-insensitively, like ASP.NET model
//! binding), record selection, and the two answer shapes: the 2.1 paged envelope and the 2.0
//! bare array.

use axum::http::StatusCode;
use jiff::civil::DateTime;
use serde_json::{Map, Value, json};

use super::{
    clock::parse_civil,
    filter::{Filter, OrderKey, compare_records, parse_filter, parse_order_by},
    reply::{FieldErrors, Reply, nothing_found},
    store::Record,
};

/// Largest `PageSize` Younium documents.
pub(crate) const MAX_PAGE_SIZE: usize = 100;

/// The `api-version` a call asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ApiVersion {
    V2_0,
    V2_1,
}

impl ApiVersion {
    /// Reads the `api-version` header; absent means 2.1. `Err` carries the unsupported value.
    pub(crate) fn from_header(value: Option<&str>) -> Result<ApiVersion, String> {
        match value.map(str::trim) {
            None => Ok(ApiVersion::V2_1),
            Some("2.1") => Ok(ApiVersion::V2_1),
            Some("2.0" | "2") => Ok(ApiVersion::V2_0),
            Some(other) => Err(other.to_owned()),
        }
    }
}

/// The parameters of one list request.
#[derive(Debug, Default)]
pub(crate) struct ListQuery {
    page_size: usize,
    page_number: usize,
    skip: usize,
    take: Option<usize>,
    filter: Option<(String, Filter)>,
    order_by: Option<(String, Vec<OrderKey>)>,
    modified_after: Option<(String, DateTime)>,
    modified_before: Option<(String, DateTime)>,
    /// `simulatorUnpaged=true` (2.1): every selected record as a bare array, see
    /// [`UNPAGED_PARAMETER`].
    unpaged: bool,
}

/// A simulator extension, not part of Younium's API: `simulatorUnpaged=true` on a 2.1 list
/// answers every record the request selects (after `Filter`, `OrderBy` and the modified
/// bounds) as one bare JSON array, `[]` when none, ignoring `PageSize` and `PageNumber`: the
/// way to fetch a large body (`simulate --invoices N`) in one call. Younium caps `PageSize` at
/// 100 and has no unpaged 2.1 list; a parameter of its own (rather than, say, `PageSize=0`)
/// leaves the validation of Younium's parameters exactly as Younium's, and reads for what it
/// is in a URL or a log.
pub(crate) const UNPAGED_PARAMETER: &str = "simulatorUnpaged";

/// Parses a raw query string. 2.1 validates `PageSize` (1..=100; refusing rather than clamping
/// a larger one is a guess, the docs only state the limit) and `PageNumber` (from 1); 2.0
/// reads `Skip`/`Take` instead and accepts `Sort` as another name for `OrderBy`.
pub(crate) fn parse_list_query(query: &str, version: ApiVersion) -> Result<ListQuery, FieldErrors> {
    let mut list = ListQuery {
        page_size: MAX_PAGE_SIZE,
        page_number: 1,
        ..ListQuery::default()
    };
    let mut errors: FieldErrors = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let key = name.to_ascii_lowercase();
        // ASP.NET binds the first value of a repeated parameter.
        if seen.contains(&key) {
            continue;
        }
        seen.push(key.clone());
        let value = value.into_owned();
        let mut fail =
            |field: &str, message: String| errors.push((field.to_owned(), vec![message]));
        match (key.as_str(), version) {
            ("pagesize", ApiVersion::V2_1) => match value.trim().parse::<i64>() {
                Ok(size) if (1..=MAX_PAGE_SIZE as i64).contains(&size) => {
                    list.page_size = size as usize
                }
                Ok(_) => fail(
                    "PageSize",
                    format!("PageSize must be between 1 and {MAX_PAGE_SIZE}."),
                ),
                Err(_) => fail(
                    "PageSize",
                    format!("The value '{value}' is not valid for PageSize."),
                ),
            },
            ("pagenumber", ApiVersion::V2_1) => match value.trim().parse::<i64>() {
                Ok(number) if number >= 1 => list.page_number = number as usize,
                Ok(_) => fail("PageNumber", "PageNumber must be 1 or greater.".to_owned()),
                Err(_) => fail(
                    "PageNumber",
                    format!("The value '{value}' is not valid for PageNumber."),
                ),
            },
            ("simulatorunpaged", ApiVersion::V2_1) => {
                match value.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" => list.unpaged = true,
                    "false" | "0" | "" => list.unpaged = false,
                    _ => fail(
                        UNPAGED_PARAMETER,
                        format!("The value '{value}' is not valid for {UNPAGED_PARAMETER}."),
                    ),
                }
            }
            ("skip", ApiVersion::V2_0) => match value.trim().parse::<usize>() {
                Ok(skip) => list.skip = skip,
                Err(_) => fail(
                    "Skip",
                    format!("The value '{value}' is not valid for Skip."),
                ),
            },
            ("take", ApiVersion::V2_0) => match value.trim().parse::<usize>() {
                Ok(take) => list.take = Some(take),
                Err(_) => fail(
                    "Take",
                    format!("The value '{value}' is not valid for Take."),
                ),
            },
            ("filter", _) if !value.trim().is_empty() => match parse_filter(&value) {
                Ok(filter) => list.filter = Some((value, filter)),
                Err(message) => fail(
                    "Filter",
                    format!("The filter '{value}' is not supported: {message}."),
                ),
            },
            ("orderby", _) | ("sort", ApiVersion::V2_0) if !value.trim().is_empty() => {
                match parse_order_by(&value) {
                    Ok(keys) => list.order_by = Some((value, keys)),
                    Err(message) => fail(
                        "OrderBy",
                        format!("The OrderBy '{value}' is not supported: {message}."),
                    ),
                }
            }
            ("modifiedafter", _) => match parse_civil(&value) {
                Some(moment) => list.modified_after = Some((value, moment)),
                None => fail(
                    "ModifiedAfter",
                    format!("The value '{value}' is not valid for ModifiedAfter."),
                ),
            },
            ("modifiedbefore", _) => match parse_civil(&value) {
                Some(moment) => list.modified_before = Some((value, moment)),
                None => fail(
                    "ModifiedBefore",
                    format!("The value '{value}' is not valid for ModifiedBefore."),
                ),
            },
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(list)
    } else {
        Err(errors)
    }
}

impl ListQuery {
    fn needs_fields(&self) -> bool {
        self.filter.is_some()
            || self.order_by.is_some()
            || self.modified_after.is_some()
            || self.modified_before.is_some()
    }

    fn keeps(&self, record: &Value) -> bool {
        let modified = || {
            record
                .get("modified")
                .and_then(Value::as_str)
                .and_then(parse_civil)
        };
        self.filter.as_ref().is_none_or(|(_, f)| f.matches(record))
            && self
                .modified_after
                .as_ref()
                .is_none_or(|(_, after)| modified().is_some_and(|m| m > *after))
            && self
                .modified_before
                .as_ref()
                .is_none_or(|(_, before)| modified().is_some_and(|m| m < *before))
    }

    /// The records the request selects, in answer order.
    pub(crate) fn select<'a>(&self, records: impl Iterator<Item = &'a Record>) -> Vec<&'a Record> {
        if !self.needs_fields() {
            return records.collect();
        }
        let mut kept: Vec<(&Record, Value)> = records
            .map(|record| (record, record.value()))
            .filter(|(_, value)| self.keeps(value))
            .collect();
        if let Some((_, keys)) = &self.order_by {
            kept.sort_by(|(_, a), (_, b)| compare_records(a, b, keys));
        }
        kept.into_iter().map(|(record, _)| record).collect()
    }

    fn link(&self, base: &str, page: usize) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("PageNumber", &page.to_string());
        query.append_pair("PageSize", &self.page_size.to_string());
        if let Some((text, _)) = &self.filter {
            query.append_pair("Filter", text);
        }
        if let Some((text, _)) = &self.order_by {
            query.append_pair("OrderBy", text);
        }
        if let Some((text, _)) = &self.modified_after {
            query.append_pair("ModifiedAfter", text);
        }
        if let Some((text, _)) = &self.modified_before {
            query.append_pair("ModifiedBefore", text);
        }
        format!("{base}?{}", query.finish())
    }
}

/// How to answer one list request.
pub(crate) struct ListAnswer<'a> {
    pub version: ApiVersion,
    /// A bare array whatever the version (webhooks).
    pub always_bare: bool,
    /// Absolute URL of the list without query, for `nextPage` and friends.
    pub link_base: &'a str,
    pub nothing_found: &'a str,
    pub trace_id: &'a str,
}

impl ListAnswer<'_> {
    /// Renders the selected records.
    ///
    /// 2.1: the paged envelope; an empty selection or a page past the end answers 400 with the
    /// "No … could be found" message. Links are absolute and keep `Filter`, `OrderBy` and the
    /// modified bounds (a guess: the notes could not confirm what real links keep). Null
    /// members are left out, as everywhere in Younium, so the last page has no `nextPage`.
    /// 2.0: every selected record (after `Skip`/`Take`) as a bare array, `[]` when empty.
    /// 2.1 with [`UNPAGED_PARAMETER`]: every selected record as a bare array.
    pub(crate) fn render(&self, selected: &[&Record], query: &ListQuery) -> Reply {
        if query.unpaged {
            return Reply::json_text(StatusCode::OK, json_array(selected.iter()));
        }
        if self.version == ApiVersion::V2_0 || self.always_bare {
            let take = query.take.unwrap_or(usize::MAX);
            let page = selected.iter().skip(query.skip).take(take);
            return Reply::json_text(StatusCode::OK, json_array(page));
        }
        let total = selected.len();
        let total_pages = total.div_ceil(query.page_size);
        if total == 0 || query.page_number > total_pages {
            return nothing_found(self.nothing_found, self.trace_id);
        }
        let start = (query.page_number - 1) * query.page_size;
        let page = &selected[start..(start + query.page_size).min(total)];
        let mut envelope = Map::new();
        envelope.insert("pageNumber".into(), json!(query.page_number));
        envelope.insert("pageSize".into(), json!(query.page_size));
        envelope.insert("totalPages".into(), json!(total_pages));
        envelope.insert("totalCount".into(), json!(total));
        if query.page_number < total_pages {
            envelope.insert(
                "nextPage".into(),
                json!(query.link(self.link_base, query.page_number + 1)),
            );
        }
        if query.page_number > 1 {
            envelope.insert(
                "previousPage".into(),
                json!(query.link(self.link_base, query.page_number - 1)),
            );
        }
        envelope.insert("firstPage".into(), json!(query.link(self.link_base, 1)));
        envelope.insert(
            "lastPage".into(),
            json!(query.link(self.link_base, total_pages)),
        );
        let head = Value::Object(envelope).to_string();
        let data = json_array(page.iter());
        let mut body = String::with_capacity(head.len() + data.len() + 10);
        body.push_str(&head[..head.len() - 1]);
        body.push_str(",\"data\":");
        body.push_str(&data);
        body.push('}');
        Reply::json_text(StatusCode::OK, body)
    }
}

/// Joins stored records into one JSON array without re-serializing them.
fn json_array<'a>(records: impl Iterator<Item = &'a &'a Record> + Clone) -> String {
    let size: usize = records.clone().map(|r| r.json.len() + 1).sum();
    let mut body = String::with_capacity(size + 2);
    body.push('[');
    for (index, record) in records.enumerate() {
        if index > 0 {
            body.push(',');
        }
        body.push_str(&record.json);
    }
    body.push(']');
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Resource;

    fn records(count: usize) -> Vec<Record> {
        (0..count)
            .map(|i| {
                Record::from_value(
                    Resource::Accounts,
                    &json!({"id": format!("id-{i}"), "name": format!("n{i:02}"), "modified": "2024-01-01T00:00:00"}),
                )
            })
            .collect()
    }

    fn answer(version: ApiVersion) -> ListAnswer<'static> {
        ListAnswer {
            version,
            always_bare: false,
            link_base: "http://sim/Accounts",
            nothing_found: "No accounts could be found",
            trace_id: "00-1-2-01",
        }
    }

    #[test]
    fn parameters_are_case_insensitive_and_validated() {
        let query = parse_list_query("pagesize=5&PAGENUMBER=2", ApiVersion::V2_1).expect("valid");
        assert_eq!((query.page_size, query.page_number), (5, 2));
        let errors =
            parse_list_query("PageSize=101&PageNumber=0", ApiVersion::V2_1).expect_err("invalid");
        let keys: Vec<&str> = errors.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["PageSize", "PageNumber"]);
        assert!(parse_list_query("PageSize=abc", ApiVersion::V2_1).is_err());
        assert!(parse_list_query("PageSize=500", ApiVersion::V2_0).is_ok());
        assert!(parse_list_query("Filter=name%20eq", ApiVersion::V2_1).is_err());
    }

    #[test]
    fn pages_link_to_each_other() {
        let all = records(5);
        let query = parse_list_query(
            "PageSize=2&PageNumber=2&OrderBy=name%20desc",
            ApiVersion::V2_1,
        )
        .expect("valid");
        let selected = query.select(all.iter());
        let reply = answer(ApiVersion::V2_1).render(&selected, &query);
        assert_eq!(reply.status, StatusCode::OK);
        let body: Value = serde_json::from_str(&reply_text(reply)).expect("json");
        assert_eq!(body["totalPages"], 3);
        assert_eq!(body["data"][0]["name"], "n02");
        assert_eq!(
            body["nextPage"],
            "http://sim/Accounts?PageNumber=3&PageSize=2&OrderBy=name+desc"
        );
        assert!(body["previousPage"].is_string());
    }

    #[test]
    fn empty_and_past_the_end_answer_400_in_2_1_and_empty_arrays_in_2_0() {
        let all = records(3);
        let query = parse_list_query("PageNumber=9", ApiVersion::V2_1).expect("valid");
        let selected = query.select(all.iter());
        assert_eq!(
            answer(ApiVersion::V2_1).render(&selected, &query).status,
            StatusCode::BAD_REQUEST
        );
        let query = parse_list_query("Filter=name%20eq%20'zz'", ApiVersion::V2_0).expect("valid");
        let selected = query.select(all.iter());
        let reply = answer(ApiVersion::V2_0).render(&selected, &query);
        assert_eq!(reply_text(reply), "[]");
    }

    fn reply_text(reply: Reply) -> String {
        let response = reply.into_response();
        let bytes =
            futures::executor::block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
                .expect("body");
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
