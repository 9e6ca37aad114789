//! API calls: routing (case-insensitive, like ASP.NET), the checks every call passes in
//! Younium's order (route, `api-version`, token, legal entity, permission) and the read
//! operations. Writes live in `writes.rs`.

use axum::http::{HeaderMap, HeaderName, Method, StatusCode, header};
use serde_json::json;

use super::{
    auth::{AuthFailure, Principal, TokenKind, find_legal_entity},
    idempotency::Claim,
    insights,
    paging::{ApiVersion, ListAnswer, parse_list_query},
    reply::{Reply, field_error, not_found, problem_reply, validation_problem},
    resources::Resource,
    spec,
    state::Shared,
    store::{Record, Table},
    synthetic,
    tenant::{Permission, roles_json},
    v3::{self, V3Route},
    writes,
};

/// The parts of a request an API call needs.
pub(crate) struct ApiRequest<'a> {
    pub method: &'a Method,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    pub trace_id: &'a str,
}

/// Where a path leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route<'a> {
    Collection(Resource),
    Item(Resource, &'a str),
    /// `/Accounts/{id}/Invoices` or `/Accounts/{id}/Subscriptions`.
    AccountChildren(&'a str, Resource),
    Roles,
    Role(&'a str),
    /// `/Users/ByRole/{roleId}`.
    UsersByRole(&'a str),
    Insights(&'a str),
    /// The v3 data-export API (see `v3.rs`).
    V3(V3Route<'a>),
    /// The made-up lists of `synthetic.rs` (a simulator extension); `true`: the v3 one.
    Synthetic(bool),
    /// An operation the spec documents at this path template and the routes above do not
    /// answer (see `spec`).
    Spec(&'static str),
}

impl Route<'_> {
    fn methods(self) -> Vec<Method> {
        if let Route::Spec(template) = self {
            return spec::methods(template);
        }
        let mut methods = vec![Method::GET];
        match self {
            Route::Collection(resource) if resource.can_create() => methods.push(Method::POST),
            Route::Item(resource, _) => {
                if resource.can_patch() {
                    methods.push(Method::PATCH);
                }
                if resource.can_delete() {
                    methods.push(Method::DELETE);
                }
            }
            _ => {}
        }
        methods
    }
}

/// The hand-written route of a path, else the spec's; a literal path of the spec wins over a
/// record id (`/Currency/BaseCurrency` is not the currency with id `BaseCurrency`).
fn route(path: &str) -> Option<Route<'_>> {
    // The spec's templates are searched only where the hand-written routes may give way.
    match hand_route(path) {
        Some(route @ Route::Item(..)) => match spec::template_for(path) {
            Some(template) if spec::is_literal(template) => Some(Route::Spec(template)),
            _ => Some(route),
        },
        Some(route) => Some(route),
        None => spec::template_for(path).map(Route::Spec),
    }
}

fn hand_route(path: &str) -> Option<Route<'_>> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is = |segment: &str, name: &str| segment.eq_ignore_ascii_case(name);
    match segments.as_slice() {
        [name] if is(name, synthetic::SEGMENT) => return Some(Route::Synthetic(false)),
        [v3, name] if is(v3, "v3") && is(name, synthetic::SEGMENT) => {
            return Some(Route::Synthetic(true));
        }
        _ => {}
    }
    // A v3 relation URL as the records give it has no `/v3`; where the 2.1 spec documents
    // that path itself (`/Subscriptions/{id}/milestones`), the 2.1 operation answers.
    if let Some(v3) = v3::route(&segments) {
        let prefixed = segments.first().is_some_and(|s| is(s, "v3"));
        if prefixed || spec::template_for(path).is_none() {
            return Some(Route::V3(v3));
        }
    }
    match segments.as_slice() {
        [insights, odata, set] if is(insights, "insights") && is(odata, "odata") => {
            Some(Route::Insights(set))
        }
        [users, roles] if is(users, "Users") && is(roles, "roles") => Some(Route::Roles),
        [users, roles, id] if is(users, "Users") && is(roles, "roles") => Some(Route::Role(id)),
        [users, by_role, id] if is(users, "Users") && is(by_role, "ByRole") => {
            Some(Route::UsersByRole(id))
        }
        [collection] => Resource::from_segment(collection).map(Route::Collection),
        [collection, id] => Resource::from_segment(collection).map(|r| Route::Item(r, id)),
        [accounts, id, child] if is(accounts, "Accounts") => match Resource::from_segment(child) {
            Some(child @ (Resource::Invoices | Resource::Subscriptions)) => {
                Some(Route::AccountChildren(id, child))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Answers one API call (faults and latency are handled before this).
pub(crate) fn handle(shared: &Shared, request: &ApiRequest<'_>) -> Reply {
    let Some(route) = route(request.path) else {
        return not_found(request.trace_id);
    };
    let methods = route.methods();
    if !methods.contains(request.method) {
        let allow: Vec<&str> = methods.iter().map(Method::as_str).collect();
        return Reply::empty(StatusCode::METHOD_NOT_ALLOWED)
            .header(header::ALLOW, allow.join(", "));
    }
    let reply = match checked(shared, request, route) {
        Ok(reply) | Err(reply) => reply,
    };
    reply.header(
        HeaderName::from_static("api-supported-versions"),
        "2.0, 2.1",
    )
}

/// A 403 without a body: the spec documents none (the notes rate the body a guess).
fn forbidden() -> Reply {
    Reply::empty(StatusCode::FORBIDDEN)
}

fn checked(shared: &Shared, request: &ApiRequest<'_>, route: Route<'_>) -> Result<Reply, Reply> {
    // v3 is a URL prefix, not an api-version value: the header is not read there.
    let version = match route {
        Route::V3(_) | Route::Synthetic(_) => ApiVersion::V2_1,
        _ => api_version(shared, request)?,
    };
    let principal = shared
        .tokens
        .authenticate(request.headers)
        .map_err(|f| f.reply())?;
    if matches!(route, Route::Insights(_)) && principal.kind == TokenKind::Legacy {
        return Err(AuthFailure::LegacyNotAccepted.reply());
    }
    let entity = legal_entity(request.headers, &principal)?;
    let call = Call {
        shared,
        request,
        principal,
        version,
    };
    // Users and roles cover the whole tenant, so they work without a `legal-entity` header
    // (the notes rate this "probably"); a header, if sent, must still be valid.
    match (route, entity) {
        (Route::Collection(Resource::Users), _) => {
            call.require(entity, Permission::UserView)?;
            Ok(call.list(shared.store().users(), Resource::Users, |_| true))
        }
        (Route::Item(Resource::Users, id), _) => {
            call.require(entity, Permission::UserView)?;
            Ok(call.one(shared.store().users(), Resource::Users, id))
        }
        (Route::UsersByRole(role), _) => {
            call.require(entity, Permission::UserView)?;
            let has_role = |user: &Record| {
                user.value()["roles"].as_array().is_some_and(|roles| {
                    roles.iter().any(|r| {
                        r["id"]
                            .as_str()
                            .is_some_and(|id| id.eq_ignore_ascii_case(role))
                    })
                })
            };
            Ok(call.list(shared.store().users(), Resource::Users, has_role))
        }
        (Route::Roles, _) => {
            call.require(entity, Permission::UserView)?;
            let roles = role_table(entity);
            Ok(call.render_list(&roles, "No roles could be found", false, |_| true))
        }
        (Route::Role(id), _) => {
            call.require(entity, Permission::UserView)?;
            Ok(call.one(&role_table(entity), Resource::Users, id))
        }
        // Everything else belongs to one legal entity: with none given, Younium answers 403.
        (_, None) => Err(forbidden()),
        (Route::Insights(set), Some(entity)) => {
            call.require(Some(entity), Permission::ReportView)?;
            Ok(insights::answer(shared, entity, set, request.query))
        }
        (Route::Synthetic(v3), Some(_)) => {
            Ok(synthetic::answer(request.query, v3, request.trace_id))
        }
        (Route::V3(v3), Some(entity)) => {
            call.require(Some(entity), v3.resource().view_permission())?;
            Ok(v3::answer(shared, request, entity, v3))
        }
        (Route::AccountChildren(account, child), Some(entity)) => {
            call.children(entity, account, child)
        }
        (Route::Spec(template), Some(entity)) => spec::answer(&call, entity, template),
        (Route::Collection(resource), Some(entity)) => call.collection(entity, resource),
        (Route::Item(resource, id), Some(entity)) => call.item(entity, resource, id),
    }
}

/// Reads `api-version`; an unknown version, or several different ones, answer 400 the way
/// ASP.NET API versioning does.
fn api_version(shared: &Shared, request: &ApiRequest<'_>) -> Result<ApiVersion, Reply> {
    let mut requested: Vec<String> = request
        .headers
        .get_all("api-version")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .collect();
    requested.dedup();
    let versioning_problem = |kind: &str, title: &str, detail: String, code: &str| {
        problem_reply(
            StatusCode::BAD_REQUEST,
            json!({
                "type": format!("https://docs.api-versioning.org/problems#{kind}"),
                "title": title,
                "status": 400,
                "detail": detail,
                "code": code,
                "traceId": request.trace_id,
            }),
        )
    };
    if requested.len() > 1 {
        return Err(versioning_problem(
            "ambiguous",
            "Ambiguous API version",
            format!(
                "The following API versions were requested: {}. At most, only a single API version may be specified. Please update the intended API version and try again.",
                requested.join(", ")
            ),
            "AmbiguousApiVersion",
        ));
    }
    ApiVersion::from_header(requested.first().map(String::as_str)).map_err(|unsupported| {
        versioning_problem(
            "unsupported",
            "Unsupported API version",
            format!(
                "The HTTP resource that matches the request URI '{}{}' does not support the API version '{unsupported}'.",
                shared.base_url, request.path
            ),
            "UnsupportedApiVersion",
        )
    })
}

/// The legal entity of a call: the `legal-entity` header (GUID, or exact name ignoring case;
/// surrounding whitespace is already gone at the HTTP layer, inner spaces must match), else the
/// one a legacy token carries. Empty, unknown, or an entity where the user has no role: 403.
fn legal_entity(headers: &HeaderMap, principal: &Principal) -> Result<Option<usize>, Reply> {
    let entity = match headers.get("legal-entity") {
        Some(value) => {
            let wanted = std::str::from_utf8(value.as_bytes()).map_err(|_| forbidden())?;
            if wanted.is_empty() {
                return Err(forbidden());
            }
            find_legal_entity(wanted).ok_or_else(forbidden)?
        }
        None => match principal.legal_entity {
            Some(entity) => entity,
            None => return Ok(None),
        },
    };
    if principal.user.role_in(entity).is_none() {
        return Err(forbidden());
    }
    Ok(Some(entity))
}

fn role_table(entity: Option<usize>) -> Table {
    Table::new(
        roles_json(entity)
            .iter()
            .map(|role| Record::from_value(Resource::Users, role))
            .collect(),
    )
}

/// One authenticated call with its version decided.
pub(crate) struct Call<'a> {
    pub(crate) shared: &'a Shared,
    pub(crate) request: &'a ApiRequest<'a>,
    principal: Principal,
    version: ApiVersion,
}

impl Call<'_> {
    pub(crate) fn require(
        &self,
        entity: Option<usize>,
        permission: Permission,
    ) -> Result<(), Reply> {
        if self.principal.user.may(entity, permission) {
            Ok(())
        } else {
            Err(forbidden())
        }
    }

    fn collection(&self, entity: usize, resource: Resource) -> Result<Reply, Reply> {
        if self.request.method == Method::POST {
            self.require(Some(entity), resource.edit_permission())?;
            let create = || writes::create(self.shared, self.request, entity, resource);
            let claim = Claim::from_request("POST", self.request.path, self.request.headers);
            return Ok(match claim {
                Some(claim) => self
                    .shared
                    .idempotency
                    .answer(claim, &self.shared.clock, create),
                None => create(),
            });
        }
        self.require(Some(entity), resource.view_permission())?;
        let store = self.shared.store();
        let table = store.table(entity, resource).ok_or_else(forbidden)?;
        Ok(self.list(table, resource, |_| true))
    }

    fn item(&self, entity: usize, resource: Resource, id: &str) -> Result<Reply, Reply> {
        match *self.request.method {
            Method::PATCH => {
                self.require(Some(entity), resource.edit_permission())?;
                Ok(writes::patch(
                    self.shared,
                    self.request,
                    entity,
                    resource,
                    id,
                ))
            }
            Method::DELETE => {
                self.require(Some(entity), resource.edit_permission())?;
                Ok(writes::delete(
                    self.shared,
                    self.request,
                    entity,
                    resource,
                    id,
                ))
            }
            _ => {
                self.require(Some(entity), resource.read_permission())?;
                let store = self.shared.store();
                let table = store.table(entity, resource).ok_or_else(forbidden)?;
                Ok(self.one(table, resource, id))
            }
        }
    }

    fn children(&self, entity: usize, account: &str, child: Resource) -> Result<Reply, Reply> {
        self.require(Some(entity), Permission::AccountView)?;
        self.require(Some(entity), child.view_permission())?;
        let store = self.shared.store();
        let account_id = store
            .table(entity, Resource::Accounts)
            .and_then(|accounts| accounts.find(account))
            .map(|record| record.id.clone());
        let Some(account_id) = account_id else {
            return Ok(not_found(self.request.trace_id));
        };
        let table = store.table(entity, child).ok_or_else(forbidden)?;
        Ok(self.list(table, child, |record| {
            record.account_id.as_deref() == Some(account_id.as_str())
        }))
    }

    fn list(&self, table: &Table, resource: Resource, keep: impl Fn(&Record) -> bool) -> Reply {
        self.render_list(
            table,
            resource.nothing_found(),
            resource.always_bare(),
            keep,
        )
    }

    pub(crate) fn render_list(
        &self,
        table: &Table,
        nothing_found: &str,
        always_bare: bool,
        keep: impl Fn(&Record) -> bool,
    ) -> Reply {
        // Bare lists have no paging parameters to validate; they read 2.0's Skip/Take.
        let rules = if always_bare {
            ApiVersion::V2_0
        } else {
            self.version
        };
        let query = match parse_list_query(self.request.query, rules) {
            Ok(query) => query,
            Err(errors) => return validation_problem(errors, self.request.trace_id),
        };
        let selected = query.select(table.records.iter().filter(|r| keep(r)));
        let link_base = format!("{}{}", self.shared.base_url, self.request.path);
        ListAnswer {
            version: self.version,
            always_bare,
            link_base: &link_base,
            nothing_found,
            trace_id: self.request.trace_id,
        }
        .render(&selected, &query)
    }

    fn one(&self, table: &Table, resource: Resource, id: &str) -> Reply {
        match table.find(id) {
            Some(record) => Reply::json_text(StatusCode::OK, record.json.to_string()),
            None => unknown_id(resource, id, self.request.trace_id),
        }
    }
}

/// 404 ProblemDetails, or for webhooks the 400 the changelog describes.
pub(crate) fn unknown_id(resource: Resource, id: &str, trace_id: &str) -> Reply {
    if resource.unknown_id_is_bad_request() {
        validation_problem(
            field_error(
                "message",
                format!("No webhook with id '{id}' could be found"),
            ),
            trace_id,
        )
    } else {
        not_found(trace_id)
    }
}
