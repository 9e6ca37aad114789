//! POST, PATCH and DELETE: body checks the way ASP.NET reports them (media type, JSON syntax
//! with position, required fields keyed by name), then changes to the in-memory data.
//!
//! A created record is the request body plus what the server adds (id, number, timestamps,
//! defaults), with a few renames the real response models have (`currency` → `currencyCode` on
//! accounts, LookupKeys resolved to account references on subscriptions).

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Map, Value, json};

use younium::Method;

mod body_check;

pub(crate) use body_check::schema_errors;

use super::{
    api::{ApiRequest, unknown_id},
    data::{account_ref, guid},
    demo::LEGAL_ENTITIES,
    reply::{
        FieldErrors, Reply, field_error, strip_nulls, unsupported_media_type, validation_problem,
    },
    resources::Resource,
    state::Shared,
    store::{Record, Store, Table},
};

/// `POST /{resource}` → 201 with the created record.
pub(crate) fn create(
    shared: &Shared,
    request: &ApiRequest<'_>,
    entity: usize,
    resource: Resource,
) -> Reply {
    let mut fields = match read_object(request, resource) {
        Ok(fields) => fields,
        Err(reply) => return reply,
    };
    let errors = schema_errors(request, Method::Post, &mut fields);
    if !errors.is_empty() {
        return validation_problem(errors, request.trace_id);
    }
    let id = shared.with_rng(guid);
    let mut store = shared.store_mut();
    if let Err(errors) = resolve_account_fields(&store, entity, resource, &mut fields) {
        return validation_problem(errors, request.trace_id);
    }
    let Some(table) = store.table_mut(entity, resource) else {
        return Reply::empty(StatusCode::FORBIDDEN);
    };
    if resource == Resource::Currency
        && let Some(code) = fields.get("code").and_then(Value::as_str)
        && table.records.iter().any(|r| {
            r.value()["code"]
                .as_str()
                .is_some_and(|c| c.eq_ignore_ascii_case(code))
        })
    {
        return validation_problem(
            field_error(
                "code",
                format!("Currency '{}' already exists.", code.to_uppercase()),
            ),
            request.trace_id,
        );
    }
    let mut created = Map::new();
    created.insert("id".into(), json!(id));
    if let Some((field, prefix)) = resource.number_field() {
        created.insert(
            field.into(),
            json!(format!("{prefix}{:06}", table.take_number())),
        );
    }
    rename(resource, &mut fields);
    if resource == Resource::Subscriptions && !fields.contains_key("invoiceAccount") {
        let account = fields.get("account").cloned().unwrap_or(Value::Null);
        fields.insert("invoiceAccount".into(), account);
    }
    fields.remove("id");
    created.extend(fields);
    for (name, value) in defaults(resource, entity) {
        created.entry(name).or_insert(value);
    }
    created.insert("created".into(), json!(shared.clock.record_now()));
    created.insert("modified".into(), json!(shared.clock.record_now()));
    let mut value = Value::Object(created);
    strip_nulls(&mut value);
    keep_declared(resource, &mut value);
    let record = Record::from_value(resource, &value);
    let body = answer_of_create(request, &id).unwrap_or_else(|| record.json.to_string());
    table.records.push(record);
    Reply::json_text(StatusCode::CREATED, body).header(
        header::LOCATION,
        format!("{}/{}/{id}", shared.base_url, resource.segment()),
    )
}

/// A record without the fields its schema does not have, where the spec closes it
/// (`additionalProperties: false`: a currency has no `created`).
fn keep_declared(resource: Resource, value: &mut Value) {
    let path = format!("/{}/x", resource.segment());
    let catalog = younium::catalog::catalog();
    let Some(schema) = catalog
        .find(Method::Get, &path)
        .and_then(|op| op.response_schema())
    else {
        return;
    };
    let schema = catalog.schemas().resolve(schema);
    if let (true, Some(object)) = (schema.closed, value.as_object_mut()) {
        object.retain(|name, _| schema.property(name).is_some());
    }
}

/// What `POST` answers when the spec documents an answer other than the record: an
/// `EventResponse` (`POST /Products`) holds the new id.
fn answer_of_create(request: &ApiRequest<'_>, id: &str) -> Option<String> {
    let op = younium::catalog::catalog().find(Method::Post, request.path)?;
    let name = &op.response.as_ref()?.schema;
    (name == "EventResponse").then(|| json!({"id": id}).to_string())
}

/// `PATCH /{resource}/{id}` with JSON merge-patch semantics → 200 with the merged record.
pub(crate) fn patch(
    shared: &Shared,
    request: &ApiRequest<'_>,
    entity: usize,
    resource: Resource,
    id: &str,
) -> Reply {
    let mut fields = match read_object(request, resource) {
        Ok(fields) => fields,
        Err(reply) => return reply,
    };
    let errors = schema_errors(request, Method::Patch, &mut fields);
    if !errors.is_empty() {
        return validation_problem(errors, request.trace_id);
    }
    let mut store = shared.store_mut();
    if let Err(errors) = resolve_account_fields(&store, entity, resource, &mut fields) {
        return validation_problem(errors, request.trace_id);
    }
    rename(resource, &mut fields);
    let Some(table) = store.table_mut(entity, resource) else {
        return Reply::empty(StatusCode::FORBIDDEN);
    };
    let Some(position) = table.position(id) else {
        return unknown_id(resource, id, request.trace_id);
    };
    let mut value = table.records[position].value();
    fields.remove("id");
    fields.insert("modified".into(), json!(shared.clock.record_now()));
    merge_patch(&mut value, Value::Object(fields));
    let record = Record::from_value(resource, &value);
    let body = record.json.to_string();
    table.records[position] = record;
    // The spec documents 204 for some (bookings, products): no body then.
    let documented = younium::catalog::catalog()
        .find(Method::Patch, request.path)
        .map(crate::spec::documented);
    if documented == Some(StatusCode::NO_CONTENT) {
        return Reply::empty(StatusCode::NO_CONTENT);
    }
    Reply::json_text(StatusCode::OK, body)
}

/// `DELETE /{resource}/{id}` → 200 without a body.
pub(crate) fn delete(
    shared: &Shared,
    request: &ApiRequest<'_>,
    entity: usize,
    resource: Resource,
    id: &str,
) -> Reply {
    let mut store = shared.store_mut();
    let Some(table) = store.table_mut(entity, resource) else {
        return Reply::empty(StatusCode::FORBIDDEN);
    };
    match table.position(id) {
        Some(position) => {
            table.records.remove(position);
            Reply::empty(StatusCode::OK)
        }
        None => unknown_id(resource, id, request.trace_id),
    }
}

/// The body as a JSON object, or the reply ASP.NET would give instead.
fn read_object(request: &ApiRequest<'_>, resource: Resource) -> Result<Map<String, Value>, Reply> {
    let body = request.body;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(validation_problem(
            field_error("", "A non-empty request body is required."),
            request.trace_id,
        ));
    }
    if !is_json(request.headers) {
        return Err(unsupported_media_type(request.trace_id));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(validation_problem(
            field_error(
                "$",
                format!(
                    "The JSON value could not be converted to {}. Path: $ | LineNumber: 0 | BytePositionInLine: 1.",
                    resource.create_model()
                ),
            ),
            request.trace_id,
        )),
        Err(error) => {
            let message = error.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            Err(validation_problem(
                field_error(
                    "$",
                    format!(
                        "The request body is not valid JSON: {message}. Path: $ | LineNumber: {} | BytePositionInLine: {}.",
                        error.line().saturating_sub(1),
                        error.column().saturating_sub(1)
                    ),
                ),
                request.trace_id,
            ))
        }
    }
}

/// `application/json`, `text/json` or any `+json` type such as `application/merge-patch+json`.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let media = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    media == "application/json" || media == "text/json" || media.ends_with("+json")
}

/// The text of a LookupKey: a non-empty string or the `value` of `{"key", "value"}`.
fn lookup_text(value: &Value) -> Option<&str> {
    match value {
        Value::String(text) => Some(text.as_str()),
        Value::Object(object) => object.get("value").and_then(Value::as_str),
        _ => None,
    }
    .filter(|text| !text.trim().is_empty())
}

/// Resolves an account LookupKey (GUID, account number, or `{"key": field, "value": …}`) to the
/// reference subscriptions embed. None or several matches answer 400, as the docs describe.
fn resolve_account(accounts: &Table, field: &str, lookup: &Value) -> Result<Value, FieldErrors> {
    let wanted = lookup_text(lookup).unwrap_or_default();
    let key = lookup.get("key").and_then(Value::as_str);
    let matches: Vec<Value> = match key {
        None => accounts
            .find(wanted)
            .map(Record::value)
            .into_iter()
            .collect(),
        Some(key) => accounts
            .records
            .iter()
            .map(Record::value)
            .filter(|account| {
                account
                    .as_object()
                    .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
                    .and_then(|(_, v)| v.as_str())
                    .is_some_and(|v| v.eq_ignore_ascii_case(wanted))
            })
            .collect(),
    };
    match matches.as_slice() {
        [account] => Ok(account_ref(account)),
        [] => Err(field_error(
            field,
            format!("No account could be found for '{wanted}'."),
        )),
        _ => Err(field_error(
            field,
            format!("More than one account matches '{wanted}'."),
        )),
    }
}

/// Replaces a subscription body's `account` and `invoiceAccount` LookupKeys by account
/// references.
fn resolve_account_fields(
    store: &Store,
    entity: usize,
    resource: Resource,
    fields: &mut Map<String, Value>,
) -> Result<(), FieldErrors> {
    if resource == Resource::Accounts {
        return resolve_currency(store, entity, fields);
    }
    if resource != Resource::Subscriptions {
        return Ok(());
    }
    let Some(accounts) = store.table(entity, Resource::Accounts) else {
        return Ok(());
    };
    for field in ["account", "invoiceAccount"] {
        if let Some(lookup) = fields.get(field).filter(|v| !v.is_null()) {
            let reference = resolve_account(accounts, field, lookup)?;
            fields.insert(field.into(), reference);
        }
    }
    Ok(())
}

/// An account's `currency` LookupKey (the currency's id, its code, or `{"key", "value"}`)
/// replaced by the code of the currency it names, which the account then shows as
/// `currencyCode`. A currency the legal entity does not have answers 400.
fn resolve_currency(
    store: &Store,
    entity: usize,
    fields: &mut Map<String, Value>,
) -> Result<(), FieldErrors> {
    let (Some(lookup), Some(currencies)) = (
        fields.get("currency").filter(|v| !v.is_null()),
        store.table(entity, Resource::Currency),
    ) else {
        return Ok(());
    };
    let wanted = lookup_text(lookup).unwrap_or_default();
    let key = lookup.get("key").and_then(Value::as_str);
    let field_is = |record: &Value, name: &str| {
        record
            .as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
            .and_then(|(_, v)| v.as_str())
            .is_some_and(|v| v.eq_ignore_ascii_case(wanted))
    };
    let found = currencies
        .records
        .iter()
        .map(Record::value)
        .find(|c| match key {
            Some(key) => field_is(c, key),
            None => field_is(c, "id") || field_is(c, "code"),
        });
    match found.as_ref().and_then(|c| c["code"].as_str()) {
        Some(code) => {
            fields.insert("currency".into(), json!(code));
            Ok(())
        }
        None => Err(field_error(
            "currency",
            format!("No currency could be found for '{wanted}'."),
        )),
    }
}

/// Request members whose response counterpart has another name or shape.
fn rename(resource: Resource, fields: &mut Map<String, Value>) {
    match resource {
        Resource::Accounts => {
            if let Some(currency) = fields.remove("currency") {
                let code = lookup_text(&currency).map(str::to_uppercase);
                fields.insert("currencyCode".into(), json!(code));
            }
        }
        Resource::Payments => {
            if let Some(method) = fields.remove("paymentMethod") {
                fields.insert("paymentMethodName".into(), json!(lookup_text(&method)));
            }
            if let Some(amount) = fields.get("amount").and_then(Value::as_f64) {
                let currency = fields
                    .get("currency")
                    .and_then(lookup_text)
                    .map(str::to_owned);
                fields.insert(
                    "amount".into(),
                    json!({"amount": amount, "currencyCode": currency}),
                );
            }
        }
        Resource::Currency => {
            if let Some(code) = fields
                .get("code")
                .and_then(Value::as_str)
                .map(str::to_uppercase)
            {
                fields.insert("code".into(), json!(code));
            }
        }
        _ => {}
    }
}

/// What the server fills in when a create request leaves it out.
fn defaults(resource: Resource, entity: usize) -> Vec<(&'static str, Value)> {
    let zero = || json!({"amount": 0.0, "baseCurrencyAmount": 0.0});
    match resource {
        Resource::Accounts => vec![
            ("accountType", json!("Customer")),
            ("inactive", json!(false)),
            ("invoiceDeliveryMethod", json!("Email")),
            ("customFields", json!({})),
            ("cmrr", zero()),
            ("acv", zero()),
            ("tcv", zero()),
        ],
        Resource::Subscriptions => vec![
            ("version", json!(1)),
            ("isLastVersion", json!(true)),
            ("orderType", json!("Subscription")),
            ("products", json!([])),
            ("milestones", json!([])),
            ("orderDiscounts", json!([])),
            ("customFields", json!({})),
        ],
        Resource::Products => vec![
            ("productType", json!("Simple")),
            ("isFrameworkProduct", json!(false)),
            ("legalEntityId", json!(LEGAL_ENTITIES[entity].id)),
            ("chargePlans", json!([])),
            ("customFields", json!({})),
        ],
        Resource::Webhooks => vec![("webhookStatus", json!("Enabled"))],
        Resource::PaymentTerms => vec![("termType", json!("NetDays"))],
        _ => Vec::new(),
    }
}

/// RFC 7396: objects merge member by member, `null` removes, anything else replaces.
fn merge_patch(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (name, value) in patch {
                if value.is_null() {
                    target.remove(&name);
                } else {
                    merge_patch(target.entry(name).or_insert(Value::Null), value);
                }
            }
        }
        (target, patch) => *target = patch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut target = json!({"a": 1, "b": {"c": 2, "d": 3}, "e": [1]});
        merge_patch(
            &mut target,
            json!({"a": null, "b": {"c": 5}, "e": [2], "f": "new"}),
        );
        assert_eq!(target, json!({"b": {"c": 5, "d": 3}, "e": [2], "f": "new"}));
    }
}
