//! A key with its modifiers: read from the names the config file uses (`ctrl-r`, `F5`,
//! `shift-tab`, `Q`), written back as those names or as the help shows them (`Ctrl-R`), and
//! compared with what the terminal reports however it spells shift.

use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key with its modifiers, held in one spelling: a character carries its own shift (`Q`,
/// `?`), so SHIFT is only kept for keys that are not characters (`shift-up`), and shift-tab is
/// `BackTab`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyChord {
    code: KeyCode,
    modifiers: KeyModifiers,
}

/// Why a key name could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChordError {
    #[error("the key name is empty")]
    Empty,
    #[error(
        "unknown key `{0}` (a character, or esc, enter, tab, space, backspace, del, insert, \
         up, down, left, right, home, end, pgup, pgdn, F1-F24, with ctrl-, alt-, shift-)"
    )]
    Unknown(String),
    #[error("`{0}`: write the character shift gives instead (e.g. `?` rather than `shift-/`)")]
    ShiftedSymbol(String),
}

/// Names accepted for keys that are not characters; the first of each is the one written back.
const NAMED: &[(&[&str], KeyCode)] = &[
    (&["esc", "escape"], KeyCode::Esc),
    (&["enter", "return"], KeyCode::Enter),
    (&["tab"], KeyCode::Tab),
    (&["backtab"], KeyCode::BackTab),
    (&["space"], KeyCode::Char(' ')),
    (&["backspace"], KeyCode::Backspace),
    (&["del", "delete"], KeyCode::Delete),
    (&["insert", "ins"], KeyCode::Insert),
    (&["up"], KeyCode::Up),
    (&["down"], KeyCode::Down),
    (&["left"], KeyCode::Left),
    (&["right"], KeyCode::Right),
    (&["home"], KeyCode::Home),
    (&["end"], KeyCode::End),
    (&["pgup", "pageup"], KeyCode::PageUp),
    (&["pgdn", "pagedown"], KeyCode::PageDown),
];

/// Modifier prefixes in the order they are written.
const MODIFIERS: &[(&str, &str, KeyModifiers)] = &[
    ("ctrl", "Ctrl", KeyModifiers::CONTROL),
    ("alt", "Alt", KeyModifiers::ALT),
    ("super", "Super", KeyModifiers::SUPER),
    ("shift", "Shift", KeyModifiers::SHIFT),
];

impl KeyChord {
    /// The chord for `code` with `modifiers`, in the one spelling (see the type).
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        let mut modifiers = modifiers;
        let shift = modifiers.contains(KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) if shift => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_uppercase())
            }
            KeyCode::Char(_) => code,
            KeyCode::Tab | KeyCode::BackTab if shift || code == KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            _ => code,
        };
        Self { code, modifiers }
    }

    /// The chord a key press is, however the terminal reported shift.
    pub fn from_event(event: &KeyEvent) -> Self {
        Self::new(event.code, event.modifiers)
    }

    /// Whether `event` is this chord.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        *self == Self::from_event(event)
    }

    /// The key (a shifted letter as its capital, shift-tab as `BackTab`).
    pub fn code(&self) -> KeyCode {
        self.code
    }

    /// The modifiers held (SHIFT only on keys that are not characters).
    pub fn modifiers(&self) -> KeyModifiers {
        self.modifiers
    }

    /// Whether a text field would take this key as editing (a character, Enter, Esc, the
    /// arrows…): true unless Ctrl, Alt or Super is held or it is a function key.
    pub fn edits_text(&self) -> bool {
        let held = KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SUPER;
        !self.modifiers.intersects(held) && !matches!(self.code, KeyCode::F(_))
    }

    /// The name the config file uses (`ctrl-r`, `F5`, `shift-tab`, `Q`, `space`).
    pub fn name(&self) -> String {
        let mut out = String::new();
        for (name, _, m) in MODIFIERS {
            if self.modifiers.contains(*m) {
                out.push_str(name);
                out.push('-');
            }
        }
        out.push_str(&match self.code {
            KeyCode::BackTab => "shift-tab".to_string(),
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            code => match NAMED.iter().find(|(_, c)| *c == code) {
                Some((names, _)) => names[0].to_string(),
                None => format!("{code:?}").to_lowercase(),
            },
        });
        out
    }

    fn key_label(&self) -> String {
        let held = self
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match self.code {
            // `Ctrl-R` is ctrl and r; ctrl and shift and r is spelled out.
            KeyCode::Char(c) if held && c.is_ascii_uppercase() => format!("Shift-{c}"),
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::Char(c) if held => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Insert => "Ins".into(),
            KeyCode::F(n) => format!("F{n}"),
            code => format!("{code:?}"),
        }
    }
}

/// As the help shows it: `Ctrl-R`, `F5`, `Shift-Tab`, `?`, `↑`, `PgDn`, `Space`.
impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (_, label, m) in MODIFIERS {
            if self.modifiers.contains(*m) {
                write!(f, "{label}-")?;
            }
        }
        f.write_str(&self.key_label())
    }
}

impl FromStr for KeyChord {
    type Err = ChordError;

    /// Reads `ctrl-r`, `F5`, `shift-tab`, `Q` (= `shift-q`), `alt-x`, `?`, `space`…
    /// Modifier and key names ignore case; a single character is taken as typed.
    fn from_str(text: &str) -> Result<Self, ChordError> {
        // A lone space is the space key; around a name, spaces are only layout.
        let text = match text.trim() {
            "" if text.contains(' ') => " ",
            trimmed => trimmed,
        };
        if text.is_empty() {
            return Err(ChordError::Empty);
        }
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        while let Some((head, tail)) = rest.split_once('-')
            && !tail.is_empty()
            && let Some((_, _, m)) = MODIFIERS
                .iter()
                .find(|(name, _, _)| name.eq_ignore_ascii_case(head))
        {
            modifiers |= *m;
            rest = tail;
        }
        let code = key_code(rest).ok_or_else(|| ChordError::Unknown(text.to_string()))?;
        if let KeyCode::Char(c) = code
            && modifiers.contains(KeyModifiers::SHIFT)
            && !c.is_ascii_alphabetic()
            && c != ' '
        {
            return Err(ChordError::ShiftedSymbol(text.to_string()));
        }
        Ok(Self::new(code, modifiers))
    }
}

/// The key a name (without modifiers) stands for.
fn key_code(name: &str) -> Option<KeyCode> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Some(KeyCode::Char(c));
    }
    if let Some((_, code)) = NAMED
        .iter()
        .find(|(names, _)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
    {
        return Some(*code);
    }
    let number = name.strip_prefix(['f', 'F'])?;
    match number.parse::<u8>() {
        Ok(n @ 1..=24) if !number.starts_with(['0', '+']) => Some(KeyCode::F(n)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chord(name: &str) -> KeyChord {
        name.parse().unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn every_name_form_round_trips() {
        let names = [
            "ctrl-r",
            "ctrl-enter",
            "F5",
            "F12",
            "shift-tab",
            "ctrl-shift-tab",
            "esc",
            "enter",
            "space",
            "pgup",
            "pgdn",
            "home",
            "end",
            "up",
            "down",
            "left",
            "right",
            "tab",
            "backspace",
            "del",
            "insert",
            "?",
            "/",
            "[",
            "-",
            "ctrl--",
            "0",
            "q",
            "Q",
            "alt-x",
            "ctrl-R",
            "ctrl-alt-del",
            "shift-up",
            "super-k",
        ];
        for name in names {
            assert_eq!(chord(name).name(), name);
            assert_eq!(chord(&chord(name).name()), chord(name), "{name}");
        }
    }

    #[test]
    fn other_spellings_read_as_the_canonical_one() {
        let same = [
            ("shift-q", "Q"),
            ("SHIFT-Q", "Q"),
            ("Ctrl-R", "ctrl-R"),
            ("ctrl-shift-r", "ctrl-R"),
            ("f5", "F5"),
            ("Esc", "esc"),
            ("escape", "esc"),
            ("return", "enter"),
            ("PageDown", "pgdn"),
            ("delete", "del"),
            ("backtab", "shift-tab"),
            ("shift-backtab", "shift-tab"),
            (" ", "space"),
            ("shift-space", "space"),
            ("alt-ctrl-x", "ctrl-alt-x"),
        ];
        for (given, canonical) in same {
            assert_eq!(chord(given), chord(canonical), "{given}");
            assert_eq!(chord(given).name(), canonical, "{given}");
        }
    }

    #[test]
    fn bad_names_say_why() {
        assert_eq!("".parse::<KeyChord>(), Err(ChordError::Empty));
        for bad in [
            "ctrl-",
            "hyper-x",
            "ctrl-entr",
            "F0",
            "F25",
            "F05",
            "xy",
            "ctrl",
        ] {
            assert!(
                matches!(bad.parse::<KeyChord>(), Err(ChordError::Unknown(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            "shift-/".parse::<KeyChord>(),
            Err(ChordError::ShiftedSymbol(_))
        ));
    }

    #[test]
    fn the_help_spelling() {
        let shown = [
            ("ctrl-r", "Ctrl-R"),
            ("ctrl-R", "Ctrl-Shift-R"),
            ("F5", "F5"),
            ("shift-tab", "Shift-Tab"),
            ("?", "?"),
            ("Q", "Q"),
            ("q", "q"),
            ("up", "↑"),
            ("pgdn", "PgDn"),
            ("space", "Space"),
            ("alt-x", "Alt-X"),
            ("ctrl-enter", "Ctrl-Enter"),
            ("shift-up", "Shift-↑"),
            ("del", "Del"),
        ];
        for (name, help) in shown {
            assert_eq!(chord(name).to_string(), help, "{name}");
        }
    }

    #[test]
    fn shift_is_matched_however_the_terminal_reports_it() {
        let none = KeyModifiers::NONE;
        let shift = KeyModifiers::SHIFT;
        let ctrl = KeyModifiers::CONTROL;
        assert!(chord("?").matches(&event(KeyCode::Char('?'), none)));
        assert!(chord("?").matches(&event(KeyCode::Char('?'), shift)));
        assert!(chord("Q").matches(&event(KeyCode::Char('Q'), shift)));
        assert!(chord("Q").matches(&event(KeyCode::Char('Q'), none)));
        assert!(chord("Q").matches(&event(KeyCode::Char('q'), shift)));
        assert!(!chord("Q").matches(&event(KeyCode::Char('q'), none)));
        assert!(!chord("q").matches(&event(KeyCode::Char('Q'), shift)));
        assert!(chord("shift-tab").matches(&event(KeyCode::BackTab, shift)));
        assert!(chord("shift-tab").matches(&event(KeyCode::BackTab, none)));
        assert!(chord("shift-tab").matches(&event(KeyCode::Tab, shift)));
        assert!(!chord("tab").matches(&event(KeyCode::BackTab, shift)));
        assert!(chord("ctrl-R").matches(&event(KeyCode::Char('r'), ctrl | shift)));
        assert!(chord("ctrl-R").matches(&event(KeyCode::Char('R'), ctrl | shift)));
        assert!(chord("shift-up").matches(&event(KeyCode::Up, shift)));
        assert!(!chord("up").matches(&event(KeyCode::Up, shift)));
    }

    #[test]
    fn modifiers_are_not_ignored() {
        let ctrl = KeyModifiers::CONTROL;
        assert!(chord("ctrl-r").matches(&event(KeyCode::Char('r'), ctrl)));
        assert!(!chord("r").matches(&event(KeyCode::Char('r'), ctrl)));
        assert!(!chord("ctrl-r").matches(&event(KeyCode::Char('r'), KeyModifiers::NONE)));
        assert!(!chord("s").matches(&event(KeyCode::Char('s'), KeyModifiers::ALT)));
    }

    #[test]
    fn keys_a_text_field_takes() {
        for name in [
            "s",
            "Q",
            "enter",
            "esc",
            "space",
            "up",
            "shift-tab",
            "backspace",
        ] {
            assert!(chord(name).edits_text(), "{name}");
        }
        for name in ["ctrl-r", "F5", "alt-x", "ctrl-enter", "shift-F5"] {
            assert!(!chord(name).edits_text(), "{name}");
        }
    }
}
