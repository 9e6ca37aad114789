//! The front door every request passes: it is logged, delayed by the latency fault, and then
//! either answered by a token endpoint (which takes a little real time, so concurrent
//! exchanges can be observed) or, for API calls, possibly hit by an injected fault before the
//! API proper sees it.

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, Method, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{
    LoggedRequest,
    api::{self, ApiRequest},
    auth::{self, TokenEndpoint},
    conn::Connection,
    faults::{Faults, InjectedFault, ScriptedAction},
    reply::{Reply, server_error, trace_id},
    state::Shared,
};

/// Largest request body read (bigger ones answer 413).
const MAX_BODY: usize = 16 * 1024 * 1024;
/// How long a token exchange takes, on top of any latency fault.
const EXCHANGE_TIME: Duration = Duration::from_millis(30);
/// `Retry-After` of injected 429 and 503 answers, in seconds.
const RETRY_AFTER_SECONDS: u64 = 1;

/// The one axum handler: everything arrives here.
pub(crate) async fn entry(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(connection): ConnectInfo<Connection>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY).await;
    let endpoint = TokenEndpoint::from_path(parts.uri.path());
    let token_expired = endpoint.is_none() && shared.tokens.carries_expired_token(&parts.headers);
    let position = shared.log_received(log_entry(
        &parts,
        body.as_ref().map(|b| &b[..]).unwrap_or_default(),
        token_expired,
    ));
    let Ok(body) = body else {
        shared.log_status(position, StatusCode::PAYLOAD_TOO_LARGE.as_u16());
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };

    let faults = shared.faults();
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    let reply = match endpoint {
        Some(endpoint) => token_call(&shared, endpoint, &parts.method, &body, &faults).await,
        None => {
            shared.count_api_call(token_expired);
            let scripted = shared
                .script
                .take(parts.uri.path(), parts.uri.query().unwrap_or_default());
            if let Some(reply) = scripted_reply(&shared, scripted, &parts, &body, &connection).await
            {
                shared.log_status(position, reply.as_ref().map_or(0, |r| r.status.as_u16()));
                return match reply {
                    Some(reply) => reply.into_response(),
                    None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
                };
            }
            match shared.with_rng(|rng| faults.roll(rng)) {
                Some(InjectedFault::Drop) => {
                    connection.cut();
                    shared.log_status(position, 0);
                    // Never reaches the client: the connection fails before it is written.
                    return StatusCode::SERVICE_UNAVAILABLE.into_response();
                }
                Some(InjectedFault::RateLimited) => rate_limited(),
                Some(InjectedFault::ServerError(status)) => {
                    let status =
                        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    let reply = server_error(status, &shared.with_rng(trace_id));
                    if status == StatusCode::SERVICE_UNAVAILABLE {
                        reply.header(header::RETRY_AFTER, RETRY_AFTER_SECONDS.to_string())
                    } else {
                        reply
                    }
                }
                Some(InjectedFault::Html) => gateway_page(),
                Some(InjectedFault::Cut) => api_call(&shared, &parts, &body).cut_short(CUT_AT),
                None => api_call(&shared, &parts, &body),
            }
        }
    };
    shared.log_status(position, reply.status.as_u16());
    reply.into_response()
}

/// The answer to a request a scripted fault hit: `None` when none did, `Some(None)` when its
/// connection was cut.
async fn scripted_reply(
    shared: &Shared,
    action: Option<ScriptedAction>,
    parts: &Parts,
    body: &[u8],
    connection: &Connection,
) -> Option<Option<Reply>> {
    let reply = match action? {
        ScriptedAction::Drop => {
            connection.cut();
            return Some(None);
        }
        ScriptedAction::RateLimited { retry_after } => {
            let reply = Reply::json(
                StatusCode::TOO_MANY_REQUESTS,
                &json!({"statusCode": 429, "message": "Rate limit is exceeded."}),
            );
            match retry_after {
                Some(value) => reply.header(header::RETRY_AFTER, value),
                None => reply,
            }
        }
        ScriptedAction::ServerError(status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            server_error(status, &shared.with_rng(trace_id))
        }
        ScriptedAction::RevokeTokens => {
            shared.tokens.revoke_all();
            api_call(shared, parts, body)
        }
        ScriptedAction::Delay(wait) => {
            tokio::time::sleep(wait).await;
            api_call(shared, parts, body)
        }
        ScriptedAction::Html => gateway_page(),
        ScriptedAction::Cut => api_call(shared, parts, body).cut_short(CUT_AT),
    };
    Some(Some(reply))
}

/// How much of the body a `cut` fault lets through.
const CUT_AT: f64 = 0.6;

/// What a gateway in front of an API answers while the API is down: HTML, not JSON.
fn gateway_page() -> Reply {
    let page = "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n\
                <h1>502 Bad Gateway</h1>\n<p>The server did not receive a valid response from \
                the upstream server.</p>\n<hr><address>younium-tui simulator gateway</address>\n\
                </body>\n</html>\n";
    Reply::with_body(
        StatusCode::BAD_GATEWAY,
        "text/html; charset=utf-8",
        page.into(),
    )
}

fn api_call(shared: &Shared, parts: &Parts, body: &[u8]) -> Reply {
    let trace_id = shared.with_rng(trace_id);
    api::handle(
        shared,
        &ApiRequest {
            method: &parts.method,
            path: parts.uri.path(),
            query: parts.uri.query().unwrap_or_default(),
            headers: &parts.headers,
            body,
            trace_id: &trace_id,
        },
    )
}

async fn token_call(
    shared: &Shared,
    endpoint: TokenEndpoint,
    method: &Method,
    body: &[u8],
    faults: &Faults,
) -> Reply {
    if method != Method::POST {
        return Reply::empty(StatusCode::METHOD_NOT_ALLOWED).header(header::ALLOW, "POST");
    }
    let _in_flight = shared.exchange_started();
    tokio::time::sleep(EXCHANGE_TIME).await;
    if faults.hung_tokens {
        std::future::pending::<()>().await;
    }
    if faults.malformed_tokens {
        return shared.with_rng(auth::malformed_answer);
    }
    shared.tokens.exchange(endpoint, body)
}

/// 429 as an API gateway in front of Younium would send it. Younium documents no rate limits,
/// so the body shape (Azure API Management's) is a guess; `Retry-After` is what clients rely on.
fn rate_limited() -> Reply {
    Reply::json(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({
            "statusCode": 429,
            "message": format!("Rate limit is exceeded. Try again in {RETRY_AFTER_SECONDS} seconds."),
        }),
    )
    .header(header::RETRY_AFTER, RETRY_AFTER_SECONDS.to_string())
}

fn log_entry(parts: &Parts, body: &[u8], token_expired: bool) -> LoggedRequest {
    LoggedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: header_pairs(&parts.headers),
        body: body.to_vec(),
        status: 0,
        token_expired,
        received_at: std::time::Instant::now(),
        answered_at: None,
    }
}

fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}
