//! `younium-tui call METHOD PATH`: one API call from the command line.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use super::{EXIT_FAILURE, EXIT_HTTP_ERROR, format_size, resolve};
use crate::cli::{CallArgs, ConnectionArgs};
use crate::pretty::{Document, highlight::highlighter, json};
use crate::session::{ApiClient, TokenManager};
use crate::younium::catalog::catalog;
use crate::younium::problem::{CallContext, explain};
use crate::younium::{ApiRequest, ApiResponse, Method, Param};

pub async fn run(args: &CallArgs, connection: &ConnectionArgs) -> anyhow::Result<ExitCode> {
    let method: Method = args.method.parse().map_err(anyhow::Error::msg)?;
    let mut req = ApiRequest::new(method, args.path.trim());
    for q in &args.query {
        req.query.push(Param::parse(q, '=')?);
    }
    for h in &args.header {
        req.headers.push(Param::parse(h, ':')?);
    }
    req.body = args.body.as_ref().map(|path| read_body(path)).transpose()?;
    if let Some(body) = &req.body {
        json::validate(body.as_bytes())
            .map_err(|e| anyhow::anyhow!("the body is not valid JSON: {e}"))?;
    }
    let resolved = resolve(connection, req.uses_managed_token())?;
    let legal_entity = req
        .legal_entity_sent(&resolved.settings)
        .unwrap_or("(none)")
        .to_string();
    if resolved.environment.is_production() && method.is_write() && !args.yes {
        bail!(
            "refusing to send {method} {} to PRODUCTION ({}, legal entity {legal_entity}) without --yes",
            req.path,
            resolved.environment.base_url()
        );
    }
    let client = ApiClient {
        tokens: TokenManager::spawn(
            resolved.http.clone(),
            resolved.connection.clone(),
            resolved.manager,
        ),
        http: resolved.http,
    };
    let outcome = match client
        .call(resolved.environment.base_url(), &req, &resolved.settings)
        .await
    {
        Ok(outcome) => outcome,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let response = &outcome.response;
    eprintln!("{}", status_line(response));
    if outcome.retried_after_401 {
        eprintln!(
            "note: the first attempt answered 401; the token was renewed and the call sent again"
        );
    }
    if let Some(error) = &outcome.renewal_error {
        eprintln!("note: the call answered 401 and renewing the token failed: {error}");
    }
    if args.include {
        for (name, value) in &response.headers {
            eprintln!("{name}: {value}");
        }
    }
    if response.is_empty_list() {
        eprintln!("no records: {}", response.problem().messages_text());
        println!("[]");
        return Ok(ExitCode::SUCCESS);
    }
    print_body(response)?;
    if response.is_success() || response.status < 400 {
        return Ok(ExitCode::SUCCESS);
    }
    let permission = catalog().permission_for(method, &req.path);
    let sent_token = response.sent.header("authorization").is_some();
    let legal_entity_sent = response
        .sent
        .header("legal-entity")
        .map(|v| v.display(false));
    let ctx = CallContext {
        method: method.as_str(),
        path: &req.path,
        legal_entity: legal_entity_sent.as_deref(),
        api_version: Some(resolved.settings.api_version.as_str()),
        permission: permission.as_ref(),
        www_authenticate: response.header("www-authenticate"),
        retry_after: response.header("retry-after"),
        sent_token,
    };
    if let Some(explanation) = explain(response.status, &response.problem(), &ctx) {
        eprintln!("{}", explanation.headline);
        for line in explanation.details.iter().chain(&explanation.actions) {
            eprintln!("  - {line}");
        }
    }
    Ok(ExitCode::from(EXIT_HTTP_ERROR))
}

fn read_body(path: &std::path::Path) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("could not read the body from stdin")?;
        return Ok(text);
    }
    std::fs::read_to_string(path)
        .with_context(|| format!("could not read the body from {}", path.display()))
}

/// `200 OK · 85 ms · 12.4 kB · GET http://…/Accounts?PageSize=5`
pub fn status_line(response: &ApiResponse) -> String {
    format!(
        "{} · {} ms · {} · {} {}",
        response.status_line(),
        response.elapsed.as_millis(),
        format_size(response.body.len()),
        response.sent.method,
        response.sent.url
    )
}

fn print_body(response: &ApiResponse) -> anyhow::Result<()> {
    if response.body.is_empty() {
        return Ok(());
    }
    let stdout = std::io::stdout();
    let colour = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let doc = Document::new(response.body.clone(), response.is_json());
    let mut out = std::io::BufWriter::new(stdout.lock());
    if colour {
        highlighter().write_ansi(&doc, &mut out)?;
    } else {
        for i in 0..doc.line_count() {
            writeln!(out, "{}", doc.line(i))?;
        }
    }
    out.flush()?;
    Ok(())
}
