//! The Headers table: the effective headers, automatic ones included. Editing an automatic
//! header's value overrides it, switching it off disables it, deleting the override makes it
//! automatic again; the user's own headers can be added, renamed and removed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::table::{Cell, Row, TableLines, edit_cell, edit_new_row, row_cells};
use super::{HeaderContext, RequestEvent, RequestPane, Rows};
use crate::tui::theme::Theme;
use crate::younium::request::{
    EffectiveHeader, HeaderOrigin, HeaderText, automatic_header, can_switch_off,
    effective_header_rows,
};
use crate::younium::{ApiRequest, Param};

/// One line of the Headers table: the header as it will be sent and the request's row behind
/// it (none for an automatic header the user has not touched).
pub(super) struct HeaderLine {
    pub header: EffectiveHeader,
    pub row: Row,
}

impl RequestPane {
    /// The headers the request will carry, one row each in the table.
    pub fn effective(&self, ctx: &HeaderContext<'_>) -> Vec<EffectiveHeader> {
        self.header_lines(ctx)
            .into_iter()
            .map(|l| l.header)
            .collect()
    }

    /// The table's lines with the rows behind them.
    pub(super) fn header_lines(&self, ctx: &HeaderContext<'_>) -> Vec<HeaderLine> {
        let req = self.build().unwrap_or_else(|_| ApiRequest {
            method: self.method,
            path: self.template.clone(),
            headers: self.headers.clone(),
            idempotency_key: self.post_idempotency_key(),
            ..Default::default()
        });
        let mut lines: Vec<HeaderLine> = effective_header_rows(&req, ctx.settings, ctx.token)
            .into_iter()
            .map(|(header, index)| {
                let row = match (index, automatic_header(&header.name)) {
                    (Some(i), _) => Row::Backed(i),
                    (None, Some(name)) => Row::AutoHeader(name),
                    (None, None) => unreachable!("only automatic headers have no row"),
                };
                HeaderLine { header, row }
            })
            .collect();
        if ctx.token.is_none() && req.uses_managed_token() {
            // Shown so the user sees it will be there once a token arrives.
            lines.insert(
                0,
                HeaderLine {
                    header: EffectiveHeader {
                        name: "Authorization".into(),
                        value: HeaderText::Plain("Bearer (token pending)".into()),
                        origin: HeaderOrigin::Automatic,
                    },
                    row: Row::AutoHeader("Authorization"),
                },
            );
        }
        lines
    }

    /// The table line at `index`, if there is one.
    pub(super) fn header_line(&self, index: usize, ctx: &HeaderContext<'_>) -> Option<HeaderLine> {
        self.header_lines(ctx).into_iter().nth(index)
    }

    pub(super) fn edit_header(
        &mut self,
        index: usize,
        cell: Cell,
        ctx: &HeaderContext<'_>,
    ) -> RequestEvent {
        let Some(HeaderLine { header: h, row }) = self.header_line(index, ctx) else {
            return RequestEvent::Ignored;
        };
        if cell == Cell::Name
            && !matches!(h.origin, HeaderOrigin::User | HeaderOrigin::UserDisabled)
        {
            self.message =
                Some("automatic header names are fixed; add your own header with a".into());
            return RequestEvent::Handled;
        }
        let initial = match (cell, &h.value) {
            (Cell::Name, _) => h.name.as_str(),
            // The value starts as the row shows it (a switched-off header's too: editing it
            // switches it on with that value); a secret starts empty so it is never copied
            // into an editor.
            (Cell::Value, HeaderText::Plain(v)) => v,
            (Cell::Value, _) => "",
        };
        self.editing = Some(edit_cell(row, cell, initial));
        RequestEvent::Handled
    }

    /// An edited name or value into the row it was typed for; a value typed for an automatic
    /// header overrides it.
    pub(super) fn commit_header(&mut self, row: Row, cell: Cell, text: String) {
        match (row, cell) {
            (Row::Backed(i), Cell::Name) => {
                if let Some(h) = self.headers.get_mut(i) {
                    h.name = text.trim().to_string();
                }
            }
            (Row::Backed(i), Cell::Value) => {
                if let Some(h) = self.headers.get_mut(i) {
                    h.value = text;
                    h.enabled = true;
                }
            }
            (Row::AutoHeader(name), Cell::Value) => self.headers.push(Param::new(name, text)),
            _ => {}
        }
    }

    /// A new header is listed last among the effective headers once it has a name.
    pub(super) fn add_header(&mut self) -> RequestEvent {
        let before = Rows::Headers(self.headers.clone());
        self.headers.push(Param::new("", ""));
        self.editing = Some(edit_new_row(Row::NewHeader, before));
        RequestEvent::Handled
    }

    /// Names the header being added, then goes on to its value; no name drops it. A header
    /// the app adds that has a row already (an override, a switch-off) gets no second row,
    /// which nothing would send: its line's value is edited instead.
    pub(super) fn name_new_header(&mut self, text: String, ctx: &HeaderContext<'_>) {
        let name = text.trim().to_string();
        let Some(new) = self.headers.len().checked_sub(1) else {
            return;
        };
        if name.is_empty() {
            self.headers.pop();
            return;
        }
        self.headers[new].name = name.clone();
        let mut lines = self.header_lines(ctx);
        let mut at = lines.iter().position(|l| l.row == Row::Backed(new));
        if at.is_none() {
            self.headers.pop();
            lines = self.header_lines(ctx);
            at = lines
                .iter()
                .position(|l| l.header.name.eq_ignore_ascii_case(&name));
        }
        let Some(at) = at else {
            return;
        };
        let initial = match &lines[at].header.value {
            HeaderText::Plain(v) if lines[at].row != Row::Backed(new) => v.clone(),
            _ => String::new(),
        };
        self.row = at + 1;
        self.editing = Some(edit_cell(lines[at].row, Cell::Value, &initial));
    }

    /// Space on a header line: the user's own header and an override switch off and on
    /// again as they were; an automatic header switched off and on again is automatic, so
    /// it follows the connection as before.
    pub(super) fn toggle_header(&mut self, index: usize, ctx: &HeaderContext<'_>) -> RequestEvent {
        let Some(HeaderLine { header: h, row }) = self.header_line(index, ctx) else {
            return RequestEvent::Ignored;
        };
        if h.is_sent() && !can_switch_off(&h.name) {
            self.message = Some(format!(
                "{} cannot be switched off: the HTTP client would send its own */*; e overrides it",
                h.name
            ));
            return RequestEvent::Handled;
        }
        match row {
            // Only the switch-off itself: nothing of the user's to bring back.
            Row::Backed(i)
                if h.origin == HeaderOrigin::Disabled && self.headers[i].value.is_empty() =>
            {
                self.headers.remove(i);
            }
            Row::Backed(i) => self.headers[i].enabled = !self.headers[i].enabled,
            Row::AutoHeader(name) => self.headers.push(Param {
                name: name.to_string(),
                value: String::new(),
                enabled: false,
            }),
            _ => return RequestEvent::Ignored,
        }
        RequestEvent::Handled
    }

    pub(super) fn delete_header(&mut self, index: usize, ctx: &HeaderContext<'_>) -> RequestEvent {
        let Some(HeaderLine { header: h, row }) = self.header_line(index, ctx) else {
            return RequestEvent::Ignored;
        };
        self.message = Some(match row {
            Row::Backed(i) => {
                self.headers.remove(i);
                match h.origin {
                    HeaderOrigin::User | HeaderOrigin::UserDisabled => {
                        format!("removed {}", h.name)
                    }
                    _ => format!("{} is automatic again", h.name),
                }
            }
            _ => "automatic header: space switches it off, e overrides it".into(),
        });
        RequestEvent::Handled
    }

    pub(super) fn render_headers(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        focused: bool,
        ctx: &HeaderContext<'_>,
        theme: &Theme,
    ) {
        let hs = self.header_lines(ctx);
        let name_width = hs
            .iter()
            .map(|l| l.header.name.len())
            .max()
            .unwrap_or(4)
            .clamp(4, 26);
        let mut lines = Vec::new();
        let mut edit_at = None;
        for (i, HeaderLine { header: h, row }) in hs.iter().enumerate() {
            let (mark, style) = match h.origin {
                HeaderOrigin::Automatic => ("auto", theme.dim()),
                HeaderOrigin::Overridden => ("over", theme.warn()),
                HeaderOrigin::Disabled | HeaderOrigin::UserDisabled => {
                    ("off ", theme.dim().add_modifier(Modifier::CROSSED_OUT))
                }
                HeaderOrigin::User => ("user", theme.text()),
            };
            if let Some(cell) = self.editing_cell(*row) {
                edit_at = Some((lines.len(), cell));
            }
            let value = Span::styled(h.value.display(false), style);
            let cells = row_cells(mark, &h.name, name_width, style, " : ", value, theme);
            lines.push(self.table_line(i, focused, cells, theme));
        }
        // A header being added has no effective row yet: edit it on an extra line.
        if let Some(cell) = self.editing_cell(Row::NewHeader) {
            edit_at = Some((lines.len(), cell));
            lines.push(Line::raw(""));
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

    use super::super::testing::{ctx, key, press, type_text};
    use super::*;

    #[test]
    fn header_overrides_through_the_table() {
        let mut pane = RequestPane::default();
        let (s, t) = ctx();
        let c = HeaderContext {
            settings: &s,
            token: t.as_ref(),
        };
        press(&mut pane, key(KeyCode::Char(']')), &c);
        let names: Vec<String> = pane.effective(&c).iter().map(|h| h.name.clone()).collect();
        let le = names.iter().position(|n| n == "legal-entity").unwrap();
        pane.row = le + 1;
        press(&mut pane, key(KeyCode::Char('e')), &c);
        for _ in 0..10 {
            press(&mut pane, key(KeyCode::Backspace), &c);
        }
        type_text(&mut pane, "Other", &c);
        let h = &pane.effective(&c)[le];
        assert_eq!(
            (h.origin, h.value.wire()),
            (HeaderOrigin::Overridden, "Other".to_string())
        );
        press(&mut pane, key(KeyCode::Char('d')), &c);
        assert_eq!(pane.effective(&c)[le].origin, HeaderOrigin::Automatic);
        press(&mut pane, key(KeyCode::Char(' ')), &c);
        assert_eq!(pane.effective(&c)[le].origin, HeaderOrigin::Disabled);
        assert_eq!(pane.build().unwrap().legal_entity_sent(&s), None);
    }
}

#[cfg(test)]
mod toggle_tests {
    use crossterm::event::KeyCode;

    use super::super::testing::{ctx, key, press, type_text};
    use super::*;
    use crate::younium::Method;
    use crate::younium::catalog::catalog;

    fn row_of(pane: &RequestPane, c: &HeaderContext<'_>, name: &str) -> usize {
        pane.effective(c)
            .iter()
            .position(|h| h.name == name)
            .unwrap()
            + 1
    }

    fn header(pane: &RequestPane, c: &HeaderContext<'_>, name: &str) -> (HeaderOrigin, String) {
        let h = pane
            .effective(c)
            .into_iter()
            .find(|h| h.name == name)
            .unwrap();
        (h.origin, h.value.wire())
    }

    /// Space twice gives back what was there: the automatic header (following the
    /// connection), an override with its value, the user's own header.
    #[test]
    fn off_and_on_again_gives_back_what_was_there() {
        let mut pane = RequestPane::default();
        let (s, t) = ctx();
        let c = HeaderContext {
            settings: &s,
            token: t.as_ref(),
        };
        press(&mut pane, key(KeyCode::Char(']')), &c);
        pane.row = row_of(&pane, &c, "api-version");
        press(&mut pane, key(KeyCode::Char(' ')), &c);
        assert_eq!(header(&pane, &c, "api-version").0, HeaderOrigin::Disabled);
        press(&mut pane, key(KeyCode::Char(' ')), &c);
        assert_eq!(
            header(&pane, &c, "api-version"),
            (HeaderOrigin::Automatic, "2.1".into())
        );
        assert!(pane.headers.is_empty(), "{:?}", pane.headers);

        // An override switched off shows the value it would bring back, and brings it back.
        press(&mut pane, key(KeyCode::Char('e')), &c);
        press(&mut pane, key(KeyCode::Backspace), &c);
        type_text(&mut pane, "0", &c);
        assert_eq!(
            header(&pane, &c, "api-version"),
            (HeaderOrigin::Overridden, "2.0".into())
        );
        press(&mut pane, key(KeyCode::Char(' ')), &c);
        assert_eq!(
            header(&pane, &c, "api-version"),
            (HeaderOrigin::Disabled, "2.0".into())
        );
        press(&mut pane, key(KeyCode::Char(' ')), &c);
        assert_eq!(
            header(&pane, &c, "api-version"),
            (HeaderOrigin::Overridden, "2.0".into())
        );

        // The user's own header stays in the table while off, and comes back on.
        press(&mut pane, key(KeyCode::Char('a')), &c);
        type_text(&mut pane, "X-Trace", &c);
        type_text(&mut pane, "t-1", &c);
        pane.row = row_of(&pane, &c, "X-Trace");
        press(&mut pane, key(KeyCode::Char(' ')), &c);
        assert_eq!(
            header(&pane, &c, "X-Trace"),
            (HeaderOrigin::UserDisabled, "t-1".into())
        );
        assert!(
            !pane
                .build()
                .unwrap()
                .headers
                .iter()
                .any(|h| h.enabled && h.name == "X-Trace")
        );
        press(&mut pane, key(KeyCode::Char(' ')), &c);
        assert_eq!(
            header(&pane, &c, "X-Trace"),
            (HeaderOrigin::User, "t-1".into())
        );
    }

    /// Loading an operation starts a new request: no header row, path parameter or query of
    /// the one before it comes along.
    #[test]
    fn a_loaded_operation_starts_from_its_own_rows() {
        let mut pane = RequestPane::default();
        let (s, t) = ctx();
        let c = HeaderContext {
            settings: &s,
            token: t.as_ref(),
        };
        pane.load(catalog().find(Method::Get, "/Accounts/x").unwrap());
        pane.path_params[0].value = "A-1".into();
        press(&mut pane, key(KeyCode::Char(']')), &c);
        pane.row = row_of(&pane, &c, "Content-Type");
        press(&mut pane, key(KeyCode::Char(' ')), &c);
        assert_eq!(header(&pane, &c, "Content-Type").0, HeaderOrigin::Disabled);
        pane.load(catalog().find(Method::Post, "/Accounts").unwrap());
        assert_eq!(
            header(&pane, &c, "Content-Type"),
            (HeaderOrigin::Automatic, "application/json".into())
        );
        assert!(pane.headers.is_empty());
        pane.load(catalog().find(Method::Get, "/Accounts/x/Invoices").unwrap());
        assert_eq!(pane.path_params, [Param::new("id", "")]);
    }
}
