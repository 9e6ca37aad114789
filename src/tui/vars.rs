//! The variables box (`V`): every `{{name}}` a request can use, its value (shortened, and
//! hidden when it looks like a secret) and where it came from, then the built-ins. In it a
//! value is edited (`e`), a new one typed (`a`), one forgotten for the session (`d`), and a
//! session value saved into the profile's `[vars]` (`s`); a value that looks like a secret is
//! never written to a file.

use std::path::PathBuf;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::app::{App, Effect, Overlay};
use super::input::{InputOutcome, LineInput};
use super::keymap::{Command, Keymap, Scope};
use super::panes::overlays::{centered, frame_block};
use super::theme::Theme;
use crate::config::ConfigFile;
use crate::sanitize;
use crate::younium::template::{BUILTINS, Origin, Vars, is_name, looks_secret};
use crate::younium::text::shorten;

/// Characters of a value shown before it is cut.
const SHOWN: usize = 48;

/// Shown instead of a value that looks like a secret.
pub const HIDDEN: &str = "•••••••• (looks like a secret: not shown)";

/// The box: the selected variable, and the value being typed, if one is.
#[derive(Debug, Default)]
pub struct VarsBox {
    pub selected: usize,
    edit: Option<VarEdit>,
}

#[derive(Debug)]
enum VarEdit {
    /// A new value for `name`.
    Value { name: String, input: LineInput },
    /// `name = value`, a new variable.
    New(LineInput),
}

/// The answer to [`Effect::SaveVar`]: the config file as written, and what was saved.
#[derive(Debug)]
pub struct VarSaved {
    pub file: ConfigFile,
    pub profile: Option<String>,
    pub name: String,
    pub value: String,
}

impl App {
    /// `V`: the variables box.
    pub(crate) fn open_vars(&self) -> Option<Overlay> {
        Some(Overlay::Vars(Box::default()))
    }

    /// The time of day as a variable's origin gives it: `14:02`.
    pub(crate) fn clock(&self) -> String {
        self.now
            .to_zoned_datetime(self.tz.clone())
            .strftime("%H:%M")
            .to_string()
    }

    /// A key in the box.
    pub(crate) fn vars_key(
        &mut self,
        mut shown: Box<VarsBox>,
        key: KeyEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        if let Some(edit) = shown.edit.take() {
            shown.edit = self.var_edit_key(edit, key);
            return Some(Overlay::Vars(shown));
        }
        let count = self.vars.iter().count();
        let selected = self
            .vars
            .iter()
            .nth(shown.selected)
            .map(|(n, v, o)| (n.to_string(), v.to_string(), o.clone()));
        match self.keymap.command(Scope::Vars, &key) {
            Some(Command::Close | Command::ShowVars) => return None,
            Some(Command::ScrollUp) => shown.selected = shown.selected.saturating_sub(1),
            Some(Command::ScrollDown) => {
                shown.selected = (shown.selected + 1).min(count.saturating_sub(1));
            }
            Some(Command::Top) => shown.selected = 0,
            Some(Command::Bottom) => shown.selected = count.saturating_sub(1),
            Some(Command::NewVar) => shown.edit = Some(VarEdit::New(LineInput::new("", false))),
            Some(Command::Edit) => {
                if let Some((name, value, _)) = selected {
                    let input = LineInput::new(&value, looks_secret(&name, &value));
                    shown.edit = Some(VarEdit::Value { name, input });
                }
            }
            Some(Command::ForgetVar) => {
                if let Some((name, _, origin)) = selected {
                    self.forget_var(&name, &origin);
                    shown.selected = shown
                        .selected
                        .min(self.vars.iter().count().saturating_sub(1));
                }
            }
            Some(Command::SaveVar) => {
                if let Some((name, value, _)) = selected {
                    self.save_var(name, value, effects);
                }
            }
            _ => {}
        }
        Some(Overlay::Vars(shown))
    }

    /// A key while a value is typed: Enter sets it for the session, Esc leaves it.
    fn var_edit_key(&mut self, mut edit: VarEdit, key: KeyEvent) -> Option<VarEdit> {
        let input = match &mut edit {
            VarEdit::Value { input, .. } | VarEdit::New(input) => input,
        };
        match input.handle(key) {
            InputOutcome::Edited => return Some(edit),
            InputOutcome::Cancel => return None,
            InputOutcome::Submit(_) => {}
        }
        let (name, value) = match &edit {
            VarEdit::Value { name, input } => (name.clone(), input.text().to_string()),
            VarEdit::New(input) => match input.text().split_once('=') {
                Some((name, value)) if is_name(name.trim()) => {
                    (name.trim().to_string(), value.trim().to_string())
                }
                _ => {
                    self.status = Some(
                        "type name = value (a name is a letter or _, then letters, digits, _, . \
                         or -)"
                            .into(),
                    );
                    return Some(edit);
                }
            },
        };
        let at = self.clock();
        self.vars
            .set(Origin::Session(format!("typed {at}")), &name, &value);
        self.status = Some(format!(
            "{{{{{name}}}}} = {} for this session (s saves it to the profile)",
            shown_value(&name, &value)
        ));
        None
    }

    fn forget_var(&mut self, name: &str, origin: &Origin) {
        self.vars.remove(origin, name);
        let rest = match self.vars.get(name) {
            Some((value, from)) => format!(
                "; its value from {} shows again: {}",
                from.describe(),
                shown_value(name, value)
            ),
            None => String::new(),
        };
        let kept = match origin {
            Origin::Profile(_) | Origin::Config => " (the config file keeps it)",
            _ => "",
        };
        self.status = Some(format!(
            "forgot {{{{{name}}}}} for this session{kept}{rest}"
        ));
    }

    /// `s`: writes the value into the profile's `[profiles.NAME.vars]` (with no profile, the
    /// file's `[vars]`), never one that looks like a secret.
    fn save_var(&mut self, name: String, value: String, effects: &mut Vec<Effect>) {
        if looks_secret(&name, &value) {
            self.status = Some(format!(
                "not saved: {{{{{name}}}}} looks like a secret; it stays in this session only"
            ));
            return;
        }
        if let Some(error) = &self.config_error {
            self.status = Some(format!("not saved: the config file has an error: {error}"));
            return;
        }
        let Some(path) = self.config_file_path() else {
            self.status = Some(format!(
                "not saved: no place for a config file; name one with --config or ${}",
                crate::config::CONFIG_ENV
            ));
            return;
        };
        self.status = Some(format!("saving {{{{{name}}}}}…"));
        effects.push(Effect::SaveVar {
            path,
            profile: self.profile.clone(),
            name,
            value,
        });
    }

    /// The answer: the file as written, or why not.
    pub(crate) fn on_var_saved(&mut self, result: Result<VarSaved, String>) {
        let saved = match result {
            Ok(saved) => saved,
            Err(e) => {
                self.status = Some(e);
                return;
            }
        };
        let (origin, table) = match &saved.profile {
            Some(p) => (Origin::Profile(p.clone()), format!("[profiles.{p}.vars]")),
            None => (Origin::Config, "[vars]".to_string()),
        };
        self.vars.set(origin, &saved.name, &saved.value);
        self.status = Some(format!(
            "saved {{{{{}}}}} in {table} of {}",
            saved.name,
            saved.file.path.display()
        ));
        self.config_path = Some(saved.file.path.clone());
        self.config = Some(saved.file);
    }
}

impl App {
    /// What a field's `{{templates}}` resolve to, for the builder's foot line: `→ /Accounts/A-1`,
    /// or why not (`✗ unknown variable {{x}}`). Nothing for a field without one; dots for a
    /// value that looks like a secret.
    pub(crate) fn template_preview(&self, text: &str) -> Option<String> {
        let names = crate::younium::template::names(text);
        if names.is_empty() {
            return None;
        }
        let secret = names.iter().any(|n| {
            self.vars
                .get(n)
                .is_some_and(|(value, _)| looks_secret(n, value))
        });
        let built_in = names.iter().any(|n| n.starts_with('$'));
        let mut resolver =
            crate::younium::template::Resolver::fixed(self.vars.clone(), self.now, 0);
        let line = match resolver.text(text, "this field") {
            Err(e) => format!("✗ {e}"),
            Ok(_) if secret => "→ (uses a value that looks like a secret: not shown)".into(),
            Ok(value) => {
                let value = crate::younium::text::shorten(&sanitize::one_line(&value), 200);
                let note = if built_in {
                    "   (built-ins take new values when sent)"
                } else {
                    ""
                };
                format!("→ {value}{note}")
            }
        };
        Some(line)
    }
}

/// Saves a variable in the file at `path` as it is on disk (created when missing, left alone
/// when it does not read). Runs in a blocking task.
pub fn save(
    path: PathBuf,
    profile: Option<String>,
    name: String,
    value: String,
) -> Result<VarSaved, String> {
    if looks_secret(&name, &value) {
        return Err(format!("not saved: {{{{{name}}}}} looks like a secret"));
    }
    let mut file = crate::config::load_or_new(&path)?;
    file.save_var(profile.as_deref(), &name, &value)
        .map_err(|e| e.to_string())?;
    Ok(VarSaved {
        file,
        profile,
        name,
        value,
    })
}

/// A value as the box and the status line show it: shortened, on one line, or dots for one
/// that looks like a secret.
pub fn shown_value(name: &str, value: &str) -> String {
    if looks_secret(name, value) {
        HIDDEN.to_string()
    } else {
        crate::younium::text::shorten(&sanitize::one_line(value), SHOWN)
    }
}

/// The box's lines, the selected variable marked, each at most `room` characters wide (a long
/// origin is shortened).
pub fn vars_lines(vars: &Vars, selected: usize, room: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if vars.is_empty() {
        lines.push(Line::styled(
            "No variables yet: x on a line of a response keeps its value; or give --var \
             NAME=VALUE, or [vars] in the config file (the profile's own in \
             [profiles.NAME.vars]).",
            theme.dim(),
        ));
    }
    let width = vars
        .iter()
        .map(|(n, _, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .min(32);
    let value_width = vars
        .iter()
        .map(|(n, v, _)| shown_value(n, v).chars().count())
        .max()
        .unwrap_or(0);
    for (i, (name, value, origin)) in vars.iter().enumerate() {
        let text = format!("{:<value_width$}", shown_value(name, value));
        let shown = if looks_secret(name, value) {
            Span::styled(text, theme.dim())
        } else {
            Span::raw(text)
        };
        let mark = if i == selected { "› " } else { "  " };
        // What the origin has left: the mark, the name, the value, the gap before it and the
        // `…` a shortened one ends with.
        let left = room
            .saturating_sub(2 + width + 2 + value_width + 3 + 1)
            .max(12);
        let line = Line::from(vec![
            Span::raw(mark),
            Span::styled(
                format!("{:<width$}  ", sanitize::one_line(name)),
                theme.key(),
            ),
            shown,
            Span::styled(
                format!("   {}", shorten(&origin.describe(), left)),
                theme.dim(),
            ),
        ]);
        lines.push(if i == selected {
            line.style(theme.selected())
        } else {
            line
        });
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
            Span::styled(format!("  {:<16}", format!("{{{{{name}}}}}")), theme.key()),
            Span::styled(what, theme.dim()),
        ]));
    }
    lines
}

/// Draws the box.
pub fn render(frame: &mut Frame<'_>, app: &App, shown: &VarsBox, theme: &Theme) {
    let keymap = &app.keymap;
    let area = centered(frame.area(), 110, frame.area().height.saturating_sub(4));
    frame.render_widget(Clear, area);
    let block = frame_block(
        "Variables ({{name}} in paths, values, bodies and jq)",
        theme,
    )
    .title_bottom(Line::styled(footer(keymap), theme.dim()).alignment(Alignment::Right));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let editing = shown.edit.is_some();
    let list_height = inner.height.saturating_sub(if editing { 3 } else { 0 }) as usize;
    let lines = vars_lines(&app.vars, shown.selected, inner.width as usize, theme);
    let scroll = (shown.selected + 1).saturating_sub(list_height);
    let list = Rect {
        height: list_height as u16,
        ..inner
    };
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), list);
    let Some(edit) = &shown.edit else { return };
    let (prompt, input) = match edit {
        VarEdit::Value { name, input } => (
            format!(
                "New value of {{{{{}}}}} (this session; Enter sets, Esc leaves):",
                sanitize::one_line(name)
            ),
            input,
        ),
        VarEdit::New(input) => (
            "A new variable, name = value (this session; Enter sets, Esc leaves):".to_string(),
            input,
        ),
    };
    let bottom = inner.y + inner.height.saturating_sub(2);
    let at = |y, height| Rect { y, height, ..inner };
    frame.render_widget(
        Paragraph::new(Line::styled(prompt, theme.label())),
        at(bottom.saturating_sub(1), 1),
    );
    input.render(frame, at(bottom, 1), theme);
}

fn footer(keymap: &Keymap) -> String {
    let key = |c| keymap.hint_in(Scope::Vars, c);
    format!(
        " {} edit · {} new · {} forget · {} save to the profile · {} close ",
        key(Command::Edit),
        key(Command::NewVar),
        key(Command::ForgetVar),
        key(Command::SaveVar),
        key(Command::Close)
    )
}
