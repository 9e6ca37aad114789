//! Getting and checking tokens: `POST /auth/token` (v1, camelCase answer), `POST /auth/v2/token`
//! (v2, snake_case answer), the legacy password grant `POST /connect/token`, and the bearer check
//! every API call goes through.
//!
//! Tokens are HS256 JWTs signed with a key that only this simulator instance knows, so a token
//! from another instance (another "environment") fails. Its `exp` is exactly `iat` plus the
//! configured lifetime in whole seconds, and expiry is enforced with no clock skew allowance
//! (ASP.NET's default of five minutes would make short test lifetimes useless).

use std::{collections::HashSet, sync::Mutex, time::Duration};

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};

use super::{
    clock::{Clock, http_date},
    demo::LEGAL_ENTITIES,
    jwt::{self, Signer},
    reply::{Reply, strip_nulls},
    state::lock,
    tenant::{Login, User},
};

/// Audience claim of every token.
const AUDIENCE: &str = "youniumapi";
/// Tenant claim of every token.
const TENANT: &str = "nordlys";
/// The OAuth client the legacy password grant requires.
const LEGACY_CLIENT: &str = "apiclient";
/// Scopes the legacy grant grants when asked for none.
const LEGACY_SCOPES: [&str; 4] = ["openid", "youniumapi", "profile", "offline_access"];

/// Which token endpoint was called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenEndpoint {
    V1,
    V2,
    Legacy,
}

impl TokenEndpoint {
    /// Recognises a token path, ignoring case and a trailing slash.
    pub(crate) fn from_path(path: &str) -> Option<TokenEndpoint> {
        let path = path.trim_end_matches('/').to_ascii_lowercase();
        match path.as_str() {
            "/auth/token" => Some(TokenEndpoint::V1),
            "/auth/v2/token" => Some(TokenEndpoint::V2),
            "/connect/token" => Some(TokenEndpoint::Legacy),
            _ => None,
        }
    }
}

/// How a token was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Api,
    Legacy,
}

/// Who is calling, from a valid token.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Principal {
    pub user: &'static User,
    pub kind: TokenKind,
    /// The legal entity a legacy login chose; API tokens carry none.
    pub legal_entity: Option<usize>,
}

/// Why a call is not authenticated; each becomes a 401 with a `WWW-Authenticate` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AuthFailure {
    Missing,
    Malformed,
    ForeignIssuer(String),
    BadSignature,
    Expired(i64),
    NotYetValid(i64),
    Revoked,
    UnknownUser,
    LegacyNotAccepted,
}

impl AuthFailure {
    fn description(&self) -> Option<String> {
        Some(match self {
            AuthFailure::Missing => return None,
            AuthFailure::Malformed => "The token is malformed".to_owned(),
            AuthFailure::ForeignIssuer(issuer) => format!(
                "The issuer '{issuer}' is invalid: the token was issued by another environment"
            ),
            AuthFailure::BadSignature => "The signature is invalid".to_owned(),
            AuthFailure::Expired(exp) => format!("The token expired at '{}'", http_date(*exp)),
            AuthFailure::NotYetValid(nbf) => {
                format!("The token is not valid before '{}'", http_date(*nbf))
            }
            AuthFailure::Revoked => "The token has been revoked".to_owned(),
            AuthFailure::UnknownUser => "The token's user does not exist in this tenant".to_owned(),
            AuthFailure::LegacyNotAccepted => {
                "Legacy (username/password) tokens are not accepted here; use an API token"
                    .to_owned()
            }
        })
    }

    /// 401 without a body, explained in `WWW-Authenticate` the way ASP.NET's JWT handler does.
    /// The spec documents no 401 body; the header is the notes' plausible guess.
    pub(crate) fn reply(&self) -> Reply {
        let challenge = match self.description() {
            None => "Bearer".to_owned(),
            Some(description) => format!(
                "Bearer error=\"invalid_token\", error_description=\"{}\"",
                description.replace('"', "'")
            ),
        };
        Reply::empty(StatusCode::UNAUTHORIZED).header(header::WWW_AUTHENTICATE, challenge)
    }
}

/// Issues and checks this instance's tokens, and remembers revocations.
pub(crate) struct Tokens {
    signer: Signer,
    issuer: String,
    api_ttl: Duration,
    legacy_ttl: Duration,
    clock: Clock,
    book: Mutex<TokenBook>,
}

/// A freshly signed token and its lifetime.
struct Issued {
    token: String,
    lifetime_seconds: i64,
    expires_at: i64,
}

#[derive(Default)]
struct TokenBook {
    live: HashSet<String>,
    revoked: HashSet<String>,
}

impl Tokens {
    pub(crate) fn new(
        issuer: String,
        api_ttl: Duration,
        legacy_ttl: Duration,
        clock: Clock,
    ) -> std::io::Result<Tokens> {
        Ok(Tokens {
            signer: Signer::generate()?,
            issuer,
            api_ttl,
            legacy_ttl,
            clock,
            book: Mutex::new(TokenBook::default()),
        })
    }

    /// Every token issued so far fails from now on.
    pub(crate) fn revoke_all(&self) {
        let mut book = lock(&self.book);
        let live = std::mem::take(&mut book.live);
        book.revoked.extend(live);
    }

    fn issue(
        &self,
        user: &User,
        kind: TokenKind,
        legal_entity: Option<usize>,
        client_id: &str,
    ) -> Issued {
        let ttl = match kind {
            TokenKind::Api => self.api_ttl,
            TokenKind::Legacy => self.legacy_ttl,
        };
        let lifetime = ttl.as_secs().max(1) as i64;
        let issued_at = self.clock.now_unix();
        let expires = issued_at + lifetime;
        let token_id = uuid::Uuid::new_v4().to_string();
        let mut claims = json!({
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": user.id,
            "email": user.email,
            "client_id": client_id,
            "tenant": TENANT,
            "auth": match kind { TokenKind::Api => "api_token", TokenKind::Legacy => "legacy" },
            "legal_entity": legal_entity.map(|e| LEGAL_ENTITIES[e].id),
            "jti": token_id,
            "iat": issued_at,
            "nbf": issued_at,
            "exp": expires,
        });
        strip_nulls(&mut claims);
        lock(&self.book).live.insert(token_id);
        Issued {
            token: self.signer.sign(&claims),
            lifetime_seconds: lifetime,
            expires_at: expires,
        }
    }

    /// Checks the `Authorization` header of an API call.
    pub(crate) fn authenticate(&self, headers: &HeaderMap) -> Result<Principal, AuthFailure> {
        let token = bearer(headers).ok_or(AuthFailure::Missing)?;
        let decoded = jwt::decode(token).ok_or(AuthFailure::Malformed)?;
        let issuer = decoded.text("iss").unwrap_or_default();
        if issuer != self.issuer {
            return Err(AuthFailure::ForeignIssuer(issuer.to_owned()));
        }
        if !self.signer.verify(&decoded) {
            return Err(AuthFailure::BadSignature);
        }
        let now = self.clock.now_unix();
        let expires = decoded.seconds("exp").ok_or(AuthFailure::Malformed)?;
        if now >= expires {
            return Err(AuthFailure::Expired(expires));
        }
        if let Some(not_before) = decoded.seconds("nbf").filter(|nbf| now < *nbf) {
            return Err(AuthFailure::NotYetValid(not_before));
        }
        if lock(&self.book)
            .revoked
            .contains(decoded.text("jti").unwrap_or_default())
        {
            return Err(AuthFailure::Revoked);
        }
        let user = decoded
            .text("sub")
            .and_then(User::by_id)
            .ok_or(AuthFailure::UnknownUser)?;
        let kind = match decoded.text("auth") {
            Some("legacy") => TokenKind::Legacy,
            _ => TokenKind::Api,
        };
        let legal_entity = decoded.text("legal_entity").and_then(|id| {
            LEGAL_ENTITIES
                .iter()
                .position(|e| e.id.eq_ignore_ascii_case(id))
        });
        Ok(Principal {
            user,
            kind,
            legal_entity,
        })
    }

    /// Whether the request carries a token whose `exp` has passed, signature unchecked.
    pub(crate) fn carries_expired_token(&self, headers: &HeaderMap) -> bool {
        bearer(headers)
            .and_then(jwt::decode)
            .and_then(|token| token.seconds("exp"))
            .is_some_and(|exp| self.clock.now_unix() >= exp)
    }

    /// Answers a token request (the caller has already waited and counted it).
    pub(crate) fn exchange(&self, endpoint: TokenEndpoint, body: &[u8]) -> Reply {
        match endpoint {
            TokenEndpoint::V1 | TokenEndpoint::V2 => self.api_token(endpoint, body),
            TokenEndpoint::Legacy => self.password_grant(body),
        }
    }

    fn api_token(&self, endpoint: TokenEndpoint, body: &[u8]) -> Reply {
        let (client_id, given_secret) = match read_credentials(body) {
            Ok(credentials) => credentials,
            Err(message) => return token_errors(StatusCode::BAD_REQUEST, &message),
        };
        let user = User::by_client(&client_id).filter(
            |user| matches!(user.login, Login::ApiToken { secret, .. } if secret == given_secret),
        );
        let Some(user) = user else {
            return token_errors(StatusCode::UNAUTHORIZED, "Invalid client credentials");
        };
        let issued = self.issue(user, TokenKind::Api, None, &client_id);
        let refresh = uuid::Uuid::new_v4().to_string();
        let answer = match endpoint {
            TokenEndpoint::V2 => json!({
                "access_token": issued.token,
                "refresh_token": refresh,
                "expires_in": issued.lifetime_seconds,
                "expires": http_date(issued.expires_at),
            }),
            _ => json!({
                "expires": http_date(issued.expires_at),
                "expiresIn": issued.lifetime_seconds,
                "accessToken": issued.token,
                "refreshToken": refresh,
            }),
        };
        no_store(Reply::json(StatusCode::OK, &answer))
    }

    /// The IdentityServer-style password grant. Failure bodies follow OAuth 2 (`error`,
    /// `error_description`); an unknown `legal_entity` is refused as `invalid_grant` (a guess).
    fn password_grant(&self, body: &[u8]) -> Reply {
        let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
        let field = |name: &str| {
            form.iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        match field("grant_type") {
            None => return oauth_error("invalid_request", Some("grant_type is missing")),
            Some("password") => {}
            Some(_) => return oauth_error("unsupported_grant_type", None),
        }
        if field("client_id") != Some(LEGACY_CLIENT) {
            return oauth_error("invalid_client", None);
        }
        let scopes: Vec<&str> = field("scope")
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        if scopes.iter().any(|s| !LEGACY_SCOPES.contains(s)) {
            return oauth_error("invalid_scope", None);
        }
        let (Some(username), Some(password)) = (field("username"), field("password")) else {
            return oauth_error(
                "invalid_request",
                Some("username and password are required"),
            );
        };
        let user = User::by_username(username).filter(|user| {
            matches!(user.login, Login::Password { password: expected, .. } if expected == password)
        });
        let Some(user) = user else {
            return oauth_error("invalid_grant", Some("invalid_username_or_password"));
        };
        let legal_entity = match field("legal_entity").filter(|v| !v.is_empty()) {
            None => 0,
            Some(wanted) => match find_legal_entity(wanted) {
                Some(entity) if user.role_in(entity).is_some() => entity,
                _ => return oauth_error("invalid_grant", Some("invalid_legal_entity")),
            },
        };
        let issued = self.issue(user, TokenKind::Legacy, Some(legal_entity), LEGACY_CLIENT);
        let granted = if scopes.is_empty() {
            LEGACY_SCOPES[..3].join(" ")
        } else {
            scopes.join(" ")
        };
        no_store(Reply::json(
            StatusCode::OK,
            &json!({
                "access_token": issued.token,
                "expires_in": issued.lifetime_seconds,
                "token_type": "Bearer",
                "scope": granted,
            }),
        ))
    }
}

/// Finds a legal entity by GUID or by exact name, both ignoring case.
pub(crate) fn find_legal_entity(wanted: &str) -> Option<usize> {
    let wanted_lower = wanted.to_lowercase();
    LEGAL_ENTITIES
        .iter()
        .position(|e| e.id.eq_ignore_ascii_case(wanted) || e.name.to_lowercase() == wanted_lower)
}

/// The bearer token of a request, if it has one.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// `{"clientId", "secret"}` with member names matched case-insensitively, as ASP.NET does.
fn read_credentials(body: &[u8]) -> Result<(String, String), String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("A non-empty request body is required.".to_owned());
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| format!("The request body is not valid JSON: {e}"))?;
    let Value::Object(object) = value else {
        return Err("The request body must be a JSON object with clientId and secret.".to_owned());
    };
    let member = |name: &str| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .and_then(|(_, value)| value.as_str())
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    };
    match (member("clientId"), member("secret")) {
        (Some(client_id), Some(secret)) => Ok((client_id, secret)),
        (None, _) => Err("The clientId field is required.".to_owned()),
        (_, None) => Err("The secret field is required.".to_owned()),
    }
}

fn token_errors(status: StatusCode, message: &str) -> Reply {
    Reply::json(status, &json!({ "errors": [message] }))
}

fn oauth_error(error: &str, description: Option<&str>) -> Reply {
    let mut body = json!({ "error": error });
    if let Some(description) = description {
        body["error_description"] = json!(description);
    }
    no_store(Reply::json(StatusCode::BAD_REQUEST, &body))
}

fn no_store(reply: Reply) -> Reply {
    reply
        .header(header::CACHE_CONTROL, "no-store, no-cache")
        .header(header::PRAGMA, "no-cache")
}

/// A 200 answer to a token request that is not a token answer: truncated JSON or an HTML page,
/// like a misbehaving gateway might send.
pub(crate) fn malformed_answer(rng: &mut fastrand::Rng) -> Reply {
    if rng.bool() {
        Reply::with_body(
            StatusCode::OK,
            "application/json; charset=utf-8",
            "{\"expires\":\"Thu, 21 Mar 2024 11:12:01 GMT\",\"expiresIn\":86400,\"accessToken\":\"eyJhbGciOiJIUzI1NiIs".to_owned(),
        )
    } else {
        Reply::with_body(
            StatusCode::OK,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Please sign in</h1></body></html>".to_owned(),
        )
    }
}
