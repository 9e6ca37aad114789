//! jq filters over a response body, through jaq (the language of jq, not the jq program).
//!
//! A filter is compiled once ([`Filter::compile`]), so a bad filter is reported before anything
//! is sent or run, with the place in the filter text where jaq stopped. Running it over a body
//! ([`Filter::run`]) yields its outputs one at a time as [`serde_json::Value`], checking a
//! cancellation flag between outputs so a UI can stop a long run.
//!
//! jaq can produce values JSON cannot hold; they are converted the way jq prints them: NaN as
//! `null`, infinities as the largest finite numbers, byte strings as (lossy) text, and object
//! keys that are not strings as their JSON text.
//!
//! ```
//! use std::sync::atomic::AtomicBool;
//! use younium_tui::jq::Filter;
//!
//! let filter = Filter::compile(".data[] | .name").unwrap();
//! let body = br#"{"data": [{"name": "Acme"}, {"name": "Globex"}]}"#;
//! let stop = AtomicBool::new(false);
//! let names: Vec<_> = filter.run(body, &stop).unwrap().collect::<Result<_, _>>().unwrap();
//! assert_eq!(names, ["Acme", "Globex"]);
//! ```

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data::JustLut};
use jaq_json::{Num, Val};
use serde_json::Value;

/// A compiled jq filter, ready to run over any number of bodies (and on any thread).
pub struct Filter {
    compiled: jaq_core::Filter<JustLut<Val>>,
}

/// Why a filter does not compile: jaq's message and where in the filter text it applies.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (line {line}, column {column})")]
pub struct JqError {
    /// jaq's words, e.g. "expected term, found end of input".
    pub message: String,
    /// The bytes of the filter text the message is about (empty at the end of the text).
    pub span: Range<usize>,
    /// Line of `span.start`, from 1.
    pub line: usize,
    /// Column of `span.start` in characters, from 1.
    pub column: usize,
}

/// Why running a filter stopped before its last output.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    /// The body is not one JSON value.
    #[error("the body is not JSON: {0}")]
    Input(String),
    /// The filter raised an error, e.g. iterating over a number.
    #[error("{0}")]
    Filter(String),
    /// The filter called `halt` or `halt_error`.
    #[error("the filter halted with exit code {0}")]
    Halted(i32),
    /// The cancellation flag was raised.
    #[error("cancelled")]
    Cancelled,
}

impl Filter {
    /// Parses and compiles `text` with jq's core and standard definitions.
    ///
    /// When several errors are found, the first one (by position) is returned.
    pub fn compile(text: &str) -> Result<Filter, JqError> {
        let arena = Arena::default();
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        // No `env`: the environment may hold YOUNIUM_SECRET, and a filter has no need of it.
        // `debug` and `stderr` stay: they write through the `log` crate, which goes nowhere.
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs())
            .filter(|(name, _, _)| *name != "env");
        let modules = Loader::new(defs)
            .load(
                &arena,
                File {
                    code: text,
                    path: (),
                },
            )
            .map_err(|errors| first_error(text, errors.into_iter().flat_map(load_reports)))?;
        let compiled = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| {
                let reports = errors.into_iter().flat_map(|(_, errs)| errs);
                first_error(text, reports.map(compile_report))
            })?;
        Ok(Filter { compiled })
    }

    /// Parses `body` as JSON and returns the filter's outputs over it, computed as they are
    /// asked for. Before each output `cancel` is read: once it is set, the next item is
    /// [`RunError::Cancelled`] and the run ends. A run also ends after its first error.
    ///
    /// The cancellation is checked between outputs only: a filter that works long on one
    /// output (`map(…)` over a large array) is stopped at its end.
    ///
    /// A body over [`FREE_APART`] is freed on a thread of its own once the outputs are
    /// dropped, so a caller has them without waiting for that.
    pub fn run<'a>(&'a self, body: &[u8], cancel: &'a AtomicBool) -> Result<Outputs<'a>, RunError> {
        self.outputs(body, cancel, to_json)
    }

    /// As [`run`](Self::run), each output as compact JSON text written from jaq's value, so a
    /// number keeps the digits it was read with (`1250.50`, a 30-digit integer) where a
    /// [`Value`] would round it. What the viewer, `call --jq` and captures use.
    pub fn run_text<'a>(
        &'a self,
        body: &[u8],
        cancel: &'a AtomicBool,
    ) -> Result<Outputs<'a, String>, RunError> {
        self.outputs(body, cancel, to_text)
    }

    fn outputs<'a, T>(
        &'a self,
        body: &[u8],
        cancel: &'a AtomicBool,
        convert: fn(&Val) -> T,
    ) -> Result<Outputs<'a, T>, RunError> {
        let input =
            jaq_json::read::parse_single(body).map_err(|e| RunError::Input(e.to_string()))?;
        let kept = (body.len() > FREE_APART).then(|| input.clone());
        let ctx = Ctx::<JustLut<Val>>::new(&self.compiled.lut, Vars::new([]));
        Ok(Outputs {
            values: Box::new(self.compiled.id.run((ctx, input))),
            convert,
            cancel,
            finished: false,
            input: kept,
        })
    }
}

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Filter")
    }
}

/// Bodies larger than this (in bytes) are freed apart once a run is over (see
/// [`Filter::run`]). Freeing a parsed body, millions of small values, takes about as long as
/// parsing it: 0.4 to 1 s for 65 MB with glibc's allocator, about 0.1 s with mimalloc.
pub const FREE_APART: usize = 1_000_000;

/// The outputs of one run, in order (see [`Filter::run`]).
pub struct Outputs<'a, T = Value> {
    values: Box<dyn Iterator<Item = jaq_core::ValX<'a, Val>> + 'a>,
    convert: fn(&Val) -> T,
    cancel: &'a AtomicBool,
    finished: bool,
    /// The parsed body of a large run, held so that its last reference is dropped apart.
    input: Option<Val>,
}

impl<T> Drop for Outputs<'_, T> {
    fn drop(&mut self) {
        let Some(input) = self.input.take() else {
            return;
        };
        // The run's own references go first, so the thread's is the last one.
        self.values = Box::new(std::iter::empty());
        let freeing = move || {
            drop(input);
            crate::memory::release_free_memory();
        };
        // Without a thread (none can be started), the body is freed here.
        let _ = std::thread::Builder::new()
            .name("jq-free".into())
            .spawn(freeing);
    }
}

impl<T> Iterator for Outputs<'_, T> {
    type Item = Result<T, RunError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let item = if self.cancel.load(Ordering::Relaxed) {
            Err(RunError::Cancelled)
        } else {
            self.values
                .next()?
                .map(|v| (self.convert)(&v))
                .map_err(run_error)
        };
        self.finished = item.is_err();
        Some(item)
    }
}

// Not `jaq_core::unwrap_valr`: it exits the process on `halt`.
fn run_error(exception: jaq_core::Exn<Val>) -> RunError {
    match exception.get_err() {
        // `error("text")` reads as its text, not as a JSON string.
        Ok(error) => RunError::Filter(match error.into_val() {
            Val::TStr(text) => String::from_utf8_lossy(&text).into_owned(),
            other => other.to_string(),
        }),
        Err(exception) => match exception.get_halt() {
            Ok(code) => RunError::Halted(code),
            Err(_) => RunError::Filter("the filter ended with an unexpected exception".into()),
        },
    }
}

/// A compile or parse problem before it is placed in the text: the message, and the slice of
/// the filter text it is about.
struct Report<'s> {
    message: String,
    found: &'s str,
}

fn load_reports<'s>((_, error): (File<&'s str, ()>, load::Error<&'s str>)) -> Vec<Report<'s>> {
    match error {
        load::Error::Io(errors) => errors
            .into_iter()
            .map(|(path, why)| Report {
                message: format!("cannot load {path}: {why}"),
                found: path,
            })
            .collect(),
        load::Error::Lex(errors) => errors.into_iter().map(lex_report).collect(),
        load::Error::Parse(errors) => errors
            .into_iter()
            .map(|(expected, found)| {
                let expected = match expected {
                    load::parse::Expect::Just(word) => format!("`{word}`"),
                    other => other.as_str().to_string(),
                };
                Report {
                    message: format!("expected {expected}, {}", found_text(found)),
                    found,
                }
            })
            .collect(),
    }
}

fn lex_report<'s>((expected, found): load::lex::Error<&'s str>) -> Report<'s> {
    use load::lex::Expect;
    // Only the first character of what was found is the problem.
    let end = found.char_indices().nth(1).map_or(found.len(), |(i, _)| i);
    let found = &found[..end];
    let message = match expected {
        Expect::Delim(open) => match open {
            "(" | "[" | "{" | "\"" => format!(
                "expected {}, {} (`{open}` is not closed)",
                expected.as_str(),
                found_text(found)
            ),
            _ => format!("`{open}` is not closed, {}", found_text(found)),
        },
        other => format!("expected {}, {}", other.as_str(), found_text(found)),
    };
    Report { message, found }
}

fn compile_report<'s>((found, undefined): jaq_core::compile::Error<&'s str>) -> Report<'s> {
    use jaq_core::compile::Undefined;
    let message = match (found, undefined) {
        ("reduce", Undefined::Filter(n)) => format!("reduce takes 2 arguments, found {n}"),
        ("foreach", Undefined::Filter(n)) => format!("foreach takes 2 or 3 arguments, found {n}"),
        (name, Undefined::Filter(n)) => format!("undefined filter `{name}/{n}`"),
        (name, other) => format!("undefined {} `{name}`", other.as_str()),
    };
    Report { message, found }
}

fn found_text(found: &str) -> String {
    if found.is_empty() {
        "found end of input".into()
    } else {
        format!("found `{found}`")
    }
}

fn first_error<'s>(text: &'s str, reports: impl Iterator<Item = Report<'s>>) -> JqError {
    let placed =
        reports.map(|report| JqError::at(text, report.message, span_in(text, report.found)));
    placed
        .min_by_key(|e| e.span.start)
        .unwrap_or_else(|| JqError::at(text, "the filter does not compile".into(), 0..0))
}

/// Where `part`, a slice of `whole` as jaq hands them back, lies in it.
fn span_in(whole: &str, part: &str) -> Range<usize> {
    let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    if start <= whole.len() && start + part.len() <= whole.len() {
        start..start + part.len()
    } else {
        // Not from the filter text (jaq's own definitions): point at its start.
        0..0
    }
}

impl JqError {
    fn at(text: &str, message: String, span: Range<usize>) -> JqError {
        let before = &text[..span.start];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        JqError {
            message,
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            span,
        }
    }
}

/// A jaq value as JSON, with what JSON cannot hold converted as jq prints it.
fn to_json(value: &Val) -> Value {
    match value {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Num(n) => number(n),
        Val::TStr(s) | Val::BStr(s) => Value::String(String::from_utf8_lossy(s).into_owned()),
        Val::Arr(items) => Value::Array(items.iter().map(to_json).collect()),
        Val::Obj(map) => {
            Value::Object(map.iter().map(|(k, v)| (key_text(k), to_json(v))).collect())
        }
    }
}

/// A jaq value as compact JSON text: as [`to_json`] converts it, except that numbers are
/// written as jaq holds them (a decimal or a big integer with the digits it was read with).
fn to_text(value: &Val) -> String {
    let mut out = String::new();
    write_text(value, &mut out);
    out
}

fn write_text(value: &Val, out: &mut String) {
    let string = |text: &str, out: &mut String| {
        out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into()));
    };
    match value {
        Val::Num(n @ (Num::BigInt(_) | Num::Dec(_))) => {
            let text = n.to_string();
            // What jaq read as a number is a JSON number; anything else goes through `Value`.
            let is_number = text.starts_with(|c: char| c == '-' || c.is_ascii_digit())
                && serde_json::from_str::<&serde_json::value::RawValue>(&text).is_ok();
            if is_number {
                out.push_str(&text);
            } else {
                out.push_str(&number(n).to_string());
            }
        }
        Val::TStr(s) | Val::BStr(s) => string(&String::from_utf8_lossy(s), out),
        Val::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_text(item, out);
            }
            out.push(']');
        }
        Val::Obj(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(&key_text(k), out);
                out.push(':');
                write_text(v, out);
            }
            out.push('}');
        }
        other => out.push_str(&to_json(other).to_string()),
    }
}

fn key_text(key: &Val) -> String {
    match key {
        Val::TStr(s) | Val::BStr(s) => String::from_utf8_lossy(s).into_owned(),
        other => to_json(other).to_string(),
    }
}

fn number(n: &Num) -> Value {
    match n {
        Num::Int(i) => Value::from(*i as i64),
        Num::Float(f) => float(*f),
        // Big integers and decimals as the input wrote them: serde_json reads them to the
        // nearest number it holds.
        other => {
            let text = other.to_string();
            text.parse::<serde_json::Number>()
                .map(Value::Number)
                .unwrap_or_else(|_| float(text.parse().unwrap_or(f64::NAN)))
        }
    }
}

fn float(f: f64) -> Value {
    if f.is_nan() {
        Value::Null
    } else {
        Value::from(f.clamp(f64::MIN, f64::MAX))
    }
}

#[cfg(test)]
mod tests;
