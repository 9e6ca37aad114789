//! The tenant's legal entities, listed from `GET /Users`: there is no endpoint that lists them,
//! but each user's roles carry the legal entity they apply in.

use serde::Serialize;

use super::LegalEntity;
use crate::paging::{PageInfo, with_page};
use crate::request::{
    self, ApiRequest, ApiVersion, CallSettings, Http, Method, Param, RequestError,
};
use crate::token::{Jwt, Token};

/// Where the list of legal entities came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DiscoverySource {
    /// `GET /Users`, every page.
    Users {
        /// Pages of `/Users` read.
        pages: u64,
        /// Users on them.
        users: usize,
        /// The user the token belongs to (email, user name or id), when found among them.
        current_user: Option<String>,
    },
    /// `/Users` could not be read; the entities are the ones typed or used before.
    Fallback {
        /// Why `/Users` gave no list ([`DiscoveryError`] as text).
        reason: String,
    },
}

/// The tenant's legal entities as [`discover`] found them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Discovery {
    /// Each entity once, with the roles the current user holds there when it is known.
    pub entities: Vec<LegalEntity>,
    /// Where the list came from, and so how far to trust it.
    pub source: DiscoverySource,
}

/// Who the token belongs to, from its claims, to find "me" among the users.
#[derive(Clone, Debug, Default)]
pub struct Me {
    /// The token's identifying claims (`sub`, `email`, `preferred_username`, `client_id`, …),
    /// in lower case, matched against a user's `id`, `email` and `userName`.
    pub ids: Vec<String>,
}

impl Me {
    /// The identifying claims of `jwt`; nobody (no ids) without one.
    pub fn from_jwt(jwt: Option<&Jwt>) -> Me {
        let ids = jwt
            .map(|j| {
                [
                    "sub",
                    "email",
                    "preferred_username",
                    "name",
                    "client_id",
                    "user_id",
                    "userId",
                ]
                .iter()
                .filter_map(|c| j.string_claim(c).map(str::to_ascii_lowercase))
                .collect()
            })
            .unwrap_or_default();
        Me { ids }
    }

    fn is(&self, user: &serde_json::Value) -> bool {
        ["id", "email", "userName"].iter().any(|k| {
            user.get(k)
                .and_then(|v| v.as_str())
                .is_some_and(|v| self.ids.contains(&v.to_ascii_lowercase()))
        })
    }
}

/// Lists the tenant's legal entities from `GET /Users` (all pages). When `/Users` is
/// forbidden or fails, falls back to `fallback` and says why.
pub async fn discover(
    http: &Http,
    base_url: &str,
    token: &Token,
    legal_entity: Option<&str>,
    me: &Me,
    fallback: &[LegalEntity],
) -> Discovery {
    match read_users(http, base_url, token, legal_entity, me).await {
        Ok(d) => d,
        Err(reason) => Discovery {
            entities: fallback.to_vec(),
            source: DiscoverySource::Fallback {
                reason: reason.to_string(),
            },
        },
    }
}

/// Why `GET /Users` gave no list of legal entities (the discovery falls back, saying this).
#[derive(Debug, thiserror::Error)]
pub enum DiscoveryError {
    /// No answer: the request could not be sent or the connection failed.
    #[error("GET /Users failed: {0}")]
    Send(#[from] RequestError),
    /// 403: the user may not list users.
    #[error(
        "GET /Users answered 403: your user lacks the User View permission, so the tenant's legal entities cannot be listed"
    )]
    NoUserView,
    /// Another error status.
    #[error("GET /Users answered {status}: {summary}")]
    Status {
        /// The status line (`500 Internal Server Error`).
        status: String,
        /// The server's message, or what the answer held.
        summary: String,
    },
    /// A success that is not JSON.
    #[error("GET /Users answered something that is not JSON: {0}")]
    NotJson(serde_json::Error),
    /// JSON, but neither a list of users nor a page of them.
    #[error("GET /Users answered JSON without a user list")]
    NoList,
}

async fn read_users(
    http: &Http,
    base_url: &str,
    token: &Token,
    legal_entity: Option<&str>,
    me: &Me,
) -> Result<Discovery, DiscoveryError> {
    let mut req = ApiRequest::new(Method::Get, "/Users");
    req.query.push(Param::new("PageSize", "100"));
    // /Users covers every legal entity; try without the header first, then with it.
    let mut settings = CallSettings {
        api_version: ApiVersion::V2_1,
        legal_entity: None,
    };
    let mut entities: Vec<LegalEntity> = Vec::new();
    let (mut pages, mut users, mut current_user) = (0u64, 0usize, None);
    let mut page = 1u64;
    loop {
        let r = request::send(
            http,
            base_url,
            &with_page(&req, page),
            &settings,
            Some(token),
        )
        .await?;
        if r.status == 403 && page == 1 && settings.legal_entity.is_none() && legal_entity.is_some()
        {
            settings.legal_entity = legal_entity.map(str::to_string);
            continue;
        }
        if r.status == 403 {
            return Err(DiscoveryError::NoUserView);
        }
        if r.is_empty_list() {
            break;
        }
        if !r.is_success() {
            return Err(DiscoveryError::Status {
                status: r.status_line(),
                summary: r.problem().summary().unwrap_or_default(),
            });
        }
        let body: serde_json::Value =
            serde_json::from_slice(&r.body).map_err(DiscoveryError::NotJson)?;
        let list = body
            .get("data")
            .or(Some(&body))
            .and_then(|d| d.as_array())
            .ok_or(DiscoveryError::NoList)?;
        pages += 1;
        for user in list {
            users += 1;
            let mine = me.is(user);
            if mine {
                current_user = ["email", "userName", "id"]
                    .iter()
                    .find_map(|k| user.get(k).and_then(|v| v.as_str()).map(str::to_string));
            }
            add_roles(&mut entities, user, mine);
        }
        match PageInfo::probe(&r.body) {
            Some(info) if info.has_next && page < 1000 => page += 1,
            _ => break,
        }
    }
    Ok(Discovery {
        entities,
        source: DiscoverySource::Users {
            pages,
            users,
            current_user,
        },
    })
}

/// The legal entities of one user's roles, added to `entities` (each once, by id); the names
/// of the roles too when the user is the one signed in.
fn add_roles(entities: &mut Vec<LegalEntity>, user: &serde_json::Value, mine: bool) {
    for role in user
        .get("roles")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
    {
        let (Some(id), name) = (
            role.get("legalEntityId").and_then(|v| v.as_str()),
            role.get("legalEntityName").and_then(|v| v.as_str()),
        ) else {
            continue;
        };
        let index = match entities.iter().position(|e| e.id.as_deref() == Some(id)) {
            Some(i) => i,
            None => {
                entities.push(LegalEntity {
                    name: name.unwrap_or(id).to_string(),
                    id: Some(id.to_string()),
                    roles: Vec::new(),
                });
                entities.len() - 1
            }
        };
        if mine && let Some(role_name) = role.get("name").and_then(|v| v.as_str()) {
            let roles = &mut entities[index].roles;
            if !roles.iter().any(|r| r == role_name) {
                roles.push(role_name.to_string());
            }
        }
    }
}
