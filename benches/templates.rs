//! Filling in the templates of a request body (release build): a ~100 kB JSON body of
//! invoice lines with three templates in every line (inside strings and bare: 1,431 of them),
//! in every 50th line, and in none,
//! and, apart, the JSON check the filled-in body then passes. The figure to meet: ≤ 50 µs to
//! fill in the templates of a 100 kB body.
//!
//! Run: `cargo bench --bench templates`. Prints a table; asserts nothing. (Arguments such as
//! criterion's `--warm-up-time` are accepted and ignored.)

use std::time::{Duration, Instant};

use younium_tui::younium::template::{Origin, Resolver, Vars};

const RUNS: usize = 201;

/// Invoice lines until the body is about `size` bytes; with `templates`, each line's
/// description and quantity are templates.
fn body(size: usize, every: usize) -> String {
    let mut out = String::from("{\"account\": \"A-000001\", \"lines\": [");
    let mut n = 0;
    while out.len() < size {
        if n > 0 {
            out.push_str(", ");
        }
        let (description, quantity) = if every > 0 && n % every == 0 {
            ("Seats for {{customer}} ({{period}})", "{{quantity}}")
        } else {
            ("Seats for Nordlys Software AB (2026-12)", "12.50")
        };
        out.push_str(&format!(
            "{{\"line\": {n}, \"product\": \"P-{n:05}\", \"description\": \"{description}\", \
             \"quantity\": {quantity}, \"unitPrice\": 1250.00, \"currency\": \"SEK\", \
             \"note\": \"no braces {{here}} and an escaped \\\" quote\"}}"
        ));
        n += 1;
    }
    out.push_str("]}");
    out
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time(mut f: impl FnMut()) -> Duration {
    for _ in 0..20 {
        f();
    }
    median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let mut vars = Vars::default();
    vars.set(Origin::CommandLine, "customer", "Nordlys \"Software\" AB");
    vars.set(Origin::CommandLine, "period", "{{$today}}");
    vars.set(Origin::CommandLine, "quantity", "12.50");
    let bodies = [body(100_000, 1), body(100_000, 50), body(100_000, 0)];
    println!("templates in a JSON body, median of {RUNS} runs");
    for text in &bodies {
        let label = format!("{} templates", text.matches("{{").count());
        // One run per request: a named variable is worked out once per run.
        let fill = time(|| {
            let mut run = Resolver::new(vars.clone());
            std::hint::black_box(run.json_unchecked(text, "the body").unwrap());
        });
        let mut run = Resolver::new(vars.clone());
        let filled = run.json_unchecked(text, "the body").unwrap();
        let check = time(|| {
            std::hint::black_box(serde_json::from_str::<serde::de::IgnoredAny>(&filled).is_ok());
        });
        println!(
            "  {:>6.1} kB, {label:<18} fill in {:>8.1?}   then the JSON check {:>8.1?}",
            text.len() as f64 / 1000.0,
            fill,
            check
        );
    }
}
