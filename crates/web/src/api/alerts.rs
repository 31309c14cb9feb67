//! Alert lists, screening and the hits of screened crossings.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontera_app::App;
use frontera_app::alerts::hits::HitDecision;
use frontera_app::alerts::{
    AlertListDraft, AlertListView, AlertView, HitView, ListFormat, ListImport, ListImportReport,
    ScreenRequest, ScreenResult, ScreeningView,
};
use frontera_domain::CrossingId;
use frontera_domain::alert::AlertEntry;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, ValidJson, ValidQuery};

/// The largest list file the API takes (the UN list is about 2 MB).
pub const MAX_LIST_BYTES: usize = 64 * 1024 * 1024;

/// Screen a person against the caller's country's alert lists. `hits` holds the candidates at
/// or above their list's threshold, best first, each with its score, list, reference, names and
/// explanation; with `candidates: N`, the best N whatever their score (`hit` tells which reach
/// the threshold).
#[utoipa::path(post, path = "/api/v1/screen", tag = "alerts", security(("bearer" = [])),
    request_body = ScreenRequest,
    responses((status = 200, body = ScreenResult), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn screen(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(request): ValidJson<ScreenRequest>,
) -> Result<Json<ScreenResult>, ApiError> {
    Ok(Json(app.screen(&actor, &request).await?))
}

/// The caller's country's alert lists.
#[utoipa::path(get, path = "/api/v1/alert-lists", tag = "alerts", security(("bearer" = [])),
    responses((status = 200, body = [AlertListView]), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn lists(
    State(app): State<App>,
    Caller(actor): Caller,
) -> Result<Json<Vec<AlertListView>>, ApiError> {
    Ok(Json(app.alert_lists(&actor).await?))
}

/// Create a list, or change its kind and threshold.
#[utoipa::path(put, path = "/api/v1/alert-lists/{list}", tag = "alerts", security(("bearer" = [])),
    params(("list" = String, Path, description = "The list's name")),
    request_body = AlertListDraft,
    responses((status = 200, body = AlertListView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_list(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(list): Path<String>,
    ValidJson(draft): ValidJson<AlertListDraft>,
) -> Result<Json<AlertListView>, ApiError> {
    Ok(Json(app.save_alert_list(&actor, &list, &draft).await?))
}

/// How an uploaded list is read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// `csv` or `un-xml`.
    pub format: String,
    /// The kind of its entries, unless a row says otherwise.
    pub kind: Option<String>,
    /// The list's threshold.
    pub threshold: Option<f64>,
    /// Where the file came from, kept with the list.
    pub source: Option<String>,
}

/// Load a new version of a list from the request's body (the file as it is): entries new to
/// the list are added, changed ones updated, and those it no longer holds retired, all or
/// nothing. A file with bad rows stores nothing: 422 with every bad row.
#[utoipa::path(post, path = "/api/v1/alert-lists/{list}/import", tag = "alerts", security(("bearer" = [])),
    params(("list" = String, Path, description = "The list's name"), ImportParams),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 200, body = ListImportReport), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, description = "Bad rows; nothing stored", body = ListImportReport)))]
pub async fn import(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(list): Path<String>,
    ValidQuery(params): ValidQuery<ImportParams>,
    headers: HeaderMap,
    body: String,
) -> Result<Response, ApiError> {
    let lang = crate::extract::lang_of(&headers);
    let import = ListImport {
        list,
        format: ListFormat::parse(&params.format).map_err(ApiError::invalid)?,
        kind: params.kind,
        threshold: params.threshold,
        source: params.source,
        country: None,
        lang,
    };
    let report = app.import_alert_list(&actor, &import, &body).await?;
    let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)).into_response())
}

/// A page of a list's entries.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntryPage {
    /// Entries after this reference.
    pub after: Option<String>,
    /// Retired entries too.
    #[serde(default)]
    pub include_retired: bool,
    /// Page size, 1–1000 (default 100).
    pub limit: Option<u32>,
}

/// A list's entries, by reference.
#[utoipa::path(get, path = "/api/v1/alert-lists/{list}/alerts", tag = "alerts", security(("bearer" = [])),
    params(("list" = String, Path, description = "The list's name"), EntryPage),
    responses((status = 200, body = [AlertView]), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn entries(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(list): Path<String>,
    ValidQuery(page): ValidQuery<EntryPage>,
) -> Result<Json<Vec<AlertView>>, ApiError> {
    let limit = page.limit.unwrap_or(100);
    Ok(Json(app.alerts_page(&actor, &list, page.after.as_deref(), page.include_retired, limit).await?))
}

/// Add an entry to a list, with its reason, issuing authority, validity and the action a hit
/// asks for. 409 when the list holds the reference already.
#[utoipa::path(post, path = "/api/v1/alert-lists/{list}/alerts", tag = "alerts", security(("bearer" = [])),
    params(("list" = String, Path, description = "The list's name")),
    request_body = AlertEntry,
    responses((status = 201, body = AlertView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(list): Path<String>,
    ValidJson(entry): ValidJson<AlertEntry>,
) -> Result<Response, ApiError> {
    let saved = app.save_alert(&actor, &list, &entry, true).await?;
    let location = format!("/api/v1/alert-lists/{}/alerts/{}", saved.list, saved.entry.reference);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(saved)).into_response())
}

/// One entry.
#[utoipa::path(get, path = "/api/v1/alert-lists/{list}/alerts/{reference}", tag = "alerts", security(("bearer" = [])),
    params(("list" = String, Path, description = "The list's name"), ("reference" = String, Path, description = "The entry's reference")),
    responses((status = 200, body = AlertView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((list, reference)): Path<(String, String)>,
) -> Result<Json<AlertView>, ApiError> {
    Ok(Json(app.alert(&actor, &list, &reference).await?))
}

/// Change an entry (its reference stays the one in the path).
#[utoipa::path(put, path = "/api/v1/alert-lists/{list}/alerts/{reference}", tag = "alerts", security(("bearer" = [])),
    params(("list" = String, Path, description = "The list's name"), ("reference" = String, Path, description = "The entry's reference")),
    request_body = AlertEntry,
    responses((status = 200, body = AlertView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((list, reference)): Path<(String, String)>,
    ValidJson(mut entry): ValidJson<AlertEntry>,
) -> Result<Json<AlertView>, ApiError> {
    entry.reference = reference;
    Ok(Json(app.save_alert(&actor, &list, &entry, false).await?))
}

/// Retire an entry: it no longer hits, and stays on record with the hits it made.
#[utoipa::path(post, path = "/api/v1/alert-lists/{list}/alerts/{reference}/retire", tag = "alerts", security(("bearer" = [])),
    params(("list" = String, Path, description = "The list's name"), ("reference" = String, Path, description = "The entry's reference")),
    responses((status = 200, body = AlertView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn retire(
    State(app): State<App>,
    Caller(actor): Caller,
    Path((list, reference)): Path<(String, String)>,
) -> Result<Json<AlertView>, ApiError> {
    Ok(Json(app.retire_alert(&actor, &list, &reference).await?))
}

/// How many pending hits to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HitPage {
    /// At most this many, 1–1000 (default 100).
    pub limit: Option<u32>,
}

/// The hits waiting for a decision at the caller's port (a supervisor also sees escalated
/// ones), newest first.
#[utoipa::path(get, path = "/api/v1/hits", tag = "alerts", security(("bearer" = [])),
    params(HitPage),
    responses((status = 200, body = [HitView]), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn pending(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(page): ValidQuery<HitPage>,
) -> Result<Json<Vec<HitView>>, ApiError> {
    Ok(Json(app.pending_hits(&actor, page.limit.unwrap_or(100)).await?))
}

/// Decide on a hit: `confirm`, `dismiss` (with a note saying why) or `escalate` to the
/// supervisor. 409 when it was decided meanwhile.
#[utoipa::path(post, path = "/api/v1/hits/{id}/resolution", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The hit's UUID")),
    request_body = HitDecision,
    responses((status = 200, body = HitView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn resolve(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(decision): ValidJson<HitDecision>,
) -> Result<Json<HitView>, ApiError> {
    let id = crate::extract::uuid_param(&id, "id")?;
    Ok(Json(app.resolve_hit(&actor, id, &decision).await?))
}

/// A crossing's screening: when, against how many entries, and its hits with their decisions.
#[utoipa::path(get, path = "/api/v1/crossings/{id}/screening", tag = "alerts", security(("bearer" = [])),
    params(("id" = String, Path, description = "The crossing's UUID")),
    responses((status = 200, body = ScreeningView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn screening(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Json<ScreeningView>, ApiError> {
    let id = CrossingId(crate::extract::uuid_param(&id, "id")?);
    Ok(Json(app.crossing_screening(&actor, id).await?))
}
