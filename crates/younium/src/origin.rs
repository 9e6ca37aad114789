//! Where a request may go. A base URL is parsed once into an [`Origin`]: scheme, host, port
//! and the path prefix the API lives under. Every URL the app builds is checked against it on
//! the parsed form, never on string prefixes, so `http://127.0.0.1:8001` does not accept
//! `http://127.0.0.1:80011/…`, and `https://api.younium.com` does not accept
//! `https://api.younium.com.evil.example/…` or `https://api.younium.com@evil.example/…`.

use std::fmt;

use reqwest::Url;

/// A base URL reduced to what decides where a request may go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Normalised by the URL parser: host in lower case, default port dropped, no query,
    /// fragment or credentials, and a path without a trailing slash.
    url: Url,
}

/// Why a base URL cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{url} is not a usable base URL: {reason}")]
pub struct OriginError {
    /// The URL as given, without any user name or password in it.
    pub url: String,
    /// What is wrong with it.
    pub reason: String,
}

/// Why a URL was refused before anything was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The path (or a pasted URL) points outside the connected environment.
    #[error(
        "{target} is not on the connected environment {base}; nothing was sent (requests go only to {base})"
    )]
    OtherOrigin {
        /// The URL that was asked for, described without credentials.
        target: String,
        /// The environment's base URL.
        base: String,
    },
    /// The managed token was issued by another origin than the one called.
    #[error(
        "the token was issued by {issuer}, and {target} is elsewhere; the token is only sent where it was issued, so nothing was sent"
    )]
    TokenElsewhere {
        /// The URL that was asked for, described without credentials.
        target: String,
        /// The base URL of the environment that issued the token.
        issuer: String,
    },
    /// The path or URL does not parse (the text says where and why).
    #[error("{0} is not a valid URL")]
    BadUrl(String),
}

impl Origin {
    /// Parses a base URL: http or https, a host, no credentials, no query or fragment.
    pub fn parse(base: &str) -> Result<Origin, OriginError> {
        let text = base.trim();
        let fail = |reason: &str| OriginError {
            url: without_credentials(text),
            reason: reason.to_string(),
        };
        let mut url = Url::parse(text).map_err(|e| fail(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(fail("the scheme must be http or https"));
        }
        if url.host().is_none() {
            return Err(fail("it has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(fail(
                "it carries a user name or password; credentials go in the connection settings",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(fail("a base URL has no query (?…) or fragment (#…)"));
        }
        let path = url.path().trim_end_matches('/').to_string();
        url.set_path(&path);
        Ok(Origin { url })
    }

    /// The base URL without a trailing slash, as requests are built from it.
    pub fn base_url(&self) -> String {
        self.url.as_str().trim_end_matches('/').to_string()
    }

    /// Scheme, host and port (default ports counted) are the same.
    pub(crate) fn same_site(&self, url: &Url) -> bool {
        same_origin(&self.url, url)
    }

    /// Whether `url` is on this origin, under its path, and carries no credentials of its own.
    pub fn contains(&self, url: &Url) -> bool {
        let base_path = self.url.path().trim_end_matches('/');
        let path = url.path();
        self.same_site(url)
            && url.username().is_empty()
            && url.password().is_none()
            && (base_path.is_empty()
                || path == base_path
                || path
                    .strip_prefix(base_path)
                    .is_some_and(|rest| rest.starts_with('/')))
    }

    /// The URL for `path`: a path is put under the base; a full URL (pasted, or a `nextPage`
    /// link) is accepted only when it lies inside this origin.
    pub fn join(&self, path: &str) -> Result<Url, Refused> {
        let path = path.trim();
        let url = if has_scheme(path) {
            Url::parse(path)
                .map_err(|e| Refused::BadUrl(format!("{} ({e})", without_credentials(path))))?
        } else {
            let sep = if path.starts_with('/') { "" } else { "/" };
            let full = format!("{}{sep}{path}", self.base_url());
            Url::parse(&full).map_err(|e| Refused::BadUrl(format!("{full} ({e})")))?
        };
        if self.contains(&url) {
            Ok(url)
        } else {
            Err(Refused::OtherOrigin {
                target: describe(&url),
                base: self.base_url(),
            })
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base_url())
    }
}

/// Scheme, host and port (default ports counted) of two URLs are the same.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Text that starts like a URL (`scheme://`): it is a URL, valid or not, never a path.
fn has_scheme(text: &str) -> bool {
    text.split_once("://").is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// `scheme://user:pw@host/…` as `scheme://(credentials)@host/…`, for messages about text that
/// may not even parse.
fn without_credentials(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.to_string();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://(credentials)@{}", &rest[at + 1..]),
        None => text.to_string(),
    }
}

/// A URL given as text (a `Location` header) for a message: like [`describe`], or the text
/// without credentials when it does not parse.
pub(crate) fn describe_text(text: &str) -> String {
    Url::parse(text.trim())
        .map(|url| describe(&url))
        .unwrap_or_else(|_| without_credentials(text.trim()))
}

/// A URL for a message: its origin and path, without credentials or query.
pub fn describe(url: &Url) -> String {
    let credentials = if url.username().is_empty() && url.password().is_none() {
        ""
    } else {
        "(credentials)@"
    };
    let origin = url.origin().ascii_serialization();
    let origin = if credentials.is_empty() {
        origin
    } else {
        origin.replacen("://", &format!("://{credentials}"), 1)
    };
    format!("{origin}{}", url.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn string_prefix_tricks_are_other_origins() {
        let local = Origin::parse("http://127.0.0.1:8001").unwrap();
        assert!(local.contains(&url("http://127.0.0.1:8001/Accounts")));
        assert!(!local.contains(&url("http://127.0.0.1:18001/Accounts")));
        assert!(matches!(
            local.join("http://127.0.0.1:80011/Accounts"),
            Err(Refused::BadUrl(_))
        ));
        let prod = Origin::parse("https://api.younium.com/").unwrap();
        assert!(prod.contains(&url("https://API.younium.com:443/Invoices?x=1")));
        for evil in [
            "https://api.younium.com.evil.example/Invoices",
            "https://api.younium.com@evil.example/Invoices",
            "https://user:pw@api.younium.com/Invoices",
            "http://api.younium.com/Invoices",
            "https://api.younium.com:8443/Invoices",
        ] {
            assert!(!prod.contains(&url(evil)), "{evil}");
        }
    }

    #[test]
    fn base_path_is_a_segment_prefix() {
        let proxied = Origin::parse("http://proxy:9000/younium/").unwrap();
        assert_eq!(proxied.base_url(), "http://proxy:9000/younium");
        assert!(proxied.contains(&url("http://proxy:9000/younium/Accounts")));
        assert!(!proxied.contains(&url("http://proxy:9000/younium-other/Accounts")));
        assert!(!proxied.contains(&url("http://proxy:9000/Accounts")));
        assert_eq!(
            proxied.join("Accounts").unwrap().as_str(),
            "http://proxy:9000/younium/Accounts"
        );
        assert!(proxied.join("/../admin").is_err(), "dot segments leave");
    }

    #[test]
    fn join_refuses_full_urls_elsewhere_and_names_both() {
        let base = Origin::parse("http://127.0.0.1:8001").unwrap();
        assert_eq!(
            base.join("http://127.0.0.1:8001/Users?PageNumber=2")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8001/Users?PageNumber=2"
        );
        let err = base
            .join("http://127.0.0.1:18001/Users?secret=1")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "http://127.0.0.1:18001/Users is not on the connected environment http://127.0.0.1:8001; nothing was sent (requests go only to http://127.0.0.1:8001)"
        );
        let err = base.join("http://a:b@127.0.0.1:8001/Users").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("http://(credentials)@127.0.0.1:8001/Users")
        );
        // Text that only looks like a host stays a path on the base.
        assert_eq!(
            base.join("api.younium.com.evil.example/x")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8001/api.younium.com.evil.example/x"
        );
        assert_eq!(
            base.join("//evil.example/x").unwrap().host_str(),
            Some("127.0.0.1")
        );
    }

    #[test]
    fn bad_base_urls() {
        for bad in [
            "ftp://h",
            "http://u:p@h",
            "http://h/?q=1",
            "http://h/#f",
            "not a url",
            "http://u:p@",
        ] {
            let err = Origin::parse(bad).unwrap_err().to_string();
            assert!(!err.contains("u:p"), "{err}");
        }
    }
}
