//! Windows of columns against the whole line cut, for text and JSON, short and long lines.

use super::*;
use crate::pretty::BodyKind;
use bytes::Bytes;

/// The old way: the whole line, then its characters `cols`.
fn whole(doc: &Document, i: usize, cols: Range<usize>) -> String {
    doc.line(i)
        .chars()
        .skip(cols.start)
        .take(cols.len())
        .collect()
}

fn windows_match(doc: &Document, i: usize, starts: impl IntoIterator<Item = usize>) {
    let line: Vec<char> = doc.line(i).chars().collect();
    for start in starts {
        for width in [0, 1, 3, 8, 117] {
            let cols = start..start + width;
            let expected: String = line.iter().skip(start).take(width).collect();
            assert_eq!(doc.columns(i, cols.clone()), expected, "line {i} {cols:?}");
        }
    }
}

#[test]
fn short_text_lines_match_the_whole_line_cut() {
    let body: &[u8] = b"a\tb\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80c\r\n\xffx\xe2\x82y\x80\t\n\t\t\n";
    let doc = Document::new(Bytes::from_static(body), false);
    assert_eq!(doc.line(0), "a    b\u{e9}\u{20ac}\u{1f600}c");
    assert_eq!(doc.line(1), "\u{fffd}x\u{fffd}y\u{fffd}    ");
    for i in 0..doc.line_count() + 1 {
        windows_match(&doc, i, 0..30);
    }
    assert_eq!(doc.columns(0, 3..6), "  b", "the middle of a tab");
    assert_eq!(doc.columns(0, 100..200), "", "past the end");
    assert_eq!(doc.columns(9, 0..10), "", "past the last line");
}

#[test]
fn short_json_lines_match_the_whole_line_cut() {
    let body = r#"{"a" : 1, "k\"\\ey":"v\u00e9 \"q\" x,y}" ,"n":[true, {"x": null}, []],"e":{ }}"#;
    let doc = Document::new(Bytes::from(body), true);
    assert_eq!(doc.kind(), BodyKind::Json);
    for i in 0..doc.line_count() {
        windows_match(&doc, i, 0..40);
    }
    assert_eq!(doc.columns(2, 0..4), "  \"k");
    assert_eq!(doc.columns(1, 5..7), ": ", "the colon and its space");
}

/// Deterministic mixed content: ASCII, accents, emoji, tabs, escapes and (in text) bad
/// UTF-8, in pieces of random length.
fn mixed(rng: &mut fastrand::Rng, target: usize, json: bool) -> Vec<u8> {
    let pieces: &[&[u8]] = if json {
        &[
            b"plain words ",
            b"\\\"",
            b"\\\\",
            b"\\u00e9",
            b"\xc3\xa9",
            b"\xf0\x9f\x98\x80",
            b"\\n",
            b"\\/",
        ]
    } else {
        &[
            b"plain words ",
            b"\t",
            b"\xc3\xa9",
            b"\xf0\x9f\x98\x80",
            b"\xff",
            b"\xe2\x82",
            b"\x80",
            b"\\\"",
        ]
    };
    let mut out = Vec::with_capacity(target + 16);
    while out.len() < target {
        let piece = pieces[rng.usize(..pieces.len())];
        for _ in 0..rng.usize(1..4) {
            out.extend_from_slice(piece);
        }
    }
    out
}

/// Offsets around every checkpoint and spread along the line, up to past its end.
fn offsets(doc: &Document, i: usize, rng: &mut fastrand::Rng) -> Vec<usize> {
    let len = doc.line(i).chars().count();
    let k = doc
        .checkpoints
        .binary_search_by_key(&i, |l| l.line)
        .unwrap();
    let marks = &doc.checkpoints[k].marks;
    assert!(!marks.is_empty(), "no checkpoints on line {i}");
    let mut out: Vec<usize> = marks
        .iter()
        .flat_map(|m| [m.col.saturating_sub(1), m.col, m.col + 1])
        .collect();
    out.extend((0..40).map(|_| rng.usize(..len + 200)));
    out.extend([0, 1, len - 1, len, len + 5]);
    out
}

#[test]
fn a_long_text_line_matches_the_whole_line_cut_anywhere() {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut body = mixed(&mut rng, 5 * STRIDE, false);
    body.extend_from_slice(b"\r\nshort\n");
    let doc = Document::new(Bytes::from(body), false);
    assert_eq!(doc.line_count(), 2);
    windows_match(&doc, 0, offsets(&doc, 0, &mut rng));
    windows_match(&doc, 1, 0..8);
}

#[test]
fn a_long_json_string_matches_the_whole_line_cut_anywhere() {
    let mut rng = fastrand::Rng::with_seed(11);
    let mut body = b"{\"list\": [\"".to_vec();
    body.extend(mixed(&mut rng, 5 * STRIDE, true));
    body.extend_from_slice(b"\", 1], \"");
    body.extend(mixed(&mut rng, 5 * STRIDE, true));
    body.extend_from_slice(b"\":   \"");
    body.extend(mixed(&mut rng, 5 * STRIDE, true));
    body.extend_from_slice(b"\"  , \"w\": [");
    body.extend(std::iter::repeat_n(b' ', 5 * STRIDE));
    body.extend_from_slice(b"]}");
    let doc = Document::new(Bytes::from(body), true);
    assert_eq!(doc.kind(), BodyKind::Json, "{:?}", doc.json_error());
    assert_eq!(doc.line_count(), 8);
    assert_eq!(doc.checkpoints.len(), 3);
    for i in [2, 5] {
        windows_match(&doc, i, offsets(&doc, i, &mut rng));
    }
    // Whitespace inside `[ ]` is not shown but has checkpoints too.
    assert_eq!(doc.line(6), "  \"w\": []");
    windows_match(&doc, 6, offsets(&doc, 6, &mut rng));
}

#[test]
fn a_broken_json_body_of_one_line_is_windowed_as_json_then_text() {
    let mut rng = fastrand::Rng::with_seed(3);
    let mut body = b"{\"a\":\"".to_vec();
    body.extend(mixed(&mut rng, 5 * STRIDE, true));
    body.extend_from_slice(b"\",}");
    body.extend(mixed(&mut rng, 3 * STRIDE, false));
    let doc = Document::new(Bytes::from(body), true);
    assert_eq!(doc.kind(), BodyKind::BrokenJson);
    assert_eq!(doc.json_line_count(), 2, "`{{` and the long member");
    assert_eq!(
        doc.checkpoints.len(),
        2,
        "the long member and the long text after"
    );
    for i in 1..doc.line_count() {
        windows_match(&doc, i, offsets(&doc, i, &mut rng));
    }
}

#[test]
fn blocks_never_cut_a_character() {
    let pieces: [&[u8]; 3] = [
        "\u{1f600}\u{e9}\t".as_bytes(),
        b"\x80\x80\x80\x80\x80\xf0\x9f\x98",
        b"\xf0\x9f\x98\x80\xe2\x82",
    ];
    for piece in pieces {
        for pad in 0..5 {
            let mut body = vec![b'a'; STRIDE - pad];
            body.extend_from_slice(piece);
            body.extend(vec![b'z'; STRIDE]);
            let doc = Document::new(Bytes::from(body.clone()), false);
            let cut = block_end(&body, 0, body.len());
            assert!(
                String::from_utf8_lossy(&body[..cut]) + String::from_utf8_lossy(&body[cut..])
                    == String::from_utf8_lossy(&body),
                "{piece:?} at {pad}: cut at {cut}"
            );
            windows_match(&doc, 0, STRIDE - 8..STRIDE + 8);
            windows_match(&doc, 0, offsets(&doc, 0, &mut fastrand::Rng::with_seed(1)));
        }
    }
}

#[test]
fn lead_in_gives_the_line_so_far_as_a_skeleton() {
    let value = "v".repeat(200);
    let body = format!(r#"{{"key": "{value}", "n": [123456789012, "{value}"]}}"#);
    let doc = Document::new(Bytes::from(body), true);
    // Line 1 is `  "key": "vvv…",`: the value string starts at column 10.
    let lead = doc.lead_in(1, 100..110, 32, 4);
    assert_eq!(lead.skeleton, r#""":""#);
    assert_eq!(lead.text, "v".repeat(32 + 10 + 4));
    assert_eq!(lead.skip, 32);
    // Near the start the line is read from its first column.
    let lead = doc.lead_in(1, 20..30, 32, 4);
    assert_eq!((lead.skeleton.as_str(), lead.skip), ("", 20));
    assert_eq!(lead.text, whole(&doc, 1, 0..34));
    // Past the end of the string (its closing quote is at column 210): the skeleton has
    // it closed.
    let lead = doc.lead_in(1, 212..220, 1, 0);
    assert_eq!(lead.skeleton, r#""":"""#);
    assert_eq!((lead.text.as_str(), lead.skip), (",", 1));
}

#[test]
fn lead_in_never_starts_on_an_escaped_character() {
    let body = format!(r#"["{}\"{}"]"#, "a".repeat(99), "b".repeat(99));
    let doc = Document::new(Bytes::from(body), true);
    // Line 1 is `  "aaa…\"bbb…"`: the backslash is at column 102, the quote it escapes at 103.
    let lead = doc.lead_in(1, 110..120, 7, 0);
    assert_eq!(lead.skeleton, "\"");
    assert_eq!(lead.text, "b".repeat(16));
    assert_eq!(lead.skip, 6);
}
