//! The MRZ parser must never panic, whatever a document reader types.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines: Vec<&str> = text.split('|').collect();
    if let Ok(zone) = frontera_domain::mrz::parse(&lines) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
        let _ = zone.to_document_and_person(today);
    }
});
