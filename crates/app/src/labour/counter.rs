//! The counter's permit check on a border worker's crossing, kept with the crossing, and the
//! officer's decision when the permits were not in order.
//!
//! The check never turns anyone away by itself: a crossing in the border-worker category is
//! recorded, its check is kept beside it (a labour record of kind `check` whose id is the
//! crossing's), and a check that found no permit in force at the destination waits for the
//! officer to admit or refuse, with a reason. The registrar sees the checks of their country.

use chrono::{DateTime, Utc};
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::labour::{
    PermitCheck, PermitDecision, PermitFacts, PermitKind, PermitState, check_permits,
};
use frontera_domain::{CountryCode, Crossing, CrossingId, Rule, ValidationError, fold_name};
use frontera_store::{LabourQuery, LabourRecord};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::records::{Permit, Worker, from_json};
use crate::protection::to_json;
use crate::{App, AppError};

/// A border worker's permit check at the counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CounterCheck {
    /// The crossing checked.
    pub crossing_id: String,
    /// Its port.
    pub port_id: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// The document shown.
    pub document_number: String,
    /// Where the worker was going (ISO 3166-2), when known.
    pub destination: Option<String>,
    /// The registry's worker with that document, when there is one.
    pub worker_id: Option<String>,
    /// What the check found.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub check: PermitCheck,
    /// Whether the officer owes a decision (no permit in force at the destination).
    pub needs_decision: bool,
    /// What the officer decided.
    pub decision: Option<CheckDecision>,
}

/// The officer's decision on a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckDecision {
    /// Admitted or refused.
    pub decision: PermitDecision,
    /// Why.
    pub reason: String,
    /// Who decided.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

impl CounterCheck {
    /// Where the check stands: `clear`, `pending` (a decision is owed), `admit` or `refuse`.
    pub fn state(&self) -> &'static str {
        match (&self.decision, self.needs_decision) {
            (Some(d), _) => d.decision.as_str(),
            (None, true) => "pending",
            (None, false) => "clear",
        }
    }
}

/// Which checks to list.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct CheckQuery {
    /// `clear`, `pending`, `admit` or `refuse`.
    pub state: Option<String>,
    /// At most this many, newest first (default 200).
    pub limit: Option<usize>,
}

const STATES: &[&str] = &["clear", "pending", "admit", "refuse"];

/// What the check reads of one permit.
pub(super) fn facts<'a>(p: &'a Permit, kind: &'static PermitKind) -> PermitFacts<'a> {
    PermitFacts {
        id: &p.id,
        kind,
        life: &p.life,
        regions: &p.regions,
        revoked_because: (p.life.state == PermitState::Revoked).then_some(p.reason.as_deref()).flatten(),
    }
}

impl App {
    /// The registry of `country`'s worker holding this document (as their travel document or
    /// as a permit's card) and every permit they hold.
    pub(super) async fn permits_for_document(
        &self,
        country: CountryCode,
        number: &str,
    ) -> Result<(Option<String>, Vec<(Permit, &'static PermitKind)>), AppError> {
        let key = fold_name(number);
        let mut workers: Vec<String> = Vec::new();
        let by_document = LabourQuery {
            kind: Some("worker".into()),
            country: Some(country),
            key_contains: Some(key.clone()),
            ..LabourQuery::default()
        };
        for r in self.store.labour_records(&by_document).await? {
            let worker: Worker = from_json(&r)?;
            if worker.document_number == number {
                workers.push(worker.id);
            }
        }
        let by_card = LabourQuery {
            kind: Some("permit".into()),
            country: Some(country),
            key_contains: Some(key),
            ..LabourQuery::default()
        };
        for r in self.store.labour_records(&by_card).await? {
            let permit: Permit = from_json(&r)?;
            if permit.card_number.as_deref() == Some(number) && !workers.contains(&permit.worker_id) {
                workers.push(permit.worker_id);
            }
        }
        let mut permits = Vec::new();
        for worker in &workers {
            let held = LabourQuery {
                kind: Some("permit".into()),
                holder: Some(worker.clone()),
                ..Default::default()
            };
            for r in self.store.labour_records(&held).await? {
                let permit: Permit = from_json(&r)?;
                let kind = PermitKind::parse(&permit.kind).map_err(|r| ValidationError::new("kind", r))?;
                permits.push((permit, kind));
            }
        }
        Ok((workers.into_iter().next(), permits))
    }

    /// Checks the permits of a border worker's crossing just recorded and keeps the check
    /// beside it; `None` when the crossing is not a border worker's or the recorder may not
    /// check permits. The check of a crossing sent twice is the one kept the first time.
    pub(crate) async fn check_at_counter(
        &self,
        actor: &Actor,
        crossing: &Crossing,
        destination: Option<&str>,
        created: bool,
    ) -> Result<Option<CounterCheck>, AppError> {
        let resource = Resource::at(crossing.country, Some(&crossing.port_id));
        if crossing.category != frontera_domain::Category::BorderWorker
            || !can(actor, Action::CheckPermit, resource).allowed()
        {
            return Ok(None);
        }
        if !created && let Some(kept) = self.store.labour_record("check", &crossing.id.to_string()).await? {
            return Ok(Some(from_json(&kept)?));
        }
        let zone = self.ports.get(&crossing.port_id).map_or(chrono_tz::UTC, |p| p.time_zone);
        let number = crossing.document.number.to_string();
        let (worker_id, permits) = self.permits_for_document(crossing.country, &number).await?;
        let all: Vec<PermitFacts<'_>> = permits.iter().map(|(p, k)| facts(p, k)).collect();
        let check = check_permits(&all, crossing.occurred_at, zone, destination, self.permit_warning_days);
        let kept = CounterCheck {
            crossing_id: crossing.id.to_string(),
            port_id: crossing.port_id.to_string(),
            occurred_at: crossing.occurred_at,
            document_number: number.clone(),
            destination: destination.map(str::to_string),
            worker_id,
            needs_decision: check.needs_decision(),
            check,
            decision: None,
        };
        let record = check_record(&kept, crossing.country, 1)?;
        let event = AuditDraft::new(
            &actor.name,
            "labour.check",
            "check",
            &kept.crossing_id,
            Some(crossing.country.as_str()),
            json!({"status": kept.check.status(), "port_id": kept.port_id}),
        );
        match self.store.save_labour(std::slice::from_ref(&record), self.now(), event).await {
            Ok(()) => Ok(Some(kept)),
            // Sent twice at once: the other request kept its check first.
            Err(frontera_store::StoreError::Conflict(_)) => {
                match self.store.labour_record("check", &kept.crossing_id).await? {
                    Some(r) => Ok(Some(from_json(&r)?)),
                    None => Ok(Some(kept)),
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The officer's decision on a crossing's permit check: admitted or refused, with a reason.
    /// Only a check that owes one takes it, once.
    pub async fn decide_permit(
        &self,
        actor: &Actor,
        crossing: CrossingId,
        decision: &str,
        reason: &str,
    ) -> Result<CounterCheck, AppError> {
        let decision = PermitDecision::parse(decision).map_err(|r| ValidationError::new("decision", r))?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ValidationError::new("reason", Rule::Required).into());
        }
        let not_found = || AppError::NotFound(format!("permit check of crossing {crossing}"));
        let r = self.store.labour_record("check", &crossing.to_string()).await?.ok_or_else(not_found)?;
        let mut check: CounterCheck = from_json(&r)?;
        let port =
            frontera_domain::PortId::parse(&check.port_id).map_err(|r| ValidationError::new("port_id", r))?;
        if !can(actor, Action::RecordCrossing, Resource::at(r.country, Some(&port))).allowed() {
            return Err(AppError::Forbidden(format!("decisions at {port} are not yours to take")));
        }
        if !check.needs_decision {
            return Err(crate::protection::refused(
                "the permits were in order: there is nothing to decide".into(),
                "los permisos estaban en regla: no hay nada que decidir".into(),
            ));
        }
        if check.decision.is_some() {
            return Err(crate::protection::refused(
                "this check was decided already".into(),
                "este control ya fue decidido".into(),
            ));
        }
        check.decision = Some(CheckDecision {
            decision,
            reason: reason.to_string(),
            by: actor.name.clone(),
            at: self.now(),
        });
        let record = check_record(&check, r.country, r.version + 1)?;
        let event = AuditDraft::new(
            &actor.name,
            &format!("labour.check_{}", decision.as_str()),
            "check",
            &check.crossing_id,
            Some(r.country.as_str()),
            json!({"status": check.check.status()}),
        );
        self.store.save_labour(std::slice::from_ref(&record), self.now(), event).await.map_err(
            |e| match e {
                frontera_store::StoreError::Conflict(c) => AppError::Conflict(c),
                other => other.into(),
            },
        )?;
        Ok(check)
    }

    /// The permit check kept with a crossing, for those who record crossings at its port.
    pub async fn permit_check_of(
        &self,
        actor: &Actor,
        crossing: CrossingId,
    ) -> Result<Option<CounterCheck>, AppError> {
        let Some(r) = self.store.labour_record("check", &crossing.to_string()).await? else {
            return Ok(None);
        };
        let check: CounterCheck = from_json(&r)?;
        let port =
            frontera_domain::PortId::parse(&check.port_id).map_err(|r| ValidationError::new("port_id", r))?;
        if !can(actor, Action::RecordCrossing, Resource::at(r.country, Some(&port))).allowed() {
            return Err(AppError::Forbidden(format!("checks at {port} are not yours to read")));
        }
        Ok(Some(check))
    }

    /// The permit checks of the actor's country, newest first: the registrar's and the
    /// supervisor's view of border workers at the counter.
    pub async fn permit_checks(
        &self,
        actor: &Actor,
        query: &CheckQuery,
    ) -> Result<Vec<CounterCheck>, AppError> {
        let country = actor.scope.country;
        if !can(actor, Action::ReadPermitChecks, Resource::of(country)).allowed() {
            return Err(AppError::Forbidden("the counter's permit checks are not yours to read".into()));
        }
        let state = query
            .state
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                STATES
                    .iter()
                    .find(|x| **x == s)
                    .copied()
                    .ok_or_else(|| ValidationError::new("state", Rule::OneOf { allowed: STATES }))
            })
            .transpose()?;
        let q = LabourQuery {
            kind: Some("check".into()),
            country: Some(country),
            states: state.map(str::to_string).into_iter().collect(),
            ..LabourQuery::default()
        };
        let mut checks: Vec<CounterCheck> =
            self.store.labour_records(&q).await?.iter().map(from_json).collect::<Result<_, _>>()?;
        // A post's supervisor reads that post's checks only.
        checks.retain(|c| {
            frontera_domain::PortId::parse(&c.port_id).is_ok_and(|port| {
                can(actor, Action::ReadPermitChecks, Resource::at(country, Some(&port))).allowed()
            })
        });
        checks.sort_by(|a, b| {
            b.occurred_at.cmp(&a.occurred_at).then_with(|| b.crossing_id.cmp(&a.crossing_id))
        });
        checks.truncate(query.limit.unwrap_or(200).clamp(1, 10_000));
        let event = AuditDraft::new(
            &actor.name,
            "labour.checks",
            "check",
            "",
            Some(country.as_str()),
            json!({"state": state, "found": checks.len()}),
        );
        self.store.append_audit(event).await?;
        Ok(checks)
    }
}

fn check_record(check: &CounterCheck, country: CountryCode, version: i64) -> Result<LabourRecord, AppError> {
    Ok(LabourRecord {
        kind: "check".into(),
        id: check.crossing_id.clone(),
        country,
        holder: check.worker_id.clone(),
        employer: None,
        search_key: Some(fold_name(&check.document_number)),
        state: check.state().into(),
        record: to_json(check)?,
        version,
    })
}
