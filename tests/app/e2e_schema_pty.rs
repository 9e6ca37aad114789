//! End to end, the built binary in a pseudo-terminal against the simulator: load
//! `POST /Accounts`, its skeleton appears; remove `currency`, the problem is listed under the
//! editor; sending asks first, naming the first problem; sent anyway, the simulator answers
//! 400 naming the field; fill the fields, send, 201.

use std::time::Duration;

use crate::common::pty::Tui;

const DOWN: &str = "\x1b[B";
const END: &str = "\x1b[F";
const LEFT: &str = "\x1b[D";
const BACKSPACE: &str = "\x7f";
const F5: &str = "\x1b[15~";
const ESC: &str = "\x1b";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_missing_a_required_field_is_listed_asked_about_then_fixed_and_created() {
    Tui::on_simulator(drive).await;
}

fn drive(base_url: &str) {
    let mut screen = Tui::demo_client(base_url, &[]);
    let wait = Duration::from_secs(30);
    screen.wait_for(" VALID ", wait);

    screen.keys("3/post accounts\r");
    screen.keys("\r");
    let text = screen.wait_for("\"currency\": \"SEK\"", wait);
    assert!(text.contains("\"name\": \"\","), "the skeleton: {text}");
    assert!(text.contains(".name"), "the empty name is listed: {text}");

    // Edit the body: drop the comma after the name, then the whole currency line.
    screen.keys(DOWN);
    screen.keys("\r");
    screen.keys(DOWN);
    screen.keys(END);
    screen.keys(BACKSPACE);
    screen.keys(DOWN);
    screen.keys(END);
    screen.keys(&BACKSPACE.repeat(20));
    let text = screen.wait_for(".currency", wait);
    assert!(!text.contains("\"SEK\""), "currency is gone: {text}");
    assert!(text.contains("required field missing"), "{text}");

    // Sending asks first, naming the first problem; n sends nothing.
    screen.keys(F5);
    let text = screen.wait_for("The body does not match CreateAccountRequest", wait);
    assert!(
        text.contains("line "),
        "the first problem with its line: {text}"
    );
    screen.keys("n");

    // Sent anyway, the simulator checks the same schema: 400, the field named.
    screen.keys(F5);
    screen.wait_for("The body does not match CreateAccountRequest", wait);
    screen.keys("y");
    let text = screen.wait_for("400 Bad Request", wait);
    assert!(text.contains("Currency"), "errors keyed by field: {text}");

    // Fill the name and the currency (the cursor is still on the name's line), then send:
    // created.
    screen.keys(END);
    screen.keys(LEFT);
    screen.keys("Pty AB");
    screen.keys(END);
    screen.keys(",\r  \"currency\": \"SEK\"");
    // While editing, the line under the body names the cursor's field and its type.
    screen.wait_for(".currency: LookupKeyCurrency", wait);
    screen.keys(ESC);
    let text = screen.wait_for("as CreateAccountRequest says", wait);
    assert!(!text.contains("required field missing"), "{text}");
    screen.keys(F5);
    let text = screen.wait_for("201", wait);
    assert!(text.contains("Pty AB"), "the created account: {text}");
    assert!(!text.contains("does not match"), "no question: {text}");
    screen.quit();
}
