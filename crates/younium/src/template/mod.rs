//! Templates: `{{name}}` in a path, a query or header value, a JSON body or a jq filter,
//! filled in from [`Vars`] when a request is sent.
//!
//! A name is a letter or `_`, then letters, digits, `_`, `.` or `-` (`accountId`,
//! `row.email`); `{{$uuid}}`, `{{$now}}` (RFC 3339, UTC, whole seconds), `{{$today}}`
//! (`YYYY-MM-DD`, UTC), `{{$timestamp}}` (Unix seconds) and `{{$randomInt}}` (0 to 1000) are
//! built in. Anything else between braces is text and stays as it is.
//!
//! A [`Resolver`] works a named variable out once (its value may itself hold templates; a
//! cycle is an error naming it) and keeps it for the rest of its run, so a name built from
//! `{{$timestamp}}` is the same in every request of a run. A built-in is worked out at each
//! use: `{{$uuid}}` written twice gives two values.
//!
//! In JSON ([`Resolver::json`]) a template inside a string is filled in as string content,
//! escaped; one outside a string is filled in as JSON when its value is JSON (`42`,
//! `{"a":1}`), else as a JSON string. A jq filter ([`Resolver::jq`]) is filled in the same way
//! around its string literals.
//!
//! ```
//! use younium::template::{Origin, Resolver, Vars};
//!
//! let mut vars = Vars::default();
//! vars.set(Origin::CommandLine, "name", "Acme \"North\" AB");
//! vars.set(Origin::CommandLine, "amount", "1250.50");
//! let mut run = Resolver::new(vars);
//! let body = run.json(r#"{"name": "{{name}}", "amount": {{amount}}}"#, "the body").unwrap();
//! assert_eq!(body, r#"{"name": "Acme \"North\" AB", "amount": 1250.50}"#);
//! assert_eq!(run.text("/Accounts/{{name}}", "the path").unwrap(), "/Accounts/Acme \"North\" AB");
//! ```

mod request;
mod scan;
mod vars;

#[cfg(test)]
mod tests;

use jiff::{Timestamp, Unit};

pub use request::request_names;
pub use scan::{Piece, is_name, names, pieces};
pub use vars::{Origin, Vars, looks_secret};

/// The built-in variables, for messages and completions.
pub const BUILTINS: [&str; 5] = ["$uuid", "$now", "$today", "$timestamp", "$randomInt"];

/// Why a template could not be filled in. `at` names where it is used ("the path", "query
/// PageSize", "step 2 (read it back): the body").
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// No source has a value for `name`.
    #[error("unknown variable {{{{{name}}}}} in {at}")]
    Unknown {
        /// The name as written.
        name: String,
        /// Where it is used.
        at: String,
    },
    #[error(
        "unknown built-in {{{{{name}}}}} in {at} (the built-ins are $uuid, $now, $today, \
         $timestamp and $randomInt)"
    )]
    /// A `$` name that is not one of [`BUILTINS`].
    UnknownBuiltin {
        /// The name as written, `$` included.
        name: String,
        /// Where it is used.
        at: String,
    },
    /// Working `name` out leads back to it.
    #[error("variable {name} refers to itself, in {at}: {chain}")]
    Cycle {
        /// The name that came round again.
        name: String,
        /// The names followed, `a → b → a`.
        chain: String,
        /// Where the first of them is used.
        at: String,
    },
    /// The text filled in is not JSON (a body must be).
    #[error("{at} is not valid JSON once its templates are filled in: {error}")]
    NotJson {
        /// Where the text is used.
        at: String,
        /// What the JSON parser said.
        error: String,
    },
}

/// Fills templates in for one run (one request in the UI, one data row of a flow): a named
/// variable is worked out once and kept; values captured along the way win over the rest.
#[derive(Debug)]
pub struct Resolver {
    vars: Vars,
    /// What each named variable came to, once worked out (a run uses a few names, so a
    /// list searched in order beats hashing each use).
    resolved: Vec<(String, Worked)>,
    /// `None`: the clock's time at each use.
    now: Option<Timestamp>,
    /// Names left as written (`{{name}}`): what a step will capture, shown by a dry run.
    left: Vec<String>,
    rng: fastrand::Rng,
}

impl Resolver {
    /// A run over `vars`, with the clock and a random seed.
    pub fn new(vars: Vars) -> Self {
        Self {
            vars,
            resolved: Vec::new(),
            now: None,
            left: Vec::new(),
            rng: fastrand::Rng::new(),
        }
    }

    /// A run whose built-ins are the same every time: `$now` is `now`, `$uuid` and
    /// `$randomInt` come from `seed`.
    pub fn fixed(vars: Vars, now: Timestamp, seed: u64) -> Self {
        Self {
            vars,
            resolved: Vec::new(),
            now: Some(now),
            left: Vec::new(),
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// The variables of the run, captures included.
    pub fn vars(&self) -> &Vars {
        &self.vars
    }

    /// Sets `name` for the rest of the run (a capture, an edit): it wins over every other
    /// source, and what it was worked out to before is forgotten.
    pub fn set(&mut self, origin: Origin, name: &str, value: &str) {
        self.vars.set(origin, name, value);
        self.resolved.retain(|(n, _)| n != name);
        self.left.retain(|n| n != name);
    }

    /// Leaves `{{name}}` as written wherever it is used (a value not known yet).
    pub fn leave(&mut self, name: &str) {
        self.left.push(name.to_string());
        self.resolved.retain(|(n, _)| n != name);
    }

    /// Whether `name` has a value (a built-in counts).
    pub fn knows(&self, name: &str) -> bool {
        if name.starts_with('$') {
            BUILTINS.contains(&name)
        } else {
            self.vars.get(name).is_some()
        }
    }

    /// `text` with its templates filled in as they are (a path, a query or header value).
    pub fn text(&mut self, text: &str, at: &str) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(text.len());
        for piece in pieces(text) {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Var(name) => out.push_str(&self.value(name, at, &mut Vec::new())?),
            }
        }
        Ok(out)
    }

    /// A JSON text with its templates filled in (see the module's doc); the result must be
    /// valid JSON.
    pub fn json(&mut self, text: &str, at: &str) -> Result<String, TemplateError> {
        let filled = self.structured(text, at)?;
        match not_json(&filled, at) {
            Some(e) => Err(e),
            None => Ok(filled),
        }
    }

    /// [`json`](Self::json) without the JSON check at the end, for a caller that checks the
    /// text itself.
    pub fn json_unchecked(&mut self, text: &str, at: &str) -> Result<String, TemplateError> {
        self.structured(text, at)
    }

    /// A jq filter with its templates filled in: inside a string literal as escaped string
    /// content, elsewhere as a JSON value (a value that is not JSON as a string literal).
    pub fn jq(&mut self, filter: &str, at: &str) -> Result<String, TemplateError> {
        self.structured(filter, at)
    }

    fn structured(&mut self, text: &str, at: &str) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(text.len() + 64);
        let mut failed = None;
        scan::each_in_json(text, |piece, in_string| match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Var(_) if failed.is_some() => {}
            Piece::Var(name) if name.starts_with('$') => match self.builtin(name, at) {
                Ok(value) if in_string => push_escaped(&mut out, &value),
                Ok(value) => push_json(&mut out, &value),
                Err(e) => failed = Some(e),
            },
            Piece::Var(name) => match self.worked(name, at, &mut Vec::new()) {
                Ok(worked) => out.push_str(worked.form(in_string)),
                Err(e) => failed = Some(e),
            },
        });
        match failed {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    /// The value of `name`: a built-in afresh, a named variable as worked out before or now
    /// (`chain`: the names being worked out, to find a cycle).
    fn value(
        &mut self,
        name: &str,
        at: &str,
        chain: &mut Vec<String>,
    ) -> Result<String, TemplateError> {
        if name.starts_with('$') {
            return self.builtin(name, at);
        }
        Ok(self.worked(name, at, chain)?.text.clone())
    }

    /// The named variable `name`, worked out now unless it was before.
    fn worked(
        &mut self,
        name: &str,
        at: &str,
        chain: &mut Vec<String>,
    ) -> Result<&mut Worked, TemplateError> {
        if let Some(i) = self.resolved.iter().position(|(n, _)| n == name) {
            return Ok(&mut self.resolved[i].1);
        }
        if self.left.iter().any(|n| n == name) {
            let kept = Worked {
                text: format!("{{{{{name}}}}}"),
                escaped: Some(format!("{{{{{name}}}}}")),
                json: Some(format!("{{{{{name}}}}}")),
            };
            self.resolved.push((name.to_string(), kept));
            return Ok(&mut self.resolved.last_mut().expect("just pushed").1);
        }
        if chain.iter().any(|n| n == name) {
            let mut names = chain.clone();
            names.push(name.to_string());
            let start = names.iter().position(|n| n == name).unwrap_or(0);
            return Err(TemplateError::Cycle {
                name: name.to_string(),
                chain: names[start..].join(" → "),
                at: at.to_string(),
            });
        }
        let Some(raw) = self.vars.get(name).map(|(value, _)| value.to_string()) else {
            return Err(TemplateError::Unknown {
                name: name.to_string(),
                at: at.to_string(),
            });
        };
        chain.push(name.to_string());
        let mut value = String::with_capacity(raw.len());
        for piece in pieces(&raw) {
            match piece {
                Piece::Text(t) => value.push_str(t),
                Piece::Var(inner) => value.push_str(&self.value(inner, at, chain)?),
            }
        }
        chain.pop();
        self.resolved.push((name.to_string(), Worked::new(value)));
        Ok(&mut self.resolved.last_mut().expect("just pushed").1)
    }

    fn builtin(&mut self, name: &str, at: &str) -> Result<String, TemplateError> {
        let now = || self.now.unwrap_or_else(Timestamp::now);
        Ok(match name {
            "$uuid" => uuid::Builder::from_random_bytes(self.rng.u128(..).to_le_bytes())
                .into_uuid()
                .to_string(),
            "$now" => now()
                .round(Unit::Second)
                .unwrap_or_else(|_| now())
                .to_string(),
            "$today" => jiff::tz::TimeZone::UTC
                .to_datetime(now())
                .date()
                .to_string(),
            "$timestamp" => now().as_second().to_string(),
            "$randomInt" => self.rng.u32(0..=1000).to_string(),
            _ => {
                return Err(TemplateError::UnknownBuiltin {
                    name: name.to_string(),
                    at: at.to_string(),
                });
            }
        })
    }
}

/// A named variable worked out, with its JSON forms once asked for.
#[derive(Debug)]
struct Worked {
    text: String,
    escaped: Option<String>,
    json: Option<String>,
}

impl Worked {
    fn new(text: String) -> Self {
        Self {
            text,
            escaped: None,
            json: None,
        }
    }

    /// As string content (`in_string`) or as a JSON value.
    fn form(&mut self, in_string: bool) -> &str {
        let text = &self.text;
        if in_string {
            self.escaped.get_or_insert_with(|| {
                let mut out = String::new();
                push_escaped(&mut out, text);
                out
            })
        } else {
            self.json.get_or_insert_with(|| {
                let mut out = String::new();
                push_json(&mut out, text);
                out
            })
        }
    }
}

/// Why `text` (used at `at`) is not JSON, if it is not.
pub fn not_json(text: &str, at: &str) -> Option<TemplateError> {
    let e = serde_json::from_str::<serde::de::IgnoredAny>(text).err()?;
    Some(TemplateError::NotJson {
        at: at.to_string(),
        error: e.to_string(),
    })
}

/// A JSON text (or jq filter) with each template outside a string replaced by `0` and each
/// inside one left as it is: what is left is JSON when the text is JSON once any values are
/// filled in, so an editor can check a body whose values are not known yet.
pub fn with_stand_ins(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    scan::each_in_json(text, |piece, in_string| match piece {
        Piece::Text(t) => out.push_str(t),
        Piece::Var(name) if in_string => {
            out.push_str("{{");
            out.push_str(name);
            out.push_str("}}");
        }
        Piece::Var(_) => out.push('0'),
    });
    out
}

/// `value` as the content of a JSON string (or a jq string literal), quotes left off.
fn push_escaped(out: &mut String, value: &str) {
    if !value.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        out.push_str(value);
        return;
    }
    let quoted = serde_json::Value::String(value.to_string()).to_string();
    out.push_str(&quoted[1..quoted.len() - 1]);
}

/// `value` as JSON: as it is when it is a JSON value, else as a JSON string.
fn push_json(out: &mut String, value: &str) {
    let trimmed = value.trim();
    if !trimmed.is_empty() && serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_ok() {
        out.push_str(trimmed);
    } else {
        out.push_str(&serde_json::Value::String(value.to_string()).to_string());
    }
}
