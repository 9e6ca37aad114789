//! Which key does what, in one table: the dispatcher asks it for the command a key press
//! means, the help and the footer ask it for the keys of a command. The defaults are today's
//! keys; the config file's `[keys]` section replaces the keys of a command (see `overrides`).

mod chord;
mod command;
mod overrides;

pub use chord::{ChordError, KeyChord};
pub use command::Command;
pub use overrides::{KeyProblem, ProblemKind, keymap_from_config};

use crossterm::event::KeyEvent;

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Even while a text field is being edited.
    Always,
    /// When no text field is being edited.
    Global,
    Connection,
    Token,
    Catalog,
    Request,
    Response,
    /// The key after the fold prefix (`z`) in the Response pane.
    Fold,
    /// A box over the panes: the help, the JWT, the legal entity and profile pickers, the
    /// diagnosis.
    Overlay,
    /// The history box.
    History,
    /// The variables box.
    Vars,
    /// A yes/no question.
    Confirm,
    /// The first-run screen.
    Welcome,
}

impl Scope {
    /// The scopes a key is looked up in, first match wins: a pane, then Global, then Always.
    /// A box, a question or the welcome screen has the keyboard to itself (the dispatcher
    /// checks `QuitNow` in Always before them).
    pub fn chain(self) -> &'static [Scope] {
        use Scope::*;
        match self {
            Always => &[Always],
            Global => &[Global, Always],
            Connection => &[Connection, Global, Always],
            Token => &[Token, Global, Always],
            Catalog => &[Catalog, Global, Always],
            Request => &[Request, Global, Always],
            Response => &[Response, Global, Always],
            Fold => &[Fold],
            Overlay => &[Overlay],
            History => &[History],
            Vars => &[Vars],
            Confirm => &[Confirm],
            Welcome => &[Welcome],
        }
    }

    /// Whether a key bound in both scopes could mean two things at once. Always counts as
    /// overlapping everything, since its keys are checked before anything else.
    pub fn overlaps(self, other: Scope) -> bool {
        self == Scope::Always
            || other == Scope::Always
            || self.chain().contains(&other)
            || other.chain().contains(&self)
    }
}

/// Today's keys. A command bound in several scopes is one command: overriding it replaces its
/// keys in each of them.
const DEFAULTS: &[(Scope, Command, &[&str])] = {
    use Command::*;
    use Scope::*;
    &[
        (Global, NextPane, &["tab"]),
        (Global, PreviousPane, &["shift-tab"]),
        (Global, FocusConnection, &["1"]),
        (Global, FocusToken, &["2"]),
        (Global, FocusCatalog, &["3"]),
        (Global, FocusRequest, &["4"]),
        (Global, FocusResponse, &["5"]),
        (Global, Send, &["s"]),
        (Global, Cancel, &["esc"]),
        (Global, Renew, &["r"]),
        (Global, PickLegalEntity, &["L"]),
        (Global, PickProfile, &["P"]),
        (Global, SaveConnection, &["W"]),
        (Global, Diagnose, &["D"]),
        (Global, ShowJwt, &["J"]),
        (Global, ShowVars, &["V"]),
        (Global, Maximise, &["Z"]),
        (Global, OpenHistory, &["H"]),
        (Global, SaveRequest, &["ctrl-s"]),
        (Global, Help, &["?"]),
        (Global, Quit, &["q"]),
        (Always, Send, &["F5", "ctrl-r"]),
        (Always, QuitNow, &["ctrl-c"]),
        (Connection, ScrollUp, &["up", "k"]),
        (Connection, ScrollDown, &["down", "j"]),
        (Connection, PreviousChoice, &["left", "h"]),
        (Connection, NextChoice, &["right", "l"]),
        (Connection, Edit, &["enter", "e"]),
        (Connection, ClearLegalEntity, &["del", "backspace"]),
        (Connection, Reveal, &["v"]),
        (Connection, StoreSecret, &["S"]),
        (Token, ShowJwt, &["j", "enter"]),
        (Token, Reveal, &["v"]),
        (Catalog, Filter, &["/"]),
        (Catalog, ScrollUp, &["up", "k"]),
        (Catalog, ScrollDown, &["down", "j"]),
        (Catalog, PageUp, &["pgup"]),
        (Catalog, PageDown, &["pgdn"]),
        (Catalog, Top, &["home", "g"]),
        (Catalog, Bottom, &["end", "G"]),
        (Catalog, Load, &["enter"]),
        (Catalog, DeleteSaved, &["d", "del"]),
        (Catalog, RunFlow, &["R"]),
        (Request, NextMethod, &["m"]),
        (Request, PreviousMethod, &["M"]),
        (Request, NextTab, &["]"]),
        (Request, PreviousTab, &["["]),
        (Request, ScrollUp, &["up", "k"]),
        (Request, ScrollDown, &["down", "j"]),
        (Request, Edit, &["enter", "e"]),
        (Request, EditName, &["n"]),
        (Request, AddRow, &["a"]),
        (Request, ToggleRow, &["space"]),
        (Request, DeleteRow, &["d", "del"]),
        (Request, FormatBody, &["f"]),
        (Request, NewIdempotencyKey, &["K"]),
        (Request, CopyCurl, &["c"]),
        (Request, InsertField, &["ctrl-space", "F2"]),
        (Request, NextProblem, &["F8"]),
        (Response, ScrollUp, &["up", "k"]),
        (Response, ScrollDown, &["down", "j"]),
        (Response, PageUp, &["pgup"]),
        (Response, PageDown, &["pgdn", "space"]),
        (Response, HalfPageUp, &["ctrl-u"]),
        (Response, HalfPageDown, &["ctrl-d"]),
        (Response, Top, &["home", "g"]),
        (Response, Bottom, &["end", "G"]),
        (Response, ScrollLeft, &["left", "h"]),
        (Response, ScrollRight, &["right", "l"]),
        (Response, ScrollHome, &["0"]),
        (Response, NextTab, &["]"]),
        (Response, PreviousTab, &["["]),
        (Response, Find, &["/"]),
        (Response, FindNext, &["n"]),
        (Response, FindPrevious, &["N"]),
        (Response, Jq, &["|"]),
        (Response, NextPage, &[">"]),
        (Response, PreviousPage, &["<", "p"]),
        (Response, CopyBody, &["y"]),
        (Response, CopyPath, &["Y"]),
        (Response, ToggleFold, &["enter"]),
        (Response, FoldPrefix, &["z"]),
        (Fold, ToggleFold, &["a"]),
        (Fold, FoldAll, &["M"]),
        (Fold, UnfoldAll, &["R"]),
        (Response, CopyCurl, &["c"]),
        (Response, SaveBody, &["w"]),
        (Response, Compare, &["="]),
        (Response, AllPages, &["A"]),
        (Response, CaptureValue, &["x"]),
        (Response, CaptureJq, &["X"]),
        (Overlay, Close, &["esc", "q"]),
        (Overlay, Help, &["?"]),
        (Overlay, ScrollUp, &["up", "k"]),
        (Overlay, ScrollDown, &["down", "j"]),
        (Overlay, PageUp, &["pgup"]),
        (Overlay, PageDown, &["pgdn", "space"]),
        (Overlay, Top, &["home", "g"]),
        (Overlay, Bottom, &["end", "G"]),
        (Overlay, HalfPageUp, &["ctrl-u"]),
        (Overlay, HalfPageDown, &["ctrl-d"]),
        (Overlay, ScrollLeft, &["left", "h"]),
        (Overlay, ScrollRight, &["right", "l"]),
        (Overlay, ScrollHome, &["0"]),
        (Overlay, FindNext, &["n"]),
        (Overlay, FindPrevious, &["N"]),
        (Overlay, Choose, &["enter"]),
        (Overlay, Filter, &["/"]),
        (Overlay, Discover, &["d"]),
        (Overlay, Diagnose, &["D"]),
        (History, Close, &["esc", "q"]),
        (History, Filter, &["/"]),
        (History, ScrollUp, &["up", "k"]),
        (History, ScrollDown, &["down", "j"]),
        (History, PageUp, &["pgup"]),
        (History, PageDown, &["pgdn", "space"]),
        (History, Top, &["home", "g"]),
        (History, Bottom, &["end", "G"]),
        (History, Load, &["enter"]),
        (History, ViewStored, &["v"]),
        (History, DeleteEntry, &["d", "del"]),
        (History, Mark, &["m"]),
        (History, Compare, &["="]),
        (Vars, Close, &["esc", "q"]),
        (Vars, ScrollUp, &["up", "k"]),
        (Vars, ScrollDown, &["down", "j"]),
        (Vars, Top, &["home", "g"]),
        (Vars, Bottom, &["end", "G"]),
        (Vars, Edit, &["enter", "e"]),
        (Vars, NewVar, &["a"]),
        (Vars, ForgetVar, &["d", "del"]),
        (Vars, SaveVar, &["s"]),
        (Confirm, Yes, &["y", "Y"]),
        (Confirm, No, &["n", "N", "esc"]),
        (Welcome, StartDemo, &["d"]),
        (Welcome, Configure, &["c"]),
        (Welcome, Quit, &["q", "esc"]),
    ]
};

/// Commands the help shows on one row when a scope binds all of them, with that row's line.
const GROUPS: &[(&[Command], &str)] = {
    use Command::*;
    &[
        (&[NextPane, PreviousPane], "next / previous pane"),
        (
            &[
                FocusConnection,
                FocusToken,
                FocusCatalog,
                FocusRequest,
                FocusResponse,
            ],
            "go to Connection / Token / Endpoints / Request / Response",
        ),
        (&[ScrollUp, ScrollDown], "up / down a line or row"),
        (&[PageUp, PageDown], "up / down a page"),
        (&[HalfPageUp, HalfPageDown], "up / down half a page"),
        (&[Top, Bottom], "to the top / the bottom"),
        (&[ScrollLeft, ScrollRight], "scroll left / right"),
        (
            &[PreviousChoice, NextChoice],
            "previous / next environment, auth method or api-version",
        ),
        (&[PreviousTab, NextTab], "previous / next tab"),
        (&[NextMethod, PreviousMethod], "next / previous method"),
        (
            &[FindNext, FindPrevious],
            "next / previous match of the search",
        ),
        (
            &[NextPage, PreviousPage],
            "next / previous page of a paged list",
        ),
    ]
};

/// The keys of one command in one scope.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Binding {
    scope: Scope,
    command: Command,
    keys: Vec<KeyChord>,
}

/// One key bound to two commands that can be active at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub key: KeyChord,
    /// The binding that comes first in the table.
    pub first: (Scope, Command),
    pub second: (Scope, Command),
}

/// Key → command for every scope, and command → keys for the help and the footer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keymap {
    /// In the order of `DEFAULTS` (the order the help lists them).
    bindings: Vec<Binding>,
    /// Every key of each command, indexed by `Command as usize`.
    by_command: Vec<Vec<KeyChord>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .map(|(scope, command, names)| Binding {
                scope: *scope,
                command: *command,
                keys: names
                    .iter()
                    .map(|n| n.parse().expect("the default key names are valid"))
                    .collect(),
            })
            .collect();
        Self::from_bindings(bindings)
    }
}

impl Keymap {
    fn from_bindings(bindings: Vec<Binding>) -> Self {
        let mut by_command = vec![Vec::new(); Command::ALL.len()];
        for b in &bindings {
            add_new(&mut by_command[b.command as usize], &b.keys);
        }
        Self {
            bindings,
            by_command,
        }
    }

    /// The command `event` means in `scope`: looked up along `scope.chain()`.
    pub fn command(&self, scope: Scope, event: &KeyEvent) -> Option<Command> {
        self.chord_command(scope, KeyChord::from_event(event))
    }

    fn chord_command(&self, scope: Scope, key: KeyChord) -> Option<Command> {
        scope.chain().iter().find_map(|s| {
            self.bindings
                .iter()
                .find(|b| b.scope == *s && b.keys.contains(&key))
                .map(|b| b.command)
        })
    }

    /// Every key of `command`, in all its scopes.
    pub fn keys(&self, command: Command) -> &[KeyChord] {
        &self.by_command[command as usize]
    }

    /// The first key of `command` as the footer shows it (`s`, `Ctrl-R`); empty when it has
    /// none.
    pub fn hint(&self, command: Command) -> String {
        self.keys(command)
            .first()
            .map(KeyChord::to_string)
            .unwrap_or_default()
    }

    /// The keys that do `command` when pressed in `scope`, nearest scope first (a key a
    /// nearer scope takes for another command is left out).
    pub fn keys_in(&self, scope: Scope, command: Command) -> Vec<KeyChord> {
        let mut keys = Vec::new();
        for s in scope.chain() {
            for b in self
                .bindings
                .iter()
                .filter(|b| b.scope == *s && b.command == command)
            {
                let works: Vec<KeyChord> = b
                    .keys
                    .iter()
                    .copied()
                    .filter(|k| self.chord_command(scope, *k) == Some(command))
                    .collect();
                add_new(&mut keys, &works);
            }
        }
        keys
    }

    /// The first key of `command` that works in `scope` (e.g. `F5` for `Send` in Always, for
    /// the footer while the body is being edited; `j` for `ShowJwt` in the Token pane, whose
    /// own keys come before Global's `J`); empty when there is none.
    pub fn hint_in(&self, scope: Scope, command: Command) -> String {
        self.keys_in(scope, command)
            .first()
            .map(KeyChord::to_string)
            .unwrap_or_default()
    }

    /// The help for `scope`: each command bound there with its keys (`s, F5, Ctrl-R`) and its
    /// description, in table order; the commands of a group (up and down, the five panes…)
    /// bound there share one row (`↑, k / ↓, j`). Global's list takes in Always's, as the help
    /// shows them together.
    pub fn help(&self, scope: Scope) -> Vec<(String, &'static str)> {
        let shown: &[Scope] = match scope {
            Scope::Global => &[Scope::Global, Scope::Always],
            Scope::Response => &[Scope::Response, Scope::Fold],
            _ => std::slice::from_ref(&scope),
        };
        // A key of the fold scope is typed after the prefix: `z a`.
        let prefix = self.hint_in(Scope::Response, Command::FoldPrefix);
        let mut rows: Vec<(Command, Vec<String>)> = Vec::new();
        for b in self.bindings.iter().filter(|b| shown.contains(&b.scope)) {
            let at = match rows.iter().position(|(c, _)| *c == b.command) {
                Some(at) => at,
                None => {
                    rows.push((b.command, Vec::new()));
                    rows.len() - 1
                }
            };
            for key in &b.keys {
                let name = match b.scope {
                    Scope::Fold => format!("{prefix} {key}"),
                    _ => key.to_string(),
                };
                if !rows[at].1.contains(&name) {
                    rows[at].1.push(name);
                }
            }
        }
        rows.retain(|(_, keys)| !keys.is_empty());
        let listed = |keys: &[String]| keys.join(", ");
        let mut out = Vec::new();
        let mut done: Vec<Command> = Vec::new();
        for (command, keys) in &rows {
            if done.contains(command) {
                continue;
            }
            let group = GROUPS.iter().find(|(members, _)| {
                members.contains(command)
                    && members.iter().all(|m| rows.iter().any(|(c, _)| c == m))
            });
            match group {
                Some((members, description)) => {
                    let keys: Vec<String> = members
                        .iter()
                        .filter_map(|m| rows.iter().find(|(c, _)| c == m))
                        .map(|(_, keys)| listed(keys))
                        .collect();
                    out.push((keys.join(" / "), *description));
                    done.extend_from_slice(members);
                }
                None => out.push((listed(keys), command.description())),
            }
        }
        out
    }

    /// Every key bound to two different commands in scopes that overlap.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut found = Vec::new();
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                if a.command == b.command || !a.scope.overlaps(b.scope) {
                    continue;
                }
                for key in a.keys.iter().filter(|k| b.keys.contains(k)) {
                    found.push(Conflict {
                        key: *key,
                        first: (a.scope, a.command),
                        second: (b.scope, b.command),
                    });
                }
            }
        }
        found
    }
}

/// Appends the keys of `more` that `keys` does not have yet.
fn add_new(keys: &mut Vec<KeyChord>, more: &[KeyChord]) {
    for key in more {
        if !keys.contains(key) {
            keys.push(*key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn key(c: char) -> KeyEvent {
        press(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn the_defaults_have_no_conflicts() {
        assert_eq!(Keymap::default().conflicts(), Vec::new());
    }

    #[test]
    fn a_pane_key_is_looked_up_in_the_pane_then_global_then_always() {
        let keys = Keymap::default();
        assert_eq!(
            keys.command(Scope::Response, &key('n')),
            Some(Command::FindNext)
        );
        assert_eq!(
            keys.command(Scope::Response, &key('>')),
            Some(Command::NextPage)
        );
        assert_eq!(
            keys.command(Scope::Request, &key('n')),
            Some(Command::EditName)
        );
        assert_eq!(
            keys.command(Scope::Token, &key('j')),
            Some(Command::ShowJwt)
        );
        assert_eq!(
            keys.command(Scope::Catalog, &key('j')),
            Some(Command::ScrollDown)
        );
        assert_eq!(
            keys.command(Scope::Response, &key('s')),
            Some(Command::Send)
        );
        let f5 = press(KeyCode::F(5), KeyModifiers::NONE);
        assert_eq!(keys.command(Scope::Request, &f5), Some(Command::Send));
        assert_eq!(keys.command(Scope::Always, &f5), Some(Command::Send));
        assert_eq!(keys.command(Scope::Always, &key('s')), None);
        assert_eq!(keys.command(Scope::Overlay, &f5), None);
    }

    #[test]
    fn odd_shift_reports_find_their_command() {
        let keys = Keymap::default();
        let shift = KeyModifiers::SHIFT;
        let help = press(KeyCode::Char('?'), shift);
        assert_eq!(keys.command(Scope::Catalog, &help), Some(Command::Help));
        let back = press(KeyCode::BackTab, shift);
        assert_eq!(
            keys.command(Scope::Request, &back),
            Some(Command::PreviousPane)
        );
        let jwt = press(KeyCode::Char('J'), shift);
        assert_eq!(keys.command(Scope::Token, &jwt), Some(Command::ShowJwt));
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(
            keys.command(Scope::Response, &ctrl_c),
            Some(Command::QuitNow)
        );
        assert_eq!(
            keys.command(Scope::Response, &key('c')),
            Some(Command::CopyCurl)
        );
    }

    #[test]
    fn help_hint_and_keys_read_the_table() {
        let keys = Keymap::default();
        let names: Vec<String> = keys.keys(Command::Send).iter().map(|k| k.name()).collect();
        assert_eq!(names, ["s", "F5", "ctrl-r"]);
        assert_eq!(keys.hint(Command::Send), "s");
        assert_eq!(keys.hint_in(Scope::Always, Command::Send), "F5");
        assert_eq!(keys.hint(Command::PreviousPane), "Shift-Tab");
        assert_eq!(keys.hint_in(Scope::Token, Command::ShowJwt), "j");
        assert_eq!(keys.hint_in(Scope::Catalog, Command::ShowJwt), "J");
        let in_request: Vec<String> = keys
            .keys_in(Scope::Request, Command::Edit)
            .iter()
            .map(|k| k.name())
            .collect();
        assert_eq!(in_request, ["enter", "e"]);
        assert_eq!(keys.hint_in(Scope::Overlay, Command::Send), "");
        let global = keys.help(Scope::Global);
        assert!(global.contains(&("s, F5, Ctrl-R".into(), Command::Send.description())));
        assert!(global.contains(&("Ctrl-C".into(), Command::QuitNow.description())));
        let response = keys.help(Scope::Response);
        assert_eq!(
            response[0],
            ("↑, k / ↓, j".into(), "up / down a line or row")
        );
        let panes = "1 / 2 / 3 / 4 / 5";
        assert!(global.iter().any(|(k, _)| k == panes));
        assert!(
            !response
                .iter()
                .any(|(_, d)| *d == Command::Send.description())
        );
    }

    #[test]
    fn every_command_has_a_default_key() {
        let keys = Keymap::default();
        for c in Command::ALL {
            assert!(!keys.keys(*c).is_empty(), "{}", c.name());
        }
    }
}
