//! Measures the real binary (release) in a 120×40 pseudo-terminal against the simulator:
//! launch to first frame, idle CPU over 30 s, resident memory idle and after showing a 1 MB
//! and a 10 MB response, and the wall time from the send key to the response on screen.
//!
//! Run: `cargo bench --bench process`. Prints a table; asserts nothing. Linux only (/proc).

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use younium_tui::simulator::{Simulator, SimulatorConfig, demo};

struct App {
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    bytes: Arc<Mutex<usize>>,
}

impl App {
    fn spawn(base_url: &str, extra: &[&str]) -> App {
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
        cmd.args(extra);
        cmd.env("YOUNIUM_SECRET", demo::SECRET);
        cmd.env("TERM", "xterm-256color");
        cmd.env("YOUNIUM_TUI_CONFIG", "/nonexistent/younium-tui-bench.toml");
        cmd.env(
            "YOUNIUM_TUI_LOG_FILE",
            std::env::temp_dir().join("younium-tui-bench.log"),
        );
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(40).unwrap(),
            NonZeroU16::new(120).unwrap(),
            0,
        )));
        let bytes = Arc::new(Mutex::new(0usize));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let (sink, count) = (screen.clone(), bytes.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
                *count.lock().unwrap() += n;
            }
        });
        let writer = pty.master.take_writer().unwrap();
        App {
            child,
            _master: pty.master,
            writer,
            screen,
            bytes,
        }
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str, timeout: Duration) -> Duration {
        let start = Instant::now();
        while !self.text().contains(what) {
            assert!(
                start.elapsed() < timeout,
                "{what:?} did not appear:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        start.elapsed()
    }

    /// Polls the screen until `check` returns something.
    fn wait_until<T>(&self, check: impl Fn(&str) -> Option<T>, timeout: Duration) -> T {
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

    fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }

    fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    fn rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        let kib: f64 = status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        kib / 1024.0
    }

    /// utime + stime in clock ticks.
    fn cpu_ticks(&self) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).unwrap();
        let after = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<&str> = after.split_whitespace().collect();
        fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
    }

    fn quit(mut self) {
        self.keys("q");
        let _ = self.child.wait();
    }
}

fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // About 11,000 accounts per legal entity: GET /Accounts with api-version 2.0 is ~10 MB.
    let config = SimulatorConfig {
        records_per_entity: 11_000,
        ..Default::default()
    };
    let sim = runtime
        .block_on(Simulator::start(
            config,
            SocketAddr::from(([127, 0, 0, 1], 0)),
        ))
        .unwrap();
    let base = sim.base_url();
    println!("younium-tui release binary in a 120×40 pty, simulator at {base}");

    let mut first_frames = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let app = App::spawn(&base, &[]);
        while !app.text().contains("Endpoints") {
            std::thread::sleep(Duration::from_micros(200));
        }
        first_frames.push(t.elapsed());
        app.quit();
    }
    first_frames.sort();
    println!(
        "launch → first frame: median {:.1} ms (min {:.1}, max {:.1}, 7 runs)",
        first_frames[3].as_secs_f64() * 1e3,
        first_frames[0].as_secs_f64() * 1e3,
        first_frames[6].as_secs_f64() * 1e3
    );

    let mut app = App::spawn(&base, &["--api-version", "2.0"]);
    app.wait_for(" VALID ", Duration::from_secs(20));
    std::thread::sleep(Duration::from_secs(2));
    let rss_idle = app.rss_mib();
    // 30 s: the kernel counts CPU time in 10 ms ticks, so shorter windows are too coarse.
    let (ticks0, bytes0, t0) = (app.cpu_ticks(), *app.bytes.lock().unwrap(), Instant::now());
    std::thread::sleep(Duration::from_secs(30));
    let (ticks1, bytes1, secs) = (
        app.cpu_ticks(),
        *app.bytes.lock().unwrap(),
        t0.elapsed().as_secs_f64(),
    );
    let cpu = (ticks1 - ticks0) as f64 / clock_ticks_per_second() / secs * 100.0;
    println!(
        "idle, token countdown on screen: CPU {cpu:.2} % over {secs:.1} s; {} bytes written to the terminal; RSS {rss_idle:.1} MiB",
        bytes1 - bytes0
    );

    // 1 MB: GET /Accounts (2.0: every record) filtered to about 1,100 accounts.
    app.keys("4");
    app.keys("a");
    app.keys("Filter\r");
    app.keys("accountNumber lt 'A-001100'\r");
    let t = Instant::now();
    app.keys("s");
    // The status line shows "· N lines" once the body is indexed and its first lines drawn.
    let size_1mb = app.wait_until(
        |text| {
            status_line(text)
                .filter(|l| l.contains(" lines"))
                .map(|_| status_size(text))
        },
        Duration::from_secs(60),
    );
    let shown_1mb = t.elapsed();
    std::thread::sleep(Duration::from_millis(500));
    let rss_1mb = app.rss_mib();
    println!(
        "1 MB response ({size_1mb}): send key → highlighted lines on screen {:.0} ms (network and server included); RSS {rss_1mb:.1} MiB",
        shown_1mb.as_secs_f64() * 1e3
    );

    // 10 MB: the same without the filter.
    app.keys("4");
    app.keys(" ");
    let t = Instant::now();
    app.keys("s");
    let size_10mb = app.wait_until(
        |text| {
            status_line(text)
                .filter(|l| l.contains(" lines") && status_size(text) != size_1mb)
                .map(|_| status_size(text))
        },
        Duration::from_secs(60),
    );
    let shown_10mb = t.elapsed();
    std::thread::sleep(Duration::from_millis(500));
    let rss_10mb = app.rss_mib();
    println!(
        "10 MB response ({size_10mb}): send key → highlighted lines on screen {:.0} ms (network and server included); RSS {rss_10mb:.1} MiB",
        shown_10mb.as_secs_f64() * 1e3
    );

    let (ticks0, t0) = (app.cpu_ticks(), Instant::now());
    std::thread::sleep(Duration::from_secs(30));
    let cpu =
        (app.cpu_ticks() - ticks0) as f64 / clock_ticks_per_second() / t0.elapsed().as_secs_f64()
            * 100.0;
    println!("idle with the 10 MB body on screen: CPU {cpu:.2} % over 30 s");
    app.quit();
    runtime.block_on(sim.shutdown());
}

/// The response status line, if a 200 is on screen.
fn status_line(text: &str) -> Option<&str> {
    text.lines().find(|l| l.contains("200 OK"))
}

/// The size shown in the response status line, e.g. `10.4 MB`.
fn status_size(text: &str) -> String {
    status_line(text)
        .and_then(|l| l.split(" · ").nth(1))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}
