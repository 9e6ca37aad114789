//! Finding the records of a body and walking them one by one, each as the raw JSON text the
//! body holds (no record is copied, no list of them is built).

use serde::Deserialize;
use serde::de::{DeserializeSeed, Error as _, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// Where a body's records are.
#[derive(Clone, Copy, Debug)]
pub enum Found<'a> {
    /// A JSON array of records: the body itself, a 2.1 envelope's `data` or a v3 `items`.
    Array(&'a RawValue),
    /// A body that is one record (an object that is not an envelope).
    Single(&'a RawValue),
    /// An envelope whose records are `null`.
    Empty,
}

/// Why a body's records cannot be walked.
#[derive(Debug, thiserror::Error)]
pub enum RecordsError {
    /// The body does not parse.
    #[error("the body is not JSON: {0}")]
    NotJson(serde_json::Error),
    /// JSON, but a string, a number, … (or nothing).
    #[error("the body holds no records (neither an array, nor an object)")]
    NoRecords,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    data: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    items: Option<&'a RawValue>,
}

/// A field that is there, `null` included (a plain `Option` reads `null` as absent).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

fn first_byte(text: &str) -> Option<u8> {
    text.bytes().find(|b| !b.is_ascii_whitespace())
}

/// Finds the records of `body`: a bare array, an envelope's `data` (api-version 2.1) or
/// `items` (v3), or else the object itself as one record.
pub fn find(body: &[u8]) -> Result<Found<'_>, RecordsError> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => {
            let raw: &RawValue = serde_json::from_slice(body).map_err(RecordsError::NotJson)?;
            Ok(Found::Array(raw))
        }
        Some(b'{') => {
            let envelope: Envelope = serde_json::from_slice(body).map_err(RecordsError::NotJson)?;
            for raw in [envelope.data, envelope.items].into_iter().flatten() {
                match first_byte(raw.get()) {
                    Some(b'[') => return Ok(Found::Array(raw)),
                    Some(b'n') => return Ok(Found::Empty),
                    _ => {}
                }
            }
            let raw: &RawValue = serde_json::from_slice(body).map_err(RecordsError::NotJson)?;
            Ok(Found::Single(raw))
        }
        _ => Err(RecordsError::NoRecords),
    }
}

/// Calls `f` with each element of `array` in order, as raw JSON text; returns how many there
/// were. An error from `f` stops the walk and is returned as is.
pub fn each<'a, E>(
    array: &'a RawValue,
    mut f: impl FnMut(&'a RawValue) -> Result<(), E>,
) -> Result<u64, EachError<E>> {
    let mut stopped = None;
    let walk = Walk {
        f: &mut f,
        stopped: &mut stopped,
    };
    let mut de = serde_json::Deserializer::from_str(array.get());
    match walk.deserialize(&mut de) {
        Ok(count) => Ok(count),
        Err(error) => Err(match stopped {
            Some(e) => EachError::Stopped(e),
            None => EachError::Json(error),
        }),
    }
}

/// Why [`each`] stopped early.
#[derive(Debug, thiserror::Error)]
pub enum EachError<E> {
    /// The array turned out not to be valid JSON part-way.
    #[error("the records are not valid JSON: {0}")]
    Json(serde_json::Error),
    /// The callback's error.
    #[error("{0}")]
    Stopped(E),
}

/// Walks the records of a whole body (see [`find`]): each array element, or the one record.
/// Each record is its text as the body holds it (a [`RawValue`]), so numbers keep every digit.
///
/// ```
/// use younium::records::each_in_body;
/// let page = br#"{"pageNumber":1,"data":[{"id":"a","total":107062.50},{"id":"b"}]}"#;
/// let mut lines = Vec::new();
/// let count = each_in_body(page, |record| {
///     lines.push(record.get().to_string());
///     Ok::<(), std::io::Error>(())
/// })
/// .unwrap();
/// assert_eq!(count, 2);
/// assert_eq!(lines[0], r#"{"id":"a","total":107062.50}"#);
/// ```
pub fn each_in_body<'a, E>(
    body: &'a [u8],
    mut f: impl FnMut(&'a RawValue) -> Result<(), E>,
) -> Result<u64, BodyWalkError<E>> {
    match find(body).map_err(BodyWalkError::Records)? {
        Found::Array(array) => each(array, f).map_err(|e| match e {
            EachError::Json(e) => BodyWalkError::Records(RecordsError::NotJson(e)),
            EachError::Stopped(e) => BodyWalkError::Stopped(e),
        }),
        Found::Single(record) => f(record).map(|()| 1).map_err(BodyWalkError::Stopped),
        Found::Empty => Ok(0),
    }
}

/// Why [`each_in_body`] stopped early.
#[derive(Debug, thiserror::Error)]
pub enum BodyWalkError<E> {
    /// The body holds no records that can be walked.
    #[error(transparent)]
    Records(RecordsError),
    /// The callback's error.
    #[error("{0}")]
    Stopped(E),
}

struct Walk<'f, F, E> {
    f: &'f mut F,
    stopped: &'f mut Option<E>,
}

impl<'de, F, E> DeserializeSeed<'de> for Walk<'_, F, E>
where
    F: FnMut(&'de RawValue) -> Result<(), E>,
{
    type Value = u64;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F, E> Visitor<'de> for Walk<'_, F, E>
where
    F: FnMut(&'de RawValue) -> Result<(), E>,
{
    type Value = u64;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
        let mut count = 0;
        while let Some(record) = seq.next_element::<&'de RawValue>()? {
            if let Err(e) = (self.f)(record) {
                *self.stopped = Some(e);
                return Err(A::Error::custom("stopped"));
            }
            count += 1;
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<String> {
        let mut out = Vec::new();
        each_in_body(body.as_bytes(), |r| {
            out.push(r.get().to_string());
            Ok::<(), ()>(())
        })
        .unwrap();
        out
    }

    #[test]
    fn records_are_found_in_every_shape() {
        assert_eq!(texts(r#"[{"a":1}, {"a":2}]"#), [r#"{"a":1}"#, r#"{"a":2}"#]);
        assert_eq!(
            texts(r#"{"pageNumber":1,"data":[{"a":1}],"nextPage":null}"#),
            [r#"{"a":1}"#]
        );
        assert_eq!(texts(r#"{"items":[1,2],"nextPage":"x"}"#), ["1", "2"]);
        assert_eq!(
            texts(r#"{"id":"x","data":{"k":1}}"#),
            [r#"{"id":"x","data":{"k":1}}"#]
        );
        assert!(texts(r#"{"data":null}"#).is_empty());
        assert!(find(b"42").is_err());
        assert!(find(b"[1,").is_err());
    }
}
