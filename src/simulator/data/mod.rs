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
pub(crate) fn generate(seed: u64, records_per_entity: usize, extra_invoices: usize) -> Store {
    let users = USERS
        .iter()
        .map(|user| record(Resource::Users, user.to_json()))
        .collect();
    // One thread per legal entity: generation is CPU-bound and the entities are independent.
    let entities = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..LEGAL_ENTITIES.len())
            .map(|entity| {
                let extra = if entity == 0 { extra_invoices } else { 0 };
                scope.spawn(move || {
                    EntityGenerator::new(seed, entity).generate(records_per_entity, extra)
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

fn record(resource: Resource, mut value: Value) -> Record {
    strip_nulls(&mut value);
    Record::from_value(resource, &value)
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
        let a = generate(42, 30, 0);
        let b = generate(42, 30, 0);
        let c = generate(43, 30, 0);
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
    fn records_have_no_nulls_and_real_looking_timestamps() {
        let store = generate(42, 20, 0);
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
