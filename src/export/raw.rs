//! A record's JSON text, walked without building a tree: compacted (NDJSON, a CSV cell), or
//! taken apart one object at a time (CSV). No number passes through a float and no string is
//! escaped again: `123456789012345678901234567890`, a 47-digit decimal, `1e400` and `"\u00e9"`
//! leave as the bytes they arrived as.
//!
//! The texts are [`RawValue`]s', so they are valid JSON and the walks need not check them.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// `text` without the whitespace outside its strings, appended to `out`.
pub fn compact_into(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    let mut in_string = false;
    let mut escaped = false;
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b.is_ascii_whitespace() {
            out.extend_from_slice(&bytes[run..i]);
            run = i + 1;
        }
    }
    out.extend_from_slice(&bytes[run..]);
}

/// The value of the JSON string `text` (with its quotes), borrowed when it holds no escape.
pub fn string_value(text: &str) -> Result<Cow<'_, str>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_str(TextVisitor)
}

/// Calls `f(key, value)` for each member of the JSON object `text`, in order, duplicates
/// included; `f`'s error stops the walk and is returned.
pub fn members<'a>(
    text: &'a str,
    f: &mut impl FnMut(&str, &'a RawValue) -> Result<(), serde_json::Error>,
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    Members { f }.deserialize(&mut de)
}

struct Members<'f, F> {
    f: &'f mut F,
}

impl<'a, F> DeserializeSeed<'a> for Members<'_, F>
where
    F: FnMut(&str, &'a RawValue) -> Result<(), serde_json::Error>,
{
    type Value = ();
    fn deserialize<D: Deserializer<'a>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'a, F> Visitor<'a> for Members<'_, F>
where
    F: FnMut(&str, &'a RawValue) -> Result<(), serde_json::Error>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key::<Key>()? {
            let value: &'a RawValue = map.next_value()?;
            (self.f)(&key, value).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

/// An object's key, borrowed from the text when it holds no escape.
struct Key<'a>(Cow<'a, str>);

impl<'a> de::Deserialize<'a> for Key<'a> {
    fn deserialize<D: Deserializer<'a>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TextVisitor).map(Key)
    }
}

struct TextVisitor;

impl<'a> Visitor<'a> for TextVisitor {
    type Value = Cow<'a, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'a str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(text: &str) -> String {
        let mut out = Vec::new();
        compact_into(text, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn compacting_keeps_every_token_as_it_came() {
        assert_eq!(
            compact("{ \"a b\" : [ 1.50 ,\n\t1e400 , \"x \\\" y\" ], \"\\u00e9\": -0.0 }"),
            r#"{"a b":[1.50,1e400,"x \" y"],"\u00e9":-0.0}"#
        );
        assert_eq!(
            compact("123456789012345678901234567890"),
            "123456789012345678901234567890"
        );
    }

    #[test]
    fn members_come_in_order_with_their_text() {
        let mut seen = Vec::new();
        members(
            r#"{"a\u0041": 1.10, "n": {"x": [1e400]}, "a": 2}"#,
            &mut |k, v| {
                seen.push(format!("{k}={}", v.get()));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, ["aA=1.10", r#"n={"x": [1e400]}"#, "a=2"]);
        assert_eq!(string_value(r#""plain""#).unwrap(), "plain");
        assert!(matches!(
            string_value(r#""plain""#).unwrap(),
            Cow::Borrowed(_)
        ));
        assert_eq!(string_value(r#""\u00e9\n""#).unwrap(), "é\n");
    }
}
