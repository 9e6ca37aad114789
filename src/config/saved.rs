//! Saved requests: named requests kept in the config file so they can be shared and versioned.
//!
//! A request saved while a profile is in use goes in that profile's table, one
//! `[[profiles.NAME.requests]]` table each, written right below the profile; without a
//! profile it goes in the top-level `[[requests]]` list:
//!
//! ```toml
//! [profiles.sandbox]
//! environment = "sandbox"
//!
//! [[profiles.sandbox.requests]]
//! name = "Open invoices"
//! method = "GET"
//! path = "/Invoices"
//! query = [
//!   { name = "PageSize", value = "20" },
//!   { name = "Filter", value = "status eq 'Open'", enabled = false },
//! ]
//! headers = [{ name = "X-Trace", value = "1" }]
//! body = '''
//! {"name": "x"}'''
//! ```
//!
//! Only `name`, `method` and `path` are required; a row's `enabled` is `true` when left out. A
//! saved request never holds a token or a secret: the `Authorization` row, any header the app
//! treats as secret (see [`crate::younium::request::is_secret_header`]) and the idempotency
//! key are left out; only a row that switches such a header off is kept, with no value.
//! Entries that do not read (an unknown method, no path) are skipped with a warning; they never
//! stop the config file from loading.

use std::path::Path;

use toml_edit::{Array, ArrayOfTables, InlineTable, Item, Table, Value, value};

use super::ConfigFile;
use super::write::SaveError;
use crate::younium::request::is_secret_header;
use crate::younium::{ApiRequest, Method, Param};

/// The key of the list, at the top level and in a profile's table.
const KEY: &str = "requests";

/// A request saved under a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedRequest {
    pub name: String,
    pub method: Method,
    /// The path, with `{placeholders}` still in it when they were not filled.
    pub path: String,
    pub query: Vec<Param>,
    pub headers: Vec<Param>,
    pub body: Option<String>,
    /// `capture = { name = "jq filter" }`: what sending it keeps, as a flow step does.
    pub capture: Vec<(String, String)>,
    /// `expect = { status, jq }`: what its answer must be.
    pub expect: crate::flow::Expect,
}

impl SavedRequest {
    /// The request `request` saved as `name`: its secret headers and idempotency key left out.
    /// Returns the request and how many header rows were left out.
    pub fn from_request(name: &str, request: &ApiRequest) -> (SavedRequest, usize) {
        let kept = kept_headers(&request.headers);
        let dropped = request.headers.len() - kept.len();
        let saved = SavedRequest {
            name: name.trim().to_string(),
            method: request.method,
            path: request.path.trim().to_string(),
            query: request.query.clone(),
            headers: kept,
            body: request.body.clone().filter(|b| !b.trim().is_empty()),
            capture: Vec::new(),
            expect: Default::default(),
        };
        (saved, dropped)
    }

    /// The request to load into the builder.
    pub fn to_request(&self) -> ApiRequest {
        ApiRequest {
            method: self.method,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            idempotency_key: None,
        }
    }

    /// Whether every filter word is in the name, the method or the path (lower-case words,
    /// as [`crate::younium::catalog::filter_words`] makes them).
    pub fn matches_all(&self, words: &[String]) -> bool {
        let name = self.name.to_lowercase();
        let path = self.path.to_ascii_lowercase();
        words.iter().all(|w| {
            name.contains(w.as_str())
                || path.contains(w.as_str())
                || self.method.as_str().eq_ignore_ascii_case(w)
        })
    }
}

/// A header row that never goes into the file: credentials and the idempotency key. A row
/// that switches a credential header off (`Authorization` disabled, to see the 401 without a
/// token) is kept, its value emptied: it says what the request is, and holds no secret.
fn is_left_out(row: &Param) -> bool {
    let name = row.name.trim();
    (is_secret_header(name) && row.enabled) || name.eq_ignore_ascii_case("younium-idempotency-key")
}

/// The header rows a saved request keeps (see [`is_left_out`]).
fn kept_headers(rows: &[Param]) -> Vec<Param> {
    rows.iter()
        .filter(|h| !is_left_out(h))
        .map(|h| Param {
            value: if is_secret_header(h.name.trim()) {
                String::new()
            } else {
                h.value.clone()
            },
            ..h.clone()
        })
        .collect()
}

/// A saved request and where it is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedEntry {
    /// The profile whose table holds it; `None`: the top-level list.
    pub profile: Option<String>,
    pub request: SavedRequest,
}

/// The saved requests one profile sees, and the entries that were skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SavedList {
    /// The profile's own first, then the top-level ones, each in file order.
    pub entries: Vec<SavedEntry>,
    /// Why entries were skipped (where and what), for the status line and the log.
    pub warnings: Vec<String>,
}

/// Whether a save added a request or replaced one of the same name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    Added,
    Replaced,
}

impl ConfigFile {
    /// The saved requests of `profile` (when one is in use) and the top-level ones.
    pub fn saved_requests(&self, profile: Option<&str>) -> SavedList {
        let mut list = SavedList::default();
        if let Some(name) = profile
            && let Some(item) = self
                .doc
                .get("profiles")
                .and_then(|p| p.get(name))
                .and_then(|p| p.get(KEY))
        {
            read_list(
                item,
                &format!("profiles.{name}.{KEY}"),
                Some(name),
                &mut list,
            );
        }
        if let Some(item) = self.doc.get(KEY) {
            read_list(item, KEY, None, &mut list);
        }
        list
    }

    /// Saves `request` with `profile` (or at the top level), replacing a request of the same
    /// name in the same place, and writes the file (comments and layout kept).
    pub fn save_request(
        &mut self,
        profile: Option<&str>,
        request: &SavedRequest,
    ) -> Result<SaveOutcome, SaveError> {
        // A file of comments only holds them as its trailing text, which would end up below
        // the first table written: they go above it instead.
        let lead = if self.doc.as_table().is_empty() {
            let text = self.doc.trailing().as_str().unwrap_or_default().to_string();
            self.doc.set_trailing("");
            text
        } else {
            String::new()
        };
        let list = self.list_mut(profile)?;
        let mut table = to_table(request);
        if !lead.trim().is_empty() {
            table
                .decor_mut()
                .set_prefix(format!("{}\n", lead.trim_end()));
        }
        let existing = list
            .iter_mut()
            .find(|t| t.get("name").and_then(Item::as_str) == Some(request.name.as_str()));
        let outcome = match existing {
            Some(old) => {
                // The comments above the old `[[…]]` line and its place in the file stay.
                let mut table = table;
                *table.decor_mut() = old.decor().clone();
                // What the builder does not hold (its checks) stays as the file has it.
                for key in ["capture", "expect"] {
                    if let Some(item) = old.get(key).filter(|_| !table.contains_key(key)) {
                        table.insert(key, item.clone());
                    }
                }
                table.set_position(old.position());
                *old = table;
                SaveOutcome::Replaced
            }
            None => {
                list.push(table);
                SaveOutcome::Added
            }
        };
        self.write()?;
        Ok(outcome)
    }

    /// Removes the request `name` saved with `profile` (or at the top level); `false` when
    /// there is none.
    pub fn delete_request(&mut self, profile: Option<&str>, name: &str) -> Result<bool, SaveError> {
        let list = self.list_mut(profile)?;
        let Some(index) = list
            .iter()
            .position(|t| t.get("name").and_then(Item::as_str) == Some(name))
        else {
            return Ok(false);
        };
        list.remove(index);
        self.write()?;
        Ok(true)
    }

    /// The `[[requests]]` list of `profile` (or the top level), made when missing.
    fn list_mut(&mut self, profile: Option<&str>) -> Result<&mut ArrayOfTables, SaveError> {
        let path = self.path.display().to_string();
        let not_a_list = |key: String| SaveError::NotATable {
            path: path.clone(),
            key,
        };
        let (owner, key): (&mut dyn toml_edit::TableLike, String) = match profile {
            None => (self.doc.as_table_mut(), KEY.to_string()),
            Some(name) => {
                let profile = self
                    .doc
                    .get_mut("profiles")
                    .and_then(|p| p.as_table_like_mut())
                    .and_then(|p| p.get_mut(name))
                    .ok_or_else(|| SaveError::NoSuchProfile {
                        path: path.clone(),
                        name: name.to_string(),
                    })?
                    // An inline `{ … }` profile cannot hold `[[…]]` tables.
                    .as_table_mut()
                    .ok_or_else(|| not_a_list(format!("profiles.{name}")))?;
                (profile, format!("profiles.{name}.{KEY}"))
            }
        };
        owner
            .entry(KEY)
            .or_insert_with(|| Item::ArrayOfTables(ArrayOfTables::new()))
            .as_array_of_tables_mut()
            .ok_or_else(|| not_a_list(key))
    }
}

/// Saves `request` into the config file at `path` as it is on disk now: a file that is not
/// there yet is created (its folder too); one that does not read is left alone and its error
/// returned. Returns the file as saved (for the app to use from then on).
pub fn save_request_at(
    path: &Path,
    profile: Option<&str>,
    request: &SavedRequest,
) -> Result<(ConfigFile, SaveOutcome), String> {
    let mut file = super::load_or_new(path)?;
    let outcome = file
        .save_request(profile, request)
        .map_err(|e| e.to_string())?;
    Ok((file, outcome))
}

/// Reads one `requests` list, skipping the entries that do not read.
fn read_list(item: &Item, at: &str, profile: Option<&str>, list: &mut SavedList) {
    let tables: Vec<(usize, Result<SavedRequest, String>)> = match item {
        Item::ArrayOfTables(aot) => aot.iter().map(read_entry).enumerate().collect(),
        Item::Value(Value::Array(array)) => array
            .iter()
            .map(|v| match v {
                Value::InlineTable(t) => read_entry(&t.clone().into_table()),
                _ => Err("not a table".to_string()),
            })
            .enumerate()
            .collect(),
        _ => {
            list.warnings
                .push(format!("`{at}` is not a list of requests: ignored"));
            return;
        }
    };
    for (i, result) in tables {
        match result {
            Ok(request) => list.entries.push(SavedEntry {
                profile: profile.map(str::to_string),
                request,
            }),
            Err(why) => list
                .warnings
                .push(format!("saved request {at}[{i}] skipped: {why}")),
        }
    }
}

fn read_entry(table: &Table) -> Result<SavedRequest, String> {
    let text = |key: &str| -> Result<Option<String>, String> {
        match table.get(key) {
            None => Ok(None),
            Some(item) => item
                .as_str()
                .map(|s| Some(s.to_string()))
                .ok_or_else(|| format!("`{key}` is not a string")),
        }
    };
    let name = text("name")?
        .filter(|n| !n.trim().is_empty())
        .ok_or("no name")?;
    let with_name = |why: String| format!("{name:?}: {why}");
    let method = text("method")
        .map_err(with_name)?
        .ok_or_else(|| with_name("no method".into()))?;
    let method: Method = method
        .parse()
        .map_err(|_| with_name(format!("unknown method {method:?}")))?;
    let path = text("path")
        .map_err(with_name)?
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| with_name("no path".into()))?;
    let (capture, expect) = crate::flow::read_saved_checks(table).map_err(with_name)?;
    Ok(SavedRequest {
        capture,
        expect,
        method,
        path,
        query: read_params(table, "query").map_err(with_name)?,
        headers: kept_headers(&read_params(table, "headers").map_err(with_name)?),
        body: text("body").map_err(with_name)?,
        name,
    })
}

/// `query` or `headers`: `[{ name, value, enabled }]`, `enabled` true when left out.
pub(crate) fn read_params(table: &Table, key: &str) -> Result<Vec<Param>, String> {
    let Some(item) = table.get(key) else {
        return Ok(Vec::new());
    };
    let array = item
        .as_array()
        .ok_or_else(|| format!("`{key}` is not a list"))?;
    array
        .iter()
        .map(|v| {
            let row = v
                .as_inline_table()
                .ok_or_else(|| format!("a row of `{key}` is not {{ name, value }}"))?;
            let name = row
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("a row of `{key}` has no name"))?;
            let value = match row.get("value") {
                None => "",
                Some(v) => v
                    .as_str()
                    .ok_or_else(|| format!("the value of {name:?} in `{key}` is not a string"))?,
            };
            let enabled = match row.get("enabled") {
                None => true,
                Some(v) => v.as_bool().ok_or_else(|| {
                    format!("`enabled` of {name:?} in `{key}` is not true or false")
                })?,
            };
            Ok(Param {
                name: name.to_string(),
                value: value.to_string(),
                enabled,
            })
        })
        .collect()
}

/// The table a saved request is written as.
fn to_table(request: &SavedRequest) -> Table {
    let mut table = Table::new();
    table.insert("name", value(request.name.as_str()));
    table.insert("method", value(request.method.as_str()));
    table.insert("path", value(request.path.as_str()));
    if !request.query.is_empty() {
        table.insert("query", value(params(&request.query)));
    }
    let headers = kept_headers(&request.headers);
    if !headers.is_empty() {
        table.insert("headers", value(params(&headers)));
    }
    if let Some(body) = &request.body {
        table.insert("body", value(body.as_str()));
    }
    table
}

/// Rows as inline tables; more than one goes one a line, so a change reads as one line of a
/// diff.
fn params(rows: &[Param]) -> Array {
    let mut array = Array::new();
    for p in rows {
        let mut row = InlineTable::new();
        row.insert("name", p.name.as_str().into());
        row.insert("value", p.value.as_str().into());
        if !p.enabled {
            row.insert("enabled", false.into());
        }
        array.push(row);
    }
    if rows.len() > 1 {
        for v in array.iter_mut() {
            v.decor_mut().set_prefix("\n  ");
        }
        array.set_trailing("\n");
        array.set_trailing_comma(true);
    }
    array
}

#[cfg(test)]
#[path = "saved_tests.rs"]
mod tests;
