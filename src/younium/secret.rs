//! A string that must not leak: credentials and access tokens.
//!
//! `Debug` and `Display` print `***`, serialisation is not implemented, and the bytes are
//! overwritten when the value is dropped. The only way to read it is [`Secret::expose`], which
//! makes every use easy to find.

use std::fmt;

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
}
