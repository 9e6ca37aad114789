use jiff::Timestamp;

use super::*;

fn vars(pairs: &[(&str, &str)]) -> Vars {
    let mut vars = Vars::default();
    vars.extend(&Origin::CommandLine, pairs.iter().copied());
    vars
}

fn run(pairs: &[(&str, &str)]) -> Resolver {
    let now: Timestamp = "2026-12-08T09:30:15.75Z".parse().unwrap();
    Resolver::fixed(vars(pairs), now, 7)
}

#[test]
fn pieces_split_text_and_names_and_leave_other_braces_alone() {
    let found: Vec<Piece<'_>> = pieces("/A/{{ id }}/{{x y}}/{{$uuid}}{{{b}}}{{").collect();
    assert_eq!(
        found,
        [
            Piece::Text("/A/"),
            Piece::Var("id"),
            Piece::Text("/{{x y}}/"),
            Piece::Var("$uuid"),
            Piece::Text("{"),
            Piece::Var("b"),
            Piece::Text("}{{"),
        ]
    );
    assert_eq!(
        names("{{a}} {{row.email}} {{a}} {{-x}}"),
        ["a", "row.email"]
    );
    assert_eq!(pieces("").count(), 0);
}

#[test]
fn text_fills_names_and_built_ins() {
    let mut r = run(&[("id", "A-1"), ("greeting", "hello {{who}}"), ("who", "you")]);
    assert_eq!(
        r.text("/Accounts/{{id}}", "the path").unwrap(),
        "/Accounts/A-1"
    );
    assert_eq!(r.text("{{greeting}}!", "x").unwrap(), "hello you!");
    assert_eq!(r.text("{{$now}}", "x").unwrap(), "2026-12-08T09:30:16Z");
    assert_eq!(r.text("{{$today}}", "x").unwrap(), "2026-12-08");
    assert_eq!(r.text("{{$timestamp}}", "x").unwrap(), "1796722215");
    let n: u32 = r.text("{{$randomInt}}", "x").unwrap().parse().unwrap();
    assert!(n <= 1000);
    let two = r.text("{{$uuid}} {{$uuid}}", "x").unwrap();
    let (a, b) = two.split_once(' ').unwrap();
    assert_ne!(a, b, "each use of a built-in is a new value");
    assert!(uuid::Uuid::parse_str(a).is_ok_and(|u| u.get_version_num() == 4));
}

#[test]
fn a_named_variable_is_worked_out_once_per_run() {
    let mut r = run(&[("name", "Flow {{$uuid}} AB")]);
    let first = r.text("{{name}}", "step 1").unwrap();
    assert_eq!(r.text("{{name}}", "step 2").unwrap(), first);
    let mut other = run(&[("name", "Flow {{$uuid}} AB")]);
    other.set(Origin::Row, "unrelated", "1");
    assert!(first.starts_with("Flow ") && first.ends_with(" AB"));
}

#[test]
fn unknown_names_and_cycles_are_named_with_where_they_are_used() {
    let mut r = run(&[
        ("a", "{{b}}"),
        ("b", "x{{c}}"),
        ("c", "{{a}}"),
        ("self", "{{self}}"),
    ]);
    assert_eq!(
        r.text("{{missing}}", "query Filter")
            .unwrap_err()
            .to_string(),
        "unknown variable {{missing}} in query Filter"
    );
    assert_eq!(
        r.text("{{a}}", "the path").unwrap_err(),
        TemplateError::Cycle {
            name: "a".into(),
            chain: "a → b → c → a".into(),
            at: "the path".into(),
        }
    );
    assert!(matches!(
        r.text("{{self}}", "x"),
        Err(TemplateError::Cycle { chain, .. }) if chain == "self → self"
    ));
    assert!(
        r.text("{{$tomorrow}}", "the body")
            .unwrap_err()
            .to_string()
            .starts_with("unknown built-in {{$tomorrow}} in the body")
    );
}

#[test]
fn json_escapes_inside_strings_and_inserts_json_outside() {
    let mut r = run(&[
        ("name", "Acme \"North\"\n\\ AB"),
        ("amount", "1250.50"),
        ("big", "12345678901234567890.000001"),
        ("object", r#"{"id": "P-1"}"#),
        ("word", "SEK"),
        ("empty", ""),
    ]);
    let body = r#"{"name": "{{name}}", "label": "Invoice {{word}} {{amount}}", "amount": {{amount}}, "big": {{big}}, "product": {{object}}, "currency": {{word}}, "note": {{empty}}}"#;
    let filled = r.json(body, "the body").unwrap();
    assert_eq!(
        filled,
        r#"{"name": "Acme \"North\"\n\\ AB", "label": "Invoice SEK 1250.50", "amount": 1250.50, "big": 12345678901234567890.000001, "product": {"id": "P-1"}, "currency": "SEK", "note": ""}"#
    );
    // The digits stay as they were given: nothing is parsed into a float on the way.
    assert!(filled.contains("12345678901234567890.000001"));
    let value: serde_json::Value = serde_json::from_str(&filled).unwrap();
    assert_eq!(value["name"], "Acme \"North\"\n\\ AB");
}

#[test]
fn braces_in_escaped_quotes_and_no_templates_at_all() {
    let mut r = run(&[("v", "x\"y")]);
    // An escaped quote does not end the string: the template is still inside it.
    assert_eq!(
        r.json(r#"{"a": "say \"{{v}}\""}"#, "b").unwrap(),
        r#"{"a": "say \"x\"y\""}"#
    );
    let plain = r#"{"a": "{not a template}", "b": [{"c": {}}]}"#;
    assert_eq!(r.json(plain, "b").unwrap(), plain);
}

#[test]
fn a_body_that_is_not_json_after_filling_in_is_an_error() {
    let mut r = run(&[("half", "{\"a\":"), ("n", "1")]);
    // A value that is not JSON goes in as a string, so the body stays JSON.
    assert_eq!(
        r.json(r#"{"x": {{half}}}"#, "b").unwrap(),
        r#"{"x": "{\"a\":"}"#
    );
    let e = r
        .json(r#"{"x": {{n}} {{n}}}"#, "step 1 (create): the body")
        .unwrap_err();
    let TemplateError::NotJson { at, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(at, "step 1 (create): the body");
    assert!(e.to_string().contains("is not valid JSON"));
    assert!(matches!(
        r.json("{\"x\": {{nope}}}", "b"),
        Err(TemplateError::Unknown { name, .. }) if name == "nope"
    ));
}

#[test]
fn jq_filters_take_values_as_string_content_or_json() {
    let mut r = run(&[("name", "Flow \"1\" AB"), ("n", "3")]);
    assert_eq!(
        r.jq(r#".name == "{{name}}" and .count == {{n}}"#, "expect")
            .unwrap(),
        r#".name == "Flow \"1\" AB" and .count == 3"#
    );
    assert_eq!(
        r.jq(".name == {{name}}", "expect").unwrap(),
        r#".name == "Flow \"1\" AB""#
    );
}

#[test]
fn the_first_source_wins_and_a_capture_replaces_what_was_worked_out() {
    let mut v = Vars::default();
    v.set(Origin::Config, "env", "config");
    v.set(Origin::Profile("sandbox".into()), "env", "profile");
    assert_eq!(v.get("env").unwrap().0, "profile");
    v.set(Origin::Flow, "env", "flow");
    assert_eq!(v.get("env").unwrap().0, "flow");
    v.set(Origin::CommandLine, "env", "flag");
    assert_eq!(v.get("env"), Some(("flag", &Origin::CommandLine)));
    v.remove(&Origin::CommandLine, "env");
    assert_eq!(v.get("env").unwrap().0, "flow");
    let mut r = Resolver::new(v);
    assert_eq!(r.text("{{env}}", "x").unwrap(), "flow");
    r.set(Origin::Session("captured".into()), "env", "captured");
    assert_eq!(r.text("{{env}}", "x").unwrap(), "captured");
    assert!(r.knows("env") && r.knows("$uuid") && !r.knows("$nope") && !r.knows("other"));
}

#[test]
fn backslash_runs_decide_which_quotes_end_a_string() {
    let mut r = run(&[("v", "1")]);
    // `\\"` is an escaped backslash, then the closing quote: the template is outside.
    assert_eq!(
        r.json(r#"{"a": "x\\", "b": {{v}}}"#, "b").unwrap(),
        r#"{"a": "x\\", "b": 1}"#
    );
    // `\\\"` is a backslash and an escaped quote: still inside.
    assert_eq!(
        r.json(r#"{"a": "x\\\" {{v}}"}"#, "b").unwrap(),
        r#"{"a": "x\\\" 1"}"#
    );
}

#[test]
fn a_request_is_filled_in_everywhere_and_names_where_a_name_is_missing() {
    use crate::{ApiRequest, Method, Param};
    let mut req = ApiRequest::new(Method::Post, "/Accounts/{{id}}/x");
    req.query.push(Param::new("Filter", "name eq '{{name}}'"));
    let mut off = Param::new("Off", "{{missing}}");
    off.enabled = false;
    req.query.push(off);
    req.headers.push(Param::new("X-Tag", "{{$today}}"));
    req.body = Some(r#"{"n": {{n}}}"#.into());
    let mut r = run(&[("id", "A-1"), ("name", "Acme"), ("n", "1.10")]);
    let filled = r.request(&req, "").unwrap();
    assert_eq!(filled.path, "/Accounts/A-1/x");
    assert_eq!(filled.query[0].value, "name eq 'Acme'");
    assert_eq!(
        filled.query[1].value, "{{missing}}",
        "a row switched off is not sent"
    );
    assert_eq!(filled.headers[0].value, "2026-12-08");
    assert_eq!(filled.body.as_deref(), Some(r#"{"n": 1.10}"#));
    req.headers.push(Param::new("X-Who", "{{who}}"));
    assert_eq!(
        r.request(&req, "step 2 (read)").unwrap_err().to_string(),
        "unknown variable {{who}} in step 2 (read): header X-Who"
    );
    let found = request_names(&req);
    assert_eq!(found[0], ("id".to_string(), "the path".to_string()));
    assert!(found.iter().all(|(name, _)| name != "missing"));
    assert_eq!(found.len(), 5, "id, name, $today, who, n");
}

#[test]
fn stand_ins_make_a_templated_body_checkable() {
    assert_eq!(
        with_stand_ins(r#"{"a": {{n}}, "b": "x {{y}}", "c": [{{n}}]}"#),
        r#"{"a": 0, "b": "x {{y}}", "c": [0]}"#
    );
    assert_eq!(with_stand_ins("{\"a\": 1}"), "{\"a\": 1}");
}
