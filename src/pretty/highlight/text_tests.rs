//! Highlighting of text lines: HTML and XML by content type, the text after a JSON error
//! plain.

use super::*;
use crate::pretty::BodyKind;
use bytes::Bytes;

/// Each column's character and style.
fn cells(line: &StyledLine) -> Vec<(char, Style)> {
    line.iter()
        .flat_map(|(style, text)| text.chars().map(|c| (c, *style)))
        .collect()
}

/// Whether a line has more than one colour.
fn coloured(line: &StyledLine) -> bool {
    line.windows(2)
        .any(|w| w[0].0.foreground != w[1].0.foreground)
}

#[test]
fn html_and_xml_are_highlighted_by_content_type() {
    let html =
        "<!DOCTYPE html>\n<html>\n<body class=\"x\">\n<p>Bad gateway</p>\n</body>\n</html>\n";
    let xml = "<?xml version=\"1.0\"?>\n<error code=\"502\">\n  <message>Bad gateway</message>\n</error>\n";
    let h = highlighter();
    for (body, content_type) in [(html, "text/html"), (xml, "application/xml")] {
        let doc = Document::with_content_type(Bytes::from(body), false, Some(content_type));
        let lines = h.lines(&doc, 0..doc.line_count(), Background::Dark);
        assert!(lines.iter().any(coloured), "{content_type}: {lines:?}");
        // A window of columns is the whole line cut.
        for start in [0, 1, 5] {
            let window = h.window(
                &doc,
                0..doc.line_count(),
                start..start + 7,
                Background::Dark,
            );
            for (k, line) in window.iter().enumerate() {
                let expected: Vec<_> = cells(&lines[k]).into_iter().skip(start).take(7).collect();
                assert_eq!(
                    cells(line),
                    expected,
                    "{content_type} line {k} from {start}"
                );
            }
        }
        let plain = Document::with_content_type(Bytes::from(body), false, Some("text/plain"));
        let lines = h.lines(&plain, 0..plain.line_count(), Background::Dark);
        assert!(!lines.iter().any(coloured), "plain text stays plain");
    }
}

#[test]
fn an_html_window_far_down_matches_highlighting_from_the_top() {
    let mut body = String::from("<html>\n<head><style>p { color: red; }</style></head>\n<body>\n");
    for i in 0..400 {
        body.push_str(&format!("<p id=\"p{i}\">Row {i} &amp; <b>bold</b></p>\n"));
        if i % 50 == 0 {
            body.push_str("<!-- a comment\n  over lines -->\n<script>var x = \"s\";</script>\n");
        }
    }
    body.push_str("</body>\n</html>\n");
    let doc = Document::with_content_type(Bytes::from(body), false, Some("text/html"));
    let h = highlighter();
    let mut parser =
        HighlightLines::new(h.text(TextSyntax::Html).unwrap(), h.theme(Background::Dark));
    let whole: Vec<StyledLine> = (0..doc.line_count())
        .map(|i| h.highlight_one(&mut parser, &doc.line(i)).unwrap())
        .collect();
    for start in [0, 1, 70, 200, doc.line_count() - 3] {
        let end = (start + 20).min(doc.line_count());
        assert_eq!(
            h.lines(&doc, start..end, Background::Dark),
            whole[start..end],
            "from line {start}"
        );
    }
}

#[test]
fn broken_json_is_highlighted_as_json_up_to_the_error_then_plain() {
    let doc = Document::with_content_type(
        Bytes::from_static(b"{\"a\":[1,2],\"b\":\"x\",\"c\":<html>\n<b>not json</b>"),
        true,
        Some("text/html"),
    );
    assert_eq!(doc.kind(), BodyKind::BrokenJson);
    let h = highlighter();
    let lines = h.lines(&doc, 0..doc.line_count(), Background::Dark);
    let error = doc.json_error_line().unwrap();
    assert!(lines[1].len() > 1, "JSON before the error: {:?}", lines[1]);
    for line in &lines[error..] {
        assert_eq!(line.len(), 1, "plain from the error on: {line:?}");
        assert_eq!(line[0].0, h.plain_style(Background::Dark));
    }
    for start in 0..doc.line_count() {
        assert_eq!(
            h.lines(&doc, start..doc.line_count(), Background::Dark),
            lines[start..]
        );
    }
}
