//! Find (`/`): the last key of the query to the frame showing the first match (found on the
//! UI thread within its budget, or else when the count comes in), the count (off the UI
//! thread), and `n` with its frame, for a common and a rare query.

use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use younium_tui::pretty::Document;
use younium_tui::pretty::find::index_matches;
use younium_tui::tui::keymap::Command;
use younium_tui::tui::panes::response::{ResponseEvent, ResponsePane};

use crate::common::{body, draw, key, key_code, ms, shown_for, stats};

/// Find on a synthetic `mb` MB body of accounts.
pub fn synthetic(mb: usize) {
    let raw = body(mb * 1_000_000);
    let rare = last_value(&raw, "accountNumber");
    find(
        &format!("{mb} MB body"),
        "/Accounts",
        raw,
        &[
            ("common", "\"currencycode\": \"sek\""),
            ("rare (last record)", &rare),
        ],
    );
}

/// Find on `raw` (the answer to `GET path`), one case per `(label, query)`.
pub fn find(title: &str, path: &str, raw: Bytes, queries: &[(&str, &str)]) {
    let size = raw.len();
    let doc = Document::new(raw.clone(), true);
    let lines = doc.line_count();
    let mut pane = ResponsePane::default();
    pane.show(shown_for(path, raw, doc, None));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    draw(&mut pane, &mut terminal);
    println!();
    println!("find, {title}: {size} bytes, {lines} display lines");
    for (label, query) in queries {
        pane.scroll_to(0);
        pane.handle_key(Some(Command::Find));
        let chars: Vec<char> = query.chars().collect();
        for c in &chars[..chars.len() - 1] {
            pane.find_key(key(*c));
        }
        let t = Instant::now();
        let event = pane.find_key(key(chars[chars.len() - 1]));
        draw(&mut pane, &mut terminal);
        let typed = t.elapsed();
        let found_at_once = pane.find().is_some_and(|f| f.current.is_some());
        let ResponseEvent::Count(request) = event else {
            panic!("no count asked for")
        };
        let doc = pane.doc().unwrap();
        let t = Instant::now();
        let index = index_matches(doc.as_ref(), &request.matcher, &request.cancel);
        let count = t.elapsed();
        let total = index.as_ref().map_or(0, |i| i.total());
        let t = Instant::now();
        pane.counted(request.id, index.map(Arc::new));
        draw(&mut pane, &mut terminal);
        let counted = t.elapsed();
        pane.find_key(key_code(crossterm::event::KeyCode::Enter));
        let mut steps = Vec::new();
        for _ in 0..50 {
            let t = Instant::now();
            pane.handle_key(Some(Command::FindNext));
            draw(&mut pane, &mut terminal);
            steps.push(t.elapsed());
        }
        let (n_median, n_p95, n_max) = stats(steps);
        let first = if found_at_once {
            format!("{} (found on the key)", ms(typed))
        } else {
            format!(
                "{} on the key, then the count: {} in all",
                ms(typed),
                ms(typed + count + counted)
            )
        };
        println!("  {label}: {query:?}, {total} matches");
        println!("    last key → first match on screen       {first}   (target 50 ms)");
        println!(
            "    full count (off the UI thread)         {}   (target 300 ms)",
            ms(count)
        );
        println!(
            "    n + frame, 50 samples                  median {}  p95 {}  max {}   (target 16 ms)",
            ms(n_median),
            ms(n_p95),
            ms(n_max)
        );
        pane.handle_key(Some(Command::Cancel));
    }
}

/// The text value of the last `"field":"…"` of a compact body.
pub fn last_value(raw: &Bytes, field: &str) -> String {
    let text = std::str::from_utf8(raw).unwrap();
    let marker = format!("\"{field}\":\"");
    let at = text.rfind(&marker).unwrap() + marker.len();
    let end = at + text[at..].find('"').unwrap();
    text[at..end].to_string()
}
