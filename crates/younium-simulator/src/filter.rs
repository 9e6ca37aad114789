//! A subset of Younium's OData-like `Filter` and `OrderBy` syntax:
//!
//! - comparisons `field op value` with `eq ne gt lt ge le`, joined by `and` / `or`, grouped by
//!   parentheses; nested fields as `a/b`;
//! - values `'text'` (with `''` for a quote), numbers, `true`, `false`, `null`,
//!   `datetime'2023-04-01'`, `guid'…'`;
//! - `startswith(field, 'x')`, `endswith(field, 'x')`, `substringof('x', field)`.
//!
//! Field names and text comparisons ignore case (Younium's database collation does too).
//! Anything else is rejected with a message saying where.

use std::cmp::Ordering;

use jiff::civil::DateTime;
use serde_json::Value;

use super::clock::parse_civil;

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Compare {
        path: Vec<String>,
        op: CompareOp,
        value: Literal,
    },
    Text {
        function: TextFunction,
        path: Vec<String>,
        needle: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextFunction {
    StartsWith,
    EndsWith,
    Contains,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Text(String),
    Number(f64),
    Bool(bool),
    Null,
    DateTime(DateTime),
}

/// One `OrderBy` key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrderKey {
    path: Vec<String>,
    descending: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Number(f64),
    Typed(String, String),
    Open,
    Close,
    Comma,
}

/// Parses a `Filter` parameter.
pub(crate) fn parse_filter(input: &str) -> Result<Filter, String> {
    let tokens = lex(input)?;
    let mut parser = Parser {
        tokens: &tokens,
        next: 0,
    };
    let filter = parser.or()?;
    match parser.peek() {
        None => Ok(filter),
        Some((token, position)) => Err(format!(
            "unexpected {} at position {position}; expected 'and', 'or' or the end",
            describe(token)
        )),
    }
}

/// Parses an `OrderBy` parameter such as `name asc, created desc`.
pub(crate) fn parse_order_by(input: &str) -> Result<Vec<OrderKey>, String> {
    let mut keys = Vec::new();
    for part in input.split(',') {
        let mut words = part.split_whitespace();
        let Some(field) = words.next() else {
            return Err(format!("'{input}' has an empty sort key"));
        };
        let descending = match words.next().map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(format!(
                    "unknown sort direction '{other}' after '{field}'; use asc or desc"
                ));
            }
        };
        if let Some(extra) = words.next() {
            return Err(format!(
                "unexpected '{extra}' in sort key '{}'",
                part.trim()
            ));
        }
        keys.push(OrderKey {
            path: split_path(field)?,
            descending,
        });
    }
    Ok(keys)
}

impl Filter {
    /// Whether a record passes.
    pub(crate) fn matches(&self, record: &Value) -> bool {
        match self {
            Filter::And(a, b) => a.matches(record) && b.matches(record),
            Filter::Or(a, b) => a.matches(record) || b.matches(record),
            Filter::Compare { path, op, value } => compare(lookup(record, path), *op, value),
            Filter::Text {
                function,
                path,
                needle,
            } => {
                let Some(text) = lookup(record, path).and_then(Value::as_str) else {
                    return false;
                };
                let (text, needle) = (text.to_lowercase(), needle.to_lowercase());
                match function {
                    TextFunction::StartsWith => text.starts_with(&needle),
                    TextFunction::EndsWith => text.ends_with(&needle),
                    TextFunction::Contains => text.contains(&needle),
                }
            }
        }
    }
}

/// Orders two records by the keys; missing values sort first.
pub(crate) fn compare_records(a: &Value, b: &Value, keys: &[OrderKey]) -> Ordering {
    for key in keys {
        let ordering = order_values(lookup(a, &key.path), lookup(b, &key.path));
        let ordering = if key.descending {
            ordering.reverse()
        } else {
            ordering
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// Follows `a/b/c` through nested objects, matching member names case-insensitively.
fn lookup<'a>(record: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(record, |value, name| {
        let object = value.as_object()?;
        object.get(name).or_else(|| {
            object
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
    })
}

fn order_values(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.total_cmp(&y)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (None | Some(Value::Null), None | Some(Value::Null)) => Ordering::Equal,
        (None | Some(Value::Null), _) => Ordering::Less,
        (_, None | Some(Value::Null)) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

fn compare(field: Option<&Value>, op: CompareOp, literal: &Literal) -> bool {
    let field = field.filter(|v| !v.is_null());
    let ordering = match (field, literal) {
        (None, Literal::Null) => Some(Ordering::Equal),
        (None, _) | (Some(_), Literal::Null) => None,
        (Some(value), literal) => order_against(value, literal),
    };
    match op {
        CompareOp::Eq => ordering == Some(Ordering::Equal),
        CompareOp::Ne => ordering != Some(Ordering::Equal),
        CompareOp::Gt => ordering == Some(Ordering::Greater),
        CompareOp::Lt => ordering == Some(Ordering::Less),
        CompareOp::Ge => matches!(ordering, Some(Ordering::Greater | Ordering::Equal)),
        CompareOp::Le => matches!(ordering, Some(Ordering::Less | Ordering::Equal)),
    }
}

/// How a field value orders against a literal, when they are comparable at all.
fn order_against(value: &Value, literal: &Literal) -> Option<Ordering> {
    match (value, literal) {
        (Value::String(text), Literal::Text(wanted)) => {
            Some(text.to_lowercase().cmp(&wanted.to_lowercase()))
        }
        (Value::String(text), Literal::Number(wanted)) => {
            text.trim().parse::<f64>().ok().map(|n| n.total_cmp(wanted))
        }
        (Value::String(text), Literal::DateTime(wanted)) => {
            parse_civil(text).map(|d| d.cmp(wanted))
        }
        (Value::Number(number), Literal::Number(wanted)) => {
            number.as_f64().map(|n| n.total_cmp(wanted))
        }
        (Value::Number(number), Literal::Text(wanted)) => {
            let wanted = wanted.trim().parse::<f64>().ok()?;
            number.as_f64().map(|n| n.total_cmp(&wanted))
        }
        (Value::Bool(flag), Literal::Bool(wanted)) => Some(flag.cmp(wanted)),
        (Value::Bool(flag), Literal::Text(wanted)) => {
            Some(flag.to_string().cmp(&wanted.to_ascii_lowercase()))
        }
        _ => None,
    }
}

fn split_path(field: &str) -> Result<Vec<String>, String> {
    let parts: Vec<String> = field.split('/').map(str::to_owned).collect();
    let valid = |part: &String| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
    };
    if parts.iter().all(valid) {
        Ok(parts)
    } else {
        Err(format!("'{field}' is not a field name"))
    }
}

fn lex(input: &str) -> Result<Vec<(Token, usize)>, String> {
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (position, c) = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                tokens.push((Token::Open, position));
                i += 1;
            }
            ')' => {
                tokens.push((Token::Close, position));
                i += 1;
            }
            ',' => {
                tokens.push((Token::Comma, position));
                i += 1;
            }
            '\'' => {
                let (text, next) = quoted(&chars, i)?;
                tokens.push((Token::Text(text), position));
                i = next;
            }
            c if c.is_ascii_digit() || c == '-' => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].1.is_ascii_digit() || chars[i].1 == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().map(|(_, c)| c).collect();
                let number = text
                    .parse::<f64>()
                    .map_err(|_| format!("'{text}' at position {position} is not a number"))?;
                tokens.push((Token::Number(number), position));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].1.is_alphanumeric() || matches!(chars[i].1, '_' | '/' | '.'))
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().map(|(_, c)| c).collect();
                if i < chars.len() && chars[i].1 == '\'' {
                    let (text, next) = quoted(&chars, i)?;
                    tokens.push((Token::Typed(word, text), position));
                    i = next;
                } else {
                    tokens.push((Token::Word(word), position));
                }
            }
            other => {
                return Err(format!(
                    "unexpected character '{other}' at position {position}"
                ));
            }
        }
    }
    Ok(tokens)
}

/// Reads a single-quoted string starting at `chars[start]`; `''` is a quote inside it.
fn quoted(chars: &[(usize, char)], start: usize) -> Result<(String, usize), String> {
    let mut text = String::new();
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i].1 == '\'' {
            if chars.get(i + 1).is_some_and(|(_, c)| *c == '\'') {
                text.push('\'');
                i += 2;
                continue;
            }
            return Ok((text, i + 1));
        }
        text.push(chars[i].1);
        i += 1;
    }
    Err(format!(
        "the text starting at position {} has no closing quote",
        chars[start].0
    ))
}

fn describe(token: &Token) -> String {
    match token {
        Token::Word(word) => format!("'{word}'"),
        Token::Text(text) => format!("'{text}' (text)"),
        Token::Number(number) => format!("number {number}"),
        Token::Typed(kind, text) => format!("{kind}'{text}'"),
        Token::Open => "'('".to_owned(),
        Token::Close => "')'".to_owned(),
        Token::Comma => "','".to_owned(),
    }
}

struct Parser<'a> {
    tokens: &'a [(Token, usize)],
    next: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<(&'a Token, usize)> {
        self.tokens.get(self.next).map(|(t, p)| (t, *p))
    }

    fn advance(&mut self) -> Option<(&'a Token, usize)> {
        let token = self.tokens.get(self.next).map(|(t, p)| (t, *p));
        self.next += 1;
        token
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some((Token::Word(w), _)) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.next += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.primary()?;
        while self.keyword("and") {
            self.next += 1;
            left = Filter::And(Box::new(left), Box::new(self.primary()?));
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<Filter, String> {
        match self.advance() {
            Some((Token::Open, _)) => {
                let inner = self.or()?;
                self.expect_close()?;
                Ok(inner)
            }
            Some((Token::Word(word), position)) => {
                if matches!(self.peek(), Some((Token::Open, _))) {
                    self.next += 1;
                    self.function(word, position)
                } else {
                    self.comparison(word, position)
                }
            }
            Some((token, position)) => Err(format!(
                "expected a field name at position {position}, found {}",
                describe(token)
            )),
            None => Err("the filter ends where a condition was expected".to_owned()),
        }
    }

    fn comparison(&mut self, field: &str, position: usize) -> Result<Filter, String> {
        let path = split_path(field)?;
        let op = match self.advance() {
            Some((Token::Word(op), _)) => match op.to_ascii_lowercase().as_str() {
                "eq" => CompareOp::Eq,
                "ne" => CompareOp::Ne,
                "gt" => CompareOp::Gt,
                "lt" => CompareOp::Lt,
                "ge" => CompareOp::Ge,
                "le" => CompareOp::Le,
                other => {
                    return Err(format!(
                        "unsupported operator '{other}' after '{field}'; use eq, ne, gt, lt, ge or le"
                    ));
                }
            },
            _ => {
                return Err(format!(
                    "expected an operator (eq, ne, gt, lt, ge, le) after '{field}' at position {position}"
                ));
            }
        };
        let value = self.literal(field)?;
        Ok(Filter::Compare { path, op, value })
    }

    fn literal(&mut self, field: &str) -> Result<Literal, String> {
        match self.advance() {
            Some((Token::Text(text), _)) => Ok(Literal::Text(text.clone())),
            Some((Token::Number(number), _)) => Ok(Literal::Number(*number)),
            Some((Token::Word(word), position)) => match word.to_ascii_lowercase().as_str() {
                "true" => Ok(Literal::Bool(true)),
                "false" => Ok(Literal::Bool(false)),
                "null" => Ok(Literal::Null),
                _ => Err(format!(
                    "'{word}' at position {position} is not a value; quote text like '{word}'"
                )),
            },
            Some((Token::Typed(kind, text), position)) => match kind.as_str() {
                "datetime" => parse_civil(text).map(Literal::DateTime).ok_or_else(|| {
                    format!("datetime'{text}' at position {position} is not a date")
                }),
                "guid" => Ok(Literal::Text(text.clone())),
                _ => Err(format!(
                    "unsupported literal type '{kind}' at position {position}; use datetime'…' or guid'…'"
                )),
            },
            _ => Err(format!("expected a value to compare '{field}' with")),
        }
    }

    fn function(&mut self, name: &str, position: usize) -> Result<Filter, String> {
        let function = match name.to_ascii_lowercase().as_str() {
            "startswith" => TextFunction::StartsWith,
            "endswith" => TextFunction::EndsWith,
            "substringof" => TextFunction::Contains,
            _ => {
                return Err(format!(
                    "unsupported function '{name}' at position {position}; use startswith, endswith or substringof"
                ));
            }
        };
        let first = self.advance().map(|(t, _)| t.clone());
        if !matches!(self.advance(), Some((Token::Comma, _))) {
            return Err(format!(
                "{name}(…) takes two arguments separated by a comma"
            ));
        }
        let second = self.advance().map(|(t, _)| t.clone());
        self.expect_close()?;
        // substringof takes the text first (OData v2 style); the others take the field first.
        let (field, needle) = match function {
            TextFunction::Contains => (second, first),
            _ => (first, second),
        };
        match (field, needle) {
            (Some(Token::Word(field)), Some(Token::Text(needle))) => Ok(Filter::Text {
                function,
                path: split_path(&field)?,
                needle,
            }),
            _ => Err(match function {
                TextFunction::Contains => "substringof expects ('text', field)".to_owned(),
                _ => format!("{name} expects (field, 'text')"),
            }),
        }
    }

    fn expect_close(&mut self) -> Result<(), String> {
        match self.advance() {
            Some((Token::Close, _)) => Ok(()),
            Some((token, position)) => Err(format!(
                "expected ')' at position {position}, found {}",
                describe(token)
            )),
            None => Err("a '(' is never closed".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn record() -> Value {
        json!({
            "name": "Aurora Data AB", "status": "Active", "inactive": false,
            "cmrr": {"amount": 500.0}, "created": "2022-09-21T13:22:16.366372",
            "defaultInvoiceAddress": {"country": "Sweden"}, "accountsReceivable": "1510",
        })
    }

    fn passes(filter: &str) -> bool {
        parse_filter(filter)
            .unwrap_or_else(|e| panic!("{filter}: {e}"))
            .matches(&record())
    }

    #[test]
    fn comparisons_and_logic() {
        assert!(passes("status eq 'active'"));
        assert!(passes("Status ne 'Draft'"));
        assert!(passes("cmrr/amount ge 100 and cmrr/amount le 1000"));
        assert!(!passes("cmrr/amount gt 500"));
        assert!(passes(
            "(status eq 'Draft' or inactive eq false) and name ne null"
        ));
        assert!(passes("defaultInvoiceAddress/country eq 'Sweden'"));
        assert!(passes("created gt datetime'2022-01-01'"));
        assert!(passes("missing eq null"));
        assert!(passes("accountsReceivable eq 1510"));
        assert!(passes(
            "name eq 'Aurora Data AB' and startswith(name, 'aur')"
        ));
        assert!(passes(
            "endswith(name, ' AB') and substringof('data', name)"
        ));
        assert!(!passes("name eq 'O''Brien'"));
    }

    #[test]
    fn unsupported_syntax_is_explained() {
        for (filter, expected) in [
            ("name like 'x'", "unsupported operator 'like'"),
            ("name eq", "expected a value"),
            ("name eq 'open", "no closing quote"),
            ("(name eq 'x'", "never closed"),
            ("contains(name, 'x')", "unsupported function 'contains'"),
            ("name eq 'x' xor a eq 'b'", "unexpected 'xor'"),
            ("name eq Aurora", "is not a value"),
            ("created gt datetime'soon'", "is not a date"),
            ("name eq 'x' ; drop", "unexpected character ';'"),
        ] {
            let err = parse_filter(filter).expect_err(filter);
            assert!(err.contains(expected), "{filter}: {err}");
        }
    }

    #[test]
    fn order_by_parses_and_sorts() {
        let keys = parse_order_by("cmrr/amount desc, name").expect("valid");
        let a = json!({"name": "b", "cmrr": {"amount": 1.0}});
        let b = json!({"name": "a", "cmrr": {"amount": 2.0}});
        assert_eq!(compare_records(&a, &b, &keys), Ordering::Greater);
        assert!(parse_order_by("name sideways").is_err());
        assert!(parse_order_by("name,").is_err());
    }
}
