//! JSON without building a tree: validation, a line index in pretty-printed form, and
//! rendering of one line at a time.

/// Where and why a body is not JSON.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl JsonError {
    pub fn from_serde(e: &serde_json::Error) -> Self {
        let text = e.to_string();
        // serde_json appends " at line L column C"; it is kept in the fields instead.
        let message = text
            .rsplit_once(" at line ")
            .map(|(m, _)| m.to_string())
            .unwrap_or(text);
        JsonError {
            line: e.line(),
            column: e.column(),
            message,
        }
    }
}

/// A body that does not parse as JSON: why, and how much of it is JSON before that.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Broken {
    pub(super) error: JsonError,
    /// Where the parser gave up: the byte it stopped at (always the start of a character),
    /// or the body's length when the body ended first.
    pub(super) valid_up_to: usize,
}

/// Containers opened this deep or deeper stay on one line (compact): the indentation of a
/// hostile body nested 100,000 deep would otherwise be gigabytes.
pub const MAX_INDENT_DEPTH: u16 = 128;

/// Checks that `body` is one JSON value, without allocating a tree.
pub fn validate(body: &[u8]) -> Result<(), JsonError> {
    serde_json::from_slice::<serde::de::IgnoredAny>(body)
        .map(|_| ())
        .map_err(|e| JsonError::from_serde(&e))
}

/// [`validate`], with where the body stops being JSON when it is not.
pub(super) fn check(body: &[u8]) -> Result<(), Broken> {
    serde_json::from_slice::<serde::de::IgnoredAny>(body)
        .map(|_| ())
        .map_err(|e| Broken {
            error: JsonError::from_serde(&e),
            valid_up_to: error_offset(body, &e),
        })
}

/// The byte a serde error points at. Its column counts bytes on its line: the byte it looked at
/// (1-based), or the number of bytes it read when the body ran out. An error at the end keeps
/// the whole body; one that lands inside a character moves back to the character's start.
fn error_offset(body: &[u8], e: &serde_json::Error) -> usize {
    if e.is_eof() {
        return body.len();
    }
    let line_start = match e.line() {
        0 | 1 => 0,
        line => body
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(line - 2)
            .map_or(body.len(), |(i, _)| i + 1),
    };
    let end = line_start + e.column();
    if end >= body.len() {
        return body.len();
    }
    let mut at = end.saturating_sub(1);
    while at > 0 && body.get(at).is_some_and(|b| b & 0xC0 == 0x80) {
        at -= 1;
    }
    at
}

/// Cuts valid JSON (or the valid start of a broken body) into pretty-printed lines: a break
/// after every opening bracket that is not immediately closed, after every comma, and before
/// every closing bracket. Returns each
/// line's first byte and its depth; only whitespace lies between a line's end and the next.
/// A container opened at [`MAX_INDENT_DEPTH`] or deeper stays on one line (compact), so the
/// output stays proportional to the input however deep a hostile body nests.
pub(super) fn index(body: &[u8]) -> (Vec<u32>, Vec<u16>) {
    let limit = usize::from(MAX_INDENT_DEPTH);
    let mut starts: Vec<u32> = Vec::with_capacity(body.len() / 24);
    let mut depths: Vec<u16> = Vec::with_capacity(body.len() / 24);
    let mut push = |start: usize, depth: usize| {
        starts.push(start as u32);
        depths.push(depth.min(limit) as u16);
    };
    let mut depth: usize = 0;
    // Where the line being built began, once it has a token.
    let mut start: Option<usize> = None;
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                start.get_or_insert(i);
            }
            b'{' | b'[' if depth >= limit => {
                start.get_or_insert(i);
                depth += 1;
            }
            b'{' | b'[' => {
                let line_start = *start.get_or_insert(i);
                let close = if b == b'{' { b'}' } else { b']' };
                let next = body[i + 1..]
                    .iter()
                    .position(|c| !c.is_ascii_whitespace())
                    .map(|p| i + 1 + p);
                match next {
                    // An empty container stays on its line: `"e": {}`.
                    Some(n) if body[n] == close => i = n,
                    _ => {
                        push(line_start, depth);
                        start = None;
                        depth += 1;
                    }
                }
            }
            // Closing a compact container: it stays on its line.
            b'}' | b']' if depth > limit => depth -= 1,
            b'}' | b']' => {
                if let Some(s) = start.take() {
                    push(s, depth);
                }
                depth = depth.saturating_sub(1);
                start = Some(i);
            }
            b',' if depth > limit => {}
            b',' => {
                push(start.take().unwrap_or(i), depth);
            }
            c if c.is_ascii_whitespace() => {}
            _ => {
                start.get_or_insert(i);
            }
        }
        i += 1;
    }
    if let Some(s) = start {
        push(s, depth);
    }
    if starts.is_empty() {
        starts.push(0);
        depths.push(0);
    }
    starts.shrink_to_fit();
    depths.shrink_to_fit();
    (starts, depths)
}

/// Valid JSON `raw` laid out as the viewer shows it ([`index`], [`render_line_into`]), every
/// line `depth` levels deeper, the lines joined by `\n` (none after the last), appended to
/// `out`. The JSON export writes its records so: each token keeps its bytes.
pub(crate) fn pretty_into(raw: &[u8], depth: u16, out: &mut Vec<u8>) {
    let (starts, depths) = index(raw);
    for (i, (&start, &line_depth)) in starts.iter().zip(&depths).enumerate() {
        let end = starts.get(i + 1).map_or(raw.len(), |&next| next as usize);
        if i > 0 {
            out.push(b'\n');
        }
        render_line_into(
            &raw[start as usize..end],
            line_depth.saturating_add(depth),
            out,
        );
    }
}

/// One line as shown: the indent, whitespace outside strings dropped, one space after a colon.
pub(super) fn render_line(raw: &[u8], depth: u16) -> String {
    let mut out = Vec::with_capacity(raw.len() + depth.min(MAX_INDENT_DEPTH) as usize * 2 + 1);
    render_line_into(raw, depth, &mut out);
    // Invalid UTF-8 inside strings passes validation (serde skips their contents): shown
    // replaced, as in text.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`render_line`] appended to `out`, to reuse its memory line after line.
pub(super) fn render_line_into(raw: &[u8], depth: u16, out: &mut Vec<u8>) {
    // `index` never stores a deeper depth; the cap only guards a hand-made one.
    let indent = depth.min(MAX_INDENT_DEPTH) as usize * 2;
    out.resize(out.len() + indent, b' ');
    let mut in_string = false;
    let mut escaped = false;
    for &b in raw {
        if in_string {
            out.push(b);
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                out.push(b);
            }
            b':' => out.extend_from_slice(b": "),
            c if c.is_ascii_whitespace() => {}
            c => out.push(c),
        }
    }
}
