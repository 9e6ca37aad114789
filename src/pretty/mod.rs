//! Turning a response body into lines for display without copying it: a line index over the
//! original bytes, JSON re-indented on the fly, and syntect highlighting of only the lines
//! asked for. A 10 MB body costs the body plus about 10 bytes a line. A long line is never
//! built for display: the viewer asks for the columns it shows ([`Document::columns`]).

mod columns;
pub mod find;
pub mod fold;
pub mod highlight;
pub mod json;
pub mod path;
pub mod value;

use std::ops::Range;

use bytes::Bytes;

pub use highlight::TextSyntax;
pub use json::{JsonError, MAX_INDENT_DEPTH};

/// How a body's lines are cut and shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// Valid JSON, shown pretty-printed (two-space indent) whatever its original layout.
    Json,
    /// Claimed to be JSON but does not parse: pretty-printed as JSON up to the error, then the
    /// rest of the body as received, line by line as text. See [`Document::json_error_line`].
    BrokenJson,
    /// Anything else, shown line by line as text (invalid UTF-8 replaced).
    Text,
}

/// How one display line is cut from the body: a line of a [`BodyKind::BrokenJson`] body is
/// either, depending on which side of the error it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineKind {
    Json,
    Text,
}

/// A body indexed into display lines.
///
/// Only each line's first byte is stored (4 bytes a line, plus 2 for the JSON depth): a line
/// ends where the next begins, less the whitespace (JSON) or the line break (text) between.
/// Lines longer than 16 kB also keep a checkpoint every 16 kB, to find a column quickly.
#[derive(Clone, Debug)]
pub struct Document {
    body: Bytes,
    kind: BodyKind,
    starts: Vec<u32>,
    /// Nesting depth per line (JSON and broken JSON only, 0 on the text lines after the error;
    /// kept apart so the backward scans for highlighting context touch as little memory as
    /// possible).
    depths: Vec<u16>,
    /// Why a body that claimed to be JSON does not parse.
    json_error: Option<JsonError>,
    /// Lines `..json_lines` are cut as JSON, the rest as text.
    json_lines: usize,
    /// How text lines are highlighted (from the content type).
    syntax: TextSyntax,
    /// Bytes of the body that are not UTF-8 (each bad sequence is shown as one U+FFFD).
    invalid_utf8: usize,
    /// For each long line, in line order: where to resume reading it at a given column.
    checkpoints: Vec<columns::LineMarks>,
}

pub use younium::text::{shorten, thousands};

/// Bodies above this are refused by the viewer (offsets are 32-bit).
pub const MAX_BODY: usize = u32::MAX as usize;

impl Document {
    /// Indexes a body. `looks_json` comes from the content type or the first byte; a body that
    /// claims to be JSON but does not parse is pretty-printed up to the error and shown as
    /// received from there, with the parse error kept. Text is not highlighted.
    pub fn new(body: Bytes, looks_json: bool) -> Document {
        Self::with_content_type(body, looks_json, None)
    }

    /// [`new`](Self::new), with text lines highlighted as the `content_type` (the header's
    /// value) says: HTML, XML or plain ([`TextSyntax::for_content_type`]).
    pub fn with_content_type(
        body: Bytes,
        looks_json: bool,
        content_type: Option<&str>,
    ) -> Document {
        let body = if body.len() > MAX_BODY {
            body.slice(..MAX_BODY)
        } else {
            body
        };
        // An empty body claims nothing: it is shown as empty, not as a JSON error.
        let mut doc = match (looks_json && !body.is_empty()).then(|| json::check(&body)) {
            Some(Ok(())) => {
                let (starts, depths) = json::index(&body);
                Document {
                    json_lines: starts.len(),
                    starts,
                    depths,
                    kind: BodyKind::Json,
                    ..Self::empty(body)
                }
            }
            Some(Err(broken)) => Self::broken(body, broken),
            None => Self::text(body),
        };
        // The text after a JSON error is shown as received, not as the content type says.
        if doc.kind == BodyKind::Text {
            doc.syntax = TextSyntax::for_content_type(content_type);
        }
        doc.invalid_utf8 = invalid_utf8(&doc.body);
        doc.checkpoints = columns::checkpoints(&doc);
        doc
    }

    /// The fields every kind starts from, with no lines yet: each constructor fills `starts`.
    fn empty(body: Bytes) -> Document {
        Document {
            body,
            kind: BodyKind::Text,
            starts: Vec::new(),
            depths: Vec::new(),
            json_error: None,
            json_lines: 0,
            syntax: TextSyntax::Plain,
            invalid_utf8: 0,
            checkpoints: Vec::new(),
        }
    }

    fn text(body: Bytes) -> Document {
        let mut starts = text_starts(&body, 0);
        if starts.is_empty() {
            starts.push(0);
        }
        starts.shrink_to_fit();
        Document {
            starts,
            ..Self::empty(body)
        }
    }

    /// JSON lines for the valid part before the error, then text lines from the error on.
    /// A body that breaks before its first token is all text.
    fn broken(body: Bytes, broken: json::Broken) -> Document {
        let prefix = &body[..broken.valid_up_to];
        let (mut starts, mut depths, rest) = if prefix.iter().all(u8::is_ascii_whitespace) {
            (Vec::new(), Vec::new(), 0)
        } else {
            let (starts, depths) = json::index(prefix);
            (starts, depths, broken.valid_up_to)
        };
        let json_lines = starts.len();
        starts.extend(text_starts(&body, rest));
        starts.shrink_to_fit();
        depths.resize(starts.len(), 0);
        depths.shrink_to_fit();
        Document {
            kind: BodyKind::BrokenJson,
            starts,
            depths,
            json_lines,
            json_error: Some(broken.error),
            ..Self::empty(body)
        }
    }

    pub fn kind(&self) -> BodyKind {
        self.kind
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Set when the body claimed to be JSON but is not ([`BodyKind::BrokenJson`]).
    pub fn json_error(&self) -> Option<&JsonError> {
        self.json_error.as_ref()
    }

    /// The display line where a body that claimed to be JSON stops being JSON: the first line
    /// shown as received, or the last pretty-printed line when the body ends before the
    /// error (a truncated answer).
    pub fn json_error_line(&self) -> Option<usize> {
        self.json_error.as_ref()?;
        Some(self.json_lines.min(self.starts.len() - 1))
    }

    /// Display lines pretty-printed as JSON: all of a JSON body, those before the error of a
    /// broken one (none when it breaks before its first token), none of a text body.
    pub fn json_line_count(&self) -> usize {
        self.json_lines
    }

    /// How text lines are highlighted.
    pub fn text_syntax(&self) -> TextSyntax {
        self.syntax
    }

    /// Bytes of the body that are not valid UTF-8 (shown as U+FFFD); 0 for a valid body.
    pub fn invalid_utf8(&self) -> usize {
        self.invalid_utf8
    }

    /// How display line `i` (which must exist) is cut from the body.
    pub(crate) fn line_kind(&self, i: usize) -> LineKind {
        if i < self.json_lines {
            LineKind::Json
        } else {
            LineKind::Text
        }
    }

    /// The byte range of line `i` (which must exist).
    fn span(&self, i: usize) -> (usize, usize) {
        let start = self.starts[i] as usize;
        let next = self
            .starts
            .get(i + 1)
            .map_or(self.body.len(), |s| *s as usize);
        let mut end = next;
        match self.line_kind(i) {
            LineKind::Json => {
                while end > start && self.body[end - 1].is_ascii_whitespace() {
                    end -= 1;
                }
            }
            LineKind::Text => {
                if end > start && self.body[end - 1] == b'\n' {
                    end -= 1;
                }
                if end > start && self.body[end - 1] == b'\r' {
                    end -= 1;
                }
            }
        }
        (start, end)
    }

    /// The bytes of the body lines `range` take (which must be lines of the body).
    pub(crate) fn byte_range(&self, range: Range<usize>) -> (usize, usize) {
        let from = self.starts[range.start] as usize;
        let to = self
            .starts
            .get(range.end)
            .map_or(self.body.len(), |s| *s as usize);
        (from, to)
    }

    /// The line that holds byte `at` of the body.
    pub(crate) fn line_at(&self, at: usize) -> usize {
        self.starts
            .partition_point(|s| *s as usize <= at)
            .saturating_sub(1)
    }

    /// Bytes of the body line `i` spans (0 past the end).
    pub(crate) fn line_bytes(&self, i: usize) -> usize {
        if i >= self.starts.len() {
            return 0;
        }
        let (start, end) = self.span(i);
        end - start
    }

    /// The text of display line `i` (indent included for JSON). Empty past the end. This
    /// builds the whole line, however long: to show a line, take its [`columns`](Self::columns).
    pub fn line(&self, i: usize) -> String {
        if i >= self.starts.len() {
            return String::new();
        }
        let (start, end) = self.span(i);
        let raw = &self.body[start..end];
        match self.line_kind(i) {
            LineKind::Json => json::render_line(raw, self.depths[i]),
            LineKind::Text => String::from_utf8_lossy(raw).replace('\t', "    "),
        }
    }

    /// Line `i` as [`line`](Self::line) gives it, written into `out` (cleared first), so a
    /// scan over every line reuses one buffer.
    pub fn line_into(&self, i: usize, out: &mut String) {
        out.clear();
        if i >= self.starts.len() {
            return;
        }
        if self.line_kind(i) == LineKind::Text {
            out.push_str(&self.line(i));
            return;
        }
        let (start, end) = self.span(i);
        let mut bytes = std::mem::take(out).into_bytes();
        json::render_line_into(&self.body[start..end], self.depths[i], &mut bytes);
        *out = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }

    /// The whole body pretty-printed (for copying and saving).
    pub fn pretty_text(&self) -> String {
        let mut out = String::with_capacity(self.body.len() + self.starts.len() * 4);
        for i in 0..self.line_count() {
            out.push_str(&self.line(i));
            out.push('\n');
        }
        out
    }

    /// The containers open at the start of JSON line `i`, outermost first: `true` for an
    /// object, `false` for an array.
    pub(crate) fn open_containers(&self, i: usize) -> Vec<bool> {
        if i >= self.starts.len() || self.line_kind(i) != LineKind::Json {
            return Vec::new();
        }
        let mut stack = Vec::new();
        // A closing line is at the depth after the close, but starts inside the container.
        let first = self.body.get(self.starts[i] as usize);
        let closes = matches!(first, Some(b'}' | b']'));
        let mut want = self.depths[i] + u16::from(closes);
        let mut j = i;
        // The opener of the container at depth d-1 is the closest earlier line at depth d-1
        // (a tight backward search: the list holding a record can be 3 million lines up).
        while want > 0 {
            let Some(open) = self.depths[..j].iter().rposition(|&d| d == want - 1) else {
                break;
            };
            let (_, end) = self.span(open);
            stack.push(end > 0 && self.body[end - 1] == b'{');
            want -= 1;
            j = open;
        }
        stack.reverse();
        stack
    }
}

/// The first byte of each text line of `body` from byte `from` on (none when `from` is the
/// end): a line ends after its `\n`, and a final `\n` does not begin another.
fn text_starts(body: &[u8], from: usize) -> Vec<u32> {
    let Some(rest) = body.get(from..).filter(|r| !r.is_empty()) else {
        return Vec::new();
    };
    let mut starts = vec![from as u32];
    starts.extend(
        rest.iter()
            .enumerate()
            .filter(|(i, b)| **b == b'\n' && i + 1 < rest.len())
            .map(|(i, _)| (from + i + 1) as u32),
    );
    starts
}

/// Bytes of `body` that `String::from_utf8_lossy` replaces.
fn invalid_utf8(body: &[u8]) -> usize {
    body.utf8_chunks().map(|c| c.invalid().len()).sum()
}

#[cfg(test)]
mod broken_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        Document::new(Bytes::from(s.to_string()), true)
    }

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn compact_json_is_pretty_printed() {
        let d = doc(r#"{"a":1,"b":[true,null,{"c":"x,y}"}],"e":{},"f":[ ]}"#);
        let lines: Vec<String> = (0..d.line_count()).map(|i| d.line(i)).collect();
        assert_eq!(
            lines,
            [
                "{",
                "  \"a\": 1,",
                "  \"b\": [",
                "    true,",
                "    null,",
                "    {",
                "      \"c\": \"x,y}\"",
                "    }",
                "  ],",
                "  \"e\": {},",
                "  \"f\": []",
                "}",
            ]
        );
        assert_eq!(d.kind(), BodyKind::Json);
        assert_eq!(d.open_containers(6), [true, false, true]);
        assert_eq!(d.open_containers(3), [true, false]);
        assert_eq!(d.open_containers(0), Vec::<bool>::new());
        assert_eq!(
            d.open_containers(7),
            [true, false, true],
            "closing line of {{\"c\"…}}"
        );
    }

    #[test]
    fn already_pretty_json_comes_out_the_same() {
        let pretty = "{\n  \"k\" : \"v\\\"q\",\n  \"n\": [\n    1.5e3\n  ]\n}";
        let d = doc(pretty);
        assert_eq!(
            d.pretty_text(),
            "{\n  \"k\": \"v\\\"q\",\n  \"n\": [\n    1.5e3\n  ]\n}\n"
        );
        let v: serde_json::Value = serde_json::from_str(&d.pretty_text()).unwrap();
        assert_eq!(v["n"][0], 1500.0);
    }

    #[test]
    fn invalid_json_is_pretty_up_to_the_error_then_as_received() {
        let d = doc("{\"a\": 1,\n\"b\": }");
        assert_eq!(d.kind(), BodyKind::BrokenJson);
        let e = d.json_error().unwrap();
        assert_eq!((e.line, e.column), (2, 6));
        let lines: Vec<String> = (0..d.line_count()).map(|i| d.line(i)).collect();
        assert_eq!(lines, ["{", "  \"a\": 1,", "  \"b\": ", "}"]);
        assert_eq!(d.json_error_line(), Some(3));
    }

    #[test]
    fn text_lines() {
        let d = Document::new(Bytes::from_static(b"a\r\nb\n\tc"), false);
        assert_eq!(d.line_count(), 3);
        assert_eq!(d.line(0), "a");
        assert_eq!(d.line(2), "    c");
        assert_eq!(d.line(9), "");
        let empty = Document::new(Bytes::new(), false);
        assert_eq!(empty.line_count(), 1);
    }

    #[test]
    fn scalars_and_unicode() {
        let d = doc("  \"h\u{e9}llo\"  ");
        assert_eq!(d.line_count(), 1);
        assert_eq!(d.line(0), "\"h\u{e9}llo\"");
        let d = doc("[]");
        assert_eq!(d.pretty_text(), "[]\n");
    }
}

#[cfg(test)]
mod depth_tests {
    use super::*;

    /// A hostile body nested far deeper than any real answer prints in size proportional to
    /// its input, never as gigabytes of indentation.
    #[test]
    fn deep_nesting_prints_in_bounded_size() {
        for depth in [100, 300, 100_000] {
            let body = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let doc = Document::new(Bytes::from(body.clone()), true);
            let text = doc.pretty_text();
            // Past the limit a container stays on one line: the indentation is paid at most
            // for the first MAX_INDENT_DEPTH levels.
            let most_indent = 4 * usize::from(MAX_INDENT_DEPTH).pow(2);
            assert_eq!(doc.kind(), BodyKind::Json);
            assert!(
                text.len() <= 2 * body.len() + most_indent,
                "{depth}: {} bytes from {}",
                text.len(),
                body.len()
            );
        }
    }
}
