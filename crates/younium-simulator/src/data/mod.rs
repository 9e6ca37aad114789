//! Demo records for both legal entities, generated deterministically from a seed and shaped like
//! the real records in the API notes: no null fields, zone-less timestamps with 6–7 fraction
//! digits, money as `CurrencyAmount` (bookings as `{amount, amountInBaseCurrency}`).
//!
//! Every account may have subscriptions; active subscriptions have an invoice and a booking;
//! settled invoices have a payment. So collections scale with `records_per_entity` (about 0.65
//! subscriptions, 0.55 invoices and bookings, 0.25 payments per account), while products,
//! currencies, countries, payment terms and webhooks are small fixed lists.

mod accounts;
mod billing;
mod bulk;
mod generator;
mod reference;
mod settings;

use serde_json::{Value, json};

use super::{
    demo::LEGAL_ENTITIES,
    reply::strip_nulls,
    resources::Resource,
    store::{Record, Store, Table},
    tenant::USERS,
};
use generator::EntityGenerator;

/// Generates the whole store; the first legal entity gets `extra_invoices` more invoices.
/// With `exact` (`simulate --records N`), the first legal entity holds exactly N accounts, N
/// subscriptions and N invoices (before the extra ones); the others keep `records_per_entity`.
pub(crate) fn generate(
    seed: u64,
    records_per_entity: usize,
    extra_invoices: usize,
    exact: Option<usize>,
) -> Store {
    let users = USERS
        .iter()
        .map(|user| record(Resource::Users, user.to_json()))
        .collect();
    // One thread per legal entity: generation is CPU-bound and the entities are independent.
    let entities = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..LEGAL_ENTITIES.len())
            .map(|entity| {
                let (accounts, extra, exact) = match (entity, exact) {
                    (0, Some(n)) => (n, extra_invoices, true),
                    (0, None) => (records_per_entity, extra_invoices, false),
                    _ => (records_per_entity, 0, false),
                };
                scope.spawn(move || {
                    EntityGenerator::new(seed, entity).generate(accounts, extra, exact)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    Store::new(Table::new(users), entities)
}

/// A random (version 4) GUID from a seeded stream, so ids repeat with the seed.
pub(crate) fn guid(rng: &mut fastrand::Rng) -> String {
    uuid::Builder::from_random_bytes(rng.u128(..).to_le_bytes())
        .into_uuid()
        .to_string()
}

/// A record of `value`. Bookings and payments keep the account they belong to beside the
/// record, not in it: their response schemas have no `account` field.
fn record(resource: Resource, mut value: Value) -> Record {
    strip_nulls(&mut value);
    let mut record = Record::from_value(resource, &value);
    if matches!(resource, Resource::Bookings | Resource::Payments)
        && let Some(object) = value.as_object_mut()
        && object.remove("account").is_some()
    {
        record.json = value.to_string().into_boxed_str();
    }
    record
}

fn round2(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

/// A reference to an account as other records embed it.
pub(crate) fn account_ref(account: &Value) -> Value {
    json!({"name": account["name"], "accountNumber": account["accountNumber"], "id": account["id"]})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_scales() {
        let a = generate(42, 30, 0, None);
        let b = generate(42, 30, 0, None);
        let c = generate(43, 30, 0, None);
        let accounts = |s: &Store| {
            s.table(0, Resource::Accounts)
                .map(|t| t.records[0].json.clone())
        };
        assert_eq!(accounts(&a), accounts(&b));
        assert_ne!(accounts(&a), accounts(&c));
        assert_eq!(
            a.table(1, Resource::Accounts).map(|t| t.records.len()),
            Some(30)
        );
        assert!(
            a.table(0, Resource::Subscriptions)
                .is_some_and(|t| !t.records.is_empty())
        );
        assert_eq!(a.users().records.len(), USERS.len());
    }

    #[test]
    fn an_exact_tenant_has_n_of_each_in_the_first_entity() {
        for n in [0, 1, 2, 7, 300, 1_200] {
            let store = generate(42, 5, 0, Some(n));
            for resource in [
                Resource::Accounts,
                Resource::Subscriptions,
                Resource::Invoices,
            ] {
                let records = store
                    .table(0, resource)
                    .map(|t| t.records.as_slice())
                    .unwrap_or_default();
                assert_eq!(records.len(), n, "{resource:?} with N = {n}");
                // Copies get ids and numbers of their own, in their text too.
                let mut ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
                ids.sort_unstable();
                ids.dedup();
                assert_eq!(ids.len(), n, "{resource:?}: ids repeat");
                let mut numbers: Vec<&str> =
                    records.iter().filter_map(|r| r.number.as_deref()).collect();
                let numbered = numbers.len();
                numbers.sort_unstable();
                numbers.dedup();
                assert_eq!(numbers.len(), numbered, "{resource:?}: numbers repeat");
                for record in records {
                    let value = record.value();
                    assert_eq!(value["id"], record.id.as_str());
                    if let Some((field, _)) = resource.number_field() {
                        assert_eq!(value[field].as_str(), record.number.as_deref());
                    }
                }
            }
            let others = store.table(1, Resource::Accounts).map(|t| t.records.len());
            assert_eq!(others, Some(5));
        }
        let a = generate(7, 5, 0, Some(50));
        let b = generate(7, 5, 0, Some(50));
        let texts = |s: &Store| -> Vec<String> {
            s.table(0, Resource::Invoices)
                .map(|t| t.records.iter().map(|r| r.json.to_string()).collect())
                .unwrap_or_default()
        };
        assert_eq!(texts(&a), texts(&b));
    }

    #[test]
    fn records_have_no_nulls_and_real_looking_timestamps() {
        let store = generate(42, 20, 0, None);
        for resource in Resource::PER_ENTITY {
            let Some(table) = store.table(0, resource) else {
                continue;
            };
            for record in &table.records {
                assert!(
                    !record.json.contains("null"),
                    "{resource:?}: {}",
                    record.json
                );
                assert!(!record.id.is_empty());
            }
        }
        let account = store
            .table(0, Resource::Accounts)
            .map(|t| t.records[0].value())
            .unwrap_or_default();
        let created = account["created"].as_str().unwrap_or_default();
        assert!(created.len() >= 19, "{created}");
        assert!(!created.ends_with('Z'));
    }
}
