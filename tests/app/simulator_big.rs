//! The simulator's large data over real HTTP: `SimulatorConfig::extra_invoices` (`simulate
//! --invoices N`) and the unpaged 2.1 list (`simulatorUnpaged=true`, a simulator extension),
//! which the viewer benchmarks fetch a 65 MB body with. Small N here.

use std::sync::atomic::AtomicBool;

use crate::common::clients::reqwest_client;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use younium_tui::jq::Filter;
use younium_tui::simulator::{Simulator, SimulatorConfig, demo};

const ENTITY_AB: &str = demo::LEGAL_ENTITIES[0].id;
const ENTITY_INC: &str = demo::LEGAL_ENTITIES[1].id;
const EXTRA: usize = 2_000;

async fn start(extra_invoices: usize) -> Simulator {
    crate::common::simulator_with(SimulatorConfig {
        extra_invoices,
        ..SimulatorConfig::default()
    })
    .await
}

/// A signed-in client of one simulator.
#[derive(Clone)]
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

    /// GET `path` in `entity` with api-version `version`: the status and the body's text.
    async fn get_in(&self, path: &str, entity: &str, version: &str) -> (StatusCode, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("api-version", version)
            .header("legal-entity", entity)
            .send()
            .await
            .expect("request");
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    /// A 2.1 GET in the first legal entity that must answer 200 with JSON.
    async fn json(&self, path: &str) -> Value {
        let (status, text) = self.get_in(path, ENTITY_AB, "2.1").await;
        assert_eq!(status, StatusCode::OK, "{path}: {text}");
        serde_json::from_str(&text).expect("JSON")
    }

    /// Every invoice of the first legal entity, page by page (100 a page).
    async fn all_pages(&self) -> Vec<Value> {
        let mut all = Vec::new();
        let mut number = 1;
        loop {
            let page = self
                .json(&format!("/Invoices?PageSize=100&PageNumber={number}"))
                .await;
            all.extend(page["data"].as_array().expect("data").iter().cloned());
            if page["nextPage"].is_null() {
                return all;
            }
            number += 1;
        }
    }
}

fn array(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        other => panic!("not a bare array: {other}"),
    }
}

#[tokio::test]
async fn unpaged_answers_every_invoice_as_a_bare_array_in_page_order() {
    let demo_sim = start(0).await;
    let demo_count = Session::new(&demo_sim).await.json("/Invoices").await["totalCount"]
        .as_u64()
        .expect("totalCount") as usize;
    assert!(demo_count > 0);

    let sim = start(EXTRA).await;
    let session = Session::new(&sim).await;
    let unpaged = array(session.json("/Invoices?simulatorUnpaged=true").await);
    assert_eq!(unpaged.len(), demo_count + EXTRA);
    // The same records in the same order as the paged answer.
    let paged = session.all_pages().await;
    assert_eq!(unpaged, paged);
    // Numbered on after the demo invoices (drafts have no number, as in the demo data).
    let numbers: Vec<&str> = unpaged
        .iter()
        .filter_map(|i| i["invoiceNumber"].as_str())
        .collect();
    assert!(numbers.len() > EXTRA / 2, "{} numbered", numbers.len());
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "not in number order"
    );
    let last: usize = numbers.last().expect("a number")[2..]
        .parse()
        .expect("I-nnnnnn");
    assert!(last > demo_count && last <= demo_count + EXTRA, "{last}");
    demo_sim.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn the_extra_invoices_are_the_same_on_every_start_and_change_with_the_seed() {
    let body = |seed: u64| async move {
        let sim = Simulator::start_local(SimulatorConfig {
            extra_invoices: EXTRA,
            seed,
            ..SimulatorConfig::default()
        })
        .await
        .expect("simulator starts");
        let (status, text) = Session::new(&sim)
            .await
            .get_in("/Invoices?simulatorUnpaged=true", ENTITY_AB, "2.1")
            .await;
        assert_eq!(status, StatusCode::OK);
        sim.shutdown().await;
        text
    };
    let first = body(42).await;
    assert_eq!(first, body(42).await);
    assert_ne!(first, body(7).await);
}

#[tokio::test]
async fn invoices_carry_the_fields_the_benchmark_filters_read() {
    let sim = start(EXTRA).await;
    let session = Session::new(&sim).await;
    let (_, body) = session
        .get_in("/Invoices?simulatorUnpaged=true", ENTITY_AB, "2.1")
        .await;
    let invoices = array(serde_json::from_str(&body).expect("JSON"));
    for invoice in &invoices {
        assert!(invoice["totalAmount"].is_number(), "{invoice}");
        assert!(invoice["account"]["name"].is_string(), "{invoice}");
        assert!(invoice["id"].is_string(), "{invoice}");
        assert_eq!(
            invoice["invoiceNumber"].is_string(),
            invoice["status"] != "Draft",
            "{invoice}"
        );
    }
    // The benchmark's filters, through the app's jq engine: some invoices but not all pass the
    // amount test, and they go to a handful of accounts.
    let run = |text: &str| {
        let stop = AtomicBool::new(false);
        Filter::compile(text)
            .expect("compiles")
            .run(body.as_bytes(), &stop)
            .expect("runs")
            .collect::<Result<Vec<_>, _>>()
            .expect("outputs")
    };
    let big = run(".[] | select(.totalAmount > 100000) | .invoiceNumber");
    assert!(
        !big.is_empty() && big.len() < invoices.len(),
        "{}",
        big.len()
    );
    let names = run("map(.account.name) | unique");
    let names = names[0].as_array().expect("an array of names");
    assert!(names.len() > 1 && names.len() <= 40, "{}", names.len());
    sim.shutdown().await;
}

#[tokio::test]
async fn the_paged_api_and_the_demo_data_are_unchanged() {
    let demo_sim = start(0).await;
    let sim = start(EXTRA).await;
    let (demo, big) = (Session::new(&demo_sim).await, Session::new(&sim).await);

    // Paged as ever: 100 a page, the extra invoices counted.
    let demo_page = demo.json("/Invoices").await;
    let page = big.json("/Invoices").await;
    let demo_count = demo_page["totalCount"].as_u64().expect("count") as usize;
    assert_eq!(page["pageSize"], 100);
    assert_eq!(page["totalCount"], demo_count + EXTRA);
    assert_eq!(page["totalPages"], (demo_count + EXTRA).div_ceil(100));
    assert_eq!(page["data"].as_array().map(Vec::len), Some(100));
    // The demo invoices come first, as they were.
    assert_eq!(
        page["data"].as_array().map(|d| &d[..demo_count]),
        demo_page["data"].as_array().map(Vec::as_slice)
    );
    // Every other collection, and the other legal entity, are the demo's (the links differ
    // only by the port).
    for path in ["/Accounts", "/Subscriptions", "/Payments", "/Products"] {
        assert_eq!(
            demo.json(path).await["data"],
            big.json(path).await["data"],
            "{path}"
        );
    }
    let other_entity = |session: &Session| {
        let session = session.clone();
        async move {
            let (status, text) = session.get_in("/Subscriptions", ENTITY_INC, "2.0").await;
            assert_eq!(status, StatusCode::OK);
            text
        }
    };
    assert_eq!(other_entity(&demo).await, other_entity(&big).await);

    // Younium's PageSize rules still hold: 0 and 101 are refused.
    for size in [0, 101] {
        let (status, text) = big
            .get_in(&format!("/Invoices?PageSize={size}"), ENTITY_AB, "2.1")
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert!(
            text.contains("PageSize must be between 1 and 100."),
            "{text}"
        );
    }
    demo_sim.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test]
async fn unpaged_keeps_filter_and_order_and_says_what_it_refuses() {
    let sim = start(EXTRA).await;
    let session = Session::new(&sim).await;
    let drafts = array(
        session
            .json("/Invoices?simulatorUnpaged=true&Filter=status%20eq%20'Draft'&OrderBy=totalAmount%20desc")
            .await,
    );
    assert!(!drafts.is_empty());
    assert!(drafts.iter().all(|i| i["status"] == "Draft"));
    let amounts: Vec<f64> = drafts
        .iter()
        .map(|i| i["totalAmount"].as_f64().expect("amount"))
        .collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "{amounts:?}");

    // Nothing selected: an empty array, not 2.1's "nothing found" 400.
    let none = session
        .json("/Invoices?simulatorUnpaged=true&Filter=status%20eq%20'Nonesuch'")
        .await;
    assert_eq!(none, json!([]));
    // false (or leaving it out) pages as usual; a value that is not a boolean is refused.
    let paged = session.json("/Invoices?simulatorUnpaged=false").await;
    assert_eq!(paged["pageNumber"], 1);
    let (status, text) = session
        .get_in("/Invoices?simulatorUnpaged=maybe", ENTITY_AB, "2.1")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("simulatorUnpaged"), "{text}");
    // 2.0 answers bare arrays anyway (and ignores the parameter).
    let (status, text) = session
        .get_in("/Invoices?simulatorUnpaged=true", ENTITY_AB, "2.0")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(array(serde_json::from_str(&text).expect("JSON")).len() > EXTRA);
    sim.shutdown().await;
}
