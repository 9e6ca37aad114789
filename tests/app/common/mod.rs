//! Helpers shared by the app's integration tests, one module a topic; the most used are named
//! here too.

pub mod app;
pub mod binary;
pub mod clients;
pub mod keys;
pub mod live;
pub mod oracle;
pub mod pty;
pub mod screen;
pub mod servers;
pub mod spec_api;
pub mod tokens;
pub mod viewer;

pub use app::{answer, answer_with, signed_in_app};
pub use binary::{binary, demo_binary, output, text};
pub use clients::{crypto, demo_token};
pub use servers::{simulator, simulator_with};
pub use tokens::{fixed_now, jwt, token};
