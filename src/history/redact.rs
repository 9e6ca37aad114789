//! Taking secrets out of what is stored: JWT-looking strings anywhere, secret-named members of
//! a JSON request body, and the values of headers that carry credentials.

use std::borrow::Cow;

/// What a JWT is replaced with.
pub const JWT: &str = "<redacted JWT>";
/// What any other secret value is replaced with.
pub const REDACTED: &str = "<redacted>";
/// The stored `Authorization` value when it was a bearer token.
pub const BEARER: &str = "Bearer <redacted>";

/// JSON member names whose values are secrets (compared case-insensitively).
const SECRET_MEMBERS: [&str; 7] = [
    "clientsecret",
    "client_secret",
    "secret",
    "password",
    "accesstoken",
    "access_token",
    "refresh_token",
];

pub use crate::younium::request::is_secret_header;

/// The stored value of a header: `Authorization` as `Bearer <redacted>` (`<redacted>` when not
/// a bearer value), another secret header as `<redacted>`, any other with its JWTs replaced.
pub fn header_value(name: &str, value: &str) -> String {
    if name.trim().eq_ignore_ascii_case("authorization") {
        let bearer = value
            .trim_start()
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("bearer "));
        return if bearer { BEARER } else { REDACTED }.to_string();
    }
    if is_secret_header(name) {
        return REDACTED.to_string();
    }
    jwts_in_text(value).into_owned()
}

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Where the JWT starting at `start` (at an `eyJ`) ends, if one does: three base64url parts
/// separated by dots, the first two not empty.
fn jwt_end(bytes: &[u8], start: usize) -> Option<usize> {
    let run = |from: usize| {
        bytes[from..]
            .iter()
            .position(|b| !is_b64url(*b))
            .map_or(bytes.len(), |n| from + n)
    };
    let first = run(start);
    if bytes.get(first) != Some(&b'.') {
        return None;
    }
    let second = run(first + 1);
    if second == first + 1 || bytes.get(second) != Some(&b'.') {
        return None;
    }
    Some(run(second + 1))
}

/// `bytes` with every JWT-looking string replaced by `<redacted JWT>` (which holds no quote
/// or backslash, so JSON stays valid). Borrowed when there is none.
pub fn jwts(bytes: &[u8]) -> Cow<'_, [u8]> {
    let finder = aho_corasick::AhoCorasick::new(["eyJ"]).expect("a fixed pattern");
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    for start in finder.find_iter(bytes).map(|m| m.start()) {
        if start < copied || (start > 0 && is_b64url(bytes[start - 1])) {
            continue;
        }
        if let Some(end) = jwt_end(bytes, start) {
            let out = out.get_or_insert_with(|| Vec::with_capacity(bytes.len()));
            out.extend_from_slice(&bytes[copied..start]);
            out.extend_from_slice(JWT.as_bytes());
            copied = end;
        }
    }
    match out {
        None => Cow::Borrowed(bytes),
        Some(mut out) => {
            out.extend_from_slice(&bytes[copied..]);
            Cow::Owned(out)
        }
    }
}

/// [`jwts`] over text.
pub fn jwts_in_text(text: &str) -> Cow<'_, str> {
    match jwts(text.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Only ASCII was replaced by ASCII, at ASCII boundaries.
        Cow::Owned(bytes) => Cow::Owned(String::from_utf8(bytes).unwrap_or_default()),
    }
}

/// A request body as stored: JWTs replaced, and in a JSON body the values of secret-named
/// members (at any depth) set to `"<redacted>"`. A body with no such member keeps its text.
pub fn request_body(body: &str) -> String {
    let body = jwts_in_text(body);
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&body) else {
        return body.into_owned();
    };
    if redact_members(&mut value) {
        serde_json::to_string_pretty(&value).unwrap_or_else(|_| body.into_owned())
    } else {
        body.into_owned()
    }
}

fn redact_members(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Object(members) => {
            let mut changed = false;
            for (name, v) in members.iter_mut() {
                let lower = name.to_ascii_lowercase();
                if SECRET_MEMBERS.contains(&lower.as_str()) {
                    *v = Value::String(REDACTED.into());
                    changed = true;
                } else {
                    changed |= redact_members(v);
                }
            }
            changed
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, v| redact_members(v) | changed),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl-_x";

    #[test]
    fn jwts_are_replaced_and_json_stays_valid() {
        let body = format!(r#"{{"a":"{TOKEN}","b":["x {TOKEN} y"],"c":"eyJnotajwt"}}"#);
        let out = jwts_in_text(&body);
        assert!(!out.contains(TOKEN), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["a"], JWT);
        assert_eq!(v["b"][0], format!("x {JWT} y"));
        assert_eq!(v["c"], "eyJnotajwt");
        assert!(matches!(jwts_in_text("plain"), Cow::Borrowed(_)));
        // Not at a word start: part of something longer.
        assert_eq!(jwts_in_text(&format!("x{TOKEN}")), format!("x{TOKEN}"));
        // Unsigned: the third part empty.
        assert_eq!(jwts_in_text("eyJa.eyJb. z"), format!("{JWT} z"));
    }

    #[test]
    fn headers() {
        assert_eq!(
            header_value("Authorization", &format!("Bearer {TOKEN}")),
            BEARER
        );
        assert_eq!(
            header_value("authorization", "Basic dXNlcjpwYXNz"),
            REDACTED
        );
        assert_eq!(header_value("X-Api-Token", "abc"), REDACTED);
        assert_eq!(header_value("client-secret", "abc"), REDACTED);
        assert_eq!(header_value("younium-idempotency-key", "k-1"), "k-1");
        assert_eq!(
            header_value("X-Trace", &format!("t={TOKEN}")),
            format!("t={JWT}")
        );
    }

    #[test]
    fn secret_members_at_any_depth() {
        let body = r#"{"clientId":"id","ClientSecret":"s1","nested":[{"PASSWORD":"p","refresh_token":"r"}],"name":"n"}"#;
        let out = request_body(body);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["clientId"], "id");
        assert_eq!(v["ClientSecret"], REDACTED);
        assert_eq!(v["nested"][0]["PASSWORD"], REDACTED);
        assert_eq!(v["nested"][0]["refresh_token"], REDACTED);
        assert_eq!(v["name"], "n");
        for s in ["s1", "\"p\"", "\"r\""] {
            assert!(!out.contains(s), "{out}");
        }
        // Nothing secret: the text as typed.
        let plain = "{ \"name\" : 1 }";
        assert_eq!(request_body(plain), plain);
        assert_eq!(request_body("not json"), "not json");
    }
}
