use serde_json::json;

use super::*;

fn json_diff(old: serde_json::Value, new: serde_json::Value) -> JsonDiff {
    match compare(old.to_string().as_bytes(), new.to_string().as_bytes()) {
        Diff::Json(d) => d,
        other => panic!("not a JSON diff: {other:?}"),
    }
}

/// Each change as `sign path value(s)`, for short assertions.
fn rows(d: &JsonDiff) -> Vec<String> {
    d.changes
        .iter()
        .map(|c| match &c.kind {
            ChangeKind::Added(v) => format!("+ {} {v}", c.path),
            ChangeKind::Removed(v) => format!("- {} {v}", c.path),
            ChangeKind::Changed { old, new } => format!("~ {} {old} -> {new}", c.path),
        })
        .collect()
}

#[test]
fn added_removed_and_changed_at_nested_paths() {
    let old = json!({"data": [{"id": 1, "name": "Acme", "invoiceLines": [{"productName": "A", "qty": 1}]}], "n": 1});
    let new = json!({"data": [{"id": 1, "name": "Acme AB", "invoiceLines": [{"productName": "B"}], "note": {"x": [1]}}], "n": 1});
    let d = json_diff(old, new);
    assert_eq!(
        rows(&d),
        [
            r#"~ .data[0].name "Acme" -> "Acme AB""#,
            r#"~ .data[0].invoiceLines[0].productName "A" -> "B""#,
            "- .data[0].invoiceLines[0].qty 1",
            r#"+ .data[0].note {"x":[1]}"#,
        ]
    );
    assert_eq!((d.changed, d.added, d.removed), (2, 1, 1));
    assert_eq!(Diff::Json(d).summary(), "2 changed · 1 added · 1 removed");
}

#[test]
fn key_order_is_ignored() {
    let old = br#"{"a": 1, "b": {"x": true, "y": null}}"#;
    let new = br#"{"b":{"y":null,"x":true},"a":1}"#;
    assert_eq!(compare(old, new), Diff::Identical(Sameness::Json));
    // The members in the new order, a removed one before the first member that followed it
    // in the old object.
    let d = json_diff(json!({"a": 1, "gone": 2, "b": 3}), json!({"b": 4, "a": 1}));
    assert_eq!(rows(&d), ["- .gone 2", "~ .b 3 -> 4"]);
    let d = json_diff(json!({"a": 1, "b": 3, "gone": 2}), json!({"b": 4, "a": 1}));
    assert_eq!(rows(&d), ["~ .b 3 -> 4", "- .gone 2"]);
}

#[test]
fn arrays_compare_by_index() {
    let d = json_diff(json!([1, 2, 3]), json!([1, 5]));
    assert_eq!(rows(&d), ["~ [1] 2 -> 5", "- [2] 3"]);
    let d = json_diff(json!({"a": [1]}), json!({"a": [1, {"b": 2}]}));
    assert_eq!(rows(&d), [r#"+ .a[1] {"b":2}"#]);
    // Records without ids everywhere: by index.
    let d = json_diff(
        json!([{"id": 1, "v": 1}, {"v": 2}]),
        json!([{"id": 9, "v": 1}, {"v": 2}]),
    );
    assert_eq!(rows(&d), ["~ [0].id 1 -> 9"]);
}

#[test]
fn records_with_ids_are_matched_by_id() {
    let old = json!({"data": [{"id": "a", "n": 1}, {"id": "b", "n": 2}, {"id": "c", "n": 3}]});
    let new = json!({"data": [{"id": "a", "n": 1}, {"id": "x", "n": 9}, {"id": "b", "n": 2}, {"id": "c", "n": 4}]});
    let d = json_diff(old, new);
    assert_eq!(
        rows(&d),
        [r#"+ .data[1] {"id":"x","n":9}"#, "~ .data[3].n 3 -> 4"]
    );
    // A removal in the middle is one removal (at its old index); `Id` counts as an id.
    let old = json!([{"Id": 1, "v": "p"}, {"Id": 2, "v": "q"}, {"Id": 3, "v": "r"}]);
    let new = json!([{"Id": 1, "v": "p"}, {"Id": 3, "v": "r"}]);
    let d = json_diff(old, new);
    assert_eq!(rows(&d), [r#"- [1] {"Id":2,"v":"q"}"#]);
    // Numbers and strings are different ids.
    let d = json_diff(
        json!([{"id": 1}, {"id": 2}]),
        json!([{"id": "1"}, {"id": 2}]),
    );
    assert_eq!(rows(&d), [r#"+ [0] {"id":"1"}"#, r#"- [0] {"id":1}"#]);
    // No id in common: by index, so the values that differ are listed.
    let d = json_diff(
        json!([{"id": 1, "name": "Acme AB"}]),
        json!([{"id": 7, "name": "Acme Inc"}]),
    );
    assert_eq!(
        rows(&d),
        ["~ [0].id 1 -> 7", r#"~ [0].name "Acme AB" -> "Acme Inc""#]
    );
}

#[test]
fn records_in_another_order_are_not_identical() {
    let old = json!([{"id": "a", "n": 1}, {"id": "b", "n": 2}, {"id": "c", "n": 3}]);
    let new = json!([{"id": "b", "n": 2}, {"id": "a", "n": 1}, {"id": "c", "n": 3}]);
    let d = json_diff(old, new);
    assert_eq!(
        rows(&d),
        [
            r#"~ [0].id "a" -> "b""#,
            "~ [0].n 1 -> 2",
            r#"~ [1].id "b" -> "a""#,
            "~ [1].n 2 -> 1"
        ]
    );
}

#[test]
fn duplicate_ids_fall_back_to_the_index() {
    let d = json_diff(
        json!([{"id": 1, "v": 1}, {"id": 1, "v": 2}]),
        json!([{"id": 1, "v": 1}, {"id": 1, "v": 3}, {"id": 2}]),
    );
    assert_eq!(rows(&d), ["~ [1].v 2 -> 3", r#"+ [2] {"id":2}"#]);
}

#[test]
fn a_value_of_another_type_is_a_change() {
    let d = json_diff(
        json!({"a": 1, "b": "1", "c": [1], "d": {"x": 1}, "e": null}),
        json!({"a": "1", "b": 1, "c": {"0": 1}, "d": [1], "e": false}),
    );
    assert_eq!(
        rows(&d),
        [
            r#"~ .a 1 -> "1""#,
            r#"~ .b "1" -> 1"#,
            r#"~ .c [1] -> {"0":1}"#,
            r#"~ .d {"x":1} -> [1]"#,
            "~ .e null -> false",
        ]
    );
    // The root itself.
    let d = json_diff(json!([1]), json!({"a": 1}));
    assert_eq!(rows(&d), [r#"~ . [1] -> {"a":1}"#]);
}

#[test]
fn odd_keys_are_quoted_as_jq_reads_them() {
    let d = json_diff(
        json!({"a b": {"x\"y": 1, "9lives": 1, "_ok": 1}}),
        json!({"a b": {"x\"y": 2, "9lives": 2, "_ok": 2}}),
    );
    assert_eq!(
        rows(&d),
        [
            r#"~ ."a b"."x\"y" 1 -> 2"#,
            r#"~ ."a b"."9lives" 1 -> 2"#,
            r#"~ ."a b"._ok 1 -> 2"#,
        ]
    );
}

#[test]
fn identical_bodies() {
    assert_eq!(
        compare(b"{\"a\":1}", b"{\"a\":1}"),
        Diff::Identical(Sameness::Bytes)
    );
    assert_eq!(compare(b"", b""), Diff::Identical(Sameness::Bytes));
    assert_eq!(
        compare(b"{\"a\":1}", b"{ \"a\" : 1 }\n"),
        Diff::Identical(Sameness::Json)
    );
    assert_eq!(
        compare(b"a\r\nb\r\n", b"a\nb"),
        Diff::Identical(Sameness::Lines)
    );
    let d = compare(b"x", b"x");
    assert!(d.is_identical());
    assert_eq!(d.summary(), "The two responses are identical");
    assert_eq!(d.difference_count(), 0);
}

fn text_diff(old: &str, new: &str) -> TextDiff {
    match compare(old.as_bytes(), new.as_bytes()) {
        Diff::Text(d) => d,
        other => panic!("not a text diff: {other:?}"),
    }
}

/// A hunk as unified-diff lines with both numbers: `-  3    | c`.
fn hunk_rows(h: &Hunk) -> Vec<String> {
    let n = |x: Option<usize>| x.map_or("-".to_string(), |v| v.to_string());
    h.lines
        .iter()
        .map(|l| {
            let sign = match l.kind {
                LineKind::Context => ' ',
                LineKind::Deleted => '-',
                LineKind::Inserted => '+',
            };
            format!("{sign}{} {} {}", n(l.old), n(l.new), l.text)
        })
        .collect()
}

#[test]
fn text_diff_has_hunks_with_line_numbers_and_context() {
    let old: String = (1..=20).map(|i| format!("line {i}\n")).collect();
    let new = old
        .replace("line 5\n", "line five\n")
        .replace("line 16\n", "line 16\nextra\n");
    let d = text_diff(&old, &new);
    assert_eq!((d.inserted, d.deleted), (2, 1));
    assert_eq!(d.hunks.len(), 2);
    assert_eq!(d.hunks[0].header(), "@@ -2,7 +2,7 @@");
    assert_eq!(
        hunk_rows(&d.hunks[0]),
        [
            " 2 2 line 2",
            " 3 3 line 3",
            " 4 4 line 4",
            "-5 - line 5",
            "+- 5 line five",
            " 6 6 line 6",
            " 7 7 line 7",
            " 8 8 line 8",
        ]
    );
    assert_eq!(d.hunks[1].header(), "@@ -14,6 +14,7 @@");
    assert_eq!(
        hunk_rows(&d.hunks[1])[2..4],
        [" 16 16 line 16", "+- 17 extra"]
    );
    let diff = Diff::Text(d);
    assert_eq!(diff.summary(), "2 lines inserted · 1 deleted in 2 hunks");
    assert_eq!(diff.difference_count(), 2);
    assert!(!text_diff("a\nb\n", "a\nc\n").approximate);
}

#[test]
fn text_insertions_into_an_empty_body() {
    let d = text_diff("", "a\nb\n");
    assert_eq!(d.hunks[0].header(), "@@ -0,0 +1,2 @@");
    assert_eq!(hunk_rows(&d.hunks[0]), ["+- 1 a", "+- 2 b"]);
}

#[test]
fn json_against_a_non_json_body_is_a_line_diff_of_the_pretty_json() {
    let d = text_diff(
        r#"{"a":1,"b":2}"#,
        "<html>\n<b>502 Bad Gateway</b>\n</html>\n",
    );
    assert_eq!(d.note, Some("the old body is JSON, the new one is not"));
    assert_eq!((d.deleted, d.inserted), (4, 3));
    assert_eq!(hunk_rows(&d.hunks[0])[..2], ["-1 - {", r#"-2 -   "a": 1,"#]);
    let d = text_diff("oops", "[1]");
    assert_eq!(d.note, Some("the new body is JSON, the old one is not"));
    assert!(
        Diff::Text(d)
            .summary()
            .ends_with("(the new body is JSON, the old one is not)")
    );
}

#[test]
fn invalid_utf8_is_replaced() {
    let d = text_diff_bytes(b"ok\n\xff\xfe\n", b"ok\nfine\n");
    assert_eq!(hunk_rows(&d.hunks[0])[1], "-2 - \u{fffd}\u{fffd}");
}

fn text_diff_bytes(old: &[u8], new: &[u8]) -> TextDiff {
    match compare(old, new) {
        Diff::Text(d) => d,
        other => panic!("not a text diff: {other:?}"),
    }
}
