//! The `younium-tui` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

use clap::Parser;
use younium_tui::cli::{Cli, Command};
use younium_tui::commands;

/// The allocator's options, set before it starts (see `memory::configure`): on Linux from a
/// constructor that runs ahead of mimalloc's own (a numbered `.init_array` entry runs before
/// the unnumbered ones), so even its first arena follows them; elsewhere first thing in `main`.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array.00200")]
static CONFIGURE_ALLOCATOR: extern "C" fn() = {
    extern "C" fn configure_allocator() {
        younium_tui::memory::configure();
    }
    configure_allocator
};

fn main() -> ExitCode {
    #[cfg(not(target_os = "linux"))]
    younium_tui::memory::configure();
    let cli = Cli::parse().check().unwrap_or_else(|e| e.exit());
    younium_tui::logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(commands::EXIT_FAILURE);
        }
    };
    let result = runtime.block_on(async {
        match &cli.command {
            Some(Command::Token(args)) => commands::token::run(args, &cli.connection).await,
            Some(Command::Call(args)) => {
                commands::call::run(args, &cli.connection, &cli.history).await
            }
            Some(Command::Entities(args)) => commands::entities::run(args, &cli.connection).await,
            Some(Command::Doctor(args)) => commands::doctor::run(args, &cli.connection).await,
            Some(Command::Endpoints(args)) => commands::endpoints::run(args),
            Some(Command::Run(args)) => {
                commands::run::run(args, &cli.connection, &cli.history).await
            }
            Some(Command::Simulate(args)) => commands::simulate::run(args).await,
            Some(Command::History(args)) => commands::history::run(args, &cli.history),
            None => younium_tui::tui::run(&cli).await,
        }
    });
    result.unwrap_or_else(|e| commands::fail(&e))
}
