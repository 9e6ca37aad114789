//! The v3 "data export" API (`/v3/Subscriptions`, `/v3/Invoices`) as the notes describe it
//! ([DOC-V3], endpoint list not found): lists answer `{"items": [...], "nextPage": "..."}`,
//! `nextPage` absent on the last page, `pageSize` 100 by default and at most 5000 (a larger
//! one answers 400 ProblemDetails: the notes only state the limit), one-to-many relations not
//! embedded but given as URL strings (`"products": "/subscriptions/{id}/subscription-products"`),
//! each of which answers a v3 list too (with or without the `/v3` prefix: the notes show the
//! strings without it and do not say where they are rooted).
//!
//! `nextPage` is a path and query on the same origin carrying an opaque `cursor`; `pageNumber`
//! (which the docs name as well) is read when there is no cursor. Same token, legal-entity and
//! permission rules as the 2.1 lists; the `api-version` header is not read (v3 is not an
//! api-version value). Routes and parameter names match case-insensitively, like the rest.

use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::{
    api::ApiRequest,
    reply::{FieldErrors, Reply, field_error, not_found, validation_problem},
    resources::Resource,
    state::Shared,
    store::Record,
};

/// `pageSize` when none is given.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 100;
/// The largest `pageSize` the docs name ("some endpoints").
pub(crate) const MAX_PAGE_SIZE: usize = 5000;

/// A one-to-many relation given as a URL string instead of embedded records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Relation {
    SubscriptionProducts,
    Discounts,
    Milestones,
    Metrics,
    InvoiceLines,
}

impl Relation {
    const ALL: [Relation; 5] = [
        Relation::SubscriptionProducts,
        Relation::Discounts,
        Relation::Milestones,
        Relation::Metrics,
        Relation::InvoiceLines,
    ];

    fn parent(self) -> Resource {
        match self {
            Relation::InvoiceLines => Resource::Invoices,
            _ => Resource::Subscriptions,
        }
    }

    /// The last segment of its URL.
    fn segment(self) -> &'static str {
        match self {
            Relation::SubscriptionProducts => "subscription-products",
            Relation::Discounts => "discounts",
            Relation::Milestones => "milestones",
            Relation::Metrics => "metrics",
            Relation::InvoiceLines => "invoice-lines",
        }
    }

    /// The member of the v3 record that holds the URL.
    fn member(self) -> &'static str {
        match self {
            Relation::SubscriptionProducts => "products",
            Relation::Discounts => "discounts",
            Relation::Milestones => "milestones",
            Relation::Metrics => "metrics",
            Relation::InvoiceLines => "invoiceLines",
        }
    }

    /// `/subscriptions/{id}/subscription-products`, as the notes show it.
    fn url(self, id: &str) -> String {
        let parent = match self.parent() {
            Resource::Invoices => "invoices",
            _ => "subscriptions",
        };
        format!("/{parent}/{id}/{}", self.segment())
    }

    /// The related records, from the 2.1 record that embeds them.
    fn items(self, record: &Value) -> Vec<Value> {
        let id = record["id"].clone();
        let array = |name: &str| record[name].as_array().cloned().unwrap_or_default();
        match self {
            Relation::SubscriptionProducts => array("products")
                .into_iter()
                .map(|mut product| {
                    if let Some(object) = product.as_object_mut() {
                        object.insert("orderId".into(), id.clone());
                    }
                    product
                })
                .collect(),
            Relation::Discounts => array("orderDiscounts"),
            Relation::Milestones => array("milestones"),
            Relation::Metrics => ["cmrr", "acv", "tcv"]
                .into_iter()
                .filter_map(|name| {
                    let mut metric = record.get(name)?.as_object()?.clone();
                    metric.insert("metric".into(), json!(name.to_ascii_uppercase()));
                    metric.insert("orderId".into(), id.clone());
                    Some(Value::Object(metric))
                })
                .collect(),
            Relation::InvoiceLines => array("invoiceLines"),
        }
    }
}

/// Where a v3 path leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum V3Route<'a> {
    /// `/v3/Subscriptions` or `/v3/Invoices`.
    List(Resource),
    /// `[/v3]/subscriptions/{id}/subscription-products` and the like.
    Relation(&'a str, Relation),
    /// `/v3/Subscription-product-charges`: every subscription's charges, linked by `orderId`.
    Charges,
}

impl V3Route<'_> {
    /// The collection whose permission the call needs.
    pub(crate) fn resource(self) -> Resource {
        match self {
            V3Route::List(resource) => resource,
            V3Route::Relation(_, relation) => relation.parent(),
            V3Route::Charges => Resource::Subscriptions,
        }
    }
}

/// Reads a path's segments as a v3 route.
pub(crate) fn route<'a>(segments: &[&'a str]) -> Option<V3Route<'a>> {
    let is = |segment: &str, name: &str| segment.eq_ignore_ascii_case(name);
    let rest = match segments {
        [v3, rest @ ..] if is(v3, "v3") => rest,
        other => other,
    };
    let exported = |segment: &str| {
        [Resource::Subscriptions, Resource::Invoices]
            .into_iter()
            .find(|r| is(segment, r.segment()))
    };
    match rest {
        [charges] if rest.len() < segments.len() && is(charges, "Subscription-product-charges") => {
            Some(V3Route::Charges)
        }
        [collection] if rest.len() < segments.len() => exported(collection).map(V3Route::List),
        [parent, id, relation] => {
            let parent = exported(parent)?;
            Relation::ALL
                .into_iter()
                .find(|r| r.parent() == parent && is(relation, r.segment()))
                .map(|r| V3Route::Relation(id, r))
        }
        _ => None,
    }
}

/// A list request's paging: where it starts and how many it takes.
#[derive(Debug, PartialEq, Eq)]
struct V3Query {
    page_size: usize,
    start: usize,
}

fn parse_query(query: &str) -> Result<V3Query, FieldErrors> {
    let mut page_size = DEFAULT_PAGE_SIZE;
    let mut page_number = 1;
    let mut cursor = None;
    let mut errors: FieldErrors = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let key = name.to_ascii_lowercase();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key.clone());
        let number = value.trim().parse::<i64>();
        match key.as_str() {
            "pagesize" => match number {
                Ok(size) if (1..=MAX_PAGE_SIZE as i64).contains(&size) => page_size = size as usize,
                Ok(_) => errors.extend(field_error(
                    "pageSize",
                    format!("pageSize must be between 1 and {MAX_PAGE_SIZE}."),
                )),
                Err(_) => errors.extend(field_error(
                    "pageSize",
                    format!("The value '{value}' is not valid for pageSize."),
                )),
            },
            "pagenumber" => match number {
                Ok(n) if n >= 1 => page_number = n as usize,
                _ => errors.extend(field_error(
                    "pageNumber",
                    format!("The value '{value}' is not valid for pageNumber."),
                )),
            },
            "cursor" => match decode_cursor(&value) {
                Some(offset) => cursor = Some(offset),
                None => errors.extend(field_error("cursor", "The cursor is not valid.")),
            },
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let start = cursor.unwrap_or_else(|| (page_number - 1).saturating_mul(page_size));
    Ok(V3Query { page_size, start })
}

/// The cursor of the page that starts at record `offset`: opaque to clients.
fn encode_cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("sim-v3:{offset}"))
}

fn decode_cursor(text: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("sim-v3:")?.parse().ok()
}

/// The v3 shape of a record: its one-to-many relations replaced by their URLs.
fn export_item(resource: Resource, record: &Record) -> String {
    let mut value = record.value();
    let id = record.id.clone();
    if let Some(object) = value.as_object_mut() {
        let relations: &[Relation] = match resource {
            Resource::Invoices => &[Relation::InvoiceLines],
            _ => &[
                Relation::SubscriptionProducts,
                Relation::Discounts,
                Relation::Milestones,
                Relation::Metrics,
            ],
        };
        if resource == Resource::Subscriptions {
            object.remove("orderDiscounts");
        }
        for relation in relations {
            object.insert(relation.member().into(), json!(relation.url(&id)));
        }
    }
    value.to_string()
}

/// Answers a v3 call whose token, legal entity and permission have been checked.
pub(crate) fn answer(
    shared: &Shared,
    request: &ApiRequest<'_>,
    entity: usize,
    route: V3Route<'_>,
) -> Reply {
    let query = match parse_query(request.query) {
        Ok(query) => query,
        Err(errors) => return validation_problem(errors, request.trace_id),
    };
    let store = shared.store();
    let Some(table) = store.table(entity, route.resource()) else {
        return Reply::empty(StatusCode::FORBIDDEN);
    };
    let (items, total) = match route {
        V3Route::List(resource) => {
            let total = table.records.len();
            let start = query.start.min(total);
            let end = start.saturating_add(query.page_size).min(total);
            let items: Vec<String> = table.records[start..end]
                .iter()
                .map(|record| export_item(resource, record))
                .collect();
            (items, total)
        }
        V3Route::Relation(id, relation) => {
            let Some(record) = table.find(id) else {
                return not_found(request.trace_id);
            };
            let all = relation.items(&record.value());
            let total = all.len();
            let start = query.start.min(total);
            let end = start.saturating_add(query.page_size).min(total);
            (
                all[start..end].iter().map(Value::to_string).collect(),
                total,
            )
        }
        V3Route::Charges => {
            // Read lazily: only as far as this page and one more (to know if there is more).
            let mut charges = table.records.iter().flat_map(|record| {
                let subscription = record.value();
                let products = subscription["products"].as_array().cloned();
                products.into_iter().flatten().flat_map(move |product| {
                    let charges = product["charges"].as_array().cloned().unwrap_or_default();
                    let order = subscription["id"].clone();
                    charges.into_iter().map(move |mut charge| {
                        if let Some(object) = charge.as_object_mut() {
                            object.insert("orderId".into(), order.clone());
                            object.insert("productNumber".into(), product["productNumber"].clone());
                        }
                        charge
                    })
                })
            });
            let page: Vec<String> = charges
                .by_ref()
                .skip(query.start)
                .take(query.page_size)
                .map(|charge| charge.to_string())
                .collect();
            let more = usize::from(charges.next().is_some());
            let total = query.start + page.len() + more;
            (page, total)
        }
    };
    let end = query.start.min(total) + items.len();
    let mut envelope = Map::new();
    if end < total {
        let next = format!(
            "{}?pageSize={}&cursor={}",
            request.path,
            query.page_size,
            encode_cursor(end)
        );
        envelope.insert("nextPage".into(), json!(next));
    }
    let head = Value::Object(envelope).to_string();
    let size: usize = items.iter().map(|item| item.len() + 1).sum();
    let mut body = String::with_capacity(head.len() + size + 16);
    body.push_str("{\"items\":[");
    body.push_str(&items.join(","));
    body.push(']');
    if head.len() > 2 {
        body.push(',');
        body.push_str(&head[1..head.len() - 1]);
    }
    body.push('}');
    Reply::json_text(StatusCode::OK, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_case_insensitive_with_or_without_the_prefix() {
        assert_eq!(
            route(&["v3", "invoices"]),
            Some(V3Route::List(Resource::Invoices))
        );
        assert_eq!(
            route(&["V3", "Subscriptions"]),
            Some(V3Route::List(Resource::Subscriptions))
        );
        // Without the prefix, `/Invoices` is the 2.1 list.
        assert_eq!(route(&["Invoices"]), None);
        assert_eq!(route(&["v3", "Accounts"]), None);
        assert_eq!(
            route(&["subscriptions", "abc", "Subscription-Products"]),
            Some(V3Route::Relation("abc", Relation::SubscriptionProducts))
        );
        assert_eq!(
            route(&["v3", "invoices", "x", "invoice-lines"]),
            Some(V3Route::Relation("x", Relation::InvoiceLines))
        );
        assert_eq!(route(&["invoices", "x", "subscription-products"]), None);
        assert_eq!(
            route(&["v3", "subscription-product-charges"]),
            Some(V3Route::Charges)
        );
        assert_eq!(route(&["subscription-product-charges"]), None);
    }

    #[test]
    fn page_size_and_cursor_are_read() {
        assert_eq!(
            parse_query(""),
            Ok(V3Query {
                page_size: 100,
                start: 0
            })
        );
        assert_eq!(
            parse_query("PAGESIZE=10&pageNumber=3"),
            Ok(V3Query {
                page_size: 10,
                start: 20
            })
        );
        let cursor = encode_cursor(250);
        assert_eq!(
            parse_query(&format!("pageSize=50&cursor={cursor}&pageNumber=9")).map(|q| q.start),
            Ok(250)
        );
        for bad in [
            "pageSize=5001",
            "pageSize=0",
            "pageSize=x",
            "cursor=zz",
            "pageNumber=0",
        ] {
            assert!(parse_query(bad).is_err(), "{bad}");
        }
        assert!(parse_query("pageSize=5000").is_ok());
    }
}
