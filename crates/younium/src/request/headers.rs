//! The headers a request carries: the automatic ones Younium needs, the user's overrides and
//! additions, and which values are secret.

use super::{ApiRequest, CallSettings, Method, Param};
use crate::secret::Secret;

/// Where a header in the effective list comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderOrigin {
    /// Added by the app.
    Automatic,
    /// An automatic header the user replaced.
    Overridden,
    /// An automatic header the user switched off: shown, not sent.
    Disabled,
    /// The user's own header.
    User,
    /// The user's own header, switched off: shown, not sent.
    UserDisabled,
}

/// A header value that may be secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderText {
    /// An ordinary value, shown as it is.
    Plain(String),
    /// `Authorization: Bearer …` with the app's token.
    Bearer(Secret),
    /// A value the user typed into a header that usually carries a secret.
    Secret(Secret),
}

impl HeaderText {
    /// The value as it goes on the wire.
    pub fn wire(&self) -> String {
        match self {
            HeaderText::Plain(s) => s.clone(),
            HeaderText::Bearer(token) => format!("Bearer {}", token.expose()),
            HeaderText::Secret(s) => s.expose().to_string(),
        }
    }

    /// The value for the screen: secrets shortened unless `reveal`.
    pub fn display(&self, reveal: bool) -> String {
        match self {
            HeaderText::Plain(s) => s.clone(),
            _ if reveal => self.wire(),
            HeaderText::Bearer(token) => format!("Bearer {}", token.shortened()),
            HeaderText::Secret(s) => s.shortened(),
        }
    }
}

/// One header as it will be (or was) sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveHeader {
    /// The name as it is sent (`legal-entity`, `Authorization`).
    pub name: String,
    /// The value, secret or not.
    pub value: HeaderText,
    /// Automatic, overridden, the user's own, or switched off.
    pub origin: HeaderOrigin,
}

impl EffectiveHeader {
    /// False for a header switched off: it is listed (to show what was left out) but not sent.
    pub fn is_sent(&self) -> bool {
        !matches!(
            self.origin,
            HeaderOrigin::Disabled | HeaderOrigin::UserDisabled
        )
    }
}

/// Whether a header named `name` carries a credential: `Authorization`,
/// `Proxy-Authorization`, `Cookie`, `Set-Cookie`, `X-Api-Key`, and any name with `key`,
/// `token`, `secret` or `password` in it (the idempotency key excepted: it is an id, not a
/// credential). The one rule for the Request pane (shown shortened), saved requests (left
/// out), the history and curl export (redacted) and the logs (marked sensitive).
pub fn is_secret_header(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    if n.contains("idempotency") {
        return false;
    }
    matches!(
        n.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie" | "x-api-key"
    ) || ["key", "token", "secret", "password"]
        .iter()
        .any(|word| n.contains(word))
}

/// The headers a request carries: the automatic ones (after the user's overrides) followed
/// by the user's own. `token` is the managed token, if one is available.
pub fn effective_headers(
    req: &ApiRequest,
    settings: &CallSettings,
    token: Option<&Secret>,
) -> Vec<EffectiveHeader> {
    effective_header_rows(req, settings, token)
        .into_iter()
        .map(|(header, _)| header)
        .collect()
}

/// [`effective_headers`], each with the index in `req.headers` of the row behind it (`None`
/// for a header the app adds as it is), so the builder acts on the very row a line shows,
/// whatever names repeat.
pub fn effective_header_rows(
    req: &ApiRequest,
    settings: &CallSettings,
    token: Option<&Secret>,
) -> Vec<(EffectiveHeader, Option<usize>)> {
    let automatic = automatic_headers(req, settings, token);
    let mut out = Vec::new();
    for (name, value) in &automatic {
        let header = |value: HeaderText, origin| EffectiveHeader {
            name: (*name).to_string(),
            value,
            origin,
        };
        match first_row(req, name) {
            Some((i, user)) if user.enabled => {
                out.push((header(user_value(user), HeaderOrigin::Overridden), Some(i)))
            }
            // Switched off: shown with the override it would bring back, else the value the
            // app would add.
            Some((i, user)) => {
                let shown = match value {
                    Some(v) if user.value.is_empty() => v.clone(),
                    _ => user_value(user),
                };
                out.push((header(shown, HeaderOrigin::Disabled), Some(i)));
            }
            None => {
                if let Some(value) = value {
                    out.push((header(value.clone(), HeaderOrigin::Automatic), None));
                }
            }
        }
    }
    let is_automatic = |n: &str| {
        automatic
            .iter()
            .any(|(a, _)| a.eq_ignore_ascii_case(n.trim()))
    };
    for (i, h) in req.headers.iter().enumerate() {
        if h.name.trim().is_empty() || is_automatic(&h.name) {
            continue;
        }
        let origin = if h.enabled {
            HeaderOrigin::User
        } else {
            HeaderOrigin::UserDisabled
        };
        out.push((
            EffectiveHeader {
                name: h.name.trim().to_string(),
                value: user_value(h),
                origin,
            },
            Some(i),
        ));
    }
    out
}

/// Every header the app may add, in the order it adds them.
pub(crate) const AUTOMATIC_HEADERS: [&str; 6] = [
    "Authorization",
    "Accept",
    "Content-Type",
    "api-version",
    "legal-entity",
    "younium-idempotency-key",
];

/// `name` as the app spells it when it is one the app may add (case-insensitive).
pub fn automatic_header(name: &str) -> Option<&'static str> {
    AUTOMATIC_HEADERS
        .into_iter()
        .find(|a| a.eq_ignore_ascii_case(name.trim()))
}

/// The headers the app adds to `req`, in order, each with its value (none where there is
/// nothing to add: no token yet, no legal entity).
fn automatic_headers(
    req: &ApiRequest,
    settings: &CallSettings,
    token: Option<&Secret>,
) -> Vec<(&'static str, Option<HeaderText>)> {
    let plain = |v: &str| Some(HeaderText::Plain(v.to_string()));
    AUTOMATIC_HEADERS
        .into_iter()
        .filter(|name| *name != "younium-idempotency-key" || req.method == Method::Post)
        .map(|name| {
            let value = match name {
                "Authorization" => token.map(|t| HeaderText::Bearer(t.clone())),
                "Accept" | "Content-Type" => plain("application/json"),
                "api-version" => plain(settings.api_version.as_str()),
                "legal-entity" => settings.legal_entity.clone().map(HeaderText::Plain),
                _ => req.idempotency_key.clone().map(HeaderText::Plain),
            };
            (name, value)
        })
        .collect()
}

/// Whether the automatic header `name` can be switched off. `Accept` cannot: with none set,
/// the HTTP client sends its own `Accept: */*`, so "off" would not be what goes out.
pub fn can_switch_off(name: &str) -> bool {
    !name.trim().eq_ignore_ascii_case("accept")
}

/// The first of the request's rows named `name` (case-insensitive), with its index: the one
/// that overrides or switches off an automatic header. A switch-off of a header that cannot
/// be switched off (from a file, say) is passed over.
fn first_row<'a>(req: &'a ApiRequest, name: &str) -> Option<(usize, &'a Param)> {
    req.headers.iter().enumerate().find(|(_, h)| {
        h.name.trim().eq_ignore_ascii_case(name) && (h.enabled || can_switch_off(name))
    })
}

/// A row's value as it goes out: HTTP carries no whitespace around a field value (the
/// server drops it), so none is shown or sent.
fn user_value(p: &Param) -> HeaderText {
    let value = p.value.trim().to_string();
    if is_secret_header(&p.name) {
        HeaderText::Secret(Secret::new(value))
    } else {
        HeaderText::Plain(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::ApiVersion;

    fn settings() -> CallSettings {
        CallSettings {
            api_version: ApiVersion::V2_1,
            legal_entity: Some("Acme AB".into()),
        }
    }

    #[test]
    fn automatic_headers() {
        let req = ApiRequest::new(Method::Post, "/Accounts");
        let token = Secret::new("eyJhbGciOiJIUzI1NiJ9.payload.signature");
        let hs = effective_headers(&req, &settings(), Some(&token));
        let names: Vec<_> = hs.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Authorization",
                "Accept",
                "Content-Type",
                "api-version",
                "legal-entity",
                "younium-idempotency-key"
            ]
        );
        assert_eq!(hs[0].value.display(false), "Bearer eyJhbGci…ure");
        assert!(hs[0].value.wire().ends_with("signature"));
        assert_eq!(hs[3].value.wire(), "2.1");
        let get = ApiRequest::new(Method::Get, "/Accounts");
        assert!(get.idempotency_key.is_none());
        assert_eq!(
            effective_headers(&get, &CallSettings::default(), None).len(),
            3
        );
    }

    #[test]
    fn overrides_and_disables() {
        let mut req = ApiRequest::new(Method::Get, "/Accounts");
        req.headers.push(Param::new("LEGAL-ENTITY", "Other"));
        req.headers.push(Param {
            name: "api-version".into(),
            value: String::new(),
            enabled: false,
        });
        req.headers.push(Param::new("X-Trace", "1"));
        let hs = effective_headers(&req, &settings(), None);
        let le = hs.iter().find(|h| h.name == "legal-entity").unwrap();
        assert_eq!(
            (le.origin, le.value.wire()),
            (HeaderOrigin::Overridden, "Other".into())
        );
        let v = hs.iter().find(|h| h.name == "api-version").unwrap();
        assert!(!v.is_sent());
        assert_eq!(hs.last().unwrap().origin, HeaderOrigin::User);
        assert_eq!(req.legal_entity_sent(&settings()), Some("Other"));
        assert!(req.uses_managed_token());
        req.headers
            .push(Param::new("authorization", "Bearer mine-0123456789abcdef"));
        assert!(!req.uses_managed_token());
        let auth = effective_headers(&req, &settings(), None)
            .into_iter()
            .find(|h| h.name == "Authorization")
            .unwrap();
        assert_eq!(auth.value.display(false), "Bearer m…def");
    }
}

#[cfg(test)]
mod secret_rule_tests {
    use super::*;

    #[test]
    fn one_rule_names_the_secret_headers() {
        for name in [
            "Authorization",
            "proxy-authorization",
            "Cookie",
            "Set-Cookie",
            "X-Api-Key",
            "Ocp-Apim-Subscription-Key",
            "X-Auth-Token",
            "client-secret",
            "X-Password",
        ] {
            assert!(is_secret_header(name), "{name}");
        }
        for name in [
            "younium-idempotency-key",
            "legal-entity",
            "api-version",
            "Accept",
            "X-Trace",
        ] {
            assert!(!is_secret_header(name), "{name}");
        }
    }

    /// A secret typed into the Request pane is shown shortened, wherever the rule finds it.
    #[test]
    fn a_proxy_authorization_row_is_a_secret_in_the_table() {
        let mut req = ApiRequest::new(Method::Get, "/Accounts");
        req.headers.push(Param::new(
            "Proxy-Authorization",
            "Basic dXNlcjpwYXNzd29yZA==",
        ));
        let hs = effective_headers(&req, &CallSettings::default(), None);
        let proxy = hs.iter().find(|h| h.name == "Proxy-Authorization").unwrap();
        assert!(matches!(proxy.value, HeaderText::Secret(_)));
        assert!(!proxy.value.display(false).contains("dXNlcjpwYXNzd29yZA"));
    }
}
