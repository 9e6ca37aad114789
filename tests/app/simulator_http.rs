//! The embedded simulator over real HTTP: token endpoints, token checks, legal entities,
//! permissions, list shapes, paging, writes, idempotency and fault injection.

use std::time::{Duration, Instant};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::{Client, RequestBuilder, Response, StatusCode, header};
use serde_json::{Value, json};
use younium_tui::simulator::{Faults, Simulator, SimulatorConfig, demo};

use crate::common::clients::reqwest_client;
use crate::common::{demo_token, simulator, simulator_with};

const ENTITY_AB: &str = demo::LEGAL_ENTITIES[0].id;
const ENTITY_INC: &str = demo::LEGAL_ENTITIES[1].id;

async fn json_of(response: Response) -> Value {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

async fn post_token(
    client: &Client,
    sim: &Simulator,
    path: &str,
    id: &str,
    secret: &str,
) -> Response {
    client
        .post(format!("{}{path}", sim.base_url()))
        .json(&json!({"clientId": id, "secret": secret}))
        .send()
        .await
        .expect("token request")
}

/// A v1 token for the given API user.
async fn token_for(client: &Client, sim: &Simulator, id: &str, secret: &str) -> String {
    let response = post_token(client, sim, "/auth/token", id, secret).await;
    assert_eq!(response.status(), StatusCode::OK);
    json_of(response).await["accessToken"]
        .as_str()
        .expect("accessToken")
        .to_owned()
}

async fn legacy_token(client: &Client, sim: &Simulator, legal_entity: Option<&str>) -> Response {
    let mut form = vec![
        ("grant_type", "password"),
        ("username", demo::LEGACY_USERNAME),
        ("password", demo::LEGACY_PASSWORD),
        ("client_id", "apiclient"),
        ("scope", "openid youniumapi profile"),
    ];
    if let Some(entity) = legal_entity {
        form.push(("legal_entity", entity));
    }
    client
        .post(format!("{}/connect/token", sim.base_url()))
        .form(&form)
        .send()
        .await
        .expect("legacy token request")
}

/// A GET with the usual headers (api-version 2.1); `entity` None leaves out `legal-entity`.
fn get(
    client: &Client,
    sim: &Simulator,
    token: &str,
    path: &str,
    entity: Option<&str>,
) -> RequestBuilder {
    get_version(client, sim, token, path, entity, "2.1")
}

fn get_version(
    client: &Client,
    sim: &Simulator,
    token: &str,
    path: &str,
    entity: Option<&str>,
    version: &str,
) -> RequestBuilder {
    let request = client
        .get(format!("{}{path}", sim.base_url()))
        .bearer_auth(token)
        .header("api-version", version);
    match entity {
        Some(entity) => request.header("legal-entity", entity),
        None => request,
    }
}

async fn send(request: RequestBuilder) -> Response {
    request.send().await.expect("request")
}

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("JWT payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url"))
        .expect("claims JSON")
}

fn www_authenticate(response: &Response) -> String {
    response
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn problem_messages(body: &Value, key: &str) -> Vec<String> {
    body["errors"][key]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|m| m.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn assert_trace_id(body: &Value) {
    let trace = body["traceId"].as_str().expect("traceId");
    let parts: Vec<&str> = trace.split('-').collect();
    assert_eq!(parts.len(), 4, "{trace}");
    assert_eq!(
        (parts[0], parts[1].len(), parts[2].len(), parts[3]),
        ("00", 32, 16, "01")
    );
}

// ---------------------------------------------------------------- tokens

#[tokio::test]
async fn v1_token_answer_is_camel_case_with_a_true_rfc1123_date() {
    let sim = simulator().await;
    let client = reqwest_client();
    let response = post_token(&client, &sim, "/auth/token", demo::CLIENT_ID, demo::SECRET).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_of(response).await;
    let keys: Vec<&str> = body
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["expires", "expiresIn", "accessToken", "refreshToken"]
    );
    assert_eq!(body["expiresIn"], 86_400);
    // jiff rejects a weekday that does not match the date, so parsing proves it is right.
    let expires = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(body["expires"].as_str().expect("expires"))
        .expect("RFC 1123 date with the correct weekday");
    let token = body["accessToken"].as_str().expect("token");
    assert_eq!(token.split('.').count(), 3);
    let claims = claims(token);
    assert_eq!(claims["iss"], sim.base_url());
    assert_eq!(claims["sub"].as_str().map(str::len), Some(36));
    assert_eq!(claims["client_id"], demo::CLIENT_ID);
    let (iat, exp) = (
        claims["iat"].as_i64().expect("iat"),
        claims["exp"].as_i64().expect("exp"),
    );
    assert_eq!(exp, iat + 86_400);
    assert_eq!(expires.as_second(), exp);
    assert!(uuid::Uuid::parse_str(body["refreshToken"].as_str().expect("refresh")).is_ok());
}

#[tokio::test]
async fn v2_token_answer_is_snake_case() {
    let sim = simulator().await;
    let client = reqwest_client();
    let response = post_token(
        &client,
        &sim,
        "/auth/v2/token",
        demo::CLIENT_ID,
        demo::SECRET,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_of(response).await;
    let keys: Vec<&str> = body
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["access_token", "refresh_token", "expires_in", "expires"]
    );
    assert_eq!(body["expires_in"], 86_400);
    let token = body["access_token"].as_str().expect("token");
    let response = send(get(&client, &sim, token, "/Accounts", Some(ENTITY_AB))).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn token_failures_answer_an_errors_array() {
    let sim = simulator().await;
    let client = reqwest_client();
    let response = post_token(&client, &sim, "/auth/token", demo::CLIENT_ID, "wrong").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json_of(response).await,
        json!({"errors": ["Invalid client credentials"]})
    );

    let response = client
        .post(format!("{}/auth/token", sim.base_url()))
        .json(&json!({"clientId": demo::CLIENT_ID}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json_of(response).await;
    assert!(
        body["errors"][0]
            .as_str()
            .is_some_and(|m| m.contains("secret")),
        "{body}"
    );

    let response = client
        .post(format!("{}/auth/v2/token", sim.base_url()))
        .header(header::CONTENT_TYPE, "application/json")
        .body("{\"clientId\": ")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(json_of(response).await["errors"].is_array());

    // Routes ignore case, like ASP.NET.
    let response = post_token(&client, &sim, "/AUTH/Token", demo::CLIENT_ID, demo::SECRET).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn legacy_password_grant_bakes_in_the_legal_entity() {
    let sim = simulator().await;
    let client = reqwest_client();
    let response = legacy_token(&client, &sim, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_of(response).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 28_800);
    let token = body["access_token"].as_str().expect("token").to_owned();
    assert_eq!(claims(&token)["legal_entity"], ENTITY_AB);

    // No legal-entity header needed: the token's entity is used.
    let without_header =
        json_of(send(get(&client, &sim, &token, "/Accounts?PageSize=1", None)).await).await;
    let with_header = json_of(
        send(get(
            &client,
            &sim,
            &token,
            "/Accounts?PageSize=1",
            Some(ENTITY_AB),
        ))
        .await,
    )
    .await;
    assert_eq!(without_header["data"], with_header["data"]);

    // Choosing the other entity at login, by name; a header still wins over it.
    let response = legacy_token(&client, &sim, Some("nordlys software inc")).await;
    let inc_token = json_of(response).await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let inc =
        json_of(send(get(&client, &sim, &inc_token, "/Accounts?PageSize=1", None)).await).await;
    assert_ne!(inc["data"], with_header["data"]);
    let overridden = json_of(
        send(get(
            &client,
            &sim,
            &inc_token,
            "/Accounts?PageSize=1",
            Some(ENTITY_AB),
        ))
        .await,
    )
    .await;
    assert_eq!(overridden["data"], with_header["data"]);
}

#[tokio::test]
async fn legacy_grant_failures_are_oauth_errors() {
    let sim = simulator().await;
    let client = reqwest_client();
    let url = format!("{}/connect/token", sim.base_url());
    let attempt = |form: Vec<(&'static str, &'static str)>| client.post(&url).form(&form).send();
    let response = attempt(vec![
        ("grant_type", "password"),
        ("username", demo::LEGACY_USERNAME),
        ("password", "nope"),
        ("client_id", "apiclient"),
    ])
    .await
    .expect("request");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json_of(response).await,
        json!({"error": "invalid_grant", "error_description": "invalid_username_or_password"})
    );
    let response = attempt(vec![
        ("grant_type", "client_credentials"),
        ("client_id", "apiclient"),
    ])
    .await
    .expect("request");
    assert_eq!(json_of(response).await["error"], "unsupported_grant_type");
    let response = attempt(vec![
        ("grant_type", "password"),
        ("username", demo::LEGACY_USERNAME),
        ("password", demo::LEGACY_PASSWORD),
        ("client_id", "someone-else"),
    ])
    .await
    .expect("request");
    assert_eq!(json_of(response).await["error"], "invalid_client");
}

#[tokio::test]
async fn insights_accept_only_api_tokens() {
    let sim = simulator().await;
    let client = reqwest_client();
    let api = demo_token(&client, &sim.base_url()).await;
    let response = send(get(
        &client,
        &sim,
        &api,
        "/insights/Odata/recurringrevenue?$count=true",
        Some(ENTITY_AB),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_of(response).await;
    assert_eq!(body["@odata.count"], 12);
    assert!(body["value"][0]["Mrr"].is_number());

    let legacy = json_of(legacy_token(&client, &sim, None).await).await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let response = send(get(
        &client,
        &sim,
        &legacy,
        "/insights/Odata/recurringrevenue",
        Some(ENTITY_AB),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(
        www_authenticate(&response).contains("Legacy"),
        "{}",
        www_authenticate(&response)
    );
}

// ---------------------------------------------------------------- token checks

#[tokio::test]
async fn expired_tokens_are_refused_and_counted() {
    let sim = simulator_with(SimulatorConfig {
        token_ttl: Duration::from_secs(1),
        ..SimulatorConfig::default()
    })
    .await;
    let client = reqwest_client();
    let response = post_token(&client, &sim, "/auth/token", demo::CLIENT_ID, demo::SECRET).await;
    let body = json_of(response).await;
    assert_eq!(body["expiresIn"], 1);
    let token = body["accessToken"].as_str().expect("token").to_owned();
    let claims = claims(&token);
    assert_eq!(
        claims["exp"].as_i64(),
        claims["iat"].as_i64().map(|iat| iat + 1)
    );

    // Past its one second of life on the simulator's clock, without waiting for it.
    sim.advance_clock(Duration::from_secs(2));
    let response = send(get(&client, &sim, &token, "/Accounts", Some(ENTITY_AB))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = www_authenticate(&response);
    assert!(
        challenge.starts_with("Bearer error=\"invalid_token\""),
        "{challenge}"
    );
    assert!(challenge.contains("The token expired at"), "{challenge}");
    assert!(response.bytes().await.expect("body").is_empty());

    assert_eq!(sim.stats().requests_with_expired_token, 1);
    let last = sim.log().pop().expect("logged");
    assert!(last.token_expired);
    assert_eq!(last.status, 401);
}

#[tokio::test]
async fn tokens_from_another_environment_or_tampered_are_refused() {
    let sim = simulator().await;
    let other = simulator().await;
    let client = reqwest_client();
    let foreign = demo_token(&client, &other.base_url()).await;
    let response = send(get(&client, &sim, &foreign, "/Accounts", Some(ENTITY_AB))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = www_authenticate(&response);
    assert!(challenge.contains("another environment"), "{challenge}");

    // Same issuer, signature broken.
    let token = demo_token(&client, &sim.base_url()).await;
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[2] = URL_SAFE_NO_PAD.encode([0u8; 32]);
    let response = send(get(
        &client,
        &sim,
        &parts.join("."),
        "/Accounts",
        Some(ENTITY_AB),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(www_authenticate(&response).contains("signature is invalid"));

    // No token at all: a bare challenge.
    let response = send(
        client
            .get(format!("{}/Accounts", sim.base_url()))
            .header("legal-entity", ENTITY_AB),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(www_authenticate(&response), "Bearer");

    let response = send(get(
        &client,
        &sim,
        "not-a-jwt",
        "/Accounts",
        Some(ENTITY_AB),
    ))
    .await;
    assert!(www_authenticate(&response).contains("malformed"));
}

#[tokio::test]
async fn revoked_tokens_stop_working_and_new_ones_work() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    assert_eq!(
        send(get(&client, &sim, &token, "/Accounts", Some(ENTITY_AB)))
            .await
            .status(),
        StatusCode::OK
    );
    sim.revoke_all_tokens();
    let response = send(get(&client, &sim, &token, "/Accounts", Some(ENTITY_AB))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(www_authenticate(&response).contains("revoked"));
    let fresh = demo_token(&client, &sim.base_url()).await;
    assert_eq!(
        send(get(&client, &sim, &fresh, "/Accounts", Some(ENTITY_AB)))
            .await
            .status(),
        StatusCode::OK
    );
}

// ---------------------------------------------------------------- legal entities and permissions

#[tokio::test]
async fn legal_entity_header_is_matched_by_guid_or_name_and_otherwise_forbidden() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    let status = |entity: Option<&'static str>| {
        let request = get(&client, &sim, &token, "/Accounts", entity);
        async move { request.send().await.expect("request") }
    };
    assert_eq!(status(Some(ENTITY_AB)).await.status(), StatusCode::OK);
    assert_eq!(
        status(Some("c7F6D830-188D-4D3B-B6FC-3EEDE38FE9E3"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        status(Some("NORDLYS SOFTWARE AB")).await.status(),
        StatusCode::OK
    );
    for entity in [
        None,
        Some(""),
        Some("Nordlys Software GmbH"),
        Some("Nordlys  Software AB"),
    ] {
        let response = status(entity).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{entity:?}");
        assert!(response.bytes().await.expect("body").is_empty());
    }
}

#[tokio::test]
async fn invoice_view_is_missing_in_the_second_entity_only() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    let invoices = |entity| send(get(&client, &sim, &token, "/Invoices", Some(entity)));
    assert_eq!(invoices(ENTITY_AB).await.status(), StatusCode::OK);
    assert_eq!(invoices(ENTITY_INC).await.status(), StatusCode::FORBIDDEN);
    let accounts = send(get(&client, &sim, &token, "/Accounts", Some(ENTITY_INC))).await;
    assert_eq!(accounts.status(), StatusCode::OK);
}

#[tokio::test]
async fn limited_user_lacks_user_view_and_invoice_view_everywhere() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = token_for(&client, &sim, demo::LIMITED_CLIENT_ID, demo::LIMITED_SECRET).await;
    for entity in [ENTITY_AB, ENTITY_INC] {
        assert_eq!(
            send(get(&client, &sim, &token, "/Accounts", Some(entity)))
                .await
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            send(get(&client, &sim, &token, "/Invoices", Some(entity)))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            send(get(&client, &sim, &token, "/Users", Some(entity)))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        send(get(&client, &sim, &token, "/Users", None))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn users_list_legal_entities_and_work_without_the_header() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    let response = send(get(&client, &sim, &token, "/Users", None)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_of(response).await;
    let users = body["data"].as_array().expect("paged users");
    assert!(users.len() >= 5);
    let mut entities: Vec<(String, String)> = users
        .iter()
        .flat_map(|u| u["roles"].as_array().cloned().unwrap_or_default())
        .map(|r| {
            (
                r["legalEntityId"].as_str().unwrap_or_default().to_owned(),
                r["legalEntityName"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    entities.sort();
    entities.dedup();
    let expected: Vec<(String, String)> = demo::LEGAL_ENTITIES
        .iter()
        .map(|e| (e.id.to_owned(), e.name.to_owned()))
        .collect();
    assert_eq!(entities, expected);
    let me = users
        .iter()
        .find(|u| u["email"] == "api.demo@nordlys.example")
        .expect("demo user listed");
    assert_eq!(me["roles"][0]["name"], "System Administrator");
    assert_eq!(me["roles"][1]["name"], "Sales");
    let id = me["id"].as_str().expect("id");

    // The Sales role of the second entity: who has it, and what it lacks.
    let sales = me["roles"][1]["id"].as_str().expect("role id");
    let holders = json_of(
        send(get(
            &client,
            &sim,
            &token,
            &format!("/Users/ByRole/{sales}"),
            None,
        ))
        .await,
    )
    .await;
    let holders = holders["data"].as_array().expect("paged users");
    assert!(holders.iter().any(|u| u["id"] == id));
    let role = json_of(
        send(get(
            &client,
            &sim,
            &token,
            &format!("/Users/roles/{sales}"),
            None,
        ))
        .await,
    )
    .await;
    let permissions: Vec<&str> = role["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(permissions.contains(&"Account View"));
    assert!(!permissions.contains(&"Invoice View"));
    assert_eq!(
        send(get(&client, &sim, &token, &format!("/Users/{id}"), None))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        send(get(&client, &sim, &token, "/Users", Some(ENTITY_INC)))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        send(get(&client, &sim, &token, "/Users", Some("nobody")))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

// ---------------------------------------------------------------- versions and paging

#[tokio::test]
async fn api_version_2_0_answers_bare_arrays_and_2_1_pages() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    let v20 = send(get_version(
        &client,
        &sim,
        &token,
        "/Accounts",
        Some(ENTITY_AB),
        "2.0",
    ))
    .await;
    assert_eq!(v20.status(), StatusCode::OK);
    let all = json_of(v20).await;
    assert_eq!(all.as_array().map(Vec::len), Some(40));

    // No api-version header means 2.1.
    let v21 = send(
        client
            .get(format!("{}/accounts", sim.base_url()))
            .bearer_auth(&token)
            .header("legal-entity", ENTITY_AB),
    )
    .await;
    let body = json_of(v21).await;
    let keys: Vec<&str> = body
        .as_object()
        .expect("envelope")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "pageNumber",
            "pageSize",
            "totalPages",
            "totalCount",
            "firstPage",
            "lastPage",
            "data"
        ]
    );
    assert_eq!(body["totalCount"], 40);
    assert_eq!(body["data"].as_array().map(Vec::len), Some(40));
    assert_eq!(body["data"][0], all[0]);

    let response = send(get_version(
        &client,
        &sim,
        &token,
        "/Accounts",
        Some(ENTITY_AB),
        "3.0",
    ))
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json_of(response).await;
    assert_eq!(body["title"], "Unsupported API version");
    assert_trace_id(&body);
    // Two different versions at once are ambiguous.
    let response =
        send(get(&client, &sim, &token, "/Accounts", Some(ENTITY_AB)).header("api-version", "2.0"))
            .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(response).await["code"], "AmbiguousApiVersion");

    // Webhooks stay a bare array in 2.1.
    let webhooks =
        json_of(send(get(&client, &sim, &token, "/Webhooks", Some(ENTITY_AB))).await).await;
    assert!(webhooks.is_array());
}

#[tokio::test]
async fn next_page_links_walk_the_whole_list() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    let mut url = format!("{}/Accounts?pagesize=15", sim.base_url());
    let mut ids = Vec::new();
    let mut pages = 0;
    loop {
        let response = send(
            client
                .get(&url)
                .bearer_auth(&token)
                .header("legal-entity", ENTITY_AB),
        )
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        let body = json_of(response).await;
        pages += 1;
        assert_eq!(body["pageNumber"], pages);
        assert_eq!(body["totalPages"], 3);
        assert_eq!(body["previousPage"].is_string(), pages > 1);
        ids.extend(
            body["data"]
                .as_array()
                .expect("data")
                .iter()
                .map(|a| a["id"].clone()),
        );
        match body["nextPage"].as_str() {
            Some(next) => {
                assert!(next.starts_with(&sim.base_url()), "{next}");
                url = next.to_owned();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    ids.sort_by_key(|id| id.to_string());
    ids.dedup();
    assert_eq!(ids.len(), 40);
}

#[tokio::test]
async fn empty_lists_and_pages_past_the_end_answer_400_in_2_1() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    let response = send(get(
        &client,
        &sim,
        &token,
        "/Accounts?Filter=name%20eq%20'No%20Such%20Customer'",
        Some(ENTITY_AB),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json_of(response).await;
    assert_eq!(
        problem_messages(&body, "message"),
        ["No accounts could be found"]
    );
    assert_eq!(
        body["type"],
        "https://tools.ietf.org/html/rfc7231#section-6.5.1"
    );
    assert_eq!(body["title"], "One or more validation errors occurred.");
    assert_eq!(body["status"], 400);
    assert_trace_id(&body);

    let response = send(get(
        &client,
        &sim,
        &token,
        "/Invoices?PageNumber=99",
        Some(ENTITY_AB),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        problem_messages(&json_of(response).await, "message"),
        ["No invoices could be found"]
    );

    let response = send(get_version(
        &client,
        &sim,
        &token,
        "/Accounts?Filter=name%20eq%20'No%20Such%20Customer'",
        Some(ENTITY_AB),
        "2.0",
    ))
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(json_of(response).await, json!([]));
}

#[tokio::test]
async fn page_size_over_100_is_refused() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    let response = send(get(
        &client,
        &sim,
        &token,
        "/Accounts?PageSize=101",
        Some(ENTITY_AB),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json_of(response).await;
    assert!(!problem_messages(&body, "PageSize").is_empty(), "{body}");
    let response = send(get(
        &client,
        &sim,
        &token,
        "/Accounts?PageSize=100",
        Some(ENTITY_AB),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn filter_and_order_by_work_on_a_simple_subset() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    let query = "/Accounts?Filter=currencyCode%20eq%20'SEK'%20and%20defaultInvoiceAddress/country%20eq%20'Sweden'&OrderBy=name%20desc";
    let body = json_of(send(get(&client, &sim, &token, query, Some(ENTITY_AB))).await).await;
    let data = body["data"].as_array().expect("data");
    assert!(!data.is_empty());
    assert!(data.iter().all(|a| a["currencyCode"] == "SEK"));
    let names: Vec<String> = data
        .iter()
        .map(|a| a["name"].as_str().unwrap_or_default().to_lowercase())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(names, sorted);
    assert!(
        body["firstPage"]
            .as_str()
            .is_some_and(|link| link.contains("Filter="))
    );

    let response = send(get(
        &client,
        &sim,
        &token,
        "/Accounts?Filter=name%20like%20'x'",
        Some(ENTITY_AB),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let messages = problem_messages(&json_of(response).await, "Filter");
    assert!(
        messages[0].contains("unsupported operator 'like'"),
        "{messages:?}"
    );
}

#[tokio::test]
async fn records_by_id_and_account_sub_lists() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    let invoices = json_of(
        send(get(
            &client,
            &sim,
            &token,
            "/Invoices?PageSize=1",
            Some(ENTITY_AB),
        ))
        .await,
    )
    .await;
    let invoice = &invoices["data"][0];
    let account_id = invoice["account"]["id"].as_str().expect("account id");
    let account = json_of(
        send(get(
            &client,
            &sim,
            &token,
            &format!("/Accounts/{account_id}"),
            Some(ENTITY_AB),
        ))
        .await,
    )
    .await;
    assert_eq!(account["id"], account_id);
    let number = account["accountNumber"].as_str().expect("number");
    let by_number = json_of(
        send(get(
            &client,
            &sim,
            &token,
            &format!("/accounts/{number}"),
            Some(ENTITY_AB),
        ))
        .await,
    )
    .await;
    assert_eq!(by_number, account);

    let sub_list = json_of(
        send(get(
            &client,
            &sim,
            &token,
            &format!("/Accounts/{account_id}/Invoices"),
            Some(ENTITY_AB),
        ))
        .await,
    )
    .await;
    let listed = sub_list["data"].as_array().expect("data");
    assert!(listed.iter().all(|i| i["account"]["id"] == account_id));
    assert!(listed.iter().any(|i| i["id"] == invoice["id"]));

    let response = send(get(
        &client,
        &sim,
        &token,
        "/Accounts/00000000-0000-0000-0000-000000000000",
        Some(ENTITY_AB),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = json_of(response).await;
    assert_eq!(body["title"], "Not Found");
    assert_trace_id(&body);

    let response = send(get(
        &client,
        &sim,
        &token,
        "/Webhooks/00000000-0000-0000-0000-000000000000",
        Some(ENTITY_AB),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let response = send(get(&client, &sim, &token, "/NoSuchThing", Some(ENTITY_AB))).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------- writes

fn post(client: &Client, sim: &Simulator, token: &str, path: &str) -> RequestBuilder {
    client
        .post(format!("{}{path}", sim.base_url()))
        .bearer_auth(token)
        .header("api-version", "2.1")
        .header("legal-entity", ENTITY_AB)
}

#[tokio::test]
async fn posts_are_validated_then_created_patched_and_deleted() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;

    let response =
        send(post(&client, &sim, &token, "/Accounts").json(&json!({"currency": "SEK"}))).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json_of(response).await;
    assert_eq!(
        problem_messages(&body, "Name"),
        ["The Name field is required."]
    );
    assert_trace_id(&body);

    let response = send(
        post(&client, &sim, &token, "/Accounts")
            .header(header::CONTENT_TYPE, "application/json")
            .body("{\"name\": \"Broken\",, }"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let message = problem_messages(&json_of(response).await, "$").join(" ");
    assert!(message.contains("BytePositionInLine: 18"), "{message}");

    let response = send(
        post(&client, &sim, &token, "/Accounts")
            .json(&json!({"name": "Simulated Customer AB", "currency": "sek"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = json_of(response).await;
    assert_eq!(created["accountNumber"], "A-000041");
    assert_eq!(created["currencyCode"], "SEK");
    let id = created["id"].as_str().expect("id").to_owned();
    let fetched = json_of(
        send(get(
            &client,
            &sim,
            &token,
            &format!("/Accounts/{id}"),
            Some(ENTITY_AB),
        ))
        .await,
    )
    .await;
    assert_eq!(fetched, created);

    let response = send(
        client
            .patch(format!("{}/Accounts/{id}", sim.base_url()))
            .bearer_auth(&token)
            .header("legal-entity", ENTITY_AB)
            .header(header::CONTENT_TYPE, "application/merge-patch+json")
            .body(json!({"ourReference": "Sim", "customFields": {"segment": "SMB"}}).to_string()),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let patched = json_of(response).await;
    assert_eq!(patched["name"], "Simulated Customer AB");
    assert_eq!(patched["ourReference"], "Sim");
    assert_eq!(patched["customFields"]["segment"], "SMB");

    let response = send(
        client
            .delete(format!("{}/Accounts/{id}", sim.base_url()))
            .bearer_auth(&token)
            .header("legal-entity", ENTITY_AB),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = send(get(
        &client,
        &sim,
        &token,
        &format!("/Accounts/{id}"),
        Some(ENTITY_AB),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // The limited user may read accounts but not create them.
    let limited = token_for(&client, &sim, demo::LIMITED_CLIENT_ID, demo::LIMITED_SECRET).await;
    let response = send(
        post(&client, &sim, &limited, "/Accounts").json(&json!({"name": "X", "currency": "SEK"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn idempotency_keys_replay_the_first_answer() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    let create = |key: &'static str| {
        post(&client, &sim, &token, "/Subscriptions")
            .header("younium-idempotency-key", key)
            .json(&json!({"account": "A-000002", "status": "Draft", "description": "Replay me"}))
            .send()
    };
    let first = create("7c9e6679-7425-40de-944b-e07fc1f90ae7")
        .await
        .expect("request");
    assert_eq!(first.status(), StatusCode::CREATED);
    let headers = first.headers().clone();
    assert_eq!(
        headers
            .get("younium-idempotency-key")
            .and_then(|v| v.to_str().ok()),
        Some("7c9e6679-7425-40de-944b-e07fc1f90ae7")
    );
    assert_eq!(
        headers
            .get("younium-idempotency-durationinhours")
            .and_then(|v| v.to_str().ok()),
        Some("48")
    );
    assert!(headers.get("younium-idempotency-expires").is_some());
    let first = json_of(first).await;
    assert_eq!(first["account"]["accountNumber"], "A-000002");

    let again = create("7c9e6679-7425-40de-944b-e07fc1f90ae7")
        .await
        .expect("request");
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(json_of(again).await, first);
    let other = json_of(create("another-key").await.expect("request")).await;
    assert_ne!(other["id"], first["id"]);

    let v20 = send(get_version(
        &client,
        &sim,
        &token,
        "/Subscriptions?Filter=description%20eq%20'Replay%20me'",
        Some(ENTITY_AB),
        "2.0",
    ))
    .await;
    assert_eq!(json_of(v20).await.as_array().map(Vec::len), Some(2));
}

// ---------------------------------------------------------------- faults

#[tokio::test]
async fn drop_fault_closes_the_connection_without_a_response() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    sim.set_faults("drop=1".parse().expect("spec"));
    let error = get(&client, &sim, &token, "/Accounts", Some(ENTITY_AB))
        .send()
        .await
        .expect_err("the connection is dropped");
    assert!(error.status().is_none(), "{error:?}");
    assert!(!error.is_timeout(), "{error:?}");
    assert!(error.is_request() || error.is_connect(), "{error:?}");
    assert_eq!(sim.log().last().map(|r| r.status), Some(0));

    sim.set_faults(Faults::default());
    let response = send(get(&client, &sim, &token, "/Accounts", Some(ENTITY_AB))).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn rate_limit_and_server_error_faults() {
    let sim = simulator_with(SimulatorConfig {
        faults: "429=1".parse().expect("spec"),
        ..SimulatorConfig::default()
    })
    .await;
    let client = reqwest_client();
    // Token endpoints are not hit by 429/5xx faults.
    let token = demo_token(&client, &sim.base_url()).await;
    let response = send(get(&client, &sim, &token, "/Accounts", Some(ENTITY_AB))).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    assert!(retry_after.and_then(|v| v.parse::<u64>().ok()).is_some());

    sim.set_faults("5xx=1".parse().expect("spec"));
    for _ in 0..5 {
        let response = send(get(&client, &sim, &token, "/Accounts", Some(ENTITY_AB))).await;
        assert!(
            matches!(response.status().as_u16(), 500 | 502 | 503),
            "{}",
            response.status()
        );
        assert_trace_id(&json_of(response).await);
    }
}

#[tokio::test]
async fn malformed_token_fault_answers_200_with_a_non_token() {
    let sim = simulator_with(SimulatorConfig {
        faults: "malformed-token".parse().expect("spec"),
        ..SimulatorConfig::default()
    })
    .await;
    let client = reqwest_client();
    for path in ["/auth/token", "/auth/v2/token", "/auth/token"] {
        let response = post_token(&client, &sim, path, demo::CLIENT_ID, demo::SECRET).await;
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.expect("body");
        let parsed: Option<Value> = serde_json::from_str(&text).ok();
        let token = parsed
            .as_ref()
            .and_then(|v| v.get("accessToken").or_else(|| v.get("access_token")));
        assert!(token.is_none(), "{text}");
    }
}

#[tokio::test]
async fn latency_fault_delays_every_response() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    sim.set_faults(Faults {
        latency: Duration::from_millis(300),
        ..Faults::default()
    });
    let started = Instant::now();
    let response = send(get(&client, &sim, &token, "/Accounts", Some(ENTITY_AB))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    let started = Instant::now();
    demo_token(&client, &sim.base_url()).await;
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn concurrent_exchanges_are_counted() {
    let sim = simulator().await;
    let client = reqwest_client();
    for _ in 0..3 {
        demo_token(&client, &sim.base_url()).await;
    }
    let stats = sim.stats();
    assert_eq!(stats.token_exchanges, 3);
    assert_eq!(stats.max_concurrent_exchanges, 1);

    let base = sim.base_url();
    let parallel = (0..4).map(|_| demo_token(&client, &base));
    futures::future::join_all(parallel).await;
    let stats = sim.stats();
    assert_eq!(stats.token_exchanges, 7);
    assert!(stats.max_concurrent_exchanges >= 2, "{stats:?}");
}

// ---------------------------------------------------------------- plumbing

#[tokio::test]
async fn the_log_records_requests_in_order() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    send(get(
        &client,
        &sim,
        &token,
        "/Accounts?PageSize=2",
        Some(ENTITY_AB),
    ))
    .await;
    let log = sim.log();
    assert_eq!(log.len(), 2);
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str(), log[0].status),
        ("POST", "/auth/token", 200)
    );
    assert!(String::from_utf8_lossy(&log[0].body).contains(demo::CLIENT_ID));
    assert_eq!(
        (log[1].path.as_str(), log[1].query.as_str(), log[1].status),
        ("/Accounts", "PageSize=2", 200)
    );
    assert!(
        log[1]
            .headers
            .iter()
            .any(|(name, value)| name == "legal-entity" && value == ENTITY_AB)
    );
    assert!(!log[1].token_expired);
    assert_eq!(sim.stats().api_calls, 1);
}

#[tokio::test]
async fn banner_says_how_to_connect_and_shutdown_stops_the_server() {
    let sim = simulator_with(SimulatorConfig {
        faults: "latency=5ms".parse().expect("spec"),
        ..SimulatorConfig::default()
    })
    .await;
    let banner = sim.banner();
    for expected in [
        sim.base_url().as_str(),
        demo::CLIENT_ID,
        demo::SECRET,
        demo::LEGACY_USERNAME,
        ENTITY_AB,
        ENTITY_INC,
        demo::LEGAL_ENTITIES[1].name,
        "86400",
        "latency=5ms",
    ] {
        assert!(
            banner.contains(expected),
            "banner lacks {expected}:\n{banner}"
        );
    }
    let url = format!("{}/auth/token", sim.base_url());
    sim.shutdown().await;
    let result = reqwest_client().post(url).json(&json!({})).send().await;
    assert!(result.is_err());
}

#[test]
fn public_types_can_cross_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Simulator>();
    assert_send_sync::<SimulatorConfig>();
    assert_send_sync::<Faults>();
}

#[tokio::test]
async fn subscription_lookups_resolve_on_create_and_patch() {
    let sim = simulator().await;
    let client = reqwest_client();
    let token = demo_token(&client, &sim.base_url()).await;
    let response = send(post(&client, &sim, &token, "/Subscriptions").json(
        &json!({"account": {"key": "accountNumber", "value": "a-000003"}, "status": "Draft", "invoiceAccount": "A-000004"}),
    ))
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let created = json_of(response).await;
    assert_eq!(created["account"]["accountNumber"], "A-000003");
    assert_eq!(created["invoiceAccount"]["accountNumber"], "A-000004");
    assert!(
        created["orderNumber"]
            .as_str()
            .is_some_and(|n| n.starts_with("O-"))
    );

    let response = send(
        client
            .patch(format!(
                "{}/Subscriptions/{}",
                sim.base_url(),
                created["id"].as_str().expect("id")
            ))
            .bearer_auth(&token)
            .header("legal-entity", ENTITY_AB)
            .json(&json!({"invoiceAccount": "A-000005", "remarks": "moved"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let patched = json_of(response).await;
    assert_eq!(patched["invoiceAccount"]["accountNumber"], "A-000005");
    assert_eq!(patched["account"]["accountNumber"], "A-000003");

    let response = send(
        post(&client, &sim, &token, "/Subscriptions")
            .json(&json!({"account": "A-999999", "status": "Draft"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(!problem_messages(&json_of(response).await, "account").is_empty());
}
