//! Flows in the UI: the flow files (the `flows/` folder beside the config file, and each
//! `--flow FILE`) are the Endpoints pane's "Flows" group. `Enter` on a step loads it into
//! the builder; sending it then checks its expectations and keeps its captures (in a blocking
//! task, as `run` does: [`crate::flow::judge`]), and the verdict shows in the Response pane's
//! title. `R` runs a whole flow: each step is loaded and sent once the one before it passed,
//! and the run stops at a failure with its answer on screen.
//!
//! A flow's `[vars]` are worked out once when one of its steps is first loaded or a run
//! starts, so `{{name}}` built from `{{$timestamp}}` is the same in every step.

use std::path::{Path, PathBuf};

use super::app::{App, Effect, Loading, Overlay};
use super::panes::catalog::{FlowItem, StepItem, StepMark};
use crate::config::{ConfigFile, SavedRequest};
use crate::flow::{self, Flow};
use crate::sanitize;
use crate::younium::ApiResponse;
use crate::younium::template::{Origin, Resolver};

/// Flow files listed at most (the first ones by name).
const MAX_FLOWS: usize = 200;

/// A flow file as read at start-up, and how its steps went in this session.
#[derive(Debug)]
pub struct FlowEntry {
    pub path: PathBuf,
    /// The flow, or why it cannot be used (`file:line:column: what`).
    pub flow: Result<Flow, String>,
    marks: Vec<Option<StepMark>>,
}

/// The flows and the step in the builder.
#[derive(Debug, Default)]
pub struct Flows {
    entries: Vec<FlowEntry>,
    active: Option<Active>,
    /// The flow whose `[vars]` are set in the session's variables.
    vars_of: Option<usize>,
    /// The verdict on the answer with this id, for the Response pane's title.
    judged: Option<(u64, String)>,
}

/// The step loaded into the builder.
#[derive(Clone, Debug)]
struct Active {
    source: Source,
    /// Part of a run: the next step goes once this one passed.
    run: bool,
    /// The id of the request that sent it.
    sent: Option<u64>,
}

/// Where the step in the builder is from.
#[derive(Clone, Debug)]
enum Source {
    /// Step `step` of flow `flow` (its mark shows in the list).
    Flow { flow: usize, step: usize },
    /// A saved request with `capture` or `expect` (judged as a step is).
    Saved(Box<flow::Step>),
}

/// Reads the flow files: `--flow` files first, then the `*.toml` of the `flows/` folder
/// beside the config file, in name order. A file that does not read is listed with its error.
pub fn discover(
    config_path: Option<&Path>,
    files: &[PathBuf],
    config: Option<(&ConfigFile, Option<&str>)>,
) -> Vec<FlowEntry> {
    let mut paths: Vec<PathBuf> = files.to_vec();
    if let Some(dir) = config_path.and_then(Path::parent).map(|d| d.join("flows"))
        && let Ok(read) = std::fs::read_dir(&dir)
    {
        let mut found: Vec<PathBuf> = read
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        found.sort();
        paths.extend(found.into_iter().filter(|p| !files.contains(p)));
    }
    paths.truncate(MAX_FLOWS);
    paths
        .into_iter()
        .map(|path| {
            let flow = flow::load(&path, config).map_err(|e| e.to_string());
            let steps = flow.as_ref().map_or(0, |f| f.steps.len());
            FlowEntry {
                path,
                flow,
                marks: vec![None; steps],
            }
        })
        .collect()
}

/// The name a flow is listed under: its file's name without `.toml`.
fn flow_name(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    sanitize::one_line(&stem.unwrap_or_default()).into_owned()
}

impl App {
    /// The flows the Endpoints pane lists (from `tui::configure`).
    pub fn use_flows(&mut self, entries: Vec<FlowEntry>) {
        self.flows = Flows {
            entries,
            ..Flows::default()
        };
        self.show_flows();
    }

    /// Gives the catalogue the flows as they stand (names, steps, marks).
    fn show_flows(&mut self) {
        let items = self.flows.entries.iter().map(|entry| {
            let (error, steps) = match &entry.flow {
                Ok(flow) => (
                    None,
                    flow.steps.iter().zip(&entry.marks).map(step_item).collect(),
                ),
                Err(e) => (Some(e.clone()), Vec::new()),
            };
            FlowItem {
                name: flow_name(&entry.path),
                file: entry.path.display().to_string(),
                error,
                steps,
            }
        });
        self.catalog.set_flows(items.collect());
    }

    /// Loads step `step` of flow `flow` into the builder (from `load_into_builder`); for a
    /// run, it is sent at once.
    pub(crate) fn load_step(
        &mut self,
        flow: usize,
        step: usize,
        run: bool,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let Some(Ok(found)) = self.flows.entries.get(flow).map(|e| &e.flow) else {
            return None;
        };
        let request = found.steps.get(step).map(|s| s.request.clone())?;
        if run && step == 0 || self.flows.vars_of != Some(flow) {
            self.set_flow_vars(flow);
        }
        self.request.load_request(&request);
        self.leave_step();
        self.flows.active = Some(Active {
            source: Source::Flow { flow, step },
            run,
            sent: None,
        });
        self.mark(flow, step, Some(StepMark::Loaded));
        self.focus = super::app::Focus::Request;
        if run {
            return self.send_builder(effects);
        }
        None
    }

    /// `R`: runs flow `flow` from its first step, once its variables and filters check out.
    pub(crate) fn run_flow(&mut self, flow: usize, effects: &mut Vec<Effect>) -> Option<Overlay> {
        let Some(Ok(found)) = self.flows.entries.get(flow).map(|e| &e.flow) else {
            return None;
        };
        let mut vars = self.vars.clone();
        let from_flow = found.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        vars.extend(&Origin::Flow, from_flow);
        if let Some(problem) = flow::check(found, &vars).first() {
            self.status = Some(format!("not run (nothing was sent): {problem}"));
            return None;
        }
        let steps = found.steps.len();
        self.flows.entries[flow].marks = vec![None; steps];
        self.catalog.open_flow(flow);
        self.load_into_builder(
            Loading::Step {
                flow,
                step: 0,
                run: true,
            },
            false,
            effects,
        )
    }

    /// The flow's `[vars]`, each worked out once now (a value that needs a capture not made
    /// yet stays as written), in place of another flow's.
    fn set_flow_vars(&mut self, flow: usize) {
        if let Some(before) = self.flows.vars_of.take()
            && let Some(Ok(old)) = self.flows.entries.get(before).map(|e| &e.flow)
        {
            for name in old.vars.keys() {
                self.vars.remove(&Origin::Flow, name);
            }
        }
        let Some(Ok(found)) = self.flows.entries.get(flow).map(|e| &e.flow) else {
            return;
        };
        let mut vars = self.vars.clone();
        let from_flow = found.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        vars.extend(&Origin::Flow, from_flow);
        let mut resolver = Resolver::fixed(vars, self.now, self.ids.seed());
        for (name, written) in &found.vars {
            let value = resolver
                .text(&format!("{{{{{name}}}}}"), "the flow's [vars]")
                .unwrap_or_else(|_| written.clone());
            self.vars.set(Origin::Flow, name, &value);
        }
        self.flows.vars_of = Some(flow);
    }

    /// A saved request was loaded into the builder: with checks of its own, sending it
    /// judges its answer as a step's.
    pub(crate) fn load_saved(&mut self, saved: &SavedRequest) {
        self.leave_step();
        let request = saved.to_request();
        self.request.load_request(&request);
        if saved.capture.is_empty() && saved.expect == flow::Expect::default() {
            return;
        }
        let step = flow::Step {
            number: 1,
            name: saved.name.clone(),
            line: 0,
            request,
            capture: saved.capture.clone(),
            expect: saved.expect.clone(),
        };
        self.flows.active = Some(Active {
            source: Source::Saved(Box::new(step)),
            run: false,
            sent: None,
        });
    }

    /// The flow `[vars]` no longer count (the variables were set afresh): they are worked
    /// out again when a step is next loaded.
    pub(crate) fn forget_flow_vars(&mut self) {
        self.flows.vars_of = None;
    }

    /// Something else was loaded into the builder: no step is active any more (a run stops).
    pub(crate) fn leave_step(&mut self) {
        let Some(active) = self.flows.active.take() else {
            return;
        };
        if let Source::Flow { flow, step } = active.source
            && matches!(
                self.flows.entries[flow].marks.get(step),
                Some(Some(StepMark::Loaded | StepMark::Running))
            )
        {
            self.mark(flow, step, None);
        }
    }

    /// The builder's request went out as `id`: the active step's answer is awaited.
    pub(crate) fn step_sent(&mut self, id: u64) {
        if let Some(active) = &mut self.flows.active {
            active.sent = Some(id);
            let source = active.source.clone();
            self.mark_source(&source, Some(StepMark::Running));
        }
    }

    /// The step the answer to `id` is for, with how messages name it ("step 2 (read back) of
    /// new-customer") and how the title does ("step 2 (read back)").
    fn answered_step(&self, id: u64) -> Option<(Active, flow::Step, String, String)> {
        let active = self.flows.active.clone().filter(|a| a.sent == Some(id))?;
        let (step, long, short) = match &active.source {
            Source::Flow { flow, step } => {
                let Ok(found) = &self.flows.entries.get(*flow)?.flow else {
                    return None;
                };
                let step = found.steps.get(*step)?.clone();
                let short = step.label();
                (
                    step,
                    format!("{short} of {}", flow_name(&found.path)),
                    short,
                )
            }
            Source::Saved(step) => {
                let name = format!("saved request {:?}", sanitize::one_line(&step.name));
                ((**step).clone(), name.clone(), name)
            }
        };
        Some((active, step, long, short))
    }

    /// The answer to `id` arrived: if it is the active step's, it is checked in the
    /// background (`Err`: no answer came, and why).
    pub(crate) fn step_answered(
        &mut self,
        id: u64,
        answer: Result<&ApiResponse, String>,
        effects: &mut Vec<Effect>,
    ) {
        let Some((_, step, ..)) = self.answered_step(id) else {
            return;
        };
        match answer {
            Ok(response) => effects.push(Effect::JudgeStep {
                id,
                step: Box::new(step),
                vars: self.vars.clone(),
                now: self.now,
                seed: self.ids.seed(),
                response: Box::new(response.clone()),
            }),
            Err(why) => {
                self.step_judged(id, Err(format!("no answer: {why}")), effects);
            }
        }
    }

    /// The verdict on the answer to `id`: the step's mark, its captures kept, the title; in a
    /// run, the next step goes (its send may ask first: the question is returned).
    pub(crate) fn step_judged(
        &mut self,
        id: u64,
        result: Result<Vec<(String, String)>, String>,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let (active, _, label, short) = self.answered_step(id)?;
        let timing = self.response.shown().filter(|s| s.id == id).map(|s| {
            let ms = s.response.elapsed.as_millis();
            format!("{} · {ms} ms", s.response.status)
        });
        let (mark, title) = match &result {
            Ok(captured) => {
                for (name, value) in captured {
                    let origin = Origin::Session(format!("captured by {label}"));
                    self.vars.set(origin, name, value);
                }
                let kept: Vec<String> = captured
                    .iter()
                    .map(|(n, _)| format!("{{{{{n}}}}}"))
                    .collect();
                let kept = match kept.is_empty() {
                    true => String::new(),
                    false => format!(", kept {}", kept.join(" ")),
                };
                let what = timing.unwrap_or_default();
                (
                    StepMark::Passed(format!("{what}{kept}")),
                    format!(" ✓ {short} passed{kept} "),
                )
            }
            Err(why) => (StepMark::Failed(why.clone()), format!(" ✗ {short}: {why} ")),
        };
        self.mark_source(&active.source, Some(mark));
        self.flows.judged = Some((id, sanitize::one_line(&title).into_owned()));
        let Source::Flow { flow, step } = active.source else {
            return None;
        };
        if !active.run {
            return None;
        }
        self.flows.active = None;
        let Some(Ok(found)) = self.flows.entries.get(flow).map(|e| &e.flow) else {
            return None;
        };
        let (name, steps) = (flow_name(&found.path), found.steps.len());
        match result {
            Err(why) => {
                self.status = Some(format!("flow {name} stopped at {short}: {why}"));
                None
            }
            Ok(_) if step + 1 == steps => {
                self.status = Some(format!("flow {name}: all {steps} steps passed"));
                None
            }
            Ok(_) => {
                let next = Loading::Step {
                    flow,
                    step: step + 1,
                    run: true,
                };
                self.load_into_builder(next, true, effects)
            }
        }
    }

    /// The verdict shown in the Response pane's title, for the answer on screen.
    pub(crate) fn flow_title(&self) -> String {
        match (&self.flows.judged, self.response.shown()) {
            (Some((id, title)), Some(shown)) if shown.id == *id => title.clone(),
            _ => String::new(),
        }
    }

    fn mark_source(&mut self, source: &Source, mark: Option<StepMark>) {
        if let Source::Flow { flow, step } = source {
            self.mark(*flow, *step, mark);
        }
    }

    fn mark(&mut self, flow: usize, step: usize, mark: Option<StepMark>) {
        if let Some(slot) = self
            .flows
            .entries
            .get_mut(flow)
            .and_then(|e| e.marks.get_mut(step))
        {
            *slot = mark;
            self.show_flows();
        }
    }
}

fn step_item((step, mark): (&flow::Step, &Option<StepMark>)) -> StepItem {
    StepItem {
        method: step.request.method,
        name: step.name.clone(),
        path: step.request.path.clone(),
        mark: mark.clone(),
    }
}
