//! The all-pages engine over real HTTP against the simulator: records in order and none
//! twice at every concurrency, a 429 that pauses the whole run, 5xx and dropped connections
//! retried, a page that keeps failing, cancellation, and a token revoked mid-run.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use younium_tui::session::ApiClient;
use younium_tui::simulator::{ScriptedAction, ScriptedFault, Simulator, SimulatorConfig, demo};
use younium_tui::younium::all_pages::{self, Finish, Merged, Options, Progress, Target};
use younium_tui::younium::paging::with_page;
use younium_tui::younium::{ApiRequest, ApiVersion, CallSettings, Method, Param};

const PAGE_SIZE: u64 = 50;

async fn simulator() -> Simulator {
    common::simulator_with(SimulatorConfig {
        extra_invoices: 500,
        ..SimulatorConfig::default()
    })
    .await
}

fn client(sim: &Simulator) -> ApiClient {
    common::clients::demo_client(sim, common::clients::http())
}

fn settings(version: ApiVersion) -> CallSettings {
    CallSettings {
        api_version: version,
        legal_entity: Some(demo::LEGAL_ENTITIES[0].name.to_string()),
    }
}

fn invoices() -> ApiRequest {
    let mut req = ApiRequest::new(Method::Get, "/Invoices");
    req.query
        .push(Param::new("PageSize", PAGE_SIZE.to_string()));
    req
}

/// Every invoice id, in the server's order, from one unpaged answer.
async fn truth(sim: &Simulator, client: &ApiClient) -> Vec<String> {
    let mut req = ApiRequest::new(Method::Get, "/Invoices");
    req.query.push(Param::new("simulatorUnpaged", "true"));
    let answer = client
        .call(&sim.base_url(), &req, &settings(ApiVersion::V2_1))
        .await
        .unwrap()
        .response;
    assert_eq!(answer.status, 200);
    ids(&answer.body)
}

fn ids(array: &[u8]) -> Vec<String> {
    let records: Vec<serde_json::Value> = serde_json::from_slice(array).expect("one JSON array");
    records
        .iter()
        .map(|r| r["id"].as_str().expect("an id").to_string())
        .collect()
}

async fn run(
    sim: &Simulator,
    client: &ApiClient,
    req: &ApiRequest,
    options: Options,
    first: Option<&younium_tui::younium::ApiResponse>,
    cancel: CancellationToken,
    mut on_progress: impl FnMut(&Progress) + Send,
) -> Merged {
    let base_url = sim.base_url();
    let settings = settings(ApiVersion::V2_1);
    let target = Target {
        client,
        base_url: &base_url,
        request: req,
        settings: &settings,
    };
    all_pages::collect(target, options, first, &mut on_progress, cancel)
        .await
        .expect("a run")
}

fn pages_of(total: usize) -> u64 {
    total.div_ceil(PAGE_SIZE as usize) as u64
}

fn invoice_requests(sim: &Simulator) -> Vec<younium_tui::simulator::LoggedRequest> {
    sim.log()
        .into_iter()
        .filter(|r| r.path == "/Invoices" && !r.query.contains("simulatorUnpaged"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_in_order_none_twice_at_each_concurrency() {
    let sim = simulator().await;
    let client = client(&sim);
    let truth = truth(&sim, &client).await;
    assert!(truth.len() > 500, "{}", truth.len());
    let pages = pages_of(truth.len());
    for concurrency in [1, 4, 8] {
        let options = Options {
            concurrency,
            ..Options::default()
        };
        let seen = Arc::new(Mutex::new(Vec::<Progress>::new()));
        let log = seen.clone();
        let merged = run(
            &sim,
            &client,
            &invoices(),
            options,
            None,
            CancellationToken::new(),
            move |p| log.lock().unwrap().push(p.clone()),
        )
        .await;
        assert_eq!(merged.finish, Finish::Complete, "concurrency {concurrency}");
        assert_eq!(ids(&merged.records), truth, "concurrency {concurrency}");
        assert_eq!(merged.record_count, truth.len() as u64);
        assert_eq!((merged.pages, merged.pages_total), (pages, Some(pages)));
        assert_eq!(
            merged.summary(),
            format!(
                "all {pages} pages · {} records",
                younium_tui::pretty::thousands(truth.len() as u64)
            )
        );
        let last = seen
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("progress was told");
        assert_eq!(last.pages_done, pages);
        assert_eq!(last.records_done, truth.len() as u64);
        assert_eq!(last.records_total, Some(truth.len() as u64));
    }
    // Each page was asked for once per run: three runs, no page twice within one.
    let requested = invoice_requests(&sim);
    assert_eq!(requested.len() as u64, 3 * pages);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_on_screen_is_not_fetched_again_and_pages_before_it_are() {
    let sim = simulator().await;
    let client = client(&sim);
    let truth = truth(&sim, &client).await;
    let on_screen = client
        .call(
            &sim.base_url(),
            &with_page(&invoices(), 3),
            &settings(ApiVersion::V2_1),
        )
        .await
        .unwrap()
        .response;
    let before = invoice_requests(&sim).len();
    let merged = run(
        &sim,
        &client,
        &with_page(&invoices(), 3),
        Options::default(),
        Some(&on_screen),
        CancellationToken::new(),
        |_| {},
    )
    .await;
    assert_eq!(merged.finish, Finish::Complete);
    assert_eq!(ids(&merged.records), truth);
    let fetched: Vec<String> = invoice_requests(&sim)[before..]
        .iter()
        .map(|r| r.query.clone())
        .collect();
    assert_eq!(
        fetched.len() as u64,
        pages_of(truth.len()) - 1,
        "{fetched:?}"
    );
    assert!(
        fetched
            .iter()
            .all(|q| !q.contains("PageNumber=3&") && !q.ends_with("PageNumber=3")),
        "{fetched:?}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_pauses_the_whole_run_for_its_retry_after() {
    let sim = simulator().await;
    let client = client(&sim);
    let truth = truth(&sim, &client).await;
    sim.script_fault(ScriptedFault::new(
        "/Invoices",
        Some(4),
        ScriptedAction::RateLimited {
            retry_after: Some("1".into()),
        },
    ));
    let waits = Arc::new(Mutex::new(Vec::new()));
    let log = waits.clone();
    let merged = run(
        &sim,
        &client,
        &invoices(),
        Options::default(),
        None,
        CancellationToken::new(),
        move |p| {
            if let Some(wait) = p.waiting {
                log.lock().unwrap().push(wait);
            }
        },
    )
    .await;
    assert_eq!(merged.finish, Finish::Complete);
    assert_eq!(ids(&merged.records), truth);
    let requests = invoice_requests(&sim);
    let limited = requests
        .iter()
        .find(|r| r.status == 429)
        .expect("the scripted 429");
    let at = limited.answered_at.expect("answered");
    // Requests already on their way when the 429 came may land just after it; after that,
    // nothing until the second the server asked for has passed.
    let during: Vec<_> = requests
        .iter()
        .filter(|r| {
            r.received_at > at + Duration::from_millis(100)
                && r.received_at < at + Duration::from_millis(950)
        })
        .map(|r| r.query.clone())
        .collect();
    assert!(during.is_empty(), "requests during the wait: {during:?}");
    let retried = requests
        .iter()
        .filter(|r| r.query.contains("PageNumber=4") && r.status == 200)
        .collect::<Vec<_>>();
    assert_eq!(retried.len(), 1);
    assert!(retried[0].received_at >= at + Duration::from_millis(950));
    assert!(!waits.lock().unwrap().is_empty(), "the wait was shown");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_keeps_failing_ends_the_run_with_its_number() {
    let sim = simulator().await;
    let client = client(&sim);
    let truth = truth(&sim, &client).await;
    // Fails on the first try and on all three retries.
    sim.script_fault(
        ScriptedFault::new("/Invoices", Some(5), ScriptedAction::ServerError(500)).times(4),
    );
    let merged = run(
        &sim,
        &client,
        &invoices(),
        Options::default(),
        None,
        CancellationToken::new(),
        |_| {},
    )
    .await;
    let Finish::Failed { page, message } = &merged.finish else {
        panic!("{:?}", merged.finish);
    };
    assert_eq!(*page, 5);
    assert!(
        message.starts_with("500 Internal Server Error"),
        "{message}"
    );
    assert_eq!(merged.pages, 4);
    assert_eq!(ids(&merged.records), truth[..4 * PAGE_SIZE as usize]);
    let pages = pages_of(truth.len());
    assert!(
        merged.summary().starts_with(&format!(
            "pages 1–4 of {pages}: page 5 failed: 500 Internal Server Error"
        )),
        "{}",
        merged.summary()
    );
    let tries = invoice_requests(&sim)
        .iter()
        .filter(|r| r.query.contains("PageNumber=5"))
        .count();
    assert_eq!(tries, 4);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_and_dropped_connections_are_retried() {
    let sim = simulator().await;
    let client = client(&sim);
    let truth = truth(&sim, &client).await;
    sim.script_fault(
        ScriptedFault::new("/Invoices", Some(2), ScriptedAction::ServerError(503)).times(3),
    );
    sim.script_fault(ScriptedFault::new(
        "/Invoices",
        Some(3),
        ScriptedAction::Drop,
    ));
    // A 429 that names no wait: exponential backoff with jitter.
    sim.script_fault(ScriptedFault::new(
        "/Invoices",
        Some(6),
        ScriptedAction::RateLimited { retry_after: None },
    ));
    let mut retries = 0;
    let merged = run(
        &sim,
        &client,
        &invoices(),
        Options::default(),
        None,
        CancellationToken::new(),
        |p| retries = p.retries,
    )
    .await;
    assert_eq!(merged.finish, Finish::Complete);
    assert_eq!(ids(&merged.records), truth);
    let statuses: Vec<(String, u16)> = invoice_requests(&sim)
        .iter()
        .map(|r| (r.query.clone(), r.status))
        .collect();
    assert_eq!(retries, 5, "{statuses:?}");
    let requests = invoice_requests(&sim);
    let page3: Vec<u16> = requests
        .iter()
        .filter(|r| r.query.contains("PageNumber=3"))
        .map(|r| r.status)
        .collect();
    assert_eq!(page3, [0, 200], "dropped, then answered");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_keeps_the_pages_merged_so_far() {
    let sim = simulator().await;
    let client = client(&sim);
    let truth = truth(&sim, &client).await;
    let pages = pages_of(truth.len());
    // Page 6 hangs; the pages after it come as far as the run holds pages (concurrency + 1
    // held: page 6 in flight, 7 to 10 waiting), and no further. Cancel once those are in.
    sim.script_fault(ScriptedFault::new(
        "/Invoices",
        Some(6),
        ScriptedAction::Delay(Duration::from_secs(30)),
    ));
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    let merged = run(
        &sim,
        &client,
        &invoices(),
        Options::default(),
        None,
        cancel,
        move |p| {
            if p.pages_done == 5 + 4 {
                stop.cancel();
            }
        },
    )
    .await;
    assert_eq!(merged.finish, Finish::Stopped);
    assert_eq!(merged.pages, 5);
    let highest = invoice_requests(&sim)
        .iter()
        .filter_map(|r| {
            r.query
                .split("PageNumber=")
                .nth(1)?
                .split('&')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .max();
    assert_eq!(highest, Some(10), "no page past the window was sent");
    assert_eq!(ids(&merged.records), truth[..5 * PAGE_SIZE as usize]);
    assert_eq!(merged.summary(), format!("pages 1–5 of {pages}: stopped"));
    // Not shut down gracefully: that would wait for the hanging page.
    drop(sim);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_revoked_mid_run_is_renewed_and_the_page_sent_again() {
    let sim = simulator().await;
    let client = client(&sim);
    let truth = truth(&sim, &client).await;
    assert_eq!(sim.stats().token_exchanges, 1);
    sim.script_fault(ScriptedFault::new(
        "/Invoices",
        Some(4),
        ScriptedAction::RevokeTokens,
    ));
    let merged = run(
        &sim,
        &client,
        &invoices(),
        Options {
            concurrency: 1,
            ..Options::default()
        },
        None,
        CancellationToken::new(),
        |_| {},
    )
    .await;
    assert_eq!(merged.finish, Finish::Complete);
    assert_eq!(ids(&merged.records), truth);
    assert_eq!(sim.stats().token_exchanges, 2, "renewed once");
    let page4: Vec<u16> = invoice_requests(&sim)
        .iter()
        .filter(|r| r.query.contains("PageNumber=4"))
        .map(|r| r.status)
        .collect();
    assert_eq!(page4, [401, 200]);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bare_array_is_every_record_already() {
    let sim = simulator().await;
    let client = client(&sim);
    let truth = truth(&sim, &client).await;
    let request = ApiRequest::new(Method::Get, "/Invoices");
    let base_url = sim.base_url();
    let v2_0 = settings(ApiVersion::V2_0);
    let mut quiet = |_: &Progress| {};
    let target = Target {
        client: &client,
        base_url: &base_url,
        request: &request,
        settings: &v2_0,
    };
    let run = all_pages::collect(
        target,
        Options::default(),
        None,
        &mut quiet,
        CancellationToken::new(),
    );
    // The runner spawns it on the runtime: the future must be Send.
    fn is_send<T: Send>(_: &T) {}
    is_send(&run);
    let merged = run.await.unwrap();
    assert_eq!(merged.finish, Finish::Complete);
    assert_eq!((merged.pages, merged.record_count), (1, truth.len() as u64));
    assert_eq!(ids(&merged.records), truth);
    let post = ApiRequest::new(Method::Post, "/Invoices");
    let v2_1 = settings(ApiVersion::V2_1);
    let target = Target {
        request: &post,
        settings: &v2_1,
        ..target
    };
    let err = all_pages::collect(
        target,
        Options::default(),
        None,
        &mut quiet,
        CancellationToken::new(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("only a GET list"), "{err}");
    sim.shutdown().await;
}

/// A v3 export list is followed through its `nextPage` links to the end: every item once, in
/// the server's order, whether the run starts from nothing or from the page on screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_v3_list_is_followed_to_its_last_page() {
    let sim = simulator().await;
    let client = client(&sim);
    let truth = truth(&sim, &client).await;
    let mut req = ApiRequest::new(Method::Get, "/v3/Invoices");
    req.query.push(Param::new("pageSize", "37"));
    let pages = truth.len().div_ceil(37) as u64;
    let merged = run(
        &sim,
        &client,
        &req,
        Options::default(),
        None,
        CancellationToken::new(),
        |_| {},
    )
    .await;
    assert_eq!(merged.finish, Finish::Complete, "{}", merged.summary());
    assert_eq!(merged.pages, pages);
    assert_eq!(ids(&merged.records), truth);
    let v3_requests = |sim: &Simulator| {
        sim.log()
            .into_iter()
            .filter(|r| r.path.eq_ignore_ascii_case("/v3/Invoices"))
            .count()
    };
    assert_eq!(v3_requests(&sim), pages as usize);

    // From the first page on screen: it is not fetched again.
    let first = client
        .call(&sim.base_url(), &req, &settings(ApiVersion::V2_1))
        .await
        .unwrap()
        .response;
    let before = v3_requests(&sim);
    let merged = run(
        &sim,
        &client,
        &req,
        Options::default(),
        Some(&first),
        CancellationToken::new(),
        |_| {},
    )
    .await;
    assert_eq!(ids(&merged.records), truth);
    assert_eq!(v3_requests(&sim) - before, pages as usize - 1);
}
