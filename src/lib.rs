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
pub mod history;
pub mod jq;
pub mod logging;
pub mod memory;
pub mod pretty;
pub mod sanitize;
pub mod session;
pub mod settings;
pub mod simulator;
pub mod tui;
pub mod younium;
