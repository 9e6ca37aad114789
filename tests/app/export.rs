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
    // A cell that begins with a carriage return is one a spreadsheet may run: neutralised.
    assert_eq!(cell(2, "extra"), "'\r\n,\"");
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

/// The bytes of a JSON export that the issue's numbers must survive: big integers, long
/// decimals, exponents past a float (`1e400`), and `-0.0`.
const EXACT: &str = r#"{"pageNumber": 1, "data": [
  {"big": 123456789012345678901234567890, "long": 0.10000000000000000000000000000000000000000000001,
   "huge": 1e400, "tiny": -1E-400, "zero": -0.0, "money": 12.50, "s": "caf\u00e9 \/ \"q\""}
]}"#;

#[test]
fn every_format_keeps_the_numbers_and_escapes_as_they_came() {
    let digits = [
        "123456789012345678901234567890",
        "0.10000000000000000000000000000000000000000000001",
        "1e400",
        "-1E-400",
        "-0.0",
        "12.50",
    ];
    for format in [
        Format::Json,
        Format::JsonCompact,
        Format::Ndjson,
        Format::Csv,
    ] {
        let out = String::from_utf8(write(EXACT.as_bytes(), format)).unwrap();
        for number in digits {
            assert!(out.contains(number), "{format}: {number} missing in\n{out}");
        }
        let string = if format == Format::Csv {
            "café / \"\"q\"\""
        } else {
            r#""caf\u00e9 \/ \"q\"""#
        };
        assert!(out.contains(string), "{format}: {string} missing in\n{out}");
    }
    // Pretty JSON is laid out as before: two spaces a level, `": "` after a key.
    let pretty =
        String::from_utf8(write(br#"[{"a":{"b":[1,2]},"e":{}},[]]"#, Format::Json)).unwrap();
    assert_eq!(
        pretty,
        "[\n  {\n    \"a\": {\n      \"b\": [\n        1,\n        2\n      ]\n    },\n    \"e\": {}\n  },\n  []\n]\n"
    );
}

#[test]
fn csv_cells_that_would_run_as_formulas_get_a_quote_unless_raw() {
    let body = br#"[{"=k": "=1+2", "a": "+x", "b": "-2+3", "c": "@SUM(A1)", "d": "\tx", "e": "\rx",
                     "n": -12.5, "s": "-12.50", "t": "a=b", "arr": ["=x"]}]"#;
    let safe = String::from_utf8(write(body, Format::Csv)).unwrap();
    assert_eq!(
        safe,
        "'=k,a,b,c,d,e,n,s,t,arr\r\n'=1+2,'+x,'-2+3,'@SUM(A1),'\tx,\"'\rx\",-12.5,-12.50,a=b,\"[\"\"=x\"\"]\"\r\n"
    );
    let mut out = Vec::new();
    let written = export::write(body, Format::Csv, &mut out).unwrap();
    assert_eq!(written.neutralised, 7);
    assert!(written.changes().unwrap().starts_with("7 cells"));
    let raw = String::from_utf8(write(body, Format::CsvRaw)).unwrap();
    assert_eq!(
        raw,
        "=k,a,b,c,d,e,n,s,t,arr\r\n=1+2,+x,-2+3,@SUM(A1),\tx,\"\rx\",-12.5,-12.50,a=b,\"[\"\"=x\"\"]\"\r\n"
    );
}

mod properties {
    //! Exports parsed back by parsers other than the one that reads the body (jaq's for JSON,
    //! the `csv` crate's reader for CSV), numbers compared as text.

    use proptest::prelude::*;
    use younium_tui::export::{self, Format};

    /// A leaf of a generated record: its column, and its JSON text or string value.
    #[derive(Clone, Debug)]
    enum Leaf {
        Number(String),
        Text { json: String, value: String },
        Numbers(Vec<String>),
    }

    /// A JSON number as text: integers past 64 bits, decimals past a float, exponents past its
    /// range. (Not `-0`: jaq reads an integer to its value, and `-0` is `0`.)
    fn number() -> impl Strategy<Value = String> {
        (
            any::<bool>(),
            "0|[1-9][0-9]{0,40}",
            proptest::option::of("[0-9]{1,50}"),
            proptest::option::of("[eE][+-]?[0-9]{1,4}"),
        )
            .prop_map(|(negative, whole, fraction, exponent)| {
                let plain_zero = whole == "0" && fraction.is_none() && exponent.is_none();
                let sign = if negative && !plain_zero { "-" } else { "" };
                let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
                format!("{sign}{whole}{fraction}{}", exponent.unwrap_or_default())
            })
    }

    /// A JSON string as (its text between the quotes, its value), escapes of every kind.
    fn text() -> impl Strategy<Value = (String, String)> {
        let pieces: [(&'static str, &'static str); 17] = [
            ("a", "a"),
            ("Z", "Z"),
            ("\\u00e9", "é"),
            ("é", "é"),
            ("\\n", "\n"),
            ("\\\"", "\""),
            ("\\\\", "\\"),
            ("\\/", "/"),
            ("\\ud83d\\ude00", "😀"),
            ("=", "="),
            (",", ","),
            ("\\t", "\t"),
            ("\\r", "\r"),
            ("+", "+"),
            ("@", "@"),
            (" ", " "),
            ("-", "-"),
        ];
        prop::collection::vec(prop::sample::select(pieces.to_vec()), 0..8).prop_map(|chosen| {
            let json = chosen.iter().map(|(j, _)| *j).collect();
            let value = chosen.iter().map(|(_, v)| *v).collect();
            (json, value)
        })
    }

    fn leaf() -> impl Strategy<Value = Leaf> {
        prop_oneof![
            number().prop_map(Leaf::Number),
            text().prop_map(|(json, value)| Leaf::Text { json, value }),
            prop::collection::vec(number(), 0..4).prop_map(Leaf::Numbers),
        ]
    }

    /// A record: fields `f0…`, some of them an object of two fields (`fN.n`, `fN.é`, the key
    /// written with an escape), as (column, leaf) in order.
    fn record() -> impl Strategy<Value = Vec<(String, Leaf)>> {
        prop::collection::vec((any::<bool>(), leaf(), leaf()), 1..5).prop_map(|fields| {
            let mut leaves = Vec::new();
            for (i, (nested, first, second)) in fields.into_iter().enumerate() {
                if nested {
                    leaves.push((format!("f{i}.n"), first));
                    leaves.push((format!("f{i}.é"), second));
                } else {
                    leaves.push((format!("f{i}"), first));
                }
            }
            leaves
        })
    }

    fn leaf_json(leaf: &Leaf) -> String {
        match leaf {
            Leaf::Number(n) => n.clone(),
            Leaf::Text { json, .. } => format!("\"{json}\""),
            Leaf::Numbers(ns) => format!("[ {} ]", ns.join(" , ")),
        }
    }

    /// The body: the records as an array, written with spaces and line breaks.
    fn body(records: &[Vec<(String, Leaf)>]) -> String {
        let objects: Vec<String> = records
            .iter()
            .map(|leaves| {
                let mut members: Vec<String> = Vec::new();
                let mut i = 0;
                while i < leaves.len() {
                    let (column, leaf) = &leaves[i];
                    match column.split_once('.') {
                        Some((field, _)) => {
                            let second = leaf_json(&leaves[i + 1].1);
                            members.push(format!(
                                "\"{field}\" : {{ \"n\": {}, \"\\u00e9\" :{second} }}",
                                leaf_json(leaf)
                            ));
                            i += 2;
                        }
                        None => {
                            members.push(format!("\"{column}\": {}", leaf_json(leaf)));
                            i += 1;
                        }
                    }
                }
                format!("{{ {} }}", members.join(",\n  "))
            })
            .collect();
        format!(
            "{{\"data\": [\n{}\n], \"pageNumber\": 1}}",
            objects.join(" ,\n")
        )
    }

    /// The leaves of a value jaq parsed, in order: numbers as jaq keeps their text, strings
    /// as their value.
    fn jaq_leaves(value: &jaq_json::Val, out: &mut Vec<String>) {
        use jaq_json::Val;
        match value {
            Val::Num(n) => out.push(format!("number {n}")),
            Val::TStr(s) | Val::BStr(s) => {
                out.push(format!("string {}", String::from_utf8_lossy(s)))
            }
            Val::Arr(items) => items.iter().for_each(|v| jaq_leaves(v, out)),
            Val::Obj(map) => map.values().for_each(|v| jaq_leaves(v, out)),
            other => out.push(format!("other {other}")),
        }
    }

    fn expected_leaves(records: &[Vec<(String, Leaf)>]) -> Vec<String> {
        let mut out = Vec::new();
        for (_, leaf) in records.iter().flatten() {
            match leaf {
                Leaf::Number(n) => out.push(format!("number {n}")),
                Leaf::Text { value, .. } => out.push(format!("string {value}")),
                Leaf::Numbers(ns) => out.extend(ns.iter().map(|n| format!("number {n}"))),
            }
        }
        out
    }

    /// A cell as a spreadsheet-safe CSV holds it (neutralised) or as it is (raw).
    fn expected_cell(leaf: &Leaf, neutralise: bool) -> String {
        match leaf {
            Leaf::Number(n) => n.clone(),
            Leaf::Numbers(ns) => format!("[{}]", ns.join(",")),
            Leaf::Text { value, .. } => {
                // No generated string is a plain number: each that starts so is a formula.
                let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
                if neutralise && formula {
                    format!("'{value}")
                } else {
                    value.clone()
                }
            }
        }
    }

    fn export(body: &str, format: Format) -> Vec<u8> {
        let mut out = Vec::new();
        export::write(body.as_bytes(), format, &mut out).expect("written");
        out
    }

    proptest! {
        #[test]
        fn what_is_exported_holds_the_digits_and_values_that_arrived(
            records in prop::collection::vec(record(), 1..5),
        ) {
            let body = body(&records);
            let expected = expected_leaves(&records);
            for format in [Format::Json, Format::JsonCompact] {
                let out = export(&body, format);
                let back = jaq_json::read::parse_single(&out)
                    .map_err(|e| TestCaseError::fail(format!("{e:?} in {}", String::from_utf8_lossy(&out))))?;
                let mut leaves = Vec::new();
                jaq_leaves(&back, &mut leaves);
                prop_assert_eq!(&leaves, &expected, "{}", format);
            }
            let out = export(&body, Format::Ndjson);
            let mut leaves = Vec::new();
            for line in out.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
                let back = jaq_json::read::parse_single(line)
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                jaq_leaves(&back, &mut leaves);
            }
            prop_assert_eq!(&leaves, &expected, "ndjson");

            let mut columns: Vec<String> = Vec::new();
            for (column, _) in records.iter().flatten() {
                if !columns.contains(column) {
                    columns.push(column.clone());
                }
            }
            for (format, neutralise) in [(Format::Csv, true), (Format::CsvRaw, false)] {
                let out = export(&body, format);
                let mut reader = csv::Reader::from_reader(&out[..]);
                let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
                prop_assert_eq!(&headers, &columns);
                let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
                prop_assert_eq!(rows.len(), records.len());
                for (row, leaves) in rows.iter().zip(&records) {
                    for (column, leaf) in leaves {
                        let at = columns.iter().position(|c| c == column).unwrap();
                        let cell = expected_cell(leaf, neutralise);
                        prop_assert_eq!(&row[at], cell.as_str(), "{}", column);
                    }
                }
            }
        }
    }
}
