//! Saved requests in the UI: `Ctrl-S` asks for a name and saves the builder's request in the
//! config file (with the profile in use, else at the top level), off the UI thread; the
//! catalogue's "Saved" group lists them and loads one like an operation. The file's side is
//! [`crate::config::SavedRequest`].

use std::path::PathBuf;

use crossterm::event::KeyEvent;
use ratatui::Frame;

use super::app::{App, Confirm, Effect, OnYes, Overlay};
use super::input::{InputOutcome, LineInput};
use super::panes::overlays::render_input;
use super::theme::Theme;
use crate::config::{ConfigFile, SaveOutcome, SavedRequest};
use crate::sanitize;

/// The answer to [`Effect::SaveRequest`] or [`Effect::DeleteSavedRequest`] when it worked.
#[derive(Debug)]
pub struct RequestSaved {
    /// The config file as written.
    pub file: ConfigFile,
    pub name: String,
    pub profile: Option<String>,
    /// Added or replaced; `None`: deleted.
    pub outcome: Option<SaveOutcome>,
    /// Header rows left out because they hold credentials.
    pub left_out: usize,
}

impl RequestSaved {
    /// What the status line says.
    pub fn message(&self) -> String {
        let verb = match self.outcome {
            Some(SaveOutcome::Added) => "saved",
            Some(SaveOutcome::Replaced) => "replaced",
            None => "deleted",
        };
        let place = match &self.profile {
            Some(p) => format!("with profile {p}"),
            None => "for every profile".into(),
        };
        let mut message = format!(
            "{verb} {:?} {place} in {}",
            sanitize::one_line(&self.name),
            self.file.path.display()
        );
        match self.left_out {
            0 => {}
            1 => message.push_str(" (a secret header was left out)"),
            n => message.push_str(&format!(" ({n} secret headers were left out)")),
        }
        message
    }
}

/// Saves `request` in the file at `path` as it is on disk (created when missing, left alone
/// when it does not read). Runs in a blocking task.
pub fn save(
    path: PathBuf,
    profile: Option<String>,
    request: SavedRequest,
    left_out: usize,
) -> Result<RequestSaved, String> {
    let (file, outcome) = crate::config::save_request_at(&path, profile.as_deref(), &request)?;
    Ok(RequestSaved {
        file,
        name: request.name,
        profile,
        outcome: Some(outcome),
        left_out,
    })
}

/// Deletes a saved request from the file at `path`. Runs in a blocking task.
pub fn delete(
    path: PathBuf,
    profile: Option<String>,
    name: String,
) -> Result<RequestSaved, String> {
    let mut file = match ConfigFile::load(&path) {
        Ok(Some(file)) => file,
        Ok(None) => return Err(format!("{} is gone: nothing deleted", path.display())),
        Err(e) => return Err(format!("not deleted, the file was left as it is: {e}")),
    };
    match file.delete_request(profile.as_deref(), &name) {
        Ok(true) => Ok(RequestSaved {
            file,
            name,
            profile,
            outcome: None,
            left_out: 0,
        }),
        Ok(false) => Err(format!("no saved request {name:?} in {}", path.display())),
        Err(e) => Err(e.to_string()),
    }
}

impl App {
    /// Where saved requests are written: the loaded file, else where the app looked for one.
    pub(in crate::tui) fn config_file_path(&self) -> Option<PathBuf> {
        self.config
            .as_ref()
            .map(|f| f.path.clone())
            .or_else(|| self.config_path.clone())
    }

    /// Lists the saved requests of the profile in use in the catalogue (after a load, a save,
    /// a profile change). Entries that do not read are named in the status line.
    pub(crate) fn refresh_saved_requests(&mut self) {
        let list = self
            .config
            .as_ref()
            .map(|f| f.saved_requests(self.profile.as_deref()))
            .unwrap_or_default();
        for w in &list.warnings {
            tracing::warn!(%w, "saved request skipped");
        }
        if let Some(first) = list.warnings.first().map(|w| sanitize::one_line(w)) {
            let more = match list.warnings.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            let warning = format!("{first}{more}");
            // After what is already said (e.g. key bindings kept as default at the start).
            self.status = Some(match self.status.take() {
                Some(status) => format!("{status}; {warning}"),
                None => warning,
            });
        }
        self.catalog.set_saved(list.entries);
    }

    /// `Ctrl-S`: asks for the name to save the builder's request under.
    pub(crate) fn start_save_request(&mut self) -> Option<Overlay> {
        if let Some(error) = &self.config_error {
            self.status = Some(format!(
                "not saved: the config file has an error, fix it first: {error}"
            ));
            return None;
        }
        if self.config_file_path().is_none() {
            self.status = Some(format!(
                "not saved: no place for a config file; name one with --config or ${}",
                crate::config::CONFIG_ENV
            ));
            return None;
        }
        let request = self.request.to_save();
        let name = match self.catalog.loaded_saved() {
            Some(saved) if saved.method == request.method && saved.path == request.path => {
                saved.name.clone()
            }
            _ => format!("{} {}", request.method, request.path),
        };
        Some(Overlay::SaveRequest(Box::new(LineInput::new(&name, false))))
    }

    /// A key in the name box: Enter saves (in a blocking task), Esc cancels.
    pub(crate) fn save_request_key(
        &mut self,
        mut input: Box<LineInput>,
        key: KeyEvent,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        match input.handle(key) {
            InputOutcome::Submit(name) if name.trim().is_empty() => {
                Some(Overlay::SaveRequest(input))
            }
            InputOutcome::Submit(name) => {
                let path = self.config_file_path()?;
                let (request, left_out) =
                    SavedRequest::from_request(&name, &self.request.to_save());
                self.status = Some(format!("saving {:?}…", request.name));
                effects.push(Effect::SaveRequest {
                    path,
                    profile: self.profile.clone(),
                    request,
                    left_out,
                });
                None
            }
            InputOutcome::Cancel => None,
            InputOutcome::Edited => Some(Overlay::SaveRequest(input)),
        }
    }

    /// `d` on a saved request in the catalogue: asks before deleting it.
    pub(crate) fn ask_delete_saved(&mut self) -> Option<Overlay> {
        let entry = self.catalog.selected_saved()?.clone();
        let path = self.config_file_path()?;
        let place = match &entry.profile {
            Some(p) => format!("profile {p}'s saved requests"),
            None => "the saved requests of every profile".into(),
        };
        Some(Overlay::Confirm(Confirm {
            title: "Delete a saved request".into(),
            lines: vec![
                format!(
                    "Delete {:?} ({} {}) from {place}?",
                    entry.request.name, entry.request.method, entry.request.path
                ),
                format!("It is removed from {}.", path.display()),
            ],
            danger: false,
            on_yes: OnYes::DeleteSaved {
                profile: entry.profile,
                name: entry.request.name,
            },
        }))
    }

    /// The confirmed delete goes to a blocking task.
    pub(crate) fn delete_saved(
        &mut self,
        profile: Option<String>,
        name: String,
        effects: &mut Vec<Effect>,
    ) -> Option<Overlay> {
        let path = self.config_file_path()?;
        effects.push(Effect::DeleteSavedRequest {
            path,
            profile,
            name,
        });
        None
    }

    /// The answer: the file as written (the catalogue lists it from now on), or why not.
    pub(crate) fn on_request_saved(&mut self, result: Result<RequestSaved, String>) {
        match result {
            Ok(saved) => {
                let message = saved.message();
                self.config = Some(saved.file);
                self.config_path = self.config.as_ref().map(|f| f.path.clone());
                self.status = None;
                self.refresh_saved_requests();
                // A skipped entry's warning comes after what was asked for.
                self.status = Some(match self.status.take() {
                    Some(warning) => format!("{message}; {warning}"),
                    None => message,
                });
            }
            Err(e) => self.status = Some(e),
        }
    }
}

/// The name box.
pub fn render_name_box(frame: &mut Frame<'_>, app: &App, input: &LineInput, theme: &Theme) {
    let file = app
        .config_file_path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let prompt = match &app.profile {
        Some(p) => format!("Name (saved with profile {p} in {file}):"),
        None => format!("Name (saved for every profile in {file}):"),
    };
    render_input(frame, "Save the request", &prompt, input, theme);
}
