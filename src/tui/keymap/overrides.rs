//! The config file's `[keys]` section: `send = ["ctrl-enter", "F5"]` (or one string) replaces
//! the keys of `send` wherever the defaults bind it. An entry that cannot be used is reported
//! with its line, and that command keeps its default keys.

use std::path::Path;

use toml_edit::{Item, Table, Value};

use super::{Binding, ChordError, Command, KeyChord, Keymap, Scope};
use crate::config::ConfigFile;

/// A `[keys]` entry that was not used, and where it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}: {kind}")]
pub struct KeyProblem {
    pub path: String,
    pub line: usize,
    pub kind: ProblemKind,
}

/// What was wrong with a `[keys]` entry (or with the file around it).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProblemKind {
    #[error("`keys` must be a table (a `[keys]` section), not {0}; using the default keys")]
    KeysNotATable(String),
    #[error("[keys] has no command `{name}`{hint}; the entry is ignored", hint = did_you_mean(*.suggestion))]
    UnknownCommand {
        name: String,
        suggestion: Option<Command>,
    },
    #[error("`{command}`: {error}; keeping its default keys ({defaults})", command = .command.name())]
    UnknownKey {
        command: Command,
        error: ChordError,
        defaults: String,
    },
    #[error(
        "`{command}` takes a key name or a list of them, like [\"ctrl-r\", \"F5\"], not {found}; \
         keeping its default keys ({defaults})",
        command = .command.name()
    )]
    NotKeys {
        command: Command,
        found: String,
        defaults: String,
    },
    #[error(
        "`{command}`: `{key}` is already the key of `{other}`; keeping its default keys ({defaults})",
        command = .command.name(),
        other = .other.name()
    )]
    Conflict {
        command: Command,
        key: String,
        other: Command,
        defaults: String,
    },
}

fn did_you_mean(suggestion: Option<Command>) -> String {
    suggestion.map_or(String::new(), |c| {
        format!(" (did you mean `{}`?)", c.name())
    })
}

/// The keymap a config file asks for: the defaults with its `[keys]` section applied (see
/// [`Keymap::with_overrides`]), read from the file as it was parsed. A file without `[keys]`
/// gives the defaults and no problems.
pub fn keymap_from_config(file: &ConfigFile) -> (Keymap, Vec<KeyProblem>) {
    let Some(keys) = &file.keys else {
        return (Keymap::default(), Vec::new());
    };
    let (source, path) = (keys.source.as_str(), file.path.as_path());
    match &keys.item {
        Item::Table(table) => Keymap::with_overrides(table, source, path),
        Item::Value(Value::InlineTable(inline)) => {
            Keymap::with_overrides(&inline.clone().into_table(), source, path)
        }
        other => {
            let line = other
                .span()
                .or_else(|| keys.name_span.clone())
                .map_or(1, |span| line_at(source, span.start));
            let problem = KeyProblem {
                path: path.display().to_string(),
                line,
                kind: ProblemKind::KeysNotATable(an(other.type_name())),
            };
            (Keymap::default(), vec![problem])
        }
    }
}

/// A usable `[keys]` entry.
struct Entry {
    command: Command,
    keys: Vec<KeyChord>,
    line: usize,
}

impl Keymap {
    /// The default keymap with the `[keys]` table's entries applied. `source` is the file's
    /// text and `path` its name, for the line numbers in the problems; spans are used when the
    /// table has them (parsed with `toml_edit::Document`), else the entry is found in `source`.
    pub fn with_overrides(table: &Table, source: &str, path: &Path) -> (Keymap, Vec<KeyProblem>) {
        let defaults = Keymap::default();
        let shown = path.display().to_string();
        let problem = |line, kind| KeyProblem {
            path: shown.clone(),
            line,
            kind,
        };
        let mut problems = Vec::new();
        let mut entries = Vec::new();
        for (name, item) in table.iter() {
            let line = entry_line(table, name, source);
            let Some(command) = Command::from_name(name) else {
                let kind = ProblemKind::UnknownCommand {
                    name: name.to_string(),
                    suggestion: Command::closest(name),
                };
                problems.push(problem(line, kind));
                continue;
            };
            match read_keys(command, item, &defaults.listed(command), source, line) {
                Ok(keys) => entries.push(Entry {
                    command,
                    keys,
                    line,
                }),
                Err((at, kind)) => problems.push(problem(at, kind)),
            }
        }
        // Drop the last entry in a conflict until none is left; the defaults have none.
        let keymap = loop {
            let keymap = defaults.overridden(&entries);
            let conflicts = keymap.conflicts();
            let clash = entries.iter().enumerate().rev().find_map(|(i, e)| {
                conflicts
                    .iter()
                    .find_map(|c| match (c.first.1, c.second.1) {
                        (mine, other) if mine == e.command => Some((i, c.key, other)),
                        (other, mine) if mine == e.command => Some((i, c.key, other)),
                        _ => None,
                    })
            });
            let Some((i, key, other)) = clash else {
                break keymap;
            };
            let entry = entries.remove(i);
            let kind = ProblemKind::Conflict {
                command: entry.command,
                key: key.name(),
                other,
                defaults: defaults.listed(entry.command),
            };
            problems.push(problem(entry.line, kind));
        };
        problems.sort_by_key(|p| p.line);
        (keymap, problems)
    }

    /// A command's keys as the config file names them, for a message: `s, F5, ctrl-r`.
    fn listed(&self, command: Command) -> String {
        let keys: Vec<String> = self.keys(command).iter().map(KeyChord::name).collect();
        keys.join(", ")
    }

    /// This keymap with each entry's keys in place of its command's.
    fn overridden(&self, entries: &[Entry]) -> Keymap {
        let mut bindings = self.bindings.clone();
        for e in entries {
            place(&mut bindings, e.command, &e.keys);
        }
        Keymap::from_bindings(bindings)
    }
}

/// Puts `keys` in every scope that binds `command`. A command that works while editing
/// (bound in Always) takes there only the keys a text field does not want; the others go to
/// Global, where they work when nothing is being edited (as `s` for send does).
fn place(bindings: &mut Vec<Binding>, command: Command, keys: &[KeyChord]) {
    let bound_in = |scope| {
        bindings
            .iter()
            .any(|b: &Binding| b.command == command && b.scope == scope)
    };
    let always = bound_in(Scope::Always);
    if always && !bound_in(Scope::Global) && keys.iter().any(KeyChord::edits_text) {
        bindings.push(Binding {
            scope: Scope::Global,
            command,
            keys: Vec::new(),
        });
    }
    for b in bindings.iter_mut().filter(|b| b.command == command) {
        b.keys = keys
            .iter()
            .copied()
            .filter(|k| match (always, b.scope) {
                (true, Scope::Always) => !k.edits_text(),
                (true, Scope::Global) => k.edits_text(),
                _ => true,
            })
            .collect();
    }
}

/// The keys of an entry: one name or a list of names (an empty list unbinds the command).
fn read_keys(
    command: Command,
    item: &Item,
    defaults: &str,
    source: &str,
    line: usize,
) -> Result<Vec<KeyChord>, (usize, ProblemKind)> {
    let not_keys = |found: String| ProblemKind::NotKeys {
        command,
        found,
        defaults: defaults.to_string(),
    };
    let values: Vec<&Value> = match item {
        Item::Value(Value::Array(list)) => list.iter().collect(),
        Item::Value(v @ Value::String(_)) => vec![v],
        other => return Err((line, not_keys(an(other.type_name())))),
    };
    let mut keys = Vec::new();
    for value in values {
        let at = value_line(value, source, line);
        let Some(name) = value.as_str() else {
            let found = format!("a list holding {}", an(value.type_name()));
            return Err((at, not_keys(found)));
        };
        let key = name.parse::<KeyChord>().map_err(|error| {
            let kind = ProblemKind::UnknownKey {
                command,
                error,
                defaults: defaults.to_string(),
            };
            (at, kind)
        })?;
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    Ok(keys)
}

fn an(type_name: &str) -> String {
    let article = if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {type_name}")
}

/// The line of `offset` in `source`, from 1.
fn line_at(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// The line of the entry `name`: from its span, else the line in `[keys]` that sets it.
fn entry_line(table: &Table, name: &str, source: &str) -> usize {
    let span = table
        .key(name)
        .and_then(|k| k.span())
        .or_else(|| table.get(name).and_then(Item::span));
    if let Some(span) = span {
        return line_at(source, span.start);
    }
    let mut in_keys = false;
    let mut header = 1;
    for (i, text) in source.lines().enumerate() {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix('[') {
            in_keys = rest.split(']').next().map(str::trim) == Some("keys");
            if in_keys {
                header = i + 1;
            }
        } else if in_keys
            && let Some((key, _)) = text.split_once('=')
            && key.trim().trim_matches(['"', '\'']) == name
        {
            return i + 1;
        }
    }
    header
}

/// The line of one value of an entry: from its span, else where its text first appears from
/// the entry's line on.
fn value_line(value: &Value, source: &str, entry: usize) -> usize {
    if let Some(span) = value.span() {
        return line_at(source, span.start);
    }
    let text = value.to_string();
    let text = text.trim();
    source
        .lines()
        .enumerate()
        .skip(entry - 1)
        .find(|(_, l)| l.contains(text))
        .map_or(entry, |(i, _)| i + 1)
}

#[cfg(test)]
mod tests;
