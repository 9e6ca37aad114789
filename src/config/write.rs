//! Writing what the UI changes back into the file: a profile's environment, legal entity,
//! api-version and known legal entities, and a secret moved to the OS keyring. Edits go
//! through the parsed document, so the user's comments and key order stay as they were, and
//! the file is replaced in one step.

use std::path::Path;

use toml_edit::{Item, Table, value};

use super::ConfigFile;
use crate::younium::doctor::LegalEntity;
use crate::younium::{ApiVersion, Environment};

/// What the UI saves back to a profile: the legal entities it found, as it finds them, and,
/// only when the user asks for it, the session's connection as the profile's default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileUpdate {
    pub connection: Option<ConnectionDefaults>,
    pub known_entities: Vec<LegalEntity>,
}

/// A profile's connection: what `W` saves as its default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionDefaults {
    pub environment: Environment,
    pub legal_entity: Option<String>,
    pub api_version: ApiVersion,
}

/// Why a change could not be saved; the file is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("`{key}` in the config file is not a table: fix {path} by hand")]
    NotATable { path: String, key: String },
    #[error("no profile {name:?} in {path}")]
    NoSuchProfile { path: String, name: String },
    #[error("could not save {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} was saved but no longer reads as a config file: {message}")]
    Reread { path: String, message: String },
}

impl ConfigFile {
    /// Writes the changes the UI makes to a profile back into the file, keeping everything
    /// else (comments, order, other keys) as it was.
    pub fn save_profile(&mut self, name: &str, update: &ProfileUpdate) -> Result<(), SaveError> {
        let path = self.path.display().to_string();
        let not_a_table = |key: String| SaveError::NotATable {
            path: path.clone(),
            key,
        };
        let profiles = self
            .doc
            .entry("profiles")
            .or_insert_with(|| Item::Table(Table::new()))
            .as_table_like_mut()
            .ok_or_else(|| not_a_table("profiles".into()))?;
        let profile = profiles
            .entry(name)
            .or_insert(Item::Table(Table::new()))
            .as_table_like_mut()
            .ok_or_else(|| not_a_table(format!("profiles.{name}")))?;
        if let Some(connection) = &update.connection {
            save_connection(profile, connection);
        }
        if !update.known_entities.is_empty() {
            let mut list = toml_edit::Array::new();
            for e in &update.known_entities {
                let mut t = toml_edit::InlineTable::new();
                t.insert("name", e.name.as_str().into());
                if let Some(id) = &e.id {
                    t.insert("id", id.as_str().into());
                }
                list.push(t);
            }
            set(profile, "known_legal_entities", value(list));
        }
        self.write()
    }

    /// Points a profile's secret at the OS keyring (after the UI stored it there).
    pub fn set_secret_keyring(&mut self, name: &str, account: &str) -> Result<(), SaveError> {
        let profile = self
            .doc
            .get_mut("profiles")
            .and_then(|p| p.as_table_like_mut())
            .and_then(|p| p.get_mut(name))
            .and_then(|p| p.as_table_like_mut())
            .ok_or_else(|| SaveError::NoSuchProfile {
                path: self.path.display().to_string(),
                name: name.to_string(),
            })?;
        let mut source = toml_edit::InlineTable::new();
        source.insert("keyring", account.into());
        set(profile, "secret", value(source));
        self.write()
    }

    /// Sets the variable `name` in `profile`'s `[profiles.NAME.vars]` (`None`: the file's own
    /// `[vars]`), creating the table when missing. The caller keeps secrets out.
    pub fn save_var(
        &mut self,
        profile: Option<&str>,
        name: &str,
        text: &str,
    ) -> Result<(), SaveError> {
        let path = self.path.display().to_string();
        let not_a_table = |key: String| SaveError::NotATable {
            path: path.clone(),
            key,
        };
        let mut table: &mut dyn toml_edit::TableLike = self.doc.as_table_mut();
        let mut at = String::new();
        let keys = match profile {
            Some(p) => vec!["profiles", p, "vars"],
            None => vec!["vars"],
        };
        for key in keys {
            if !at.is_empty() {
                at.push('.');
            }
            at.push_str(key);
            let mut new = Table::new();
            new.set_implicit(key == "profiles");
            table = table
                .entry(key)
                .or_insert(Item::Table(new))
                .as_table_like_mut()
                .ok_or_else(|| not_a_table(at.clone()))?;
        }
        set(table, name, value(text));
        self.write()
    }

    /// Saves the document and reads the values back from it.
    pub(super) fn write(&mut self) -> Result<(), SaveError> {
        let path = self.path.display().to_string();
        write_atomically(&self.path, &self.doc.to_string()).map_err(|source| SaveError::Write {
            path: path.clone(),
            source,
        })?;
        self.config =
            toml_edit::de::from_document(self.doc.clone()).map_err(|e| SaveError::Reread {
                path,
                message: e.to_string(),
            })?;
        Ok(())
    }
}

/// Writes a profile's environment (or base URL), legal entity and api-version.
fn save_connection(profile: &mut dyn toml_edit::TableLike, c: &ConnectionDefaults) {
    match &c.environment {
        Environment::Custom(url) => {
            replace_key(profile, "environment", "base_url", value(url.as_str()))
        }
        env => replace_key(profile, "base_url", "environment", value(env.key())),
    }
    match &c.legal_entity {
        Some(le) => set(profile, "legal_entity", value(le.as_str())),
        None => {
            profile.remove("legal_entity");
        }
    }
    set(profile, "api_version", value(c.api_version.as_str()));
}

/// Sets `key` to `item`, keeping the comments around the value it replaces (`key = "v" # note`
/// keeps `# note`).
fn set(table: &mut dyn toml_edit::TableLike, key: &str, item: Item) {
    let decor = value_decor(table, key);
    match table.get_mut(key) {
        // In place: the key keeps its own decor, the comment lines above it included.
        Some(existing) => *existing = item,
        None => {
            table.insert(key, item);
        }
    }
    restore_value_decor(table, key, decor);
}

/// Sets `new` to `item` and removes `old`, moving `old`'s comments (before the key and after
/// the value) to `new` so none is lost.
fn replace_key(table: &mut dyn toml_edit::TableLike, old: &str, new: &str, item: Item) {
    if table.get(old).is_none() {
        return set(table, new, item);
    }
    let key_decor = table.key_mut(old).map(|k| k.leaf_decor().clone());
    let decor = value_decor(table, old).or_else(|| value_decor(table, new));
    table.remove(old);
    set(table, new, item);
    if let (Some(key_decor), Some(mut key)) = (key_decor, table.key_mut(new)) {
        *key.leaf_decor_mut() = key_decor;
    }
    restore_value_decor(table, new, decor);
}

fn value_decor(table: &dyn toml_edit::TableLike, key: &str) -> Option<toml_edit::Decor> {
    table.get(key)?.as_value().map(|v| v.decor().clone())
}

fn restore_value_decor(
    table: &mut dyn toml_edit::TableLike,
    key: &str,
    decor: Option<toml_edit::Decor>,
) {
    if let (Some(decor), Some(v)) = (decor, table.get_mut(key).and_then(Item::as_value_mut)) {
        *v.decor_mut() = decor;
    }
}

/// Replaces the file in one step, keeping its permissions. The temporary file is readable by
/// its owner alone from the moment it exists: it may hold a plain secret.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let tmp = path.with_extension("toml.tmp");
    // A leftover from an interrupted save may have other permissions (or be a link): start
    // afresh, and refuse to write through anything already there.
    match std::fs::remove_file(&tmp) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    drop(file);
    if let Ok(meta) = std::fs::metadata(path)
        && meta.is_file()
    {
        std::fs::set_permissions(&tmp, meta.permissions())?;
    }
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::SAMPLE;

    #[test]
    fn saving_keeps_comments_and_order() {
        let dir = std::env::temp_dir().join(format!("younium-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, SAMPLE).unwrap();
        let mut f = ConfigFile::load(&path).unwrap().unwrap();
        f.save_profile(
            "sandbox",
            &ProfileUpdate {
                connection: Some(ConnectionDefaults {
                    environment: Environment::Custom("http://127.0.0.1:9".into()),
                    legal_entity: Some("Acme Inc".into()),
                    api_version: ApiVersion::V2_1,
                }),
                known_entities: vec![LegalEntity {
                    name: "Acme Inc".into(),
                    id: Some("g-2".into()),
                    roles: vec![],
                }],
            },
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# my profiles\n"));
        assert!(text.contains("# the test tenant"));
        assert!(text.contains("base_url = \"http://127.0.0.1:9\""));
        assert!(!text.contains("environment = \"sandbox\""));
        assert!(text.contains("legal_entity = \"Acme Inc\""));
        assert!(
            text.contains(r#"known_legal_entities = [{ name = "Acme Inc", id = "g-2" }]"#),
            "{text}"
        );
        assert!(text.find("[profiles.sandbox]").unwrap() < text.find("[profiles.prod]").unwrap());
        let again = ConfigFile::load(&path).unwrap().unwrap();
        assert_eq!(
            again
                .profile(Some("sandbox"))
                .unwrap()
                .unwrap()
                .1
                .legal_entity
                .as_deref(),
            Some("Acme Inc")
        );
        let missing = f.set_secret_keyring("nope", "acct").unwrap_err();
        assert!(
            missing.to_string().starts_with("no profile \"nope\""),
            "{missing}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_inline_comment_on_a_saved_key_stays() {
        let dir = std::env::temp_dir().join(format!("younium-cfg-inline-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        let text = "[profiles.a]\nenvironment = \"sandbox\" # where we test\nlegal_entity = \"Acme AB\" # the main one\napi_version = \"2.0\"   # old lists\n";
        std::fs::write(&path, text).unwrap();
        let mut f = ConfigFile::load(&path).unwrap().unwrap();
        f.save_profile(
            "a",
            &ProfileUpdate {
                connection: Some(ConnectionDefaults {
                    environment: Environment::Custom("http://127.0.0.1:9".into()),
                    legal_entity: Some("Acme Inc".into()),
                    api_version: ApiVersion::V2_1,
                }),
                known_entities: vec![],
            },
        )
        .unwrap();
        let saved = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            saved,
            "[profiles.a]\nlegal_entity = \"Acme Inc\" # the main one\napi_version = \"2.1\"   # old lists\nbase_url = \"http://127.0.0.1:9\" # where we test\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A comment on the lines under a profile's header is the first key's own: saving that
    /// key keeps it, and saving only the legal entities found leaves the connection alone.
    #[test]
    fn a_comment_under_the_profile_header_stays() {
        let dir = std::env::temp_dir().join(format!("younium-cfg-head-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        let text = "[profiles.x]\n# the sandbox tenant\nenvironment = \"sandbox\"\n# who we are\nlegal_entity = \"Acme AB\"\napi_version = \"2.1\"\n";
        std::fs::write(&path, text).unwrap();
        let mut f = ConfigFile::load(&path).unwrap().unwrap();
        let entities = vec![LegalEntity {
            name: "Acme Inc".into(),
            id: None,
            roles: vec![],
        }];
        f.save_profile(
            "x",
            &ProfileUpdate {
                connection: None,
                known_entities: entities.clone(),
            },
        )
        .unwrap();
        let saved = std::fs::read_to_string(&path).unwrap();
        assert!(saved.starts_with(text), "{saved}");
        f.save_profile(
            "x",
            &ProfileUpdate {
                connection: Some(ConnectionDefaults {
                    environment: Environment::Sandbox,
                    legal_entity: Some("Acme Inc".into()),
                    api_version: ApiVersion::V2_0,
                }),
                known_entities: entities,
            },
        )
        .unwrap();
        let saved = std::fs::read_to_string(&path).unwrap();
        assert!(
            saved.starts_with("[profiles.x]\n# the sandbox tenant\nenvironment = \"sandbox\"\n# who we are\nlegal_entity = \"Acme Inc\"\napi_version = \"2.0\"\n"),
            "{saved}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn the_temporary_file_is_private_from_the_start() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("younium-cfg-tmp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, "[profiles.a]\nsecret = \"plain\"\n").unwrap();
        let mut f = ConfigFile::load(&path).unwrap().unwrap();
        // A world-readable leftover from an interrupted save is not reused.
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, "old").unwrap();
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o644)).unwrap();
        // Put a directory where the file was so the final rename fails and the temporary
        // file stays behind to be looked at, with the permissions it was created with.
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir_all(path.join("blocker")).unwrap();
        assert!(f.set_secret_keyring("a", "acct").is_err());
        let mode = std::fs::metadata(&tmp).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
        assert!(std::fs::read_to_string(&tmp).unwrap().contains("keyring"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
