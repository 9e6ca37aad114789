//! In-process timings of the response viewer (release build), printed as a table; asserts
//! nothing. Run: `cargo bench --bench viewer` (`-- invoices` for the 65 MB invoice cases only).
//!
//! - `viewer/scroll.rs`: 1 MB and 10 MB bodies: indexing (what runs off the UI thread after the
//!   last byte), the first frame, a frame scrolled to the middle, scroll steps anywhere, the
//!   memory a shown body costs; a 43 MB body on one line (as text, and as one huge JSON string
//!   value): its first frame, sideways steps at the left edge and 20 M columns in, a redraw;
//!   the whole screen on an idle countdown tick.
//! - `viewer/find.rs`: find (`/`) on 10 MB and 65 MB synthetic bodies and on the invoices: the
//!   first match, the full count, and `n`.
//! - `viewer/invoices.rs`: the 65 MB `GET /Invoices` body from the embedded simulator
//!   (`simulatorUnpaged=true`), fetched over HTTP.
//! - `viewer/jq.rs`: jq filters over it in the pane as the TUI runs them (keys answered while
//!   they run, resident memory with the output shown), and our engine beside the `jaq` CLI.
//! - `viewer/fold.rs`: folding on it: one record, the whole list, `z M`, `z R`, and the path
//!   of the last line (`-- fold` runs only these).

#[path = "viewer/common.rs"]
mod common;
#[path = "viewer/find.rs"]
mod find;
#[path = "viewer/fold.rs"]
mod fold;
#[path = "viewer/invoices.rs"]
mod invoices;
#[path = "viewer/jq.rs"]
mod jq;
#[path = "viewer/scroll.rs"]
mod scroll;

use bytes::Bytes;
use younium_tui::pretty::highlight::highlighter;

fn main() {
    // Load syntect's definitions once, as the app does at start-up.
    let _ = highlighter();
    println!(
        "response viewer, release build, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    if std::env::args().any(|a| a == "fold") {
        let file = invoices::fetch();
        fold::fold(Bytes::from(std::fs::read(&file.path).unwrap()));
        return;
    }
    if !std::env::args().any(|a| a == "invoices") {
        scroll::sizes();
        for mb in [10usize, 65] {
            find::synthetic(mb);
        }
        scroll::long_lines();
        scroll::whole_screen_tick("1 MB response", common::body(1_000_000), 200);
        scroll::whole_screen_tick("43 MB one-line text", scroll::broken_json(43_000_000), 30);
    }
    invoices();
}

/// The cases on the 65 MB `GET /Invoices` body of issue 11.
fn invoices() {
    let file = invoices::fetch();
    // Memory first, while the heap holds nothing else of these cases.
    jq::in_the_pane(&file);
    let raw = Bytes::from(std::fs::read(&file.path).unwrap());
    let rare = find::last_value(&raw, "invoiceNumber");
    find::find(
        "65 MB invoices",
        "/Invoices",
        raw,
        &[
            ("common", "\"status\": \"settled\""),
            ("rare (last invoice)", &rare),
        ],
    );
    fold::fold(Bytes::from(std::fs::read(&file.path).unwrap()));
    jq::side_by_side(&file);
}
