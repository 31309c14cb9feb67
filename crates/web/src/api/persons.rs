//! Travellers: found by the document in hand or by a search, and their history.

use axum::Json;
use axum::extract::{Path, State};
use frontera_app::App;
use frontera_app::travellers::TravellerFilter;
use frontera_domain::{Crossing, PersonId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, ValidQuery};

/// A person's entries and exits.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonCrossings {
    /// The person.
    pub person_id: PersonId,
    /// Their crossings, oldest first.
    pub crossings: Vec<Crossing>,
}

/// A traveller's entries and exits on this side of the border, oldest first.
#[utoipa::path(get, path = "/api/v1/persons/{id}/crossings", tag = "crossings", security(("bearer" = [])),
    params(("id" = String, Path, description = "The person's UUID")),
    responses((status = 200, body = PersonCrossings), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn crossings(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<PersonCrossings>, ApiError> {
    let person_id = PersonId(crate::extract::uuid_param(&id, "id")?);
    let crossings = app.person_crossings(&actor, person_id).await?;
    Ok(Json(PersonCrossings { person_id, crossings }))
}

/// Which document to look a traveller up by.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentLookup {
    /// The document's number.
    pub document_number: String,
    /// Its issuing state (ISO 3166-1 alpha-3 or ICAO code).
    pub issuing_state: String,
}

/// The travellers found.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonList {
    /// Each traveller this country holds under the document, with their crossings.
    pub persons: Vec<PersonCrossings>,
}

/// Find travellers by the document in hand: this country's records under any document with
/// that number and issuer, each with their entries and exits, oldest first.
#[utoipa::path(get, path = "/api/v1/persons", tag = "crossings", security(("bearer" = [])),
    params(DocumentLookup),
    responses((status = 200, body = PersonList), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn find(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(lookup): ValidQuery<DocumentLookup>,
) -> Result<Json<PersonList>, ApiError> {
    let found = app.find_by_document(&actor, &lookup.document_number, &lookup.issuing_state).await?;
    let persons =
        found.into_iter().map(|(person_id, crossings)| PersonCrossings { person_id, crossings }).collect();
    Ok(Json(PersonList { persons }))
}

/// The travellers a search found.
#[derive(Debug, Serialize, ToSchema)]
pub struct TravellerList {
    /// Each traveller's latest crossing (names and document as last recorded), the most
    /// recently seen first; at most 50.
    pub travellers: Vec<Crossing>,
}

/// Search this country's travellers by name (words that begin the names, in any case, with or
/// without accents), document number or birth date (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`); at least
/// one criterion, every one given must match.
#[utoipa::path(get, path = "/api/v1/travellers", tag = "crossings", security(("bearer" = [])),
    params(TravellerFilter),
    responses((status = 200, body = TravellerList), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(filter): ValidQuery<TravellerFilter>,
) -> Result<Json<TravellerList>, ApiError> {
    Ok(Json(TravellerList { travellers: app.search_travellers(&actor, &filter).await? }))
}
