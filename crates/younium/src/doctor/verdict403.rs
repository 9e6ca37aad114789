//! The 403 verdict: a wrong, unknown or missing legal entity told apart from a missing
//! permission, as a pure function of the finished probes.

use super::probes::{Plan, Probe, ProbeOutcome};
use super::suggest::{distance, squash, suggestions};
use super::{Fix, LegalEntity, Verdict, VerdictKind};
use crate::catalog::RequiredPermission;

fn names(entities: &[&LegalEntity]) -> String {
    entities
        .iter()
        .map(|e| match &e.id {
            Some(id) => format!("{} ({id})", e.name),
            None => e.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Draws the 403 verdict from finished probes. `permission` is the endpoint's permission and
/// whether it was inferred from the resource's other endpoints.
pub fn verdict_403(
    plan: &Plan,
    entities: &[LegalEntity],
    permission: Option<&RequiredPermission>,
) -> Verdict {
    let mut v = verdict_from_probes(plan, entities, permission.map(|p| p.name.clone()));
    if let Some(RequiredPermission {
        name: p,
        inferred: true,
    }) = permission
        && v.headline.contains(p.as_str())
    {
        v = v.detail(format!(
            "The spec does not name this endpoint's permission; {p} is the one it names for this resource's other endpoints."
        ));
    }
    v
}

fn verdict_from_probes(
    plan: &Plan,
    entities: &[LegalEntity],
    perm_text: Option<String>,
) -> Verdict {
    let allowed = |p: &Probe| p.outcome.allowed();
    let entity_works = |e: &LegalEntity| -> Option<bool> {
        let mine: Vec<Option<bool>> = plan
            .probes
            .iter()
            .filter(|p| !p.control && p.entity.as_deref() == Some(e.name.as_str()))
            .map(allowed)
            .collect();
        if mine.contains(&Some(true)) {
            Some(true)
        } else if mine.iter().all(|m| *m == Some(false)) && !mine.is_empty() {
            Some(false)
        } else {
            None
        }
    };
    let working: Vec<&LegalEntity> = entities
        .iter()
        .filter(|e| entity_works(e) == Some(true))
        .collect();
    let as_sent = plan.probes.iter().find(|p| p.label == "as sent");
    let no_header = plan.probes.iter().find(|p| p.label == "no header");
    let control = plan.probes.iter().find(|p| p.control);
    if plan
        .probes
        .iter()
        .any(|p| matches!(p.outcome, ProbeOutcome::Status { status: 401 }))
    {
        return Verdict::new(
            VerdictKind::Inconclusive,
            "The probes answered 401: the token is the problem, not the legal entity",
        )
        .detail("Renew the token and diagnose again; the 401 diagnosis tells why it was refused.");
    }
    let sent_works = match (&plan.sent_header, as_sent, no_header) {
        (Some(_), Some(p), _) => allowed(p),
        (None, _, Some(p)) => allowed(p),
        _ => None,
    };
    if sent_works == Some(true) {
        let mut v = match &plan.write_not_repeated {
            Some(note) => Verdict::new(VerdictKind::NotLegalEntity, "Not a legal-entity problem: reading this resource works with the header as sent")
                .detail(note.clone())
                .detail(format!("A 403 on the {} itself then comes from a missing write permission for this resource, or a blocked integration.", plan.method)),
            None => Verdict::new(VerdictKind::Works, "The call works as given: the probe with the same header was allowed")
                .detail("If it answered 403 before, the permission or the legal entity was changed since."),
        };
        if let Some(p) = &perm_text {
            v = v.detail(format!("The endpoint needs {p}."));
        }
        return v;
    }
    if sent_works.is_none() {
        return Verdict::new(
            VerdictKind::Inconclusive,
            "The probe with the header as sent did not complete",
        )
        .detail("See the probe table for the error, then try again.");
    }
    let everything_forbidden = plan.probes.iter().all(|p| allowed(p) == Some(false));
    let control_ok = control.and_then(allowed);
    match plan.sent_header.as_deref() {
        Some(value) => {
            let sent_entity = entities.iter().find(|e| e.matches(value));
            match sent_entity {
                None if !working.is_empty() || !entities.is_empty() => {
                    let mut v = Verdict::new(VerdictKind::UnknownEntity, format!("The legal-entity header {value:?} matches no legal entity of this tenant"));
                    for s in suggestions(value, entities) {
                        v = v.detail(s);
                    }
                    v = v.detail(format!("The tenant's legal entities: {}.", names(&entities.iter().collect::<Vec<_>>())));
                    match working.first() {
                        Some(first) => {
                            v = v.detail(format!("The call works with: {}.", names(&working)));
                            let best = entities
                                .iter()
                                .filter(|e| working.contains(e))
                                .min_by_key(|e| distance(&squash(&e.name), &squash(value)))
                                .unwrap_or(first);
                            v.fix = Some(Fix::UseLegalEntity { value: best.name.clone() });
                        }
                        None => v = v.detail("It is forbidden in every legal entity too: see the permission."),
                    }
                    v
                }
                None => Verdict::new(VerdictKind::Inconclusive, format!("The legal-entity header {value:?} was refused, and this tenant's legal entities are unknown"))
                    .detail("GET /Users could not list them; type the names you know in the legal-entity pick-list and diagnose again."),
                Some(entity) if working.contains(&entity) => spelling_verdict(value, entity, &working),
                Some(entity) => permission_verdict(entity, &working, perm_text, everything_forbidden, control_ok, plan),
            }
        }
        None => {
            if entities.len() >= 2 || !working.is_empty() {
                let mut v = Verdict::new(
                    VerdictKind::MissingHeader,
                    "No legal-entity header was sent, and this tenant has several legal entities",
                )
                .detail(format!(
                    "Send one of: {}.",
                    names(&entities.iter().collect::<Vec<_>>())
                ));
                match working.first() {
                    Some(first) => {
                        v = v.detail(format!("The call works with: {}.", names(&working)));
                        v.fix = Some(Fix::UseLegalEntity {
                            value: first.name.clone(),
                        });
                    }
                    None => {
                        v = v
                            .detail("But it is forbidden in every one of them: see the permission.")
                    }
                }
                v
            } else if everything_forbidden {
                forbidden_everywhere(perm_text, control_ok, plan)
            } else {
                Verdict::new(VerdictKind::Inconclusive, "No legal-entity header was sent and the tenant's legal entities are unknown")
                    .detail("GET /Users could not list them; type the names you know in the legal-entity pick-list and diagnose again.")
            }
        }
    }
}

/// The header names an entity the call works in, but not as the server accepts it: Younium
/// matches names case-insensitively, a server that does not wants the tenant's own spelling.
fn spelling_verdict(value: &str, entity: &LegalEntity, working: &[&LegalEntity]) -> Verdict {
    let mut v = Verdict::new(
        VerdictKind::UnknownEntity,
        format!(
            "The legal-entity header {value:?} was refused, but {:?} works: the server accepts it only as the tenant spells it",
            entity.name
        ),
    );
    if value.trim() != value {
        v = v.detail("The value sent has spaces around it.");
    }
    v = v.detail(format!("The call works with: {}.", names(working)));
    v.fix = Some(Fix::UseLegalEntity {
        value: entity.name.clone(),
    });
    v
}

fn permission_verdict(
    entity: &LegalEntity,
    working: &[&LegalEntity],
    perm_text: Option<String>,
    everything_forbidden: bool,
    control_ok: Option<bool>,
    plan: &Plan,
) -> Verdict {
    if working.is_empty() {
        return if everything_forbidden || control_ok.is_some() {
            forbidden_everywhere(perm_text, control_ok, plan)
        } else {
            Verdict::new(VerdictKind::Inconclusive, "Some probes did not complete")
                .detail("See the probe table.")
        };
    }
    let need = perm_text.unwrap_or_else(|| "the permission for this resource".into());
    let mut v = Verdict::new(
        VerdictKind::MissingPermission,
        format!(
            "The legal entity {:?} is right, but your user lacks {need} there",
            entity.name
        ),
    );
    if !entity.roles.is_empty() {
        v = v.detail(format!(
            "Your role(s) in {}: {}.",
            entity.name,
            entity.roles.join(", ")
        ));
    }
    v = v.detail(format!("The same call works in: {}.", names(working)));
    v = v.detail("Ask an administrator to grant it (Younium: Settings → Roles), or use a legal entity where it works.");
    v.fix = working.first().map(|w| Fix::UseLegalEntity {
        value: w.name.clone(),
    });
    v
}

fn forbidden_everywhere(
    perm_text: Option<String>,
    control_ok: Option<bool>,
    plan: &Plan,
) -> Verdict {
    let control = plan
        .probes
        .iter()
        .find(|p| p.control)
        .map(|p| p.label.trim_start_matches("control: ").to_string())
        .unwrap_or_default();
    let need = perm_text.unwrap_or_else(|| "the permission for this resource".into());
    match control_ok {
        Some(true) => Verdict::new(VerdictKind::ForbiddenEverywhere, format!("Forbidden in every legal entity: your user lacks {need} everywhere"))
            .detail(format!("Every probe of {} answered 403, while {control} was allowed: the user works, this resource does not.", plan.probe_label))
            .detail("Ask an administrator to grant the permission in the legal entity you need."),
        _ => Verdict::new(VerdictKind::ForbiddenEverywhere, "Everything is forbidden, in every legal entity")
            .detail(format!("Every probe answered 403, the control {control} included: the user (or the integration it belongs to) is blocked, or lacks every permission."))
            .detail("Check the user's roles and any connected integration or service in Younium, or ask Younium support."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::catalog;
    use crate::doctor::fixtures::entities;
    use crate::doctor::plan_403;
    use crate::request::{ApiRequest, Method};

    /// Fills the plan's outcomes: `works(header)` says whether a header value is allowed.
    fn finish(plan: &mut Plan, works: impl Fn(Option<&str>, bool) -> u16) {
        for p in &mut plan.probes {
            p.outcome = ProbeOutcome::Status {
                status: works(p.header.as_deref(), p.control),
            };
        }
    }

    fn is_entity(h: Option<&str>, es: &[LegalEntity]) -> Option<usize> {
        es.iter().position(|e| h.is_some_and(|h| e.matches(h)))
    }

    /// Answers as a server where any header naming a legal entity (GUID, or name in any case)
    /// is allowed and anything else is forbidden.
    fn works_in_every_entity(plan: &mut Plan, es: &[LegalEntity]) {
        finish(
            plan,
            |h, _| {
                if is_entity(h, es).is_some() { 200 } else { 403 }
            },
        );
    }

    #[test]
    fn wrong_name_suggests_and_fixes() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Accounts");
        let mut plan = plan_403(&req, Some("Nordlys Sofware AB"), &es);
        works_in_every_entity(&mut plan, &es);
        let v = verdict_403(&plan, &es, None);
        assert_eq!(v.kind, VerdictKind::UnknownEntity);
        assert!(
            v.details
                .iter()
                .any(|d| d.contains("did you mean \"Nordlys Software AB\"")),
            "{v:?}"
        );
        assert_eq!(
            v.fix,
            Some(Fix::UseLegalEntity {
                value: "Nordlys Software AB".into()
            })
        );
        assert_eq!(v.exit_code(), 1);
    }

    #[test]
    fn a_server_that_matches_names_exactly_gets_the_tenant_spelling() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Accounts");
        let mut plan = plan_403(&req, Some("nordlys software ab"), &es);
        // The exact name is probed too, and the control uses the tenant's spelling.
        assert!(
            plan.probes
                .iter()
                .any(|p| !p.control && p.header.as_deref() == Some("Nordlys Software AB"))
        );
        let control = plan.probes.iter().find(|p| p.control).unwrap();
        assert_eq!(control.header.as_deref(), Some("Nordlys Software AB"));
        finish(&mut plan, |h, _| {
            let exact =
                |e: &LegalEntity| h.is_some_and(|h| h == e.name || e.id.as_deref() == Some(h));
            if es.iter().any(exact) { 200 } else { 403 }
        });
        let v = verdict_403(&plan, &es, Some(&RequiredPermission::named("Account View")));
        assert_eq!(v.kind, VerdictKind::UnknownEntity, "{v:?}");
        assert!(
            v.headline.contains("\"Nordlys Software AB\" works"),
            "{v:?}"
        );
        assert_eq!(
            v.fix,
            Some(Fix::UseLegalEntity {
                value: "Nordlys Software AB".into()
            })
        );
    }

    #[test]
    fn a_foreign_guid_is_called_out() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Accounts");
        let guid = "6f1c2a9e-0000-4000-8000-1234567890ab";
        let mut plan = plan_403(&req, Some(guid), &es);
        works_in_every_entity(&mut plan, &es);
        let v = verdict_403(&plan, &es, None);
        assert_eq!(v.kind, VerdictKind::UnknownEntity);
        assert!(v.details[0].contains("GUID from another tenant"), "{v:?}");
    }

    #[test]
    fn missing_header_lists_the_entities() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Accounts");
        let mut plan = plan_403(&req, None, &es);
        works_in_every_entity(&mut plan, &es);
        let v = verdict_403(&plan, &es, None);
        assert_eq!(v.kind, VerdictKind::MissingHeader);
        assert!(
            v.details[0].contains("Nordlys Software AB (09b2a3a6"),
            "{v:?}"
        );
        assert!(matches!(v.fix, Some(Fix::UseLegalEntity { .. })));
    }

    #[test]
    fn permission_missing_in_one_entity() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Invoices");
        let mut plan = plan_403(&req, Some("Nordlys Software Inc"), &es);
        finish(&mut plan, |h, control| {
            if control || is_entity(h, &es) == Some(0) {
                200
            } else {
                403
            }
        });
        let v = verdict_403(&plan, &es, Some(&RequiredPermission::named("Invoice View")));
        assert_eq!(v.kind, VerdictKind::MissingPermission);
        assert!(v.headline.contains("lacks Invoice View"), "{v:?}");
        assert!(
            v.details
                .iter()
                .any(|d| d.contains("Your role(s) in Nordlys Software Inc: Sales"))
        );
        assert!(
            v.details
                .iter()
                .any(|d| d.contains("works in: Nordlys Software AB"))
        );
        assert_eq!(
            v.fix,
            Some(Fix::UseLegalEntity {
                value: "Nordlys Software AB".into()
            })
        );
    }

    #[test]
    fn forbidden_everywhere_with_and_without_a_working_control() {
        let es = entities();
        let req = ApiRequest::new(Method::Get, "/Invoices");
        let mut plan = plan_403(&req, Some("Nordlys Software AB"), &es);
        finish(&mut plan, |_, control| if control { 200 } else { 403 });
        let v = verdict_403(
            &plan,
            &es,
            Some(&RequiredPermission {
                name: "Invoice View".into(),
                inferred: true,
            }),
        );
        assert_eq!(v.kind, VerdictKind::ForbiddenEverywhere);
        assert!(
            v.headline.contains("lacks Invoice View everywhere"),
            "{v:?}"
        );
        assert!(
            v.details
                .last()
                .unwrap()
                .contains("does not name this endpoint's permission")
        );
        assert!(
            v.details[0].contains("control") || v.details[0].contains("GET /Accounts was allowed"),
            "{v:?}"
        );
        assert_eq!(v.exit_code(), 2);
        finish(&mut plan, |_, _| 403);
        let v = verdict_403(&plan, &es, None);
        assert!(v.headline.starts_with("Everything is forbidden"), "{v:?}");
    }

    #[test]
    fn a_write_whose_read_works_is_not_a_legal_entity_problem() {
        let es = entities();
        let req = ApiRequest::new(Method::Delete, "/Accounts/A-1");
        let mut plan = plan_403(&req, Some("Nordlys Software AB"), &es);
        works_in_every_entity(&mut plan, &es);
        let v = verdict_403(&plan, &es, None);
        assert_eq!(v.kind, VerdictKind::NotLegalEntity);
        assert!(v.details[0].contains("never repeated"));
    }

    #[test]
    fn inferred_permissions_come_from_sibling_endpoints() {
        assert_eq!(
            catalog().permission_for(Method::Get, "/Accounts/1"),
            Some(RequiredPermission::named("Account View"))
        );
        assert_eq!(
            catalog().permission_for(Method::Get, "/Invoices"),
            Some(RequiredPermission {
                name: "Invoice View".into(),
                inferred: true
            })
        );
    }
}
