//! What is checked before a flow's first step is sent: every variable a step uses is known
//! (the names earlier steps capture count), no variable refers to itself, every filter
//! compiles, and every body is JSON once filled in.

use super::{Flow, Step};
use crate::jq::Filter;
use crate::younium::template::{
    BUILTINS, Origin, Resolver, TemplateError, Vars, names, not_json, request_names,
};

/// Something that keeps a flow from running, and the step it is in.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{step}: {message}")]
pub struct Problem {
    /// "step 2 (read it back)".
    pub step: String,
    pub message: String,
}

/// The flow's problems (none: it can run). `vars` are the run's variables, the flow's
/// `[vars]` among them.
pub fn check(flow: &Flow, vars: &Vars) -> Vec<Problem> {
    let mut problems = Vec::new();
    // A captured value is not known yet: `0` stands in for it (JSON and jq alike).
    let mut stand_in = vars.clone();
    for step in &flow.steps {
        let label = step.label();
        let mut problem = |message: String| {
            problems.push(Problem {
                step: label.clone(),
                message,
            })
        };
        for (name, at) in used(step) {
            let known = if name.starts_with('$') {
                BUILTINS.contains(&name.as_str())
            } else {
                stand_in.get(&name).is_some()
            };
            if !known {
                problem(
                    TemplateError::Unknown {
                        name: name.clone(),
                        at,
                    }
                    .to_string(),
                );
            }
        }
        let mut filled = Resolver::new(stand_in.clone());
        match filled.request(&step.request, "") {
            Err(e @ TemplateError::Cycle { .. }) => problem(e.to_string()),
            Ok(request) => {
                let body = request.body.as_deref();
                if let Some(e) = body.and_then(|b| not_json(b, "the body")) {
                    problem(e.to_string());
                }
            }
            Err(_) => {}
        }
        let filters = step
            .capture
            .iter()
            .map(|(name, f)| (format!("capture {name}"), f))
            .chain(step.expect.jq.iter().map(|f| ("expect.jq".to_string(), f)));
        for (what, filter) in filters {
            let Ok(text) = filled.jq(filter, &what) else {
                continue;
            };
            if let Err(e) = Filter::compile(&text) {
                problem(format!(
                    "{what}: the filter {filter:?} does not compile: {e}"
                ));
            }
        }
        for (name, _) in &step.capture {
            stand_in.set(Origin::Session("captured".into()), name, "0");
        }
    }
    problems
}

/// Every name a step uses, with where: its request, then its filters.
fn used(step: &Step) -> Vec<(String, String)> {
    let mut found = request_names(&step.request);
    for (name, filter) in &step.capture {
        for used in names(filter) {
            found.push((used.to_string(), format!("capture {name}")));
        }
    }
    for filter in &step.expect.jq {
        for used in names(filter) {
            found.push((used.to_string(), "expect.jq".into()));
        }
    }
    found
}
