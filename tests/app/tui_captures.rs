//! Captures in the UI: `x` keeps the value of the response's cursor line as a variable under a
//! name worked out from the key and the path, `X` keeps a jq filter's output, and the variables
//! box edits, forgets and saves them (never a secret-looking one to a file).

use crossterm::event::{KeyCode, KeyModifiers};
use younium_tui::config::{ConfigFile, Loaded};
use younium_tui::tui::app::{Action, App, Effect, Overlay};
use younium_tui::younium::template::Origin;

use crate::common::keys::{press, press_with, type_path, typed};
use crate::common::signed_in_app;
use crate::common::viewer::app_showing_in;

const BODY: &str = r#"{"data": [{"id": "A-000042", "name": "Nordlys AB", "creditLimit": 1250.50, "tags": ["a", "b"]}]}"#;

/// The app with `BODY` on screen as the answer to `GET /Accounts`, the cursor on the line
/// that contains `needle`.
fn showing_accounts(needle: &str) -> App {
    let mut app = signed_in_app();
    type_path(&mut app, "/Accounts");
    let mut app = app_showing_in(app, BODY);
    let doc = app.response().doc().unwrap();
    let line = (0..doc.line_count())
        .find(|&i| doc.line(i).contains(needle))
        .expect(needle);
    for _ in 0..line {
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(app.response().view().cursor, line);
    app
}

fn name_box(app: &App) -> String {
    match app.overlay() {
        Some(Overlay::Capture(capture)) => capture.input.text().to_string(),
        other => panic!("no name box: {other:?}"),
    }
}

#[test]
fn x_keeps_the_lines_value_under_the_name_of_what_it_is_the_id_of() {
    let mut app = showing_accounts("\"id\"");
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(name_box(&app), "accountId");
    insta::assert_snapshot!("capture_name_box", crate::common::screen::render(&mut app));
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay().is_none());
    let (value, origin) = app.vars().get("accountId").expect("kept");
    assert_eq!(value, "A-000042");
    let Origin::Session(what) = origin else {
        panic!("{origin:?}")
    };
    assert!(what.starts_with("captured from GET /Accounts "), "{what}");
    assert!(
        app.status()
            .as_deref()
            .is_some_and(|s| s.contains("{{accountId}} = A-000042")),
        "{:?}",
        app.status()
    );

    // The next request uses it.
    type_path(&mut app, "/Accounts/{{accountId}}");
    let effects = press(&mut app, KeyCode::F(5));
    let sent = effects.iter().find_map(|e| match e {
        Effect::Send { request, .. } => Some(request.path.clone()),
        _ => None,
    });
    assert_eq!(sent.as_deref(), Some("/Accounts/A-000042"));
}

#[test]
fn a_number_keeps_its_digits_and_an_opening_line_keeps_its_array() {
    let mut app = showing_accounts("creditLimit");
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(name_box(&app), "creditLimit");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.vars().get("creditLimit").unwrap().0, "1250.50");

    let mut app = showing_accounts("tags");
    press(&mut app, KeyCode::Char('x'));
    // Typing replaces the suggestion.
    typed(&mut app, "labels");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.vars().get("labels").unwrap().0, r#"["a","b"]"#);
}

#[test]
fn a_name_that_cannot_be_one_is_refused_in_the_box_and_esc_keeps_nothing() {
    let mut app = showing_accounts("\"name\"");
    press(&mut app, KeyCode::Char('x'));
    typed(&mut app, "1 bad");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay(), Some(Overlay::Capture(_))));
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
    assert!(app.vars().is_empty());
}

#[test]
fn big_x_keeps_the_jq_output_shown_and_says_what_to_do_without_one() {
    let mut app = showing_accounts("\"id\"");
    press(&mut app, KeyCode::Char('X'));
    assert!(app.overlay().is_none());
    assert!(
        app.status()
            .as_deref()
            .is_some_and(|s| s.contains("filter the body with |")),
        "{:?}",
        app.status()
    );
    filter_with(&mut app, ".data[0].id");
    press(&mut app, KeyCode::Char('X'));
    assert_eq!(name_box(&app), "accountId");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.vars().get("accountId").unwrap().0, "A-000042");

    // Through jq too, an amount keeps its digits; several outputs are kept as an array.
    filter_with(&mut app, ".data[0].creditLimit");
    press(&mut app, KeyCode::Char('X'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.vars().get("creditLimit").unwrap().0, "1250.50");
    filter_with(&mut app, ".data[0] | .creditLimit, .tags");
    press(&mut app, KeyCode::Char('X'));
    typed(&mut app, "both");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.vars().get("both").unwrap().0, r#"[1250.50,["a","b"]]"#);
}

/// Filters the body with `filter` (`|`, Enter) and shows its output, as the runner would.
fn filter_with(app: &mut App, filter: &str) {
    press(app, KeyCode::Char('|'));
    press_with(app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    typed(app, filter);
    let effects = press(app, KeyCode::Enter);
    crate::common::viewer::run_jq(app, effects);
}

/// The app with `vars` set in the session through the box's `a`.
fn with_typed_vars(app: &mut App, vars: &[&str]) {
    press(app, KeyCode::Char('V'));
    for var in vars {
        press(app, KeyCode::Char('a'));
        typed(app, var);
        press(app, KeyCode::Enter);
    }
}

#[test]
fn the_box_adds_edits_and_forgets_session_values() {
    let mut app = signed_in_app();
    app.update(Action::Resize(120, 40));
    with_typed_vars(&mut app, &["limit = 25", "name=Acme"]);
    assert_eq!(app.vars().get("limit").unwrap().0, "25");
    assert_eq!(app.vars().get("name").unwrap().0, "Acme");
    assert!(matches!(
        app.vars().get("limit").unwrap().1,
        Origin::Session(what) if what.starts_with("typed ")
    ));
    // `limit` is first (name order): edit it.
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Backspace);
    typed(&mut app, "100");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.vars().get("limit").unwrap().0, "100");
    let screen = crate::common::screen::render(&mut app);
    assert!(
        screen.contains("limit") && screen.contains("100"),
        "{screen}"
    );
    insta::assert_snapshot!("vars_box", screen);
    // Forget `name` (the second).
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('d'));
    assert!(app.vars().get("name").is_none());
    // A line that is not `name = value` keeps the box open and says so.
    press(&mut app, KeyCode::Char('a'));
    typed(&mut app, "no equals sign");
    press(&mut app, KeyCode::Enter);
    assert!(
        app.status()
            .as_deref()
            .is_some_and(|s| s.contains("name = value"))
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
}

/// A signed-in app using a config file of `text` (in a temporary folder, kept while the
/// folder is).
fn app_with_config(text: &str) -> (App, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    let mut app = signed_in_app();
    app.use_config(Loaded {
        path: Some(path.clone()),
        file: ConfigFile::load(&path).unwrap(),
        error: None,
    });
    (app, dir, path)
}

fn save_effect(effects: &[Effect]) -> Option<&Effect> {
    effects.iter().find(|e| matches!(e, Effect::SaveVar { .. }))
}

#[test]
fn s_saves_a_value_into_the_profiles_vars_and_never_a_secret() {
    let (mut app, _dir, path) = app_with_config(
        "# mine\n[profiles.sandbox]\nenvironment = \"sandbox\"\nclient_id = \"c\"\n",
    );
    crate::common::keys::pick_profile(&mut app, 0, "sandbox");
    // The profile has no secret: its field is open for one; leave it.
    press(&mut app, KeyCode::Esc);
    assert!(!app.is_editing(), "{:?} {:?}", app.focus(), app.overlay());
    with_typed_vars(&mut app, &["accountId = A-000042", "apiKey = k-1"]);
    // accountId first: saved.
    let effects = press(&mut app, KeyCode::Char('s'));
    let Some(Effect::SaveVar {
        path: to,
        profile,
        name,
        value,
    }) = save_effect(&effects)
    else {
        panic!("{effects:?}")
    };
    let (to, profile, name, value) = (to.clone(), profile.clone(), name.clone(), value.clone());
    assert_eq!(
        (profile.as_deref(), name.as_str()),
        (Some("sandbox"), "accountId")
    );
    let result = younium_tui::tui::vars::save(to, profile, name, value);
    app.update(Action::VarSaved(result));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# mine\n"), "{text}");
    assert!(
        text.contains("[profiles.sandbox.vars]\naccountId = \"A-000042\""),
        "{text}"
    );
    assert!(
        app.status()
            .as_deref()
            .is_some_and(|s| s.contains("saved {{accountId}} in [profiles.sandbox.vars]")),
        "{:?}",
        app.status()
    );
    // apiKey looks like a secret: nothing is asked of the runner, and the writer refuses too.
    press(&mut app, KeyCode::Down);
    let effects = press(&mut app, KeyCode::Char('s'));
    assert!(save_effect(&effects).is_none(), "{effects:?}");
    assert!(
        app.status()
            .as_deref()
            .is_some_and(|s| s.contains("looks like a secret"))
    );
    let refused = younium_tui::tui::vars::save(path.clone(), None, "apiKey".into(), "k-1".into());
    assert!(refused.is_err());
    assert!(!std::fs::read_to_string(&path).unwrap().contains("k-1"));
}

#[test]
fn a_profile_switch_keeps_the_values_this_session_set() {
    let (mut app, _dir, _) = app_with_config(
        "[vars]\nshared = \"file\"\n\n[profiles.a]\nclient_id = \"c\"\n\n[profiles.b]\nclient_id = \"d\"\n[profiles.b.vars]\nshared = \"b's\"\n",
    );
    crate::common::keys::pick_profile(&mut app, 0, "a");
    press(&mut app, KeyCode::Esc);
    with_typed_vars(&mut app, &["mine = 1"]);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.vars().get("shared").unwrap().0, "file");
    crate::common::keys::pick_profile(&mut app, 1, "b");
    assert_eq!(app.vars().get("mine").unwrap().0, "1");
    assert_eq!(app.vars().get("shared").unwrap().0, "b's");
}
