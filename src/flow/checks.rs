//! Reading what a step (or a saved request) checks and keeps: `expect = { status, jq }` and
//! `capture = { name = "filter" }`. One reader for the flow file and the config file's saved
//! requests; each caller words where an error is.

use std::collections::BTreeMap;
use std::ops::Range;

use toml_edit::{Item, Table};

use super::Expect;

/// Where in the file a problem is (`None`: the whole item), and what it is.
pub type Problem = (Option<Range<usize>>, String);

/// `expect = { status = 201, jq = ['.id != null'] }`.
pub fn read_expect(item: &Item) -> Result<Expect, Problem> {
    let fail = |span, why: &str| (span, why.to_string());
    let table = item
        .as_table_like()
        .ok_or_else(|| fail(item.span(), "not a table of status and jq"))?;
    let mut expect = Expect::default();
    for (key, value) in table.iter() {
        match key {
            "status" => {
                let status = value
                    .as_integer()
                    .and_then(|s| u16::try_from(s).ok())
                    .filter(|s| (100..=599).contains(s))
                    .ok_or_else(|| {
                        fail(value.span(), "`status` is not a status from 100 to 599")
                    })?;
                expect.status = Some(status);
            }
            "jq" => {
                let filters = value
                    .as_array()
                    .ok_or_else(|| fail(value.span(), "`jq` is not a list of filters"))?;
                for filter in filters {
                    let text = filter
                        .as_str()
                        .ok_or_else(|| fail(filter.span(), "a `jq` filter is not a string"))?;
                    expect.jq.push(text.to_string());
                }
            }
            other => {
                return Err(fail(
                    value.span(),
                    &format!("unknown key `{other}` (status, jq)"),
                ));
            }
        }
    }
    Ok(expect)
}

/// A table of strings: `[vars]`, `capture`.
pub fn read_strings(item: &Item, what: &str) -> Result<BTreeMap<String, String>, Problem> {
    let table = item
        .as_table_like()
        .ok_or_else(|| (item.span(), format!("{what} is not a table")))?;
    let mut out = BTreeMap::new();
    for (key, value) in table.iter() {
        let text = value
            .as_str()
            .ok_or_else(|| (value.span(), format!("{what}: `{key}` is not a string")))?;
        out.insert(key.to_string(), text.to_string());
    }
    Ok(out)
}

/// A saved request's `capture` and `expect`, both empty when absent. The error names the key.
pub fn read_saved_checks(table: &Table) -> Result<(Vec<(String, String)>, Expect), String> {
    let capture = match table.get("capture") {
        None => Vec::new(),
        Some(item) => read_strings(item, "capture")
            .map_err(|(_, why)| why)?
            .into_iter()
            .collect(),
    };
    let expect = match table.get("expect") {
        None => Expect::default(),
        Some(item) => read_expect(item).map_err(|(_, why)| format!("expect: {why}"))?,
    };
    Ok((capture, expect))
}
