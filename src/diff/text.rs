//! The line diff of two texts, grouped into hunks.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline, group_diff_ops};

use super::{CONTEXT, Hunk, HunkLine, LineKind, TextDiff};

/// The longest the line matching may take: past it the rest is given as deleted-then-
/// inserted (still a correct diff, not the smallest). Two entirely different 1 MB texts would
/// otherwise take seconds.
pub const DEADLINE: Duration = Duration::from_millis(150);

/// The lines of a text without their line breaks (`\n` or `\r\n`); no empty last line for a
/// text that ends with a line break.
fn lines(text: &str) -> Vec<&str> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Vec::new();
    }
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

pub(super) fn compare(old: &str, new: &str) -> TextDiff {
    let old_lines = lines(old);
    let new_lines = lines(new);
    // Lines as small numbers, one per distinct line: the matching then compares integers.
    let mut ids: HashMap<&str, u32> = HashMap::with_capacity(old_lines.len() + new_lines.len());
    let old_ids = intern(&mut ids, &old_lines);
    let new_ids = intern(&mut ids, &new_lines);
    let deadline = Instant::now() + DEADLINE;
    let ops = capture_diff_slices_deadline(Algorithm::Myers, &old_ids, &new_ids, Some(deadline));
    let approximate = Instant::now() >= deadline;

    let mut diff = TextDiff {
        approximate,
        ..TextDiff::default()
    };
    for op in &ops {
        match *op {
            DiffOp::Delete { old_len, .. } => diff.deleted += old_len,
            DiffOp::Insert { new_len, .. } => diff.inserted += new_len,
            DiffOp::Replace {
                old_len, new_len, ..
            } => {
                diff.deleted += old_len;
                diff.inserted += new_len;
            }
            DiffOp::Equal { .. } => {}
        }
    }
    if diff.deleted + diff.inserted == 0 {
        return diff;
    }
    for group in group_diff_ops(ops, CONTEXT) {
        diff.hunks.push(hunk(&group, &old_lines, &new_lines));
    }
    diff
}

/// Each line's number in `ids`, adding the lines not there yet.
fn intern<'a>(ids: &mut HashMap<&'a str, u32>, lines: &[&'a str]) -> Vec<u32> {
    lines
        .iter()
        .map(|&line| {
            let next = ids.len() as u32;
            *ids.entry(line).or_insert(next)
        })
        .collect()
}

fn hunk(ops: &[DiffOp], old: &[&str], new: &[&str]) -> Hunk {
    let (first, last) = (&ops[0], &ops[ops.len() - 1]);
    let old_range = first.old_range().start..last.old_range().end;
    let new_range = first.new_range().start..last.new_range().end;
    let mut lines = Vec::with_capacity(old_range.len().max(new_range.len()));
    for op in ops {
        let (o, n) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => {
                for (i, j) in o.zip(n) {
                    lines.push(line(LineKind::Context, Some(i), Some(j), old[i]));
                }
            }
            _ => {
                for i in o {
                    lines.push(line(LineKind::Deleted, Some(i), None, old[i]));
                }
                for j in n {
                    lines.push(line(LineKind::Inserted, None, Some(j), new[j]));
                }
            }
        }
    }
    // As `diff -u`: an empty range starts at the line before it.
    let start = |range: &std::ops::Range<usize>| {
        if range.is_empty() {
            range.start
        } else {
            range.start + 1
        }
    };
    Hunk {
        old_start: start(&old_range),
        old_len: old_range.len(),
        new_start: start(&new_range),
        new_len: new_range.len(),
        lines,
    }
}

fn line(kind: LineKind, old: Option<usize>, new: Option<usize>, text: &str) -> HunkLine {
    HunkLine {
        kind,
        old: old.map(|i| i + 1),
        new: new.map(|j| j + 1),
        text: text.to_owned(),
    }
}
