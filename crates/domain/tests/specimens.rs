//! The worked examples of ICAO Doc 9303, from the shared test data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use frontera_domain::mrz;

fn shared(file: &str) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(file);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!(
                "skipped: {} is absent (the shared test data is not beside this clone)",
                path.display()
            );
            None
        }
    }
}

#[test]
fn every_icao_specimen_parses_with_exactly_the_listed_fields_and_the_corrupted_one_fails() {
    let Some(text) = shared("icao-9303-specimens.json") else { return };
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let specimens = doc["specimens"].as_array().unwrap();
    assert!(specimens.len() >= 5);
    for specimen in specimens {
        let lines: Vec<&str> =
            specimen["lines"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
        let parsed = mrz::parse(&lines).unwrap_or_else(|e| panic!("{lines:?}: {e}"));
        let got = serde_json::to_value(&parsed).unwrap();
        let expect = specimen["expect"].as_object().unwrap();
        if let Some(format) = specimen["format"].as_str() {
            assert_eq!(parsed.format.as_str(), format, "{lines:?}");
        }
        for (key, want) in expect {
            if key == "failed_check" {
                assert_eq!(parsed.failed_checks.first().map(|c| c.as_str()), want.as_str(), "{lines:?}");
                continue;
            }
            assert_eq!(&got[key], want, "{key} of {lines:?}");
        }
    }
}
