//! The one sending path: the token goes only to the origin that issued it. Two listeners on
//! loopback: `api` issues tokens and answers the API, `elsewhere` is another origin that logs
//! every request it gets. Links, pasted URLs, string-prefix tricks and redirects that point at
//! `elsewhere` must leave its log without a single `Authorization` header (here: empty).

use crate::common;
use crate::common::clients::http;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use younium_tui::session::{ApiClient, CallError, ManagerOptions, TokenManager};
use younium_tui::younium::auth::{self, AuthError};
use younium_tui::younium::doctor::{Me, discover};
use younium_tui::younium::request::{self, RequestError};
use younium_tui::younium::{ApiRequest, AuthMethod, CallSettings, Connection, Method};

/// Every request a listener saw: method, path and query, headers.
type Log = Arc<Mutex<Vec<(String, String, HeaderMap)>>>;

struct Listener {
    addr: SocketAddr,
    log: Log,
}

impl Listener {
    fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn requests(&self) -> Vec<(String, String, HeaderMap)> {
        self.log.lock().unwrap().clone()
    }
}

#[derive(Clone)]
struct Shared {
    log: Log,
    /// Where links and redirects point: the other origin.
    elsewhere: String,
    /// The token endpoint answers with this redirect to the other origin's.
    token_redirect: Option<StatusCode>,
}

async fn answer(State(shared): State<Shared>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    shared.log.lock().unwrap().push((
        req.method().to_string(),
        format!("{path}?{query}"),
        req.headers().clone(),
    ));
    let elsewhere = &shared.elsewhere;
    match path.as_str() {
        "/auth/token" if shared.token_redirect.is_some() => (
            shared.token_redirect.unwrap_or(StatusCode::FOUND),
            [(header::LOCATION, format!("{elsewhere}/auth/token"))],
        )
            .into_response(),
        "/auth/token" => common::servers::token_answer(),
        // A page of users whose nextPage link points at another origin.
        "/Users" => {
            let first = !query.contains("PageNumber=2");
            axum::Json(json!({
            "pageNumber": if first { 1 } else { 2 },
            "pageSize": 1, "totalPages": 2, "totalCount": 2,
            "nextPage": first.then(|| format!("{elsewhere}/Users?PageNumber=2")),
            "data": [{"id": "u1", "email": "me@example.com", "roles": [
                {"name": "Admin", "legalEntityId": "le-1", "legalEntityName": "Acme AB"}]}],
            }))
            .into_response()
        }
        "/moved-here" => (StatusCode::FOUND, [(header::LOCATION, "/Accounts")]).into_response(),
        "/moved-away" => (
            StatusCode::TEMPORARY_REDIRECT,
            [(header::LOCATION, format!("{elsewhere}/Accounts"))],
        )
            .into_response(),
        _ => axum::Json(json!({"pageNumber": 1, "totalPages": 1, "data": []})).into_response(),
    }
}

async fn listen(elsewhere: String) -> Listener {
    listen_with(elsewhere, None).await
}

async fn listen_with(elsewhere: String, token_redirect: Option<StatusCode>) -> Listener {
    let log = Log::default();
    let app = Router::new().fallback(answer).with_state(Shared {
        log: log.clone(),
        elsewhere,
        token_redirect,
    });
    let addr = common::servers::serve(app).await;
    Listener { addr, log }
}

/// `api` links and redirects to `elsewhere`; `elsewhere` links back to itself.
async fn listeners() -> (Listener, Listener) {
    let elsewhere = listen("http://127.0.0.1:9".into()).await;
    let api = listen(elsewhere.base()).await;
    (api, elsewhere)
}

fn connection(api: &Listener) -> Connection {
    let credentials = ("client", "not-for-elsewhere");
    common::clients::connection(&api.base(), AuthMethod::ApiTokenV1, credentials)
}

async fn client(api: &Listener) -> ApiClient {
    let conn = connection(api);
    let tokens = TokenManager::spawn(http(), Some(conn), ManagerOptions::default());
    tokens.token().await.expect("a token from the api listener");
    ApiClient {
        http: http(),
        tokens,
    }
}

fn settings() -> CallSettings {
    CallSettings {
        legal_entity: Some("Acme AB".into()),
        ..Default::default()
    }
}

fn assert_untouched(elsewhere: &Listener) {
    let seen = elsewhere.requests();
    assert!(
        seen.iter()
            .all(|(_, _, h)| !h.contains_key(header::AUTHORIZATION)),
        "the other origin saw the token: {seen:?}"
    );
    assert!(seen.is_empty(), "the other origin was called: {seen:?}");
}

#[tokio::test]
async fn discovery_never_follows_a_next_page_link_elsewhere() {
    let (api, elsewhere) = listeners().await;
    let client = client(&api).await;
    let token = client.tokens.token().await.unwrap();
    let found = discover(&client.http, &api.base(), &token, None, &Me::default(), &[]).await;
    assert_eq!(found.entities.len(), 1, "{found:?}");
    let pages: Vec<_> = api
        .requests()
        .into_iter()
        .filter(|(_, p, _)| p.starts_with("/Users"))
        .collect();
    assert_eq!(pages.len(), 2, "both pages read from the api listener");
    assert_untouched(&elsewhere);
}

#[tokio::test]
async fn a_pasted_url_to_another_origin_is_refused_naming_both() {
    let (api, elsewhere) = listeners().await;
    let client = client(&api).await;
    let port = elsewhere.addr.port();
    for path in [
        format!("http://127.0.0.1:{port}/Accounts"),
        format!("http://localhost:{port}/Accounts"),
        format!("{}@127.0.0.1:{port}/Accounts", api.base()),
    ] {
        let req = ApiRequest::new(Method::Get, path.clone());
        let err = client
            .call(&api.base(), &req, &settings())
            .await
            .unwrap_err();
        let CallError::Request(RequestError::Refused(refused)) = &err else {
            panic!("{path}: {err:?}");
        };
        let message = refused.to_string();
        assert!(message.contains(&format!(":{port}/Accounts")), "{message}");
        assert!(message.contains(&api.base()), "{message}");
    }
    assert_untouched(&elsewhere);
}

#[tokio::test]
async fn a_token_is_never_sent_to_an_origin_that_did_not_issue_it() {
    let (api, elsewhere) = listeners().await;
    let client = client(&api).await;
    let token = client.tokens.token().await.unwrap();
    let req = ApiRequest::new(Method::Get, "/Accounts");
    // Called with the other origin as the base: the URL is fine, the token is not.
    let err = request::send(
        &client.http,
        &elsewhere.base(),
        &req,
        &settings(),
        Some(&token),
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("the token was issued by {}", api.base())),
        "{err}"
    );
    assert_untouched(&elsewhere);
}

#[tokio::test]
async fn redirects_are_followed_only_within_the_origin() {
    let (api, elsewhere) = listeners().await;
    let client = client(&api).await;
    let here = client
        .call(
            &api.base(),
            &ApiRequest::new(Method::Get, "/moved-here"),
            &settings(),
        )
        .await
        .unwrap();
    assert_eq!(here.response.status, 200, "followed within the origin");
    let away = client
        .call(
            &api.base(),
            &ApiRequest::new(Method::Get, "/moved-away"),
            &settings(),
        )
        .await
        .unwrap();
    assert_eq!(
        away.response.status, 307,
        "answered as it stands, not followed"
    );
    assert_eq!(
        away.response.header("location"),
        Some(format!("{}/Accounts", elsewhere.base()).as_str())
    );
    assert_untouched(&elsewhere);
}

/// The secret goes only in the body of a request to the token endpoint asked: a redirect
/// (307 would re-send the body, 302 would fetch a token from elsewhere) is an error.
#[tokio::test]
async fn the_token_exchange_never_follows_a_redirect() {
    for status in [StatusCode::TEMPORARY_REDIRECT, StatusCode::FOUND] {
        let elsewhere = listen("http://127.0.0.1:9".into()).await;
        let api = listen_with(elsewhere.base(), Some(status)).await;
        let err = auth::exchange(&http(), &connection(&api))
            .await
            .unwrap_err();
        let AuthError::Redirected { location, .. } = &err else {
            panic!("{status}: {err:?}")
        };
        assert_eq!(location, &format!("{}/auth/token", elsewhere.base()));
        assert!(err.to_string().contains("check the base URL"), "{err}");
        assert!(err.is_permanent(), "not retried on its own");
        assert!(
            elsewhere.requests().is_empty(),
            "{status}: the other origin was called"
        );
    }
}
