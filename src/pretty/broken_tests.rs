//! Bodies that are not what they claim: JSON cut short or with a stray byte, HTML, XML and
//! text by content type, invalid UTF-8, nothing at all.

use super::*;
use proptest::prelude::*;

fn json(body: &[u8]) -> Document {
    Document::new(Bytes::copy_from_slice(body), true)
}

fn lines(doc: &Document) -> Vec<String> {
    (0..doc.line_count()).map(|i| doc.line(i)).collect()
}

/// The invariants every document keeps: one start and (for JSON and broken JSON) one depth a
/// line, starts increasing, the error line on a line, and each line's columns read as the
/// line itself.
fn assert_consistent(doc: &Document) {
    assert!(doc.line_count() >= 1);
    assert!(
        doc.starts.windows(2).all(|w| w[0] < w[1]),
        "{:?}",
        doc.starts
    );
    if doc.kind != BodyKind::Text {
        assert_eq!(doc.depths.len(), doc.starts.len());
    }
    assert!(doc.json_lines <= doc.line_count());
    assert_eq!(doc.json_error().is_some(), doc.kind == BodyKind::BrokenJson);
    if let Some(line) = doc.json_error_line() {
        assert!(line < doc.line_count());
    }
    for i in 0..doc.line_count() {
        let line = doc.line(i);
        let mut into = String::new();
        doc.line_into(i, &mut into);
        assert_eq!(into, line, "line_into {i}");
        let width = line.chars().count();
        assert_eq!(doc.columns(i, 0..width + 3), line, "columns of line {i}");
        assert_eq!(doc.line_bytes(i), doc.span(i).1 - doc.span(i).0);
    }
}

#[test]
fn truncated_in_a_string_is_pretty_to_its_end() {
    let d = json(br#"{"data":[{"id":1,"name":"Acme Nordi"#);
    assert_eq!(d.kind(), BodyKind::BrokenJson);
    let e = d.json_error().unwrap();
    assert_eq!(e.message, "EOF while parsing a string");
    assert_eq!((e.line, e.column), (1, 35));
    assert_eq!(
        lines(&d),
        [
            "{",
            "  \"data\": [",
            "    {",
            "      \"id\": 1,",
            "      \"name\": \"Acme Nordi"
        ]
    );
    assert_eq!(d.json_line_count(), 5);
    assert_eq!(
        d.json_error_line(),
        Some(4),
        "the last line, where it stops"
    );
    assert_consistent(&d);
}

#[test]
fn truncated_after_a_comma() {
    let d = json(b"{\"a\":1,\"b\":[true,\n");
    assert_eq!(d.kind(), BodyKind::BrokenJson);
    assert_eq!(d.json_error().unwrap().message, "EOF while parsing a value");
    assert_eq!(lines(&d), ["{", "  \"a\": 1,", "  \"b\": [", "    true,"]);
    assert_eq!(d.json_error_line(), Some(3));
    assert_consistent(&d);
}

#[test]
fn truncated_in_a_number() {
    for body in [&b"[1,-2.5e"[..], b"{\"n\":12", b"[0."] {
        let d = json(body);
        assert_eq!(d.kind(), BodyKind::BrokenJson, "{body:?}");
        assert_eq!(d.json_error_line(), Some(d.line_count() - 1));
        assert_eq!(d.json_line_count(), d.line_count(), "nothing left as text");
        assert_consistent(&d);
    }
    assert_eq!(lines(&json(b"[1,-2.5e")), ["[", "  1,", "  -2.5e"]);
}

#[test]
fn a_stray_byte_mid_body_shows_the_rest_as_received() {
    let d = json(b"{\"a\":1,\"b\":x2,\"c\":3}\n{\"more\":true}\n");
    assert_eq!(d.kind(), BodyKind::BrokenJson);
    let e = d.json_error().unwrap();
    assert_eq!(
        (e.line, e.column, e.message.as_str()),
        (1, 12, "expected value")
    );
    assert_eq!(
        lines(&d),
        [
            "{",
            "  \"a\": 1,",
            "  \"b\": ",
            "x2,\"c\":3}",
            "{\"more\":true}"
        ]
    );
    assert_eq!(d.json_line_count(), 3);
    assert_eq!(d.json_error_line(), Some(3), "the first line as received");
    assert_eq!(d.line_kind(2), LineKind::Json);
    assert_eq!(d.line_kind(3), LineKind::Text);
    assert_eq!(d.open_containers(3), Vec::<bool>::new());
    assert_consistent(&d);
}

#[test]
fn trailing_garbage_and_a_stray_character_on_a_later_line() {
    let d = json("{\"a\":[1,2]}\u{e9}tc".as_bytes());
    assert_eq!(d.json_error().unwrap().message, "trailing characters");
    assert_eq!(
        lines(&d),
        ["{", "  \"a\": [", "    1,", "    2", "  ]", "}", "\u{e9}tc"]
    );
    assert_consistent(&d);

    let d = json(b"{\n  \"a\": 1,\n  \"b\": }\n");
    assert_eq!(lines(&d), ["{", "  \"a\": 1,", "  \"b\": ", "}"]);
    assert_eq!(d.json_error_line(), Some(3));
    assert_consistent(&d);
}

#[test]
fn a_body_broken_before_its_first_token_is_all_text() {
    for body in [
        &b"<html>\n<body>oops</body>\n</html>\n"[..],
        b"  \n\t",
        b"?!",
    ] {
        let d = json(body);
        assert_eq!(d.kind(), BodyKind::BrokenJson, "{body:?}");
        assert_eq!(d.json_line_count(), 0);
        assert_eq!(d.json_error_line(), Some(0));
        assert_consistent(&d);
    }
    let d = json(b"<html>\n<body>oops</body>\n</html>\n");
    assert_eq!(lines(&d), ["<html>", "<body>oops</body>", "</html>"]);
}

#[test]
fn an_empty_body_is_one_empty_line_and_no_error() {
    for looks_json in [true, false] {
        let d = Document::new(Bytes::new(), looks_json);
        assert_eq!(d.kind(), BodyKind::Text);
        assert_eq!(d.json_error(), None);
        assert_eq!(d.json_error_line(), None);
        assert_eq!(lines(&d), [""]);
        assert_eq!(d.invalid_utf8(), 0);
        assert_consistent(&d);
    }
}

#[test]
fn text_syntax_follows_the_content_type() {
    let body = Bytes::from_static(b"<p>hi</p>");
    let cases = [
        (Some("text/html; charset=utf-8"), TextSyntax::Html),
        (Some("TEXT/HTML"), TextSyntax::Html),
        (Some("application/xml"), TextSyntax::Xml),
        (Some("text/xml;charset=UTF-8"), TextSyntax::Xml),
        (Some("application/problem+xml"), TextSyntax::Xml),
        (Some("text/plain"), TextSyntax::Plain),
        (Some("application/json"), TextSyntax::Plain),
        (None, TextSyntax::Plain),
    ];
    for (content_type, syntax) in cases {
        let d = Document::with_content_type(body.clone(), false, content_type);
        assert_eq!(d.kind(), BodyKind::Text);
        assert_eq!(d.text_syntax(), syntax, "{content_type:?}");
    }
    // JSON is JSON whatever the header says; what follows a JSON error is plain.
    let d = Document::with_content_type(Bytes::from_static(b"[1]"), true, Some("text/html"));
    assert_eq!(
        (d.kind(), d.text_syntax()),
        (BodyKind::Json, TextSyntax::Plain)
    );
    let d = Document::with_content_type(Bytes::from_static(b"[1,<"), true, Some("text/xml"));
    assert_eq!(
        (d.kind(), d.text_syntax()),
        (BodyKind::BrokenJson, TextSyntax::Plain)
    );
}

#[test]
fn invalid_utf8_is_counted_and_replaced() {
    let d = Document::new(Bytes::from_static(b"ab\xff\xfecd\n\xe2\x82"), false);
    assert_eq!(d.invalid_utf8(), 4);
    assert_eq!(lines(&d), ["ab\u{fffd}\u{fffd}cd", "\u{fffd}"]);
    assert_consistent(&d);
    assert_eq!(
        Document::new(Bytes::from_static("é".as_bytes()), false).invalid_utf8(),
        0
    );
}

#[test]
fn invalid_utf8_inside_a_json_string_is_replaced_not_a_break() {
    let d = json(b"{\"a\":\"x\xffy\",\"\xc3\":[\"\xe2\x82\"]}");
    assert_eq!(d.kind(), BodyKind::Json, "{:?}", d.json_error());
    assert_eq!(d.invalid_utf8(), 4);
    assert_eq!(
        lines(&d),
        [
            "{",
            "  \"a\": \"x\u{fffd}y\",",
            "  \"\u{fffd}\": [",
            "    \"\u{fffd}\"",
            "  ]",
            "}"
        ]
    );
    assert_consistent(&d);
}

#[test]
fn an_error_inside_a_character_cuts_before_it() {
    // Cut in the middle of a two-byte character: the error is at the end, and the prefix
    // ends with a bad sequence.
    let d = json(b"{\"a\":\"caf\xc3");
    assert_eq!(d.kind(), BodyKind::BrokenJson);
    assert_eq!(lines(&d), ["{", "  \"a\": \"caf\u{fffd}"]);
    assert_consistent(&d);
    // A control character where serde stops, after a multi-byte one.
    let d = json("[\"é\u{1}\"]".as_bytes());
    assert_eq!(d.kind(), BodyKind::BrokenJson);
    assert_consistent(&d);
}

/// A JSON document of about 40 lines with strings, escapes, numbers, literals, nesting,
/// empty containers and non-ASCII text.
fn sample() -> String {
    let records: Vec<serde_json::Value> = (0..3)
        .map(|i| {
            serde_json::json!({
                "id": format!("a-{i}"),
                "name": format!("Nordlys \"{i}\" \\ café, {{x}}"),
                "amount": -12.5e3 + f64::from(i),
                "tags": ["x", [], {}],
                "ok": i % 2 == 0,
                "none": null,
            })
        })
        .collect();
    serde_json::json!({"pageNumber": 1, "data": records, "empty": []}).to_string()
}

#[test]
fn the_pretty_prefix_is_the_valid_document_up_to_the_cut() {
    let body = sample();
    let whole = json(body.as_bytes());
    assert_eq!(whole.kind(), BodyKind::Json);
    for cut in 1..body.len() {
        let d = json(&body.as_bytes()[..cut]);
        assert_eq!(d.kind(), BodyKind::BrokenJson, "cut at {cut}");
        let n = d.json_line_count();
        // Every pretty line but the last (where the cut falls) is the valid document's.
        for i in 0..n.saturating_sub(1) {
            assert_eq!(d.line(i), whole.line(i), "cut at {cut}, line {i}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Truncating a valid JSON body at any byte, or putting any byte anywhere in it, never
    /// panics, and the line index stays consistent.
    #[test]
    fn cut_or_spoiled_json_keeps_a_consistent_index(
        at in 0usize..2000,
        byte in any::<u8>(),
        spoil in any::<bool>(),
    ) {
        let mut body = sample().into_bytes();
        let at = at % (body.len() + 1);
        if spoil && at < body.len() {
            body[at] = byte;
        } else {
            body.truncate(at);
        }
        let d = json(&body);
        assert_consistent(&d);
        if d.kind() == BodyKind::BrokenJson {
            prop_assert!(d.json_error_line().is_some());
        }
    }
}
