//! Exports: the records of a body written out as JSON, NDJSON or CSV, record by record, to
//! any [`std::io::Write`] (a file, stdout), never as a second full copy in memory.
//!
//! The records are those [`records::find`] finds: a bare array (such as
//! [`crate::younium::all_pages::Merged::records`]), a 2.1 envelope's `data`, a v3 `items`, or
//! an object on its own as one record.
//!
//! Every format copies each record's JSON text ([`raw`]) rather than a parsed value: numbers
//! keep every digit (`123456789012345678901234567890`, `1e400`), strings their escapes.

mod csv_out;
mod raw;

pub(crate) use raw::{compact_into, string_value};
pub use younium::records;
pub mod stream;

use std::fmt;
use std::io::Write;
use std::str::FromStr;

use serde_json::value::RawValue;

pub use self::csv_out::{
    Formulas, columns, flatten_into, runs_as_formula, write_csv, write_csv_with,
};
pub use self::records::{Found, RecordsError};

/// An export format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// One JSON array (pretty-printed: two-space indent).
    #[default]
    Json,
    /// One JSON array on one line.
    JsonCompact,
    /// A record a line.
    Ndjson,
    /// RFC 4180 CSV with a header row; cells that would run as formulas neutralised.
    Csv,
    /// [`Format::Csv`] with every cell as it is, formulas included (`call --csv-raw`).
    CsvRaw,
}

impl Format {
    /// The formats offered to the user, in order.
    pub const OFFERED: [Format; 3] = [Format::Json, Format::Ndjson, Format::Csv];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::JsonCompact => "json-compact",
            Format::Ndjson => "ndjson",
            Format::Csv => "csv",
            Format::CsvRaw => "csv-raw",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json | Format::JsonCompact => "json",
            Format::Ndjson => "ndjson",
            Format::Csv | Format::CsvRaw => "csv",
        }
    }

    /// CSV, formulas neutralised or not.
    pub fn is_csv(self) -> bool {
        matches!(self, Format::Csv | Format::CsvRaw)
    }

    /// One line for a menu: `CSV: a row a record, nested fields as account.name`.
    pub fn description(self) -> &'static str {
        match self {
            Format::Json => "JSON: the records as one array",
            Format::JsonCompact => "JSON: the records as one array on one line",
            Format::Ndjson => "NDJSON: one record a line",
            Format::Csv => "CSV: a row a record, nested fields as account.name",
            Format::CsvRaw => "CSV: a row a record, cells that look like formulas as they are",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "json-compact" | "compact" => Ok(Format::JsonCompact),
            "ndjson" | "jsonl" | "jsonlines" => Ok(Format::Ndjson),
            "csv" => Ok(Format::Csv),
            other => Err(format!("unknown format {other:?}: use json, ndjson or csv")),
        }
    }
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Records(#[from] RecordsError),
    #[error("could not write: {0}")]
    Io(#[from] std::io::Error),
    #[error("a record is not valid JSON: {0}")]
    Json(serde_json::Error),
    #[error("could not write CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// What an export wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Written {
    pub records: u64,
    /// CSV columns (0 for the JSON formats).
    pub columns: usize,
    /// CSV cells (column names included) given a leading `'` so that a spreadsheet does not
    /// run them as formulas (0 for the other formats and for [`Format::CsvRaw`]).
    pub neutralised: u64,
}

impl Written {
    /// What the export changed, said to the user: `2 cells that a spreadsheet would run as
    /// formulas were given a leading '`. `None` when every cell is as it arrived.
    pub fn changes(&self) -> Option<String> {
        let cells = match self.neutralised {
            0 => return None,
            1 => "1 cell".to_string(),
            n => format!("{} cells", crate::pretty::thousands(n)),
        };
        Some(format!(
            "{cells} that a spreadsheet would run as formulas were given a leading '"
        ))
    }
}

/// Writes the records of `body` to `out` in `format`. `out` should be buffered (a
/// `BufWriter`): records are written a piece at a time.
pub fn write(body: &[u8], format: Format, out: &mut impl Write) -> Result<Written, ExportError> {
    match format {
        Format::Json => write_json(body, out, true),
        Format::JsonCompact => write_json(body, out, false),
        Format::Ndjson => write_ndjson(body, out),
        Format::Csv => write_csv_with(body, Formulas::Neutralise, out),
        Format::CsvRaw => write_csv_with(body, Formulas::Keep, out),
    }
}

/// Walks the records of `body`, each as its JSON text.
fn each_record<'a>(
    body: &'a [u8],
    f: impl FnMut(&'a RawValue) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    records::each_in_body(body, f).map_err(|e| match e {
        records::BodyWalkError::Records(e) => ExportError::Records(e),
        records::BodyWalkError::Stopped(e) => e,
    })
}

/// One array: pretty as the viewer lays JSON out (two-space indent), or on one line.
fn write_json(body: &[u8], out: &mut impl Write, pretty: bool) -> Result<Written, ExportError> {
    let mut piece = Vec::with_capacity(4096);
    let mut first = true;
    out.write_all(b"[")?;
    let records = each_record(body, |record| {
        piece.clear();
        if !first {
            piece.push(b',');
        }
        first = false;
        if pretty {
            piece.push(b'\n');
            crate::pretty::json::pretty_into(record.get().as_bytes(), 1, &mut piece);
        } else {
            raw::compact_into(record.get(), &mut piece);
        }
        out.write_all(&piece)?;
        Ok(())
    })?;
    if pretty && records > 0 {
        out.write_all(b"\n")?;
    }
    out.write_all(b"]\n")?;
    Ok(Written {
        records,
        columns: 0,
        neutralised: 0,
    })
}

fn write_ndjson(body: &[u8], out: &mut impl Write) -> Result<Written, ExportError> {
    let mut line = Vec::with_capacity(4096);
    let records = each_record(body, |record| {
        line.clear();
        raw::compact_into(record.get(), &mut line);
        line.push(b'\n');
        out.write_all(&line)?;
        Ok(())
    })?;
    Ok(Written {
        records,
        columns: 0,
        neutralised: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_print() {
        for f in [
            Format::Json,
            Format::JsonCompact,
            Format::Ndjson,
            Format::Csv,
        ] {
            assert_eq!(f.as_str().parse::<Format>().unwrap(), f);
        }
        assert!("xml".parse::<Format>().is_err());
    }

    #[test]
    fn json_and_ndjson_round_trip() {
        let body = br#"{"data":[{"id":1,"a":{"b":[1,2]}},{"id":2,"s":"x\ny"}],"pageNumber":1}"#;
        let mut out = Vec::new();
        let w = write(body, Format::Ndjson, &mut out).unwrap();
        assert_eq!(w.records, 2);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 2);
        let mut out = Vec::new();
        write(body, Format::Json, &mut out).unwrap();
        let back: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(back[1]["s"], "x\ny");
        let mut out = Vec::new();
        write(b"[]", Format::JsonCompact, &mut out).unwrap();
        assert_eq!(out, b"[]\n");
    }
}
