//! An oracle that is not the project's own: every answer of every read of the spec checked
//! with the `jsonschema` crate against the spec's response schema (the catalogue asset's
//! schemas, which `catalog_asset` holds to the published spec, written out as JSON Schema
//! here). The project's own checker (`younium::schema::validate`) plays no part.
//!
//! What the real API does that its spec does not say is accepted only as far as our API notes
//! record it, and only here: [`DEVIATIONS`].

use serde_json::{Map, Value, json};
use younium_tui::younium::catalog::{Operation, catalog};

use crate::common::spec_api::{Api, every_read};

/// The deviations from the spec the real API is known for (API notes, "data typing"), the only
/// ones the oracle accepts.
const DEVIATIONS: &[&str] = &[
    // "timestamps have no timezone suffix and 6–7 fractional digits": a `date-time` may lack
    // its zone and carry up to 7 fractional digits.
    "date-time without a zone",
];

/// A `date-time` as Younium writes it: RFC 3339, its zone optional (see [`DEVIATIONS`]).
fn younium_date_time(text: &str) -> bool {
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

fn uuid(text: &str) -> bool {
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
fn validator(op: &Operation, definitions: &Value) -> Option<jsonschema::Validator> {
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

#[test]
fn the_deviations_accepted_are_the_ones_recorded() {
    assert_eq!(DEVIATIONS.len(), 1);
    for ok in [
        "2022-09-26T17:51:34.2600917",
        "2026-01-15T10:00:00",
        "2026-01-15T10:00:00Z",
        "2026-01-15T10:00:00.5+01:00",
    ] {
        assert!(younium_date_time(ok), "{ok}");
    }
    for bad in [
        "2026-01-15",
        "2026-01-15 10:00:00",
        "2026-01-15T10:00:00.12345678",
        "2026-01-15T10:00:00+0100",
    ] {
        assert!(!younium_date_time(bad), "{bad}");
    }
    assert!(uuid("9be8ebdf-4dc8-4391-ab2f-d1f303ca4da7") && !uuid("9be8ebdf"));
}

#[tokio::test]
async fn every_answer_of_every_read_conforms_to_the_spec_by_an_independent_validator() {
    let definitions: Map<String, Value> = catalog()
        .schemas()
        .0
        .iter()
        .map(|(name, schema)| {
            let value = serde_json::to_value(schema).expect("a schema serialises");
            (name.clone(), json_schema(&value))
        })
        .collect();
    let definitions = Value::Object(definitions);
    let api = Api::start().await;
    let reads = every_read(&api).await;
    api.sim.shutdown().await;
    let mut checked = 0;
    let mut problems = Vec::new();
    for read in reads.iter().filter(|r| r.op.success.contains(&r.status)) {
        let Some(validator) = validator(read.op, &definitions) else {
            continue;
        };
        checked += 1;
        let errors: Vec<String> = validator
            .iter_errors(&read.body)
            .take(3)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        if !errors.is_empty() {
            problems.push(format!("GET {}: {}", read.path, errors.join("; ")));
        }
    }
    assert!(checked >= 90, "only {checked} answers checked");
    assert!(
        problems.is_empty(),
        "{} of {checked} answers do not conform:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
