//! Keys pressed in the app under `update`, as crossterm reports them: a capital letter comes
//! with SHIFT.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use younium_tui::tui::app::{Action, App, Effect};

/// The press of `code` (SHIFT with a capital letter).
pub fn key(code: KeyCode) -> Action {
    let modifiers = match code {
        KeyCode::Char(c) if c.is_uppercase() => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    chord(code, modifiers)
}

/// The press of `code` with `modifiers` held.
pub fn chord(code: KeyCode, modifiers: KeyModifiers) -> Action {
    Action::Key(KeyEvent::new(code, modifiers))
}

/// Presses `code`; the effects.
pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(key(code)).1
}

/// Presses `code` with `modifiers` held; the effects.
pub fn press_with(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    app.update(chord(code, modifiers)).1
}

/// Presses Ctrl and `c`; the effects.
pub fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    press_with(app, KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Types `text`, returning the effects of the last key.
pub fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    let mut last = Vec::new();
    for c in text.chars() {
        last = press(app, KeyCode::Char(c));
    }
    last
}
