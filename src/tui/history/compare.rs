//! Comparing two answers: the one on screen with the previous answer to the same method and
//! path (`=` in the Response pane), or two history entries (`m` then `=` in the history box).
//! The bodies are read and compared off the UI thread; the box shows "Comparing…" meanwhile.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{CompareSide, HistoryAccess, HistoryJob};
use crate::tui::app::{App, Effect, Overlay};
use crate::tui::diff_view::DiffView;
use crate::tui::keymap::{Command, Scope};
use crate::tui::panes::overlays::{centered, frame_block};
use crate::tui::theme::Theme;

/// The comparison box's state.
#[derive(Debug)]
pub struct Comparison {
    pub id: u64,
    /// `None` while the bodies are read and compared.
    pub view: Option<Box<DiffView>>,
    pub error: Option<String>,
}

impl App {
    /// Starts comparing `old` with `new`; returns the box that shows the result.
    pub(crate) fn start_compare(
        &mut self,
        old: CompareSide,
        new: CompareSide,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        if !matches!(self.history, HistoryAccess::On(_)) {
            return self.open_history(effects);
        }
        self.next_id += 1;
        let id = self.next_id;
        effects.push(Effect::History(HistoryJob::Compare { id, old, new }));
        Some(Overlay::Compare(Box::new(Comparison {
            id,
            view: None,
            error: None,
        })))
    }

    /// `=` in the Response pane: the answer on screen against the previous answer to the same
    /// call (method, path and query: another page is another call).
    pub(crate) fn compare_shown(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        let Some(shown) = self.response.shown() else {
            self.status = Some("Nothing to compare: send a request first.".into());
            return None;
        };
        let title =
            super::view::exchange_title(None, &shown.request, &shown.response, &self.tz, self.now);
        let old = CompareSide::PreviousOf {
            call: crate::history::SameCall::of(&shown.request),
            before: shown.response.sent.sent_at,
        };
        let new = CompareSide::Body {
            title: format!("on screen: {title}"),
            body: shown.response.body.clone(),
        };
        self.start_compare(old, new, effects)
    }

    pub(crate) fn on_compared(&mut self, id: u64, result: Result<Box<DiffView>, String>) -> bool {
        match &mut self.overlay {
            Some(Overlay::Compare(c)) if c.id == id => {
                match result {
                    Ok(view) => c.view = Some(view),
                    Err(e) => c.error = Some(e),
                }
                true
            }
            _ => false,
        }
    }

    /// A key in the comparison box.
    pub(crate) fn compare_key(&mut self, mut c: Box<Comparison>, key: KeyEvent) -> Option<Overlay> {
        let Some(command) = self.keymap.command(Scope::Overlay, &key) else {
            return Some(Overlay::Compare(c));
        };
        if command == Command::Close {
            return None;
        }
        if let Some(view) = &mut c.view
            && !view.command(command)
        {
            return None;
        }
        Some(Overlay::Compare(c))
    }
}

/// Draws the box: the diff, or what it is waiting for, or why it failed.
pub fn render(frame: &mut Frame<'_>, c: &mut Comparison, close: &str, theme: &Theme) {
    let area = frame.area();
    let area = Rect {
        x: area.x + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    };
    if let Some(view) = &mut c.view {
        frame.render_widget(Clear, area);
        view.render(frame, area, theme);
        return;
    }
    let area = centered(frame.area(), 80, 7);
    frame.render_widget(Clear, area);
    let block = frame_block("Compare", theme).title_bottom(
        Line::styled(format!(" {close} close "), theme.dim()).alignment(Alignment::Right),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let line = match &c.error {
        Some(e) => Line::styled(crate::sanitize::one_line(e), theme.error_text()),
        None => Line::styled("Comparing…", theme.dim()),
    };
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), inner);
}
