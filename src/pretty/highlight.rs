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

    /// Highlights display lines `range` of `doc`, whole. Plain text comes back in the plain
    /// style, and so do lines longer than [`LONG_LINE`].
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

    /// Highlights columns `cols` of the rows of a folded view: each row a line, or for a
    /// fold its opening line, the fold's summary and its closing line (`"a": [… 3 items],`).
    /// The parser goes on from one row to the next, through the closing line of a fold, so a
    /// screen of folds is primed once.
    pub fn window_rows(
        &self,
        doc: &Document,
        rows: &[Row],
        cols: Range<usize>,
        background: Background,
    ) -> Vec<StyledLine> {
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
                out.extend(self.json_lines(doc, json, &window, &mut parser, background));
                out.extend(self.text_lines(doc, text, &window, background));
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
                cut(vec![(self.plain_style(background), text)], cols.clone())
            };
            if doc.line_bytes(row.line) > LONG_LINE {
                parser = None;
                out.push(plain());
                continue;
            }
            let h = parser.get_or_insert_with(|| self.primed(doc, row.line, background));
            let (Some(mut styled), Some(closing)) = (
                self.highlight_one(h, &opener),
                self.highlight_one(h, closer.trim_start()),
            ) else {
                parser = None;
                out.push(plain());
                continue;
            };
            let mut summary = self.plain_style(background);
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
        background: Background,
    ) -> Vec<StyledLine> {
        let range = range.start.min(doc.line_count())..range.end.min(doc.line_count());
        let json = range.start..range.end.min(doc.json_lines);
        let text = range.start.max(doc.json_lines)..range.end;
        let mut out = self.json_lines(doc, json, &cols, &mut None, background);
        out.extend(self.text_lines(doc, text, &cols, background));
        out
    }

    /// Line `i` in the plain style: whole, or columns `cols` of it.
    fn plain(
        &self,
        doc: &Document,
        i: usize,
        cols: &Option<Range<usize>>,
        background: Background,
    ) -> StyledLine {
        match cols {
            Some(cols) => self.plain_window(doc, i, cols.clone(), background),
            None => vec![(self.plain_style(background), doc.line(i))],
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
        background: Background,
    ) -> Vec<StyledLine> {
        let mut out = Vec::with_capacity(range.len());
        for i in range {
            debug_assert_eq!(doc.line_kind(i), LineKind::Json);
            if doc.line_bytes(i) > LONG_LINE {
                *parser = None;
                out.push(match cols {
                    Some(cols) => self.long_line_window(doc, i, cols.clone(), background),
                    None => self.plain(doc, i, cols, background),
                });
                continue;
            }
            let text = doc.line(i);
            let h = parser.get_or_insert_with(|| self.primed(doc, i, background));
            let Some(styled) = self.highlight_one(h, &text) else {
                *parser = None;
                out.push(self.plain(doc, i, cols, background));
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
        background: Background,
    ) -> Vec<StyledLine> {
        let Some(syntax) = self.text(doc.text_syntax()) else {
            return range
                .map(|i| self.plain(doc, i, cols, background))
                .collect();
        };
        let mut out = Vec::with_capacity(range.len());
        let mut parser: Option<HighlightLines<'_>> = None;
        let from = range.start.saturating_sub(TEXT_CONTEXT).max(doc.json_lines);
        for i in from..range.end {
            let shown = i >= range.start;
            if doc.line_bytes(i) > LONG_LINE {
                parser = None;
                if shown {
                    out.push(self.plain(doc, i, cols, background));
                }
                continue;
            }
            let h =
                parser.get_or_insert_with(|| HighlightLines::new(syntax, self.theme(background)));
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
                (None, _) => self.plain(doc, i, cols, background),
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
mod text_tests;

#[cfg(test)]
mod tests;
