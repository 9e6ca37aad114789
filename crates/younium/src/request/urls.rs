//! Where a request goes: the URL built under the base, and the check that the managed token
//! goes only to the origin that issued it.

use super::{ApiRequest, Param, RequestError, placeholders};
use crate::origin::{self, Origin, Refused};
use crate::token::Token;

/// Builds the full URL: the path under the base (a full URL only when it lies inside the
/// base's origin, see [`Origin::join`]), and the enabled query parameters.
pub fn build_url(base_url: &str, req: &ApiRequest) -> Result<reqwest::Url, RequestError> {
    let path = req.path.trim();
    let missing = placeholders(path);
    if !missing.is_empty() {
        return Err(RequestError::Invalid(format!(
            "fill the path parameter{} {} first",
            if missing.len() > 1 { "s" } else { "" },
            missing
                .iter()
                .map(|m| format!("{{{m}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let origin = Origin::parse(base_url).map_err(|e| RequestError::Invalid(e.to_string()))?;
    let mut url = origin.join(path)?;
    let enabled: Vec<&Param> = req
        .query
        .iter()
        .filter(|p| p.enabled && !p.name.trim().is_empty())
        .collect();
    if !enabled.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for p in enabled {
            pairs.append_pair(p.name.trim(), &p.value);
        }
    }
    Ok(url)
}

/// The managed token may go to `url`: only to the origin (and base path) that issued it.
pub(crate) fn check_token_destination(token: &Token, url: &reqwest::Url) -> Result<(), Refused> {
    let issuer = token.origin.environment.base_url();
    match Origin::parse(issuer) {
        Ok(origin) if origin.contains(url) => Ok(()),
        _ => Err(Refused::TokenElsewhere {
            target: origin::describe(url),
            issuer: issuer.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;

    #[test]
    fn urls() {
        let mut req = ApiRequest::new(Method::Get, "/Accounts/{id}");
        let err = build_url("http://h", &req).unwrap_err();
        assert_eq!(err.to_string(), "fill the path parameter {id} first");
        req.path = "/Accounts".into();
        req.query = vec![
            Param::new("Filter", "name eq 'A B'"),
            Param {
                name: "PageSize".into(),
                value: "5".into(),
                enabled: false,
            },
        ];
        let url = build_url("http://h:1/", &req).unwrap();
        assert_eq!(url.as_str(), "http://h:1/Accounts?Filter=name+eq+%27A+B%27");
        for elsewhere in [
            "https://evil.example/Accounts",
            "http://h:10/Accounts",
            "http://h:1@evil.example/Accounts",
        ] {
            req.path = elsewhere.into();
            assert!(
                matches!(build_url("http://h:1", &req), Err(RequestError::Refused(_))),
                "{elsewhere}"
            );
        }
        req.path = "http://h:1/Accounts?PageNumber=2".into();
        req.query.clear();
        assert_eq!(
            build_url("http://h:1", &req).unwrap().as_str(),
            "http://h:1/Accounts?PageNumber=2"
        );
    }
}
