use serde_json::{Value, json};

use super::*;
use crate::catalog::catalog;
use crate::request::Method;

/// A small map in the asset's own form.
fn map() -> SchemaMap {
    serde_json::from_value(json!({
        "Currency": {"type": "string", "enum": ["SEK", "EUR", "USD"]},
        "LookupKey": {"type": "object", "closed": true, "properties": [
            {"name": "key", "type": "string", "nullable": true},
            {"name": "value", "type": "string", "nullable": true}
        ]},
        "Address": {"type": "object", "properties": [
            {"name": "city", "required": true, "type": "string", "maxLength": 50},
            {"name": "zip", "type": "string"},
            {"name": "country", "required": true, "$ref": "Currency", "nullable": true}
        ]},
        "Line": {"type": "object", "properties": [
            {"name": "quantity", "required": true, "type": "number", "minimum": 0, "maximum": 1000},
            {"name": "id", "required": true, "type": "string", "readOnly": true},
            {"name": "product", "required": true, "$ref": "LookupKey", "example": "P-1"}
        ]},
        "Order": {"type": "object", "properties": [
            {"name": "name", "required": true, "type": "string", "minLength": 1},
            {"name": "count", "required": true, "type": "integer", "format": "int32"},
            {"name": "active", "required": true, "type": "boolean"},
            {"name": "currency", "required": true, "$ref": "Currency"},
            {"name": "address", "required": true, "$ref": "Address"},
            {"name": "lines", "required": true, "type": "array", "items": {"$ref": "Line"}},
            {"name": "note", "type": "string", "nullable": true, "example": "hello"},
            {"name": "parent", "$ref": "Order", "nullable": true}
        ]},
        "Loop": {"type": "object", "properties": [
            {"name": "next", "required": true, "$ref": "Loop"}
        ]},
        "Alias": {"$ref": "Alias"}
    }))
    .unwrap()
}

#[test]
fn references_resolve_and_keep_the_referrers_facts() {
    let map = map();
    let order = Schema::named("Order");
    let country = map.at_path(&order, "address.country").unwrap();
    assert!(country.nullable, "the allOf wrapper's nullable stays");
    let resolved = map.resolve(country);
    assert_eq!(resolved.kind.as_deref(), Some("string"));
    assert_eq!(
        resolved.values,
        vec![json!("SEK"), json!("EUR"), json!("USD")]
    );
    assert_eq!(map.describe(country), "string, enum SEK|EUR|USD, nullable");
    // An unknown name and a reference to itself both end cut, never loop.
    assert!(map.resolve(&Schema::named("Nope")).cut);
    assert!(map.resolve(&Schema::named("Alias")).cut);
}

#[test]
fn paths_step_through_objects_and_arrays() {
    let map = map();
    let order = Schema::named("Order");
    for path in [
        "lines[0].quantity",
        "$.lines[].quantity",
        "lines.[3].quantity",
    ] {
        let q = map.at_path(&order, path).unwrap();
        assert_eq!(q.kind.as_deref(), Some("number"), "{path}");
        assert_eq!(map.describe(q), "number, 0..=1000");
    }
    assert_eq!(
        map.describe(map.at_path(&order, "lines").unwrap()),
        "array of Line"
    );
    assert_eq!(
        map.describe(map.at_path(&order, "address.city").unwrap()),
        "string, length ≤ 50"
    );
    assert_eq!(map.at_path(&order, "").unwrap(), &order);
    assert!(map.at_path(&order, "nothing").is_none());
    assert!(map.at_path(&order, "name.deeper").is_none());
}

#[test]
fn recursion_is_cut_at_the_fixed_depth() {
    let map = map();
    let deep = ["next"; MAX_DEPTH + 2].join(".");
    assert!(map.at_path(&Schema::named("Loop"), &deep).unwrap().cut);
    let shallow = ["next"; MAX_DEPTH - 1].join(".");
    assert!(!map.at_path(&Schema::named("Loop"), &shallow).unwrap().cut);
    // A required field that refers back to its own object: the skeleton stops, with `{}`.
    let mut value = skeleton_value(&map, &Schema::named("Loop"));
    let mut depth = 0;
    while let Some(next) = value.get("next") {
        value = next.clone();
        depth += 1;
    }
    assert_eq!(value, json!({}));
    assert_eq!(depth, MAX_DEPTH);
}

#[test]
fn a_skeleton_holds_the_required_fields_with_values_of_their_type() {
    let map = map();
    let value = skeleton_value(&map, &Schema::named("Order"));
    assert_eq!(
        value,
        json!({
            "name": "",
            "count": 0,
            "active": false,
            "currency": "SEK",
            "address": {"city": "", "country": "SEK"},
            "lines": []
        })
    );
    let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["name", "count", "active", "currency", "address", "lines"]
    );
    // An array's item: read-only fields are left out, the example is used.
    let line = skeleton_value(
        &map,
        map.at_path(&Schema::named("Order"), "lines[0]").unwrap(),
    );
    assert_eq!(line, json!({"quantity": 0, "product": "P-1"}));
}

#[test]
fn missing_fields_lists_what_an_object_may_still_take() {
    let map = map();
    let have = json!({"name": "x", "count": 1, "active": true, "address": {}, "lines": []});
    let hints = missing_fields(&map, &Schema::named("Order"), &have);
    let texts: Vec<String> = hints.iter().map(FieldHint::text).collect();
    assert_eq!(
        texts,
        [
            "currency: string, enum SEK|EUR|USD, required",
            "note: string, nullable",
            "parent: Order, nullable",
        ]
    );
    assert_eq!(hints[0].value, json!("SEK"));
    assert_eq!(hints[1].value, json!("hello"));
    let order = Schema::named("Order");
    let address = map.at_path(&order, "address").unwrap();
    let names: Vec<String> = missing_fields(&map, address, &json!({"city": "Lund"}))
        .into_iter()
        .map(|h| h.name)
        .collect();
    assert_eq!(names, ["country", "zip"]);
    // Not an object schema: nothing to offer.
    let name = map.at_path(&order, "name").unwrap();
    assert!(missing_fields(&map, name, &json!("x")).is_empty());
}

fn skeleton_of(method: Method, path: &str) -> Value {
    let op = catalog().find(method, path).unwrap();
    serde_json::from_str(&op.skeleton().unwrap()).unwrap()
}

#[test]
fn post_accounts_needs_a_name_and_a_currency() {
    let op = catalog().find(Method::Post, "/Accounts").unwrap();
    assert_eq!(
        op.skeleton().unwrap(),
        "{\n  \"name\": \"\",\n  \"currency\": \"SEK\"\n}"
    );
    let hints = missing_body_fields(op, &json!({"name": "Acme"}));
    assert_eq!(
        hints[0].text(),
        "currency: LookupKeyCurrency (GUID, code or {key, value}), required"
    );
    assert!(hints.iter().skip(1).all(|h| !h.required));
    assert!(hints.iter().any(|h| h.name == "accountType"
        && h.kind == "string, enum Customer|Reseller|Subsidiary|Prospect|Other, nullable"));
}

#[test]
fn post_subscriptions_skeleton() {
    assert_eq!(
        skeleton_of(Method::Post, "/Subscriptions"),
        json!({"status": "Draft", "account": "A-000001"})
    );
}

#[test]
fn a_nested_body_skeleton() {
    // An on-account invoice's lines: the field picker offers `invoiceLines` as `[]`, and a
    // line inserted into it starts from the item's own skeleton.
    let op = catalog()
        .find(Method::Post, "/Invoices/onAccountInvoice")
        .unwrap();
    let hints = missing_body_fields(op, &json!({"currency": "SEK"}));
    let lines = hints.iter().find(|h| h.name == "invoiceLines").unwrap();
    assert_eq!(
        lines.text(),
        "invoiceLines: array of CreateOnAccountInvoiceLineRequest, nullable"
    );
    assert_eq!(lines.value, json!([]));
    let item = op.body_schema_at("invoiceLines[0]").unwrap();
    assert_eq!(
        skeleton_value(catalog().schemas(), item),
        json!({
            "productName": "",
            "price": 0,
            "quantity": 0,
            "unitOfMeasure": "pcs",
            "recognizedRevenueAccount": "1510"
        })
    );
    let quantity = op.body_schema_at("$.invoiceLines[2].quantity").unwrap();
    assert_eq!(catalog().schemas().describe(quantity), "number, double");
    // A subscription's product line.
    let subscription = catalog().find(Method::Post, "/Subscriptions").unwrap();
    let product = subscription.body_schema_at("products[]").unwrap();
    assert_eq!(
        skeleton_value(catalog().schemas(), product),
        json!({"product": "P-000001"})
    );
}

#[test]
fn answers_have_schemas_too() {
    let op = catalog().find(Method::Get, "/Accounts/x").unwrap();
    assert_eq!(
        op.response_schema(),
        Some(&Schema::named("AccountResponse"))
    );
    assert!(op.response_schema_at("name").is_some());
    let list = catalog().find(Method::Get, "/Accounts").unwrap();
    assert!(list.response_schema_at("data[0].name").is_some());
}

#[test]
fn patch_bodies_start_empty_and_get_requests_have_none() {
    assert_eq!(skeleton_of(Method::Patch, "/Accounts/x"), json!({}));
    let op = catalog().find(Method::Patch, "/Accounts/x").unwrap();
    assert!(missing_body_fields(op, &json!({})).len() > 5);
    assert!(
        catalog()
            .find(Method::Get, "/Accounts")
            .unwrap()
            .skeleton()
            .is_none()
    );
}

#[test]
fn every_write_operation_has_a_skeleton_and_a_figure() {
    // Figures for the notes (a debug build here; no timed assertion): the asset parsed, every
    // write operation's skeleton, and every one loaded into the request builder.
    let start = std::time::Instant::now();
    let parsed: crate::catalog::Catalog =
        serde_json::from_str(include_str!("../../../../assets/endpoints.json")).unwrap();
    let parse = start.elapsed();
    assert_eq!(parsed.schemas(), catalog().schemas());
    let writes: Vec<_> = catalog()
        .operations
        .iter()
        .filter(|op| op.body.is_some())
        .collect();
    assert_eq!(writes.len(), 46);
    let start = std::time::Instant::now();
    let mut slowest = std::time::Duration::ZERO;
    for op in &writes {
        let one = std::time::Instant::now();
        let text = op.skeleton().unwrap();
        slowest = slowest.max(one.elapsed());
        assert!(
            serde_json::from_str::<Value>(&text).unwrap().is_object(),
            "{}",
            op.path
        );
    }
    let skeletons = start.elapsed();
    eprintln!(
        "asset parsed in {parse:?}; skeletons of {} write operations in {skeletons:?} \
         (slowest {slowest:?})",
        writes.len()
    );
}

#[test]
fn hint_text_is_safe_for_the_terminal() {
    let hint = FieldHint {
        name: "evil\u{1b}[2J".into(),
        kind: "string\nnext".into(),
        required: false,
        value: json!(""),
    };
    assert_eq!(hint.text(), r"evil\e[2J: string\nnext");
}

/// The fields the top level of `op`'s body may still take, given `value`.
fn missing_body_fields(op: &crate::catalog::Operation, value: &Value) -> Vec<FieldHint> {
    missing_fields(catalog().schemas(), op.body_schema_at("").unwrap(), value)
}
