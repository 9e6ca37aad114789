//! Records made from the spec's response schemas: every field the schema has, with a value of
//! its type that reads like billing data (names, amounts, currencies, dates, numbers),
//! deterministic from a seed. One generator for every resource the hand-written tenant does
//! not have, so a newer spec's resources come along with it.

use serde_json::{Map, Value};
use younium::schema::{Schema, SchemaMap};

/// Nested objects followed before an object is left empty (keeps a record small).
const MAX_DEPTH: usize = 4;

const COMPANIES: [&str; 12] = [
    "Kestrel Analytics",
    "Fjord Logistics",
    "Northwind Traders",
    "Aurora Health",
    "Granite Works",
    "Lumen Media",
    "Tidewater Foods",
    "Cobalt Systems",
    "Birch & Pine",
    "Solstice Energy",
    "Harbor Freight",
    "Meridian Legal",
];
const CURRENCIES: [&str; 4] = ["SEK", "EUR", "USD", "NOK"];

/// Makes records of one schema.
pub(crate) struct Generator<'a> {
    map: &'a SchemaMap,
    rng: fastrand::Rng,
    /// The record's place in its list, from 0: numbers and names follow it.
    index: usize,
}

impl<'a> Generator<'a> {
    pub(crate) fn new(map: &'a SchemaMap, seed: u64, index: usize) -> Self {
        let mixed = seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Generator {
            map,
            rng: fastrand::Rng::with_seed(mixed),
            index,
        }
    }

    /// A value for `schema`, as the field `name` would hold it.
    pub(crate) fn value(&mut self, name: &str, schema: &Schema, depth: usize) -> Value {
        let resolved = self.map.resolve(schema);
        // The spec's examples do not always match their own format (a date for a
        // `date-time`): a formatted string is made to its format instead.
        let formatted = resolved.kind.as_deref() == Some("string") && resolved.format.is_some();
        if let Some(example) = schema.example.as_ref().or(resolved.example.as_ref())
            && !formatted
        {
            return example.clone();
        }
        if !resolved.values.is_empty() {
            let at = self.rng.usize(..resolved.values.len());
            return resolved.values[at].clone();
        }
        match resolved.kind.as_deref() {
            Some("string") => Value::String(self.string(name, resolved.format.as_deref())),
            Some("integer") => Value::from(self.integer(name, resolved)),
            Some("number") => self.number(name),
            Some("boolean") => Value::Bool(self.rng.u8(..4) == 0),
            Some("array") => {
                let count = if depth >= MAX_DEPTH {
                    0
                } else {
                    1 + self.rng.usize(..2)
                };
                let item = resolved.items.as_deref().cloned().unwrap_or_default();
                Value::Array(
                    (0..count)
                        .map(|_| self.value(name, &item, depth + 1))
                        .collect(),
                )
            }
            _ if resolved.cut || depth >= MAX_DEPTH + 4 => Value::Object(Map::new()),
            _ if !resolved.properties.is_empty() => {
                // A currency's `code` is a currency code, not a made-up number.
                let currency = schema
                    .reference
                    .as_deref()
                    .is_some_and(|r| r.contains("Currency"));
                let mut object = Map::new();
                // Past the depth kept, only what the schema requires.
                let deep = depth >= MAX_DEPTH;
                for property in resolved.properties.iter().filter(|p| !deep || p.required) {
                    let value = if currency && property.name == "code" {
                        Value::String(CURRENCIES[self.index % CURRENCIES.len()].into())
                    } else {
                        self.value(&property.name, &property.schema, depth + 1)
                    };
                    object.insert(property.name.clone(), value);
                }
                Value::Object(object)
            }
            Some("object") => Value::Object(Map::new()),
            _ => Value::String(self.string(name, None)),
        }
    }

    fn string(&mut self, name: &str, format: Option<&str>) -> String {
        let lower = name.to_ascii_lowercase();
        match format {
            Some("uuid") => return self.guid(),
            // Younium writes timestamps without a zone (the notes record it).
            Some("date-time") => {
                let (month, day) = (1 + self.rng.u8(..12), 1 + self.rng.u8(..28));
                let (hour, minute) = (self.rng.u8(..24), self.rng.u8(..60));
                return format!("2026-{month:02}-{day:02}T{hour:02}:{minute:02}:00");
            }
            Some("date") => {
                let (month, day) = (1 + self.rng.u8(..12), 1 + self.rng.u8(..28));
                return format!("2026-{month:02}-{day:02}");
            }
            Some("uri") => return format!("https://example.com/{}/{}", lower, self.index + 1),
            _ => {}
        }
        let company = COMPANIES[self.index % COMPANIES.len()];
        if lower == "id" || lower.ends_with("id") && lower.len() > 2 {
            self.guid()
        } else if lower.ends_with("number") || lower == "code" {
            let letter = name.chars().next().unwrap_or('X').to_ascii_uppercase();
            format!("{letter}-{:06}", self.index + 1)
        } else if lower.contains("email") {
            format!(
                "billing@{}.example",
                company.to_ascii_lowercase().replace([' ', '&'], "")
            )
        } else if lower.contains("currency") {
            CURRENCIES[self.index % CURRENCIES.len()].to_string()
        } else if lower.contains("country") {
            "Sweden".into()
        } else if lower.contains("name") {
            format!("{company} AB")
        } else if lower.contains("url") || lower.contains("link") {
            format!("https://example.com/{}", self.index + 1)
        } else if lower.contains("description")
            || lower.contains("remark")
            || lower.contains("note")
        {
            format!("{company}: generated by the simulator")
        } else {
            format!("{} {}", capitalised(name), self.index + 1)
        }
    }

    fn integer(&mut self, name: &str, schema: &Schema) -> i64 {
        let low = schema
            .minimum
            .as_ref()
            .and_then(|n| n.as_i64())
            .unwrap_or(1);
        let high = schema
            .maximum
            .as_ref()
            .and_then(|n| n.as_i64())
            .unwrap_or(100)
            .max(low);
        if name.to_ascii_lowercase().contains("year") {
            return 2026;
        }
        self.rng.i64(low..=high)
    }

    /// An amount with cents, or a small quantity.
    fn number(&mut self, name: &str) -> Value {
        let lower = name.to_ascii_lowercase();
        if lower.contains("quantity") || lower.contains("rate") || lower.contains("percent") {
            return Value::from(1 + self.rng.u32(..10));
        }
        let cents = self.rng.u32(100..500_000) as f64;
        serde_json::Number::from_f64(cents / 100.0).map_or(Value::from(0), Value::Number)
    }

    fn guid(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.rng.u128(..).to_le_bytes())
            .into_uuid()
            .to_string()
    }
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Value".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use younium::catalog::catalog;

    #[test]
    fn a_record_has_every_field_of_its_schema_and_is_the_same_for_the_same_seed() {
        let map = catalog().schemas();
        let schema = Schema::named("FinancialAccountResponse");
        let one = Generator::new(map, 7, 3).value("", &schema, 0);
        let again = Generator::new(map, 7, 3).value("", &schema, 0);
        assert_eq!(one, again);
        let fields = &map.resolve(&schema).properties;
        assert!(!fields.is_empty());
        for field in fields {
            assert!(
                one.get(&field.name).is_some(),
                "{} missing in {one}",
                field.name
            );
        }
        assert_ne!(one, Generator::new(map, 7, 4).value("", &schema, 0));
    }
}
