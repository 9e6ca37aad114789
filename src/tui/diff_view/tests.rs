use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::diff::compare;
use crate::sanitize::window;

/// Draw `view` at `width`×`height` and give the screen as text.
fn draw(view: &mut DiffView, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| view.render(f, f.area(), &Theme::mono()))
        .unwrap();
    terminal.backend().to_string()
}

fn many_changes(n: usize) -> DiffView {
    let old: Vec<_> = (0..n).map(|i| serde_json::json!({"v": i})).collect();
    let new: Vec<_> = (0..n).map(|i| serde_json::json!({"v": i + 1})).collect();
    let diff = compare(
        serde_json::to_string(&old).unwrap().as_bytes(),
        serde_json::to_string(&new).unwrap().as_bytes(),
    );
    DiffView::new("old".into(), "new".into(), diff)
}

#[test]
fn the_window_cuts_with_an_ellipsis_on_each_side() {
    assert_eq!(window("abcdef", 0, 10), "abcdef");
    assert_eq!(window("abcdef", 0, 6), "abcdef");
    assert_eq!(window("abcdef", 0, 4), "abc…");
    assert_eq!(window("abcdef", 2, 4), "…cd…");
    assert_eq!(window("abcdef", 2, 5), "…cdef");
    assert_eq!(window("abcdef", 0, 0), "");
    // Wide characters take two columns.
    assert_eq!(window("日本語テキスト", 0, 7), "日本語…");
    assert_eq!(window("日本語", 0, 6), "日本語");
    // Controls and bidi overrides never come through; a tab is a space.
    assert_eq!(
        window("a\u{1b}[2J\u{202e}\tb", 0, 20),
        "a\u{241b}[2J\u{fffd} b"
    );
}

#[test]
fn long_paths_keep_their_end() {
    let key = "k".repeat(80);
    let old = format!("{{\"{key}\":{{\"leaf\":1}}}}");
    let new = format!("{{\"{key}\":{{\"leaf\":2}}}}");
    let mut view = DiffView::new(
        "o".into(),
        "n".into(),
        compare(old.as_bytes(), new.as_bytes()),
    );
    let screen = draw(&mut view, 60, 8);
    assert!(screen.contains("│~ …kkkkk"), "{screen}");
    assert!(screen.contains("kkk.leaf  1 → 2"), "{screen}");
}

#[test]
fn without_colour_the_kinds_keep_apart() {
    let mono = Theme::mono();
    let styles = [mono.diff_added(), mono.diff_removed(), mono.diff_changed()];
    assert_ne!(styles[0], styles[1]);
    assert_ne!(styles[1], styles[2]);
    assert_ne!(styles[0], styles[2]);
    assert!(styles.iter().all(|s| s.fg.is_none()));
}

#[test]
fn paging_stays_within_the_rows() {
    let mut view = many_changes(100);
    // 20 lines: 2 borders and 4 lines of head leave 14 rows.
    draw(&mut view, 60, 20);
    assert!(view.command(Command::PageDown));
    assert_eq!(view.scroll().0, 14);
    view.command(Command::HalfPageDown);
    assert_eq!(view.scroll().0, 21);
    view.command(Command::Bottom);
    assert_eq!(view.scroll().0, 86);
    view.command(Command::ScrollDown);
    assert_eq!(view.scroll().0, 86);
    view.command(Command::PageUp);
    assert_eq!(view.scroll().0, 72);
    view.command(Command::Top);
    view.command(Command::ScrollUp);
    assert_eq!(view.scroll().0, 0);
    assert!(!view.command(Command::Close));
    // A command the view has no use for is ignored.
    assert!(view.command(Command::Send));
}

#[test]
fn next_and_previous_difference_jump_and_scroll() {
    let mut view = many_changes(100);
    draw(&mut view, 60, 20);
    view.command(Command::FindNext);
    assert_eq!(view.current_difference(), (Some(0), 100));
    view.command(Command::FindNext);
    assert_eq!(view.current_difference().0, Some(1));
    view.command(Command::FindPrevious);
    view.command(Command::FindPrevious);
    assert_eq!(view.current_difference().0, Some(0));
    // Scrolled away, the next one is the first on screen.
    view.command(Command::PageDown);
    view.command(Command::FindNext);
    assert_eq!(view.current_difference().0, Some(14));
    view.command(Command::Bottom);
    view.command(Command::FindPrevious);
    assert_eq!(view.current_difference().0, Some(99));
    view.command(Command::FindNext);
    assert_eq!(view.current_difference().0, Some(99));
    view.command(Command::Top);
    view.command(Command::FindPrevious);
    assert_eq!(view.current_difference().0, Some(13));
    assert!(draw(&mut view, 60, 20).contains("difference 14 of 100"));
}

#[test]
fn text_differences_are_runs_of_changed_lines() {
    let old: String = (1..=60).map(|i| format!("line {i}\n")).collect();
    let new = old
        .replace("line 10\n", "ten\n")
        .replace("line 11\n", "eleven\n")
        .replace("line 50\n", "fifty\n");
    let mut view = DiffView::new(
        "a".into(),
        "b".into(),
        compare(old.as_bytes(), new.as_bytes()),
    );
    assert_eq!(view.current_difference(), (None, 2));
    draw(&mut view, 60, 12);
    view.command(Command::FindNext);
    view.command(Command::FindNext);
    assert_eq!(view.current_difference().0, Some(1));
    // The second hunk's header and context are brought on screen with it.
    let screen = draw(&mut view, 60, 12);
    assert!(screen.contains("@@ -47,7 +47,7 @@"), "{screen}");
    assert!(screen.contains("50    - line 50"), "{screen}");
}

#[test]
fn sideways_scrolling_shows_the_rest_of_long_values() {
    let long = "x".repeat(100) + "END";
    let old = serde_json::json!({"a": "short"}).to_string();
    let new = serde_json::json!({"a": long}).to_string();
    let mut view = DiffView::new(
        "o".into(),
        "n".into(),
        compare(old.as_bytes(), new.as_bytes()),
    );
    let screen = draw(&mut view, 60, 10);
    assert!(screen.contains("~ .a  \"short\" → \"xxx"), "{screen}");
    assert!(screen.contains("x…│"), "{screen}");
    for _ in 0..20 {
        view.command(Command::ScrollRight);
    }
    let (_, left) = view.scroll();
    assert!(left > 60 && left < 103, "{left}");
    let screen = draw(&mut view, 60, 10);
    assert!(screen.contains("END\""), "{screen}");
    view.command(Command::ScrollHome);
    assert_eq!(view.scroll().1, 0);
}

#[test]
fn titles_and_values_are_sanitised() {
    let old = br#"{"name":"Acme"}"#;
    let new = "{\"name\":\"Evil\u{9b}2J\u{202e}AB\"}";
    let mut view = DiffView::new(
        "#1 GET /Accounts \u{1b}]0;pwned\u{7}".into(),
        "#2".into(),
        compare(old, new.as_bytes()),
    );
    let screen = draw(&mut view, 80, 10);
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{9b}') && !screen.contains('\u{202e}')
    );
    assert!(screen.contains(r"\e]0;pwned\x07"), "{screen}");
}
