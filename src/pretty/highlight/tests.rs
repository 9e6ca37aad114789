//! Tests of the highlighter: starting mid-document, windows of long lines, both backgrounds,
//! and folded rows.

use bytes::Bytes;

use super::*;
use crate::pretty::BodyKind;

#[test]
fn starting_mid_document_matches_highlighting_from_the_top() {
    let body = r#"{"pageNumber":1,"data":[{"id":"a","n":[1,2,{"deep":true}],"o":{"x":null}},
        {"id":"b","s":"with \"quotes\" and , commas"}],"empty":[],"last":"z"}"#;
    let doc = Document::new(Bytes::from(body), true);
    let h = highlighter();
    let whole = h.lines(&doc, 0..doc.line_count(), Background::Dark);
    for start in 0..doc.line_count() {
        let part = h.lines(&doc, start..doc.line_count(), Background::Dark);
        assert_eq!(
            part,
            whole[start..],
            "differs when starting at line {start}"
        );
    }
    // Keys and string values are coloured differently.
    let key_line = &whole[1];
    let styles: Vec<Style> = key_line.iter().map(|(s, _)| *s).collect();
    assert!(
        styles
            .windows(2)
            .any(|w| w[0].foreground != w[1].foreground),
        "{key_line:?}"
    );
}

/// Relative luminance, 0 (black) to 1 (white).
fn luminance(c: Color) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
}

#[test]
fn each_background_has_colours_that_read_on_it_with_keys_apart() {
    let body = r#"{"id":"a","n":1.5,"ok":true,"none":null,"list":["x"]}"#;
    let doc = Document::new(Bytes::from(body), true);
    let h = highlighter();
    for background in [Background::Dark, Background::Light] {
        let lines = h.lines(&doc, 0..doc.line_count(), background);
        let colour_of = |text: &str| {
            lines[1]
                .iter()
                .find(|(_, t)| t == text)
                .map(|(s, _)| s.foreground)
                .unwrap_or_else(|| panic!("{text} in {:?}", lines[1]))
        };
        assert_ne!(colour_of("id"), colour_of("a"), "{background:?}");
        let plain = h.plain_style(background).foreground;
        for (style, text) in lines
            .iter()
            .flatten()
            .chain([&(h.plain_style(background), String::new())])
        {
            let l = luminance(style.foreground);
            match background {
                Background::Light => assert!(l < 0.5, "{text:?} {style:?} on white"),
                Background::Dark => assert!(l > 0.1, "{text:?} {style:?} on black"),
            }
        }
        assert!(match background {
            Background::Light => luminance(plain) < 0.1,
            Background::Dark => luminance(plain) > 0.5,
        });
    }
    assert_ne!(
        h.lines(&doc, 0..doc.line_count(), Background::Dark),
        h.lines(&doc, 0..doc.line_count(), Background::Light)
    );
}

#[test]
fn long_lines_are_left_plain_and_the_rest_still_coloured() {
    let long = "x".repeat(LONG_LINE + 10);
    let body = format!(r#"{{"a":"{long}","b":1}}"#);
    let doc = Document::new(Bytes::from(body), true);
    let lines = highlighter().lines(&doc, 0..doc.line_count(), Background::Dark);
    assert_eq!(lines[1].len(), 1);
    assert!(lines[2].len() > 1, "{:?}", lines[2]);
}

/// Each column's character and style.
fn cells(line: &StyledLine) -> Vec<(char, Style)> {
    line.iter()
        .flat_map(|(style, text)| text.chars().map(|c| (c, *style)))
        .collect()
}

/// A line highlighted whole from the right starting state, however long it is.
fn whole_line(doc: &Document, i: usize) -> Vec<(char, Style)> {
    let h = highlighter();
    let mut parser = h.primed(doc, i, Background::Dark);
    cells(&h.highlight_one(&mut parser, &doc.line(i)).unwrap())
}

#[test]
fn a_window_of_a_long_json_line_matches_highlighting_it_whole() {
    // Escapes of every kind, so that windows start in the middle of each.
    let s = r#"ab \"c\" d\\e \u00e9 f\/g \n café "#.repeat(120);
    let digits = "1234567890".repeat(500);
    let body = format!(
        r#"{{"data":[{{"{s}":"{s}","n":[true,"{s}",-{digits}.5e3],"{s}":null,"k":"{s}"}}]}}"#
    );
    let doc = Document::new(Bytes::from(body), true);
    assert_eq!(doc.kind(), BodyKind::Json);
    let h = highlighter();
    let long: Vec<usize> = (0..doc.line_count())
        .filter(|&i| doc.line_bytes(i) > LONG_LINE)
        .collect();
    assert_eq!(
        long.len(),
        5,
        "key and value, array item, number, key, value"
    );
    for i in long {
        let whole = whole_line(&doc, i);
        assert!(
            whole.windows(2).any(|w| w[0].1 != w[1].1),
            "line {i} has colours"
        );
        for start in (0..whole.len() + 40).step_by(53).chain([1, 2, 3, 7]) {
            let cols = start..start + 47;
            let window = h.window(&doc, i..i + 1, cols.clone(), Background::Dark);
            let expected: Vec<_> = whole.iter().skip(start).take(47).copied().collect();
            assert_eq!(cells(&window[0]), expected, "line {i}, columns {cols:?}");
        }
    }
}

#[test]
fn a_window_of_short_lines_is_the_whole_lines_cut() {
    let body = r#"{"pageNumber":1,"data":[{"id":"a","n":[1,2,{"deep":true}],"o":{"x":null}}]}"#;
    let doc = Document::new(Bytes::from(body), true);
    let h = highlighter();
    let whole = h.lines(&doc, 0..doc.line_count(), Background::Dark);
    for start in [0, 1, 4, 9, 30] {
        let window = h.window(
            &doc,
            2..doc.line_count(),
            start..start + 6,
            Background::Dark,
        );
        for (k, line) in window.iter().enumerate() {
            let expected: Vec<_> = cells(&whole[2 + k])
                .into_iter()
                .skip(start)
                .take(6)
                .collect();
            assert_eq!(cells(line), expected, "line {}, from column {start}", 2 + k);
        }
    }
}

#[test]
fn a_text_window_is_plain_and_only_the_window() {
    let body = format!("{}\t\u{e9}\n", "x".repeat(100_000));
    let doc = Document::new(Bytes::from(body), false);
    let lines = highlighter().window(&doc, 0..5, 99_998..100_004, Background::Light);
    assert_eq!(lines.len(), 1);
    assert_eq!(
        lines[0],
        [(
            highlighter().plain_style(Background::Light),
            "xx    ".to_string()
        )]
    );
    let past = highlighter().window(&doc, 0..1, 200_000..200_010, Background::Dark);
    assert_eq!(past, [Vec::new()]);
}

#[test]
fn ansi_output_ends_each_line_with_a_reset() {
    let doc = Document::new(Bytes::from_static(b"{\"a\":1}"), true);
    let mut out = Vec::new();
    highlighter()
        .write_ansi(&doc, Background::Dark, &mut out)
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(text.lines().all(|l| l.ends_with("\x1b[0m")));
}

mod rows {
    use super::*;
    use crate::pretty::fold::Folds;

    fn text(line: &StyledLine) -> String {
        line.iter().map(|(_, t)| t.as_str()).collect()
    }

    /// A screen of folded rows reads as the lines they stand for, and the row after a fold is
    /// coloured as if everything had been highlighted from the top.
    #[test]
    fn folded_rows_show_the_summary_and_keep_the_colours_after_them() {
        let body = r#"{"a":[1,{"x":"y"}],"b":"s","c":{"d":true}}"#;
        let doc = Document::new(Bytes::from(body), true);
        let h = highlighter();
        let mut folds = Folds::default();
        folds.toggle(&doc, 1);
        let rows: Vec<Row> = (0..folds.rows(&doc))
            .map(|r| {
                let line = folds.line_of_row(r);
                Row {
                    line,
                    fold: folds.fold_at_row(r).map(|f| FoldEnd {
                        close: f.close,
                        summary: f.summary(),
                    }),
                }
            })
            .collect();
        let got = h.window_rows(&doc, &rows, 0..100, Background::Dark);
        let texts: Vec<String> = got.iter().map(text).collect();
        assert_eq!(
            texts,
            [
                "{",
                "  \"a\": [… 2 items],",
                "  \"b\": \"s\",",
                "  \"c\": {",
                "    \"d\": true",
                "  }",
                "}"
            ]
        );
        let whole = h.lines(&doc, 0..doc.line_count(), Background::Dark);
        assert_eq!(
            got[2],
            whole[doc.line_count() - 5],
            "the row after the fold"
        );
        assert_eq!(got[4], whole[doc.line_count() - 3]);
        let cut = h.window_rows(&doc, &rows[1..2], 3..9, Background::Dark);
        assert_eq!(text(&cut[0]), "a\": […");
    }
}
