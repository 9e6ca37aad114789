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
//! too). A text body is not highlighted at all: its window is taken from the body as is.

use std::ops::Range;
use std::sync::OnceLock;

use syntect::easy::HighlightLines;
use syntect::highlighting::{
    Color, ScopeSelectors, Style, StyleModifier, Theme, ThemeItem, ThemeSet,
};
use syntect::parsing::{SyntaxReference, SyntaxSet};

use super::{BodyKind, Document};

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

/// A line as coloured runs.
pub type StyledLine = Vec<(Style, String)>;

/// The terminal's background, which decides the colours (see `tui::theme` for how it is
/// found out).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Background {
    #[default]
    Dark,
    Light,
}

/// The loaded syntax definitions and the themes for a dark and a light background.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    dark: Theme,
    light: Theme,
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
        let mut take = |name: &str| themes.themes.remove(name).unwrap_or_default();
        // The themes colour keys like string values; an explorer reads better with keys
        // apart: a light blue on the dark background, a dark orange on the light one.
        let dark = with_key_colour(take("base16-eighties.dark"), (102, 153, 204));
        let light = with_key_colour(take("InspiredGitHub"), (166, 74, 0));
        Highlighter {
            syntaxes,
            dark,
            light,
        }
    }

    fn theme(&self, background: Background) -> &Theme {
        match background {
            Background::Dark => &self.dark,
            Background::Light => &self.light,
        }
    }

    fn json(&self) -> &SyntaxReference {
        self.syntaxes
            .find_syntax_by_name("JSON")
            .unwrap_or_else(|| self.syntaxes.find_syntax_plain_text())
    }

    /// The default foreground, for plain text.
    pub fn plain_style(&self, background: Background) -> Style {
        let (fg, bg) = match background {
            Background::Dark => (Color::WHITE, Color::BLACK),
            Background::Light => (Color::BLACK, Color::WHITE),
        };
        let settings = &self.theme(background).settings;
        Style {
            foreground: settings.foreground.unwrap_or(fg),
            background: settings.background.unwrap_or(bg),
            font_style: syntect::highlighting::FontStyle::empty(),
        }
    }

    /// Highlights display lines `range` of `doc`, whole, in the colours for `background`.
    /// Text bodies come back in the plain style, and so do JSON lines longer than
    /// [`LONG_LINE`].
    pub fn lines(
        &self,
        doc: &Document,
        range: Range<usize>,
        background: Background,
    ) -> Vec<StyledLine> {
        self.highlight(doc, range, None, background)
    }

    /// Highlights columns `cols` of display lines `range` of `doc`: what a viewer scrolled
    /// sideways shows, as [`lines`](Self::lines) cut to those columns would give it, but
    /// without building, highlighting or copying more of a long line than the window.
    pub fn window(
        &self,
        doc: &Document,
        range: Range<usize>,
        cols: Range<usize>,
        background: Background,
    ) -> Vec<StyledLine> {
        self.highlight(doc, range, Some(cols), background)
    }

    fn highlight(
        &self,
        doc: &Document,
        range: Range<usize>,
        cols: Option<Range<usize>>,
        background: Background,
    ) -> Vec<StyledLine> {
        let range = range.start.min(doc.line_count())..range.end.min(doc.line_count());
        let plain = |i: usize| match &cols {
            Some(cols) => self.plain_window(doc, i, cols.clone(), background),
            None => vec![(self.plain_style(background), doc.line(i))],
        };
        if doc.kind() != BodyKind::Json {
            return range.map(plain).collect();
        }
        let mut out = Vec::with_capacity(range.len());
        let mut parser: Option<HighlightLines<'_>> = None;
        for i in range {
            if doc.line_bytes(i) > LONG_LINE {
                parser = None;
                out.push(match &cols {
                    Some(cols) => self.long_line_window(doc, i, cols.clone(), background),
                    None => plain(i),
                });
                continue;
            }
            let text = doc.line(i);
            let h = parser.get_or_insert_with(|| self.primed(doc, i, background));
            let Some(styled) = self.highlight_one(h, &text) else {
                parser = None;
                out.push(plain(i));
                continue;
            };
            out.push(match &cols {
                Some(cols) => cut(styled, cols.clone()),
                None => styled,
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
    fn long_line_window(
        &self,
        doc: &Document,
        i: usize,
        cols: Range<usize>,
        background: Background,
    ) -> StyledLine {
        let lead = doc.lead_in(i, cols.clone(), LEAD, TAIL);
        let mut h = self.primed(doc, i, background);
        let fed = format!("{}{}", lead.skeleton, lead.text);
        let first = lead.skeleton.len() + lead.skip;
        match self.highlight_one(&mut h, &fed) {
            Some(styled) => cut(styled, first..first.saturating_add(cols.len())),
            None => self.plain_window(doc, i, cols, background),
        }
    }

    /// Columns `cols` of line `i` in the plain style (no run at all when empty).
    fn plain_window(
        &self,
        doc: &Document,
        i: usize,
        cols: Range<usize>,
        background: Background,
    ) -> StyledLine {
        let text = doc.columns(i, cols);
        if text.is_empty() {
            return Vec::new();
        }
        vec![(self.plain_style(background), text)]
    }

    /// A parser in the state it would have at the start of JSON line `i`.
    fn primed(&self, doc: &Document, i: usize, background: Background) -> HighlightLines<'_> {
        let mut h = HighlightLines::new(self.json(), self.theme(background));
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
    pub fn write_ansi(
        &self,
        doc: &Document,
        background: Background,
        out: &mut impl std::io::Write,
    ) -> std::io::Result<()> {
        const CHUNK: usize = 2048;
        let mut start = 0;
        while start < doc.line_count() {
            let end = (start + CHUNK).min(doc.line_count());
            for line in self.lines(doc, start..end, background) {
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

/// `theme` with object keys in `rgb` rather than in the colour of string values. syntect's
/// JSON grammar scopes a key `meta.structure.dictionary.key.json string`; newer grammars say
/// `meta.mapping.key string`. The theme's own rules for objects go first (InspiredGitHub
/// colours keys as strings elsewhere and string values as plain text, with selectors too
/// specific to override), so strings are coloured alike wherever they are, keys apart.
fn with_key_colour(mut theme: Theme, (r, g, b): (u8, u8, u8)) -> Theme {
    theme.scopes.retain(|item| {
        !item.scope.selectors.iter().any(|selector| {
            selector.path.as_slice().iter().any(|scope| {
                scope
                    .build_string()
                    .starts_with("meta.structure.dictionary")
            })
        })
    });
    let keys = "meta.structure.dictionary.key string, meta.mapping.key string";
    if let Ok(scope) = keys.parse::<ScopeSelectors>() {
        theme.scopes.push(ThemeItem {
            scope,
            style: StyleModifier {
                foreground: Some(Color { r, g, b, a: 255 }),
                background: None,
                font_style: None,
            },
        });
    }
    theme
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
mod tests {
    use super::*;
    use bytes::Bytes;

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
}
