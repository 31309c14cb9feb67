//! Finding a traveller and reading their history on this side of the border.

use chrono::{DateTime, NaiveDate, Utc};
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::document::DocumentNumber;
use frontera_domain::{Crossing, PartialDate, PersonId, PortId, Rule, ValidationError, fold_name};
use frontera_store::TravellerQuery;
use serde::{Deserialize, Serialize};

use crate::{App, AppError};

/// At most this many travellers a search returns.
pub const SEARCH_LIMIT: u32 = 50;

/// A traveller search as typed; at least one criterion.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams, utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct TravellerFilter {
    /// Words that begin the traveller's names, in any case, with or without accents.
    pub name: Option<String>,
    /// The document number, exactly.
    pub document_number: Option<String>,
    /// The birth date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub birth_date: Option<String>,
}

impl TravellerFilter {
    /// Whether nothing was typed (a search form opened, not sent).
    pub fn is_empty(&self) -> bool {
        [&self.name, &self.document_number, &self.birth_date]
            .iter()
            .all(|v| v.as_deref().is_none_or(|t| t.trim().is_empty()))
    }

    fn parse(&self, actor: &Actor) -> Result<TravellerQuery, ValidationError> {
        let some =
            |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let name = some(&self.name).unwrap_or_default();
        let letters = fold_name(&name).chars().filter(|c| *c != ' ').count();
        if !name.is_empty() && letters < 2 {
            return Err(ValidationError::new("name", Rule::TooShort { min: 2 }));
        }
        if name.chars().count() > 200 {
            return Err(ValidationError::new("name", Rule::TooLong { max: 200 }));
        }
        let document_number = some(&self.document_number)
            .map(|n| DocumentNumber::parse(&n).map_err(|r| ValidationError::new("document_number", r)))
            .transpose()?;
        let birth_date = some(&self.birth_date)
            .map(|b| PartialDate::parse(&b).map_err(|r| ValidationError::new("birth_date", r)))
            .transpose()?;
        if name.is_empty() && document_number.is_none() && birth_date.is_none() {
            return Err(ValidationError::new("name", Rule::SearchCriterion));
        }
        Ok(TravellerQuery {
            country: actor.scope.country,
            name,
            document_number,
            birth_date,
            limit: SEARCH_LIMIT,
        })
    }
}

/// A person's crossings on this side, oldest first, with the dates they fall on.
#[derive(Debug, Clone)]
pub struct History {
    /// The person.
    pub person: PersonId,
    /// Their crossings, oldest first.
    pub crossings: Vec<Crossing>,
    /// Today at the port of their latest crossing.
    pub today: NaiveDate,
}

impl History {
    /// A crossing's calendar day at its port.
    pub fn local_date(&self, app: &App, c: &Crossing) -> NaiveDate {
        app.local_date(&c.port_id, c.occurred_at)
    }
}

impl App {
    /// The calendar day an instant falls on at a port (UTC for a port this node does not know).
    pub fn local_date(&self, port: &PortId, at: DateTime<Utc>) -> NaiveDate {
        match self.ports.get(port) {
            Some(p) => at.with_timezone(&p.time_zone).date_naive(),
            None => at.date_naive(),
        }
    }

    /// Whether the actor may search travellers: those who read personal data in their country.
    pub fn may_search_travellers(&self, actor: &Actor) -> Result<(), AppError> {
        let country = actor.scope.country;
        if can(actor, Action::ReadPersonalData, Resource::of(country)).allowed() {
            Ok(())
        } else {
            Err(AppError::Forbidden("your role may not search travellers".into()))
        }
    }

    /// The travellers of the actor's country that `filter` finds, each through their latest
    /// crossing, the most recently seen first (at most [`SEARCH_LIMIT`]).
    pub async fn search_travellers(
        &self,
        actor: &Actor,
        filter: &TravellerFilter,
    ) -> Result<Vec<Crossing>, AppError> {
        self.may_search_travellers(actor)?;
        let country = actor.scope.country;
        let query = filter.parse(actor)?;
        let detail = serde_json::to_value(filter).unwrap_or_default();
        let event = AuditDraft::new(
            &actor.name,
            "traveller.search",
            "person",
            "search",
            Some(country.as_str()),
            detail,
        );
        Ok(self.store.search_travellers(&query, Some(event)).await?)
    }

    /// A person's history: their entries and exits, oldest first, read and audited as
    /// [`App::person_crossings`] does.
    pub async fn traveller_history(&self, actor: &Actor, person: PersonId) -> Result<History, AppError> {
        let crossings = self.person_crossings(actor, person).await?;
        let today = match crossings.last() {
            Some(last) => self.local_date(&last.port_id, self.now()),
            None => self.now().date_naive(),
        };
        Ok(History { person, crossings, today })
    }
}
