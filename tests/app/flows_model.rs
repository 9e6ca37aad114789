//! The flow steps' marks, held to a small model over random sequences of what a user does:
//! load a step, send the builder, an answer that passes or fails, load something else, run
//! the whole flow. After every action the Flows group shows the marks the model says, and an
//! answer is judged as a step's only when it answers the step in the builder.

use crossterm::event::KeyCode;
use proptest::prelude::*;
use younium_tui::tui::app::{Action, App, Effect, Focus, Loading};
use younium_tui::tui::flows::discover;
use younium_tui::tui::panes::catalog::StepMark;
use younium_tui::younium::template::Resolver;
use younium_tui::younium::{ApiRequest, Method};

use crate::common::keys::{focus, press};
use crate::common::{answer_with, signed_in_app};

const STEPS: usize = 3;

const FLOW: &str = "[[step]]\nmethod = \"GET\"\npath = \"/A\"\nexpect = { status = 200 }\n\n\
                    [[step]]\nmethod = \"GET\"\npath = \"/B\"\nexpect = { status = 200 }\n\n\
                    [[step]]\nmethod = \"GET\"\npath = \"/C\"\nexpect = { status = 200 }\n";

#[derive(Clone, Debug)]
enum Op {
    Load(usize),
    Send,
    Answer { pass: bool },
    LoadOther,
    Run,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..STEPS).prop_map(Op::Load),
        Just(Op::Send),
        any::<bool>().prop_map(|pass| Op::Answer { pass }),
        Just(Op::LoadOther),
        Just(Op::Run),
    ]
}

/// What a mark is, without its words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    Loaded,
    Running,
    Passed,
    Failed,
}

/// The model: the step in the builder (and whether it is part of a run), whether the last
/// request sent was that step, and the marks.
#[derive(Debug, Default)]
struct Model {
    active: Option<(usize, bool)>,
    /// The request awaiting its answer is the active step's.
    step_sent: bool,
    marks: [Option<Mark>; STEPS],
}

impl Model {
    fn leave(&mut self) {
        if let Some((step, _)) = self.active.take()
            && matches!(self.marks[step], Some(Mark::Loaded | Mark::Running))
        {
            self.marks[step] = None;
        }
        self.step_sent = false;
    }

    fn load(&mut self, step: usize, run: bool) {
        self.leave();
        self.active = Some((step, run));
        self.marks[step] = Some(Mark::Loaded);
        if run {
            self.send();
        }
    }

    fn send(&mut self) {
        self.step_sent = false;
        if let Some((step, _)) = self.active {
            self.marks[step] = Some(Mark::Running);
            self.step_sent = true;
        }
    }

    fn answer(&mut self, pass: bool) {
        if !std::mem::take(&mut self.step_sent) {
            return;
        }
        let Some((step, run)) = self.active else {
            return;
        };
        self.marks[step] = Some(if pass { Mark::Passed } else { Mark::Failed });
        if run {
            self.active = None;
            if pass && step + 1 < STEPS {
                self.load(step + 1, true);
            }
        }
    }
}

struct Driver {
    app: App,
    /// The id of the last request sent and not answered yet.
    awaiting: Option<u64>,
    _dir: tempfile::TempDir,
}

impl Driver {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("steps.toml");
        std::fs::write(&path, FLOW).unwrap();
        let mut app = signed_in_app();
        app.use_flows(discover(None, &[path], None));
        Driver {
            app,
            awaiting: None,
            _dir: dir,
        }
    }

    fn take(&mut self, effects: Vec<Effect>) {
        if let Some(id) = effects.iter().find_map(|e| match e {
            Effect::Send { id, .. } => Some(*id),
            _ => None,
        }) {
            self.awaiting = Some(id);
        }
    }

    fn load(&mut self, what: Loading) {
        let effects = self.app.update(Action::Load(Box::new(what))).1;
        self.take(effects);
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::Load(step) => self.load(Loading::Step {
                flow: 0,
                step: *step,
                run: false,
            }),
            Op::LoadOther => self.load(Loading::Request(ApiRequest::new(Method::Get, "/Users"))),
            Op::Run => {
                // `R` in the Endpoints pane, where the flow's row stays selected.
                focus(&mut self.app, Focus::Catalog);
                let effects = press(&mut self.app, KeyCode::Char('R'));
                self.take(effects);
            }
            Op::Send => {
                let effects = press(&mut self.app, KeyCode::F(5));
                self.take(effects);
            }
            Op::Answer { pass } => self.answer(*pass),
        }
    }

    /// The answer to the request awaited (200 passes, 500 fails), judged as the runner does.
    fn answer(&mut self, pass: bool) {
        let Some(id) = self.awaiting.take() else {
            return;
        };
        let status = if pass { 200 } else { 500 };
        let headers = vec![("content-type".into(), "application/json".into())];
        let effects = answer_with(&mut self.app, id, (status, ""), headers, b"{}");
        let judged = effects.into_iter().find_map(|e| match e {
            Effect::JudgeStep {
                id,
                step,
                vars,
                now,
                seed,
                response,
            } => {
                let mut resolver = Resolver::fixed(vars, now, seed);
                let result = younium_tui::flow::judge(&step, &mut resolver, &response);
                Some(Action::StepJudged { id, result })
            }
            _ => None,
        });
        if let Some(action) = judged {
            let effects = self.app.update(action).1;
            self.take(effects);
        }
    }

    fn marks(&self) -> Vec<Option<Mark>> {
        self.app.catalog().flows()[0]
            .steps
            .iter()
            .map(|s| {
                s.mark.as_ref().map(|m| match m {
                    StepMark::Loaded => Mark::Loaded,
                    StepMark::Running => Mark::Running,
                    StepMark::Passed(_) => Mark::Passed,
                    StepMark::Failed(_) => Mark::Failed,
                })
            })
            .collect()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_marks_are_the_models(ops in proptest::collection::vec(op(), 1..24)) {
        let mut driver = Driver::new();
        let mut model = Model::default();
        for op in &ops {
            driver.apply(op);
            match op {
                Op::Load(step) => model.load(*step, false),
                Op::LoadOther => model.leave(),
                Op::Run => {
                    model.marks = [None; STEPS];
                    model.load(0, true);
                }
                Op::Send => model.send(),
                Op::Answer { pass } => model.answer(*pass),
            }
            prop_assert_eq!(driver.marks(), model.marks.to_vec(), "after {:?} in {:?}", op, ops);
        }
    }
}
