//! Syntax highlighting with syntect, for just the lines on screen.
//!
//! syntect's JSON grammar is stateful from one line to the next. Starting in the middle of a
//! 10 MB body would mean parsing everything before it (about 4 MB/s here), so instead the parser
//! is put into the right state with a few synthetic bytes that open the same containers
//! (`{"":[` for "inside an array inside an object"). Every pretty-printed line starts between
//! tokens, so the result is the same as highlighting from the top (a test checks this).

use std::ops::Range;
use std::sync::OnceLock;

use syntect::easy::HighlightLines;
use syntect::highlighting::{
    Color, ScopeSelectors, Style, StyleModifier, Theme, ThemeItem, ThemeSet,
};
use syntect::parsing::{SyntaxReference, SyntaxSet};

use super::{BodyKind, Document};

/// Lines longer than this are shown unhighlighted: a single 1 MB string would otherwise cost
/// a quarter of a second on every frame.
pub const LONG_LINE: usize = 4096;

/// A line as coloured runs.
pub type StyledLine = Vec<(Style, String)>;

/// The loaded syntax definitions and theme.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    theme: Theme,
}

static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();

/// The shared highlighter (loaded on first use, about 2 ms).
pub fn highlighter() -> &'static Highlighter {
    HIGHLIGHTER.get_or_init(Highlighter::load)
}

impl Highlighter {
    fn load() -> Self {
        let syntaxes = SyntaxSet::load_defaults_newlines();
        let mut themes = ThemeSet::load_defaults();
        let mut theme = themes
            .themes
            .remove("base16-eighties.dark")
            .or_else(|| themes.themes.into_values().next())
            .unwrap_or_default();
        // The theme colours keys like string values; an explorer reads better with keys apart.
        if let Ok(scope) = "meta.mapping.key string".parse::<ScopeSelectors>() {
            theme.scopes.push(ThemeItem {
                scope,
                style: StyleModifier {
                    foreground: Some(Color {
                        r: 102,
                        g: 153,
                        b: 204,
                        a: 255,
                    }),
                    background: None,
                    font_style: None,
                },
            });
        }
        Highlighter { syntaxes, theme }
    }

    fn json(&self) -> &SyntaxReference {
        self.syntaxes
            .find_syntax_by_name("JSON")
            .unwrap_or_else(|| self.syntaxes.find_syntax_plain_text())
    }

    /// The default foreground, for plain text.
    pub fn plain_style(&self) -> Style {
        Style {
            foreground: self
                .theme
                .settings
                .foreground
                .unwrap_or(syntect::highlighting::Color::WHITE),
            background: self
                .theme
                .settings
                .background
                .unwrap_or(syntect::highlighting::Color::BLACK),
            font_style: syntect::highlighting::FontStyle::empty(),
        }
    }

    /// Highlights display lines `range` of `doc`. Text bodies come back in the plain style.
    pub fn lines(&self, doc: &Document, range: Range<usize>) -> Vec<StyledLine> {
        let range = range.start.min(doc.line_count())..range.end.min(doc.line_count());
        if doc.kind() != BodyKind::Json {
            return range
                .map(|i| vec![(self.plain_style(), doc.line(i))])
                .collect();
        }
        let mut out = Vec::with_capacity(range.len());
        let mut parser: Option<HighlightLines<'_>> = None;
        for i in range {
            let text = doc.line(i);
            if text.len() > LONG_LINE {
                parser = None;
                out.push(vec![(self.plain_style(), text)]);
                continue;
            }
            let h = parser.get_or_insert_with(|| self.primed(doc, i));
            let styled = self.highlight_one(h, &text);
            match styled {
                Some(line) => out.push(line),
                None => {
                    parser = None;
                    out.push(vec![(self.plain_style(), text)]);
                }
            }
        }
        out
    }

    /// A parser in the state it would have at the start of JSON line `i`.
    fn primed(&self, doc: &Document, i: usize) -> HighlightLines<'_> {
        let mut h = HighlightLines::new(self.json(), &self.theme);
        let stack = doc.open_containers(i);
        if !stack.is_empty() {
            let mut prefix = String::new();
            for (level, is_object) in stack.iter().enumerate() {
                if level > 0 && stack[level - 1] {
                    prefix.push_str("\"\":");
                }
                prefix.push(if *is_object { '{' } else { '[' });
            }
            prefix.push('\n');
            let _ = h.highlight_line(&prefix, &self.syntaxes);
        }
        h
    }

    fn highlight_one(&self, h: &mut HighlightLines<'_>, text: &str) -> Option<StyledLine> {
        let with_newline = format!("{text}\n");
        let regions = h.highlight_line(&with_newline, &self.syntaxes).ok()?;
        Some(
            regions
                .into_iter()
                .map(|(style, s)| (style, s.trim_end_matches('\n').to_string()))
                .filter(|(_, s)| !s.is_empty())
                .collect(),
        )
    }

    /// A whole document as terminal text with 24-bit colour escapes, for the headless `call`.
    pub fn write_ansi(&self, doc: &Document, out: &mut impl std::io::Write) -> std::io::Result<()> {
        const CHUNK: usize = 2048;
        let mut start = 0;
        while start < doc.line_count() {
            let end = (start + CHUNK).min(doc.line_count());
            for line in self.lines(doc, start..end) {
                let runs: Vec<(Style, &str)> = line.iter().map(|(s, t)| (*s, t.as_str())).collect();
                writeln!(
                    out,
                    "{}\x1b[0m",
                    syntect::util::as_24_bit_terminal_escaped(&runs, false)
                )?;
            }
            start = end;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    #[test]
    fn starting_mid_document_matches_highlighting_from_the_top() {
        let body = r#"{"pageNumber":1,"data":[{"id":"a","n":[1,2,{"deep":true}],"o":{"x":null}},
            {"id":"b","s":"with \"quotes\" and , commas"}],"empty":[],"last":"z"}"#;
        let doc = Document::new(Bytes::from(body), true);
        let h = highlighter();
        let whole = h.lines(&doc, 0..doc.line_count());
        for start in 0..doc.line_count() {
            let part = h.lines(&doc, start..doc.line_count());
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

    #[test]
    fn long_lines_are_left_plain_and_the_rest_still_coloured() {
        let long = "x".repeat(LONG_LINE + 10);
        let body = format!(r#"{{"a":"{long}","b":1}}"#);
        let doc = Document::new(Bytes::from(body), true);
        let lines = highlighter().lines(&doc, 0..doc.line_count());
        assert_eq!(lines[1].len(), 1);
        assert!(lines[2].len() > 1, "{:?}", lines[2]);
    }

    #[test]
    fn ansi_output_ends_each_line_with_a_reset() {
        let doc = Document::new(Bytes::from_static(b"{\"a\":1}"), true);
        let mut out = Vec::new();
        highlighter().write_ansi(&doc, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 3);
        assert!(text.lines().all(|l| l.ends_with("\x1b[0m")));
    }
}
