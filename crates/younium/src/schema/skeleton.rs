//! Body skeletons and the fields an object may still take, built from a schema.

use serde_json::{Map, Value};

use super::{MAX_DEPTH, Schema, SchemaMap};

/// A `LookupKey…` component: Younium takes a GUID, a number such as `A-000001`, or
/// `{"key", "value"}`; a string is the simplest start.
pub(super) fn is_lookup_key(schema: &Schema) -> bool {
    schema
        .reference
        .as_deref()
        .is_some_and(|n| n.starts_with("LookupKey"))
}

/// A value of the right type for `schema`: the spec's example where there is one, else the
/// first enum value, `""`, `0`, `false`, `[]`, or (for an object) an object holding its
/// required fields' own skeletons. Read-only fields are left out; past six nested objects an
/// object is `{}`.
pub fn skeleton_value(map: &SchemaMap, schema: &Schema) -> Value {
    value_at(map, schema, 0)
}

fn value_at(map: &SchemaMap, schema: &Schema, depth: usize) -> Value {
    if let Some(example) = &schema.example {
        return example.clone();
    }
    if is_lookup_key(schema) {
        return Value::String(String::new());
    }
    let resolved = map.resolve(schema);
    if let Some(example) = &resolved.example {
        return example.clone();
    }
    if let Some(first) = resolved.values.first() {
        return first.clone();
    }
    match resolved.kind.as_deref() {
        Some("string") => Value::String(String::new()),
        Some("integer") => Value::from(0),
        Some("number") => Value::from(0),
        Some("boolean") => Value::Bool(false),
        Some("array") => Value::Array(Vec::new()),
        _ if resolved.cut || depth >= MAX_DEPTH => Value::Object(Map::new()),
        Some("object") | None if !resolved.properties.is_empty() => Value::Object(
            resolved
                .properties
                .iter()
                .filter(|p| p.required && !p.schema.read_only)
                .map(|p| (p.name.clone(), value_at(map, &p.schema, depth + 1)))
                .collect(),
        ),
        Some("object") => Value::Object(Map::new()),
        _ => Value::String(String::new()),
    }
}

/// A field an object's schema allows that its value does not hold yet.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldHint {
    /// The field's name.
    pub name: String,
    /// The type and constraints in words ([`SchemaMap::describe`]).
    pub kind: String,
    /// The schema requires it.
    pub required: bool,
    /// The value to insert when the field is picked ([`skeleton_value`]).
    pub value: Value,
}

impl FieldHint {
    /// `currency: LookupKeyCurrency (GUID, code or {key, value}), required`, on one line and
    /// safe for the terminal ([`crate::sanitize::one_line`]).
    pub fn text(&self) -> String {
        let required = if self.required { ", required" } else { "" };
        crate::sanitize::one_line(&format!("{}: {}{required}", self.name, self.kind)).into_owned()
    }
}

/// The fields of the object schema `schema` that `value` (the JSON object at that place in
/// the body) does not hold, required ones first, then in the spec's order. Read-only fields
/// are not offered. Empty when the schema is not an object.
pub fn missing_fields(map: &SchemaMap, schema: &Schema, value: &Value) -> Vec<FieldHint> {
    let resolved = map.resolve(schema);
    let present = |name: &str| value.as_object().is_some_and(|o| o.contains_key(name));
    let mut hints: Vec<FieldHint> = resolved
        .properties
        .iter()
        .filter(|p| !p.schema.read_only && !present(&p.name))
        .map(|p| FieldHint {
            name: p.name.clone(),
            kind: map.describe(&p.schema),
            required: p.required,
            value: skeleton_value(map, &p.schema),
        })
        .collect();
    hints.sort_by_key(|h| !h.required);
    hints
}
