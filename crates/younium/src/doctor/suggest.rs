//! "Did you mean": suggestions for a `legal-entity` header value that names no legal entity.

use super::LegalEntity;

/// Letters and digits only, lower-cased: the form in which case and spacing mistakes vanish.
pub(super) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn looks_like_guid(s: &str) -> bool {
    uuid::Uuid::parse_str(s.trim()).is_ok()
}

/// Levenshtein distance, for "did you mean".
pub(super) fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// Suggestions for a header value that matches no legal entity.
pub(crate) fn suggestions(value: &str, entities: &[LegalEntity]) -> Vec<String> {
    let v = value.trim();
    if looks_like_guid(v) {
        return vec![format!(
            "{v:?} is a GUID, but none of this tenant's legal entities has it: a GUID from another tenant, or from the other environment (sandbox and production legal entities have different GUIDs)"
        )];
    }
    let exact: Vec<String> = entities
        .iter()
        .filter(|e| squash(&e.name) == squash(v))
        .map(|e| {
            format!(
                "{v:?} differs from {:?} only in case, spacing or punctuation",
                e.name
            )
        })
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    entities
        .iter()
        .filter(|e| {
            distance(&v.to_lowercase(), &e.name.to_lowercase()) <= (e.name.len() / 4).max(2)
        })
        .map(|e| format!("did you mean {:?}?", e.name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::fixtures::entities;

    #[test]
    fn case_and_spacing_are_named() {
        let s = suggestions("nordlys  software-ab", &entities());
        assert!(
            s[0].contains("only in case, spacing or punctuation"),
            "{s:?}"
        );
    }
}
