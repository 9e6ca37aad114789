//! Scrolling 1 MB and 10 MB bodies, one-line 43 MB bodies sideways, and the idle tick.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use younium_tui::pretty::Document;
use younium_tui::tui::keymap::Command;
use younium_tui::tui::panes::response::ResponsePane;
use younium_tui::tui::theme::Theme;
use younium_tui::younium::paging::PageInfo;

use crate::common::{body, draw, ms, rss_kib, shown, stats};

/// Indexing, the first frame, frames and scroll steps anywhere, and the memory a shown body
/// costs, on 1 MB and 10 MB bodies.
pub fn sizes() {
    for mb in [1usize, 10] {
        let rss_before = rss_kib();
        let raw = body(mb * 1_000_000);
        let size = raw.len();

        // What runs in spawn_blocking once the last byte is in: index + page probe.
        let mut index_times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let doc = Document::new(raw.clone(), true);
            let page = PageInfo::probe(doc.body());
            black_box((&doc, &page));
            index_times.push(t.elapsed());
        }
        let t = Instant::now();
        let doc = Document::new(raw.clone(), true);
        let page = PageInfo::probe(doc.body());
        let lines = doc.line_count();
        let mut pane = ResponsePane::default();
        pane.show(shown(raw.clone(), doc, page));
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        draw(&mut pane, &mut terminal);
        let first_lines = t.elapsed();
        drop(raw);

        // One frame scrolled to the middle (nothing cached from the frame before).
        let mut middle = Vec::new();
        for k in 0..30 {
            pane.scroll_to(lines / 2 + k * 997);
            let t = Instant::now();
            draw(&mut pane, &mut terminal);
            middle.push(t.elapsed());
        }
        // Scroll steps: a line down and a page down, at the top, middle and end.
        let mut steps = Vec::new();
        for start in [0, lines / 2, lines.saturating_sub(200)] {
            pane.scroll_to(start);
            for command in [
                Command::ScrollDown,
                Command::PageDown,
                Command::ScrollUp,
                Command::PageUp,
            ] {
                for _ in 0..10 {
                    let t = Instant::now();
                    pane.handle_key(Some(command));
                    draw(&mut pane, &mut terminal);
                    steps.push(t.elapsed());
                }
            }
        }
        let jump = {
            let t = Instant::now();
            pane.handle_key(Some(Command::Bottom));
            draw(&mut pane, &mut terminal);
            t.elapsed()
        };
        let rss_after = rss_kib();

        let (index_median, _, index_max) = stats(index_times);
        let (mid_median, mid_p95, mid_max) = stats(middle);
        let (step_median, step_p95, step_max) = stats(steps);
        println!();
        println!("{mb} MB body: {size} bytes, {lines} display lines");
        println!(
            "  index + page probe (off the UI thread)   median {}  max {}",
            ms(index_median),
            ms(index_max)
        );
        println!(
            "  last byte → first highlighted frame      {}",
            ms(first_lines)
        );
        println!(
            "  frame scrolled to the middle             median {}  p95 {}  max {}",
            ms(mid_median),
            ms(mid_p95),
            ms(mid_max)
        );
        println!(
            "  scroll step (key + frame), 120 samples   median {}  p95 {}  max {}",
            ms(step_median),
            ms(step_p95),
            ms(step_max)
        );
        println!("  jump to the end (G + frame)              {}", ms(jump));
        println!(
            "  memory held while shown                  {:.1} MB RSS growth = {:.2}× the body",
            (rss_after.saturating_sub(rss_before)) as f64 / 1024.0,
            (rss_after.saturating_sub(rss_before)) as f64 * 1024.0 / size as f64
        );
        drop(pane);
    }
}

/// Minified JSON of about `target` bytes with its last byte changed, so it is one 43 MB line
/// shown as text under the JSON error.
pub fn broken_json(target: usize) -> Bytes {
    let mut raw = body(target).to_vec();
    if let Some(last) = raw.last_mut() {
        *last = b',';
    }
    Bytes::from(raw)
}

/// Valid JSON whose one big value is a string of about `target` bytes (escapes and accents
/// included), so its pretty-printed second line is that long.
fn string_value(target: usize) -> Bytes {
    const CHUNK: &str = r#"Lorem ipsum dolor sit amet, \"quoted\" caf\u00e9 naïve — "#;
    let mut out = String::with_capacity(target + 64);
    out.push_str(r#"{"id":"a","blob":""#);
    while out.len() < target {
        out.push_str(CHUNK);
    }
    out.push_str(r#"","n":1}"#);
    Bytes::from(out)
}

/// Sideways keys on a one-line body: `count` steps of 8 columns, each a key and a frame.
fn sideways(
    pane: &mut ResponsePane,
    terminal: &mut Terminal<TestBackend>,
    count: usize,
) -> Vec<Duration> {
    (0..count)
        .map(|_| {
            let t = Instant::now();
            pane.handle_key(Some(Command::ScrollRight));
            draw(pane, terminal);
            t.elapsed()
        })
        .collect()
}

pub fn long_lines() {
    let cases = [
        (
            "43 MB minified JSON, one byte broken (shown as text)",
            broken_json(43_000_000),
        ),
        ("JSON with one 40 MB string value", string_value(40_000_000)),
    ];
    for (label, raw) in cases {
        let size = raw.len();
        let t = Instant::now();
        let doc = Document::new(raw.clone(), true);
        let index = t.elapsed();
        let mut pane = ResponsePane::default();
        pane.show(shown(raw, doc, None));
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let t = Instant::now();
        draw(&mut pane, &mut terminal);
        let first = t.elapsed();
        let redraw: Vec<Duration> = (0..20)
            .map(|_| {
                let t = Instant::now();
                draw(&mut pane, &mut terminal);
                t.elapsed()
            })
            .collect();
        let left = sideways(&mut pane, &mut terminal, 50);
        pane.scroll_sideways_to(20_000_000);
        let t = Instant::now();
        draw(&mut pane, &mut terminal);
        let far = t.elapsed();
        let far_steps = sideways(&mut pane, &mut terminal, 50);

        let (redraw_median, _, redraw_max) = stats(redraw);
        let (left_median, _, left_max) = stats(left);
        let (far_median, _, far_max) = stats(far_steps);
        println!();
        println!("{label}: {size} bytes");
        println!("  index (off the UI thread)                {}", ms(index));
        println!("  first frame at column 0                  {}", ms(first));
        println!(
            "  same frame again (tick redraw), 20×      median {}  max {}",
            ms(redraw_median),
            ms(redraw_max)
        );
        println!(
            "  sideways step (→ + frame), 50× from 0   median {}  max {}",
            ms(left_median),
            ms(left_max)
        );
        println!("  frame at column 20,000,000               {}", ms(far));
        println!(
            "  sideways step there, 50×                 median {}  max {}",
            ms(far_median),
            ms(far_max)
        );
    }
}

/// What one countdown tick costs while idle: drawing the whole screen (token valid, `raw` on
/// screen, its lines cached) into a 120×40 buffer, `runs` times.
pub fn whole_screen_tick(label: &str, raw: Bytes, runs: usize) {
    use jiff::tz::TimeZone;
    use younium_tui::session::ManagerOptions;
    use younium_tui::tui::app::App;
    use younium_tui::tui::panes::connection::ConnectionPane;
    use younium_tui::younium::token::{ExchangeContext, TokenOrigin, parse_token_answer};
    use younium_tui::younium::{AuthMethod, Environment, Secret, TokenState};

    let pane = ConnectionPane::with_credentials("id", Secret::new("s"));
    let mut app = App::new(
        pane,
        ManagerOptions::default(),
        Theme::default(),
        TimeZone::UTC,
        jiff::Timestamp::now(),
    );
    let now = jiff::Timestamp::now();
    let origin = TokenOrigin {
        environment: Environment::Sandbox,
        method: AuthMethod::ApiTokenV1,
        token_url: "x".into(),
    };
    let ctx = ExchangeContext {
        origin,
        requested_at: now,
        received_at: now,
        date_header: None,
    };
    let token = parse_token_answer(
        br#"{"accessToken":"header.payload.signature","expiresIn":86400}"#,
        ctx,
    )
    .unwrap();
    app.update(younium_tui::tui::app::Action::Token(TokenState::Valid(
        std::sync::Arc::new(token),
    )));
    // The body arrives as the answer to F5 and is indexed, as in the app.
    let doc = Document::new(raw.clone(), true);
    let shown = shown(raw, doc, None);
    let key = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::F(5),
        crossterm::event::KeyModifiers::NONE,
    );
    let effects = app.update(younium_tui::tui::app::Action::Key(key)).1;
    let id = effects
        .iter()
        .find_map(|e| match e {
            younium_tui::tui::app::Effect::Send { id, .. } => Some(*id),
            _ => None,
        })
        .expect("F5 sends");
    app.update(younium_tui::tui::app::Action::Response {
        id,
        result: Ok(younium_tui::session::CallOutcome {
            response: shown.response,
            token: None,
            retried_after_401: false,
            renewal_error: None,
        }),
    });
    app.update(younium_tui::tui::app::Action::Indexed {
        id,
        doc: shown.doc.expect("indexed"),
        page: None,
    });
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut samples = Vec::new();
    for _ in 0..runs {
        app.update(younium_tui::tui::app::Action::Tick(jiff::Timestamp::now()));
        let t = Instant::now();
        terminal
            .draw(|f| younium_tui::tui::view::draw(&mut app, f))
            .unwrap();
        samples.push(t.elapsed());
    }
    let (median, p95, max) = stats(samples);
    println!();
    println!(
        "whole screen, one countdown tick (idle), {label}: median {}  p95 {}  max {}",
        ms(median),
        ms(p95),
        ms(max)
    );
}
