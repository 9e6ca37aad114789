//! Rates, time left, the sentences for a wait and for the page cap, and the one-line summary
//! of a run.

use std::time::Duration;

use super::{Finish, Outcome, Progress, SinkStop};
use crate::text::thousands;

/// How often the caller hears of a run.
pub(super) const INTERVAL: Duration = Duration::from_millis(100);

impl Progress {
    /// Records a second so far.
    pub fn rate(&self) -> Option<f64> {
        let secs = self.elapsed.as_secs_f64();
        (secs > 0.0 && self.records_done > 0).then(|| self.records_done as f64 / secs)
    }

    /// Time left: at the rate so far (by records when their total is known, else by pages),
    /// plus the wait the run is in.
    pub fn remaining(&self) -> Option<Duration> {
        let secs = self.elapsed.as_secs_f64();
        let (done, total) = match self.records_total {
            Some(total) if self.records_done > 0 => (self.records_done, total),
            _ => (self.pages_done, self.pages_total?),
        };
        if done == 0 || secs <= 0.0 {
            return self.waiting;
        }
        let left = total.saturating_sub(done) as f64 * secs / done as f64;
        Some(Duration::from_secs_f64(left.min(1e7)) + self.waiting.unwrap_or_default())
    }
}

/// Why a run waits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WaitCause {
    /// A 429: every request of the run waits. `retry_after`: the header as the server sent it.
    RateLimited {
        /// The answer's status line (`429 Too Many Requests`).
        why: String,
        /// The `Retry-After` header as sent, if it was.
        retry_after: Option<String>,
    },
    /// Retry `attempt` of `of` of one page, after `why` (a 5xx, a dropped connection, an
    /// answer that could not be read).
    Retry {
        /// This retry's number, from 1.
        attempt: u32,
        /// The retries a page is allowed ([`Options::retries`](super::Options::retries)).
        of: u32,
        /// What went wrong: the status line and the server's message, the transport error, or
        /// why the answer could not be read.
        why: String,
        /// The `Retry-After` header as sent, if it was.
        retry_after: Option<String>,
    },
}

/// A wait that is starting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wait {
    /// The page whose answer caused the wait.
    pub page: u64,
    /// How long the run (or the page) waits before sending again.
    pub wait: Duration,
    /// Why.
    pub cause: WaitCause,
}

impl Wait {
    /// `page 4: 429 Too Many Requests: the run waits 30 s, as the server asked (Retry-After: 30)`,
    /// `page 5: 503 Service Unavailable: retry 1 of 3 in 0.4 s`.
    pub fn describe(&self) -> String {
        let asked = |retry_after: &Option<String>| match retry_after {
            Some(text) => format!(
                ", as the server asked (Retry-After: {})",
                text.trim().chars().take(40).collect::<String>()
            ),
            None => String::new(),
        };
        let page = thousands(self.page);
        let wait = human(self.wait);
        let text = match &self.cause {
            WaitCause::RateLimited { why, retry_after } => {
                format!(
                    "page {page}: {why}: the run waits {wait}{}",
                    asked(retry_after)
                )
            }
            WaitCause::Retry {
                attempt,
                of,
                why,
                retry_after,
            } => format!(
                "page {page}: {why}: retry {attempt} of {of} in {wait}{}",
                asked(retry_after)
            ),
        };
        crate::sanitize::one_line(&text).into_owned()
    }
}

/// The run reached its page cap with more to come.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapReached {
    /// Pages handed on so far (0 when the list is known to be longer before any).
    pub pages: u64,
    /// The list's `totalPages`, when known.
    pub pages_total: Option<u64>,
    /// The cap in force ([`Options::max_pages`](super::Options::max_pages)).
    pub cap: u64,
}

impl CapReached {
    /// `The list has 1,000,000,000 pages, more than the 10,000-page cap (max_pages).` or
    /// `10,000 pages fetched (the max_pages cap) and the list goes on.`
    pub fn describe(&self) -> String {
        let cap = thousands(self.cap);
        match (self.pages, self.pages_total) {
            (0, Some(total)) => format!(
                "The list has {} pages, more than the {cap}-page cap (max_pages).",
                thousands(total)
            ),
            (pages, Some(total)) => format!(
                "{} of {} pages fetched: the {cap}-page cap (max_pages).",
                thousands(pages),
                thousands(total)
            ),
            (pages, None) => format!(
                "{} pages fetched (the {cap}-page cap, max_pages) and the list goes on.",
                thousands(pages)
            ),
        }
    }
}

/// `300 ms`, `4.5 s`, `5 min`, `2 h 5 min`, `11,574 days`.
pub(super) fn human(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0 => format!("{} ms", d.as_millis()),
        1..10 if d.subsec_millis() > 0 => format!("{:.1} s", d.as_secs_f64()),
        1..60 => format!("{secs} s"),
        60..3600 if secs.is_multiple_of(60) => format!("{} min", secs / 60),
        60..3600 => format!("{} min {} s", secs / 60, secs % 60),
        3600..172_800 => format!("{} h {} min", secs / 3600, (secs / 60) % 60),
        _ => format!("{} days", thousands(secs / 86_400)),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `pages 1–17 of 40`, `page 1 of 40`, `pages 1–17`, `no pages of 40`.
fn pages_span(pages: u64, total: Option<u64>) -> String {
    let span = match pages {
        0 => "no pages".to_string(),
        1 => "page 1".to_string(),
        n => format!("pages 1–{}", thousands(n)),
    };
    match total {
        Some(total) => format!("{span} of {}", thousands(total)),
        None => span,
    }
}

pub(super) fn summary(run: &Outcome) -> String {
    let span = pages_span(run.pages, run.pages_total);
    match &run.finish {
        Finish::Complete => {
            let records = plural(run.record_count, "record", "records");
            match run.pages {
                1 => format!("1 page · {records}"),
                n => format!("all {} pages · {records}", thousands(n)),
            }
        }
        Finish::Stopped => format!("{span}: stopped"),
        Finish::Failed { page, message } => {
            let failed = format!(
                "page {} failed: {}",
                thousands(*page),
                crate::sanitize::one_line(message)
            );
            match run.pages {
                0 => failed,
                _ => format!("{span}: {failed}"),
            }
        }
        Finish::Capped { cap } => {
            let cap = thousands(*cap);
            match (run.pages, run.pages_total) {
                (0, Some(total)) => format!(
                    "{} pages, more than the {cap}-page cap: none fetched",
                    thousands(total)
                ),
                (_, Some(_)) => format!("{span}: stopped at the {cap}-page cap"),
                (_, None) => format!("{span}: stopped at the {cap}-page cap, the list goes on"),
            }
        }
        Finish::Sink(SinkStop::Full { limit }) => format!("{span} kept: {limit} limit"),
        Finish::Sink(stop) => format!("{span}: {}", crate::sanitize::one_line(&stop.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limit::ByteSize;

    fn outcome(pages: u64, records: u64, finish: Finish) -> Outcome {
        Outcome {
            record_count: records,
            pages,
            pages_total: Some(40),
            finish,
            elapsed: Duration::ZERO,
            head: None,
        }
    }

    #[test]
    fn summaries_say_what_was_kept() {
        assert_eq!(
            outcome(40, 4000, Finish::Complete).summary(),
            "all 40 pages · 4,000 records"
        );
        assert_eq!(
            outcome(17, 1700, Finish::Stopped).summary(),
            "pages 1–17 of 40: stopped"
        );
        let failed = |pages: u64| Finish::Failed {
            page: pages + 1,
            message: "500 Internal Server Error: boom".into(),
        };
        assert_eq!(
            outcome(17, 1700, failed(17)).summary(),
            "pages 1–17 of 40: page 18 failed: 500 Internal Server Error: boom"
        );
        assert_eq!(
            outcome(0, 0, failed(0)).summary(),
            "page 1 failed: 500 Internal Server Error: boom"
        );
        assert_eq!(
            outcome(1, 1, Finish::Complete).summary(),
            "1 page · 1 record"
        );
        let full = Finish::Sink(SinkStop::Full {
            limit: ByteSize::mib(512),
        });
        assert_eq!(
            outcome(12, 1200, full).summary(),
            "pages 1–12 of 40 kept: 512 MiB limit"
        );
        let capped = Finish::Capped { cap: 10_000 };
        assert_eq!(
            outcome(0, 0, capped.clone()).summary(),
            "40 pages, more than the 10,000-page cap: none fetched"
        );
        let mut open = outcome(10_000, 1, capped);
        open.pages_total = None;
        assert_eq!(
            open.summary(),
            "pages 1–10,000: stopped at the 10,000-page cap, the list goes on"
        );
    }

    #[test]
    fn rate_and_time_left_with_the_wait() {
        let mut p = Progress {
            pages_done: 10,
            pages_total: Some(40),
            records_done: 1000,
            records_total: Some(4000),
            elapsed: Duration::from_secs(2),
            waiting: None,
            retries: 0,
        };
        assert_eq!(p.rate(), Some(500.0));
        assert_eq!(p.remaining(), Some(Duration::from_secs(6)));
        p.waiting = Some(Duration::from_secs(30));
        assert_eq!(p.remaining(), Some(Duration::from_secs(36)));
    }

    #[test]
    fn waits_and_durations_read_well() {
        let wait = Wait {
            page: 4,
            wait: Duration::from_secs(30),
            cause: WaitCause::RateLimited {
                why: "429 Too Many Requests".into(),
                retry_after: Some("30".into()),
            },
        };
        assert_eq!(
            wait.describe(),
            "page 4: 429 Too Many Requests: the run waits 30 s, as the server asked (Retry-After: 30)"
        );
        let retry = Wait {
            page: 5,
            wait: Duration::from_millis(400),
            cause: WaitCause::Retry {
                attempt: 1,
                of: 3,
                why: "503 Service Unavailable".into(),
                retry_after: None,
            },
        };
        assert_eq!(
            retry.describe(),
            "page 5: 503 Service Unavailable: retry 1 of 3 in 400 ms"
        );
        assert_eq!(human(Duration::from_secs(300)), "5 min");
        assert_eq!(human(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(human(Duration::from_secs(999_999_999)), "11,574 days");
    }
}
