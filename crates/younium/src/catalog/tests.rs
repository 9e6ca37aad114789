//! The catalogue's tests: the asset, search, validation and skeletons.

use super::*;

#[test]
fn the_schemas_wait_for_their_first_use() {
    let parsed = built_in();
    assert!(
        !parsed.schemas.is_parsed(),
        "not parsed with the operations"
    );
    assert!(parsed.operations.len() > 159, "the spec's and the v3 group");
    assert!(parsed.schemas().0.contains_key("InvoiceResponse"));
    assert_eq!(parsed.schemas(), catalog().schemas());
}

#[test]
fn asset_loads_and_searches() {
    let cat = catalog();
    assert!(cat.operations.len() >= 150, "{}", cat.operations.len());
    let invoices: Vec<_> = cat.search("invoice").collect();
    assert!(
        invoices
            .iter()
            .any(|o| o.path == "/Invoices" && o.method == Method::Get)
    );
    assert!(cat.search("GET users").all(|o| o.method == Method::Get));
    assert_eq!(cat.search("no-such-thing").count(), 0);
}

#[test]
fn a_bare_array_of_a_paged_lists_records_is_read_against_its_data() {
    let cat = catalog();
    let accounts = cat.find(Method::Get, "/Accounts").unwrap();
    let describe = |s: Option<&Schema>| cat.schemas().describe(s.unwrap());
    assert_eq!(
        describe(accounts.answer_schema(false)),
        "AccountResponseListPagedResponse"
    );
    assert_eq!(
        describe(accounts.answer_schema(true)),
        "array of AccountResponse, nullable"
    );
    let records = serde_json::json!([{"id": "a", "accountType": "Customer"}]);
    assert!(accounts.validate_response(&records).unwrap().is_clean());
    let wrong = serde_json::json!([{"accountType": "Buyer"}]);
    let report = accounts.validate_response(&wrong).unwrap();
    assert_eq!(report.problems[0].path, "[0].accountType");
    // A single record's answer is read as it is.
    let one = cat.find(Method::Get, "/Accounts/x").unwrap();
    assert_eq!(describe(one.answer_schema(true)), "AccountResponse");
}

#[test]
fn permissions_and_paging_come_from_the_spec() {
    let cat = catalog();
    let users = cat.find(Method::Get, "/Users").unwrap();
    assert_eq!(users.permission.as_deref(), Some("User View"));
    assert!(users.is_paged());
    let account = cat.find(Method::Get, "/accounts/123").unwrap();
    assert_eq!(account.path, "/Accounts/{id}");
    assert_eq!(account.permission.as_deref(), Some("Account View"));
    assert_eq!(account.path_params[0].name, "id");
}

#[test]
fn the_v3_group_comes_after_the_spec_and_is_marked_guessed() {
    let cat = catalog();
    assert_eq!(cat.tags().last(), Some(&V3_TAG));
    let v3: Vec<&Operation> = cat.search("v3").collect();
    assert!(v3.len() >= 8, "{}", v3.len());
    assert!(
        v3.iter()
            .all(|op| op.is_partly_guessed() && op.is_cursor_paged())
    );
    let invoices = cat.find(Method::Get, "/v3/invoices").unwrap();
    assert_eq!(invoices.permission.as_deref(), Some("Invoice View"));
    let lines = cat
        .find(Method::Get, "/V3/Invoices/abc/invoice-lines")
        .unwrap();
    assert_eq!(lines.path, "/v3/invoices/{id}/invoice-lines");
    // The 2.1 endpoints keep their own entries.
    let milestones = cat.find(Method::Get, "/Subscriptions/abc/milestones");
    assert!(milestones.is_none_or(|op| !op.is_partly_guessed()));
    assert!(
        !cat.find(Method::Get, "/Invoices")
            .unwrap()
            .is_partly_guessed()
    );
}

#[test]
fn literal_segments_win_over_placeholders() {
    let cat = catalog();
    let op = cat.find(Method::Post, "/Invoices/paid").unwrap();
    assert_eq!(op.path, "/Invoices/paid");
}

#[test]
fn skeletons() {
    let cat = catalog();
    let post = cat.find(Method::Post, "/Accounts").unwrap();
    let template: Value = serde_json::from_str(&post.skeleton().unwrap()).unwrap();
    assert!(template.is_object());
    assert!(
        cat.find(Method::Get, "/Accounts")
            .unwrap()
            .skeleton()
            .is_none()
    );
}

mod skeleton_tests {
    use crate::schema::Severity;

    /// The skeleton of every write body passes the spec's own check, but for the values only
    /// the user can give, which are listed as to fill in (never as errors).
    #[test]
    fn every_skeleton_passes_its_own_check_but_for_what_is_to_fill_in() {
        let cat = super::catalog();
        let mut to_fill = 0;
        for op in &cat.operations {
            let Some(skeleton) = op.skeleton() else {
                continue;
            };
            let Some(report) = op.validate_body(&skeleton) else {
                continue;
            };
            let label = format!("{} {}", op.method, op.path);
            assert_eq!(report.errors, 0, "{label}: {:?}", report.problems);
            assert!(
                report
                    .problems
                    .iter()
                    .all(|p| p.severity != Severity::Error),
                "{label}"
            );
            to_fill += report.to_fill;
        }
        assert!(
            to_fill >= 10,
            "the blanks of the spec's bodies are listed: {to_fill}"
        );
        let accounts = cat.find(crate::Method::Post, "/Accounts").unwrap();
        let report = accounts
            .validate_body(&accounts.skeleton().unwrap())
            .unwrap();
        assert_eq!(report.summary(), "1 to fill in");
        assert_eq!(
            report.problems[0].text(),
            "line 2  .name: to fill in: text, at least 1 character"
        );
    }
}
