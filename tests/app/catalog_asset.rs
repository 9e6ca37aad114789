//! Generates `assets/endpoints.json` from Younium's published OpenAPI 2.1 spec and fails when
//! the committed asset differs. Only facts are taken from the spec: methods, paths, tags,
//! parameter names and types, permission names, status codes, and the request and answer
//! schemas (names, types, formats, enums, lengths, bounds, required, examples; no descriptions).
//! Each component schema is kept once, in the asset's `schemas` map, and referred to by name.
//!
//! The spec is read from `$YOUNIUM_OPENAPI_SPEC`, else `../shared/younium/openapi-2.1.json`.
//! Regenerate with `UPDATE_CATALOG=1 cargo test --test app catalog_asset`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::{Map, Value};
use younium_tui::younium::catalog::{BodySpec, Catalog, Operation, ParamSpec, ResponseShape};
use younium_tui::younium::schema::{Property, Schema, SchemaMap};

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

    /// A spec schema as facts: a `$ref` keeps the component's name, an `allOf` of one member
    /// becomes that member with the wrapper's own facts (`nullable`, `example`, `readOnly`).
    fn schema(&self, v: &Value) -> Schema {
        if let Some(r) = v.get("$ref").and_then(Value::as_str) {
            return Schema::named(r.rsplit('/').next().unwrap_or(r));
        }
        let mut out = match v.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
            Some([only]) => self.schema(only),
            Some(_) => panic!("allOf with several members is not handled: {v}"),
            None => Schema::default(),
        };
        let flag = |key: &str| v.get(key).and_then(Value::as_bool).unwrap_or(false);
        let string = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
        let number = |key: &str| v.get(key).and_then(Value::as_number).cloned();
        out.kind = string("type").or(out.kind);
        out.format = string("format").or(out.format);
        out.nullable |= flag("nullable");
        out.read_only |= flag("readOnly");
        out.deprecated |= flag("deprecated");
        if let Some(values) = v.get("enum").and_then(Value::as_array) {
            out.values = values.clone();
        }
        out.min_length = v
            .get("minLength")
            .and_then(Value::as_u64)
            .or(out.min_length);
        out.max_length = v
            .get("maxLength")
            .and_then(Value::as_u64)
            .or(out.max_length);
        out.minimum = number("minimum").or(out.minimum);
        out.maximum = number("maximum").or(out.maximum);
        out.example = v.get("example").cloned().or(out.example);
        if let Some(items) = v.get("items") {
            out.items = Some(Box::new(self.schema(items)));
        }
        let required: Vec<&str> = v
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(props) = v.get("properties").and_then(Value::as_object) {
            out.properties = props
                .iter()
                .map(|(name, p)| Property {
                    name: name.clone(),
                    required: required.contains(&name.as_str()),
                    schema: self.schema(p),
                })
                .collect();
        }
        out.closed |= v.get("additionalProperties") == Some(&Value::Bool(false));
        out
    }

    /// The components `roots` refer to, directly or through each other.
    fn reachable(&self, roots: &[&Schema]) -> SchemaMap {
        fn refs(s: &Schema, out: &mut Vec<String>) {
            out.extend(s.reference.clone());
            if let Some(items) = &s.items {
                refs(items, out);
            }
            for p in &s.properties {
                refs(&p.schema, out);
            }
        }
        let mut todo = Vec::new();
        for root in roots {
            refs(root, &mut todo);
        }
        let mut seen = BTreeSet::new();
        let mut map = BTreeMap::new();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let component = self.schemas.get(&name).expect("a $ref names a component");
            let schema = self.schema(component);
            refs(&schema, &mut todo);
            map.insert(name, schema);
        }
        SchemaMap(map)
    }

    fn body(&self, rb: &Value) -> Option<BodySpec> {
        let (content_type, media) = rb.get("content")?.as_object()?.iter().next()?;
        let schema = media.get("schema").unwrap_or(&Value::Null);
        let (name, _) = self.resolve(schema);
        Some(BodySpec {
            content_type: content_type.clone(),
            schema: name,
            root: self.schema(schema),
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
                        root: Some(self.schema(schema)),
                    });
                }
                let schema = name.unwrap_or_else(|| self.kind(schema));
                Some(ResponseShape {
                    paged: schema.ends_with("PagedResponse"),
                    schema,
                    array: false,
                    root: Some(self.schema(media.get("schema")?)),
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
    let roots: Vec<&Schema> = operations
        .iter()
        .flat_map(|op: &Operation| {
            op.body
                .as_ref()
                .map(|b| &b.root)
                .into_iter()
                .chain(op.response.as_ref().and_then(|r| r.root.as_ref()))
        })
        .collect();
    let schemas = s.reachable(&roots);
    let source = format!(
        "{} {}",
        spec["info"]["title"].as_str().unwrap_or("Younium API"),
        spec["info"]["version"].as_str().unwrap_or("")
    );
    Catalog::new(source, operations, schemas)
}

/// The asset's text: one line per operation and per schema, so it stays small and a change
/// in the spec shows as a change of a few lines.
fn layout(catalog: &Catalog) -> String {
    let operations: Vec<String> = catalog.operations.iter().map(line).collect();
    let schemas: Vec<String> = catalog
        .schemas()
        .0
        .iter()
        .map(|(name, s)| format!("{}: {}", line(name), line(s)))
        .collect();
    format!(
        "{{\n  \"source\": {},\n  \"operations\": [\n    {}\n  ],\n  \"schemas\": {{\n    {}\n  }}\n}}\n",
        line(&catalog.source),
        operations.join(",\n    "),
        schemas.join(",\n    ")
    )
}

fn line<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serialises")
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
    let fresh = layout(&catalog);
    assert_eq!(
        serde_json::from_str::<Catalog>(&fresh).unwrap(),
        catalog,
        "the asset reads back"
    );
    if std::env::var_os("UPDATE_CATALOG").is_some() {
        std::fs::write(asset_path(), &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(asset_path()).unwrap_or_default();
    assert!(
        committed == fresh,
        "assets/endpoints.json is stale: run UPDATE_CATALOG=1 cargo test --test app catalog_asset"
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

/// A tiny spec's components, to test the conversion on its own.
fn tiny() -> Value {
    serde_json::json!({
        "Kind": {"enum": ["A", "B"], "type": "string", "description": "prose is dropped"},
        "Node": {
            "type": "object",
            "required": ["name", "kind"],
            "additionalProperties": false,
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 20, "example": "n1"},
                "kind": {"allOf": [{"$ref": "#/components/schemas/Kind"}], "nullable": true,
                         "description": "dropped", "example": "B"},
                "size": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 9},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "id": {"type": "string", "format": "uuid", "readOnly": true}
            }
        },
        "Unused": {"type": "object"}
    })
}

#[test]
fn schemas_are_converted_to_facts() {
    let components = tiny();
    let s = Spec {
        schemas: components.as_object().unwrap(),
    };
    let node = s.schema(&components["Node"]);
    assert!(node.closed);
    assert_eq!(node.kind.as_deref(), Some("object"));
    let name = node.property("name").unwrap();
    assert!(name.required);
    assert_eq!(
        (name.schema.min_length, name.schema.max_length),
        (Some(1), Some(20))
    );
    assert_eq!(name.schema.example, Some(Value::from("n1")));
    // allOf of one reference: the reference, with the wrapper's nullable and example.
    let kind = node.property("kind").unwrap();
    assert_eq!(kind.schema.reference.as_deref(), Some("Kind"));
    assert!(kind.required && kind.schema.nullable);
    assert_eq!(kind.schema.example, Some(Value::from("B")));
    let size = &node.property("size").unwrap().schema;
    assert_eq!(size.format.as_deref(), Some("int32"));
    assert_eq!(
        (size.minimum.clone(), size.maximum.clone()),
        (Some(0.into()), Some(9.into()))
    );
    let children = &node.property("children").unwrap().schema;
    assert_eq!(
        children.items.as_deref(),
        Some(&Schema::named("Node")),
        "a recursive reference stays a name"
    );
    assert!(node.property("id").unwrap().schema.read_only);
    let enumeration = s.schema(&components["Kind"]);
    assert_eq!(enumeration.values, vec![Value::from("A"), Value::from("B")]);
    // No prose in the facts.
    assert!(!serde_json::to_string(&node).unwrap().contains("dropped"));
    assert!(
        !serde_json::to_string(&enumeration)
            .unwrap()
            .contains("prose")
    );
    // Only what is reachable is kept, and a cycle ends.
    let map = s.reachable(&[&Schema::named("Node")]);
    assert_eq!(map.0.keys().collect::<Vec<_>>(), ["Kind", "Node"]);
}
