//! The difference between two response bodies, for the diff view (`crate::tui::diff_view`).
//!
//! [`compare`] is the one entry point. When both bodies are JSON the comparison is structural:
//! every difference is a value added, removed or changed at a JSON path, written as jq writes
//! it (`.data[3].invoiceLines[0].productName`, odd keys quoted `."a b"`). Objects compare by
//! key whatever the order; arrays by index, except arrays of records that all carry an `id`
//! (or `Id`) on both sides, which are matched by id, so a record inserted in the middle is one
//! addition. (By index still when the ids repeat, when no id is on both sides, as for the same
//! list in two legal entities, so the values that differ are listed, and when the common
//! records come in another order.) Otherwise (text, HTML, a body that is not JSON on one side) the bodies are
//! compared line by line (the `similar` crate) and the result is grouped into hunks with
//! [`CONTEXT`] lines of context, as a unified diff.
//!
//! Everything here is pure and runs on any thread: the caller runs it off the UI thread. The
//! texts kept (values, lines, keys) are as the server sent them: the view sanitises them.

mod json;
mod text;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

pub use crate::pretty::path::{JsonPath, Step};

/// Lines of context around each hunk of a line diff.
pub const CONTEXT: usize = 3;

/// What [`compare`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Diff {
    /// Nothing differs.
    Identical(Sameness),
    /// Both bodies are JSON: the differences by path.
    Json(JsonDiff),
    /// A line diff.
    Text(TextDiff),
}

/// How two bodies with no difference are the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sameness {
    /// Byte for byte.
    Bytes,
    /// The same JSON value, written differently (spacing, key order).
    Json,
    /// The same lines: only line endings (`\r\n`, a last line break) or invalid bytes differ.
    Lines,
}

/// The structural differences of two JSON bodies, in document order (of the new body, with a
/// removed value where it stood in the old one).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonDiff {
    pub changes: Vec<Change>,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

/// One difference at one path. The path of an array item is its index in the new body, or,
/// for a removed item, in the old body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub path: JsonPath,
    pub kind: ChangeKind,
}

/// A value as compact JSON text (`{"id":"a","n":1}`), as the server wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only in the new body.
    Added(String),
    /// Only in the old body.
    Removed(String),
    /// In both, different (of another type, or another value of a scalar).
    Changed { old: String, new: String },
}

/// A line diff grouped into hunks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextDiff {
    pub hunks: Vec<Hunk>,
    /// Lines only in the new body.
    pub inserted: usize,
    /// Lines only in the old body.
    pub deleted: usize,
    /// Why the bodies were compared as text although one of them is JSON (that side is
    /// pretty-printed for the comparison): e.g. "the old body is JSON, the new one is not".
    pub note: Option<&'static str>,
    /// The diff took too long and the rest was given as deleted-then-inserted: correct, but
    /// not the smallest.
    pub approximate: bool,
}

/// A run of changed lines with up to [`CONTEXT`] lines around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    /// First line in the old body, from 1 (for an empty range: the line before it, as `diff -u`).
    pub old_start: usize,
    pub old_len: usize,
    pub new_start: usize,
    pub new_len: usize,
    pub lines: Vec<HunkLine>,
}

impl Hunk {
    /// `@@ -12,7 +12,8 @@`, as a unified diff heads a hunk.
    pub fn header(&self) -> String {
        format!(
            "@@ -{},{} +{},{} @@",
            self.old_start, self.old_len, self.new_start, self.new_len
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Context,
    Deleted,
    Inserted,
}

/// One line of a hunk, with its numbers (from 1) in the old and the new body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HunkLine {
    pub kind: LineKind,
    pub old: Option<usize>,
    pub new: Option<usize>,
    /// The line without its line break.
    pub text: String,
}

impl Diff {
    pub fn is_identical(&self) -> bool {
        matches!(self, Diff::Identical(_))
    }

    /// One line for the top of the view: "The two responses are identical", "2 changed ·
    /// 1 added · 0 removed", "12 lines inserted · 4 deleted in 3 hunks".
    pub fn summary(&self) -> String {
        match self {
            Diff::Identical(Sameness::Bytes) => "The two responses are identical".into(),
            Diff::Identical(Sameness::Json) => {
                "The two responses are identical (the same JSON, written differently)".into()
            }
            Diff::Identical(Sameness::Lines) => {
                "The two responses are identical (line by line: only line endings differ)".into()
            }
            Diff::Json(d) => format!(
                "{} changed · {} added · {} removed",
                d.changed, d.added, d.removed
            ),
            Diff::Text(d) => {
                let mut s = format!(
                    "{} {} inserted · {} deleted in {} {}",
                    d.inserted,
                    plural(d.inserted, "line", "lines"),
                    d.deleted,
                    d.hunks.len(),
                    plural(d.hunks.len(), "hunk", "hunks"),
                );
                if let Some(note) = d.note {
                    s.push_str(" (");
                    s.push_str(note);
                    s.push(')');
                }
                if d.approximate {
                    s.push_str(" (approximate: the bodies differ too much to find the fewest)");
                }
                s
            }
        }
    }

    /// How many differences the view can jump between: changes, or runs of changed lines.
    pub fn difference_count(&self) -> usize {
        match self {
            Diff::Identical(_) => 0,
            Diff::Json(d) => d.changes.len(),
            Diff::Text(d) => d
                .hunks
                .iter()
                .map(|h| {
                    h.lines
                        .iter()
                        .enumerate()
                        .filter(|&(i, l)| {
                            l.kind != LineKind::Context
                                && (i == 0 || h.lines[i - 1].kind == LineKind::Context)
                        })
                        .count()
                })
                .sum(),
        }
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// Compare two response bodies: structurally when both are JSON, else line by line.
pub fn compare(old: &[u8], new: &[u8]) -> Diff {
    if old == new {
        return Diff::Identical(Sameness::Bytes);
    }
    let old_json = parse(old);
    let new_json = parse(new);
    match (old_json, new_json) {
        (Some(o), Some(n)) => {
            let diff = json::compare(&o, &n);
            if diff.changes.is_empty() {
                Diff::Identical(Sameness::Json)
            } else {
                Diff::Json(diff)
            }
        }
        (o, n) => {
            let note = match (&o, &n) {
                (Some(_), None) => Some("the old body is JSON, the new one is not"),
                (None, Some(_)) => Some("the new body is JSON, the old one is not"),
                _ => None,
            };
            let old_text = as_text(old, o.as_ref());
            let new_text = as_text(new, n.as_ref());
            let mut diff = text::compare(&old_text, &new_text);
            diff.note = note;
            if diff.hunks.is_empty() {
                Diff::Identical(Sameness::Lines)
            } else {
                Diff::Text(diff)
            }
        }
    }
}

/// The body as a JSON value, if it is one (surrounding whitespace allowed, nothing after it).
fn parse(body: &[u8]) -> Option<serde_json::Value> {
    serde_json::from_slice(body).ok()
}

/// The text a body is compared as: a JSON side pretty-printed (compact JSON is one line), a
/// text side as it is, invalid UTF-8 replaced.
fn as_text<'a>(body: &'a [u8], json: Option<&serde_json::Value>) -> Cow<'a, str> {
    match json.and_then(|v| serde_json::to_string_pretty(v).ok()) {
        Some(pretty) => Cow::Owned(pretty),
        None => String::from_utf8_lossy(body),
    }
}
