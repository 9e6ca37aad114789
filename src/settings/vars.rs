//! The template variables a run starts with: the config file's `[vars]`, the profile's, then
//! `--var`, each winning over the one before (see `younium::template::Vars`).

use super::Inputs;
use crate::config::Profile;
use crate::younium::template::{Origin, Vars};

/// The variables from every source, each with where it came from.
pub(super) fn resolve(inputs: &Inputs<'_>, profile: Option<(&str, &Profile)>) -> Vars {
    let mut vars = Vars::default();
    if let Some(file) = &inputs.config.file {
        vars.extend(&Origin::Config, pairs(&file.config.vars));
    }
    if let Some((name, p)) = profile {
        vars.extend(&Origin::Profile(name.to_string()), pairs(&p.vars));
    }
    let flags = inputs.flags.vars.iter();
    vars.extend(
        &Origin::CommandLine,
        flags.map(|(k, v)| (k.as_str(), v.as_str())),
    );
    vars
}

fn pairs(map: &std::collections::BTreeMap<String, String>) -> impl Iterator<Item = (&str, &str)> {
    map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}
