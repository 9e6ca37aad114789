//! Where each pane goes. Pure arithmetic on the terminal size and the focus, so drawing, mouse
//! hit-testing and focus cycling agree without sharing state.
//!
//! From [`FULL_SIZE`] up all five panes are drawn: Connection, Token and Endpoints on the left,
//! Request over Response on the right. Below it the Connection and Token panes fold into the
//! title bar (which shows the environment, legal entity, api-version, token state and
//! countdown) and are drawn only while focused (`1`, `2`: their keys stay reachable), in
//! the slot the endpoint list shares with them:
//!
//! - narrow (under 100 columns): one column. The top slot holds the focused one of
//!   Connection, Token, Endpoints and Request (the request while the response is focused),
//!   and the response gets the rest, the full width;
//! - wide but short (under 30 rows): the left column holds Endpoints (or Connection or Token
//!   while focused), Request over Response on the right.
//!
//! `Tab` cycles through [`Areas::cycle`]: the panes the layout draws, so focus never lands on
//! a pane that is not on screen.

use ratatui::layout::{Constraint, Layout, Rect};

use super::app::Focus;

/// The smallest terminal the main screen is drawn in. At 60 columns the request line
/// (method and a typical path) and a pretty-printed JSON line (`"key": "value"` at a few
/// levels of indent) still fit the full-width panes; at 20 rows the top slot keeps the
/// request's path, tabs and a few rows (or the eight connection fields) and the response
/// still shows its status line and several lines of body. Less than that is a screen of
/// borders.
pub const MIN_SIZE: (u16, u16) = (60, 20);

/// From this size up all five panes are drawn; below it Connection and Token fold into the
/// title bar.
pub const FULL_SIZE: (u16, u16) = (100, 30);

/// The panes `Tab` visits when Connection and Token are folded into the title bar.
const FOLDED_CYCLE: [Focus; 3] = [Focus::Catalog, Focus::Request, Focus::Response];

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
    /// Connection and Token are folded into the title bar (drawn only while focused).
    pub folded: bool,
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

    /// The pane drawn at column `x`, row `y` (panes not drawn have no area: never hit).
    pub fn pane_at(&self, x: u16, y: u16) -> Option<Focus> {
        Focus::ORDER.into_iter().find(|f| {
            let r = self.pane(*f);
            x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
        })
    }

    /// The panes `Tab` goes through, in order.
    pub fn cycle(&self) -> &'static [Focus] {
        if self.folded {
            &FOLDED_CYCLE
        } else {
            &Focus::ORDER
        }
    }

    /// The pane `by` steps from `focus` along [`Self::cycle`] (`1`: `Tab`, `-1`: `Shift-Tab`).
    /// From a folded pane (Connection, Token) the first step goes to the next pane of the
    /// cycle in [`Focus::ORDER`]'s direction.
    pub fn step(&self, focus: Focus, by: isize) -> Focus {
        let cycle = self.cycle();
        let mut at = focus;
        let mut left = by.unsigned_abs();
        let one = by.signum();
        // At most one full turn of ORDER per step finds the next pane of the cycle.
        while left > 0 {
            for _ in 0..Focus::ORDER.len() {
                at = at.step(one);
                if cycle.contains(&at) {
                    break;
                }
            }
            left -= 1;
        }
        at
    }
}

/// The layout for a terminal of `size` with `focus` on a pane; `connection_rows` is the
/// number of connection fields shown. With `maximised`, the focused pane takes the whole
/// screen between the title and the footer and the others get no room (they are not drawn).
pub fn layout(size: (u16, u16), connection_rows: u16, focus: Focus, maximised: bool) -> Areas {
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
    let folded = size.0 < FULL_SIZE.0 || size.1 < FULL_SIZE.1;
    let mut areas = Areas {
        title,
        footer,
        folded,
        ..Areas::default()
    };
    if maximised {
        *areas.pane_mut(focus) = body;
        return areas;
    }
    let left_width = if size.0 >= 140 { 54 } else { 48 };
    let request_height = |height: u16| (height / 3).clamp(9, 11);
    if !folded {
        let [left, right] =
            Layout::horizontal([Constraint::Length(left_width), Constraint::Fill(1)]).areas(body);
        let [connection, token, catalog] = Layout::vertical([
            Constraint::Length(connection_rows + 2),
            Constraint::Length(10),
            Constraint::Fill(1),
        ])
        .areas(left);
        let [request, response] = Layout::vertical([
            Constraint::Length((body.height / 3).max(11)),
            Constraint::Fill(1),
        ])
        .areas(right);
        return Areas {
            connection,
            token,
            catalog,
            request,
            response,
            ..areas
        };
    }
    // Connection and Token, when focused, take the endpoint list's place.
    let side = match focus {
        Focus::Connection | Focus::Token => focus,
        _ => Focus::Catalog,
    };
    if size.0 >= FULL_SIZE.0 {
        let [left, right] =
            Layout::horizontal([Constraint::Length(left_width), Constraint::Fill(1)]).areas(body);
        let [request, response] = Layout::vertical([
            Constraint::Length(request_height(right.height)),
            Constraint::Fill(1),
        ])
        .areas(right);
        *areas.pane_mut(side) = left;
        areas.request = request;
        areas.response = response;
        return areas;
    }
    let top = match focus {
        Focus::Response => Focus::Request,
        other => other,
    };
    let top_height = match top {
        Focus::Connection => connection_rows + 2,
        Focus::Token => 10,
        Focus::Catalog => body.height / 2,
        _ => request_height(body.height),
    };
    let [upper, response] =
        Layout::vertical([Constraint::Length(top_height), Constraint::Fill(1)]).areas(body);
    *areas.pane_mut(top) = upper;
    areas.response = response;
    areas
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_screen_and_hit_testing_agrees() {
        let a = layout((120, 40), 6, Focus::Catalog, false);
        assert!(!a.too_small && !a.folded);
        assert_eq!(a.pane_at(0, 1), Some(Focus::Connection));
        assert_eq!(a.pane_at(119, 39 - 1), Some(Focus::Response));
        assert_eq!(a.pane_at(50, 2), Some(Focus::Request));
        assert_eq!(a.pane_at(0, 0), None);
        assert!(layout((59, 40), 6, Focus::Catalog, false).too_small);
        assert!(layout((120, 19), 6, Focus::Catalog, false).too_small);
        assert!(!layout(MIN_SIZE, 6, Focus::Catalog, false).too_small);
    }

    #[test]
    fn a_maximised_pane_takes_the_screen_between_title_and_footer() {
        for size in [(120, 40), (80, 24)] {
            let a = layout(size, 6, Focus::Response, true);
            assert_eq!(a.response, Rect::new(0, 1, size.0, size.1 - 2));
            for f in [
                Focus::Connection,
                Focus::Token,
                Focus::Catalog,
                Focus::Request,
            ] {
                assert!(a.pane(f).is_empty(), "{f:?}");
            }
            assert_eq!(a.pane_at(0, 1), Some(Focus::Response));
            assert_eq!((a.title.height, a.footer.y), (1, size.1 - 1));
        }
    }

    /// Sizes from the minimum to large, the edges of each layout included.
    fn sizes() -> Vec<(u16, u16)> {
        let widths = [60, 61, 79, 80, 99, 100, 101, 139, 140, 200];
        let heights = [20, 21, 24, 29, 30, 31, 48, 60];
        widths
            .iter()
            .flat_map(|w| heights.iter().map(move |h| (*w, *h)))
            .collect()
    }

    #[test]
    fn every_pane_focus_can_reach_has_room_at_every_size() {
        for size in sizes() {
            for rows in [6, 7, 8] {
                for maximised in [false, true] {
                    // Tab's panes, and the folded ones the digit keys focus.
                    for focus in Focus::ORDER {
                        let a = layout(size, rows, focus, maximised);
                        let r = a.pane(focus);
                        assert!(
                            r.width >= 20 && r.height >= 5,
                            "{focus:?} at {size:?} ({rows} rows, maximised {maximised}): {r:?}"
                        );
                        for other in a.cycle() {
                            // Every pane Tab goes to is drawn once focused.
                            let b = layout(size, rows, *other, maximised);
                            assert!(!b.pane(*other).is_empty(), "{other:?} at {size:?}");
                        }
                        if !maximised {
                            assert!(a.response.height >= 7, "{focus:?} at {size:?}");
                        }
                        // Nothing drawn overlaps.
                        let drawn: Vec<Rect> = Focus::ORDER
                            .iter()
                            .map(|f| a.pane(*f))
                            .filter(|r| !r.is_empty())
                            .collect();
                        for (i, r) in drawn.iter().enumerate() {
                            assert!(drawn[i + 1..].iter().all(|o| !o.intersects(*r)));
                            assert!(r.bottom() < size.1 && r.right() <= size.0);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn folded_below_100_by_30_and_tab_skips_the_folded_panes() {
        assert!(!layout((100, 30), 6, Focus::Catalog, false).folded);
        for size in [(99, 30), (80, 24), (160, 29), (60, 20)] {
            let a = layout(size, 6, Focus::Catalog, false);
            assert!(a.folded, "{size:?}");
            assert!(a.connection.is_empty() && a.token.is_empty(), "{size:?}");
            assert_eq!(a.step(Focus::Catalog, 1), Focus::Request);
            assert_eq!(a.step(Focus::Response, 1), Focus::Catalog);
            assert_eq!(a.step(Focus::Catalog, -1), Focus::Response);
            assert_eq!(a.step(Focus::Connection, 1), Focus::Catalog);
            assert_eq!(a.step(Focus::Token, -1), Focus::Response);
            assert_eq!(a.step(Focus::Request, 2), Focus::Catalog);
        }
        let wide = layout((120, 40), 6, Focus::Catalog, false);
        assert_eq!(wide.step(Focus::Response, 1), Focus::Connection);
        assert_eq!(wide.step(Focus::Connection, -1), Focus::Response);
    }

    #[test]
    fn narrow_the_focused_pane_takes_the_top_slot_and_the_response_the_rest() {
        let at = |focus| layout((80, 24), 6, focus, false);
        let a = at(Focus::Response);
        assert_eq!(a.request, Rect::new(0, 1, 80, 9));
        assert_eq!(a.response, Rect::new(0, 10, 80, 13));
        assert!(a.catalog.is_empty());
        assert_eq!(a.pane_at(5, 12), Some(Focus::Response));
        assert_eq!(a.pane_at(5, 3), Some(Focus::Request));
        let c = at(Focus::Catalog);
        assert_eq!(c.catalog, Rect::new(0, 1, 80, 11));
        assert!(c.request.is_empty());
        let k = at(Focus::Connection);
        assert_eq!(k.connection, Rect::new(0, 1, 80, 8));
        assert!(k.catalog.is_empty() && k.request.is_empty());
        assert_eq!(at(Focus::Token).token.height, 10);
        // Wide but short: the endpoint list keeps its column.
        let w = layout((160, 24), 6, Focus::Response, false);
        assert_eq!(w.catalog, Rect::new(0, 1, 54, 22));
        assert_eq!(w.request, Rect::new(54, 1, 106, 9));
        assert_eq!(
            layout((160, 24), 6, Focus::Token, false).token,
            Rect::new(0, 1, 54, 22)
        );
    }
}
