//! The connection pane's keys: fields, edits, Esc, the custom URL, the field to fix.

use super::*;
use crossterm::event::{KeyCode, KeyModifiers};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn type_text(pane: &mut ConnectionPane, text: &str) -> ConnectionEvent {
    for c in text.chars() {
        pane.press(key(KeyCode::Char(c)));
    }
    pane.press(key(KeyCode::Enter))
}

#[test]
fn credentials_and_settings_are_told_apart() {
    let mut pane = ConnectionPane::default();
    assert!(pane.connection().is_none());
    pane.press(key(KeyCode::Enter));
    assert_eq!(
        type_text(&mut pane, "client-1"),
        ConnectionEvent::CredentialsChanged
    );
    assert_eq!(
        pane.missing().unwrap(),
        "enter the secret (or set YOUNIUM_SECRET)"
    );
    // The secret is typed next: its editor is open, so its letters never run as keys.
    assert_eq!((pane.selected, pane.is_editing()), (Field::Secret, true));
    assert_eq!(
        type_text(&mut pane, "s3cret"),
        ConnectionEvent::CredentialsChanged
    );
    assert_eq!(
        pane.connection().unwrap().credentials.secret.expose(),
        "s3cret"
    );
    pane.press(key(KeyCode::Down));
    assert_eq!(pane.press(key(KeyCode::Enter)), ConnectionEvent::PickEntity);
    pane.press(key(KeyCode::Down));
    assert_eq!(
        pane.press(key(KeyCode::Right)),
        ConnectionEvent::SettingsChanged
    );
    assert_eq!(pane.api_version, ApiVersion::V2_0);
}

#[test]
fn escape_discards_an_edit() {
    let mut pane = ConnectionPane {
        client_id: "keep".into(),
        ..Default::default()
    };
    pane.press(key(KeyCode::Enter));
    pane.press(key(KeyCode::Char('x')));
    assert_eq!(pane.press(key(KeyCode::Esc)), ConnectionEvent::Handled);
    assert_eq!(pane.client_id, "keep");
}

#[test]
fn a_bad_custom_url_is_refused_with_a_message() {
    let mut pane = ConnectionPane {
        selected: Field::Environment,
        ..Default::default()
    };
    // Sandbox → Production → US sandbox → US production → Custom.
    for _ in 0..3 {
        pane.press(key(KeyCode::Right));
    }
    assert_eq!(pane.press(key(KeyCode::Right)), ConnectionEvent::Handled);
    assert_eq!(pane.selected, Field::BaseUrl);
    for _ in 0..30 {
        pane.press(key(KeyCode::Backspace));
    }
    assert_eq!(type_text(&mut pane, "not a url"), ConnectionEvent::Handled);
    assert!(
        pane.error
            .as_deref()
            .unwrap()
            .contains("not a usable base URL")
    );
    pane.press(key(KeyCode::Enter));
    for _ in 0..30 {
        pane.press(key(KeyCode::Backspace));
    }
    assert_eq!(
        type_text(&mut pane, "http://127.0.0.1:9"),
        ConnectionEvent::CredentialsChanged
    );
    assert_eq!(pane.environment.base_url(), "http://127.0.0.1:9");
}

#[test]
fn known_entities_merge() {
    let mut pane = ConnectionPane::default();
    pane.remember_entity(LegalEntity {
        roles: Vec::new(),
        name: "Acme AB".into(),
        id: None,
    });
    pane.remember_entity(LegalEntity {
        roles: Vec::new(),
        name: "acme ab".into(),
        id: Some("g-1".into()),
    });
    assert_eq!(
        pane.known_entities,
        [LegalEntity {
            roles: Vec::new(),
            name: "Acme AB".into(),
            id: Some("g-1".into())
        }]
    );
}

/// "Custom URL" with no URL yet opens its editor with a suggestion that typing replaces;
/// `Esc` there goes back to the environment it came from, with nothing emptied.
#[test]
fn picking_custom_url_types_into_it_and_esc_gives_the_old_environment_back() {
    let mut pane = ConnectionPane {
        selected: Field::Environment,
        environment: Environment::UsProduction,
        ..Default::default()
    };
    assert_eq!(pane.press(key(KeyCode::Right)), ConnectionEvent::Handled);
    assert_eq!((pane.selected, pane.is_editing()), (Field::BaseUrl, true));
    assert_eq!(
        type_text(&mut pane, "http://localhost:3000"),
        ConnectionEvent::CredentialsChanged
    );
    assert_eq!(pane.environment.base_url(), "http://localhost:3000");

    let mut pane = ConnectionPane {
        selected: Field::Environment,
        environment: Environment::UsProduction,
        ..Default::default()
    };
    pane.press(key(KeyCode::Right));
    pane.press(key(KeyCode::Char('x')));
    assert_eq!(pane.press(key(KeyCode::Esc)), ConnectionEvent::Handled);
    assert_eq!(pane.environment, Environment::UsProduction);
    assert_eq!(
        (pane.selected, pane.is_editing()),
        (Field::Environment, false)
    );
}

/// A URL that does not read keeps its editor open with what was typed; `Esc` then keeps the
/// base URL as it was.
#[test]
fn a_bad_url_stays_in_its_editor_and_esc_keeps_the_old_one() {
    let mut pane = ConnectionPane {
        selected: Field::BaseUrl,
        environment: Environment::Custom("http://127.0.0.1:1".into()),
        custom_url: "http://127.0.0.1:1".into(),
        ..Default::default()
    };
    pane.press(key(KeyCode::Enter));
    pane.press(key(KeyCode::Char('x')));
    pane.press(key(KeyCode::Char('x')));
    assert_eq!(pane.press(key(KeyCode::Home)), ConnectionEvent::Handled);
    for c in "ftp:".chars() {
        pane.press(key(KeyCode::Char(c)));
    }
    assert_eq!(pane.press(key(KeyCode::Enter)), ConnectionEvent::Handled);
    assert!(pane.error.is_some() && pane.is_editing());
    pane.press(key(KeyCode::Esc));
    assert_eq!(pane.environment.base_url(), "http://127.0.0.1:1");
    assert!(pane.error.is_none() && !pane.is_editing());
}

/// A rejected secret is typed again: its editor opens; a failure a retry may mend moves
/// nothing.
#[test]
fn the_field_to_fix_after_a_failed_exchange() {
    let mut pane = ConnectionPane {
        client_id: "c".into(),
        ..Default::default()
    };
    pane.select_field_to_fix(&AuthError::Rejected {
        status: 401,
        message: "Invalid client credentials".into(),
    });
    assert_eq!((pane.selected, pane.is_editing()), (Field::Secret, true));
    let mut pane = ConnectionPane::default();
    pane.select_field_to_fix(&AuthError::Incomplete("enter a client id".into()));
    assert_eq!((pane.selected, pane.is_editing()), (Field::ClientId, true));
    let mut pane = ConnectionPane::default();
    pane.select_field_to_fix(&AuthError::Malformed("not a token".into()));
    assert_eq!((pane.selected, pane.is_editing()), (Field::ClientId, false));
}
