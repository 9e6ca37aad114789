use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml_edit::{Document, DocumentMut};

use super::super::{Command, KeyChord, Keymap, ProblemKind, Scope, keymap_from_config};
use super::KeyProblem;
use crate::config::ConfigFile;

/// Applies the `[keys]` of `text`, read both with spans and without (as `ConfigFile` keeps
/// it); both must give the same keymap and the same problems.
fn load(text: &str) -> (Keymap, Vec<KeyProblem>) {
    let path = Path::new("c.toml");
    let spanned = Document::parse(text).expect("valid TOML");
    let with_spans = Keymap::with_overrides(spanned["keys"].as_table().unwrap(), text, path);
    let plain: DocumentMut = text.parse().expect("valid TOML");
    let without = Keymap::with_overrides(plain["keys"].as_table().unwrap(), text, path);
    assert_eq!(with_spans, without, "with and without spans differ");
    with_spans
}

fn names(keymap: &Keymap, command: Command) -> Vec<String> {
    keymap.keys(command).iter().map(KeyChord::name).collect()
}

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

fn key(c: char) -> KeyEvent {
    press(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn an_override_replaces_the_keys_and_the_help_shows_them() {
    let (keys, problems) = load("[keys]\nsend = [\"ctrl-enter\", \"F5\"]\nrenew = \"ctrl-t\"\n");
    assert_eq!(problems, Vec::new());
    assert_eq!(names(&keys, Command::Send), ["ctrl-enter", "F5"]);
    let ctrl_enter = press(KeyCode::Enter, KeyModifiers::CONTROL);
    assert_eq!(
        keys.command(Scope::Always, &ctrl_enter),
        Some(Command::Send)
    );
    assert_eq!(keys.command(Scope::Request, &key('s')), None);
    let ctrl_r = press(KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(keys.command(Scope::Request, &ctrl_r), None);
    let ctrl_t = press(KeyCode::Char('t'), KeyModifiers::CONTROL);
    assert_eq!(keys.command(Scope::Token, &ctrl_t), Some(Command::Renew));
    assert_eq!(keys.command(Scope::Token, &key('r')), None);
    let help = keys.help(Scope::Global);
    assert!(help.contains(&("Ctrl-Enter, F5".into(), Command::Send.description())));
    assert!(help.contains(&("Ctrl-T".into(), Command::Renew.description())));
    assert_eq!(keys.hint(Command::Renew), "Ctrl-T");
    assert_eq!(keys.hint(Command::Send), "Ctrl-Enter");
}

#[test]
fn keys_a_text_field_wants_work_only_when_nothing_is_edited() {
    let (keys, problems) = load("[keys]\nsend = [\"o\", \"ctrl-x\"]\nquit_now = \"Q\"\n");
    assert_eq!(problems, Vec::new());
    assert_eq!(keys.command(Scope::Always, &key('o')), None);
    assert_eq!(keys.command(Scope::Global, &key('o')), Some(Command::Send));
    let ctrl_x = press(KeyCode::Char('x'), KeyModifiers::CONTROL);
    assert_eq!(keys.command(Scope::Always, &ctrl_x), Some(Command::Send));
    let shift_q = press(KeyCode::Char('Q'), KeyModifiers::SHIFT);
    assert_eq!(
        keys.command(Scope::Catalog, &shift_q),
        Some(Command::QuitNow)
    );
    assert_eq!(keys.command(Scope::Always, &shift_q), None);
}

#[test]
fn a_command_in_several_scopes_gets_the_keys_in_each() {
    let (keys, problems) = load("[keys]\nscroll_down = [\"ctrl-n\", \"down\"]\n");
    assert_eq!(problems, Vec::new());
    let ctrl_n = press(KeyCode::Char('n'), KeyModifiers::CONTROL);
    for scope in [
        Scope::Connection,
        Scope::Catalog,
        Scope::Request,
        Scope::Response,
        Scope::Overlay,
    ] {
        assert_eq!(keys.command(scope, &ctrl_n), Some(Command::ScrollDown));
        assert_eq!(keys.command(scope, &key('j')), None, "{scope:?}");
    }
    assert_eq!(
        keys.command(Scope::Token, &key('j')),
        Some(Command::ShowJwt)
    );
}

#[test]
fn an_empty_list_unbinds() {
    let (keys, problems) = load("[keys]\npick_profile = []\n");
    assert_eq!(problems, Vec::new());
    assert!(keys.keys(Command::PickProfile).is_empty());
    assert_eq!(keys.hint(Command::PickProfile), "");
    assert!(
        !keys
            .help(Scope::Global)
            .iter()
            .any(|(_, d)| *d == Command::PickProfile.description())
    );
}

const BAD: &str = r#"# keys
[profiles.demo]
client_id = "x"

[keys]
sned = "F6"
renew = "ctrl-entr"
help = 5
quit = [
  "ctrl-q",
  "zz",
]
show_jwt = ["x", 7]
"pick_profile" = "s"
focus_token = ["j"]
next_page = "F8"
"#;

#[test]
fn each_problem_is_reported_on_its_line() {
    let (_, problems) = load(BAD);
    let found: Vec<(usize, &ProblemKind)> = problems.iter().map(|p| (p.line, &p.kind)).collect();
    assert!(
        matches!(
            found[..],
            [
                (6, ProblemKind::UnknownCommand { .. }),
                (7, ProblemKind::UnknownKey { .. }),
                (8, ProblemKind::NotKeys { .. }),
                (11, ProblemKind::UnknownKey { .. }),
                (13, ProblemKind::NotKeys { .. }),
                (14, ProblemKind::Conflict { .. }),
                (15, ProblemKind::Conflict { .. }),
            ]
        ),
        "{problems:#?}"
    );
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        text[0],
        "c.toml:6: [keys] has no command `sned` (did you mean `send`?); the entry is ignored"
    );
    assert!(text[1].starts_with("c.toml:7: `renew`: unknown key `ctrl-entr`"));
    assert!(
        text[1].ends_with("keeping its default keys (r)"),
        "{}",
        text[1]
    );
    assert_eq!(
        text[2],
        "c.toml:8: `help` takes a key name or a list of them, like [\"ctrl-r\", \"F5\"], \
         not an integer; keeping its default keys (?)"
    );
    assert!(
        text[4].contains("not a list holding an integer"),
        "{}",
        text[4]
    );
    assert_eq!(
        text[5],
        "c.toml:14: `pick_profile`: `s` is already the key of `send`; keeping its default \
         keys (P)"
    );
    assert!(
        text[6].contains("`j` is already the key of `scroll_down`"),
        "{}",
        text[6]
    );
}

#[test]
fn the_defaults_stay_after_a_problem() {
    let (keys, _) = load(BAD);
    assert_eq!(names(&keys, Command::Renew), ["r"]);
    assert_eq!(names(&keys, Command::Help), ["?"]);
    assert_eq!(names(&keys, Command::Quit), ["q", "esc"]);
    assert_eq!(names(&keys, Command::ShowJwt), ["J", "j", "enter"]);
    assert_eq!(names(&keys, Command::PickProfile), ["P"]);
    assert_eq!(names(&keys, Command::FocusToken), ["2"]);
    // The entry without a problem is applied.
    assert_eq!(names(&keys, Command::NextPage), ["F8"]);
    assert_eq!(keys.conflicts(), Vec::new());
}

#[test]
fn of_two_entries_in_conflict_the_later_keeps_its_defaults() {
    let text = "[keys]\nrenew = \"o\"\nsend = \"o\"\n";
    let (keys, problems) = load(text);
    assert_eq!(names(&keys, Command::Renew), ["o"]);
    assert_eq!(names(&keys, Command::Send), ["s", "F5", "ctrl-r"]);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 3);
    assert!(
        problems[0]
            .to_string()
            .contains("already the key of `renew`")
    );
}

#[test]
fn keys_can_be_swapped() {
    let (keys, problems) = load("[keys]\nrenew = \"s\"\nsend = \"r\"\n");
    assert_eq!(problems, Vec::new());
    assert_eq!(
        keys.command(Scope::Request, &key('s')),
        Some(Command::Renew)
    );
    assert_eq!(keys.command(Scope::Request, &key('r')), Some(Command::Send));
}

#[test]
fn a_pane_key_may_not_shadow_a_global_one_but_a_box_may() {
    let (keys, problems) = load("[keys]\nhalf_page_down = \"ctrl-r\"\ndiscover = \"r\"\n");
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].line, 2);
    assert!(
        problems[0]
            .to_string()
            .contains("already the key of `send`")
    );
    assert_eq!(names(&keys, Command::HalfPageDown), ["ctrl-d"]);
    assert_eq!(
        keys.command(Scope::Overlay, &key('r')),
        Some(Command::Discover)
    );
    assert_eq!(
        keys.command(Scope::Response, &key('r')),
        Some(Command::Renew)
    );
}

#[test]
fn a_config_file_gives_its_keys_section() {
    let path = Path::new("/home/me/.config/younium-tui/config.toml");
    let text = "default_profile = \"sandbox\"\n\n[profiles.sandbox]\nclient_id = \"x\"\n\n\
                [keys]\nsend = [\"ctrl-enter\"]\nhelp = \"F1\"\nsned = \"x\"\n";
    let (keys, problems) = keymap_from_text(text, path);
    assert_eq!(names(&keys, Command::Send), ["ctrl-enter"]);
    assert_eq!(names(&keys, Command::Help), ["F1"]);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(
        problems[0].to_string(),
        "/home/me/.config/younium-tui/config.toml:9: [keys] has no command `sned` \
         (did you mean `send`?); the entry is ignored"
    );

    let (keys, problems) = keymap_from_text("[profiles.a]\nclient_id = \"x\"\n", path);
    assert_eq!((keys, problems), (Keymap::default(), Vec::new()));

    let (keys, problems) = keymap_from_text("keys = { quit = \"Q\" }\n", path);
    assert_eq!(problems, Vec::new());
    assert_eq!(names(&keys, Command::Quit), ["Q"]);

    let (keys, problems) = keymap_from_text("\nkeys = 3\n", path);
    assert_eq!(keys, Keymap::default());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 2);
    assert!(matches!(problems[0].kind, ProblemKind::KeysNotATable(_)));

    // A file that is not TOML is the config loader's error (with its line): no keymap then.
    let broken = ConfigFile::parse(path, "[keys]\nsend = [\"F5\"\n").unwrap_err();
    assert!(broken.to_string().contains("line 2"), "{broken}");
}

/// The keymap of `text` read as the config file at `path`.
fn keymap_from_text(text: &str, path: &Path) -> (Keymap, Vec<KeyProblem>) {
    keymap_from_config(&ConfigFile::parse(path, text).unwrap())
}
