//! End to end: the built binary in a pseudo-terminal (120×40) against the simulator. It waits
//! for a valid token and a ticking countdown, loads an endpoint from the catalogue and sends it
//! by keys, finds the response on screen, gets a 403 for a wrong legal entity and diagnoses it,
//! then quits and checks the terminal was restored.

use std::time::Duration;

use crate::common::pty::Tui;
use younium_tui::simulator::demo;

/// The `HH:MM:SS left` countdown on screen.
fn countdown(text: &str) -> Option<String> {
    let at = text.find(" left")?;
    Some(text[at.saturating_sub(8)..at].to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_in_a_terminal_gets_a_token_and_shows_a_response() {
    Tui::on_simulator(drive).await;
}

fn drive(base_url: &str) {
    let mut screen = Tui::demo_client(base_url, &[]);

    let text = screen.wait_for(" VALID ", Duration::from_secs(30));
    assert!(
        !text.contains(demo::SECRET),
        "the secret is never on screen"
    );
    // The countdown runs on the wall clock: it ticks within the 2.1 s once slept here.
    let first = countdown(&text).expect("a countdown");
    let second = screen.wait_until(
        |now| countdown(now).filter(|c| *c != first),
        Duration::from_millis(2100),
    );
    assert_ne!(first, second, "the countdown ticks");

    // Catalogue: filter for users, load GET /Users, send.
    screen.keys("3");
    screen.keys("/users\r");
    screen.keys("\r");
    screen.wait_for("GET    /Users", Duration::from_secs(5));
    screen.keys("s");
    let text = screen.wait_for("200 OK", Duration::from_secs(20));
    let text = if text.contains("\"roles\"") {
        text
    } else {
        screen.wait_for("\"roles\"", Duration::from_secs(10))
    };
    assert!(text.contains("page 1 of"), "{text}");

    // A wrong legal entity: the 403 explanation names the header that was sent…
    screen.keys("L");
    screen.wait_for("Type a name or GUID", Duration::from_secs(5));
    screen.keys("jj\r"); // None, the known entity, then "Type…"
    screen.keys("\x15Nordlys Sofware AB\r");
    screen.wait_for("legal-entity Nordlys Sofware AB", Duration::from_secs(5));
    screen.keys("3/\x15get invoices\r");
    screen.keys("\r"); // the best match, GET /Invoices, is selected
    screen.wait_for("GET    /Invoices  ", Duration::from_secs(5));
    screen.keys("s");
    let text = screen.wait_for("403 Forbidden", Duration::from_secs(20));
    assert!(
        text.contains("legal-entity: Nordlys Sofware AB was sent"),
        "{text}"
    );

    // …and one key press gives the verdict that names the entity to use; Enter applies it.
    screen.keys("D");
    let text = screen.wait_for("Enter: use legal entity", Duration::from_secs(20));
    assert!(
        text.contains("matches no legal entity of this tenant"),
        "{text}"
    );
    assert!(
        text.contains("did you mean \"Nordlys Software AB\""),
        "{text}"
    );
    screen.keys("\r");
    screen.wait_for("legal-entity Nordlys Software AB ", Duration::from_secs(5));
    screen.wait_for("200 OK", Duration::from_secs(20));

    screen.quit();
}

/// What is shown is what is sent, by the keys of the issue: an automatic header switched off
/// and on again is sent as it was (`4`, `]`, `j`×4, Space, Space, `s` answers 200, not "does
/// not support the API version ''"); `legal-entity` switched off answers 403, and the
/// diagnosis' fix switches it back on and the resend answers 200.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_header_off_and_on_again_and_the_403_fix_send_what_they_show() {
    Tui::on_simulator(|base_url| {
        let mut screen = Tui::demo_client(base_url, &[]);
        screen.wait_for(" VALID ", Duration::from_secs(30));
        screen.keys("4]jjjj");
        screen.wait_for("auto api-version", Duration::from_secs(5));
        screen.keys("  ");
        let text = screen.wait_for("auto api-version", Duration::from_secs(5));
        assert!(!text.contains("over api-version"), "{text}");
        screen.keys("s");
        screen.wait_for("200 OK", Duration::from_secs(20));
        // legal-entity is the next row: off, send, 403.
        screen.keys("4j ");
        screen.wait_for("off  legal-entity", Duration::from_secs(5));
        screen.keys("s");
        screen.wait_for("403 Forbidden", Duration::from_secs(20));
        screen.keys("D");
        screen.wait_for("Enter: use legal entity", Duration::from_secs(20));
        screen.keys("\r");
        let text = screen.wait_for("200 OK", Duration::from_secs(20));
        assert!(
            text.contains("auto legal-entity"),
            "the builder shows it on: {text}"
        );
        screen.quit();
    })
    .await;
}
