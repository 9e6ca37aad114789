//! Reading a flow file: `[vars]`, then `[[step]]` tables in the saved-request shape (or
//! `use = "saved request name"`) with `capture` and `expect`. Read with its spans, so every
//! error says `file:line:column: what`.

use std::collections::BTreeMap;
use std::path::Path;

use toml_edit::{Document, Item, Table, Value};

use super::checks::{read_expect, read_strings};
use super::{Expect, Flow, FlowError, Step};
use crate::config::{ConfigFile, SavedRequest, line_column, read_params};
use crate::younium::{ApiRequest, Method};

/// The largest flow file read.
const MAX_FILE: u64 = 4 * 1024 * 1024;

/// Reads the flow at `path`; `config` (with the profile in use) holds the saved requests a
/// step may `use`.
pub fn load(path: &Path, config: Option<(&ConfigFile, Option<&str>)>) -> Result<Flow, FlowError> {
    let shown = path.display().to_string();
    let read = |e: std::io::Error| FlowError::Read {
        path: shown.clone(),
        error: e.to_string(),
    };
    let size = std::fs::metadata(path).map_err(read)?.len();
    if size > MAX_FILE {
        return Err(FlowError::Read {
            path: shown,
            error: format!("{size} bytes: a flow file is at most {MAX_FILE}"),
        });
    }
    let text = std::fs::read_to_string(path).map_err(read)?;
    parse(path, &text, config)
}

/// Reads `text` as the flow file at `path`.
pub fn parse(
    path: &Path,
    text: &str,
    config: Option<(&ConfigFile, Option<&str>)>,
) -> Result<Flow, FlowError> {
    let reader = Reader {
        path: path.display().to_string(),
        text,
        config,
    };
    let doc = Document::parse(text)
        .map_err(|e| reader.error(e.span(), e.message().lines().next().unwrap_or("")))?;
    let mut flow = Flow {
        path: path.to_path_buf(),
        vars: BTreeMap::new(),
        steps: Vec::new(),
    };
    for (key, item) in doc.as_table().iter() {
        match key {
            "vars" => flow.vars = reader.strings(item, "vars")?,
            "step" => {
                let steps = item
                    .as_array_of_tables()
                    .ok_or_else(|| reader.error(item.span(), "`step` is not a list of [[step]]"))?;
                for (i, table) in steps.iter().enumerate() {
                    flow.steps.push(reader.step(i + 1, table)?);
                }
            }
            other => {
                let span = doc.as_table().key(other).and_then(|k| k.span());
                return Err(reader.error(
                    span,
                    &format!("unknown key `{other}`: a flow has [vars] and [[step]]"),
                ));
            }
        }
    }
    if flow.steps.is_empty() {
        return Err(reader.error(None, "no [[step]]: a flow needs at least one"));
    }
    Ok(flow)
}

struct Reader<'a> {
    path: String,
    text: &'a str,
    config: Option<(&'a ConfigFile, Option<&'a str>)>,
}

impl Reader<'_> {
    fn error(&self, span: Option<std::ops::Range<usize>>, message: &str) -> FlowError {
        let (line, column) = line_column(self.text, span.map_or(0, |s| s.start));
        FlowError::Invalid {
            path: self.path.clone(),
            line,
            column,
            message: message.to_string(),
        }
    }

    fn step(&self, number: usize, table: &Table) -> Result<Step, FlowError> {
        let at = |key: &str| table.key(key).and_then(|k| k.span()).or(table.span());
        let fail = |key: &str, why: String| self.error(at(key), &format!("step {number}: {why}"));
        let text = |key: &str| -> Result<Option<String>, FlowError> {
            match table.get(key) {
                None => Ok(None),
                Some(item) => item
                    .as_str()
                    .map(|s| Some(s.to_string()))
                    .ok_or_else(|| fail(key, format!("`{key}` is not a string"))),
            }
        };
        for (key, _) in table.iter() {
            if !KEYS.contains(&key) {
                return Err(fail(
                    key,
                    format!("unknown key `{key}` (a step has {})", KEYS.join(", ")),
                ));
            }
        }
        // A saved request brings its own checks; the step's add to them (a capture of the same
        // name, or an `expect`, wins).
        let used = text("use")?
            .map(|name| {
                self.saved(&name).ok_or_else(|| {
                    fail(
                        "use",
                        format!("no saved request named {name:?} in the config file"),
                    )
                })
            })
            .transpose()?;
        let request = match &used {
            Some(saved) => saved.to_request(),
            None => {
                let method =
                    text("method")?.ok_or_else(|| fail("method", "no method (or `use`)".into()))?;
                let method: Method = method
                    .parse()
                    .map_err(|_| fail("method", format!("unknown method {method:?}")))?;
                let path = text("path")?
                    .filter(|p| !p.trim().is_empty())
                    .ok_or_else(|| fail("path", "no path".into()))?;
                let mut request = ApiRequest::new(method, path.trim());
                request.query = read_params(table, "query").map_err(|e| fail("query", e))?;
                request.headers = read_params(table, "headers").map_err(|e| fail("headers", e))?;
                request.body = match table.get("body") {
                    None => None,
                    Some(item) => Some(body_text(item, self.text).ok_or_else(|| {
                        fail("body", "`body` is neither a JSON string nor a table".into())
                    })?),
                };
                request
            }
        };
        let name = text("name")?.unwrap_or_else(|| format!("{} {}", request.method, request.path));
        let mut capture: BTreeMap<String, String> =
            used.iter().flat_map(|s| s.capture.clone()).collect();
        if let Some(item) = table.get("capture") {
            capture.extend(self.strings(item, &format!("step {number}: capture"))?);
        }
        let expect = match table.get("expect") {
            None => used.map(|s| s.expect).unwrap_or_default(),
            Some(item) => self.expect(number, item)?,
        };
        let (line, _) = line_column(self.text, table.span().map_or(0, |s| s.start));
        Ok(Step {
            number,
            name,
            line,
            request,
            capture: capture.into_iter().collect(),
            expect,
        })
    }

    fn expect(&self, number: usize, item: &Item) -> Result<Expect, FlowError> {
        read_expect(item)
            .map_err(|(span, why)| self.error(span, &format!("step {number}: expect: {why}")))
    }

    /// A table of strings (`[vars]`, `capture`).
    fn strings(&self, item: &Item, what: &str) -> Result<BTreeMap<String, String>, FlowError> {
        read_strings(item, what).map_err(|(span, why)| self.error(span, &why))
    }

    /// The saved request `name` the profile in use sees.
    fn saved(&self, name: &str) -> Option<SavedRequest> {
        let (file, profile) = self.config?;
        file.saved_requests(profile)
            .entries
            .into_iter()
            .find(|e| e.request.name == name)
            .map(|e| e.request)
    }
}

/// The keys a step may have.
const KEYS: [&str; 9] = [
    "name", "use", "method", "path", "query", "headers", "body", "capture", "expect",
];

/// A step's body as JSON text: a string as it is, a table written as JSON with its numbers
/// as the file spells them (`1250.50` stays `1250.50`).
fn body_text(item: &Item, src: &str) -> Option<String> {
    if let Some(text) = item.as_str() {
        return Some(text.to_string());
    }
    // A `[step.body]` table is the same as an inline one (its values keep their spans).
    let Ok(Value::InlineTable(table)) = item.clone().into_value() else {
        return None;
    };
    let mut out = String::new();
    write_table_values(&mut out, table.iter(), src).then_some(out)
}

fn write_table_values<'a>(
    out: &mut String,
    entries: impl Iterator<Item = (&'a str, &'a Value)>,
    src: &str,
) -> bool {
    out.push('{');
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&serde_json::Value::String(key.to_string()).to_string());
        out.push_str(": ");
        if !write_value(out, value, src) {
            return false;
        }
    }
    out.push('}');
    true
}

fn write_value(out: &mut String, value: &Value, src: &str) -> bool {
    // The number as the file spells it: the text its span covers.
    let spelled = || value.span().and_then(|s| src.get(s)).unwrap_or_default();
    match value {
        Value::String(s) => out.push_str(&serde_json::Value::String(s.value().clone()).to_string()),
        Value::Integer(n) => out.push_str(&number(spelled(), &n.value().to_string())),
        Value::Float(f) => out.push_str(&number(spelled(), &f.value().to_string())),
        Value::Boolean(b) => out.push_str(if *b.value() { "true" } else { "false" }),
        Value::Datetime(d) => {
            out.push_str(&serde_json::Value::String(d.value().to_string()).to_string())
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if !write_value(out, v, src) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::InlineTable(t) => return write_table_values(out, t.iter(), src),
    }
    true
}

/// A number as the file spells it when that is JSON too (`1250.50`), else as parsed
/// (`1_000` → `1000`).
fn number(spelled: &str, parsed: &str) -> String {
    let spelled = spelled.trim();
    if serde_json::from_str::<serde::de::IgnoredAny>(spelled).is_ok() {
        spelled.to_string()
    } else {
        parsed.to_string()
    }
}
