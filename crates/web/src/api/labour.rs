//! The labour registry: employers, workers and permits (the country's registrar), and the
//! counter's permit check (border staff), seasonal demand and the registry's figures.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use frontera_app::App;
use frontera_app::labour::{
    CheckQuery as CheckFilter, CounterCheck, Demand, DemandDraft, DemandReport, DemandReportRequest,
    EmployerDraft, PermitDraft, PermitTableRequest, RegistryFile, RegistryImport, SheetFormat, WorkerDraft,
    WorkerQuery,
};
use frontera_domain::labour::PermitEvent;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, Language, ValidJson, ValidQuery};

/// Register an employer in the caller's country (registrars and administrators).
#[utoipa::path(post, path = "/api/v1/labour/employers", tag = "labour", security(("bearer" = [])),
    request_body = EmployerDraft,
    responses((status = 201, description = "The employer", body = frontera_app::labour::Employer), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn employer(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<EmployerDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.register_employer(&actor, &draft).await?)).into_response())
}

/// Register a worker in the caller's country (registrars and administrators).
#[utoipa::path(post, path = "/api/v1/labour/workers", tag = "labour", security(("bearer" = [])),
    request_body = WorkerDraft,
    responses((status = 201, description = "The worker", body = frontera_app::labour::Worker), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn worker(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<WorkerDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.register_worker(&actor, &draft).await?)).into_response())
}

/// The workers of the caller's registry by name, birth date or document (`q`) and by their
/// permits (`employer`, `sector`, `status`) (audited).
#[utoipa::path(get, path = "/api/v1/labour/workers", tag = "labour", security(("bearer" = [])),
    params(WorkerQuery),
    responses((status = 200, description = "The workers", body = Vec<frontera_app::labour::Worker>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn workers(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<WorkerQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(app.find_workers(&actor, &q).await?).into_response())
}

/// A worker's file: their permits, the employers these name, their crossings and the
/// counter's checks (audited).
#[utoipa::path(get, path = "/api/v1/labour/workers/{id}", tag = "labour", security(("bearer" = [])),
    params(("id" = String, Path, description = "The worker's id")),
    responses((status = 200, description = "The worker and their permits", body = frontera_app::labour::WorkerFile), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn worker_file(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(app.worker_file(&actor, &id).await?).into_response())
}

/// Apply for a permit for a worker of the registry, with its employers.
#[utoipa::path(post, path = "/api/v1/labour/permits", tag = "labour", security(("bearer" = [])),
    request_body = PermitDraft,
    responses((status = 201, description = "The permit, applied for", body = frontera_app::labour::Permit), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn permit(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<PermitDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.apply_permit(&actor, &draft).await?)).into_response())
}

/// Change a permit: `{"event": "issue", "valid_from", "valid_until"}`, `{"event": "refuse" |
/// "revoke", "reason"}`, `{"event": "renew", "valid_until"}` or `{"event": "expire"}`. A change
/// its lifecycle refuses is a 409 `refused` saying why.
#[utoipa::path(post, path = "/api/v1/labour/permits/{id}/events", tag = "labour", security(("bearer" = [])),
    params(("id" = String, Path, description = "The permit's id")),
    request_body(content = String, content_type = "application/json", description = "The change"),
    responses((status = 200, description = "The permit after the change", body = frontera_app::labour::Permit), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn permit_event(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(event): ValidJson<PermitEvent>,
) -> Result<Response, ApiError> {
    Ok(Json(app.change_permit(&actor, &id, event).await?).into_response())
}

/// What the counter's check asks.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// The travel document's number.
    pub document: String,
    /// The port of the crossing (its time zone decides the day; default: the caller's).
    pub port: Option<String>,
    /// The subdivision of destination (ISO 3166-2), when known.
    pub destination: Option<String>,
    /// Days before a last day to warn (default: the node's `permit_warning_days`, 30).
    pub warn_days: Option<u32>,
}

/// The status of a border worker's permits in the caller's country, for a crossing now: valid,
/// expiring, not valid at the destination, expired, revoked or none (border staff; audited).
#[utoipa::path(get, path = "/api/v1/labour/check", tag = "labour", security(("bearer" = [])),
    params(CheckQuery),
    responses((status = 200, description = "The status", body = frontera_domain::labour::PermitCheck), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<CheckQuery>,
) -> Result<Response, ApiError> {
    let port = match q.port.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Some(app.ports.resolve(p, "port").map_err(ApiError::invalid)?),
        None => actor.scope.port.as_ref().and_then(|p| app.ports.get(p)),
    };
    let zone = port.map_or(chrono_tz::UTC, |p| p.time_zone);
    let country = port.map_or(actor.scope.country, |p| p.country);
    let destination = match q.destination.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(
            frontera_domain::labour::parse_region(d)
                .map_err(|r| ApiError::invalid(frontera_domain::ValidationError::new("destination", r)))?,
        ),
        None => port.and_then(|p| p.region.as_deref()),
    };
    let warn_days = q.warn_days.unwrap_or(app.permit_warning_days);
    let status =
        app.check_worker(&actor, country, &q.document, app.now(), zone, destination, warn_days).await?;
    Ok(Json(status).into_response())
}

/// The officer's decision on a border worker whose permits were not in order.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionBody {
    /// `admit` or `refuse`.
    pub decision: Option<String>,
    /// Why (required).
    pub reason: Option<String>,
}

/// Admit or refuse a border worker whose crossing's permit check found no permit in force at
/// the destination; the decision is kept with the check, once (the post's officers and
/// supervisors; audited).
#[utoipa::path(post, path = "/api/v1/crossings/{id}/permit-decision", tag = "labour", security(("bearer" = [])),
    params(("id" = String, Path, description = "The crossing's UUID")),
    request_body = DecisionBody,
    responses((status = 200, body = CounterCheck), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(body): ValidJson<DecisionBody>,
) -> Result<Response, ApiError> {
    let id = frontera_domain::CrossingId(crate::extract::uuid_param(&id, "id")?);
    let decision = body.decision.unwrap_or_default();
    let reason = body.reason.unwrap_or_default();
    Ok(Json(app.decide_permit(&actor, id, &decision, &reason).await?).into_response())
}

/// The counter's permit checks of the caller's country, newest first (registrars; supervisors
/// see their post's; audited).
#[utoipa::path(get, path = "/api/v1/labour/checks", tag = "labour", security(("bearer" = [])),
    params(CheckFilter),
    responses((status = 200, body = Vec<CounterCheck>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn checks(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<CheckFilter>,
) -> Result<Response, ApiError> {
    Ok(Json(app.permit_checks(&actor, &q).await?).into_response())
}

/// Register seasonal demand: workers an employer of the registry or an association asks for,
/// by sector, number, months (`from`, `to`, `YYYY-MM`, at most twelve) and place (registrars).
#[utoipa::path(post, path = "/api/v1/labour/demand", tag = "labour", security(("bearer" = [])),
    request_body = DemandDraft,
    responses((status = 201, body = Demand), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn demand(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<DemandDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.register_demand(&actor, &draft).await?)).into_response())
}

/// The demand registered in the caller's country, newest first (registrars).
#[utoipa::path(get, path = "/api/v1/labour/demand", tag = "labour", security(("bearer" = [])),
    responses((status = 200, body = Vec<Demand>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn demands(State(app): State<App>, Caller(actor): Caller) -> Result<Response, ApiError> {
    Ok(Json(app.demands(&actor).await?).into_response())
}

/// Month by month, demand against the permits in force and issued (of the sector and place
/// asked) and against the border workers who crossed: the figure for planning a season
/// (registrars; audited).
#[utoipa::path(get, path = "/api/v1/labour/demand/report", tag = "labour", security(("bearer" = [])),
    params(DemandReportRequest),
    responses((status = 200, body = DemandReport), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn demand_report(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<DemandReportRequest>,
) -> Result<Response, ApiError> {
    Ok(Json(app.demand_report(&actor, &q).await?).into_response())
}

/// What the table of permits in force asks, and in which format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PermitTableQuery {
    /// A comma-separated subset of `kind, sector, region, nationality, sex, age_group`.
    pub by: Option<String>,
    /// The day, `YYYY-MM-DD` (default: today).
    pub as_of: Option<String>,
    /// Apply disclosure control.
    pub public: Option<bool>,
    /// The smallest count shown under disclosure control (default 5).
    pub threshold: Option<u64>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

/// Work permits in force on a day in the caller's country, by any of kind, sector, region
/// (a permit valid in several places counts in each), and the holder's nationality, sex and
/// age group; disclosure control with `public` (always for liaisons). Audited.
#[utoipa::path(get, path = "/api/v1/stats/permits", tag = "stats", security(("bearer" = [])),
    params(PermitTableQuery),
    responses((status = 200, description = "The table, as JSON or CSV", content((frontera_app::stats::CrossingStats = "application/json"), (String = "text/csv"))), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn permit_table(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<PermitTableQuery>,
) -> Result<Response, ApiError> {
    let request = PermitTableRequest {
        by: q.by,
        as_of: q.as_of,
        public: q.public.unwrap_or(false),
        threshold: q.threshold,
    };
    table_as(app.permit_table(&actor, &request).await?, q.format.as_deref())
}

/// What an import asks.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Check every row and store nothing.
    pub dry_run: Option<bool>,
}

/// Import `employers`, `workers` or `permits` into the caller's registry from the request's
/// body, a CSV file or an XLSX workbook (its first sheet), columns by name in any order. Every
/// row is checked first: with any bad row nothing is stored and the answer is a 422 whose
/// `errors` name each row's line (the header is line 1) and column (registrars; audited).
#[utoipa::path(post, path = "/api/v1/labour/import/{file}", tag = "labour", security(("bearer" = [])),
    params(("file" = String, Path, description = "`employers`, `workers` or `permits`"), ImportParams),
    request_body(content = Vec<u8>, content_type = "text/csv", description = "The file, CSV or XLSX"),
    responses((status = 200, description = "The report", body = RegistryImport),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, description = "The report with each bad row, or an error naming the file's fault")))]
pub async fn import(
    State(app): State<App>,
    Caller(actor): Caller,
    Language(lang): Language,
    Path(file): Path<String>,
    ValidQuery(params): ValidQuery<ImportParams>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let which = RegistryFile::parse(&file).map_err(ApiError::invalid)?;
    let report = app.import_registry(&actor, which, &body, params.dry_run.unwrap_or(false), lang).await?;
    let status = if report.error_count > 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, Json(report)).into_response())
}

/// What an export asks.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `csv` (default) or `xlsx`.
    pub format: Option<String>,
}

/// The caller's registry's `employers`, `workers` or `permits` as CSV or XLSX (registrars;
/// audited).
#[utoipa::path(get, path = "/api/v1/labour/export/{file}", tag = "labour", security(("bearer" = [])),
    params(("file" = String, Path, description = "`employers`, `workers` or `permits`"), ExportParams),
    responses((status = 200, description = "The file", content((String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(file): Path<String>,
    ValidQuery(params): ValidQuery<ExportParams>,
) -> Result<Response, ApiError> {
    let which = RegistryFile::parse(&file).map_err(ApiError::invalid)?;
    let format = SheetFormat::parse(params.format.as_deref().unwrap_or("csv")).map_err(ApiError::invalid)?;
    let bytes = app.export_registry(&actor, which, format).await?;
    let ext = if format == SheetFormat::Xlsx { "xlsx" } else { "csv" };
    let disposition = format!("attachment; filename=\"{}.{ext}\"", which.as_str());
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, format.content_type().to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// What the table of permit holders' crossings asks, and in which format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HolderCrossingsQuery {
    /// A comma-separated subset of `month, port, direction, kind, sector, standing`.
    pub by: Option<String>,
    /// The first local day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// The last local day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Apply disclosure control.
    pub public: Option<bool>,
    /// The smallest count shown under disclosure control (default 5).
    pub threshold: Option<u64>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

/// The crossings of the registry's workers held by the caller's country, by any of month,
/// port, direction, the permit's kind and sector, and `standing` (`in_force`, `lapsed`,
/// `none`) on the crossing's day; disclosure control with `public`. Audited.
#[utoipa::path(get, path = "/api/v1/stats/permit-holders", tag = "stats", security(("bearer" = [])),
    params(HolderCrossingsQuery),
    responses((status = 200, description = "The table, as JSON or CSV", content((frontera_app::stats::CrossingStats = "application/json"), (String = "text/csv"))), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn holder_crossings(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<HolderCrossingsQuery>,
) -> Result<Response, ApiError> {
    let request = frontera_app::labour::HolderCrossingsRequest {
        by: q.by,
        from: q.from,
        to: q.to,
        public: q.public.unwrap_or(false),
        threshold: q.threshold,
    };
    table_as(app.holder_crossings(&actor, &request).await?, q.format.as_deref())
}

/// A table as JSON (default) or CSV.
fn table_as(table: frontera_app::stats::CrossingStats, format: Option<&str>) -> Result<Response, ApiError> {
    match format.map(str::trim) {
        None | Some("") | Some("json") => Ok(Json(table).into_response()),
        Some("csv") => {
            let mut out = Vec::new();
            table.write_csv(&mut out)?;
            Ok(([(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response())
        }
        Some(_) => Err(ApiError::invalid(frontera_domain::ValidationError::new(
            "format",
            frontera_domain::Rule::OneOf { allowed: &["json", "csv"] },
        ))),
    }
}
