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
    PermitCheck, PermitEvent, PermitFacts, PermitKind, PermitState, check_permits, parse_sector,
};
use frontera_domain::{CountryCode, Lang, PersonId, Rule, ValidationError, fold_name};
use frontera_store::{LabourQuery, LabourRecord, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::protection::{refused, required, text};
use crate::{App, AppError};

mod counter;
mod demand;
mod records;
mod transfer;

pub use counter::{CheckDecision, CheckQuery, CounterCheck};
pub(crate) use demand::demand_record;
pub use demand::{
    Demand, DemandDraft, DemandMonth, DemandReport, DemandReportRequest, HOLDER_DIMENSIONS,
    HolderCrossingsRequest, PERMIT_DIMENSIONS, PermitTableRequest,
};
pub use records::{
    Employer, EmployerDraft, Permit, PermitDraft, Worker, WorkerCrossing, WorkerDraft, WorkerQuery,
};
use records::{employer_of, from_json, issued_by, permit_of, registry_zone, worker_of, worker_persons};
pub(crate) use records::{employer_record, permit_record, worker_record};
pub use transfer::{RegistryFile, RegistryImport, SheetFormat};

/// A worker's file, as their registrar sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
