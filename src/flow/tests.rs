use std::path::Path;

use super::*;
use crate::younium::Method;
use crate::younium::template::{Origin, Vars};

fn flow(text: &str) -> Result<Flow, FlowError> {
    parse(Path::new("f.toml"), text, None)
}

#[test]
fn a_step_reads_in_the_saved_request_shape_with_capture_and_expect() {
    let f = flow(
        r#"
[vars]
name = "Flow {{$timestamp}} AB"

[[step]]
name = "create"
method = "POST"
path = "/Accounts"
query = [{ name = "x", value = "1", enabled = false }]
headers = [{ name = "X-Tag", value = "{{name}}" }]
body = '{"name": "{{name}}"}'
expect = { status = 201, jq = ['.name == "{{name}}"'] }
capture = { accountId = ".id" }

[[step]]
method = "PATCH"
path = "/Accounts/{{accountId}}"

[step.body]
amount = 1250.50
count = 1_000
lines = [{ price = 0.10, tags = ["a", "b"] }]

[step.body.address]
city = "Malmö"
zip = 21_100
"#,
    )
    .unwrap();
    assert_eq!(f.vars["name"], "Flow {{$timestamp}} AB");
    let [create, patch] = &f.steps[..] else {
        panic!("{f:?}")
    };
    assert_eq!(
        (create.number, create.name.as_str(), create.line),
        (1, "create", 5)
    );
    assert_eq!(create.request.method, Method::Post);
    assert!(!create.request.query[0].enabled);
    assert_eq!(create.request.headers[0].value, "{{name}}");
    assert_eq!(create.expect.status, Some(201));
    assert_eq!(
        create.capture,
        [("accountId".to_string(), ".id".to_string())]
    );
    assert_eq!(patch.name, "PATCH /Accounts/{{accountId}}");
    // A table body keeps the digits the file wrote.
    assert_eq!(
        patch.request.body.as_deref(),
        Some(
            r#"{"amount": 1250.50, "count": 1000, "lines": [{"price": 0.10, "tags": ["a", "b"]}], "address": {"city": "Malmö", "zip": 21100}}"#
        )
    );
}

#[test]
fn errors_name_the_file_line_and_column() {
    let cases = [
        ("[[step]]\nmethod = \"GET\"\npath = \n", "f.toml:3:8:"),
        (
            "[[step]]\nmethod = \"FETCH\"\npath = \"/A\"\n",
            "f.toml:2:1: step 1: unknown method \"FETCH\"",
        ),
        (
            "[[step]]\nmethod = \"GET\"\npath = \"/A\"\nexpct = 1\n",
            "f.toml:4:1: step 1: unknown key `expct`",
        ),
        (
            "[[step]]\nmethod = \"GET\"\npath = \"/A\"\nexpect = { status = 99 }\n",
            "f.toml:4:21: step 1: expect: `status` is not a status",
        ),
        (
            "[[step]]\nuse = \"nothing saved\"\n",
            "f.toml:2:1: step 1: no saved request named \"nothing saved\"",
        ),
        ("[vars]\na = 1\n", "f.toml:2:5: vars: `a` is not a string"),
        ("[vars]\n", "f.toml:1:1: no [[step]]"),
        ("steps = []\n", "f.toml:1:1: unknown key `steps`"),
    ];
    for (text, said) in cases {
        let e = flow(text).unwrap_err().to_string();
        assert!(e.starts_with(said), "{text:?}: {e}");
    }
}

#[test]
fn the_check_counts_what_earlier_steps_capture_and_compiles_every_filter() {
    let f = flow(
        r#"
[[step]]
method = "GET"
path = "/Accounts/{{later}}"
capture = { first = ".id" }

[[step]]
method = "GET"
path = "/Accounts/{{first}}/{{given}}"
expect = { jq = ['.a == "{{first}}"', ".b ==="] }
capture = { later = ".x | {{missing}}" }

[[step]]
method = "POST"
path = "/Accounts"
body = '{"n": {{first}} {{first}}}'
"#,
    )
    .unwrap();
    let mut vars = Vars::default();
    vars.set(Origin::CommandLine, "given", "1");
    let problems: Vec<String> = check(&f, &vars).iter().map(ToString::to_string).collect();
    assert_eq!(
        problems[0], "step 1 (GET /Accounts/{{later}}): unknown variable {{later}} in the path",
        "a name captured later does not count: {problems:#?}"
    );
    assert!(
        problems[1].contains("unknown variable {{missing}} in capture later"),
        "{problems:#?}"
    );
    assert!(
        problems[2].contains("expect.jq: the filter \".b ===\" does not compile"),
        "{problems:#?}"
    );
    assert!(
        problems[3].starts_with("step 3 (POST /Accounts): the body is not valid JSON"),
        "{problems:#?}"
    );
    assert_eq!(problems.len(), 4, "{problems:#?}");
}

#[test]
fn a_step_that_uses_a_saved_request_takes_its_checks_and_adds_its_own() {
    let config = crate::config::ConfigFile::parse(
        Path::new("c.toml"),
        r#"
[[requests]]
name = "New account"
method = "POST"
path = "/Accounts"
body = '{"name": "x"}'
expect = { status = 201 }
capture = { accountId = ".id", accountNumber = ".accountNumber" }

[[requests]]
name = "Broken checks"
method = "GET"
path = "/A"
expect = { status = 1 }
"#,
    )
    .unwrap();
    let saved = config.saved_requests(None);
    assert_eq!(saved.entries.len(), 1, "{saved:?}");
    assert!(
        saved.warnings[0].contains("\"Broken checks\": expect: `status` is not a status"),
        "{saved:?}"
    );
    let text = "[[step]]\nuse = \"New account\"\ncapture = { accountId = \".data.id\" }\n\n\
                [[step]]\nuse = \"New account\"\nexpect = { status = 200 }\n";
    let f = parse(Path::new("f.toml"), text, Some((&config, None))).unwrap();
    let [first, second] = &f.steps[..] else {
        panic!("{f:?}")
    };
    assert_eq!(first.request.path, "/Accounts");
    assert_eq!(first.expect.status, Some(201));
    assert_eq!(
        first.capture,
        [
            ("accountId".to_string(), ".data.id".to_string()),
            ("accountNumber".to_string(), ".accountNumber".to_string()),
        ]
    );
    assert_eq!(second.expect.status, Some(200));
    assert_eq!(second.capture.len(), 2);
}
