//! A small stand-in for the pre-release Insights API (`/insights/Odata/{set}`, OData v4): monthly
//! recurring-revenue figures computed from the legal entity's subscriptions. It exists mainly so
//! that "a legacy token where only API tokens work" can be shown; the caller rejects legacy
//! tokens before this runs. Supports `$top`, `$skip` and `$count=true`.

use axum::http::StatusCode;
use jiff::{
    ToSpan,
    civil::{Date, date},
};
use serde_json::{Map, Value, json};

use super::{
    clock::{parse_civil, record_date},
    demo::LEGAL_ENTITIES,
    reply::Reply,
    resources::Resource,
    state::Shared,
};

/// The last month the figures cover (matches the generated data's "today").
const LAST_MONTH: Date = date(2024, 9, 1);
const MONTHS: i32 = 12;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Set {
    RecurringRevenue,
    AllMetrics,
    RevenueChanges,
}

struct Month {
    start: Date,
    mrr: f64,
    new_mrr: f64,
    customers: usize,
}

/// Answers `GET /insights/Odata/{set}`; unknown sets are 404 without a body.
pub(crate) fn answer(shared: &Shared, entity: usize, set: &str, query: &str) -> Reply {
    let set = match set.to_ascii_lowercase().as_str() {
        "recurringrevenue" => Set::RecurringRevenue,
        "allmetrics" => Set::AllMetrics,
        "revenuechanges" => Set::RevenueChanges,
        _ => return Reply::empty(StatusCode::NOT_FOUND),
    };
    let months = monthly_figures(shared, entity);
    let rows: Vec<Value> = months.iter().map(|month| row(set, entity, month)).collect();
    let mut top = usize::MAX;
    let mut skip = 0;
    let mut count = false;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match name.as_ref() {
            "$top" => top = value.parse().unwrap_or(top),
            "$skip" => skip = value.parse().unwrap_or(skip),
            "$count" => count = value.eq_ignore_ascii_case("true"),
            _ => {}
        }
    }
    let mut body = Map::new();
    if count {
        body.insert("@odata.count".into(), json!(rows.len()));
    }
    let page: Vec<Value> = rows.into_iter().skip(skip).take(top).collect();
    body.insert("value".into(), Value::Array(page));
    Reply::json(StatusCode::OK, &Value::Object(body))
}

fn row(set: Set, entity: usize, month: &Month) -> Value {
    let currency = if entity == 0 { "SEK" } else { "USD" };
    let round = |x: f64| (x * 100.0).round() / 100.0;
    match set {
        Set::RecurringRevenue => json!({
            "Month": record_date(month.start),
            "LegalEntity": LEGAL_ENTITIES[entity].name,
            "Currency": currency,
            "Mrr": round(month.mrr),
            "Arr": round(month.mrr * 12.0),
            "Customers": month.customers,
        }),
        Set::AllMetrics => json!({
            "Month": record_date(month.start),
            "LegalEntity": LEGAL_ENTITIES[entity].name,
            "Currency": currency,
            "Mrr": round(month.mrr),
            "Arr": round(month.mrr * 12.0),
            "NewMrr": round(month.new_mrr),
            "Customers": month.customers,
            "ArpaMonthly": if month.customers == 0 { 0.0 } else { round(month.mrr / month.customers as f64) },
        }),
        Set::RevenueChanges => json!({
            "Month": record_date(month.start),
            "LegalEntity": LEGAL_ENTITIES[entity].name,
            "Currency": currency,
            "ChangeType": "New",
            "Amount": round(month.new_mrr),
        }),
    }
}

/// MRR in the base currency per month from active subscriptions, by their start date.
fn monthly_figures(shared: &Shared, entity: usize) -> Vec<Month> {
    let mut starts: Vec<(Date, f64, String)> = Vec::new();
    {
        let store = shared.store();
        if let Some(table) = store.table(entity, Resource::Subscriptions) {
            for record in &table.records {
                let value = record.value();
                if value["status"] != "Active" {
                    continue;
                }
                let start = value["effectiveStartDate"].as_str().and_then(parse_civil);
                let mrr = value["cmrr"]["baseCurrencyAmount"].as_f64().unwrap_or(0.0);
                if let Some(start) = start {
                    starts.push((
                        start.date(),
                        mrr,
                        record.account_id.clone().unwrap_or_default(),
                    ));
                }
            }
        }
    }
    (0..MONTHS)
        .rev()
        .map(|back| {
            let start = LAST_MONTH.saturating_sub(back.months());
            let end = start.saturating_add(1.month());
            let active: Vec<&(Date, f64, String)> =
                starts.iter().filter(|(s, _, _)| *s < end).collect();
            let mut customers: Vec<&str> = active.iter().map(|(_, _, a)| a.as_str()).collect();
            customers.sort_unstable();
            customers.dedup();
            Month {
                start,
                mrr: active.iter().map(|(_, m, _)| m).sum(),
                new_mrr: active
                    .iter()
                    .filter(|(s, _, _)| *s >= start)
                    .map(|(_, m, _)| m)
                    .sum(),
                customers: customers.len(),
            }
        })
        .collect()
}
