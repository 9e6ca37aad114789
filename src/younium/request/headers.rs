//! The headers a request carries: the automatic ones Younium needs, the user's overrides and
//! additions, and which values are secret.

use super::{ApiRequest, CallSettings, Method, Param};
use crate::younium::secret::Secret;

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
    pub name: String,
    pub value: HeaderText,
    pub origin: HeaderOrigin,
}

impl EffectiveHeader {
    pub fn is_sent(&self) -> bool {
        !matches!(
            self.origin,
            HeaderOrigin::Disabled | HeaderOrigin::UserDisabled
        )
    }
}

/// Header names that carry credentials when the user types them (shown shortened, never
/// saved with a request).
pub fn is_sensitive_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization"
        || n == "cookie"
        || n.contains("secret")
        || n.contains("token") && !n.contains("idempotency")
}

/// The headers a request carries: the automatic ones (after the user's overrides) followed
/// by the user's own. `token` is the managed token, if one is available.
pub fn effective_headers(
    req: &ApiRequest,
    settings: &CallSettings,
    token: Option<&Secret>,
) -> Vec<EffectiveHeader> {
    let mut automatic: Vec<(&str, Option<HeaderText>)> = vec![
        (
            "Authorization",
            token.map(|t| HeaderText::Bearer(t.clone())),
        ),
        ("Accept", Some(HeaderText::Plain("application/json".into()))),
        (
            "Content-Type",
            Some(HeaderText::Plain("application/json".into())),
        ),
        (
            "api-version",
            Some(HeaderText::Plain(settings.api_version.to_string())),
        ),
        (
            "legal-entity",
            settings.legal_entity.clone().map(HeaderText::Plain),
        ),
    ];
    if req.method == Method::Post {
        automatic.push((
            "younium-idempotency-key",
            req.idempotency_key.clone().map(HeaderText::Plain),
        ));
    }
    let mut out = Vec::new();
    for (name, value) in &automatic {
        match req.user_header(name) {
            Some(user) if user.enabled => out.push(EffectiveHeader {
                name: (*name).to_string(),
                value: user_value(user),
                origin: HeaderOrigin::Overridden,
            }),
            // Switched off: shown with the override it would bring back, else the value the
            // app would add.
            Some(user) => out.push(EffectiveHeader {
                name: (*name).to_string(),
                value: match value {
                    Some(v) if user.value.is_empty() => v.clone(),
                    _ => user_value(user),
                },
                origin: HeaderOrigin::Disabled,
            }),
            None => {
                if let Some(value) = value {
                    out.push(EffectiveHeader {
                        name: (*name).to_string(),
                        value: value.clone(),
                        origin: HeaderOrigin::Automatic,
                    });
                }
            }
        }
    }
    let is_automatic = |n: &str| {
        automatic
            .iter()
            .any(|(a, _)| a.eq_ignore_ascii_case(n.trim()))
    };
    out.extend(
        req.headers
            .iter()
            .filter(|h| !h.name.trim().is_empty() && !is_automatic(&h.name))
            .map(|h| EffectiveHeader {
                name: h.name.trim().to_string(),
                value: user_value(h),
                origin: if h.enabled {
                    HeaderOrigin::User
                } else {
                    HeaderOrigin::UserDisabled
                },
            }),
    );
    out
}

fn user_value(p: &Param) -> HeaderText {
    if is_sensitive_header(&p.name) {
        HeaderText::Secret(Secret::new(p.value.clone()))
    } else {
        HeaderText::Plain(p.value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::younium::request::ApiVersion;

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
