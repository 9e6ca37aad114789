//! The fields the body may still take, from the spec: for the object the cursor's line is
//! about, the fields not in it yet (for an array, a new item), and the insertion of the one
//! picked in the body's own layout, where the editor's undo can take it back.

use ratatui_textarea::CursorMove;
use serde_json::Value;

use super::RequestPane;
use super::outline::{Container, Pos, container_for_row};
use crate::pretty::json::JsonError;
use crate::pretty::path::Step;
use crate::younium::catalog::catalog;
use crate::younium::schema::{FieldHint, missing_fields, skeleton_value};

/// What may be inserted at one place of the body.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChoices {
    /// Where, as jq writes it (`.`, `.orderProducts[0]`).
    pub place: String,
    /// The schema of that place in words (`CreateAccountRequest`, `array of OrderProduct`).
    pub schema: String,
    /// The fields not there yet, required ones first; for an array, its new item.
    pub hints: Vec<FieldHint>,
    target: Container,
}

impl FieldChoices {
    /// Whether the place is an array (the one choice is a new item).
    pub fn into_array(&self) -> bool {
        !self.target.object
    }

    /// The place in words: `the body` for the top level, else its path.
    pub fn place_name(&self) -> &str {
        match self.place.as_str() {
            "." => "the body",
            place => place,
        }
    }
}

impl RequestPane {
    /// The choices for the object or array the cursor's line is about, or why there are none.
    /// An empty body starts as `{}`.
    pub fn field_choices(&mut self) -> Result<FieldChoices, String> {
        let op = self
            .schema_operation()
            .ok_or(
                "No schema for this body: load a POST, PUT or PATCH operation from the \
                 Endpoints pane.",
            )?
            .clone();
        if self.body_text().trim().is_empty() {
            self.set_body("{}".into());
        }
        let value: Value = serde_json::from_str(&self.body_text()).map_err(|e| {
            format!(
                "The body is not valid JSON ({}): fix it first.",
                JsonError::from_serde(&e)
            )
        })?;
        let row = self.body.cursor().0;
        let target = container_for_row(self.body.lines(), row)
            .ok_or("The body is not valid JSON: fix it first.")?;
        let place = target.path.to_string();
        let schemas = catalog().schemas();
        let hints = if target.object {
            let schema = op.body_schema_at(&place).ok_or_else(|| {
                format!("The spec does not describe {place}: no fields to offer there.")
            })?;
            let here = value_at(&value, &target.path.0).unwrap_or(&Value::Null);
            let hints = missing_fields(schemas, schema, here);
            if hints.is_empty() {
                return Err(format!(
                    "{place} holds every field its schema ({}) names.",
                    schemas.describe(schema)
                ));
            }
            (schemas.describe(schema), hints)
        } else {
            let list = op
                .body_schema_at(&place)
                .ok_or_else(|| format!("The spec does not describe {place}."))?;
            let item = op
                .body_schema_at(&format!("{place}[]"))
                .ok_or_else(|| format!("The spec does not describe the items of {place}."))?;
            let hint = FieldHint {
                name: "a new item".into(),
                kind: schemas.describe(item),
                required: false,
                value: skeleton_value(schemas, item),
            };
            (schemas.describe(list), vec![hint])
        };
        Ok(FieldChoices {
            place,
            schema: hints.0,
            hints: hints.1,
            target,
        })
    }

    /// Inserts `hint` (the field, or an array's item) where `choices` were listed, then edits
    /// the body with the cursor on the new value.
    pub fn insert_field(&mut self, choices: &FieldChoices, hint: &FieldHint) {
        let key = choices.target.object.then_some(hint.name.as_str());
        let insertion = insertion(self.body.lines(), &choices.target, key, &hint.value);
        let (Ok(row), Ok(col)) = (u16::try_from(insertion.at.0), u16::try_from(insertion.at.1))
        else {
            self.message = Some("The body is too long to insert into.".into());
            return;
        };
        self.body.move_cursor(CursorMove::Jump(row, col));
        self.body.insert_str(&insertion.text);
        let (row, col) = insertion.cursor;
        self.body.move_cursor(CursorMove::Jump(
            u16::try_from(row).unwrap_or(u16::MAX),
            u16::try_from(col).unwrap_or(u16::MAX),
        ));
        self.editing = Some(super::Editing::Body);
        self.after_body_edit();
        self.message = Some(format!(
            "Inserted {} in {}.",
            hint.name,
            choices.place_name()
        ));
    }
}

impl RequestPane {
    /// The field on the cursor's line with the type its schema gives it
    /// (`.accountType: string, enum Customer|…`), worked out once for each change and line.
    /// `None` without a body schema, for text that is not JSON, or a body over the limit.
    pub fn cursor_field(&self) -> Option<String> {
        let key = (self.body_revision, self.body.cursor().0);
        if let Some((cached, field)) = &*self.cursor_field.borrow()
            && *cached == key
        {
            return field.clone();
        }
        let field = self.cursor_field_now();
        *self.cursor_field.borrow_mut() = Some((key, field.clone()));
        field
    }

    fn cursor_field_now(&self) -> Option<String> {
        if self.too_long() {
            return None;
        }
        let op = self.schema_operation()?;
        let lines = self.body.lines();
        let row = self.body.cursor().0;
        let target = container_for_row(lines, row)?;
        let line = lines.get(row)?.trim_start();
        let mut path = target.path.clone();
        match leading_key(line) {
            // `"address": {` opens the container the line is about: its path already.
            Some(_) if target.open.0 == row => {}
            Some(key) => path.0.push(Step::Key(key)),
            None if target.open.0 == row || line.starts_with(['}', ']']) => {}
            // A value alone on its line is an array's item.
            None => path.0.push(Step::Index(0)),
        }
        let place = path.to_string();
        let kind = match op.body_schema_at(&place) {
            Some(schema) => catalog().schemas().describe(schema),
            None => "not in the schema".into(),
        };
        Some(crate::sanitize::one_line(&format!("{place}: {kind}")).into_owned())
    }
}

/// The member name a line starts with (`"name": …`), if it does.
fn leading_key(line: &str) -> Option<String> {
    let rest = line.strip_prefix('"')?;
    let mut escaped = false;
    let end = rest.char_indices().find_map(|(i, c)| {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i),
            _ => {}
        }
        None
    })?;
    rest[end + 1..]
        .trim_start()
        .starts_with(':')
        .then_some(())?;
    serde_json::from_str(&line[..end + 2]).ok()
}

/// The value at `path` in `value`.
fn value_at<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

/// Text to insert at a place, and where the cursor goes after.
#[derive(Debug, PartialEq, Eq)]
struct Insertion {
    at: Pos,
    text: String,
    /// On the inserted value (inside the quotes of an empty string).
    cursor: Pos,
}

fn indent_of(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

/// Where and what to insert so that `key: value` (or, in an array, `value`) becomes the
/// container's last member: on a line of its own at the members' indent when the container
/// spans lines or is empty, else inline after a comma.
fn insertion(lines: &[String], target: &Container, key: Option<&str>, value: &Value) -> Insertion {
    let line = |row: usize| lines.get(row).map_or("", String::as_str);
    let prefix = key.map_or(String::new(), |k| format!("{}: ", Value::from(k)));
    let multi_line = target.close.0 > target.open.0 || target.last_end.is_none();
    let (at, lead, indent) = match target.last_end {
        Some(end) if multi_line => {
            let closing_alone =
                end.0 < target.close.0 && line(target.close.0).trim_start().starts_with(['}', ']']);
            let indent = if closing_alone {
                indent_of(line(target.close.0)) + 2
            } else {
                indent_of(line(end.0))
            };
            (end, format!(",\n{}", " ".repeat(indent)), indent)
        }
        Some(end) => (end, ", ".to_string(), 0),
        None => {
            let indent = indent_of(line(target.open.0)) + 2;
            let at = (target.open.0, target.open.1 + 1);
            (at, format!("\n{}", " ".repeat(indent)), indent)
        }
    };
    let value_text = if multi_line {
        let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
        pretty.replace('\n', &format!("\n{}", " ".repeat(indent)))
    } else {
        value.to_string()
    };
    let mut text = format!("{lead}{prefix}");
    let before_value = text.clone();
    text.push_str(&value_text);
    if target.last_end.is_none() && target.close.0 == target.open.0 {
        // `{}` on one line: the closing brace moves to a line of its own.
        text.push('\n');
        text.push_str(&" ".repeat(indent.saturating_sub(2)));
    }
    let rows = before_value.matches('\n').count();
    let last = before_value.rsplit('\n').next().unwrap_or_default();
    let col = last.chars().count() + usize::from(value == &Value::String(String::new()));
    let cursor = if rows == 0 {
        (at.0, at.1 + col)
    } else {
        (at.0 + rows, col)
    };
    Insertion { at, text, cursor }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::tui::panes::request::outline::container_for_row;

    fn apply(text: &str, row: usize, key: Option<&str>, value: Value) -> (String, Pos) {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let target = container_for_row(&lines, row).unwrap();
        let ins = insertion(&lines, &target, key, &value);
        let mut rows = lines.clone();
        let line = &rows[ins.at.0];
        let byte = line
            .char_indices()
            .nth(ins.at.1)
            .map_or(line.len(), |(i, _)| i);
        let joined = format!("{}{}{}", &line[..byte], ins.text, &line[byte..]);
        let new: Vec<String> = joined.split('\n').map(str::to_string).collect();
        rows.splice(ins.at.0..=ins.at.0, new);
        (rows.join("\n"), ins.cursor)
    }

    #[test]
    fn a_field_goes_last_at_the_members_indent() {
        let body = "{\n  \"name\": \"\",\n  \"currency\": \"SEK\"\n}";
        let (text, cursor) = apply(body, 1, Some("accountType"), json!("Customer"));
        assert_eq!(
            text,
            "{\n  \"name\": \"\",\n  \"currency\": \"SEK\",\n  \"accountType\": \"Customer\"\n}"
        );
        assert_eq!(cursor, (3, 17));
        let (text, cursor) = apply(body, 0, Some("note"), json!(""));
        assert!(text.ends_with("\"SEK\",\n  \"note\": \"\"\n}"), "{text}");
        assert_eq!(cursor, (3, 11), "inside the quotes");
    }

    #[test]
    fn nested_values_are_indented_and_empty_objects_open_up() {
        let body = "{\n  \"address\": {}\n}";
        let (text, cursor) = apply(body, 1, Some("city"), json!(""));
        assert_eq!(text, "{\n  \"address\": {\n    \"city\": \"\"\n  }\n}");
        assert_eq!(cursor, (2, 13));
        let (text, _) = apply("{}", 0, Some("address"), json!({"city": "", "zip": ""}));
        assert_eq!(
            text,
            "{\n  \"address\": {\n    \"city\": \"\",\n    \"zip\": \"\"\n  }\n}"
        );
        let body = "{\n  \"lines\": [\n  ]\n}";
        let (text, _) = apply(body, 1, None, json!({"q": 0}));
        assert_eq!(
            text,
            "{\n  \"lines\": [\n    {\n      \"q\": 0\n    }\n  ]\n}"
        );
    }

    #[test]
    fn one_line_containers_stay_on_one_line() {
        let (text, cursor) = apply("{\"a\": 1}", 0, Some("b"), json!({"c": [1]}));
        assert_eq!(text, "{\"a\": 1, \"b\": {\"c\":[1]}}");
        assert_eq!(cursor, (0, 14));
        let (text, _) = apply("[1, 2]", 0, None, json!(3));
        assert_eq!(text, "[1, 2, 3]");
    }
}
