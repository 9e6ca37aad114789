//! The history in the UI, over real HTTP: the app and its runner against the simulator, with a
//! history file in a temp directory. A sent request appears in the list; Enter loads it into
//! the builder and it is sent again; `v` shows the stored answer without a request (the
//! simulator's log proves it); `=` compares the same call in two legal entities, and an
//! account before and after a PATCH; `d` deletes.

use crate::common;
use crate::common::live::Live;

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;

use crossterm::event::KeyCode;
use younium_tui::diff::{ChangeKind, Diff};
use younium_tui::history::{History, Limits};
use younium_tui::simulator::{Simulator, demo};
use younium_tui::tui::app::{Focus, Overlay};
use younium_tui::tui::diff_view::DiffView;
use younium_tui::tui::history::HistoryAccess;
use younium_tui::tui::panes::connection::ConnectionPane;
use younium_tui::tui::panes::response::ResponseState;
use younium_tui::younium::{ApiRequest, Environment, Method, Param, Secret};

/// The app and its runner against a simulator, recording into a history file of their own.
struct Rig {
    live: Live,
    sim: Simulator,
    history: History,
    path: PathBuf,
}

impl Drop for Rig {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

async fn rig(name: &str) -> Rig {
    let sim = common::simulator().await;
    let path = std::env::temp_dir().join(format!(
        "younium-tui-history-{name}-{}.sqlite3",
        std::process::id()
    ));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let (history, notice) = History::open(&path, Limits::default()).unwrap();
    assert_eq!(notice, None);
    let mut pane = ConnectionPane::with_credentials(demo::CLIENT_ID, Secret::new(demo::SECRET));
    pane.set_environment(Environment::Custom(sim.base_url()));
    pane.choose_legal_entity(Some(demo::LEGAL_ENTITIES[0].name.into()));
    let mut live = Live::signed_in(pane, Some(history.clone()));
    live.app.use_history(HistoryAccess::On(path.clone()));
    Rig {
        live,
        sim,
        history,
        path,
    }
}

impl Deref for Rig {
    type Target = Live;

    fn deref(&self) -> &Live {
        &self.live
    }
}

impl DerefMut for Rig {
    fn deref_mut(&mut self) -> &mut Live {
        &mut self.live
    }
}

impl Rig {
    /// Sends `request` from the builder and waits for its answer to be shown and recorded.
    async fn send(&mut self, request: &ApiRequest) -> u16 {
        self.apply(younium_tui::tui::app::Action::Load(Box::new(
            younium_tui::tui::app::Loading::Request(request.clone()),
        )));
        self.focus(Focus::Request);
        self.press(KeyCode::F(5));
        self.until(
            "the answer",
            |app| matches!(&app.response().state(), ResponseState::Shown(s) if s.doc.is_some()),
        )
        .await;
        self.history.flush();
        self.app.response().shown().unwrap().response.status
    }

    /// Opens the box and waits for its list.
    async fn open_history(&mut self) {
        self.press(KeyCode::Char('H'));
        self.until(
            "the list",
            |app| matches!(&app.overlay(), Some(Overlay::History(b)) if b.entries.is_some()),
        )
        .await;
    }

    fn listed(&self) -> Vec<String> {
        match &self.app.overlay() {
            Some(Overlay::History(b)) => {
                let all = b.entries.as_deref().unwrap_or_default();
                b.visible
                    .iter()
                    .map(|i| {
                        format!(
                            "#{} {} {} {}",
                            all[*i].id, all[*i].method, all[*i].path, all[*i].status
                        )
                    })
                    .collect()
            }
            other => panic!("no history box: {other:?}"),
        }
    }

    fn api_requests(&self) -> usize {
        self.sim
            .log()
            .iter()
            .filter(|r| !r.path.starts_with("/auth"))
            .count()
    }

    fn shown_body(&self) -> serde_json::Value {
        serde_json::from_slice(&self.app.response().shown().unwrap().response.body).unwrap()
    }

    /// Waits for the comparison the last key started; its differences.
    async fn compared(&mut self) -> Vec<(String, ChangeKind)> {
        self.until("the comparison", |app| {
            matches!(&app.overlay(), Some(Overlay::Compare(c)) if c.view.is_some() || c.error.is_some())
        })
        .await;
        let Some(Overlay::Compare(c)) = &self.app.overlay() else {
            unreachable!()
        };
        assert_eq!(c.error, None);
        changes(c.view.as_ref().expect("a diff"))
    }

    fn set_legal_entity(&mut self, name: &str) {
        self.live.type_legal_entity(name);
    }
}

/// The differences a comparison lists: (JSON path, what changed).
fn changes(view: &DiffView) -> Vec<(String, ChangeKind)> {
    match view.diff() {
        Diff::Json(json) => json
            .changes
            .iter()
            .map(|c| (c.path.to_string(), c.kind.clone()))
            .collect(),
        other => panic!("not a JSON diff: {other:?}"),
    }
}

fn get(path: &str, query: &[(&str, &str)]) -> ApiRequest {
    let mut request = ApiRequest::new(Method::Get, path);
    request.query = query.iter().map(|(k, v)| Param::new(*k, *v)).collect();
    request
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sent_request_is_listed_loaded_sent_again_and_viewed_without_a_request() {
    let mut rig = rig("flow").await;
    assert_eq!(rig.send(&get("/Accounts", &[("PageSize", "2")])).await, 200);
    assert_eq!(rig.send(&get("/Invoices", &[("PageSize", "1")])).await, 200);
    rig.open_history().await;
    assert_eq!(
        rig.listed(),
        ["#2 GET /Invoices 200", "#1 GET /Accounts 200"],
        "newest first"
    );
    // Filter as you type.
    rig.press(KeyCode::Char('/'));
    rig.typed("acc");
    assert_eq!(rig.listed(), ["#1 GET /Accounts 200"]);
    rig.press(KeyCode::Enter);

    // Enter loads it into the builder; sending it again makes a third entry.
    rig.press(KeyCode::Enter);
    assert!(rig.app.overlay().is_none());
    rig.until("the entry loaded", |app| {
        app.request().template() == "/Accounts"
    })
    .await;
    assert_eq!(rig.app.focus(), Focus::Request);
    let built = rig.app.request().build().unwrap();
    assert_eq!(built.method, Method::Get);
    assert_eq!(built.query, [Param::new("PageSize", "2")]);
    rig.press(KeyCode::F(5));
    rig.until(
        "the answer",
        |app| matches!(&app.response().state(), ResponseState::Shown(s) if s.doc.is_some()),
    )
    .await;
    rig.history.flush();
    rig.open_history().await;
    assert_eq!(rig.listed().len(), 3);

    // `v` on the Invoices entry shows the stored answer; nothing reaches the server.
    let before = rig.api_requests();
    rig.press(KeyCode::Down);
    assert_eq!(
        rig.app.overlay().as_ref().map(|_| ()),
        Some(()),
        "still open after moving"
    );
    rig.press(KeyCode::Char('v'));
    rig.until("the stored answer", |app| {
        matches!(&app.response().state(), ResponseState::Shown(s)
            if s.request.path == "/Invoices" && s.doc.is_some())
    })
    .await;
    assert_eq!(rig.api_requests(), before, "viewing sent nothing");
    let shown = rig.app.response().shown().unwrap();
    assert!(
        shown
            .notes
            .iter()
            .any(|n| n.contains("stored in the history as #2")),
        "{:?}",
        shown.notes
    );
    assert_eq!(rig.shown_body()["data"].as_array().unwrap().len(), 1);

    // `d` deletes an entry.
    rig.open_history().await;
    rig.press(KeyCode::Char('d'));
    rig.until("the deletion", |app| {
        app.status()
            .as_deref()
            .is_some_and(|s| s.starts_with("Deleted #3"))
    })
    .await;
    assert_eq!(rig.history.with_store(|s| s.list(None)).unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_call_in_two_legal_entities_differs_in_its_values() {
    let mut rig = rig("entities").await;
    let request = get("/Accounts", &[("PageSize", "2")]);
    assert_eq!(rig.send(&request).await, 200);
    rig.set_legal_entity(demo::LEGAL_ENTITIES[1].name);
    assert_eq!(rig.send(&request).await, 200);
    rig.focus(Focus::Response);
    rig.press(KeyCode::Char('='));
    let changed = rig.compared().await;
    assert!(
        changed.iter().any(|(path, _)| path == ".data[0].name"),
        "{changed:?}"
    );

    // The same two as history entries: mark one, pick the other.
    rig.press(KeyCode::Esc);
    rig.open_history().await;
    rig.press(KeyCode::Char('m'));
    rig.press(KeyCode::Down);
    rig.press(KeyCode::Char('='));
    let changed = rig.compared().await;
    assert!(
        changed.iter().any(|(path, _)| path == ".data[0].name"),
        "{changed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_before_and_after_a_patch_differs_in_the_patched_field() {
    let mut rig = rig("patch").await;
    assert_eq!(rig.send(&get("/Accounts", &[("PageSize", "1")])).await, 200);
    let id = rig.shown_body()["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/Accounts/{id}");
    assert_eq!(rig.send(&get(&path, &[])).await, 200);
    let mut patch = ApiRequest::new(Method::Patch, &path);
    patch.body = Some(r#"{"name": "Renamed by the test AB"}"#.into());
    assert_eq!(rig.send(&patch).await, 200);
    assert_eq!(rig.send(&get(&path, &[])).await, 200);
    rig.focus(Focus::Response);
    rig.press(KeyCode::Char('='));
    let changed = rig.compared().await;
    let name = changed
        .iter()
        .find(|(path, _)| path == ".name")
        .unwrap_or_else(|| panic!("{changed:?}"));
    assert!(
        matches!(&name.1, ChangeKind::Changed { new, .. } if new == "\"Renamed by the test AB\""),
        "{name:?}"
    );
    assert!(
        changed.iter().all(|(path, _)| path == ".name"
            || path.starts_with(".modified")
            || path.starts_with(".updated")
            || path.starts_with(".lastModified")),
        "only the patched field (and the time of the change) differ: {changed:?}"
    );
}
