//! The oracle of the simulator tests, a validator that is not the project's own: the
//! `jsonschema` crate, with the spec's response schemas (the catalogue asset's, which
//! `catalog_asset` holds to the published spec) written out as JSON Schema here. What the real
//! API does that its spec does not say is accepted only as far as our API notes record it, and
//! only here: [`DEVIATIONS`].

use serde_json::{Map, Value, json};
use younium_tui::younium::catalog::{Operation, catalog};

/// The deviations from the spec the real API is known for (API notes, "data typing"), the only
/// ones the oracle accepts.
pub const DEVIATIONS: &[&str] = &[
    // "timestamps have no timezone suffix and 6–7 fractional digits": a `date-time` may lack
    // its zone and carry up to 7 fractional digits.
    "date-time without a zone",
];

/// A `date-time` as Younium writes it: RFC 3339, its zone optional (see [`DEVIATIONS`]).
pub fn younium_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let shape = bytes.len() >= 19
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && matches!(bytes[10], b'T' | b't')
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
        && bytes[16] == b':'
        && digits(17..19);
    if !shape {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=7).contains(&n) {
            return false;
        }
        rest = &fraction[n..];
    }
    let zone = rest.as_bytes();
    rest.is_empty()
        || rest.eq_ignore_ascii_case("z")
        || zone.len() == 6
            && matches!(zone[0], b'+' | b'-')
            && zone[3] == b':'
            && zone[1..3].iter().chain(&zone[4..6]).all(u8::is_ascii_digit)
}

pub fn uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// One schema of the catalogue (as its asset writes it) as JSON Schema (draft 7): references
/// into `#/definitions`, OpenAPI's `nullable` as a `null` type, the required fields, and
/// `additionalProperties: false` where the spec closes an object.
fn json_schema(schema: &Value) -> Value {
    let nullable = schema["nullable"] == json!(true);
    if let Some(name) = schema["$ref"].as_str() {
        let reference = json!({"$ref": format!("#/definitions/{name}")});
        return match nullable {
            true => json!({"anyOf": [reference, {"type": "null"}]}),
            false => reference,
        };
    }
    let mut out = Map::new();
    if let Some(kind) = schema["type"].as_str() {
        let kind = match nullable {
            true => json!([kind, "null"]),
            false => json!(kind),
        };
        out.insert("type".into(), kind);
    }
    if let Some(values) = schema["enum"].as_array() {
        let mut values = values.clone();
        if nullable {
            values.push(Value::Null);
        }
        out.insert("enum".into(), Value::Array(values));
    }
    for key in ["format", "minLength", "maxLength", "minimum", "maximum"] {
        if let Some(value) = schema.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    if let Some(items) = schema.get("items") {
        out.insert("items".into(), json_schema(items));
    }
    if let Some(properties) = schema["properties"].as_array() {
        let mut fields = Map::new();
        let mut required = Vec::new();
        for property in properties {
            let name = property["name"].as_str().unwrap_or_default().to_string();
            if property["required"] == json!(true) {
                required.push(json!(name));
            }
            fields.insert(name, json_schema(property));
        }
        out.insert("properties".into(), Value::Object(fields));
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
    }
    if schema["closed"] == json!(true) {
        out.insert("additionalProperties".into(), json!(false));
    }
    Value::Object(out)
}

/// A validator of `op`'s success answer.
pub fn validator(op: &Operation, definitions: &Value) -> Option<jsonschema::Validator> {
    let root = serde_json::to_value(op.response_schema()?).ok()?;
    let schema = json!({"allOf": [json_schema(&root)], "definitions": definitions});
    let built = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .with_format("date-time", younium_date_time)
        .with_format("uuid", uuid)
        .build(&schema);
    Some(built.unwrap_or_else(|e| panic!("{} {}: {e}", op.method, op.path)))
}

/// Every component schema of the catalogue as JSON Schema, for `#/definitions`.
pub fn definitions() -> Value {
    let definitions: Map<String, Value> = catalog()
        .schemas()
        .0
        .iter()
        .map(|(name, schema)| {
            let value = serde_json::to_value(schema).expect("a schema serialises");
            (name.clone(), json_schema(&value))
        })
        .collect();
    Value::Object(definitions)
}

/// What `validator` finds wrong with `body` (at most three), as text.
pub fn problems(validator: &jsonschema::Validator, body: &Value) -> Vec<String> {
    validator
        .iter_errors(body)
        .take(3)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}
