use super::*;
use crate::config::tests::SAMPLE;

/// A fresh folder for one test's files.
fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("younium-saved-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn invoices() -> SavedRequest {
    SavedRequest {
        name: "Open invoices".into(),
        method: Method::Get,
        path: "/Invoices".into(),
        query: vec![
            Param::new("PageSize", "20"),
            Param {
                name: "Filter".into(),
                value: "status eq 'Open'".into(),
                enabled: false,
            },
        ],
        headers: vec![Param::new("X-Trace", "1")],
        body: None,
        capture: vec![],
        expect: Default::default(),
    }
}

fn new_account() -> SavedRequest {
    SavedRequest {
        name: "New account".into(),
        method: Method::Post,
        path: "/Accounts".into(),
        query: vec![],
        headers: vec![],
        body: Some("{\n  \"name\": \"Acme\",\n  \"note\": \"it's \\\"quoted\\\"\"\n}".into()),
        capture: vec![],
        expect: Default::default(),
    }
}

#[test]
fn a_round_trip_keeps_every_field_and_the_rest_of_the_file_byte_for_byte() {
    let dir = temp_dir("round-trip");
    let path = dir.join("config.toml");
    std::fs::write(&path, SAMPLE).unwrap();
    let mut file = ConfigFile::load(&path).unwrap().unwrap();
    assert_eq!(
        file.save_request(Some("sandbox"), &invoices()).unwrap(),
        SaveOutcome::Added
    );
    assert_eq!(
        file.save_request(None, &new_account()).unwrap(),
        SaveOutcome::Added
    );
    let text = std::fs::read_to_string(&path).unwrap();
    // The saved tables are additions: removing them gives the original file back.
    let sandbox_end = SAMPLE.find("[profiles.prod]").unwrap();
    let (before, after) = SAMPLE.split_at(sandbox_end);
    assert!(text.starts_with(before), "{text}");
    let added = &text[before.len()..text.find("[profiles.prod]").unwrap()];
    assert!(
        added.starts_with("[[profiles.sandbox.requests]]\n"),
        "{added}"
    );
    assert!(text.contains(after.trim_end()), "{text}");
    assert!(text.contains(
        "query = [\n  { name = \"PageSize\", value = \"20\" },\n  { name = \"Filter\", value = \"status eq 'Open'\", enabled = false },\n]"
    ), "{text}");
    assert!(
        text.contains("\n[[requests]]\nname = \"New account\""),
        "{text}"
    );

    let again = ConfigFile::load(&path).unwrap().unwrap();
    let list = again.saved_requests(Some("sandbox"));
    assert_eq!(list.warnings, Vec::<String>::new());
    assert_eq!(
        list.entries,
        vec![
            SavedEntry {
                profile: Some("sandbox".into()),
                request: invoices()
            },
            SavedEntry {
                profile: None,
                request: new_account()
            },
        ]
    );
    // Another profile sees only the top-level ones.
    let prod = again.saved_requests(Some("prod"));
    assert_eq!(prod.entries.len(), 1);
    assert_eq!(prod.entries[0].request.name, "New account");
    assert_eq!(again.saved_requests(None).entries.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn saving_under_a_known_name_replaces_it_in_place_with_its_comment() {
    let dir = temp_dir("replace");
    let path = dir.join("config.toml");
    let original = "# shared requests\n\n# the one we always use\n[[requests]]\nname = \"Accounts\"\nmethod = \"GET\"\npath = \"/Accounts\"\n\n[[requests]]\nname = \"Users\"\nmethod = \"GET\"\npath = \"/Users\"\n";
    std::fs::write(&path, original).unwrap();
    let mut file = ConfigFile::load(&path).unwrap().unwrap();
    let mut changed = SavedRequest {
        name: "Accounts".into(),
        method: Method::Get,
        path: "/Accounts".into(),
        query: vec![Param::new("PageSize", "5")],
        headers: vec![],
        body: None,
        capture: vec![],
        expect: Default::default(),
    };
    assert_eq!(
        file.save_request(None, &changed).unwrap(),
        SaveOutcome::Replaced
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "# shared requests\n\n# the one we always use\n[[requests]]\nname = \"Accounts\"\nmethod = \"GET\"\npath = \"/Accounts\"\nquery = [{ name = \"PageSize\", value = \"5\" }]\n\n[[requests]]\nname = \"Users\"\nmethod = \"GET\"\npath = \"/Users\"\n"
    );
    let entries = file.saved_requests(None).entries;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].request, changed);
    // The same name with a profile is another place: added there, not replaced.
    changed.name = "Users".into();
    let mut with_profile = ConfigFile::parse(&path, "[profiles.a]\n").unwrap();
    assert_eq!(
        with_profile.save_request(Some("a"), &changed).unwrap(),
        SaveOutcome::Added
    );
    assert!(file.delete_request(None, "Users").unwrap());
    assert!(!file.delete_request(None, "Users").unwrap());
    assert_eq!(file.saved_requests(None).entries.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn secrets_and_the_idempotency_key_are_never_saved() {
    let request = ApiRequest {
        method: Method::Post,
        path: "/Accounts".into(),
        query: vec![],
        headers: vec![
            Param::new("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.secret.sig"),
            Param::new("X-Api-Secret", "hunter2"),
            Param::new("x-access-token", "tok"),
            Param::new("Cookie", "session=1"),
            Param::new("younium-idempotency-key", "0b5c-key"),
            Param::new("legal-entity", "Acme AB"),
            // Switching the token off (to see the 401) is kept, without a value.
            Param {
                name: "authorization".into(),
                value: "Bearer old-token".into(),
                enabled: false,
            },
        ],
        body: Some("{}".into()),
        idempotency_key: Some("9f2e-key".into()),
    };
    let (saved, dropped) = SavedRequest::from_request(" Create ", &request);
    assert_eq!(dropped, 5);
    assert_eq!(saved.name, "Create");
    assert_eq!(
        saved.headers,
        vec![
            Param::new("legal-entity", "Acme AB"),
            Param {
                name: "authorization".into(),
                value: String::new(),
                enabled: false,
            }
        ]
    );
    let dir = temp_dir("secrets");
    let path = dir.join("config.toml");
    let (file, _) = save_request_at(&path, None, &saved).unwrap();
    let text = file.text();
    assert!(
        text.contains(r#"{ name = "authorization", value = "", enabled = false }"#),
        "{text}"
    );
    for secret in [
        "eyJ",
        "hunter2",
        "tok\"",
        "session",
        "key",
        "Authorization",
        "old-token",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // A hand-written secret header in the file is not loaded into the builder either.
    let hand = "[[requests]]\nname = \"x\"\nmethod = \"GET\"\npath = \"/A\"\nheaders = [{ name = \"Authorization\", value = \"Bearer t\" }, { name = \"X-Trace\", value = \"1\" }]\n";
    let file = ConfigFile::parse(&path, hand).unwrap();
    let entries = file.saved_requests(None).entries;
    assert_eq!(entries[0].request.headers, vec![Param::new("X-Trace", "1")]);
    assert_eq!(entries[0].request.to_request().idempotency_key, None);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invalid_entries_are_skipped_with_a_warning_and_the_file_still_loads() {
    let text = r#"
[[requests]]
name = "fine"
method = "get"
path = "/Accounts"

[[requests]]
name = "odd method"
method = "FETCH"
path = "/Accounts"

[[requests]]
name = "no path"
method = "GET"

[[requests]]
method = "GET"
path = "/Users"

[[requests]]
name = "bad query"
method = "GET"
path = "/Users"
query = ["PageSize=1"]

[profiles.a]
requests = "nope"
"#;
    let file = ConfigFile::parse(Path::new("/cfg/config.toml"), text).unwrap();
    let list = file.saved_requests(Some("a"));
    assert_eq!(list.entries.len(), 1);
    assert_eq!(list.entries[0].request.method, Method::Get);
    assert_eq!(
        list.warnings,
        vec![
            "`profiles.a.requests` is not a list of requests: ignored",
            "saved request requests[1] skipped: \"odd method\": unknown method \"FETCH\"",
            "saved request requests[2] skipped: \"no path\": no path",
            "saved request requests[3] skipped: no name",
            "saved request requests[4] skipped: \"bad query\": a row of `query` is not { name, value }",
        ]
    );
}

#[test]
fn a_missing_file_is_created_and_a_broken_one_is_left_alone() {
    let dir = temp_dir("create");
    let path = dir.join("sub").join("config.toml");
    let (file, outcome) = save_request_at(&path, None, &invoices()).unwrap();
    assert_eq!(outcome, SaveOutcome::Added);
    assert_eq!(file.path, path);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("[[requests]]\n")
    );

    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "[profiles.a\nclient_id = 1\n").unwrap();
    let e = save_request_at(&broken, None, &invoices()).unwrap_err();
    assert!(
        e.starts_with("not saved, the config file was left as it is: "),
        "{e}"
    );
    assert!(e.contains("line 1"), "{e}");
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "[profiles.a\nclient_id = 1\n"
    );
    // An inline profile cannot hold the list: an error, the file untouched.
    let inline = dir.join("inline.toml");
    std::fs::write(&inline, "profiles = { a = { client_id = \"x\" } }\n").unwrap();
    let e = save_request_at(&inline, Some("a"), &invoices()).unwrap_err();
    assert!(
        e.contains("`profiles.a` in the config file is not a table"),
        "{e}"
    );
    // A profile that is gone from the file is an error, not a new profile.
    let e = save_request_at(&path, Some("gone"), &invoices()).unwrap_err();
    assert!(e.starts_with("no profile \"gone\""), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_comments_of_a_file_with_no_tables_stay_at_its_top() {
    let dir = temp_dir("comment-only");
    let path = dir.join("config.toml");
    std::fs::write(&path, "# my config\n# shared with the team\n").unwrap();
    let (file, _) = save_request_at(&path, None, &invoices()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("# my config\n# shared with the team\n[[requests]]\n"),
        "{text}"
    );
    assert_eq!(file.saved_requests(None).entries.len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// One rule says which headers are secret: a saved request leaves out every one of them
/// (Proxy-Authorization and X-Api-Key too, which the old rule let through), and keeps the
/// idempotency key out as ever.
#[test]
fn every_secret_header_is_left_out_by_the_one_rule() {
    let mut request = ApiRequest::new(Method::Get, "/Accounts");
    for name in [
        "Proxy-Authorization",
        "X-Api-Key",
        "Ocp-Apim-Subscription-Key",
        "X-Password",
        "Set-Cookie",
        "X-Trace",
    ] {
        request.headers.push(Param::new(name, "v-123"));
    }
    let (saved, dropped) = SavedRequest::from_request("x", &request);
    assert_eq!(dropped, 5);
    assert_eq!(saved.headers, [Param::new("X-Trace", "v-123")]);
}

#[test]
fn saving_over_a_request_keeps_the_checks_the_builder_does_not_hold() {
    let dir = temp_dir("keep-checks");
    let path = dir.join("config.toml");
    let original = "[[requests]]\nname = \"Accounts\"\nmethod = \"GET\"\npath = \"/Accounts\"\nexpect = { status = 200 }\ncapture = { firstId = \".data[0].id\" }\n";
    std::fs::write(&path, original).unwrap();
    let mut file = ConfigFile::load(&path).unwrap().unwrap();
    let (changed, _) = SavedRequest::from_request(
        "Accounts",
        &crate::younium::ApiRequest::new(Method::Get, "/Accounts?PageSize=5"),
    );
    assert_eq!(
        file.save_request(None, &changed).unwrap(),
        SaveOutcome::Replaced
    );
    let again = ConfigFile::load(&path).unwrap().unwrap();
    let saved = &again.saved_requests(None).entries[0].request;
    assert_eq!(saved.path, "/Accounts?PageSize=5");
    assert_eq!(saved.expect.status, Some(200));
    assert_eq!(
        saved.capture,
        [("firstId".to_string(), ".data[0].id".to_string())]
    );
}
