//! The value a line of a JSON document holds, with the text it arrived in: `x` in the viewer
//! keeps it as a `{{variable}}`. A string's content, or the compact JSON of a number, a
//! literal, or the object or array the line opens (up to its closing line). Nothing passes
//! through a float or a tree, so `1250.50` stays `1250.50`.

use serde_json::value::RawValue;

use super::Document;
use super::fold::{closes, closing_line, opens};
use super::path::container_of;
use crate::export::{compact_into, string_value};

/// The most bytes a value is taken with (a variable is part of a request).
pub const MAX_VALUE: usize = 1 << 20;

/// What a line holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineValue {
    /// A JSON string's content, unescaped.
    Text(String),
    /// Compact JSON text: a number, `true`, `false`, `null`, an object or an array.
    Json(String),
}

impl LineValue {
    /// The value as a variable holds it: a string as itself, anything else as JSON.
    pub fn into_text(self) -> String {
        match self {
            LineValue::Text(text) | LineValue::Json(text) => text,
        }
    }
}

/// Why a line's value could not be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("this line is not part of a JSON value")]
    NotJson,
    #[error("the value is {0} bytes, more than a variable takes (1 MiB)")]
    TooLarge(usize),
}

/// The value line `line` holds; a closing line holds what it closes.
pub fn value_of(doc: &Document, line: usize) -> Result<LineValue, ValueError> {
    if line >= doc.json_lines {
        return Err(ValueError::NotJson);
    }
    let line = if closes(doc, line) {
        container_of(doc, line).ok_or(ValueError::NotJson)?
    } else {
        line
    };
    let (start, end) = doc.span(line);
    let from = start + after_key(&doc.body[start..end]);
    let to = if opens(doc, line) {
        let (close, _) = closing_line(doc, line).ok_or(ValueError::NotJson)?;
        doc.span(close).1
    } else {
        end
    };
    let mut raw = &doc.body[from..to];
    while let [rest @ .., last] = raw
        && (last.is_ascii_whitespace() || *last == b',')
    {
        raw = rest;
    }
    if raw.len() > MAX_VALUE {
        return Err(ValueError::TooLarge(raw.len()));
    }
    let text = std::str::from_utf8(raw).map_err(|_| ValueError::NotJson)?;
    let mut compact = Vec::with_capacity(text.len());
    compact_into(text, &mut compact);
    let compact = String::from_utf8(compact).map_err(|_| ValueError::NotJson)?;
    if compact.starts_with('"') {
        let content = string_value(&compact).map_err(|_| ValueError::NotJson)?;
        return Ok(LineValue::Text(content.into_owned()));
    }
    serde_json::from_str::<&RawValue>(&compact).map_err(|_| ValueError::NotJson)?;
    Ok(LineValue::Json(compact))
}

/// Where the value starts in a line that may open with an object member's key (`"id": `):
/// past the key and its colon, else 0 (an array item, the top level).
fn after_key(raw: &[u8]) -> usize {
    if raw.first() != Some(&b'"') {
        return 0;
    }
    let mut escaped = false;
    let Some(close) = raw.iter().enumerate().skip(1).find_map(|(i, &b)| {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return Some(i),
            _ => {}
        }
        None
    }) else {
        return 0;
    };
    let mut at = close + 1;
    while raw.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    if raw.get(at) != Some(&b':') {
        return 0;
    }
    at += 1;
    while raw.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;

    fn doc(text: &str) -> Document {
        Document::new(Bytes::from(text.to_string()), true)
    }

    fn line_of(doc: &Document, needle: &str) -> usize {
        (0..doc.line_count())
            .find(|&i| doc.line(i).contains(needle))
            .expect(needle)
    }

    #[test]
    fn a_member_gives_its_value_with_the_digits_it_arrived_with() {
        let d =
            doc(r#"{"id":"A-1","amount": 1250.50,"big":123456789012345678901234567890,"ok":true}"#);
        assert_eq!(
            value_of(&d, line_of(&d, "\"id\"")),
            Ok(LineValue::Text("A-1".into()))
        );
        assert_eq!(
            value_of(&d, line_of(&d, "amount")),
            Ok(LineValue::Json("1250.50".into()))
        );
        assert_eq!(
            value_of(&d, line_of(&d, "big")),
            Ok(LineValue::Json("123456789012345678901234567890".into()))
        );
        assert_eq!(
            value_of(&d, line_of(&d, "ok")),
            Ok(LineValue::Json("true".into()))
        );
    }

    #[test]
    fn a_string_is_unescaped_and_a_key_with_a_colon_is_not_the_value() {
        let d = doc(r#"{"a:b": "x \"y\" \u00e9", "list": ["one", "t:wo"]}"#);
        assert_eq!(
            value_of(&d, line_of(&d, "a:b")),
            Ok(LineValue::Text("x \"y\" é".into()))
        );
        assert_eq!(
            value_of(&d, line_of(&d, "t:wo")),
            Ok(LineValue::Text("t:wo".into()))
        );
    }

    #[test]
    fn an_opening_or_closing_line_gives_the_whole_container_compact() {
        let d = doc("{\"data\": [ {\"id\": 1, \"n\": 2.50},\n {\"id\": 2} ], \"x\": 1}");
        let open = line_of(&d, "data");
        let expected = Ok(LineValue::Json(r#"[{"id":1,"n":2.50},{"id":2}]"#.into()));
        assert_eq!(value_of(&d, open), expected);
        let close = (open + 1..d.line_count())
            .find(|&i| d.line(i).trim_start().starts_with(']'))
            .unwrap();
        assert_eq!(value_of(&d, close), expected);
        assert_eq!(
            value_of(&d, 0).map(LineValue::into_text),
            Ok(r#"{"data":[{"id":1,"n":2.50},{"id":2}],"x":1}"#.into())
        );
    }

    #[test]
    fn text_and_the_lines_after_a_broken_bodys_error_are_not_values() {
        let text = Document::new(Bytes::from_static(b"hello"), false);
        assert_eq!(value_of(&text, 0), Err(ValueError::NotJson));
        let broken = doc("{\"a\": 1,\n\"b\": nope}");
        let last = broken.line_count() - 1;
        assert_eq!(value_of(&broken, last), Err(ValueError::NotJson));
    }
}
