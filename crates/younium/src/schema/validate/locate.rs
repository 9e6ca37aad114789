//! The line of each value of a JSON text, found in one pass: a scanner that walks the text,
//! keeps the jq path of where it is, and notes the line of the paths it is asked for.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::check::push_key;

/// Where the scanner is inside a container: the length of the path before the container's
/// member or item step was added.
enum Frame {
    Object { len: usize },
    Array { len: usize, index: usize },
}

/// For each wanted path (jq text as the checker writes it, `""` for the whole value), the
/// 1-based line where its value starts. `text` should be valid JSON; on anything else the
/// scanner stops and the lines found so far are kept (never a panic).
pub(super) fn value_lines<'w>(
    text: &str,
    wanted: impl Iterator<Item = &'w str>,
) -> HashMap<String, usize> {
    let mut lines: HashMap<String, usize> = wanted.map(|p| (p.to_owned(), 0)).collect();
    Scanner {
        text,
        bytes: text.as_bytes(),
        at: 0,
        line: 1,
    }
    .run(&mut lines);
    lines.retain(|_, line| *line > 0);
    lines
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    line: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b'\n' => self.line += 1,
                b' ' | b'\t' | b'\r' => {}
                _ => return,
            }
            self.at += 1;
        }
    }

    /// Past a string that starts at `self.at`; its contents (escapes still in) as a range.
    fn skip_string(&mut self) -> Option<(usize, usize, bool)> {
        let start = self.at + 1;
        let mut i = start;
        let mut escaped = false;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'\\' => {
                    escaped = true;
                    i += 1;
                }
                b'"' => {
                    self.at = i + 1;
                    return Some((start, i, escaped));
                }
                b'\n' => self.line += 1,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// A member's key at `self.at`, then the colon; the key is added to `path`.
    fn key(&mut self, path: &mut String) -> Option<()> {
        self.skip_space();
        if self.peek()? != b'"' {
            return None;
        }
        let (start, end, escaped) = self.skip_string()?;
        if escaped {
            let key: String = serde_json::from_str(self.text.get(start - 1..=end)?).ok()?;
            push_key(path, &key);
        } else {
            push_key(path, self.text.get(start..end)?);
        }
        self.skip_space();
        (self.peek()? == b':').then(|| self.at += 1)
    }

    fn run(&mut self, lines: &mut HashMap<String, usize>) -> Option<()> {
        let mut path = String::new();
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // A value starts here.
            self.skip_space();
            if let Some(line) = lines.get_mut(path.as_str()) {
                *line = self.line;
            }
            match self.peek()? {
                b'{' => {
                    self.at += 1;
                    self.skip_space();
                    if self.peek()? == b'}' {
                        self.at += 1;
                    } else {
                        stack.push(Frame::Object { len: path.len() });
                        self.key(&mut path)?;
                        continue;
                    }
                }
                b'[' => {
                    self.at += 1;
                    self.skip_space();
                    if self.peek()? == b']' {
                        self.at += 1;
                    } else {
                        stack.push(Frame::Array {
                            len: path.len(),
                            index: 0,
                        });
                        path.push_str("[0]");
                        continue;
                    }
                }
                b'"' => {
                    self.skip_string()?;
                }
                _ => {
                    while self.peek().is_some_and(|b| {
                        !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                    }) {
                        self.at += 1;
                    }
                }
            }
            // After a value: the next member or item, or the end of containers.
            loop {
                self.skip_space();
                let Some(frame) = stack.last_mut() else {
                    return Some(());
                };
                let next = self.peek()? == b',';
                self.at += 1;
                match frame {
                    Frame::Object { len } => {
                        path.truncate(*len);
                        if next {
                            self.key(&mut path)?;
                            break;
                        }
                    }
                    Frame::Array { len, index } => {
                        path.truncate(*len);
                        if next {
                            *index += 1;
                            let _ = write!(path, "[{index}]");
                            break;
                        }
                    }
                }
                stack.pop();
            }
        }
    }
}
