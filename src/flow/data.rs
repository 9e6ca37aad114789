//! `run --data rows.csv`: a flow run once per row, each row's columns as `{{row.COLUMN}}`.

use std::path::Path;

use super::FlowError;
use crate::younium::template::{Origin, Vars};

/// The largest data file read.
const MAX_FILE: u64 = 256 * 1024 * 1024;

/// The rows of a CSV file with a header line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Data {
    /// The column names, as the header has them.
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Data {
    /// `vars` with row `index`'s columns set as `row.COLUMN`.
    pub fn vars_for(&self, vars: &Vars, index: usize) -> Vars {
        let mut vars = vars.clone();
        for (name, value) in self.header.iter().zip(&self.rows[index]) {
            vars.set(Origin::Row, &format!("row.{name}"), value);
        }
        vars
    }
}

/// Reads the CSV file at `path`: a header, then a row a line (RFC 4180 quoting).
pub fn read(path: &Path) -> Result<Data, FlowError> {
    let shown = path.display().to_string();
    let fail = |error: String| FlowError::Read {
        path: shown.clone(),
        error,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| fail(e.to_string()))?
        .len();
    if size > MAX_FILE {
        return Err(fail(format!(
            "{size} bytes: a data file is at most {MAX_FILE}"
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| fail(e.to_string()))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| fail(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    for name in &header {
        let spelled = format!("{{{{row.{name}}}}}");
        if crate::younium::template::names(&spelled) != [format!("row.{name}")] {
            return Err(fail(format!(
                "column {name:?} cannot be a variable name (letters, digits, _, . or -)"
            )));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| fail(e.to_string()))?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    if rows.is_empty() {
        return Err(fail("no rows after the header".into()));
    }
    Ok(Data { header, rows })
}

/// The rows at `indexes` as CSV, the header first (to run them again).
pub fn write_rows(path: &Path, data: &Data, indexes: &[usize]) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record(&data.header)?;
    for &i in indexes {
        writer.write_record(&data.rows[i])?;
    }
    writer.flush()
}
