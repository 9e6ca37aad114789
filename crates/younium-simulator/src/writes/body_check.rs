//! A write body checked against the operation's request schema in the catalogue, answered as
//! ASP.NET Core's model binding and validation attributes answer.

use serde_json::{Map, Value};

use super::super::{
    api::ApiRequest,
    reply::{FieldErrors, field_error},
};
use younium::Method;
use younium::catalog::catalog;
use younium::schema::{Mode, Problem, ProblemKind, Schema, Severity, validate};

/// The body checked against the operation's request schema in the catalogue (the same
/// schemas and checker as the editor and `call --body`), answered the way ASP.NET Core reports
/// it: a value that does not convert stops the reading, so only the first is reported, keyed
/// `$.path` ("The JSON value could not be converted to …"); otherwise every failed check, keyed
/// by the PascalCase property path (`Name`, `Products[1].Product`): a missing, null or blank
/// required field as "The X field is required.", lengths and ranges as the validation
/// attributes word them. Warnings (unknown and read-only fields) are not errors: Younium
/// ignores those fields.
pub(crate) fn schema_errors(
    request: &ApiRequest<'_>,
    method: Method,
    fields: &mut Map<String, Value>,
) -> FieldErrors {
    let Some(schema) = catalog()
        .find(method, request.path)
        .and_then(|op| op.body_schema())
    else {
        return FieldErrors::new();
    };
    let mode = if method == Method::Patch {
        Mode::Patch
    } else {
        Mode::Create
    };
    let value = Value::Object(std::mem::take(fields));
    let report = validate(catalog().schemas(), schema, &value, mode);
    let Value::Object(taken) = value else {
        unreachable!("the value was built as an object")
    };
    *fields = taken;
    let errors: Vec<(&Problem, Option<&Schema>)> = report
        .problems
        .iter()
        .filter(|p| matches!(p.severity, Severity::Error | Severity::ToFill))
        .map(|p| (p, catalog().schemas().at_path(schema, &p.path)))
        .collect();
    if let Some((first, at)) = errors.iter().find(|(p, at)| does_not_convert(p, *at)) {
        let key = match first.path.as_str() {
            "." => "$".to_owned(),
            path => format!("${path}"),
        };
        let target = at.map_or_else(|| "System.Object".into(), dotnet_type);
        return field_error(
            key.clone(),
            format!("The JSON value could not be converted to {target}. Path: {key}"),
        );
    }
    let mut out: FieldErrors = errors
        .into_iter()
        .map(|(problem, at)| {
            let key = pascal_path(&problem.path);
            let message = attribute_message(problem, at, &key);
            (key, vec![message])
        })
        .collect();
    // ASP.NET's [Required] refuses a blank string too.
    let resolved = catalog().schemas().resolve(schema);
    if mode == Mode::Create {
        for p in resolved.properties.iter().filter(|p| p.required) {
            let key = pascal_case(&p.name);
            if fields
                .get(&p.name)
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty() && s.trim().is_empty())
                && !out.iter().any(|(k, _)| *k == key)
            {
                out.push((key.clone(), vec![format!("The {key} field is required.")]));
            }
        }
    }
    out
}

/// A problem System.Text.Json meets while reading, before any validation attribute runs: a
/// value of the wrong type (`null` included for a value type: a number, a boolean, an enum, a
/// Guid or DateTime; `null` for a string, object or array reads as null and fails
/// `[Required]` instead), an enum value it does not know, a Guid or DateTime it cannot parse,
/// a number out of its type's range.
fn does_not_convert(problem: &Problem, at: Option<&Schema>) -> bool {
    match problem.kind {
        ProblemKind::WrongType if problem.message.ends_with("found null") => {
            at.is_some_and(|s| is_value_type(catalog().schemas().resolve(s)))
        }
        ProblemKind::WrongType | ProblemKind::BadFormat | ProblemKind::NotInEnum => true,
        ProblemKind::OutOfRange => problem.message.ends_with(" range"),
        // An empty string where a Guid or a DateTime goes does not convert; an empty text
        // fails its attribute.
        ProblemKind::Blank => at.is_some_and(|s| {
            matches!(
                catalog().schemas().resolve(s).format.as_deref(),
                Some("uuid" | "date-time" | "date")
            )
        }),
        _ => false,
    }
}

/// A .NET value type (it cannot hold null unless declared nullable).
fn is_value_type(resolved: &Schema) -> bool {
    matches!(
        resolved.kind.as_deref(),
        Some("integer" | "number" | "boolean")
    ) || !resolved.values.is_empty()
        || matches!(
            resolved.format.as_deref(),
            Some("uuid" | "date-time" | "date")
        )
}

/// What a validation attribute says about a value that was read: `[Required]` for a missing,
/// null, empty or blank field (and an empty LookupKey), `[StringLength]`/`[MinLength]`/
/// `[MaxLength]` for lengths, `[Range]` for numbers. `key` is the field's property path.
fn attribute_message(problem: &Problem, at: Option<&Schema>, key: &str) -> String {
    let last = key.rsplit('.').next().unwrap_or(key);
    let name = last.split('[').next().unwrap_or(last);
    let required = format!("The {name} field is required.");
    match problem.kind {
        ProblemKind::Missing | ProblemKind::WrongType => required,
        ProblemKind::OutOfRange | ProblemKind::Blank => {
            let Some(s) = at.map(|s| catalog().schemas().resolve(s)) else {
                return required;
            };
            if s.kind.as_deref() == Some("string") {
                return match (s.min_length, s.max_length) {
                    (Some(1), None) => required,
                    (Some(min), Some(max)) => format!(
                        "The field {name} must be a string with a minimum length of {min} and a \
                         maximum length of {max}."
                    ),
                    (Some(min), None) => format!(
                        "The field {name} must be a string or array type with a minimum length \
                         of '{min}'."
                    ),
                    (None, Some(max)) => format!(
                        "The field {name} must be a string or array type with a maximum length \
                         of '{max}'."
                    ),
                    (None, None) => problem.message.clone(),
                };
            }
            if s.minimum.is_none() && s.maximum.is_none() {
                // An empty LookupKey: nothing to look up.
                return required;
            }
            let bound = |n: &Option<serde_json::Number>, default: &str| {
                n.as_ref()
                    .map_or_else(|| default.to_owned(), ToString::to_string)
            };
            format!(
                "The field {name} must be between {} and {}.",
                bound(&s.minimum, "-1.7976931348623157E+308"),
                bound(&s.maximum, "1.7976931348623157E+308")
            )
        }
        _ => problem.message.clone(),
    }
}

/// The .NET type a schema reads into, as System.Text.Json names it in its errors.
fn dotnet_type(schema: &Schema) -> String {
    let map = catalog().schemas();
    let resolved = map.resolve(schema);
    let nullable = schema.nullable || resolved.nullable;
    let value_type = |name: &str| {
        if nullable {
            format!("System.Nullable`1[{name}]")
        } else {
            name.to_owned()
        }
    };
    if let Some(name) = schema.reference.as_deref() {
        if name.starts_with("LookupKey") {
            return "Younium.Api.Models.LookupKey".into();
        }
        if !resolved.values.is_empty() {
            return value_type(&format!("Younium.Api.Models.{name}"));
        }
        return format!("Younium.Api.Models.{name}");
    }
    match (resolved.kind.as_deref(), resolved.format.as_deref()) {
        (Some("string"), Some("uuid")) => value_type("System.Guid"),
        (Some("string"), Some("date-time" | "date")) => value_type("System.DateTime"),
        (Some("string"), _) => "System.String".into(),
        (Some("integer"), Some("int64")) => value_type("System.Int64"),
        (Some("integer"), _) => value_type("System.Int32"),
        (Some("number"), _) => value_type("System.Double"),
        (Some("boolean"), _) => value_type("System.Boolean"),
        (Some("array"), _) => format!(
            "System.Collections.Generic.List`1[{}]",
            resolved
                .items
                .as_deref()
                .map(dotnet_type)
                .unwrap_or_else(|| "System.Object".into())
        ),
        _ => "System.Object".into(),
    }
}

/// `.products[1].product` → `Products[1].Product`, the key ASP.NET gives a model property.
fn pascal_path(path: &str) -> String {
    path.trim_start_matches('.')
        .split('.')
        .map(pascal_case)
        .collect::<Vec<_>>()
        .join(".")
}

fn pascal_case(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderMap;
    use serde_json::json;

    use super::*;

    fn errors_for(method: Method, path: &str, body: Value) -> FieldErrors {
        let headers = HeaderMap::new();
        let request = ApiRequest {
            method: if method == Method::Patch {
                &axum::http::Method::PATCH
            } else {
                &axum::http::Method::POST
            },
            path,
            query: "",
            headers: &headers,
            body: b"",
            trace_id: "t",
        };
        let Value::Object(mut fields) = body else {
            panic!("an object")
        };
        schema_errors(&request, method, &mut fields)
    }

    fn keys(errors: &FieldErrors) -> Vec<&str> {
        errors.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn required_fields_are_reported_like_aspnet() {
        let errors = errors_for(Method::Post, "/Accounts", json!({"currency": "SEK"}));
        assert_eq!(
            errors,
            vec![(
                "Name".to_owned(),
                vec!["The Name field is required.".to_owned()]
            )]
        );
        // Empty, blank or null: [Required] says the same.
        for name in [json!(""), json!("  "), json!(null)] {
            let errors = errors_for(
                Method::Post,
                "/Accounts",
                json!({"name": name, "currency": "SEK"}),
            );
            assert_eq!(keys(&errors), ["Name"], "{name}");
            assert_eq!(errors[0].1, ["The Name field is required."]);
        }
        let errors = errors_for(
            Method::Post,
            "/PaymentTerms",
            json!({"description": "", "name": "Net 10"}),
        );
        assert_eq!(keys(&errors), ["Days", "Description"]);
        let errors = errors_for(Method::Post, "/Currency", json!({"code": "SVEA"}));
        assert_eq!(
            errors[0].1,
            [
                "The field Code must be a string with a minimum length of 3 and a maximum length of 3."
            ]
        );
        // Nested: the property path.
        let errors = errors_for(
            Method::Post,
            "/Subscriptions",
            json!({"account": "A-1", "status": "Draft", "products": [{"name": "x"}]}),
        );
        assert_eq!(keys(&errors), ["Products[0].Product"]);
        assert_eq!(errors[0].1, ["The Product field is required."]);
    }

    #[test]
    fn a_value_that_does_not_convert_stops_the_reading() {
        // The first one only, keyed by its JSON path; the required fields are not checked.
        let errors = errors_for(
            Method::Post,
            "/PaymentTerms",
            json!({"days": "ten", "name": 5}),
        );
        assert_eq!(
            errors,
            vec![(
                "$.days".to_owned(),
                vec![
                    "The JSON value could not be converted to System.Int32. Path: $.days"
                        .to_owned()
                ]
            )]
        );
        let errors = errors_for(
            Method::Post,
            "/Accounts",
            json!({"name": "Acme", "currency": "SEK", "accountType": "Buyer"}),
        );
        assert_eq!(keys(&errors), ["$.accountType"]);
        assert!(
            errors[0].1[0].contains("System.Nullable`1[Younium.Api.Models.AccountType]"),
            "{errors:?}"
        );
        // null cannot be read into a number: that too stops the reading.
        let errors = errors_for(
            Method::Post,
            "/PaymentTerms",
            json!({"days": null, "name": "Net", "description": "Net"}),
        );
        assert_eq!(keys(&errors), ["$.days"]);
        // Unknown fields are ignored, as Younium does.
        assert!(
            errors_for(
                Method::Post,
                "/Accounts",
                json!({"name": "Acme", "currency": "SEK", "segment": "SMB"})
            )
            .is_empty()
        );
    }

    #[test]
    fn a_patch_requires_nothing_but_checks_what_it_holds() {
        assert!(errors_for(Method::Patch, "/Accounts/x", json!({"name": null})).is_empty());
        let errors = errors_for(
            Method::Patch,
            "/Accounts/x",
            json!({"defaultInvoiceAddress": {"city": 5}}),
        );
        assert_eq!(keys(&errors), ["$.defaultInvoiceAddress.city"]);
    }
}
