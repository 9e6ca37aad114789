//! PLACEHOLDER until the diff work lands (replaced by the real view).

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::keymap::Command;
use crate::tui::theme::Theme;

#[derive(Debug)]
pub struct DiffView;

impl DiffView {
    pub fn command(&mut self, command: Command) -> bool {
        command != Command::Close
    }

    pub fn render(&mut self, _frame: &mut Frame<'_>, _area: Rect, _theme: &Theme) {}
}
