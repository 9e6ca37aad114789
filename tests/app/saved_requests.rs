//! Saved requests: Ctrl-S in `update` (pure), the save carried out by the runner's code into a
//! real config file, the catalogue's Saved group, a restart that finds the request again, and
//! snapshots of the group and the name box.

use crate::common;

use std::path::{Path, PathBuf};

use clap::Parser as _;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use younium_tui::cli::Cli;
use younium_tui::config::{self, ConfigFile};
use younium_tui::tui::app::{Action, App, Effect, Focus, OnYes, Overlay};
use younium_tui::tui::panes::connection::ConnectionPane;
use younium_tui::tui::saved_requests;
use younium_tui::tui::theme::Theme;
use younium_tui::tui::view;
use younium_tui::younium::{ApiRequest, Method, Param};

use crate::common::fixed_now;
use crate::common::keys::{ctrl, press, typed};

const CONFIG: &str = r#"# Younium at work
default_profile = "sandbox"

[profiles.sandbox]
# the test tenant
environment = "sandbox"
client_id = "abc" # from the admin page
secret = { env = "YOUNIUM_SAVED_TEST_NOT_SET" }
legal_entity = "Acme AB"

[profiles.prod]
environment = "production"
client_id = "def"
secret = { env = "YOUNIUM_SAVED_TEST_NOT_SET" }
"#;

fn temp_config(name: &str, text: &str) -> PathBuf {
    let path = common::binary::temp_dir(&format!("saved-{name}")).join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// An app set up from the config file at `path` the way `younium-tui --config PATH` does it.
fn app_from(path: &Path, profile: Option<&str>) -> App {
    let mut args = vec!["younium-tui", "--config", path.to_str().unwrap()];
    if let Some(p) = profile {
        args.extend(["--profile", p]);
    }
    let cli = Cli::try_parse_from(args).unwrap();
    let (loaded, settings) =
        younium_tui::settings::from_command_line(&cli.connection).expect("settings resolve");
    let mut app = App::new(
        ConnectionPane::default(),
        settings.manager,
        Theme::mono(),
        jiff::tz::TimeZone::UTC,
        fixed_now(),
    );
    let mut first = Vec::new();
    younium_tui::tui::configure(&mut app, &cli, loaded, &settings, &mut first);
    app
}

/// A POST with everything a saved request keeps, and a token and an idempotency key it must not.
fn new_account() -> ApiRequest {
    ApiRequest {
        method: Method::Post,
        path: "/Accounts".into(),
        query: vec![
            Param::new("dryRun", "true"),
            Param {
                name: "trace".into(),
                value: "1".into(),
                enabled: false,
            },
        ],
        headers: vec![
            Param::new(
                "Authorization",
                "Bearer eyJhbGciOiJIUzI1NiJ9.e30.secret-signature",
            ),
            Param::new("X-Correlation", "saved-test"),
        ],
        body: Some("{\n  \"name\": \"Acme Nordic\",\n  \"currency\": \"SEK\"\n}".into()),
        idempotency_key: Some("7c7c-idempotency".into()),
    }
}

/// Carries out a save effect as the runner does (`saved_requests::save` in a blocking task),
/// and hands the answer to the app.
fn run_save(app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
    let effect = effects
        .into_iter()
        .find(|e| matches!(e, Effect::SaveRequest { .. }))
        .expect("a save effect");
    let Effect::SaveRequest {
        path,
        profile,
        request,
        left_out,
    } = effect
    else {
        unreachable!()
    };
    let answer = saved_requests::save(path, profile, request, left_out);
    app.update(Action::RequestSaved(answer)).1
}

#[test]
fn ctrl_s_asks_for_a_name_and_enter_emits_the_save() {
    let mut app = common::signed_in_app();
    app.use_config(config::Loaded {
        path: Some("/nowhere/config.toml".into()),
        ..Default::default()
    });
    crate::common::keys::focus(&mut app, Focus::Request);
    assert!(ctrl(&mut app, 's').is_empty());
    let Some(Overlay::SaveRequest(input)) = &app.overlay() else {
        panic!("the name box should be open: {:?}", app.overlay())
    };
    assert_eq!(input.text(), "GET /Accounts");
    // Esc cancels without saving.
    assert!(press(&mut app, KeyCode::Esc).is_empty());
    assert!(app.overlay().is_none());

    app.update(younium_tui::tui::app::Action::Load(Box::new(
        younium_tui::tui::app::Loading::Request(new_account().clone()),
    )));
    ctrl(&mut app, 's');
    ctrl(&mut app, 'u');
    typed(&mut app, "New account");
    let effects = press(&mut app, KeyCode::Enter);
    assert!(app.overlay().is_none());
    let Some(Effect::SaveRequest {
        path,
        profile,
        request,
        left_out,
    }) = effects.first()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(path, Path::new("/nowhere/config.toml"));
    assert_eq!(profile, &None);
    assert_eq!(*left_out, 1);
    assert_eq!(request.name, "New account");
    assert_eq!(
        (request.method, request.path.as_str()),
        (Method::Post, "/Accounts")
    );
    assert_eq!(
        request.headers,
        vec![Param::new("X-Correlation", "saved-test")]
    );
    assert_eq!(request.body, new_account().body);
}

#[test]
fn a_path_with_placeholders_not_filled_is_saved_as_a_template() {
    let mut app = common::signed_in_app();
    app.use_config(config::Loaded {
        path: Some("/nowhere/config.toml".into()),
        ..Default::default()
    });
    let op = younium_tui::younium::catalog::catalog()
        .find(Method::Get, "/Accounts/x")
        .unwrap()
        .clone();
    app.update(younium_tui::tui::app::Action::Load(Box::new(
        younium_tui::tui::app::Loading::Operation(Box::new(op)),
    )));
    crate::common::keys::focus(&mut app, Focus::Request);
    ctrl(&mut app, 's');
    let effects = press(&mut app, KeyCode::Enter);
    let Some(Effect::SaveRequest { request, .. }) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(request.name, "GET /Accounts/{id}");
    assert_eq!(request.path, "/Accounts/{id}");
    // Loaded again, the placeholder is a row to fill.
    app.update(younium_tui::tui::app::Action::Load(Box::new(
        younium_tui::tui::app::Loading::Request(request.to_request().clone()),
    )));
    assert_eq!(app.request().path_params().len(), 1);
    assert!(app.request().build().is_err());
}

#[test]
fn a_file_with_an_error_is_not_saved_into() {
    let mut app = common::signed_in_app();
    app.use_config(config::Loaded {
        path: Some("/cfg/config.toml".into()),
        ..Default::default()
    });
    app.config_unusable(&config::ConfigError::Invalid {
        path: "/cfg/config.toml".into(),
        line: 3,
        column: 1,
        message: "invalid key".into(),
    });
    assert!(ctrl(&mut app, 's').is_empty());
    assert!(app.overlay().is_none());
    let status = app.status().clone().unwrap();
    assert!(
        status.starts_with("not saved: the config file has an error"),
        "{status}"
    );
}

#[test]
fn the_answer_lists_the_request_in_the_saved_group_and_replacing_says_so() {
    let path = temp_config("answer", CONFIG);
    let mut app = app_from(&path, Some("sandbox"));
    assert!(app.catalog().saved().is_empty());
    crate::common::keys::focus(&mut app, Focus::Request);
    app.update(younium_tui::tui::app::Action::Load(Box::new(
        younium_tui::tui::app::Loading::Request(new_account().clone()),
    )));
    ctrl(&mut app, 's');
    let effects = press(&mut app, KeyCode::Enter);
    assert!(run_save(&mut app, effects).is_empty());
    let status = app.status().clone().unwrap();
    assert_eq!(
        status,
        format!(
            "saved \"POST /Accounts\" with profile sandbox in {} (a secret header was left out)",
            path.display()
        )
    );
    assert_eq!(app.catalog().saved().len(), 1);
    assert_eq!(app.catalog().saved()[0].profile.as_deref(), Some("sandbox"));

    // Saving again under the same name replaces it.
    ctrl(&mut app, 's');
    let effects = press(&mut app, KeyCode::Enter);
    run_save(&mut app, effects);
    assert!(
        app.status()
            .clone()
            .unwrap()
            .starts_with("replaced \"POST /Accounts\"")
    );
    assert_eq!(app.catalog().saved().len(), 1);

    // Another profile (P) does not see it.
    crate::common::keys::pick_profile(&mut app, 0, "prod");
    assert!(app.catalog().saved().is_empty());
    crate::common::keys::pick_profile(&mut app, 1, "sandbox");
    assert_eq!(app.catalog().saved().len(), 1);

    // d on it asks first, and yes deletes it from the file.
    assert!(app.overlay().is_none());
    crate::common::keys::focus(&mut app, Focus::Catalog);
    press(&mut app, KeyCode::Home);
    assert!(app.catalog().selected_saved().is_some());
    press(&mut app, KeyCode::Char('d'));
    let Some(Overlay::Confirm(confirm)) = &app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert!(matches!(&confirm.on_yes, OnYes::DeleteSaved { name, .. } if name == "POST /Accounts"));
    let effects = press(&mut app, KeyCode::Char('y'));
    let Some(Effect::DeleteSavedRequest {
        path: p,
        profile,
        name,
    }) = effects.into_iter().next()
    else {
        panic!("a delete effect")
    };
    let answer = saved_requests::delete(p, profile, name);
    app.update(Action::RequestSaved(answer));
    assert!(app.catalog().saved().is_empty());
    assert!(
        app.status()
            .clone()
            .unwrap()
            .starts_with("deleted \"POST /Accounts\"")
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), CONFIG);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn a_saved_request_survives_a_restart_and_the_files_comments_stay() {
    let path = temp_config("restart", CONFIG);
    {
        let mut app = app_from(&path, None);
        assert_eq!(app.profile().as_deref(), Some("sandbox"));
        crate::common::keys::focus(&mut app, Focus::Request);
        app.update(younium_tui::tui::app::Action::Load(Box::new(
            younium_tui::tui::app::Loading::Request(new_account().clone()),
        )));
        ctrl(&mut app, 's');
        ctrl(&mut app, 'u');
        typed(&mut app, "Create Acme Nordic");
        let effects = press(&mut app, KeyCode::Enter);
        run_save(&mut app, effects);
    }
    let text = std::fs::read_to_string(&path).unwrap();
    for kept in [
        "# Younium at work\n",
        "# the test tenant\n",
        "client_id = \"abc\" # from the admin page\n",
    ] {
        assert!(text.contains(kept), "{kept:?} lost:\n{text}");
    }
    assert!(
        !text.contains("eyJ") && !text.contains("idempotency"),
        "{text}"
    );

    // A new app from the same file, as at the next start.
    let mut app = app_from(&path, None);
    crate::common::keys::focus(&mut app, Focus::Catalog);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "acme nordic");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.catalog().match_count(), 1);
    let entry = app
        .catalog()
        .selected_saved()
        .expect("the saved request is selected");
    assert_eq!(entry.request.name, "Create Acme Nordic");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus(), Focus::Request);
    let built = app.request().build().unwrap();
    let original = new_account();
    assert_eq!(built.method, original.method);
    assert_eq!(built.path, original.path);
    assert_eq!(built.query, original.query);
    assert_eq!(
        built.headers,
        vec![Param::new("X-Correlation", "saved-test")]
    );
    assert_eq!(built.body, original.body);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn an_entry_that_does_not_read_is_skipped_and_the_app_starts() {
    let text = format!(
        "{CONFIG}\n[[requests]]\nname = \"odd\"\nmethod = \"FETCH\"\npath = \"/A\"\n\n[[requests]]\nname = \"fine\"\nmethod = \"GET\"\npath = \"/Users\"\n"
    );
    let path = temp_config("skip", &text);
    let app = app_from(&path, None);
    assert_eq!(app.profile().as_deref(), Some("sandbox"));
    assert!(app.config_error().is_none());
    assert_eq!(app.catalog().saved().len(), 1);
    assert_eq!(
        app.status().as_deref(),
        Some("saved request requests[0] skipped: \"odd\": unknown method \"FETCH\"")
    );
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn a_missing_config_file_is_created_where_the_app_looks_for_it() {
    let path = temp_config("create", "");
    std::fs::remove_file(&path).unwrap();
    let mut app = common::signed_in_app();
    app.use_config(config::Loaded {
        path: Some(path.clone()),
        ..Default::default()
    });
    ctrl(&mut app, 's');
    let effects = press(&mut app, KeyCode::Enter);
    run_save(&mut app, effects);
    assert_eq!(
        app.status().clone().unwrap(),
        format!(
            "saved \"GET /Accounts\" for every profile in {}",
            path.display()
        )
    );
    let file = ConfigFile::load(&path).unwrap().unwrap();
    assert_eq!(file.saved_requests(None).entries.len(), 1);
    assert_eq!(app.catalog().saved().len(), 1);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

/// An app whose config file holds saved requests (parsed, not read: nothing is written).
fn app_with_saved() -> App {
    let text = format!(
        "{CONFIG}\n[[profiles.sandbox.requests]]\nname = \"Open invoices\"\nmethod = \"GET\"\npath = \"/Invoices\"\nquery = [{{ name = \"Filter\", value = \"status eq 'Open'\" }}]\n\n[[requests]]\nname = \"Create Acme\"\nmethod = \"POST\"\npath = \"/Accounts\"\nbody = '{{}}'\n"
    );
    let file =
        ConfigFile::parse(Path::new("/home/me/.config/younium-tui/config.toml"), &text).unwrap();
    let mut app = common::signed_in_app();
    app.use_config(file.into());
    crate::common::keys::pick_profile(&mut app, 1, "sandbox");
    app
}

#[test]
fn the_saved_group_is_filtered_with_the_operations() {
    let mut app = app_with_saved();
    assert_eq!(app.catalog().saved().len(), 2);
    // With no filter the first saved request is selected.
    assert_eq!(
        app.catalog()
            .selected_saved()
            .map(|e| e.request.name.as_str()),
        Some("Open invoices")
    );
    crate::common::keys::focus(&mut app, Focus::Catalog);
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "post");
    let with_post = app.catalog().match_count();
    press(&mut app, KeyCode::Enter);
    // "post" matches the saved POST and the POST operations, not the saved GET.
    assert_eq!(
        app.catalog()
            .selected_saved()
            .map(|e| e.request.name.as_str()),
        Some("Create Acme")
    );
    press(&mut app, KeyCode::Down);
    assert!(app.catalog().selected_operation().is_some());
    assert!(with_post > 1);
}

/// The Endpoints pane alone, as the user gets it: focused and maximised (`Z`) on a 60×20
/// screen.
fn render_catalog(app: &mut App) -> String {
    app.update(Action::Resize(60, 20));
    crate::common::keys::focus(app, Focus::Catalog);
    press(app, KeyCode::Char('Z'));
    crate::common::screen::render(app)
}

#[test]
fn snapshot_catalog_with_the_saved_group() {
    let mut app = app_with_saved();
    insta::assert_snapshot!("catalog_saved_group", render_catalog(&mut app));
}

#[test]
fn snapshot_the_name_box() {
    let mut app = app_with_saved();
    app.update(younium_tui::tui::app::Action::Resize(100, 30));
    crate::common::keys::focus(&mut app, Focus::Request);
    ctrl(&mut app, 's');
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal.draw(|f| view::draw(&mut app, f)).unwrap();
    insta::assert_snapshot!("save_request_name_box", terminal.backend().to_string());
}

#[test]
fn ctrl_s_is_not_taken_from_the_body_editor_or_a_field() {
    let mut app = app_with_saved();
    crate::common::keys::focus(&mut app, Focus::Catalog);
    press(&mut app, KeyCode::Char('/'));
    // While the filter is typed into, Ctrl-S does not open the box.
    ctrl(&mut app, 's');
    assert!(app.overlay().is_none());
    press(&mut app, KeyCode::Esc);
    // Nor while the body is edited: the editor keeps its Ctrl keys.
    crate::common::keys::focus(&mut app, Focus::Request);
    app.update(younium_tui::tui::app::Action::Load(Box::new(
        younium_tui::tui::app::Loading::Request(new_account().clone()),
    )));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('e'));
    assert!(app.request().is_editing_body());
    ctrl(&mut app, 's');
    assert!(app.overlay().is_none());
    assert!(app.request().is_editing_body());
    // Done editing, it saves.
    press(&mut app, KeyCode::Esc);
    assert!(!app.is_editing());
    ctrl(&mut app, 's');
    assert!(matches!(app.overlay(), Some(Overlay::SaveRequest(_))));
}
