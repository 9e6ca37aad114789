//! The small fixed lists of each legal entity: products with their price plans, payment terms,
//! currencies, countries and webhooks.

use jiff::ToSpan;
use serde_json::{Value, json};

use super::generator::EntityGenerator;
use super::reference::{CATALOGUE, COUNTRIES, CURRENCY_NAMES, FIRST_DAY, PAYMENT_TERMS};
use crate::clock::record_timestamp;
use crate::demo::LEGAL_ENTITIES;

impl EntityGenerator {
    pub(super) fn products(&mut self) -> Vec<Value> {
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
                "defaultQuantity": if item.model == "Quantity" { 10.0 } else { 1.0 },
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

    pub(super) fn payment_terms(&mut self) -> Vec<Value> {
        PAYMENT_TERMS
            .iter()
            .map(|(name, description, kind, days)| {
                json!({"id": self.guid(), "description": description, "name": name, "termType": kind, "days": days})
            })
            .collect()
    }

    pub(super) fn currencies(&mut self) -> Vec<Value> {
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

    pub(super) fn countries(&mut self) -> Vec<Value> {
        COUNTRIES
            .iter()
            .map(|(name, two, three)| {
                json!({"id": self.guid(), "name": name, "twoAlphaCode": two, "threeAlphaCode": three, "active": true, "customFields": {}})
            })
            .collect()
    }

    pub(super) fn webhooks(&mut self) -> Vec<Value> {
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
