//! The Params table: the path parameters (always sent, named by the path), then the query
//! parameters, which can be added, renamed, switched off and deleted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::table::{Cell, Row, TableLines, edit_cell, edit_new_row, row_cells};
use super::{RequestEvent, RequestPane, Rows};
use crate::tui::theme::Theme;
use crate::younium::Param;

impl RequestPane {
    /// The parameter in table row `row`: a path parameter, or a query parameter after them.
    pub(super) fn param_row(&self, row: usize) -> Option<&Param> {
        match row.checked_sub(self.path_params.len()) {
            None => self.path_params.get(row),
            Some(q) => self.query.get(q),
        }
    }

    fn param_row_mut(&mut self, row: usize) -> Option<&mut Param> {
        match row.checked_sub(self.path_params.len()) {
            None => self.path_params.get_mut(row),
            Some(q) => self.query.get_mut(q),
        }
    }

    pub(super) fn edit_param(&mut self, row: usize, cell: Cell) -> RequestEvent {
        let Some(p) = self.param_row(row) else {
            return RequestEvent::Ignored;
        };
        if row < self.path_params.len() && cell == Cell::Name {
            self.message =
                Some("path parameter names come from the path; edit the path instead".into());
            return RequestEvent::Handled;
        }
        let initial = match cell {
            Cell::Name => &p.name,
            Cell::Value => &p.value,
        };
        self.editing = Some(edit_cell(Row::Param(row), cell, initial));
        RequestEvent::Handled
    }

    pub(super) fn commit_param(&mut self, row: usize, cell: Cell, text: String) {
        let n = self.path_params.len();
        if row >= n
            && cell == Cell::Name
            && text.trim().is_empty()
            && self.query.get(row - n).is_some_and(|p| p.value.is_empty())
        {
            self.query.remove(row - n);
            self.row = self.row.min(n + self.query.len());
            return;
        }
        let Some(p) = self.param_row_mut(row) else {
            return;
        };
        match cell {
            Cell::Name => {
                p.name = text.trim().to_string();
                if p.value.is_empty() {
                    // A new row: go straight on to its value.
                    self.editing = Some(edit_cell(Row::Param(row), Cell::Value, ""));
                }
            }
            Cell::Value => {
                p.value = text;
                p.enabled = true;
            }
        }
    }

    pub(super) fn add_query_row(&mut self) -> RequestEvent {
        let before = Rows::Query(self.query.clone());
        self.query.push(Param::new("", ""));
        let row = self.path_params.len() + self.query.len() - 1;
        self.row = row + 1;
        self.editing = Some(edit_new_row(Row::Param(row), before));
        RequestEvent::Handled
    }

    pub(super) fn toggle_param(&mut self, row: usize) -> RequestEvent {
        let n = self.path_params.len();
        if row < n {
            self.message = Some("path parameters are always sent".into());
        } else if let Some(p) = self.query.get_mut(row - n) {
            p.enabled = !p.enabled;
        }
        RequestEvent::Handled
    }

    pub(super) fn delete_param(&mut self, row: usize) -> RequestEvent {
        let n = self.path_params.len();
        if row < n {
            self.message =
                Some("path parameters come from the path; edit the path to remove one".into());
        } else if row - n < self.query.len() {
            self.query.remove(row - n);
            self.row = self.row.min(n + self.query.len()).max(1);
        }
        RequestEvent::Handled
    }

    pub(super) fn render_params(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        focused: bool,
        theme: &Theme,
    ) {
        let mut lines = Vec::new();
        let name_width = self
            .path_params
            .iter()
            .chain(&self.query)
            .map(|p| p.name.len())
            .max()
            .unwrap_or(4)
            .clamp(4, 24);
        let mut edit_at = None;
        for (i, p) in self.path_params.iter().chain(&self.query).enumerate() {
            let is_path = i < self.path_params.len();
            let mark = if is_path {
                "path"
            } else if p.enabled {
                "[x] "
            } else {
                "[ ] "
            };
            let value = if p.value.is_empty() && is_path {
                Span::styled("(required)", theme.warn())
            } else {
                Span::raw(p.value.clone())
            };
            let name_style = if p.enabled {
                theme.label()
            } else {
                theme.dim().add_modifier(Modifier::CROSSED_OUT)
            };
            if let Some(cell) = self.editing_cell(Row::Param(i)) {
                edit_at = Some((lines.len(), cell));
            }
            let cells = row_cells(mark, &p.name, name_width, name_style, " = ", value, theme);
            lines.push(self.table_line(i, focused, cells, theme));
        }
        if lines.is_empty() {
            lines.push(Line::styled(
                "No parameters. a adds a query parameter.",
                theme.dim(),
            ));
        }
        let table = TableLines {
            lines,
            edit_at,
            name_width,
        };
        self.render_table(frame, area, table, theme);
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::super::HeaderContext;
    use super::super::testing::{ctx, key, press, type_text};
    use super::*;
    use crate::younium::request::HeaderOrigin;

    #[test]
    fn query_rows_add_toggle_delete() {
        let mut pane = RequestPane::default();
        let (s, t) = ctx();
        let c = HeaderContext {
            settings: &s,
            token: t.as_ref(),
        };
        press(&mut pane, key(KeyCode::Char('a')), &c);
        type_text(&mut pane, "Filter", &c);
        type_text(&mut pane, "name eq 'x'", &c);
        assert_eq!(pane.query[2], Param::new("Filter", "name eq 'x'"));
        press(&mut pane, key(KeyCode::Char(' ')), &c);
        assert!(!pane.query[2].enabled);
        press(&mut pane, key(KeyCode::Char('d')), &c);
        assert_eq!(pane.query.len(), 2);
        press(&mut pane, key(KeyCode::Char(']')), &c);
        press(&mut pane, key(KeyCode::Char('a')), &c);
        type_text(&mut pane, "X-Debug", &c);
        type_text(&mut pane, "1", &c);
        assert_eq!(pane.headers, [Param::new("X-Debug", "1")]);
        let last = pane.effective(&c).pop().unwrap();
        assert_eq!(
            (last.name.as_str(), last.origin),
            ("X-Debug", HeaderOrigin::User)
        );
    }
}
