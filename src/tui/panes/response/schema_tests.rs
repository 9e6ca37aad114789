//! The answer against the spec: field types on the path line, the flag in the title and the
//! problems in the Headers tab. Reports are built by hand here (the checker has its own tests).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::widgets::Block;

use super::*;
use crate::pretty::Document;
use crate::pretty::path::path_of;
use crate::tui::keymap::{Command, Keymap};
use crate::younium::Method;
use crate::younium::request::{EffectiveHeader, HeaderOrigin, HeaderText, SentRequest};
use crate::younium::schema::ProblemKind;

use super::super::lines::header_lines;
use super::super::{BodyView, ResponseTab, Shown, cursor, jq};

fn accounts_body() -> String {
    serde_json::json!({
        "pageNumber": 1, "pageSize": 20, "totalPages": 1, "totalCount": 2,
        "nextPage": null, "previousPage": null,
        "data": [
            {"id": "53abf01b-5942-4bed-b61f-08da9ad6fb81", "accountNumber": "A-000001",
             "name": "Example Customer 1", "accountType": "Customer", "inactive": false,
             "customFields": {"region": "North"}, "favouriteColour": "green"},
            {"id": "53abf01b-5942-4bed-b61f-08da9ad6fb82", "accountNumber": "A-000002",
             "name": "Example Customer 2", "accountType": "Buyer", "inactive": "no"}
        ]
    })
    .to_string()
}

fn response(status: u16, api_version: &str, body: &str) -> ApiResponse {
    ApiResponse {
        status,
        reason: if status == 200 { "OK" } else { "Bad Request" }.into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: Bytes::from(body.to_string()),
        elapsed: Duration::from_millis(12),
        sent: SentRequest {
            method: Method::Get,
            url: "https://api.sandbox.younium.com/Accounts".into(),
            headers: vec![EffectiveHeader {
                name: "api-version".into(),
                value: HeaderText::Plain(api_version.into()),
                origin: HeaderOrigin::Automatic,
            }],
            body: None,
            sent_at: Timestamp::UNIX_EPOCH,
        },
    }
}

fn shown(id: u64, path: &str, response: ApiResponse) -> Shown {
    let doc = Document::new(response.body.clone(), true);
    Shown {
        id,
        response,
        request: ApiRequest::new(Method::Get, path),
        doc: Some(Arc::new(doc)),
        page: None,
        explanation: None,
        empty_list: None,
        notes: vec![],
    }
}

fn accounts_pane() -> ResponsePane {
    let mut pane = ResponsePane::default();
    pane.show(shown(
        7,
        "/Accounts",
        response(200, "2.1", &accounts_body()),
    ));
    pane
}

fn problem(path: &str, kind: ProblemKind, message: &str) -> Problem {
    Problem {
        path: path.into(),
        severity: Severity::Error,
        kind,
        message: message.into(),
        line: None,
    }
}

/// Four errors, as the checker would report `accounts_body`'s second record (and more).
fn report() -> Report {
    Report {
        problems: vec![
            problem(
                ".data[1].accountType",
                ProblemKind::NotInEnum,
                "\"Buyer\" is not one of Customer|Reseller|Subsidiary|Prospect|Other",
            ),
            problem(
                ".data[1].inactive",
                ProblemKind::WrongType,
                "expected boolean, found string",
            ),
            problem(
                ".data[1].created",
                ProblemKind::Missing,
                "required field missing (string)",
            ),
            problem(".data[1].x\u{1b}[2J", ProblemKind::WrongType, "bad\nname"),
        ],
        errors: 4,
        to_fill: 0,
        warnings: 0,
    }
}

/// The line of the body whose path is `path`.
fn line_of(pane: &ResponsePane, path: &str) -> usize {
    let doc = pane.doc().unwrap();
    (0..doc.line_count())
        .find(|&l| path_of(&doc, l).is_some_and(|p| p.to_string() == path))
        .unwrap_or_else(|| panic!("no line for {path}"))
}

fn type_at(pane: &mut ResponsePane, path: &str) -> Option<FieldType> {
    pane.view.cursor = line_of(pane, path);
    pane.cursor_field_type()
}

fn known(text: &str) -> Option<FieldType> {
    Some(FieldType::Known(text.into()))
}

#[test]
fn the_cursor_field_has_its_type_from_the_response_schema() {
    let mut pane = accounts_pane();
    assert_eq!(
        type_at(&mut pane, ".data[0].accountType"),
        known("string, enum Customer|Reseller|Subsidiary|Prospect|Other")
    );
    assert_eq!(type_at(&mut pane, ".data[0].inactive"), known("boolean"));
    assert_eq!(
        type_at(&mut pane, ".data[1].id"),
        known("string, uuid"),
        "any record of the list"
    );
    assert_eq!(
        type_at(&mut pane, ".data"),
        known("array of AccountResponse, nullable")
    );
    assert_eq!(
        type_at(&mut pane, "."),
        known("AccountResponseListPagedResponse")
    );
    assert_eq!(
        type_at(&mut pane, ".data[0].favouriteColour"),
        Some(FieldType::NotInSchema)
    );
    assert_eq!(
        type_at(&mut pane, ".data[0].customFields.region"),
        None,
        "a free-form object names no fields: nothing to say"
    );
}

#[test]
fn no_type_without_a_schema_that_applies() {
    let body = accounts_body();
    let cases = [
        ("/Accounts", response(400, "2.1", &body), "an error status"),
        (
            "/Accounts",
            response(200, "2.0", &body),
            "another api-version",
        ),
        (
            "/Nowhere",
            response(200, "2.1", &body),
            "not in the catalogue",
        ),
    ];
    for (path, response, why) in cases {
        let mut pane = ResponsePane::default();
        pane.show(shown(1, path, response));
        assert_eq!(pane.schema.state, SchemaState::None, "{why}");
        assert_eq!(type_at(&mut pane, ".data[0].inactive"), None, "{why}");
    }
}

#[test]
fn a_filter_output_shows_no_schema_types() {
    let mut pane = accounts_pane();
    pane.view.cursor = line_of(&pane, ".data[0].inactive");
    assert!(pane.cursor_field_type().is_some());
    pane.jq = jq::JqState::Shown {
        id: 3,
        text: ".data".into(),
        output: jq::JqOutput {
            doc: Arc::new(Document::new(Bytes::from_static(b"[true]"), true)),
            outputs: 1,
        },
        origin: (0, 0),
        body_view: BodyView::default(),
    };
    assert_eq!(pane.cursor_field_type(), None);
}

#[test]
fn the_type_is_worked_out_once_per_line() {
    let mut pane = accounts_pane();
    pane.view.cursor = line_of(&pane, ".data[0].inactive");
    let first = pane.cursor_field_type();
    let cached = pane.view.cached().and_then(|f| f.field).map(|(_, f)| f);
    assert_eq!(cached, Some(first.clone()));
    assert_eq!(pane.cursor_field_type(), first);
}

#[test]
fn the_path_line_puts_the_type_after_the_path_and_cuts_it() {
    let theme = Theme::mono();
    let field = FieldType::Known("string, enum Customer|Reseller|Subsidiary".into());
    let line = |width| {
        cursor::path_line(
            Some(".data[0].accountType".into()),
            Some(&field),
            "  (Y copies)  ",
            "line 11 of 43".into(),
            width,
            &theme,
        )
        .to_string()
    };
    assert_eq!(
        line(100),
        ".data[0].accountType: string, enum Customer|Reseller|Subsidiary  (Y copies)  line 11 of 43"
    );
    assert_eq!(
        line(70),
        ".data[0].accountType: string, enum Customer|Reseller|S…  line 11 of 43",
        "the copy hint gives way to the type, cut to what is left"
    );
    assert_eq!(
        line(55),
        ".data[0].accountType: string, enum Cust…  line 11 of 43",
    );
    assert_eq!(
        line(40),
        ".data[0].accountType  line 11 of 43",
        "no room for the type"
    );
    let not_named = cursor::path_line(
        Some(".data[0].favouriteColour".into()),
        Some(&FieldType::NotInSchema),
        "  (Y copies)  ",
        "line 12 of 43".into(),
        100,
        &theme,
    );
    assert_eq!(
        not_named.to_string(),
        ".data[0].favouriteColour: not in the schema  (Y copies)  line 12 of 43"
    );
    let no_type = cursor::path_line(
        Some(".".into()),
        None,
        "  (Y copies)  ",
        "line 1 of 43".into(),
        20,
        &theme,
    );
    assert_eq!(
        no_type.to_string(),
        ".  (Y copies)  line 1 of 43",
        "as before: no type, nothing given way"
    );
}

#[test]
fn the_flag_names_the_first_error_and_counts_the_rest() {
    let report = report();
    assert_eq!(
        flag_text(&report, 200),
        " ⚠ not as the spec says: .data[1].accountType \"Buyer\" is not one of \
         Customer|Reseller|Subsidiary|Prospect|Other (+3 more) "
    );
    let cut = flag_text(&report, 50);
    assert_eq!(cut, " ⚠ not as the spec says: .data[1].acco… (+3 more) ");
    assert_eq!(UnicodeWidthStr::width(cut.as_str()), 50);
    assert_eq!(flag_text(&report, 36), " ⚠ not as the spec says (+3 more) ");
    assert_eq!(
        flag_text(&report, 30),
        " ⚠ not as the spec says ",
        "too narrow for the problem"
    );
    let one = Report {
        problems: report.problems[1..2].to_vec(),
        errors: 1,
        to_fill: 0,
        warnings: 0,
    };
    assert_eq!(
        flag_text(&one, 200),
        " ⚠ not as the spec says: .data[1].inactive expected boolean, found string "
    );
    assert_eq!(flag_text(&Report::default(), 200), "");
}

#[test]
fn the_flag_is_sanitized() {
    let report = Report {
        problems: vec![problem(
            ".a\u{1b}]0;x\u{7}",
            ProblemKind::WrongType,
            "bad\nthing",
        )],
        errors: 1,
        to_fill: 0,
        warnings: 0,
    };
    let flag = flag_text(&report, 200);
    assert!(!flag.chars().any(crate::sanitize::is_unsafe), "{flag:?}");
}

#[test]
fn a_check_for_another_answer_is_dropped() {
    let mut pane = accounts_pane();
    assert_eq!(pane.schema.state, SchemaState::Checking);
    assert!(!pane.schema_checked(6, Some(report())), "stale");
    assert_eq!(pane.schema.state, SchemaState::Checking);
    assert!(pane.schema_checked(7, Some(report())));
    assert!(pane.schema_has_errors());
    assert!(pane.schema_flag(200).is_some());
    pane.show(shown(8, "/Accounts", response(200, "2.1", "{}")));
    assert!(!pane.schema_has_errors(), "a new answer starts unchecked");
    assert_eq!(pane.schema_flag(200), None);
}

#[test]
fn a_clean_check_raises_no_flag() {
    let mut pane = accounts_pane();
    assert!(pane.schema_checked(7, Some(Report::default())));
    assert_eq!(pane.schema_flag(200), None);
    let texts: Vec<String> = check_lines(&pane.schema, &Theme::mono())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        texts,
        [
            "",
            "As the spec says: the body matches AccountResponseListPagedResponse (GET /Accounts)."
        ]
    );
}

#[test]
fn the_check_is_asked_for_json_answers_up_to_the_limit() {
    let request = ApiRequest::new(Method::Get, "/Accounts");
    let ok = response(200, "2.1", &accounts_body());
    let check = SchemaCheck::for_answer(&request, &ok).expect("a check");
    assert_eq!(check.operation.path, "/Accounts");
    assert_eq!(format!("{check:?}"), "SchemaCheck(GET /Accounts)");
    let mut big = ok.clone();
    let mut bytes = vec![b' '; CHECK_LIMIT + 1];
    bytes[0] = b'{';
    big.body = Bytes::from(bytes);
    assert!(SchemaCheck::for_answer(&request, &big).is_none());
    let view = SchemaView::for_answer(1, &request, &big);
    assert_eq!(view.state, SchemaState::TooLarge);
    assert!(view.operation.is_some(), "the types still show");
    let mut text = ok.clone();
    text.headers = vec![("content-type".into(), "text/plain".into())];
    text.body = Bytes::from_static(b"hello");
    assert!(SchemaCheck::for_answer(&request, &text).is_none());
    assert!(SchemaCheck::for_answer(&request, &response(404, "2.1", "{}")).is_none());
    let empty = response(200, "2.1", " ");
    assert!(SchemaCheck::for_answer(&request, &empty).is_none());
    assert_eq!(
        SchemaView::for_answer(1, &request, &empty).state,
        SchemaState::None,
        "an empty body: nothing to say"
    );
    assert_eq!(
        SchemaView::for_answer(1, &request, &text).state,
        SchemaState::NotJson
    );
}

#[test]
fn the_headers_tab_lists_every_problem_sanitized() {
    let mut pane = accounts_pane();
    pane.schema_checked(
        7,
        Some(Report {
            errors: 6,
            to_fill: 0,
            ..report()
        }),
    );
    let lines = header_lines(pane.shown().unwrap(), &pane.schema, &Theme::mono());
    let texts: Vec<String> = lines.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        [
            "content-type: application/json",
            "",
            "Not as the spec says: 6 errors against AccountResponseListPagedResponse (GET /Accounts)",
            "  .data[1].accountType  \"Buyer\" is not one of Customer|Reseller|Subsidiary|Prospect|Other",
            "  .data[1].inactive  expected boolean, found string",
            "  .data[1].created  required field missing (string)",
            r"  .data[1].x\e[2J  bad\nname",
            "  … and 2 more",
        ]
    );
}

fn draw(pane: &mut ResponsePane, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let theme = Theme::mono();
    let keymap = Keymap::default();
    terminal
        .draw(|frame| {
            let area = Rect::new(0, 0, width, height);
            let block = Block::bordered().title(format!(" 5 Response {}", pane.title()));
            pane.render(frame, area, block, Timestamp::UNIX_EPOCH, &theme, &keymap);
        })
        .unwrap();
    terminal
}

#[test]
fn snapshot_cursor_on_a_typed_field() {
    let mut pane = accounts_pane();
    pane.view.cursor = line_of(&pane, ".data[0].accountType");
    pane.viewport = 11;
    pane.follow();
    // Checked clean: no flag.
    pane.schema_checked(7, Some(Report::default()));
    insta::assert_snapshot!(draw(&mut pane, 90, 16).backend());
}

#[test]
fn snapshot_flagged_as_not_matching_its_schema() {
    let mut pane = accounts_pane();
    pane.view.cursor = line_of(&pane, ".data[1].inactive");
    pane.viewport = 11;
    pane.follow();
    pane.schema_checked(7, Some(report()));
    insta::assert_snapshot!("flagged_body", draw(&mut pane, 90, 16).backend());
    pane.handle_key(Some(Command::NextTab));
    assert_eq!(pane.tab, ResponseTab::Headers);
    insta::assert_snapshot!("flagged_headers", draw(&mut pane, 90, 16).backend());
}
