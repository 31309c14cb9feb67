//! The demo's alert lists: for each country, wanted persons, missing children and lost or stolen
//! documents, drawn from the demo's name model. A few of the wanted are travellers of the demo
//! traffic itself, written as lists write them (a surname dropped, accents gone), so that a
//! check of their names finds them.

use chrono::{Datelike, Duration, NaiveDate};
use frontera_domain::access::Actor;
use frontera_domain::alert::{AlertDocument, AlertEntry, AlertKind, AlertName, NameQuality};
use frontera_domain::{CountryCode, Crossing, Direction, PartialDate, fold_name};
use frontera_store::{AlertListSettings, CrossingQuery};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::bench::screening::{LISTED, person};
use crate::{App, AppError};

/// Who keeps the lists, in each country's words.
fn authorities(country: CountryCode) -> (&'static str, &'static str) {
    if country == CountryCode::MEX {
        ("Fiscalía General de la República", "Instituto Nacional de Migración")
    } else {
        ("Belize Police Department", "Immigration and Nationality Department")
    }
}

fn entry(
    reference: String,
    kind: AlertKind,
    given: &str,
    surnames: &str,
    birth: Option<PartialDate>,
) -> AlertEntry {
    AlertEntry {
        reference,
        kind,
        names: vec![AlertName {
            given_names: given.into(),
            surnames: surnames.into(),
            quality: NameQuality::Primary,
        }],
        sex: None,
        birth_dates: birth.into_iter().collect(),
        nationalities: Vec::new(),
        documents: Vec::new(),
        listed_on: None,
        reason: String::new(),
        authority: String::new(),
        valid_from: None,
        valid_until: None,
        action: kind.default_action(),
    }
}

/// The three lists of `country` on `today`, with `travellers` (crossings of its demo traffic)
/// among the wanted.
pub fn lists(
    country: CountryCode,
    today: NaiveDate,
    seed: u64,
    travellers: &[Crossing],
) -> Vec<(String, AlertKind, Vec<AlertEntry>)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ u64::from(country.as_str().as_bytes()[0]));
    let code = country.as_str();
    let (police, immigration) = authorities(country);
    let mut wanted = Vec::new();
    for i in 1..=300 {
        let p = person(&mut rng, LISTED);
        let mut e = entry(
            format!("{code}-W-{i:05}"),
            AlertKind::Wanted,
            &p.given.join(" "),
            &p.surnames.join(" "),
            Some(if rng.gen_bool(0.7) {
                PartialDate::full(p.birth)
            } else {
                PartialDate::from_parts(p.birth.year(), None, None).unwrap_or(PartialDate::full(p.birth))
            }),
        );
        e.nationalities = CountryCode::parse(p.nationality).into_iter().collect();
        e.reason = "Arrest warrant".into();
        e.authority = police.into();
        if rng.gen_bool(0.1) {
            e.kind = AlertKind::RemovalOrder;
            e.action = e.kind.default_action();
            e.reason = "Removal order".into();
            e.authority = immigration.into();
            e.valid_until = Some(today + Duration::days(rng.gen_range(30..1500)));
        }
        wanted.push(e);
    }
    // Travellers of the demo, as a list would write them.
    for (i, c) in travellers.iter().enumerate() {
        let n = &c.person.name;
        let surnames = if i % 2 == 0 { n.first_surname.clone() } else { fold_name(&n.first_surname) };
        let mut e = entry(
            format!("{code}-W-9{i:04}"),
            AlertKind::Wanted,
            &n.given_names,
            &surnames,
            c.person.birth_date,
        );
        e.nationalities = vec![c.person.nationality];
        e.reason = "Failure to appear in court".into();
        e.authority = police.into();
        wanted.push(e);
    }
    let mut children = Vec::new();
    for i in 1..=25 {
        let p = person(&mut rng, LISTED);
        let born = today - Duration::days(rng.gen_range(365..365 * 16));
        let mut e = entry(
            format!("{code}-MC-{i:04}"),
            AlertKind::MissingChild,
            &p.given.join(" "),
            &p.surnames.join(" "),
            Some(PartialDate::full(born)),
        );
        e.reason = "Reported missing by the family".into();
        e.authority = police.into();
        children.push(e);
    }
    let mut documents = Vec::new();
    for i in 1..=200 {
        let number: String = std::iter::once(char::from(b'A' + rng.gen_range(0..26u8)))
            .chain((0..8).map(|_| char::from(b'0' + rng.gen_range(0..10u8))))
            .collect();
        let mut e = entry(format!("{code}-LD-{i:05}"), AlertKind::LostDocument, "", "", None);
        e.names.clear();
        e.documents = vec![AlertDocument { kind: "Passport".into(), number, issuing_state: Some(country) }];
        e.reason = "Reported stolen".into();
        e.authority = immigration.into();
        documents.push(e);
    }
    vec![
        (format!("{}-wanted", code.to_ascii_lowercase()), AlertKind::Wanted, wanted),
        (format!("{}-missing-children", code.to_ascii_lowercase()), AlertKind::MissingChild, children),
        (format!("{}-lost-documents", code.to_ascii_lowercase()), AlertKind::LostDocument, documents),
    ]
}

impl App {
    /// Load the demo's alert lists of both countries (again: a list that has not changed is left
    /// as it is). The wanted lists name a few travellers of the stored traffic: the latest to
    /// enter each country.
    pub async fn load_demo_alerts(&self, actor: &Actor, seed: u64) -> Result<u64, AppError> {
        let today = self.now().date_naive();
        let mut loaded = 0;
        for country in [CountryCode::BLZ, CountryCode::MEX] {
            let query = CrossingQuery {
                countries: vec![country],
                direction: Some(Direction::Entry),
                limit: 8,
                ..CrossingQuery::default()
            };
            let mine = self.store.search_crossings(&query, None).await?.crossings;
            for (name, kind, entries) in lists(country, today, seed, &mine) {
                loaded += entries.len() as u64;
                let threshold =
                    if kind == AlertKind::MissingChild { 0.8 } else { crate::alerts::DEFAULT_THRESHOLD };
                let settings = AlertListSettings {
                    country,
                    name: name.clone(),
                    kind,
                    threshold,
                    source: Some("demo generator".into()),
                };
                let event = frontera_domain::audit::AuditDraft::new(
                    &actor.name,
                    "alerts.import",
                    "alert_list",
                    &name,
                    Some(country.as_str()),
                    serde_json::json!({"source": "demo generator", "entries": entries.len()}),
                );
                self.store.import_alerts(&settings, entries, self.now(), event).await?;
            }
            self.alerts.rebuild(self.store.as_ref(), country).await?;
        }
        Ok(loaded)
    }
}
