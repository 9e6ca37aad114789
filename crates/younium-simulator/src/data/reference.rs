//! The fixed material records are drawn from: the legal entities' profiles and markets, name
//! parts, the product catalogue, countries, currencies and payment terms.

use jiff::civil::{Date, date};

/// "Today" inside the data, so that generated records do not depend on the wall clock.
pub(super) const SNAPSHOT: Date = date(2024, 10, 1);
/// Accounts are created between this day and [`SNAPSHOT`].
pub(super) const FIRST_DAY: Date = date(2020, 9, 1);

/// A market the legal entity sells into.
pub(super) struct Market {
    pub(super) country: &'static str,
    pub(super) currency: &'static str,
    pub(super) legal_form: &'static str,
    pub(super) top_level_domain: &'static str,
    pub(super) weight: u32,
    pub(super) cities: &'static [(&'static str, &'static str)],
    pub(super) streets: &'static [&'static str],
}

/// How one legal entity's books look.
pub(super) struct Profile {
    pub(super) base_currency: &'static str,
    /// Value of one unit of each currency in the base currency.
    pub(super) rates: &'static [(&'static str, f64)],
    pub(super) markets: &'static [Market],
    /// VAT charged to customers in the first market; exports are zero-rated.
    pub(super) home_tax_rate: f64,
    pub(super) receivable: (&'static str, &'static str),
    pub(super) bank_account: (&'static str, &'static str),
    pub(super) our_references: &'static [&'static str],
    /// Catalogue prices are given in the base currency divided by this (1 for SEK, ~10 for USD).
    pub(super) price_divisor: f64,
}

pub(super) const PROFILES: [Profile; 2] = [
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

pub(super) const NAME_PREFIXES: [&str; 24] = [
    "Aurora", "Fjäll", "Granit", "Havs", "Lumen", "Norr", "Polar", "Saga", "Stella", "Tundra",
    "Vinter", "Birch", "Cobalt", "Delta", "Ember", "Falcon", "Harbor", "Iris", "Juniper",
    "Kestrel", "Maple", "Nimbus", "Quartz", "Summit",
];
pub(super) const NAME_CORES: [&str; 16] = [
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
pub(super) struct CatalogueItem {
    pub(super) name: &'static str,
    pub(super) category: &'static str,
    pub(super) charge_type: &'static str,
    pub(super) model: &'static str,
    pub(super) price: f64,
}

pub(super) const CATALOGUE: [CatalogueItem; 8] = [
    CatalogueItem {
        name: "Nordlys Platform",
        category: "Core service",
        charge_type: "Recurring",
        model: "Quantity",
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
        model: "Quantity",
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
pub(super) const RECURRING_ITEMS: usize = 5;

pub(super) const COUNTRIES: [(&str, &str, &str); 16] = [
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

pub(super) const CURRENCY_NAMES: [(&str, &str); 7] = [
    ("SEK", "Swedish krona"),
    ("EUR", "Euro"),
    ("NOK", "Norwegian krone"),
    ("DKK", "Danish krone"),
    ("USD", "US dollar"),
    ("GBP", "Pound sterling"),
    ("CAD", "Canadian dollar"),
];

/// Payment terms: name, description, term type, days.
pub(super) const PAYMENT_TERMS: [(&str, &str, &str, i64); 5] = [
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
