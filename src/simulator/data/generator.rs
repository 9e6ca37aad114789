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
use crate::simulator::resources::Resource;
use crate::simulator::store::{EntityData, Record, Table};

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
    /// `extra_invoices` more invoices (see `bulk.rs`).
    pub(super) fn generate(mut self, accounts_wanted: usize, extra_invoices: usize) -> EntityData {
        self.payment_terms = self.payment_terms();
        self.products = self.products();
        let mut accounts = Vec::with_capacity(accounts_wanted);
        let mut subscriptions = Vec::new();
        let mut invoices = Vec::new();
        let mut payments = Vec::new();
        let mut bookings = Vec::new();
        let mut billable = Vec::new();
        for index in 0..accounts_wanted {
            let created = self.account_created(index, accounts_wanted);
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
            if extra_invoices > 0 {
                billable.extend(bulk::billable(&account));
            }
            accounts.push(record(Resource::Accounts, account));
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
