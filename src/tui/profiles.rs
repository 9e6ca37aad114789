//! Profiles in the UI: the picker (`P`), loading one (its secret read from its source off the
//! UI thread), saving what the user changes back to the file, and storing a typed secret in
//! the OS keyring (`S` in the connection pane).

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::app::{App, Confirm, Effect, Focus, OnYes, Overlay};
use super::keymap::{Command, Scope};
use super::panes::connection::{Field, SecretSource};
use super::panes::overlays::render_text_box;
use super::theme::Theme;
use super::view::box_hint;
use crate::cli::ConnectionArgs;
use crate::config::{ConfigFile, ConnectionDefaults, Loaded, Profile, ProfileUpdate};
use crate::settings::{self, EnvVars, Inputs, SecretPlan, Settings};
use crate::younium::template::Origin;
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
    pub(crate) fn load_profile(&mut self, name: &str, effects: &mut Vec<Effect>) {
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

    /// Takes the config file as loaded: where it is (saved requests and profiles go there),
    /// what it holds, and the keymap its `[keys]` asks for.
    pub fn use_config(&mut self, loaded: Loaded) {
        self.config_path = loaded.path;
        self.config = loaded.file;
        if let Some(file) = &self.config {
            let (keymap, problems) = super::keymap::keymap_from_config(file);
            self.keymap = keymap;
            if !problems.is_empty() {
                for p in &problems {
                    tracing::warn!(%p, "key binding ignored");
                }
                let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
                self.status = Some(format!("key bindings kept as default: {}", list.join("; ")));
            }
        }
    }

    /// What keeps the config file from being used (the loader's error, or the profile's):
    /// nothing is saved into it, and the Connection pane and the welcome screen say why.
    pub fn config_unusable(&mut self, error: &crate::config::ConfigError) {
        self.config_error = Some(error.to_string());
        self.connection
            .say_error(format!("config ignored: {error}"));
        self.welcome_error = Some(format!("The config file was not used: {error}"));
    }

    /// Shows resolved settings in the connection and token panes and, for a profile, starts
    /// getting its secret: from `YOUNIUM_SECRET`, from its source (read off the UI thread), or
    /// typed. Connecting with a secret already at hand is left to the caller.
    pub fn use_settings(&mut self, settings: &Settings, effects: &mut Vec<Effect>) {
        self.connection.show_settings(settings);
        self.token.set_options(settings.manager);
        self.all_pages = settings.all_pages;
        // What this session set (captures, values typed) stays; the files' values are the
        // new profile's, and a flow's [vars] are worked out again when it is next used.
        let session: Vec<(String, String, Origin)> = self
            .vars
            .iter()
            .filter(|(_, _, origin)| matches!(origin, Origin::Session(_)))
            .map(|(n, v, o)| (n.to_string(), v.to_string(), o.clone()))
            .collect();
        self.vars = settings.vars.clone();
        for (name, value, origin) in session {
            self.vars.set(origin, &name, &value);
        }
        self.forget_flow_vars();
        self.profile = settings.profile.clone();
        self.discovery_note = None;
        // What the profile has from here on: only legal entities found later are written.
        self.saved_entities = self
            .profile
            .is_some()
            .then(|| self.connection.known_entities().to_vec());
        self.refresh_saved_requests();
        match (&settings.secret, &self.profile, &self.config) {
            (SecretPlan::Given(secret), _, _) => {
                self.connection
                    .use_secret(secret.clone(), SecretSource::EnvVar);
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
                self.connection
                    .use_secret(secret, SecretSource::Profile(source));
                effects.push(Effect::Connect(self.connection.connection()));
            }
            Ok(None) => self.ask_for_secret(),
            Err(e) => {
                self.connection.say_error(format!("profile {profile}: {e}"));
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

    /// The session's connection, as `W` saves it as the profile's default.
    pub fn connection_defaults(&self) -> ConnectionDefaults {
        ConnectionDefaults {
            environment: self.connection.environment().clone(),
            legal_entity: self.connection.legal_entity().map(str::to_string),
            api_version: self.connection.api_version(),
        }
    }

    /// Saves the legal entities found to the active profile when they changed since the last
    /// save. The connection (environment, legal entity, api-version) is the session's: it is
    /// written only when the user asks (`W`).
    pub(crate) fn autosave(&mut self, effects: &mut Vec<Effect>) {
        let (Some(name), Some(file)) = (&self.profile, &self.config) else {
            return;
        };
        let found = self.connection.known_entities();
        if self.saved_entities.as_deref() == Some(found) {
            return;
        }
        self.saved_entities = Some(found.to_vec());
        effects.push(Effect::SaveProfile {
            file: file.clone(),
            name: name.clone(),
            update: ProfileUpdate {
                connection: None,
                known_entities: found.to_vec(),
            },
        });
    }

    /// `W`: asks whether to save the session's connection as the active profile's default,
    /// naming what changes in the file.
    pub(crate) fn ask_save_connection(&mut self) -> Option<Overlay> {
        let (Some(name), Some(file)) = (&self.profile, &self.config) else {
            self.status = Some(
                "no profile in use: the connection is this session's (pick a profile with P)"
                    .into(),
            );
            return None;
        };
        let now = self.connection_defaults();
        let mut lines = vec![format!(
            "Make this session's connection profile {name}'s default:"
        )];
        let before = file.config.profiles.get(name).map(profile_connection_text);
        for (i, (key, value)) in connection_text(&now).iter().enumerate() {
            let old = before.as_ref().and_then(|b| b.get(i));
            let value = crate::sanitize::one_line(value);
            lines.push(match old {
                Some((k, old)) if k == key && old == &value => {
                    format!("  {key} = {value}  (as it is)")
                }
                Some((k, old)) if k == key => {
                    format!(
                        "  {key} = {value}  (was {})",
                        crate::sanitize::one_line(old)
                    )
                }
                Some((k, old)) => format!(
                    "  {key} = {value}  (was {k} = {})",
                    crate::sanitize::one_line(old)
                ),
                None => format!("  {key} = {value}"),
            });
        }
        lines.push(format!("in {}. Save?", file.path.display()));
        Some(Overlay::Confirm(Confirm {
            title: format!("Save as profile {name}'s default"),
            lines,
            danger: false,
            on_yes: OnYes::SaveConnection,
        }))
    }

    /// The user said yes to [`App::ask_save_connection`].
    pub(crate) fn save_connection(&mut self, effects: &mut Vec<Effect>) {
        let (Some(name), Some(file)) = (&self.profile, &self.config) else {
            return;
        };
        self.saved_entities = Some(self.connection.known_entities().to_vec());
        effects.push(Effect::SaveProfile {
            file: file.clone(),
            name: name.clone(),
            update: ProfileUpdate {
                connection: Some(self.connection_defaults()),
                known_entities: self.connection.known_entities().to_vec(),
            },
        });
    }

    /// After `L` (or a fix) changed the legal entity: says it is this session's, and how to
    /// make it the profile's default.
    pub(crate) fn note_session_change(&mut self) {
        let entity = self.connection.legal_entity().unwrap_or("none");
        let entity = crate::sanitize::one_line(entity).into_owned();
        self.status = Some(match &self.profile {
            Some(name) => {
                let key = self.keymap.hint_in(Scope::Global, Command::SaveConnection);
                format!(
                    "legal entity {entity} for this session ({key}: make it profile {name}'s default)"
                )
            }
            None => format!("legal entity {entity} for this session"),
        });
    }

    /// `S` in the connection pane: keep the typed secret in the OS keyring.
    pub(crate) fn store_secret(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        let Some(secret) = self.connection.secret().cloned() else {
            self.status = Some("no secret to store: type it first".into());
            return None;
        };
        let owner = self
            .profile
            .clone()
            .unwrap_or_else(|| self.connection.environment().key().to_string());
        let account = format!("{owner}:{}", self.connection.client_id().trim());
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

/// The connection keys as `W` writes them, in the file's words.
fn connection_text(c: &ConnectionDefaults) -> Vec<(&'static str, String)> {
    let place = match &c.environment {
        Environment::Custom(url) => ("base_url", url.clone()),
        env => ("environment", env.key().to_string()),
    };
    vec![
        place,
        (
            "legal_entity",
            c.legal_entity
                .clone()
                .unwrap_or_else(|| "none (no header)".into()),
        ),
        ("api_version", c.api_version.to_string()),
    ]
}

/// A profile's connection keys as the file has them, in the order of [`connection_text`].
fn profile_connection_text(p: &Profile) -> Vec<(&'static str, String)> {
    let place = match (&p.base_url, &p.environment) {
        (Some(url), _) => ("base_url", url.clone()),
        (None, Some(env)) => ("environment", env.clone()),
        (None, None) => ("environment", "not set".into()),
    };
    vec![
        place,
        (
            "legal_entity",
            p.legal_entity
                .clone()
                .unwrap_or_else(|| "none (no header)".into()),
        ),
        (
            "api_version",
            p.api_version
                .map_or_else(|| "not set".into(), |v| v.to_string()),
        ),
    ]
}
