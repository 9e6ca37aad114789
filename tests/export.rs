//! Exports parsed back: CSV with nested objects, arrays, commas, quotes and newlines (read
//! with the `csv` crate), NDJSON line by line, JSON whole; and the records of every body shape.

use serde_json::{Value, json};
use younium_tui::export::{self, Format};

fn hostile() -> Value {
    json!([
        {"id": "a-1", "name": "Acme, Inc.", "account": {"name": "Acme \"Main\"", "address": {"city": "Malmö"}},
         "tags": ["x", "y"], "note": "line one\nline two", "amount": 12.5, "paid": true},
        {"id": "a-2", "name": "Nordlys AB", "account": {"name": "N", "number": "42"},
         "note": null, "lines": [{"qty": 1}, {"qty": 2}], "empty": {}},
        {"id": "a-3", "extra": "\r\n,\"", "account": null}
    ])
}

fn write(body: &[u8], format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    export::write(body, format, &mut out).expect("written");
    out
}

#[test]
fn csv_parses_back_with_every_awkward_value() {
    let body = serde_json::to_vec(&hostile()).unwrap();
    let out = write(&body, Format::Csv);
    let mut reader = csv::Reader::from_reader(&out[..]);
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        [
            "id",
            "name",
            "account.name",
            "account.address.city",
            "tags",
            "note",
            "amount",
            "paid",
            "account.number",
            "lines",
            "empty",
            "extra",
            "account"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    let cell = |row: usize, column: &str| {
        let i = headers.iter().position(|h| h == column).unwrap();
        rows[row][i].to_string()
    };
    assert_eq!(cell(0, "name"), "Acme, Inc.");
    assert_eq!(cell(0, "account.name"), "Acme \"Main\"");
    assert_eq!(cell(0, "account.address.city"), "Malmö");
    assert_eq!(cell(0, "tags"), r#"["x","y"]"#);
    assert_eq!(cell(0, "note"), "line one\nline two");
    assert_eq!(cell(0, "amount"), "12.5");
    assert_eq!(cell(0, "paid"), "true");
    assert_eq!(cell(1, "note"), "");
    assert_eq!(cell(1, "account.number"), "42");
    assert_eq!(cell(1, "lines"), r#"[{"qty":1},{"qty":2}]"#);
    assert_eq!(cell(1, "empty"), "{}");
    assert_eq!(cell(1, "tags"), "");
    assert_eq!(cell(2, "extra"), "\r\n,\"");
    assert_eq!(cell(2, "account"), "");
    assert_eq!(cell(2, "account.name"), "");
}

#[test]
fn ndjson_is_a_record_a_line_and_json_is_the_array() {
    let records = hostile();
    let body = serde_json::to_vec(&records).unwrap();
    let ndjson = String::from_utf8(write(&body, Format::Ndjson)).unwrap();
    let back: Vec<Value> = ndjson
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(Value::Array(back), records);
    for format in [Format::Json, Format::JsonCompact] {
        let back: Value = serde_json::from_slice(&write(&body, format)).unwrap();
        assert_eq!(back, records, "{format}");
    }
    let compact = String::from_utf8(write(&body, Format::JsonCompact)).unwrap();
    assert_eq!(compact.lines().count(), 1);
}

#[test]
fn records_are_found_in_envelopes_and_bare_arrays() {
    let records = hostile();
    let v21 = json!({"pageNumber": 1, "pageSize": 100, "totalPages": 1, "data": records});
    let v3 = json!({"items": records, "nextPage": null});
    for body in [v21, v3, records.clone()] {
        let body = serde_json::to_vec(&body).unwrap();
        let back: Value = serde_json::from_slice(&write(&body, Format::JsonCompact)).unwrap();
        assert_eq!(back, records);
    }
    let one = serde_json::to_vec(&json!({"id": "x", "account": {"name": "A"}})).unwrap();
    let csv = String::from_utf8(write(&one, Format::Csv)).unwrap();
    assert_eq!(csv, "id,account.name\r\nx,A\r\n");
    assert!(export::write(b"not json", Format::Csv, &mut Vec::new()).is_err());
    assert_eq!(write(b"[]", Format::Csv), b"");
    assert_eq!(write(br#"{"data":null}"#, Format::Json), b"[]\n");
}
