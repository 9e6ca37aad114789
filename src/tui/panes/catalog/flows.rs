//! The "Flows" group of the catalogue: a row per flow file, its steps below it once opened
//! (`Enter`), each step with how it last went (✓, ✗, running). The app owns the flows and
//! their runs; the pane shows what it is given ([`FlowItem`]) and says which step to load or
//! which flow to run.

use crate::younium::Method;

/// A flow as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowItem {
    /// The file's name without `.toml`.
    pub name: String,
    /// Where it was read from, shown under the list.
    pub file: String,
    /// Why the file could not be used (`file:line:column: what`); it then has no steps.
    pub error: Option<String>,
    pub steps: Vec<StepItem>,
}

/// A step as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepItem {
    pub method: Method,
    pub name: String,
    /// Its path as written (templates and all).
    pub path: String,
    pub mark: Option<StepMark>,
}

/// How a step last went in this session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepMark {
    /// In the builder, not sent since.
    Loaded,
    /// Sent; its answer is awaited or being checked.
    Running,
    /// Every expectation met: `201 · 12 ms`.
    Passed(String),
    /// What was not met (or why nothing came back).
    Failed(String),
}

impl StepMark {
    /// The sign shown before the step.
    pub fn sign(&self) -> &'static str {
        match self {
            StepMark::Loaded => "›",
            StepMark::Running => "…",
            StepMark::Passed(_) => "✓",
            StepMark::Failed(_) => "✗",
        }
    }
}

impl FlowItem {
    /// Whether every filter word is in the flow's name or one of its steps' names or paths.
    pub(super) fn matches_all(&self, words: &[String]) -> bool {
        let text = std::iter::once(self.name.as_str())
            .chain(
                self.steps
                    .iter()
                    .flat_map(|s| [s.name.as_str(), s.path.as_str()]),
            )
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        words.iter().all(|w| text.contains(w.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flow_matches_on_its_name_and_its_steps() {
        let flow = FlowItem {
            name: "new-customer".into(),
            file: "flows/new-customer.toml".into(),
            error: None,
            steps: vec![StepItem {
                method: Method::Post,
                name: "create the account".into(),
                path: "/Accounts".into(),
                mark: None,
            }],
        };
        assert!(flow.matches_all(&["customer".into(), "accounts".into()]));
        assert!(!flow.matches_all(&["invoices".into()]));
    }
}
