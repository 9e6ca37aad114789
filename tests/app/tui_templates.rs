//! Templates in the UI: the builder keeps `{{name}}` as typed, the request that goes out has
//! the session's values filled in, and an unknown variable sends nothing and says which.

use crossterm::event::KeyCode;
use younium_tui::cli::ConnectionArgs;
use younium_tui::config::Loaded;
use younium_tui::settings::{self, EnvVars, Inputs};
use younium_tui::tui::app::{App, Effect};
use younium_tui::younium::{ApiRequest, Method, Secret};

use crate::common::keys::{choose_method, press, replace_body, type_path};
use crate::common::signed_in_app;

/// A signed-in app whose settings carry `--var` values.
fn app_with_vars(vars: &[(&str, &str)]) -> App {
    let flags = ConnectionArgs {
        vars: vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        client_id: Some("id".into()),
        ..Default::default()
    };
    let loaded = Loaded::default();
    let start = settings::resolve(&Inputs {
        config: &loaded,
        profile: None,
        flags: &flags,
        env: &EnvVars {
            secret: Some(Secret::new("s")),
            theme: None,
        },
    })
    .unwrap();
    let mut app = signed_in_app();
    app.use_settings(&start, &mut Vec::new());
    app
}

fn sent(effects: &[Effect]) -> Option<&ApiRequest> {
    effects.iter().find_map(|e| match e {
        Effect::Send { request, .. } => Some(request),
        _ => None,
    })
}

#[test]
fn the_request_sent_has_the_values_and_the_builder_keeps_the_templates() {
    let mut app = app_with_vars(&[
        ("account", "A-000001"),
        ("amount", "1250.50"),
        ("note", "say \"hi\""),
    ]);
    choose_method(&mut app, Method::Patch);
    type_path(&mut app, "/Accounts/{{account}}");
    replace_body(
        &mut app,
        r#"{"creditLimit": {{amount}}, "remarks": "{{note}}"}"#,
    );
    let effects = press(&mut app, KeyCode::F(5));
    let request = sent(&effects).unwrap_or_else(|| panic!("{effects:?} {:?}", app.overlay()));
    assert_eq!(request.path, "/Accounts/A-000001");
    assert_eq!(
        request.body.as_deref(),
        Some(r#"{"creditLimit": 1250.50, "remarks": "say \"hi\""}"#)
    );
    assert_eq!(app.request().template(), "/Accounts/{{account}}");
    assert!(app.request().body_text().contains("{{amount}}"));
}

#[test]
fn an_unknown_variable_sends_nothing_and_is_named() {
    let mut app = app_with_vars(&[]);
    type_path(&mut app, "/Accounts/{{account}}");
    let effects = press(&mut app, KeyCode::F(5));
    assert!(sent(&effects).is_none(), "{effects:?}");
    assert_eq!(
        app.status().as_deref(),
        Some("not sent: unknown variable {{account}} in the path")
    );
    assert_eq!(
        app.request().message(),
        Some("unknown variable {{account}} in the path")
    );
}

#[test]
fn v_lists_the_variables_with_their_sources_and_hides_secret_looking_values() {
    let token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig";
    let mut app = app_with_vars(&[
        ("account", "A-000001"),
        ("bearer", token),
        ("apiKey", "k-123"),
    ]);
    app.update(younium_tui::tui::app::Action::Resize(120, 40));
    press(&mut app, KeyCode::Char('V'));
    assert!(matches!(
        app.overlay(),
        Some(younium_tui::tui::app::Overlay::Vars(_))
    ));
    let screen = crate::common::screen::render(&mut app);
    let line = screen
        .lines()
        .find(|l| l.contains("account"))
        .unwrap_or_default();
    assert!(
        line.contains("A-000001") && line.contains("command line (--var)"),
        "{screen}"
    );
    assert!(
        !screen.contains(token) && !screen.contains("eyJhbGci"),
        "{screen}"
    );
    assert!(!screen.contains("k-123"), "{screen}");
    assert!(
        screen.contains("looks like a secret: not shown"),
        "{screen}"
    );
    assert!(screen.contains("{{$uuid}}"), "{screen}");
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
}

#[test]
fn the_builder_shows_what_the_cursors_field_resolves_to() {
    let mut app = app_with_vars(&[("account", "A-000001"), ("apiKey", "k-123")]);
    app.update(younium_tui::tui::app::Action::Resize(160, 48));
    type_path(&mut app, "/Accounts/{{account}}");
    crate::common::keys::focus(&mut app, younium_tui::tui::app::Focus::Request);
    let screen = crate::common::screen::render(&mut app);
    assert!(screen.contains("→ /Accounts/A-000001"), "{screen}");

    type_path(&mut app, "/Accounts/{{nobody}}");
    let screen = crate::common::screen::render(&mut app);
    assert!(
        screen.contains("✗ unknown variable {{nobody}} in this field"),
        "{screen}"
    );

    // A value that looks like a secret is not shown.
    type_path(&mut app, "/Keys/{{apiKey}}");
    let screen = crate::common::screen::render(&mut app);
    assert!(!screen.contains("k-123"), "{screen}");
    assert!(
        screen.contains("looks like a secret: not shown"),
        "{screen}"
    );
}
