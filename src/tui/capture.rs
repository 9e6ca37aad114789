//! Keeping a value of the answer as a `{{variable}}`: `x` on a line of the Body tab keeps the
//! value of that line (a string, a number, or the object or array the line opens), `X` keeps
//! the output of the jq filter shown. The name is asked for, pre-filled from the key and the
//! path (`id` of `/Accounts` → `accountId`); `Enter` takes it. The value is kept for this
//! session only ("captured from GET /Accounts 14:02" in the variables box).

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::app::{App, Overlay};
use super::input::{InputOutcome, LineInput};
use super::keymap::{Command, Scope};
use super::panes::overlays::{centered, frame_block};
use super::theme::Theme;
use super::vars::shown_value;
use crate::pretty::path::{JsonPath, Step, path_of};
use crate::pretty::value::{LineValue, value_of};
use crate::sanitize;
use crate::younium::template::{Origin, is_name, looks_secret};

/// A value waiting for its name.
#[derive(Debug)]
pub struct Capture {
    pub input: LineInput,
    /// What the variable will hold.
    value: String,
    /// Where it is from: `.data[0].id of GET /Accounts`.
    from: String,
    /// The request it came from, for its origin: `GET /Accounts`.
    request: String,
    /// Why the name typed was refused.
    error: Option<String>,
}

impl App {
    /// `x`: the cursor line's value.
    pub(crate) fn start_capture(&mut self) -> Option<Overlay> {
        let Some(doc) = self.response.doc().filter(|_| self.on_body_tab()) else {
            self.status = Some("x keeps a value of the Body tab: nothing is shown there".into());
            return None;
        };
        let line = self.response.view().cursor;
        let value = match value_of(&doc, line) {
            Ok(value) => value,
            Err(why) => {
                self.status = Some(format!("not kept: {why}"));
                return None;
            }
        };
        let path = path_of(&doc, line).unwrap_or_default();
        let (request, resource) = self.shown_request();
        let name = suggest_name(&path, &resource);
        let jq = self.jq_text();
        let at = match &jq {
            Some(filter) => format!("{path} of the output of {filter}"),
            None => path.to_string(),
        };
        Some(self.capture_box(value, format!("{at} of {request}"), request, &name))
    }

    /// `X`: the output of the jq filter shown (one output as itself, several as an array).
    pub(crate) fn start_capture_jq(&mut self) -> Option<Overlay> {
        let (Some(filter), Some(doc)) = (self.jq_text(), self.response.doc()) else {
            let jq = self.keymap.hint_in(Scope::Response, Command::Jq);
            self.status = Some(format!(
                "X keeps the output of a jq filter: filter the body with {jq} first"
            ));
            return None;
        };
        let value = match value_of(&doc, 0) {
            Ok(value) => value,
            Err(why) => {
                self.status = Some(format!("not kept: {why}"));
                return None;
            }
        };
        let (request, resource) = self.shown_request();
        let name = suggest_name(&filter_path(&filter), &resource);
        Some(self.capture_box(value, format!("{filter} of {request}"), request, &name))
    }

    fn capture_box(&self, value: LineValue, from: String, request: String, name: &str) -> Overlay {
        Overlay::Capture(Box::new(Capture {
            input: LineInput::suggested(name),
            value: value.into_text(),
            from: sanitize::one_line(&from).into_owned(),
            request,
            error: None,
        }))
    }

    /// A key in the name box: Enter keeps the value under the name typed, Esc drops it.
    pub(crate) fn capture_key(
        &mut self,
        mut capture: Box<Capture>,
        key: KeyEvent,
    ) -> Option<Overlay> {
        match capture.input.handle(key) {
            InputOutcome::Submit(name) => {
                let name = name.trim();
                if !is_name(name) {
                    capture.error = Some(format!(
                        "{:?} cannot be a name: a letter or _, then letters, digits, _, . or -",
                        sanitize::one_line(name)
                    ));
                    return Some(Overlay::Capture(capture));
                }
                let at = self.clock();
                let origin = Origin::Session(format!("captured from {} {at}", capture.request));
                self.vars.set(origin, name, &capture.value);
                self.status = Some(format!(
                    "kept {{{{{name}}}}} = {} (V lists the variables)",
                    shown_value(name, &capture.value)
                ));
                None
            }
            InputOutcome::Cancel => None,
            InputOutcome::Edited => {
                capture.error = None;
                Some(Overlay::Capture(capture))
            }
        }
    }

    fn on_body_tab(&self) -> bool {
        self.response.tab() == super::panes::response::ResponseTab::Body
    }

    /// The jq filter whose output the Body tab shows.
    fn jq_text(&self) -> Option<String> {
        match self.response.jq() {
            super::panes::response::JqState::Shown { text, .. } => Some(text.clone()),
            _ => None,
        }
    }

    /// The answer's request as `GET /Accounts` (path without its query), and its path.
    fn shown_request(&self) -> (String, String) {
        match self.response.shown() {
            Some(shown) => {
                let path = shown
                    .request
                    .path
                    .split('?')
                    .next()
                    .unwrap_or("")
                    .to_string();
                let path = sanitize::one_line(&path).into_owned();
                (format!("{} {path}", shown.request.method), path)
            }
            None => ("the answer".into(), String::new()),
        }
    }
}

/// A name for the value at `path` of an answer to `request_path`: the last key, and for an
/// `id` the thing it is the id of: the key holding it (`.account.id` → `accountId`) or else
/// the resource asked for (`.data[0].id` of `/Accounts` → `accountId`).
pub fn suggest_name(path: &JsonPath, request_path: &str) -> String {
    let keys: Vec<&str> = path
        .0
        .iter()
        .filter_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        })
        .collect();
    let envelope = |k: &&str| matches!(*k, "data" | "items" | "value");
    let last = keys.last().copied();
    let name = match last {
        Some(key) if key.eq_ignore_ascii_case("id") => {
            let owner = keys[..keys.len() - 1]
                .iter()
                .rev()
                .find(|k| !envelope(k))
                .map(|k| k.to_string())
                .or_else(|| resource(request_path));
            match owner {
                Some(owner) => format!("{}Id", lower_first(&owner)),
                None => "id".into(),
            }
        }
        Some(key) if !envelope(&key) => key.to_string(),
        _ => resource(request_path).map_or("value".into(), |r| lower_first(&r)),
    };
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if is_name(&name) {
        name
    } else {
        format!("_{name}")
    }
}

/// The resource of a path, in the singular: `/Accounts/A-1` → `Account`, `/v3/Invoices` →
/// `Invoice`, `/Currency` → `Currency`.
fn resource(path: &str) -> Option<String> {
    let segment = path
        .trim_start_matches('/')
        .split('/')
        .find(|s| !s.is_empty() && !s.eq_ignore_ascii_case("v3"))?;
    let singular = if let Some(stem) = segment.strip_suffix("ies") {
        format!("{stem}y")
    } else if segment.ends_with("ss") {
        segment.to_string()
    } else {
        segment.strip_suffix('s').unwrap_or(segment).to_string()
    };
    Some(singular)
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The path a simple filter ends on, for its name: `.data[0].id` → `.data.id`; keys only.
fn filter_path(filter: &str) -> JsonPath {
    let mut steps = Vec::new();
    let mut word = String::new();
    let mut after_dot = false;
    for c in filter.chars().chain(std::iter::once(' ')) {
        if after_dot && (c.is_ascii_alphanumeric() || c == '_') {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            steps.push(Step::Key(std::mem::take(&mut word)));
        }
        after_dot = c == '.';
    }
    JsonPath(steps)
}

/// Draws the name box.
pub fn render(frame: &mut Frame<'_>, capture: &Capture, theme: &Theme) {
    let area = centered(frame.area(), 84, 9);
    frame.render_widget(Clear, area);
    let block = frame_block("Keep as a {{variable}}", theme).title_bottom(
        Line::styled(" Enter keep · Esc cancel ", theme.dim()).alignment(Alignment::Right),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width.saturating_sub(8) as usize;
    let from = crate::younium::text::shorten(&capture.from, width);
    let value = if looks_secret(capture.input.text(), &capture.value) {
        super::vars::HIDDEN.to_string()
    } else {
        crate::younium::text::shorten(&sanitize::one_line(&capture.value), width)
    };
    let lines = vec![
        Line::from(vec![
            Span::styled("From   ", theme.label()),
            Span::raw(from),
        ]),
        Line::from(vec![
            Span::styled("Value  ", theme.label()),
            Span::raw(value),
        ]),
        Line::raw(""),
        Line::styled(
            "Name (this session; V lists, edits and saves it):",
            theme.label(),
        ),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    let field = Rect {
        y: inner.y + 4,
        height: 1,
        ..inner
    };
    capture.input.render(frame, field, theme);
    if let Some(error) = &capture.error {
        let at = Rect {
            y: inner.y + 5,
            height: 1,
            ..inner
        };
        frame.render_widget(Paragraph::new(Line::styled(error.clone(), theme.bad())), at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(keys: &[&str]) -> JsonPath {
        JsonPath(
            keys.iter()
                .map(|k| match k.parse() {
                    Ok(i) => Step::Index(i),
                    Err(_) => Step::Key(k.to_string()),
                })
                .collect(),
        )
    }

    #[test]
    fn an_id_is_named_after_what_it_is_the_id_of() {
        assert_eq!(
            suggest_name(&path(&["data", "0", "id"]), "/Accounts"),
            "accountId"
        );
        assert_eq!(suggest_name(&path(&["id"]), "/Accounts/A-1"), "accountId");
        assert_eq!(
            suggest_name(&path(&["account", "id"]), "/Orders"),
            "accountId"
        );
        assert_eq!(
            suggest_name(&path(&["items", "2", "id"]), "/v3/Invoices"),
            "invoiceId"
        );
        assert_eq!(suggest_name(&path(&["id"]), "/Currencies"), "currencyId");
        assert_eq!(suggest_name(&path(&["id"]), ""), "id");
    }

    #[test]
    fn another_key_is_its_own_name_made_safe() {
        assert_eq!(
            suggest_name(&path(&["data", "0", "accountNumber"]), "/Accounts"),
            "accountNumber"
        );
        assert_eq!(suggest_name(&path(&["a b"]), "/X"), "a_b");
        assert_eq!(suggest_name(&path(&["1st"]), "/X"), "_1st");
        assert_eq!(suggest_name(&path(&["data", "3"]), "/Invoices"), "invoice");
        assert_eq!(suggest_name(&path(&[]), "/Invoices"), "invoice");
    }

    #[test]
    fn a_filters_keys_name_its_output() {
        assert_eq!(filter_path(".data[0].id").to_string(), ".data.id");
        assert_eq!(
            suggest_name(&filter_path(".data[0].id"), "/Accounts"),
            "accountId"
        );
        assert_eq!(
            suggest_name(&filter_path("[.data[].name]"), "/Accounts"),
            "name"
        );
    }
}
