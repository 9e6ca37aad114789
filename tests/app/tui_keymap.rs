//! A rebound key works end to end: the `[keys]` section of a config file goes through
//! `keymap_from_config` into the app, and `update`, the help overlay and the footer all follow
//! it.

use crate::common;

use std::path::Path;
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyModifiers};
use younium_tui::config::ConfigFile;
use younium_tui::tui::app::{App, Focus, Overlay};
use younium_tui::tui::keymap::keymap_from_config;
use younium_tui::younium::TokenState;

use crate::common::app::sends;
use crate::common::keys::press_with;
use crate::common::screen::render;
use crate::common::{fixed_now, token};

const CONFIG: &str = "[profiles.sandbox]\nclient_id = \"id\"\n\n\
                      [keys]\nsend = [\"ctrl-enter\"]\nhelp = [\"F1\"]\n";

fn app() -> App {
    let mut app = common::signed_in_app();
    app.update(younium_tui::tui::app::Action::Resize(120, 40));
    app.update(younium_tui::tui::app::Action::Token(TokenState::Valid(
        Arc::new(token(fixed_now().as_second() - 10, 3600)),
    )));
    let file = ConfigFile::parse(Path::new("config.toml"), CONFIG).unwrap();
    assert_eq!(keymap_from_config(&file).1, Vec::new());
    app.use_config(file.into());
    crate::common::keys::focus(&mut app, Focus::Request);
    app
}

#[test]
fn a_rebound_send_key_sends_and_the_old_ones_do_not() {
    let mut app = app();
    let none = KeyModifiers::NONE;
    assert!(!sends(&press_with(&mut app, KeyCode::Char('s'), none)));
    assert!(!sends(&press_with(&mut app, KeyCode::F(5), none)));
    assert!(!sends(&press_with(
        &mut app,
        KeyCode::Char('r'),
        KeyModifiers::CONTROL
    )));
    assert!(app.overlay().is_none());
    assert!(sends(&press_with(
        &mut app,
        KeyCode::Enter,
        KeyModifiers::CONTROL
    )));
    assert!(render(&mut app).contains(" Ctrl-Enter send "));
}

#[test]
fn a_rebound_send_key_sends_from_the_body_editor() {
    let mut app = app();
    let none = KeyModifiers::NONE;
    crate::common::keys::choose_method(&mut app, younium_tui::younium::Method::Post);
    press_with(&mut app, KeyCode::Char(']'), none);
    press_with(&mut app, KeyCode::Char(']'), none);
    press_with(&mut app, KeyCode::Char('j'), none);
    press_with(&mut app, KeyCode::Enter, none);
    assert!(app.request().is_editing_body());
    assert!(render(&mut app).contains(" Ctrl-Enter send "));
    assert!(sends(&press_with(
        &mut app,
        KeyCode::Enter,
        KeyModifiers::CONTROL
    )));
}

#[test]
fn a_rebound_help_key_opens_the_help_which_shows_it() {
    let mut app = app();
    press_with(&mut app, KeyCode::Char('?'), KeyModifiers::NONE);
    assert!(app.overlay().is_none());
    assert!(render(&mut app).contains(" F1 help "));
    press_with(&mut app, KeyCode::F(1), KeyModifiers::NONE);
    assert!(matches!(app.overlay(), Some(Overlay::Help { .. })));
    let screen = render(&mut app);
    let line = |needle: &str| {
        screen
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in\n{screen}"))
            .to_string()
    };
    assert!(line("this help").contains("F1 "), "{}", line("this help"));
    assert!(line("send the request").contains("Ctrl-Enter "));
    assert!(!line("send the request").contains("F5"));
    // In the help, F1 closes it too (it is the help key there as well).
    press_with(&mut app, KeyCode::F(1), KeyModifiers::NONE);
    assert!(app.overlay().is_none());
}
