//! The all-pages engine at its limits, over real HTTP against the simulator (items 12–15 of
//! "Exact"): the records kept stop at the body limit naming the pages; a list longer than the
//! page cap is asked about before anything, an endless v3 cursor stops at the cap; every wait
//! is told and a `Retry-After` past the longest wait ends the run naming it; answers cut short
//! or in HTML are retried like a 5xx. The made-up lists are the simulator's `/SimulatorPages`
//! extension (not Younium's API).

use crate::common;

use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;
use younium_tui::session::ApiClient;
use younium_tui::simulator::{ScriptedAction, ScriptedFault, Simulator, SimulatorConfig, demo};
use younium_tui::younium::all_pages::{
    self, CapReached, Finish, Merged, Observer, Options, Progress, SinkStop, Target, Wait,
};
use younium_tui::younium::limit::ByteSize;
use younium_tui::younium::request::{Http, HttpOptions};
use younium_tui::younium::{ApiRequest, ApiVersion, CallSettings, Method, Param};

async fn simulator() -> Simulator {
    common::simulator_with(SimulatorConfig {
        extra_invoices: 200,
        ..SimulatorConfig::default()
    })
    .await
}

fn client(sim: &Simulator, max_body: ByteSize) -> ApiClient {
    common::crypto();
    let options = HttpOptions {
        max_body,
        ..HttpOptions::default()
    };
    common::clients::demo_client(sim, Http::new(options).unwrap())
}

fn settings() -> CallSettings {
    CallSettings {
        api_version: ApiVersion::V2_1,
        legal_entity: Some(demo::LEGAL_ENTITIES[0].name.to_string()),
    }
}

fn request(path: &str, query: &[(&str, &str)]) -> ApiRequest {
    let mut req = ApiRequest::new(Method::Get, path);
    for (name, value) in query {
        req.query.push(Param::new(*name, *value));
    }
    req
}

/// Hears everything; says yes at the cap `yes` times.
#[derive(Clone, Default)]
struct Heard {
    waits: Arc<Mutex<Vec<Wait>>>,
    caps: Arc<Mutex<Vec<CapReached>>>,
    yes: Arc<Mutex<u32>>,
}

impl Observer for Heard {
    fn progress(&mut self, _: &Progress) {}

    fn wait(&mut self, wait: &Wait) {
        self.waits.lock().unwrap().push(wait.clone());
    }

    async fn past_cap(&mut self, cap: &CapReached) -> bool {
        self.caps.lock().unwrap().push(cap.clone());
        let mut yes = self.yes.lock().unwrap();
        let go_on = *yes > 0;
        *yes = yes.saturating_sub(1);
        go_on
    }
}

async fn run(
    client: &ApiClient,
    sim: &Simulator,
    req: &ApiRequest,
    options: Options,
    heard: &mut Heard,
) -> Merged {
    let base_url = sim.base_url();
    let settings = settings();
    let target = Target {
        client,
        base_url: &base_url,
        request: req,
        settings: &settings,
    };
    all_pages::collect(target, options, None, heard, CancellationToken::new())
        .await
        .expect("a run")
}

fn requests_to(sim: &Simulator, path: &str) -> Vec<younium_tui::simulator::LoggedRequest> {
    sim.log()
        .into_iter()
        .filter(|r| r.path.eq_ignore_ascii_case(path))
        .collect()
}

/// Item 12: the merged records stop at the body limit, with the pages kept named; the run
/// sends hardly more than it keeps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_records_kept_stop_at_the_body_limit_naming_the_pages() {
    let sim = simulator().await;
    let client = client(&sim, ByteSize::kib(100));
    let req = request(
        "/SimulatorPages",
        &[
            ("pages", "1000000000"),
            ("recordBytes", "1000"),
            ("PageSize", "10"),
        ],
    );
    let options = Options {
        max_pages: u64::MAX,
        ..Options::default()
    };
    let merged = run(&client, &sim, &req, options, &mut Heard::default()).await;
    assert_eq!(
        merged.finish,
        Finish::Sink(SinkStop::Full {
            limit: ByteSize::kib(100)
        })
    );
    assert!((5..=10).contains(&merged.pages), "{}", merged.pages);
    assert!(merged.records.len() <= 100 * 1024);
    let records: Vec<serde_json::Value> = serde_json::from_slice(&merged.records).unwrap();
    assert_eq!(records.len() as u64, merged.pages * 10);
    assert_eq!(records.last().unwrap()["page"], merged.pages);
    assert_eq!(
        merged.summary(),
        format!(
            "pages 1–{} of 1,000,000,000 kept: 100 KiB limit",
            merged.pages
        )
    );
    let sent = requests_to(&sim, "/SimulatorPages").len() as u64;
    assert!(
        sent <= merged.pages + 1 + 8,
        "{sent} requests for {} pages",
        merged.pages
    );
    sim.shutdown().await;
}

/// Item 13: a list known to be longer than the cap is asked about before any page is kept;
/// no ends the run there. An endless v3 cursor is asked about at the cap, and goes on for
/// another cap's worth on yes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_cap_is_asked_about_before_going_past_it() {
    let sim = simulator().await;
    let client = client(&sim, ByteSize::mib(16));
    let req = request("/SimulatorPages", &[("pages", "1000000000")]);
    let mut heard = Heard::default();
    let merged = run(&client, &sim, &req, Options::default(), &mut heard).await;
    assert_eq!(merged.finish, Finish::Capped { cap: 10_000 });
    assert_eq!((merged.pages, &merged.records[..]), (0, &b"[]"[..]));
    assert_eq!(
        merged.summary(),
        "1,000,000,000 pages, more than the 10,000-page cap: none fetched"
    );
    assert_eq!(
        heard.caps.lock().unwrap()[0],
        CapReached {
            pages: 0,
            pages_total: Some(1_000_000_000),
            cap: 10_000
        }
    );
    assert_eq!(requests_to(&sim, "/SimulatorPages").len(), 1, "page 1 only");

    let endless = request(
        "/v3/SimulatorPages",
        &[("pages", "1000000000"), ("pageSize", "5")],
    );
    let mut heard = Heard {
        yes: Arc::new(Mutex::new(1)),
        ..Heard::default()
    };
    let options = Options {
        max_pages: 3,
        ..Options::default()
    };
    let merged = run(&client, &sim, &endless, options, &mut heard).await;
    assert_eq!(merged.finish, Finish::Capped { cap: 6 });
    assert_eq!((merged.pages, merged.record_count), (6, 30));
    assert_eq!(
        merged.summary(),
        "pages 1–6: stopped at the 6-page cap, the list goes on"
    );
    let asked: Vec<u64> = heard.caps.lock().unwrap().iter().map(|c| c.pages).collect();
    assert_eq!(asked, [3, 6]);
    assert_eq!(requests_to(&sim, "/v3/SimulatorPages").len(), 6);
    sim.shutdown().await;
}

/// Item 14: a wait is told before it starts; a `Retry-After` longer than the longest wait
/// ends the run at once, naming the server's wait.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waits_are_told_and_one_past_the_longest_wait_ends_the_run() {
    let sim = simulator().await;
    let client = client(&sim, ByteSize::mib(16));
    let invoices = request("/Invoices", &[("PageSize", "50")]);
    sim.script_fault(ScriptedFault::new(
        "/Invoices",
        Some(2),
        ScriptedAction::RateLimited {
            retry_after: Some("1".into()),
        },
    ));
    let mut heard = Heard::default();
    let merged = run(&client, &sim, &invoices, Options::default(), &mut heard).await;
    assert_eq!(merged.finish, Finish::Complete);
    let told: Vec<String> = heard
        .waits
        .lock()
        .unwrap()
        .iter()
        .map(Wait::describe)
        .collect();
    assert_eq!(
        told,
        ["page 2: 429 Too Many Requests: the run waits 1 s, as the server asked (Retry-After: 1)"]
    );

    sim.script_fault(ScriptedFault::new(
        "/Invoices",
        Some(3),
        ScriptedAction::RateLimited {
            retry_after: Some("999999999".into()),
        },
    ));
    let mut heard = Heard::default();
    let merged = run(&client, &sim, &invoices, Options::default(), &mut heard).await;
    let Finish::Failed { page, message } = &merged.finish else {
        panic!("{:?}", merged.finish)
    };
    assert_eq!(*page, 3);
    assert!(
        message.contains("the server asked to wait 11,574 days (Retry-After: 999999999), longer than the 5 min a run waits"),
        "{message}"
    );
    assert!(heard.waits.lock().unwrap().is_empty(), "no wait began");
    assert_eq!(merged.pages, 2);
    sim.shutdown().await;
}

/// Item 15: an answer cut short or a gateway's HTML page is retried like a 5xx (the first page
/// too); one that stays unreadable fails its page, named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_cut_short_or_in_html_are_retried_like_a_5xx() {
    let sim = simulator().await;
    let client = client(&sim, ByteSize::mib(16));
    let invoices = request("/Invoices", &[("PageSize", "50")]);
    let truth = run(
        &client,
        &sim,
        &invoices,
        Options::default(),
        &mut Heard::default(),
    )
    .await;
    assert_eq!(truth.finish, Finish::Complete);
    let before = requests_to(&sim, "/Invoices").len();
    sim.script_fault(ScriptedFault::new(
        "/Invoices",
        Some(1),
        ScriptedAction::Cut,
    ));
    sim.script_fault(ScriptedFault::new("/Invoices", Some(2), ScriptedAction::Html).times(2));
    sim.script_fault(ScriptedFault::new(
        "/Invoices",
        Some(3),
        ScriptedAction::Cut,
    ));
    let mut heard = Heard::default();
    let merged = run(&client, &sim, &invoices, Options::default(), &mut heard).await;
    assert_eq!(merged.finish, Finish::Complete, "{}", merged.summary());
    assert_eq!(merged.records, truth.records);
    let tries = |page: &str| {
        requests_to(&sim, "/Invoices")[before..]
            .iter()
            .filter(|r| {
                r.query.contains(&format!("PageNumber={page}&"))
                    || r.query.ends_with(&format!("PageNumber={page}"))
            })
            .count()
    };
    assert_eq!((tries("1"), tries("2"), tries("3")), (2, 3, 2));
    let told: Vec<String> = heard
        .waits
        .lock()
        .unwrap()
        .iter()
        .map(Wait::describe)
        .collect();
    assert!(
        told.iter().any(|t| t.starts_with(
            "page 1: 200 OK: the answer (application/json; charset=utf-8) is not JSON (cut short?)"
        )),
        "{told:?}"
    );
    assert!(
        told.iter()
            .any(|t| t.starts_with("page 2: 502 Bad Gateway") && t.contains(": retry 2 of 3 in")),
        "{told:?}"
    );

    sim.script_fault(ScriptedFault::new("/Invoices", Some(2), ScriptedAction::Cut).times(4));
    let merged = run(
        &client,
        &sim,
        &invoices,
        Options::default(),
        &mut Heard::default(),
    )
    .await;
    let Finish::Failed { page, message } = &merged.finish else {
        panic!("{:?}", merged.finish)
    };
    assert_eq!((*page, merged.pages), (2, 1));
    assert!(message.contains("is not JSON (cut short?)"), "{message}");
    sim.shutdown().await;
}
