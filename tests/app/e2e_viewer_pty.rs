//! End to end in the viewer: the built binary in a pseudo-terminal (120×40) against the
//! simulator sends `GET /Invoices`, finds a value in the response (`/`), filters the body with
//! jq (`|`), goes back to the whole body, and folds it (`z M`, Enter), reading the screen at
//! each step.

use std::time::Duration;

use crate::common::pty::Tui;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_filter_and_fold_a_response_in_a_terminal() {
    Tui::on_simulator(drive).await;
}

fn drive(base_url: &str) {
    let mut screen = Tui::demo_client(base_url, &[]);
    let wait = Duration::from_secs(20);
    screen.wait_for(" VALID ", Duration::from_secs(30));

    screen.keys("3/get invoices\r");
    screen.keys("\r");
    screen.wait_for("GET    /Invoices  ", wait);
    screen.keys("s");
    screen.wait_for("200 OK", wait);
    screen.wait_for("\"invoiceNumber\"", wait);

    // Find: the count in the title, the cursor (and its path) on the first match.
    screen.keys("5/Posted\r");
    // The path line, once the find line has closed, gives the field's type from the
    // response schema.
    screen.wait_until(
        |t| {
            (t.contains("/Posted 1 of ") && t.contains(".status: string, enum Draft|Posted"))
                .then_some(())
        },
        wait,
    );

    // jq: the output as its own document, the filter in the title.
    screen.keys("|.data | map(.invoiceNumber)\r");
    let text = screen.wait_for("| .data | map(.invoiceNumber)", wait);
    assert!(text.contains("\"I-0"), "{text}");
    assert!(!text.contains("\"totalAmount\""), "{text}");

    // An empty filter: the whole body again.
    screen.keys("|\x15\r");
    screen.wait_until(
        |t| (!t.contains("| .data") && t.contains("\"invoiceNumber\"")).then_some(()),
        wait,
    );

    // Fold everything below the top level, then open the list again.
    screen.keys("zM");
    screen.keys("g");
    let text = screen.wait_for("items]", wait);
    assert!(text.contains("\"data\": [… "), "{text}");
    assert!(!text.contains("\"invoiceNumber\""), "{text}");
    let rows = screen.wait_for("line 1 of", wait);
    let down = rows
        .lines()
        .position(|l| l.contains("\"data\": [… "))
        .expect("the folded list");
    let top = rows
        .lines()
        .position(|l| l.contains(" 1 {"))
        .expect("the first line");
    for _ in top..down {
        screen.keys("j");
    }
    screen.wait_for(".data: array of ", wait);
    screen.keys("\r");
    let text = screen.wait_for("keys},", wait);
    assert!(!text.contains("\"data\": [… "), "{text}");

    screen.quit();
}
