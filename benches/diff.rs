//! In-process timings of the response diff (release build), printed as a table; asserts
//! nothing. Run: `cargo bench --bench diff`.
//!
//! Each case compares two ~1 MB bodies with `younium_tui::diff::compare` and then builds the
//! first screen of the diff view (`DiffView::new` and a render into a 160×48 `TestBackend`):
//! the time from two bodies to the diff on screen (the issue's figure: within 300 ms).
//!
//! - JSON, few differences: a page of ~1,000 accounts against itself with 5 values changed.
//! - JSON, a record inserted: the same with one account inserted in the middle (matched by id).
//! - JSON, many differences: every account has 3 values changed.
//! - JSON, entirely different: another page (other ids, names, amounts, no id in common).
//! - Text, few differences: ~1 MB of lines with 5 lines changed.
//! - Text, entirely different: two unrelated ~1 MB texts (the line matching's deadline).

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use younium_tui::diff::{Diff, compare};
use younium_tui::tui::diff_view::DiffView;
use younium_tui::tui::theme::Theme;

const RUNS: usize = 7;

fn main() {
    println!(
        "response diff, release build, {} cores, median of {RUNS} runs",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let base = accounts(0, 1_000_000, |_| None);
    let few = accounts(0, 1_000_000, |i| {
        [17, 250, 500, 751, 990]
            .contains(&i)
            .then(|| Tweak::Value(format!("Renamed {i}")))
    });
    let inserted = accounts(0, 1_000_000, |i| (i == 500).then_some(Tweak::Insert));
    let many = accounts(0, 1_000_000, |i| Some(Tweak::Value(format!("Renamed {i}"))));
    let other = accounts(1_000_000, 1_000_000, |_| None);
    let text_old = text(1_000_000, 0);
    let text_few = {
        let mut t = text_old.clone();
        for n in [100, 5_000, 10_000, 15_000, 19_000] {
            t = t.replacen(
                &format!("line {n:06} "),
                &format!("LINE {n:06} changed "),
                1,
            );
        }
        t
    };
    let text_other = text(1_000_000, 7);

    println!(
        "{:<34} {:>9} {:>9} {:>10} {:>12} {:>10}",
        "case", "old", "new", "compare", "first screen", "total"
    );
    case("JSON, few differences", &base, &few);
    case("JSON, a record inserted (by id)", &base, &inserted);
    case("JSON, many differences", &base, &many);
    case("JSON, entirely different", &base, &other);
    case("JSON, identical bytes", &base, &base.clone());
    case(
        "text, few differences",
        text_old.as_bytes(),
        text_few.as_bytes(),
    );
    case(
        "text, entirely different",
        text_old.as_bytes(),
        text_other.as_bytes(),
    );
}

fn case(name: &str, old: &[u8], new: &[u8]) {
    let mut compares = Vec::new();
    let mut screens = Vec::new();
    let mut totals = Vec::new();
    let mut summary = String::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let diff = compare(old, new);
        let compared = start.elapsed();
        summary = diff.summary();
        let shown = Instant::now();
        first_screen(diff);
        let screen = shown.elapsed();
        compares.push(compared);
        screens.push(screen);
        totals.push(start.elapsed());
    }
    println!(
        "{name:<34} {:>9} {:>9} {:>10} {:>12} {:>10}   {summary}",
        size(old.len()),
        size(new.len()),
        ms(median(&mut compares)),
        ms(median(&mut screens)),
        ms(median(&mut totals)),
    );
}

fn first_screen(diff: Diff) {
    let mut view = DiffView::new(
        "#12 GET /Accounts · legal entity Nordlys Software AB · 200 · 14:03:10".into(),
        "#14 GET /Accounts · legal entity Nordlys Software Inc · 200 · 14:05:42".into(),
        diff,
    );
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    terminal
        .draw(|f| view.render(f, f.area(), &Theme::default()))
        .expect("draw");
}

enum Tweak {
    /// The account's name, city and amount changed.
    Value(String),
    /// Another account inserted before this one.
    Insert,
}

/// A 2.1 page of account records (like the simulator's) until `target` bytes; ids, names and
/// amounts from `seed` on, so two seeds share no id.
fn accounts(seed: u64, target: usize, tweak: impl Fn(u64) -> Option<Tweak>) -> Vec<u8> {
    let record = |i: u64, name: &str, city: &str, amount: u64| {
        format!(
            concat!(
                r#"{{"id":"53abf01b-5942-4bed-b61f-{:012x}","accountNumber":"A-{:06}","accountType":"Customer","#,
                r#""inactive":false,"invoiceDeliveryMethod":"Email","currencyCode":"SEK","name":"{}","#,
                r#""defaultInvoiceAddress":{{"id":"4c595cad-00ea-47ec-b697-{:012x}","street":"Street {}","city":"{}","zip":"11111","country":"Sweden"}},"#,
                r#""customFields":{{"segment":"SMB"}},"created":"2022-09-21T13:22:16.366372","modified":"2022-09-21T13:22:16.3881969","#,
                r#""cmrr":{{"amount":{}.5,"currencyCode":"SEK","baseCurrencyAmount":{}.25,"baseCurrencyCode":"SEK"}},"tags":["a","b",null,1.5e3]}}"#
            ),
            seed + i,
            seed + i,
            name,
            seed + i,
            seed + i,
            city,
            amount,
            amount,
        )
    };
    let mut out = String::with_capacity(target + 2048);
    out.push_str(r#"{"pageNumber":1,"pageSize":1000,"totalPages":1,"totalCount":1000,"data":["#);
    let mut i = 0u64;
    let mut first = true;
    while out.len() < target {
        let mut push = |s: String| {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&s);
        };
        let n = seed + i;
        match tweak(i) {
            Some(Tweak::Value(name)) => push(record(i, &name, "Elsewhere", n * 5 + 1)),
            Some(Tweak::Insert) => {
                push(record(900_000 + i, "Inserted AB", "Lund", 1));
                push(record(i, &format!("Customer {n}"), "Malmö", n * 5));
            }
            None => push(record(i, &format!("Customer {n}"), "Malmö", n * 5)),
        }
        i += 1;
    }
    out.push_str("]}");
    out.into_bytes()
}

/// An HTML-ish text of numbered lines until `target` bytes; `salt` changes every line.
fn text(target: usize, salt: u64) -> String {
    let mut out = String::with_capacity(target + 128);
    let mut n = 0u64;
    while out.len() < target {
        out.push_str(&format!(
            "<tr><td>line {n:06} </td><td>{}</td><td>invoice {}</td></tr>\n",
            (n * 31 + salt * 7919) % 100_000,
            n + salt * 1_000_000
        ));
        n += 1;
    }
    out
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn size(bytes: usize) -> String {
    format!("{:.2} MB", bytes as f64 / 1_000_000.0)
}
