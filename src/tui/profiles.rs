//! Profiles in the UI: the picker (`P`), loading one (its secret read from its source off the
//! UI thread), saving what the user changes back to the file, and storing a typed secret in
//! the OS keyring (`S` in the connection pane).

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::app::{App, Effect, Focus, Overlay};
use super::keymap::Command;
use super::panes::connection::{Field, SecretSource};
use super::panes::overlays::render_text_box;
use super::theme::Theme;
use super::view::box_hint;
use crate::config::{ConfigFile, ProfileUpdate};
use crate::younium::{Environment, Secret};

impl App {
    pub(crate) fn open_profile_picker(&mut self) -> Option<Overlay> {
        match (&self.config, &self.config_error) {
            (Some(file), _) if !file.config.profiles.is_empty() => {
                let selected = self
                    .profile
                    .as_ref()
                    .and_then(|p| file.profile_names().iter().position(|n| n == p))
                    .unwrap_or(0);
                return Some(Overlay::ProfilePicker { selected });
            }
            (_, Some(error)) => {
                self.status = Some(format!(
                    "no profiles: the config file has an error: {error}"
                ))
            }
            _ => {
                let path = crate::config::choose_path(None)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                self.status = Some(format!(
                    "no profiles yet: add [profiles.NAME] sections to {path} (see the README)"
                ));
            }
        }
        None
    }

    pub(crate) fn profile_picker_command(
        &mut self,
        selected: usize,
        command: Option<Command>,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let names = self
            .config
            .as_ref()
            .map(ConfigFile::profile_names)
            .unwrap_or_default();
        match command {
            Some(Command::Close) => None,
            Some(Command::ScrollUp) => Some(Overlay::ProfilePicker {
                selected: selected.saturating_sub(1),
            }),
            Some(Command::ScrollDown) => Some(Overlay::ProfilePicker {
                selected: (selected + 1).min(names.len().saturating_sub(1)),
            }),
            Some(Command::Choose) => {
                if let Some(name) = names.get(selected) {
                    self.load_profile(name, effects);
                }
                None
            }
            _ => Some(Overlay::ProfilePicker { selected }),
        }
    }

    /// Puts a profile into the connection pane and starts getting its token.
    pub fn load_profile(&mut self, name: &str, effects: &mut Vec<Effect>) {
        let Some(file) = self.config.clone() else {
            return;
        };
        let Some(profile) = file.config.profiles.get(name) else {
            return;
        };
        let c = &mut self.connection;
        match profile.environment() {
            Ok(Some(env)) => {
                if let Environment::Custom(url) = &env {
                    c.custom_url = url.clone();
                }
                c.environment = env;
            }
            Ok(None) => {}
            Err(e) => self.status = Some(format!("profile {name}: {e}")),
        }
        c.auth = profile.auth.unwrap_or_default();
        c.client_id = profile.id().unwrap_or_default().to_string();
        c.legal_entity = profile.legal_entity.clone();
        c.known_entities = profile.known_entities();
        c.api_version = profile.api_version.unwrap_or_default();
        c.secret = None;
        c.secret_source = SecretSource::None;
        c.error = None;
        if let Some(margin) = profile.renew_margin_seconds {
            self.token.options.renew_margin = std::time::Duration::from_secs(margin);
        }
        self.profile = Some(name.to_string());
        self.discovery_note = None;
        self.saved = Some(self.profile_update());
        // The previous profile's token must not be used for this one.
        effects.push(Effect::Connect(None));
        match &profile.secret {
            Some(source) => effects.push(Effect::ResolveSecret {
                profile: name.to_string(),
                source: source.clone(),
                file,
            }),
            None => self.ask_for_secret(),
        }
    }

    fn ask_for_secret(&mut self) {
        self.focus = Focus::Connection;
        self.connection.edit_field(Field::Secret);
    }

    pub(crate) fn on_secret_resolved(
        &mut self,
        profile: String,
        result: Result<Option<Secret>, String>,
        effects: &mut Vec<Effect>,
    ) {
        if self.profile.as_deref() != Some(profile.as_str()) {
            return;
        }
        let source = self
            .config
            .as_ref()
            .and_then(|f| f.config.profiles.get(&profile))
            .and_then(|p| p.secret.as_ref())
            .map(|s| s.describe())
            .unwrap_or_default();
        match result {
            Ok(Some(secret)) => {
                self.connection.secret = Some(secret);
                self.connection.secret_source = SecretSource::Profile(source);
                effects.push(Effect::Connect(self.connection.connection()));
            }
            Ok(None) => self.ask_for_secret(),
            Err(e) => {
                self.connection.error = Some(format!("profile {profile}: {e}"));
                self.ask_for_secret();
            }
        }
    }

    pub(crate) fn on_profile_saved(&mut self, result: Result<ConfigFile, String>) {
        match result {
            Ok(file) => {
                self.status = Some(format!("saved to {}", file.path.display()));
                self.config = Some(file);
            }
            Err(e) => self.status = Some(e),
        }
    }

    /// The values a profile keeps that the UI can change.
    pub fn profile_update(&self) -> ProfileUpdate {
        ProfileUpdate {
            environment: self.connection.environment.clone(),
            legal_entity: self.connection.legal_entity.clone(),
            api_version: self.connection.api_version,
            known_entities: self.connection.known_entities.clone(),
        }
    }

    /// Saves the active profile when something it keeps has changed since the last save.
    pub(crate) fn autosave(&mut self, effects: &mut Vec<Effect>) {
        let (Some(name), Some(file)) = (&self.profile, &self.config) else {
            return;
        };
        let update = self.profile_update();
        if self.saved.as_ref() == Some(&update) {
            return;
        }
        self.saved = Some(update.clone());
        effects.push(Effect::SaveProfile {
            file: file.clone(),
            name: name.clone(),
            update,
        });
    }

    /// `S` in the connection pane: keep the typed secret in the OS keyring.
    pub(crate) fn store_secret(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        let Some(secret) = self.connection.secret.clone() else {
            self.status = Some("no secret to store: type it first".into());
            return None;
        };
        let owner = self
            .profile
            .clone()
            .unwrap_or_else(|| self.connection.environment.key().to_string());
        let account = format!("{owner}:{}", self.connection.client_id.trim());
        let profile = self
            .profile
            .clone()
            .and_then(|name| self.config.clone().map(|f| (f, name)));
        effects.push(Effect::StoreSecret {
            account,
            secret,
            profile,
        });
        None
    }
}

pub fn render_picker(frame: &mut Frame<'_>, app: &App, selected: usize, theme: &Theme) {
    let Some(file) = &app.config else { return };
    let mut lines = vec![
        Line::styled(format!("Profiles in {}", file.path.display()), theme.dim()),
        Line::raw(""),
    ];
    for (i, (name, p)) in file.config.profiles.iter().enumerate() {
        let env = match p.environment() {
            Ok(Some(e)) => e.label(),
            Ok(None) => "sandbox (default)".into(),
            Err(e) => e,
        };
        let active = app.profile.as_deref() == Some(name.as_str());
        let line = Line::from(vec![
            Span::raw(if active { "● " } else { "  " }),
            Span::styled(format!("{name:<16}"), theme.title()),
            Span::styled(
                format!("{env:<28}"),
                if env.starts_with("Production") {
                    theme.production()
                } else {
                    theme.text()
                },
            ),
            Span::raw(format!(
                "  {:<14}",
                p.id()
                    .map(|i| i.chars().take(12).collect::<String>())
                    .unwrap_or_else(|| "-".into())
            )),
            Span::styled(
                format!(
                    "  secret: {}",
                    p.secret
                        .as_ref()
                        .map(|s| s.describe())
                        .unwrap_or_else(|| "typed".into())
                ),
                theme.dim(),
            ),
        ]);
        lines.push(if i == selected {
            line.style(theme.selected())
        } else {
            line
        });
    }
    let hint = box_hint(
        &app.keymap,
        &[(&[Command::Choose], "switch"), (&[Command::Close], "close")],
    );
    render_text_box(frame, "Profiles", lines, 0, &hint, theme);
}
