//! The service directory protection officers refer people to, shaped after the Open Referral
//! Human Services Data Specification (HSDS 3.0): organisations, the services they run, the
//! locations they run them at, and each service at a location with its opening hours. A
//! referral goes to a service at a location, never to a person.

use serde::{Deserialize, Serialize};

use crate::country::CountryCode;
use crate::error::{Rule, ValidationError};

/// The kinds of service the directory's taxonomy knows (its `code`s), with their names.
pub const TAXONOMY: &[(&str, &str, &str)] = &[
    ("shelter", "Shelter", "Albergue"),
    ("child_protection", "Child protection", "Protección de la niñez"),
    ("family_tracing", "Family tracing and reunification", "Búsqueda y reunificación familiar"),
    ("legal_aid", "Legal aid", "Asistencia jurídica"),
    ("asylum", "Asylum and refugee status", "Asilo y condición de refugiado"),
    ("medical", "Medical care", "Atención médica"),
    ("mental_health", "Mental health and psychosocial support", "Salud mental y apoyo psicosocial"),
    ("gbv", "Gender-based violence response", "Atención a la violencia de género"),
    ("trafficking_victims", "Support for victims of trafficking", "Apoyo a víctimas de trata"),
    ("food", "Food", "Alimentación"),
    ("cash", "Cash assistance", "Asistencia en efectivo"),
    ("employment", "Employment and labour rights", "Empleo y derechos laborales"),
    ("education", "Education", "Educación"),
    ("disability", "Disability support", "Apoyo a personas con discapacidad"),
    ("documentation", "Civil documentation", "Documentación civil"),
    ("interpretation", "Interpretation", "Interpretación"),
];

/// The rule a kind outside the taxonomy breaks, naming the kinds there are.
pub fn unknown_kind() -> Rule {
    let codes = taxonomy_codes().join(", ");
    Rule::syntax(
        format!("not a kind of the taxonomy: {codes}"),
        format!("no es un tipo de la taxonomía: {codes}"),
    )
}

/// The codes of [`TAXONOMY`].
pub fn taxonomy_codes() -> Vec<&'static str> {
    TAXONOMY.iter().map(|t| t.0).collect()
}

/// An organisation: a ministry, an agency, an NGO, a clinic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Its id (stable across imports).
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Its e-mail address.
    pub email: Option<String>,
    /// Its web site.
    pub website: Option<String>,
    /// The country it works in (and whose hub keeps its record).
    pub country: CountryCode,
}

/// Who a service is for, as far as age goes, and in words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// The youngest age served.
    pub minimum_age: Option<u8>,
    /// The oldest age served.
    pub maximum_age: Option<u8>,
    /// Anything else, in words.
    pub description: Option<String>,
}

impl Eligibility {
    /// Whether someone of `age` is served.
    pub fn serves_age(&self, age: u8) -> bool {
        self.minimum_age.is_none_or(|m| age >= m) && self.maximum_age.is_none_or(|m| age <= m)
    }
}

/// A service an organisation runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    /// Its id.
    pub id: String,
    /// The organisation that runs it.
    pub organisation_id: String,
    /// Its name.
    pub name: String,
    /// What it offers.
    pub description: String,
    /// `active`, `inactive`, `defunct` or `temporarily closed` (HSDS's values).
    pub status: String,
    /// Its kinds ([`TAXONOMY`] codes).
    pub kinds: Vec<String>,
    /// The languages it is offered in (ISO 639-1 codes: `es`, `en`, `kek`, …).
    pub languages: Vec<String>,
    /// Who it serves.
    pub eligibility: Eligibility,
    /// Its e-mail address.
    pub email: Option<String>,
}

/// Where an organisation runs services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Its id.
    pub id: String,
    /// The organisation it belongs to.
    pub organisation_id: String,
    /// Its name.
    pub name: String,
    /// The street address.
    pub address: Option<String>,
    /// The city or town.
    pub city: String,
    /// The first administrative division (Belize's district, Mexico's state).
    pub region: String,
    /// The country.
    pub country: CountryCode,
    /// Latitude, WGS 84.
    pub latitude: Option<f64>,
    /// Longitude, WGS 84.
    pub longitude: Option<f64>,
}

/// When a service is open at a location: weekly, on some days, between two times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The days, as iCalendar's `BYDAY` (`MO,TU,WE,TH,FR`).
    pub byday: String,
    /// Opening time, `HH:MM`.
    pub opens_at: String,
    /// Closing time, `HH:MM`.
    pub closes_at: String,
    /// Anything else (holidays, appointments).
    pub description: Option<String>,
}

/// A service offered at a location: what a referral is sent to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceAtLocation {
    /// Its id.
    pub id: String,
    /// The service.
    pub service_id: String,
    /// The location.
    pub location_id: String,
    /// When it is open (none: always, or by appointment as the description says).
    pub schedules: Vec<Schedule>,
}

/// The whole directory, or a part of it to load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Directory {
    /// Organisations.
    pub organisations: Vec<Organisation>,
    /// Services.
    pub services: Vec<Service>,
    /// Locations.
    pub locations: Vec<Location>,
    /// Services at locations.
    pub service_at_locations: Vec<ServiceAtLocation>,
}

fn id_ok(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

fn time_ok(t: &str) -> bool {
    chrono::NaiveTime::parse_from_str(t, "%H:%M").is_ok()
}

impl Directory {
    /// Checks every record and every reference between them: ids well formed and unique per
    /// kind, each service's organisation, each location's, each service at a location's
    /// service and location present (in this directory or in `known`, what is stored
    /// already), kinds from the taxonomy, ages in order, opening hours well formed. The first
    /// fault is named by its path (`services[3].kinds[0]`).
    pub fn validate(&self, known: &Directory) -> Result<(), ValidationError> {
        let bad = |path: String, rule: Rule| Err(ValidationError::new(&path, rule));
        let statuses: &'static [&'static str] = &["active", "inactive", "defunct", "temporarily closed"];
        let mut seen = std::collections::HashSet::new();
        for (i, o) in self.organisations.iter().enumerate() {
            if !id_ok(&o.id) || !seen.insert(("o", o.id.as_str())) {
                return bad(
                    format!("organisations[{i}].id"),
                    Rule::syntax(
                        "a unique id of letters, digits, - _ .",
                        "un identificador único de letras, dígitos, - _ .",
                    ),
                );
            }
            if o.name.trim().is_empty() {
                return bad(format!("organisations[{i}].name"), Rule::Required);
            }
        }
        let has = |list: &[(&str, &str)], id: &str| list.iter().any(|(_, x)| *x == id);
        let organisations: Vec<(&str, &str)> =
            self.organisations.iter().chain(&known.organisations).map(|o| ("o", o.id.as_str())).collect();
        for (i, s) in self.services.iter().enumerate() {
            if !id_ok(&s.id) || !seen.insert(("s", s.id.as_str())) {
                return bad(
                    format!("services[{i}].id"),
                    Rule::syntax(
                        "a unique id of letters, digits, - _ .",
                        "un identificador único de letras, dígitos, - _ .",
                    ),
                );
            }
            if s.name.trim().is_empty() {
                return bad(format!("services[{i}].name"), Rule::Required);
            }
            if !has(&organisations, &s.organisation_id) {
                return bad(
                    format!("services[{i}].organisation_id"),
                    Rule::syntax(
                        format!("no organisation {}", s.organisation_id),
                        format!("no hay organización {}", s.organisation_id),
                    ),
                );
            }
            if !statuses.contains(&s.status.as_str()) {
                return bad(format!("services[{i}].status"), Rule::OneOf { allowed: statuses });
            }
            if let Some(k) = s.kinds.iter().position(|k| !TAXONOMY.iter().any(|t| t.0 == k)) {
                return bad(format!("services[{i}].kinds[{k}]"), unknown_kind());
            }
            if let Some(l) = s
                .languages
                .iter()
                .position(|l| !(2..=3).contains(&l.len()) || !l.chars().all(|c| c.is_ascii_lowercase()))
            {
                return bad(
                    format!("services[{i}].languages[{l}]"),
                    Rule::syntax(
                        "an ISO 639 code such as es, en or kek",
                        "un código ISO 639 como es, en o kek",
                    ),
                );
            }
            if let (Some(lo), Some(hi)) = (s.eligibility.minimum_age, s.eligibility.maximum_age)
                && lo > hi
            {
                return bad(
                    format!("services[{i}].eligibility.maximum_age"),
                    Rule::Before { other: "minimum_age" },
                );
            }
        }
        let services: Vec<(&str, &str)> =
            self.services.iter().chain(&known.services).map(|s| ("s", s.id.as_str())).collect();
        for (i, l) in self.locations.iter().enumerate() {
            if !id_ok(&l.id) || !seen.insert(("l", l.id.as_str())) {
                return bad(
                    format!("locations[{i}].id"),
                    Rule::syntax(
                        "a unique id of letters, digits, - _ .",
                        "un identificador único de letras, dígitos, - _ .",
                    ),
                );
            }
            if !has(&organisations, &l.organisation_id) {
                return bad(
                    format!("locations[{i}].organisation_id"),
                    Rule::syntax(
                        format!("no organisation {}", l.organisation_id),
                        format!("no hay organización {}", l.organisation_id),
                    ),
                );
            }
            if l.city.trim().is_empty() || l.region.trim().is_empty() {
                let field = if l.city.trim().is_empty() { "city" } else { "region" };
                return bad(format!("locations[{i}].{field}"), Rule::Required);
            }
            if l.latitude.is_some_and(|v| !(-90.0..=90.0).contains(&v)) {
                return bad(format!("locations[{i}].latitude"), Rule::OutOfRange { min: -90, max: 90 });
            }
            if l.longitude.is_some_and(|v| !(-180.0..=180.0).contains(&v)) {
                return bad(format!("locations[{i}].longitude"), Rule::OutOfRange { min: -180, max: 180 });
            }
        }
        let locations: Vec<(&str, &str)> =
            self.locations.iter().chain(&known.locations).map(|l| ("l", l.id.as_str())).collect();
        for (i, sal) in self.service_at_locations.iter().enumerate() {
            if !id_ok(&sal.id) || !seen.insert(("a", sal.id.as_str())) {
                return bad(
                    format!("service_at_locations[{i}].id"),
                    Rule::syntax(
                        "a unique id of letters, digits, - _ .",
                        "un identificador único de letras, dígitos, - _ .",
                    ),
                );
            }
            if !has(&services, &sal.service_id) {
                return bad(
                    format!("service_at_locations[{i}].service_id"),
                    Rule::syntax(
                        format!("no service {}", sal.service_id),
                        format!("no hay servicio {}", sal.service_id),
                    ),
                );
            }
            if !has(&locations, &sal.location_id) {
                return bad(
                    format!("service_at_locations[{i}].location_id"),
                    Rule::syntax(
                        format!("no location {}", sal.location_id),
                        format!("no hay lugar {}", sal.location_id),
                    ),
                );
            }
            for (j, s) in sal.schedules.iter().enumerate() {
                let path = |f: &str| format!("service_at_locations[{i}].schedules[{j}].{f}");
                if s.byday.split(',').any(|d| !DAYS.contains(&d.trim())) {
                    return bad(
                        path("byday"),
                        Rule::syntax("days as MO,TU,WE,TH,FR,SA,SU", "días como MO,TU,WE,TH,FR,SA,SU"),
                    );
                }
                if !time_ok(&s.opens_at) {
                    return bad(path("opens_at"), Rule::NotADate { format: "HH:MM" });
                }
                if !time_ok(&s.closes_at) || s.closes_at <= s.opens_at {
                    return bad(path("closes_at"), Rule::Before { other: "opens_at" });
                }
            }
        }
        Ok(())
    }
}

impl Directory {
    /// Every country whose records loading `self` over `known` (what is stored) would add or
    /// change, with the path of the record: an organisation's own country; a service's or a
    /// location's, its organisation's; a service at a location's, its service's organisation's.
    /// A record already stored answers with the country of what it belongs to *as stored*,
    /// and, where the part moves it to another organisation or service, that one's too: the
    /// loader must be allowed both. Call after [`Directory::keep_stored_countries`].
    pub fn countries_touched(&self, known: &Directory) -> Vec<(String, CountryCode)> {
        let org_country = |id: &str| {
            known
                .organisations
                .iter()
                .find(|o| o.id == id)
                .or_else(|| self.organisations.iter().find(|o| o.id == id))
                .map(|o| o.country)
        };
        let service_org = |id: &str| {
            self.services
                .iter()
                .find(|s| s.id == id)
                .or_else(|| known.services.iter().find(|s| s.id == id))
                .map(|s| s.organisation_id.clone())
        };
        let stored_service_org =
            |id: &str| known.services.iter().find(|s| s.id == id).map(|s| s.organisation_id.clone());
        let mut out: Vec<(String, CountryCode)> = self
            .organisations
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let stored = known.organisations.iter().find(|k| k.id == o.id);
                (format!("organisations[{i}]"), stored.map_or(o.country, |k| k.country))
            })
            .collect();
        let mut touch = |path: String, org: Option<String>| {
            if let Some(c) = org.as_deref().and_then(org_country) {
                out.push((path, c));
            }
        };
        for (i, s) in self.services.iter().enumerate() {
            let stored = known.services.iter().find(|k| k.id == s.id).map(|k| k.organisation_id.clone());
            touch(format!("services[{i}]"), stored);
            touch(format!("services[{i}]"), Some(s.organisation_id.clone()));
        }
        for (i, l) in self.locations.iter().enumerate() {
            let stored = known.locations.iter().find(|k| k.id == l.id).map(|k| k.organisation_id.clone());
            touch(format!("locations[{i}]"), stored);
            touch(format!("locations[{i}]"), Some(l.organisation_id.clone()));
        }
        for (i, a) in self.service_at_locations.iter().enumerate() {
            let stored = known.service_at_locations.iter().find(|k| k.id == a.id);
            touch(
                format!("service_at_locations[{i}]"),
                stored.and_then(|k| stored_service_org(&k.service_id)),
            );
            touch(format!("service_at_locations[{i}]"), service_org(&a.service_id));
            let location_org = |id: &str| {
                self.locations
                    .iter()
                    .find(|l| l.id == id)
                    .or_else(|| known.locations.iter().find(|l| l.id == id))
                    .map(|l| l.organisation_id.clone())
            };
            touch(format!("service_at_locations[{i}]"), location_org(&a.location_id));
        }
        out
    }

    /// Gives every organisation of the part that is stored already the country it is stored
    /// with: a country is the organisation's, and never changes through a load (whatever the
    /// file's first address, or the loader's own country for an organisation without one,
    /// would say).
    pub fn keep_stored_countries(&mut self, known: &Directory) {
        for o in &mut self.organisations {
            if let Some(stored) = known.organisations.iter().find(|k| k.id == o.id) {
                o.country = stored.country;
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn example() -> Directory {
        Directory {
            organisations: vec![Organisation {
                id: "org-casa".into(),
                name: "Casa de la Niñez Corozal".into(),
                description: "Shelter and care for children on the move".into(),
                email: Some("casa@example.org".into()),
                website: None,
                country: CountryCode::BLZ,
            }],
            services: vec![Service {
                id: "svc-shelter".into(),
                organisation_id: "org-casa".into(),
                name: "Emergency shelter for children".into(),
                description: "Beds, meals and a caseworker".into(),
                status: "active".into(),
                kinds: vec!["shelter".into(), "child_protection".into()],
                languages: vec!["es".into(), "en".into()],
                eligibility: Eligibility { minimum_age: Some(0), maximum_age: Some(17), description: None },
                email: None,
            }],
            locations: vec![Location {
                id: "loc-corozal".into(),
                organisation_id: "org-casa".into(),
                name: "Corozal Town".into(),
                address: Some("4th Avenue".into()),
                city: "Corozal".into(),
                region: "Corozal".into(),
                country: CountryCode::BLZ,
                latitude: Some(18.39),
                longitude: Some(-88.39),
            }],
            service_at_locations: vec![ServiceAtLocation {
                id: "sal-shelter-corozal".into(),
                service_id: "svc-shelter".into(),
                location_id: "loc-corozal".into(),
                schedules: vec![Schedule {
                    byday: "MO,TU,WE,TH,FR,SA,SU".into(),
                    opens_at: "00:00".into(),
                    closes_at: "23:59".into(),
                    description: Some("Open day and night".into()),
                }],
            }],
        }
    }

    #[test]
    fn a_whole_directory_passes_and_each_fault_is_named_by_its_path() {
        let d = example();
        assert_eq!(d.validate(&Directory::default()), Ok(()));
        let check = |f: &dyn Fn(&mut Directory), path: &str| {
            let mut bad = example();
            f(&mut bad);
            let e = bad.validate(&Directory::default()).expect_err(path);
            assert_eq!(e.field, path);
        };
        check(&|d| d.services[0].kinds.push("haircuts".into()), "services[0].kinds[2]");
        check(&|d| d.services[0].organisation_id = "org-nobody".into(), "services[0].organisation_id");
        check(&|d| d.services[0].eligibility.minimum_age = Some(18), "services[0].eligibility.maximum_age");
        check(&|d| d.services[0].languages.push("Spanish".into()), "services[0].languages[2]");
        check(&|d| d.services[0].status = "open".into(), "services[0].status");
        check(&|d| d.locations[0].latitude = Some(91.0), "locations[0].latitude");
        check(
            &|d| d.service_at_locations[0].location_id = "loc-x".into(),
            "service_at_locations[0].location_id",
        );
        check(
            &|d| d.service_at_locations[0].schedules[0].byday = "MON".into(),
            "service_at_locations[0].schedules[0].byday",
        );
        check(
            &|d| d.service_at_locations[0].schedules[0].closes_at = "00:00".into(),
            "service_at_locations[0].schedules[0].closes_at",
        );
        check(&|d| d.organisations.push(d.organisations[0].clone()), "organisations[1].id");
        check(&|d| d.organisations[0].id = "org casa".into(), "organisations[0].id");
        // A part refers to what is stored already.
        let stored = example();
        let part = Directory { services: vec![], locations: vec![], organisations: vec![], ..example() };
        assert_eq!(part.validate(&stored), Ok(()));
        assert!(part.validate(&Directory::default()).is_err());
        assert!(
            Eligibility { minimum_age: Some(0), maximum_age: Some(17), description: None }.serves_age(12)
        );
        assert!(!Eligibility { minimum_age: Some(18), maximum_age: None, description: None }.serves_age(12));
        assert_eq!(taxonomy_codes().len(), TAXONOMY.len());
    }
}
