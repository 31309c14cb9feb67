//! Recording, reading and searching crossings.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontera_app::App;
use frontera_app::crossings::{CrossingFilter, CrossingList, CrossingView, RecordedCrossing};
use frontera_domain::{CrossingDraft, CrossingId};

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, ValidJson, ValidQuery};

/// Record an entry or exit, from the document's MRZ (`mrz`) or from typed `document` and
/// `person`, screened against the country's alert lists in the same request. 201 with the
/// stored crossing and its `screening` (hits wait for a decision at `/api/v1/hits/{id}/resolution`);
/// re-sending the same `id` with the same content is a 200 with the record stored the first
/// time, with other content a 409.
#[utoipa::path(post, path = "/api/v1/crossings", tag = "crossings", security(("bearer" = [])),
    request_body = CrossingDraft,
    responses(
        (status = 201, description = "Recorded", body = RecordedCrossing),
        (status = 200, description = "Sent before; nothing changed", body = RecordedCrossing),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<CrossingDraft>,
) -> Result<Response, ApiError> {
    let recorded = app.record_crossing(&actor, &draft).await?;
    let status = if recorded.created { StatusCode::CREATED } else { StatusCode::OK };
    let location = format!("/api/v1/crossings/{}", recorded.crossing.id);
    Ok((status, [(header::LOCATION, location)], Json(recorded)).into_response())
}

/// Search crossings within the caller's scope, newest first, a page at a time. Callers who may
/// not see personal data get crossings without names, documents or birth dates.
#[utoipa::path(get, path = "/api/v1/crossings", tag = "crossings", security(("bearer" = [])),
    params(CrossingFilter),
    responses((status = 200, body = CrossingList), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(filter): ValidQuery<CrossingFilter>,
) -> Result<Json<CrossingList>, ApiError> {
    Ok(Json(app.search_crossings(&actor, &filter).await?))
}

/// One crossing.
#[utoipa::path(get, path = "/api/v1/crossings/{id}", tag = "crossings", security(("bearer" = [])),
    params(("id" = String, Path, description = "The crossing's UUID")),
    responses((status = 200, body = CrossingView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<CrossingView>, ApiError> {
    let id = CrossingId(crate::extract::uuid_param(&id, "id")?);
    Ok(Json(app.crossing(&actor, id).await?))
}
