//! Background work shared by the TUI and the headless commands: the token manager (a tokio
//! task that owns the credentials, exchanges them, renews ahead of expiry and publishes the
//! token's state) and [`ApiClient`], which sends calls with the managed token and renews and
//! retries once when a call answers 401.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::auth::{self, AuthError, Connection};
use crate::request::{self, ApiRequest, ApiResponse, CallSettings, Http, RequestError};
use crate::token::{Token, TokenState};

/// A token with less than this left is not sent: it could expire on the way.
pub(crate) const SEND_GUARD: Duration = Duration::from_secs(2);

/// The guard for one token: [`SEND_GUARD`], or a tenth of the lifetime for short-lived tokens.
fn send_guard(token: &Token) -> SignedDuration {
    SignedDuration::try_from(SEND_GUARD)
        .unwrap_or(SignedDuration::ZERO)
        .min(token.lifetime() / 10)
}

/// How the token manager paces itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManagerOptions {
    /// Renew this long before expiry (clamped for short-lived tokens, see [`Self::margin_for`]).
    pub renew_margin: Duration,
    /// First wait after a failed exchange; doubles per failure up to `max_backoff`.
    pub min_backoff: Duration,
    /// The longest wait between failed exchanges (a server's `Retry-After` wins over both).
    pub max_backoff: Duration,
}

impl Default for ManagerOptions {
    fn default() -> Self {
        Self {
            renew_margin: Duration::from_secs(300),
            min_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(120),
        }
    }
}

impl ManagerOptions {
    /// The margin used for a token: the configured one, but never more than a fifth of the
    /// token's lifetime, so a 30-second demo token is renewed after 24 s, not at once.
    pub fn margin_for(&self, token: &Token) -> SignedDuration {
        let configured = SignedDuration::try_from(self.renew_margin).unwrap_or(SignedDuration::MAX);
        configured.min(token.lifetime() / 5)
    }

    /// When the manager will renew this token.
    pub fn renew_at(&self, token: &Token) -> Timestamp {
        token
            .expires_at
            .checked_sub(self.margin_for(token))
            .unwrap_or(token.expires_at)
    }

    fn backoff(&self, failures: u32) -> Duration {
        let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(16));
        self.min_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }
}

enum Command {
    SetConnection(Option<Connection>),
    /// New limits and pacing (a profile switch): used from the next exchange on.
    Configure(Http, ManagerOptions),
    RenewNow,
    Rejected(Arc<Token>),
}

/// Handle to the token manager task. Cheap to clone; the task stops when the last handle is
/// dropped.
#[derive(Clone)]
pub struct TokenManager {
    state: watch::Receiver<TokenState>,
    /// Shared with the task, so a new connection shows as `Fetching` before the task has
    /// even seen the command and no caller mistakes the old state for the new one.
    publisher: Arc<watch::Sender<TokenState>>,
    commands: mpsc::UnboundedSender<Command>,
    issued: Issued,
}

/// Tokens issued in this session, newest last, so a diagnosis can recognise one pasted into a
/// header and say where it came from.
type Issued = Arc<std::sync::Mutex<Vec<Arc<Token>>>>;

/// How many issued tokens are remembered.
const ISSUED_KEPT: usize = 16;

impl TokenManager {
    /// Starts the manager. With a connection it begins the first exchange at once.
    pub fn spawn(http: Http, connection: Option<Connection>, options: ManagerOptions) -> Self {
        let (state_tx, state_rx) = watch::channel(TokenState::Missing);
        let state_tx = Arc::new(state_tx);
        let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
        let issued = Issued::default();
        let worker = Worker {
            issued: issued.clone(),
            http,
            options,
            connection: None,
            token: None,
            exchange: None,
            failures: 0,
            retry_at: None,
            halted: false,
            state: state_tx.clone(),
        };
        tokio::spawn(worker.run(cmd_rx));
        let manager = Self {
            state: state_rx,
            publisher: state_tx,
            commands: cmd_tx,
            issued,
        };
        if connection.is_some() {
            manager.set_connection(connection);
        }
        manager
    }

    /// New HTTP limits and renewal pacing; the current token is kept and its renewal
    /// rescheduled with the new margin.
    pub fn configure(&self, http: Http, options: ManagerOptions) {
        let _ = self.commands.send(Command::Configure(http, options));
    }

    /// Tokens issued in this session (at most the last 16), oldest first.
    pub fn issued_tokens(&self) -> Vec<Arc<Token>> {
        self.issued.lock().map(|v| v.clone()).unwrap_or_default()
    }

    /// The state right now.
    pub fn state(&self) -> TokenState {
        self.state.borrow().clone()
    }

    /// A receiver that wakes on every state change.
    pub fn subscribe(&self) -> watch::Receiver<TokenState> {
        self.state.clone()
    }

    /// New credentials or environment: drops the token and exchanges again (`None` stops).
    pub fn set_connection(&self, connection: Option<Connection>) {
        self.publisher.send_replace(if connection.is_some() {
            TokenState::Fetching
        } else {
            TokenState::Missing
        });
        let _ = self.commands.send(Command::SetConnection(connection));
    }

    /// Renews now, unless an exchange is already under way.
    pub fn renew_now(&self) {
        let _ = self.commands.send(Command::RenewNow);
    }

    /// A token that may be sent now: waits for a first exchange or a renewal when needed.
    pub async fn token(&self) -> Result<Arc<Token>, AuthError> {
        self.wait_for(None).await
    }

    /// The server answered 401 to `rejected`: renew (once, however many callers report the
    /// same token) and return the new token.
    pub(crate) async fn renew_after_rejection(
        &self,
        rejected: &Arc<Token>,
    ) -> Result<Arc<Token>, AuthError> {
        let _ = self.commands.send(Command::Rejected(rejected.clone()));
        self.wait_for(Some(rejected)).await
    }

    /// Waits for a usable token other than `not`. A failure the wait has not caused or seen
    /// coming (an old one) asks for one exchange; the failure of an exchange it asked for or
    /// saw under way is the answer, so a call that timed out exchanging is not made to wait
    /// for a second exchange.
    async fn wait_for(&self, not: Option<&Arc<Token>>) -> Result<Arc<Token>, AuthError> {
        let mut rx = self.state.clone();
        let mut asked = not.is_some();
        loop {
            let state = rx.borrow_and_update().clone();
            let usable = state
                .token()
                .filter(|t| t.remaining(Timestamp::now()) > send_guard(t))
                .filter(|t| not.is_none_or(|old| !Arc::ptr_eq(t, old)));
            if let Some(token) = usable {
                return Ok(token.clone());
            }
            match &state {
                TokenState::Missing => {
                    return Err(AuthError::Incomplete(
                        "no credentials: set a client ID and secret first".into(),
                    ));
                }
                TokenState::Failed { error, .. } if asked => return Err(error.clone()),
                // Published as an exchange starts: its outcome answers this wait.
                TokenState::Fetching | TokenState::Expiring(_) | TokenState::Expired(_) => {
                    asked = true;
                }
                _ if !asked => {
                    self.renew_now();
                    asked = true;
                }
                _ => {}
            }
            if rx.changed().await.is_err() {
                return Err(AuthError::Incomplete(
                    "the token manager has stopped".into(),
                ));
            }
        }
    }
}

/// The manager task's own state.
struct Worker {
    http: Http,
    issued: Issued,
    options: ManagerOptions,
    connection: Option<Connection>,
    token: Option<Arc<Token>>,
    exchange: Option<JoinHandle<Result<Token, AuthError>>>,
    failures: u32,
    retry_at: Option<Timestamp>,
    /// The credentials were rejected: nothing happens on its own until the user acts.
    halted: bool,
    state: Arc<watch::Sender<TokenState>>,
}

/// Re-check the wall clock at least this often: monotonic sleeps stop while a laptop sleeps.
const MAX_SLEEP: Duration = Duration::from_secs(30);

impl Worker {
    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        loop {
            let wake = self.next_wake();
            tokio::select! {
                command = commands.recv() => match command {
                    None => break,
                    Some(command) => self.handle(command),
                },
                joined = async { self.exchange.as_mut().expect("guarded").await }, if self.exchange.is_some() => {
                    self.exchange = None;
                    let result = joined.unwrap_or_else(|e| Err(AuthError::Incomplete(format!("the token exchange stopped: {e}"))));
                    self.finish(result);
                }
                _ = tokio::time::sleep(wake.unwrap_or(MAX_SLEEP)), if wake.is_some() => self.on_timer(),
            }
        }
        if let Some(task) = self.exchange.take() {
            task.abort();
        }
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::SetConnection(connection) => {
                if let Some(task) = self.exchange.take() {
                    task.abort();
                }
                self.connection = connection;
                self.token = None;
                self.failures = 0;
                self.retry_at = None;
                if self.connection.is_some() {
                    self.start_exchange();
                } else {
                    self.state.send_replace(TokenState::Missing);
                }
            }
            Command::Configure(http, options) => {
                self.http = http;
                self.options = options;
            }
            Command::RenewNow => self.start_exchange(),
            Command::Rejected(token) => {
                if self.token.as_ref().is_some_and(|t| Arc::ptr_eq(t, &token)) {
                    tracing::info!("token rejected by the server; renewing");
                    self.token = None;
                    self.start_exchange();
                }
            }
        }
    }

    /// How long until something is due: a renewal, a retry, or a periodic clock check.
    fn next_wake(&self) -> Option<Duration> {
        if self.exchange.is_some() || self.halted {
            return None;
        }
        let due = self
            .retry_at
            .or_else(|| self.token.as_ref().map(|t| self.options.renew_at(t)))?;
        let wait = due.duration_since(Timestamp::now());
        Some(
            Duration::try_from(wait)
                .unwrap_or(Duration::ZERO)
                .min(MAX_SLEEP),
        )
    }

    fn on_timer(&mut self) {
        let now = Timestamp::now();
        let retry_due = self.retry_at.is_some_and(|at| at <= now);
        let renewal_due = self.retry_at.is_none()
            && self
                .token
                .as_ref()
                .is_some_and(|t| self.options.renew_at(t) <= now);
        if retry_due || renewal_due {
            self.start_exchange();
        }
    }

    fn start_exchange(&mut self) {
        if self.exchange.is_some() {
            return;
        }
        let Some(connection) = self.connection.clone() else {
            self.state.send_replace(TokenState::Missing);
            return;
        };
        self.retry_at = None;
        self.halted = false;
        let now = Timestamp::now();
        let state = match &self.token {
            Some(t) if t.is_expired(now) => TokenState::Expired(t.clone()),
            Some(t) => TokenState::Expiring(t.clone()),
            None => TokenState::Fetching,
        };
        self.state.send_replace(state);
        let http = self.http.clone();
        self.exchange = Some(tokio::spawn(async move {
            auth::exchange(&http, &connection).await
        }));
    }

    fn finish(&mut self, result: Result<Token, AuthError>) {
        match result {
            Ok(token) => {
                let token = Arc::new(token);
                self.failures = 0;
                tracing::info!(expires_at = %token.expires_at, "token issued");
                self.token = Some(token.clone());
                if let Ok(mut issued) = self.issued.lock() {
                    issued.push(token.clone());
                    let excess = issued.len().saturating_sub(ISSUED_KEPT);
                    issued.drain(..excess);
                }
                self.state.send_replace(TokenState::Valid(token));
            }
            Err(error) => {
                self.failures += 1;
                tracing::warn!(%error, attempts = self.failures, "token exchange failed");
                self.halted = error.is_permanent();
                self.retry_at = (!error.is_permanent()).then(|| {
                    let wait = error
                        .retry_after()
                        .unwrap_or_else(|| self.options.backoff(self.failures));
                    Timestamp::now()
                        .checked_add(SignedDuration::try_from(wait).unwrap_or(SignedDuration::ZERO))
                        .unwrap_or(Timestamp::MAX)
                });
                self.state.send_replace(TokenState::Failed {
                    error,
                    previous: self.token.clone(),
                    retry_at: self.retry_at,
                    attempts: self.failures,
                });
            }
        }
    }
}

/// A completed call.
#[derive(Debug)]
pub struct CallOutcome {
    /// The answer, whatever its status (the retry's, when there was one).
    pub response: ApiResponse,
    /// The managed token that was sent, if one was.
    pub token: Option<Arc<Token>>,
    /// The first attempt answered 401 and this is the retry with a renewed token.
    pub retried_after_401: bool,
    /// The renewal after a 401 failed: `response` is the original 401.
    pub renewal_error: Option<AuthError>,
}

/// Why a call produced no response.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// No token could be had: the exchange failed or no credentials are set. Nothing was sent.
    #[error("no token: {0}")]
    Token(AuthError),
    /// The request could not be sent, or no whole answer came (see [`RequestError`]).
    #[error(transparent)]
    Request(#[from] RequestError),
}

/// Sends calls with the managed token: what the app, `call` and [`all_pages`] send through.
///
/// Cheap to clone (both halves are handles). Build it with [`ApiClient::new`], or from its
/// parts to share one [`TokenManager`] (or pace it with other [`ManagerOptions`]).
///
/// ```no_run
/// use younium::request::{Http, HttpOptions};
/// use younium::session::ApiClient;
/// use younium::{ApiRequest, CallSettings, Connection, Environment, Method, Secret};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let environment = Environment::Sandbox;
/// let connection = Connection::api_token(environment.clone(), "client-id", Secret::new("…"));
/// let client = ApiClient::new(Http::new(HttpOptions::default())?, connection);
/// let settings = CallSettings {
///     legal_entity: Some("Nordlys Software AB".into()),
///     ..CallSettings::default()
/// };
/// let outcome = client
///     .call(environment.base_url(), &ApiRequest::new(Method::Get, "/Accounts"), &settings)
///     .await?;
/// println!("{}", outcome.response.status_line());
/// # Ok(())
/// # }
/// ```
///
/// [`all_pages`]: crate::all_pages
#[derive(Clone)]
pub struct ApiClient {
    /// The HTTP clients every call goes through.
    pub http: Http,
    /// Where the token comes from.
    pub tokens: TokenManager,
}

impl ApiClient {
    /// A client for `connection` with its own token manager, paced as
    /// [`ManagerOptions::default`] says; the first exchange starts at once, in the background.
    /// Must be called inside a tokio runtime (the manager is a task).
    pub fn new(http: Http, connection: Connection) -> ApiClient {
        let tokens = TokenManager::spawn(http.clone(), Some(connection), ManagerOptions::default());
        ApiClient { http, tokens }
    }

    /// Sends `req` to `base_url`. A 401 on a managed token renews it once and retries once.
    /// Every send goes through [`request::send`], which refuses a URL outside `base_url` and a
    /// token outside the origin that issued it.
    pub async fn call(
        &self,
        base_url: &str,
        req: &ApiRequest,
        settings: &CallSettings,
    ) -> Result<CallOutcome, CallError> {
        // Checked before a token is fetched, so a request that cannot be sent waits for nothing.
        request::build_url(base_url, req)?;
        if !req.uses_managed_token() {
            let response = request::send(&self.http, base_url, req, settings, None).await?;
            return Ok(CallOutcome {
                response,
                token: None,
                retried_after_401: false,
                renewal_error: None,
            });
        }
        let token = self.tokens.token().await.map_err(CallError::Token)?;
        let response = request::send(&self.http, base_url, req, settings, Some(&token)).await?;
        if response.status != 401 {
            return Ok(CallOutcome {
                response,
                token: Some(token),
                retried_after_401: false,
                renewal_error: None,
            });
        }
        match self.tokens.renew_after_rejection(&token).await {
            Ok(fresh) => {
                let retried =
                    request::send(&self.http, base_url, req, settings, Some(&fresh)).await?;
                Ok(CallOutcome {
                    response: retried,
                    token: Some(fresh),
                    retried_after_401: true,
                    renewal_error: None,
                })
            }
            Err(error) => Ok(CallOutcome {
                response,
                token: Some(token),
                retried_after_401: false,
                renewal_error: Some(error),
            }),
        }
    }
}
