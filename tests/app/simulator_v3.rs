//! The simulator's v3 data-export API (`/v3/Subscriptions`, `/v3/Invoices`: `items` and
//! `nextPage`, relations as URL strings) and the exact-size tenant of `simulate --records N`
//! (`SimulatorConfig::with_records`), over real HTTP.

use crate::common::clients::reqwest_client;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use younium_tui::simulator::{Simulator, SimulatorConfig, demo};

const ENTITY_AB: &str = demo::LEGAL_ENTITIES[0].id;
const ENTITY_INC: &str = demo::LEGAL_ENTITIES[1].id;

async fn start(records: usize) -> Simulator {
    crate::common::simulator_with(SimulatorConfig::with_records(records)).await
}

/// A signed-in client of one simulator.
struct Session {
    client: Client,
    base: String,
    token: String,
}

impl Session {
    async fn new(sim: &Simulator) -> Session {
        let client = reqwest_client();
        let base = sim.base_url();
        let token = crate::common::demo_token(&client, &base).await;
        Session {
            client,
            base,
            token,
        }
    }

    /// GET `path` (a path and query) in `entity`: the status and the body's bytes.
    async fn get_in(&self, path: &str, entity: Option<&str>) -> (StatusCode, Vec<u8>) {
        let mut request = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(entity) = entity {
            request = request.header("legal-entity", entity);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        (status, response.bytes().await.expect("body").to_vec())
    }

    /// A GET in the first legal entity that must answer 200 with JSON.
    async fn json(&self, path: &str) -> Value {
        let (status, body) = self.get_in(path, Some(ENTITY_AB)).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{path}: {}",
            String::from_utf8_lossy(&body)
        );
        serde_json::from_slice(&body).expect("JSON")
    }

    /// Follows `nextPage` from `path` to the end: the items and the number of pages.
    async fn follow(&self, path: &str) -> (Vec<Value>, usize) {
        let mut items = Vec::new();
        let mut next = Some(path.to_owned());
        let mut pages = 0;
        while let Some(path) = next {
            let page = self.json(&path).await;
            pages += 1;
            let Value::Object(members) = &page else {
                panic!("not an envelope: {page}");
            };
            assert!(
                members.keys().all(|k| k == "items" || k == "nextPage"),
                "{members:?}"
            );
            items.extend(page["items"].as_array().expect("items").iter().cloned());
            next = page["nextPage"].as_str().map(|link| {
                assert!(
                    link.to_ascii_lowercase().starts_with("/v3/"),
                    "a path on the same origin: {link}"
                );
                link.to_owned()
            });
            assert!(pages < 1000, "nextPage never ends");
        }
        (items, pages)
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|item| item["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn a_v3_list_pages_to_the_end_with_next_page_every_item_once_in_order() {
    let sim = start(250).await;
    let session = Session::new(&sim).await;
    let all_2_1 = session.json("/Invoices?simulatorUnpaged=true").await;
    let expected = ids(all_2_1.as_array().expect("array"));
    assert_eq!(expected.len(), 250);

    let (items, pages) = session.follow("/v3/Invoices?pageSize=37").await;
    assert_eq!(pages, 7);
    assert_eq!(ids(&items), expected);

    // Default page size 100; lower-case path and parameters route the same.
    let first = session.json("/v3/invoices").await;
    assert_eq!(first["items"].as_array().map(Vec::len), Some(100));
    let link = first["nextPage"].as_str().expect("nextPage");
    assert!(
        link.contains("pageSize=100") && link.contains("cursor="),
        "{link}"
    );
    let (items, pages) = session.follow("/V3/invoices").await;
    assert_eq!((ids(&items), pages), (expected.clone(), 3));

    // pageNumber, which the docs name, is read too; past the end is an empty last page.
    let second = session.json("/v3/Invoices?pageSize=100&pageNumber=2").await;
    assert_eq!(second["items"][0]["id"], items[100]["id"]);
    let past = session.json("/v3/Invoices?pageNumber=9").await;
    assert_eq!(past, json!({"items": []}));

    let (subscriptions, _) = session.follow("/v3/Subscriptions?pageSize=5000").await;
    assert_eq!(subscriptions.len(), 250);
    sim.shutdown().await;
}

#[tokio::test]
async fn page_size_over_5000_answers_400_problem_details() {
    let sim = start(20).await;
    let session = Session::new(&sim).await;
    for bad in [
        "pageSize=5001",
        "pageSize=0",
        "PageSize=lots",
        "cursor=not-ours",
    ] {
        let (status, body) = session
            .get_in(&format!("/v3/Subscriptions?{bad}"), Some(ENTITY_AB))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        let problem: Value = serde_json::from_slice(&body).expect("ProblemDetails");
        assert_eq!(problem["status"], 400, "{problem}");
        assert!(problem["errors"].is_object(), "{problem}");
    }
    let (status, body) = session
        .get_in("/v3/Subscriptions?pageSize=5001", Some(ENTITY_AB))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let problem: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        problem["errors"]["pageSize"][0],
        "pageSize must be between 1 and 5000."
    );
    let page = session.json("/v3/Subscriptions?pageSize=5000").await;
    assert_eq!(page["items"].as_array().map(Vec::len), Some(20));
    assert!(
        page.get("nextPage").is_none(),
        "the last page has no nextPage"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn relations_are_url_strings_that_answer() {
    let sim = start(30).await;
    let session = Session::new(&sim).await;
    let subscription = session.json("/v3/Subscriptions?pageSize=1").await["items"][0].clone();
    let id = subscription["id"].as_str().expect("id").to_owned();
    assert_eq!(
        subscription["products"],
        format!("/subscriptions/{id}/subscription-products")
    );
    for (member, segment) in [
        ("discounts", "discounts"),
        ("milestones", "milestones"),
        ("metrics", "metrics"),
    ] {
        assert_eq!(
            subscription[member],
            format!("/subscriptions/{id}/{segment}")
        );
    }
    assert!(subscription.get("orderDiscounts").is_none());
    // The embedded 2.1 record holds what the URL answers.
    let full = session.json(&format!("/Subscriptions/{id}")).await;
    let link = subscription["products"].as_str().expect("a URL string");
    let (products, _) = session.follow_any(link).await;
    assert_eq!(
        products.len(),
        full["products"].as_array().map_or(0, Vec::len)
    );
    assert!(!products.is_empty());
    assert!(products.iter().all(|p| p["orderId"] == id.as_str()));
    // The same under /v3.
    let (again, _) = session.follow_any(&format!("/v3{link}")).await;
    assert_eq!(again, products);
    let metrics = session
        .json(subscription["metrics"].as_str().expect("url"))
        .await;
    assert_eq!(metrics["items"][0]["metric"], "CMRR");

    let invoice = session.json("/v3/Invoices?pageSize=1").await["items"][0].clone();
    let invoice_id = invoice["id"].as_str().expect("id").to_owned();
    let link = invoice["invoiceLines"].as_str().expect("a URL string");
    assert_eq!(link, format!("/invoices/{invoice_id}/invoice-lines"));
    let lines = session.json(link).await;
    let embedded = session.json(&format!("/Invoices/{invoice_id}")).await;
    assert_eq!(lines["items"], embedded["invoiceLines"]);

    // Charges in bulk, linked to their subscription by orderId.
    let (charges, pages) = session
        .follow("/v3/Subscription-product-charges?pageSize=7")
        .await;
    let all = session.json("/Subscriptions?simulatorUnpaged=true").await;
    let expected: usize = all
        .as_array()
        .expect("array")
        .iter()
        .flat_map(|s| s["products"].as_array().cloned().unwrap_or_default())
        .map(|p| p["charges"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(charges.len(), expected);
    assert_eq!(pages, expected.div_ceil(7));
    assert!(charges.iter().any(|c| c["orderId"] == id.as_str()));

    let (status, _) = session
        .get_in(
            "/subscriptions/no-such-id/subscription-products",
            Some(ENTITY_AB),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    sim.shutdown().await;
}

impl Session {
    /// Like `follow`, for relation URLs (which need not start with `/v3/`).
    async fn follow_any(&self, path: &str) -> (Vec<Value>, usize) {
        let mut items = Vec::new();
        let mut next = Some(path.to_owned());
        let mut pages = 0;
        while let Some(path) = next {
            let page = self.json(&path).await;
            pages += 1;
            items.extend(page["items"].as_array().expect("items").iter().cloned());
            next = page["nextPage"].as_str().map(str::to_owned);
        }
        (items, pages)
    }
}

#[tokio::test]
async fn v3_keeps_the_token_legal_entity_and_permission_rules() {
    let sim = start(10).await;
    let session = Session::new(&sim).await;
    // No legal entity: 403, as for every per-entity list.
    let (status, _) = session.get_in("/v3/Invoices", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The demo user lacks Invoice View in the second entity, not Order View.
    let (status, _) = session.get_in("/v3/Invoices", Some(ENTITY_INC)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = session.get_in("/v3/Subscriptions", Some(ENTITY_INC)).await;
    assert_eq!(status, StatusCode::OK);
    // No token: 401.
    let response = reqwest_client()
        .get(format!("{}/v3/Subscriptions", sim.base_url()))
        .header("legal-entity", ENTITY_AB)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // Only GET.
    let response = session
        .client
        .post(format!("{}/v3/Subscriptions", sim.base_url()))
        .bearer_auth(&session.token)
        .header("legal-entity", ENTITY_AB)
        .json(&json!({}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    sim.shutdown().await;
}

#[tokio::test]
async fn records_n_is_deterministic_and_its_counts_hold() {
    const N: usize = 1_500;
    let (a, b) = (start(N).await, start(N).await);
    let (session_a, session_b) = (Session::new(&a).await, Session::new(&b).await);
    for path in [
        "/Accounts?simulatorUnpaged=true",
        "/Subscriptions?simulatorUnpaged=true",
        "/Invoices?simulatorUnpaged=true",
        "/v3/Invoices?pageSize=5000",
        "/v3/Subscriptions?pageSize=700",
    ] {
        let (status_a, body_a) = session_a.get_in(path, Some(ENTITY_AB)).await;
        let (status_b, body_b) = session_b.get_in(path, Some(ENTITY_AB)).await;
        assert_eq!(
            (status_a, status_b),
            (StatusCode::OK, StatusCode::OK),
            "{path}"
        );
        assert!(body_a == body_b, "{path}: not the same bytes");
        if path.contains("simulatorUnpaged") {
            let records: Value = serde_json::from_slice(&body_a).expect("json");
            assert_eq!(records.as_array().map(Vec::len), Some(N), "{path}");
            let ids = ids(records.as_array().expect("array"));
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), N, "{path}: ids repeat");
        }
    }
    // 2.1 paging agrees: N / 100 full pages.
    let page = session_a.json("/Invoices?PageSize=100").await;
    assert_eq!(page["totalCount"], N);
    assert_eq!(page["totalPages"], N / 100);
    // The other legal entity keeps the demo's size.
    let (status, body) = session_a
        .get_in("/Accounts?simulatorUnpaged=true", Some(ENTITY_INC))
        .await;
    assert_eq!(status, StatusCode::OK);
    let others: Value = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        others.as_array().map(Vec::len),
        Some(SimulatorConfig::default().records_per_entity)
    );
    a.shutdown().await;
    b.shutdown().await;
}

#[tokio::test]
async fn ten_thousand_invoices_are_a_hundred_pages() {
    let started = std::time::Instant::now();
    let sim = start(10_000).await;
    // Printed, not asserted: speed is measured by benches.
    eprintln!("10,000-record simulator started in {:?}", started.elapsed());
    let session = Session::new(&sim).await;
    let page = session.json("/Invoices?PageSize=100&PageNumber=100").await;
    assert_eq!(page["totalCount"], 10_000);
    assert_eq!(page["totalPages"], 100);
    assert!(page.get("nextPage").is_none());
    assert!(sim.banner().contains("10000 invoices"), "{}", sim.banner());
    sim.shutdown().await;
}
