//! An embedded imitation of the Younium API, for `younium-tui --demo`, `younium-tui simulate`
//! and the integration tests.
//!
//! It serves the token endpoints (v1 `/auth/token`, v2 `/auth/v2/token`, legacy
//! `/connect/token`), enforces token expiry, checks the `legal-entity` header against two
//! legal entities and per-entity permissions, answers lists in the 2.1 paged shape or the 2.0
//! bare-array shape (with the "nothing found" 400 of 2.1), accepts writes with idempotency keys,
//! and injects faults on demand. Records are generated deterministically from a seed.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use younium_simulator::{Simulator, SimulatorConfig};
//! let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
//! let simulator = Simulator::start(SimulatorConfig::default(), addr).await?;
//! println!("{}", simulator.banner());
//! simulator.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod api;
mod auth;
mod clock;
mod conn;
mod data;
pub mod demo;
mod faults;
mod filter;
mod idempotency;
mod insights;
mod jwt;
mod paging;
mod reply;
mod resources;
mod server;
mod spec;
mod state;
mod store;
mod synthetic;
mod tenant;
mod v3;
mod writes;

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use axum::Router;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

pub use faults::{Faults, ScriptedAction, ScriptedFault};

use self::{auth::Tokens, clock::Clock, conn::Connection, conn::CuttableListener, state::Shared};

/// How a simulator behaves.
#[derive(Clone, Debug)]
pub struct SimulatorConfig {
    /// Lifetime of API tokens (v1 and v2). Whole seconds count; at least one.
    pub token_ttl: Duration,
    /// Lifetime of legacy password-grant tokens.
    pub legacy_token_ttl: Duration,
    /// Faults to inject from the start (see [`Simulator::set_faults`] to change them later).
    pub faults: Faults,
    /// Seed of the generated data and of fault randomness.
    pub seed: u64,
    /// Accounts per legal entity; subscriptions, invoices, payments and bookings scale with it.
    pub records_per_entity: usize,
    /// Invoices generated for the first legal entity on top of those `records_per_entity`
    /// brings (about 2.2 kB of JSON each; 28,900 make a 65 MB `GET /Invoices`), for large-body
    /// tests and benchmarks. 0 (the default) adds nothing and costs nothing at start-up.
    /// Fetch them in one answer with `simulatorUnpaged=true` (see [`Simulator::banner`]).
    pub extra_invoices: usize,
    /// `simulate --records N`: the first legal entity holds exactly N accounts, N
    /// subscriptions and N invoices (then `extra_invoices` more), generated from the seed, so
    /// the same N gives the same bytes; the other legal entity keeps `records_per_entity`
    /// accounts. With 10,000, `GET /Invoices` in the first entity is 100 full pages of 100.
    /// `None` (the default): `records_per_entity` accounts in every entity.
    pub records: Option<usize>,
}

impl SimulatorConfig {
    /// The default simulator with a first legal entity of exactly `n` accounts, `n`
    /// subscriptions and `n` invoices (see [`SimulatorConfig::records`]).
    pub fn with_records(n: usize) -> SimulatorConfig {
        SimulatorConfig {
            records: Some(n),
            ..SimulatorConfig::default()
        }
    }
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        SimulatorConfig {
            token_ttl: Duration::from_secs(86_400),
            legacy_token_ttl: Duration::from_secs(28_800),
            faults: Faults::default(),
            seed: 42,
            records_per_entity: 40,
            extra_invoices: 0,
            records: None,
        }
    }
}

/// One request as the simulator received it.
#[derive(Clone, Debug)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The status answered; 0 if the connection was dropped (or the answer is not ready yet).
    pub status: u16,
    /// The request carried a bearer token whose `exp` had passed.
    pub token_expired: bool,
    /// When it arrived (before any latency fault).
    pub received_at: std::time::Instant,
    /// When its answer was ready (or its connection dropped); `None` while it is pending.
    pub answered_at: Option<std::time::Instant>,
}

/// Counters over the simulator's life.
#[derive(Clone, Debug, Default)]
pub struct SimulatorStats {
    /// Requests to the token endpoints (successful or not).
    pub token_exchanges: u64,
    /// The most token exchanges that were in flight at the same time.
    pub max_concurrent_exchanges: u64,
    /// API calls that carried an expired token.
    pub requests_with_expired_token: u64,
    /// Requests to anything but the token endpoints.
    pub api_calls: u64,
}

/// A running simulator. Dropping it stops the server too; [`Simulator::shutdown`] also waits.
pub struct Simulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    server: JoinHandle<()>,
}

impl Simulator {
    /// Starts on a free port of 127.0.0.1: the demo's and the tests' simulator.
    pub async fn start_local(config: SimulatorConfig) -> std::io::Result<Simulator> {
        Self::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Binds `addr` (port 0 picks a free port), generates the data and starts serving.
    pub async fn start(config: SimulatorConfig, addr: SocketAddr) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let base_url = base_url_for(addr);
        let clock = Clock::default();
        let tokens = Tokens::new(
            base_url.clone(),
            config.token_ttl,
            config.legacy_token_ttl,
            clock.clone(),
        )?;
        let (seed, records, extra, exact) = (
            config.seed,
            config.records_per_entity,
            config.extra_invoices,
            config.records,
        );
        let store =
            tokio::task::spawn_blocking(move || data::generate(seed, records, extra, exact))
                .await
                .map_err(std::io::Error::other)?;
        let shared = Arc::new(Shared::new(config, base_url, clock, tokens, store));
        let app = Router::new()
            .fallback(server::entry)
            .with_state(Arc::clone(&shared))
            .into_make_service_with_connect_info::<Connection>();
        let (stop, stopped) = oneshot::channel::<()>();
        let serve =
            axum::serve(CuttableListener::new(listener), app).with_graceful_shutdown(async {
                // A dropped sender stops the server as well as an explicit shutdown.
                let _ = stopped.await;
            });
        let server = tokio::spawn(async move {
            if let Err(error) = serve.await {
                tracing::warn!("simulator server stopped: {error}");
            }
        });
        Ok(Simulator {
            shared,
            addr,
            stop,
            server,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash; also the tokens' issuer.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// Every request received so far, in arrival order.
    pub fn log(&self) -> Vec<LoggedRequest> {
        self.shared.log()
    }

    pub fn stats(&self) -> SimulatorStats {
        self.shared.stats()
    }

    /// Makes every token issued so far answer 401 ("revoked"), as after rotated credentials.
    pub fn revoke_all_tokens(&self) {
        self.shared.tokens.revoke_all();
    }

    /// Moves this simulator's clock `by` ahead of the wall clock, for tests: tokens expire and
    /// idempotency windows close as if that much time had passed, without waiting for it. The
    /// clock only moves forward, and nothing but this moves it: a simulator that is never
    /// advanced (`--demo`, `simulate`) runs on the wall clock.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Adds a fault for particular requests (a page of a path), after those already scripted.
    pub fn script_fault(&self, fault: ScriptedFault) {
        self.shared.script.add(fault);
    }

    /// Forgets every scripted fault.
    pub fn clear_script(&self) {
        self.shared.script.clear();
    }

    /// Replaces the active faults.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.set_faults(faults);
    }

    /// What `younium-tui simulate` prints: where it listens, how to sign in, what it holds.
    pub fn banner(&self) -> String {
        let config = &self.shared.config;
        let url = &self.shared.base_url;
        let mut lines = vec![
            format!("Younium simulator listening on {url}"),
            String::new(),
            format!("  Token endpoints   POST {url}/auth/token      (v1, camelCase answer)"),
            format!("                    POST {url}/auth/v2/token   (v2, snake_case answer)"),
            format!(
                "                    POST {url}/connect/token   (legacy password grant, client_id=apiclient)"
            ),
            format!("  Client ID         {}", demo::CLIENT_ID),
            format!("  Secret            {}", demo::SECRET),
            format!(
                "  Limited client    {} / {}  (no User View, no Invoice View)",
                demo::LIMITED_CLIENT_ID,
                demo::LIMITED_SECRET
            ),
            format!(
                "  Legacy login      {} / {}",
                demo::LEGACY_USERNAME,
                demo::LEGACY_PASSWORD
            ),
        ];
        for (index, entity) in demo::LEGAL_ENTITIES.iter().enumerate() {
            let label = if index == 0 { "  Legal entities" } else { "" };
            let note = if index == 1 {
                "  (demo user lacks Invoice View here)"
            } else {
                ""
            };
            lines.push(format!("{label:<20}{:<22}{}{note}", entity.name, entity.id));
        }
        lines.extend([
            format!(
                "  Token lifetime    {} s (legacy {} s)",
                config.token_ttl.as_secs().max(1),
                config.legacy_token_ttl.as_secs().max(1)
            ),
            format!("  Faults            {}", self.shared.faults()),
            format!(
                "  Data              {} (seed {}){}",
                match config.records {
                    Some(n) => format!(
                        "{n} accounts, {n} subscriptions and {n} invoices in {}; {} accounts in the other",
                        demo::LEGAL_ENTITIES[0].name,
                        config.records_per_entity
                    ),
                    None => format!("{} accounts per legal entity", config.records_per_entity),
                },
                config.seed,
                if config.extra_invoices > 0 {
                    format!(
                        ", {} extra invoices in {}",
                        config.extra_invoices,
                        demo::LEGAL_ENTITIES[0].name
                    )
                } else {
                    String::new()
                }
            ),
            "  Unpaged lists     add simulatorUnpaged=true to a 2.1 list for every record as a bare \
             array (a simulator extension: Younium has no such parameter)"
                .to_owned(),
            "  v3 data export    GET /v3/Subscriptions and /v3/Invoices: {\"items\", \"nextPage\"}, \
             pageSize up to 5000, relations as URLs (partly guessed: the notes found no endpoint list)"
                .to_owned(),
            String::new(),
            "Try:".to_owned(),
            format!(
                "  YOUNIUM_SECRET={} younium-tui call GET /Accounts --base-url {url} --client-id {} --legal-entity '{}'",
                demo::SECRET,
                demo::CLIENT_ID,
                demo::LEGAL_ENTITIES[0].name
            ),
            format!(
                "  curl -s {url}/auth/token -H 'Content-Type: application/json' -d '{{\"clientId\":\"{}\",\"secret\":\"{}\"}}'",
                demo::CLIENT_ID,
                demo::SECRET
            ),
        ]);
        lines.join("\n")
    }

    /// Stops accepting connections, lets open requests finish, and waits for the server.
    pub async fn shutdown(self) {
        let Simulator { stop, server, .. } = self;
        let _ = stop.send(());
        let _ = server.await;
    }
}

/// The URL clients use: an unspecified bind address is reached through loopback.
fn base_url_for(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}
