//! The app drawn into ratatui's `TestBackend` at its own size.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use younium_tui::tui::app::App;
use younium_tui::tui::view;

/// The terminal `app` is drawn into, at `app.size()`.
pub fn draw(app: &mut App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.size().0, app.size().1)).unwrap();
    terminal.draw(|f| view::draw(app, f)).unwrap();
    terminal
}

/// The screen `app` draws, as text.
pub fn render(app: &mut App) -> String {
    draw(app).backend().to_string()
}
