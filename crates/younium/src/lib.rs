#![warn(missing_docs)]

//! A client for the Younium billing API: environments and origins, credentials, the token
//! exchange and a token manager that renews ahead of expiry, the one sending path (which keeps
//! the token to the origin that issued it), paging and every page of a list, the endpoint
//! catalogue with its schemas and body checks, error explanations and the 401/403 diagnosis.
//!
//! No terminal, HTTP-server or database code is in this crate or below it: the younium-tui app
//! and its simulator build on it, and so can any integrator.

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
pub mod text;
pub mod token;

pub use auth::{AuthError, AuthMethod, Connection, Credentials, UnknownAuthMethod};
pub use environment::Environment;
pub use problem::{Explanation, Problem};
pub use request::{ApiRequest, ApiResponse, ApiVersion, CallSettings, Method, Param};
pub use secret::Secret;
pub use token::{Token, TokenBadge, TokenState};
