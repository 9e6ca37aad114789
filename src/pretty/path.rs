//! The JSON path of a line, worked out on the line index alone: each line's parent is the
//! closest line above it one level shallower, an object member's key is at the start of its
//! line, and an array item's index is the number of items of that array above it.

use super::Document;
use super::fold::{closes, opens};

pub use younium::json_path::{JsonPath, Step};

/// The path of line `line` of a JSON document; a closing line has the path of what it closes.
/// `None` for a text body, a line past the end, or one after the error of a broken body.
pub fn path_of(doc: &Document, line: usize) -> Option<JsonPath> {
    if line >= doc.json_lines {
        return None;
    }
    let mut cur = line;
    if closes(doc, cur) {
        cur = container_of(doc, cur)?;
    }
    let mut steps = Vec::new();
    while doc.depths[cur] > 0 {
        let depth = doc.depths[cur];
        let open = parent(doc, cur, depth)?;
        let (_, end) = doc.span(open);
        if doc.body[end - 1] == b'{' {
            steps.push(Step::Key(key_of(doc, cur)?));
        } else {
            // The items above it are its lines at this depth, less the closing lines of the
            // items that span lines; each of those opens with a line followed by a deeper one.
            // Two passes over the depths alone, so a 30,000-record list counts in a few ms.
            let between = &doc.depths[open + 1..cur];
            let lines = between.iter().filter(|&&d| d == depth).count();
            let spanning = between
                .windows(2)
                .filter(|w| w[0] == depth && w[1] > depth)
                .count();
            let before = lines - spanning;
            steps.push(Step::Index(before));
        }
        cur = open;
    }
    steps.reverse();
    Some(JsonPath(steps))
}

/// The line that opens the container line `line` is in; for a closing line, the line that
/// opens what it closes. `None` at the top level and for a text body.
pub fn container_of(doc: &Document, line: usize) -> Option<usize> {
    if line >= doc.json_lines {
        return None;
    }
    let depth = doc.depths[line] + u16::from(closes(doc, line));
    parent(doc, line, depth)
}

/// The line that opens the container holding a line at `depth`, searching up from `line`.
fn parent(doc: &Document, line: usize, depth: u16) -> Option<usize> {
    let want = depth.checked_sub(1)?;
    let open = doc.depths[..line].iter().rposition(|&d| d == want)?;
    opens(doc, open).then_some(open)
}

/// The key an object member's line starts with.
fn key_of(doc: &Document, line: usize) -> Option<String> {
    let (start, end) = doc.span(line);
    let raw = &doc.body[start..end];
    if raw.first() != Some(&b'"') {
        return None;
    }
    let mut escaped = false;
    let close = raw.iter().enumerate().skip(1).find_map(|(i, &b)| {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return Some(i),
            _ => {}
        }
        None
    })?;
    serde_json::from_slice(&raw[..=close]).ok()
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;

    fn paths(body: &str) -> Vec<String> {
        let doc = Document::new(Bytes::from(body.to_string()), true);
        (0..doc.line_count())
            .map(|i| path_of(&doc, i).unwrap().to_string())
            .collect()
    }

    #[test]
    fn every_line_gets_the_path_jq_would_take() {
        let body = r#"{"data":[{"id":1,"lines":[{"name":"x"}]},{"id":2}],"n":{}}"#;
        assert_eq!(
            paths(body),
            [
                ".",                      // {
                ".data",                  //   "data": [
                ".data[0]",               //     {
                ".data[0].id",            //       "id": 1,
                ".data[0].lines",         //       "lines": [
                ".data[0].lines[0]",      //         {
                ".data[0].lines[0].name", //           "name": "x"
                ".data[0].lines[0]",      //         }
                ".data[0].lines",         //       ]
                ".data[0]",               //     },
                ".data[1]",               //     {
                ".data[1].id",            //       "id": 2
                ".data[1]",               //     }
                ".data",                  //   ],
                ".n",                     //   "n": {}
                ".",                      // }
            ]
        );
    }

    #[test]
    fn odd_keys_are_quoted_so_jq_reads_them() {
        let body = r#"{"a b":{"x\"y":[0,{"9lives":true,"_ok":1}]}}"#;
        let got = paths(body);
        assert_eq!(got[2], r#"."a b"."x\"y""#);
        assert_eq!(got[5], r#"."a b"."x\"y"[1]."9lives""#);
        assert_eq!(got[6], r#"."a b"."x\"y"[1]._ok"#);
        let filter = crate::jq::Filter::compile(&got[5]).expect("jq reads the path");
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let out: Vec<String> = filter
            .run(body.as_bytes(), &cancel)
            .unwrap()
            .map(|v| v.unwrap().to_string())
            .collect();
        assert_eq!(out, ["true"]);
    }

    #[test]
    fn a_scalar_body_is_the_root_and_text_has_no_path() {
        assert_eq!(paths("42"), ["."]);
        let text = Document::new(Bytes::from_static(b"a\nb"), false);
        assert_eq!(path_of(&text, 0), None);
        assert_eq!(container_of(&text, 0), None);
    }

    #[test]
    fn the_container_of_a_line_and_of_a_closing_line() {
        let doc = Document::new(Bytes::from_static(br#"{"a":[1,{"b":2}],"c":3}"#), true);
        // { / "a": [ / 1, / { / "b": 2 / } / ], / "c": 3 / }
        let got: Vec<Option<usize>> = (0..doc.line_count())
            .map(|i| container_of(&doc, i))
            .collect();
        assert_eq!(
            got,
            [
                None,
                Some(0),
                Some(1),
                Some(1),
                Some(3),
                Some(3),
                Some(1),
                Some(0),
                Some(0)
            ]
        );
    }
}
