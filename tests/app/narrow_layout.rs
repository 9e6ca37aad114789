//! Small terminals: under 100×30 the Connection and Token panes fold into the title bar
//! (drawn only while focused, in the slot the endpoint list shares with them), `Tab` goes
//! through the panes on screen only, and a click lands on what is drawn there.

use crate::common;

use crossterm::event::{KeyCode, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use younium_tui::tui::app::{Action, App, Focus};
use younium_tui::tui::layout::MIN_SIZE;
use younium_tui::tui::view;
use younium_tui::younium::Environment;

use crate::common::keys::press;
use crate::common::viewer::app_showing;

const ENTITY: &str = "Nordlys Software AB";

/// A signed-in app (token issued 10 s ago, valid for an hour) showing a page of accounts in
/// the Response pane, in a terminal of `size`.
fn app(size: (u16, u16)) -> App {
    let body = serde_json::json!({
        "pageNumber": 1, "pageSize": 20, "totalPages": 3, "totalCount": 57,
        "data": [
            {"id": "53abf01b-5942-4bed-b61f-08da9ad6fb81", "accountNumber": "A-000001",
             "name": "Example Customer 1", "currencyCode": "SEK", "inactive": false},
            {"id": "53abf01b-5942-4bed-b61f-08da9ad6fb82", "accountNumber": "A-000002",
             "name": "Example Customer 2", "currencyCode": "EUR", "inactive": true}
        ]
    })
    .to_string();
    let mut app = app_showing(&body);
    crate::common::keys::type_legal_entity(&mut app, ENTITY);
    app.update(Action::Resize(size.0, size.1));
    app
}

fn render(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size().0, app.size().1)).unwrap();
    terminal.draw(|f| view::draw(app, f)).unwrap();
    terminal.backend().to_string()
}

fn click(app: &mut App, column: u16, row: u16) {
    app.update(Action::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: crossterm::event::KeyModifiers::NONE,
    }));
}

#[test]
fn at_80_by_24_the_title_bar_carries_the_connection_and_the_countdown() {
    let mut a = app((80, 24));
    let screen = render(&mut a);
    insta::assert_snapshot!("narrow_80x24_response", screen);
    assert!(!screen.contains("Connection") && !screen.contains("Token"));
    let title = screen.lines().next().unwrap();
    for part in ["Sandbox (EU)", ENTITY, "api 2.1", "VALID 00:59:50"] {
        assert!(title.contains(part), "{part} in {title}");
    }
    // A second later the countdown in the title bar has moved on.
    let later = a.now() + jiff::SignedDuration::from_secs(1);
    a.update(Action::Tick(later));
    assert!(
        render(&mut a)
            .lines()
            .next()
            .unwrap()
            .contains("VALID 00:59:49")
    );
}

#[test]
fn at_80_by_24_the_endpoint_list_takes_the_top_slot_while_focused() {
    let mut a = app((80, 24));
    press(&mut a, KeyCode::Char('3'));
    assert_eq!(a.focus(), Focus::Catalog);
    insta::assert_snapshot!("narrow_80x24_catalog", render(&mut a));
}

#[test]
fn at_99_by_30_the_panes_are_stacked_too() {
    let mut a = app((99, 30));
    insta::assert_snapshot!("narrow_99x30_response", render(&mut a));
}

#[test]
fn under_the_minimum_the_screen_says_so() {
    let mut a = app((MIN_SIZE.0, MIN_SIZE.1 - 1));
    insta::assert_snapshot!("narrow_too_small", render(&mut a));
    a.update(Action::Resize(MIN_SIZE.0, MIN_SIZE.1));
    assert!(!a.too_small());
    assert!(render(&mut a).contains("Response"));
}

#[test]
fn tab_goes_through_the_panes_on_screen_only() {
    let mut a = app((80, 24));
    crate::common::keys::focus(&mut a, Focus::Catalog);
    let mut seen = Vec::new();
    for _ in 0..4 {
        press(&mut a, KeyCode::Tab);
        seen.push(a.focus());
    }
    assert_eq!(
        seen,
        [
            Focus::Request,
            Focus::Response,
            Focus::Catalog,
            Focus::Request
        ]
    );
    press(&mut a, KeyCode::BackTab);
    assert_eq!(a.focus(), Focus::Catalog);
    // Every pane Tab reaches is drawn (its title is on screen) when it has the focus.
    for _ in 0..3 {
        press(&mut a, KeyCode::Tab);
        let screen = render(&mut a);
        assert!(
            screen.contains(a.focus().title()),
            "{:?}\n{screen}",
            a.focus()
        );
    }
    // Wide again: all five are in the cycle.
    a.update(Action::Resize(120, 40));
    crate::common::keys::focus(&mut a, Focus::Response);
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.focus(), Focus::Connection);
}

#[test]
fn the_connection_pane_stays_reachable_and_its_keys_work() {
    let mut a = app((80, 24));
    press(&mut a, KeyCode::Char('1'));
    assert_eq!(a.focus(), Focus::Connection);
    let screen = render(&mut a);
    assert!(screen.contains("Connection"), "{screen}");
    insta::assert_snapshot!("narrow_80x24_connection", screen);
    // The environment field: → picks the next environment, as in the wide layout.
    for _ in 0..16 {
        press(&mut a, KeyCode::Up);
    }
    assert_eq!(
        a.connection().selected(),
        younium_tui::tui::panes::connection::Field::Environment
    );
    let before = a.connection().environment().clone();
    press(&mut a, KeyCode::Right);
    assert_ne!(a.connection().environment(), &before);
    // Tab leaves it for the panes of the cycle; `2` shows the token pane.
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.focus(), Focus::Catalog);
    press(&mut a, KeyCode::Char('2'));
    assert!(render(&mut a).contains("Token"));
    // The legal-entity picker is an overlay, opened from anywhere.
    press(&mut a, KeyCode::Char('5'));
    a.update(common::keys::key(KeyCode::Char('L')));
    assert!(a.overlay().is_some());
}

#[test]
fn a_wide_focus_on_a_folded_pane_survives_a_resize_on_screen() {
    let mut a = app((120, 40));
    crate::common::keys::focus(&mut a, Focus::Token);
    a.update(Action::Resize(80, 24));
    // The focused pane is given the top slot: focus is never on a pane not drawn.
    assert!(!a.areas().token.is_empty());
    assert!(render(&mut a).contains("Token"));
    crate::common::keys::focus(&mut a, Focus::Response);
    assert!(a.areas().token.is_empty());
}

#[test]
fn clicks_land_on_the_panes_drawn_there() {
    let mut a = app((80, 24));
    crate::common::keys::focus(&mut a, Focus::Response);
    let areas = a.areas();
    click(&mut a, 5, areas.request.y + 2);
    assert_eq!(a.focus(), Focus::Request);
    click(&mut a, 5, areas.response.y + 3);
    assert_eq!(a.focus(), Focus::Response);
    // The title bar is no pane.
    click(&mut a, 5, 0);
    assert_eq!(a.focus(), Focus::Response);
}

#[test]
fn a_connection_that_needs_the_user_is_pointed_at_from_the_title_bar() {
    let mut a = app((80, 24));
    a.config_unusable(&younium_tui::config::ConfigError::Unreadable {
        path: "/cfg/config.toml".into(),
        reason: "bad".into(),
    });
    let screen = render(&mut a);
    assert!(
        screen.lines().next().unwrap().contains("1: connection!"),
        "{screen}"
    );
    crate::common::keys::choose_environment(&mut a, &Environment::Production);
    let screen = render(&mut a);
    assert!(screen.lines().next().unwrap().contains("Production (EU)"));
}
