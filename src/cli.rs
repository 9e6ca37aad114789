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

    #[command(flatten)]
    pub history: HistoryArgs,

    /// Start the built-in simulator and connect to it with its demo credentials (no account needed).
    #[arg(long)]
    pub demo: bool,

    /// A flow file to list in the Endpoints pane's Flows group (repeatable); the `*.toml` files
    /// of the `flows/` folder beside the config file are listed too.
    #[arg(long = "flow", value_name = "FILE")]
    pub flows: Vec<PathBuf>,

    /// With --demo: lifetime of the simulator's tokens in seconds, to watch renewal happen.
    #[arg(long, value_name = "SECONDS", requires = "demo")]
    pub demo_token_ttl: Option<u64>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Checks what clap cannot across a subcommand: --no-history given on one side of it and
    /// --history on the other. `Cli::parse().check()` exits with clap's message.
    pub fn check(self) -> Result<Cli, clap::Error> {
        if self.history.no_history && self.history.file.is_some() {
            return Err(<Cli as clap::CommandFactory>::command().error(
                clap::error::ErrorKind::ArgumentConflict,
                "the argument '--no-history' cannot be used with '--history <FILE>'",
            ));
        }
        Ok(self)
    }
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

    /// Pages fetched for all pages (`A`, `call --all-pages`) before the UI asks to go on or
    /// `call` stops (default 10,000, or the profile's max_pages).
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_pages: Option<u64>,

    /// The longest wait a server may ask for (Retry-After) while fetching all pages; a longer
    /// one ends the run, naming it (default 300, or the profile's max_wait_seconds).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = positive_seconds)]
    pub max_wait: Option<u64>,

    /// A value for `{{NAME}}` templates in paths, query and header values and bodies
    /// (repeatable); wins over the profile's and the config file's `[vars]`.
    #[arg(long = "var", global = true, value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,

    /// Colours for a dark or light terminal, or auto (ask the terminal); over
    /// $YOUNIUM_TUI_THEME and the config file's `theme`.
    #[arg(long, global = true, value_name = "dark|light|auto")]
    pub theme: Option<ThemeChoice>,
}

/// Where the request history is kept, or that none is. Global: accepted before or after a
/// subcommand.
#[derive(Debug, Args, Clone, Default)]
pub struct HistoryArgs {
    /// The history file (default: $YOUNIUM_TUI_HISTORY, else the platform's state directory,
    /// younium-tui/history.sqlite3).
    // The variable is read by `path`, not by clap: --no-history must win over it, and clap
    // counts a value from the environment as a conflict.
    #[arg(long = "history", global = true, value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Record nothing: no history file is opened.
    #[arg(long, global = true, conflicts_with = "file")]
    pub no_history: bool,
}

impl HistoryArgs {
    /// The history file to use: --history, else `$YOUNIUM_TUI_HISTORY`, else the default
    /// place; `None` with --no-history (or with no home directory).
    pub fn path(&self) -> Option<PathBuf> {
        if self.no_history {
            return None;
        }
        self.file
            .clone()
            .or_else(|| std::env::var_os(crate::history::HISTORY_ENV).map(PathBuf::from))
            .filter(|f| !f.as_os_str().is_empty())
            .or_else(crate::history::default_path)
    }
}

/// `NAME=VALUE` for `--var`: the name as templates spell it.
fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not NAME=VALUE"))?;
    let name = name.trim();
    let known = crate::younium::template::names(&format!("{{{{{name}}}}}")) == [name];
    if !known || name.starts_with('$') {
        return Err(format!(
            "{name:?} is not a variable name: a letter or _, then letters, digits, _, . or -"
        ));
    }
    Ok((name.to_string(), value.to_string()))
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
    /// Run a flow file: its steps in order, values captured from one answer used in the next,
    /// each answer checked against the step's expectations. Exit 0: every step passed; 1: a
    /// step failed; 2: the flow could not run (nothing was sent).
    Run(RunArgs),
    /// The request history: entries newest first (filtered by words), one entry whole, or
    /// clearing it.
    History(HistoryCommandArgs),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HistoryCommandArgs {
    #[command(subcommand)]
    pub action: Option<HistoryAction>,
    /// Words that must all match the method, path, status, legal entity, profile or
    /// environment.
    pub filter: Vec<String>,
    /// Machine-readable output: one JSON array of entries, without bodies.
    #[arg(long)]
    pub json: bool,
    /// Show at most N entries (the newest).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum HistoryAction {
    /// One entry whole: the request line, headers and body, then the answer's status,
    /// headers and body, as stored (secrets redacted).
    Show {
        /// The entry's id (the first column of `history`).
        id: i64,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Delete every entry, or those sent before a date; prints how many.
    Clear {
        /// A date (2026-11-30, midnight UTC) or an RFC 3339 time (2026-11-30T12:00:00+01:00).
        #[arg(long, value_name = "DATE", value_parser = parse_before)]
        before: Option<jiff::Timestamp>,
    },
}

/// `2026-11-30` (midnight UTC) or an RFC 3339 time.
pub fn parse_before(text: &str) -> Result<jiff::Timestamp, String> {
    let text = text.trim();
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    text.parse::<jiff::civil::Date>()
        .and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC))
        .map(|z| z.timestamp())
        .map_err(|_| format!("{text:?} is not a date (2026-11-30) or an RFC 3339 time"))
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

#[derive(Clone, Debug, Args)]
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
    /// JSON body from a file, or - for stdin. Checked against the endpoint's request schema
    /// first: errors stop the call (exit 2), warnings are printed and it goes on.
    #[arg(long, value_name = "FILE|-")]
    pub body: Option<PathBuf>,
    /// Send the --body as it is, without checking it against the endpoint's schema.
    #[arg(long)]
    pub no_validate: bool,
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
    /// Fetch every page of a paged list (api-version 2.1, or a v3 export), several at once, and
    /// print all the records as one array (or in --format), a page at a time as each one's turn
    /// comes. Waits go to stderr, progress too on a terminal; Ctrl-C stops it. A run that fails
    /// names the page and exits 1 (what was written is pages 1–N only; CSV writes nothing).
    #[arg(long, conflicts_with = "jq")]
    pub all_pages: bool,
    /// Requests in flight with --all-pages, 1 to 8 (default: the profile's concurrency, else 4).
    #[arg(long, value_name = "N", requires = "all_pages", value_parser = clap::value_parser!(u8).range(1..=8))]
    pub concurrency: Option<u8>,
    /// Print the records of the answer as json (one array), ndjson (a record a line) or csv
    /// (nested fields as account.name), streamed to stdout.
    #[arg(long, value_name = "json|ndjson|csv", conflicts_with = "jq")]
    pub format: Option<crate::export::Format>,
    /// With --format csv: write cells that begin with =, +, -, @, a tab or a carriage return
    /// as they are. By default they get a leading ' so a spreadsheet does not run them as
    /// formulas.
    #[arg(long)]
    pub csv_raw: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The flow file (TOML: [vars] and [[step]] tables).
    pub flow: PathBuf,
    /// Print each request as it would be sent and send nothing; a value an earlier step
    /// would capture shows as {{name}}.
    #[arg(long)]
    pub dry_run: bool,
    /// Confirm the writes (POST, PATCH, PUT, DELETE) of a flow run against production.
    #[arg(long)]
    pub yes: bool,
    /// Go on after a failed step (by default the run stops there).
    #[arg(long)]
    pub keep_going: bool,
    /// Run against the built-in simulator with its demo credentials.
    #[arg(long)]
    pub demo: bool,
    /// Write a JUnit XML report (a test case per step, per row) to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Run the flow once per row of a CSV file (a header line first), each column as
    /// {{row.COLUMN}}.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Rows run at once with --data, 1 to 16 (default 1).
    #[arg(long, value_name = "N", requires = "data", value_parser = clap::value_parser!(u8).range(1..=16))]
    pub concurrency: Option<u8>,
    /// With --data: write the rows that failed (header first) to FILE, to run them again.
    #[arg(long, value_name = "FILE", requires = "data")]
    pub failed_rows: Option<PathBuf>,
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
    /// page), cut=0.1 (an answer cut short), malformed-token, hang-token (token endpoints never
    /// answer) (repeatable).
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
    fn history_options_before_or_after_the_subcommand() {
        let parse = |args: &[&str]| Cli::try_parse_from(args.iter().copied()).and_then(Cli::check);
        let before = parse(&["younium-tui", "--history", "/tmp/h.db", "token"]).unwrap();
        let after = parse(&["younium-tui", "token", "--history", "/tmp/h.db"]).unwrap();
        for cli in [before, after] {
            assert_eq!(cli.history.path(), Some(PathBuf::from("/tmp/h.db")));
        }
        let off = parse(&["younium-tui", "call", "GET", "/A", "--no-history"]).unwrap();
        assert_eq!(off.history.path(), None);
        for both in [
            ["younium-tui", "--no-history", "token", "--history", "x"],
            ["younium-tui", "--history", "x", "token", "--no-history"],
            ["younium-tui", "token", "--history", "x", "--no-history"],
        ] {
            let e = parse(&both).unwrap_err().to_string();
            assert!(e.contains("cannot be used with"), "{e}");
        }
        let cli = parse(&["younium-tui", "history", "get", "403", "--limit", "5"]).unwrap();
        let Some(Command::History(h)) = cli.command else {
            panic!()
        };
        assert_eq!(
            (h.filter.len(), h.limit, h.action.is_none()),
            (2, Some(5), true)
        );
        let cli = parse(&["younium-tui", "history", "clear", "--before", "2026-11-30"]).unwrap();
        let Some(Command::History(HistoryCommandArgs {
            action: Some(HistoryAction::Clear { before: Some(t) }),
            ..
        })) = cli.command
        else {
            panic!()
        };
        assert_eq!(t.to_string(), "2026-11-30T00:00:00Z");
        assert_eq!(
            parse_before("2026-11-30T12:00:00+01:00")
                .unwrap()
                .to_string(),
            "2026-11-30T11:00:00Z"
        );
        assert!(parse_before("yesterday").is_err());
    }

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
