//! Every operation of the spec that the hand-written routes do not answer, answered from the
//! spec itself: its path templates route the call, its response schemas make the records
//! ([`generate`]), and one store keeps what is created, changed and deleted. Nothing here is
//! written per resource, so a newer spec's operations answer too.
//!
//! A template without placeholders that lists (`GET /ChartOfAccounts`) is a collection: its
//! records are made on first use (per legal entity, from the seed) and kept; `/X/{id}` under it
//! reads, changes and deletes one of them, and `POST /X` adds one. Any other read answers
//! records made from the concrete path (the same path, the same answer); any other write is an
//! action, answered with its documented status and a body of its response schema.

mod answer;
pub(crate) mod generate;
mod jobs;
mod links;

use axum::http::Method;
use younium::catalog::{Operation, V3_TAG, catalog};

pub(crate) use answer::{answer, documented, made_table};
pub(crate) use jobs::Job;
pub(crate) use links::Refs;

/// Records a collection starts with in each legal entity.
pub(crate) const RECORDS: usize = 25;

/// The spec's operations the simulator routes here (the v3 group has its own code).
fn operations() -> impl Iterator<Item = &'static Operation> {
    catalog().operations.iter().filter(|op| op.tag != V3_TAG)
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

fn is_placeholder(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// The path template of the spec a concrete path matches, whatever the method: segments
/// compared ignoring case, a literal segment preferred over a placeholder
/// (`/Currency/BaseCurrency` over `/Currency/{id}`).
pub(crate) fn template_for(path: &str) -> Option<&'static str> {
    let concrete = segments(path);
    operations()
        .map(|op| op.path.as_str())
        .filter(|template| {
            let parts = segments(template);
            parts.len() == concrete.len()
                && parts
                    .iter()
                    .zip(&concrete)
                    .all(|(t, c)| is_placeholder(t) || t.eq_ignore_ascii_case(c))
        })
        .max_by_key(|template| literal_count(template))
}

fn literal_count(template: &str) -> usize {
    segments(template)
        .iter()
        .filter(|s| !is_placeholder(s))
        .count()
}

/// Whether the template has no placeholder.
pub(crate) fn is_literal(template: &str) -> bool {
    !template.contains('{')
}

/// A template with its placeholders' names left out: `/Products/charges/{chargeId}` and
/// `/Products/charges/{id}` are one path.
fn same_path(a: &str, b: &str) -> bool {
    let (a, b) = (segments(a), segments(b));
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| (is_placeholder(x) && is_placeholder(y)) || x.eq_ignore_ascii_case(y))
}

/// The methods the spec documents at `template`.
pub(crate) fn methods(template: &str) -> Vec<Method> {
    operations()
        .filter(|op| same_path(&op.path, template))
        .filter_map(|op| Method::from_bytes(op.method.as_str().as_bytes()).ok())
        .collect()
}

/// The operation at `template` for `method`.
fn operation(method: &Method, template: &str) -> Option<&'static Operation> {
    operations().find(|op| same_path(&op.path, template) && op.method.as_str() == method.as_str())
}

/// What a template is to the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape<'a> {
    /// A list of records kept in the store, under this template.
    Collection(&'static str),
    /// One record of the collection at `key`, by the id in the path.
    Item { key: &'static str, id: &'a str },
    /// Computed from the path, or an action.
    Other,
}

/// The shape of `template` as `path` fills it in.
fn shape<'a>(template: &'static str, path: &'a str) -> Shape<'a> {
    let lists =
        |key: &str| operation(&Method::GET, key).is_some_and(|op| answer::list_item(op).is_some());
    if is_literal(template) && lists(template) {
        return Shape::Collection(template);
    }
    let parts = segments(template);
    if let [collection, last] = parts.as_slice()
        && is_placeholder(last)
        && !is_placeholder(collection)
    {
        let key = operations()
            .map(|op| op.path.as_str())
            .find(|p| segments(p) == [*collection] && lists(p));
        if let (Some(key), Some(id)) = (key, segments(path).last()) {
            return Shape::Item { key, id };
        }
    }
    Shape::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_segment_wins_and_case_is_ignored() {
        assert_eq!(
            template_for("/currency/basecurrency"),
            Some("/Currency/BaseCurrency")
        );
        assert_eq!(template_for("/Currency/SEK"), Some("/Currency/{id}"));
        assert_eq!(template_for("/Nothing/here"), None);
        assert_eq!(template_for("/v3/Invoices"), None);
    }

    #[test]
    fn collections_items_and_the_rest() {
        assert_eq!(
            shape("/ChartOfAccounts", "/ChartOfAccounts"),
            Shape::Collection("/ChartOfAccounts")
        );
        assert_eq!(
            shape("/ChartOfAccounts/{id}", "/ChartOfAccounts/abc"),
            Shape::Item {
                key: "/ChartOfAccounts",
                id: "abc"
            }
        );
        assert_eq!(
            shape("/Journals/JournalDetails", "/Journals/JournalDetails"),
            Shape::Collection("/Journals/JournalDetails")
        );
        assert_eq!(shape("/Invoices/paid", "/Invoices/paid"), Shape::Other);
        assert_eq!(
            shape(
                "/Journals/{id}/JournalSummary",
                "/Journals/x/JournalSummary"
            ),
            Shape::Other
        );
        let mut allowed = methods("/Usage/{id}");
        allowed.sort_by_key(|m| m.to_string());
        assert_eq!(allowed, [Method::DELETE, Method::GET, Method::PATCH]);
    }
}
