//! The connection pane: environment, auth method, client ID, secret, legal entity, api-version.
//! Changing the first four starts a new token exchange; the last two only change the headers.

mod access;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::tui::input::{InputOutcome, LineInput};
use crate::tui::keymap::Command;
use crate::tui::theme::Theme;
pub use crate::younium::doctor::LegalEntity;
use crate::younium::{
    ApiVersion, AuthError, AuthMethod, CallSettings, Connection, Credentials, Environment, Secret,
};

/// The fields, top to bottom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Environment,
    BaseUrl,
    Auth,
    ClientId,
    Secret,
    LegalEntity,
    ApiVersion,
}

const FIELDS: [Field; 7] = [
    Field::Environment,
    Field::BaseUrl,
    Field::Auth,
    Field::ClientId,
    Field::Secret,
    Field::LegalEntity,
    Field::ApiVersion,
];

/// Where the secret came from, shown next to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretSource {
    None,
    Typed,
    EnvVar,
    Demo,
    /// From the profile's source (its description, e.g. `env MY_SECRET`).
    Profile(String),
}

/// What a key press in this pane means for the rest of the app.
#[derive(Debug, PartialEq, Eq)]
pub enum ConnectionEvent {
    /// Environment, auth, client ID or secret changed: a new token is needed.
    CredentialsChanged,
    /// Legal entity or api-version changed.
    SettingsChanged,
    /// Open the legal-entity pick-list.
    PickEntity,
    Handled,
    Ignored,
}

#[derive(Debug)]
pub struct ConnectionPane {
    environment: Environment,
    /// Kept while another environment is selected, so cycling back restores it.
    custom_url: String,
    auth: AuthMethod,
    client_id: String,
    secret: Option<Secret>,
    secret_source: SecretSource,
    reveal_secret: bool,
    legal_entity: Option<String>,
    known_entities: Vec<LegalEntity>,
    api_version: ApiVersion,
    selected: Field,
    editing: Option<LineInput>,
    /// The environment before "Custom URL" was picked with no URL yet: `Esc` in the base URL's
    /// editor goes back to it.
    before_custom: Option<Environment>,
    /// Why the last edit was not taken (e.g. a bad URL).
    error: Option<String>,
}

impl Default for ConnectionPane {
    fn default() -> Self {
        Self {
            environment: Environment::Sandbox,
            custom_url: String::new(),
            auth: AuthMethod::default(),
            client_id: String::new(),
            secret: None,
            secret_source: SecretSource::None,
            reveal_secret: false,
            legal_entity: None,
            known_entities: Vec::new(),
            api_version: ApiVersion::default(),
            selected: Field::ClientId,
            editing: None,
            before_custom: None,
            error: None,
        }
    }
}

impl ConnectionPane {
    /// The connection the token manager should use, if the credentials are complete.
    pub fn connection(&self) -> Option<Connection> {
        let secret = self.secret.clone().filter(|s| !s.is_blank())?;
        if self.client_id.trim().is_empty() {
            return None;
        }
        Some(Connection {
            environment: self.environment.clone(),
            credentials: Credentials {
                method: self.auth,
                id: self.client_id.trim().to_string(),
                secret,
            },
            legacy_legal_entity: self.legal_entity.clone(),
        })
    }

    pub fn settings(&self) -> CallSettings {
        CallSettings {
            api_version: self.api_version,
            legal_entity: self.legal_entity.clone(),
        }
    }

    /// What is still missing before a token can be fetched.
    pub fn missing(&self) -> Option<String> {
        if self.client_id.trim().is_empty() {
            Some(format!("enter a {}", self.auth.id_label().to_lowercase()))
        } else if self.secret.as_ref().is_none_or(Secret::is_blank) {
            Some(match self.auth {
                AuthMethod::Legacy => "enter the password".into(),
                _ => "enter the secret (or set YOUNIUM_SECRET)".into(),
            })
        } else {
            None
        }
    }

    fn visible_fields(&self) -> Vec<Field> {
        FIELDS
            .into_iter()
            .filter(|f| *f != Field::BaseUrl || matches!(self.environment, Environment::Custom(_)))
            .collect()
    }

    /// Lines the pane needs inside its border.
    pub fn row_count(&self) -> u16 {
        self.visible_fields().len() as u16 + u16::from(self.error.is_some())
    }

    pub fn is_editing(&self) -> bool {
        self.editing.is_some()
    }

    /// Adds a legal entity to the pick-list unless it is there already (by name or GUID).
    pub fn remember_entity(&mut self, entity: LegalEntity) {
        let same = |k: &LegalEntity| {
            k.name.eq_ignore_ascii_case(&entity.name) || (k.id.is_some() && k.id == entity.id)
        };
        match self.known_entities.iter_mut().find(|k| same(k)) {
            Some(existing) => {
                if existing.id.is_none() {
                    existing.id = entity.id;
                }
                if !entity.roles.is_empty() {
                    existing.roles = entity.roles;
                }
            }
            None => self.known_entities.push(entity),
        }
    }

    /// A key: typed into the field being edited, else `command` (what the keymap says the
    /// key means here) acts on the fields.
    pub fn handle_key(&mut self, command: Option<Command>, key: KeyEvent) -> ConnectionEvent {
        if let Some(input) = &mut self.editing {
            return match input.handle(key) {
                InputOutcome::Submit(text) => {
                    self.editing = None;
                    self.commit(text)
                }
                InputOutcome::Cancel => {
                    // Every field keeps the value it had before the edit.
                    self.editing = None;
                    self.error = None;
                    if let Some(env) = self.before_custom.take() {
                        self.environment = env;
                        self.selected = Field::Environment;
                    }
                    ConnectionEvent::Handled
                }
                InputOutcome::Edited => ConnectionEvent::Handled,
            };
        }
        let fields = self.visible_fields();
        let index = fields.iter().position(|f| *f == self.selected).unwrap_or(0);
        match command {
            Some(Command::ScrollUp) => {
                self.selected = fields[index.saturating_sub(1)];
                ConnectionEvent::Handled
            }
            Some(Command::ScrollDown) => {
                self.selected = fields[(index + 1).min(fields.len() - 1)];
                ConnectionEvent::Handled
            }
            Some(Command::PreviousChoice) => self.cycle(-1),
            Some(Command::NextChoice) => self.cycle(1),
            Some(Command::Reveal) => {
                self.reveal_secret = !self.reveal_secret;
                ConnectionEvent::Handled
            }
            Some(Command::Edit) => self.activate(),
            Some(Command::ClearLegalEntity) if self.selected == Field::LegalEntity => {
                self.legal_entity = None;
                ConnectionEvent::SettingsChanged
            }
            _ => ConnectionEvent::Ignored,
        }
    }

    /// A key as the default keymap reads it in this pane (for the tests beside the pane).
    #[cfg(test)]
    fn press(&mut self, key: KeyEvent) -> ConnectionEvent {
        let keymap = crate::tui::keymap::Keymap::default();
        let command = keymap.command(crate::tui::keymap::Scope::Connection, &key);
        self.handle_key(command, key)
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(input) = &mut self.editing {
            input.paste(text);
        }
    }

    fn activate(&mut self) -> ConnectionEvent {
        self.error = None;
        let initial = match self.selected {
            Field::Environment | Field::Auth | Field::ApiVersion => return self.cycle(1),
            Field::LegalEntity => return ConnectionEvent::PickEntity,
            Field::BaseUrl => self.custom_url.clone(),
            Field::ClientId => self.client_id.clone(),
            // The secret is typed afresh; the old one is never put back into an editor.
            Field::Secret => String::new(),
        };
        self.editing = Some(LineInput::new(&initial, self.selected == Field::Secret));
        ConnectionEvent::Handled
    }

    /// After an exchange failed with `error` and no token before it: selects the field that
    /// most likely needs fixing, and opens its editor where typing is the next step (a
    /// rejected secret is typed again). Nothing for a failure a retry may mend.
    pub fn select_field_to_fix(&mut self, error: &AuthError) {
        use AuthError::*;
        let field = match error {
            Incomplete(_) if self.client_id.trim().is_empty() => Field::ClientId,
            Incomplete(_) | Rejected { .. } => Field::Secret,
            Redirected { .. } if matches!(self.environment, Environment::Custom(_)) => {
                Field::BaseUrl
            }
            Redirected { .. } => Field::Environment,
            Server { .. } | Malformed(_) | Transport(_) | TooLarge(_) => return,
        };
        self.edit_field(field);
    }

    /// Starts editing the legal entity as free text (from the pick-list's "type…" entry).
    pub fn edit_legal_entity(&mut self) {
        self.selected = Field::LegalEntity;
        self.editing = Some(LineInput::new(
            self.legal_entity.as_deref().unwrap_or(""),
            false,
        ));
    }

    /// Starts typing the secret (from the welcome screen or a prompt).
    pub fn edit_field(&mut self, field: Field) {
        self.selected = field;
        if !matches!(
            field,
            Field::Environment | Field::Auth | Field::ApiVersion | Field::LegalEntity
        ) {
            self.activate();
        }
    }

    fn commit(&mut self, text: String) -> ConnectionEvent {
        let trimmed = text.trim().to_string();
        match self.selected {
            Field::BaseUrl => match Environment::from_base_url(&trimmed) {
                Ok(env) => {
                    if let Environment::Custom(url) = &env {
                        self.custom_url = url.clone();
                    }
                    self.environment = env;
                    self.before_custom = None;
                    self.error = None;
                    ConnectionEvent::CredentialsChanged
                }
                Err(e) => {
                    // Still editing, with what was typed: fix it, or Esc for the value before.
                    self.error = Some(e.to_string());
                    self.editing = Some(LineInput::new(&text, false));
                    ConnectionEvent::Handled
                }
            },
            Field::ClientId => {
                let changed = trimmed != self.client_id;
                self.client_id = trimmed;
                // The secret is the obvious next thing to type: its editor opens, so what is
                // typed goes into it, not to the keys of the pane.
                if !self.client_id.is_empty() && self.secret.as_ref().is_none_or(Secret::is_blank) {
                    self.edit_field(Field::Secret);
                }
                if changed {
                    ConnectionEvent::CredentialsChanged
                } else {
                    ConnectionEvent::Handled
                }
            }
            Field::Secret => {
                if text.trim().is_empty() {
                    return ConnectionEvent::Handled;
                }
                self.secret = Some(Secret::new(text));
                self.secret_source = SecretSource::Typed;
                ConnectionEvent::CredentialsChanged
            }
            Field::LegalEntity => {
                self.legal_entity = Some(trimmed).filter(|s| !s.is_empty());
                ConnectionEvent::SettingsChanged
            }
            Field::Environment | Field::Auth | Field::ApiVersion => ConnectionEvent::Handled,
        }
    }

    fn cycle(&mut self, step: isize) -> ConnectionEvent {
        fn next<T: Clone + PartialEq>(all: &[T], current: &T, step: isize) -> T {
            let i = all.iter().position(|x| x == current).unwrap_or(0) as isize;
            all[(i + step).rem_euclid(all.len() as isize) as usize].clone()
        }
        match self.selected {
            Field::Environment => {
                let mut all: Vec<Environment> = Environment::NAMED.to_vec();
                let custom = Environment::Custom(self.custom_url.clone());
                all.push(custom.clone());
                let current = match &self.environment {
                    Environment::Custom(_) => custom,
                    other => other.clone(),
                };
                let before = std::mem::replace(&mut self.environment, next(&all, &current, step));
                if matches!(self.environment, Environment::Custom(_)) && self.custom_url.is_empty()
                {
                    // The URL is typed next: a suggestion, selected so typing replaces it.
                    self.before_custom = Some(before);
                    self.selected = Field::BaseUrl;
                    self.editing = Some(LineInput::suggested("http://127.0.0.1:8080"));
                    return ConnectionEvent::Handled;
                }
                ConnectionEvent::CredentialsChanged
            }
            Field::Auth => {
                self.auth = next(&AuthMethod::ALL, &self.auth, step);
                ConnectionEvent::CredentialsChanged
            }
            Field::ApiVersion => {
                self.api_version = next(&ApiVersion::ALL, &self.api_version, step);
                ConnectionEvent::SettingsChanged
            }
            _ => ConnectionEvent::Ignored,
        }
    }

    fn value_spans(&self, field: Field, theme: &Theme) -> Vec<Span<'static>> {
        let arrows = |s: String| vec![Span::raw("◂ "), Span::raw(s), Span::raw(" ▸")];
        match field {
            Field::Environment => {
                let label = match &self.environment {
                    Environment::Custom(_) => "Custom URL".to_string(),
                    env => env.label(),
                };
                let mut spans = arrows(label);
                if self.environment.is_production() {
                    spans[1] = spans[1].clone().style(theme.production());
                }
                spans
            }
            Field::BaseUrl => vec![Span::raw(self.environment.base_url().to_string())],
            Field::Auth => arrows(self.auth.label().to_string()),
            Field::ClientId if self.client_id.is_empty() => {
                vec![Span::styled("(not set)", theme.dim())]
            }
            Field::ClientId => vec![Span::raw(self.client_id.clone())],
            Field::Secret => {
                let source = match &self.secret_source {
                    SecretSource::None | SecretSource::Typed => String::new(),
                    SecretSource::EnvVar => "  (env YOUNIUM_SECRET)".into(),
                    SecretSource::Demo => "  (demo)".into(),
                    SecretSource::Profile(from) => format!("  ({from})"),
                };
                let shown = match &self.secret {
                    None => return vec![Span::styled("(not set)", theme.dim())],
                    Some(s) if self.reveal_secret => s.expose().to_string(),
                    Some(_) => "••••••••".to_string(),
                };
                vec![Span::raw(shown), Span::styled(source, theme.dim())]
            }
            Field::LegalEntity => match &self.legal_entity {
                None => vec![Span::styled("none (no header)", theme.dim())],
                Some(le) => {
                    let mut spans = vec![Span::raw(le.clone())];
                    let known = self.known_entities.iter().find(|k| k.matches(le));
                    if let Some(k) = known {
                        let other = if k.name.eq_ignore_ascii_case(le.trim()) {
                            k.id.clone()
                        } else {
                            Some(k.name.clone())
                        };
                        if let Some(other) = other {
                            spans.push(Span::styled(format!("  {other}"), theme.dim()));
                        }
                    }
                    spans
                }
            },
            Field::ApiVersion => arrows(self.api_version.to_string()),
        }
    }

    pub fn render(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        block: Block<'_>,
        focused: bool,
        theme: &Theme,
    ) {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let mut lines = Vec::new();
        let mut edit_row = None;
        for field in self.visible_fields() {
            let label = match field {
                Field::Environment => "Environment",
                Field::BaseUrl => "Base URL",
                Field::Auth => "Auth",
                Field::ClientId => self.auth.id_label(),
                Field::Secret if self.auth == AuthMethod::Legacy => "Password",
                Field::Secret => "Secret",
                Field::LegalEntity => "Legal entity",
                Field::ApiVersion => "api-version",
            };
            let selected = focused && field == self.selected;
            let mut spans = vec![
                Span::styled(
                    format!("{label:<13}"),
                    if selected {
                        theme.selected()
                    } else {
                        theme.label()
                    },
                ),
                Span::raw(" "),
            ];
            if selected && self.editing.is_some() {
                edit_row = Some(lines.len());
            } else {
                spans.extend(self.value_spans(field, theme));
            }
            lines.push(Line::from(spans));
        }
        if let Some(error) = &self.error {
            lines.push(Line::styled(error.clone(), theme.error_text()));
        }
        frame.render_widget(Paragraph::new(lines), inner);
        if let (Some(row), Some(input)) = (edit_row, &self.editing) {
            let rect = Rect {
                x: inner.x + 14,
                y: inner.y + row as u16,
                width: inner.width.saturating_sub(14),
                height: 1,
            };
            input.render(frame, rect, theme);
        }
    }
}

#[cfg(test)]
mod tests;
