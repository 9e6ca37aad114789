//! Keys while an overlay is open, and opening the simple ones: the welcome screen, the demo,
//! the legal-entity pick-list (fed by discovery), the JWT and help boxes, questions. Each
//! handler takes the overlay by value and returns the overlay to show next (`None`: closed);
//! `App::on_key` stores it, so nothing else writes `App::overlay`.

use crossterm::event::KeyEvent;

use super::app::{App, Effect, Focus, OnYes, Overlay, Screen};
use super::keymap::{Command, Scope};
use super::panes::connection::Field;
use super::panes::overlays::entity_choices;
use crate::younium::doctor::{Discovery, DiscoverySource};

impl App {
    /// A key on the welcome screen, as the keymap reads it there.
    pub(crate) fn welcome_command(&mut self, command: Option<Command>, effects: &mut Vec<Effect>) {
        match command {
            Some(Command::StartDemo) if !self.demo_starting => {
                self.demo_starting = true;
                self.welcome_error = None;
                effects.push(Effect::StartDemo);
            }
            Some(Command::Configure) => {
                self.screen = Screen::Main;
                self.focus = Focus::Connection;
                self.connection.edit_field(Field::ClientId);
            }
            Some(Command::Quit) => self.quit = true,
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
                self.connection.use_demo(
                    &info.base_url,
                    &info.client_id,
                    info.secret.clone(),
                    &info.entities,
                );
                self.demo = Some(info);
                self.screen = Screen::Main;
                self.focus = Focus::Catalog;
                effects.push(Effect::Connect(self.connection.connection()));
            }
            Err(e) => self.welcome_error = Some(format!("The simulator did not start: {e}")),
        }
    }

    pub(crate) fn open_entity_picker(&mut self, effects: &mut Vec<Effect>) -> Option<Overlay> {
        if self.discovery_note.is_none() && self.token.state().token().is_some() {
            self.discover(effects);
        }
        let known = self.connection.known_entities();
        let selected = match self.connection.legal_entity() {
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
            environment: self.connection.environment().clone(),
            legal_entity: self.connection.legal_entity().map(str::to_string),
            fallback: self.connection.known_entities().to_vec(),
        });
    }

    /// Adds what discovery found to the pick-list and notes where it came from.
    pub(crate) fn on_discovered(&mut self, discovery: &Discovery) {
        for e in &discovery.entities {
            self.connection.remember_entity(e.clone());
        }
        self.discovery_note = Some(match &discovery.source {
            DiscoverySource::Users { users, .. } => format!(
                "{} legal entities from GET /Users ({users} users). {} lists them again.",
                discovery.entities.len(),
                self.keymap.hint_in(Scope::Overlay, Command::Discover)
            ),
            DiscoverySource::Fallback { reason } => {
                format!("{reason}. Showing the ones typed or used before.")
            }
        });
    }

    pub(crate) fn open_jwt(&self) -> Option<Overlay> {
        self.token
            .state()
            .token()
            .is_some()
            .then_some(Overlay::Jwt { scroll: 0 })
    }

    /// A key while `overlay` is open; returns the overlay to show next. The file-name box
    /// edits with the raw key; the others act on the command the keymap reads in their scope.
    pub(crate) fn overlay_key(
        &mut self,
        overlay: Overlay,
        key: KeyEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let scope = match overlay {
            Overlay::Confirm(_) => Scope::Confirm,
            _ => Scope::Overlay,
        };
        let command = self.keymap.command(scope, &key);
        match overlay {
            Overlay::SaveBody(input) => self.save_body_key(input, key, effects),
            Overlay::SaveAs { selected } => self.save_as_command(selected, command),
            Overlay::SaveRecords { input, format } => {
                self.save_records_key(input, format, key, effects)
            }
            Overlay::History(browser) => self.history_key(browser, key, effects),
            Overlay::Compare(comparison) => self.compare_key(comparison, key),
            Overlay::SaveRequest(input) => self.save_request_key(input, key, effects),
            Overlay::FieldList(list) => self.field_list_key(list, key, command),
            Overlay::Vars(shown) => self.vars_key(shown, key, effects),
            Overlay::Capture(capture) => self.capture_key(capture, key),
            Overlay::Help { .. } | Overlay::Jwt { .. }
                if matches!(command, Some(Command::Close | Command::Help)) =>
            {
                None
            }
            Overlay::Help { scroll } => Some(Overlay::Help {
                scroll: scroll_command(scroll, command),
            }),
            Overlay::Jwt { scroll } => Some(Overlay::Jwt {
                scroll: scroll_command(scroll, command),
            }),
            Overlay::EntityPicker { selected } => self.picker_command(selected, command, effects),
            Overlay::Diagnosis(view) => self.diagnosis_command(view, command, effects),
            Overlay::ProfilePicker { selected } => {
                self.profile_picker_command(selected, command, effects)
            }
            Overlay::Confirm(confirm) => match command {
                Some(Command::Yes) => match confirm.on_yes {
                    OnYes::Send { request, checks } => self.send(*request, None, checks, effects),
                    OnYes::Quit => {
                        self.quit = true;
                        None
                    }
                    OnYes::Diagnose => {
                        self.production_probes_ok = true;
                        self.start_diagnosis(true, effects)
                    }
                    OnYes::DeleteSaved { profile, name } => {
                        self.delete_saved(profile, name, effects)
                    }
                    OnYes::Load(what) => self.load_into_builder(*what, true, effects),
                    OnYes::SaveConnection => {
                        self.save_connection(effects);
                        None
                    }
                    OnYes::AllPagesPastCap { id } => self.answer_all_pages_cap(id, true, effects),
                },
                Some(Command::No) => match confirm.on_yes {
                    OnYes::AllPagesPastCap { id } => self.answer_all_pages_cap(id, false, effects),
                    _ => None,
                },
                _ => Some(Overlay::Confirm(confirm)),
            },
        }
    }

    fn picker_command(
        &mut self,
        selected: usize,
        command: Option<Command>,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let count = entity_choices(self.connection.known_entities());
        match command {
            Some(Command::Discover) => {
                self.discover(effects);
                Some(Overlay::EntityPicker { selected })
            }
            Some(Command::Close) => None,
            Some(Command::ScrollUp) => Some(Overlay::EntityPicker {
                selected: selected.saturating_sub(1),
            }),
            Some(Command::ScrollDown) => Some(Overlay::EntityPicker {
                selected: (selected + 1).min(count - 1),
            }),
            Some(Command::Choose) => {
                if selected == 0 {
                    self.connection.choose_legal_entity(None);
                } else if selected == count - 1 {
                    self.focus = Focus::Connection;
                    self.connection.edit_legal_entity();
                } else {
                    let name = self.connection.known_entities()[selected - 1].name.clone();
                    self.connection.choose_legal_entity(Some(name));
                }
                if selected != count - 1 {
                    self.note_session_change();
                }
                self.settings_changed(effects);
                None
            }
            _ => Some(Overlay::EntityPicker { selected }),
        }
    }
}

/// Scrolls a text box by what `command` asks (a line, ten lines, to the top).
pub(crate) fn scroll_command(scroll: usize, command: Option<Command>) -> usize {
    match command {
        Some(Command::ScrollDown) => scroll + 1,
        Some(Command::ScrollUp) => scroll.saturating_sub(1),
        Some(Command::PageDown) => scroll + 10,
        Some(Command::PageUp) => scroll.saturating_sub(10),
        Some(Command::Top) => 0,
        _ => scroll,
    }
}
