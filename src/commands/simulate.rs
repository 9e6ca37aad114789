//! `younium-tui simulate`: the built-in Younium simulator on its own, until Ctrl-C.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;

use super::output;
use crate::cli::SimulateArgs;
use crate::simulator::{Faults, Simulator, SimulatorConfig};

pub async fn run(args: &SimulateArgs) -> anyhow::Result<ExitCode> {
    let mut faults = Faults::default();
    for spec in &args.fault {
        faults
            .apply(spec)
            .map_err(|e| anyhow::anyhow!("--fault {spec}: {e}"))?;
    }
    let mut config = SimulatorConfig {
        token_ttl: Duration::from_secs(args.token_ttl.max(1)),
        faults,
        extra_invoices: args.invoices,
        ..SimulatorConfig::default()
    };
    config.records = args.records;
    let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
    let simulator = Simulator::start(config, addr)
        .await
        .with_context(|| format!("could not listen on {addr}"))?;
    output::print_text(&format!("{}\nPress Ctrl-C to stop.\n", simulator.banner()))?;
    tokio::signal::ctrl_c()
        .await
        .context("could not wait for Ctrl-C")?;
    simulator.shutdown().await;
    Ok(ExitCode::SUCCESS)
}
