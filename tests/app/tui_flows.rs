//! Flows in the UI, driven through `update`: the Flows group lists the files, `Enter` opens a
//! flow and loads a step, its answer is judged as `run` judges it (captures kept, the verdict
//! in the Response title), and `R` runs the steps in order, stopping at a failure.

use crossterm::event::KeyCode;
use younium_tui::tui::app::{Action, App, Effect, Focus, Overlay};
use younium_tui::tui::flows::discover;
use younium_tui::tui::panes::catalog::StepMark;
use younium_tui::younium::ApiRequest;
use younium_tui::younium::template::{Origin, Resolver};

use crate::common::keys::{focus, press};
use crate::common::{answer_with, signed_in_app};

const FLOW: &str = r#"
[vars]
customer = "Flow {{$timestamp}} AB"

[[step]]
name = "create"
method = "POST"
path = "/Accounts"
body = '{"name": "{{customer}}"}'
expect = { status = 201 }
capture = { accountId = ".id", limit = ".creditLimit" }

[[step]]
name = "read back"
method = "GET"
path = "/Accounts/{{accountId}}"
expect = { status = 200, jq = ['.name == "{{customer}}"'] }

[[step]]
name = "last"
method = "GET"
path = "/Accounts"
"#;

/// A signed-in app listing one flow file (written to a temporary folder).
fn app_with_flow(text: &str) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new-customer.toml");
    std::fs::write(&path, text).unwrap();
    let mut app = signed_in_app();
    app.use_flows(discover(None, &[path], None));
    app.update(Action::Resize(160, 48));
    focus(&mut app, Focus::Catalog);
    (app, dir)
}

/// The request `effects` send, with its id; a question first (the body is not all its schema
/// asks for) is answered yes.
fn confirmed(app: &mut App, effects: Vec<Effect>) -> (u64, ApiRequest) {
    if !effects.iter().any(|e| matches!(e, Effect::Send { .. }))
        && let Some(Overlay::Confirm(question)) = app.overlay()
    {
        assert!(question.title.contains("body"), "{question:?}");
        return sent(&press(app, KeyCode::Char('y')));
    }
    sent(&effects)
}

/// The one request `effects` send, with its id.
fn sent(effects: &[Effect]) -> (u64, ApiRequest) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { id, request, .. } => Some((*id, request.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("nothing sent: {effects:?}"))
}

/// Answers `id` with `status` and `body`, judges the step as the runner would, and returns
/// the effects of the verdict (the next step's send, in a run).
fn answer_and_judge(app: &mut App, id: u64, status: u16, body: &str) -> Vec<Effect> {
    let headers = vec![("content-type".into(), "application/json".into())];
    let effects = answer_with(app, id, (status, ""), headers, body.as_bytes());
    let Some(Effect::JudgeStep {
        id,
        step,
        vars,
        now,
        seed,
        response,
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::JudgeStep { .. }))
    else {
        panic!("the answer was not judged")
    };
    let mut resolver = Resolver::fixed(vars, now, seed);
    let result = younium_tui::flow::judge(&step, &mut resolver, &response);
    app.update(Action::StepJudged { id, result }).1
}

fn marks(app: &App) -> Vec<Option<StepMark>> {
    app.catalog().flows()[0]
        .steps
        .iter()
        .map(|s| s.mark.clone())
        .collect()
}

#[test]
fn the_flows_group_lists_the_file_and_enter_opens_it_and_loads_a_step() {
    let (mut app, _dir) = app_with_flow(FLOW);
    let flows = app.catalog().flows();
    assert_eq!(flows.len(), 1);
    assert_eq!(flows[0].name, "new-customer");
    assert_eq!(flows[0].steps.len(), 3);
    assert_eq!(app.catalog().selected_flow(), Some((0, None)));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.catalog().selected_flow(), Some((0, Some(0))));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.focus(), Focus::Request);
    assert_eq!(app.request().template(), "/Accounts");
    assert!(app.request().body_text().contains("{{customer}}"));
    assert_eq!(marks(&app)[0], Some(StepMark::Loaded));
    // The flow's [vars] are worked out once: the same name in every step.
    let (customer, origin) = app.vars().get("customer").unwrap();
    let customer = customer.to_string();
    assert!(
        customer.starts_with("Flow ") && !customer.contains("{{"),
        "{customer}"
    );
    assert_eq!(origin, &Origin::Flow);

    let effects = press(&mut app, KeyCode::F(5));
    let (id, request) = confirmed(&mut app, effects);
    assert_eq!(
        request.body.as_deref(),
        Some(format!(r#"{{"name": "{customer}"}}"#).as_str())
    );
    answer_and_judge(
        &mut app,
        id,
        201,
        r#"{"id": "A-9", "name": "x", "creditLimit": 1250.50}"#,
    );
    assert!(matches!(&marks(&app)[0], Some(StepMark::Passed(_))));
    assert_eq!(app.vars().get("accountId").unwrap().0, "A-9");
    assert_eq!(app.vars().get("limit").unwrap().0, "1250.50");
    let screen = crate::common::screen::render(&mut app);
    assert!(
        screen.contains("✓ step 1 (create) passed, kept {{accountId}} {{limit}}"),
        "{screen}"
    );
}

#[test]
fn r_runs_the_steps_in_order_and_stops_at_a_failure_with_its_answer_on_screen() {
    let (mut app, _dir) = app_with_flow(FLOW);
    let effects = press(&mut app, KeyCode::Char('R'));
    let (id, first) = confirmed(&mut app, effects);
    assert_eq!(first.path, "/Accounts");
    let customer = app.vars().get("customer").unwrap().0.to_string();
    let next = answer_and_judge(&mut app, id, 201, r#"{"id": "A-9"}"#);
    let (id, second) = sent(&next);
    assert_eq!(second.path, "/Accounts/A-9");
    // The name differs from the one the first step sent: step 2 fails, step 3 never goes.
    let next = answer_and_judge(&mut app, id, 200, r#"{"name": "someone else"}"#);
    assert!(
        !next.iter().any(|e| matches!(e, Effect::Send { .. })),
        "{next:?}"
    );
    let marks = marks(&app);
    assert!(matches!(&marks[0], Some(StepMark::Passed(_))));
    let Some(StepMark::Failed(why)) = &marks[1] else {
        panic!("{marks:?}")
    };
    assert!(why.contains(&format!(".name == \"{customer}\"")), "{why}");
    assert!(why.contains("got false"), "{why}");
    assert_eq!(marks[2], None);
    let status = app.status().clone().unwrap_or_default();
    assert!(
        status.starts_with("flow new-customer stopped at step 2 (read back)"),
        "{status}"
    );
    // The failing answer is the one on screen.
    assert_eq!(
        app.response().shown().unwrap().request.path,
        "/Accounts/A-9"
    );
    // On the failed step, the list's foot says what was not met.
    focus(&mut app, Focus::Catalog);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.catalog().selected_flow(), Some((0, Some(1))));
    insta::assert_snapshot!("flow_run_stopped", crate::common::screen::render(&mut app));
}

#[test]
fn a_whole_run_that_passes_says_so_and_a_flow_that_does_not_check_sends_nothing() {
    let (mut app, _dir) = app_with_flow(FLOW);
    let effects = press(&mut app, KeyCode::Char('R'));
    let (id, _) = confirmed(&mut app, effects);
    let customer = app.vars().get("customer").unwrap().0.to_string();
    let (id, _) = sent(&answer_and_judge(&mut app, id, 201, r#"{"id": "A-9"}"#));
    let body = format!(r#"{{"name": "{customer}"}}"#);
    let (id, _) = sent(&answer_and_judge(&mut app, id, 200, &body));
    let done = answer_and_judge(&mut app, id, 200, r#"{"data": []}"#);
    assert!(!done.iter().any(|e| matches!(e, Effect::Send { .. })));
    assert_eq!(
        app.status().as_deref(),
        Some("flow new-customer: all 3 steps passed")
    );

    let unknown = "[[step]]\nmethod = \"GET\"\npath = \"/Accounts/{{nobody}}\"\n";
    let (mut app, _dir) = app_with_flow(unknown);
    let effects = press(&mut app, KeyCode::Char('R'));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Send { .. })),
        "{effects:?}"
    );
    let status = app.status().clone().unwrap_or_default();
    assert!(
        status.starts_with("not run (nothing was sent):") && status.contains("{{nobody}}"),
        "{status}"
    );
}

#[test]
fn a_flow_file_that_does_not_read_is_listed_with_its_error_and_cannot_run() {
    let (mut app, _dir) = app_with_flow("[[step]]\nmethod = \"FETCH\"\npath = \"/A\"\n");
    let flow = &app.catalog().flows()[0];
    let error = flow.error.clone().expect("an error");
    assert!(
        error.contains("new-customer.toml:") && error.contains("FETCH"),
        "{error}"
    );
    let effects = press(&mut app, KeyCode::Char('R'));
    assert!(effects.is_empty(), "{effects:?}");
}

#[test]
fn loading_something_else_leaves_the_step() {
    let (mut app, _dir) = app_with_flow(FLOW);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(marks(&app)[0], Some(StepMark::Loaded));
    focus(&mut app, Focus::Catalog);
    press(&mut app, KeyCode::Char('/'));
    crate::common::keys::typed(&mut app, "get /users");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(marks(&app)[0], None);
    // Its answer is not judged as the step's.
    let (id, _) = sent(&press(&mut app, KeyCode::F(5)));
    let headers = vec![("content-type".into(), "application/json".into())];
    let effects = answer_with(&mut app, id, (200, ""), headers, b"{}");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::JudgeStep { .. }))
    );
}

#[test]
fn a_saved_request_with_checks_is_judged_and_the_flows_folder_beside_the_config_is_listed() {
    use younium_tui::config::{ConfigFile, Loaded};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "[[requests]]\nname = \"First account\"\nmethod = \"GET\"\npath = \"/Accounts\"\n\
         expect = { status = 200, jq = ['.data | length > 0'] }\n\
         capture = { firstId = \".data[0].id\" }\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("flows")).unwrap();
    std::fs::write(dir.path().join("flows/b.toml"), FLOW).unwrap();
    std::fs::write(dir.path().join("flows/a.toml"), FLOW).unwrap();
    std::fs::write(dir.path().join("flows/notes.txt"), "not a flow").unwrap();
    let file = ConfigFile::load(&path).unwrap();
    let loaded = Loaded {
        path: Some(path.clone()),
        file: file.clone(),
        error: None,
    };
    let flows = discover(Some(&path), &[], file.as_ref().map(|f| (f, None)));
    let mut app = signed_in_app();
    let flags = younium_tui::cli::ConnectionArgs {
        client_id: Some("id".into()),
        ..Default::default()
    };
    let settings = younium_tui::settings::resolve(&younium_tui::settings::Inputs {
        config: &loaded,
        profile: None,
        flags: &flags,
        env: &younium_tui::settings::EnvVars {
            secret: Some(younium_tui::younium::Secret::new("s")),
            theme: None,
        },
    })
    .unwrap();
    app.use_config(loaded);
    app.use_settings(&settings, &mut Vec::new());
    app.use_flows(flows);
    let names: Vec<&str> = app
        .catalog()
        .flows()
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["a", "b"]);

    // The Saved group comes first: Enter loads the saved request, F5 sends it.
    focus(&mut app, Focus::Catalog);
    assert_eq!(
        app.catalog()
            .selected_saved()
            .map(|s| s.request.name.as_str()),
        Some("First account")
    );
    press(&mut app, KeyCode::Enter);
    let (id, _) = sent(&press(&mut app, KeyCode::F(5)));
    answer_and_judge(&mut app, id, 200, r#"{"data": [{"id": "A-1"}]}"#);
    assert_eq!(app.vars().get("firstId").unwrap().0, "A-1");
    let screen = crate::common::screen::render(&mut app);
    assert!(
        screen.contains(r#"✓ saved request "First account" passed, kept {{firstId}}"#),
        "{screen}"
    );
}

#[test]
fn esc_during_a_run_stops_it_and_says_the_step_may_have_reached_the_server() {
    let (mut app, _dir) = app_with_flow(FLOW);
    let effects = press(&mut app, KeyCode::Char('R'));
    let (_, _) = confirmed(&mut app, effects);
    let effects = press(&mut app, KeyCode::Esc);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Cancel)),
        "{effects:?}"
    );
    assert!(!effects.iter().any(|e| matches!(e, Effect::Send { .. })));
    let Some(StepMark::Failed(why)) = &marks(&app)[0] else {
        panic!("{:?}", marks(&app))
    };
    assert!(why.contains("may have reached the server"), "{why}");
    let status = app.status().clone().unwrap_or_default();
    assert!(
        status.starts_with("flow new-customer stopped at step 1 (create): cancelled"),
        "{status}"
    );
}
