//! The screening of each crossing, and the decisions on its hits.
//!
//! Every crossing is screened against its country's lists before it is stored, and the store
//! keeps the outcome with it in the same transaction. A hit waits for the officer: confirmed,
//! dismissed as someone else, or escalated to the supervisor, who then decides. A hit on a
//! missing child raises the crossing's protection flag at once.

use chrono::{DateTime, Utc};
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::alert::{AlertKind, HitAction, HitStatus, Resolution};
use frontera_domain::audit::AuditDraft;
use frontera_domain::{Crossing, CrossingId, PortId, Rule, ValidationError};
use frontera_matching::NameTokens;
use frontera_matching::screening::Query;
use frontera_store::{HitQuery, HitRecord, ScreeningRecord};
use serde::Serialize;
use uuid::Uuid;

use super::explain::Explanation;
use crate::{App, AppError};

/// A hit (or, when candidates were asked for, a candidate) as a user sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HitView {
    /// The stored hit's id, for a crossing's hits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    /// The score in [0, 1].
    pub score: f64,
    /// The list.
    pub list: String,
    /// The entry's reference in its source list (the UN list's `REFERENCE_NUMBER`).
    pub reference: String,
    /// What the entry is about.
    pub kind: AlertKind,
    /// What a confirmed hit asks for.
    pub action: HitAction,
    /// The entry's names, the primary one first.
    pub names: Vec<String>,
    /// Why it scored as it did.
    pub explanation: Explanation,
    /// The list's threshold.
    pub threshold: f64,
    /// Whether the score reaches the threshold.
    pub hit: bool,
    /// For a crossing's hits: where it stands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<HitStatus>,
    /// For a crossing's hits: the crossing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crossing_id: Option<CrossingId>,
    /// For a crossing's hits: its port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_id: Option<PortId>,
    /// For the hits waiting for a decision: the traveller screened, as their document names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traveller: Option<TravellerSummary>,
    /// For a crossing's hits: when it was screened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screened_at: Option<DateTime<Utc>>,
    /// Who decided last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
    /// When.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// Their note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Default for HitView {
    fn default() -> Self {
        HitView {
            id: None,
            score: 0.0,
            list: String::new(),
            reference: String::new(),
            kind: AlertKind::Wanted,
            action: HitAction::Refer,
            names: Vec::new(),
            explanation: Explanation {
                summary: String::new(),
                name: None,
                birth_date: frontera_matching::screening::BirthEvidence::Unknown,
                nationality: frontera_matching::screening::NationalityEvidence::Unknown,
                document: None,
                sex: frontera_matching::screening::SexEvidence::Unknown,
            },
            threshold: 1.0,
            hit: false,
            status: None,
            crossing_id: None,
            port_id: None,
            traveller: None,
            screened_at: None,
            resolved_by: None,
            resolved_at: None,
            note: None,
        }
    }
}

impl HitView {
    /// A stored hit as a user sees it.
    pub fn of(h: HitRecord) -> Result<HitView, AppError> {
        let explanation: Explanation = serde_json::from_str(&h.explanation)
            .map_err(|e| AppError::Internal(format!("hit {}: explanation: {e}", h.id)))?;
        Ok(HitView {
            id: Some(h.id),
            score: h.score,
            list: h.list,
            reference: h.reference,
            kind: h.kind,
            action: h.action,
            names: h.names,
            explanation,
            threshold: 0.0,
            hit: true,
            status: Some(h.status),
            crossing_id: Some(h.crossing_id),
            port_id: Some(h.port_id),
            traveller: None,
            screened_at: Some(h.created_at),
            resolved_by: h.resolved_by,
            resolved_at: h.resolved_at,
            note: h.note,
        })
    }
}

/// The traveller a hit is about, for the one deciding on it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TravellerSummary {
    /// Given names and surnames.
    pub name: String,
    /// The document's kind.
    pub document_kind: String,
    /// Its number.
    pub document_number: String,
    /// Its issuing state.
    pub issuing_state: String,
    /// The birth date, as precise as the document gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// The nationality.
    pub nationality: String,
}

impl TravellerSummary {
    fn of(c: &Crossing) -> TravellerSummary {
        let n = &c.person.name;
        let name =
            [n.given_names.as_str(), n.first_surname.as_str(), n.second_surname.as_deref().unwrap_or("")]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
        TravellerSummary {
            name,
            document_kind: c.document.kind.as_str().to_string(),
            document_number: c.document.number.as_str().to_string(),
            issuing_state: c.document.issuing_state.as_str().to_string(),
            birth_date: c.person.birth_date.map(|d| d.to_string()),
            nationality: c.person.nationality.as_str().to_string(),
        }
    }
}

/// A crossing's screening as a user sees it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreeningView {
    /// When it ran.
    pub screened_at: DateTime<Utc>,
    /// How many entries in force it screened against.
    pub entries: u64,
    /// Whether a hit asks for the traveller's protection (a missing child).
    pub protection: bool,
    /// The hits, best first.
    pub hits: Vec<HitView>,
}

impl ScreeningView {
    pub(crate) fn of(s: ScreeningRecord) -> Result<ScreeningView, AppError> {
        Ok(ScreeningView {
            screened_at: s.screened_at,
            entries: s.entries,
            protection: s.protection,
            hits: s.hits.into_iter().map(HitView::of).collect::<Result<_, _>>()?,
        })
    }
}

/// The screening query of a crossing's traveller.
pub fn query_of(crossing: &Crossing) -> Query {
    Query {
        name: NameTokens::of(&crossing.person.name),
        birth_date: crossing.person.birth_date,
        nationality: Some(crossing.person.nationality.as_str().to_string()),
        document: Some(crossing.document.number.as_str().to_string()),
        sex: Some(crossing.person.sex),
    }
}

/// A decision on a hit, as sent.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HitDecision {
    /// `confirm`, `dismiss` or `escalate`.
    pub resolution: String,
    /// Why (up to 1 000 characters); required to dismiss.
    #[serde(default)]
    pub note: Option<String>,
}

impl App {
    /// Screen a crossing about to be stored: what the store keeps with it.
    pub(crate) async fn screen_crossing(&self, crossing: &Crossing) -> Result<ScreeningRecord, AppError> {
        let screened_at = self.now();
        let (hits, entries) = self.screen_query(crossing.country, &query_of(crossing), None).await?;
        let protection = hits.iter().any(|h| h.kind == AlertKind::MissingChild);
        let hits = hits
            .into_iter()
            .map(|h| HitRecord {
                id: Uuid::now_v7(),
                crossing_id: crossing.id,
                country: crossing.country,
                port_id: crossing.port_id.clone(),
                list: h.list,
                reference: h.reference,
                kind: h.kind,
                action: h.action,
                score: h.score,
                names: h.names,
                explanation: serde_json::to_string(&h.explanation).unwrap_or_else(|_| "{}".into()),
                status: HitStatus::Open,
                created_at: screened_at,
                resolved_by: None,
                resolved_at: None,
                note: None,
            })
            .collect();
        Ok(ScreeningRecord { screened_at, entries, protection, hits })
    }

    /// A crossing's screening, for one who may read the crossing's personal data.
    pub async fn screening_of(
        &self,
        actor: &Actor,
        crossing: &Crossing,
    ) -> Result<Option<ScreeningView>, AppError> {
        let resource = Resource::at(crossing.country, Some(&crossing.port_id));
        if !can(actor, Action::ReadPersonalData, resource).allowed() {
            return Err(AppError::Forbidden("reading this crossing's screening".into()));
        }
        self.store.screening(crossing.id).await?.map(ScreeningView::of).transpose()
    }

    /// A stored crossing's screening, read by id (audited).
    pub async fn crossing_screening(&self, actor: &Actor, id: CrossingId) -> Result<ScreeningView, AppError> {
        let not_found = || AppError::NotFound(format!("a screening of crossing {id}"));
        let own = Resource::of(actor.scope.country);
        if can(actor, Action::ReadPersonalData, own) == frontera_domain::access::Decision::DenyRole {
            return Err(AppError::Forbidden("your role may not read screenings".into()));
        }
        let crossing = self.store.crossing(id, None).await?.ok_or_else(not_found)?;
        if !can(actor, Action::ReadPersonalData, Resource::of(crossing.country)).allowed() {
            return Err(self.out_of_scope(actor, "crossing", &id.to_string(), crossing.country).await);
        }
        let view = self.screening_of(actor, &crossing).await?.ok_or_else(not_found)?;
        let event = AuditDraft::new(
            &actor.name,
            "crossing.screening",
            "crossing",
            id.to_string(),
            Some(crossing.country.as_str()),
            serde_json::json!({"hits": view.hits.iter().filter_map(|h| h.id).collect::<Vec<_>>()}),
        );
        self.store.append_audit(event).await?;
        Ok(view)
    }

    /// The hits waiting for a decision at the actor's port (or, for one without a port, in
    /// their country): open ones, and for supervisors escalated ones too; newest first.
    pub async fn pending_hits(&self, actor: &Actor, limit: u32) -> Result<Vec<HitView>, AppError> {
        let country = actor.scope.country;
        let decision = can(actor, Action::ResolveHit, Resource::at(country, actor.scope.port.as_ref()));
        if !decision.allowed() {
            return Err(AppError::Forbidden("your role does not resolve screening hits".into()));
        }
        let here = Resource::at(country, actor.scope.port.as_ref());
        let statuses = if can(actor, Action::DecideEscalatedHit, here).allowed() {
            vec![HitStatus::Open, HitStatus::Escalated]
        } else {
            vec![HitStatus::Open]
        };
        let query =
            HitQuery { country, port: actor.scope.port.clone(), statuses, limit: limit.clamp(1, 1000) };
        let hits = self.store.hits(&query).await?;
        let ids: Vec<String> = hits.iter().map(|h| h.id.to_string()).collect();
        let event = AuditDraft::new(
            &actor.name,
            "hits.read",
            "hit",
            "pending",
            Some(country.as_str()),
            serde_json::json!({"ids": ids}),
        );
        self.store.append_audit(event).await?;
        let mut views = Vec::with_capacity(hits.len());
        for h in hits {
            let crossing = self.store.crossing(h.crossing_id, None).await?;
            let mut view = HitView::of(h)?;
            view.traveller = crossing.as_ref().map(TravellerSummary::of);
            views.push(view);
        }
        Ok(views)
    }

    /// Decide on a hit. The officer at the port confirms, dismisses or escalates an open hit; a
    /// supervisor also decides escalated ones. Dismissing needs a note.
    pub async fn resolve_hit(
        &self,
        actor: &Actor,
        id: Uuid,
        decision: &HitDecision,
    ) -> Result<HitView, AppError> {
        let resolution =
            Resolution::parse(&decision.resolution).map_err(|r| ValidationError::new("resolution", r))?;
        let note = decision.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
        if note.as_ref().is_some_and(|n| n.chars().count() > 1000) {
            return Err(ValidationError::new("note", Rule::TooLong { max: 1000 }).into());
        }
        if resolution == Resolution::Dismiss && note.is_none() {
            return Err(ValidationError::new("note", Rule::Required).into());
        }
        let not_found = || AppError::NotFound(format!("hit {id}"));
        let hit = self.store.hit(id).await?.ok_or_else(not_found)?;
        // Another country's hit is answered as absent (the try audited): its id is no oracle.
        if !actor.is_console() && hit.country != actor.scope.country {
            return Err(self.out_of_scope(actor, "hit", &id.to_string(), hit.country).await);
        }
        let allowed = can(actor, Action::ResolveHit, Resource::at(hit.country, Some(&hit.port_id)));
        if !allowed.allowed() {
            return Err(AppError::Forbidden(format!("resolving hits at {}", hit.port_id)));
        }
        let here = Resource::at(hit.country, Some(&hit.port_id));
        let supervisor = can(actor, Action::DecideEscalatedHit, here).allowed();
        match (hit.status, resolution) {
            (HitStatus::Open, _) => {}
            (HitStatus::Escalated, Resolution::Confirm | Resolution::Dismiss) if supervisor => {}
            (HitStatus::Escalated, _) if !supervisor => {
                return Err(AppError::Forbidden("an escalated hit is the supervisor's to decide".into()));
            }
            (status, _) => {
                return Err(AppError::Conflict(format!("hit {id} is {} already", status.as_str())));
            }
        }
        let to = resolution.status();
        let event = AuditDraft::new(
            &actor.name,
            &format!(
                "hit.{}",
                match resolution {
                    Resolution::Confirm => "confirm",
                    Resolution::Dismiss => "dismiss",
                    Resolution::Escalate => "escalate",
                }
            ),
            "hit",
            id.to_string(),
            Some(hit.country.as_str()),
            serde_json::json!({
                "crossing_id": hit.crossing_id, "list": hit.list, "reference": hit.reference,
                "from": hit.status, "to": to, "note": note,
            }),
        );
        let stored = self
            .store
            .resolve_hit(id, hit.status, to, &actor.name, self.now(), note.as_deref(), event)
            .await?;
        HitView::of(stored)
    }
}
