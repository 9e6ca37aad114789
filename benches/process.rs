//! Measures the real binary (release) in a 120×40 pseudo-terminal against the simulator:
//! launch to first frame, idle CPU over 30 s, resident memory idle and after showing a 1 MB
//! and a 10 MB response, the wall time from the send key to the response on screen, and idle
//! CPU and sideways steps with a 43 MB single-line body on screen.
//!
//! `-- all-pages` instead: `A` over 10,000 invoices (100 pages of 100, every answer 20 ms
//! late): the run's wall time against pages ÷ concurrency × latency + transfer, the key
//! latency while it runs, and resident memory after the merged records are shown.
//!
//! Run: `cargo bench --bench process`. Prints a table; asserts nothing. Linux only (/proc).

#[allow(dead_code)]
#[path = "../tests/app/common/pty.rs"]
mod pty;

use std::time::{Duration, Instant};

use pty::Tui;
use younium_tui::simulator::{Simulator, SimulatorConfig};

fn rss_mib(app: &Tui) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", app.pid())).unwrap();
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
fn cpu_ticks(app: &Tui) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", app.pid())).unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn bytes_written(app: &Tui) -> usize {
    app.raw.lock().unwrap().len()
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
    // `cargo bench --bench process -- long-line` runs only the single-line case.
    if std::env::args().any(|a| a == "long-line") {
        one_long_line(&runtime);
        return;
    }
    // `-- all-pages`: only the all-pages run over 10,000 invoices.
    if std::env::args().any(|a| a == "all-pages") {
        all_pages(&runtime);
        return;
    }
    // About 11,000 accounts per legal entity: GET /Accounts with api-version 2.0 is ~10 MB.
    let config = SimulatorConfig {
        records_per_entity: 11_000,
        ..Default::default()
    };
    let sim = runtime.block_on(Simulator::start_local(config)).unwrap();
    let base = sim.base_url();
    println!("younium-tui release binary in a 120×40 pty, simulator at {base}");

    let mut first_frames = Vec::new();
    for _ in 0..7 {
        let t = Instant::now();
        let app = Tui::demo_client(&base, &[]);
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

    let mut app = Tui::demo_client(&base, &["--api-version", "2.0"]);
    app.wait_for(" VALID ", Duration::from_secs(20));
    std::thread::sleep(Duration::from_secs(2));
    let rss_idle = rss_mib(&app);
    // 30 s: the kernel counts CPU time in 10 ms ticks, so shorter windows are too coarse.
    let (ticks0, bytes0, t0) = (cpu_ticks(&app), bytes_written(&app), Instant::now());
    std::thread::sleep(Duration::from_secs(30));
    let (ticks1, bytes1, secs) = (
        cpu_ticks(&app),
        bytes_written(&app),
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
    let rss_1mb = rss_mib(&app);
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
    let rss_10mb = rss_mib(&app);
    println!(
        "10 MB response ({size_10mb}): send key → highlighted lines on screen {:.0} ms (network and server included); RSS {rss_10mb:.1} MiB",
        shown_10mb.as_secs_f64() * 1e3
    );

    let (ticks0, t0) = (cpu_ticks(&app), Instant::now());
    std::thread::sleep(Duration::from_secs(30));
    let cpu =
        (cpu_ticks(&app) - ticks0) as f64 / clock_ticks_per_second() / t0.elapsed().as_secs_f64()
            * 100.0;
    println!("idle with the 10 MB body on screen: CPU {cpu:.2} % over 30 s");
    app.quit();
    runtime.block_on(sim.shutdown());

    one_long_line(&runtime);
}

/// A 43 MB body that is one line of text (a log line of minified JSON, one byte broken), so it
/// is shown as the one line it is (JSON would be pretty-printed up to the break):
/// idle CPU with it on screen, and the wall time of sideways steps as the user sees them.
fn one_long_line(runtime: &tokio::runtime::Runtime) {
    use axum::http::header;
    use axum::response::IntoResponse;

    let mut body = String::with_capacity(43 << 20);
    body.push_str(r#"log: {"data":["#);
    let mut i = 0u64;
    while body.len() < 43 << 20 {
        body.push_str(&format!(
            r#"{{"id":"53abf01b-5942-4bed-b61f-{i:012x}","name":"Example Customer {i}","amount":{i}.5}},"#
        ));
        i += 1;
    }
    body.push_str("#]}");
    let body = bytes::Bytes::from(body);
    let size_mb = body.len() as f64 / 1e6;
    let app = axum::Router::new()
        .route(
            "/auth/token",
            axum::routing::post(|| async {
                axum::Json(
                    serde_json::json!({"accessToken": "opaque-bench-token", "expiresIn": 86400}),
                )
            }),
        )
        .fallback(move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "text/plain")], body).into_response() }
        });
    let (base, server) = runtime.block_on(async {
        let socket = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", socket.local_addr().unwrap());
        let server = tokio::spawn(async move { axum::serve(socket, app).await });
        (base, server)
    });
    let mut app = Tui::start(
        &["--base-url", &base, "--client-id", "bench"],
        &[("YOUNIUM_SECRET", "bench-secret")],
    );
    app.wait_for(" VALID ", Duration::from_secs(20));
    app.keys("s");
    app.wait_for("log: {\"data\":[{\"id\"", Duration::from_secs(60));
    std::thread::sleep(Duration::from_secs(1));
    let (ticks0, t0) = (cpu_ticks(&app), Instant::now());
    std::thread::sleep(Duration::from_secs(10));
    let cpu =
        (cpu_ticks(&app) - ticks0) as f64 / clock_ticks_per_second() / t0.elapsed().as_secs_f64()
            * 100.0;
    println!(
        "idle with a {size_mb:.0} MB single-line body on screen (countdown ticking): CPU {cpu:.2} % over 10 s; RSS {:.1} MiB",
        rss_mib(&app)
    );
    // Sideways steps as the user sees them: the key, then the frame that shows the new
    // columns (the pty output grows).
    let mut steps = Vec::new();
    for _ in 0..30 {
        let before = bytes_written(&app);
        let t = Instant::now();
        app.send("l");
        while bytes_written(&app) == before && t.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_micros(100));
        }
        steps.push(t.elapsed());
        std::thread::sleep(Duration::from_millis(20));
    }
    steps.sort();
    println!(
        "sideways step with it on screen (key → frame written, pty round trip included): median {:.1} ms, max {:.1} ms, 30 steps",
        steps[15].as_secs_f64() * 1e3,
        steps[29].as_secs_f64() * 1e3
    );
    app.quit();
    server.abort();
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

/// `A` over 10,000 invoices from a simulator that answers every request 20 ms late.
fn all_pages(runtime: &tokio::runtime::Runtime) {
    use younium_tui::simulator::Faults;
    // The first legal entity has 26 invoices of its own at the default size.
    let sim = runtime
        .block_on(Simulator::start_local(SimulatorConfig {
            extra_invoices: 10_000 - 26,
            ..Default::default()
        }))
        .unwrap();
    let base = sim.base_url();
    let mut app = Tui::demo_client(&base, &[]);
    let wait = Duration::from_secs(120);
    app.wait_for(" VALID ", wait);
    app.keys("3/get invoices\r\r");
    app.wait_for("GET    /Invoices  ", wait);
    // PageSize (the fifth parameter) to 100.
    app.keys("4jjjjje\x7f\x7f100\r");
    app.wait_for("PageSize       = 100", wait);
    let mut runs = Vec::new();
    for latency in [0u64, 20] {
        let mut faults = Faults::default();
        if latency > 0 {
            faults.apply(&format!("latency={latency}ms")).unwrap();
        }
        sim.set_faults(faults);
        app.keys("s");
        app.wait_for("page 1 of 100", wait);
        let rss_before = rss_mib(&app);
        let t = Instant::now();
        app.keys("5A");
        // Keys while it runs: `j` moves the cursor line; the time until the path line
        // under the body shows the next line number.
        let mut keys = Vec::new();
        let mut line = 1;
        loop {
            let text = app.text();
            if text.contains("merged into one array") {
                break;
            }
            if !text.contains("All pages ") || keys.len() >= 40 {
                std::thread::sleep(Duration::from_millis(1));
                continue;
            }
            line += 1;
            let k = Instant::now();
            app.send("j");
            let want = format!("line {line} of");
            let mut seen = false;
            while k.elapsed() < Duration::from_secs(5) {
                let text = app.text();
                if text.contains(&want) {
                    seen = true;
                    break;
                }
                // The records replaced the page (the cursor starts again): not this key's effect.
                if text.contains("merged into one array") {
                    break;
                }
                std::thread::sleep(Duration::from_micros(200));
            }
            if seen {
                keys.push(k.elapsed());
            }
        }
        let total = t.elapsed();
        std::thread::sleep(Duration::from_millis(1500));
        let text = app.text();
        let size = status_size(&text);
        runs.push((latency, total, keys, rss_before, rss_mib(&app), size));
    }
    println!(
        "all pages of 10,000 invoices (100 pages of 100), concurrency 4, release binary in a pty:"
    );
    let transfer = runs[0].1.as_secs_f64();
    for (latency, total, mut keys, rss_before, rss_after, size) in runs {
        keys.sort();
        let ideal = 100.0 / 4.0 * latency as f64 / 1e3 + transfer;
        println!(
            "  latency {latency} ms: A → merged array on screen {:.2} s (pages ÷ concurrency × latency + transfer = {ideal:.2} s: {:.2}×); \
             keys during the run: {} (median {:.1} ms, max {:.1} ms); merged body {size}; RSS {rss_before:.1} MiB before, {rss_after:.1} MiB after",
            total.as_secs_f64(),
            total.as_secs_f64() / ideal,
            keys.len(),
            keys.get(keys.len() / 2)
                .map_or(0.0, |d| d.as_secs_f64() * 1e3),
            keys.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        );
    }
    app.quit();
    runtime.block_on(sim.shutdown());
}
