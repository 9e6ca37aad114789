//! CSV: a header row of the union of the records' keys in first-seen order, nested objects
//! flattened as `account.name`, arrays (and empty objects) as JSON text in the cell, `null`
//! as an empty cell. Quoting is the `csv` crate's (RFC 4180). Two passes over the records:
//! the first finds the columns, the second writes the rows; neither copies the body.

use std::collections::HashMap;
use std::io::Write;

use serde_json::Value;

use super::{ExportError, Written, each_value};

/// The column of a record that is not an object (a list of numbers, say).
const VALUE_COLUMN: &str = "value";

/// Calls `f(column, cell)` for each leaf of `value`, columns named by their path.
pub fn flatten_into(value: &Value, prefix: &mut String, f: &mut impl FnMut(&str, &Value)) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, inner) in map {
                let len = prefix.len();
                if !prefix.is_empty() {
                    prefix.push('.');
                }
                prefix.push_str(key);
                flatten_into(inner, prefix, f);
                prefix.truncate(len);
            }
        }
        leaf if prefix.is_empty() => f(VALUE_COLUMN, leaf),
        leaf => f(prefix, leaf),
    }
}

/// The columns of the records of `body`, in first-seen order.
pub fn columns(body: &[u8]) -> Result<Vec<String>, ExportError> {
    let mut names: Vec<String> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut prefix = String::new();
    each_value(body, |record| {
        flatten_into(&record, &mut prefix, &mut |column, _| {
            if !seen.contains_key(column) {
                seen.insert(column.to_string(), names.len());
                names.push(column.to_string());
            }
        });
        Ok(())
    })?;
    Ok(names)
}

/// A leaf as cell text.
fn cell_text(value: &Value, out: &mut String) {
    out.clear();
    match value {
        Value::Null => {}
        Value::String(s) => out.push_str(s),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        other => out.push_str(&other.to_string()),
    }
}

/// Writes the records of `body` as CSV.
pub fn write_csv(body: &[u8], out: &mut impl Write) -> Result<Written, ExportError> {
    let names = columns(body)?;
    let index: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut *out);
    if !names.is_empty() {
        writer.write_record(&names)?;
    }
    let mut cells: Vec<String> = vec![String::new(); names.len()];
    let mut prefix = String::new();
    let mut csv_error = None;
    let records = each_value(body, |record| {
        for cell in &mut cells {
            cell.clear();
        }
        flatten_into(&record, &mut prefix, &mut |column, leaf| {
            if let Some(&i) = index.get(column) {
                cell_text(leaf, &mut cells[i]);
            }
        });
        if let Err(e) = writer.write_record(&cells) {
            csv_error = Some(e);
            return Err(ExportError::Io(std::io::Error::other("csv")));
        }
        Ok(())
    });
    if let Some(e) = csv_error {
        return Err(ExportError::Csv(e));
    }
    let records = records?;
    writer.flush()?;
    Ok(Written {
        records,
        columns: names.len(),
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
}
