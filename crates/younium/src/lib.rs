//! A client for the Younium billing API: environments and origins, credentials, the token
//! exchange and a token manager that renews ahead of expiry, the one sending path (which keeps
//! the token to the origin that issued it), paging and every page of a list, the endpoint
//! catalogue with its schemas and body checks, error explanations and the 401/403 diagnosis.
//!
//! No terminal, HTTP-server or database code is in this crate or below it: the younium-tui app
//! and its simulator build on it, and so can any integrator. It runs on tokio.
//!
//! # Connecting
//!
//! An [`Environment`] is where the API lives: production or sandbox, EU or US
//! (`"sandbox".parse()`), or any base URL (a proxy, the simulator). A [`Connection`] pairs it
//! with [`Credentials`]: a client ID and a [`Secret`] for the API-token endpoints
//! ([`Connection::api_token`] is the usual way in), or the deprecated username and password.
//!
//! The [`TokenManager`](session::TokenManager) is a tokio task that owns the connection: it
//! exchanges the credentials, renews the token ahead of expiry
//! ([`ManagerOptions`](session::ManagerOptions)), runs one exchange at a time, backs off after a
//! failure, and publishes the [`TokenState`] on a `watch` channel for a countdown. Younium has no
//! public refresh endpoint, so renewing exchanges the credentials again; when `expiresIn`,
//! `expires` and the JWT's `exp` disagree, the earliest is believed. An
//! [`ApiClient`](session::ApiClient) is the manager with the [`Http`](request::Http) clients
//! (rustls, timeouts, size limits) that calls go through; [`ApiClient::new`] builds one.
//!
//! [`ApiClient::new`]: session::ApiClient::new
//!
//! # Sending
//!
//! An [`ApiRequest`] is a [`Method`], a path, query [`Param`]s, the caller's own headers and a
//! body; [`CallSettings`] add the `api-version` (2.1 unless told) and the `legal-entity` header
//! (a GUID or a name; a tenant with several legal entities answers 403 without it).
//! [`ApiClient::call`] takes a token from the manager and sends; a 401 renews the token and
//! sends once more ([`CallOutcome`](session::CallOutcome) says so). Underneath,
//! [`request::send`] is the one path every call with a token takes: the URL must lie inside the
//! environment's base URL and the token goes only to the origin that issued it, judged on parsed
//! URLs ([`origin`]), never on string prefixes.
//!
//! Any status is a response ([`ApiResponse`]); an `Err` means no whole answer came. Bodies are
//! read whole, up to [`HttpOptions::max_body`](request::HttpOptions::max_body), and kept as the
//! bytes received: numbers keep their digits until the caller parses them.
//!
//! [`ApiClient::call`]: session::ApiClient::call
//!
//! ```no_run
//! use younium::problem::{CallContext, explain};
//! use younium::request::{Http, HttpOptions};
//! use younium::session::ApiClient;
//! use younium::{ApiRequest, CallSettings, Connection, Environment, Method, Secret};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let environment: Environment = "sandbox".parse()?;
//! let secret = Secret::new(std::env::var("YOUNIUM_SECRET")?);
//! let connection = Connection::api_token(environment.clone(), "my-client-id", secret);
//! let client = ApiClient::new(Http::new(HttpOptions::default())?, connection);
//! let settings = CallSettings {
//!     legal_entity: Some("Nordlys Software AB".into()),
//!     ..CallSettings::default()
//! };
//! let request = ApiRequest::new(Method::Get, "/Accounts");
//! let response = client.call(environment.base_url(), &request, &settings).await?.response;
//! if response.is_success() {
//!     println!("{}", String::from_utf8_lossy(&response.body));
//! } else {
//!     let context = CallContext {
//!         method: "GET",
//!         path: &request.path,
//!         legal_entity: settings.legal_entity.as_deref(),
//!         sent_token: true,
//!         ..CallContext::default()
//!     };
//!     if let Some(explanation) = explain(response.status, &response.problem(), &context) {
//!         eprintln!("{}", explanation.headline);
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Lists and every page
//!
//! api-version 2.1 lists are envelopes of at most 100 records a page:
//! [`PageInfo::probe`](paging::PageInfo::probe) reads one without parsing its records, and
//! [`paging::with_page`] asks for another page. A 2.1 list with nothing in it (or paged past its
//! end) answers 400 "No … could be found", which [`ApiResponse::is_empty_list`] tells apart from
//! a failure. api-version 2.0 answers bare arrays; the v3 data-export API (`/v3/…`) pages by
//! following `nextPage`.
//!
//! [`all_pages::fetch_all`] fetches every page of a list, several requests in flight, and hands
//! each page's records to a [`Sink`](all_pages::Sink) in page order; it retries a page after a
//! 5xx or a dropped connection, waits out a 429, and ends with an
//! [`Outcome`](all_pages::Outcome) whose [`Finish`](all_pages::Finish) says whether every page
//! came (check it: a run that stopped half-way is still `Ok`);
//! [`fetch_all_with_defaults`](all_pages::fetch_all_with_defaults) is the same run with no
//! progress to tell and nothing to cancel it. [`all_pages::collect`] keeps the records as one
//! JSON array instead. [`records`] walks records one by one as the raw JSON text
//! the page holds. The example `examples/invoices_ndjson.rs` writes every invoice of a legal
//! entity as NDJSON this way.
//!
//! # The catalogue and body checks
//!
//! [`catalog::catalog`] holds every operation of Younium's published OpenAPI 2.1 spec, and the
//! v3 endpoints the API notes name (marked partly guessed): path and parameters, the permission
//! it needs (`Invoice View`), and its request and answer [`schema`]s.
//! [`Operation::validate_body`](catalog::Operation::validate_body) checks a body before it is
//! sent: a [`Report`](schema::Report) of errors (Younium would answer 400), values still to fill
//! in and warnings (an unknown field may be a custom field), each with its line.
//! [`Operation::skeleton`](catalog::Operation::skeleton) gives a body to start from.
//!
//! # Errors and their explanations
//!
//! Each layer has its own error type, with a message that says what happened and what to do:
//! [`AuthError`] for the token exchange (with
//! [`is_permanent`](AuthError::is_permanent): retrying cannot help),
//! [`RequestError`](request::RequestError) for sending, [`CallError`](session::CallError) for
//! both, [`AllPagesError`](all_pages::AllPagesError) for a run that could not start. An error
//! *status* is not an error value: [`Problem::read`] reads any error body (ProblemDetails,
//! `{"errors": […]}`, OAuth, text, a gateway's HTML page), and [`problem::explain`] turns a
//! status and its body into an [`Explanation`] (a headline, details, actions), made specific by
//! a [`CallContext`](problem::CallContext).
//!
//! # Why 401, why 403
//!
//! [`doctor::diagnose::diagnose`] finds out why a call answers 401 or 403. A 401 is judged on
//! the token that was sent against the ones the manager issued: none sent, expired (by this
//! machine's clock or the server's), issued by another environment, a legacy token where only
//! API tokens work, or refused while valid. For a 403 it lists the tenant's legal entities from
//! `GET /Users` (no endpoint lists them; each user's roles name theirs), then probes with GETs
//! only, never repeating a write: the header as sent, none, each legal entity by GUID and by
//! name, and a control on another resource. The [`Verdict`](doctor::Verdict) tells a wrong or
//! misspelled legal entity from a missing header, a permission missing in this legal entity
//! from one missing everywhere, and carries the [`Fix`](doctor::Fix) when there is one.
//!
//! # Hostile input
//!
//! Every answer is read with a size limit ([`limit`]); a [`Secret`] prints as `***` and is
//! masked out of what a server says ([`secret::redact_secret`]); text from a server goes
//! through [`sanitize`] before it reaches a terminal.

#![warn(missing_docs)]

pub mod all_pages;
pub mod auth;
pub mod catalog;
pub mod doctor;
pub mod environment;
pub mod export;
pub mod json_path;
pub mod limit;
pub mod origin;
pub mod paging;
pub mod problem;
pub mod records;
pub mod request;
pub mod sanitize;
pub mod schema;
pub mod secret;
pub mod session;
pub mod template;
pub mod text;
pub mod token;

pub use auth::{AuthError, AuthMethod, Connection, Credentials, UnknownAuthMethod};
pub use environment::Environment;
pub use problem::{Explanation, Problem};
pub use request::{ApiRequest, ApiResponse, ApiVersion, CallSettings, Method, Param};
pub use secret::Secret;
pub use token::{Token, TokenBadge, TokenState};
