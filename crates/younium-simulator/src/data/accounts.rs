//! Accounts: customers, resellers and prospects spread over the entity's markets.

use jiff::{ToSpan, civil::DateTime};
use serde_json::{Value, json};

use super::generator::EntityGenerator;
use super::reference::{COUNTRIES, FIRST_DAY, NAME_CORES, NAME_PREFIXES, SNAPSHOT};
use crate::clock::record_timestamp;

impl EntityGenerator {
    pub(super) fn account_created(&mut self, index: usize, total: usize) -> DateTime {
        let span_days = (SNAPSHOT - FIRST_DAY).get_days().max(1) as usize;
        let offset = index * span_days / total.max(1);
        let day = FIRST_DAY.saturating_add((offset as i64).days());
        self.moment(day)
    }

    pub(super) fn account(&mut self, number: usize, created: DateTime) -> Value {
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
