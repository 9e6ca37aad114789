//! `run --data rows.csv`: the flow once per row, `--concurrency` rows at a time. A row stops
//! at its first failed step; after a failed row no new row starts unless `--keep-going`.
//! Each row's lines are printed together when it ends.

use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt as _;

use super::output::print_text;
use super::run::{Recording, record, step_lines};
use crate::flow::data::Data;
use crate::flow::{self, Flow, Outcome, StepResult, Verdict};
use crate::younium::template::{Resolver, Vars};

/// What a data run needs besides where it sends.
#[derive(Clone, Copy)]
pub struct Rows<'a> {
    pub flow: &'a Flow,
    pub data: &'a Data,
    pub vars: &'a Vars,
    pub concurrency: usize,
    pub keep_going: bool,
}

/// Each row that ran (its index and its steps' results), and whether Ctrl-C stopped it.
pub struct RowsDone {
    pub rows: Vec<(usize, Vec<(usize, StepResult)>)>,
    pub interrupted: bool,
}

impl RowsDone {
    /// The rows with a step that did not pass, in file order.
    pub fn failed(&self) -> Vec<usize> {
        let mut failed: Vec<usize> = self
            .rows
            .iter()
            .filter(|(_, steps)| steps.iter().any(|(_, r)| r.verdict != Verdict::Passed))
            .map(|(i, _)| *i)
            .collect();
        failed.sort_unstable();
        failed
    }
}

pub async fn run_rows(
    rows: Rows<'_>,
    to: &Outcome<'_>,
    recording: Option<Recording<'_>>,
) -> anyhow::Result<RowsDone> {
    let stop = AtomicBool::new(false);
    let one_row = |i: usize| {
        let stop = &stop;
        async move {
            if stop.load(Ordering::Relaxed) {
                return (i, None);
            }
            let mut resolver = Resolver::new(rows.data.vars_for(rows.vars, i));
            let mut steps = Vec::new();
            for step in &rows.flow.steps {
                let result = flow::run_step(step, &mut resolver, to).await;
                if let Some((history, resolved)) = recording {
                    record(history, resolved, &result);
                }
                let failed = result.verdict != Verdict::Passed;
                steps.push((step.number, result));
                if failed {
                    if !rows.keep_going {
                        stop.store(true, Ordering::Relaxed);
                    }
                    break;
                }
            }
            (i, Some(steps))
        }
    };
    let mut running = futures::stream::iter(0..rows.data.rows.len())
        .map(one_row)
        .buffer_unordered(rows.concurrency.max(1));
    let mut done = RowsDone {
        rows: Vec::new(),
        interrupted: false,
    };
    loop {
        let next = tokio::select! {
            next = running.next() => next,
            _ = tokio::signal::ctrl_c() => {
                done.interrupted = true;
                break;
            }
        };
        match next {
            Some((i, Some(steps))) => {
                let mut text = String::new();
                for (number, result) in &steps {
                    let step = &rows.flow.steps[number - 1];
                    text.push_str(&format!("row {} ", i + 1));
                    text.push_str(&step_lines(step, result, to.base_url));
                }
                print_text(&text)?;
                done.rows.push((i, steps));
            }
            Some((_, None)) => {}
            None => break,
        }
    }
    done.rows.sort_by_key(|(i, _)| *i);
    Ok(done)
}

/// "1000 rows of 2 steps: 998 passed, 2 failed", and which did not run.
pub fn summary(rows: &Rows<'_>, done: &RowsDone) -> String {
    let failed = done.failed().len();
    let passed = done.rows.len() - failed;
    let not_run = rows.data.rows.len() - done.rows.len();
    let mut text = format!(
        "{} rows of {} steps: {passed} passed",
        rows.data.rows.len(),
        rows.flow.steps.len()
    );
    if failed > 0 {
        text.push_str(&format!(", {failed} failed"));
    }
    if not_run > 0 {
        text.push_str(&format!(", {not_run} not run"));
    }
    if done.interrupted {
        text.push_str(
            " (stopped by Ctrl-C: the rows being run were cut off and may have reached the server)",
        );
    }
    text
}

/// The JUnit cases of a data run: a case per step per row.
pub fn cases<'a>(rows: &Rows<'_>, done: &'a RowsDone) -> Vec<super::junit::Case<'a>> {
    let mut cases = Vec::new();
    for i in 0..rows.data.rows.len() {
        let ran = done.rows.iter().find(|(r, _)| *r == i).map(|(_, s)| s);
        for step in &rows.flow.steps {
            cases.push(super::junit::Case {
                name: format!("row {}: {} {}", i + 1, step.number, step.name),
                result: ran.and_then(|s| s.iter().find(|(n, _)| *n == step.number).map(|(_, r)| r)),
            });
        }
    }
    cases
}
