//! `younium-tui entities`: the tenant's legal entities, from `GET /Users`.

use std::process::ExitCode;

use super::output::{self, say};
use super::{EXIT_FAILURE, resolve};
use crate::cli::{ConnectionArgs, EntitiesArgs};
use crate::sanitize::one_line;
use crate::session::TokenManager;
use crate::younium::doctor::{Discovery, DiscoverySource, Me, discover};

pub async fn run(args: &EntitiesArgs, connection: &ConnectionArgs) -> anyhow::Result<ExitCode> {
    let resolved = resolve(connection, true)?;
    let tokens = TokenManager::spawn(
        resolved.http.clone(),
        resolved.connection.clone(),
        resolved.manager,
    );
    let token = match tokens.token().await {
        Ok(t) => t,
        Err(e) => {
            say(format_args!("error: no token: {e}"));
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let me = Me::from_jwt(token.jwt.as_ref().ok());
    let discovery = discover(
        &resolved.http,
        resolved.environment.base_url(),
        &token,
        resolved.settings.legal_entity.as_deref(),
        &me,
        &resolved.known_entities,
    )
    .await;
    if args.json {
        output::print_json(&discovery)?;
    } else {
        output::print_text(&table(&discovery))?;
    }
    Ok(match discovery.source {
        DiscoverySource::Users { .. } => ExitCode::SUCCESS,
        DiscoverySource::Fallback { .. } => ExitCode::from(EXIT_FAILURE),
    })
}

/// The entities as a table, with where they came from. Names, GUIDs and roles come from the
/// server and are sanitised.
pub fn table(discovery: &Discovery) -> String {
    let mut out = String::new();
    match &discovery.source {
        DiscoverySource::Users {
            pages,
            users,
            current_user,
        } => {
            out.push_str(&format!(
                "From GET /Users ({pages} page{}, {users} users){}:\n",
                if *pages == 1 { "" } else { "s" },
                current_user
                    .as_ref()
                    .map(|u| format!("; you are {}", one_line(u)))
                    .unwrap_or_else(|| "; your own user was not found among them".into())
            ));
        }
        DiscoverySource::Fallback { reason } => {
            out.push_str(&format!(
                "{}.\nShowing the legal entities given on the command line instead:\n",
                one_line(reason)
            ));
        }
    }
    if discovery.entities.is_empty() {
        out.push_str("  (none)\n");
        return out;
    }
    let rows: Vec<[String; 3]> = discovery
        .entities
        .iter()
        .map(|e| {
            let roles = if e.roles.is_empty() {
                "-".to_string()
            } else {
                e.roles.join(", ")
            };
            [
                one_line(&e.name).into_owned(),
                one_line(e.id.as_deref().unwrap_or("-")).into_owned(),
                one_line(&roles).into_owned(),
            ]
        })
        .collect();
    let width = rows
        .iter()
        .map(|[name, ..]| name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    out.push_str(&format!(
        "  {:<width$}  {:<36}  YOUR ROLES\n",
        "NAME", "GUID"
    ));
    for [name, id, roles] in &rows {
        out.push_str(&format!("  {name:<width$}  {id:<36}  {roles}\n"));
    }
    out
}
