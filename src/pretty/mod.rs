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

use bytes::Bytes;

pub use json::{JsonError, MAX_INDENT_DEPTH};

/// How a body's lines are cut and shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// Valid JSON, shown pretty-printed (two-space indent) whatever its original layout.
    Json,
    /// Anything else, shown line by line as text (invalid UTF-8 replaced).
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
    /// Nesting depth per line (JSON only; kept apart so the backward scans for
    /// highlighting context touch as little memory as possible).
    depths: Vec<u16>,
    /// Why a body that looked like JSON is shown as text.
    json_error: Option<JsonError>,
    /// For each long line, in line order: where to resume reading it at a given column.
    checkpoints: Vec<columns::LineMarks>,
}

/// `1204` as `1,204`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bodies above this are refused by the viewer (offsets are 32-bit).
pub const MAX_BODY: usize = u32::MAX as usize;

impl Document {
    /// Indexes a body. `looks_json` comes from the content type or the first byte; a body that
    /// claims to be JSON but does not parse is shown as text with the parse error kept.
    pub fn new(body: Bytes, looks_json: bool) -> Document {
        let body = if body.len() > MAX_BODY {
            body.slice(..MAX_BODY)
        } else {
            body
        };
        let mut doc = match looks_json.then(|| json::validate(&body)) {
            Some(Ok(())) => {
                let (starts, depths) = json::index(&body);
                Document {
                    body,
                    kind: BodyKind::Json,
                    starts,
                    depths,
                    json_error: None,
                    checkpoints: Vec::new(),
                }
            }
            Some(Err(e)) => Document {
                json_error: Some(e),
                ..Self::text(body)
            },
            None => Self::text(body),
        };
        doc.checkpoints = columns::checkpoints(&doc);
        doc
    }

    fn text(body: Bytes) -> Document {
        let mut starts = vec![0u32];
        starts.extend(
            body.iter()
                .enumerate()
                .filter(|(i, b)| **b == b'\n' && i + 1 < body.len())
                .map(|(i, _)| (i + 1) as u32),
        );
        starts.shrink_to_fit();
        Document {
            body,
            kind: BodyKind::Text,
            starts,
            depths: Vec::new(),
            json_error: None,
            checkpoints: Vec::new(),
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

    /// Set when the body claimed to be JSON but is not.
    pub fn json_error(&self) -> Option<&JsonError> {
        self.json_error.as_ref()
    }

    /// The byte range of line `i` (which must exist).
    fn span(&self, i: usize) -> (usize, usize) {
        let start = self.starts[i] as usize;
        let next = self
            .starts
            .get(i + 1)
            .map_or(self.body.len(), |s| *s as usize);
        let mut end = next;
        match self.kind {
            BodyKind::Json => {
                while end > start && self.body[end - 1].is_ascii_whitespace() {
                    end -= 1;
                }
            }
            BodyKind::Text => {
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
        match self.kind {
            BodyKind::Json => json::render_line(raw, self.depths[i]),
            BodyKind::Text => String::from_utf8_lossy(raw).replace('\t', "    "),
        }
    }

    /// Line `i` as [`line`](Self::line) gives it, written into `out` (cleared first), so a
    /// scan over every line reuses one buffer.
    pub fn line_into(&self, i: usize, out: &mut String) {
        out.clear();
        if i >= self.starts.len() {
            return;
        }
        if self.kind == BodyKind::Text {
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
        if self.kind != BodyKind::Json || i >= self.starts.len() {
            return Vec::new();
        }
        let mut stack = Vec::new();
        // A closing line is at the depth after the close, but starts inside the container.
        let first = self.body.get(self.starts[i] as usize);
        let closes = matches!(first, Some(b'}' | b']'));
        let mut want = self.depths[i] + u16::from(closes);
        let mut j = i;
        // The opener of the container at depth d-1 is the closest earlier line at depth d-1.
        while want > 0 && j > 0 {
            j -= 1;
            if self.depths[j] == want - 1 {
                let (_, end) = self.span(j);
                stack.push(end > 0 && self.body[end - 1] == b'{');
                want -= 1;
            }
        }
        stack.reverse();
        stack
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        Document::new(Bytes::from(s.to_string()), true)
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
    fn invalid_json_falls_back_to_text_with_the_error() {
        let d = doc("{\"a\": 1,\n\"b\": }");
        assert_eq!(d.kind(), BodyKind::Text);
        let e = d.json_error().unwrap();
        assert_eq!((e.line, e.column), (2, 6));
        assert_eq!(d.line_count(), 2);
        assert_eq!(d.line(1), "\"b\": }");
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
