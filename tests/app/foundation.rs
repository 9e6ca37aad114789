//! The library against the simulator over real HTTP on 127.0.0.1: token exchange (v1, v2,
//! legacy), wrong credentials, renewal, 401 → renew → retry, legal entities, permissions,
//! api-version shapes, the empty-list 400, and every fault mode reaching the caller as a clear
//! error.

use crate::common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{simulator, simulator_with};
use younium_tui::session::{ApiClient, CallError, ManagerOptions, TokenManager};
use younium_tui::simulator::{Faults, Simulator, SimulatorConfig, demo};
use younium_tui::younium::auth::{self, AuthError};
use younium_tui::younium::paging::PageInfo;
use younium_tui::younium::problem::{CallContext, explain};
use younium_tui::younium::request::{Http, HttpOptions, RequestError, TransportKind};
use younium_tui::younium::{
    ApiRequest, ApiResponse, ApiVersion, AuthMethod, CallSettings, Connection, Credentials,
    Environment, Method, Param, Secret, TokenState,
};

fn http() -> Http {
    common::crypto();
    Http::new(HttpOptions {
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(20),
        ..HttpOptions::default()
    })
    .unwrap()
}

fn connection(sim: &Simulator, method: AuthMethod) -> Connection {
    let credentials = match method {
        AuthMethod::Legacy => (demo::LEGACY_USERNAME, demo::LEGACY_PASSWORD),
        _ => (demo::CLIENT_ID, demo::SECRET),
    };
    common::clients::connection(&sim.base_url(), method, credentials)
}

fn client(sim: &Simulator, options: ManagerOptions) -> ApiClient {
    let connection = connection(sim, AuthMethod::ApiTokenV1);
    common::clients::api_client(http(), connection, options)
}

fn settings(entity: Option<&str>) -> CallSettings {
    CallSettings {
        api_version: ApiVersion::V2_1,
        legal_entity: entity.map(str::to_string),
    }
}

async fn get(client: &ApiClient, sim: &Simulator, path: &str, entity: Option<&str>) -> ApiResponse {
    let mut req = ApiRequest::new(Method::Get, path);
    req.query.push(Param::new("PageSize", "5"));
    client
        .call(&sim.base_url(), &req, &settings(entity))
        .await
        .expect("a response")
        .response
}

const AB: &str = demo::LEGAL_ENTITIES[0].name;
const INC: &str = demo::LEGAL_ENTITIES[1].name;

#[tokio::test]
async fn token_exchange_v1_v2_and_legacy() {
    let sim = simulator().await;
    for method in AuthMethod::ALL {
        let token = auth::exchange(&http(), &connection(&sim, method))
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"));
        let ttl = if method == AuthMethod::Legacy {
            28_800
        } else {
            86_400
        };
        let left = token.remaining(jiff::Timestamp::now()).as_secs();
        assert!((ttl - 60..=ttl).contains(&left), "{method}: {left} s left");
        let jwt = token.jwt.as_ref().expect("a decodable JWT");
        assert!(jwt.time_claim("exp").is_some());
        assert_eq!(token.origin.method, method);
        assert!(
            token
                .expiry
                .disagreements(token.requested_at, token.server_skew)
                .is_empty(),
            "{method}"
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_show_the_servers_message() {
    let sim = simulator().await;
    let mut conn = connection(&sim, AuthMethod::ApiTokenV1);
    conn.credentials.secret = Secret::new("wrong");
    let err = auth::exchange(&http(), &conn).await.unwrap_err();
    assert!(
        matches!(&err, AuthError::Rejected { status: 401, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("Invalid client credentials"),
        "{err}"
    );
    assert!(err.is_permanent());
    let mut legacy = connection(&sim, AuthMethod::Legacy);
    legacy.credentials.secret = Secret::new("wrong");
    let err = auth::exchange(&http(), &legacy).await.unwrap_err();
    assert!(
        err.to_string().contains("invalid_username_or_password"),
        "{err}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn manager_reports_rejected_credentials_and_does_not_retry_on_its_own() {
    let sim = simulator().await;
    let mut conn = connection(&sim, AuthMethod::ApiTokenV2);
    conn.credentials.secret = Secret::new("wrong");
    let manager = TokenManager::spawn(
        http(),
        Some(conn),
        ManagerOptions {
            min_backoff: Duration::from_millis(50),
            ..Default::default()
        },
    );
    let err = manager.token().await.unwrap_err();
    assert!(
        err.to_string().contains("Invalid client credentials"),
        "{err}"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(matches!(
        manager.state(),
        TokenState::Failed { retry_at: None, .. }
    ));
    assert!(
        sim.stats().token_exchanges <= 2,
        "{} exchanges",
        sim.stats().token_exchanges
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renewal_happens_before_expiry_and_no_call_carries_an_expired_token() {
    let sim = simulator_with(SimulatorConfig {
        token_ttl: Duration::from_secs(3),
        ..Default::default()
    })
    .await;
    let client = client(&sim, ManagerOptions::default());
    let first = client.tokens.token().await.unwrap();
    let started = Instant::now();
    let mut statuses = Vec::new();
    while started.elapsed() < Duration::from_secs(7) {
        statuses.push(get(&client, &sim, "/Accounts", Some(AB)).await.status);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let stats = sim.stats();
    assert!(
        stats.token_exchanges >= 3,
        "renewed {} times",
        stats.token_exchanges
    );
    assert_eq!(stats.requests_with_expired_token, 0);
    assert_eq!(stats.max_concurrent_exchanges, 1);
    let now = client.tokens.state();
    assert!(!Arc::ptr_eq(now.token().unwrap(), &first));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_waiters_share_one_exchange() {
    let sim = simulator().await;
    let client = client(&sim, ManagerOptions::default());
    let waits: Vec<_> = (0..20)
        .map(|_| {
            let t = client.tokens.clone();
            tokio::spawn(async move { t.token().await })
        })
        .collect();
    for w in waits {
        w.await.unwrap().unwrap();
    }
    let stats = sim.stats();
    assert_eq!(stats.token_exchanges, 1);
    assert_eq!(stats.max_concurrent_exchanges, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_401_renews_once_and_retries_once() {
    let sim = simulator().await;
    let client = client(&sim, ManagerOptions::default());
    assert_eq!(get(&client, &sim, "/Accounts", Some(AB)).await.status, 200);
    sim.revoke_all_tokens();
    let req = ApiRequest::new(Method::Get, "/Accounts");
    let outcome = client
        .call(&sim.base_url(), &req, &settings(Some(AB)))
        .await
        .unwrap();
    assert_eq!(outcome.response.status, 200);
    assert!(outcome.retried_after_401);
    assert_eq!(sim.stats().token_exchanges, 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn legal_entity_by_guid_by_name_wrong_and_missing() {
    let sim = simulator().await;
    let client = client(&sim, ManagerOptions::default());
    assert_eq!(
        get(&client, &sim, "/Accounts", Some(demo::LEGAL_ENTITIES[0].id))
            .await
            .status,
        200
    );
    assert_eq!(
        get(&client, &sim, "/Accounts", Some(&AB.to_uppercase()))
            .await
            .status,
        200
    );
    let wrong = get(&client, &sim, "/Accounts", Some("Nordlys Sofware AB")).await;
    assert_eq!(wrong.status, 403);
    let ctx = CallContext {
        method: "GET",
        path: "/Accounts",
        legal_entity: Some("Nordlys Sofware AB"),
        sent_token: true,
        ..Default::default()
    };
    let e = explain(403, &wrong.problem(), &ctx).unwrap();
    assert!(
        e.details[0].contains("legal-entity: Nordlys Sofware AB was sent"),
        "{e:?}"
    );
    let missing = get(&client, &sim, "/Accounts", None).await;
    assert_eq!(missing.status, 403);
    assert!(missing.sent.header("legal-entity").is_none());
    sim.shutdown().await;
}

#[tokio::test]
async fn a_missing_permission_is_a_403_in_one_entity_only() {
    let sim = simulator().await;
    let client = client(&sim, ManagerOptions::default());
    assert_eq!(get(&client, &sim, "/Invoices", Some(AB)).await.status, 200);
    assert_eq!(get(&client, &sim, "/Invoices", Some(INC)).await.status, 403);
    assert_eq!(get(&client, &sim, "/Accounts", Some(INC)).await.status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn api_versions_have_their_own_list_shapes() {
    let sim = simulator().await;
    let client = client(&sim, ManagerOptions::default());
    let paged = get(&client, &sim, "/Accounts", Some(AB)).await;
    let page = PageInfo::probe(&paged.body).expect("a 2.1 envelope");
    assert_eq!(page.page_number, 1);
    assert!(page.has_next && page.total_count.unwrap() > 5);
    let req = ApiRequest::new(Method::Get, "/Accounts");
    let v20 = CallSettings {
        api_version: ApiVersion::V2_0,
        legal_entity: Some(AB.into()),
    };
    let bare = client
        .call(&sim.base_url(), &req, &v20)
        .await
        .unwrap()
        .response;
    let value: serde_json::Value = serde_json::from_slice(&bare.body).unwrap();
    assert!(value.is_array());
    assert_eq!(
        value.as_array().unwrap().len() as u64,
        page.total_count.unwrap()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn an_empty_21_list_is_a_400_that_means_no_records() {
    let sim = simulator().await;
    let client = client(&sim, ManagerOptions::default());
    let mut req = ApiRequest::new(Method::Get, "/Accounts");
    req.query
        .push(Param::new("Filter", "name eq 'nobody at all'"));
    let response = client
        .call(&sim.base_url(), &req, &settings(Some(AB)))
        .await
        .unwrap()
        .response;
    assert_eq!(response.status, 400);
    assert!(
        response.is_empty_list(),
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    let past_end = {
        let mut r = ApiRequest::new(Method::Get, "/Accounts");
        r.query.push(Param::new("PageNumber", "999"));
        client
            .call(&sim.base_url(), &r, &settings(Some(AB)))
            .await
            .unwrap()
            .response
    };
    assert!(past_end.is_empty_list());
    let v20 = CallSettings {
        api_version: ApiVersion::V2_0,
        legal_entity: Some(AB.into()),
    };
    let bare = client
        .call(&sim.base_url(), &req, &v20)
        .await
        .unwrap()
        .response;
    assert_eq!((bare.status, &bare.body[..]), (200, &b"[]"[..]));
    sim.shutdown().await;
}

async fn with_fault(spec: &str) -> (Simulator, ApiClient) {
    let sim = simulator_with(SimulatorConfig {
        faults: spec.parse::<Faults>().unwrap(),
        ..Default::default()
    })
    .await;
    let client = client(
        &sim,
        ManagerOptions {
            min_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_millis(200),
            ..Default::default()
        },
    );
    (sim, client)
}

#[tokio::test]
async fn fault_latency_is_felt() {
    let (sim, client) = with_fault("latency=300ms").await;
    let response = get(&client, &sim, "/Accounts", Some(AB)).await;
    assert_eq!(response.status, 200);
    assert!(
        response.elapsed >= Duration::from_millis(290),
        "{:?}",
        response.elapsed
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn fault_server_errors_are_explained() {
    let (sim, client) = with_fault("5xx=1").await;
    let response = get(&client, &sim, "/Accounts", Some(AB)).await;
    assert!((500..600).contains(&response.status), "{}", response.status);
    let e = explain(
        response.status,
        &response.problem(),
        &CallContext::default(),
    )
    .unwrap();
    assert!(e.headline.contains("Server error"), "{e:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn fault_rate_limit_carries_retry_after() {
    let (sim, client) = with_fault("429=1").await;
    let response = get(&client, &sim, "/Accounts", Some(AB)).await;
    assert_eq!(response.status, 429);
    let retry = response.header("retry-after").expect("Retry-After");
    assert!(younium_tui::younium::request::parse_retry_after(retry).is_some());
    let ctx = CallContext {
        retry_after: Some(retry),
        ..Default::default()
    };
    assert!(
        explain(429, &response.problem(), &ctx)
            .unwrap()
            .details
            .iter()
            .any(|d| d.contains("Retry-After"))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn fault_dropped_connections_are_transport_errors() {
    let (sim, client) = with_fault("drop=1").await;
    let req = ApiRequest::new(Method::Get, "/Accounts");
    let err = client
        .call(&sim.base_url(), &req, &settings(Some(AB)))
        .await
        .unwrap_err();
    let CallError::Request(RequestError::Transport(t)) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind, TransportKind::Dropped, "{t}");
    assert!(
        err.to_string().contains("closed before a full answer"),
        "{err}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn fault_malformed_token_answers_are_reported() {
    let (sim, client) = with_fault("malformed-token").await;
    let err = client.tokens.token().await.unwrap_err();
    assert!(matches!(err, AuthError::Malformed(_)), "{err:?}");
    assert!(err.to_string().contains("could not be read"), "{err}");
    // Not permanent: the manager keeps trying with backoff.
    assert!(matches!(
        client.tokens.state(),
        TokenState::Failed {
            retry_at: Some(_),
            ..
        }
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_host_is_a_clear_error() {
    let sim = simulator().await;
    let base = sim.base_url();
    sim.shutdown().await;
    let conn = Connection {
        environment: Environment::from_base_url(&base).unwrap(),
        credentials: Credentials {
            method: AuthMethod::ApiTokenV1,
            id: "x".into(),
            secret: Secret::new("y"),
        },
        legacy_legal_entity: None,
    };
    let err = auth::exchange(&http(), &conn).await.unwrap_err();
    assert!(err.to_string().starts_with("could not connect to"), "{err}");
}

#[tokio::test]
async fn the_secret_is_only_ever_in_the_token_requests_body() {
    let sim = simulator().await;
    let client = client(&sim, ManagerOptions::default());
    get(&client, &sim, "/Accounts", Some(AB)).await;
    for entry in sim.log() {
        for (name, value) in &entry.headers {
            assert!(
                !value.contains(demo::SECRET),
                "secret in header {name} of {} {}",
                entry.method,
                entry.path
            );
        }
        assert!(!entry.query.contains(demo::SECRET));
        let body = String::from_utf8_lossy(&entry.body);
        if entry.path.eq_ignore_ascii_case("/auth/token") {
            assert!(body.contains(demo::SECRET));
        } else {
            assert!(
                !body.contains(demo::SECRET),
                "secret in the body of {} {}",
                entry.method,
                entry.path
            );
        }
    }
    sim.shutdown().await;
}
