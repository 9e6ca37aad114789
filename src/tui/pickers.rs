//! Keys while an overlay is open, and opening the simple ones: the welcome screen, the demo,
//! the legal-entity pick-list (fed by discovery), the JWT and help boxes, questions. Each
//! handler takes the overlay by value and returns the overlay to show next (`None`: closed);
//! `App::on_key` stores it, so nothing else writes `App::overlay`.

use crossterm::event::{KeyCode, KeyEvent};

use super::app::{App, Effect, Focus, OnYes, Overlay, Screen};
use super::panes::connection::{Field, SecretSource};
use super::panes::overlays::entity_choices;
use crate::younium::doctor::{Discovery, DiscoverySource};

impl App {
    pub(crate) fn welcome_key(&mut self, key: KeyEvent, effects: &mut Vec<Effect>) {
        match key.code {
            KeyCode::Char('d') if !self.demo_starting => {
                self.demo_starting = true;
                self.welcome_error = None;
                effects.push(Effect::StartDemo);
            }
            KeyCode::Char('c') => {
                self.screen = Screen::Main;
                self.focus = Focus::Connection;
                self.connection.edit_field(Field::ClientId);
            }
            KeyCode::Char('q') | KeyCode::Esc => self.quit = true,
            _ => {}
        }
    }

    pub(crate) fn on_demo(
        &mut self,
        result: Result<super::app::DemoInfo, String>,
        effects: &mut Vec<Effect>,
    ) {
        self.demo_starting = false;
        match result {
            Ok(info) => {
                let c = &mut self.connection;
                c.environment = crate::younium::Environment::Custom(info.base_url.clone());
                c.custom_url = info.base_url.clone();
                c.auth = crate::younium::AuthMethod::ApiTokenV1;
                c.client_id = info.client_id.clone();
                c.secret = Some(info.secret.clone());
                c.secret_source = SecretSource::Demo;
                c.legal_entity = info.entities.first().map(|e| e.name.clone());
                for e in &info.entities {
                    c.remember_entity(e.clone());
                }
                self.demo = Some(info);
                self.screen = Screen::Main;
                self.focus = Focus::Catalog;
                effects.push(Effect::Connect(self.connection.connection()));
            }
            Err(e) => self.welcome_error = Some(format!("The simulator did not start: {e}")),
        }
    }

    pub(crate) fn open_entity_picker(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        if self.discovery_note.is_none() && self.token.state.token().is_some() {
            self.discover(effects);
        }
        let known = &self.connection.known_entities;
        let selected = match self.connection.legal_entity.as_deref() {
            None => 0,
            Some(le) => known
                .iter()
                .position(|k| k.matches(le))
                .map_or(entity_choices(known) - 1, |i| i + 1),
        };
        Some(Overlay::EntityPicker { selected })
    }

    /// Asks the event loop to list the legal entities (the pick-list shows progress).
    pub(crate) fn discover(&mut self, effects: &mut Vec<Effect>) {
        self.discovery_note = Some("Listing legal entities from GET /Users…".into());
        effects.push(Effect::Discover {
            environment: self.connection.environment.clone(),
            legal_entity: self.connection.legal_entity.clone(),
            fallback: self.connection.known_entities.clone(),
        });
    }

    /// Adds what discovery found to the pick-list and notes where it came from.
    pub(crate) fn on_discovered(&mut self, discovery: &Discovery) {
        for e in &discovery.entities {
            self.connection.remember_entity(e.clone());
        }
        self.discovery_note = Some(match &discovery.source {
            DiscoverySource::Users { users, .. } => format!(
                "{} legal entities from GET /Users ({users} users). d lists them again.",
                discovery.entities.len()
            ),
            DiscoverySource::Fallback { reason } => {
                format!("{reason}. Showing the ones typed or used before.")
            }
        });
    }

    pub(crate) fn open_jwt(&self) -> Option<Overlay> {
        self.token
            .state
            .token()
            .is_some()
            .then_some(Overlay::Jwt { scroll: 0 })
    }

    /// A key while `overlay` is open; returns the overlay to show next.
    pub(crate) fn overlay_key(
        &mut self,
        overlay: Overlay,
        key: KeyEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let close = matches!(key.code, KeyCode::Esc | KeyCode::Char('q'));
        match overlay {
            Overlay::Help { .. } | Overlay::Jwt { .. }
                if close || key.code == KeyCode::Char('?') =>
            {
                None
            }
            Overlay::Help { scroll } => Some(Overlay::Help {
                scroll: scroll_key(scroll, key),
            }),
            Overlay::Jwt { scroll } => Some(Overlay::Jwt {
                scroll: scroll_key(scroll, key),
            }),
            Overlay::EntityPicker { selected } => self.picker_key(selected, key, effects),
            Overlay::Diagnosis(view) => self.diagnosis_key(view, key, effects),
            Overlay::ProfilePicker { selected } => self.profile_picker_key(selected, key, effects),
            Overlay::SaveBody(input) => self.save_body_key(input, key, effects),
            Overlay::Confirm(confirm) => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => match confirm.on_yes {
                    OnYes::Send { request, checks } => self.send(*request, None, checks, effects),
                    OnYes::Quit => {
                        self.quit = true;
                        None
                    }
                    OnYes::Diagnose => {
                        self.production_probes_ok = true;
                        self.start_diagnosis(true, effects)
                    }
                },
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => None,
                _ => Some(Overlay::Confirm(confirm)),
            },
        }
    }

    fn picker_key(
        &mut self,
        selected: usize,
        key: KeyEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let count = entity_choices(&self.connection.known_entities);
        match key.code {
            KeyCode::Char('d') => {
                self.discover(effects);
                Some(Overlay::EntityPicker { selected })
            }
            KeyCode::Esc | KeyCode::Char('q') => None,
            KeyCode::Up | KeyCode::Char('k') => Some(Overlay::EntityPicker {
                selected: selected.saturating_sub(1),
            }),
            KeyCode::Down | KeyCode::Char('j') => Some(Overlay::EntityPicker {
                selected: (selected + 1).min(count - 1),
            }),
            KeyCode::Enter => {
                if selected == 0 {
                    self.connection.legal_entity = None;
                } else if selected == count - 1 {
                    self.focus = Focus::Connection;
                    self.connection.edit_legal_entity();
                } else {
                    self.connection.legal_entity =
                        Some(self.connection.known_entities[selected - 1].name.clone());
                }
                self.settings_changed(effects);
                None
            }
            _ => Some(Overlay::EntityPicker { selected }),
        }
    }
}

pub(crate) fn scroll_key(scroll: usize, key: KeyEvent) -> usize {
    match key.code {
        KeyCode::Down | KeyCode::Char('j') => scroll + 1,
        KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
        KeyCode::PageDown | KeyCode::Char(' ') => scroll + 10,
        KeyCode::PageUp => scroll.saturating_sub(10),
        KeyCode::Home | KeyCode::Char('g') => 0,
        _ => scroll,
    }
}
