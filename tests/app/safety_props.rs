//! Property tests for the sanitiser and the shell quoting: arbitrary text never panics, never
//! leaves a character a terminal acts on, passes unchanged when it has none, keeps JSON the
//! same value; and every quoted word, run through `sh`, is exactly the word.

use std::process::Command;

use proptest::prelude::*;
use serde_json::Value;
use younium_tui::commands::doctor::fix_line;
use younium_tui::sanitize::{self, is_unsafe};
use younium_tui::younium::doctor::Fix;
use younium_tui::younium::export::shell_quote;

/// Text heavy in what terminals and shells treat specially, mixed with any character.
fn hostile_text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        '\x1b', '\x07', '\u{9b}', '\u{7f}', '\u{202e}', '\r', '\n', '\t', '\0', '\'', '"', '$',
        '`', '\\', '(', ')', ';', '|', '&', '*', '?', '~', '=', '!', '{', '}', '#', ' ', '-',
    ]);
    prop::collection::vec(prop_oneof![any::<char>(), special], 0..40)
        .prop_map(|chars| chars.into_iter().collect())
}

/// What a POSIX shell makes of `printf %s WORD`.
fn through_sh(word: &str) -> String {
    let out = Command::new("sh")
        .args(["-c", &format!("printf %s {word}")])
        .output()
        .expect("sh runs");
    assert!(
        out.status.success(),
        "{word}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("printf gives back UTF-8")
}

proptest! {
    #[test]
    fn one_line_leaves_nothing_a_terminal_acts_on(text in hostile_text()) {
        let safe = sanitize::one_line(&text);
        prop_assert!(!safe.chars().any(is_unsafe), "{safe:?}");
        prop_assert_eq!(sanitize::one_line(&safe), safe.as_ref(), "escaping twice changes nothing");
        if !text.chars().any(is_unsafe) {
            prop_assert_eq!(safe.as_ref(), text.as_str());
        }
    }

    #[test]
    fn multi_line_keeps_only_line_breaks_and_tabs(text in hostile_text()) {
        let safe = sanitize::multi_line(&text);
        let mut chars = safe.chars().peekable();
        while let Some(c) = chars.next() {
            let allowed = matches!(c, '\n' | '\t') || (c == '\r' && chars.peek() == Some(&'\n'));
            prop_assert!(!is_unsafe(c) || allowed, "{c:?} in {safe:?}");
        }
        if !text.chars().any(|c| is_unsafe(c) && !matches!(c, '\n' | '\t')) {
            prop_assert_eq!(safe.as_ref(), text.as_str());
        }
    }

    #[test]
    fn json_stays_the_same_value(key in hostile_text(), value in hostile_text()) {
        let doc = serde_json::json!({ key: [value, 1, null] });
        for text in [doc.to_string(), serde_json::to_string_pretty(&doc).unwrap()] {
            let safe = sanitize::json(&text);
            prop_assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n'), "{safe:?}");
            prop_assert_eq!(serde_json::from_str::<Value>(&safe).unwrap(), doc.clone());
        }
    }
}

proptest! {
    // Each case starts a shell: keep the count modest.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_quoted_word_is_exactly_the_word_in_sh(text in hostile_text()) {
        // A shell argument cannot hold NUL.
        let word = text.replace('\0', "");
        prop_assert_eq!(through_sh(&shell_quote(&word)), word);
    }

    #[test]
    fn doctors_fix_pastes_as_the_exact_entity(text in hostile_text()) {
        // Control characters are shown escaped in the fix line, so only the rest can paste.
        let value: String = text.chars().filter(|c| !is_unsafe(*c)).collect();
        let line = fix_line(&Fix::UseLegalEntity { value: value.clone() });
        let quoted = line.strip_prefix("--legal-entity ").expect("the flag comes first");
        prop_assert_eq!(through_sh(quoted), value);
    }
}
