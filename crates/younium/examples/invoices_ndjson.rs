//! Every invoice of a legal entity as NDJSON on stdout: one invoice a line, as received.
//!
//! ```sh
//! YOUNIUM_ENV=sandbox YOUNIUM_CLIENT_ID=… YOUNIUM_SECRET=… YOUNIUM_LEGAL_ENTITY=… \
//!     cargo run -p younium --example invoices_ndjson > invoices.ndjson
//! ```
//!
//! `YOUNIUM_BASE_URL` (any base URL, the simulator's say) takes the place of `YOUNIUM_ENV`
//! (`production`, `sandbox`, `us-production` or `us-sandbox`).

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use younium::all_pages::{self, Finish, SinkStop, Target};
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
    let secret = Secret::new(var("YOUNIUM_SECRET")?);
    let connection = Connection::api_token(environment.clone(), var("YOUNIUM_CLIENT_ID")?, secret);
    // The client's token manager exchanges the credentials, and renews the token if it runs out.
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
    // A page's records come as the JSON array the page held; each is written as its own text.
    // JSON strings hold no raw line break, so any is whitespace between tokens: dropping it
    // keeps a record on one line and every digit as it came.
    let mut write_page = |_page: u64, page: &[u8], _count: u64| {
        records::each_in_body(page, |invoice| {
            writeln!(out, "{}", invoice.get().replace(['\n', '\r'], ""))
        })
        .map(|_| ())
        .map_err(|error| SinkStop::Write(error.to_string()))
    };
    let outcome = all_pages::fetch_all_with_defaults(target, &mut write_page).await?;
    out.flush()?;
    if outcome.finish != Finish::Complete {
        return Err(outcome.summary().into()); // e.g. "page 1 failed: 403 Forbidden"
    }
    eprintln!("{}", outcome.summary()); // "all 3 pages · 250 records"
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
