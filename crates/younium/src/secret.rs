//! A string that must not leak: credentials and access tokens.
//!
//! `Debug` and `Display` print `***`, serialisation is not implemented, and the bytes are
//! overwritten when the value is dropped. The only way to read it is [`Secret::expose`], which
//! makes every use easy to find. [`redact_secret`] takes it out of what a server says.

use std::fmt;

use aho_corasick::{AhoCorasick, MatchKind};
use zeroize::Zeroizing;

/// A secret string (client secret, password or access token).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a value. The caller's copy should be dropped soon after.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The value itself: only for putting it on the wire or showing it on request.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret holds nothing (after trimming whitespace).
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }

    /// A shortened form that lets a person recognise a token without revealing it:
    /// the first 8 and the last 3 characters, e.g. `eyJhbGci…x9Q`.
    /// Values shorter than 16 characters are fully masked.
    pub fn shortened(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < 16 {
            return "***".to_string();
        }
        let head: String = chars[..8].iter().collect();
        let tail: String = chars[chars.len() - 3..].iter().collect();
        format!("{head}…{tail}")
    }
}

/// `text` with every whole occurrence of the secret replaced by `***`: as sent, and as it
/// reads inside a JSON string or a form body, which is how a server that echoes its request
/// repeats it.
///
/// An occurrence is whole when no letter, digit, `_` or `-` touches it on either side (a JSON
/// string, a header value, a token between spaces, quotes, `=` or `&`); occurrences side by
/// side count as one. Letters inside a word are never masked: with the secret `x`, "expired"
/// stays "expired" rather than giving the secret away as `e***pired`.
///
/// ```
/// use younium::secret::{Secret, redact_secret};
/// let secret = Secret::new("x");
/// assert_eq!(redact_secret("expired: \"x\"", &secret), "expired: \"***\"");
/// ```
pub fn redact_secret(text: &str, secret: &Secret) -> String {
    let spellings = spellings(secret.expose());
    if spellings.is_empty() {
        return text.to_string();
    }
    let Ok(finder) = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&spellings)
    else {
        // Too large to search for: nothing of the text is shown.
        return "***".to_string();
    };
    let mut out = String::with_capacity(text.len());
    let mut shown = 0;
    let mut runs = finder.find_iter(text).map(|m| m.range()).peekable();
    while let Some(mut run) = runs.next() {
        while let Some(next) = runs.next_if(|next| next.start == run.end) {
            run.end = next.end;
        }
        if part_of_a_word(text[..run.start].chars().next_back())
            || part_of_a_word(text[run.end..].chars().next())
        {
            continue;
        }
        out.push_str(&text[shown..run.start]);
        out.push_str("***");
        shown = run.end;
    }
    out.push_str(&text[shown..]);
    out
}

/// Whether `c`, next to an occurrence, makes it part of a longer word.
fn part_of_a_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
}

/// The secret as sent, inside a JSON string (without the quotes) and form-encoded: distinct,
/// none empty.
fn spellings(plain: &str) -> Vec<String> {
    if plain.is_empty() {
        return Vec::new();
    }
    let json = serde_json::to_string(plain).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or_default();
    let form: String = form_urlencoded::byte_serialize(plain.as_bytes()).collect();
    let mut spellings = vec![plain.to_string()];
    for other in [json.to_string(), form] {
        if !other.is_empty() && !spellings.contains(&other) {
            spellings.push(other);
        }
    }
    spellings
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{:?}", Some(&s)), "Some(***)");
        assert_eq!(s.expose(), "hunter2-very-secret");
    }

    #[test]
    fn shortened_keeps_only_ends() {
        let s = Secret::new("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcx9Q");
        assert_eq!(s.shortened(), "eyJhbGci…x9Q");
        assert_eq!(Secret::new("short").shortened(), "***");
    }

    #[test]
    fn a_short_secret_is_masked_only_where_it_stands_alone() {
        let x = Secret::new("x");
        assert_eq!(redact_secret("the token expired", &x), "the token expired");
        assert_eq!(redact_secret("x-ray, max_x, x2", &x), "x-ray, max_x, x2");
        assert_eq!(
            redact_secret(r#"{"secret":"x"} secret=x&id=1 X-Echo: x"#, &x),
            r#"{"secret":"***"} secret=***&id=1 X-Echo: ***"#
        );
        assert_eq!(redact_secret("xx x", &x), "*** ***");
        assert_eq!(redact_secret("anything", &Secret::new("")), "anything");
    }

    #[test]
    fn the_secret_is_redacted_in_every_spelling_a_server_may_echo() {
        let secret = Secret::new("s3cr\"t/p@ss wörd\"");
        let json = serde_json::json!({"clientId": "id", "secret": secret.expose()}).to_string();
        let form: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("password", secret.expose())
            .append_pair("client_id", "apiclient")
            .finish();
        for echoed in [
            format!("you sent {}", secret.expose()),
            format!("you sent {json}"),
            format!("you sent {form}"),
        ] {
            let shown = redact_secret(&echoed, &secret);
            assert!(shown.contains("***"), "{shown}");
            for piece in ["s3cr", "p@ss", "p%40ss", "w%C3%B6rd", "wörd"] {
                assert!(!shown.contains(piece), "{piece} in {shown}");
            }
        }
        assert_eq!(redact_secret("nothing here", &secret), "nothing here");
    }
}
