//! The generator of one legal entity's records: its random stream, the order records are built
//! in, and the small helpers (money, moments, picks) the record builders share.

use jiff::{
    ToSpan,
    civil::{Date, DateTime},
};
use serde_json::{Value, json};

use super::bulk::{self, BulkSource};
use super::reference::{Market, PROFILES, Profile, SNAPSHOT};
use super::{guid, record, round2};
use crate::clock::parse_civil;
use crate::resources::Resource;
use crate::store::{EntityData, Record, Table};

/// An exact tenant (`simulate --records N`) builds at most this many accounts, subscriptions
/// and invoices record by record, and copies them for the rest.
const TEMPLATES: usize = 500;

/// The record lists [`EntityGenerator::top_up`] adds to.
struct Made<'a> {
    subscriptions: &'a mut Vec<Record>,
    invoices: &'a mut Vec<Record>,
    payments: &'a mut Vec<Record>,
    bookings: &'a mut Vec<Record>,
}

/// An account with its creation day, whatever its type.
fn created_of(account: &Value) -> Option<(Value, Date)> {
    let created = account["created"].as_str().and_then(parse_civil)?.date();
    Some((account.clone(), created))
}

/// Per-entity generation state: the random stream and running numbers.
pub(super) struct EntityGenerator {
    pub(super) rng: fastrand::Rng,
    pub(super) entity: usize,
    pub(super) profile: &'static Profile,
    pub(super) products: Vec<Value>,
    pub(super) payment_terms: Vec<Value>,
    pub(super) order_lines: u64,
}

impl EntityGenerator {
    pub(super) fn new(seed: u64, entity: usize) -> EntityGenerator {
        let stream = seed ^ 0x9E37_79B9_7F4A_7C15_u64.wrapping_mul(entity as u64 + 1);
        EntityGenerator {
            rng: fastrand::Rng::with_seed(stream),
            entity,
            profile: &PROFILES[entity % PROFILES.len()],
            products: Vec::new(),
            payment_terms: Vec::new(),
            order_lines: 0,
        }
    }

    /// The entity's records: `accounts_wanted` accounts and what follows from them, then
    /// `extra_invoices` more invoices (see `bulk.rs`). With `exact`, subscriptions and invoices
    /// are then topped up (or, for a handful of accounts, cut) to exactly `accounts_wanted` each
    /// (see [`EntityGenerator::top_up`]) before the extra invoices.
    pub(super) fn generate(
        mut self,
        accounts_wanted: usize,
        extra_invoices: usize,
        exact: bool,
    ) -> EntityData {
        self.payment_terms = self.payment_terms();
        self.products = self.products();
        let mut accounts = Vec::with_capacity(accounts_wanted);
        let mut subscriptions = Vec::new();
        let mut invoices = Vec::new();
        let mut payments = Vec::new();
        let mut bookings = Vec::new();
        let mut billable = Vec::new();
        // An exact tenant builds at most TEMPLATES accounts the demo's way and copies the rest.
        let (built, wanted) = if exact {
            (accounts_wanted.min(TEMPLATES), accounts_wanted)
        } else {
            (accounts_wanted, accounts_wanted)
        };
        for index in 0..built {
            let created = self.account_created(index, built);
            let mut account = self.account(index + 1, created);
            let mut recurring = Vec::new();
            for _ in 0..self.subscription_count(&account) {
                let number = subscriptions.len() + 1;
                let facts = self.subscription(number, &account, created.date());
                if facts.status != "Draft" {
                    bookings.push(record(Resource::Bookings, self.booking(&facts)));
                }
                if facts.status == "Active" {
                    recurring.push(facts.monthly);
                    let invoice = self.invoice(invoices.len() + 1, &account, &facts);
                    if invoice["status"] == "Settled" {
                        payments.push(record(Resource::Payments, self.payment(&invoice)));
                    }
                    invoices.push(record(Resource::Invoices, invoice));
                }
                subscriptions.push(record(Resource::Subscriptions, facts.value));
            }
            let monthly: f64 = recurring.iter().sum();
            let currency = account["currencyCode"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            account["cmrr"] = self.money(monthly, &currency);
            account["acv"] = self.money(monthly * 12.0, &currency);
            account["tcv"] = self.money(monthly * 36.0, &currency);
            if extra_invoices > 0 || exact {
                billable.extend(bulk::billable(&account));
            }
            accounts.push(record(Resource::Accounts, account));
        }
        if exact {
            if billable.is_empty() {
                // Only prospects or inactive accounts (a tenant of one or two): bill them anyway.
                billable = accounts
                    .iter()
                    .filter_map(|a| created_of(&a.value()))
                    .collect();
            }
            let mut made = Made {
                subscriptions: &mut subscriptions,
                invoices: &mut invoices,
                payments: &mut payments,
                bookings: &mut bookings,
            };
            self.top_up(built, &billable, &mut made);
            self.copy_up(&mut accounts, wanted, Resource::Accounts);
            self.copy_up(&mut subscriptions, wanted, Resource::Subscriptions);
            self.copy_up(&mut invoices, wanted, Resource::Invoices);
        }
        let source = BulkSource {
            // A draw from a copy: the entity's own stream (and so the demo data built from it
            // below) stays the same with or without extra invoices.
            seed: self.rng.clone().u64(..),
            entity: self.entity,
            accounts: &billable,
            products: &self.products,
            payment_terms: &self.payment_terms,
            first_number: invoices.len() + 1,
        };
        invoices.extend(bulk::invoices(&source, extra_invoices));
        let mut tables: Vec<Table> = Resource::PER_ENTITY
            .iter()
            .map(|_| Table::default())
            .collect();
        let mut put = |resource: Resource, records: Vec<Record>| {
            tables[resource.index()] = Table::new(records);
        };
        put(Resource::Accounts, accounts);
        put(Resource::Subscriptions, subscriptions);
        put(Resource::Invoices, invoices);
        put(Resource::Payments, payments);
        put(Resource::Bookings, bookings);
        let products = self.products.clone();
        put(
            Resource::Products,
            self.records(Resource::Products, products),
        );
        let terms = self.payment_terms.clone();
        put(
            Resource::PaymentTerms,
            self.records(Resource::PaymentTerms, terms),
        );
        let webhooks = self.webhooks();
        put(
            Resource::Webhooks,
            self.records(Resource::Webhooks, webhooks),
        );
        let currencies = self.currencies();
        put(
            Resource::Currency,
            self.records(Resource::Currency, currencies),
        );
        let countries = self.countries();
        put(
            Resource::Countries,
            self.records(Resource::Countries, countries),
        );
        EntityData::new(tables)
    }

    /// Makes `subscriptions` and `invoices` exactly `wanted` long: more subscriptions for the
    /// billable accounts in turn (with their invoices, payments and bookings, as in the loop
    /// above) until there are enough, then bulk invoices (see `bulk.rs`) for the rest; the
    /// few that a tiny tenant has too many of are cut from the end.
    fn top_up(&mut self, wanted: usize, billable: &[(Value, Date)], made: &mut Made<'_>) {
        let mut turn = 0;
        while made.subscriptions.len() < wanted && !billable.is_empty() {
            let (account, created) = &billable[turn % billable.len()];
            turn += 1;
            let facts = self.subscription(made.subscriptions.len() + 1, account, *created);
            if facts.status != "Draft" {
                made.bookings
                    .push(record(Resource::Bookings, self.booking(&facts)));
            }
            if facts.status == "Active" && made.invoices.len() < wanted {
                let invoice = self.invoice(made.invoices.len() + 1, account, &facts);
                if invoice["status"] == "Settled" {
                    made.payments
                        .push(record(Resource::Payments, self.payment(&invoice)));
                }
                made.invoices.push(record(Resource::Invoices, invoice));
            }
            made.subscriptions
                .push(record(Resource::Subscriptions, facts.value));
        }
        made.subscriptions.truncate(wanted);
        if made.invoices.len() < wanted {
            let source = BulkSource {
                seed: self.rng.u64(..),
                entity: self.entity,
                accounts: billable,
                products: &self.products,
                payment_terms: &self.payment_terms,
                first_number: made.invoices.len() + 1,
            };
            let more = bulk::invoices(&source, wanted - made.invoices.len());
            made.invoices.extend(more);
        }
        made.invoices.truncate(wanted);
    }

    /// Makes `records` `wanted` long with copies of the records it holds (in turn), each with
    /// a new id and the next number: the fast way to a large tenant (a record built field by
    /// field costs about a millisecond in a debug build; a copy is a few string edits on its
    /// JSON text). Nested ids (addresses, lines) and references (an invoice's account and
    /// subscription) stay those of the original.
    fn copy_up(&mut self, records: &mut Vec<Record>, wanted: usize, resource: Resource) {
        let originals = records.len();
        if originals == 0 {
            return;
        }
        let number_field = match resource {
            Resource::Accounts => Some(("accountNumber", "A")),
            Resource::Subscriptions => Some(("orderNumber", "O")),
            Resource::Invoices => Some(("invoiceNumber", "I")),
            _ => None,
        };
        records.reserve(wanted.saturating_sub(originals));
        for index in originals..wanted {
            let original = &records[index % originals];
            let id = self.guid();
            let mut json = original.json.to_string();
            // Every record is a JSON object whose first member is its id (see `record`).
            let id_start = "{\"id\":\"".len();
            if json.starts_with("{\"id\":\"")
                && json[id_start..].find('"') == Some(original.id.len())
            {
                json.replace_range(id_start..id_start + original.id.len(), &id);
            }
            let mut number = original.number.clone();
            if let (Some((field, prefix)), Some(old)) = (number_field, &original.number) {
                let new = format!("{prefix}-{:06}", index + 1);
                let member = format!("\"{field}\":\"{old}\"");
                if let Some(at) = json.find(&member) {
                    let value = at + field.len() + 4;
                    json.replace_range(value..value + old.len(), &new);
                    number = Some(new);
                }
            }
            records.push(Record {
                id,
                number,
                account_id: original.account_id.clone(),
                json: json.into_boxed_str(),
            });
        }
    }

    fn records(&self, resource: Resource, values: Vec<Value>) -> Vec<Record> {
        values.into_iter().map(|v| record(resource, v)).collect()
    }

    // --- small random helpers ---

    pub(super) fn guid(&mut self) -> String {
        guid(&mut self.rng)
    }

    pub(super) fn chance(&mut self, probability: f64) -> bool {
        self.rng.f64() < probability
    }

    pub(super) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.usize(..items.len())]
    }

    pub(super) fn market(&mut self) -> &'static Market {
        let markets = self.profile.markets;
        let total: u32 = markets.iter().map(|m| m.weight).sum();
        let mut draw = self.rng.u32(..total.max(1));
        for market in markets {
            if draw < market.weight {
                return market;
            }
            draw -= market.weight;
        }
        &markets[0]
    }

    /// A working-hours moment on `day`, with 100 ns resolution like .NET.
    pub(super) fn moment(&mut self, day: Date) -> DateTime {
        day.at(
            self.rng.i8(7..19),
            self.rng.i8(0..60),
            self.rng.i8(0..60),
            self.rng.i32(0..10_000_000) * 100,
        )
    }

    pub(super) fn later(&mut self, start: DateTime, max_days: i64) -> DateTime {
        let day = start
            .date()
            .saturating_add(self.rng.i64(0..=max_days).days())
            .min(SNAPSHOT);
        let moment = self.moment(day);
        moment.max(start)
    }

    pub(super) fn rate(&self, currency: &str) -> f64 {
        self.profile
            .rates
            .iter()
            .find(|(code, _)| *code == currency)
            .map_or(1.0, |(_, rate)| *rate)
    }

    /// A `CurrencyAmount`; zero amounts carry no currency codes, as in real data.
    pub(super) fn money(&self, amount: f64, currency: &str) -> Value {
        let base = round2(amount * self.rate(currency));
        if amount == 0.0 {
            return json!({"amount": 0.0, "baseCurrencyAmount": 0.0});
        }
        json!({
            "amount": round2(amount),
            "currencyCode": currency,
            "baseCurrencyAmount": base,
            "baseCurrencyCode": self.profile.base_currency,
        })
    }

    /// A catalogue price converted to `currency`, rounded the way price lists are.
    pub(super) fn price_in(&self, base_price: f64, currency: &str) -> f64 {
        let price = base_price / self.profile.price_divisor / self.rate(currency)
            * self.rate(self.profile.base_currency);
        if price >= 20.0 {
            price.round()
        } else {
            round2(price)
        }
    }
}
