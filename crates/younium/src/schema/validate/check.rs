//! The walk over a value and its schema: every rule of [`super::validate`], each problem with
//! its jq path and the path of the value whose line it is shown on.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::super::skeleton::is_lookup_key;
use super::super::{MAX_DEPTH, Property, Schema, SchemaMap};
use super::{MAX_PROBLEMS, Mode, Problem, ProblemKind, Report, Severity};
use crate::json_path::{JsonPath, Step};

/// The longest piece of a value quoted in a message, in characters.
const QUOTE_CHARS: usize = 40;

/// A problem before its line is known.
struct Found {
    problem: Problem,
    /// The path (jq text, `""` for the root) of the value whose line the problem is on: the
    /// value itself, or for a missing field the object that lacks it.
    anchor: String,
    /// The order it was found in (the body's order).
    order: usize,
}

/// What a walk found: the first [`MAX_PROBLEMS`] errors and warnings, and the counts of all.
#[derive(Default)]
pub(super) struct Findings {
    errors: Vec<Found>,
    to_fill: Vec<Found>,
    warnings: Vec<Found>,
    error_count: usize,
    to_fill_count: usize,
    warning_count: usize,
}

impl Findings {
    pub(super) fn is_empty(&self) -> bool {
        self.error_count == 0 && self.to_fill_count == 0 && self.warning_count == 0
    }

    /// The paths whose lines are wanted.
    pub(super) fn anchors(&self) -> impl Iterator<Item = &str> {
        self.errors
            .iter()
            .chain(&self.to_fill)
            .chain(&self.warnings)
            .map(|f| f.anchor.as_str())
    }

    /// The report: errors first, then warnings, each by line then in the body's order, cut at
    /// [`MAX_PROBLEMS`]; `line_of` gives an anchor's line.
    pub(super) fn into_report(self, line_of: impl Fn(&str) -> Option<usize>) -> Report {
        let mut all: Vec<Found> = (self.errors.into_iter())
            .chain(self.to_fill)
            .chain(self.warnings)
            .collect();
        for found in &mut all {
            found.problem.line = line_of(&found.anchor);
        }
        all.sort_by_key(|f| (f.problem.severity, f.problem.line, f.order));
        all.truncate(MAX_PROBLEMS);
        Report {
            problems: all.into_iter().map(|f| f.problem).collect(),
            errors: self.error_count,
            to_fill: self.to_fill_count,
            warnings: self.warning_count,
        }
    }
}

/// One walk over a value.
pub(super) struct Walker<'a> {
    map: &'a SchemaMap,
    mode: Mode,
    /// The jq path of the value being checked, `""` at the root.
    path: String,
    found: Findings,
    order: usize,
}

impl<'a> Walker<'a> {
    pub(super) fn run(
        map: &'a SchemaMap,
        schema: &'a Schema,
        value: &Value,
        mode: Mode,
    ) -> Findings {
        let mut walker = Walker {
            map,
            mode,
            path: String::new(),
            found: Findings::default(),
            order: 0,
        };
        walker.check(schema, value, 0);
        walker.found
    }

    fn request(&self) -> bool {
        self.mode != Mode::Response
    }

    /// Records a problem at the current path (anchored there too).
    fn here(&mut self, severity: Severity, kind: ProblemKind, message: String) {
        let anchor = self.path.clone();
        self.push(severity, kind, message, display(&anchor), anchor);
    }

    fn error(&mut self, kind: ProblemKind, message: String) {
        self.here(Severity::Error, kind, message);
    }

    /// An empty string only the user can fill in.
    fn blank(&mut self, message: String) {
        self.here(Severity::ToFill, ProblemKind::Blank, message);
    }

    fn push(
        &mut self,
        severity: Severity,
        kind: ProblemKind,
        message: String,
        path: String,
        anchor: String,
    ) {
        let (list, count) = match severity {
            Severity::Error => (&mut self.found.errors, &mut self.found.error_count),
            Severity::ToFill => (&mut self.found.to_fill, &mut self.found.to_fill_count),
            Severity::Warning => (&mut self.found.warnings, &mut self.found.warning_count),
        };
        *count += 1;
        if list.len() < MAX_PROBLEMS {
            list.push(Found {
                problem: Problem {
                    path,
                    severity,
                    kind,
                    message,
                    line: None,
                },
                anchor,
                order: self.order,
            });
        }
        self.order += 1;
    }

    /// Checks `value` against `schema` (the schema as referred to, with its own `nullable`).
    /// `refs` counts the references followed above it, as [`SchemaMap::at_path`] does: past
    /// [`MAX_DEPTH`] the schema is cut and nothing is checked.
    fn check(&mut self, schema: &'a Schema, value: &Value, refs: usize) {
        if refs > MAX_DEPTH {
            return;
        }
        let resolved = self.map.resolve(schema);
        let lookup = is_lookup_key(schema);
        if value.is_null() {
            let untyped = resolved.kind.is_none()
                && resolved.properties.is_empty()
                && resolved.values.is_empty()
                && !lookup;
            let allowed = self.mode == Mode::Patch
                || schema.nullable
                || resolved.nullable
                || resolved.cut
                || untyped;
            if !allowed {
                self.wrong_type(schema, value);
            }
            return;
        }
        if lookup {
            self.lookup_key(schema, resolved, value, refs);
            return;
        }
        if resolved.cut {
            return;
        }
        match resolved.kind.as_deref() {
            Some("string") => self.string(schema, resolved, value),
            Some("integer") => self.integer(schema, resolved, value),
            Some("number") => {
                if value.is_number() {
                    self.range(resolved, value);
                    self.enumerated(resolved, value);
                } else {
                    self.wrong_type(schema, value);
                }
            }
            Some("boolean") => {
                if !value.is_boolean() {
                    self.wrong_type(schema, value);
                }
            }
            Some("array") => match value.as_array() {
                Some(items) => {
                    if let Some(item) = resolved.items.as_deref() {
                        let refs = refs + usize::from(schema.reference.is_some());
                        for (i, v) in items.iter().enumerate() {
                            let len = self.path.len();
                            let _ = write!(self.path, "[{i}]");
                            self.check(item, v, refs);
                            self.path.truncate(len);
                        }
                    }
                }
                None => self.wrong_type(schema, value),
            },
            Some("object") => match value.as_object() {
                Some(object) => self.object(schema, resolved, object, refs),
                None => self.wrong_type(schema, value),
            },
            None if !resolved.properties.is_empty() => match value.as_object() {
                Some(object) => self.object(schema, resolved, object, refs),
                None => self.wrong_type(schema, value),
            },
            // No type: only an enum can be checked.
            None => self.enumerated(resolved, value),
            // A type this checker does not know: not checked further.
            Some(_) => {}
        }
    }

    fn string(&mut self, schema: &Schema, resolved: &Schema, value: &Value) {
        let Some(text) = value.as_str() else {
            self.wrong_type(schema, value);
            return;
        };
        if !resolved.values.is_empty() {
            self.enumerated(resolved, value);
            return;
        }
        if !self.request() {
            return;
        }
        let chars = text.chars().count() as u64;
        let (ok, expected) = match resolved.format.as_deref() {
            Some("uuid") => (is_uuid(text), "a uuid (8-4-4-4-12 hex digits)"),
            Some("date") => (is_date(text), "a date (YYYY-MM-DD)"),
            Some("date-time") => (
                is_date_time(text),
                "a date-time (RFC 3339, e.g. 2026-11-30T12:00:00Z)",
            ),
            _ => (true, ""),
        };
        if chars == 0 && (!ok || resolved.min_length.is_some_and(|min| min > 0)) {
            let what = match resolved.min_length {
                _ if !ok => expected.to_string(),
                Some(1) => "text, at least 1 character".to_string(),
                Some(min) => format!("text, at least {min} characters"),
                None => expected.to_string(),
            };
            self.blank(format!("to fill in: {what}"));
            return;
        }
        if let Some(min) = resolved.min_length.filter(|&min| chars < min) {
            let unit = if min == 1 { "character" } else { "characters" };
            let message = if chars == 0 {
                format!("empty, expected at least {min} {unit}")
            } else {
                format!("too short: {chars} characters, at least {min}")
            };
            self.error(ProblemKind::OutOfRange, message);
        }
        if let Some(max) = resolved.max_length.filter(|&max| chars > max) {
            self.error(
                ProblemKind::OutOfRange,
                format!("too long: {chars} characters, at most {max}"),
            );
        }
        if !ok {
            self.error(
                ProblemKind::BadFormat,
                format!("{} is not {expected}", quote(value)),
            );
        }
    }

    fn integer(&mut self, schema: &Schema, resolved: &Schema, value: &Value) {
        if !value.is_number() {
            self.wrong_type(schema, value);
            return;
        }
        if !(value.is_i64() || value.is_u64()) {
            let expected = expected(self.map, schema);
            self.error(
                ProblemKind::WrongType,
                format!("expected {expected}, found {value} (not a whole number)"),
            );
            return;
        }
        let fits = match resolved.format.as_deref() {
            Some("int32") => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            Some("int64") => value.is_i64(),
            _ => true,
        };
        if !fits {
            let format = resolved.format.as_deref().unwrap_or_default();
            self.error(
                ProblemKind::OutOfRange,
                format!("{value} is outside the {format} range"),
            );
            return;
        }
        self.range(resolved, value);
        self.enumerated(resolved, value);
    }

    /// `minimum` and `maximum` (requests only).
    fn range(&mut self, resolved: &Schema, value: &Value) {
        if !self.request() {
            return;
        }
        let Some(n) = value.as_f64() else { return };
        if let Some(min) = &resolved.minimum
            && min.as_f64().is_some_and(|min| n < min)
        {
            self.error(
                ProblemKind::OutOfRange,
                format!("{value} is below the minimum {min}"),
            );
        }
        if let Some(max) = &resolved.maximum
            && max.as_f64().is_some_and(|max| n > max)
        {
            self.error(
                ProblemKind::OutOfRange,
                format!("{value} is above the maximum {max}"),
            );
        }
    }

    /// An exact match of the enum; a value that differs only in case says which is meant.
    fn enumerated(&mut self, resolved: &Schema, value: &Value) {
        if resolved.values.is_empty() || resolved.values.contains(value) {
            return;
        }
        let names: Vec<String> = resolved
            .values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect();
        let mut message = format!("{} is not one of {}", quote(value), names.join("|"));
        if let Some(meant) = value.as_str().and_then(|text| {
            resolved
                .values
                .iter()
                .filter_map(Value::as_str)
                .find(|v| v.to_lowercase() == text.to_lowercase())
        }) {
            let _ = write!(message, " (did you mean \"{meant}\"? case matters)");
        }
        self.error(ProblemKind::NotInEnum, message);
    }

    /// A LookupKey: a non-empty string (a GUID or a code such as `A-000001`) or
    /// `{"key": …, "value": …}` with a non-empty `value`.
    fn lookup_key(&mut self, schema: &'a Schema, resolved: &'a Schema, value: &Value, refs: usize) {
        match value {
            Value::String(text) => {
                if text.is_empty() && self.request() {
                    self.blank(
                        "to fill in: a LookupKey (a GUID, a code such as A-000001, or \
                         {\"key\": …, \"value\": …})"
                            .into(),
                    );
                } else if text.trim().is_empty() && self.request() {
                    self.error(
                        ProblemKind::OutOfRange,
                        "blank: a LookupKey takes a GUID, a code such as A-000001, or \
                         {\"key\": …, \"value\": …}"
                            .into(),
                    );
                }
            }
            Value::Object(object) => {
                self.object(schema, resolved, object, refs);
                if !self.request() {
                    return;
                }
                let given = object.get("value");
                if given.is_none_or(Value::is_null) {
                    let mut path = self.path.clone();
                    push_key(&mut path, "value");
                    self.push(
                        Severity::Error,
                        ProblemKind::Missing,
                        "required field missing (string): a LookupKey object needs the \
                         value to look up"
                            .into(),
                        display(&path),
                        self.path.clone(),
                    );
                } else if given
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.trim().is_empty())
                {
                    let len = self.path.len();
                    push_key(&mut self.path, "value");
                    self.error(
                        ProblemKind::OutOfRange,
                        "empty: the value to look up".into(),
                    );
                    self.path.truncate(len);
                }
            }
            _ => self.wrong_type(schema, value),
        }
    }

    fn object(
        &mut self,
        schema: &'a Schema,
        resolved: &'a Schema,
        object: &Map<String, Value>,
        refs: usize,
    ) {
        // An object schema without fields (`customFields`) takes anything.
        if resolved.properties.is_empty() {
            return;
        }
        let refs = refs + usize::from(schema.reference.is_some());
        if self.mode != Mode::Patch {
            for p in resolved.properties.iter().filter(|p| p.required) {
                if self.excused(p) || has_key(object, &p.name) {
                    continue;
                }
                let mut path = self.path.clone();
                push_key(&mut path, &p.name);
                let message = format!("required field missing ({})", self.map.describe(&p.schema));
                self.push(
                    Severity::Error,
                    ProblemKind::Missing,
                    message,
                    display(&path),
                    self.path.clone(),
                );
            }
        }
        for (name, value) in object {
            let len = self.path.len();
            push_key(&mut self.path, name);
            match property(resolved, name) {
                Some(p) if p.name != *name => {
                    if self.request() {
                        self.here(
                            Severity::Warning,
                            ProblemKind::Unknown,
                            format!(
                                "the spec spells it \"{}\" (Younium matches names ignoring case)",
                                p.name
                            ),
                        );
                    }
                    self.member(p, value, refs);
                }
                Some(p) => self.member(p, value, refs),
                None if self.request() => {
                    let owner = schema
                        .reference
                        .as_deref()
                        .map(|n| format!("not a field of {n}"))
                        .unwrap_or_else(|| "not a field of this object".into());
                    let custom = if resolved.property("customFields").is_some() {
                        " (a custom field goes in customFields)"
                    } else {
                        ""
                    };
                    self.here(
                        Severity::Warning,
                        ProblemKind::Unknown,
                        format!("{owner}: Younium ignores it{custom}"),
                    );
                }
                None => {}
            }
            self.path.truncate(len);
        }
    }

    fn member(&mut self, p: &'a Property, value: &Value, refs: usize) {
        if self.request() && (p.schema.read_only || self.map.resolve(&p.schema).read_only) {
            self.here(
                Severity::Warning,
                ProblemKind::ReadOnly,
                "read-only: the server sets this field and ignores or refuses it in a request"
                    .into(),
            );
            return;
        }
        self.check(&p.schema, value, refs);
    }

    /// A required field that need not be there: read-only ones in a request; in an answer,
    /// nullable ones (Younium leaves out fields without a value).
    fn excused(&self, p: &Property) -> bool {
        let resolved = self.map.resolve(&p.schema);
        match self.mode {
            Mode::Patch => true,
            Mode::Create => p.schema.read_only || resolved.read_only,
            Mode::Response => p.schema.nullable || resolved.nullable,
        }
    }

    fn wrong_type(&mut self, schema: &Schema, value: &Value) {
        let expected = expected(self.map, schema);
        self.error(
            ProblemKind::WrongType,
            format!("expected {expected}, found {}", json_type(value)),
        );
    }
}

/// A field by name: exactly, else ignoring case (as ASP.NET reads JSON).
fn property<'s>(schema: &'s Schema, name: &str) -> Option<&'s Property> {
    schema.property(name).or_else(|| {
        schema
            .properties
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    })
}

fn has_key(object: &Map<String, Value>, name: &str) -> bool {
    object.contains_key(name) || object.keys().any(|k| k.eq_ignore_ascii_case(name))
}

/// The type expected, in words: `integer (int32)`, `string (enum A|B, nullable)`,
/// `LookupKeyCurrency (GUID, code or {key, value})`.
fn expected(map: &SchemaMap, schema: &Schema) -> String {
    let described = map.describe(schema);
    match described.split_once(", ") {
        Some((head, rest)) if !head.contains('(') => format!("{head} ({rest})"),
        _ => described,
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value as JSON, cut to [`QUOTE_CHARS`] characters.
fn quote(value: &Value) -> String {
    crate::text::shorten(&value.to_string(), QUOTE_CHARS)
}

/// Appends `.key` (or `."odd key"`) to a jq path, as [`JsonPath`] writes it.
pub(super) fn push_key(path: &mut String, key: &str) {
    let _ = write!(path, "{}", JsonPath(vec![Step::Key(key.to_owned())]));
}

/// A path as shown: `.` for the root.
fn display(path: &str) -> String {
    if path.is_empty() {
        ".".into()
    } else {
        path.to_owned()
    }
}

/// `8-4-4-4-12` hex digits, the only form System.Text.Json reads as a Guid.
fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// `YYYY-MM-DD`, a real date.
fn is_date(text: &str) -> bool {
    text.len() == 10 && text.parse::<jiff::civil::Date>().is_ok()
}

/// RFC 3339 with an offset, or (as .NET reads it) without one, or a date alone.
fn is_date_time(text: &str) -> bool {
    let digits = text.as_bytes().first().is_some_and(u8::is_ascii_digit);
    digits
        && (text.parse::<jiff::Timestamp>().is_ok()
            || text.parse::<jiff::civil::DateTime>().is_ok()
            || is_date(text))
}
