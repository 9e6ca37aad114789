//! What the app holds, read-only, for the embedder and the tests: they drive the app with
//! actions (`App::update`) and read its state here; only the UI module writes it.

use jiff::Timestamp;

use super::app::{App, Focus, Overlay, Screen};
use super::keymap::Keymap;
use super::panes::catalog::CatalogPane;
use super::panes::connection::ConnectionPane;
use super::panes::request::RequestPane;
use super::panes::response::ResponsePane;
use super::panes::token::TokenPane;

impl App {
    pub fn now(&self) -> Timestamp {
        self.now
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn screen(&self) -> Screen {
        self.screen
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn quit(&self) -> bool {
        self.quit
    }

    pub fn overlay(&self) -> &Option<Overlay> {
        &self.overlay
    }

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    pub fn connection(&self) -> &ConnectionPane {
        &self.connection
    }

    pub fn token(&self) -> &TokenPane {
        &self.token
    }

    pub fn catalog(&self) -> &CatalogPane {
        &self.catalog
    }

    pub fn request(&self) -> &RequestPane {
        &self.request
    }

    pub fn response(&self) -> &ResponsePane {
        &self.response
    }

    pub fn welcome_error(&self) -> &Option<String> {
        &self.welcome_error
    }

    pub fn config_error(&self) -> &Option<String> {
        &self.config_error
    }

    pub fn profile(&self) -> &Option<String> {
        &self.profile
    }

    pub fn status(&self) -> &Option<String> {
        &self.status
    }

    pub fn all_pages(&self) -> &crate::younium::all_pages::Options {
        &self.all_pages
    }
}

impl App {
    /// The values `{{name}}` templates are filled in from, each with where it came from.
    pub fn vars(&self) -> &crate::younium::template::Vars {
        &self.vars
    }
}
