//! The labour registry's records: employers, workers, permits, and how they are kept.

use crate::AppError;
use crate::protection::{required, text, to_json};
use chrono::{DateTime, Utc};
use frontera_domain::labour::{PermitKind, PermitLife, parse_region, parse_sector};
use frontera_domain::{
    CountryCode, DocumentKind, DocumentNumber, PartialDate, PersonId, Rule, Sex, ValidationError, fold_name,
};
use frontera_store::LabourRecord;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An employer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Employer {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its registration number with the country's authorities.
    pub registration: String,
    /// Its sector (ISIC Rev. 4 section).
    pub sector: String,
    /// The subdivision it is in (ISO 3166-2).
    pub region: String,
    /// Its country.
    pub country: CountryCode,
}

/// What registering an employer asks for.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmployerDraft {
    /// Its name.
    pub name: Option<String>,
    /// Its registration number.
    pub registration: Option<String>,
    /// Its sector, an ISIC Rev. 4 section (`A` agriculture, `F` construction, `G` trade, …).
    pub sector: Option<String>,
    /// Its subdivision (ISO 3166-2: `MX-ROO`, `BZ-CZL`, …).
    pub region: Option<String>,
}

/// A worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Worker {
    /// Its id.
    pub id: String,
    /// Given names.
    pub given_names: String,
    /// Surnames.
    pub surnames: String,
    /// Birth date, whole or partial.
    pub birth_date: Option<PartialDate>,
    /// Sex.
    pub sex: Sex,
    /// Nationality.
    pub nationality: CountryCode,
    /// The number of their travel document.
    pub document_number: String,
    /// That document's kind.
    pub document_kind: DocumentKind,
    /// That document's issuer.
    pub issuing_state: CountryCode,
    /// The traveller the registry's country holds for that document: their crossings are the
    /// worker's.
    pub person_id: String,
    /// The registry that keeps them.
    pub country: CountryCode,
}

/// What registering a worker asks for.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerDraft {
    /// Given names.
    pub given_names: Option<String>,
    /// Surnames.
    pub surnames: Option<String>,
    /// Birth date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub birth_date: Option<String>,
    /// `F`, `M` or `X`.
    pub sex: Option<String>,
    /// Nationality (alpha-3).
    pub nationality: Option<String>,
    /// The travel document's number.
    pub document_number: Option<String>,
    /// Its kind (`passport`, `id_card`, `border_card`, …; default `passport`).
    pub document_kind: Option<String>,
    /// Its issuer (alpha-3; default: the nationality).
    pub issuing_state: Option<String>,
    /// A traveller this node already knows (from a crossing): the fields left empty are taken
    /// from their latest crossing's document.
    pub person_id: Option<String>,
}

/// A work permit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Permit {
    /// Its id.
    pub id: String,
    /// Its kind's code.
    pub kind: String,
    /// The worker who holds it.
    pub worker_id: String,
    /// The employers it names.
    pub employer_ids: Vec<String>,
    /// Its sector (ISIC Rev. 4 section).
    pub sector: String,
    /// The subdivisions it is valid in (empty: the whole country).
    pub regions: Vec<String>,
    /// Its life: state, days, changes.
    pub life: PermitLife,
    /// Why it was refused or revoked.
    pub reason: Option<String>,
    /// The number of the card or document the permit is (a TVTF card's), when it is one.
    #[serde(default)]
    pub card_number: Option<String>,
}

/// One of a worker's crossings, as their file lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkerCrossing {
    /// The crossing.
    pub id: String,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// Where.
    pub port_id: String,
    /// `entry` or `exit`.
    pub direction: String,
    /// The category recorded.
    pub category: String,
    /// The kind of document shown.
    pub document_kind: String,
}

/// Which workers to find.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct WorkerQuery {
    /// Part of a name, a birth date or a document number (without accents or case).
    pub q: Option<String>,
    /// Holding a permit that names this employer (its id).
    pub employer: Option<String>,
    /// Holding a permit of this sector (ISIC section).
    pub sector: Option<String>,
    /// Holding a permit in this state (`applied`, `issued`, `renewed`, `refused`, `expired`,
    /// `revoked`).
    pub status: Option<String>,
}

/// What applying for a permit asks for.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PermitDraft {
    /// The kind's code (`mx-tvtf`, `bz-seasonal-agricultural`, …).
    pub kind: Option<String>,
    /// The worker.
    pub worker_id: Option<String>,
    /// The employers (at least one).
    #[serde(default)]
    pub employer_ids: Vec<String>,
    /// The sector (ISIC section; default: the first employer's).
    pub sector: Option<String>,
    /// Where it is valid (ISO 3166-2; default: everywhere its kind allows).
    #[serde(default)]
    pub regions: Vec<String>,
    /// The number of the card the permit is, when it is one (a TVTF card's).
    pub card_number: Option<String>,
}

pub(crate) fn from_json<T: for<'de> Deserialize<'de>>(r: &LabourRecord) -> Result<T, AppError> {
    serde_json::from_str(&r.record).map_err(|e| AppError::Internal(format!("{} {}: {e}", r.kind, r.id)))
}

/// An employer of `country`'s registry from what registering one asks for.
pub(crate) fn employer_of(country: CountryCode, draft: &EmployerDraft) -> Result<Employer, AppError> {
    let sector =
        parse_sector(required(&draft.sector, "sector")?).map_err(|r| ValidationError::new("sector", r))?;
    let region =
        parse_region(required(&draft.region, "region")?).map_err(|r| ValidationError::new("region", r))?;
    if !region.starts_with(&country_prefix(country)) {
        return Err(not_here("region", country).into());
    }
    Ok(Employer {
        id: Uuid::now_v7().to_string(),
        name: required(&draft.name, "name")?.to_string(),
        registration: required(&draft.registration, "registration")?.to_string(),
        sector: sector.to_string(),
        region: region.to_string(),
        country,
    })
}

/// A worker of `country`'s registry from what registering one asks for, the fields left empty
/// taken from a crossing of theirs the node holds, when given.
pub(crate) fn worker_of(
    country: CountryCode,
    draft: &WorkerDraft,
    known: Option<&frontera_domain::Crossing>,
) -> Result<Worker, AppError> {
    let or_known = |given: &Option<String>, known: Option<String>| text(given).map(str::to_string).or(known);
    let k = known;
    let name = k.map(|c| &c.person.name);
    let doc = k.map(|c| &c.document);
    let surnames = name.map(|n| {
        [Some(n.first_surname.as_str()), n.second_surname.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let sex = or_known(&draft.sex, k.map(|c| c.person.sex.code().to_string()));
    let given_names = or_known(&draft.given_names, name.map(|n| n.given_names.clone()))
        .ok_or_else(|| ValidationError::new("given_names", Rule::Required))?;
    let surnames = or_known(&draft.surnames, surnames)
        .ok_or_else(|| ValidationError::new("surnames", Rule::Required))?;
    let birth_date = match text(&draft.birth_date) {
        Some(b) => Some(PartialDate::parse(b).map_err(|r| ValidationError::new("birth_date", r))?),
        None => k.and_then(|c| c.person.birth_date),
    };
    let sex = Sex::parse(sex.as_deref().unwrap_or_default()).map_err(|r| ValidationError::new("sex", r))?;
    let nationality = CountryCode::parse_field(
        &or_known(&draft.nationality, k.map(|c| c.person.nationality.to_string())).unwrap_or_default(),
        "nationality",
    )?;
    let document_kind = match or_known(&draft.document_kind, doc.map(|d| d.kind.as_str().to_string())) {
        Some(kind) => DocumentKind::parse(&kind).map_err(|r| ValidationError::new("document_kind", r))?,
        None => DocumentKind::Passport,
    };
    let issuing_state = match or_known(&draft.issuing_state, doc.map(|d| d.issuing_state.to_string())) {
        Some(state) => CountryCode::parse_field(&state, "issuing_state")?,
        None => nationality,
    };
    let document_number = DocumentNumber::parse(
        &or_known(&draft.document_number, doc.map(|d| d.number.to_string())).unwrap_or_default(),
    )
    .map_err(|r| ValidationError::new("document_number", r))?;
    Ok(Worker {
        id: Uuid::now_v7().to_string(),
        given_names,
        surnames,
        birth_date,
        sex,
        nationality,
        person_id: PersonId::for_document_key(country, document_kind, issuing_state, &document_number)
            .to_string(),
        document_number: document_number.to_string(),
        document_kind,
        issuing_state,
        country,
    })
}

/// Refuses a kind of permit another country issues than the worker's registry.
pub(crate) fn issued_by(kind: &PermitKind, worker: &Worker) -> Result<(), AppError> {
    if kind.country != worker.country {
        return Err(ValidationError::refused(
            "kind",
            format!("{} permits are issued by {}", kind.code, kind.country),
            format!("los permisos {} los expide {}", kind.code, kind.country),
        )
        .into());
    }
    Ok(())
}

/// A permit of `kind` applied for by `worker` with `employers` (checked to be the registry's),
/// as `draft` asks.
pub(crate) fn permit_of(
    kind: &'static PermitKind,
    worker: &Worker,
    employers: &[Employer],
    draft: &PermitDraft,
) -> Result<Permit, AppError> {
    let sector = match text(&draft.sector) {
        Some(s) => parse_sector(s).map_err(|r| ValidationError::new("sector", r))?.to_string(),
        None => employers[0].sector.clone(),
    };
    let mut regions = Vec::new();
    for (i, r) in draft.regions.iter().enumerate() {
        let field = format!("regions[{i}]");
        let region = parse_region(r).map_err(|rule| ValidationError::new(field.clone(), rule))?;
        if !kind.regions.is_empty() && !kind.regions.contains(&region)
            || !region.starts_with(&country_prefix(kind.country))
        {
            return Err(ValidationError::refused(
                field,
                format!("a {} is not valid there", kind.code),
                format!("un {} no es válido allí", kind.code),
            )
            .into());
        }
        regions.push(region.to_string());
    }
    if regions.is_empty() {
        regions = kind.regions.iter().map(|r| r.to_string()).collect();
    }
    Ok(Permit {
        id: Uuid::now_v7().to_string(),
        kind: kind.code.to_string(),
        worker_id: worker.id.clone(),
        employer_ids: employers.iter().map(|e| e.id.clone()).collect(),
        sector,
        regions,
        life: PermitLife::applied(),
        reason: None,
        card_number: text(&draft.card_number)
            .map(|n| {
                DocumentNumber::parse(n)
                    .map(|n| n.to_string())
                    .map_err(|r| ValidationError::new("card_number", r))
            })
            .transpose()?,
    })
}

/// A new employer's record.
pub(crate) fn employer_record(employer: &Employer) -> Result<LabourRecord, AppError> {
    Ok(LabourRecord {
        kind: "employer".into(),
        id: employer.id.clone(),
        country: employer.country,
        holder: None,
        employer: None,
        search_key: Some(fold_name(&format!("{} {}", employer.name, employer.registration))),
        state: "active".into(),
        record: to_json(employer)?,
        version: 1,
    })
}

/// A new worker's record.
pub(crate) fn worker_record(worker: &Worker) -> Result<LabourRecord, AppError> {
    let key = format!(
        "{} {} {} {}",
        worker.surnames,
        worker.given_names,
        worker.birth_date.map(|b| b.to_string()).unwrap_or_default(),
        worker.document_number
    );
    let record = LabourRecord {
        kind: "worker".into(),
        id: worker.id.clone(),
        country: worker.country,
        holder: Some(worker.person_id.clone()),
        employer: None,
        search_key: Some(fold_name(&key)),
        state: "active".into(),
        record: to_json(&worker)?,
        version: 1,
    };
    Ok(record)
}

/// The travellers the worker's registry holds for them: by their travel document, and by
/// each of their permits that is a card.
pub(crate) fn worker_persons(worker: &Worker, permits: &[Permit]) -> Result<Vec<PersonId>, AppError> {
    let mut persons = vec![worker_person(worker)?];
    for p in permits {
        let Some(card) = &p.card_number else { continue };
        let kind = PermitKind::parse(&p.kind).map_err(|r| ValidationError::new("kind", r))?;
        let number = DocumentNumber::parse(card).map_err(|r| ValidationError::new("card_number", r))?;
        let person =
            PersonId::for_document_key(worker.country, DocumentKind::BorderCard, kind.country, &number);
        if !persons.contains(&person) {
            persons.push(person);
        }
    }
    Ok(persons)
}

/// The traveller the worker's registry holds for their travel document.
pub(super) fn worker_person(worker: &Worker) -> Result<PersonId, AppError> {
    let number = DocumentNumber::parse(&worker.document_number)
        .map_err(|r| ValidationError::new("document_number", r))?;
    Ok(PersonId::for_document_key(worker.country, worker.document_kind, worker.issuing_state, &number))
}

/// A subdivision given that is not one of `country`'s.
pub(crate) fn not_here(field: &str, country: CountryCode) -> ValidationError {
    ValidationError::refused(
        field,
        format!("not a subdivision of {country}"),
        format!("no es una subdivisión de {country}"),
    )
}

/// The ISO 3166-2 prefix of a country's subdivisions (`MX-`, `BZ-`).
pub(super) fn country_prefix(country: CountryCode) -> String {
    let alpha2 = country.info().map_or(country.as_str(), |i| i.alpha2);
    format!("{alpha2}-")
}

/// The time zone a registry keeps its days in.
pub(super) fn registry_zone(country: CountryCode) -> chrono_tz::Tz {
    match country {
        CountryCode::MEX => chrono_tz::America::Cancun,
        CountryCode::BLZ => chrono_tz::America::Belize,
        _ => chrono_tz::UTC,
    }
}

pub(crate) fn permit_record(
    permit: &Permit,
    country: CountryCode,
    version: i64,
) -> Result<LabourRecord, AppError> {
    Ok(LabourRecord {
        kind: "permit".into(),
        id: permit.id.clone(),
        country,
        holder: Some(permit.worker_id.clone()),
        employer: permit.employer_ids.first().cloned(),
        search_key: permit.card_number.as_deref().map(fold_name),
        state: permit.life.state.as_str().into(),
        record: to_json(permit)?,
        version,
    })
}
