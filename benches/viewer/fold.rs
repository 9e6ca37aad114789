//! Folding on a large body, the way the keys do it in the Response pane: one node folded and
//! unfolded (with the frame that shows it), the list that holds every record folded (one pass
//! over the whole index), `z M` and `z R`, and the cursor's path at the end of the body.

use std::time::{Duration, Instant};

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use younium_tui::pretty::Document;
use younium_tui::tui::keymap::Command;
use younium_tui::tui::panes::response::ResponsePane;

use super::common::{draw, ms, shown, stats};

/// Runs `command` on the pane and draws the frame after it; the time of both.
fn timed(
    pane: &mut ResponsePane,
    terminal: &mut Terminal<TestBackend>,
    command: Command,
) -> Duration {
    let t = Instant::now();
    pane.handle_key(Some(command));
    draw(pane, terminal);
    t.elapsed()
}

pub fn fold(raw: Bytes) {
    let size = raw.len();
    let doc = Document::new(raw.clone(), true);
    let lines = doc.line_count();
    let mut pane = ResponsePane::default();
    pane.show(shown(raw, doc, None));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    draw(&mut pane, &mut terminal);
    println!();
    println!(
        "folding, {} MB body: {lines} display lines",
        size / 1_000_000
    );

    // A record in the middle of the list: its opening line, folded and unfolded 20 times.
    let text = |pane: &ResponsePane, line: usize| pane.doc().unwrap().line(line);
    let mut line = lines / 2;
    while !text(&pane, line).ends_with('{') {
        line += 1;
    }
    let mut one = Vec::new();
    for _ in 0..20 {
        pane.set_cursor(line);
        pane.scroll_to(line.saturating_sub(10));
        one.push(timed(&mut pane, &mut terminal, Command::ToggleFold));
        one.push(timed(&mut pane, &mut terminal, Command::ToggleFold));
    }
    let (median, _, worst) = stats(one);
    println!(
        "  fold or unfold one record + frame       {} median, {} worst",
        ms(median),
        ms(worst)
    );

    // The list of every record (the body itself, or its first list such as `"data": [`):
    // one pass over the whole index.
    pane.set_cursor(0);
    pane.scroll_to(0);
    let mut data = 0;
    while !text(&pane, data).ends_with('[') {
        data += 1;
    }
    let mut list = Vec::new();
    for _ in 0..5 {
        pane.set_cursor(data);
        list.push(timed(&mut pane, &mut terminal, Command::ToggleFold));
        list.push(timed(&mut pane, &mut terminal, Command::ToggleFold));
    }
    let (median, _, worst) = stats(list);
    println!(
        "  fold or unfold the whole list + frame   {} median, {} worst",
        ms(median),
        ms(worst)
    );

    // z M from the middle of the body, z R back.
    let mut all = Vec::new();
    let mut none = Vec::new();
    for _ in 0..5 {
        pane.set_cursor(line);
        pane.scroll_to(line.saturating_sub(10));
        all.push(timed(&mut pane, &mut terminal, Command::FoldAll));
        none.push(timed(&mut pane, &mut terminal, Command::UnfoldAll));
    }
    println!(
        "  z M (fold all) + frame                  {} median",
        ms(stats(all).0)
    );
    println!(
        "  z R (unfold all) + frame                {} median",
        ms(stats(none).0)
    );

    // With everything below the top level folded, the list shows a record a row (opened
    // first when the list is not the body itself): page through them, unfold one.
    pane.handle_key(Some(Command::FoldAll));
    pane.set_cursor(data);
    pane.scroll_to(0);
    if data > 0 {
        let t = timed(&mut pane, &mut terminal, Command::ToggleFold);
        println!("  open the list after z M + frame         {}", ms(t));
    }
    let rows = pane.doc().map_or(0, |d| pane.view().folds.rows(&d));
    let mut steps = Vec::new();
    for _ in 0..20 {
        steps.push(timed(&mut pane, &mut terminal, Command::PageDown));
    }
    println!(
        "  page down over {rows} folded rows + frame {} median",
        ms(stats(steps).0)
    );
    let t = timed(&mut pane, &mut terminal, Command::ToggleFold);
    println!("  unfold the record under the cursor      {}", ms(t));
    pane.handle_key(Some(Command::UnfoldAll));

    // The cursor's path on the last record's closing line: its index is counted over the
    // whole list.
    let mut at_end = Vec::new();
    for _ in 0..10 {
        pane.handle_key(Some(Command::Bottom));
        draw(&mut pane, &mut terminal);
        at_end.push(timed(&mut pane, &mut terminal, Command::ScrollUp));
    }
    println!(
        "  k onto the last record, path + frame   {} median ({})",
        ms(stats(at_end).0),
        pane.cursor_path().unwrap_or_default()
    );
    let doc = pane.doc().unwrap();
    let line = pane.view().cursor;
    let t = Instant::now();
    let path = younium_tui::pretty::path::path_of(&doc, line);
    println!(
        "    of which the path alone              {} ({path:?})",
        ms(t.elapsed())
    );
}
