//! A window of columns of one display line, without building the line.
//!
//! A body can be one line of tens of megabytes (minified text, the rest of a broken JSON body
//! shown as text, a huge JSON string value). The viewer asks only for the columns it shows, and this module
//! walks the body from the closest checkpoint before them. Checkpoints are taken every
//! [`STRIDE`] bytes of each line longer than that, when the body is indexed (off the UI
//! thread), so a window costs at most `STRIDE` bytes of walking plus its own width, wherever
//! it is on the line.
//!
//! Columns count characters as [`Document::line`] renders them: in text a tab is four spaces
//! and each bad UTF-8 sequence one U+FFFD (as `String::from_utf8_lossy` does); a JSON line has
//! its indent, no whitespace outside strings and a space after each colon.

use std::ops::Range;

use super::{Document, LineKind};

/// Bytes between checkpoints on a long line, and decoded at a time: walking this far takes
/// tens of microseconds, and the checkpoints cost 40 bytes per stride (0.25 % of the line).
pub(super) const STRIDE: usize = 16 * 1024;

/// Spaces a tab takes in a text body.
const TAB: usize = 4;

/// The checkpoints of one long line.
#[derive(Clone, Debug)]
pub(super) struct LineMarks {
    line: usize,
    /// In order along the line; none right after a backslash in a JSON string.
    marks: Vec<Cursor>,
}

/// Where a walk along a line stands: the next character's first byte and column, and for
/// JSON the scanner's state there. Every position is one where `from_utf8_lossy` would start
/// a character, so decoding from it gives the same characters as decoding the whole line.
#[derive(Clone, Copy, Debug)]
struct Cursor {
    byte: usize,
    col: usize,
    kind: LineKind,
    json: JsonState,
}

#[derive(Clone, Copy, Debug, Default)]
struct JsonState {
    in_string: bool,
    escaped: bool,
    skeleton: Skeleton,
}

/// A JSON line so far, reduced to what decides a highlighter's state: whitespace dropped,
/// string contents dropped (the quotes kept), each scalar cut to its first few characters.
/// On a pretty-printed line that is at most `"":`, a short scalar and a comma.
#[derive(Clone, Copy, Debug, Default)]
struct Skeleton {
    bytes: [u8; 16],
    len: u8,
    /// Characters of the scalar being read that were kept.
    scalar: u8,
}

impl Skeleton {
    /// Enough of a number or literal for its colour (`tru` is not yet `true`).
    const SCALAR: u8 = 8;

    fn push(&mut self, b: u8) {
        self.scalar = 0;
        self.put(b);
    }

    fn push_scalar(&mut self, c: char) {
        if self.scalar < Self::SCALAR {
            self.scalar += 1;
            // Outside strings valid JSON is ASCII; anything else stands in as a digit.
            self.put(u8::try_from(c).ok().filter(u8::is_ascii).unwrap_or(b'0'));
        }
    }

    fn put(&mut self, b: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len as usize) {
            *slot = b;
            self.len += 1;
        }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or_default()
    }
}

/// What one character of the body shows as.
#[derive(Clone, Copy)]
enum Cell {
    Char(char),
    /// A tab.
    Spaces(usize),
    /// A JSON colon, shown as `": "`.
    Colon,
    /// JSON whitespace outside strings.
    Nothing,
}

impl Cell {
    fn width(self) -> usize {
        match self {
            Cell::Char(_) => 1,
            Cell::Spaces(n) => n,
            Cell::Colon => 2,
            Cell::Nothing => 0,
        }
    }

    /// The `k`-th column of the cell.
    fn char_at(self, k: usize) -> char {
        match self {
            Cell::Char(c) => c,
            Cell::Colon if k == 0 => ':',
            _ => ' ',
        }
    }
}

impl JsonState {
    /// The same rules as `json::render_line`, one character at a time.
    fn step(&mut self, c: char) -> Cell {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if c == '\\' {
                self.escaped = true;
            } else if c == '"' {
                self.in_string = false;
                self.skeleton.push(b'"');
            }
            return Cell::Char(c);
        }
        match c {
            '"' => {
                self.in_string = true;
                self.skeleton.push(b'"');
                Cell::Char(c)
            }
            ':' => {
                self.skeleton.push(b':');
                Cell::Colon
            }
            c if c.is_ascii_whitespace() => Cell::Nothing,
            '{' | '[' | '}' | ']' | ',' => {
                self.skeleton.push(c as u8);
                Cell::Char(c)
            }
            c => {
                self.skeleton.push_scalar(c);
                Cell::Char(c)
            }
        }
    }
}

impl Cursor {
    fn step(&mut self, c: char, len: usize) -> Cell {
        let cell = match self.kind {
            LineKind::Text if c == '\t' => Cell::Spaces(TAB),
            LineKind::Text => Cell::Char(c),
            LineKind::Json => self.json.step(c),
        };
        self.byte += len;
        self.col += cell.width();
        cell
    }

    /// Steps along the line (which ends at byte `end`) until the next character starts at or
    /// past column `until`, calling `f` with the cursor before each step and the cell stepped.
    fn walk(&mut self, doc: &Document, end: usize, until: usize, mut f: impl FnMut(&Cursor, Cell)) {
        while self.col < until && self.byte < end {
            let stop = block_end(&doc.body, self.byte, end);
            for (c, len) in lossy_chars(&doc.body[self.byte..stop]) {
                if self.col >= until {
                    return;
                }
                let before = *self;
                let cell = self.step(c, len);
                f(&before, cell);
            }
        }
    }

    /// Steps over a whole block (which must end where `block_end` cuts): what `walk` does
    /// to it, without visiting each character. Only the checkpoints need this speed: they
    /// walk whole lines of tens of megabytes.
    fn skip(&mut self, block: &[u8]) {
        for chunk in block.utf8_chunks() {
            let valid = chunk.valid();
            match self.kind {
                LineKind::Text => {
                    let tabs = valid.bytes().filter(|b| *b == b'\t').count();
                    self.col += valid.chars().count() + tabs * (TAB - 1);
                    self.byte += valid.len();
                }
                LineKind::Json => self.skip_json(valid),
            }
            let bad = chunk.invalid().len();
            if bad > 0 {
                self.step(char::REPLACEMENT_CHARACTER, bad);
            }
        }
    }

    /// Inside a JSON string, counts the run up to the next quote or backslash at once;
    /// steps through everything else.
    fn skip_json(&mut self, mut s: &str) {
        while let Some(c) = s.chars().next() {
            let len = if self.json.in_string && !self.json.escaped && c != '"' && c != '\\' {
                let run = s.bytes().position(|b| b == b'"' || b == b'\\');
                let run = run.unwrap_or(s.len());
                self.col += s[..run].chars().count();
                self.byte += run;
                run
            } else {
                self.step(c, c.len_utf8());
                c.len_utf8()
            };
            s = &s[len..];
        }
    }

    /// Appends the characters of columns `cols` to `out`, walking no further than their end.
    fn emit(&mut self, doc: &Document, end: usize, cols: &Range<usize>, out: &mut String) {
        self.walk(doc, end, cols.end, |before, cell| {
            for k in 0..cell.width() {
                if cols.contains(&(before.col + k)) {
                    out.push(cell.char_at(k));
                }
            }
        });
    }
}

/// Where to stop decoding a block of the line that starts at `from`: [`STRIDE`] bytes on (or
/// the line's `end`), moved back to the start of a character so that decoding block after
/// block gives what decoding the line whole does. (Decoding the rest of a 43 MB line at once
/// would check all of it before yielding the first character.)
fn block_end(body: &[u8], from: usize, end: usize) -> usize {
    let cut = from.saturating_add(STRIDE).min(end);
    if cut == end {
        return end;
    }
    // A character is at most 4 bytes: its first byte is among the 3 before a continuation
    // byte, or the continuation byte is a bad sequence of its own.
    (cut - 3..=cut)
        .rev()
        .find(|&p| p > from && !is_continuation(body[p]))
        .unwrap_or(cut)
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// The characters of `bytes` as `String::from_utf8_lossy` decodes them, each with its length
/// in bytes: a bad sequence is one U+FFFD.
fn lossy_chars(bytes: &[u8]) -> impl Iterator<Item = (char, usize)> + '_ {
    bytes.utf8_chunks().flat_map(|chunk| {
        let bad = chunk.invalid().len();
        chunk
            .valid()
            .chars()
            .map(|c| (c, c.len_utf8()))
            .chain((bad > 0).then_some((char::REPLACEMENT_CHARACTER, bad)))
    })
}

/// Checkpoints for every line of `doc` longer than [`STRIDE`] bytes.
pub(super) fn checkpoints(doc: &Document) -> Vec<LineMarks> {
    (0..doc.line_count())
        .filter(|&i| {
            let (start, end) = doc.span(i);
            end - start > STRIDE
        })
        .map(|line| LineMarks {
            line,
            marks: marks(doc, line),
        })
        .collect()
}

/// A checkpoint at the end of each block of line `i` but the last (unless it falls right
/// after a backslash).
fn marks(doc: &Document, i: usize) -> Vec<Cursor> {
    let (start, end) = doc.span(i);
    let mut marks = Vec::with_capacity((end - start) / STRIDE);
    let mut cursor = doc.line_start(i);
    while cursor.byte < end {
        let stop = block_end(&doc.body, cursor.byte, end);
        cursor.skip(&doc.body[cursor.byte..stop]);
        if cursor.byte < end && !cursor.json.escaped {
            marks.push(cursor);
        }
    }
    marks
}

/// What a highlighter needs to colour a window of a long JSON line without reading the line
/// from its start. See [`Document::lead_in`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct LeadIn {
    /// The line before `text`, reduced to the tokens that decide a highlighter's state:
    /// strings emptied, whitespace dropped (`"":"` inside the value string of a member).
    pub(crate) skeleton: String,
    /// The line's characters from a little before the window to a little after it.
    pub(crate) text: String,
    /// Characters of `text` before the window.
    pub(crate) skip: usize,
}

impl Document {
    /// Columns `cols` of display line `i`: the same characters as
    /// `line(i).chars().skip(cols.start).take(cols.len())`, but reading at most 16 kB of the
    /// line besides the window itself. Empty past the end of the line.
    pub fn columns(&self, i: usize, cols: Range<usize>) -> String {
        let mut out = String::new();
        if i >= self.line_count() || cols.is_empty() {
            return out;
        }
        out.extend((cols.start..cols.end.min(self.indent(i))).map(|_| ' '));
        let (mut cursor, end) = self.resume(i, cols.start);
        cursor.emit(self, end, &cols, &mut out);
        out
    }

    /// Columns `cols` of JSON line `i` with `lead` columns before them and `tail` after,
    /// and the skeleton of the line before that, for highlighting the window alone.
    pub(crate) fn lead_in(&self, i: usize, cols: Range<usize>, lead: usize, tail: usize) -> LeadIn {
        let from = cols.start.saturating_sub(lead);
        let wide_end = cols.end.saturating_add(tail);
        if i >= self.line_count() || from <= self.indent(i) {
            return LeadIn {
                skeleton: String::new(),
                text: self.columns(i, 0..wide_end),
                skip: cols.start,
            };
        }
        let (mut cursor, end) = self.resume(i, from);
        cursor.walk(self, end, from, |_, _| {});
        if cursor.json.escaped {
            // Start after the escaped character, not on it: `"` there would end the string.
            cursor.walk(self, end, cursor.col + 1, |_, _| {});
        }
        let skeleton = cursor.json.skeleton.as_str().to_string();
        let text_start = cursor.col;
        let mut text = String::new();
        cursor.emit(self, end, &(text_start..wide_end), &mut text);
        LeadIn {
            skeleton,
            text,
            skip: cols.start.saturating_sub(text_start),
        }
    }

    /// Columns before the first byte of line `i` (the JSON indent).
    fn indent(&self, i: usize) -> usize {
        match self.line_kind(i) {
            LineKind::Json => usize::from(self.depths[i]) * 2,
            LineKind::Text => 0,
        }
    }

    fn line_start(&self, i: usize) -> Cursor {
        Cursor {
            byte: self.span(i).0,
            col: self.indent(i),
            kind: self.line_kind(i),
            json: JsonState::default(),
        }
    }

    /// The last checkpoint of line `i` at or before column `col`, else the line's start; and
    /// the line's end.
    fn resume(&self, i: usize, col: usize) -> (Cursor, usize) {
        let mark = self
            .checkpoints
            .binary_search_by_key(&i, |l| l.line)
            .ok()
            .and_then(|k| {
                let marks = &self.checkpoints[k].marks;
                let n = marks.partition_point(|m| m.col <= col);
                n.checked_sub(1).map(|n| marks[n])
            });
        (mark.unwrap_or_else(|| self.line_start(i)), self.span(i).1)
    }
}

#[cfg(test)]
mod tests;
