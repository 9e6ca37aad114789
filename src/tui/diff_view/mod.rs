//! The diff of two responses, as a scrollable box: both titles, a summary line, then one row
//! per JSON difference (`~ .data[0].name  "Acme" → "Acme AB"`) or a unified diff with line
//! numbers and hunk headers for text. Only the rows on screen are drawn, so a diff of
//! thousands of rows costs the same per frame as a small one.
//!
//! The caller computes the [`Diff`] (`crate::diff::compare`, off the UI thread), builds the
//! view with [`DiffView::new`], passes it keymap commands ([`DiffView::command`], which
//! answers `false` for `Close`) and draws it with [`DiffView::render`].

mod rows;

#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph};

use crate::diff::{Diff, LineKind};
use crate::sanitize;
use crate::tui::keymap::Command;
use crate::tui::theme::Theme;

/// Columns one ScrollLeft/ScrollRight moves, as in the Response pane.
pub const SIDEWAYS: usize = 8;

/// One row of the view: where its content is in the [`Diff`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    /// `Diff::Json`'s change.
    Change(usize),
    /// A text hunk's header.
    Header(usize),
    /// A text hunk's line: (hunk, line).
    Line(usize, usize),
}

#[derive(Debug)]
pub struct DiffView {
    old_title: String,
    new_title: String,
    diff: Diff,
    rows: Vec<Row>,
    /// The rows the difference keys jump between (every change; the first line of each run
    /// of changed lines), ascending.
    marks: Vec<usize>,
    /// The first row shown.
    top: usize,
    /// Characters of each value (or line) scrolled off to the left.
    left: usize,
    /// The difference jumped to last, an index into `marks`.
    current: Option<usize>,
    /// Rows that fit, from the last render (1 before the first).
    page: usize,
}

impl DiffView {
    /// `old_title` and `new_title` name the two responses (e.g. `#12 GET /Invoices · legal
    /// entity Acme AB · 200 · 14:03:10`); they are sanitised here.
    pub fn new(old_title: String, new_title: String, diff: Diff) -> DiffView {
        let mut rows = Vec::new();
        let mut marks = Vec::new();
        match &diff {
            Diff::Identical(_) => {}
            Diff::Json(d) => {
                rows.extend((0..d.changes.len()).map(Row::Change));
                marks.extend(0..d.changes.len());
            }
            Diff::Text(d) => {
                for (h, hunk) in d.hunks.iter().enumerate() {
                    rows.push(Row::Header(h));
                    let mut before = LineKind::Context;
                    for (l, line) in hunk.lines.iter().enumerate() {
                        if line.kind != LineKind::Context && before == LineKind::Context {
                            marks.push(rows.len());
                        }
                        before = line.kind;
                        rows.push(Row::Line(h, l));
                    }
                }
            }
        }
        DiffView {
            old_title: sanitize::one_line(&old_title).into_owned(),
            new_title: sanitize::one_line(&new_title).into_owned(),
            diff,
            rows,
            marks,
            top: 0,
            left: 0,
            current: None,
            page: 1,
        }
    }

    pub fn diff(&self) -> &Diff {
        &self.diff
    }

    /// The first row shown and the characters scrolled off to the left.
    pub fn scroll(&self) -> (usize, usize) {
        (self.top, self.left)
    }

    /// The difference jumped to last (from 0) and how many there are.
    pub fn current_difference(&self) -> (Option<usize>, usize) {
        (self.current, self.marks.len())
    }

    /// How many rows the diff has (without the titles and the summary).
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// Act on a keymap command; `false` for `Close` (the caller closes the box). Commands
    /// the view has no use for are ignored.
    pub fn command(&mut self, command: Command) -> bool {
        let page = self.page.max(1);
        match command {
            Command::Close => return false,
            Command::ScrollUp => self.scroll_to(self.top.saturating_sub(1)),
            Command::ScrollDown => self.scroll_to(self.top + 1),
            Command::PageUp => self.scroll_to(self.top.saturating_sub(page)),
            Command::PageDown => self.scroll_to(self.top + page),
            Command::HalfPageUp => self.scroll_to(self.top.saturating_sub(page.div_ceil(2))),
            Command::HalfPageDown => self.scroll_to(self.top + page.div_ceil(2)),
            Command::Top => self.scroll_to(0),
            Command::Bottom => self.scroll_to(usize::MAX),
            Command::ScrollLeft => self.left = self.left.saturating_sub(SIDEWAYS),
            // While the longest value on screen has more than a step's worth beyond.
            Command::ScrollRight
                if self.left + SIDEWAYS < self.widest_shown().saturating_sub(SIDEWAYS) =>
            {
                self.left += SIDEWAYS;
            }
            Command::ScrollHome => self.left = 0,
            Command::FindNext => self.jump(true),
            Command::FindPrevious => self.jump(false),
            _ => {}
        }
        true
    }

    fn max_top(&self) -> usize {
        self.rows.len().saturating_sub(self.page.max(1))
    }

    fn scroll_to(&mut self, top: usize) {
        self.top = top.min(self.max_top());
    }

    /// The longest value or line on screen, in characters: how far right there is to see.
    fn widest_shown(&self) -> usize {
        let end = (self.top + self.page.max(1)).min(self.rows.len());
        self.rows[self.top.min(end)..end]
            .iter()
            .map(|&row| rows::content_chars(&self.diff, row))
            .max()
            .unwrap_or(0)
    }

    /// To the next (or previous) difference: after (before) the current one when it is on
    /// screen, else from the top (bottom) of the screen; brought on screen with the hunk's
    /// context above it. No wrapping: at the last one it stays.
    fn jump(&mut self, forward: bool) {
        let page = self.page.max(1);
        let shown = self.top..self.top + page;
        let current = self
            .current
            .map(|m| self.marks[m])
            .filter(|row| shown.contains(row));
        let found = if forward {
            let from = current.map_or(self.top, |row| row + 1);
            self.marks.partition_point(|&row| row < from)
        } else {
            let before = current.unwrap_or(self.top + page);
            match self.marks.partition_point(|&row| row < before) {
                0 => self.marks.len(),
                n => n - 1,
            }
        };
        let Some(&row) = self.marks.get(found) else {
            return;
        };
        self.current = Some(found);
        if !(self.top..self.top + page).contains(&row) {
            let context = match self.diff {
                Diff::Text(_) => crate::diff::CONTEXT + 1,
                _ => 0,
            };
            self.scroll_to(row.saturating_sub(context.min(page.saturating_sub(1))));
        }
    }

    /// Draw the whole box inside `area`: border, both titles, the summary, the rows shown.
    pub fn render(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        frame.render_widget(Clear, area);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.border(true))
            .title(Span::styled(" Diff ", theme.title()));
        let inner = block.inner(area);
        let width = usize::from(inner.width);
        let head = [
            title_line("-", "old", &self.old_title, width, theme.diff_removed()),
            title_line("+", "new", &self.new_title, width, theme.diff_added()),
            Line::styled(
                crate::sanitize::window(&self.diff.summary(), 0, width),
                theme.title(),
            ),
            Line::styled("─".repeat(width), theme.dim()),
        ];
        let head_height = head.len().min(usize::from(inner.height));
        self.page = (usize::from(inner.height) - head_height).max(1);
        self.scroll_to(self.top);

        let block = match self.footer() {
            Some(footer) => block.title_bottom(
                Line::styled(format!(" {footer} "), theme.dim()).alignment(Alignment::Right),
            ),
            None => block,
        };
        frame.render_widget(block, area);

        let end = (self.top + self.page).min(self.rows.len());
        let current = self.current.map(|m| self.marks[m]);
        let painter = rows::Painter::new(&self.diff, width, self.left, theme);
        let mut lines: Vec<Line> = head.into_iter().take(head_height).collect();
        for r in self.top..end {
            let line = painter.row(self.rows[r]);
            lines.push(if Some(r) == current {
                line.patch_style(theme.cursor_line())
            } else {
                line
            });
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// `rows 1–40 of 120 · difference 3 of 12`, or nothing when every row is shown.
    fn footer(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.rows.len() > self.page {
            let end = (self.top + self.page).min(self.rows.len());
            parts.push(format!(
                "rows {}–{end} of {}",
                self.top + 1,
                self.rows.len()
            ));
        }
        if let Some(m) = self.current {
            parts.push(format!("difference {} of {}", m + 1, self.marks.len()));
        }
        if self.left > 0 {
            parts.push(format!("column {}", self.left + 1));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// `- old  #12 GET /Invoices · …`, shortened to the width.
fn title_line(
    sign: &'static str,
    label: &'static str,
    title: &str,
    width: usize,
    style: ratatui::style::Style,
) -> Line<'static> {
    let lead = format!("{sign} {label}  ");
    let room = width.saturating_sub(lead.chars().count());
    Line::from(vec![
        Span::styled(lead, style),
        Span::raw(crate::sanitize::window(title, 0, room)),
    ])
}
