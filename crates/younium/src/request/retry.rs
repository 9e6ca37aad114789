//! `Retry-After`: seconds or an HTTP date, capped so a hostile server cannot park the app.

use std::time::Duration;

use jiff::Timestamp;
use reqwest::header::HeaderMap;

/// A header's value as text.
pub(crate) fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The longest wait a `Retry-After` is taken at: a server asking for days is wrong or hostile,
/// and the user would see "retrying in 27777h".
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// `Retry-After` as a duration (seconds form; an HTTP date counts from now), at most
/// [`MAX_RETRY_AFTER`].
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = header_text(headers, "retry-after")?;
    parse_retry_after(&text)
}

/// Parses a `Retry-After` value: delay-seconds or an HTTP date; at most [`MAX_RETRY_AFTER`]
/// ([`retry_after_note`] says when the server asked for more).
pub fn parse_retry_after(text: &str) -> Option<Duration> {
    asked_retry_after(text).map(|asked| asked.min(MAX_RETRY_AFTER))
}

/// A sentence when the server asked to wait longer than [`MAX_RETRY_AFTER`], e.g. `the server
/// asked to wait 27777h 46m (Retry-After: 99999999); waiting at most 1h 0m`.
pub fn retry_after_note(text: &str) -> Option<String> {
    let asked = asked_retry_after(text).filter(|asked| *asked > MAX_RETRY_AFTER)?;
    let human = |d: Duration| {
        crate::token::format_duration(
            jiff::SignedDuration::try_from(d).unwrap_or(jiff::SignedDuration::MAX),
        )
    };
    Some(format!(
        "the server asked to wait {} (Retry-After: {}); waiting at most {}",
        human(asked),
        text.trim().chars().take(40).collect::<String>(),
        human(MAX_RETRY_AFTER)
    ))
}

/// The wait the server asked for, however long. A number too large for any clock is the
/// longest wait there is.
pub(crate) fn asked_retry_after(text: &str) -> Option<Duration> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            text.parse::<u64>()
                .map_or(Duration::MAX, Duration::from_secs),
        );
    }
    let at = crate::token::parse_http_date_lenient(text)?;
    let wait = at.duration_since(Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Mon, 01 Jan 2001 00:00:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(retry_after_note("7"), None);
    }

    #[test]
    fn an_absurd_retry_after_is_clamped_and_said() {
        for absurd in [
            "99999999",
            "99999999999999999999999",
            "Fri, 01 Jan 9999 00:00:00 GMT",
        ] {
            assert_eq!(parse_retry_after(absurd), Some(MAX_RETRY_AFTER), "{absurd}");
        }
        assert_eq!(
            retry_after_note("99999999").unwrap(),
            "the server asked to wait 27777h 46m (Retry-After: 99999999); waiting at most 1h 0m"
        );
        assert_eq!(parse_retry_after("3600"), Some(MAX_RETRY_AFTER));
        assert_eq!(retry_after_note("3600"), None);
    }
}
