//! CSV: a header row of the union of the records' keys in first-seen order, nested objects
//! flattened as `account.name`, arrays (and empty objects) as JSON text in the cell, `null`
//! as an empty cell. Quoting is the `csv` crate's (RFC 4180). Two passes over the records:
//! the first finds the columns, the second writes the rows; neither copies the body.
//!
//! Cells are cut from each record's JSON text ([`super::raw`]), never from a parsed value, so
//! a number is its digits as they arrived and a string its exact value. A cell (or a column
//! name) that a spreadsheet would run as a formula, one that begins with `=`, `+`, `-`, `@`, a
//! tab or a carriage return and is not a plain number, gets a leading `'`
//! ([`Formulas::Neutralise`], OWASP's advice) unless the caller asks for the cells as they are.

use std::collections::HashMap;
use std::io::Write;

use serde_json::Value;

use super::{ExportError, Written, each_record, raw};

/// The column of a record that is not an object (a list of numbers, say).
const VALUE_COLUMN: &str = "value";

/// What the CSV writer does with a cell a spreadsheet would run as a formula.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Formulas {
    /// A leading `'` makes it text (`=HYPERLINK(…)` is written `'=HYPERLINK(…)`).
    #[default]
    Neutralise,
    /// Written as it is.
    Keep,
}

/// Calls `f(column, cell)` for each leaf of `value`, columns named by their path.
pub fn flatten_into(value: &Value, prefix: &mut String, f: &mut impl FnMut(&str, &Value)) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, inner) in map {
                let len = enter(prefix, key);
                flatten_into(inner, prefix, f);
                prefix.truncate(len);
            }
        }
        leaf => f(column_of(prefix), leaf),
    }
}

/// Appends `key` to the column path `prefix`; returns the length to truncate back to.
fn enter(prefix: &mut String, key: &str) -> usize {
    let len = prefix.len();
    if !prefix.is_empty() {
        prefix.push('.');
    }
    prefix.push_str(key);
    len
}

fn column_of(prefix: &str) -> &str {
    if prefix.is_empty() {
        VALUE_COLUMN
    } else {
        prefix
    }
}

/// [`flatten_into`] over a record's JSON text: `f(column, leaf)` with each leaf's text.
fn leaves<'a>(
    text: &'a str,
    prefix: &mut String,
    f: &mut impl FnMut(&str, &'a str) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    if !is_filled_object(text) {
        return f(column_of(prefix), text);
    }
    let mut stopped = None;
    let walked = raw::members(text, &mut |key, value| {
        let len = enter(prefix, key);
        let result = leaves(value.get(), prefix, &mut *f);
        prefix.truncate(len);
        result.map_err(|e| {
            stopped = Some(e);
            serde::de::Error::custom("stopped")
        })
    });
    match (walked, stopped) {
        (_, Some(e)) => Err(e),
        (Err(e), None) => Err(ExportError::Json(e)),
        (Ok(()), None) => Ok(()),
    }
}

/// An object with at least one member (an empty one is a leaf, as `{}`).
fn is_filled_object(text: &str) -> bool {
    let mut bytes = text.bytes().filter(|b| !b.is_ascii_whitespace());
    bytes.next() == Some(b'{') && bytes.next() != Some(b'}')
}

/// The columns of the records of `body`, in first-seen order.
pub fn columns(body: &[u8]) -> Result<Vec<String>, ExportError> {
    let mut names: Vec<String> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut prefix = String::new();
    each_record(body, |record| {
        leaves(record.get(), &mut prefix, &mut |column, _| {
            if !seen.contains_key(column) {
                seen.insert(column.to_string(), names.len());
                names.push(column.to_string());
            }
            Ok(())
        })
    })?;
    Ok(names)
}

/// A leaf's text as its cell: a string's value, a number or a boolean as written, nothing for
/// `null`, an array or an empty object as compact JSON.
fn cell_text(leaf: &str, out: &mut Vec<u8>) -> Result<(), ExportError> {
    out.clear();
    match leaf.as_bytes().first() {
        Some(b'"') => {
            let value = raw::string_value(leaf).map_err(ExportError::Json)?;
            out.extend_from_slice(value.as_bytes());
        }
        Some(b'n') | None => {}
        Some(b'[' | b'{') => raw::compact_into(leaf, out),
        Some(_) => out.extend_from_slice(leaf.as_bytes()),
    }
    Ok(())
}

/// Whether a spreadsheet would take `cell` for a formula: it begins with `=`, `+`, `-`, `@`,
/// a tab or a carriage return, and is not a plain number (`-12.50` stays a number).
pub fn runs_as_formula(cell: &[u8]) -> bool {
    matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    ) && !is_number(cell)
}

/// `-12`, `0.5`, `1e400`: a number in JSON's notation (leading zeros allowed).
fn is_number(text: &[u8]) -> bool {
    let digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
    let text = text.strip_prefix(b"-").unwrap_or(text);
    let (mantissa, exponent) = match text.iter().position(|b| matches!(b, b'e' | b'E')) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = match mantissa.iter().position(|b| *b == b'.') {
        Some(at) => (&mantissa[..at], Some(&mantissa[at + 1..])),
        None => (mantissa, None),
    };
    let exponent = exponent.map(|e| e.strip_prefix(b"+").or(e.strip_prefix(b"-")).unwrap_or(e));
    digits(whole) && fraction.is_none_or(digits) && exponent.is_none_or(digits)
}

/// `cell` with a leading `'` when [`runs_as_formula`] and `formulas` says to neutralise;
/// true when it was changed.
fn neutralise(cell: &mut Vec<u8>, formulas: Formulas) -> bool {
    let change = formulas == Formulas::Neutralise && runs_as_formula(cell);
    if change {
        cell.insert(0, b'\'');
    }
    change
}

/// Writes the records of `body` as CSV, cells that would run as formulas neutralised.
pub fn write_csv(body: &[u8], out: &mut impl Write) -> Result<Written, ExportError> {
    write_csv_with(body, Formulas::Neutralise, out)
}

/// Writes the records of `body` as CSV, doing with formula-like cells what `formulas` says.
pub fn write_csv_with(
    body: &[u8],
    formulas: Formulas,
    out: &mut impl Write,
) -> Result<Written, ExportError> {
    let names = columns(body)?;
    let index: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut *out);
    let mut neutralised = 0;
    let mut cells: Vec<Vec<u8>> = names.iter().map(|n| n.clone().into_bytes()).collect();
    if !names.is_empty() {
        for cell in &mut cells {
            neutralised += u64::from(neutralise(cell, formulas));
        }
        writer.write_record(&cells)?;
    }
    for cell in &mut cells {
        cell.clear();
    }
    let mut prefix = String::new();
    let records = each_record(body, |record| {
        leaves(
            record.get(),
            &mut prefix,
            &mut |column, leaf| match index.get(column) {
                Some(&i) => cell_text(leaf, &mut cells[i]),
                None => Ok(()),
            },
        )?;
        for cell in &mut cells {
            neutralised += u64::from(neutralise(cell, formulas));
        }
        let written = writer.write_record(&cells);
        for cell in &mut cells {
            cell.clear();
        }
        Ok(written?)
    })?;
    writer.flush()?;
    Ok(Written {
        records,
        columns: names.len(),
        neutralised,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_the_union_in_first_seen_order() {
        let body = br#"[{"id":1,"account":{"name":"A","no":"1"}},{"id":2,"tags":["x"],"account":{"name":"B"},"extra":null}]"#;
        assert_eq!(
            columns(body).unwrap(),
            ["id", "account.name", "account.no", "tags", "extra"]
        );
        let mut out = Vec::new();
        let w = write_csv(body, &mut out).unwrap();
        assert_eq!((w.records, w.columns), (2, 5));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id,account.name,account.no,tags,extra\r\n1,A,1,,\r\n2,B,,\"[\"\"x\"\"]\",\r\n"
        );
    }

    #[test]
    fn scalars_get_a_value_column() {
        let mut out = Vec::new();
        write_csv(b"[1,\"two\",null]", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "value\r\n1\r\ntwo\r\n\"\"\r\n"
        );
    }

    #[test]
    fn what_runs_as_a_formula() {
        for cell in [
            "=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "-", "+5", "-1e",
        ] {
            assert!(runs_as_formula(cell.as_bytes()), "{cell:?}");
        }
        for cell in [
            "", "1", "-12.50", "-1e400", "-0.5E+3", "a=b", " =x", "'=x", "007",
        ] {
            assert!(!runs_as_formula(cell.as_bytes()), "{cell:?}");
        }
    }
}
