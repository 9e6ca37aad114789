//! Every write of the spec answers its documented 2xx when sent what the spec asks for: a body
//! of the required fields (filled here from the request schema's types, formats and enums, not
//! by the simulator's own generator), path ids of existing records; deletes go last. Each
//! answer with a body is held to its response schema by the independent oracle.

use reqwest::Method as HttpMethod;
use younium_tui::younium::Method;
use younium_tui::younium::catalog::{V3_TAG, catalog};

use crate::common::oracle::{definitions, problems, validator};
use crate::common::spec_api::{Api, fill, list_ids, required_body};

#[tokio::test]
async fn every_write_of_the_spec_answers_its_documented_status() {
    let api = Api::start().await;
    let ids = list_ids(&api).await;
    let (_, accounts) = api.get("/Accounts").await;
    let account = accounts["data"][0]["accountNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let mut writes: Vec<_> = catalog()
        .operations
        .iter()
        .filter(|op| op.method != Method::Get && op.tag != V3_TAG)
        .collect();
    // The deletes last, so the records the others use are still there.
    writes.sort_by_key(|op| op.method == Method::Delete);
    let definitions = definitions();
    let (mut failures, mut checked) = (Vec::new(), 0);
    for op in &writes {
        let path = fill(&op.path, &ids);
        let sent = op
            .body_schema()
            .map(|schema| required_body(schema, &account));
        let method = HttpMethod::from_bytes(op.method.as_str().as_bytes()).unwrap();
        let (status, _, answer) = api.call(method, &path, sent.clone()).await;
        if !op.success.contains(&status) {
            let sent = sent.map(|b| b.to_string()).unwrap_or_default();
            failures.push(format!(
                "{} {path} {sent} answered {status}: {answer}",
                op.method
            ));
        } else if let Some(validator) = validator(op, &definitions)
            && !answer.is_null()
        {
            checked += 1;
            let wrong = problems(&validator, &answer);
            if !wrong.is_empty() {
                failures.push(format!("{} {path}: {}", op.method, wrong.join("; ")));
            }
        }
    }
    api.sim.shutdown().await;
    assert!(writes.len() >= 60, "{}", writes.len());
    assert!(checked >= 15, "only {checked} answers with a body checked");
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        writes.len(),
        failures.join("\n")
    );
}

/// The item path under a collection (`/Usage/{id}`), for `method`, if the spec has one.
fn item_op(
    collection: &str,
    method: Method,
) -> Option<&'static younium_tui::younium::catalog::Operation> {
    catalog().operations.iter().find(|op| {
        op.method == method
            && op.path.starts_with(collection)
            && op.path[collection.len()..].starts_with("/{")
            && op.path[collection.len()..].matches('/').count() == 1
    })
}

#[tokio::test]
async fn every_resource_is_kept_from_its_post_to_its_delete() {
    let api = Api::start().await;
    let (_, accounts) = api.get("/Accounts").await;
    let account = accounts["data"][0]["accountNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let mut cycles = 0;
    let mut failures = Vec::new();
    let creates = catalog()
        .operations
        .iter()
        .filter(|op| op.method == Method::Post && op.tag != V3_TAG && !op.path[1..].contains('/'));
    for post in creates {
        let Some(read) = item_op(&post.path, Method::Get) else {
            continue;
        };
        let body = post.body_schema().map(|s| required_body(s, &account));
        let (status, _, created) = api.call(HttpMethod::POST, &post.path, body).await;
        let Some(id) = created["id"]
            .as_str()
            .filter(|_| post.success.contains(&status))
        else {
            failures.push(format!("POST {} answered {status}: {created}", post.path));
            continue;
        };
        let item = format!("{}/{id}", post.path);
        let (status, _) = api.get(&item).await;
        if !read.success.contains(&status) {
            failures.push(format!("GET {item} after its POST answered {status}"));
        }
        if let Some(patch) = item_op(&post.path, Method::Patch) {
            let body = patch.body_schema().map(|s| required_body(s, &account));
            let (status, _, answer) = api.call(HttpMethod::PATCH, &item, body).await;
            let (again, _) = api.get(&item).await;
            if !patch.success.contains(&status) || !read.success.contains(&again) {
                failures.push(format!(
                    "PATCH {item} answered {status} ({answer}), then GET {again}"
                ));
            }
        }
        if let Some(delete) = item_op(&post.path, Method::Delete) {
            let (status, _, _) = api.call(HttpMethod::DELETE, &item, None).await;
            let (gone, _) = api.get(&item).await;
            // Webhooks answer an unknown id with 400 (the changelog says so).
            if !delete.success.contains(&status) || !matches!(gone, 404 | 400) {
                failures.push(format!("DELETE {item} answered {status}, then GET {gone}"));
            }
        }
        cycles += 1;
    }
    api.sim.shutdown().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        cycles >= 10,
        "only {cycles} resources went through the cycle"
    );
}
