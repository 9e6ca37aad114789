//! End to end: the built binary in a pseudo-terminal (120×40) against the simulator. It waits
//! for a valid token and a ticking countdown, loads an endpoint from the catalogue and sends it
//! by keys, finds the response on screen, then quits and checks the terminal was restored.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use younium_tui::simulator::{Simulator, SimulatorConfig, demo};

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if text.contains(what) {
                return text;
            }
            assert!(
                start.elapsed() < timeout,
                "{what:?} did not appear within {timeout:?}; the screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
}

/// The `HH:MM:SS left` countdown on screen.
fn countdown(text: &str) -> Option<String> {
    let at = text.find(" left")?;
    Some(text[at.saturating_sub(8)..at].to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_in_a_terminal_gets_a_token_and_shows_a_response() {
    let sim = Simulator::start(
        SimulatorConfig::default(),
        SocketAddr::from(([127, 0, 0, 1], 0)),
    )
    .await
    .unwrap();
    let base = sim.base_url();
    let result = tokio::task::spawn_blocking(move || drive(&base)).await;
    sim.shutdown().await;
    result.unwrap();
}

fn drive(base_url: &str) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_younium-tui"));
    cmd.args([
        "--base-url",
        base_url,
        "--client-id",
        demo::CLIENT_ID,
        "--legal-entity",
        demo::LEGAL_ENTITIES[0].name,
    ]);
    cmd.env("YOUNIUM_SECRET", demo::SECRET);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(40).unwrap(),
        std::num::NonZeroU16::new(120).unwrap(),
        0,
    )));
    let mut reader = pty.master.try_clone_reader().unwrap();
    let sink = parser.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().process(&buf[..n]);
        }
    });
    let mut screen = Screen {
        parser,
        writer: pty.master.take_writer().unwrap(),
    };

    let text = screen.wait_for(" VALID ", Duration::from_secs(30));
    assert!(
        !text.contains(demo::SECRET),
        "the secret is never on screen"
    );
    let first = countdown(&text).expect("a countdown");
    std::thread::sleep(Duration::from_millis(2100));
    let second = countdown(&screen.text()).expect("a countdown");
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

    // A wrong legal entity: the 403 explanation names the header that was sent.
    screen.keys("L");
    screen.wait_for("Type a name or GUID", Duration::from_secs(5));
    screen.keys("jj\r"); // None, the known entity, then "Type…"
    screen.keys("\x15Nordlys Sofware AB\r");
    screen.wait_for("legal-entity Nordlys Sofware AB", Duration::from_secs(5));
    screen.keys("3/\x15get invoices\r");
    screen.keys("j\r"); // past GET /Accounts/{id}/Invoices to GET /Invoices
    screen.wait_for("GET    /Invoices  ", Duration::from_secs(5));
    screen.keys("s");
    let text = screen.wait_for("403 Forbidden", Duration::from_secs(20));
    assert!(
        text.contains("legal-entity: Nordlys Sofware AB was sent"),
        "{text}"
    );

    screen.keys("q");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "q did not quit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        !screen.parser.lock().unwrap().screen().alternate_screen(),
        "the terminal is restored"
    );
}
