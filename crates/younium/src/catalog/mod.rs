//! The endpoint catalogue: every operation of Younium's published OpenAPI 2.1 spec, reduced to
//! facts (method, path, tag, parameters, permission, success codes, and the request-body and
//! success-answer schemas, kept once each in [`Catalog::schemas`]; see [`super::schema`]).
//!
//! The data lives in `assets/endpoints.json`, generated from the spec by the test
//! `tests/app/catalog_asset.rs` (which fails when the asset is stale; `UPDATE_CATALOG=1` rewrites it).
//! The v3 data-export API is not in the spec: its group ([`V3_TAG`]) is added here in code,
//! from the endpoints the API notes name, and marked partly guessed
//! ([`Operation::is_partly_guessed`]).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::request::Method;
use super::schema::lazy::LazySchemas;
use super::schema::{Mode, Report, Schema, SchemaMap, skeleton_value, validate, validate_text};

/// The whole catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// The spec's title and version, to say where the facts come from.
    pub source: String,
    /// Every operation, in the spec's order, then the v3 group.
    pub operations: Vec<Operation>,
    /// The component schemas that bodies and answers refer to, by name: see
    /// [`Catalog::schemas`].
    #[serde(default)]
    schemas: LazySchemas,
}

impl Catalog {
    /// A catalogue of these operations and component schemas.
    pub fn new(source: String, operations: Vec<Operation>, schemas: SchemaMap) -> Catalog {
        Catalog {
            source,
            operations,
            schemas: LazySchemas::given(schemas),
        }
    }

    /// The component schemas that bodies and answers refer to, by name (the built-in
    /// catalogue parses them on the first call).
    pub fn schemas(&self) -> &SchemaMap {
        self.schemas.get()
    }
}

/// The built-in asset's text.
const ASSET: &str = include_str!("../../../../assets/endpoints.json");

/// One operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// The HTTP method.
    pub method: Method,
    /// The path template as the spec writes it: `/Invoices/{id}`.
    pub path: String,
    /// The spec's group for it (`Invoices`, `Accounts`, …; [`V3_TAG`] for v3).
    pub tag: String,
    /// The `{placeholders}` of `path`, in the spec's order.
    pub path_params: Vec<ParamSpec>,
    /// The query parameters the spec documents (`PageSize`, `Filter`, …).
    pub query_params: Vec<ParamSpec>,
    /// The request body, for the operations that take one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodySpec>,
    /// The permission the spec says the call needs (e.g. `Invoice View`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// Documented 2xx codes.
    pub success: Vec<u16>,
    /// The success answer's schema, when the spec names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseShape>,
    /// Accepts `younium-idempotency-key`.
    #[serde(default)]
    pub idempotent: bool,
}

/// A path or query parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParamSpec {
    /// The name as sent (`PageSize`, `id`).
    pub name: String,
    /// JSON type: `string`, `integer`, `number`, `boolean`, `array`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The spec's `format` (`uuid`, `date-time`, `int32`), when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The spec marks it required (path parameters always are).
    #[serde(default)]
    pub required: bool,
    /// The values an enumerated parameter allows; empty when any value goes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

/// A request body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BodySpec {
    /// The media type the spec documents (`application/json`, `application/merge-patch+json`).
    pub content_type: String,
    /// The name of the body's component schema (`CreateAccountRequest`), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The whole body schema (usually a reference into [`Catalog::schemas`]).
    #[serde(default)]
    pub root: Schema,
}

/// The shape of a success answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseShape {
    /// The answer's schema name (`InvoiceResponseListPagedResponse`).
    pub schema: String,
    /// A 2.1 paged envelope (`…PagedResponse`).
    #[serde(default)]
    pub paged: bool,
    /// A bare JSON array.
    #[serde(default)]
    pub array: bool,
    /// The whole answer schema (usually a reference into [`Catalog::schemas`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root: Option<Schema>,
}

static CATALOG: OnceLock<Catalog> = OnceLock::new();

/// The built-in catalogue: the spec's operations, then the v3 group.
pub fn catalog() -> &'static Catalog {
    CATALOG.get_or_init(built_in)
}

/// The asset parsed, its schemas left for their first use.
fn built_in() -> Catalog {
    /// The asset without its schemas (serde skips them without building anything).
    #[derive(Deserialize)]
    struct Head {
        source: String,
        operations: Vec<Operation>,
    }
    /// The asset's schemas alone.
    #[derive(Deserialize)]
    struct Tail {
        schemas: SchemaMap,
    }
    let head: Head = serde_json::from_str(ASSET).expect(
        "assets/endpoints.json is generated by tests/app/catalog_asset.rs and always parses",
    );
    let mut operations = head.operations;
    operations.extend(v3_operations());
    Catalog {
        source: head.source,
        operations,
        schemas: LazySchemas::deferred(|| {
            let tail: Result<Tail, _> = serde_json::from_str(ASSET);
            tail.expect("the schemas of assets/endpoints.json always parse")
                .schemas
        }),
    }
}

/// The tag of the v3 data-export group.
pub const V3_TAG: &str = "v3 data export";

/// The v3 data-export endpoints the API notes name ([DOC-V3]: `/v3/Subscriptions` as the
/// example, the relation URLs of a subscription, `/Subscription-product-charges`; invoices
/// and their lines by analogy). Younium publishes no endpoint list, so these are partly
/// guessed. The relation URLs appear in records without the `/v3` prefix; they are listed
/// under it here, where they cannot be taken for the 2.1 endpoints of the same name
/// (`/Subscriptions/{id}/milestones`).
fn v3_operations() -> Vec<Operation> {
    let int = |name: &str| ParamSpec {
        name: name.into(),
        kind: "integer".into(),
        format: Some("int32".into()),
        required: false,
        values: Vec::new(),
    };
    let id = ParamSpec {
        name: "id".into(),
        kind: "string".into(),
        format: Some("uuid".into()),
        required: true,
        values: Vec::new(),
    };
    let op = |path: &str, permission: &str, with_id: bool| Operation {
        method: Method::Get,
        path: path.into(),
        tag: V3_TAG.into(),
        path_params: if with_id {
            vec![id.clone()]
        } else {
            Vec::new()
        },
        query_params: vec![int("pageSize"), int("pageNumber")],
        body: None,
        permission: Some(permission.into()),
        success: vec![200],
        response: None,
        idempotent: false,
    };
    vec![
        op("/v3/Subscriptions", "Order View", false),
        op(
            "/v3/subscriptions/{id}/subscription-products",
            "Order View",
            true,
        ),
        op("/v3/subscriptions/{id}/discounts", "Order View", true),
        op("/v3/subscriptions/{id}/milestones", "Order View", true),
        op("/v3/subscriptions/{id}/metrics", "Order View", true),
        op("/v3/Subscription-product-charges", "Order View", false),
        op("/v3/Invoices", "Invoice View", false),
        op("/v3/invoices/{id}/invoice-lines", "Invoice View", true),
    ]
}

/// The permission an endpoint needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequiredPermission {
    /// As Younium names it in its roles (`Invoice View`).
    pub name: String,
    /// The spec does not name it for this endpoint: it is the one the spec names most often for
    /// the same resource's other endpoints of the same method.
    pub inferred: bool,
}

impl RequiredPermission {
    /// A permission the spec names for the endpoint itself.
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            inferred: false,
        }
    }
}

/// A filter as typed, split into lower-case words.
pub fn filter_words(filter: &str) -> Vec<String> {
    filter
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect()
}

impl Catalog {
    /// Operations matching every word of `filter` (method, path or tag, case-insensitive).
    pub fn search<'a>(&'a self, filter: &str) -> impl Iterator<Item = &'a Operation> + 'a {
        let words = filter_words(filter);
        self.operations
            .iter()
            .filter(move |op| op.matches_all(&words))
    }

    /// The permission an endpoint needs: the one the spec names for it, or (marked inferred)
    /// the one it names for a sibling endpoint of the same resource.
    pub fn permission_for(&self, method: Method, path: &str) -> Option<RequiredPermission> {
        let op = self.find(method, path)?;
        if let Some(p) = &op.permission {
            return Some(RequiredPermission::named(p.clone()));
        }
        let first = |p: &str| {
            p.trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        };
        let resource = first(&op.path);
        // The name the spec gives most often among this resource's endpoints of the same method.
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for p in self
            .operations
            .iter()
            .filter(|o| o.method == op.method && first(&o.path) == resource)
            .filter_map(|o| o.permission.as_deref())
        {
            match counts.iter_mut().find(|(name, _)| *name == p) {
                Some((_, n)) => *n += 1,
                None => counts.push((p, 1)),
            }
        }
        counts
            .into_iter()
            .max_by_key(|(_, n)| *n)
            .map(|(p, _)| RequiredPermission {
                name: p.to_string(),
                inferred: true,
            })
    }

    /// The operation whose path template matches a concrete path (for the permission shown
    /// next to a request the user typed by hand).
    pub fn find(&self, method: Method, path: &str) -> Option<&Operation> {
        let path = path.split('?').next().unwrap_or(path);
        let concrete: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.operations
            .iter()
            .filter(|op| op.method == method)
            .filter(|op| {
                let template: Vec<&str> = op.path.trim_matches('/').split('/').collect();
                template.len() == concrete.len()
                    && template.iter().zip(&concrete).all(|(t, c)| {
                        (t.starts_with('{') && t.ends_with('}')) || t.eq_ignore_ascii_case(c)
                    })
            })
            // Prefer literal segments over placeholders: `/Invoices/paid` over `/Invoices/{id}`.
            .max_by_key(|op| op.path.split('/').filter(|s| !s.starts_with('{')).count())
    }

    /// Tags in first-seen order.
    pub fn tags(&self) -> Vec<&str> {
        let mut tags: Vec<&str> = Vec::new();
        for op in &self.operations {
            if !tags.contains(&op.tag.as_str()) {
                tags.push(&op.tag);
            }
        }
        tags
    }
}

impl Operation {
    /// Whether every filter word (from [`filter_words`]) names the method or is part of the
    /// path, tag or permission.
    pub fn matches_all(&self, words: &[String]) -> bool {
        words.iter().all(|w| self.matches(w))
    }

    /// How well the operation matches filter words, to pick the best of the matches: an exact
    /// path beats a path prefix, which beats a tag named in full; anything else scores nothing.
    pub fn match_score(&self, words: &[String]) -> u32 {
        let path = self.path.to_ascii_lowercase();
        let trimmed = path.trim_start_matches('/');
        words
            .iter()
            .map(|w| {
                let w = w.trim_start_matches('/');
                if w.is_empty() {
                    0
                } else if trimmed == w {
                    4
                } else if trimmed.starts_with(w) {
                    2
                } else if self.tag.eq_ignore_ascii_case(w) {
                    1
                } else {
                    0
                }
            })
            .sum()
    }

    fn matches(&self, word: &str) -> bool {
        self.method.as_str().eq_ignore_ascii_case(word)
            || self.path.to_ascii_lowercase().contains(word)
            || self.tag.to_ascii_lowercase().contains(word)
            || self
                .permission
                .as_deref()
                .is_some_and(|p| p.to_ascii_lowercase().contains(word))
    }

    /// Not from the spec: a v3 data-export endpoint, named by the notes but not listed
    /// anywhere Younium publishes.
    pub fn is_partly_guessed(&self) -> bool {
        self.tag == V3_TAG
    }

    /// A v3 list: `{"items", "nextPage"}`, paged by following `nextPage`.
    pub fn is_cursor_paged(&self) -> bool {
        self.is_partly_guessed() && self.method == Method::Get
    }

    /// A list answer with `PageSize`/`PageNumber`.
    pub fn is_paged(&self) -> bool {
        self.response.as_ref().is_some_and(|r| r.paged)
            || self.query_params.iter().any(|p| p.name == "PageNumber")
    }

    /// The request body's schema (unresolved: follow it with [`SchemaMap::resolve`]).
    pub fn body_schema(&self) -> Option<&Schema> {
        self.body.as_ref().map(|b| &b.root)
    }

    /// The name of the request body's component schema (`CreateAccountRequest`).
    pub fn body_schema_name(&self) -> Option<&str> {
        self.body.as_ref()?.schema.as_deref()
    }

    /// The success answer's schema, when the spec gives one.
    pub fn response_schema(&self) -> Option<&Schema> {
        self.response.as_ref()?.root.as_ref()
    }

    /// The schema at a JSON path inside the request body (`orderProducts[0].charges`), with
    /// the built-in catalogue's schemas.
    pub fn body_schema_at(&self, path: &str) -> Option<&Schema> {
        catalog().schemas().at_path(self.body_schema()?, path)
    }

    /// The schema at a JSON path inside the success answer, with the built-in catalogue's
    /// schemas.
    pub(crate) fn response_schema_at(&self, path: &str) -> Option<&Schema> {
        catalog().schemas().at_path(self.response_schema()?, path)
    }

    /// The body text checked against the request schema, each problem with its line
    /// ([`crate::schema::validate_text`]; a PATCH as a merge patch). `None` when the
    /// operation has no body schema or the text is not JSON.
    ///
    /// ```
    /// use younium::Method;
    /// use younium::catalog::catalog;
    /// let create = catalog().find(Method::Post, "/Accounts").unwrap();
    /// let report = create.validate_body(r#"{"name": 42}"#).unwrap();
    /// assert!(report.is_incomplete()); // Younium would answer 400: fix it before sending
    /// let texts: Vec<String> = report.problems.iter().map(|p| p.text()).collect();
    /// assert_eq!(texts, [
    ///     "line 1  .currency: required field missing (LookupKeyCurrency (GUID, code or {key, value}))",
    ///     "line 1  .name: expected string (length ≥ 1), found number",
    /// ]);
    /// ```
    pub fn validate_body(&self, text: &str) -> Option<Report> {
        let mode = if self.method == Method::Patch {
            Mode::Patch
        } else {
            Mode::Create
        };
        validate_text(catalog().schemas(), self.body_schema()?, text, mode)
    }

    /// The schema of a success answer as it came: the response schema, or for a bare array of
    /// records (every page of a paged list merged into one array) the schema of the
    /// envelope's `data`.
    pub fn answer_schema(&self, records: bool) -> Option<&Schema> {
        if records && self.is_paged() {
            self.response_schema_at(".data")
        } else {
            self.response_schema()
        }
    }

    /// A success answer checked against its schema ([`Operation::answer_schema`]: a bare
    /// array of a paged list's records against its `data`); unknown fields not reported.
    /// `None` when the spec gives no response schema.
    pub fn validate_response(&self, value: &Value) -> Option<Report> {
        Some(validate(
            catalog().schemas(),
            self.answer_schema(value.is_array())?,
            value,
            Mode::Response,
        ))
    }

    /// The starting body, pretty JSON: for a POST or PUT, the required fields with values of
    /// their type ([`skeleton_value`]: the spec's example, else `""`, `0`, `false`, the first
    /// enum value, `[]`, a required object's own skeleton) and no optional field; for a PATCH
    /// (a JSON merge patch in this spec) `{}`. `None` when the operation takes no body.
    pub fn skeleton(&self) -> Option<String> {
        self.skeleton_with(catalog().schemas())
    }

    /// [`Operation::skeleton`] with the given schemas.
    pub(crate) fn skeleton_with(&self, schemas: &SchemaMap) -> Option<String> {
        let body = self.body.as_ref()?;
        let value = if self.method == Method::Patch {
            Value::Object(serde_json::Map::new())
        } else {
            skeleton_value(schemas, &body.root)
        };
        serde_json::to_string_pretty(&value).ok()
    }
}

#[cfg(test)]
mod tests;
