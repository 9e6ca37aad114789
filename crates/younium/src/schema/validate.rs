//! Checking a JSON value against a schema from the catalogue: missing required fields, wrong
//! types, values outside an enum, lengths and ranges, formats (uuid, date, date-time), and
//! fields the schema does not name (a warning: Younium takes custom fields).
//!
//! One checker serves the body editor, `call --body`, the simulator and the response viewer;
//! [`Mode`] says which rules apply.

use serde_json::Value;

use super::{Schema, SchemaMap};

/// How many problems a report keeps (the counts go on past it).
pub(crate) const MAX_PROBLEMS: usize = 200;

/// How much a problem matters; ordered most serious first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Younium will most likely answer 400.
    Error,
    /// A value only the user can give, still empty (a body skeleton leaves these blank):
    /// not wrong yet, but Younium answers 400 until it is filled in.
    ToFill,
    /// Worth knowing, but Younium may accept it (an unknown field may be a custom field).
    Warning,
}

/// What is wrong, as a kind the code can test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A required field is not there.
    Missing,
    /// The value's JSON type is not the schema's (`null` where the schema is not nullable
    /// included).
    WrongType,
    /// A value outside the schema's enum.
    NotInEnum,
    /// A string too short or too long, a number below the minimum or above the maximum.
    OutOfRange,
    /// A string that is not a uuid, date or date-time where the schema's format says so.
    BadFormat,
    /// An empty string where the schema needs a value (a length, a format, a LookupKey):
    /// [`Severity::ToFill`].
    Blank,
    /// A field the schema does not name (warning).
    Unknown,
    /// A read-only field in a request body (warning: the server ignores or refuses it).
    ReadOnly,
}

/// One problem found, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where, as jq writes it: `.currency`, `.orderProducts[0].charges[2].quantity`, `.` for
    /// the whole value. For a missing field, the path the field would have.
    pub path: String,
    /// Whether Younium would refuse it.
    pub severity: Severity,
    /// What is wrong, for code.
    pub kind: ProblemKind,
    /// What is wrong, in words, without the path: `required field missing (LookupKeyCurrency
    /// (GUID, code or {key, value}))`, `expected integer (int32), found string`, `"Buyer" is
    /// not one of Customer|Reseller|…`. It may quote the body (cut to 40 characters) and is
    /// not sanitised: show it through [`Problem::text`] or [`crate::sanitize`].
    pub message: String,
    /// The 1-based line of the text where the problem is (the line of the value; for a missing
    /// field, the line that opens the object that lacks it). `None` when checked without text.
    pub line: Option<usize>,
}

impl Problem {
    /// `line 3  .currency: required field missing`, on one line and safe for the terminal.
    pub fn text(&self) -> String {
        let text = match self.line {
            Some(line) => format!("line {line}  {}: {}", self.path, self.message),
            None => format!("{}: {}", self.path, self.message),
        };
        crate::sanitize::one_line(&text).into_owned()
    }
}

/// Which rules apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A POST or PUT body: every rule, unknown and read-only fields as warnings.
    Create,
    /// A PATCH body (a JSON merge patch): as `Create`, but no field is required at the top
    /// level or below, and `null` is allowed anywhere (it removes the field).
    Patch,
    /// A server's answer: missing required fields, wrong types and enum values are errors;
    /// unknown and read-only fields are not reported. Lengths, `minimum`/`maximum`, formats
    /// and empty LookupKeys are not checked, and a required field that is nullable may be
    /// absent (Younium leaves out fields without a value).
    Response,
}

/// Everything found in one value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Errors first, then the values to fill in, then warnings; within each, by line (then in
    /// the body's order, which is the order of the paths as they appear). At most 200.
    pub problems: Vec<Problem>,
    /// How many errors were found in all (past the cap too).
    pub errors: usize,
    /// How many values are still to fill in.
    pub to_fill: usize,
    /// How many warnings were found in all.
    pub warnings: usize,
}

impl Report {
    /// At least one [`Severity::Error`].
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Errors or values still to fill in: Younium would answer 400 to it as it is.
    pub fn is_incomplete(&self) -> bool {
        self.errors > 0 || self.to_fill > 0
    }

    /// Nothing found at all, warnings included.
    pub fn is_clean(&self) -> bool {
        self.errors == 0 && self.to_fill == 0 && self.warnings == 0
    }

    /// Every problem counted, past the cap too.
    pub fn total(&self) -> usize {
        self.errors + self.to_fill + self.warnings
    }

    /// The first error, the one a question before sending names.
    pub fn first_error(&self) -> Option<&Problem> {
        self.problems.iter().find(|p| p.severity == Severity::Error)
    }

    /// The first error, else the first value to fill in.
    pub fn first_incomplete(&self) -> Option<&Problem> {
        self.first_error().or_else(|| {
            self.problems
                .iter()
                .find(|p| p.severity == Severity::ToFill)
        })
    }

    /// `2 errors, 1 to fill in, 1 warning`, or `no problems`.
    pub fn summary(&self) -> String {
        let count = |n: usize, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        let parts: Vec<String> = [
            count(self.errors, "error", "errors"),
            count(self.to_fill, "to fill in", "to fill in"),
            count(self.warnings, "warning", "warnings"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            "no problems".into()
        } else {
            parts.join(", ")
        }
    }
}

/// Checks `value` against `schema`; the problems carry no line.
pub fn validate(map: &SchemaMap, schema: &Schema, value: &Value, mode: Mode) -> Report {
    let found = check::Walker::run(map, schema, value, mode);
    found.into_report(|_| None)
}

/// Parses `text` and checks it, each problem with its line. `None` when `text` is not JSON
/// (the editor says that already).
///
/// The lines come from one pass over the text (`locate::value_lines`) that tracks the path
/// of each value as it goes, for all the problems at once.
pub fn validate_text(map: &SchemaMap, schema: &Schema, text: &str, mode: Mode) -> Option<Report> {
    let value: Value = serde_json::from_str(text).ok()?;
    let found = check::Walker::run(map, schema, &value, mode);
    if found.is_empty() {
        return Some(found.into_report(|_| None));
    }
    let lines = locate::value_lines(text, found.anchors());
    Some(found.into_report(|anchor| lines.get(anchor).copied()))
}

mod check;
mod locate;
#[cfg(test)]
mod tests;
