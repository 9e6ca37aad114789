//! In-process timings of the response viewer on 1 MB and 10 MB JSON bodies (release build):
//! indexing (what runs off the UI thread after the last byte), the first frame, a frame
//! scrolled to the middle, scroll steps anywhere, and the memory a shown body costs; then a
//! 43 MB body on one line (as text, and as one huge JSON string value): its first frame,
//! sideways steps at the left edge and 20 M columns in, and a redraw of the same frame; find
//! (`/`) on 10 MB and 65 MB bodies: the first match, the full count, and `n`.
//!
//! Run: `cargo bench --bench viewer`. Prints a table; asserts nothing.

#[path = "viewer/fold.rs"]
mod fold;

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Block;
use younium_tui::pretty::Document;
use younium_tui::pretty::find::index_matches;
use younium_tui::pretty::highlight::highlighter;
use younium_tui::tui::keymap::{Command, Keymap};
use younium_tui::tui::panes::response::{ResponseEvent, ResponsePane, Shown};
use younium_tui::tui::theme::Theme;
use younium_tui::younium::paging::PageInfo;
use younium_tui::younium::request::SentRequest;
use younium_tui::younium::{ApiRequest, ApiResponse, Method};

/// Account-like records (nested objects, arrays, numbers, strings) until `target` bytes.
fn body(target: usize) -> Bytes {
    let mut out = String::with_capacity(target + 2048);
    out.push_str(r#"{"pageNumber":1,"pageSize":100,"totalPages":1,"totalCount":0,"data":["#);
    let mut i = 0u64;
    while out.len() < target {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            concat!(
                r#"{{"id":"53abf01b-5942-4bed-b61f-{:012x}","accountNumber":"A-{:06}","accountType":"Customer","#,
                r#""inactive":false,"invoiceDeliveryMethod":"Email","currencyCode":"SEK","name":"Example Customer {}","#,
                r#""defaultInvoiceAddress":{{"id":"4c595cad-00ea-47ec-b697-{:012x}","street":"Street {}","city":"City","zip":"11111","country":"Sweden"}},"#,
                r#""customFields":{{}},"created":"2022-09-21T13:22:16.366372","modified":"2022-09-21T13:22:16.3881969","#,
                r#""cmrr":{{"amount":{}.5,"currencyCode":"SEK","baseCurrencyAmount":{}.25,"baseCurrencyCode":"SEK"}},"tags":["a","b",null,1.5e3]}}"#
            ),
            i, i, i, i, i, i * 3, i * 7
        ));
        i += 1;
    }
    out.push_str("]}");
    Bytes::from(out)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn shown(body: Bytes, doc: Document, page: Option<PageInfo>) -> Shown {
    let request = ApiRequest::new(Method::Get, "/Accounts");
    Shown {
        id: 1,
        response: ApiResponse {
            status: 200,
            reason: "OK".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body,
            elapsed: Duration::from_millis(10),
            sent: SentRequest {
                method: Method::Get,
                url: "http://x/Accounts".into(),
                headers: vec![],
                body: None,
                sent_at: jiff::Timestamp::now(),
            },
        },
        request,
        doc: Some(std::sync::Arc::new(doc)),
        page,
        explanation: None,
        empty_list: None,
        notes: vec![],
    }
}

fn draw(pane: &mut ResponsePane, terminal: &mut Terminal<TestBackend>) {
    let theme = Theme::default();
    terminal
        .draw(|f| {
            pane.render(
                f,
                f.area(),
                Block::bordered(),
                jiff::Timestamp::now(),
                &theme,
                &Keymap::default(),
            )
        })
        .unwrap();
}

/// Find (`/`) on an `mb` MB body: the last key of the query to the frame showing the first
/// match (found on the UI thread within its budget, or else when the count comes in), the
/// count (off the UI thread), and `n` with its frame, for a common and a rare query.
fn find(mb: usize) {
    let raw = body(mb * 1_000_000);
    let size = raw.len();
    let doc = Document::new(raw.clone(), true);
    let lines = doc.line_count();
    let mut pane = ResponsePane::default();
    pane.show(shown(raw.clone(), doc, None));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    draw(&mut pane, &mut terminal);
    println!();
    println!("find, {mb} MB body: {size} bytes, {lines} display lines");
    let rare = last_account(&raw);
    for (label, query) in [
        ("common", "\"currencycode\": \"sek\"".to_string()),
        ("rare (last record)", rare),
    ] {
        pane.scroll = 0;
        pane.handle_key(Some(Command::Find));
        let chars: Vec<char> = query.chars().collect();
        for c in &chars[..chars.len() - 1] {
            pane.find_key(key(*c));
        }
        let t = Instant::now();
        let event = pane.find_key(key(chars[chars.len() - 1]));
        draw(&mut pane, &mut terminal);
        let typed = t.elapsed();
        let found_at_once = pane.find.as_ref().is_some_and(|f| f.current.is_some());
        let ResponseEvent::Count(request) = event else {
            panic!("no count asked for")
        };
        let doc = pane.doc().unwrap();
        let t = Instant::now();
        let index = index_matches(doc.as_ref(), &request.matcher, &request.cancel);
        let count = t.elapsed();
        let total = index.as_ref().map_or(0, |i| i.total());
        let t = Instant::now();
        pane.counted(request.id, index.map(std::sync::Arc::new));
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
        println!("    last key → first match on screen       {first}");
        println!("    full count (off the UI thread)         {}", ms(count));
        println!(
            "    n + frame, 50 samples                  median {}  p95 {}  max {}",
            ms(n_median),
            ms(n_p95),
            ms(n_max)
        );
        pane.handle_key(Some(Command::Cancel));
    }
}

/// The account number of the last record of a `body`.
fn last_account(raw: &Bytes) -> String {
    let text = std::str::from_utf8(raw).unwrap();
    let at = text.rfind("\"accountNumber\":\"").unwrap() + 17;
    text[at..at + 8].to_string()
}

fn key(c: char) -> crossterm::event::KeyEvent {
    key_code(crossterm::event::KeyCode::Char(c))
}

fn key_code(code: crossterm::event::KeyCode) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)
}

fn stats(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    (median, p95, *samples.last().unwrap())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // Load syntect's definitions once, as the app does at start-up.
    let _ = highlighter();
    // `BENCH_ONLY=fold cargo bench --bench viewer`: only the folding cases.
    if std::env::var("BENCH_ONLY").as_deref() == Ok("fold") {
        fold::fold(body(65_000_000));
        return;
    }
    println!(
        "response viewer, release build, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
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
            pane.scroll = lines / 2 + k * 997;
            let t = Instant::now();
            draw(&mut pane, &mut terminal);
            middle.push(t.elapsed());
        }
        // Scroll steps: a line down and a page down, at the top, middle and end.
        let mut steps = Vec::new();
        for start in [0, lines / 2, lines.saturating_sub(200)] {
            pane.scroll = start;
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
    for mb in [10usize, 65] {
        find(mb);
    }
    fold::fold(body(65_000_000));
    long_lines();
    whole_screen_tick("1 MB response", body(1_000_000), 200);
    whole_screen_tick("43 MB one-line text", broken_json(43_000_000), 30);
}

/// Minified JSON of about `target` bytes with its last byte changed, so it is one 43 MB line
/// shown as text under the JSON error.
fn broken_json(target: usize) -> Bytes {
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

fn long_lines() {
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
        pane.hscroll = 20_000_000;
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
fn whole_screen_tick(label: &str, raw: Bytes, runs: usize) {
    use jiff::tz::TimeZone;
    use younium_tui::session::ManagerOptions;
    use younium_tui::tui::app::App;
    use younium_tui::tui::panes::connection::ConnectionPane;
    use younium_tui::younium::token::{ExchangeContext, TokenOrigin, parse_token_answer};
    use younium_tui::younium::{AuthMethod, Environment, Secret, TokenState};

    let pane = ConnectionPane {
        client_id: "id".into(),
        secret: Some(Secret::new("s")),
        ..Default::default()
    };
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
    app.token.state = TokenState::Valid(std::sync::Arc::new(token));
    let doc = Document::new(raw.clone(), true);
    app.response.show(shown(raw, doc, None));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut samples = Vec::new();
    for _ in 0..runs {
        app.now = jiff::Timestamp::now();
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
