//! jq filters over the 65 MB invoices body: in the pane as the TUI runs them (Enter compiles
//! on the UI thread, the run goes to a worker, scroll keys are answered meanwhile, the output
//! is shown as a document of its own) with the resident memory at each step; then our engine
//! against the `jaq` command line on the same file, with where our time goes.

use std::hint::black_box;
use std::process::{Command as Process, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use bytes::Bytes;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use younium_tui::jq::Filter;
use younium_tui::pretty::Document;
use younium_tui::tui::keymap::Command;
use younium_tui::tui::panes::response::{ResponseEvent, ResponsePane, run_filter};
use younium_tui::younium::paging::PageInfo;

use crate::common::{
    draw, key, key_code, mib, ms, peak_kib, release_free_memory, reset_peak,
    rss_after_background_free, rss_kib, shown_for, stats,
};
use crate::invoices::BodyFile;

/// The filters of issue 11, over a top-level array of invoices.
pub const FILTERS: [&str; 2] = [
    ".[] | select(.totalAmount > 100000) | .invoiceNumber",
    "map(.account.name) | unique",
];

/// Timed runs of each side (the median is printed).
const RUNS: usize = 3;

/// Pause between two scroll keys while a filter runs (a held key repeats about every 30 ms;
/// the pause leaves the worker its core on a 2-core machine as a person typing would).
const KEY_PAUSE: Duration = Duration::from_millis(10);

/// The body shown in the pane, then each filter run through it as the TUI runs it: resident
/// memory before the body, with it shown, and with each filter's output shown (once the parsed
/// input is freed, as the app does after a run), beside the target of three times the body
/// plus the output.
pub fn in_the_pane(file: &BodyFile) {
    release_free_memory();
    let rss_before = rss_kib();
    let raw = Bytes::from(std::fs::read(&file.path).unwrap());
    let size = raw.len();
    let t = Instant::now();
    let doc = Document::new(raw.clone(), true);
    let page = PageInfo::probe(doc.body());
    let lines = doc.line_count();
    let mut pane = ResponsePane::default();
    pane.show(shown_for("/Invoices", raw, doc, page));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    draw(&mut pane, &mut terminal);
    let first_frame = t.elapsed();
    release_free_memory();
    let rss_shown = rss_kib();
    println!();
    println!("jq in the pane, 65 MB invoices: {size} bytes, {lines} display lines");
    println!(
        "  index + first frame                      {}",
        ms(first_frame)
    );
    println!(
        "  RSS before the body {:.1} MiB; body shown: +{:.1} MiB = {:.2}× the body",
        mib(rss_before),
        mib(rss_shown.saturating_sub(rss_before)),
        rss_shown.saturating_sub(rss_before) as f64 * 1024.0 / size as f64
    );
    let commands = [
        Command::PageDown,
        Command::ScrollDown,
        Command::PageDown,
        Command::ScrollUp,
        Command::HalfPageDown,
        Command::PageUp,
    ];
    for filter in FILTERS {
        pane.handle_key(Some(Command::Jq));
        for c in filter.chars() {
            pane.edit_key(key(c));
        }
        reset_peak();
        let t = Instant::now();
        let ResponseEvent::RunJq(request) = pane.edit_key(key_code(KeyCode::Enter)) else {
            panic!("the filter did not start")
        };
        let compiled = t.elapsed();
        draw(&mut pane, &mut terminal);
        // The runner's blocking task: run, then hand freed memory back (the body is large).
        let worker = std::thread::spawn(move || {
            let result = run_filter(&request.filter, &request.body, &request.cancel);
            release_free_memory();
            (request.id, result)
        });
        let mut frames = Vec::new();
        while !worker.is_finished() {
            let command = commands[frames.len() % commands.len()];
            let t = Instant::now();
            pane.handle_key(Some(command));
            draw(&mut pane, &mut terminal);
            frames.push(t.elapsed());
            std::thread::sleep(KEY_PAUSE);
        }
        let (id, result) = worker.join().unwrap();
        let ran = t.elapsed();
        let result = result.unwrap();
        let outputs = result.outputs;
        pane.jq_done(id, Ok(result));
        draw(&mut pane, &mut terminal);
        let on_screen = t.elapsed();
        let at_once = rss_kib();
        let (rss, peak) = (rss_after_background_free(), peak_kib());
        let output_size = pane.doc().map_or(0, |d| d.body().len());
        let growth = rss.saturating_sub(rss_before) as f64 * 1024.0;
        let target = 3.0 * size as f64 + output_size as f64;
        println!("  {filter}: {outputs} outputs, shown as {output_size} bytes of JSON");
        println!(
            "    Enter (compile, on the UI thread)      {}",
            ms(compiled)
        );
        println!(
            "    Enter → output on screen               {} (the run {})",
            ms(on_screen),
            ms(ran)
        );
        if frames.is_empty() {
            println!("    keys while it runs                     none (it ended first)");
        } else {
            let count = frames.len();
            let (median, p95, max) = stats(frames);
            println!(
                "    key + frame while it runs, {count:>3}×      median {}  p95 {}  worst {}",
                ms(median),
                ms(p95),
                ms(max)
            );
        }
        println!(
            "    RSS with the output shown              +{:.1} MiB over no body = {:.2}× (body + output); target 3×",
            growth / 1048576.0,
            growth / (size + output_size) as f64
        );
        println!(
            "      ({:.1} MiB in all once the parsed body is freed, {:.1} MiB as the output shows; target: 3 × body + output = {:.1} MiB over no body; peak during the run {:.1} MiB in all)",
            mib(rss),
            mib(at_once),
            target / 1048576.0,
            mib(peak)
        );
        // Esc: back to the body.
        pane.handle_key(Some(Command::Cancel));
        release_free_memory();
    }
}

/// Our engine (compile, run, collect, the output as the document the viewer shows) against
/// `jaq -c FILTER FILE > /dev/null`, medians of [`RUNS`] runs, and where our time goes.
pub fn side_by_side(file: &BodyFile) {
    let raw = Bytes::from(std::fs::read(&file.path).unwrap());
    let jaq = jaq_version();
    println!();
    println!(
        "jq engines on the {} MB invoices, median of {RUNS} runs",
        raw.len() / 1_000_000
    );
    match &jaq {
        Some(version) => {
            println!("  jaq command line: {version} (`jaq -c FILTER FILE > /dev/null`, wall time)")
        }
        None => println!("  jaq not installed (cargo install jaq)"),
    }
    for filter in FILTERS {
        let ours = median((0..RUNS).map(|_| {
            let t = Instant::now();
            let compiled = Filter::compile(filter).unwrap();
            let output = run_filter(&compiled, &raw, &AtomicBool::new(false)).unwrap();
            black_box(&output);
            let took = t.elapsed();
            drop(output);
            // Not timed: the parsed body is freed apart; the next run starts once it is gone.
            rss_after_background_free();
            took
        }));
        println!("  {filter}");
        let theirs = jaq.as_ref().and_then(|_| {
            let runs: Option<Vec<Duration>> = (0..RUNS).map(|_| jaq_run(filter, file)).collect();
            runs.map(|runs| median(runs.into_iter()))
        });
        match theirs {
            Some(theirs) => println!(
                "    ours {}   jaq {}   ours/jaq {:.2}   (target ≤ 1.5)",
                ms(ours),
                ms(theirs),
                ours.as_secs_f64() / theirs.as_secs_f64()
            ),
            None if jaq.is_some() => println!("    ours {}   (jaq failed on it)", ms(ours)),
            None => println!("    ours {}", ms(ours)),
        }
        breakdown(filter, &raw);
    }
}

/// One run of ours cut into its steps.
fn breakdown(filter: &str, raw: &Bytes) {
    let t = Instant::now();
    let parsed = jaq_json::read::parse_single(raw).unwrap();
    let parse = t.elapsed();
    let t = Instant::now();
    drop(parsed);
    let free = t.elapsed();
    let compiled = Filter::compile(filter).unwrap();
    let stop = AtomicBool::new(false);
    let t = Instant::now();
    let values = compiled
        .run(raw, &stop)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let run = t.elapsed();
    rss_after_background_free();
    let t = Instant::now();
    let json = match values.as_slice() {
        [one] => serde_json::to_vec(one),
        _ => serde_json::to_vec(&values),
    }
    .unwrap();
    let write = t.elapsed();
    let t = Instant::now();
    let doc = Document::new(Bytes::from(json), true);
    let index = t.elapsed();
    black_box(&doc);
    drop((values, doc));
    release_free_memory();
    println!(
        "    ours in steps: parse {}, run + outputs as JSON values {} (parse included), written {}, indexed {}; freeing the parsed body {} (on a thread of its own, after)",
        ms(parse),
        ms(run),
        ms(write),
        ms(index),
        ms(free)
    );
}

fn jaq_version() -> Option<String> {
    let output = Process::new("jaq").arg("--version").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// One `jaq` run's wall time; None when it fails.
fn jaq_run(filter: &str, file: &BodyFile) -> Option<Duration> {
    let t = Instant::now();
    let status = Process::new("jaq")
        .args(["-c", filter])
        .arg(&file.path)
        .stdout(Stdio::null())
        .status()
        .ok()?;
    let took = t.elapsed();
    status.success().then_some(took)
}

fn median(samples: impl Iterator<Item = Duration>) -> Duration {
    stats(samples.collect()).0
}
