//! Profiles in the UI: the picker (`P`), loading one (its secret read from its source off the
//! UI thread), saving what the user changes back to the file, and storing a typed secret in
//! the OS keyring (`S` in the connection pane).

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::app::{App, Effect, Focus, Overlay};
use super::keymap::Command;
use super::panes::connection::{Field, LegalEntity, SecretSource};
use super::panes::overlays::render_text_box;
use super::theme::Theme;
use super::view::box_hint;
use crate::cli::ConnectionArgs;
use crate::config::{ConfigFile, Loaded, ProfileUpdate};
use crate::settings::{self, EnvVars, Inputs, SecretPlan, Settings};
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

    /// Switches to a profile (`P`): resolves it with the same [`settings::resolve`] as the
    /// start, reconfigures the HTTP client and the token manager with its limits and renewal
    /// margin, and starts getting its token. The command line's flags and `YOUNIUM_SECRET`
    /// described the connection the app started with, so they do not carry over: a profile
    /// picked here is used as the file says.
    pub fn load_profile(&mut self, name: &str, effects: &mut Vec<Effect>) {
        let Some(file) = self.config.clone() else {
            return;
        };
        let loaded = Loaded::from(file);
        let resolved = settings::resolve(&Inputs {
            config: &loaded,
            profile: Some(name),
            flags: &ConnectionArgs::default(),
            env: &EnvVars::default(),
        });
        match resolved {
            Ok(settings) => {
                effects.push(Effect::Configure {
                    http: settings.http,
                    manager: settings.manager,
                });
                // The previous profile's token must not be used for this one.
                effects.push(Effect::Connect(None));
                self.use_settings(&settings, effects);
            }
            Err(e) => self.status = Some(format!("not switched: {e}")),
        }
    }

    /// Shows resolved settings in the connection and token panes and, for a profile, starts
    /// getting its secret: from `YOUNIUM_SECRET`, from its source (read off the UI thread), or
    /// typed. Connecting with a secret already at hand is left to the caller.
    pub fn use_settings(&mut self, settings: &Settings, effects: &mut Vec<Effect>) {
        let c = &mut self.connection;
        if let Environment::Custom(url) = &settings.environment {
            c.custom_url = url.clone();
        }
        c.environment = settings.environment.clone();
        c.auth = settings.auth;
        c.client_id = settings.client_id.clone().unwrap_or_default();
        c.legal_entity = settings.legal_entity.clone();
        c.known_entities = settings.known_entities.clone();
        if let Some(name) = &settings.legal_entity {
            c.remember_entity(LegalEntity {
                name: name.clone(),
                ..Default::default()
            });
        }
        c.api_version = settings.api_version;
        c.secret = None;
        c.secret_source = SecretSource::None;
        c.error = None;
        self.token.options = settings.manager;
        self.all_pages = settings.all_pages;
        self.profile = settings.profile.clone();
        self.discovery_note = None;
        // What the profile is saved with from here on: only later changes are written.
        self.saved = self.profile.is_some().then(|| self.profile_update());
        self.refresh_saved_requests();
        match (&settings.secret, &self.profile, &self.config) {
            (SecretPlan::Given(secret), _, _) => {
                self.connection.secret = Some(secret.clone());
                self.connection.secret_source = SecretSource::EnvVar;
            }
            (SecretPlan::Profile(source), Some(profile), Some(file)) => {
                effects.push(Effect::ResolveSecret {
                    profile: profile.clone(),
                    source: source.clone(),
                    file: file.clone(),
                })
            }
            (_, Some(_), _) => self.ask_for_secret(),
            (_, None, _) => {}
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
            Err(e) => e.to_string(),
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
