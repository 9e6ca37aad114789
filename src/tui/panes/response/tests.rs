//! The body drawn a window of columns at a time matches the body drawn as it was before:
//! every visible line highlighted whole, then cut by `clip`.

use std::time::Duration;

use bytes::Bytes;
use ratatui::style::Style;

use super::lines::{body_gutter, body_notes, clip};
use super::*;
use crate::younium::request::SentRequest;

fn pane(body: Bytes, looks_json: bool) -> ResponsePane {
    let doc = Document::new(body.clone(), looks_json);
    let mut pane = ResponsePane::default();
    pane.show(Shown {
        id: 1,
        response: ApiResponse {
            status: 200,
            reason: "OK".into(),
            headers: vec![],
            body,
            elapsed: Duration::from_millis(1),
            sent: SentRequest {
                method: Method::Get,
                url: "http://x/y".into(),
                headers: vec![],
                body: None,
                sent_at: Timestamp::UNIX_EPOCH,
            },
        },
        request: ApiRequest::new(Method::Get, "/y"),
        doc: Some(Arc::new(doc)),
        page: None,
        explanation: None,
        empty_list: None,
        notes: vec![],
    });
    pane
}

/// The old way: the visible lines highlighted whole, the gutter added, then `clip`.
fn drawn_whole(pane: &ResponsePane, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
    let doc = pane.shown().and_then(|s| s.doc.clone()).unwrap();
    let start = pane.scroll.min(doc.line_count() - 1);
    let gutter = doc.line_count().to_string().len();
    let mut lines = Vec::new();
    if start == 0 {
        lines.extend(body_notes(&doc, theme));
    }
    // The notes take rows of the area.
    let height = (area.height as usize).saturating_sub(lines.len());
    let end = (start + height).min(doc.line_count());
    for (k, runs) in highlighter()
        .lines(&doc, start..end, theme.background)
        .into_iter()
        .enumerate()
    {
        let mut spans = vec![body_gutter(&doc, start + k, gutter, false, theme)];
        spans.extend(
            runs.into_iter()
                .map(|(style, text)| Span::styled(text, theme.syntax(style))),
        );
        lines.push(Line::from(spans));
    }
    let width = area.width.saturating_sub(1) as usize;
    lines
        .into_iter()
        .map(|l| clip(l, pane.hscroll, width))
        .collect()
}

fn cells(lines: &[Line<'_>]) -> Vec<Vec<(char, Style)>> {
    lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .flat_map(|s| s.content.chars().map(|c| (c, s.style)))
                .collect()
        })
        .collect()
}

fn texts(lines: &[Line<'_>]) -> Vec<String> {
    lines.iter().map(|l| l.to_string()).collect()
}

#[test]
fn short_lines_are_drawn_as_whole_lines_cut() {
    let bodies: [(&[u8], bool); 3] = [
        (
            r#"{"a":"h\u00e9llo wörld","b":[1,2.5,true,null],"c":{"d":"x\ty"},"e":{}}"#.as_bytes(),
            true,
        ),
        (
            b"tab\there\r\nbad \xff\xe2\x82 bytes\n\t\t\xf0\x9f\x98\x80 end\n",
            false,
        ),
        (b"{\"a\": 1,\n\"b\": }", true),
    ];
    for (body, looks_json) in bodies {
        let mut pane = pane(Bytes::from_static(body), looks_json);
        for theme in [Theme::default(), Theme::mono()] {
            for area in [Rect::new(0, 0, 30, 8), Rect::new(0, 0, 3, 4)] {
                for (scroll, hscroll) in [(0, 0), (0, 1), (0, 3), (1, 8), (2, 13), (0, 40)] {
                    pane.scroll = scroll;
                    pane.hscroll = hscroll;
                    assert_eq!(
                        cells(&pane.body_lines(area, &theme).lines),
                        cells(&drawn_whole(&pane, area, &theme)),
                        "{:?} at line {scroll}, column {hscroll}, {area:?}",
                        String::from_utf8_lossy(body)
                    );
                }
            }
        }
    }
}

#[test]
fn a_long_line_shows_the_same_characters_as_the_whole_line_cut() {
    let mut text = b"x\t".repeat(20_000);
    text.extend_from_slice("caf\u{e9} \u{1f600} ".as_bytes());
    text.extend_from_slice(b"\xff\xe2\x82");
    text.extend(b"z".repeat(60_000));
    let mut broken = br#"{"id":"a","blob":""#.to_vec();
    broken.extend("ab\u{e9}\\\"c ".repeat(20_000).as_bytes());
    broken.extend_from_slice(br#"","n":1,}"#);
    let mut valid = broken.clone();
    valid.truncate(valid.len() - 2);
    valid.push(b'}');
    let bodies = [(text, false), (broken, true), (valid, true)];
    let theme = Theme::default();
    let area = Rect::new(0, 0, 50, 6);
    for (body, looks_json) in bodies {
        let len = body.len();
        let mut pane = pane(Bytes::from(body), looks_json);
        for hscroll in [0, 8, 16, 39_995, 40_003, 100_000, len - 30, len + 100] {
            pane.hscroll = hscroll;
            assert_eq!(
                texts(&pane.body_lines(area, &theme).lines),
                texts(&drawn_whole(&pane, area, &theme)),
                "{} bytes at column {hscroll}",
                len
            );
        }
    }
}

#[test]
fn the_cache_holds_only_the_window_and_follows_the_columns() {
    let body: Vec<u8> = (0..1_000_000u32).map(|i| b'a' + (i % 26) as u8).collect();
    let body = Bytes::from(body);
    let mut pane = pane(body, false);
    let theme = Theme::default();
    let area = Rect::new(0, 0, 40, 10);
    let first = pane.body_lines(area, &theme);
    assert_eq!(first, pane.body_lines(area, &theme), "drawn again the same");
    let key = |pane: &ResponsePane| pane.body_cache.borrow().as_ref().map(|(k, _)| *k);
    let cached: usize = pane
        .body_cache
        .borrow()
        .as_ref()
        .map(|(_, body)| body.lines.iter().map(Line::width).sum())
        .unwrap();
    assert_eq!(cached, 39, "the gutter and 37 columns, not a million");
    assert_eq!(key(&pane).map(|k| (k.hscroll, k.columns)), Some((0, 37)));
    pane.handle_key(Some(Command::ScrollRight));
    let stepped = pane.body_lines(area, &theme);
    assert_eq!(key(&pane).map(|k| k.hscroll), Some(8));
    assert_ne!(first, stepped);
}
