//! State shared by every request of one simulator: tokens, data, faults, the request log and
//! counters. Locks are short and never held across an `.await`.

use std::sync::{
    Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard,
    atomic::{AtomicU64, Ordering},
};

use super::{
    LoggedRequest, SimulatorConfig, SimulatorStats, auth::Tokens, clock::Clock, faults::Faults,
    faults::Script, idempotency::IdempotencyCache, store::Store,
};

/// Locks a mutex, carrying on after a panic elsewhere (the data stays usable for a simulator).
/// The spec-routed collections by legal entity and path template.
pub(crate) type SpecTables = std::collections::HashMap<(usize, &'static str), crate::store::Table>;

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) struct Shared {
    pub base_url: String,
    pub config: SimulatorConfig,
    /// The clock `tokens` also reads (see [`Clock`]).
    pub clock: Clock,
    pub tokens: Tokens,
    store: RwLock<Store>,
    pub idempotency: IdempotencyCache,
    faults: RwLock<Faults>,
    /// Faults scripted for particular requests (see `ScriptedFault`).
    pub script: Script,
    rng: Mutex<fastrand::Rng>,
    /// The spec-routed collections (see `spec`), made on first use, by legal entity and the
    /// collection's path template.
    spec_tables: Mutex<SpecTables>,
    /// Invoice batch jobs started (see `spec::jobs`).
    pub jobs: Mutex<Vec<crate::spec::Job>>,
    log: Mutex<Vec<LoggedRequest>>,
    counters: Counters,
}

#[derive(Default)]
struct Counters {
    token_exchanges: AtomicU64,
    exchanges_in_flight: AtomicU64,
    max_concurrent_exchanges: AtomicU64,
    requests_with_expired_token: AtomicU64,
    api_calls: AtomicU64,
}

/// Marks one token exchange as in flight until dropped.
pub(crate) struct ExchangeInFlight<'a>(&'a Counters);

impl Drop for ExchangeInFlight<'_> {
    fn drop(&mut self) {
        self.0.exchanges_in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Shared {
    pub(crate) fn new(
        config: SimulatorConfig,
        base_url: String,
        clock: Clock,
        tokens: Tokens,
        store: Store,
    ) -> Shared {
        let rng = fastrand::Rng::with_seed(config.seed.rotate_left(17) ^ 0x5EED_FA17);
        Shared {
            base_url,
            faults: RwLock::new(config.faults.clone()),
            script: Script::default(),
            config,
            clock,
            tokens,
            store: RwLock::new(store),
            idempotency: IdempotencyCache::default(),
            rng: Mutex::new(rng),
            spec_tables: Mutex::new(SpecTables::new()),
            jobs: Mutex::new(Vec::new()),
            log: Mutex::new(Vec::new()),
            counters: Counters::default(),
        }
    }

    pub(crate) fn store(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn store_mut(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The spec-routed collections, with legal entity `entity`'s `key` made if it was not.
    pub(crate) fn spec_tables(
        &self,
        entity: usize,
        key: &'static str,
    ) -> MutexGuard<'_, SpecTables> {
        let mut tables = lock(&self.spec_tables);
        tables.entry((entity, key)).or_insert_with(|| {
            let refs = crate::spec::Refs::of(&self.store(), entity);
            crate::spec::made_table(key, entity, self.config.seed, &refs)
        });
        tables
    }

    pub(crate) fn faults(&self) -> Faults {
        self.faults
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        *self.faults.write().unwrap_or_else(PoisonError::into_inner) = faults;
    }

    /// Uses the instance's seeded random stream (faults, trace ids, ids of created records).
    pub(crate) fn with_rng<T>(&self, use_rng: impl FnOnce(&mut fastrand::Rng) -> T) -> T {
        use_rng(&mut lock(&self.rng))
    }

    /// Appends a request to the log and returns its position.
    pub(crate) fn log_received(&self, entry: LoggedRequest) -> usize {
        let mut log = lock(&self.log);
        log.push(entry);
        log.len() - 1
    }

    /// Records the status a logged request got (0 when its connection was dropped).
    pub(crate) fn log_status(&self, position: usize, status: u16) {
        if let Some(entry) = lock(&self.log).get_mut(position) {
            entry.status = status;
            entry.answered_at = Some(std::time::Instant::now());
        }
    }

    pub(crate) fn log(&self) -> Vec<LoggedRequest> {
        lock(&self.log).clone()
    }

    pub(crate) fn count_api_call(&self, token_expired: bool) {
        self.counters.api_calls.fetch_add(1, Ordering::SeqCst);
        if token_expired {
            self.counters
                .requests_with_expired_token
                .fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Counts a token exchange and marks it in flight until the guard drops.
    pub(crate) fn exchange_started(&self) -> ExchangeInFlight<'_> {
        let counters = &self.counters;
        counters.token_exchanges.fetch_add(1, Ordering::SeqCst);
        let now = counters.exchanges_in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counters
            .max_concurrent_exchanges
            .fetch_max(now, Ordering::SeqCst);
        ExchangeInFlight(counters)
    }

    pub(crate) fn stats(&self) -> SimulatorStats {
        let read = |counter: &AtomicU64| counter.load(Ordering::SeqCst);
        SimulatorStats {
            token_exchanges: read(&self.counters.token_exchanges),
            max_concurrent_exchanges: read(&self.counters.max_concurrent_exchanges),
            requests_with_expired_token: read(&self.counters.requests_with_expired_token),
            api_calls: read(&self.counters.api_calls),
        }
    }
}
