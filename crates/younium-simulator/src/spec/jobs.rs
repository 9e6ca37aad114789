//! Invoice batch jobs: generating a batch (`POST /InvoiceBatches`) or posting one
//! (`POST /InvoiceBatches/{id}/Post`) answers a job that is `Pending`; its status
//! (`GET /InvoiceBatches/BatchJobStatus/{batchReference}/Generated` or `…/Posted`, by the
//! batch's number or id or the job's id) moves on as it is polled: pending for the first polls,
//! then `Succeeded` with the batch it made. Written by hand: the spec gives the shapes, not the
//! behaviour, and the notes say nothing of the timing (how many polls is a guess).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::answer::{body_fields, list_item, made, to_record};
use super::operation;
use crate::api::Call;
use crate::reply::{Reply, not_found};
use crate::state::lock;

/// Polls that still answer `Pending`.
const PENDING_POLLS: u32 = 2;

/// A batch job and how often its status was asked for.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    entity: usize,
    posted: bool,
    job_id: String,
    batch_id: String,
    batch_number: String,
    polls: u32,
}

impl Job {
    fn is(&self, reference: &str) -> bool {
        [&self.job_id, &self.batch_id, &self.batch_number]
            .iter()
            .any(|r| r.eq_ignore_ascii_case(reference))
    }
}

/// The answer when `template` is one of the batch job operations.
pub(crate) fn answer(
    call: &Call<'_>,
    entity: usize,
    template: &'static str,
) -> Option<Result<Reply, Reply>> {
    let method = call.request.method;
    let segments: Vec<&str> = call
        .request
        .path
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    match (method.clone(), template) {
        (Method::POST, "/InvoiceBatches") => Some(start(call, entity, template, None)),
        (Method::POST, "/InvoiceBatches/{id}/Post") => {
            Some(start(call, entity, template, segments.get(1).copied()))
        }
        (Method::GET, t) if t.starts_with("/InvoiceBatches/BatchJobStatus/") => {
            let posted = t.ends_with("/Posted");
            Some(Ok(status(
                call,
                entity,
                segments.get(2).copied().unwrap_or(""),
                posted,
            )))
        }
        _ => None,
    }
}

/// A new job: a batch made and kept (to post: the batch named), the job `Pending`.
fn start(
    call: &Call<'_>,
    entity: usize,
    template: &str,
    post: Option<&str>,
) -> Result<Reply, Reply> {
    let op =
        operation(call.request.method, template).ok_or_else(|| not_found(call.request.trace_id))?;
    body_fields(call, op)?;
    let job_id = call.shared.with_rng(crate::data::guid);
    let (batch_id, batch_number) = match post {
        Some(reference) => {
            let tables = call.shared.spec_tables(entity, "/InvoiceBatches");
            let Some(batch) = tables[&(entity, "/InvoiceBatches")].find(reference) else {
                return Ok(not_found(call.request.trace_id));
            };
            let number = batch.value()["batchNumber"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            (batch.id.clone(), number)
        }
        None => new_batch(call, entity),
    };
    lock(&call.shared.jobs).push(Job {
        entity,
        posted: post.is_some(),
        job_id: job_id.clone(),
        batch_id: batch_id.clone(),
        batch_number: batch_number.clone(),
        polls: 0,
    });
    Ok(Reply::json(
        StatusCode::OK,
        &json!({
            "batchNumber": batch_number,
            "jobId": job_id,
            "resultStatus": "Pending",
            "webhooksTriggeredWhenCompleted": false,
            "id": batch_id,
        }),
    ))
}

/// A batch record kept in `/InvoiceBatches`, with the next batch number.
fn new_batch(call: &Call<'_>, entity: usize) -> (String, String) {
    let id = call.shared.with_rng(crate::data::guid);
    let mut tables = call.shared.spec_tables(entity, "/InvoiceBatches");
    let table = tables
        .get_mut(&(entity, "/InvoiceBatches"))
        .expect("made by spec_tables");
    let number = format!("B-{:06}", table.records.len() + 1);
    let schema = operation(&Method::GET, "/InvoiceBatches").and_then(list_item);
    let mut batch = schema.map_or(json!({}), |s| made(s, super::answer::fnv(&id), 0));
    if let Value::Object(object) = &mut batch {
        object.insert("id".into(), json!(id));
        object.insert("batchNumber".into(), json!(number));
    }
    table.records.push(to_record(&batch));
    (id, number)
}

/// A job's status, one poll further on.
fn status(call: &Call<'_>, entity: usize, reference: &str, posted: bool) -> Reply {
    let mut jobs = lock(&call.shared.jobs);
    let Some(job) = jobs
        .iter_mut()
        .find(|j| j.entity == entity && j.posted == posted && j.is(reference))
    else {
        return not_found(call.request.trace_id);
    };
    job.polls += 1;
    if job.polls <= PENDING_POLLS {
        return Reply::json(
            StatusCode::OK,
            &json!({"resultStatus": "Pending", "statusMessage": "The batch job is running"}),
        );
    }
    let verb = if posted { "posted" } else { "generated" };
    let detail = json!({
        "batchId": job.batch_id,
        "batchNumber": job.batch_number,
        "eventId": job.job_id,
        "message": format!("Invoice batch {} {verb}", job.batch_number),
    });
    let result = if posted { json!([detail]) } else { detail };
    Reply::json(
        StatusCode::OK,
        &json!({"resultBody": result, "resultStatus": "Succeeded", "statusMessage": "Completed"}),
    )
}
