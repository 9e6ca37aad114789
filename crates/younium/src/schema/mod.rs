//! Request and response schemas from the spec, as facts only (names, types, constraints,
//! required, examples), and what is built from them: body skeletons and the fields an object
//! may still take.
//!
//! The catalogue (`assets/endpoints.json`) keeps each component schema once, in its `schemas`
//! map, keyed by the component's name; a body or answer refers to it with `{"$ref": "Name"}`.
//! Following a reference is [`SchemaMap::resolve`]; walking a JSON path is
//! [`SchemaMap::at_path`]. Recursion is cut after six references.

pub(crate) mod lazy;
mod skeleton;
pub mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

pub use skeleton::{FieldHint, missing_fields, skeleton_value};
pub use validate::{Mode, Problem, ProblemKind, Report, Severity, validate, validate_text};

/// How many references deep a walk follows before it stops (the schema there is marked cut).
pub(crate) const MAX_DEPTH: usize = 6;

/// One schema, resolved from OpenAPI 3.0: `allOf` of one member is folded into its member,
/// `$ref` keeps the component's name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// The component this schema is (a key of the catalogue's `schemas`).
    #[serde(rename = "$ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// `string`, `integer`, `number`, `boolean`, `array` or `object`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The spec's `format`: `uuid`, `date`, `date-time`, `int32` and `int64` are checked;
    /// the rest (`double`, …) are only shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// `null` is a valid value.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// Set by the server: a request body that carries it is warned about.
    #[serde(default, skip_serializing_if = "is_false")]
    pub read_only: bool,
    /// The spec marks it deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// The values an enum allows, as the spec writes them; empty when it is no enum.
    #[serde(rename = "enum", default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<Value>,
    /// The shortest string allowed, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// The longest string allowed, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// The smallest number allowed (inclusive), with the spec's digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Number>,
    /// The largest number allowed (inclusive), with the spec's digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Number>,
    /// The spec's example value, when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
    /// An array's items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Box<Schema>>,
    /// An object's fields, in the spec's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
    /// `additionalProperties: false` in the spec.
    #[serde(default, skip_serializing_if = "is_false")]
    pub closed: bool,
    /// A walk stopped here, six references deep: the schema goes on but is not followed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub cut: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A field of an object schema.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Property {
    /// The field's name in the JSON (camelCase, as Younium writes it).
    pub name: String,
    /// In the object's `required` list: missing, it is an error (except in a PATCH).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// The field's own schema.
    #[serde(flatten)]
    pub schema: Schema,
}

impl Schema {
    /// A reference to a component.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            reference: Some(name.into()),
            ..Self::default()
        }
    }

    /// A field by name.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// The catalogue's component schemas, by name.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SchemaMap(pub BTreeMap<String, Schema>);

/// A reference that leads nowhere (or too deep) resolves to this.
static CUT: Schema = Schema {
    reference: None,
    kind: None,
    format: None,
    nullable: false,
    read_only: false,
    deprecated: false,
    values: Vec::new(),
    min_length: None,
    max_length: None,
    minimum: None,
    maximum: None,
    example: None,
    items: None,
    properties: Vec::new(),
    closed: false,
    cut: true,
};

impl SchemaMap {
    /// A component by name.
    pub fn get(&self, name: &str) -> Option<&Schema> {
        self.0.get(name)
    }

    /// Follows references to the schema that holds the facts (at most six; past that, or for
    /// an unknown name, a schema marked `cut`). The facts on the referring
    /// schema itself (`nullable`, `example`) stay on it.
    pub fn resolve<'a>(&'a self, schema: &'a Schema) -> &'a Schema {
        let mut current = schema;
        for _ in 0..=MAX_DEPTH {
            match &current.reference {
                None => return current,
                Some(name) => match self.0.get(name) {
                    Some(next) => current = next,
                    None => return &CUT,
                },
            }
        }
        &CUT
    }

    /// The schema at a JSON path inside `root`: `currency`, `orderProducts[0].charges`,
    /// `$.invoiceAddress.city` (an index or `[]` steps into an array's items). `None` when the
    /// path names a field the schema does not have; a schema marked `cut` past six steps
    /// through references.
    pub fn at_path<'a>(&'a self, root: &'a Schema, path: &str) -> Option<&'a Schema> {
        let mut current = root;
        let mut refs = 0;
        for step in path_steps(path) {
            if current.reference.is_some() {
                refs += 1;
            }
            if refs > MAX_DEPTH {
                return Some(&CUT);
            }
            let resolved = self.resolve(current);
            current = match step {
                Step::Field(name) => &resolved.property(name)?.schema,
                Step::Item => resolved.items.as_deref()?,
            };
        }
        Some(current)
    }

    /// The type of a schema in words, with its constraints: `string, enum SEK|EUR`,
    /// `integer (int32), 1..=12`, `array of OrderProduct`, `LookupKey`.
    pub fn describe(&self, schema: &Schema) -> String {
        let resolved = self.resolve(schema);
        let mut text = match (&schema.reference, resolved.kind.as_deref()) {
            (_, Some("array")) => {
                let item = resolved
                    .items
                    .as_deref()
                    .map(|i| self.type_name(i))
                    .unwrap_or_else(|| "any".into());
                format!("array of {item}")
            }
            _ if skeleton::is_lookup_key(schema) => format!(
                "{} (GUID, code or {{key, value}})",
                schema.reference.as_deref().unwrap_or_default()
            ),
            (Some(name), Some("object") | None) => name.clone(),
            (_, Some(kind)) => kind.to_string(),
            (None, None) => "any".into(),
        };
        let mut facts: Vec<String> = Vec::new();
        if let Some(f) = &resolved.format {
            facts.push(f.clone());
        }
        if !resolved.values.is_empty() {
            let values: Vec<String> = resolved.values.iter().map(value_text).collect();
            facts.push(format!("enum {}", values.join("|")));
        }
        match (resolved.min_length, resolved.max_length) {
            (Some(min), Some(max)) => facts.push(format!("length {min}..={max}")),
            (Some(min), None) => facts.push(format!("length ≥ {min}")),
            (None, Some(max)) => facts.push(format!("length ≤ {max}")),
            (None, None) => {}
        }
        match (&resolved.minimum, &resolved.maximum) {
            (Some(min), Some(max)) => facts.push(format!("{min}..={max}")),
            (Some(min), None) => facts.push(format!("≥ {min}")),
            (None, Some(max)) => facts.push(format!("≤ {max}")),
            (None, None) => {}
        }
        if schema.nullable || resolved.nullable {
            facts.push("nullable".into());
        }
        if schema.read_only || resolved.read_only {
            facts.push("read-only".into());
        }
        if resolved.cut {
            facts.push("not followed (too deep)".into());
        }
        if !facts.is_empty() {
            text.push_str(", ");
            text.push_str(&facts.join(", "));
        }
        text
    }

    /// A short type name: the component's name for an object, else the JSON type.
    fn type_name(&self, schema: &Schema) -> String {
        let resolved = self.resolve(schema);
        match (&schema.reference, resolved.kind.as_deref()) {
            (Some(name), Some("object") | None) => name.clone(),
            (_, Some(kind)) => kind.to_string(),
            (None, None) => "any".into(),
        }
    }
}

fn value_text(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

enum Step<'p> {
    Field(&'p str),
    Item,
}

/// `$.a.b[0][].c` → Field(a), Field(b), Item, Item, Field(c).
fn path_steps(path: &str) -> Vec<Step<'_>> {
    let path = path.strip_prefix('$').unwrap_or(path);
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !name.is_empty() {
            steps.push(Step::Field(name));
        }
        steps.extend(rest.matches('[').map(|_| Step::Item));
    }
    steps
}

#[cfg(test)]
mod tests;
