//! Syntax highlighting with syntect, for just the lines on screen.
//!
//! syntect's JSON grammar is stateful from one line to the next. Starting in the middle of a
//! 10 MB body would mean parsing everything before it (about 4 MB/s here), so instead the parser
//! is put into the right state with a few synthetic bytes that open the same containers
//! (`{"":[` for "inside an array inside an object"). Every pretty-printed line starts between
//! tokens, so the result is the same as highlighting from the top (a test checks this).
//!
//! A viewer scrolled sideways asks for a window of columns ([`Highlighter::window`]). Short
//! lines are highlighted whole and cut; a long one is highlighted only around the window,
//! after a prefix that puts the parser in the state it would have there (a test checks that
//! too).
//!
//! Text lines (a text body, or the rest of a broken JSON body after its error) are highlighted
//! by the content type: HTML and XML with their grammars, anything else not at all (its window
//! is taken from the body as is). Those grammars cannot be primed like JSON's, so the parser
//! starts [`TEXT_CONTEXT`] lines above the window: the state it reaches there is almost
//! always the one it would have had from the top (tags rarely span that many lines).

use std::ops::Range;
use std::sync::OnceLock;

use syntect::easy::HighlightLines;
use syntect::highlighting::{
    Color, ScopeSelectors, Style, StyleModifier, Theme, ThemeItem, ThemeSet,
};
use syntect::parsing::{SyntaxReference, SyntaxSet};

use super::{Document, LineKind};

/// JSON lines longer than this (in bytes of the body) are not highlighted whole: a single
/// 1 MB string would otherwise cost a quarter of a second on every frame. [`Highlighter::lines`]
/// leaves them plain; [`Highlighter::window`] highlights the window alone.
pub const LONG_LINE: usize = 4096;

/// Columns before a window of a long line that are highlighted too, so that an escape
/// sequence (`\u00e9`, six columns) cut by the window's start is read whole.
const LEAD: usize = 32;

/// Columns after a window of a long line that are highlighted too, so that a literal or
/// number cut by the window's end (`tru`) is read whole.
const TAIL: usize = 16;

/// Lines above a window of HTML or XML fed to the parser first (and not shown), so that it
/// enters the window in the state it would have after reading from the top.
const TEXT_CONTEXT: usize = 64;

/// How text lines are highlighted, chosen from the content type. (JSON lines are always
/// highlighted as JSON.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextSyntax {
    #[default]
    Plain,
    Html,
    Xml,
}

impl TextSyntax {
    /// `text/html` is HTML; `application/xml`, `text/xml` and `…+xml` are XML; anything else,
    /// or no content type, is plain text.
    ///
    /// ```
    /// use younium_tui::pretty::TextSyntax;
    /// assert_eq!(TextSyntax::for_content_type(Some("text/html; charset=utf-8")), TextSyntax::Html);
    /// assert_eq!(TextSyntax::for_content_type(Some("application/atom+xml")), TextSyntax::Xml);
    /// assert_eq!(TextSyntax::for_content_type(Some("text/plain")), TextSyntax::Plain);
    /// ```
    pub fn for_content_type(content_type: Option<&str>) -> TextSyntax {
        let media = content_type
            .and_then(|ct| ct.split(';').next())
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            "text/html" => TextSyntax::Html,
            "application/xml" | "text/xml" => TextSyntax::Xml,
            m if m.ends_with("+xml") => TextSyntax::Xml,
            _ => TextSyntax::Plain,
        }
    }
}

/// A line as coloured runs.
pub type StyledLine = Vec<(Style, String)>;

/// A row of a view that may fold: a line, and for a folded container how it ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub fold: Option<FoldEnd>,
}

/// The end of a folded row: the closing line, and the summary shown before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoldEnd {
    pub close: usize,
    pub summary: String,
}

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

    /// The grammar for text lines, if they are highlighted at all.
    fn text(&self, syntax: TextSyntax) -> Option<&SyntaxReference> {
        let name = match syntax {
            TextSyntax::Plain => return None,
            TextSyntax::Html => "HTML",
            TextSyntax::Xml => "XML",
        };
        self.syntaxes.find_syntax_by_name(name)
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

    /// Highlights display lines `range` of `doc`, whole. Plain text comes back in the plain
    /// style, and so do lines longer than [`LONG_LINE`].
    pub fn lines(&self, doc: &Document, range: Range<usize>) -> Vec<StyledLine> {
        self.highlight(doc, range, None)
    }

    /// Highlights columns `cols` of display lines `range` of `doc`: what a viewer scrolled
    /// sideways shows, as [`lines`](Self::lines) cut to those columns would give it, but
    /// without building, highlighting or copying more of a long line than the window.
    pub fn window(
        &self,
        doc: &Document,
        range: Range<usize>,
        cols: Range<usize>,
    ) -> Vec<StyledLine> {
        self.highlight(doc, range, Some(cols))
    }

    /// Highlights columns `cols` of the rows of a folded view: each row a line, or for a
    /// fold its opening line, the fold's summary and its closing line (`"a": [… 3 items],`).
    /// The parser goes on from one row to the next, through the closing line of a fold, so a
    /// screen of folds is primed once.
    pub fn window_rows(&self, doc: &Document, rows: &[Row], cols: Range<usize>) -> Vec<StyledLine> {
        let window = Some(cols.clone());
        let mut out = Vec::with_capacity(rows.len());
        let mut parser: Option<HighlightLines<'_>> = None;
        let mut next = usize::MAX;
        let mut i = 0;
        while i < rows.len() {
            let row = &rows[i];
            if row.line != next {
                parser = None;
            }
            let Some(fold) = &row.fold else {
                // A run of rows that are consecutive lines, highlighted as a range.
                let mut end = i + 1;
                while rows
                    .get(end)
                    .is_some_and(|r| r.fold.is_none() && r.line == rows[end - 1].line + 1)
                {
                    end += 1;
                }
                let range = row.line..rows[end - 1].line + 1;
                let json = range.start..range.end.min(doc.json_lines);
                let text = range.start.max(doc.json_lines)..range.end;
                out.extend(self.json_lines(doc, json, &window, &mut parser));
                out.extend(self.text_lines(doc, text, &window));
                next = range.end;
                i = end;
                continue;
            };
            i += 1;
            next = fold.close + 1;
            let opener = doc.line(row.line);
            let closer = doc.line(fold.close);
            let plain = || {
                let text = format!("{opener}{}{}", fold.summary, closer.trim_start());
                cut(vec![(self.plain_style(), text)], cols.clone())
            };
            if doc.line_bytes(row.line) > LONG_LINE {
                parser = None;
                out.push(plain());
                continue;
            }
            let h = parser.get_or_insert_with(|| self.primed(doc, row.line));
            let (Some(mut styled), Some(closing)) = (
                self.highlight_one(h, &opener),
                self.highlight_one(h, closer.trim_start()),
            ) else {
                parser = None;
                out.push(plain());
                continue;
            };
            let mut summary = self.plain_style();
            summary.font_style = syntect::highlighting::FontStyle::ITALIC;
            styled.push((summary, fold.summary.clone()));
            styled.extend(closing);
            out.push(cut(styled, cols.clone()));
        }
        out
    }

    fn highlight(
        &self,
        doc: &Document,
        range: Range<usize>,
        cols: Option<Range<usize>>,
    ) -> Vec<StyledLine> {
        let range = range.start.min(doc.line_count())..range.end.min(doc.line_count());
        let json = range.start..range.end.min(doc.json_lines);
        let text = range.start.max(doc.json_lines)..range.end;
        let mut out = self.json_lines(doc, json, &cols, &mut None);
        out.extend(self.text_lines(doc, text, &cols));
        out
    }

    /// Line `i` in the plain style: whole, or columns `cols` of it.
    fn plain(&self, doc: &Document, i: usize, cols: &Option<Range<usize>>) -> StyledLine {
        match cols {
            Some(cols) => self.plain_window(doc, i, cols.clone()),
            None => vec![(self.plain_style(), doc.line(i))],
        }
    }

    /// JSON lines `range` (all of them [`LineKind::Json`]), going on with `parser` when it
    /// is set.
    fn json_lines<'h>(
        &'h self,
        doc: &Document,
        range: Range<usize>,
        cols: &Option<Range<usize>>,
        parser: &mut Option<HighlightLines<'h>>,
    ) -> Vec<StyledLine> {
        let mut out = Vec::with_capacity(range.len());
        for i in range {
            debug_assert_eq!(doc.line_kind(i), LineKind::Json);
            if doc.line_bytes(i) > LONG_LINE {
                *parser = None;
                out.push(match cols {
                    Some(cols) => self.long_line_window(doc, i, cols.clone()),
                    None => self.plain(doc, i, cols),
                });
                continue;
            }
            let text = doc.line(i);
            let h = parser.get_or_insert_with(|| self.primed(doc, i));
            let Some(styled) = self.highlight_one(h, &text) else {
                *parser = None;
                out.push(self.plain(doc, i, cols));
                continue;
            };
            out.push(match cols {
                Some(cols) => cut(styled, cols.clone()),
                None => styled,
            });
        }
        out
    }

    /// Text lines `range` (all of them [`LineKind::Text`]), highlighted as the document's
    /// [`TextSyntax`] after [`TEXT_CONTEXT`] lines above them; long lines plain.
    fn text_lines(
        &self,
        doc: &Document,
        range: Range<usize>,
        cols: &Option<Range<usize>>,
    ) -> Vec<StyledLine> {
        let Some(syntax) = self.text(doc.text_syntax()) else {
            return range.map(|i| self.plain(doc, i, cols)).collect();
        };
        let mut out = Vec::with_capacity(range.len());
        let mut parser: Option<HighlightLines<'_>> = None;
        let from = range.start.saturating_sub(TEXT_CONTEXT).max(doc.json_lines);
        for i in from..range.end {
            let shown = i >= range.start;
            if doc.line_bytes(i) > LONG_LINE {
                parser = None;
                if shown {
                    out.push(self.plain(doc, i, cols));
                }
                continue;
            }
            let h = parser.get_or_insert_with(|| HighlightLines::new(syntax, &self.theme));
            let styled = self.highlight_one(h, &doc.line(i));
            if styled.is_none() {
                parser = None;
            }
            if !shown {
                continue;
            }
            out.push(match (styled, cols) {
                (Some(styled), Some(cols)) => cut(styled, cols.clone()),
                (Some(styled), None) => styled,
                (None, _) => self.plain(doc, i, cols),
            });
        }
        out
    }

    /// Columns `cols` of a JSON line too long to highlight whole (syntect reads about 4 MB/s
    /// here: ten seconds for a 40 MB string). Only [`LEAD`] columns before the window to
    /// [`TAIL`] after it are fed to the parser, after a prefix that puts it in the state it
    /// would have there: the containers open around the line (as [`Self::primed`]), then the
    /// line so far with its strings emptied (`"":"` inside a member's string value). The lead
    /// covers an escape sequence cut by the window's start, the tail a literal cut by its end.
    fn long_line_window(&self, doc: &Document, i: usize, cols: Range<usize>) -> StyledLine {
        let lead = doc.lead_in(i, cols.clone(), LEAD, TAIL);
        let mut h = self.primed(doc, i);
        let fed = format!("{}{}", lead.skeleton, lead.text);
        let first = lead.skeleton.len() + lead.skip;
        match self.highlight_one(&mut h, &fed) {
            Some(styled) => cut(styled, first..first.saturating_add(cols.len())),
            None => self.plain_window(doc, i, cols),
        }
    }

    /// Columns `cols` of line `i` in the plain style (no run at all when empty).
    fn plain_window(&self, doc: &Document, i: usize, cols: Range<usize>) -> StyledLine {
        let text = doc.columns(i, cols);
        if text.is_empty() {
            return Vec::new();
        }
        vec![(self.plain_style(), text)]
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

/// Columns `cols` of a highlighted line.
fn cut(styled: StyledLine, cols: Range<usize>) -> StyledLine {
    let mut out = Vec::new();
    let mut col = 0;
    for (style, text) in styled {
        let len = text.chars().count();
        let (from, to) = (cols.start.max(col), cols.end.min(col + len));
        if from < to {
            let part = if from == col && to == col + len {
                text
            } else {
                text.chars().skip(from - col).take(to - from).collect()
            };
            out.push((style, part));
        }
        col += len;
        if col >= cols.end {
            break;
        }
    }
    out
}

#[cfg(test)]
mod text_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pretty::BodyKind;
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

    /// Each column's character and style.
    fn cells(line: &StyledLine) -> Vec<(char, Style)> {
        line.iter()
            .flat_map(|(style, text)| text.chars().map(|c| (c, *style)))
            .collect()
    }

    /// A line highlighted whole from the right starting state, however long it is.
    fn whole_line(doc: &Document, i: usize) -> Vec<(char, Style)> {
        let h = highlighter();
        let mut parser = h.primed(doc, i);
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
                let window = h.window(&doc, i..i + 1, cols.clone());
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
        let whole = h.lines(&doc, 0..doc.line_count());
        for start in [0, 1, 4, 9, 30] {
            let window = h.window(&doc, 2..doc.line_count(), start..start + 6);
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
        let lines = highlighter().window(&doc, 0..5, 99_998..100_004);
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0],
            [(highlighter().plain_style(), "xx    ".to_string())]
        );
        let past = highlighter().window(&doc, 0..1, 200_000..200_010);
        assert_eq!(past, [Vec::new()]);
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

#[cfg(test)]
mod row_tests {
    use bytes::Bytes;

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
        let got = h.window_rows(&doc, &rows, 0..100);
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
        let whole = h.lines(&doc, 0..doc.line_count());
        assert_eq!(
            got[2],
            whole[doc.line_count() - 5],
            "the row after the fold"
        );
        assert_eq!(got[4], whole[doc.line_count() - 3]);
        let cut = h.window_rows(&doc, &rows[1..2], 3..9);
        assert_eq!(text(&cut[0]), "a\": […");
    }
}
