//! The built binary in a pseudo-terminal, with its screen parsed by vt100.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Where a binary started by a test records its history: a file of this process in the temp
/// directory, never the user's own history (a test may pass its own `--history`). Here, not in
/// `common`, because the process bench uses this file alone.
pub fn history_file() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join("younium-tui-test-history");
    let _ = std::fs::create_dir_all(&dir);
    dir.join(format!("{}.sqlite3", std::process::id()))
}

pub struct Tui {
    pub child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Everything the program wrote to the terminal.
    pub raw: Arc<Mutex<Vec<u8>>>,
}

impl Tui {
    /// Starts the binary with `args` and `env` in a 120×40 terminal. The user's config file
    /// and log directory are never touched: tests pass their own or none.
    /// The binary signed in to the simulator at `base_url` with its demo client, in its first
    /// legal entity, with `extra` arguments.
    pub fn demo_client(base_url: &str, extra: &[&str]) -> Tui {
        let mut args = Tui::demo_args(base_url);
        args.extend_from_slice(extra);
        Tui::start(
            &args,
            &[("YOUNIUM_SECRET", younium_tui::simulator::demo::SECRET)],
        )
    }

    /// The arguments that sign in to the simulator at `base_url` with its demo client, in its
    /// first legal entity (the secret goes in `YOUNIUM_SECRET`).
    pub fn demo_args(base_url: &str) -> Vec<&str> {
        use younium_tui::simulator::demo;
        vec![
            "--base-url",
            base_url,
            "--client-id",
            demo::CLIENT_ID,
            "--legal-entity",
            demo::LEGAL_ENTITIES[0].name,
        ]
    }

    /// Runs `drive` (it blocks) with the base URL of a fresh simulator, then stops the
    /// simulator, then fails if `drive` did.
    pub async fn on_simulator(drive: fn(&str)) {
        use younium_tui::simulator::{Simulator, SimulatorConfig};
        let sim = Simulator::start_local(SimulatorConfig::default())
            .await
            .unwrap();
        let base = sim.base_url();
        let result = tokio::task::spawn_blocking(move || drive(&base)).await;
        sim.shutdown().await;
        result.unwrap();
    }

    pub fn start(args: &[&str], env: &[(&str, &str)]) -> Tui {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_younium-tui"));
        cmd.env("YOUNIUM_TUI_HISTORY", history_file());
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("YOUNIUM_SECRET");
        cmd.env("YOUNIUM_TUI_CONFIG", "/nonexistent/younium-tui-test.toml");
        cmd.env(
            "YOUNIUM_TUI_LOG_FILE",
            std::env::temp_dir().join(format!("younium-tui-test-{}.log", std::process::id())),
        );
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(40).unwrap(),
            NonZeroU16::new(120).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let (sink, log) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
                log.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        Tui {
            child,
            _master: pty.master,
            writer,
            parser,
            raw,
        }
    }

    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn wait_for(&self, what: &str, timeout: Duration) -> String {
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

    /// Polls the screen every millisecond until `check` returns something.
    pub fn wait_until<T>(&self, check: impl Fn(&str) -> Option<T>, timeout: Duration) -> T {
        let start = Instant::now();
        loop {
            if let Some(v) = check(&self.text()) {
                return v;
            }
            assert!(
                start.elapsed() < timeout,
                "timed out; the screen:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[allow(dead_code, reason = "the process bench reads the child's /proc files")]
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child runs")
    }

    pub fn keys(&mut self, keys: &str) {
        self.send(keys);
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Types `keys` and returns at once (for timing what follows).
    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    /// Waits for the program to end by itself (a headless command): whether it succeeded,
    /// and everything it wrote.
    #[allow(dead_code, reason = "the process bench does not run headless commands")]
    pub fn wait_exit(mut self, timeout: Duration) -> (bool, Vec<u8>) {
        let status = self.wait_end(timeout, "it did not end");
        (status.success(), self.raw.lock().unwrap().clone())
    }

    /// Presses q and waits for a clean exit.
    pub fn quit(mut self) -> Vec<u8> {
        self.keys("q");
        let status = self.wait_end(Duration::from_secs(10), "q did not quit");
        assert!(status.success(), "{status:?}");
        assert!(!self.alternate_screen(), "the terminal is restored");
        self.raw.lock().unwrap().clone()
    }

    /// Waits up to `timeout` for the program to end (failing with `what` and the screen),
    /// then for what it wrote last to come through the pty.
    fn wait_end(&mut self, timeout: Duration, what: &str) -> portable_pty::ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < timeout,
                "{what} within {timeout:?}:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        std::thread::sleep(Duration::from_millis(200));
        status
    }
}
