//! `younium-tui endpoints [FILTER]`: the catalogue as a table or JSON.

use std::process::ExitCode;

use super::output::{self, say};
use crate::cli::EndpointsArgs;
use crate::younium::catalog::{Operation, catalog};

pub fn run(args: &EndpointsArgs) -> anyhow::Result<ExitCode> {
    let filter = args.filter.join(" ");
    let ops: Vec<&Operation> = catalog().search(&filter).collect();
    if args.json {
        output::print_json(&ops)?;
        return Ok(ExitCode::SUCCESS);
    }
    if ops.is_empty() {
        say(format_args!("no endpoint matches {filter:?}"));
        return Ok(ExitCode::from(super::EXIT_HTTP_ERROR));
    }
    output::print_text(&table(&ops))?;
    say(format_args!(
        "{} of {} operations ({})",
        ops.len(),
        catalog().operations.len(),
        catalog().source
    ));
    Ok(ExitCode::SUCCESS)
}

/// One row per operation: method, path, tag, permission, notes.
pub fn table(ops: &[&Operation]) -> String {
    let path_width = ops.iter().map(|o| o.path.len()).max().unwrap_or(4).max(4);
    let tag_width = ops.iter().map(|o| o.tag.len()).max().unwrap_or(3).max(3);
    let mut out = format!(
        "{:<6} {:<path_width$} {:<tag_width$} {:<14} NOTES\n",
        "METHOD", "PATH", "TAG", "PERMISSION"
    );
    for op in ops {
        let mut notes = Vec::new();
        if op.is_paged() {
            notes.push("paged".to_string());
        }
        if let Some(body) = &op.body {
            notes.push(format!("body {}", body.schema.as_deref().unwrap_or("JSON")));
        }
        if op.idempotent {
            notes.push("idempotency-key".into());
        }
        let codes: Vec<String> = op.success.iter().map(u16::to_string).collect();
        if !codes.is_empty() {
            notes.push(codes.join("/"));
        }
        out.push_str(&format!(
            "{:<6} {:<path_width$} {:<tag_width$} {:<14} {}\n",
            op.method.as_str(),
            op.path,
            op.tag,
            op.permission.as_deref().unwrap_or("-"),
            notes.join(", ")
        ));
    }
    out
}
