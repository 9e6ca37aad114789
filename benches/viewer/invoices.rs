//! The 65 MB body of the invoice cases: `GET /Invoices?simulatorUnpaged=true` from the
//! embedded simulator with extra invoices, fetched once over HTTP and kept in a file (for the
//! `jaq` command line, and so the simulator's memory is gone before the body is measured).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use younium_tui::simulator::{Simulator, SimulatorConfig, demo};

use crate::common::{mib, ms, release_free_memory, rss_kib};

/// Extra invoices for a body of about 65 MB (about 2.25 kB each).
const EXTRA_INVOICES: usize = 28_900;

/// The body in a temporary file, removed when dropped.
pub struct BodyFile {
    pub path: PathBuf,
}

impl Drop for BodyFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Starts the simulator, fetches the unpaged invoices and writes them to a file; prints the
/// size, the generation and fetch times. Everything but the file is dropped on return.
pub fn fetch() -> BodyFile {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (body, started, fetched) = runtime.block_on(async {
        let t = Instant::now();
        let sim = Simulator::start_local(SimulatorConfig {
            extra_invoices: EXTRA_INVOICES,
            ..SimulatorConfig::default()
        })
        .await
        .unwrap();
        let started = t.elapsed();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap();
        let base = sim.base_url();
        let answer: serde_json::Value = client
            .post(format!("{base}/auth/token"))
            .json(&serde_json::json!({"clientId": demo::CLIENT_ID, "secret": demo::SECRET}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = answer["accessToken"].as_str().unwrap().to_owned();
        let t = Instant::now();
        let response = client
            .get(format!("{base}/Invoices?simulatorUnpaged=true"))
            .bearer_auth(token)
            .header("api-version", "2.1")
            .header("legal-entity", demo::LEGAL_ENTITIES[0].id)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        let body = response.bytes().await.unwrap();
        let fetched = t.elapsed();
        sim.shutdown().await;
        (body, started, fetched)
    });
    drop(runtime);
    let path = std::env::temp_dir().join(format!(
        "younium-bench-invoices-{}.json",
        std::process::id()
    ));
    std::fs::write(&path, &body).unwrap();
    let size = body.len();
    drop(body);
    release_free_memory();
    println!();
    println!(
        "GET /Invoices?simulatorUnpaged=true ({EXTRA_INVOICES} extra invoices): {size} bytes ({:.1} MB)",
        size as f64 / 1e6
    );
    println!("  simulator start (data generation)        {}", ms(started));
    println!("  request → last byte, over HTTP           {}", ms(fetched));
    println!(
        "  RSS once the simulator is gone           {:.1} MiB",
        mib(rss_kib())
    );
    BodyFile { path }
}
