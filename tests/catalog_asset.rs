//! Generates `assets/endpoints.json` from Younium's published OpenAPI 2.1 spec and fails when
//! the committed asset differs. Only facts are taken from the spec: methods, paths, tags,
//! parameter names and types, body field names, permission names, status codes.
//!
//! The spec is read from `$YOUNIUM_OPENAPI_SPEC`, else `../shared/younium/openapi-2.1.json`.
//! Regenerate with `UPDATE_CATALOG=1 cargo test --test catalog_asset`.

use std::path::PathBuf;

use serde_json::{Map, Value};
use younium_tui::younium::catalog::{
    BodySpec, Catalog, FieldSpec, Operation, ParamSpec, ResponseShape,
};

fn spec_path() -> PathBuf {
    std::env::var_os("YOUNIUM_OPENAPI_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/younium/openapi-2.1.json")
        })
}

fn asset_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/endpoints.json")
}

struct Spec<'a> {
    schemas: &'a Map<String, Value>,
}

impl<'a> Spec<'a> {
    /// Follows `$ref` and single-member `allOf` to the schema and its name.
    fn resolve(&self, schema: &'a Value) -> (Option<String>, &'a Value) {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let name = r.rsplit('/').next().unwrap_or(r).to_string();
            let target = self.schemas.get(&name).unwrap_or(schema);
            return (Some(name), target);
        }
        if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            return self.resolve(only);
        }
        (None, schema)
    }

    /// A JSON type name for a schema: the primitive type, `array<Item>`, or a schema name.
    fn kind(&self, schema: &Value) -> String {
        let (name, resolved) = self.resolve(schema);
        if resolved.get("enum").is_some() {
            return resolved
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("string")
                .to_string();
        }
        match resolved.get("type").and_then(Value::as_str) {
            Some("array") => {
                let item = resolved
                    .get("items")
                    .map(|i| self.kind(i))
                    .unwrap_or_default();
                format!("array<{item}>")
            }
            Some(t) if name.is_none() || t != "object" => t.to_string(),
            _ => name.unwrap_or_else(|| "object".into()),
        }
    }

    fn param(&self, p: &Value) -> ParamSpec {
        let schema = p.get("schema").unwrap_or(&Value::Null);
        let (_, resolved) = self.resolve(schema);
        ParamSpec {
            name: text(p, "name"),
            kind: self.kind(schema),
            format: resolved
                .get("format")
                .and_then(Value::as_str)
                .map(str::to_string),
            required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
            values: resolved
                .get("enum")
                .and_then(Value::as_array)
                .map(|vs| {
                    vs.iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string())
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    fn body(&self, rb: &Value) -> Option<BodySpec> {
        let (content_type, media) = rb.get("content")?.as_object()?.iter().next()?;
        let schema = media.get("schema").unwrap_or(&Value::Null);
        let (name, resolved) = self.resolve(schema);
        let required: Vec<&str> = resolved
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let fields = resolved
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .map(|(field, s)| FieldSpec {
                        name: field.clone(),
                        kind: self.kind(s),
                        required: required.contains(&field.as_str()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(BodySpec {
            content_type: content_type.clone(),
            schema: name,
            fields,
        })
    }

    fn response(&self, responses: &Map<String, Value>) -> Option<ResponseShape> {
        responses
            .iter()
            .filter(|(code, _)| code.starts_with('2'))
            .find_map(|(_, r)| {
                let content = r.get("content")?.as_object()?;
                let media = content
                    .get("application/json")
                    .or_else(|| content.values().next())?;
                let schema = media.get("schema")?;
                let (name, resolved) = self.resolve(schema);
                if resolved.get("type").and_then(Value::as_str) == Some("array") {
                    let item = resolved
                        .get("items")
                        .map(|i| self.kind(i))
                        .unwrap_or_default();
                    return Some(ResponseShape {
                        schema: item,
                        paged: false,
                        array: true,
                    });
                }
                let schema = name.unwrap_or_else(|| self.kind(schema));
                Some(ResponseShape {
                    paged: schema.ends_with("PagedResponse"),
                    schema,
                    array: false,
                })
            })
    }
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// "Requires permission *Invoice View*." → "Invoice View".
fn permission(description: &str) -> Option<String> {
    let start = description.find("permission")?;
    let rest = &description[start..];
    let open = rest.find('*')? + 1;
    let close = rest[open..].find('*')?;
    Some(rest[open..open + close].trim().to_string())
}

fn generate(spec: &Value) -> Catalog {
    let s = Spec {
        schemas: spec["components"]["schemas"].as_object().expect("schemas"),
    };
    let mut operations = Vec::new();
    for (path, ops) in spec["paths"].as_object().expect("paths") {
        for (method, op) in ops.as_object().expect("operations") {
            let params: Vec<&Value> = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|ps| ps.iter().collect())
                .unwrap_or_default();
            let of_kind = |kind: &str| -> Vec<ParamSpec> {
                params
                    .iter()
                    .filter(|p| p.get("in").and_then(Value::as_str) == Some(kind))
                    .map(|p| s.param(p))
                    .collect()
            };
            let responses = op["responses"].as_object().expect("responses");
            operations.push(Operation {
                method: method.parse().expect("known method"),
                path: path.clone(),
                tag: op["tags"][0].as_str().unwrap_or("Other").to_string(),
                path_params: of_kind("path"),
                query_params: of_kind("query"),
                body: op.get("requestBody").and_then(|rb| s.body(rb)),
                permission: op
                    .get("description")
                    .and_then(Value::as_str)
                    .and_then(permission),
                success: responses
                    .keys()
                    .filter_map(|c| c.parse::<u16>().ok())
                    .filter(|c| (200..300).contains(c))
                    .collect(),
                response: s.response(responses),
                idempotent: params.iter().any(|p| {
                    p.get("name").and_then(Value::as_str) == Some("younium-idempotency-key")
                }),
            });
        }
    }
    Catalog {
        source: format!(
            "{} {}",
            spec["info"]["title"].as_str().unwrap_or("Younium API"),
            spec["info"]["version"].as_str().unwrap_or("")
        ),
        operations,
    }
}

#[test]
fn endpoint_catalogue_matches_the_spec() {
    let path = spec_path();
    let Ok(spec_text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "catalogue freshness not checked: no spec at {} (set YOUNIUM_OPENAPI_SPEC)",
            path.display()
        );
        return;
    };
    let spec: Value = serde_json::from_str(&spec_text).expect("the spec is JSON");
    let catalog = generate(&spec);
    assert_eq!(catalog.operations.len(), 159);
    let fresh = serde_json::to_string_pretty(&catalog).unwrap() + "\n";
    if std::env::var_os("UPDATE_CATALOG").is_some() {
        std::fs::write(asset_path(), &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(asset_path()).unwrap_or_default();
    assert!(
        committed == fresh,
        "assets/endpoints.json is stale: run UPDATE_CATALOG=1 cargo test --test catalog_asset"
    );
}

#[test]
fn permission_sentence_is_read() {
    assert_eq!(
        permission("Requires permission *Invoice View*.").as_deref(),
        Some("Invoice View")
    );
    assert_eq!(permission("Edit Account"), None);
}
