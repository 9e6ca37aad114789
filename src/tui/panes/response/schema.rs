//! The answer against the spec: the type of the cursor's field (on the path line) and the
//! check of a whole answer against the operation's response schema (a flag in the pane's
//! title, the problems listed in the Headers tab).
//!
//! Both apply to a 2xx JSON answer, sent with api-version 2.1 (the spec's version), to an
//! operation of the catalogue whose spec names a response schema. The check parses the body
//! into a `Value`, so it runs off the UI thread, after the body is indexed, and only for
//! bodies up to [`CHECK_LIMIT`]; the field types need only the cursor's path and work at
//! any size.

use std::fmt;

use ratatui::text::{Line, Span};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::pretty::path::{JsonPath, Step};
use crate::sanitize::{one_line, window};
use crate::tui::theme::Theme;
use crate::younium::catalog::{Operation, catalog};
use crate::younium::schema::{Problem, Report, Severity};
use crate::younium::{ApiRequest, ApiResponse};

use super::ResponsePane;

/// Bodies larger than this are not checked against the spec (parsing one into a `Value`
/// takes several times its size in memory).
pub const CHECK_LIMIT: usize = 16 * 1024 * 1024;

/// The spec the catalogue is built from describes this api-version.
const SPEC_API_VERSION: &str = "2.1";

/// The operation whose response schema an answer is read against, when there is one: a 2xx
/// answer to a catalogue operation with a response schema, sent with api-version 2.1.
pub fn operation_for(request: &ApiRequest, response: &ApiResponse) -> Option<&'static Operation> {
    let version = response.sent.header("api-version")?.display(false);
    if !response.is_success() || version.trim() != SPEC_API_VERSION {
        return None;
    }
    catalog()
        .find(request.method, &request.path)
        .filter(|op| op.response_schema().is_some())
}

/// What [`crate::tui::app::Effect::Index`] carries when the answer is to be checked.
#[derive(Clone, Copy)]
pub struct SchemaCheck {
    pub operation: &'static Operation,
}

impl fmt::Debug for SchemaCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SchemaCheck({} {})",
            self.operation.method, self.operation.path
        )
    }
}

impl SchemaCheck {
    /// The check to run on an answer as it is indexed: `None` when no schema applies, the
    /// body is not JSON, or it is larger than [`CHECK_LIMIT`].
    pub fn for_answer(request: &ApiRequest, response: &ApiResponse) -> Option<Self> {
        let view = SchemaView::for_answer(0, request, response);
        match (view.operation, view.state) {
            (Some(operation), SchemaState::Checking) => Some(Self { operation }),
            _ => None,
        }
    }

    /// Parses `body` and checks it (slow for a large body: call it off the UI thread).
    /// `None` when the body does not parse.
    pub fn run(&self, body: &[u8]) -> Option<Report> {
        let value: Value = serde_json::from_slice(body).ok()?;
        self.operation.validate_response(&value)
    }
}

/// How far the answer on screen is read against its schema.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum SchemaState {
    /// No schema applies (an error status, another api-version, an operation the spec does
    /// not describe, an empty body).
    #[default]
    None,
    /// A schema applies; the check has not answered yet.
    Checking,
    /// The body is larger than [`CHECK_LIMIT`]: not checked (the field types still show).
    TooLarge,
    /// The body is not JSON (by its content type, or it did not parse): nothing to check.
    NotJson,
    Checked(Report),
}

/// The response schema of the answer on screen and what its check found.
#[derive(Clone, Debug, Default)]
pub struct SchemaView {
    /// The answer it is about.
    pub id: u64,
    pub operation: Option<&'static Operation>,
    pub state: SchemaState,
}

impl SchemaView {
    /// For answer `id` as it is put on screen.
    pub fn for_answer(id: u64, request: &ApiRequest, response: &ApiResponse) -> Self {
        // An empty body (a 204) has nothing to read against a schema.
        let operation =
            operation_for(request, response).filter(|_| !response.body.trim_ascii().is_empty());
        let state = match operation {
            None => SchemaState::None,
            Some(_) if !response.is_json() => SchemaState::NotJson,
            Some(_) if response.body.len() > CHECK_LIMIT => SchemaState::TooLarge,
            Some(_) => SchemaState::Checking,
        };
        Self {
            id,
            operation,
            state,
        }
    }

    /// The check's report, when it found errors.
    fn errors(&self) -> Option<&Report> {
        match &self.state {
            SchemaState::Checked(report) if report.has_errors() => Some(report),
            _ => None,
        }
    }
}

/// What the path line says of the cursor's field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// The field's type and constraints in words (`string, enum Customer|Reseller`).
    Known(String),
    /// The field's object has a schema that does not name it.
    NotInSchema,
}

impl FieldType {
    pub fn text(&self) -> &str {
        match self {
            FieldType::Known(text) => text,
            FieldType::NotInSchema => "not in the schema",
        }
    }
}

/// The type the response schema of `operation` gives the value at `path` (in a bare array of
/// `records`, the schema of a paged list's `data`: [`Operation::answer_schema`]). `None` when
/// the schema says nothing of it (inside a free-form object, under a field it does not name,
/// a key that cannot be written as a schema path).
pub fn field_type(operation: &Operation, path: &JsonPath, records: bool) -> Option<FieldType> {
    let schemas = catalog().schemas();
    let root = operation.answer_schema(records)?;
    let text = schema_path(&path.0)?;
    if let Some(schema) = schemas.at_path(root, &text) {
        return Some(FieldType::Known(schemas.describe(schema)));
    }
    // Unknown here: "not in the schema" when the object it is in has named fields.
    let (Step::Key(_), parents) = path.0.split_last()? else {
        return None;
    };
    let parent = schemas.at_path(root, &schema_path(parents)?)?;
    let parent = schemas.resolve(parent);
    (!parent.properties.is_empty()).then_some(FieldType::NotInSchema)
}

/// `steps` as [`crate::younium::schema::SchemaMap::at_path`] reads them (`.data[3].name`);
/// `None` for a key it would split (one with `.`, `[` or nothing in it).
fn schema_path(steps: &[Step]) -> Option<String> {
    let mut text = String::new();
    for step in steps {
        match step {
            Step::Index(i) => text.push_str(&format!("[{i}]")),
            Step::Key(k) if k.is_empty() || k.contains(['.', '[', ']']) => return None,
            Step::Key(k) => {
                text.push('.');
                text.push_str(k);
            }
        }
    }
    Some(text)
}

/// The title's flag for a report with errors: the first error and how many more, cut to
/// `width` columns (the count kept). Empty for a report without errors.
pub fn flag_text(report: &Report, width: usize) -> String {
    let Some(first) = report.first_error() else {
        return String::new();
    };
    let more = match report.errors.saturating_sub(1) {
        0 => String::new(),
        n => format!(" (+{n} more)"),
    };
    let head = " ⚠ not as the spec says: ";
    let problem = format!("{} {}", first.path, first.message);
    let room = width.saturating_sub(head.width() + more.width() + 1);
    if room < 8 {
        // No room for the problem: the words and the count, or what fits of them.
        let short = [
            format!(" ⚠ not as the spec says{more} "),
            " ⚠ not as the spec says ".into(),
        ];
        return short
            .into_iter()
            .find(|s| s.width() <= width)
            .unwrap_or_else(|| window(" ⚠ ", 0, width));
    }
    format!("{head}{}{more} ", window(&one_line(&problem), 0, room))
}

/// The problems of a check, one a line: `.data[2].inactive  expected boolean, found string`.
fn problem_line(problem: &Problem, theme: &Theme) -> Line<'static> {
    let style = match problem.severity {
        Severity::Error | Severity::ToFill => theme.warn(),
        Severity::Warning => theme.dim(),
    };
    Line::from(vec![
        Span::raw(""),
        Span::styled(format!("  {}  ", one_line(&problem.path)), style),
        Span::raw(one_line(&problem.message).into_owned()),
    ])
}

/// The section of the Headers tab on the schema check (nothing while it runs or when no
/// schema applies). The first span of each line is the (empty) gutter, as for the headers.
pub(super) fn check_lines(view: &SchemaView, theme: &Theme) -> Vec<Line<'static>> {
    let Some(operation) = view.operation else {
        return Vec::new();
    };
    let call = format!("{} {}", operation.method, operation.path);
    let against = match &operation.response {
        Some(shape) => format!("{} ({call})", shape.schema),
        None => format!("the response schema of {call}"),
    };
    let heading = |text: String, style| {
        vec![
            Line::default(),
            Line::from(vec![Span::raw(""), Span::styled(text, style)]),
        ]
    };
    match &view.state {
        SchemaState::None | SchemaState::Checking => Vec::new(),
        SchemaState::TooLarge => heading(
            format!(
                "Not checked against {against}: the body is over {}.",
                crate::younium::limit::ByteSize::of_len(CHECK_LIMIT)
            ),
            theme.dim(),
        ),
        SchemaState::NotJson => heading(
            format!("Not checked against {against}: the body is not JSON."),
            theme.dim(),
        ),
        SchemaState::Checked(report) if !report.has_errors() => heading(
            format!("As the spec says: the body matches {against}."),
            theme.dim(),
        ),
        SchemaState::Checked(report) => {
            let errors = match report.errors {
                1 => "1 error".to_string(),
                n => format!("{n} errors"),
            };
            let mut lines = heading(
                format!("Not as the spec says: {errors} against {against}"),
                theme.warn(),
            );
            lines.extend(report.problems.iter().map(|p| problem_line(p, theme)));
            let left_out = report.total().saturating_sub(report.problems.len());
            if left_out > 0 {
                lines.push(Line::from(vec![
                    Span::raw(""),
                    Span::styled(format!("  … and {left_out} more"), theme.dim()),
                ]));
            }
            lines
        }
    }
}

impl ResponsePane {
    /// The check of answer `id` against its schema answered (`None`: the body did not parse);
    /// false when another answer is on screen now.
    pub fn schema_checked(&mut self, id: u64, report: Option<Report>) -> bool {
        if self.schema.id != id || self.shown().is_none_or(|s| s.id != id) {
            return false;
        }
        self.schema.state = match report {
            Some(report) => SchemaState::Checked(report),
            None => SchemaState::NotJson,
        };
        true
    }

    /// The flag for the pane's title when the answer does not match its schema, cut to
    /// `width` columns; `None` when there is nothing to flag.
    pub fn schema_flag(&self, width: usize) -> Option<String> {
        let report = self.schema.errors()?;
        Some(flag_text(report, width)).filter(|t| !t.is_empty())
    }

    /// Columns left for the flag in the top border: less the corners, the title the view
    /// writes there (` 5 Response ` and [`title`](Self::title)) and the space between them.
    pub(super) fn flag_room(&self, width: u16) -> usize {
        const PANE_TITLE: usize = " 5 Response ".len();
        (width as usize).saturating_sub(2 + PANE_TITLE + self.title().width() + 1)
    }

    /// Whether the answer on screen was checked and does not match its schema.
    pub fn schema_has_errors(&self) -> bool {
        self.schema.errors().is_some()
    }

    /// The type of the cursor's field, when the body itself (not a filter's output) is shown
    /// and a response schema applies.
    pub(super) fn cursor_field_type(&self) -> Option<FieldType> {
        let operation = self.schema.operation?;
        if self.jq_shown() != 0 {
            return None;
        }
        let doc = self.shown()?.doc.clone()?;
        self.view.field_type(&doc, operation)
    }
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
