//! A `run --data` flow against the simulator at 20 ms latency (release build): 1,000 rows of
//! two steps (create an account, read it back) at concurrency 4, and 100 rows at concurrency
//! 1 for the per-request overhead. The figure to meet: within 1.3× of rows × steps ÷
//! concurrency × 20 ms (10 s for the first).
//!
//! Run: `cargo bench --bench flows`. Prints a table; asserts nothing. (Arguments such as
//! criterion's `--warm-up-time` are accepted and ignored.)

use std::process::Command;
use std::time::{Duration, Instant};

use younium_tui::simulator::{Faults, Simulator, SimulatorConfig, demo};

const FLOW: &str = r#"
[[step]]
name = "create"
method = "POST"
path = "/Accounts"
body = '{"name": "{{row.name}}", "currency": "SEK", "accountType": "Customer"}'
expect = { status = 201 }
capture = { id = ".id" }

[[step]]
name = "read back"
method = "GET"
path = "/Accounts/{{id}}"
expect = { jq = ['.name == "{{row.name}}"'] }
"#;

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut faults = Faults::default();
    faults.apply("latency=20ms").unwrap();
    let config = SimulatorConfig {
        faults,
        ..SimulatorConfig::default()
    };
    let sim = runtime.block_on(Simulator::start_local(config)).unwrap();
    let dir = std::env::temp_dir().join(format!("younium-tui-bench-flows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let flow = dir.join("flow.toml");
    std::fs::write(&flow, FLOW).unwrap();
    println!("run --data against the simulator at 20 ms latency (2 steps a row)");
    for (rows, concurrency) in [(1000usize, 4usize), (100, 1)] {
        let csv = dir.join(format!("rows-{rows}.csv"));
        let mut text = String::from("name\n");
        for i in 0..rows {
            text.push_str(&format!("Bench {i} AB\n"));
        }
        std::fs::write(&csv, text).unwrap();
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_younium-tui"))
            .args([
                "--base-url",
                &sim.base_url(),
                "--client-id",
                demo::CLIENT_ID,
            ])
            .args([
                "--legal-entity",
                demo::LEGAL_ENTITIES[0].name,
                "--no-history",
            ])
            .arg("run")
            .arg(&flow)
            .arg("--data")
            .arg(&csv)
            .args(["--concurrency", &concurrency.to_string()])
            .env("YOUNIUM_SECRET", demo::SECRET)
            .env("YOUNIUM_TUI_CONFIG", "/nonexistent/bench.toml")
            .output()
            .unwrap();
        let took = started.elapsed();
        let ideal = Duration::from_millis(20) * (rows * 2 / concurrency) as u32;
        let summary = String::from_utf8_lossy(&out.stderr);
        println!(
            "  {rows:>5} rows, concurrency {concurrency}: {:>6.2} s  (ideal {:>5.2} s, {:.2}×)  {}",
            took.as_secs_f64(),
            ideal.as_secs_f64(),
            took.as_secs_f64() / ideal.as_secs_f64(),
            summary.lines().last().unwrap_or_default()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
