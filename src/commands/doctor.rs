//! `younium-tui doctor [METHOD] PATH`: why does this call answer 401 or 403?
//!
//! Exit status: 0 the call works as given, 1 a fix was found (printed), 2 no fix was found.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;

use super::{EXIT_FAILURE, resolve};
use crate::cli::{ConnectionArgs, DoctorArgs};
use crate::session::TokenManager;
use crate::younium::doctor::diagnose::{Diagnosis, Input, Progress, diagnose};
use crate::younium::doctor::{Fix, Plan};
use crate::younium::{ApiRequest, Method, Param};

pub async fn run(args: &DoctorArgs, connection: &ConnectionArgs) -> anyhow::Result<ExitCode> {
    let (method, path) = match args.call.as_slice() {
        [path] => (Method::Get, path.as_str()),
        [method, path] => (method.parse::<Method>()?, path.as_str()),
        _ => bail!("give [METHOD] PATH"),
    };
    let mut req = ApiRequest::new(method, path);
    for q in &args.query {
        req.query.push(Param::parse(q, '=')?);
    }
    for h in &args.header {
        req.headers.push(Param::parse(h, ':')?);
    }
    let resolved = resolve(connection, req.uses_managed_token())?;
    if resolved.environment.is_production() && !args.yes {
        bail!(
            "doctor sends probe requests (GETs only) to PRODUCTION ({}); pass --yes to allow it",
            resolved.environment.base_url()
        );
    }
    let tokens = TokenManager::spawn(
        resolved.http.clone(),
        resolved.connection.clone(),
        resolved.manager,
    );
    let token = if req.uses_managed_token() {
        match tokens.token().await {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("error: no token, so nothing can be diagnosed: {e}");
                return Ok(ExitCode::from(EXIT_FAILURE));
            }
        }
    } else {
        None
    };
    if method.is_write() {
        eprintln!("{method} is a write: it is not sent. The diagnosis reads with GET probes only.");
    }
    let issued = tokens.issued_tokens();
    let quiet = args.json;
    let input = Input {
        http: &resolved.http,
        environment: &resolved.environment,
        request: &req,
        settings: &resolved.settings,
        token,
        issued: &issued,
        fallback_entities: &resolved.known_entities,
        known: None,
    };
    let diagnosis = diagnose(input, |p| {
        if !quiet {
            report_progress(&p);
        }
    })
    .await;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&diagnosis)?);
    } else {
        print!("{}", report(&diagnosis));
    }
    Ok(ExitCode::from(diagnosis.verdict.exit_code()))
}

fn report_progress(p: &Progress) {
    let mut err = std::io::stderr();
    let _ = match p {
        Progress::Original(status) => writeln!(err, "the call answered {status}"),
        Progress::Discovered(d) => writeln!(
            err,
            "found {} legal entit{}",
            d.entities.len(),
            if d.entities.len() == 1 { "y" } else { "ies" }
        ),
        Progress::Planned(plan) => writeln!(
            err,
            "probing {} with {} requests…",
            plan.probe_label,
            plan.probes.len()
        ),
        Progress::Probe(..) => write!(err, "."),
    };
}

/// The text report: entities, probe table, verdict, fix.
pub fn report(d: &Diagnosis) -> String {
    let mut out = String::new();
    if d.plan.is_some() {
        out.push('\n');
    }
    match d.status {
        Some(s) => out.push_str(&format!("{} {} answered {s}\n", d.method, d.path)),
        None => out.push_str(&format!("{} {} was not sent (a write)\n", d.method, d.path)),
    }
    if let Some(disc) = &d.discovery {
        out.push_str(&super::entities::table(disc));
    }
    if let Some(plan) = &d.plan {
        out.push_str(&probe_table(plan));
    }
    out.push_str(&format!("\nVerdict: {}\n", d.verdict.headline));
    for line in &d.verdict.details {
        out.push_str(&format!("  - {line}\n"));
    }
    match &d.verdict.fix {
        Some(Fix::UseLegalEntity { value }) => {
            out.push_str(&format!("Fix: --legal-entity {value:?}\n"))
        }
        Some(Fix::Renew) => {
            out.push_str("Fix: get a new token (younium-tui token), then call again\n")
        }
        Some(Fix::SwitchEnvironment { base_url }) => out.push_str(&format!(
            "Fix: call the environment that issued the token: --base-url {base_url}\n"
        )),
        None => {}
    }
    out
}

/// The probes as a table.
pub fn probe_table(plan: &Plan) -> String {
    let mut out = format!("Probes ({}):\n", plan.probe_label);
    if let Some(note) = &plan.write_not_repeated {
        out.push_str(&format!("  ({note})\n"));
    }
    let header_width = plan
        .probes
        .iter()
        .filter_map(|p| p.header.as_ref())
        .map(String::len)
        .max()
        .unwrap_or(6)
        .clamp(6, 40);
    let label_width = plan.probes.iter().map(|p| p.label.len()).max().unwrap_or(5);
    out.push_str(&format!(
        "  {:<label_width$}  {:<header_width$}  STATUS\n",
        "PROBE", "legal-entity"
    ));
    for p in &plan.probes {
        out.push_str(&format!(
            "  {:<label_width$}  {:<header_width$}  {}\n",
            p.label,
            p.header.as_deref().unwrap_or("(none)"),
            p.outcome.label()
        ));
    }
    out
}
