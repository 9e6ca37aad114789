//! Fault injection: the things that go wrong between a client and Younium, on demand.
//!
//! A fault spec is a comma-separated list such as
//! `latency=300ms,5xx=0.2,429=0.1,drop=0.05,malformed-token,hang-token`; see [`Faults::apply`].

use std::{fmt, str::FromStr, time::Duration};

/// What the simulator does wrong, and how often.
///
/// Rates are fractions of API calls (`0.0..=1.0`). One random draw per call picks at most one of
/// drop, 429 and 5xx, so the rates add up rather than overlap. Token endpoints only see
/// `latency`, `malformed_tokens` and `hung_tokens`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    /// Added to every response, token endpoints included.
    pub latency: Duration,
    /// Fraction of API calls answering 500, 502 or 503 with a ProblemDetails body.
    pub server_error_rate: f64,
    /// Fraction of API calls answering 429 with `Retry-After`.
    pub rate_limit_rate: f64,
    /// Fraction of API calls whose connection is closed without any response.
    pub drop_rate: f64,
    /// Fraction of API calls answered 502 with an HTML page, as a gateway in front of an API
    /// answers when the API is down.
    pub html_rate: f64,
    /// Fraction of API calls whose answer is cut short: the real status and headers, then the
    /// first part of the body only (a proxy that passed on what it had when upstream broke).
    pub cut_rate: f64,
    /// Token endpoints answer 200 with a body that is not a token answer.
    pub malformed_tokens: bool,
    /// Token endpoints take the request and never answer (the client's timeout ends it).
    pub hung_tokens: bool,
}

/// The fault picked for one API call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InjectedFault {
    Drop,
    RateLimited,
    ServerError(u16),
    Html,
    Cut,
}

const SPEC_HELP: &str = "expected latency=<duration>, 5xx=<rate>, 429=<rate>, drop=<rate>, \
     html=<rate>, cut=<rate>, malformed-token, hang-token or none";

impl Faults {
    /// True when nothing is injected.
    pub fn is_none(&self) -> bool {
        *self == Faults::default()
    }

    /// Applies a fault spec on top of `self`; items it names replace the current values, others
    /// stay. Items:
    ///
    /// - `latency=300ms` (also `2s`, `1.5s`; a bare number means milliseconds)
    /// - `5xx=0.2` (alias `server-error`), `429=0.1` (alias `rate-limit`), `drop=0.05`: a rate as
    ///   a fraction `0..=1` or a percentage such as `20%`
    /// - `html=0.1`: a gateway's HTML error page (502); `cut=0.1`: a JSON answer cut short
    /// - `malformed-token` (alias `malformed-tokens`; `=false` turns it off again)
    /// - `hang-token` (alias `hang-tokens`): token endpoints never answer (`=false`: off)
    /// - `none`: clears every fault
    ///
    /// ```
    /// use younium_simulator::Faults;
    /// let mut faults = Faults::default();
    /// faults.apply("latency=300ms,5xx=20%").unwrap();
    /// faults.apply("drop=0.05").unwrap();
    /// assert_eq!(faults.to_string(), "latency=300ms,5xx=0.2,drop=0.05");
    /// assert!(faults.apply("latency=fast").is_err());
    /// ```
    pub fn apply(&mut self, spec: &str) -> Result<(), String> {
        for item in spec
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            self.apply_item(item)?;
        }
        Ok(())
    }

    /// Merges another set of faults into this one: every non-default value of `other` wins.
    pub fn merge(&mut self, other: Faults) {
        if !other.latency.is_zero() {
            self.latency = other.latency;
        }
        if other.server_error_rate > 0.0 {
            self.server_error_rate = other.server_error_rate;
        }
        if other.rate_limit_rate > 0.0 {
            self.rate_limit_rate = other.rate_limit_rate;
        }
        if other.drop_rate > 0.0 {
            self.drop_rate = other.drop_rate;
        }
        if other.html_rate > 0.0 {
            self.html_rate = other.html_rate;
        }
        if other.cut_rate > 0.0 {
            self.cut_rate = other.cut_rate;
        }
        self.malformed_tokens |= other.malformed_tokens;
        self.hung_tokens |= other.hung_tokens;
    }

    fn apply_item(&mut self, item: &str) -> Result<(), String> {
        let (name, value) = match item.split_once('=') {
            Some((name, value)) => (name.trim(), Some(value.trim())),
            None => (item, None),
        };
        match name.to_ascii_lowercase().as_str() {
            "none" if value.is_none() => *self = Faults::default(),
            "latency" | "delay" => self.latency = parse_duration(name, needs_value(name, value)?)?,
            "5xx" | "server-error" => {
                self.server_error_rate = parse_rate(name, needs_value(name, value)?)?
            }
            "429" | "rate-limit" => {
                self.rate_limit_rate = parse_rate(name, needs_value(name, value)?)?
            }
            "drop" => self.drop_rate = parse_rate(name, needs_value(name, value)?)?,
            "html" => self.html_rate = parse_rate(name, needs_value(name, value)?)?,
            "cut" => self.cut_rate = parse_rate(name, needs_value(name, value)?)?,
            "malformed-token" | "malformed-tokens" => {
                self.malformed_tokens = match value {
                    None => true,
                    Some(value) => parse_flag(name, value)?,
                }
            }
            "hang-token" | "hang-tokens" => {
                self.hung_tokens = match value {
                    None => true,
                    Some(value) => parse_flag(name, value)?,
                }
            }
            _ => return Err(format!("unknown fault '{item}': {SPEC_HELP}")),
        }
        Ok(())
    }

    /// Draws the fault for one API call, if any.
    pub(crate) fn roll(&self, rng: &mut fastrand::Rng) -> Option<InjectedFault> {
        let rates = [
            self.drop_rate,
            self.rate_limit_rate,
            self.server_error_rate,
            self.html_rate,
            self.cut_rate,
        ];
        if rates.iter().all(|r| *r <= 0.0) {
            return None;
        }
        let draw = rng.f64();
        let drop_limit = self.drop_rate;
        let rate_limit_limit = drop_limit + self.rate_limit_rate;
        let server_error_limit = rate_limit_limit + self.server_error_rate;
        let html_limit = server_error_limit + self.html_rate;
        let cut_limit = html_limit + self.cut_rate;
        if draw < drop_limit {
            Some(InjectedFault::Drop)
        } else if draw < rate_limit_limit {
            Some(InjectedFault::RateLimited)
        } else if draw < server_error_limit {
            let status = [500, 502, 503][rng.usize(..3)];
            Some(InjectedFault::ServerError(status))
        } else if draw < html_limit {
            Some(InjectedFault::Html)
        } else if draw < cut_limit {
            Some(InjectedFault::Cut)
        } else {
            None
        }
    }
}

/// A fault for particular requests, scripted by a test: "page 3 of /Invoices answers 429 with
/// `Retry-After: 1` once", "answers 500 three times", "drops the connection".
///
/// ```
/// use younium_simulator::{ScriptedAction, ScriptedFault};
/// let fault = ScriptedFault::new("/Invoices", Some(3), ScriptedAction::ServerError(500)).times(3);
/// assert_eq!(fault.times, 3);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptedFault {
    /// The request path it applies to (case-insensitive, exact).
    pub path: String,
    /// The `PageNumber` it applies to (a request without one is page 1); `None`: any page.
    pub page: Option<u64>,
    pub action: ScriptedAction,
    /// How many matching requests it hits before it is spent.
    pub times: u32,
}

/// What a scripted fault does to a request it hits.
#[derive(Clone, Debug, PartialEq)]
pub enum ScriptedAction {
    /// 429, with this `Retry-After` value (seconds or an HTTP date), or none.
    RateLimited { retry_after: Option<String> },
    /// This 5xx status with a ProblemDetails body.
    ServerError(u16),
    /// The connection closes without an answer.
    Drop,
    /// Every token issued so far is revoked, then the request is answered as usual (401).
    RevokeTokens,
    /// The answer comes this much later (on top of any latency fault).
    Delay(Duration),
    /// A gateway's HTML error page (502), as the `html` fault answers.
    Html,
    /// The real answer cut short, as the `cut` fault answers.
    Cut,
}

impl ScriptedFault {
    /// A fault that hits once.
    pub fn new(path: impl Into<String>, page: Option<u64>, action: ScriptedAction) -> Self {
        ScriptedFault {
            path: path.into(),
            page,
            action,
            times: 1,
        }
    }

    /// Hits `times` matching requests.
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    fn matches(&self, path: &str, page: u64) -> bool {
        self.times > 0
            && self.path.eq_ignore_ascii_case(path)
            && self.page.is_none_or(|p| p == page)
    }
}

/// The `PageNumber` of a raw query string (1 when absent or unreadable).
fn page_of(query: &str) -> u64 {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k.eq_ignore_ascii_case("PageNumber"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(1)
}

/// The scripted faults of one simulator, first added first tried.
#[derive(Debug, Default)]
pub(crate) struct Script(std::sync::Mutex<Vec<ScriptedFault>>);

impl Script {
    pub(crate) fn add(&self, fault: ScriptedFault) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(fault);
    }

    pub(crate) fn clear(&self) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }

    /// The action for a request, if a scripted fault hits it (spending one of its times).
    pub(crate) fn take(&self, path: &str, query: &str) -> Option<ScriptedAction> {
        let mut faults = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if faults.is_empty() {
            return None;
        }
        let page = page_of(query);
        let index = faults.iter().position(|f| f.matches(path, page))?;
        let fault = &mut faults[index];
        fault.times -= 1;
        let action = fault.action.clone();
        if fault.times == 0 {
            faults.remove(index);
        }
        Some(action)
    }
}

impl FromStr for Faults {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let mut faults = Faults::default();
        faults.apply(spec)?;
        Ok(faults)
    }
}

/// Prints the spec that parses back to the same faults, or `none`.
impl fmt::Display for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items = Vec::new();
        if !self.latency.is_zero() {
            items.push(format!("latency={}", format_duration(self.latency)));
        }
        if self.server_error_rate > 0.0 {
            items.push(format!("5xx={}", self.server_error_rate));
        }
        if self.rate_limit_rate > 0.0 {
            items.push(format!("429={}", self.rate_limit_rate));
        }
        if self.drop_rate > 0.0 {
            items.push(format!("drop={}", self.drop_rate));
        }
        if self.html_rate > 0.0 {
            items.push(format!("html={}", self.html_rate));
        }
        if self.cut_rate > 0.0 {
            items.push(format!("cut={}", self.cut_rate));
        }
        if self.malformed_tokens {
            items.push("malformed-token".to_owned());
        }
        if self.hung_tokens {
            items.push("hang-token".to_owned());
        }
        if items.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&items.join(","))
        }
    }
}

fn needs_value<'a>(name: &str, value: Option<&'a str>) -> Result<&'a str, String> {
    value.ok_or_else(|| format!("fault '{name}' needs a value, e.g. {name}=0.1"))
}

fn parse_duration(name: &str, text: &str) -> Result<Duration, String> {
    let lower = text.to_ascii_lowercase();
    let (number, millis_per_unit) = if let Some(number) = lower.strip_suffix("ms") {
        (number, 1.0)
    } else if let Some(number) = lower.strip_suffix('s') {
        (number, 1000.0)
    } else {
        (lower.as_str(), 1.0)
    };
    let invalid = || format!("fault '{name}': '{text}' is not a duration; use e.g. 300ms or 2s");
    let value: f64 = number.trim().parse().map_err(|_| invalid())?;
    if !value.is_finite() || value < 0.0 {
        return Err(invalid());
    }
    let seconds = value * millis_per_unit / 1000.0;
    if seconds > MAX_LATENCY.as_secs_f64() {
        return Err(format!(
            "fault '{name}': '{text}' is longer than the {} the simulator delays at most",
            format_duration(MAX_LATENCY)
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// The longest injected latency: enough to outlast any client timeout, short of absurd.
const MAX_LATENCY: Duration = Duration::from_secs(3600);

fn format_duration(duration: Duration) -> String {
    if duration.subsec_millis() == 0 && duration.as_secs() > 0 {
        format!("{}s", duration.as_secs())
    } else {
        format!("{}ms", duration.as_millis())
    }
}

fn parse_rate(name: &str, text: &str) -> Result<f64, String> {
    let (number, scale) = match text.strip_suffix('%') {
        Some(number) => (number.trim(), 100.0),
        None => (text, 1.0),
    };
    let rate = number
        .parse::<f64>()
        .map(|value| value / scale)
        .map_err(|_| format!("fault '{name}': '{text}' is not a rate; use e.g. 0.2 or 20%"))?;
    if !(0.0..=1.0).contains(&rate) {
        return Err(format!(
            "fault '{name}': rate '{text}' must be between 0 and 1 (or 0% and 100%)"
        ));
    }
    Ok(rate)
}

fn parse_flag(name: &str, text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(format!("fault '{name}': '{text}' is not true or false")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let faults: Faults = "latency=300ms,5xx=0.2,429=0.1,drop=0.05,malformed-token"
            .parse()
            .expect("valid spec");
        assert_eq!(faults.latency, Duration::from_millis(300));
        assert_eq!(faults.server_error_rate, 0.2);
        assert_eq!(faults.rate_limit_rate, 0.1);
        assert_eq!(faults.drop_rate, 0.05);
        assert!(faults.malformed_tokens);
        assert_eq!(
            faults.to_string(),
            "latency=300ms,5xx=0.2,429=0.1,drop=0.05,malformed-token"
        );
    }

    #[test]
    fn display_round_trips() {
        for spec in [
            "none",
            "latency=2s",
            "latency=1500ms,drop=1",
            "429=0.5",
            "hang-token",
        ] {
            let faults: Faults = spec.parse().expect("valid spec");
            assert_eq!(faults.to_string(), spec);
        }
    }

    #[test]
    fn accepts_percentages_units_and_aliases() {
        let faults: Faults = "delay=1.5s, server-error=20%, rate-limit=5%, malformed-tokens=false"
            .parse()
            .expect("valid spec");
        assert_eq!(faults.latency, Duration::from_millis(1500));
        assert_eq!(faults.server_error_rate, 0.2);
        assert_eq!(faults.rate_limit_rate, 0.05);
        assert!(!faults.malformed_tokens);
        let bare: Faults = "latency=250".parse().expect("bare milliseconds");
        assert_eq!(bare.latency, Duration::from_millis(250));
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let err = "explode=1".parse::<Faults>().unwrap_err();
        assert!(err.contains("unknown fault 'explode=1'"), "{err}");
        let err = "5xx=1.5".parse::<Faults>().unwrap_err();
        assert!(err.contains("between 0 and 1"), "{err}");
        let err = "drop".parse::<Faults>().unwrap_err();
        assert!(err.contains("needs a value"), "{err}");
        let err = "latency=soon".parse::<Faults>().unwrap_err();
        assert!(err.contains("not a duration"), "{err}");
    }

    #[test]
    fn absurd_latencies_are_refused_not_a_panic() {
        for absurd in [
            "latency=1e30ms",
            "latency=1e300s",
            "latency=3601s",
            "delay=1e20",
        ] {
            let err = absurd.parse::<Faults>().unwrap_err();
            assert!(
                err.contains("is longer than the 3600s the simulator delays at most"),
                "{absurd}: {err}"
            );
        }
        for nan in ["latency=NaN", "latency=inf", "latency=-1ms"] {
            assert!(
                nan.parse::<Faults>()
                    .unwrap_err()
                    .contains("not a duration"),
                "{nan}"
            );
        }
        let hour: Faults = "latency=3600s".parse().expect("valid");
        assert_eq!(hour.latency, MAX_LATENCY);
    }

    #[test]
    fn apply_and_merge_combine_repeated_specs() {
        let mut faults = Faults::default();
        faults.apply("latency=100ms").expect("valid");
        faults.apply("drop=0.5").expect("valid");
        assert_eq!(faults.latency, Duration::from_millis(100));
        assert_eq!(faults.drop_rate, 0.5);
        faults.merge("429=0.25,malformed-token".parse().expect("valid"));
        assert_eq!(faults.rate_limit_rate, 0.25);
        assert_eq!(faults.drop_rate, 0.5);
        assert!(faults.malformed_tokens);
        faults.apply("none").expect("valid");
        assert!(faults.is_none());
    }

    #[test]
    fn scripts_hit_their_page_and_are_spent() {
        let script = Script::default();
        script.add(
            ScriptedFault::new("/Invoices", Some(2), ScriptedAction::ServerError(500)).times(2),
        );
        script.add(ScriptedFault::new("/Accounts", None, ScriptedAction::Drop));
        assert_eq!(script.take("/Invoices", "PageNumber=1"), None);
        assert_eq!(
            script.take("/invoices", "PageSize=5&pagenumber=2"),
            Some(ScriptedAction::ServerError(500))
        );
        assert_eq!(
            script.take("/Invoices", "PageNumber=2"),
            Some(ScriptedAction::ServerError(500))
        );
        assert_eq!(script.take("/Invoices", "PageNumber=2"), None);
        assert_eq!(script.take("/Accounts", ""), Some(ScriptedAction::Drop));
        assert_eq!(script.take("/Accounts", ""), None);
    }

    #[test]
    fn rolls_follow_the_rates() {
        let mut rng = fastrand::Rng::with_seed(7);
        let always_drop: Faults = "drop=1".parse().expect("valid");
        assert_eq!(always_drop.roll(&mut rng), Some(InjectedFault::Drop));
        assert_eq!(Faults::default().roll(&mut rng), None);
        let half: Faults = "429=0.5".parse().expect("valid");
        let limited = (0..1000)
            .filter(|_| half.roll(&mut rng) == Some(InjectedFault::RateLimited))
            .count();
        assert!((400..600).contains(&limited), "{limited}");
    }
}
