//! Command-line definitions (clap). Parsing only: the work happens in `commands` and `tui`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::ThemeChoice;
use crate::younium::limit::ByteSize;
use crate::younium::{ApiVersion, AuthMethod, Environment};

/// Explore and debug the Younium billing API from a terminal.
///
/// With no subcommand the interactive UI starts. The secret is read from YOUNIUM_SECRET or
/// asked for; it is never a command-line flag.
#[derive(Debug, Parser)]
#[command(name = "younium-tui", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,

    /// Start the built-in simulator and connect to it with its demo credentials (no account needed).
    #[arg(long)]
    pub demo: bool,

    /// With --demo: lifetime of the simulator's tokens in seconds, to watch renewal happen.
    #[arg(long, value_name = "SECONDS", requires = "demo")]
    pub demo_token_ttl: Option<u64>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where to connect and as whom. Shared by the UI and every headless command.
#[derive(Debug, Args, Clone, Default)]
pub struct ConnectionArgs {
    /// A named profile from the config file.
    #[arg(long, global = true, value_name = "NAME", env = "YOUNIUM_PROFILE")]
    pub profile: Option<String>,

    /// The config file; it must exist (default: $YOUNIUM_TUI_CONFIG, else the platform's config
    /// directory, younium-tui/config.toml, used when there).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Environment: production, sandbox, us-production, us-sandbox, or a base URL.
    #[arg(long = "env", global = true, value_name = "ENV", env = "YOUNIUM_ENV")]
    pub environment: Option<Environment>,

    /// A custom base URL (the simulator, a proxy); same as --env URL.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "YOUNIUM_BASE_URL",
        conflicts_with = "environment"
    )]
    pub base_url: Option<String>,

    /// Client ID from Younium's Personal Tokens page (the username with --auth legacy).
    #[arg(long, global = true, value_name = "ID", env = "YOUNIUM_CLIENT_ID")]
    pub client_id: Option<String>,

    /// legal-entity header: a legal entity's name or GUID.
    #[arg(
        long,
        global = true,
        value_name = "NAME|GUID",
        env = "YOUNIUM_LEGAL_ENTITY"
    )]
    pub legal_entity: Option<String>,

    /// api-version header.
    #[arg(
        long,
        global = true,
        value_name = "VERSION",
        env = "YOUNIUM_API_VERSION"
    )]
    pub api_version: Option<ApiVersion>,

    /// How to get a token: v1 (/auth/token), v2 (/auth/v2/token) or legacy (username/password, deprecated).
    #[arg(long = "auth", global = true, value_name = "METHOD")]
    pub auth: Option<AuthMethod>,

    /// Seconds to wait for a whole answer (1 or more; default 120).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = positive_seconds)]
    pub timeout: Option<u64>,

    /// The largest answer read, e.g. 512MB (the default), 2GB or a number of bytes.
    #[arg(long, global = true, value_name = "SIZE", value_parser = positive_size)]
    pub max_body: Option<ByteSize>,

    /// Colours for a dark or light terminal, or auto (ask the terminal); over
    /// $YOUNIUM_TUI_THEME and the config file's `theme`.
    #[arg(long, global = true, value_name = "dark|light|auto")]
    pub theme: Option<ThemeChoice>,
}

/// A size limit above zero: a limit of 0 would refuse every answer with a body.
fn positive_size(text: &str) -> Result<ByteSize, String> {
    match text.parse::<ByteSize>() {
        Ok(ByteSize(0)) => Err("0 would refuse every answer with a body: give e.g. 512MB".into()),
        Ok(size) => Ok(size),
        Err(e) => Err(e.to_string()),
    }
}

/// A limit in whole seconds, at least 1: a limit of 0 would fail every call.
fn positive_seconds(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => Err("0 s would fail every call: give 1 or more seconds".into()),
        Ok(secs) => Ok(secs),
        Err(_) => Err(format!("{text:?} is not a number of seconds")),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Exchange the credentials for a token and show its state, expiry and claims.
    Token(TokenArgs),
    /// Send one API call; the body goes to stdout, a status line to stderr.
    Call(CallArgs),
    /// List the tenant's legal entities (from GET /Users) and your roles in each.
    Entities(EntitiesArgs),
    /// Find out why a call answers 401 or 403 (probes with GETs only; never repeats a write).
    Doctor(DoctorArgs),
    /// List the API's endpoints (from the published OpenAPI 2.1 spec).
    Endpoints(EndpointsArgs),
    /// Run the built-in Younium simulator on its own.
    Simulate(SimulateArgs),
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Print the access token itself.
    #[arg(long)]
    pub reveal: bool,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CallArgs {
    /// GET, POST, PATCH, PUT or DELETE.
    pub method: String,
    /// Path, e.g. /Accounts or /Invoices/{id} filled in.
    pub path: String,
    /// Query parameter NAME=VALUE (repeatable).
    #[arg(short, long = "query", value_name = "NAME=VALUE")]
    pub query: Vec<String>,
    /// Extra or overriding header 'NAME: VALUE' (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub header: Vec<String>,
    /// JSON body from a file, or - for stdin.
    #[arg(long, value_name = "FILE|-")]
    pub body: Option<PathBuf>,
    /// Confirm a write (POST, PATCH, PUT, DELETE) against production.
    #[arg(long)]
    pub yes: bool,
    /// Print the response headers to stderr.
    #[arg(short, long)]
    pub include: bool,
    /// Filter a successful answer's body with a jq filter (jaq) and print its outputs: one
    /// compact JSON value per line to a pipe, pretty on a terminal. Checked before sending.
    #[arg(long, value_name = "FILTER")]
    pub jq: Option<String>,
}

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// [METHOD] PATH, e.g. `GET /Invoices` or just `/Invoices`.
    #[arg(num_args = 1..=2, required = true, value_name = "[METHOD] PATH")]
    pub call: Vec<String>,
    /// Query parameter NAME=VALUE (repeatable).
    #[arg(short, long = "query", value_name = "NAME=VALUE")]
    pub query: Vec<String>,
    /// Extra or overriding header 'NAME: VALUE' (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub header: Vec<String>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// Confirm sending probe requests (GETs) to production.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct EndpointsArgs {
    /// Words that must all match the method, path, tag or permission.
    pub filter: Vec<String>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Lifetime of API tokens in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 86_400)]
    pub token_ttl: u64,
    /// Fault to inject, e.g. latency=300ms, 5xx=0.2, 429=0.1, drop=0.05, html=0.1 (a gateway's HTML
    /// page), cut=0.1 (an answer cut short), malformed-token (repeatable).
    #[arg(long, value_name = "SPEC")]
    pub fault: Vec<String>,
    /// Records in the first legal entity: exactly N accounts, N subscriptions and N invoices,
    /// the same for the same N (the other legal entity keeps the demo's 40 accounts).
    #[arg(long, value_name = "N")]
    pub records: Option<usize>,
    /// Extra invoices in the first legal entity, for large bodies (28900 ≈ 65 MB); fetch
    /// them at once with GET /Invoices?simulatorUnpaged=true (a simulator extension).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub invoices: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_body_takes_a_size_above_zero() {
        let cli = Cli::try_parse_from(["younium-tui", "token", "--max-body", "1GB"]).unwrap();
        assert_eq!(cli.connection.max_body, Some(ByteSize::mib(1024)));
        let cli = Cli::try_parse_from(["younium-tui", "--max-body", "1048576", "token"]).unwrap();
        assert_eq!(cli.connection.max_body, Some(ByteSize::mib(1)));
        for (bad, said) in [
            ("0", "0 would refuse every answer with a body"),
            ("lots", "\"lots\" is not a size"),
        ] {
            let e = Cli::try_parse_from(["younium-tui", "token", "--max-body", bad]).unwrap_err();
            assert!(e.to_string().contains(said), "{e}");
        }
    }
}
