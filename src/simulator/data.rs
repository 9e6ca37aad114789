//! Demo records for both legal entities, generated deterministically from a seed and shaped like
//! the real records in the API notes: no null fields, zone-less timestamps with 6–7 fraction
//! digits, money as `CurrencyAmount` (bookings as `{amount, amountInBaseCurrency}`).
//!
//! Every account may have subscriptions; active subscriptions have an invoice and a booking;
//! settled invoices have a payment. So collections scale with `records_per_entity` (about 0.65
//! subscriptions, 0.55 invoices and bookings, 0.25 payments per account), while products,
//! currencies, countries, payment terms and webhooks are small fixed lists.

use jiff::{
    ToSpan,
    civil::{Date, DateTime, date},
};
use serde_json::{Value, json};

use super::{
    clock::{record_date, record_timestamp},
    demo::LEGAL_ENTITIES,
    reply::strip_nulls,
    resources::Resource,
    store::{EntityData, Record, Store, Table},
    tenant::USERS,
};

/// "Today" inside the data, so that generated records do not depend on the wall clock.
const SNAPSHOT: Date = date(2024, 10, 1);
/// Accounts are created between this day and [`SNAPSHOT`].
const FIRST_DAY: Date = date(2020, 9, 1);

/// A market the legal entity sells into.
struct Market {
    country: &'static str,
    currency: &'static str,
    legal_form: &'static str,
    top_level_domain: &'static str,
    weight: u32,
    cities: &'static [(&'static str, &'static str)],
    streets: &'static [&'static str],
}

/// How one legal entity's books look.
struct Profile {
    base_currency: &'static str,
    /// Value of one unit of each currency in the base currency.
    rates: &'static [(&'static str, f64)],
    markets: &'static [Market],
    /// VAT charged to customers in the first market; exports are zero-rated.
    home_tax_rate: f64,
    receivable: (&'static str, &'static str),
    bank_account: (&'static str, &'static str),
    our_references: &'static [&'static str],
    /// Catalogue prices are given in the base currency divided by this (1 for SEK, ~10 for USD).
    price_divisor: f64,
}

const PROFILES: [Profile; 2] = [
    Profile {
        base_currency: "SEK",
        rates: &[
            ("SEK", 1.0),
            ("EUR", 11.3585),
            ("NOK", 0.9842),
            ("DKK", 1.5231),
            ("USD", 10.4817),
            ("GBP", 13.2154),
        ],
        markets: &[
            Market {
                country: "Sweden",
                currency: "SEK",
                legal_form: "AB",
                top_level_domain: "se",
                weight: 55,
                cities: &[
                    ("Stockholm", "111 52"),
                    ("Göteborg", "411 06"),
                    ("Malmö", "211 20"),
                    ("Uppsala", "753 20"),
                    ("Linköping", "582 24"),
                    ("Umeå", "903 26"),
                ],
                streets: &["Storgatan", "Kungsgatan", "Drottninggatan", "Sveavägen"],
            },
            Market {
                country: "Norway",
                currency: "NOK",
                legal_form: "AS",
                top_level_domain: "no",
                weight: 12,
                cities: &[("Oslo", "0150"), ("Bergen", "5003"), ("Trondheim", "7011")],
                streets: &["Karl Johans gate", "Storgata", "Bryggen"],
            },
            Market {
                country: "Denmark",
                currency: "DKK",
                legal_form: "ApS",
                top_level_domain: "dk",
                weight: 10,
                cities: &[("København", "1050"), ("Aarhus", "8000")],
                streets: &["Strøget", "Vesterbrogade", "Nørregade"],
            },
            Market {
                country: "Finland",
                currency: "EUR",
                legal_form: "Oy",
                top_level_domain: "fi",
                weight: 10,
                cities: &[
                    ("Helsinki", "00100"),
                    ("Espoo", "02100"),
                    ("Tampere", "33100"),
                ],
                streets: &["Mannerheimintie", "Aleksanterinkatu", "Hämeenkatu"],
            },
            Market {
                country: "Germany",
                currency: "EUR",
                legal_form: "GmbH",
                top_level_domain: "de",
                weight: 13,
                cities: &[
                    ("Berlin", "10115"),
                    ("Hamburg", "20095"),
                    ("München", "80331"),
                ],
                streets: &["Hauptstraße", "Bahnhofstraße", "Friedrichstraße"],
            },
        ],
        home_tax_rate: 25.0,
        receivable: ("1510", "Accounts Receivable"),
        bank_account: ("1930", "Bank account"),
        our_references: &["Johan", "Astrid", "Sofia", "Erik", "Maja"],
        price_divisor: 1.0,
    },
    Profile {
        base_currency: "USD",
        rates: &[
            ("USD", 1.0),
            ("CAD", 0.7391),
            ("GBP", 1.2718),
            ("EUR", 1.0894),
        ],
        markets: &[
            Market {
                country: "United States of America",
                currency: "USD",
                legal_form: "Inc",
                top_level_domain: "com",
                weight: 70,
                cities: &[
                    ("Austin", "78701"),
                    ("Boston", "02108"),
                    ("Chicago", "60601"),
                    ("Denver", "80202"),
                    ("Seattle", "98101"),
                ],
                streets: &[
                    "Main Street",
                    "Market Street",
                    "Congress Avenue",
                    "Pine Street",
                ],
            },
            Market {
                country: "Canada",
                currency: "CAD",
                legal_form: "Ltd",
                top_level_domain: "ca",
                weight: 15,
                cities: &[("Toronto", "M5H 2N2"), ("Vancouver", "V6B 1A1")],
                streets: &["King Street West", "Granville Street"],
            },
            Market {
                country: "United Kingdom",
                currency: "GBP",
                legal_form: "Ltd",
                top_level_domain: "co.uk",
                weight: 15,
                cities: &[("London", "EC1A 1BB"), ("Manchester", "M1 1AE")],
                streets: &["High Street", "Deansgate", "Old Street"],
            },
        ],
        home_tax_rate: 0.0,
        receivable: ("1200", "Accounts Receivable"),
        bank_account: ("1010", "Operating account"),
        our_references: &["Emily", "Daniel", "Grace", "Ryan"],
        price_divisor: 10.0,
    },
];

const NAME_PREFIXES: [&str; 24] = [
    "Aurora", "Fjäll", "Granit", "Havs", "Lumen", "Norr", "Polar", "Saga", "Stella", "Tundra",
    "Vinter", "Birch", "Cobalt", "Delta", "Ember", "Falcon", "Harbor", "Iris", "Juniper",
    "Kestrel", "Maple", "Nimbus", "Quartz", "Summit",
];
const NAME_CORES: [&str; 16] = [
    "Data",
    "Logistik",
    "Analytics",
    "Systems",
    "Media",
    "Health",
    "Retail",
    "Energy",
    "Robotics",
    "Foods",
    "Labs",
    "Cloud",
    "Design",
    "Finance",
    "Motion",
    "Consulting",
];
/// A catalogue product: name, category, charge type, price model, monthly (or one-off) price in
/// the Swedish entity's base currency.
struct CatalogueItem {
    name: &'static str,
    category: &'static str,
    charge_type: &'static str,
    model: &'static str,
    price: f64,
}

const CATALOGUE: [CatalogueItem; 8] = [
    CatalogueItem {
        name: "Nordlys Platform",
        category: "Core service",
        charge_type: "Recurring",
        model: "PerUnit",
        price: 450.0,
    },
    CatalogueItem {
        name: "Analytics Add-on",
        category: "Add-on",
        charge_type: "Recurring",
        model: "Flat",
        price: 2500.0,
    },
    CatalogueItem {
        name: "Premium Support",
        category: "Services",
        charge_type: "Recurring",
        model: "Flat",
        price: 1500.0,
    },
    CatalogueItem {
        name: "API Access",
        category: "Add-on",
        charge_type: "Recurring",
        model: "Flat",
        price: 990.0,
    },
    CatalogueItem {
        name: "Enterprise SSO",
        category: "Add-on",
        charge_type: "Recurring",
        model: "Flat",
        price: 1200.0,
    },
    CatalogueItem {
        name: "Onboarding Package",
        category: "Services",
        charge_type: "OneOff",
        model: "Flat",
        price: 15000.0,
    },
    CatalogueItem {
        name: "Data Storage",
        category: "Usage",
        charge_type: "Usage",
        model: "PerUnit",
        price: 2.0,
    },
    CatalogueItem {
        name: "Training Day",
        category: "Services",
        charge_type: "OneOff",
        model: "Flat",
        price: 9500.0,
    },
];

/// The recurring catalogue items subscriptions are made of (the first five).
const RECURRING_ITEMS: usize = 5;

const COUNTRIES: [(&str, &str, &str); 16] = [
    ("Sweden", "SE", "SWE"),
    ("Norway", "NO", "NOR"),
    ("Denmark", "DK", "DNK"),
    ("Finland", "FI", "FIN"),
    ("Iceland", "IS", "ISL"),
    ("Germany", "DE", "DEU"),
    ("Netherlands", "NL", "NLD"),
    ("France", "FR", "FRA"),
    ("Spain", "ES", "ESP"),
    ("Poland", "PL", "POL"),
    ("Estonia", "EE", "EST"),
    ("United Kingdom", "GB", "GBR"),
    ("Ireland", "IE", "IRL"),
    ("United States of America", "US", "USA"),
    ("Canada", "CA", "CAN"),
    ("Australia", "AU", "AUS"),
];

const CURRENCY_NAMES: [(&str, &str); 7] = [
    ("SEK", "Swedish krona"),
    ("EUR", "Euro"),
    ("NOK", "Norwegian krone"),
    ("DKK", "Danish krone"),
    ("USD", "US dollar"),
    ("GBP", "Pound sterling"),
    ("CAD", "Canadian dollar"),
];

/// Payment terms: name, description, term type, days.
const PAYMENT_TERMS: [(&str, &str, &str, i64); 5] = [
    ("30", "30 days net", "NetDays", 30),
    ("10", "10 days net", "NetDays", 10),
    ("14", "14 days net", "NetDays", 14),
    ("60", "60 days net", "NetDays", 60),
    (
        "EOM30",
        "30 days after end of month",
        "EndOfMonthNetDays",
        30,
    ),
];

/// Generates the whole store.
pub(crate) fn generate(seed: u64, records_per_entity: usize) -> Store {
    let users = USERS
        .iter()
        .map(|user| record(Resource::Users, user.to_json()))
        .collect();
    // One thread per legal entity: generation is CPU-bound and the entities are independent.
    let entities = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..LEGAL_ENTITIES.len())
            .map(|entity| {
                scope.spawn(move || EntityGenerator::new(seed, entity).generate(records_per_entity))
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

/// What a generated subscription leaves for the invoice, booking and account built after it.
struct SubscriptionFacts {
    value: Value,
    status: &'static str,
    monthly: f64,
    term_months: i64,
    start: Date,
}

/// Per-entity generation state: the random stream and running numbers.
struct EntityGenerator {
    rng: fastrand::Rng,
    entity: usize,
    profile: &'static Profile,
    products: Vec<Value>,
    payment_terms: Vec<Value>,
    order_lines: u64,
}

impl EntityGenerator {
    fn new(seed: u64, entity: usize) -> EntityGenerator {
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

    fn generate(mut self, accounts_wanted: usize) -> EntityData {
        self.payment_terms = self.payment_terms();
        self.products = self.products();
        let mut accounts = Vec::with_capacity(accounts_wanted);
        let mut subscriptions = Vec::new();
        let mut invoices = Vec::new();
        let mut payments = Vec::new();
        let mut bookings = Vec::new();
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
            accounts.push(record(Resource::Accounts, account));
        }
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

    fn guid(&mut self) -> String {
        guid(&mut self.rng)
    }

    fn chance(&mut self, probability: f64) -> bool {
        self.rng.f64() < probability
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.usize(..items.len())]
    }

    fn market(&mut self) -> &'static Market {
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
    fn moment(&mut self, day: Date) -> DateTime {
        day.at(
            self.rng.i8(7..19),
            self.rng.i8(0..60),
            self.rng.i8(0..60),
            self.rng.i32(0..10_000_000) * 100,
        )
    }

    fn later(&mut self, start: DateTime, max_days: i64) -> DateTime {
        let day = start
            .date()
            .saturating_add(self.rng.i64(0..=max_days).days())
            .min(SNAPSHOT);
        let moment = self.moment(day);
        moment.max(start)
    }

    fn rate(&self, currency: &str) -> f64 {
        self.profile
            .rates
            .iter()
            .find(|(code, _)| *code == currency)
            .map_or(1.0, |(_, rate)| *rate)
    }

    /// A `CurrencyAmount`; zero amounts carry no currency codes, as in real data.
    fn money(&self, amount: f64, currency: &str) -> Value {
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
    fn price_in(&self, base_price: f64, currency: &str) -> f64 {
        let price = base_price / self.profile.price_divisor / self.rate(currency)
            * self.rate(self.profile.base_currency);
        if price >= 20.0 {
            price.round()
        } else {
            round2(price)
        }
    }

    // --- accounts ---

    fn account_created(&mut self, index: usize, total: usize) -> DateTime {
        let span_days = (SNAPSHOT - FIRST_DAY).get_days().max(1) as usize;
        let offset = index * span_days / total.max(1);
        let day = FIRST_DAY.saturating_add((offset as i64).days());
        self.moment(day)
    }

    fn account(&mut self, number: usize, created: DateTime) -> Value {
        let market = self.market();
        let prefix = self.pick(&NAME_PREFIXES);
        let core = self.pick(&NAME_CORES);
        let name = format!("{prefix} {core} {}", market.legal_form);
        let domain = format!(
            "{}{}.{}",
            ascii_lower(prefix),
            ascii_lower(core),
            market.top_level_domain
        );
        let (city, zip) = self.pick(market.cities);
        let delivery = if self.chance(0.7) {
            "Email"
        } else if self.chance(0.5) {
            "ElectronicInvoice"
        } else {
            "Print"
        };
        let account_type = if self.chance(0.88) {
            "Customer"
        } else if self.chance(0.6) {
            "Reseller"
        } else {
            "Prospect"
        };
        let home = market.country == self.profile.markets[0].country;
        let street_number = self.rng.u16(1..120);
        let street = self.pick(market.streets);
        let address = json!({
            "id": self.guid(),
            "description": "Invoice address",
            "street": format!("{street} {street_number}"),
            "city": city,
            "zip": zip,
            "country": market.country,
        });
        let delivery_address = self.chance(0.25).then(|| {
            json!({"id": self.guid(), "description": "Delivery address", "city": city, "country": market.country})
        });
        let organization_number = self.chance(0.8).then(|| {
            format!(
                "55{:04}-{:04}",
                self.rng.u16(1000..9999),
                self.rng.u16(0..9999)
            )
        });
        let our_reference = self
            .chance(0.6)
            .then(|| self.pick(self.profile.our_references));
        let term = self.pick(&["30", "30", "30", "10", "60"]);
        let modified = self.later(created, 400);
        let vat_prefix = COUNTRIES
            .iter()
            .find(|(name, _, _)| *name == market.country)
            .map_or("XX", |(_, two, _)| *two);
        let tax_number = (!home && self.chance(0.7))
            .then(|| format!("{vat_prefix}{}", self.rng.u64(100_000_000..999_999_999)));
        let segment = self
            .chance(0.5)
            .then(|| self.pick(&["SMB", "Mid-market", "Enterprise"]));
        json!({
            "id": self.guid(),
            "accountNumber": format!("A-{number:06}"),
            "accountType": account_type,
            "inactive": self.chance(0.04),
            "invoiceDeliveryMethod": delivery,
            "accountsReceivable": self.profile.receivable.0,
            "currencyCode": market.currency,
            "defaultPaymentTerm": term,
            "domain": self.chance(0.5).then(|| domain.clone()),
            "invoiceEmailAddress": (delivery == "Email").then(|| format!("invoices@{domain}")),
            "name": name,
            "organizationNumber": organization_number,
            "ourReference": our_reference,
            "taxRegistrationNumber": tax_number,
            "taxTemplate": if home { "Standard" } else { "Export" },
            "defaultInvoiceAddress": address,
            "defaultDeliveryAddress": delivery_address,
            "customFields": match segment { Some(segment) => json!({"segment": segment}), None => json!({}) },
            "created": record_timestamp(created),
            "modified": record_timestamp(modified),
        })
    }

    fn subscription_count(&mut self, account: &Value) -> usize {
        if account["accountType"] == "Prospect" || account["inactive"] == true {
            return 0;
        }
        match self.rng.u8(0..100) {
            0..=29 => 0,
            30..=89 => 1,
            _ => 2,
        }
    }

    // --- subscriptions ---

    fn subscription(
        &mut self,
        number: usize,
        account: &Value,
        account_created: Date,
    ) -> SubscriptionFacts {
        let currency = account["currencyCode"]
            .as_str()
            .unwrap_or(self.profile.base_currency)
            .to_owned();
        let start = account_created
            .saturating_add(self.rng.i64(0..90).days())
            .first_of_month()
            .min(SNAPSHOT.first_of_month());
        let termed = self.chance(0.8);
        let term_months: i64 = if termed {
            self.pick(&[12, 12, 24, 36])
        } else {
            12
        };
        let auto_renewed = self.chance(0.7);
        let mut end = start
            .saturating_add(term_months.months())
            .saturating_sub(1.day());
        // Auto-renewed terms that ran out before "today" have been renewed for a year at a time.
        let mut last_renewal = None;
        while termed && auto_renewed && end < SNAPSHOT {
            last_renewal = Some(end.saturating_add(1.day()));
            end = end.saturating_add(12.months());
        }
        let status = match self.rng.u8(0..100) {
            _ if termed && end < SNAPSHOT => "Cancelled",
            0..=84 => "Active",
            85..=94 => "Cancelled",
            _ => "Draft",
        };
        let billing_period = self.pick(&["Monthly", "Quarterly", "Annual", "Annual"]);
        let order_date = start
            .saturating_sub(self.rng.i64(0..30).days())
            .max(account_created);
        let created = self.moment(order_date.min(SNAPSHOT));
        let modified = self.later(created, 200);

        let mut items = vec![0];
        for item in 1..RECURRING_ITEMS {
            if self.chance(0.3) {
                items.push(item);
            }
        }
        let mut monthly = 0.0;
        let mut products = Vec::new();
        for (line, item) in items.into_iter().enumerate() {
            let (product, amount) = self.order_product(
                item,
                line,
                &currency,
                start,
                termed.then_some(end),
                billing_period,
            );
            monthly += amount;
            products.push(product);
        }
        let tcv_months = if termed { term_months as f64 } else { 12.0 };
        let value = json!({
            "id": self.guid(),
            "orderNumber": format!("O-{number:06}"),
            "version": 1,
            "isLastVersion": true,
            "status": status,
            "effectiveStartDate": record_date(start),
            "effectiveEndDate": termed.then(|| record_date(end)),
            "orderDate": record_date(order_date),
            "noticePeriodDate": termed.then(|| record_date(end.saturating_sub(3.months()))),
            "lastRenewalDate": last_renewal.map(record_date),
            "created": record_timestamp(created),
            "modified": record_timestamp(modified),
            "noticePeriod": 3,
            "term": termed.then_some(term_months),
            "renewalTerm": 12,
            "isAutoRenewed": auto_renewed,
            "orderType": "Subscription",
            "termType": if termed { "Termed" } else { "Evergreen" },
            "orderPaymentMethod": "Invoice",
            "invoiceSeparatly": false,
            "orderBillingPeriod": billing_period,
            "setOrderBillingPeriod": false,
            "paymentTerm": account["defaultPaymentTerm"],
            "useAccountInvoiceBatchGroup": true,
            "account": account_ref(account),
            "invoiceAccount": account_ref(account),
            "products": products,
            "milestones": [],
            "orderDiscounts": [],
            "currency": currency,
            "customFields": {},
            "cmrr": self.money(monthly, &currency),
            "acv": self.money(monthly * 12.0, &currency),
            "tcv": self.money(monthly * tcv_months, &currency),
        });
        SubscriptionFacts {
            value,
            status,
            monthly,
            term_months: if termed { term_months } else { 12 },
            start,
        }
    }

    /// One product line of a subscription with its single charge; returns it and its monthly amount.
    fn order_product(
        &mut self,
        item: usize,
        line: usize,
        currency: &str,
        start: Date,
        end: Option<Date>,
        billing_period: &str,
    ) -> (Value, f64) {
        self.order_lines += 1;
        let catalogue = &CATALOGUE[item];
        let plan = self.products[item]["chargePlans"][0].clone();
        let quantity = if catalogue.model == "PerUnit" {
            f64::from(self.rng.u16(5..200))
        } else {
            1.0
        };
        let list_price = self.price_in(catalogue.price, currency);
        let discount = if self.chance(0.25) {
            self.pick(&[5.0, 10.0, 15.0])
        } else {
            0.0
        };
        let price = round2(list_price * (1.0 - discount / 100.0));
        let monthly = round2(price * quantity);
        let charged_through = SNAPSHOT.first_of_month().saturating_add(1.month());
        let charge = json!({
            "id": self.guid(),
            "chargeNumber": format!("OPC-{:06}", self.order_lines),
            "version": 1,
            "isLastVersion": true,
            "name": catalogue.name,
            "chargeType": catalogue.charge_type,
            "priceModel": catalogue.model,
            "effectiveStartDate": record_date(start),
            "effectiveEndDate": end.map(record_date),
            "quantity": quantity,
            "chargedThroughDate": record_date(end.map_or(charged_through, |e| e.min(charged_through))),
            "pricePeriod": "Monthly",
            "billingPeriod": billing_period,
            "billingTiming": "InAdvance",
            "periodAlignment": "AlignToOrder",
            "changeState": "New",
            "displayPrice": price,
            "priceDetails": [{"tier": 0, "price": price, "listPrice": list_price, "priceBase": catalogue.model, "lineDiscountPercent": discount}],
            "recurringMonthlyAmount": monthly,
            "recurringMonthlyAmountBase": round2(monthly * self.rate(currency)),
            "cmrr": self.money(monthly, currency),
        });
        let value = json!({
            "id": self.guid(),
            "productNumber": format!("OP-{:06}", self.order_lines),
            "chargePlanId": plan["id"],
            "chargePlanName": plan["name"],
            "chargePlanNumber": plan["chargePlanNumber"],
            "productLineNumber": line,
            "name": catalogue.name,
            "charges": [charge],
        });
        (value, monthly)
    }

    // --- invoices, payments, bookings ---

    fn invoice(&mut self, number: usize, account: &Value, facts: &SubscriptionFacts) -> Value {
        let currency = facts.value["currency"]
            .as_str()
            .unwrap_or(self.profile.base_currency)
            .to_owned();
        let months: f64 = match facts.value["orderBillingPeriod"].as_str() {
            Some("Monthly") => 1.0,
            Some("Quarterly") => 3.0,
            _ => 12.0,
        };
        let invoice_date = SNAPSHOT
            .saturating_sub(self.rng.i64(1..(months as i64 * 30).max(2)).days())
            .max(facts.start);
        let term_name = account["defaultPaymentTerm"]
            .as_str()
            .unwrap_or("30")
            .to_owned();
        let term = self
            .payment_terms
            .iter()
            .find(|t| t["name"] == term_name.as_str())
            .cloned()
            .unwrap_or(Value::Null);
        let days = term["days"].as_i64().unwrap_or(30);
        let due = invoice_date.saturating_add(days.days());
        let home = account["taxTemplate"] == "Standard";
        let tax_rate = if home {
            self.profile.home_tax_rate
        } else {
            0.0
        };
        let status = match self.rng.u8(0..100) {
            0..=44 => "Settled",
            45..=89 => "Posted",
            _ => "Draft",
        };
        let service_end = invoice_date
            .saturating_add((months as i64).months())
            .saturating_sub(1.day());
        let mut subtotal = 0.0;
        let mut lines = Vec::new();
        let products = facts.value["products"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (line, product) in products.iter().enumerate() {
            let charge = &product["charges"][0];
            let amount = round2(charge["recurringMonthlyAmount"].as_f64().unwrap_or(0.0) * months);
            subtotal += amount;
            let tax = round2(amount * tax_rate / 100.0);
            lines.push(json!({
                "id": self.guid(),
                "invoiceLineNumber": line + 1,
                "productNumber": product["productNumber"],
                "productName": product["name"],
                "chargeNumber": charge["chargeNumber"],
                "price": charge["displayPrice"],
                "quantity": charge["quantity"],
                "subtotal": amount,
                "total": round2(amount + tax),
                "tax": tax,
                "servicePeriodStartDate": record_date(invoice_date),
                "servicePeriodEndDate": record_date(service_end),
                "orderId": facts.value["id"],
                "accountId": account["id"],
                "recognizedRevenue": {"id": self.guid(), "code": "3000", "name": "Revenue", "description": "Revenue"},
                "taxCategoryName": if home { "Domestic" } else { "Export" },
                "taxRate": tax_rate,
            }));
        }
        let subtotal = round2(subtotal);
        let tax = round2(subtotal * tax_rate / 100.0);
        let total = round2(subtotal + tax);
        let settled = if status == "Settled" { total } else { 0.0 };
        let overdue_days = (SNAPSHOT - due).get_days();
        let days_past_due = (status == "Posted" && overdue_days > 0).then_some(overdue_days);
        let created = self.moment(invoice_date);
        let modified = self.later(created, 40);
        json!({
            "id": self.guid(),
            "invoiceNumber": (status != "Draft").then(|| format!("I-{number:06}")),
            "status": status,
            "account": account_ref(account),
            "invoiceDate": record_date(invoice_date),
            "dueDate": record_date(due),
            "daysPastDue": days_past_due,
            "nrOfReminders": if days_past_due.unwrap_or(0) > 14 { 1 } else { 0 },
            "paymentTerm": {"id": term["id"], "days": days, "name": term_name},
            "currency": currency,
            "subtotal": subtotal,
            "tax": tax,
            "totalAmount": total,
            "totalRoundingAmount": 0.0,
            "settledAmount": settled,
            "balancedAmount": round2(total - settled),
            "taxIncluded": false,
            "invoiceLines": lines,
            "ourReference": account["ourReference"],
            "invoiceType": "Invoice",
            "exchangeRate": self.rate(&currency),
            "invoiceDeliveryMethod": account["invoiceDeliveryMethod"],
            "disableAutomaticInvoiceReminder": false,
            "accountsReceivable": {"id": self.guid(), "code": self.profile.receivable.0, "name": self.profile.receivable.1, "description": self.profile.receivable.1},
            "customFields": {},
            "created": record_timestamp(created),
            "modified": record_timestamp(modified),
        })
    }

    fn payment(&mut self, invoice: &Value) -> Value {
        let currency = invoice["currency"]
            .as_str()
            .unwrap_or(self.profile.base_currency)
            .to_owned();
        let total = invoice["totalAmount"].as_f64().unwrap_or(0.0);
        let due = invoice["dueDate"]
            .as_str()
            .and_then(|d| d.get(..10))
            .and_then(|d| d.parse::<Date>().ok())
            .unwrap_or(SNAPSHOT);
        let paid = due
            .saturating_sub(self.rng.i64(-5..20).days())
            .min(SNAPSHOT);
        json!({
            "id": self.guid(),
            "payerName": invoice["account"]["name"],
            "paymentDate": record_date(paid),
            "postedDate": record_date(paid.saturating_add(1.day()).min(SNAPSHOT)),
            "reference": invoice["invoiceNumber"],
            "amount": self.money(total, &currency),
            "exchangeRate": self.rate(&currency),
            "paymentAccount": {"id": self.guid(), "code": self.profile.bank_account.0, "name": self.profile.bank_account.1},
            "paymentMethodName": "Bank transfer",
            "paymentSettlements": [{
                "amount": self.money(total, &currency),
                "invoice": {
                    "account": invoice["account"],
                    "id": invoice["id"],
                    "invoiceNumber": invoice["invoiceNumber"],
                    "status": "Settled",
                    "invoiceDate": invoice["invoiceDate"],
                    "dueDate": invoice["dueDate"],
                    "currency": currency,
                    "subtotal": invoice["subtotal"],
                    "tax": invoice["tax"],
                    "totalAmount": total,
                    "settledAmount": total,
                },
            }],
            "account": invoice["account"],
        })
    }

    fn booking(&mut self, facts: &SubscriptionFacts) -> Value {
        let currency = facts.value["currency"]
            .as_str()
            .unwrap_or(self.profile.base_currency)
            .to_owned();
        let rate = self.rate(&currency);
        let amount = |value: f64| json!({"amount": round2(value), "amountInBaseCurrency": round2(value * rate)});
        let created = self.moment(facts.start.min(SNAPSHOT));
        json!({
            "id": self.guid(),
            "currency": currency,
            "bookingType": "New",
            "accountCategory": "New",
            "changeType": "None",
            "cmrr": amount(facts.monthly),
            "acv": amount(facts.monthly * 12.0),
            "emrr": amount(facts.monthly),
            "oneTimeFees": amount(0.0),
            "tcv": amount(facts.monthly * facts.term_months as f64),
            "effectiveDate": record_date(facts.start),
            "classification": {"name": "New business", "description": "A first order from a customer", "isSystemClassification": true},
            "created": record_timestamp(created),
            "modified": record_timestamp(created),
            "order": {"orderNumber": facts.value["orderNumber"], "id": facts.value["id"]},
            "account": facts.value["account"],
        })
    }

    // --- fixed lists ---

    fn products(&mut self) -> Vec<Value> {
        let introduced = self.moment(FIRST_DAY.saturating_sub(60.days()));
        let currencies: Vec<&str> = self.profile.markets.iter().map(|m| m.currency).collect();
        let mut products = Vec::new();
        for (index, item) in CATALOGUE.iter().enumerate() {
            let number = index + 1;
            let mut seen = Vec::new();
            let prices: Vec<Value> = currencies
                .iter()
                .filter(|c| {
                    let fresh = !seen.contains(*c);
                    seen.push(**c);
                    fresh
                })
                .map(|c| json!({"currency": c, "price": self.price_in(item.price, c)}))
                .collect();
            let recurring = item.charge_type == "Recurring";
            let charge = json!({
                "id": self.guid(),
                "chargeNumber": format!("C-{number:06}"),
                "name": item.name,
                "model": item.model,
                "chargeType": item.charge_type,
                "defaultQuantity": if item.model == "PerUnit" { 10.0 } else { 1.0 },
                "pricePeriod": recurring.then_some("Monthly"),
                "billingDay": "FromOrder",
                "billingPeriod": recurring.then_some("Annual"),
                "periodAlignment": "AlignToOrder",
                "billingTiming": "InAdvance",
                "taxTemplate": "Standard",
                "taxIncluded": false,
                "deferredRevenueAccount": "2970",
                "recognizedRevenueAccount": "3000",
                "priceDetails": prices,
                "customFields": {},
            });
            let modified = self.later(introduced, 700);
            products.push(json!({
                "id": self.guid(),
                "productNumber": format!("P-{number:06}"),
                "name": item.name,
                "productType": "Simple",
                "category": item.category,
                "isFrameworkProduct": false,
                "legalEntityId": LEGAL_ENTITIES[self.entity].id,
                "chargePlans": [{
                    "id": self.guid(),
                    "chargePlanNumber": format!("CP-{number:06}"),
                    "name": item.name,
                    "effectiveStartDate": record_timestamp(introduced),
                    "charges": [charge],
                    "customFields": {},
                }],
                "created": record_timestamp(introduced),
                "modified": record_timestamp(modified),
                "customFields": {},
            }));
        }
        products
    }

    fn payment_terms(&mut self) -> Vec<Value> {
        PAYMENT_TERMS
            .iter()
            .map(|(name, description, kind, days)| {
                json!({"id": self.guid(), "description": description, "name": name, "termType": kind, "days": days})
            })
            .collect()
    }

    fn currencies(&mut self) -> Vec<Value> {
        self.profile
            .rates
            .iter()
            .map(|(code, _)| {
                let description = CURRENCY_NAMES
                    .iter()
                    .find(|(c, _)| c == code)
                    .map(|(_, name)| *name);
                json!({"id": self.guid(), "code": code, "description": description})
            })
            .collect()
    }

    fn countries(&mut self) -> Vec<Value> {
        COUNTRIES
            .iter()
            .map(|(name, two, three)| {
                json!({"id": self.guid(), "name": name, "twoAlphaCode": two, "threeAlphaCode": three, "active": true, "customFields": {}})
            })
            .collect()
    }

    fn webhooks(&mut self) -> Vec<Value> {
        let host = if self.entity == 0 {
            "erp.nordlys.example"
        } else {
            "billing-sync.nordlys.example"
        };
        vec![
            json!({
                "id": self.guid(),
                "url": format!("https://{host}/hooks/younium/invoices"),
                "events": ["Invoice.Posted", "Invoice.Settled"],
                "description": "Push posted invoices to the ERP",
                "webhookStatus": "Enabled",
            }),
            json!({
                "id": self.guid(),
                "url": format!("https://{host}/hooks/younium/orders"),
                "events": ["Subscription.Activated", "Subscription.Cancelled", "Account.Created"],
                "description": "CRM order sync (paused)",
                "webhookStatus": "Disabled",
            }),
        ]
    }
}

/// `Fjäll` → `fjall`, for domain names.
fn ascii_lower(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            'å' | 'ä' | 'Å' | 'Ä' => Some('a'),
            'ö' | 'Ö' => Some('o'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_scales() {
        let a = generate(42, 30);
        let b = generate(42, 30);
        let c = generate(43, 30);
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
        let store = generate(42, 20);
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
