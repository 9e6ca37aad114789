//! The schema checker's speed (release build): `validate_text` on a ~100 kB `POST
//! /Subscriptions` body (many products and charges) that is valid, on a ~100 kB body with many
//! problems (the cap reached, the counts go on), and `Operation::skeleton` for `POST
//! /Subscriptions`. The figure to meet: well under 16 ms for 100 kB, a frame of the editor.
//!
//! Run: `cargo bench --bench schema`. Prints a table; asserts nothing. (Arguments such as
//! criterion's `--warm-up-time` are accepted and ignored.)

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use younium_tui::tui::panes::request::RequestPane;
use younium_tui::younium::Method;
use younium_tui::younium::catalog::{Operation, catalog};

const RUNS: usize = 31;

/// A subscription with `products` products of `charges` charges each; `broken` puts a
/// problem in every charge (a wrong type, an enum value, a bad date, an unknown field).
fn subscription(products: usize, charges: usize, broken: bool) -> String {
    let products: Vec<Value> = (0..products)
        .map(|p| {
            let charges: Vec<Value> = (0..charges)
                .map(|c| {
                    if broken {
                        json!({
                            "charge": format!("CH-{p:04}-{c}"),
                            "name": format!("Charge {c} of product {p}"),
                            "quantity": "two",
                            "priceModel": "flat",
                            "effectiveStartDate": "2026-13-01",
                            "billingPeriod": "Monthly",
                            "specificBillingDay": 1.5,
                            "colour": "blue",
                        })
                    } else {
                        json!({
                            "charge": format!("CH-{p:04}-{c}"),
                            "name": format!("Charge {c} of product {p}"),
                            "quantity": 2.5,
                            "effectiveStartDate": "2026-01-01T00:00:00Z",
                            "unitCode": {"key": "code", "value": "pcs"},
                            "taxIncluded": false,
                            "specificBillingDay": 1,
                            "remarks": "Bench",
                        })
                    }
                })
                .collect();
            json!({
                "product": format!("P-{p:06}"),
                "productLineNumber": p,
                "name": format!("Product {p}"),
                "charges": charges,
                "customFields": {"segment": "SMB"},
            })
        })
        .collect();
    let body = json!({
        "status": "Draft",
        "account": "A-000001",
        "description": "A large subscription for the bench",
        "effectiveStartDate": "2026-01-01",
        "term": 12,
        "currency": "SEK",
        "products": products,
    });
    serde_json::to_string_pretty(&body).unwrap()
}

fn median(mut times: Vec<Duration>) -> (Duration, Duration, Duration) {
    times.sort();
    (times[0], times[times.len() / 2], times[times.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    f();
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

fn case(op: &Operation, name: &str, text: &str) {
    let report = op.validate_body(text).expect("a JSON body");
    let (min, mid, max) = time(RUNS, || {
        std::hint::black_box(op.validate_body(std::hint::black_box(text)));
    });
    println!(
        "  validate_text {name:<26} {:>6.1} kB  {:>5} lines  {:<26} median {} (min {}, max {})",
        text.len() as f64 / 1000.0,
        text.lines().count(),
        report.summary(),
        ms(mid),
        ms(min),
        ms(max)
    );
}

fn main() {
    let op = catalog().find(Method::Post, "/Subscriptions").unwrap();
    println!(
        "schema checker, release build, {} cores, median of {RUNS} runs",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let valid = subscription(48, 6, false);
    let broken = subscription(50, 6, true);
    case(op, "(valid subscription)", &valid);
    case(op, "(many problems)", &broken);
    // For scale: the parse alone, which validate_text does first.
    let (_, parse, _) = time(RUNS, || {
        std::hint::black_box(serde_json::from_str::<Value>(&valid).unwrap());
    });
    println!(
        "  serde_json parse of the valid body alone        median {}",
        ms(parse)
    );
    let (min, mid, max) = time(RUNS, || {
        std::hint::black_box(op.skeleton());
    });
    let us = |d: Duration| format!("{:.1} µs", d.as_secs_f64() * 1e6);
    println!(
        "  Operation::skeleton POST /Subscriptions          median {} (min {}, max {})",
        us(mid),
        us(min),
        us(max)
    );
    // What the UI does: loading the operation into the builder (skeleton, JSON check, schema
    // check), and the body editor's check after a key on the ~100 kB body.
    let (_, load, _) = time(RUNS, || {
        let mut pane = RequestPane::default();
        pane.load(op);
        std::hint::black_box(&pane);
    });
    println!(
        "  RequestPane::load POST /Subscriptions            median {}",
        us(load)
    );
    let mut pane = RequestPane::default();
    pane.load(op);
    let (_, edit, _) = time(RUNS, || {
        pane.set_body(valid.clone());
        std::hint::black_box(&pane.body_report());
    });
    println!(
        "  body editor: set and check the ~100 kB body      median {}",
        ms(edit)
    );
    // After each key the field of the cursor's line is worked out again (a walk of the text).
    let (_, field, _) = time(RUNS, || {
        pane.set_body(valid.clone());
        std::hint::black_box(pane.cursor_field());
    });
    println!(
        "  … and the cursor line's field and type            median {}",
        ms(field)
    );
}
