//! A place in a JSON value as jq writes it (`.data[3].invoiceLines[0].productName`): what the
//! schema checks report and what the app's viewer shows on its path line.

use std::fmt;

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An object member, by its key.
    Key(String),
    /// An array element, from 0.
    Index(usize),
}

/// Where a line is in its document, as jq writes it: `.data[3].invoiceLines[0].productName`.
/// Keys that are not identifiers are quoted as jq reads them; the root is `.`.
///
/// ```
/// use younium::json_path::{JsonPath, Step};
/// let path = JsonPath(vec![Step::Key("data".into()), Step::Index(3), Step::Key("a b".into())]);
/// assert_eq!(path.to_string(), r#".data[3]."a b""#);
/// assert_eq!(JsonPath::default().to_string(), ".");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonPath(pub Vec<Step>);

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        for step in &self.0 {
            match step {
                Step::Index(i) => write!(f, "[{i}]")?,
                Step::Key(k) if is_identifier(k) => write!(f, ".{k}")?,
                // A quoted key, escaped as a JSON string: jq reads `."a b"` and `."x\"y"`.
                Step::Key(k) => write!(f, ".{}", serde_json::Value::from(k.as_str()))?,
            }
        }
        Ok(())
    }
}

/// jq's `.name` form takes letters, digits and `_`, not starting with a digit.
fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
