//! Requests as shell commands: `curl`, with the token replaced by `$YOUNIUM_TOKEN` unless the
//! user asks for it revealed.

use super::request::{EffectiveHeader, HeaderText, Method};

/// Quotes a word for POSIX shells.
pub fn shell_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// A `curl` command line for a request. With `reveal` false, the managed token becomes
/// `$YOUNIUM_TOKEN` (export it first) and other secret header values become placeholders.
pub fn curl(
    method: Method,
    url: &str,
    headers: &[EffectiveHeader],
    body: Option<&str>,
    reveal: bool,
) -> String {
    let mut parts = vec!["curl".to_string()];
    if method != Method::Get {
        parts.push(format!("-X {}", method.as_str()));
    }
    parts.push(shell_quote(url));
    for h in headers.iter().filter(|h| h.is_sent()) {
        let header = match (&h.value, reveal) {
            (HeaderText::Bearer(_), false) => format!("\"{}: Bearer $YOUNIUM_TOKEN\"", h.name),
            (HeaderText::Secret(_), false) => format!("\"{}: $YOUNIUM_SECRET_HEADER\"", h.name),
            (value, _) => shell_quote(&format!("{}: {}", h.name, value.wire())),
        };
        parts.push(format!("-H {header}"));
    }
    if let Some(body) = body.filter(|b| !b.trim().is_empty()) {
        parts.push(format!("--data-raw {}", shell_quote(body)));
    }
    parts.join(" \\\n  ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::younium::Secret;
    use crate::younium::request::HeaderOrigin;

    fn headers() -> Vec<EffectiveHeader> {
        vec![
            EffectiveHeader {
                name: "Authorization".into(),
                value: HeaderText::Bearer(Secret::new("eyJ.secret.token")),
                origin: HeaderOrigin::Automatic,
            },
            EffectiveHeader {
                name: "legal-entity".into(),
                value: HeaderText::Plain("Acme's AB".into()),
                origin: HeaderOrigin::Automatic,
            },
            EffectiveHeader {
                name: "api-version".into(),
                value: HeaderText::Plain("2.1".into()),
                origin: HeaderOrigin::Disabled,
            },
        ]
    }

    #[test]
    fn the_token_is_a_placeholder_unless_revealed() {
        let c = curl(
            Method::Post,
            "https://api.younium.com/Accounts?a=1&b=2",
            &headers(),
            Some(r#"{"name":"O'Neil"}"#),
            false,
        );
        assert!(
            c.starts_with("curl \\\n  -X POST \\\n  'https://api.younium.com/Accounts?a=1&b=2'"),
            "{c}"
        );
        assert!(
            c.contains("-H \"Authorization: Bearer $YOUNIUM_TOKEN\""),
            "{c}"
        );
        assert!(!c.contains("eyJ.secret.token"));
        assert!(c.contains(r"-H 'legal-entity: Acme'\''s AB'"), "{c}");
        assert!(!c.contains("api-version"), "disabled headers are not sent");
        assert!(c.contains(r#"--data-raw '{"name":"O'\''Neil"}'"#), "{c}");
        let revealed = curl(Method::Get, "http://x/A", &headers(), None, true);
        assert!(revealed.contains("Bearer eyJ.secret.token"));
    }
}
