//! Recording, reading and searching crossings.

use chrono::{DateTime, Utc};
use frontera_domain::access::{Action, Actor, Decision, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::document::{DocumentKind, DocumentNumber};
use frontera_domain::{
    Category, CountryCode, Crossing, CrossingDraft, CrossingId, Direction, PersonId, PortId, Provenance,
    Purpose, Rule, Sex, TransportMode, ValidationError,
};
use frontera_store::{CrossingQuery, Cursor, Order, Recorded};
use serde::{Deserialize, Serialize};

use crate::alerts::ScreeningView;
use crate::{App, AppError};

/// A crossing with nothing that names the person: for analysts and the binational group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeidentifiedCrossing {
    /// The crossing's id.
    pub id: CrossingId,
    /// The port.
    pub port_id: PortId,
    /// The country holding the record.
    pub country: CountryCode,
    /// Entry or exit.
    pub direction: Direction,
    /// The traveller's category.
    pub category: Category,
    /// Why they crossed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
    /// How they crossed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport_mode: Option<TransportMode>,
    /// Days granted at entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permitted_stay_days: Option<u16>,
    /// When, in UTC.
    pub occurred_at: DateTime<Utc>,
    /// Sex.
    pub sex: Sex,
    /// Year of birth only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<i32>,
    /// Nationality.
    pub nationality: CountryCode,
    /// The kind of document shown.
    pub document_kind: DocumentKind,
    /// Its issuing state.
    pub issuing_state: CountryCode,
}

impl From<&Crossing> for DeidentifiedCrossing {
    fn from(c: &Crossing) -> Self {
        DeidentifiedCrossing {
            id: c.id,
            port_id: c.port_id.clone(),
            country: c.country,
            direction: c.direction,
            category: c.category,
            purpose: c.purpose,
            transport_mode: c.transport_mode,
            permitted_stay_days: c.permitted_stay_days,
            occurred_at: c.occurred_at,
            sex: c.person.sex,
            birth_year: c.person.birth_date.map(|b| b.year()),
            nationality: c.person.nationality,
            document_kind: c.document.kind,
            issuing_state: c.document.issuing_state,
        }
    }
}

/// A crossing as the caller may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CrossingView {
    /// With the person's names, document and birth date.
    Full(Box<Crossing>),
    /// Without anything that names the person.
    Deidentified(DeidentifiedCrossing),
}

/// A page of crossings.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrossingList {
    /// The crossings, newest first.
    pub crossings: Vec<CrossingView>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Search filters as they arrive from a query string.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CrossingFilter {
    /// Only at this port.
    pub port: Option<String>,
    /// `entry` or `exit`.
    pub direction: Option<String>,
    /// At or after this instant (RFC 3339).
    pub from: Option<String>,
    /// Before this instant (RFC 3339).
    pub to: Option<String>,
    /// Travellers of this nationality.
    pub nationality: Option<String>,
    /// In this category.
    pub category: Option<String>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–1000 (default 100).
    pub limit: Option<u32>,
}

fn instant(text: &str, field: &str) -> Result<DateTime<Utc>, ValidationError> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ValidationError::new(field, Rule::NotATimestamp))
}

impl CrossingFilter {
    /// Parse into a store query (without the scope's countries).
    pub fn parse(&self, app: &App) -> Result<CrossingQuery, ValidationError> {
        let some =
            |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let port =
            some(&self.port).map(|p| app.ports.resolve(&p, "port").map(|p| p.id.clone())).transpose()?;
        let field = |f: &'static str| move |r: Rule| ValidationError::new(f, r);
        let limit = self.limit.unwrap_or(100);
        if !(1..=1000).contains(&limit) {
            return Err(ValidationError::new("limit", Rule::OutOfRange { min: 1, max: 1000 }));
        }
        let query = CrossingQuery {
            countries: Vec::new(),
            port,
            direction: some(&self.direction)
                .map(|d| Direction::parse(&d).map_err(field("direction")))
                .transpose()?,
            from: some(&self.from).map(|t| instant(&t, "from")).transpose()?,
            to: some(&self.to).map(|t| instant(&t, "to")).transpose()?,
            nationality: some(&self.nationality)
                .map(|n| CountryCode::parse(&n).map_err(field("nationality")))
                .transpose()?,
            category: some(&self.category)
                .map(|c| Category::parse(&c).map_err(field("category")))
                .transpose()?,
            person: None,
            order: Order::NewestFirst,
            after: some(&self.cursor)
                .map(|c| {
                    Cursor::decode(&c).ok_or_else(|| {
                        ValidationError::new(
                            "cursor",
                            Rule::syntax(
                                "not a cursor returned by this API",
                                "no es un cursor devuelto por esta API",
                            ),
                        )
                    })
                })
                .transpose()?,
            limit,
        };
        Ok(query)
    }
}

/// How much of a crossing the actor may see, and of which countries.
enum Visibility {
    Full(Vec<CountryCode>),
    Deidentified(Vec<CountryCode>),
}

fn visibility(actor: &Actor) -> Result<Visibility, AppError> {
    let own = Resource::of(actor.scope.country);
    if actor.is_console() {
        return Ok(Visibility::Full(Vec::new()));
    }
    if can(actor, Action::ReadPersonalData, own).allowed() {
        return Ok(Visibility::Full(vec![actor.scope.country]));
    }
    if can(actor, Action::ReadDeidentified, own).allowed() {
        return Ok(Visibility::Deidentified(vec![actor.scope.country]));
    }
    Err(AppError::Forbidden(format!("the role {} may not read crossings", actor.role)))
}

fn denied(decision: Decision, what: &str) -> AppError {
    match decision {
        Decision::DenyRole => AppError::Forbidden(format!("your role may not {what}")),
        _ => AppError::Forbidden(format!("{what} is outside your country or port")),
    }
}

fn audit(
    actor: &Actor,
    action: &str,
    id: impl Into<String>,
    country: Option<CountryCode>,
    detail: serde_json::Value,
) -> AuditDraft {
    AuditDraft::new(&actor.name, action, "crossing", id, country.map(|c| c.as_str()), detail)
}

/// A crossing as recorded, with its screening.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordedCrossing {
    /// The crossing.
    #[serde(flatten)]
    pub crossing: Crossing,
    /// Its screening against the country's alert lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub screening: Option<ScreeningView>,
    /// Whether it was stored now (`false` when the same crossing was sent before).
    #[serde(skip)]
    pub created: bool,
    /// The protection case a missing-child hit opened, at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protection_case: Option<String>,
    /// A border worker's permit check, kept with the crossing; when `needs_decision`, the
    /// officer admits or refuses (`POST /api/v1/crossings/{id}/permit-decision`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permit: Option<crate::labour::CounterCheck>,
}

impl App {
    /// Record a crossing, screened against its country's alert lists in the same request: the
    /// crossing keeps the outcome, and each hit waits for the officer's decision.
    pub async fn record_crossing(
        &self,
        actor: &Actor,
        draft: &CrossingDraft,
    ) -> Result<RecordedCrossing, AppError> {
        let now = self.now();
        let new = draft.parse(&self.ports, now)?;
        let decision = can(actor, Action::RecordCrossing, Resource::at(new.country, Some(&new.port_id)));
        if !decision.allowed() {
            return Err(denied(decision, &format!("recording a crossing at {}", new.port_id)));
        }
        let fingerprint = new.fingerprint();
        let processing_ms = draft.processing_ms.map(Provenance::parse_processing_ms).transpose()?;
        let provenance = Provenance {
            recorded_by: actor.name.clone(),
            node_id: self.node_id.clone(),
            recorded_at: now,
            processing_ms,
        };
        let crossing = Crossing::from_new(new, provenance);
        let screening = self.screen_crossing(&crossing).await?;
        let hits: Vec<String> =
            screening.hits.iter().map(|h| format!("{}/{}", h.list, h.reference)).collect();
        let event = audit(
            actor,
            "crossing.record",
            crossing.id.to_string(),
            Some(crossing.country),
            serde_json::json!({
                "port_id": crossing.port_id, "direction": crossing.direction, "person_id": crossing.person_id,
                "hits": hits, "protection": screening.protection,
            }),
        );
        let (crossing, created) = match self
            .store
            .record_crossing(&crossing, &fingerprint, &self.count_key(&crossing), Some(&screening), event)
            .await?
        {
            Recorded::Created(c) => (c, true),
            Recorded::AlreadyStored(c) => (c, false),
        };
        // A missing child found at the border is a protection case at once; a retry of the
        // crossing opens it if the first try failed after storing the crossing.
        let protection_case = if created && screening.protection {
            Some(self.case_for_crossing(actor, &crossing, &hits).await?)
        } else if created {
            None
        } else {
            match self.store.screening(crossing.id).await? {
                Some(stored) if stored.protection => {
                    let hits: Vec<String> =
                        stored.hits.iter().map(|h| format!("{}/{}", h.list, h.reference)).collect();
                    Some(self.case_for_crossing(actor, &crossing, &hits).await?)
                }
                _ => None,
            }
        };
        let port = self.ports.get(&crossing.port_id);
        let destination = port.map(|p| draft.destination_region(p)).transpose()?.flatten();
        let permit = self.check_at_counter(actor, &crossing, destination, created).await?;
        let screening = if created {
            Some(ScreeningView::of(screening)?)
        } else {
            self.screening_of(actor, &crossing).await?
        };
        Ok(RecordedCrossing { crossing, screening, created, protection_case, permit })
    }

    /// One crossing, as the actor may see it. A crossing outside the actor's country or port
    /// is answered as one that does not exist (its id is no oracle), and the try is audited.
    pub async fn crossing(&self, actor: &Actor, id: CrossingId) -> Result<CrossingView, AppError> {
        let not_found = || AppError::NotFound(format!("crossing {id}"));
        let own = Resource::of(actor.scope.country);
        let (full_role, partial_role) = (
            can(actor, Action::ReadPersonalData, own) != Decision::DenyRole,
            can(actor, Action::ReadDeidentified, own) != Decision::DenyRole,
        );
        if !full_role && !partial_role {
            return Err(denied(Decision::DenyRole, "reading crossings"));
        }
        let stored = self.store.crossing(id, None).await?.ok_or_else(not_found)?;
        let resource = Resource::at(stored.country, Some(&stored.port_id));
        if can(actor, Action::ReadPersonalData, resource).allowed() {
            let event =
                audit(actor, "crossing.read", id.to_string(), Some(stored.country), serde_json::json!({}));
            let read = self.store.crossing(id, Some(event)).await?.ok_or_else(not_found)?;
            return Ok(CrossingView::Full(Box::new(read)));
        }
        if can(actor, Action::ReadDeidentified, resource).allowed() {
            return Ok(CrossingView::Deidentified(DeidentifiedCrossing::from(&stored)));
        }
        Err(self.out_of_scope(actor, "crossing", &id.to_string(), stored.country).await)
    }

    /// A page of crossings matching `filter`, within the actor's scope.
    pub async fn search_crossings(
        &self,
        actor: &Actor,
        filter: &CrossingFilter,
    ) -> Result<CrossingList, AppError> {
        let mut query = filter.parse(self)?;
        let (full, countries) = match visibility(actor)? {
            Visibility::Full(c) => (true, c),
            Visibility::Deidentified(c) => (false, c),
        };
        if let Some(port) = query.port.as_ref().and_then(|p| self.ports.get(p))
            && !countries.is_empty()
            && !countries.contains(&port.country)
        {
            return Err(AppError::Forbidden(format!("the port {} is outside your country", port.id)));
        }
        query.countries = countries;
        let page = if full {
            let detail = serde_json::to_value(filter).unwrap_or_default();
            let event = audit(actor, "crossing.search", "search", Some(actor.scope.country), detail);
            self.store.search_crossings(&query, Some(event)).await?
        } else {
            self.store.search_crossings(&query, None).await?
        };
        let crossings = page
            .crossings
            .iter()
            .map(|c| {
                if full {
                    CrossingView::Full(Box::new(c.clone()))
                } else {
                    CrossingView::Deidentified(DeidentifiedCrossing::from(c))
                }
            })
            .collect();
        Ok(CrossingList { crossings, next_cursor: page.next.map(|c| c.encode()) })
    }

    /// The travellers this country holds under a document (of any kind) with this number and
    /// issuer, each with their entries and exits, oldest first: how a counter finds a traveller's
    /// history from the document in hand.
    pub async fn find_by_document(
        &self,
        actor: &Actor,
        number: &str,
        issuing_state: &str,
    ) -> Result<Vec<(PersonId, Vec<Crossing>)>, AppError> {
        let number = DocumentNumber::parse(number).map_err(|r| ValidationError::new("document_number", r))?;
        let issuing_state = CountryCode::parse_field(issuing_state, "issuing_state")?;
        let country = actor.scope.country;
        let decision = can(actor, Action::ReadPersonalData, Resource::of(country));
        if !decision.allowed() {
            return Err(denied(decision, "reading travellers' histories"));
        }
        let mut found = Vec::new();
        for kind in DocumentKind::ALL {
            let person = PersonId::for_document_key(country, kind, issuing_state, &number);
            let probe = CrossingQuery {
                person: Some(person),
                countries: vec![country],
                limit: 1,
                ..CrossingQuery::default()
            };
            if !self.store.search_crossings(&probe, None).await?.crossings.is_empty() {
                found.push((person, self.person_crossings(actor, person).await?));
            }
        }
        Ok(found)
    }

    /// A person's entries and exits, oldest first.
    pub async fn person_crossings(&self, actor: &Actor, person: PersonId) -> Result<Vec<Crossing>, AppError> {
        let own = Resource::of(actor.scope.country);
        if can(actor, Action::ReadPersonalData, own) == Decision::DenyRole {
            return Err(denied(Decision::DenyRole, "reading this person's crossings"));
        }
        let probe = CrossingQuery { person: Some(person), limit: 1, ..CrossingQuery::default() };
        let first = self.store.search_crossings(&probe, None).await?;
        let Some(any) = first.crossings.first() else {
            return Err(AppError::NotFound(format!("person {person}")));
        };
        if !can(actor, Action::ReadPersonalData, Resource::of(any.country)).allowed() {
            return Err(self.out_of_scope(actor, "person", &person.to_string(), any.country).await);
        }
        let query = CrossingQuery {
            person: Some(person),
            countries: vec![any.country],
            order: Order::OldestFirst,
            limit: 10_000,
            ..CrossingQuery::default()
        };
        let event = AuditDraft::new(
            &actor.name,
            "person.crossings",
            "person",
            person.to_string(),
            Some(any.country.as_str()),
            serde_json::json!({}),
        );
        Ok(self.store.search_crossings(&query, Some(event)).await?.crossings)
    }
}
