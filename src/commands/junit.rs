//! `run --junit FILE`: the run as JUnit XML for CI, a test case per step (a step that did not
//! run is skipped).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;

use crate::flow::{Flow, StepResult, Verdict};

/// Writes the report of `flow`'s run to `path`.
pub fn write(path: &Path, flow: &Flow, results: &[(usize, StepResult)]) -> anyhow::Result<()> {
    std::fs::write(path, report(flow, results))
        .with_context(|| format!("could not write the JUnit report to {}", path.display()))
}

/// The XML text.
pub fn report(flow: &Flow, results: &[(usize, StepResult)]) -> String {
    let suite = flow.path.display().to_string();
    let failures = results
        .iter()
        .filter(|(_, r)| matches!(r.verdict, Verdict::Failed(_)))
        .count();
    let errors = results
        .iter()
        .filter(|(_, r)| matches!(r.verdict, Verdict::NotSent(_)))
        .count();
    let skipped = flow.steps.len() - results.len();
    let time: f64 = results.iter().map(|(_, r)| r.elapsed.as_secs_f64()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{time:.3}\">",
        escape(&suite),
        flow.steps.len()
    );
    for step in &flow.steps {
        let name = escape(&format!("{} {}", step.number, step.name));
        let result = results
            .iter()
            .find(|(n, _)| *n == step.number)
            .map(|(_, r)| r);
        let time = result.map_or(0.0, |r| r.elapsed.as_secs_f64());
        let _ = write!(
            out,
            "  <testcase classname=\"{}\" name=\"{name}\" time=\"{time:.3}\"",
            escape(&suite)
        );
        match result.map(|r| &r.verdict) {
            Some(Verdict::Passed) => out.push_str("/>\n"),
            Some(Verdict::Failed(why)) => {
                let _ = writeln!(
                    out,
                    ">\n    <failure message=\"{}\"/>\n  </testcase>",
                    escape(why)
                );
            }
            Some(Verdict::NotSent(why)) => {
                let _ = writeln!(
                    out,
                    ">\n    <error message=\"{}\"/>\n  </testcase>",
                    escape(why)
                );
            }
            None => out.push_str(">\n    <skipped/>\n  </testcase>\n"),
        }
    }
    out.push_str("</testsuite>\n");
    out
}

/// Text safe in an XML attribute: the five entities, and control characters dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
