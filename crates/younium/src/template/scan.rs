//! Finding the templates in a text, and whether each stands inside a string literal (JSON's
//! and jq's are alike: `"…"` with backslash escapes).

use memchr::{memchr, memmem};

/// A part of a text: as it is, or a template's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text to keep as it is.
    Text(&'a str),
    /// A template's name (`$` included for a built-in).
    Var(&'a str),
}

/// The pieces of `text`, in order.
pub fn pieces(text: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut from = 0;
        while let Some(k) = memmem::find(&rest.as_bytes()[from..], b"{{") {
            let at = from + k;
            if let Some((name, end)) = template_at(rest, at) {
                if at > 0 {
                    let text = &rest[..at];
                    rest = &rest[at..];
                    return Some(Piece::Text(text));
                }
                rest = &rest[end..];
                return Some(Piece::Var(name));
            }
            from = at + 1;
        }
        let text = rest;
        rest = "";
        Some(Piece::Text(text))
    })
}

/// The names `text` uses, in order, each once.
pub fn names(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = Vec::new();
    for piece in pieces(text) {
        if let Piece::Var(name) = piece
            && !found.contains(&name)
        {
            found.push(name);
        }
    }
    found
}

/// Whether `name` can be a variable's name (`{{name}}` reads as a template of it, and it is not
/// a built-in's `$name`).
///
/// ```
/// use younium::template::is_name;
/// assert!(is_name("accountId") && is_name("row.e-mail") && is_name("_x1"));
/// assert!(!is_name("1st") && !is_name("$uuid") && !is_name("a b") && !is_name(""));
/// ```
pub fn is_name(name: &str) -> bool {
    !name.starts_with('$')
        && template_at(&format!("{{{{{name}}}}}"), 0).is_some_and(|(n, _)| n == name)
}

/// The template starting at byte `at` of `text` (`{{`), if one does: its name and the byte
/// after its `}}`. Read byte by byte: a name is short and made of few characters.
fn template_at(text: &str, at: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    let mut i = at + 2;
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    let start = i;
    if bytes.get(i) == Some(&b'$') {
        i += 1;
    }
    match bytes.get(i) {
        Some(b) if b.is_ascii_alphabetic() || *b == b'_' => i += 1,
        _ => return None,
    }
    while let Some(b) = bytes.get(i)
        && (b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        i += 1;
    }
    let end = i;
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    (end - start <= 128 && bytes.get(i..i + 2) == Some(b"}}")).then(|| (&text[start..end], i + 2))
}

/// Calls `each` with the pieces of a JSON text (or a jq filter) in order, and whether each
/// template stands inside a string literal. Only the stretches between templates are looked
/// at, for their quotes: counted at once where no backslash is, walked where one is.
pub(super) fn each_in_json<'a>(text: &'a str, mut each: impl FnMut(Piece<'a>, bool)) {
    let bytes = text.as_bytes();
    let mut in_string = false;
    // Bytes before `last` are handed out; `in_string` is as of `last`.
    let mut last = 0;
    for j in memmem::find_iter(bytes, b"{{") {
        if j < last {
            continue;
        }
        let Some((name, end)) = template_at(text, j) else {
            continue;
        };
        in_string = string_after(&bytes[last..j], in_string);
        if j > last {
            each(Piece::Text(&text[last..j]), in_string);
        }
        each(Piece::Var(name), in_string);
        last = end;
    }
    if last < text.len() {
        each(Piece::Text(&text[last..]), in_string);
    }
}

/// Whether the text is inside a string literal after `stretch`, if it was before: the
/// quotes are counted at once, less the escaped ones (after an odd run of backslashes).
fn string_after(stretch: &[u8], in_string: bool) -> bool {
    // A sum of 0s and 1s over whole chunks, which the compiler turns into vector code.
    let mut quotes: usize = stretch
        .chunks(64)
        .map(|chunk| chunk.iter().map(|&b| u8::from(b == b'"')).sum::<u8>() as usize)
        .sum();
    let mut i = 0;
    while let Some(k) = memchr(b'\\', &stretch[i..]) {
        let run_start = i + k;
        let mut run_end = run_start;
        while stretch.get(run_end) == Some(&b'\\') {
            run_end += 1;
        }
        if (run_end - run_start) % 2 == 1 && stretch.get(run_end) == Some(&b'"') {
            quotes -= 1;
        }
        i = run_end;
    }
    in_string ^ (quotes % 2 == 1)
}
