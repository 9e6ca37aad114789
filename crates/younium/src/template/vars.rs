//! The variables a template can use, each with where its value came from. When a name has
//! values from several sources the first wins: the command line and this session (captures,
//! edits, a data row), then the flow file's `[vars]`, then the profile's, then the config
//! file's top-level `[vars]`.

use std::collections::BTreeMap;

/// Where a variable's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `--var name=value`.
    CommandLine,
    /// Set in this session: what it was (`captured from GET /Accounts 14:02`, `typed`).
    Session(String),
    /// A column of the data row being run (`row.email`).
    Row,
    /// The flow file's `[vars]`.
    Flow,
    /// `[profiles.NAME.vars]`.
    Profile(String),
    /// The config file's top-level `[vars]`.
    Config,
}

impl Origin {
    /// Lower wins.
    fn rank(&self) -> u8 {
        match self {
            Origin::CommandLine | Origin::Session(_) | Origin::Row => 0,
            Origin::Flow => 1,
            Origin::Profile(_) => 2,
            Origin::Config => 3,
        }
    }

    /// Shown beside a value: "command line", "profile sandbox", "captured from …".
    pub fn describe(&self) -> String {
        match self {
            Origin::CommandLine => "command line (--var)".into(),
            Origin::Session(what) => what.clone(),
            Origin::Row => "data row".into(),
            Origin::Flow => "flow file".into(),
            Origin::Profile(name) => format!("profile {name}"),
            Origin::Config => "config file [vars]".into(),
        }
    }
}

/// The variables, by name; each name keeps its value from every source it has one from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vars {
    values: BTreeMap<String, Vec<(String, Origin)>>,
}

impl Vars {
    /// Sets `name` from `origin`, replacing the value it had from a source of the same rank.
    pub fn set(&mut self, origin: Origin, name: &str, value: &str) {
        let entries = self.values.entry(name.to_string()).or_default();
        entries.retain(|(_, o)| o.rank() != origin.rank());
        let at = entries
            .iter()
            .position(|(_, o)| o.rank() > origin.rank())
            .unwrap_or(entries.len());
        entries.insert(at, (value.to_string(), origin));
    }

    /// Sets every `(name, value)` from `origin`.
    pub fn extend<'a>(
        &mut self,
        origin: &Origin,
        values: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) {
        for (name, value) in values {
            self.set(origin.clone(), name, value);
        }
    }

    /// The value that wins for `name`, and where it came from.
    pub fn get(&self, name: &str) -> Option<(&str, &Origin)> {
        let (value, origin) = self.values.get(name)?.first()?;
        Some((value, origin))
    }

    /// Forgets the value `name` has from a source of `origin`'s rank (the next source's
    /// shows again).
    pub fn remove(&mut self, origin: &Origin, name: &str) {
        if let Some(entries) = self.values.get_mut(name) {
            entries.retain(|(_, o)| o.rank() != origin.rank());
            if entries.is_empty() {
                self.values.remove(name);
            }
        }
    }

    /// Every name with the value that wins, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, &Origin)> {
        self.values.iter().filter_map(|(name, entries)| {
            let (value, origin) = entries.first()?;
            Some((name.as_str(), value.as_str(), origin))
        })
    }

    /// No variable at all.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Whether a variable's value is to be kept out of files and off the screen: a JWT, or a name
/// like a secret header's (`apiKey`, `token`, `clientSecret`, `password`…). Such a value may
/// be used in the session; it is never written to a file.
///
/// ```
/// use younium::template::looks_secret;
/// assert!(looks_secret("accessToken", "abc"));
/// assert!(looks_secret("t", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"));
/// assert!(!looks_secret("accountId", "A-1"));
/// ```
pub fn looks_secret(name: &str, value: &str) -> bool {
    let jwt = value.starts_with("eyJ") && value.matches('.').count() == 2;
    jwt || crate::request::is_secret_header(name)
}
