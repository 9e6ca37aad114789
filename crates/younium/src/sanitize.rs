//! Text from a server or a file, made safe to print on a terminal.
//!
//! A server's answer or a file's contents may hold escape sequences that a terminal acts on:
//! OSC 52 writes the clipboard, `ESC ]0;` sets the window title, `ESC [2J` clears the screen,
//! and 0x9b (CSI) starts a sequence on its own. Everything a headless command prints that it did
//! not write itself goes through here and comes out with those characters shown escaped:
//! `\e`, `\x07`, `\u{9b}`. Bidirectional overrides and isolates (U+202A–U+202E,
//! U+2066–U+2069) are escaped as well: they make what follows read differently from what it is.
//!
//! [`one_line`] is for table cells and one-line messages, [`multi_line`] for text whose line
//! breaks are meant, [`json`] for JSON that must stay JSON.

use std::borrow::Cow;
use std::fmt::Write as _;

/// A one-column stand-in for a character a terminal would act on, for text drawn cell by
/// cell (the response body): C0 controls as their control pictures (`␁`, `␛`), DEL as `␡`,
/// C1 controls and bidirectional overrides as `�`. Everything else is itself, so columns
/// counted on the text stay right.
///
/// ```
/// use younium::sanitize::cell;
/// let shown: String = "a\x1b[2J\x7f\u{202e}b".chars().map(cell).collect();
/// assert_eq!(shown, "a\u{241b}[2J\u{2421}\u{fffd}b");
/// ```
pub fn cell(c: char) -> char {
    match c {
        _ if !is_unsafe(c) => c,
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\x7f' => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// Whether `c` would be acted on by a terminal rather than shown: a C0 or C1 control
/// character, DEL, or a bidirectional override or isolate.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` for one line: every unsafe character escaped, line breaks and tabs included.
///
/// ```
/// use younium::sanitize::one_line;
/// assert_eq!(one_line("Acme\x1b]0;pwned\x07\nAB"), r"Acme\e]0;pwned\x07\nAB");
/// assert_eq!(one_line("Nordlys AB"), "Nordlys AB");
/// ```
pub fn one_line(text: &str) -> Cow<'_, str> {
    escape(text, |_, _| false)
}

/// `text` with its line breaks: newlines (`\n`, `\r\n`) and tabs are kept, every other unsafe
/// character is escaped, a lone carriage return included (it would let a line overwrite
/// itself).
///
/// ```
/// use younium::sanitize::multi_line;
/// assert_eq!(multi_line("a\r\n\tb\x1b[2J\rc"), "a\r\n\tb\\e[2J\\rc");
/// ```
pub fn multi_line(text: &str) -> Cow<'_, str> {
    escape(text, |c, next| {
        c == '\n' || c == '\t' || (c == '\r' && next == Some('\n'))
    })
}

/// Valid JSON text with the characters JSON allows raw in strings but a terminal acts on
/// (DEL, C1 controls such as 0x9b, bidirectional overrides) written as `\uXXXX` escapes. The
/// text stays valid JSON with the same value; outside strings valid JSON holds only ASCII
/// structure and whitespace, which is left alone. (C0 controls cannot appear raw in a valid
/// JSON string: serializers already escape them.)
///
/// ```
/// use younium::sanitize::json;
/// assert_eq!(json("{\"a\": \"x\u{9b}2J\"}"), r#"{"a": "x\u009b2J"}"#);
/// ```
pub fn json(text: &str) -> Cow<'_, str> {
    let needs = |c: char| is_unsafe(c) && !matches!(c, '\t' | '\n' | '\r');
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs(c) {
            // Every such character is in the Basic Multilingual Plane: one \u escape each.
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Escapes the unsafe characters of `text` except those `keep(c, next)` allows.
fn escape(text: &str, keep: impl Fn(char, Option<char>) -> bool) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !is_unsafe(c) || keep(c, chars.peek().copied()) {
            out.push(c);
            continue;
        }
        let _ = match c {
            '\x1b' => write!(out, "\\e"),
            '\n' => write!(out, "\\n"),
            '\r' => write!(out, "\\r"),
            '\t' => write!(out, "\\t"),
            '\0' => write!(out, "\\0"),
            c if c.is_ascii() => write!(out, "\\x{:02x}", c as u32),
            c => write!(out, "\\u{{{:x}}}", c as u32),
        };
    }
    Cow::Owned(out)
}

/// What stands for characters cut off by [`window`].
pub const MORE: char = '…';

/// A character as one safe column ([`cell`]), a tab as a space.
pub fn safe(c: char) -> char {
    if c == '\t' { ' ' } else { cell(c) }
}

/// Columns a (safe) character takes: 2 for the wide ones (CJK), 0 for combining marks.
pub fn columns(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// `text` as safe cells ([`safe`]) from character `skip` on, in at most `width` columns:
/// [`MORE`] first when something is scrolled off to the left, [`MORE`] last when more follows.
pub fn window(text: &str, skip: usize, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let mut out = String::with_capacity(width + 4);
    let mut room = width;
    if skip > 0 {
        out.push(MORE);
        room -= 1;
    }
    let mut chars = text.chars().skip(skip).map(safe).peekable();
    while let Some(c) = chars.next() {
        let w = columns(c);
        // With more to come, a column must stay free for the `…`.
        let need = w + usize::from(chars.peek().is_some());
        if need > room {
            if room > 0 {
                out.push(MORE);
            }
            break;
        }
        out.push(c);
        room -= w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_are_shown_escaped() {
        assert_eq!(
            one_line("\x1b]52;c;cHduZWQ=\x07 \x1b[2J \u{9b}31m \x7f \u{202e}"),
            r"\e]52;c;cHduZWQ=\x07 \e[2J \u{9b}31m \x7f \u{202e}"
        );
        assert_eq!(one_line("a\tb\0"), r"a\tb\0");
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for text in ["", "Nordlys AB", "Ünïcødé ✓ 日本", r"C:\path\e"] {
            assert!(matches!(one_line(text), Cow::Borrowed(t) if t == text));
            assert!(matches!(multi_line(text), Cow::Borrowed(t) if t == text));
            assert!(matches!(json(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn multi_line_keeps_line_breaks_but_not_a_lone_carriage_return() {
        assert_eq!(multi_line("one\ntwo\r\nthree\r"), "one\ntwo\r\nthree\\r");
        assert_eq!(multi_line("\r\r\n"), "\\r\r\n");
    }

    #[test]
    fn json_stays_json_with_the_same_value() {
        let value = serde_json::json!({"t\u{9b}": "a\u{7f}b\u{202e}c\u{1b}"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = json(&text);
        assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n'));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).unwrap(),
            value
        );
    }
}
