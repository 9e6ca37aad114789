//! Calling the simulator as the spec describes its operations: a signed-in client for the
//! demo tenant's first legal entity, and path parameters filled from the ids lists give.

use reqwest::{Client, Method as HttpMethod};
use serde_json::{Map, Value, json};
use younium_tui::simulator::{Simulator, demo};
use younium_tui::younium::schema::{Schema, SchemaMap};

/// The demo simulator with a token for it.
pub struct Api {
    pub client: Client,
    pub sim: Simulator,
    pub token: String,
}

impl Api {
    pub async fn start() -> Api {
        let client = super::clients::reqwest_client();
        let sim = super::simulator().await;
        let token = super::demo_token(&client, &sim.base_url()).await;
        Api { client, sim, token }
    }

    pub async fn call(
        &self,
        method: HttpMethod,
        path: &str,
        body: Option<Value>,
    ) -> (u16, String, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.sim.base_url()))
            .bearer_auth(&self.token)
            .header("legal-entity", demo::LEGAL_ENTITIES[0].id)
            .header("api-version", "2.1");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("an answer");
        let status = response.status().as_u16();
        let allow = response
            .headers()
            .get("allow")
            .map(|v| v.to_str().unwrap_or_default().to_string())
            .unwrap_or_default();
        let text = response.text().await.expect("a body");
        (
            status,
            allow,
            serde_json::from_str(&text).unwrap_or(Value::Null),
        )
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let (status, _, body) = self.call(HttpMethod::GET, path, None).await;
        (status, body)
    }
}

/// A value for a path parameter: an id a list gives, else a year, a number or a word.
pub fn fill(path: &str, ids: &[(String, String)]) -> String {
    let mut out = Vec::new();
    for (i, segment) in path.split('/').enumerate() {
        if !(segment.starts_with('{') && segment.ends_with('}')) {
            out.push(segment.to_string());
            continue;
        }
        let parent = path.split('/').take(i).collect::<Vec<_>>().join("/");
        let known = ids
            .iter()
            .find(|(list, _)| *list == parent)
            .map(|(_, id)| id.clone());
        out.push(known.unwrap_or_else(|| match segment {
            "{year}" => "2026".into(),
            "{period}" | "{quarter}" | "{version}" => "1".into(),
            _ => "x-1".into(),
        }));
    }
    out.join("/")
}

/// One read of the spec, as sent and answered.
pub struct Read {
    pub op: &'static younium_tui::younium::catalog::Operation,
    pub path: String,
    pub status: u16,
    pub body: Value,
}

/// Every GET of the spec but the v3 group's: the lists first, then the reads with path
/// parameters, filled with the first id the list above them gave.
pub async fn every_read(api: &Api) -> Vec<Read> {
    use younium_tui::younium::Method;
    use younium_tui::younium::catalog::{V3_TAG, catalog};
    let gets: Vec<_> = catalog()
        .operations
        .iter()
        .filter(|op| op.method == Method::Get && op.tag != V3_TAG)
        .collect();
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut reads = Vec::new();
    for op in gets.iter().filter(|op| op.path_params.is_empty()) {
        let (status, body) = api.get(&op.path).await;
        if let Some(id) = first_id(&body) {
            ids.push((op.path.clone(), id));
        }
        let path = op.path.clone();
        reads.push(Read {
            op,
            path,
            status,
            body,
        });
    }
    for op in gets.iter().filter(|op| !op.path_params.is_empty()) {
        let path = fill(&op.path, &ids);
        let (status, body) = api.get(&path).await;
        reads.push(Read {
            op,
            path,
            status,
            body,
        });
    }
    reads
}

/// The id of a list's first record (a 2.1 page or a bare array).
pub fn first_id(body: &Value) -> Option<String> {
    let first = body["data"][0]["id"].as_str().or(body[0]["id"].as_str());
    first.map(str::to_string)
}

/// The first record's id of every list of the spec without path parameters, by its path.
pub async fn list_ids(api: &Api) -> Vec<(String, String)> {
    let mut ids = Vec::new();
    for read in every_read(api).await {
        if read.op.path_params.is_empty()
            && let Some(id) = first_id(&read.body)
        {
            ids.push((read.path, id));
        }
    }
    ids
}

/// A body of `schema`'s required fields, for a write sent as the spec describes it; an
/// account LookupKey names `account` (an account number of the tenant).
pub fn required_body(schema: &younium_tui::younium::schema::Schema, account: &str) -> Value {
    body(
        younium_tui::younium::catalog::catalog().schemas(),
        schema,
        "",
        account,
        0,
    )
}

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
