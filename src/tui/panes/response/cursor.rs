//! The Body tab's cursor line, its folds and its JSON path. The body is seen through its folds
//! as rows; the cursor is a line of the document (so it stays on its line when folds above it
//! change), the view's `scroll` is a row. j/k move the cursor and the view follows; the page
//! keys move both.

use std::cell::{RefCell, RefMut};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::pretty::fold::Folds;
use crate::pretty::highlight::{FoldEnd, Row};
use crate::pretty::path::{JsonPath, container_of, path_of};
use crate::pretty::{Document, thousands};
use crate::tui::keymap::{Command, Keymap, Scope};
use crate::tui::theme::Theme;
use crate::younium::catalog::Operation;

use super::schema::{FieldType, field_type};
use super::{ResponsePane, ResponseTab};
use crate::sanitize::window;

/// How the shown document is looked at: its folds and the cursor's line.
#[derive(Clone, Debug, Default)]
pub struct BodyView {
    pub folds: Folds,
    pub cursor: usize,
    /// What is known of the cursor's line, worked out once for each line and document.
    facts: RefCell<Option<Box<LineFacts>>>,
}

/// The cursor line's path, and the type a response schema gives it once asked for.
#[derive(Clone, Debug)]
pub(super) struct LineFacts {
    key: PathKey,
    path: Option<JsonPath>,
    text: Option<String>,
    /// The type, for the operation at this address.
    pub(super) field: Option<(usize, Option<FieldType>)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PathKey {
    doc: usize,
    line: usize,
}

impl BodyView {
    /// The cursor's JSON path as jq writes it (`.data[3].name`); `None` for a text body.
    pub fn path(&self, doc: &Document) -> Option<String> {
        self.facts(doc).text.clone()
    }

    /// The type `operation`'s response schema gives the cursor's field ([`field_type`]).
    pub fn field_type(&self, doc: &Document, operation: &'static Operation) -> Option<FieldType> {
        let op = std::ptr::from_ref(operation) as usize;
        let mut facts = self.facts(doc);
        match &facts.field {
            Some((cached, field)) if *cached == op => field.clone(),
            _ => {
                let records = doc.body().iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
                let field = facts
                    .path
                    .as_ref()
                    .and_then(|p| field_type(operation, p, records));
                facts.field = Some((op, field.clone()));
                field
            }
        }
    }

    /// The facts of the cursor's line (the cache, filled with its path when it held another
    /// line's facts).
    fn facts(&self, doc: &Document) -> RefMut<'_, LineFacts> {
        let key = PathKey {
            doc: std::ptr::from_ref(doc) as usize,
            line: self.cursor,
        };
        let mut cache = self.facts.borrow_mut();
        if cache.as_ref().is_none_or(|f| f.key != key) {
            let path = path_of(doc, self.cursor);
            let text = path.as_ref().map(JsonPath::to_string);
            *cache = Some(Box::new(LineFacts {
                key,
                path,
                text,
                field: None,
            }));
        }
        RefMut::map(cache, |c| &mut **c.as_mut().expect("filled above"))
    }

    /// The cached facts, for tests.
    #[cfg(test)]
    pub(super) fn cached(&self) -> Option<LineFacts> {
        self.facts.borrow().as_deref().cloned()
    }
}

impl ResponsePane {
    /// The Body tab shows a document: keys move the cursor over its rows.
    pub(super) fn on_body(&self) -> bool {
        self.tab == ResponseTab::Body && self.doc().is_some()
    }

    /// Rows of the Body tab (lines less what folds hide).
    pub(super) fn body_rows(&self) -> usize {
        self.doc().map_or(0, |d| self.view.folds.rows(&d))
    }

    pub fn cursor_row(&self) -> usize {
        self.view.folds.row_of_line(self.view.cursor)
    }

    /// Moves the cursor `rows` rows, and with `view_too` the view as well (the page keys);
    /// in the other tabs, scrolls. The view then follows the cursor.
    pub(super) fn step(&mut self, rows: isize, view_too: bool) {
        if !self.on_body() {
            self.scroll_by(rows);
            return;
        }
        let last = self.body_rows().saturating_sub(1);
        let row = self.cursor_row().saturating_add_signed(rows).min(last);
        self.view.cursor = self.view.folds.line_of_row(row);
        if view_too {
            self.scroll_by(rows);
        }
        self.follow();
    }

    /// Scrolls just enough for the cursor's row to be in view.
    pub(super) fn follow(&mut self) {
        let row = self.cursor_row();
        let height = self.viewport.max(1);
        if row < self.scroll {
            self.scroll = row;
        } else if row >= self.scroll + height {
            self.scroll = row + 1 - height;
        }
    }

    /// Puts the cursor on `line`, unfolding what hides it, and the line in the middle of the
    /// view (a match of the search).
    pub(super) fn show_line(&mut self, line: usize) {
        if let Some(doc) = self.doc() {
            self.view.folds.reveal(&doc, line);
            self.view.cursor = line.min(doc.line_count().saturating_sub(1));
        }
    }

    /// `za` / Enter: folds the container the cursor's line opens, or unfolds it; on any
    /// other line, folds the container the line is in (the cursor goes to its first line).
    pub(super) fn toggle_fold(&mut self) {
        let Some(doc) = self.doc().filter(|_| self.tab == ResponseTab::Body) else {
            return;
        };
        let line = self.view.cursor;
        // A line that opens a container folds (or unfolds) it; any other, the one it is in.
        if !self.view.folds.toggle(&doc, line)
            && let Some(open) = container_of(&doc, line)
        {
            self.view.folds.toggle(&doc, open);
            self.view.cursor = open;
        }
        self.keep_in_place();
    }

    /// `zM`: every container below the top level folded; the cursor goes to the row its
    /// line folds into.
    pub(super) fn fold_all(&mut self) {
        let Some(doc) = self.doc().filter(|_| self.tab == ResponseTab::Body) else {
            return;
        };
        self.view.folds.fold_all(&doc);
        self.view.cursor = self.view.folds.line_of_row(self.cursor_row());
        self.keep_in_place();
    }

    /// `zR`: nothing folded.
    pub(super) fn unfold_all(&mut self) {
        if self.tab == ResponseTab::Body {
            self.view.folds.unfold_all();
            self.keep_in_place();
        }
    }

    /// After folds changed: the view stays within the rows and keeps the cursor in sight.
    fn keep_in_place(&mut self) {
        self.scroll = self.scroll.min(self.body_rows().saturating_sub(1));
        self.follow();
    }

    /// The line under the body: the cursor's JSON path and where it is; after the fold prefix,
    /// the keys that may follow.
    pub(super) fn render_path_line(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        theme: &Theme,
        keymap: &Keymap,
    ) {
        let Some(doc) = self.doc().filter(|_| area.height > 0) else {
            return;
        };
        let key = |c| keymap.hint_in(Scope::Fold, c);
        let line = if self.awaiting_fold {
            let prefix = keymap.hint_in(Scope::Response, Command::FoldPrefix);
            Line::from(vec![
                Span::styled(format!("{prefix}… "), theme.key()),
                Span::styled(
                    format!(
                        "{} fold/unfold · {} fold all · {} unfold all",
                        key(Command::ToggleFold),
                        key(Command::FoldAll),
                        key(Command::UnfoldAll)
                    ),
                    theme.dim(),
                ),
            ])
        } else {
            let place = format!(
                "line {} of {}",
                thousands(self.view.cursor as u64 + 1),
                thousands(doc.line_count() as u64)
            );
            let copy = keymap.hint_in(Scope::Response, Command::CopyPath);
            let field = self.cursor_field_type();
            path_line(
                self.view.path(&doc),
                field.as_ref(),
                &format!("  ({copy} copies)  "),
                place,
                area.width as usize,
                theme,
            )
        };
        frame.render_widget(Paragraph::new(line), area);
    }

    /// The cursor's JSON path, for `Y`.
    pub fn cursor_path(&self) -> Option<String> {
        self.doc()
            .filter(|_| self.tab == ResponseTab::Body)
            .and_then(|doc| self.view.path(&doc))
    }

    /// The rows `start..start + height` of the Body tab, for the highlighter.
    pub(super) fn rows_from(&self, doc: &Document, start: usize, height: usize) -> Vec<Row> {
        let end = (start + height).min(self.view.folds.rows(doc));
        (start..end)
            .map(|row| {
                let folds = &self.view.folds;
                Row {
                    line: folds.line_of_row(row),
                    fold: folds.fold_at_row(row).map(|f| FoldEnd {
                        close: f.close,
                        summary: f.summary(),
                    }),
                }
            })
            .collect()
    }
}

/// The path line: the path, the field's type from the schema (cut to what is left), the copy
/// hint and where the cursor is. The hint gives way to a type it would cut.
pub(super) fn path_line(
    path: Option<String>,
    field: Option<&FieldType>,
    hint: &str,
    place: String,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    /// Fewer columns than this for the type and it is left out.
    const MIN_TYPE: usize = 12;
    let Some(path) = path else {
        return Line::styled(place, theme.dim());
    };
    // The path, `: `, the type, the hint, the place.
    let fixed = path.width() + 2 + place.width();
    let with_hint = width.saturating_sub(fixed + hint.width());
    let (hint, room) = match field {
        Some(f) if with_hint < f.text().width() => ("  ", width.saturating_sub(fixed + 2)),
        _ => (hint, with_hint),
    };
    let mut spans = vec![Span::styled(path, theme.key())];
    if let Some(field) = field.filter(|f| room >= MIN_TYPE.min(f.text().width())) {
        spans.push(Span::styled(
            format!(": {}", window(field.text(), 0, room)),
            theme.dim(),
        ));
    }
    spans.push(Span::styled(hint.to_string(), theme.dim()));
    spans.push(Span::styled(place, theme.dim()));
    Line::from(spans)
}
