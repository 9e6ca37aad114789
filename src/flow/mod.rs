//! Flows: requests run in order, values captured from one answer used in the next, and
//! expectations checked on each (`younium-tui run FLOW.toml`).
//!
//! ```toml
//! [vars]
//! name = "Flow {{$timestamp}} AB"
//!
//! [[step]]
//! name = "create the account"
//! method = "POST"
//! path = "/Accounts"
//! body = '{"name": "{{name}}", "currency": "SEK"}'
//! expect = { status = 201 }
//! capture = { accountId = ".id" }
//!
//! [[step]]
//! name = "read it back"
//! method = "GET"
//! path = "/Accounts/{{accountId}}"
//! expect = { status = 200, jq = ['.name == "{{name}}"'] }
//! ```
//!
//! A step without `expect.status` passes on any 2xx. `capture` keeps a jq filter's first
//! output (a string as it is, anything else as JSON) for the steps after it. Before the first
//! step is sent, [`check`] makes sure every variable a step uses is known (counting the names
//! the steps before it capture) and every filter compiles.

mod check;
mod checks;
pub mod data;
mod file;
mod run;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use check::{Problem, check};
pub use checks::read_saved_checks;
pub use file::{load, parse};
pub use run::{Outcome, StepResult, Verdict, judge, run_step};

use crate::younium::ApiRequest;

/// A flow as read from its file.
#[derive(Clone, Debug)]
pub struct Flow {
    pub path: PathBuf,
    /// The file's `[vars]`.
    pub vars: BTreeMap<String, String>,
    pub steps: Vec<Step>,
}

/// One `[[step]]`.
#[derive(Clone, Debug)]
pub struct Step {
    /// From 1, in file order.
    pub number: usize,
    /// Its `name`, else `METHOD path`.
    pub name: String,
    /// The line of its `[[step]]`.
    pub line: usize,
    /// The request with its templates not yet filled in.
    pub request: ApiRequest,
    /// `name = jq filter`, in name order.
    pub capture: Vec<(String, String)>,
    pub expect: Expect,
}

impl Step {
    /// "step 2 (read it back)", for messages.
    pub fn label(&self) -> String {
        format!(
            "step {} ({})",
            self.number,
            crate::sanitize::one_line(&self.name)
        )
    }
}

/// What a step's answer must be.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expect {
    /// The status; `None`: any 2xx.
    pub status: Option<u16>,
    /// Filters that must output `true` (every output, and at least one).
    pub jq: Vec<String>,
}

/// Why a flow file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("{path}: {error}")]
    Read { path: String, error: String },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

#[cfg(test)]
mod tests;
