//! Where each pane goes. Pure arithmetic on the terminal size, so drawing and mouse
//! hit-testing agree without sharing state.

use ratatui::layout::{Constraint, Layout, Rect};

use super::app::Focus;

/// The smallest terminal the main screen is drawn in.
pub const MIN_SIZE: (u16, u16) = (100, 30);

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    pub connection: Rect,
    pub token: Rect,
    pub catalog: Rect,
    pub request: Rect,
    pub response: Rect,
    pub footer: Rect,
    pub too_small: bool,
}

impl Areas {
    pub fn pane(&self, focus: Focus) -> Rect {
        match focus {
            Focus::Connection => self.connection,
            Focus::Token => self.token,
            Focus::Catalog => self.catalog,
            Focus::Request => self.request,
            Focus::Response => self.response,
        }
    }

    fn pane_mut(&mut self, focus: Focus) -> &mut Rect {
        match focus {
            Focus::Connection => &mut self.connection,
            Focus::Token => &mut self.token,
            Focus::Catalog => &mut self.catalog,
            Focus::Request => &mut self.request,
            Focus::Response => &mut self.response,
        }
    }

    pub fn pane_at(&self, x: u16, y: u16) -> Option<Focus> {
        Focus::ORDER.into_iter().find(|f| {
            let r = self.pane(*f);
            x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
        })
    }
}

/// The layout for a terminal of `size`; `connection_rows` is the number of fields shown.
/// With `maximised`, that pane takes the whole screen between the title and the footer and
/// the others get no room (they are not drawn).
pub fn layout(size: (u16, u16), connection_rows: u16, maximised: Option<Focus>) -> Areas {
    let area = Rect::new(0, 0, size.0, size.1);
    if size.0 < MIN_SIZE.0 || size.1 < MIN_SIZE.1 {
        return Areas {
            too_small: true,
            ..Areas::default()
        };
    }
    let [title, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    if let Some(focus) = maximised {
        let mut areas = Areas {
            title,
            footer,
            ..Areas::default()
        };
        *areas.pane_mut(focus) = body;
        return areas;
    }
    let left_width = if size.0 >= 140 { 54 } else { 48 };
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_width), Constraint::Fill(1)]).areas(body);
    let [connection, token, catalog] = Layout::vertical([
        Constraint::Length(connection_rows + 2),
        Constraint::Length(10),
        Constraint::Fill(1),
    ])
    .areas(left);
    let request_height = (body.height / 3).max(11);
    let [request, response] =
        Layout::vertical([Constraint::Length(request_height), Constraint::Fill(1)]).areas(right);
    Areas {
        title,
        connection,
        token,
        catalog,
        request,
        response,
        footer,
        too_small: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_screen_and_hit_testing_agrees() {
        let a = layout((120, 40), 6, None);
        assert!(!a.too_small);
        assert_eq!(a.pane_at(0, 1), Some(Focus::Connection));
        assert_eq!(a.pane_at(119, 39 - 1), Some(Focus::Response));
        assert_eq!(a.pane_at(50, 2), Some(Focus::Request));
        assert_eq!(a.pane_at(0, 0), None);
        assert!(layout((99, 40), 6, None).too_small);
        assert!(layout((120, 29), 6, None).too_small);
    }

    #[test]
    fn a_maximised_pane_takes_the_screen_between_title_and_footer() {
        let a = layout((120, 40), 6, Some(Focus::Response));
        assert_eq!(a.response, Rect::new(0, 1, 120, 38));
        for f in [
            Focus::Connection,
            Focus::Token,
            Focus::Catalog,
            Focus::Request,
        ] {
            assert!(a.pane(f).is_empty(), "{f:?}");
        }
        assert_eq!(a.pane_at(0, 1), Some(Focus::Response));
        assert_eq!((a.title.height, a.footer.y), (1, 39));
    }
}
