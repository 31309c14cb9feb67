//! The service directory: loading it from HSDS 3.0 JSON (services with their organisation and
//! their services at locations nested, as HSDS's API serves them), writing it back out the same
//! way, and finding the services a person can be referred to.

use std::collections::HashMap;

use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::directory::{
    Directory, Eligibility, Location, Organisation, Schedule, Service, ServiceAtLocation,
};
use frontera_domain::{CountryCode, Rule, ValidationError, fold_name};
use frontera_store::{DirectoryChanges, DirectoryRecord};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::{App, AppError};

pub mod tabular;

/// A service as HSDS 3.0 serves it: the service, its organisation, and where it is offered.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HsdsService {
    /// The service.
    pub service: Service,
    /// Its organisation.
    pub organisation: Organisation,
    /// Where it is offered, each with its location.
    pub at: Vec<(ServiceAtLocation, Location)>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

fn required(v: &Value, key: &str, path: &str) -> Result<String, ValidationError> {
    text(v, key).ok_or_else(|| ValidationError::new(format!("{path}.{key}"), Rule::Required))
}

fn age(v: &Value, key: &str, path: &str) -> Result<Option<u8>, ValidationError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(n) => {
            n.as_u64().and_then(|n| u8::try_from(n).ok()).filter(|n| *n <= 120).map(Some).ok_or_else(|| {
                ValidationError::new(format!("{path}.{key}"), Rule::OutOfRange { min: 0, max: 120 })
            })
        }
    }
}

/// An HSDS address's country (ISO 3166-1 alpha-2, or alpha-3).
fn country(code: &str, path: &str) -> Result<CountryCode, ValidationError> {
    let code = code.trim().to_ascii_uppercase();
    let found = if code.len() == 2 {
        CountryCode::all().iter().find(|c| c.alpha2 == code).and_then(|c| CountryCode::parse(c.code).ok())
    } else {
        CountryCode::parse(&code).ok()
    };
    found.ok_or_else(|| ValidationError::new(path, Rule::UnknownCountry))
}

/// Reads HSDS 3.0 JSON: an array of services (or `{"contents": [...]}`, a page of HSDS's API),
/// each with `organization` and `service_at_locations[].location` nested; taxonomy terms as
/// `attributes[].taxonomy_term.code`, languages as `languages[].code`, the address's country
/// as ISO 3166-1 alpha-2. An organisation is in the country of its first location (or
/// `default_country`). Faults are named by their path (`[2].organization.name`).
pub fn read_hsds(text_in: &str, default_country: CountryCode) -> Result<Directory, ValidationError> {
    let value: Value = serde_json::from_str(text_in).map_err(|e| {
        ValidationError::new("file", Rule::syntax(format!("not JSON: {e}"), format!("no es JSON: {e}")))
    })?;
    read_hsds_value(&value, default_country)
}

/// Reads HSDS 3.0 services already parsed as JSON (see [`read_hsds`]).
pub fn read_hsds_value(value: &Value, default_country: CountryCode) -> Result<Directory, ValidationError> {
    let items = match value {
        Value::Array(a) => a.clone(),
        Value::Object(o) => match o.get("contents") {
            Some(Value::Array(a)) => a.clone(),
            _ => vec![value.clone()],
        },
        _ => {
            return Err(ValidationError::new(
                "file",
                Rule::syntax("not an array of services", "no es una lista de servicios"),
            ));
        }
    };
    let mut d = Directory::default();
    let mut organisations: HashMap<String, usize> = HashMap::new();
    let mut locations: HashMap<String, usize> = HashMap::new();
    for (i, s) in items.iter().enumerate() {
        let p = format!("[{i}]");
        let org = s
            .get("organization")
            .ok_or_else(|| ValidationError::new(format!("{p}.organization"), Rule::Required))?;
        let op = format!("{p}.organization");
        let org_id = required(org, "id", &op)?;
        let mut at = Vec::new();
        for (j, sal) in
            s.get("service_at_locations").and_then(Value::as_array).into_iter().flatten().enumerate()
        {
            let sp = format!("{p}.service_at_locations[{j}]");
            let loc = sal
                .get("location")
                .ok_or_else(|| ValidationError::new(format!("{sp}.location"), Rule::Required))?;
            let lp = format!("{sp}.location");
            let address = loc
                .get("addresses")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .cloned()
                .unwrap_or(Value::Null);
            let ap = format!("{lp}.addresses[0]");
            let location = Location {
                id: required(loc, "id", &lp)?,
                organisation_id: org_id.clone(),
                name: text(loc, "name").unwrap_or_default(),
                address: text(&address, "address_1"),
                city: required(&address, "city", &ap)?,
                region: required(&address, "state_province", &ap)?,
                country: country(&required(&address, "country", &ap)?, &format!("{ap}.country"))?,
                latitude: loc.get("latitude").and_then(Value::as_f64),
                longitude: loc.get("longitude").and_then(Value::as_f64),
            };
            let schedules = sal
                .get("schedules")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(k, sc)| {
                    let cp = format!("{sp}.schedules[{k}]");
                    Ok(Schedule {
                        byday: required(sc, "byday", &cp)?,
                        opens_at: required(sc, "opens_at", &cp)?,
                        closes_at: required(sc, "closes_at", &cp)?,
                        description: text(sc, "description"),
                    })
                })
                .collect::<Result<Vec<_>, ValidationError>>()?;
            at.push(ServiceAtLocation {
                id: required(sal, "id", &sp)?,
                service_id: required(s, "id", &p)?,
                location_id: location.id.clone(),
                schedules,
            });
            if !locations.contains_key(&location.id) {
                locations.insert(location.id.clone(), d.locations.len());
                d.locations.push(location);
            }
        }
        if !organisations.contains_key(&org_id) {
            let first_location =
                at.first().and_then(|sal| locations.get(&sal.location_id)).map(|&l| d.locations[l].country);
            organisations.insert(org_id.clone(), d.organisations.len());
            d.organisations.push(Organisation {
                id: org_id.clone(),
                name: required(org, "name", &op)?,
                description: text(org, "description").unwrap_or_default(),
                email: text(org, "email"),
                website: text(org, "website"),
                country: first_location.unwrap_or(default_country),
            });
        }
        let kinds = s
            .get("attributes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|a| a.get("taxonomy_term").and_then(|t| text(t, "code")))
            .collect();
        let languages = s
            .get("languages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|l| text(l, "code"))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        d.services.push(Service {
            id: required(s, "id", &p)?,
            organisation_id: org_id,
            name: required(s, "name", &p)?,
            description: text(s, "description").unwrap_or_default(),
            status: text(s, "status").unwrap_or_else(|| "active".into()),
            kinds,
            languages,
            eligibility: Eligibility {
                minimum_age: age(s, "minimum_age", &p)?,
                maximum_age: age(s, "maximum_age", &p)?,
                description: text(s, "eligibility_description"),
            },
            email: text(s, "email"),
        });
        d.service_at_locations.extend(at);
    }
    Ok(d)
}

/// The directory's services as HSDS 3.0 JSON (the form [`read_hsds`] reads).
pub fn write_hsds(services: &[HsdsService]) -> Value {
    let alpha2 =
        |c: CountryCode| c.info().map_or(c.as_str(), |i| if i.alpha2.is_empty() { i.code } else { i.alpha2 });
    Value::Array(
        services
            .iter()
            .map(|h| {
                let s = &h.service;
                json!({
                    "id": s.id, "name": s.name, "description": s.description, "status": s.status,
                    "email": s.email, "minimum_age": s.eligibility.minimum_age,
                    "maximum_age": s.eligibility.maximum_age,
                    "eligibility_description": s.eligibility.description,
                    "languages": s.languages.iter().map(|l| json!({"code": l})).collect::<Vec<_>>(),
                    "attributes": s.kinds.iter().map(|k| json!({
                        "link_entity": "service",
                        "taxonomy_term": {"code": k, "taxonomy": "frontera-services",
                            "name": frontera_domain::directory::TAXONOMY.iter().find(|t| t.0 == k).map_or(k.as_str(), |t| t.1)}
                    })).collect::<Vec<_>>(),
                    "organization": {
                        "id": h.organisation.id, "name": h.organisation.name,
                        "description": h.organisation.description, "email": h.organisation.email,
                        "website": h.organisation.website,
                    },
                    "service_at_locations": h.at.iter().map(|(sal, l)| json!({
                        "id": sal.id,
                        "schedules": sal.schedules.iter().map(|sc| json!({
                            "freq": "WEEKLY", "byday": sc.byday, "opens_at": sc.opens_at,
                            "closes_at": sc.closes_at, "description": sc.description,
                        })).collect::<Vec<_>>(),
                        "location": {
                            "id": l.id, "name": l.name, "location_type": "physical",
                            "latitude": l.latitude, "longitude": l.longitude,
                            "addresses": [{
                                "address_1": l.address, "city": l.city, "state_province": l.region,
                                "country": alpha2(l.country), "address_type": "physical",
                            }],
                        },
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// The whole directory as HSDS services (every status), each with its organisation and every
/// location it is offered at, in the directory's order: what an export writes.
pub fn nest(d: &Directory) -> Vec<HsdsService> {
    let orgs: HashMap<&str, &Organisation> = d.organisations.iter().map(|o| (o.id.as_str(), o)).collect();
    let locs: HashMap<&str, &Location> = d.locations.iter().map(|l| (l.id.as_str(), l)).collect();
    d.services
        .iter()
        .filter_map(|s| {
            let org = orgs.get(s.organisation_id.as_str())?;
            let at = d
                .service_at_locations
                .iter()
                .filter(|a| a.service_id == s.id)
                .filter_map(|a| locs.get(a.location_id.as_str()).map(|l| (a.clone(), (*l).clone())))
                .collect();
            Some(HsdsService { service: s.clone(), organisation: (*org).clone(), at })
        })
        .collect()
}

/// What a search of the directory asks for; every criterion given must hold.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServiceQuery {
    /// A kind of service (a taxonomy code).
    pub kind: Option<String>,
    /// A place: a city or region, without accents or case.
    pub place: Option<String>,
    /// A language the service is offered in (ISO 639).
    pub language: Option<String>,
    /// The age of the person to serve.
    pub age: Option<u8>,
    /// Only services in this country (alpha-3).
    pub country: Option<String>,
}

fn records(d: &Directory) -> Result<Vec<DirectoryRecord>, AppError> {
    let json = |v: Result<String, serde_json::Error>| v.map_err(|e| AppError::Internal(e.to_string()));
    let mut out = Vec::new();
    for o in &d.organisations {
        out.push(DirectoryRecord {
            kind: "organisation".into(),
            id: o.id.clone(),
            record: json(serde_json::to_string(o))?,
        });
    }
    for s in &d.services {
        out.push(DirectoryRecord {
            kind: "service".into(),
            id: s.id.clone(),
            record: json(serde_json::to_string(s))?,
        });
    }
    for l in &d.locations {
        out.push(DirectoryRecord {
            kind: "location".into(),
            id: l.id.clone(),
            record: json(serde_json::to_string(l))?,
        });
    }
    for a in &d.service_at_locations {
        out.push(DirectoryRecord {
            kind: "service_at_location".into(),
            id: a.id.clone(),
            record: json(serde_json::to_string(a))?,
        });
    }
    Ok(out)
}

impl App {
    /// The whole directory as stored.
    pub async fn directory(&self) -> Result<Directory, AppError> {
        let mut d = Directory::default();
        for r in self.store.directory_records().await? {
            let bad = |e: serde_json::Error| {
                AppError::Internal(format!("directory record {} {}: {e}", r.kind, r.id))
            };
            match r.kind.as_str() {
                "organisation" => d.organisations.push(serde_json::from_str(&r.record).map_err(bad)?),
                "service" => d.services.push(serde_json::from_str(&r.record).map_err(bad)?),
                "location" => d.locations.push(serde_json::from_str(&r.record).map_err(bad)?),
                "service_at_location" => {
                    d.service_at_locations.push(serde_json::from_str(&r.record).map_err(bad)?)
                }
                _ => {}
            }
        }
        Ok(d)
    }

    /// Loads `part` into the directory: every record checked (against what is stored too),
    /// then all saved or none, audited. Protection officers and administrators add and change
    /// only what belongs to their own country's organisations, as stored (a new record: as
    /// declared), and an organisation's stored country never changes; the console loads any.
    pub async fn save_directory(
        &self,
        actor: &Actor,
        part: &Directory,
        source: &str,
    ) -> Result<DirectoryChanges, AppError> {
        let known = self.directory().await?;
        let mut part = part.clone();
        part.keep_stored_countries(&known);
        part.validate(&known)?;
        if !can(actor, Action::ManageDirectory, Resource::of(actor.scope.country)).allowed() {
            return Err(AppError::Forbidden(
                "the directory is kept by protection officers and administrators".into(),
            ));
        }
        for (path, country) in part.countries_touched(&known) {
            if !can(actor, Action::ManageDirectory, Resource::of(country)).allowed() {
                return Err(AppError::Forbidden(format!(
                    "{path} belongs to an organisation of {country}, outside your scope: nothing was loaded"
                )));
            }
        }
        let event = AuditDraft::new(
            &actor.name,
            "directory.save",
            "directory",
            source,
            Some(actor.scope.country.as_str()),
            json!({
                "organisations": part.organisations.len(), "services": part.services.len(),
                "locations": part.locations.len(), "service_at_locations": part.service_at_locations.len(),
            }),
        );
        Ok(self.store.save_directory(&records(&part)?, self.now(), event).await?)
    }

    /// The services matching `query`, each with its organisation and where it is offered
    /// (only the locations that match the place, when one is given), by name. Inactive
    /// services are left out.
    pub async fn search_services(&self, query: &ServiceQuery) -> Result<Vec<HsdsService>, AppError> {
        let country = query
            .country
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| CountryCode::parse_field(c, "country"))
            .transpose()?;
        if let Some(k) = query.kind.as_deref().filter(|k| !k.is_empty())
            && !frontera_domain::directory::TAXONOMY.iter().any(|t| t.0 == k)
        {
            return Err(ValidationError::new("kind", frontera_domain::directory::unknown_kind()).into());
        }
        let place = query.place.as_deref().map(fold_name).filter(|p| !p.is_empty());
        let d = self.directory().await?;
        let orgs: HashMap<&str, &Organisation> = d.organisations.iter().map(|o| (o.id.as_str(), o)).collect();
        let locs: HashMap<&str, &Location> = d.locations.iter().map(|l| (l.id.as_str(), l)).collect();
        let mut out = Vec::new();
        for s in d.services.iter().filter(|s| s.status == "active") {
            if query.kind.as_deref().is_some_and(|k| !k.is_empty() && !s.kinds.iter().any(|x| x == k))
                || query.language.as_deref().is_some_and(|l| {
                    !l.is_empty() && !s.languages.iter().any(|x| x.eq_ignore_ascii_case(l.trim()))
                })
                || query.age.is_some_and(|a| !s.eligibility.serves_age(a))
            {
                continue;
            }
            let Some(org) = orgs.get(s.organisation_id.as_str()) else { continue };
            let at: Vec<(ServiceAtLocation, Location)> = d
                .service_at_locations
                .iter()
                .filter(|a| a.service_id == s.id)
                .filter_map(|a| locs.get(a.location_id.as_str()).map(|l| (a.clone(), (*l).clone())))
                .filter(|(_, l)| country.is_none_or(|c| l.country == c))
                .filter(|(_, l)| {
                    place
                        .as_deref()
                        .is_none_or(|p| fold_name(&l.city).contains(p) || fold_name(&l.region).contains(p))
                })
                .collect();
            if at.is_empty() {
                continue;
            }
            out.push(HsdsService { service: s.clone(), organisation: (*org).clone(), at });
        }
        out.sort_by(|a, b| a.service.name.cmp(&b.service.name));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsds_json_reads_back_what_it_writes() {
        let text = r#"[{
            "id": "svc-1", "name": "Refugio", "status": "active", "minimum_age": 0, "maximum_age": 17,
            "languages": [{"code": "es"}, {"code": "EN"}],
            "attributes": [{"taxonomy_term": {"code": "shelter"}}],
            "organization": {"id": "org-1", "name": "Casa"},
            "service_at_locations": [{"id": "sal-1", "schedules": [{"byday": "MO,TU", "opens_at": "08:00", "closes_at": "17:00"}],
              "location": {"id": "loc-1", "name": "Chetumal", "latitude": 18.5, "longitude": -88.3,
                "addresses": [{"address_1": "Av. Héroes", "city": "Chetumal", "state_province": "Quintana Roo", "country": "MX"}]}}]
        }]"#;
        let d = read_hsds(text, CountryCode::BLZ).unwrap();
        assert_eq!(d.organisations[0].country, CountryCode::MEX);
        assert_eq!(d.services[0].languages, ["es", "en"]);
        assert_eq!(d.services[0].kinds, ["shelter"]);
        assert_eq!(d.locations[0].region, "Quintana Roo");
        assert_eq!(d.validate(&Directory::default()), Ok(()));
        let h = HsdsService {
            service: d.services[0].clone(),
            organisation: d.organisations[0].clone(),
            at: vec![(d.service_at_locations[0].clone(), d.locations[0].clone())],
        };
        let again = read_hsds(&write_hsds(&[h]).to_string(), CountryCode::BLZ).unwrap();
        assert_eq!(again, d);
        let e = read_hsds(r#"[{"id": "s", "name": "n", "organization": {"id": "o"}}]"#, CountryCode::BLZ)
            .unwrap_err();
        assert_eq!(e.field, "[0].organization.name");
        let e = read_hsds("{", CountryCode::BLZ).unwrap_err();
        assert_eq!(e.field, "file");
    }
}
