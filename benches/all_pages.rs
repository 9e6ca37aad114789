//! All pages of 10,000 invoices (100 pages of 100) from the simulator, printed as figures;
//! asserts nothing. Run: `cargo bench --bench all_pages`.
//!
//! The simulator runs as its own process (`younium-tui simulate`), so this process's resident
//! memory is the client's alone: one simulator with `--fault latency=20ms`, one without (the
//! transfer time the latency adds to). For concurrency 1, 4 and 8: the total time against
//! pages ÷ concurrency × latency + transfer (target: within 1.3×). Then resident memory with
//! the merged records held (target: under 3 × their JSON size + 15 MiB over the start), and
//! the CSV export of those records to a file: its time (target: under 1 s) and the memory
//! it adds (target: not the size of the file). Last (alone with `-- memory`), `call
//! --all-pages` as a process over 1,000 pages of about 1 MB at concurrency 4, output streamed
//! to /dev/null: its peak resident memory by `/usr/bin/time -v` against one page's (target:
//! under about 50 MiB more); `ALL_PAGES_CLIENT=path` measures another build of the client.

use std::io::{BufRead, BufReader, BufWriter};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use younium_tui::export::{self, Format};
use younium_tui::session::{ApiClient, ManagerOptions, TokenManager};
use younium_tui::simulator::{Simulator, SimulatorConfig, demo};
use younium_tui::younium::all_pages::{self, Finish, Merged, Options, Target};
use younium_tui::younium::paging::PageInfo;
use younium_tui::younium::request::{Http, HttpOptions};
use younium_tui::younium::{
    ApiRequest, ApiVersion, AuthMethod, CallSettings, Connection, Credentials, Environment, Method,
    Param, Secret,
};

const INVOICES: u64 = 10_000;
const LATENCY: Duration = Duration::from_millis(20);

/// A simulator process; killed when dropped.
struct SimProcess {
    child: Child,
    base_url: String,
}

impl SimProcess {
    fn start(extra_invoices: u64, fault: Option<&str>) -> SimProcess {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_younium-tui"));
        cmd.args(["simulate", "--invoices", &extra_invoices.to_string()]);
        if let Some(fault) = fault {
            cmd.args(["--fault", fault]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .stdin(Stdio::null())
            .spawn()
            .expect("the simulator starts");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let base_url = loop {
            let line = lines.next().expect("a banner").expect("readable");
            if let Some(url) = line.strip_prefix("Younium simulator listening on ") {
                break url.trim().to_string();
            }
        };
        // Keep draining its output so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        SimProcess { child, base_url }
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client(base_url: &str) -> ApiClient {
    let http = Http::new(HttpOptions::default()).unwrap();
    let connection = Connection {
        environment: Environment::from_base_url(base_url).unwrap(),
        credentials: Credentials {
            method: AuthMethod::ApiTokenV1,
            id: demo::CLIENT_ID.into(),
            secret: Secret::new(demo::SECRET),
        },
        legacy_legal_entity: None,
    };
    ApiClient {
        tokens: TokenManager::spawn(http.clone(), Some(connection), ManagerOptions::default()),
        http,
    }
}

fn settings() -> CallSettings {
    CallSettings {
        api_version: ApiVersion::V2_1,
        legal_entity: Some(demo::LEGAL_ENTITIES[0].name.to_string()),
    }
}

fn invoices() -> ApiRequest {
    let mut req = ApiRequest::new(Method::Get, "/Invoices");
    req.query.push(Param::new("PageSize", "100"));
    req
}

/// How many invoices the first legal entity has before any extra ones.
async fn base_invoices() -> u64 {
    let sim = Simulator::start_local(SimulatorConfig::default())
        .await
        .unwrap();
    let client = client(&sim.base_url());
    let answer = client
        .call(&sim.base_url(), &invoices(), &settings())
        .await
        .unwrap()
        .response;
    let count = PageInfo::probe(&answer.body)
        .and_then(|i| i.total_count)
        .unwrap();
    sim.shutdown().await;
    count
}

async fn fetch(client: &ApiClient, base_url: &str, concurrency: usize) -> Merged {
    let request = invoices();
    let settings = settings();
    let target = Target {
        client,
        base_url,
        request: &request,
        settings: &settings,
    };
    let options = Options {
        concurrency,
        ..Options::default()
    };
    let mut quiet = |_: &all_pages::Progress| {};
    let merged = all_pages::collect(target, options, None, &mut quiet, CancellationToken::new())
        .await
        .expect("a run");
    assert_eq!(merged.finish, Finish::Complete);
    assert_eq!(merged.record_count, INVOICES);
    merged
}

/// `call --all-pages --format ndjson` as a process of its own over `pages` pages of about
/// 1 MB (100 records of 10 KB, the simulator's `/SimulatorPages`) at concurrency 4, its
/// output to /dev/null: its peak resident memory (`/usr/bin/time -v`) in MiB, and its time.
/// `$ALL_PAGES_CLIENT` names another binary to measure (an older build, say).
fn call_peak_mib(base_url: &str, pages: u64) -> (f64, Duration) {
    let client = std::env::var_os("ALL_PAGES_CLIENT")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_younium-tui").into());
    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(&client)
        .args(["--base-url", base_url, "--client-id", demo::CLIENT_ID])
        .args([
            "--legal-entity",
            demo::LEGAL_ENTITIES[0].name,
            "--no-history",
        ])
        .args([
            "call",
            "GET",
            "/SimulatorPages",
            "-q",
            &format!("pages={pages}"),
        ])
        .args(["-q", "recordBytes=10240", "-q", "PageSize=100"])
        .args(["--all-pages", "--concurrency", "4", "--format", "ndjson"])
        .env("YOUNIUM_SECRET", demo::SECRET)
        .env("YOUNIUM_TUI_CONFIG", "/nonexistent/younium-tui-bench.toml")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("/usr/bin/time runs the client");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let kib: u64 = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak in {stderr}"));
    (mib(kib), took)
}

/// The streamed output's memory: 1,000 pages of about 1 MB against one page (the start).
fn streamed_memory() {
    let sim = SimProcess::start(0, None);
    let (one, _) = call_peak_mib(&sim.base_url, 1);
    let (thousand, took) = call_peak_mib(&sim.base_url, 1000);
    println!(
        "  call --all-pages --format ndjson > /dev/null, 1,000 pages of ~1 MB (≈1 GB of records) at concurrency 4: \
         peak resident {thousand:.1} MiB against {one:.1} MiB for one page (+{:.1} MiB; target: under about 50), {:.1} s",
        thousand - one,
        took.as_secs_f64()
    );
}

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The best of `runs` (the machine is shared; the best is the least disturbed).
async fn best(client: &ApiClient, base_url: &str, concurrency: usize, runs: usize) -> Duration {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let started = Instant::now();
        let merged = fetch(client, base_url, concurrency).await;
        best = best.min(started.elapsed());
        drop(merged);
    }
    best
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    younium_tui::younium::request::install_crypto_provider();
    println!(
        "all pages, release build, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    if std::env::args().any(|a| a == "memory") {
        streamed_memory();
        return;
    }
    let base = base_invoices().await;
    let extra = INVOICES - base;
    let slow = SimProcess::start(extra, Some(&format!("latency={}ms", LATENCY.as_millis())));
    let fast = SimProcess::start(extra, None);
    let slow_client = client(&slow.base_url);
    let fast_client = client(&fast.base_url);
    slow_client.tokens.token().await.unwrap();
    fast_client.tokens.token().await.unwrap();

    // Memory first, while the heap holds nothing else: warm the client with one page.
    let _ = fast_client
        .call(&fast.base_url, &invoices(), &settings())
        .await
        .unwrap();
    younium_tui::memory::release_free_memory();
    let before = status_kib("VmRSS:");
    let merged = fetch(&fast_client, &fast.base_url, 4).await;
    younium_tui::memory::release_free_memory();
    let after = status_kib("VmRSS:");
    let json = merged.records.len() as f64 / (1024.0 * 1024.0);
    let pages = merged.pages;
    println!(
        "  {} invoices, {pages} pages of 100, {:.1} MiB of JSON merged",
        younium_tui::pretty::thousands(merged.record_count),
        json
    );
    println!(
        "  resident with the merged records held: {:.1} MiB over {:.1} MiB at the start (+{:.1} MiB); target: under 3 × {:.1} + 15 = {:.1} MiB over the start",
        mib(after),
        mib(before),
        mib(after.saturating_sub(before)),
        json,
        3.0 * json + 15.0
    );

    // CSV export of the merged records to a file.
    let path = std::env::temp_dir().join(format!("all-pages-bench-{}.csv", std::process::id()));
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let rss_before = status_kib("VmRSS:");
    let started = Instant::now();
    let file = std::fs::File::create(&path).unwrap();
    let mut out = BufWriter::with_capacity(64 * 1024, file);
    let written = export::write(&merged.records, Format::Csv, &mut out).unwrap();
    drop(out);
    let took = started.elapsed();
    let peak = status_kib("VmHWM:");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&path);
    println!(
        "  CSV export: {:.0} ms for {} rows × {} columns, {:.1} MiB written (target: under 1 s); peak resident +{:.1} MiB over {:.1} MiB (the file is {:.1} MiB)",
        ms(took),
        younium_tui::pretty::thousands(written.records),
        written.columns,
        size as f64 / (1024.0 * 1024.0),
        mib(peak.saturating_sub(rss_before)),
        mib(rss_before),
        size as f64 / (1024.0 * 1024.0),
    );
    for format in [Format::Ndjson, Format::Json] {
        let started = Instant::now();
        export::write(&merged.records, format, &mut std::io::sink()).unwrap();
        println!(
            "  {format} export to a sink: {:.0} ms",
            ms(started.elapsed())
        );
    }
    drop(merged);

    println!(
        "  concurrency   at {} ms latency   no latency (transfer)   expected = pages ÷ c × latency + transfer   ratio (target ≤ 1.3)",
        LATENCY.as_millis()
    );
    for concurrency in [1usize, 4, 8] {
        let transfer = best(&fast_client, &fast.base_url, concurrency, 3).await;
        let total = best(&slow_client, &slow.base_url, concurrency, 2).await;
        let expected = LATENCY.mul_f64(pages as f64 / concurrency as f64) + transfer;
        println!(
            "  {concurrency:>11}   {:>14.0} ms   {:>19.0} ms   {:>41.0} ms   {:>5.2}",
            ms(total),
            ms(transfer),
            ms(expected),
            total.as_secs_f64() / expected.as_secs_f64()
        );
    }
    streamed_memory();
}
