use serde_json::{Value, json};

use super::*;
use crate::catalog::catalog;
use crate::request::Method;
use crate::schema::MAX_DEPTH;

/// A small map in the asset's own form.
fn map() -> SchemaMap {
    serde_json::from_value(json!({
        "Kind": {"type": "string", "enum": ["Customer", "Reseller", "Other"]},
        "LookupKey": {"type": "object", "closed": true, "properties": [
            {"name": "key", "type": "string", "nullable": true},
            {"name": "value", "type": "string", "nullable": true}
        ]},
        "Address": {"type": "object", "properties": [
            {"name": "city", "required": true, "type": "string", "maxLength": 5},
            {"name": "zip", "type": "string"}
        ]},
        "Line": {"type": "object", "properties": [
            {"name": "quantity", "required": true, "type": "number", "minimum": 0, "maximum": 1000},
            {"name": "id", "required": true, "type": "string", "readOnly": true},
            {"name": "product", "required": true, "$ref": "LookupKey"},
            {"name": "tags", "type": "array", "items": {"type": "array", "items": {"type": "integer"}}}
        ]},
        "Order": {"type": "object", "properties": [
            {"name": "name", "required": true, "type": "string", "minLength": 1},
            {"name": "count", "required": true, "type": "integer", "format": "int32"},
            {"name": "active", "type": "boolean"},
            {"name": "kind", "$ref": "Kind", "nullable": true},
            {"name": "address", "$ref": "Address", "nullable": true},
            {"name": "lines", "type": "array", "items": {"$ref": "Line"}},
            {"name": "id", "type": "string", "format": "uuid"},
            {"name": "day", "type": "string", "format": "date"},
            {"name": "at", "type": "string", "format": "date-time"},
            {"name": "created", "type": "string", "readOnly": true},
            {"name": "customFields", "type": "object", "nullable": true},
            {"name": "parent", "$ref": "Order"},
            {"name": "anything"}
        ]},
        "Loop": {"type": "object", "properties": [
            {"name": "next", "$ref": "Loop"},
            {"name": "n", "type": "integer"}
        ]}
    }))
    .unwrap()
}

fn order() -> Schema {
    Schema::named("Order")
}

/// `(path, kind, line)` of each problem.
fn found(report: &Report) -> Vec<(String, ProblemKind, Option<usize>)> {
    report
        .problems
        .iter()
        .map(|p| (p.path.clone(), p.kind.clone(), p.line))
        .collect()
}

fn check_text(text: &str, mode: Mode) -> Report {
    validate_text(&map(), &order(), text, mode).expect("JSON")
}

#[test]
fn a_valid_body_has_no_problems() {
    let text = r#"{
  "name": "Acme",
  "count": 3,
  "active": true,
  "kind": null,
  "address": {"city": "Lund"},
  "lines": [{"quantity": 1.5, "product": "P-1", "tags": [[1, 2], []]}],
  "id": "3f1c9a40-0000-4000-8000-000000000001",
  "day": "2026-11-30",
  "at": "2026-11-30T12:00:00",
  "customFields": {"segment": ["any", 1]},
  "anything": [{"x": null}]
}"#;
    let report = check_text(text, Mode::Create);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(report.summary(), "no problems");
    assert_eq!(report.first_error(), None);
}

#[test]
fn each_kind_of_problem_with_its_path_and_line() {
    let text = r#"{
  "count": 1.5,
  "kind": "Buyer",
  "address": {
    "city": "Malmö-Sverige"
  },
  "lines": [
    {"quantity": -1, "product": "P-1"},
    {
      "quantity": "many",
      "product": "",
      "id": "x"
    }
  ],
  "id": "not-a-uuid",
  "day": "2026-02-30",
  "at": "yesterday",
  "created": "2026-01-01",
  "color": "red"
}"#;
    let report = check_text(text, Mode::Create);
    use ProblemKind::*;
    assert_eq!(
        found(&report),
        [
            (".name".into(), Missing, Some(1)),
            (".count".into(), WrongType, Some(2)),
            (".kind".into(), NotInEnum, Some(3)),
            (".address.city".into(), OutOfRange, Some(5)),
            (".lines[0].quantity".into(), OutOfRange, Some(8)),
            (".lines[1].quantity".into(), WrongType, Some(10)),
            (".id".into(), BadFormat, Some(15)),
            (".day".into(), BadFormat, Some(16)),
            (".at".into(), BadFormat, Some(17)),
            (".lines[1].product".into(), Blank, Some(11)),
            (".lines[1].id".into(), ReadOnly, Some(12)),
            (".created".into(), ReadOnly, Some(18)),
            (".color".into(), Unknown, Some(19)),
        ]
    );
    assert_eq!((report.errors, report.to_fill, report.warnings), (9, 1, 3));
    assert_eq!(report.summary(), "9 errors, 1 to fill in, 3 warnings");
    let texts: Vec<String> = report.problems.iter().map(Problem::text).collect();
    assert_eq!(
        texts[..4],
        [
            "line 1  .name: required field missing (string, length ≥ 1)",
            "line 2  .count: expected integer (int32), found 1.5 (not a whole number)",
            "line 3  .kind: \"Buyer\" is not one of Customer|Reseller|Other",
            "line 5  .address.city: too long: 13 characters, at most 5",
        ]
    );
    assert_eq!(
        texts[12],
        "line 19  .color: not a field of Order: Younium ignores it \
         (a custom field goes in customFields)"
    );
    assert_eq!(report.first_error().unwrap().path, ".name");
}

#[test]
fn wrong_types_name_what_was_expected() {
    let map = map();
    let report = validate(
        &map,
        &order(),
        &json!({"name": 5, "count": "3", "active": "yes", "lines": {}, "address": [], "kind": 1}),
        Mode::Create,
    );
    let messages: Vec<(&str, &str)> = report
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (".name", "expected string (length ≥ 1), found number"),
            (".count", "expected integer (int32), found string"),
            (".active", "expected boolean, found string"),
            (".lines", "expected array of Line, found object"),
            (".address", "expected Address (nullable), found array"),
            (
                ".kind",
                "expected string (enum Customer|Reseller|Other, nullable), found number"
            ),
        ]
    );
    assert!(report.problems.iter().all(|p| p.line.is_none()));
    // int32 is range-checked; null only where the schema is nullable.
    let report = validate(
        &map,
        &order(),
        &json!({"name": null, "count": 3_000_000_000_u64, "kind": null}),
        Mode::Create,
    );
    assert_eq!(
        report
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>(),
        [
            "expected string (length ≥ 1), found null",
            "3000000000 is outside the int32 range"
        ]
    );
}

#[test]
fn a_value_in_the_wrong_case_says_which_is_meant() {
    let report = validate(
        &map(),
        &order(),
        &json!({"name": "x", "count": 1, "kind": "customer"}),
        Mode::Create,
    );
    assert_eq!(
        report.problems[0].message,
        "\"customer\" is not one of Customer|Reseller|Other (did you mean \"Customer\"? case matters)"
    );
}

#[test]
fn lookup_keys_take_a_string_or_key_and_value() {
    let map = map();
    let line = |product: Value| {
        let body = json!({"name": "x", "count": 1, "lines": [{"quantity": 1, "product": product}]});
        let report = validate(&map, &order(), &body, Mode::Create);
        report
            .problems
            .iter()
            .map(|p| format!("{} {:?}", p.path, p.kind))
            .collect::<Vec<_>>()
    };
    assert!(line(json!("P-000001")).is_empty());
    assert!(line(json!("3f1c9a40-0000-4000-8000-000000000001")).is_empty());
    assert!(line(json!({"key": "productNumber", "value": "P-1"})).is_empty());
    assert!(line(json!({"value": "P-1"})).is_empty());
    assert_eq!(line(json!("")), [".lines[0].product Blank"]);
    assert_eq!(line(json!("  ")), [".lines[0].product OutOfRange"]);
    assert_eq!(line(json!(7)), [".lines[0].product WrongType"]);
    assert_eq!(line(json!(null)), [".lines[0].product WrongType"]);
    assert_eq!(
        line(json!({"key": "productNumber"})),
        [".lines[0].product.value Missing"]
    );
    assert_eq!(
        line(json!({"value": " ", "extra": 1})),
        [
            ".lines[0].product.value OutOfRange",
            ".lines[0].product.extra Unknown"
        ]
    );
}

#[test]
fn patch_mode_requires_nothing_and_takes_null() {
    let text = "{\n  \"address\": {\"zip\": null},\n  \"count\": null,\n  \"kind\": \"Nope\"\n}";
    let report = check_text(text, Mode::Patch);
    assert_eq!(
        found(&report),
        [(".kind".into(), ProblemKind::NotInEnum, Some(4))]
    );
    assert!(check_text("{}", Mode::Patch).is_clean());
    // The same body as a create misses its required fields (each on the line of its object).
    let report = check_text(text, Mode::Create);
    assert_eq!(
        found(&report)[..3],
        [
            (".name".into(), ProblemKind::Missing, Some(1)),
            (".address.city".into(), ProblemKind::Missing, Some(2)),
            (".address.zip".into(), ProblemKind::WrongType, Some(2)),
        ]
    );
}

#[test]
fn response_mode_reports_shape_not_extras() {
    let map = map();
    let answer = json!({
        "name": "",
        "count": "3",
        "created": "x",
        "surprise": 1,
        "lines": [{"quantity": 5000, "id": "L1", "product": "P"}, {"quantity": 1, "product": "P"}],
        "kind": "Other"
    });
    let report = validate(&map, &order(), &answer, Mode::Response);
    assert_eq!(
        found(&report),
        [
            (".count".into(), ProblemKind::WrongType, None),
            (".lines[1].id".into(), ProblemKind::Missing, None),
        ]
    );
}

#[test]
fn nested_arrays_and_odd_keys_get_jq_paths_and_lines() {
    let text = "{\"name\": \"x\", \"count\": 1, \"lines\": [\n  {\"quantity\": 1, \"product\": \"P\", \"tags\": [[1], [2, \"three\"]]},\n  {\"quantity\": 1, \"product\": \"P\", \"a b\": 1, \"x\\\"y\": 2}\n]}";
    let report = check_text(text, Mode::Create);
    assert_eq!(
        found(&report),
        [
            (
                ".lines[0].tags[1][1]".into(),
                ProblemKind::WrongType,
                Some(2)
            ),
            (r#".lines[1]."a b""#.into(), ProblemKind::Unknown, Some(3)),
            (r#".lines[1]."x\"y""#.into(), ProblemKind::Unknown, Some(3)),
        ]
    );
}

#[test]
fn the_root_has_the_path_dot() {
    let report = check_text("\n\n[1, 2]", Mode::Create);
    assert_eq!(
        found(&report),
        [(".".into(), ProblemKind::WrongType, Some(3))]
    );
    assert_eq!(
        report.problems[0].text(),
        "line 3  .: expected Order, found array"
    );
    assert!(validate_text(&map(), &order(), "{\"name\": ", Mode::Create).is_none());
}

#[test]
fn a_recursive_schema_is_not_followed_past_the_depth() {
    let map = map();
    let mut value = json!({"n": "deep"});
    for _ in 0..MAX_DEPTH + 3 {
        value = json!({"next": value, "n": 1});
    }
    let report = validate(&map, &Schema::named("Loop"), &value, Mode::Create);
    assert!(report.is_clean(), "{report:?}");
    let shallow = json!({"next": {"next": {"n": "two"}}});
    let report = validate(&map, &Schema::named("Loop"), &shallow, Mode::Create);
    assert_eq!(report.problems[0].path, ".next.next.n");
}

#[test]
fn problems_are_capped_and_counted() {
    let lines: Vec<String> = (0..300)
        .map(|i| format!("{{\"quantity\": \"q{i}\", \"product\": \"P\", \"odd{i}\": 1}}"))
        .collect();
    let text = format!(
        "{{\"name\": \"x\", \"count\": 1, \"lines\": [\n{}\n]}}",
        lines.join(",\n")
    );
    let report = check_text(&text, Mode::Create);
    assert_eq!((report.errors, report.warnings), (300, 300));
    assert_eq!(report.problems.len(), MAX_PROBLEMS);
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.severity == Severity::Error)
    );
    assert_eq!(report.problems[0].line, Some(2));
    assert_eq!(report.problems[1].path, ".lines[1].quantity");
    assert_eq!(report.problems[199].line, Some(201));
    assert_eq!(report.summary(), "300 errors, 300 warnings");
}

#[test]
fn hostile_text_never_reaches_the_terminal_raw() {
    let text = "{\"name\": \"x\", \"count\": 1, \"ev\\u001bil\\u009b\": 1, \"kind\": \"\\u202e\\u0007Buyer\", \"id\": \"\u{9b}2J\"}";
    let report = check_text(text, Mode::Create);
    assert_eq!(report.problems.len(), 3);
    for problem in &report.problems {
        let shown = problem.text();
        assert!(!shown.chars().any(crate::sanitize::is_unsafe), "{shown:?}");
        assert_eq!(problem.line, Some(1));
    }
    let unknown = report
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::Unknown)
        .unwrap();
    assert!(
        unknown.text().starts_with("line 1  .\"ev\\u001bil"),
        "{}",
        unknown.text()
    );
    // A long value is cut in the message.
    let long = format!(
        "{{\"name\": \"x\", \"count\": 1, \"kind\": \"{}\"}}",
        "B".repeat(5000)
    );
    let report = check_text(&long, Mode::Create);
    assert!(report.problems[0].message.len() < 120);
}

#[test]
fn summaries() {
    let report = |errors, to_fill, warnings| Report {
        problems: Vec::new(),
        errors,
        to_fill,
        warnings,
    };
    assert_eq!(report(0, 0, 0).summary(), "no problems");
    assert_eq!(report(1, 0, 0).summary(), "1 error");
    assert_eq!(report(0, 0, 1).summary(), "1 warning");
    assert_eq!(report(2, 0, 1).summary(), "2 errors, 1 warning");
    assert_eq!(report(0, 2, 0).summary(), "2 to fill in");
    assert_eq!(
        report(1, 1, 1).summary(),
        "1 error, 1 to fill in, 1 warning"
    );
}

#[test]
fn post_accounts_skeleton_has_one_value_to_fill_in_and_currency_is_required() {
    let op = catalog().find(Method::Post, "/Accounts").unwrap();
    let skeleton = op.skeleton().unwrap();
    let report = op.validate_body(&skeleton).unwrap();
    assert_eq!(
        found(&report),
        [(".name".into(), ProblemKind::Blank, Some(2))]
    );
    assert_eq!((report.errors, report.to_fill), (0, 1));
    assert_eq!(
        report.problems[0].text(),
        "line 2  .name: to fill in: text, at least 1 character"
    );
    let without = "{\n  \"name\": \"Acme\"\n}";
    let report = op.validate_body(without).unwrap();
    assert_eq!(
        found(&report),
        [(".currency".into(), ProblemKind::Missing, Some(1))]
    );
    assert_eq!(
        report.problems[0].message,
        "required field missing (LookupKeyCurrency (GUID, code or {key, value}))"
    );
    let typed = "{\"name\": \"Acme\", \"currency\": {\"key\": \"code\", \"value\": \"SEK\"}, \"accountType\": \"Buyer\", \"Inactive\": false, \"segment\": \"SMB\"}";
    let report = op.validate_body(typed).unwrap();
    assert_eq!(
        report
            .problems
            .iter()
            .map(|p| (p.path.as_str(), p.severity))
            .collect::<Vec<_>>(),
        [
            (".accountType", Severity::Error),
            (".Inactive", Severity::Warning),
            (".segment", Severity::Warning),
        ]
    );
    assert_eq!(
        report.problems[0].message,
        "\"Buyer\" is not one of Customer|Reseller|Subsidiary|Prospect|Other"
    );
}

#[test]
fn a_subscription_body() {
    let op = catalog().find(Method::Post, "/Subscriptions").unwrap();
    assert!(
        op.validate_body(&op.skeleton().unwrap())
            .unwrap()
            .is_clean()
    );
    let body = json!({
        "status": "Draft",
        "account": "A-000001",
        "effectiveStartDate": "2026-01-01",
        "orderDate": "2026-01-01T00:00:00+01:00",
        "term": 12,
        "products": [
            {"product": "P-000001", "charges": [{"chargeNumber": "C-1"}]},
            {"product": {"key": "productNumber", "value": "P-000002"}, "productLineNumber": "two"}
        ]
    });
    let text = serde_json::to_string_pretty(&body).unwrap();
    let report = op.validate_body(&text).unwrap();
    let errors: Vec<&Problem> = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{report:?}");
    assert_eq!(errors[0].path, ".products[1].productLineNumber");
    assert_eq!(errors[0].kind, ProblemKind::WrongType);
    let line = text
        .lines()
        .position(|l| l.contains("productLineNumber"))
        .unwrap()
        + 1;
    assert_eq!(errors[0].line, Some(line));
    // A PATCH takes a merge patch: nothing required, null removes.
    let patch = catalog().find(Method::Patch, "/Subscriptions/x").unwrap();
    assert!(
        patch
            .validate_body("{\"remarks\": null}")
            .unwrap()
            .is_clean()
    );
}

#[test]
fn an_answer_from_the_catalogue() {
    let op = catalog().find(Method::Get, "/Accounts/x").unwrap();
    let report = op
        .validate_response(&json!({"name": "Acme", "accountNumber": 5, "whatever": 1}))
        .unwrap();
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.path == ".accountNumber" && p.kind == ProblemKind::WrongType),
        "{report:?}"
    );
    assert!(
        report
            .problems
            .iter()
            .all(|p| p.kind != ProblemKind::Unknown)
    );
}
