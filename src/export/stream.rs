//! Records written a page at a time as the pages of a list come in (`call --all-pages`), with
//! the bytes [`super::write`] would write for all of them at once, so memory holds a page, not
//! the list.
//!
//! JSON and NDJSON go out as each page comes (each page through [`super::write`]; the JSON
//! array's brackets and commas between pages are added here). CSV's header is a column per
//! field across all the records, first seen first, so it cannot be written before the last
//! page: each page's rows, as [`super::write`] makes them with that page's header, are
//! spooled to a temporary file (deleted when dropped), the columns gathered; when the last page
//! is in, the header goes out and each spooled row is put in its columns.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

use super::{ExportError, Format, Written};

/// The most CSV columns a run may make: past it the records are no table (use NDJSON).
pub const MAX_CSV_COLUMNS: usize = 10_000;

/// Writes the records of a list to `out`, a page at a time.
pub struct PageWriter<W: Write> {
    out: W,
    format: Format,
    records: u64,
    /// CSV cells given a leading `'` so far.
    neutralised: u64,
    /// A page's output, reused.
    buf: Vec<u8>,
    csv: Option<CsvSpool>,
}

/// The pages' CSV rows so far, each page with its own header, and the columns of them all.
struct CsvSpool {
    file: BufWriter<File>,
    columns: Vec<String>,
    index: HashMap<String, usize>,
}

/// The JSON array's opening, the text between two records and the closing, as
/// [`super::write`] writes them.
fn framing(format: Format) -> Option<(&'static [u8], &'static [u8], &'static [u8])> {
    match format {
        Format::Json => Some((b"[\n", b",\n", b"\n]\n")),
        Format::JsonCompact => Some((b"[", b",", b"]\n")),
        Format::Ndjson | Format::Csv | Format::CsvRaw => None,
    }
}

fn other(message: String) -> ExportError {
    ExportError::Io(io::Error::other(message))
}

impl<W: Write> PageWriter<W> {
    /// A writer of `format` to `out` (buffered by the caller). CSV opens its spool file here.
    pub fn new(format: Format, out: W) -> Result<Self, ExportError> {
        let csv = match format {
            f if f.is_csv() => Some(CsvSpool {
                file: BufWriter::with_capacity(64 * 1024, tempfile::tempfile()?),
                columns: Vec::new(),
                index: HashMap::new(),
            }),
            _ => None,
        };
        Ok(PageWriter {
            out,
            format,
            records: 0,
            neutralised: 0,
            buf: Vec::new(),
            csv,
        })
    }

    /// Writes (or, for CSV, spools) the records of one page: `array` is one JSON array, or any
    /// body [`super::write`] takes.
    pub fn page(&mut self, array: &[u8]) -> Result<(), ExportError> {
        self.buf.clear();
        if let Some(spool) = &mut self.csv {
            let written = super::write(array, self.format, &mut self.buf)?;
            if written.records > 0 {
                spool.add(&self.buf)?;
            }
            self.records += written.records;
            self.neutralised += written.neutralised;
            return Ok(());
        }
        let Some((open, between, close)) = framing(self.format) else {
            self.records += super::write(array, self.format, &mut self.out)?.records;
            return Ok(());
        };
        let written = super::write(array, self.format, &mut self.buf)?;
        if written.records == 0 {
            return Ok(());
        }
        let inner = self
            .buf
            .strip_prefix(open)
            .and_then(|b| b.strip_suffix(close))
            .ok_or_else(|| other("the JSON writer framed a page unexpectedly".into()))?;
        self.out
            .write_all(if self.records == 0 { open } else { between })?;
        self.out.write_all(inner)?;
        self.records += written.records;
        Ok(())
    }

    /// Records written (or spooled) so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Ends the output: closes the JSON array, or writes the CSV from its spool. Returns what
    /// was written and the writer, flushed.
    pub fn finish(mut self) -> Result<(Written, W), ExportError> {
        let mut columns = 0;
        match (framing(self.format), self.csv.take()) {
            (_, Some(spool)) => columns = spool.write_to(&mut self.out)?,
            (Some((_, _, close)), None) if self.records > 0 => self.out.write_all(close)?,
            (Some(_), None) => self.out.write_all(b"[]\n")?,
            (None, None) => {}
        }
        self.out.flush()?;
        let written = Written {
            records: self.records,
            columns,
            neutralised: self.neutralised,
        };
        Ok((written, self.out))
    }

    /// Leaves the output as it stands (a JSON array left open, so it does not read as whole;
    /// no CSV at all) and hands the writer back, flushed.
    pub fn abandon(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

impl CsvSpool {
    /// Spools one page's CSV (its header, then its rows) and notes its new columns.
    fn add(&mut self, page: &[u8]) -> Result<(), ExportError> {
        let mut reader = csv::ReaderBuilder::new().from_reader(page);
        for name in reader.headers()? {
            if !self.index.contains_key(name) {
                if self.columns.len() == MAX_CSV_COLUMNS {
                    return Err(other(format!(
                        "the records have more than {MAX_CSV_COLUMNS} fields between them: \
                         too many CSV columns (use --format ndjson)"
                    )));
                }
                self.index.insert(name.to_string(), self.columns.len());
                self.columns.push(name.to_string());
            }
        }
        self.file.write_all(&(page.len() as u64).to_le_bytes())?;
        self.file.write_all(page)?;
        Ok(())
    }

    /// Writes the header of every column, then each spooled row in its columns; returns the
    /// number of columns.
    fn write_to(self, out: &mut impl Write) -> Result<usize, ExportError> {
        let mut file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        let mut spool = BufReader::with_capacity(64 * 1024, file);
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        if !self.columns.is_empty() {
            writer.write_record(&self.columns)?;
        }
        let mut cells = vec![String::new(); self.columns.len()];
        let mut page = Vec::new();
        let mut len = [0u8; 8];
        loop {
            match spool.read_exact(&mut len) {
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
                other => other?,
            }
            page.resize(u64::from_le_bytes(len) as usize, 0);
            spool.read_exact(&mut page)?;
            let mut reader = csv::ReaderBuilder::new().from_reader(&page[..]);
            let at = reader
                .headers()?
                .iter()
                .map(|h| self.index.get(h).copied())
                .collect::<Option<Vec<usize>>>()
                .ok_or_else(|| other("the CSV spool lost a column".into()))?;
            for row in reader.records() {
                cells.iter_mut().for_each(String::clear);
                for (cell, &column) in row?.iter().zip(&at) {
                    cells[column].push_str(cell);
                }
                writer.write_record(&cells)?;
            }
        }
        writer.flush()?;
        Ok(self.columns.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGES: [&str; 4] = [
        r#"[{"id":1,"account":{"name":"A"}},{"id":2,"s":"x\ny","n":1.50}]"#,
        "[]",
        r#"[{"id":3,"tags":["t"],"account":{"name":"C","no":"7"}}]"#,
        r#"[{"extra":null,"id":4},{"id":5,"s":"=1+1, \"quoted\""}]"#,
    ];

    fn all_at_once(format: Format) -> Vec<u8> {
        let inner: Vec<&str> = PAGES
            .iter()
            .map(|p| &p[1..p.len() - 1])
            .filter(|p| !p.is_empty())
            .collect();
        let mut out = Vec::new();
        super::super::write(
            format!("[{}]", inner.join(",")).as_bytes(),
            format,
            &mut out,
        )
        .unwrap();
        out
    }

    #[test]
    fn a_page_at_a_time_writes_what_all_at_once_would() {
        for format in [
            Format::Json,
            Format::JsonCompact,
            Format::Ndjson,
            Format::Csv,
        ] {
            let mut writer = PageWriter::new(format, Vec::new()).unwrap();
            for page in PAGES {
                writer.page(page.as_bytes()).unwrap();
            }
            let (written, out) = writer.finish().unwrap();
            assert_eq!(written.records, 5, "{format}");
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(all_at_once(format)).unwrap(),
                "{format}"
            );
        }
    }

    #[test]
    fn no_records_and_an_abandoned_run() {
        for (format, empty) in [
            (Format::Json, "[]\n"),
            (Format::Csv, ""),
            (Format::Ndjson, ""),
        ] {
            let writer = PageWriter::new(format, Vec::new()).unwrap();
            assert_eq!(writer.finish().unwrap().1, empty.as_bytes(), "{format}");
        }
        let mut writer = PageWriter::new(Format::Json, Vec::new()).unwrap();
        writer.page(PAGES[0].as_bytes()).unwrap();
        let open = String::from_utf8(writer.abandon().unwrap()).unwrap();
        assert!(open.starts_with("[\n") && !open.ends_with("]\n"), "{open}");
        let mut writer = PageWriter::new(Format::Csv, Vec::new()).unwrap();
        writer.page(PAGES[0].as_bytes()).unwrap();
        assert!(writer.abandon().unwrap().is_empty());
    }
}
