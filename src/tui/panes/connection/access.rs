//! What the rest of the app reads of the connection, and what it sets from outside a key:
//! the settings a profile resolves to, the demo's credentials, a secret read from its
//! source, a legal entity or environment a diagnosis fix chose.

use super::{ConnectionPane, Field, LegalEntity, SecretSource};
use crate::settings::Settings;
use crate::younium::{ApiVersion, AuthMethod, Environment, Secret};

impl ConnectionPane {
    /// A pane with these credentials typed, the rest as a new session has it.
    pub fn with_credentials(client_id: &str, secret: Secret) -> Self {
        Self {
            client_id: client_id.to_string(),
            secret: Some(secret),
            secret_source: SecretSource::Typed,
            ..Self::default()
        }
    }

    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    pub fn auth(&self) -> AuthMethod {
        self.auth
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn secret(&self) -> Option<&Secret> {
        self.secret.as_ref()
    }

    pub fn legal_entity(&self) -> Option<&str> {
        self.legal_entity.as_deref()
    }

    /// The pick-list's legal entities: the profile's, then the ones found.
    pub fn known_entities(&self) -> &[LegalEntity] {
        &self.known_entities
    }

    pub fn api_version(&self) -> ApiVersion {
        self.api_version
    }

    /// The field the cursor is on.
    pub fn selected(&self) -> Field {
        self.selected
    }

    /// Why the last edit or the profile was not taken, shown under the fields.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Something to sign in with was given (a client ID or a secret).
    pub fn has_credentials(&self) -> bool {
        !self.client_id.is_empty() || self.secret.is_some()
    }

    /// Shows `error` under the fields.
    pub fn say_error(&mut self, error: String) {
        self.error = Some(error);
    }

    /// Shows resolved settings: what was there before is gone, the secret included (it
    /// comes next, from wherever the settings say).
    pub fn show_settings(&mut self, settings: &Settings) {
        self.set_environment(settings.environment.clone());
        self.auth = settings.auth;
        self.client_id = settings.client_id.clone().unwrap_or_default();
        self.legal_entity = settings.legal_entity.clone();
        self.known_entities = settings.known_entities.clone();
        if let Some(name) = &settings.legal_entity {
            self.remember_entity(LegalEntity {
                name: name.clone(),
                ..Default::default()
            });
        }
        self.api_version = settings.api_version;
        self.secret = None;
        self.secret_source = SecretSource::None;
        self.error = None;
    }

    /// The secret to sign in with, and where it came from (shown beside it).
    pub fn use_secret(&mut self, secret: Secret, source: SecretSource) {
        self.secret = Some(secret);
        self.secret_source = source;
    }

    /// The built-in simulator at `base_url`: its demo client, and its legal entities with the
    /// first one chosen.
    pub fn use_demo(
        &mut self,
        base_url: &str,
        client_id: &str,
        secret: Secret,
        entities: &[LegalEntity],
    ) {
        self.set_environment(Environment::Custom(base_url.to_string()));
        self.auth = AuthMethod::ApiTokenV1;
        self.client_id = client_id.to_string();
        self.use_secret(secret, SecretSource::Demo);
        self.legal_entity = entities.first().map(|e| e.name.clone());
        for e in entities {
            self.remember_entity(e.clone());
        }
    }

    /// The legal entity the next requests carry (`None`: no header).
    pub fn choose_legal_entity(&mut self, name: Option<String>) {
        self.legal_entity = name;
    }

    /// Another environment; a custom URL is kept for cycling back to it.
    pub fn set_environment(&mut self, environment: Environment) {
        if let Environment::Custom(url) = &environment {
            self.custom_url = url.clone();
        }
        self.environment = environment;
    }

    /// The cursor on the credential to type first: the client ID while there is none, else
    /// the secret.
    pub fn select_credential(&mut self) {
        self.selected = if self.client_id.is_empty() {
            Field::ClientId
        } else {
            Field::Secret
        };
    }
}
