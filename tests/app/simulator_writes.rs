//! Every write of the spec answers its documented 2xx when sent what the spec asks for: a body
//! of the required fields (filled here from the request schema's types, formats and enums, not
//! by the simulator's own generator), path ids of existing records; deletes go last. Each
//! answer with a body is held to its response schema by the independent oracle.

use reqwest::Method as HttpMethod;
use serde_json::{Map, Value, json};
use younium_tui::younium::Method;
use younium_tui::younium::catalog::{V3_TAG, catalog};
use younium_tui::younium::schema::{Schema, SchemaMap};

use crate::common::oracle::{definitions, problems, validator};
use crate::common::spec_api::{Api, fill, list_ids};

/// The required fields of `schema`, each with a value its type, format and enum allow; a
/// LookupKey names an existing record where the field says which (`account`, `currency`).
fn body(map: &SchemaMap, schema: &Schema, name: &str, account: &str, depth: usize) -> Value {
    if schema
        .reference
        .as_deref()
        .is_some_and(|r| r.starts_with("LookupKey"))
    {
        let name = name.to_lowercase();
        return json!(match () {
            _ if name.contains("account") => account,
            _ if name.contains("currency") => "SEK",
            _ => "x-1",
        });
    }
    let resolved = map.resolve(schema);
    if let Some(first) = resolved.values.first() {
        return first.clone();
    }
    match resolved.kind.as_deref() {
        Some("string") => json!(match resolved.format.as_deref() {
            Some("uuid") => "9be8ebdf-4dc8-4391-ab2f-d1f303ca4da7".to_string(),
            Some("date") => "2026-01-01".to_string(),
            Some("date-time") => "2026-01-01T00:00:00".to_string(),
            _ => "T".repeat(resolved.min_length.unwrap_or(4).max(1) as usize),
        }),
        Some("integer") | Some("number") => {
            resolved.minimum.clone().map_or(json!(1), Value::Number)
        }
        Some("boolean") => json!(false),
        Some("array") => json!([]),
        _ if depth > 6 => json!({}),
        _ => {
            let fields: Map<String, Value> = resolved
                .properties
                .iter()
                .filter(|p| p.required && !p.schema.read_only)
                .map(|p| {
                    (
                        p.name.clone(),
                        body(map, &p.schema, &p.name, account, depth + 1),
                    )
                })
                .collect();
            Value::Object(fields)
        }
    }
}

#[tokio::test]
async fn every_write_of_the_spec_answers_its_documented_status() {
    let api = Api::start().await;
    let ids = list_ids(&api).await;
    let (_, accounts) = api.get("/Accounts").await;
    let account = accounts["data"][0]["accountNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let mut writes: Vec<_> = catalog()
        .operations
        .iter()
        .filter(|op| op.method != Method::Get && op.tag != V3_TAG)
        .collect();
    // The deletes last, so the records the others use are still there.
    writes.sort_by_key(|op| op.method == Method::Delete);
    let definitions = definitions();
    let (mut failures, mut checked) = (Vec::new(), 0);
    for op in &writes {
        let path = fill(&op.path, &ids);
        let sent = op
            .body_schema()
            .map(|schema| body(catalog().schemas(), schema, "", &account, 0));
        let method = HttpMethod::from_bytes(op.method.as_str().as_bytes()).unwrap();
        let (status, _, answer) = api.call(method, &path, sent.clone()).await;
        if !op.success.contains(&status) {
            let sent = sent.map(|b| b.to_string()).unwrap_or_default();
            failures.push(format!(
                "{} {path} {sent} answered {status}: {answer}",
                op.method
            ));
        } else if let Some(validator) = validator(op, &definitions)
            && !answer.is_null()
        {
            checked += 1;
            let wrong = problems(&validator, &answer);
            if !wrong.is_empty() {
                failures.push(format!("{} {path}: {}", op.method, wrong.join("; ")));
            }
        }
    }
    api.sim.shutdown().await;
    assert!(writes.len() >= 60, "{}", writes.len());
    assert!(checked >= 15, "only {checked} answers with a body checked");
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        writes.len(),
        failures.join("\n")
    );
}
