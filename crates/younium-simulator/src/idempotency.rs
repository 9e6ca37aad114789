//! `younium-idempotency-key` on POST: the first answer for a key and endpoint is stored, success
//! or failure, and replayed for the same key and endpoint until it expires (48 hours unless the
//! request's `younium-idempotency-durationInHours` says otherwise).

use std::{collections::HashMap, sync::Mutex};

use axum::http::{HeaderMap, HeaderName};

use super::{
    clock::{Clock, http_date},
    reply::Reply,
    state::lock,
};

pub(crate) const KEY_HEADER: &str = "younium-idempotency-key";
const DURATION_HEADER: &str = "younium-idempotency-durationinhours";
const EXPIRES_HEADER: &str = "younium-idempotency-expires";
const DEFAULT_HOURS: i64 = 48;

/// What identifies a stored answer: the key, the method and the path (case-folded).
type Slot = (String, String, String);

#[derive(Default)]
pub(crate) struct IdempotencyCache {
    answers: Mutex<HashMap<Slot, (Reply, i64)>>,
}

/// A request's idempotency key and how long its answer is kept.
pub(crate) struct Claim {
    slot: Slot,
    key: String,
    hours: i64,
}

impl Claim {
    /// Reads the headers of a POST; `None` when it has no key.
    pub(crate) fn from_request(method: &str, path: &str, headers: &HeaderMap) -> Option<Claim> {
        let key = headers.get(KEY_HEADER)?.to_str().ok()?.trim().to_owned();
        if key.is_empty() {
            return None;
        }
        let hours = headers
            .get(DURATION_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|h| (1..=24 * 30).contains(h))
            .unwrap_or(DEFAULT_HOURS);
        let slot = (
            key.clone(),
            method.to_owned(),
            path.trim_end_matches('/').to_ascii_lowercase(),
        );
        Some(Claim { slot, key, hours })
    }
}

impl IdempotencyCache {
    /// Replays the stored answer for this claim if there is a valid one; otherwise runs
    /// `execute`, adds the idempotency headers and stores the answer. The cache stays locked
    /// meanwhile, so two concurrent requests with one key cannot both execute.
    pub(crate) fn answer(
        &self,
        claim: Claim,
        clock: &Clock,
        execute: impl FnOnce() -> Reply,
    ) -> Reply {
        let mut answers = lock(&self.answers);
        let now = clock.now_unix();
        if let Some((reply, expires)) = answers.get(&claim.slot)
            && *expires > now
        {
            return reply.clone();
        }
        let expires = now + claim.hours * 3600;
        let reply = execute()
            .header(HeaderName::from_static(KEY_HEADER), &claim.key)
            .header(
                HeaderName::from_static(DURATION_HEADER),
                claim.hours.to_string(),
            )
            .header(HeaderName::from_static(EXPIRES_HEADER), http_date(expires));
        answers.insert(claim.slot, (reply.clone(), expires));
        reply
    }
}
