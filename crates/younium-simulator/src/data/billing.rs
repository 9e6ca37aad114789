//! Subscriptions with their order products, and the invoices, payments and bookings they lead
//! to.

use jiff::{ToSpan, civil::Date};
use serde_json::{Value, json};

use super::generator::EntityGenerator;
use super::reference::{CATALOGUE, RECURRING_ITEMS, SNAPSHOT};
use super::{account_ref, round2};
use crate::clock::{record_date, record_timestamp};

/// What a generated subscription leaves for the invoice, booking and account built after it.
pub(super) struct SubscriptionFacts {
    pub(super) value: Value,
    pub(super) status: &'static str,
    pub(super) monthly: f64,
    pub(super) term_months: i64,
    pub(super) start: Date,
}

/// A charge's quantity and price (see [`EntityGenerator::charge_terms`]).
pub(super) struct ChargeTerms {
    pub(super) quantity: f64,
    pub(super) list_price: f64,
    pub(super) discount: f64,
    pub(super) price: f64,
    pub(super) monthly: f64,
}

impl EntityGenerator {
    pub(super) fn subscription_count(&mut self, account: &Value) -> usize {
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

    pub(super) fn subscription(
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
        let ChargeTerms {
            quantity,
            list_price,
            discount,
            price,
            monthly,
        } = self.charge_terms(item, currency);
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
            "priceDetails": [{"tier": 0, "price": price, "listPrice": list_price, "priceBase": if catalogue.model == "Quantity" { "PerUnit" } else { "Flat" }, "lineDiscountPercent": discount}],
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

    /// The quantity and price of a line of `CATALOGUE[item]` in `currency`.
    pub(super) fn charge_terms(&mut self, item: usize, currency: &str) -> ChargeTerms {
        let catalogue = &CATALOGUE[item];
        let quantity = if catalogue.model == "Quantity" {
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
        ChargeTerms {
            quantity,
            list_price,
            discount,
            price,
            monthly: round2(price * quantity),
        }
    }

    // --- invoices, payments, bookings ---

    pub(super) fn invoice(
        &mut self,
        number: usize,
        account: &Value,
        facts: &SubscriptionFacts,
    ) -> Value {
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

    pub(super) fn payment(&mut self, invoice: &Value) -> Value {
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

    pub(super) fn booking(&mut self, facts: &SubscriptionFacts) -> Value {
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
}
