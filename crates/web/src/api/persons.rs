//! A traveller's history.

use axum::Json;
use axum::extract::{Path, State};
use frontera_app::App;
use frontera_domain::{Crossing, PersonId};
use serde::Serialize;
use utoipa::ToSchema;

use crate::errors::{ApiError, ErrorBody};
use crate::extract::Caller;

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
    let person_id = PersonId(super::uuid_param(&id, "id")?);
    let crossings = app.person_crossings(&actor, person_id).await?;
    Ok(Json(PersonCrossings { person_id, crossings }))
}
