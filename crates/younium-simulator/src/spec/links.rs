//! References that resolve: a record made from the spec refers to the tenant's own records. A
//! nested object with an `accountNumber` (or `productNumber`, `chargeNumber`, `orderNumber`,
//! `invoiceNumber`) becomes a reference to one of the legal entity's accounts (products,
//! charges, subscriptions, invoices): its `id`, number and `name` are that record's. In usage
//! records the charge is one of the usage charges. And the lines of a journal or a transaction
//! balance ([`balance`]).

use serde_json::{Value, json};

use crate::resources::Resource;
use crate::store::Store;

/// Records of each kind referred to (the first ones), so a tenant of 100,000 records costs no
/// more than the demo's.
const MAX_REFS: usize = 64;

/// The records of a legal entity a made record may refer to, as `{id, …Number, name}`.
#[derive(Debug, Default)]
pub(crate) struct Refs {
    kinds: Vec<(&'static str, Vec<Value>)>,
    usage_charges: Vec<Value>,
}

impl Refs {
    pub(crate) fn of(store: &Store, entity: usize) -> Refs {
        let table = |resource| {
            store
                .table(entity, resource)
                .map(|t| {
                    t.records
                        .iter()
                        .take(MAX_REFS)
                        .map(|r| r.value())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        let reference = |record: &Value, number: &str| json!({"id": record["id"], number: record[number], "name": record["name"]});
        let products = table(Resource::Products);
        let charges: Vec<(String, Value)> = products
            .iter()
            .flat_map(|p| p["chargePlans"].as_array().cloned().unwrap_or_default())
            .flat_map(|plan| plan["charges"].as_array().cloned().unwrap_or_default())
            .map(|c| {
                let kind = c["chargeType"].as_str().unwrap_or_default().to_string();
                (kind, reference(&c, "chargeNumber"))
            })
            .collect();
        let all = |resource, number| {
            table(resource)
                .iter()
                .map(|r| reference(r, number))
                .collect::<Vec<_>>()
        };
        Refs {
            kinds: vec![
                ("accountNumber", all(Resource::Accounts, "accountNumber")),
                (
                    "productNumber",
                    products
                        .iter()
                        .map(|p| reference(p, "productNumber"))
                        .collect(),
                ),
                (
                    "chargeNumber",
                    charges.iter().map(|(_, c)| c.clone()).collect(),
                ),
                ("orderNumber", all(Resource::Subscriptions, "orderNumber")),
                ("invoiceNumber", all(Resource::Invoices, "invoiceNumber")),
            ],
            usage_charges: charges
                .into_iter()
                .filter(|(kind, _)| kind == "Usage")
                .map(|(_, c)| c)
                .collect(),
        }
    }

    /// Points the references nested in `record` (the `index`th of its list) at real records;
    /// `usage`: the record is a usage record.
    pub(crate) fn link(&self, record: &mut Value, index: usize, usage: bool) {
        self.walk(record, index, usage, 0);
    }

    fn walk(&self, value: &mut Value, index: usize, usage: bool, depth: usize) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.walk(item, index + i, usage, depth + 1);
                }
            }
            Value::Object(object) => {
                for (_, child) in object.iter_mut() {
                    self.walk(child, index, usage, depth + 1);
                }
                if depth == 0 {
                    return;
                }
                for (number, records) in &self.kinds {
                    if !object.contains_key(*number) {
                        continue;
                    }
                    let records = match (*number, usage) {
                        ("chargeNumber", true) if !self.usage_charges.is_empty() => {
                            &self.usage_charges
                        }
                        _ => records,
                    };
                    let Some(real) = records.get(index % records.len().max(1)) else {
                        continue;
                    };
                    for field in ["id", number, "name"] {
                        if object.contains_key(field) && !real[field].is_null() {
                            object.insert(field.to_string(), real[field].clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Every list of lines with `debitAmount` and `creditAmount` (a journal's summary, an
/// accounting transaction's) made to balance: each line is a debit or a credit, and the last
/// takes what the others leave, so the debits and the credits add up to the same amount.
pub(crate) fn balance(value: &mut Value) {
    match value {
        Value::Object(object) => object.values_mut().for_each(balance),
        Value::Array(items) => {
            let lines = items
                .iter()
                .all(|i| i.get("debitAmount").is_some() && i.get("creditAmount").is_some());
            if lines && !items.is_empty() {
                // One line cannot balance: it gets its counterpart.
                if items.len() == 1 {
                    items.push(items[0].clone());
                }
                balance_lines(items);
            } else {
                items.iter_mut().for_each(balance);
            }
        }
        _ => {}
    }
}

fn balance_lines(lines: &mut [Value]) {
    let cents = |v: &Value| (v.as_f64().unwrap_or(0.0) * 100.0).round() as i64;
    let mut difference = 0i64;
    let last = lines.len() - 1;
    for (i, line) in lines.iter_mut().enumerate() {
        let amount = cents(&line["debitAmount"])
            .max(cents(&line["creditAmount"]))
            .max(100);
        let debit = i % 2 == 0;
        if i == last {
            // What the others leave: a debit when the credits are ahead.
            let (debit, credit) = if difference < 0 {
                (-difference, 0)
            } else {
                (0, difference)
            };
            line["debitAmount"] = json!(debit as f64 / 100.0);
            line["creditAmount"] = json!(credit as f64 / 100.0);
            break;
        }
        difference += if debit { amount } else { -amount };
        line["debitAmount"] = json!(if debit { amount as f64 / 100.0 } else { 0.0 });
        line["creditAmount"] = json!(if debit { 0.0 } else { amount as f64 / 100.0 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_reference_takes_a_real_records_id_number_and_name() {
        let refs = Refs {
            kinds: vec![(
                "accountNumber",
                vec![json!({"id": "a-1", "accountNumber": "A-000001", "name": "Real AB"})],
            )],
            usage_charges: Vec::new(),
        };
        let mut record = json!({
            "id": "own", "accountNumber": "A-000009",
            "account": {"id": "made", "accountNumber": "A-000009", "name": "Made AB", "externalERPId": "e"},
            "lines": [{"account": {"accountNumber": "x"}}],
        });
        refs.link(&mut record, 3, false);
        assert_eq!(
            record["id"],
            json!("own"),
            "the record itself is not a reference"
        );
        assert_eq!(record["accountNumber"], json!("A-000009"));
        assert_eq!(
            record["account"],
            json!({"id": "a-1", "accountNumber": "A-000001", "name": "Real AB", "externalERPId": "e"})
        );
        assert_eq!(
            record["lines"][0]["account"],
            json!({"accountNumber": "A-000001"})
        );
    }

    #[test]
    fn lines_of_debits_and_credits_balance() {
        let line = |d: f64, c: f64| json!({"debitAmount": d, "creditAmount": c});
        let mut journal =
            json!({"summaryLines": [line(12.5, 3.0), line(7.0, 0.0), line(1.0, 1.0)]});
        balance(&mut journal);
        let lines = journal["summaryLines"].as_array().unwrap();
        let sum = |key: &str| lines.iter().map(|l| l[key].as_f64().unwrap()).sum::<f64>();
        assert!(
            (sum("debitAmount") - sum("creditAmount")).abs() < 1e-9,
            "{journal}"
        );
        assert!(sum("debitAmount") > 0.0);
    }
}
