//! The variables box (`V`): every `{{name}}` a request can use, its value (shortened, and
//! hidden when it looks like a secret) and where it came from, then the built-ins.

use ratatui::text::{Line, Span};

use super::app::{App, Overlay};
use super::theme::Theme;
use crate::sanitize;
use crate::younium::request::is_secret_header;
use crate::younium::template::{BUILTINS, Vars};

/// Characters of a value shown before it is cut.
const SHOWN: usize = 48;

/// Shown instead of a value that looks like a secret.
const HIDDEN: &str = "•••••••• (looks like a secret: not shown)";

impl App {
    /// `V`: the variables box.
    pub(crate) fn open_vars(&self) -> Option<Overlay> {
        Some(Overlay::Vars { scroll: 0 })
    }
}

/// Whether a value is not to be shown: a JWT, or a name like a secret header's (key, token,
/// secret, password…).
pub fn looks_secret(name: &str, value: &str) -> bool {
    let jwt = value.starts_with("eyJ") && value.matches('.').count() == 2;
    jwt || is_secret_header(name)
}

/// The box's lines.
pub fn vars_lines(vars: &Vars, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if vars.is_empty() {
        lines.push(Line::styled(
            "No variables yet: give --var NAME=VALUE, or [vars] in the config file (the \
             profile's own in [profiles.NAME.vars]).",
            theme.dim(),
        ));
    }
    let width = vars
        .iter()
        .map(|(n, _, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .min(32);
    let value_of = |name: &str, value: &str| {
        if looks_secret(name, value) {
            (HIDDEN.to_string(), true)
        } else {
            let one = sanitize::one_line(value);
            (crate::younium::text::shorten(&one, SHOWN), false)
        }
    };
    let values = vars
        .iter()
        .map(|(n, v, _)| value_of(n, v).0.chars().count());
    let value_width = values.max().unwrap_or(0);
    for (name, value, origin) in vars.iter() {
        let (text, hidden) = value_of(name, value);
        let text = format!("{text:<value_width$}");
        let shown = if hidden {
            Span::styled(text, theme.dim())
        } else {
            Span::raw(text)
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:<width$}  ", sanitize::one_line(name)),
                theme.key(),
            ),
            shown,
            Span::styled(format!("   {}", origin.describe()), theme.dim()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Built in (a new value at each use):",
        theme.label(),
    ));
    let about = [
        "a random UUID",
        "now, RFC 3339, UTC",
        "today, YYYY-MM-DD, UTC",
        "now, Unix seconds",
        "a number from 0 to 1000",
    ];
    for (name, what) in BUILTINS.iter().zip(about) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<16}", format!("{{{{{name}}}}}")), theme.key()),
            Span::styled(what, theme.dim()),
        ]));
    }
    lines
}
