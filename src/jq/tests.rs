use super::*;
use serde_json::json;

fn run(filter: &str, body: &str) -> Result<Vec<Value>, RunError> {
    let stop = AtomicBool::new(false);
    let filter = Filter::compile(filter).expect("compiles");
    filter.run(body.as_bytes(), &stop)?.collect()
}

fn run_text(filter: &str, body: &str) -> Vec<String> {
    let stop = AtomicBool::new(false);
    let filter = Filter::compile(filter).expect("compiles");
    let outputs = filter.run_text(body.as_bytes(), &stop).expect("runs");
    outputs.collect::<Result<_, _>>().expect("no error")
}

#[test]
fn text_outputs_keep_the_digits_numbers_arrived_with() {
    let body = r#"{"a": 1250.50, "big": 123456789012345678901234567890, "e": 1e400,
        "s": "x\"y", "o": {"n": 0.10, "l": [1, 2.500, null, true]}}"#;
    assert_eq!(run_text(".a", body), ["1250.50"]);
    assert_eq!(run_text(".big", body), ["123456789012345678901234567890"]);
    assert_eq!(run_text(".e", body), ["1e400"]);
    assert_eq!(run_text(".s", body), [r#""x\"y""#]);
    assert_eq!(
        run_text(".o", body),
        [r#"{"n":0.10,"l":[1,2.500,null,true]}"#]
    );
    // Arithmetic makes a new number, as jq does.
    assert_eq!(run_text(".a + 1", body), ["1251.5"]);
    assert_eq!(run_text(".o.l[]", body), ["1", "2.500", "null", "true"]);
}

const INVOICES: &str = r#"{"data": [
    {"name": "b", "a": 2, "total": 1500.5},
    {"name": "a", "a": 1, "total": 20},
    {"name": "c", "a": 2, "total": 3000}
]}"#;

#[test]
fn iterates_a_list() {
    assert_eq!(
        run(".data[].name", INVOICES).unwrap(),
        [json!("b"), json!("a"), json!("c")]
    );
}

#[test]
fn map_and_unique() {
    assert_eq!(
        run(".data | map(.a) | unique", INVOICES).unwrap(),
        [json!([1, 2])]
    );
}

#[test]
fn select_keeps_the_matching_records() {
    let names = run(".data[] | select(.total > 1000) | .name", INVOICES).unwrap();
    assert_eq!(names, [json!("b"), json!("c")]);
}

#[test]
fn objects_keep_their_key_order_and_numbers_their_value() {
    let out = run(
        "{z: 1, a: .data[0].total, u64: 12345678901234567890, big: 1234567890123456789012}",
        INVOICES,
    )
    .unwrap();
    assert_eq!(
        serde_json::to_string(&out[0]).unwrap(),
        r#"{"z":1,"a":1500.5,"u64":12345678901234567890,"big":1.2345678901234568e+21}"#
    );
}

#[test]
fn values_json_cannot_hold_are_converted_as_jq_prints_them() {
    let out = run("[nan, infinite, -infinite, {(1): 2}]", "null").unwrap();
    assert_eq!(out, [json!([null, f64::MAX, f64::MIN, {"1": 2}])]);
}

#[test]
fn empty_output() {
    assert_eq!(
        run(".data[] | select(.a > 5)", INVOICES).unwrap(),
        Vec::<Value>::new()
    );
    assert_eq!(run("empty", INVOICES).unwrap(), Vec::<Value>::new());
}

#[test]
fn a_compile_error_says_where() {
    let error = Filter::compile(".data[").unwrap_err();
    assert_eq!(error.span, 6..6);
    assert_eq!((error.line, error.column), (1, 7));
    assert!(error.message.contains("end of input"), "{error}");
    assert!(error.to_string().contains("column 7"), "{error}");
}

#[test]
fn an_unknown_filter_is_named_at_its_place() {
    let error = Filter::compile(".data | nosuch(1)").unwrap_err();
    assert_eq!(error.message, "undefined filter `nosuch/1`");
    assert_eq!((error.span.clone(), error.column), (8..14, 9));
}

#[test]
fn the_environment_is_out_of_reach() {
    let error = Filter::compile("env.YOUNIUM_SECRET").unwrap_err();
    assert_eq!(error.message, "undefined filter `env/0`");
    assert!(Filter::compile("$ENV").is_err());
}

#[test]
fn columns_count_characters_and_lines() {
    let error = Filter::compile("\"é\" |\n  .a | )").unwrap_err();
    assert_eq!((error.line, error.column), (2, 8), "{error:?}");
}

#[test]
fn a_runtime_error_ends_the_run_with_its_message() {
    let stop = AtomicBool::new(false);
    let filter = Filter::compile(".data[] | .a[]").unwrap();
    let mut out = filter.run(INVOICES.as_bytes(), &stop).unwrap();
    match out.next() {
        Some(Err(RunError::Filter(message))) => assert!(message.contains("2"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert!(out.next().is_none());
    assert_eq!(
        run("error(\"no\")", "1"),
        Err(RunError::Filter("no".into()))
    );
}

#[test]
fn halt_is_an_error_not_an_exit() {
    assert_eq!(run("halt", "1"), Err(RunError::Halted(0)));
}

#[test]
fn a_body_that_is_not_json_is_an_input_error() {
    assert!(matches!(run(".", "{\"a\": "), Err(RunError::Input(_))));
}

#[test]
fn cancellation_stops_an_endless_filter() {
    let stop = AtomicBool::new(false);
    let filter = Filter::compile("repeat(1)").unwrap();
    let mut out = filter.run(b"null", &stop).unwrap();
    assert_eq!(out.next(), Some(Ok(json!(1))));
    assert_eq!(out.next(), Some(Ok(json!(1))));
    stop.store(true, Ordering::Relaxed);
    assert_eq!(out.next(), Some(Err(RunError::Cancelled)));
    assert_eq!(out.next(), None);
}

#[test]
fn a_large_body_is_freed_apart_after_the_run() {
    let mut body = String::from("[");
    while body.len() <= FREE_APART {
        body.push_str(r#"{"totalAmount": 150000, "n": "I-1"},{"totalAmount": 5},"#);
    }
    body.push_str("{}]");
    let stop = AtomicBool::new(false);
    let filter = Filter::compile(".[] | select(.totalAmount > 100000) | .n").unwrap();
    let outputs = filter.run(body.as_bytes(), &stop).unwrap();
    assert!(outputs.input.is_some());
    let names: Vec<_> = outputs.collect::<Result<_, _>>().unwrap();
    assert!(names.len() > 1000 && names.iter().all(|n| *n == json!("I-1")));
    // A small body is not held.
    assert!(filter.run(b"[]", &stop).unwrap().input.is_none());
}

#[test]
fn a_filter_and_its_results_can_move_to_another_thread() {
    fn send<T: Send + Sync>() {}
    send::<Filter>();
    send::<JqError>();
    send::<RunError>();
    let filter = Filter::compile(".[0]").unwrap();
    let out = std::thread::spawn(move || {
        let stop = AtomicBool::new(false);
        filter
            .run(b"[7]", &stop)
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
    });
    assert_eq!(out.join().unwrap(), Ok(vec![json!(7)]));
}
