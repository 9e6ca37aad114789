//! The simulator's clock, and time in the formats Younium uses: HTTP dates for token expiry and
//! idempotency headers, and zone-less ISO timestamps with up to seven fraction digits for record
//! fields.

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};
use std::time::Duration;

use jiff::{
    SignedDuration, Timestamp,
    civil::{Date, DateTime},
    fmt::rfc2822::DateTimePrinter,
    tz::Offset,
};

/// What one simulator takes as now for issuing and checking tokens, idempotency windows and
/// the `created`/`modified` of writes: the wall clock, ahead by what
/// [`crate::Simulator::advance_clock`] added. Nothing else moves it, so `--demo` and `simulate`
/// run on the wall clock; a test moves it to let tokens expire without waiting for them. (The
/// `Date` header stays the wall clock's: hyper writes it.)
#[derive(Clone, Debug, Default)]
pub(crate) struct Clock {
    /// Nanoseconds ahead of the wall clock.
    ahead: Arc<AtomicI64>,
}

impl Clock {
    pub(crate) fn now(&self) -> Timestamp {
        let ahead = SignedDuration::from_nanos(self.ahead.load(Ordering::SeqCst));
        Timestamp::now()
            .saturating_add(ahead)
            .unwrap_or(Timestamp::MAX)
    }

    /// Seconds since the Unix epoch, now.
    pub(crate) fn now_unix(&self) -> i64 {
        self.now().as_second()
    }

    /// The current UTC time as a record timestamp, for `created` and `modified` of writes.
    pub(crate) fn record_now(&self) -> String {
        record_timestamp(Offset::UTC.to_datetime(self.now()))
    }

    /// Moves the clock `by` further ahead of the wall clock (saturating, about 292 years).
    pub(crate) fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_nanos()).unwrap_or(i64::MAX);
        let _ = self
            .ahead
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |ahead| {
                Some(ahead.saturating_add(by))
            });
    }
}

/// An RFC 1123 (RFC 9110 "IMF-fixdate") string such as `Thu, 21 Mar 2024 11:12:01 GMT`, with the
/// weekday that really belongs to the date (Younium's own documentation example gets it wrong).
pub(crate) fn http_date(unix_seconds: i64) -> String {
    Timestamp::from_second(unix_seconds)
        .ok()
        .and_then(|ts| DateTimePrinter::new().timestamp_to_rfc9110_string(&ts).ok())
        .unwrap_or_else(|| format!("@{unix_seconds}"))
}

/// A record timestamp like `2022-09-26T17:51:34.2600917`: no zone, trailing zero digits of the
/// fraction dropped (which is what .NET's serializer does, hence 6 or 7 digits in real data).
pub(crate) fn record_timestamp(dt: DateTime) -> String {
    let ticks = dt.subsec_nanosecond() / 100;
    let mut text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    if ticks != 0 {
        let fraction = format!("{ticks:07}");
        text.push('.');
        text.push_str(fraction.trim_end_matches('0'));
    }
    text
}

/// A date field as Younium writes it: midnight, no zone (`2022-01-01T00:00:00`).
pub(crate) fn record_date(date: Date) -> String {
    record_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
}

/// Reads a date or date-time the way filters and query parameters give it: `2023-04-01`,
/// `2023-04-01T10:00:00.123`, with or without a trailing `Z`.
pub(crate) fn parse_civil(text: &str) -> Option<DateTime> {
    let text = text.trim();
    let text = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix('z'))
        .unwrap_or(text);
    text.parse::<DateTime>().ok().or_else(|| {
        text.parse::<Date>()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_date_has_the_right_weekday() {
        assert_eq!(http_date(1_711_019_521), "Thu, 21 Mar 2024 11:12:01 GMT");
    }

    #[test]
    fn record_timestamps_trim_trailing_zeros() {
        let dt = jiff::civil::date(2022, 9, 21).at(13, 22, 16, 366_372_000);
        assert_eq!(record_timestamp(dt), "2022-09-21T13:22:16.366372");
        let dt = jiff::civil::date(2022, 9, 26).at(17, 51, 34, 260_091_700);
        assert_eq!(record_timestamp(dt), "2022-09-26T17:51:34.2600917");
        assert_eq!(
            record_date(jiff::civil::date(2022, 1, 1)),
            "2022-01-01T00:00:00"
        );
    }

    /// Whether `clock` reads the wall clock plus `ahead`.
    fn reads_ahead(clock: &Clock, ahead: SignedDuration) -> bool {
        let before = Timestamp::now();
        let now = clock.now();
        let after = Timestamp::now();
        before + ahead <= now && now <= after + ahead
    }

    #[test]
    fn the_clock_is_the_wall_clock_until_advanced() {
        let clock = Clock::default();
        assert!(reads_ahead(&clock, SignedDuration::ZERO));
        clock.advance(Duration::from_secs(3600));
        clock.advance(Duration::from_millis(1500));
        assert!(reads_ahead(&clock, SignedDuration::from_millis(3_601_500)));
        // A copy is the same clock.
        clock.clone().advance(Duration::from_secs(10));
        assert!(reads_ahead(&clock, SignedDuration::from_millis(3_611_500)));
    }

    #[test]
    fn civil_parsing_accepts_dates_and_zulu() {
        assert!(parse_civil("2023-04-01").is_some());
        assert!(parse_civil("2023-04-01T10:00:00.1234567").is_some());
        assert!(parse_civil("2023-04-01T10:00:00Z").is_some());
        assert!(parse_civil("yesterday").is_none());
    }
}
