//! Every invoice of a legal entity as NDJSON on stdout: one invoice a line, as received.
//!
//! ```sh
//! YOUNIUM_ENV=sandbox YOUNIUM_CLIENT_ID=… YOUNIUM_SECRET=… YOUNIUM_LEGAL_ENTITY=… \
//!     cargo run -p younium --example invoices_ndjson > invoices.ndjson
//! ```
//!
//! `YOUNIUM_BASE_URL` (any base URL, e.g. the simulator's) takes the place of `YOUNIUM_ENV`
//! (`production`, `sandbox`, `us-production`, `us-sandbox`).

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use younium::all_pages::{self, CancellationToken, Finish, Options, Progress, SinkStop, Target};
use younium::request::{Http, HttpOptions};
use younium::session::ApiClient;
use younium::{ApiRequest, CallSettings, Connection, Environment, Method, Secret, records};

fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let environment: Environment = var("YOUNIUM_BASE_URL")
        .or_else(|_| var("YOUNIUM_ENV"))?
        .parse()?;
    let connection = Connection::api_token(
        environment.clone(),
        var("YOUNIUM_CLIENT_ID")?,
        Secret::new(var("YOUNIUM_SECRET")?),
    );
    let client = ApiClient::new(Http::new(HttpOptions::default())?, connection);
    let settings = CallSettings {
        legal_entity: Some(var("YOUNIUM_LEGAL_ENTITY")?),
        ..CallSettings::default()
    };
    let request = ApiRequest::new(Method::Get, "/Invoices");
    let target = Target {
        client: &client,
        base_url: environment.base_url(),
        request: &request,
        settings: &settings,
    };
    let mut out = BufWriter::new(std::io::stdout());
    // Each page's records arrive as one JSON array; each record is written as its own text.
    // JSON strings hold no raw line break, so one outside them is whitespace: dropping it
    // keeps a record on one line and every digit as it came.
    let mut write_page = |_page: u64, page_records: &[u8], _count: u64| {
        records::each_in_body(page_records, |record| {
            writeln!(out, "{}", record.get().replace(['\n', '\r'], ""))
        })
        .map(|_| ())
        .map_err(|error| SinkStop::Write(error.to_string()))
    };
    let mut quiet = |_: &Progress| {};
    let outcome = all_pages::fetch_all(
        target,
        Options::default(),
        None,
        &mut write_page,
        &mut quiet,
        CancellationToken::new(),
    )
    .await?;
    out.flush()?;
    if outcome.finish != Finish::Complete {
        return Err(outcome.summary().into());
    }
    eprintln!("{}", outcome.summary());
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
