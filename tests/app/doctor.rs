//! The 401/403 diagnosis against the simulator over real HTTP: every verdict, legal-entity
//! discovery, and proof that no probe repeats a write. Also `younium-tui doctor` and
//! `younium-tui entities` as the built binary.

use crate::common;

use std::process::{Output, Stdio};
use std::sync::Arc;
use std::time::Duration;

use younium_tui::session::{ManagerOptions, TokenManager};
use younium_tui::simulator::{Simulator, SimulatorConfig, demo};
use younium_tui::younium::doctor::diagnose::{Diagnosis, Input, diagnose};
use younium_tui::younium::doctor::{DiscoverySource, Fix, LegalEntity, Me, VerdictKind, discover};
use younium_tui::younium::{
    ApiRequest, AuthMethod, CallSettings, Environment, Method, Param, Token,
};

use crate::common::clients::{connection, http};

const AB: &str = demo::LEGAL_ENTITIES[0].name;
const INC: &str = demo::LEGAL_ENTITIES[1].name;

async fn simulator(ttl: u64) -> Simulator {
    common::simulator_with(SimulatorConfig {
        token_ttl: Duration::from_secs(ttl),
        ..Default::default()
    })
    .await
}

fn env(sim: &Simulator) -> Environment {
    Environment::from_base_url(&sim.base_url()).unwrap()
}

async fn token_for(sim: &Simulator, id: &str, secret: &str) -> (TokenManager, Arc<Token>) {
    let conn = connection(&sim.base_url(), AuthMethod::ApiTokenV1, (id, secret));
    let manager = TokenManager::spawn(http(), Some(conn), ManagerOptions::default());
    let token = manager.token().await.unwrap();
    (manager, token)
}

/// Lets `token` (of one second) expire by both clocks: the simulator's is moved past its `exp`,
/// and this machine's, which the verdict reads, is waited for until the token's own expiry.
async fn expire(sim: &Simulator, token: &Token) {
    sim.advance_clock(Duration::from_secs(2));
    let left = token.remaining(jiff::Timestamp::now());
    let left = Duration::try_from(left).unwrap_or_default();
    tokio::time::sleep(left + Duration::from_millis(50)).await;
}

/// Diagnoses `req` as the demo user with `legal_entity`.
async fn run(sim: &Simulator, req: &ApiRequest, legal_entity: Option<&str>) -> Diagnosis {
    let (manager, token) = token_for(sim, demo::CLIENT_ID, demo::SECRET).await;
    run_with(
        sim,
        req,
        legal_entity,
        Some(token),
        &manager.issued_tokens(),
        &[],
    )
    .await
}

async fn run_with(
    sim: &Simulator,
    req: &ApiRequest,
    legal_entity: Option<&str>,
    token: Option<Arc<Token>>,
    issued: &[Arc<Token>],
    fallback: &[LegalEntity],
) -> Diagnosis {
    let http = http();
    let environment = env(sim);
    let settings = CallSettings {
        legal_entity: legal_entity.map(str::to_string),
        ..Default::default()
    };
    let input = Input {
        http: &http,
        environment: &environment,
        request: req,
        settings: &settings,
        token,
        issued,
        fallback_entities: fallback,
        known: None,
    };
    diagnose(input, |_| {}).await
}

fn get(path: &str) -> ApiRequest {
    ApiRequest::new(Method::Get, path)
}

#[tokio::test]
async fn a_working_call_is_said_to_work() {
    let sim = simulator(3600).await;
    let d = run(&sim, &get("/Accounts"), Some(AB)).await;
    assert_eq!(d.verdict.kind, VerdictKind::Works);
    assert_eq!(d.verdict.exit_code(), 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_misspelt_name_gets_a_suggestion_and_the_fix() {
    let sim = simulator(3600).await;
    let d = run(&sim, &get("/Accounts"), Some("Nordlys Sofware AB")).await;
    assert_eq!(d.status, Some(403));
    assert_eq!(
        d.verdict.kind,
        VerdictKind::UnknownEntity,
        "{:?}",
        d.verdict
    );
    assert!(
        d.verdict
            .details
            .iter()
            .any(|x| x.contains(&format!("did you mean {AB:?}"))),
        "{:?}",
        d.verdict
    );
    assert_eq!(
        d.verdict.fix,
        Some(Fix::UseLegalEntity { value: AB.into() })
    );
    let disc = d.discovery.unwrap();
    assert!(matches!(disc.source, DiscoverySource::Users { .. }));
    assert_eq!(disc.entities.len(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn case_and_spacing_differences_are_named() {
    let sim = simulator(3600).await;
    let d = run(&sim, &get("/Accounts"), Some("nordlys  software ab")).await;
    assert_eq!(d.verdict.kind, VerdictKind::UnknownEntity);
    assert!(
        d.verdict.details[0].contains("only in case, spacing or punctuation"),
        "{:?}",
        d.verdict
    );
    assert_eq!(
        d.verdict.fix,
        Some(Fix::UseLegalEntity { value: AB.into() })
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_guid_from_another_tenant_is_called_out() {
    let sim = simulator(3600).await;
    let d = run(
        &sim,
        &get("/Accounts"),
        Some("3b2f1e0a-9c8d-4e7f-a6b5-c4d3e2f1a0b9"),
    )
    .await;
    assert_eq!(d.verdict.kind, VerdictKind::UnknownEntity);
    assert!(
        d.verdict.details[0].contains("GUID from another tenant"),
        "{:?}",
        d.verdict
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_missing_header_with_two_entities_lists_both() {
    let sim = simulator(3600).await;
    let d = run(&sim, &get("/Accounts"), None).await;
    assert_eq!(d.verdict.kind, VerdictKind::MissingHeader);
    assert!(
        d.verdict.details[0].contains(AB) && d.verdict.details[0].contains(INC),
        "{:?}",
        d.verdict
    );
    assert!(d.verdict.details[0].contains(demo::LEGAL_ENTITIES[1].id));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_permission_missing_in_one_entity_names_it_and_where_it_works() {
    let sim = simulator(3600).await;
    let d = run(&sim, &get("/Invoices"), Some(INC)).await;
    assert_eq!(
        d.verdict.kind,
        VerdictKind::MissingPermission,
        "{:?}",
        d.verdict
    );
    assert!(
        d.verdict.headline.contains("Invoice View"),
        "{}",
        d.verdict.headline
    );
    assert!(
        d.verdict
            .details
            .iter()
            .any(|x| x.contains("Your role(s) in Nordlys Software Inc: Sales")),
        "{:?}",
        d.verdict
    );
    assert!(
        d.verdict
            .details
            .iter()
            .any(|x| x.contains(&format!("works in: {AB}"))),
        "{:?}",
        d.verdict
    );
    assert_eq!(
        d.verdict.fix,
        Some(Fix::UseLegalEntity { value: AB.into() })
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn forbidden_everywhere_falls_back_when_users_cannot_be_listed() {
    let sim = simulator(3600).await;
    let (manager, token) = token_for(&sim, demo::LIMITED_CLIENT_ID, demo::LIMITED_SECRET).await;
    let fallback = [LegalEntity {
        name: AB.into(),
        ..Default::default()
    }];
    let d = run_with(
        &sim,
        &get("/Invoices"),
        Some(AB),
        Some(token),
        &manager.issued_tokens(),
        &fallback,
    )
    .await;
    let disc = d.discovery.as_ref().unwrap();
    let DiscoverySource::Fallback { reason } = &disc.source else {
        panic!("{disc:?}")
    };
    assert!(reason.contains("User View"), "{reason}");
    assert_eq!(
        d.verdict.kind,
        VerdictKind::ForbiddenEverywhere,
        "{:?}",
        d.verdict
    );
    assert!(
        d.verdict.headline.contains("Invoice View"),
        "{}",
        d.verdict.headline
    );
    assert!(
        d.verdict.details[0].contains("GET /Accounts was allowed"),
        "{:?}",
        d.verdict
    );
    assert_eq!(d.verdict.exit_code(), 2);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_diagnosed() {
    let sim = simulator(1).await;
    let (manager, token) = token_for(&sim, demo::CLIENT_ID, demo::SECRET).await;
    expire(&sim, &token).await;
    let mut req = get("/Accounts");
    req.headers.push(Param::new(
        "Authorization",
        format!("Bearer {}", token.access.expose()),
    ));
    let d = run_with(&sim, &req, Some(AB), None, &manager.issued_tokens(), &[]).await;
    assert_eq!(d.status, Some(401));
    assert_eq!(d.verdict.kind, VerdictKind::Expired, "{:?}", d.verdict);
    assert_eq!(d.verdict.fix, Some(Fix::Renew));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_from_the_other_environment_is_diagnosed() {
    let sandbox = simulator(1).await;
    let production = simulator(3600).await;
    let (manager, token) = token_for(&sandbox, demo::CLIENT_ID, demo::SECRET).await;
    expire(&sandbox, &token).await;
    let mut req = get("/Accounts");
    req.headers.push(Param::new(
        "Authorization",
        format!("Bearer {}", token.access.expose()),
    ));
    // Known to this session: the origin is certain.
    let d = run_with(
        &production,
        &req,
        Some(AB),
        None,
        &manager.issued_tokens(),
        &[],
    )
    .await;
    assert_eq!(
        d.verdict.kind,
        VerdictKind::OtherEnvironment,
        "{:?}",
        d.verdict
    );
    assert!(
        d.verdict
            .details
            .iter()
            .any(|x| x.contains("It has also expired")),
        "{:?}",
        d.verdict
    );
    assert_eq!(
        d.verdict.fix,
        Some(Fix::SwitchEnvironment {
            base_url: sandbox.base_url()
        })
    );
    // Pasted from elsewhere: told from the JWT's issuer.
    let d = run_with(&production, &req, Some(AB), None, &[], &[]).await;
    assert_eq!(
        d.verdict.kind,
        VerdictKind::OtherEnvironment,
        "{:?}",
        d.verdict
    );
    sandbox.shutdown().await;
    production.shutdown().await;
}

#[tokio::test]
async fn a_revoked_token_is_rejected_while_valid() {
    let sim = simulator(3600).await;
    let (manager, token) = token_for(&sim, demo::CLIENT_ID, demo::SECRET).await;
    sim.revoke_all_tokens();
    let mut req = get("/Accounts");
    req.headers.push(Param::new(
        "Authorization",
        format!("Bearer {}", token.access.expose()),
    ));
    let d = run_with(&sim, &req, Some(AB), None, &manager.issued_tokens(), &[]).await;
    assert_eq!(d.verdict.kind, VerdictKind::Rejected, "{:?}", d.verdict);
    sim.shutdown().await;
}

#[tokio::test]
async fn no_probe_ever_repeats_a_write() {
    let sim = simulator(3600).await;
    for method in [Method::Post, Method::Patch, Method::Delete] {
        let mut req = ApiRequest::new(method, "/Accounts/A-000001");
        req.body = Some(r#"{"name":"x"}"#.into());
        let d = run(&sim, &req, Some("Nordlys Sofware AB")).await;
        assert_eq!(d.status, None, "the write itself is not sent");
        assert_eq!(d.plan.as_ref().unwrap().probe_label, "GET /Accounts");
        assert_eq!(d.verdict.kind, VerdictKind::UnknownEntity);
    }
    let writes: Vec<String> = sim
        .log()
        .iter()
        .filter(|r| r.method != "GET" && !r.path.to_ascii_lowercase().contains("token"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(writes.is_empty(), "writes were sent: {writes:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn discovery_follows_every_page_and_finds_my_roles() {
    let sim = simulator(3600).await;
    let (_m, token) = token_for(&sim, demo::CLIENT_ID, demo::SECRET).await;
    let me = Me::from_jwt(token.jwt.as_ref().ok());
    let d = discover(&http(), &sim.base_url(), &token, None, &me, &[]).await;
    let DiscoverySource::Users {
        users,
        current_user,
        ..
    } = &d.source
    else {
        panic!("{d:?}")
    };
    assert!(*users >= 3);
    assert!(
        current_user.is_some(),
        "the demo user is found among /Users"
    );
    let ab = d.entities.iter().find(|e| e.name == AB).unwrap();
    assert_eq!(ab.id.as_deref(), Some(demo::LEGAL_ENTITIES[0].id));
    assert_eq!(ab.roles, ["System Administrator"]);
    sim.shutdown().await;
}

async fn binary(sim: &Simulator, args: &[&str]) -> Output {
    let mut cmd = common::demo_binary(&sim.base_url());
    cmd.args(args);
    common::output(cmd).await
}

fn out(o: &Output) -> String {
    common::text(&o.stdout)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_falls_back_on_the_profiles_known_entities() {
    let sim = simulator(3600).await;
    let dir = common::binary::temp_dir("doctor-known");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.limited]\nknown_legal_entities = [{{ name = \"{AB}\", id = \"{}\" }}, {{ name = \"{INC}\" }}]\n",
            demo::LEGAL_ENTITIES[0].id
        ),
    )
    .unwrap();
    // This user cannot read GET /Users; the misspelt name is fixed from the profile's list.
    let mut cmd = common::binary();
    cmd.args(["doctor", "GET", "/Accounts", "--profile", "limited"])
        .args(["--legal-entity", "Nordlys Sofware AB", "--json"])
        .args([
            "--base-url",
            &sim.base_url(),
            "--client-id",
            demo::LIMITED_CLIENT_ID,
        ])
        .env("YOUNIUM_TUI_CONFIG", &config)
        .env("YOUNIUM_SECRET", demo::LIMITED_SECRET)
        .env_remove("YOUNIUM_LEGAL_ENTITY")
        .stdin(Stdio::null());
    let o = common::output(cmd).await;
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["discovery"]["source"]["kind"], "fallback", "{text}");
    assert_eq!(report["verdict"]["kind"], "unknown_entity", "{text}");
    assert_eq!(report["verdict"]["fix"]["value"], AB, "{text}");
    let _ = std::fs::remove_dir_all(&dir);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_command_exit_statuses_and_reports() {
    let sim = simulator(3600).await;
    let works = binary(&sim, &["doctor", "/Accounts", "--legal-entity", AB]).await;
    assert_eq!(works.status.code(), Some(0), "{}", out(&works));
    let fixable = binary(&sim, &["doctor", "GET", "/Invoices", "--legal-entity", INC]).await;
    assert_eq!(fixable.status.code(), Some(1));
    let text = out(&fixable);
    assert!(
        text.contains("PROBE") && text.contains("403 forbidden") && text.contains("200 allowed"),
        "{text}"
    );
    assert!(text.contains("Verdict: The legal entity \"Nordlys Software Inc\" is right, but your user lacks Invoice View"), "{text}");
    assert!(
        text.contains(&format!("Fix: --legal-entity '{AB}'")),
        "{text}"
    );
    assert!(!text.contains(demo::SECRET));
    let json = binary(
        &sim,
        &[
            "doctor",
            "POST",
            "/Accounts",
            "--legal-entity",
            "nobody",
            "--json",
        ],
    )
    .await;
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["verdict"]["kind"], "unknown_entity");
    assert_eq!(v["status"], serde_json::Value::Null);
    assert!(
        v["plan"]["write_not_repeated"]
            .as_str()
            .unwrap()
            .contains("never repeated")
    );
    assert!(
        sim.log()
            .iter()
            .all(|r| r.method == "GET" || r.path.to_ascii_lowercase().contains("token"))
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entities_command_lists_names_guids_and_roles() {
    let sim = simulator(3600).await;
    let o = binary(&sim, &["entities"]).await;
    assert!(o.status.success());
    let text = out(&o);
    assert!(
        text.contains(&format!(
            "{AB}   {}  System Administrator",
            demo::LEGAL_ENTITIES[0].id
        )),
        "{text}"
    );
    assert!(text.contains(INC) && text.contains("Sales"), "{text}");
    let json = binary(&sim, &["entities", "--json"]).await;
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["entities"].as_array().unwrap().len(), 2);
    sim.shutdown().await;
}

#[test]
fn doctor_refuses_production_without_yes() {
    let o = common::binary()
        .args([
            "doctor",
            "/Accounts",
            "--env",
            "production",
            "--client-id",
            "x",
        ])
        .env("YOUNIUM_SECRET", "y")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("pass --yes"));
}
