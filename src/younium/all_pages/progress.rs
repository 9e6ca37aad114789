//! Rates, time left and the one-line summary of a run.

use std::time::Duration;

use super::{Finish, Merged, Progress};
use crate::pretty::thousands;

/// How often the caller hears of a run.
pub(super) const INTERVAL: Duration = Duration::from_millis(100);

impl Progress {
    /// Records a second so far.
    pub fn rate(&self) -> Option<f64> {
        let secs = self.elapsed.as_secs_f64();
        (secs > 0.0 && self.records_done > 0).then(|| self.records_done as f64 / secs)
    }

    /// Time left at the rate so far (by records when their total is known, else by pages).
    pub fn remaining(&self) -> Option<Duration> {
        let secs = self.elapsed.as_secs_f64();
        let (done, total) = match self.records_total {
            Some(total) if self.records_done > 0 => (self.records_done, total),
            _ => (self.pages_done, self.pages_total?),
        };
        if done == 0 || secs <= 0.0 {
            return None;
        }
        let left = total.saturating_sub(done) as f64 * secs / done as f64;
        Some(Duration::from_secs_f64(left.min(1e7)))
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

pub(super) fn summary(merged: &Merged) -> String {
    match &merged.finish {
        Finish::Complete => {
            let records = plural(merged.record_count, "record", "records");
            match merged.pages {
                1 => format!("1 page · {records}"),
                n => format!("all {} pages · {records}", thousands(n)),
            }
        }
        Finish::Stopped => format!("{}: stopped", pages_span(merged.pages, merged.pages_total)),
        Finish::Failed { page, message } => format!(
            "{}: page {} failed: {}",
            pages_span(merged.pages, merged.pages_total),
            thousands(*page),
            crate::sanitize::one_line(message)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn merged(pages: u64, records: u64, finish: Finish) -> Merged {
        Merged {
            records: Bytes::new(),
            record_count: records,
            pages,
            pages_total: Some(40),
            finish,
            elapsed: Duration::ZERO,
        }
    }

    #[test]
    fn summaries_say_what_was_kept() {
        assert_eq!(
            merged(40, 4000, Finish::Complete).summary(),
            "all 40 pages · 4,000 records"
        );
        assert_eq!(
            merged(17, 1700, Finish::Stopped).summary(),
            "pages 1–17 of 40: stopped"
        );
        assert_eq!(
            merged(
                17,
                1700,
                Finish::Failed {
                    page: 18,
                    message: "500 Internal Server Error: boom".into()
                }
            )
            .summary(),
            "pages 1–17 of 40: page 18 failed: 500 Internal Server Error: boom"
        );
        assert_eq!(
            merged(1, 1, Finish::Complete).summary(),
            "1 page · 1 record"
        );
    }

    #[test]
    fn rate_and_time_left() {
        let p = Progress {
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
    }
}
