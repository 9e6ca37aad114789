//! The servers the tests talk to: the simulator, and made-up servers (axum routers) on a free
//! port of 127.0.0.1.

use std::net::SocketAddr;

use axum::Router;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use younium_tui::simulator::{Simulator, SimulatorConfig};

/// A simulator as configured by default, on a free port of 127.0.0.1.
pub async fn simulator() -> Simulator {
    simulator_with(SimulatorConfig::default()).await
}

/// A simulator as `config` says, on a free port of 127.0.0.1.
pub async fn simulator_with(config: SimulatorConfig) -> Simulator {
    Simulator::start_local(config)
        .await
        .expect("simulator starts")
}

/// Serves `app` on a free port of 127.0.0.1 until the test's runtime ends.
pub async fn serve(app: Router) -> SocketAddr {
    let socket = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(socket, app).await });
    addr
}

/// A made-up server's v1 token answer: a JWT for "me" that expires in 2096, valid an hour.
pub fn token_answer() -> Response {
    axum::Json(json!({
        "accessToken": super::jwt(json!({"sub": "me", "exp": 4_000_000_000i64})),
        "expiresIn": 3600,
    }))
    .into_response()
}
