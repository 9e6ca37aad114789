//! How all pages are fetched (`A`, `call --all-pages`): the profile's `concurrency`,
//! `max_pages` and `max_wait_seconds`, the `--max-pages` and `--max-wait` flags over them, else
//! the engine's defaults; `call --concurrency` over the concurrency ([`with_concurrency`]).

use std::time::Duration;

use super::SettingsError;
use crate::cli::ConnectionArgs;
use crate::config::Profile;
use crate::younium::all_pages::{MAX_CONCURRENCY, Options};

pub(super) fn resolve(
    flags: &ConnectionArgs,
    p: Option<&Profile>,
) -> Result<Options, SettingsError> {
    let defaults = Options::default();
    let concurrency = match p.and_then(|p| p.concurrency) {
        None => defaults.concurrency,
        Some(value) if (1..=MAX_CONCURRENCY).contains(&value) => value,
        Some(value) => return Err(SettingsError::Concurrency { value }),
    };
    let max_pages = match (flags.max_pages, p.and_then(|p| p.max_pages)) {
        (Some(0), _) | (None, Some(0)) => return Err(SettingsError::ZeroMaxPages),
        (Some(n), _) | (None, Some(n)) => n,
        (None, None) => defaults.max_pages,
    };
    let max_wait = match (flags.max_wait, p.and_then(|p| p.max_wait_seconds)) {
        (Some(0), _) | (None, Some(0)) => return Err(SettingsError::ZeroMaxWait),
        (Some(secs), _) | (None, Some(secs)) => Duration::from_secs(secs),
        (None, None) => defaults.max_wait,
    };
    Ok(Options {
        concurrency,
        max_pages,
        max_wait,
        ..defaults
    })
}

/// `resolved` with `call --concurrency` (1 to 8, checked by the command line) over its
/// concurrency.
pub fn with_concurrency(resolved: Options, flag: Option<u8>) -> Options {
    Options {
        concurrency: flag.map_or(resolved.concurrency, usize::from),
        ..resolved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(text: &str) -> Profile {
        toml_edit::de::from_str(text).unwrap()
    }

    #[test]
    fn flags_over_the_profile_over_the_defaults() {
        let none = ConnectionArgs::default();
        assert_eq!(resolve(&none, None), Ok(Options::default()));
        let p = profile("concurrency = 2\nmax_pages = 50000\nmax_wait_seconds = 900\n");
        let from_profile = resolve(&none, Some(&p)).unwrap();
        assert_eq!(
            (
                from_profile.concurrency,
                from_profile.max_pages,
                from_profile.max_wait
            ),
            (2, 50_000, Duration::from_secs(900))
        );
        let flags = ConnectionArgs {
            max_pages: Some(7),
            max_wait: Some(30),
            ..Default::default()
        };
        let flagged = resolve(&flags, Some(&p)).unwrap();
        assert_eq!(
            (flagged.concurrency, flagged.max_pages, flagged.max_wait),
            (2, 7, Duration::from_secs(30))
        );
        for (text, error) in [
            ("max_pages = 0", SettingsError::ZeroMaxPages),
            ("max_wait_seconds = 0", SettingsError::ZeroMaxWait),
            ("concurrency = 9", SettingsError::Concurrency { value: 9 }),
        ] {
            assert_eq!(resolve(&none, Some(&profile(text))), Err(error), "{text}");
        }
    }
}
