//! younium-tui: explore and debug the Younium billing API from a terminal.
//!
//! The library holds everything; the binary only parses the command line and dispatches.
//! [`younium`] is the API domain (no terminal code), [`settings`] turns the config file and the
//! command line into connection settings, [`session`] runs the background token manager and
//! calls, [`simulator`] is the built-in Younium for the demo and the tests. [`sanitize`] is the
//! one place server- and file-supplied text is made safe to print.

pub mod cli;
pub mod commands;
pub mod config;
pub mod diff;
pub mod export;
pub mod flow;
pub mod history;
pub mod jq;
pub mod logging;
pub mod memory;
pub mod pretty;
pub mod settings;
pub mod tui;

/// The Younium client library, and the parts of it the app names by their own paths.
pub use younium;
pub use younium::{sanitize, session};
/// The built-in Younium (`--demo`, `simulate`, the tests).
pub use younium_simulator as simulator;
