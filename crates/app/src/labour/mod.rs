//! The labour registry (issue 7, first part): employers, workers and permits, kept by each
//! country's registrar, and the counter's check of a border worker's permits.
//!
//! Records are the store's versioned labour records; every change is audited, a change made
//! from a stale version is a conflict. A registrar keeps their own country's registry only;
//! border staff read a permit's status through [`App::check_worker`], never the file.

use chrono::{DateTime, Utc};
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::labour::{
    PermitCheck, PermitEvent, PermitFacts, PermitKind, PermitLife, PermitState, check_permits, parse_region,
    parse_sector,
};
use frontera_domain::{
    CountryCode, DocumentKind, DocumentNumber, Lang, PartialDate, PersonId, Rule, Sex, ValidationError,
    fold_name,
};
use frontera_store::{LabourQuery, LabourRecord, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::protection::{refused, required, text, to_json};
use crate::{App, AppError};

mod counter;
mod demand;
mod transfer;

pub use counter::{CheckDecision, CheckQuery, CounterCheck};
pub(crate) use demand::demand_record;
pub use demand::{
    Demand, DemandDraft, DemandMonth, DemandReport, DemandReportRequest, HOLDER_DIMENSIONS,
    HolderCrossingsRequest, PERMIT_DIMENSIONS, PermitTableRequest,
};
pub use transfer::{RegistryFile, RegistryImport, SheetFormat};

/// An employer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// A worker's file, as their registrar sees it.
#[derive(Debug, Clone, Serialize)]
pub struct WorkerFile {
    /// The worker.
    pub worker: Worker,
    /// Their permits, newest first.
    pub permits: Vec<Permit>,
    /// The employers the permits name.
    pub employers: Vec<Employer>,
    /// Their crossings held by the registry's country, newest first.
    pub crossings: Vec<WorkerCrossing>,
    /// The counter's checks of their permits, newest first.
    pub checks: Vec<CounterCheck>,
}

/// One of a worker's crossings, as their file lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

impl App {
    pub(super) fn may_keep(&self, actor: &Actor, country: CountryCode) -> Result<(), AppError> {
        if can(actor, Action::ManageLabour, Resource::of(country)).allowed() {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("the labour registry of {country} is not yours to keep")))
        }
    }

    async fn save_labour(
        &self,
        actor: &Actor,
        record: LabourRecord,
        action: &str,
        detail: serde_json::Value,
    ) -> Result<(), AppError> {
        let event = AuditDraft::new(
            &actor.name,
            action,
            &record.kind,
            &record.id,
            Some(record.country.as_str()),
            detail,
        );
        self.store.save_labour(std::slice::from_ref(&record), self.now(), event).await.map_err(|e| match e {
            StoreError::Conflict(c) => AppError::Conflict(c),
            other => other.into(),
        })
    }

    async fn labour<T: for<'de> Deserialize<'de>>(
        &self,
        actor: &Actor,
        kind: &str,
        id: &str,
    ) -> Result<(T, LabourRecord), AppError> {
        // The role first, then the record: another country's record is answered as absent,
        // and the try audited, so that its id is no oracle.
        self.may_keep(actor, actor.scope.country)?;
        let Some(r) = self.store.labour_record(kind, id).await? else {
            return Err(AppError::NotFound(format!("{kind} {id}")));
        };
        if self.may_keep(actor, r.country).is_err() {
            return Err(self.out_of_scope(actor, kind, id, r.country).await);
        }
        Ok((from_json(&r)?, r))
    }

    /// Registers an employer in the registrar's country.
    pub async fn register_employer(
        &self,
        actor: &Actor,
        draft: &EmployerDraft,
    ) -> Result<Employer, AppError> {
        let country = actor.scope.country;
        self.may_keep(actor, country)?;
        let employer = employer_of(country, draft)?;
        let record = employer_record(&employer)?;
        self.save_labour(
            actor,
            record,
            "labour.employer",
            json!({"sector": employer.sector, "region": employer.region}),
        )
        .await?;
        Ok(employer)
    }

    /// Registers a worker in the registrar's country, new or a traveller the node knows.
    pub async fn register_worker(&self, actor: &Actor, draft: &WorkerDraft) -> Result<Worker, AppError> {
        let country = actor.scope.country;
        self.may_keep(actor, country)?;
        let known = match text(&draft.person_id) {
            Some(id) => Some(self.known_traveller(actor, country, id).await?),
            None => None,
        };
        let worker = worker_of(country, draft, known.as_ref())?;
        let record = worker_record(&worker)?;
        self.save_labour(
            actor,
            record,
            "labour.worker",
            json!({"nationality": worker.nationality, "known": known.is_some()}),
        )
        .await?;
        Ok(worker)
    }

    /// The latest crossing of a traveller of `country` this node holds, for registering them.
    async fn known_traveller(
        &self,
        actor: &Actor,
        country: CountryCode,
        person_id: &str,
    ) -> Result<frontera_domain::Crossing, AppError> {
        let person = Uuid::parse_str(person_id.trim()).map(PersonId).map_err(|_| {
            ValidationError::refused("person_id", "not a person id", "no es un id de persona")
        })?;
        // The registrar reads the crossings of the traveller they register, and no other: the
        // read is audited as the link it makes.
        let event = AuditDraft::new(
            &actor.name,
            "labour.link",
            "person",
            person.to_string(),
            Some(country.as_str()),
            json!({}),
        );
        let crossings = self.registry_crossings(&[person], country, 1, Some(event)).await?;
        crossings.into_iter().next_back().ok_or_else(|| {
            ValidationError::refused(
                "person_id",
                format!("no crossing of this traveller is held by {country}"),
                format!("{country} no guarda ningún cruce de esta persona"),
            )
            .into()
        })
    }

    /// The crossings held by `country` of these travellers, oldest first (at most `limit` of
    /// the newest), with the read's audit event.
    async fn registry_crossings(
        &self,
        persons: &[PersonId],
        country: CountryCode,
        limit: u32,
        event: Option<AuditDraft>,
    ) -> Result<Vec<frontera_domain::Crossing>, AppError> {
        let mut all = Vec::new();
        let mut event = event;
        for person in persons {
            let query = frontera_store::CrossingQuery {
                person: Some(*person),
                countries: vec![country],
                limit,
                ..frontera_store::CrossingQuery::default()
            };
            all.extend(self.store.search_crossings(&query, event.take()).await?.crossings);
        }
        all.sort_by_key(|c| (c.occurred_at, c.id));
        let skip = all.len().saturating_sub(limit as usize);
        Ok(all.split_off(skip))
    }

    /// The employers of the registrar's country, by name.
    pub async fn employers(&self, actor: &Actor) -> Result<Vec<Employer>, AppError> {
        let country = actor.scope.country;
        self.may_keep(actor, country)?;
        let q =
            LabourQuery { kind: Some("employer".into()), country: Some(country), ..LabourQuery::default() };
        let mut all: Vec<Employer> =
            self.store.labour_records(&q).await?.iter().map(from_json).collect::<Result<_, _>>()?;
        all.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        Ok(all)
    }

    /// Workers of the registrar's country whose name, birth date or document contains `text`
    /// (without accents or case).
    pub async fn search_workers(&self, actor: &Actor, text: &str) -> Result<Vec<Worker>, AppError> {
        self.find_workers(actor, &WorkerQuery { q: Some(text.to_string()), ..WorkerQuery::default() }).await
    }

    /// Workers of the registrar's country by name, birth date or document (`q`), and by their
    /// permits: an employer they name, a sector, a state. Sorted by surnames; audited.
    pub async fn find_workers(&self, actor: &Actor, query: &WorkerQuery) -> Result<Vec<Worker>, AppError> {
        let country = actor.scope.country;
        self.may_keep(actor, country)?;
        let state = text(&query.status)
            .map(|s| PermitState::parse(s).map_err(|r| ValidationError::new("status", r)))
            .transpose()?;
        let sector = text(&query.sector)
            .map(|s| parse_sector(s).map_err(|r| ValidationError::new("sector", r)))
            .transpose()?;
        let employer = text(&query.employer);
        let by_permit = state.is_some() || sector.is_some() || employer.is_some();
        let mut holding: std::collections::HashSet<String> = std::collections::HashSet::new();
        if by_permit {
            let permits = LabourQuery {
                kind: Some("permit".into()),
                country: Some(country),
                states: state.map(|s| s.as_str().to_string()).into_iter().collect(),
                ..LabourQuery::default()
            };
            for r in self.store.labour_records(&permits).await? {
                let p: Permit = from_json(&r)?;
                if sector.is_none_or(|s| p.sector == s)
                    && employer.is_none_or(|e| p.employer_ids.iter().any(|x| x == e))
                {
                    holding.insert(p.worker_id);
                }
            }
        }
        let workers = LabourQuery {
            kind: Some("worker".into()),
            country: Some(country),
            key_contains: text(&query.q).map(fold_name).filter(|t| !t.is_empty()),
            ..LabourQuery::default()
        };
        let mut found: Vec<Worker> = self
            .store
            .labour_records(&workers)
            .await?
            .iter()
            .map(from_json::<Worker>)
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|w| !by_permit || holding.contains(&w.id))
            .collect();
        found.sort_by(|a, b| (&a.surnames, &a.given_names, &a.id).cmp(&(&b.surnames, &b.given_names, &b.id)));
        let event = AuditDraft::new(
            &actor.name,
            "labour.search",
            "worker",
            "",
            Some(country.as_str()),
            json!({"found": found.len(), "by_permit": by_permit}),
        );
        self.store.append_audit(event).await?;
        Ok(found)
    }

    /// Applies for a permit for a worker of the registry, with its employers.
    pub async fn apply_permit(&self, actor: &Actor, draft: &PermitDraft) -> Result<Permit, AppError> {
        let kind =
            PermitKind::parse(required(&draft.kind, "kind")?).map_err(|r| ValidationError::new("kind", r))?;
        let worker_id = required(&draft.worker_id, "worker_id")?;
        let (worker, _) = self.labour::<Worker>(actor, "worker", worker_id).await?;
        issued_by(kind, &worker)?;
        if draft.employer_ids.is_empty() {
            return Err(ValidationError::new("employer_ids", Rule::Required).into());
        }
        let mut employers = Vec::new();
        for (i, id) in draft.employer_ids.iter().enumerate() {
            match self.store.labour_record("employer", id.trim()).await? {
                Some(r) if r.country == worker.country => employers.push(from_json::<Employer>(&r)?),
                _ => {
                    return Err(ValidationError::refused(
                        format!("employer_ids[{i}]"),
                        "no employer of this registry has this id",
                        "ningún empleador de este registro tiene este id",
                    )
                    .into());
                }
            }
        }
        let permit = permit_of(kind, &worker, &employers, draft)?;
        let record = permit_record(&permit, worker.country, 1)?;
        self.save_labour(
            actor,
            record,
            "labour.permit_apply",
            json!({"kind": permit.kind, "worker": permit.worker_id}),
        )
        .await?;
        Ok(permit)
    }

    /// Changes a permit (issue, refuse, renew, expire, revoke); a change its lifecycle refuses
    /// changes nothing and says why.
    pub async fn change_permit(
        &self,
        actor: &Actor,
        id: &str,
        event: PermitEvent,
    ) -> Result<Permit, AppError> {
        let (mut permit, r) = self.labour::<Permit>(actor, "permit", id).await?;
        let kind = PermitKind::parse(&permit.kind).map_err(|r| ValidationError::new("kind", r))?;
        let name = event.name();
        let reason = match &event {
            PermitEvent::Refuse { reason } | PermitEvent::Revoke { reason } => {
                Some(reason.trim().to_string())
            }
            _ => None,
        };
        let now = self.now();
        let today = now.with_timezone(&registry_zone(r.country)).date_naive();
        let state = permit
            .life
            .apply(kind, event, today, now)
            .map_err(|e| refused(e.message(Lang::En), e.message(Lang::Es)))?;
        if reason.is_some() {
            permit.reason = reason;
        }
        let record = permit_record(&permit, r.country, r.version + 1)?;
        self.save_labour(actor, record, &format!("labour.permit_{name}"), json!({"state": state})).await?;
        Ok(permit)
    }

    /// A worker's file: their permits (newest first), the employers these name, and their
    /// crossings held by the registry's country (by their travel document and their permits'
    /// cards, the newest 500), with the counter's checks. The read is audited.
    pub async fn worker_file(&self, actor: &Actor, worker_id: &str) -> Result<WorkerFile, AppError> {
        let (worker, _) = self.labour::<Worker>(actor, "worker", worker_id).await?;
        let query = LabourQuery {
            kind: Some("permit".into()),
            holder: Some(worker.id.clone()),
            ..Default::default()
        };
        let mut permits: Vec<Permit> =
            self.store.labour_records(&query).await?.iter().map(from_json).collect::<Result<_, _>>()?;
        permits.sort_by(|a, b| b.id.cmp(&a.id));
        let mut employers: Vec<Employer> = Vec::new();
        for id in permits.iter().flat_map(|p| &p.employer_ids) {
            if employers.iter().any(|e| &e.id == id) {
                continue;
            }
            if let Some(r) = self.store.labour_record("employer", id).await? {
                employers.push(from_json(&r)?);
            }
        }
        let persons = worker_persons(&worker, &permits)?;
        let event = AuditDraft::new(
            &actor.name,
            "labour.read",
            "worker",
            &worker.id,
            Some(worker.country.as_str()),
            json!({}),
        );
        let crossings = self
            .registry_crossings(&persons, worker.country, 500, Some(event))
            .await?
            .into_iter()
            .rev()
            .map(|c| WorkerCrossing {
                id: c.id.to_string(),
                occurred_at: c.occurred_at,
                port_id: c.port_id.to_string(),
                direction: c.direction.as_str().into(),
                category: c.category.as_str().into(),
                document_kind: c.document.kind.as_str().into(),
            })
            .collect();
        let held =
            LabourQuery { kind: Some("check".into()), holder: Some(worker.id.clone()), ..Default::default() };
        let mut checks: Vec<CounterCheck> =
            self.store.labour_records(&held).await?.iter().map(from_json).collect::<Result<_, _>>()?;
        checks.sort_by_key(|c| std::cmp::Reverse(c.occurred_at));
        Ok(WorkerFile { worker, permits, employers, crossings, checks })
    }

    /// The counter's check: the status of the best permit the registry of `country` holds for
    /// the worker with this document, for a crossing at `at` at a port in `zone`, going to
    /// `destination` (a subdivision, when known), warning `warn_days` before a last day. Border
    /// staff get the status only; the read is audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn check_worker(
        &self,
        actor: &Actor,
        country: CountryCode,
        document_number: &str,
        at: DateTime<Utc>,
        zone: chrono_tz::Tz,
        destination: Option<&str>,
        warn_days: u32,
    ) -> Result<PermitCheck, AppError> {
        if !can(actor, Action::CheckPermit, Resource::of(country)).allowed() {
            return Err(AppError::Forbidden(format!("permits of {country} are not yours to check")));
        }
        let number = document_number.trim().to_ascii_uppercase();
        let (_, permits) = self.permits_for_document(country, &number).await?;
        let facts: Vec<PermitFacts<'_>> = permits.iter().map(|(p, k)| counter::facts(p, k)).collect();
        let check = check_permits(&facts, at, zone, destination, warn_days);
        let event = AuditDraft::new(
            &actor.name,
            "labour.check",
            "permit",
            &number,
            Some(country.as_str()),
            json!({"status": serde_json::to_value(&check).ok().and_then(|v| v.get("status").cloned())}),
        );
        self.store.append_audit(event).await?;
        Ok(check)
    }
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
fn worker_person(worker: &Worker) -> Result<PersonId, AppError> {
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
