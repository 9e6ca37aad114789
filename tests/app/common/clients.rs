//! Clients of the servers the tests start: the library's (`Http`, `ApiClient`) and a plain
//! reqwest one, signed in with the simulator's demo client.

use std::time::Duration;

use serde_json::{Value, json};
use younium_tui::session::{ApiClient, ManagerOptions, TokenManager};
use younium_tui::simulator::{Simulator, demo};
use younium_tui::younium::request::{Http, HttpOptions};
use younium_tui::younium::{AuthMethod, Connection, Credentials, Environment, Secret};

/// Installs rustls' crypto provider (needed before any reqwest client is built).
pub fn crypto() {
    younium_tui::younium::request::install_crypto_provider();
}

/// The library's HTTP client with its default options.
pub fn http() -> Http {
    crypto();
    Http::new(HttpOptions::default()).unwrap()
}

/// A reqwest client that gives up after a minute (large bodies take a while in debug builds).
pub fn reqwest_client() -> reqwest::Client {
    crypto();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("reqwest client")
}

/// A v1 token for the simulator's demo client.
pub async fn demo_token(client: &reqwest::Client, base: &str) -> String {
    let response = client
        .post(format!("{base}/auth/token"))
        .json(&json!({"clientId": demo::CLIENT_ID, "secret": demo::SECRET}))
        .send()
        .await
        .expect("token request");
    assert!(response.status().is_success(), "{}", response.status());
    let answer: Value = response.json().await.expect("token JSON");
    answer["accessToken"]
        .as_str()
        .expect("accessToken")
        .to_owned()
}

/// Signing in to `base_url` by `method` as `id` with `secret`.
pub fn connection(base_url: &str, method: AuthMethod, (id, secret): (&str, &str)) -> Connection {
    Connection {
        environment: Environment::from_base_url(base_url).unwrap(),
        credentials: Credentials {
            method,
            id: id.into(),
            secret: Secret::new(secret),
        },
        legacy_legal_entity: None,
    }
}

/// The client of `connection` over `http`, its tokens managed by `options`.
pub fn api_client(http: Http, connection: Connection, options: ManagerOptions) -> ApiClient {
    ApiClient {
        tokens: TokenManager::spawn(http.clone(), Some(connection), options),
        http,
    }
}

/// The client of `sim` signed in as its demo client (v1) over `http`.
pub fn demo_client(sim: &Simulator, http: Http) -> ApiClient {
    let demo = (demo::CLIENT_ID, demo::SECRET);
    let connection = connection(&sim.base_url(), AuthMethod::ApiTokenV1, demo);
    api_client(http, connection, ManagerOptions::default())
}
