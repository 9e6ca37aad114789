//! What the two tables (Params and Headers) share: which row and cell is being edited, and
//! drawing rows of `mark name separator value` with the editor over the cell being edited.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Editing, HeaderContext, RequestPane, Rows};
use crate::tui::input::LineInput;
use crate::tui::theme::Theme;

/// Which cell of a table row is being edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cell {
    Name,
    Value,
}

/// The table row being edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Row {
    /// A row of the Params table: the path parameters, then the query parameters.
    Param(usize),
    /// A header line backed by the request's header row with this index (an override, a
    /// switch-off, the user's own): held by index, so a line that moves (a token arrives)
    /// never sends an edit to another row.
    Backed(usize),
    /// An automatic header with no row of the request behind it yet.
    AutoHeader(&'static str),
    /// A header being added: without a name it is not among the effective headers yet.
    NewHeader,
}

/// Width of the mark column (`path `, `[x] `, `auto `…).
const MARK_WIDTH: u16 = 5;

/// A table's lines, ready to draw.
pub(super) struct TableLines {
    pub lines: Vec<Line<'static>>,
    /// The line and cell being edited, where the editor is drawn.
    pub edit_at: Option<(usize, Cell)>,
    /// Width of the name column.
    pub name_width: usize,
}

/// Starts editing a cell with `initial` text.
pub(super) fn edit_cell(row: Row, cell: Cell, initial: &str) -> Editing {
    Editing::Table {
        row,
        cell,
        input: LineInput::new(initial, false),
        before: None,
    }
}

/// Starts naming a row just added; `before` are the rows without it, for `Esc`.
pub(super) fn edit_new_row(row: Row, before: Rows) -> Editing {
    Editing::Table {
        row,
        cell: Cell::Name,
        input: LineInput::new("", false),
        before: Some(before),
    }
}

impl RequestPane {
    /// Applies an edited cell's text to the row it belongs to.
    pub(super) fn commit_cell(
        &mut self,
        row: Row,
        cell: Cell,
        text: String,
        ctx: &HeaderContext<'_>,
    ) {
        match row {
            Row::Param(i) => self.commit_param(i, cell, text),
            Row::Backed(_) | Row::AutoHeader(_) => self.commit_header(row, cell, text),
            Row::NewHeader => self.name_new_header(text, ctx),
        }
    }

    /// The cell of `row` being edited, if any.
    pub(super) fn editing_cell(&self, row: Row) -> Option<Cell> {
        match &self.editing {
            Some(Editing::Table { row: r, cell, .. }) if *r == row => Some(*cell),
            _ => None,
        }
    }

    /// A row's line, highlighted when it is the selected row.
    pub(super) fn table_line(
        &self,
        index: usize,
        focused: bool,
        cells: Vec<Span<'static>>,
        theme: &Theme,
    ) -> Line<'static> {
        let line = Line::from(cells);
        if focused && self.row == index + 1 {
            line.style(theme.selected())
        } else {
            line
        }
    }

    /// Draws the lines that fit, scrolled to keep the selected row visible, and the editor
    /// over the cell being edited.
    pub(super) fn render_table(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        table: TableLines,
        theme: &Theme,
    ) {
        let visible = area.height as usize;
        let selected = self.row.saturating_sub(1);
        let skip = (selected + 1).saturating_sub(visible);
        let shown: Vec<Line<'static>> = table.lines.into_iter().skip(skip).take(visible).collect();
        frame.render_widget(Paragraph::new(shown), area);
        let (Some((line, cell)), Some(Editing::Table { input, .. })) =
            (table.edit_at, &self.editing)
        else {
            return;
        };
        let Some(y) = line.checked_sub(skip).filter(|l| *l < visible) else {
            return;
        };
        let x = match cell {
            Cell::Name => MARK_WIDTH,
            Cell::Value => MARK_WIDTH + table.name_width as u16 + 3,
        };
        let rect = Rect {
            x: area.x + x,
            y: area.y + y as u16,
            width: area.width.saturating_sub(x),
            height: 1,
        };
        input.render(frame, rect, theme);
    }
}

/// The cells of a table row: a marker, the name padded to `width`, a separator, the value.
pub(super) fn row_cells(
    mark: &str,
    name: &str,
    width: usize,
    name_style: Style,
    separator: &'static str,
    value: Span<'static>,
    theme: &Theme,
) -> Vec<Span<'static>> {
    vec![
        Span::styled(format!("{mark} "), theme.dim()),
        Span::styled(format!("{name:<width$}"), name_style),
        Span::styled(separator, theme.dim()),
        value,
    ]
}
