//! One row of the diff view as a styled line, cut to the width: every character from the
//! server goes through `sanitize::cell` (one column each, so the cutting stays right).

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::Row;
use crate::diff::{ChangeKind, Diff, LineKind};
use crate::sanitize::{MORE, columns, safe, window};
use crate::tui::theme::Theme;

/// Between the old and the new value of a change.
const ARROW: &str = " → ";

/// How many columns `window(text, skip, ..)` needs to show all of it, counted only up to `cap`.
fn needed(text: &str, skip: usize, cap: usize) -> usize {
    let mut total = usize::from(skip > 0);
    for c in text.chars().skip(skip) {
        total += columns(safe(c));
        if total > cap {
            break;
        }
    }
    total
}

/// The characters of a row's scrollable part (its values, or its line), for the sideways bound.
pub(super) fn content_chars(diff: &Diff, row: Row) -> usize {
    match (diff, row) {
        (Diff::Json(d), Row::Change(i)) => match &d.changes[i].kind {
            ChangeKind::Added(v) | ChangeKind::Removed(v) => v.chars().count(),
            ChangeKind::Changed { old, new } => old.chars().count().max(new.chars().count()),
        },
        (Diff::Text(d), Row::Line(h, l)) => d.hunks[h].lines[l].text.chars().count(),
        _ => 0,
    }
}

pub(super) struct Painter<'a> {
    diff: &'a Diff,
    width: usize,
    left: usize,
    theme: &'a Theme,
    /// Digits of the largest line number (text diffs).
    digits: usize,
}

impl<'a> Painter<'a> {
    pub(super) fn new(diff: &'a Diff, width: usize, left: usize, theme: &'a Theme) -> Self {
        let digits = match diff {
            Diff::Text(d) => d
                .hunks
                .last()
                .map(|h| (h.old_start + h.old_len).max(h.new_start + h.new_len))
                .unwrap_or(1)
                .to_string()
                .len(),
            _ => 1,
        };
        Painter {
            diff,
            width,
            left,
            theme,
            digits,
        }
    }

    pub(super) fn row(&self, row: Row) -> Line<'static> {
        match (self.diff, row) {
            (Diff::Json(d), Row::Change(i)) => {
                self.change(&d.changes[i].path.to_string(), &d.changes[i].kind)
            }
            (Diff::Text(d), Row::Header(h)) => Line::styled(
                window(&d.hunks[h].header(), 0, self.width),
                self.theme.label(),
            ),
            (Diff::Text(d), Row::Line(h, l)) => {
                let line = &d.hunks[h].lines[l];
                self.text_line(line.kind, line.old, line.new, &line.text)
            }
            _ => Line::default(),
        }
    }

    /// `~ .data[0].name  "Acme" → "Acme AB"`: the path whole up to half the width (longer:
    /// its end, after `…`), then the value(s) in the rest.
    fn change(&self, path: &str, kind: &ChangeKind) -> Line<'static> {
        let t = self.theme;
        let (sign, sign_style) = match kind {
            ChangeKind::Added(_) => ("+ ", t.diff_added()),
            ChangeKind::Removed(_) => ("- ", t.diff_removed()),
            ChangeKind::Changed { .. } => ("~ ", t.diff_changed()),
        };
        let mut spans = vec![Span::styled(sign, sign_style.add_modifier(Modifier::BOLD))];
        let after_sign = self.width.saturating_sub(2);
        let path_room = (after_sign / 2).max(1);
        let path_text = tail(path, path_room);
        let used = 2 + path_text.chars().map(columns).sum::<usize>() + 2;
        spans.push(Span::styled(path_text, t.label()));
        spans.push(Span::raw("  "));
        let room = self.width.saturating_sub(used);
        match kind {
            ChangeKind::Added(v) => {
                spans.push(Span::styled(window(v, self.left, room), t.diff_added()))
            }
            ChangeKind::Removed(v) => {
                spans.push(Span::styled(window(v, self.left, room), t.diff_removed()))
            }
            ChangeKind::Changed { old, new } => {
                let room = room.saturating_sub(ARROW.chars().count());
                let (wo, wn) = split(
                    needed(old, self.left, room),
                    needed(new, self.left, room),
                    room,
                );
                spans.push(Span::styled(window(old, self.left, wo), t.diff_removed()));
                spans.push(Span::styled(ARROW, t.dim()));
                spans.push(Span::styled(window(new, self.left, wn), t.diff_added()));
            }
        }
        Line::from(spans)
    }

    /// ` 12  13 - text`: both line numbers, the sign, the line (scrolled sideways).
    fn text_line(
        &self,
        kind: LineKind,
        old: Option<usize>,
        new: Option<usize>,
        text: &str,
    ) -> Line<'static> {
        let t = self.theme;
        let number = |n: Option<usize>| match n {
            Some(n) => format!("{n:>w$}", w = self.digits),
            None => " ".repeat(self.digits),
        };
        let (sign, style) = match kind {
            LineKind::Context => (' ', t.text()),
            LineKind::Deleted => ('-', t.diff_removed()),
            LineKind::Inserted => ('+', t.diff_added()),
        };
        let lead = format!("{} {} ", number(old), number(new));
        let room = self.width.saturating_sub(lead.chars().count() + 2);
        Line::from(vec![
            Span::styled(lead, t.dim()),
            Span::styled(format!("{sign} "), style),
            Span::styled(window(text, self.left, room), style),
        ])
    }
}

/// The end of `text` in at most `width` columns, `…` first when cut.
fn tail(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(|c| columns(safe(c))).sum();
    if total <= width {
        return text.chars().map(safe).collect();
    }
    let mut room = width.saturating_sub(1);
    let mut kept: Vec<char> = Vec::new();
    for c in text.chars().rev().map(safe) {
        let w = columns(c);
        if w > room {
            break;
        }
        room -= w;
        kept.push(c);
    }
    let mut out = String::from(MORE);
    out.extend(kept.into_iter().rev());
    out
}

/// Columns for the old and the new value of a change in `room`: each whole if both fit, else
/// the shorter whole if it takes no more than half, else half each.
fn split(old: usize, new: usize, room: usize) -> (usize, usize) {
    if old + new <= room {
        return (old, new);
    }
    let half = room / 2;
    if old <= half {
        (old, room - old)
    } else if new <= half {
        (room - new, new)
    } else {
        (half, room - half)
    }
}
