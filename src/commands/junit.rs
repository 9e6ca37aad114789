//! `run --junit FILE`: the run as JUnit XML for CI, a test case per step (a step that did not
//! run is skipped).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;

use crate::flow::{Flow, StepResult, Verdict};

/// A test case: a step, in a row of the data when there is one; `None`: it did not run.
pub struct Case<'a> {
    pub name: String,
    pub result: Option<&'a StepResult>,
}

/// The cases of a run without data: a case per step.
pub fn cases<'a>(flow: &Flow, results: &'a [(usize, StepResult)]) -> Vec<Case<'a>> {
    flow.steps
        .iter()
        .map(|step| Case {
            name: format!("{} {}", step.number, step.name),
            result: results
                .iter()
                .find(|(n, _)| *n == step.number)
                .map(|(_, r)| r),
        })
        .collect()
}

/// Writes the report of `flow`'s run to `path`.
pub fn write(path: &Path, flow: &Flow, cases: &[Case<'_>]) -> anyhow::Result<()> {
    std::fs::write(path, report(flow, cases))
        .with_context(|| format!("could not write the JUnit report to {}", path.display()))
}

/// The XML text.
pub fn report(flow: &Flow, cases: &[Case<'_>]) -> String {
    let suite = escape(&flow.path.display().to_string());
    let count = |f: fn(&Verdict) -> bool| {
        cases
            .iter()
            .filter(|c| c.result.is_some_and(|r| f(&r.verdict)))
            .count()
    };
    let failures = count(|v| matches!(v, Verdict::Failed(_)));
    let errors = count(|v| matches!(v, Verdict::NotSent(_)));
    let skipped = cases.iter().filter(|c| c.result.is_none()).count();
    let time: f64 = cases
        .iter()
        .filter_map(|c| c.result)
        .map(|r| r.elapsed.as_secs_f64())
        .sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuite name=\"{suite}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{time:.3}\">",
        cases.len()
    );
    for case in cases {
        let name = escape(&case.name);
        let time = case.result.map_or(0.0, |r| r.elapsed.as_secs_f64());
        let _ = write!(
            out,
            "  <testcase classname=\"{suite}\" name=\"{name}\" time=\"{time:.3}\""
        );
        match case.result.map(|r| &r.verdict) {
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
