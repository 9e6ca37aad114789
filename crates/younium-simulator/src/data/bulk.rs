//! Extra invoices on top of the demo data (`simulate --invoices N`), for large-body tests and
//! benchmarks: each is built like a demo invoice, from an active subscription of one of the
//! entity's billable accounts (drawn as the demo's are, but not kept as a record), numbered on
//! after the demo invoices.
//!
//! The work is cut into chunks of [`CHUNK`] invoices, each with its own random stream derived
//! from the seed and the chunk's number, so the result is the same whatever the number of
//! threads that build it (one per core).

use jiff::{ToSpan, civil::Date};
use serde_json::{Value, json};

use super::billing::{ChargeTerms, SubscriptionFacts};
use super::generator::EntityGenerator;
use super::record;
use super::reference::{CATALOGUE, RECURRING_ITEMS, SNAPSHOT};
use crate::clock::parse_civil;
use crate::resources::Resource;
use crate::store::Record;

/// Invoices per chunk (one random stream each).
const CHUNK: usize = 1024;

/// What the bulk invoices are drawn from: the entity's generator state after the demo data.
pub(super) struct BulkSource<'a> {
    pub seed: u64,
    pub entity: usize,
    /// Accounts that can be invoiced (not prospects, not inactive), with their creation day.
    pub accounts: &'a [(Value, Date)],
    pub products: &'a [Value],
    pub payment_terms: &'a [Value],
    /// The number of the first bulk invoice (`I-000123`).
    pub first_number: usize,
}

/// The account and its creation day, if it can be invoiced.
pub(super) fn billable(account: &Value) -> Option<(Value, Date)> {
    if account["accountType"] == "Prospect" || account["inactive"] == true {
        return None;
    }
    let created = account["created"].as_str().and_then(parse_civil)?.date();
    Some((account.clone(), created))
}

/// `count` invoices, in number order; none when the entity has no billable account.
pub(super) fn invoices(source: &BulkSource<'_>, count: usize) -> Vec<Record> {
    if source.accounts.is_empty() || count == 0 {
        return Vec::new();
    }
    let chunks = count.div_ceil(CHUNK);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(chunks);
    // Worker w builds chunks w, w + workers, …; the chunks are put back in order after.
    let mut built: Vec<(usize, Vec<Record>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                scope.spawn(move || {
                    (worker..chunks)
                        .step_by(workers)
                        .map(|chunk| {
                            let start = chunk * CHUNK;
                            let size = CHUNK.min(count - start);
                            (chunk, build_chunk(source, chunk, start, size))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    built.sort_by_key(|(chunk, _)| *chunk);
    let mut records = Vec::with_capacity(count);
    for (_, chunk) in built {
        records.extend(chunk);
    }
    records
}

fn build_chunk(source: &BulkSource<'_>, chunk: usize, start: usize, size: usize) -> Vec<Record> {
    let mut generator = EntityGenerator::new(
        source.seed ^ (chunk as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03),
        source.entity,
    );
    generator.products = source.products.to_vec();
    generator.payment_terms = source.payment_terms.to_vec();
    // Charge numbers of the (unkept) subscriptions behind the invoices: distinct per chunk.
    generator.order_lines = 1_000_000 + (start as u64) * 4;
    (0..size)
        .map(|offset| {
            let number = source.first_number + start + offset;
            let (account, created) = &source.accounts[generator.rng.usize(..source.accounts.len())];
            let facts = generator.invoiced_subscription(account, *created);
            record(
                Resource::Invoices,
                generator.invoice(number, account, &facts),
            )
        })
        .collect()
}

impl EntityGenerator {
    /// What an invoice needs of an active subscription of `account`, drawn as the demo's are
    /// (start, billing period, products and their prices) but without the subscription record
    /// itself, which is not kept: half the work of a bulk invoice.
    fn invoiced_subscription(&mut self, account: &Value, created: Date) -> SubscriptionFacts {
        let currency = account["currencyCode"]
            .as_str()
            .unwrap_or(self.profile.base_currency)
            .to_owned();
        let start = created
            .saturating_add(self.rng.i64(0..90).days())
            .first_of_month()
            .min(SNAPSHOT.first_of_month());
        let billing_period = self.pick(&["Monthly", "Quarterly", "Annual", "Annual"]);
        let mut items = vec![0];
        for item in 1..RECURRING_ITEMS {
            if self.chance(0.3) {
                items.push(item);
            }
        }
        let mut monthly = 0.0;
        let mut products = Vec::with_capacity(items.len());
        for item in items {
            self.order_lines += 1;
            let ChargeTerms {
                quantity,
                price,
                monthly: amount,
                ..
            } = self.charge_terms(item, &currency);
            monthly += amount;
            products.push(json!({
                "productNumber": format!("OP-{:06}", self.order_lines),
                "name": CATALOGUE[item].name,
                "charges": [{
                    "chargeNumber": format!("OPC-{:06}", self.order_lines),
                    "displayPrice": price,
                    "quantity": quantity,
                    "recurringMonthlyAmount": amount,
                }],
            }));
        }
        SubscriptionFacts {
            value: json!({
                "id": self.guid(),
                "currency": currency,
                "orderBillingPeriod": billing_period,
                "products": products,
            }),
            status: "Active",
            monthly,
            term_months: 12,
            start,
        }
    }
}
