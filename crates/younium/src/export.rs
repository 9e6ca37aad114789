//! Requests as shell commands: `curl`, with the token replaced by `$YOUNIUM_TOKEN` unless the
//! user asks for it revealed; and the quoting every suggested command uses.

use super::request::{EffectiveHeader, HeaderText, Method};

/// Quotes a word for POSIX shells: pasted or run with `sh -c`, it is one argument holding
/// exactly `word`, and nothing in it is expanded or run (`$(…)`, backticks, `;`, globs).
/// A word of plain characters stays as it is; anything else goes in single quotes, inside
/// which the shell reads every character literally, with `'` written as `'\''`. (A shell
/// argument cannot hold NUL.)
///
/// ```
/// use younium::export::shell_quote;
/// assert_eq!(shell_quote("Nordlys-AB"), "Nordlys-AB");
/// assert_eq!(shell_quote("Acme's $(rm -rf ~)"), r"'Acme'\''s $(rm -rf ~)'");
/// ```
pub fn shell_quote(word: &str) -> String {
    // A leading `=` is expanded by zsh (`=ls` becomes `/bin/ls`).
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c);
    if !word.is_empty() && !word.starts_with('=') && word.chars().all(plain) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// `prefix` followed by the value of the shell variable `var`, as one word: in double quotes
/// when `prefix` has nothing the shell would expand there, else `prefix` single-quoted.
fn with_variable(prefix: &str, var: &str) -> String {
    let literal_in_double_quotes = |c: char| !"\"$`\\!".contains(c) && !c.is_control();
    if prefix.chars().all(literal_in_double_quotes) {
        format!("\"{prefix}${var}\"")
    } else {
        format!("{}\"${var}\"", shell_quote(prefix))
    }
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
            (HeaderText::Bearer(_), false) => {
                with_variable(&format!("{}: Bearer ", h.name), "YOUNIUM_TOKEN")
            }
            (HeaderText::Secret(_), false) => {
                with_variable(&format!("{}: ", h.name), "YOUNIUM_SECRET_HEADER")
            }
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
    use crate::Secret;
    use crate::request::HeaderOrigin;

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

    #[test]
    fn a_header_name_the_shell_would_expand_is_single_quoted() {
        let headers = [EffectiveHeader {
            name: "X-$(id)".into(),
            value: HeaderText::Secret(Secret::new("s3cret")),
            origin: HeaderOrigin::Automatic,
        }];
        let c = curl(Method::Get, "http://x/A", &headers, None, false);
        assert!(
            c.ends_with(r#"-H 'X-$(id): '"$YOUNIUM_SECRET_HEADER""#),
            "{c}"
        );
    }

    #[test]
    fn plain_words_stay_unquoted_and_the_rest_is_single_quoted() {
        assert_eq!(
            shell_quote("api.younium.com/Accounts"),
            "api.younium.com/Accounts"
        );
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("=ls"), "'=ls'");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("`id`"), "'`id`'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
