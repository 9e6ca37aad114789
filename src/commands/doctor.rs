//! `younium-tui doctor [METHOD] PATH`: why does this call answer 401 or 403?
//!
//! Exit status: 0 the call works as given, 1 a fix was found (printed), 2 no fix was found.

use std::process::ExitCode;

use anyhow::bail;

use super::output::{self, say};
use super::{EXIT_FAILURE, resolve};
use crate::cli::{ConnectionArgs, DoctorArgs};
use crate::sanitize::one_line;
use crate::session::TokenManager;
use crate::younium::doctor::diagnose::{Diagnosis, Input, Progress, diagnose};
use crate::younium::doctor::{Fix, Plan};
use crate::younium::export::shell_quote;
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
                say(format_args!(
                    "error: no token, so nothing can be diagnosed: {e}"
                ));
                return Ok(ExitCode::from(EXIT_FAILURE));
            }
        }
    } else {
        None
    };
    if method.is_write() {
        say(format_args!(
            "{method} is a write: it is not sent. The diagnosis reads with GET probes only."
        ));
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
        output::print_json(&diagnosis)?;
    } else {
        output::print_text(&report(&diagnosis))?;
    }
    Ok(ExitCode::from(diagnosis.verdict.exit_code()))
}

fn report_progress(p: &Progress) {
    match p {
        Progress::Original(status) => say(format_args!("the call answered {status}")),
        Progress::Discovered(d) => say(format_args!(
            "found {} legal entit{}",
            d.entities.len(),
            if d.entities.len() == 1 { "y" } else { "ies" }
        )),
        Progress::Planned(plan) => say(format_args!(
            "probing {} with {} requests…",
            one_line(&plan.probe_label),
            plan.probes.len()
        )),
        Progress::Probe(..) => {
            use std::io::Write as _;
            let _ = write!(std::io::stderr(), ".");
        }
    }
}

/// The text report: entities, probe table, verdict, fix. Text from the server (names,
/// messages) is sanitised; values in the fix are quoted for a POSIX shell, so the line can be
/// pasted (a value holding control characters is shown escaped and cannot be pasted as is).
pub fn report(d: &Diagnosis) -> String {
    let mut out = String::new();
    if d.plan.is_some() {
        out.push('\n');
    }
    let (method, path) = (one_line(&d.method), one_line(&d.path));
    match d.status {
        Some(s) => out.push_str(&format!("{method} {path} answered {s}\n")),
        None => out.push_str(&format!("{method} {path} was not sent (a write)\n")),
    }
    if let Some(disc) = &d.discovery {
        out.push_str(&super::entities::table(disc));
    }
    if let Some(plan) = &d.plan {
        out.push_str(&probe_table(plan));
    }
    out.push_str(&format!("\nVerdict: {}\n", one_line(&d.verdict.headline)));
    for line in &d.verdict.details {
        out.push_str(&format!("  - {}\n", one_line(line)));
    }
    if let Some(fix) = &d.verdict.fix {
        out.push_str(&format!("Fix: {}\n", fix_line(fix)));
    }
    out
}

/// The fix as the user would type it, values quoted for the shell and the whole shown safely.
pub fn fix_line(fix: &Fix) -> String {
    let line = match fix {
        Fix::UseLegalEntity { value } => format!("--legal-entity {}", shell_quote(value)),
        Fix::Renew => "get a new token (younium-tui token), then call again".into(),
        Fix::SwitchEnvironment { base_url } => format!(
            "call the environment that issued the token: --base-url {}",
            shell_quote(base_url)
        ),
    };
    one_line(&line).into_owned()
}

/// The probes as a table.
pub fn probe_table(plan: &Plan) -> String {
    let mut out = format!("Probes ({}):\n", one_line(&plan.probe_label));
    if let Some(note) = &plan.write_not_repeated {
        out.push_str(&format!("  ({})\n", one_line(note)));
    }
    let rows: Vec<[String; 3]> = plan
        .probes
        .iter()
        .map(|p| {
            [
                one_line(&p.label).into_owned(),
                one_line(p.header.as_deref().unwrap_or("(none)")).into_owned(),
                one_line(&p.outcome.label()).into_owned(),
            ]
        })
        .collect();
    let width = |column: usize| rows.iter().map(|r| r[column].chars().count()).max();
    let label_width = width(0).unwrap_or(5);
    let header_width = width(1).unwrap_or(6).clamp(6, 40);
    out.push_str(&format!(
        "  {:<label_width$}  {:<header_width$}  STATUS\n",
        "PROBE", "legal-entity"
    ));
    for [label, header, outcome] in &rows {
        out.push_str(&format!(
            "  {label:<label_width$}  {header:<header_width$}  {outcome}\n"
        ));
    }
    out
}
