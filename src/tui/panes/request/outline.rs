//! Where the objects and arrays of the body's JSON text are: the one a line belongs to, with
//! what inserting into it needs (where it opens and closes, where its last member ends, its
//! path). One pass over the text; text that is not JSON gives `None`.

use crate::pretty::path::{JsonPath, Step};

/// A place in the text: row, and column in characters (as the editor counts).
pub type Pos = (usize, usize);

/// An object or array of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    pub object: bool,
    pub path: JsonPath,
    /// Where its `{` or `[` is.
    pub open: Pos,
    /// Where its `}` or `]` is.
    pub close: Pos,
    /// Just after its last member's value; `None` when it is empty.
    pub last_end: Option<Pos>,
}

struct Frame {
    object: bool,
    open: Pos,
    key: Option<String>,
    expect_key: bool,
    index: usize,
    last_end: Option<Pos>,
}

/// The container line `row` is about: the outermost one that opens on the line (`"address":
/// {`), else the innermost one the line is inside or closes (`"name": "",`, `},`). `None` for a
/// row past the end or text that is not JSON.
pub fn container_for_row(lines: &[String], row: usize) -> Option<Container> {
    if row >= lines.len() {
        return None;
    }
    let mut opening: Option<Container> = None;
    let mut inside: Option<Container> = None;
    walk(lines, |c| {
        if c.open.0 == row {
            if opening.as_ref().is_none_or(|o| c.open.1 < o.open.1) {
                opening = Some(c);
            }
        } else if c.open.0 < row
            && row <= c.close.0
            && inside.as_ref().is_none_or(|i| c.open > i.open)
        {
            inside = Some(c);
        }
    })?;
    opening.or(inside)
}

/// Walks the text, handing each container to `found` as it closes. `None` when the text is
/// not one JSON value.
fn walk(lines: &[String], mut found: impl FnMut(Container)) -> Option<()> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<Step> = Vec::new();
    let mut roots = 0;
    for (row, line) in lines.iter().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut col = 0;
        while col < chars.len() {
            let c = chars[col];
            match c {
                ' ' | '\t' | '\r' | ':' => col += 1,
                ',' => {
                    let top = stack.last_mut()?;
                    if top.object {
                        top.expect_key = true;
                    } else {
                        top.index += 1;
                    }
                    col += 1;
                }
                '"' => {
                    let end = string_end(&chars, col)?;
                    let raw: String = chars[col..end].iter().collect();
                    col = end;
                    match stack.last_mut() {
                        Some(top) if top.object && top.expect_key => {
                            top.key = Some(serde_json::from_str(&raw).ok()?);
                            top.expect_key = false;
                        }
                        Some(top) => top.last_end = Some((row, col)),
                        None => roots += 1,
                    }
                }
                '{' | '[' => {
                    match stack.last() {
                        Some(top) if top.object => path.push(Step::Key(top.key.clone()?)),
                        Some(top) => path.push(Step::Index(top.index)),
                        None => roots += 1,
                    }
                    stack.push(Frame {
                        object: c == '{',
                        open: (row, col),
                        key: None,
                        expect_key: c == '{',
                        index: 0,
                        last_end: None,
                    });
                    col += 1;
                }
                '}' | ']' => {
                    let frame = stack.pop()?;
                    if frame.object != (c == '}') {
                        return None;
                    }
                    found(Container {
                        object: frame.object,
                        path: JsonPath(path.clone()),
                        open: frame.open,
                        close: (row, col),
                        last_end: frame.last_end,
                    });
                    col += 1;
                    if let Some(top) = stack.last_mut() {
                        path.pop();
                        top.last_end = Some((row, col));
                    }
                }
                _ => {
                    let start = col;
                    while col < chars.len()
                        && (chars[col].is_ascii_alphanumeric() || "+-.".contains(chars[col]))
                    {
                        col += 1;
                    }
                    if col == start {
                        return None;
                    }
                    match stack.last_mut() {
                        Some(top) => top.last_end = Some((row, col)),
                        None => roots += 1,
                    }
                }
            }
        }
    }
    (stack.is_empty() && roots == 1).then_some(())
}

/// The index just past the quote closing the string that opens at `start`.
fn string_end(chars: &[char], start: usize) -> Option<usize> {
    let mut escaped = false;
    for (i, &c) in chars.iter().enumerate().skip(start + 1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(i + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    const BODY: &str = r#"{
  "name": "Acme",
  "address": {
    "city": "Lund"
  },
  "lines": [
    {"q": 1},
    {}
  ],
  "empty": {}
}"#;

    #[test]
    fn a_line_belongs_to_the_container_it_opens_or_is_in() {
        let lines = lines(BODY);
        let root = container_for_row(&lines, 0).unwrap();
        assert_eq!(root.path.to_string(), ".");
        assert_eq!((root.open, root.close), ((0, 0), (10, 0)));
        assert_eq!(root.last_end, Some((9, 13)));
        assert_eq!(container_for_row(&lines, 1).unwrap().path.to_string(), ".");
        let address = container_for_row(&lines, 2).unwrap();
        assert_eq!(address.path.to_string(), ".address");
        assert_eq!(address.last_end, Some((3, 18)));
        assert_eq!(container_for_row(&lines, 3).unwrap(), address);
        assert_eq!(container_for_row(&lines, 4).unwrap(), address);
        let list = container_for_row(&lines, 5).unwrap();
        assert_eq!(
            (list.path.to_string(), list.object),
            (".lines".into(), false)
        );
        let first = container_for_row(&lines, 6).unwrap();
        assert_eq!(first.path.to_string(), ".lines[0]");
        assert_eq!(first.last_end, Some((6, 11)));
        let second = container_for_row(&lines, 7).unwrap();
        assert_eq!(
            (second.path.to_string(), second.last_end),
            (".lines[1]".into(), None)
        );
        let empty = container_for_row(&lines, 9).unwrap();
        assert_eq!(empty.path.to_string(), ".empty");
        assert_eq!((empty.open, empty.close), ((9, 11), (9, 12)));
        assert!(container_for_row(&lines, 11).is_none());
    }

    #[test]
    fn text_that_is_not_one_json_value_has_no_containers() {
        for broken in [
            "{",
            "{\"a\": 1",
            "[}",
            "{\"a\": \"x}",
            "1 2",
            "{} {}",
            "{\"a\": @}",
        ] {
            assert!(container_for_row(&lines(broken), 0).is_none(), "{broken}");
        }
        let quoted = lines("{\"a \\\" b\": {\n}\n}");
        assert_eq!(container_for_row(&quoted, 0).unwrap().path.to_string(), ".");
    }
}
