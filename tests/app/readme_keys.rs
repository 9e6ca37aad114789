//! README.md lists every key from the keymap itself, between the `keys:start` and `keys:end`
//! markers, so it cannot drift from what the app does. After changing a default key, run
//! `UPDATE_README=1 cargo test --test app readme_keys` to write the list again.

use younium_tui::tui::keymap::{Keymap, Scope};

const START: &str = "<!-- keys:start -->\n";
const END: &str = "<!-- keys:end -->";

/// The keys of each scope as Markdown tables, in the order a user meets them.
fn key_tables() -> String {
    let keymap = Keymap::default();
    let sections = [
        (Scope::Global, "Everywhere"),
        (Scope::Connection, "Connection"),
        (Scope::Token, "Token"),
        (Scope::Catalog, "Endpoints"),
        (Scope::Request, "Request"),
        (Scope::Response, "Response"),
        (
            Scope::Overlay,
            "Boxes (help, JWT, pickers, diagnosis, comparison)",
        ),
        (Scope::History, "History box (`H`)"),
        (Scope::Vars, "Variables box (`V`)"),
        (Scope::Confirm, "Questions"),
        (Scope::Welcome, "First-run screen"),
    ];
    let mut out = String::new();
    for (scope, title) in sections {
        out.push_str(&format!("\n**{title}**\n\n| Keys | Does |\n|---|---|\n"));
        for (keys, description) in keymap.help(scope) {
            // A `|` in a table cell, even in code, must be escaped.
            let keys = keys.replace('|', "\\|");
            let description = description.replace('|', "\\|");
            out.push_str(&format!("| `{keys}` | {description} |\n"));
        }
    }
    out.push('\n');
    out
}

#[test]
fn the_readme_lists_the_keys_of_the_keymap() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme.find(START).expect("the keys:start marker") + START.len();
    let end = readme.find(END).expect("the keys:end marker");
    let wanted = key_tables();
    if readme[start..end] == wanted {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{wanted}{}", &readme[..start], &readme[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    panic!(
        "README.md's key list is not the keymap's: run `UPDATE_README=1 cargo test --test app \
         readme_keys` and review the change. Wanted:\n{wanted}"
    );
}
