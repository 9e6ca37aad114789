//! Every answer of every read of the spec checked by the independent oracle
//! ([`crate::common::oracle`]); the project's own checker (`younium::schema::validate`) plays
//! no part.

use crate::common::oracle::{
    DEVIATIONS, definitions, problems, uuid, validator, younium_date_time,
};
use crate::common::spec_api::{Api, every_read};

#[test]
fn the_deviations_accepted_are_the_ones_recorded() {
    assert_eq!(DEVIATIONS.len(), 1);
    for ok in [
        "2022-09-26T17:51:34.2600917",
        "2026-01-15T10:00:00",
        "2026-01-15T10:00:00Z",
        "2026-01-15T10:00:00.5+01:00",
    ] {
        assert!(younium_date_time(ok), "{ok}");
    }
    for bad in [
        "2026-01-15",
        "2026-01-15 10:00:00",
        "2026-01-15T10:00:00.12345678",
        "2026-01-15T10:00:00+0100",
    ] {
        assert!(!younium_date_time(bad), "{bad}");
    }
    assert!(uuid("9be8ebdf-4dc8-4391-ab2f-d1f303ca4da7") && !uuid("9be8ebdf"));
}

#[tokio::test]
async fn every_answer_of_every_read_conforms_to_the_spec_by_an_independent_validator() {
    let definitions = definitions();
    let api = Api::start().await;
    let reads = every_read(&api).await;
    api.sim.shutdown().await;
    let mut checked = 0;
    let mut off_spec = Vec::new();
    for read in reads.iter().filter(|r| r.op.success.contains(&r.status)) {
        let Some(validator) = validator(read.op, &definitions) else {
            continue;
        };
        checked += 1;
        let errors = problems(&validator, &read.body);
        if !errors.is_empty() {
            off_spec.push(format!("GET {}: {}", read.path, errors.join("; ")));
        }
    }
    assert!(checked >= 90, "only {checked} answers checked");
    assert!(
        off_spec.is_empty(),
        "{} of {checked} answers do not conform:\n{}",
        off_spec.len(),
        off_spec.join("\n")
    );
}
