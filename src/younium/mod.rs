//! The Younium API domain: environments, credentials and tokens, requests and responses,
//! error bodies and their explanations, the endpoint catalogue. No terminal code lives here,
//! so the TUI, the headless commands and the tests all share it.

pub mod all_pages;
pub mod auth;
pub mod catalog;
pub mod doctor;
pub mod environment;
pub mod export;
pub mod limit;
pub mod origin;
pub mod paging;
pub mod problem;
pub mod request;
pub mod schema;
pub mod secret;
pub mod token;

pub use auth::{AuthError, AuthMethod, Connection, Credentials};
pub use environment::Environment;
pub use problem::{Explanation, Problem};
pub use request::{ApiRequest, ApiResponse, ApiVersion, CallSettings, Method, Param};
pub use secret::Secret;
pub use token::{Token, TokenBadge, TokenState};
