//! The answers of the operations routed from the spec (see the module's documentation).

use axum::http::{Method, StatusCode};
use serde_json::{Map, Value};
use younium::catalog::{Operation, catalog};
use younium::schema::Schema;

use super::generate::Generator;
use super::links::Refs;
use super::{RECORDS, Shape, operation, shape};
use crate::api::Call;
use crate::reply::{Reply, field_error, not_found, strip_nulls, validation_problem};
use crate::store::{Record, Table};
use crate::tenant::Permission;

/// Answers a call the spec routes to `template`, for legal entity `entity`.
pub(crate) fn answer(
    call: &Call<'_>,
    entity: usize,
    template: &'static str,
) -> Result<Reply, Reply> {
    let method = call.request.method;
    let op = operation(method, template).ok_or_else(|| not_found(call.request.trace_id))?;
    if let Some(permission) = op.permission.as_deref().and_then(Permission::from_name) {
        call.require(Some(entity), permission)?;
    }
    if let Some(reply) = super::jobs::answer(call, entity, template) {
        return reply;
    }
    let path = call.request.path;
    Ok(match (method.clone(), shape(template, path)) {
        (Method::GET, Shape::Collection(key)) => {
            let tables = call.shared.spec_tables(entity, key);
            let table = tables.get(&(entity, key)).expect("made by spec_tables");
            call.render_list(table, &nothing_found(key), false, |_| true)
        }
        (Method::POST, Shape::Collection(key)) => create(call, op, entity, key)?,
        (Method::GET, Shape::Item { key, id }) => {
            let tables = call.shared.spec_tables(entity, key);
            match tables[&(entity, key)].find(id) {
                Some(record) => Reply::json_text(StatusCode::OK, record.json.to_string()),
                None => not_found(call.request.trace_id),
            }
        }
        (Method::PATCH, Shape::Item { key, id }) => patch(call, op, entity, key, id)?,
        (Method::DELETE, Shape::Item { key, id }) => {
            let mut tables = call.shared.spec_tables(entity, key);
            let table = tables.get_mut(&(entity, key)).expect("made by spec_tables");
            match table.position(id) {
                Some(at) => {
                    table.records.remove(at);
                    Reply::empty(documented(op))
                }
                None => not_found(call.request.trace_id),
            }
        }
        (Method::GET, _) => computed(call, entity, op),
        _ => action(call, op)?,
    })
}

/// The 2.1 message for an empty list: `No chart of accounts could be found` for
/// `/ChartOfAccounts` (the observed `No <plural> could be found`).
fn nothing_found(key: &str) -> String {
    let last = key.rsplit('/').next().unwrap_or(key);
    let mut words = String::new();
    for (i, c) in last.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    format!("No {words} could be found")
}

/// The first documented success status.
pub(crate) fn documented(op: &Operation) -> StatusCode {
    op.success
        .first()
        .and_then(|s| StatusCode::from_u16(*s).ok())
        .unwrap_or(StatusCode::OK)
}

/// The schema of one record of the list an operation answers: a page's `data` items or an
/// array's items. `None` for an answer that is no list (a few "paged" answers of the spec
/// hold one object in `data`).
pub(crate) fn list_item(op: &Operation) -> Option<&Schema> {
    let root = op.response_schema()?;
    let map = catalog().schemas();
    let resolved = map.resolve(root);
    let response = op.response.as_ref()?;
    let list = if response.paged {
        map.resolve(&resolved.property("data")?.schema)
    } else if response.array {
        resolved
    } else {
        return None;
    };
    list.items.as_deref()
}

/// A record made from `schema`: seeded by the place it is for (`seed`) and its position.
pub(crate) fn made(schema: &Schema, seed: u64, index: usize) -> Value {
    let mut value = Generator::new(catalog().schemas(), seed, index).value("", schema, 0);
    strip_nulls(&mut value);
    value
}

/// A record kept in the store: its `id` (and a `…Number` field as its other name).
pub(crate) fn to_record(value: &Value) -> Record {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let number = value.as_object().and_then(|o| {
        o.iter()
            .find(|(k, v)| k.ends_with("Number") && v.is_string())
            .and_then(|(_, v)| text(Some(v)))
    });
    Record {
        id: text(value.get("id")).unwrap_or_default(),
        number,
        account_id: None,
        json: value.to_string().into_boxed_str(),
    }
}

/// The records a collection starts with, their references pointing at the legal entity's
/// records.
pub(crate) fn made_table(key: &str, entity: usize, seed: u64, refs: &Refs) -> Table {
    let Some(schema) = operation(&Method::GET, key).and_then(list_item) else {
        return Table::default();
    };
    let seed = seed ^ fnv(key) ^ (entity as u64).rotate_left(32);
    let usage = key.eq_ignore_ascii_case("/Usage");
    let records = (0..RECORDS).map(|i| {
        let mut record = made(schema, seed, i);
        refs.link(&mut record, i, usage);
        super::links::balance(&mut record);
        to_record(&record)
    });
    Table::new(records.collect())
}

/// A stable hash of a text (FNV-1a), for seeds.
pub(crate) fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The body of a write as a JSON object, checked against the operation's request schema the
/// way ASP.NET answers (400 ProblemDetails keyed by field).
pub(super) fn body_fields(call: &Call<'_>, op: &Operation) -> Result<Map<String, Value>, Reply> {
    let trace = call.request.trace_id;
    let value: Value = match serde_json::from_slice(call.request.body) {
        Ok(value) => value,
        Err(_) if call.request.body.is_empty() && op.body.is_none() => Value::Object(Map::new()),
        Err(e) => {
            let message = format!("The request body is not valid JSON: {e}");
            return Err(validation_problem(field_error("$", message), trace));
        }
    };
    let Value::Object(mut fields) = value else {
        let message = "The JSON value could not be converted to an object. Path: $";
        return Err(validation_problem(field_error("$", message), trace));
    };
    let method = call
        .request
        .method
        .as_str()
        .parse()
        .unwrap_or(younium::Method::Post);
    let errors = crate::writes::schema_errors(call.request, method, &mut fields);
    if !errors.is_empty() {
        return Err(validation_problem(errors, trace));
    }
    Ok(fields)
}

/// `POST /X`: the body over a made record, kept; the record is the answer (or the
/// operation's own answer schema, made with the new id).
fn create(
    call: &Call<'_>,
    op: &Operation,
    entity: usize,
    key: &'static str,
) -> Result<Reply, Reply> {
    let fields = body_fields(call, op)?;
    let id = call.shared.with_rng(crate::data::guid);
    let seed = fnv(&id);
    let schema = operation(&Method::GET, key).and_then(list_item);
    let mut record = schema.map_or(Value::Object(Map::new()), |s| made(s, seed, 0));
    let refs = Refs::of(&call.shared.store(), entity);
    refs.link(
        &mut record,
        seed as usize,
        key.eq_ignore_ascii_case("/Usage"),
    );
    if let Value::Object(object) = &mut record {
        object.extend(fields);
        object.insert("id".into(), Value::String(id.clone()));
    }
    let mut tables = call.shared.spec_tables(entity, key);
    let table = tables.get_mut(&(entity, key)).expect("made by spec_tables");
    table.records.push(to_record(&record));
    Ok(written(op, &record, &id))
}

/// `PATCH /X/{id}`: the body's fields over the record's.
fn patch(
    call: &Call<'_>,
    op: &Operation,
    entity: usize,
    key: &'static str,
    id: &str,
) -> Result<Reply, Reply> {
    let fields = body_fields(call, op)?;
    let mut tables = call.shared.spec_tables(entity, key);
    let table = tables.get_mut(&(entity, key)).expect("made by spec_tables");
    let Some(at) = table.position(id) else {
        return Ok(not_found(call.request.trace_id));
    };
    let mut record = table.records[at].value();
    if let Value::Object(object) = &mut record {
        object.extend(fields.into_iter().filter(|(k, _)| k != "id"));
    }
    table.records[at] = to_record(&record);
    let id = table.records[at].id.clone();
    Ok(written(op, &record, &id))
}

/// A write's answer: its documented status, with the record (or its own answer schema).
fn written(op: &Operation, record: &Value, id: &str) -> Reply {
    let status = documented(op);
    if status == StatusCode::NO_CONTENT {
        return Reply::empty(status);
    }
    match op.response_schema() {
        Some(schema) => {
            let mut answer = made(schema, fnv(id), 1);
            if let Value::Object(object) = &mut answer
                && object.contains_key("id")
            {
                object.insert("id".into(), Value::String(id.to_string()));
            }
            Reply::json(status, &answer)
        }
        None => Reply::json(status, record),
    }
}

/// A read the store does not keep: records made from the concrete path, so the same path
/// answers the same; a paged answer is paged as every list is.
fn computed(call: &Call<'_>, entity: usize, op: &Operation) -> Reply {
    let seed = call.shared.config.seed ^ fnv(&call.request.path.to_ascii_lowercase());
    let refs = Refs::of(&call.shared.store(), entity);
    let made = |schema: &Schema, index: usize| {
        let mut record = made(schema, seed, index);
        refs.link(&mut record, index, false);
        super::links::balance(&mut record);
        record
    };
    let Some(response) = &op.response else {
        // A file download: a few bytes of a PDF.
        return Reply::with_body(
            StatusCode::OK,
            "application/pdf",
            "%PDF-1.4\n%simulated\n".into(),
        );
    };
    match (list_item(op), op.response_schema()) {
        (Some(item), _) if response.paged => {
            let made: Vec<Record> = (0..RECORDS).map(|i| to_record(&made(item, i))).collect();
            call.render_list(
                &Table::new(made),
                "No records could be found",
                false,
                |_| true,
            )
        }
        (Some(item), _) => {
            let items: Vec<Value> = (0..3).map(|i| made(item, i)).collect();
            Reply::json(StatusCode::OK, &Value::Array(items))
        }
        (None, Some(schema)) => Reply::json(documented(op), &made(schema, 0)),
        (None, None) => Reply::empty(documented(op)),
    }
}

/// Any other write: its documented status, with a body of its answer schema.
fn action(call: &Call<'_>, op: &Operation) -> Result<Reply, Reply> {
    if op.body.is_some() {
        body_fields(call, op)?;
    }
    let status = documented(op);
    let seed = call.shared.with_rng(|rng| rng.u64(..));
    Ok(match op.response_schema() {
        Some(schema) if status != StatusCode::NO_CONTENT => {
            Reply::json(status, &made(schema, seed, 0))
        }
        _ => Reply::empty(status),
    })
}
