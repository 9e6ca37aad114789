//! Keys pressed in the app under `update`, as crossterm reports them: a capital letter comes
//! with SHIFT.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use younium_tui::tui::app::{Action, App, Effect, Focus};
use younium_tui::tui::panes::request::RequestTab;

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

/// The key that moves the focus to `pane` (`1`–`5`).
pub fn focus_key(pane: Focus) -> KeyCode {
    KeyCode::Char(match pane {
        Focus::Connection => '1',
        Focus::Token => '2',
        Focus::Catalog => '3',
        Focus::Request => '4',
        Focus::Response => '5',
    })
}

/// Moves the focus to `pane` with its key, as the user does; the effects.
pub fn focus(app: &mut App, pane: Focus) -> Vec<Effect> {
    let effects = press(app, focus_key(pane));
    assert_eq!(app.focus(), pane, "its key focuses {pane:?}");
    effects
}

/// Cycles the builder's method with `m`, as the user does, until it is `method`.
pub fn choose_method(app: &mut App, method: younium_tui::younium::Method) {
    focus(app, Focus::Request);
    for _ in 0..8 {
        if app.request().method() == method {
            return;
        }
        press(app, KeyCode::Char('m'));
    }
    panic!("m never chose {method:?}");
}

/// Types `path` over the builder's path, as the user does: its line (the top row), Enter,
/// Ctrl-U to clear it, the new path, Enter.
pub fn type_path(app: &mut App, path: &str) {
    focus(app, Focus::Request);
    for _ in 0..64 {
        press(app, KeyCode::Up);
    }
    retype(app, path);
    assert_eq!(app.request().template(), path, "the path as typed");
}

/// Types `name` as the legal entity, as the user does (see [`legal_entity_keys`]); then back
/// to the pane that had the focus.
pub fn type_legal_entity(app: &mut App, name: &str) {
    let was = app.focus();
    for action in legal_entity_keys(name) {
        app.update(action);
    }
    assert_eq!(app.connection().legal_entity(), Some(name));
    focus(app, was);
}

/// The keys that type `name` as the legal entity: `L` opens the pick-list, its last choice
/// ("another…") edits the field, Ctrl-U clears it, the name, Enter.
pub fn legal_entity_keys(name: &str) -> Vec<Action> {
    let mut keys = vec![key(KeyCode::Char('L'))];
    keys.extend((0..64).map(|_| key(KeyCode::Down)));
    keys.push(key(KeyCode::Enter));
    keys.push(chord(KeyCode::Char('u'), KeyModifiers::CONTROL));
    keys.extend(name.chars().map(|c| key(KeyCode::Char(c))));
    keys.push(key(KeyCode::Enter));
    keys
}

/// Edits the selected one-line field and types `text` over it: Enter, Ctrl-U, `text`, Enter.
fn retype(app: &mut App, text: &str) {
    press(app, KeyCode::Enter);
    ctrl(app, 'u');
    typed(app, text);
    press(app, KeyCode::Enter);
}

/// Chooses `environment` in the Connection pane with its keys: the Environment field (the
/// top row), Right until it shows.
pub fn choose_environment(app: &mut App, environment: &younium_tui::younium::Environment) {
    focus(app, Focus::Connection);
    for _ in 0..16 {
        press(app, KeyCode::Up);
    }
    for _ in 0..8 {
        if app.connection().environment() == environment {
            return;
        }
        press(app, KeyCode::Right);
    }
    panic!("Right never chose {environment:?}");
}

/// Focuses the Request pane and goes to its `tab` with `]`, as the user does.
fn request_tab(app: &mut App, tab: RequestTab) {
    focus(app, Focus::Request);
    for _ in 0..3 {
        if app.request().tab() == tab {
            return;
        }
        press(app, KeyCode::Char(']'));
    }
    panic!("] never reached the {tab:?} tab");
}

/// Opens the builder's body editor, as the user does: the Request pane, its Body tab, Enter.
fn open_body_editor(app: &mut App) {
    request_tab(app, RequestTab::Body);
    press(app, KeyCode::Down);
    press(app, KeyCode::Enter);
    assert!(app.request().is_editing_body(), "the body editor is open");
}

/// Types `text` into the builder's body, as the user does: the Body tab, Enter to edit, the
/// text, Esc.
pub fn edit_body(app: &mut App, text: &str) {
    open_body_editor(app);
    typed(app, text);
    press(app, KeyCode::Esc);
}

/// Replaces the builder's body with `text`, as the user does: the editor opened, Down and
/// End to the end of it, Backspace over what was there, `text` pasted, Up and Home back to
/// the start, Esc.
pub fn replace_body(app: &mut App, text: &str) {
    open_body_editor(app);
    for _ in 0..app.request().body_text().lines().count() {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::End);
    for _ in 0..app.request().body_text().chars().count() {
        press(app, KeyCode::Backspace);
    }
    assert_eq!(app.request().body_text(), "", "the old body deleted");
    app.update(Action::Paste(text.to_string()));
    // Back to the top left, where a body loaded into the editor starts.
    for _ in 0..text.lines().count() {
        press(app, KeyCode::Up);
    }
    press(app, KeyCode::Home);
    press(app, KeyCode::Esc);
    assert_eq!(app.request().body_text(), text, "the body as pasted");
}

/// Switches off `name`, a header the app adds, as the user does: the Headers tab, Down to its
/// line, Space.
pub fn switch_off_header(app: &mut App, name: &str) {
    request_tab(app, RequestTab::Headers);
    let line = app
        .shown_headers()
        .iter()
        .position(|h| h.name.eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("no {name} line"));
    for _ in 0..64 {
        press(app, KeyCode::Up);
    }
    for _ in 0..=line {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Char(' '));
    assert!(
        app.request()
            .headers()
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case(name) && h.value.is_empty() && !h.enabled),
        "{name} switched off: {:?}",
        app.request().headers()
    );
}

/// Picks profile `name` with `P`: the picker lists the file's profiles in name order, and
/// `name` is the `position`th of them (from 0). The effects of choosing it.
pub fn pick_profile(app: &mut App, position: usize, name: &str) -> Vec<Effect> {
    press(app, KeyCode::Char('P'));
    for _ in 0..20 {
        press(app, KeyCode::Up);
    }
    for _ in 0..position {
        press(app, KeyCode::Down);
    }
    let effects = press(app, KeyCode::Enter);
    assert_eq!(app.profile().as_deref(), Some(name), "{:?}", app.status());
    effects
}
