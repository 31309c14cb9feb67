//! Informal crossings: the points watched, the sampling plans and the enumerators'
//! assignments (analysts), count sessions and interviews (enumerators), and the design-based
//! estimates and total flow (those who read de-identified figures).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use frontera_app::informal::{
    EstimateRequest, FlowRequest, InterviewDraft, Measure, PlanDraft, SessionDraft, Stored, parse_day,
    parse_month,
};
use frontera_app::stats::TableFormat;
use frontera_app::{App, AppError};
use frontera_domain::CountryCode;
use frontera_domain::informal::PointDraft;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::stats::file;
use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, Language, ValidJson, ValidQuery};

/// Which country's monitoring.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountryQuery {
    /// The country (default: the caller's; the binational group may read the other's).
    pub country: Option<String>,
}

fn country(text: &Option<String>) -> Result<Option<CountryCode>, AppError> {
    match text.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Ok(Some(CountryCode::parse_field(c, "country")?)),
        None => Ok(None),
    }
}

fn day(text: &str, field: &str) -> Result<NaiveDate, AppError> {
    Ok(parse_day(text, field)?)
}

fn month(text: &str, field: &str) -> Result<NaiveDate, AppError> {
    Ok(parse_month(text, field)?)
}

/// Add an informal crossing point to the caller's country, or change one (the same id):
/// coordinates, river or land, the stretch (its group in estimates), the two settlements it
/// joins, the ports nearby, the hour blocks it is watched in (`HH:MM-HH:MM`, in order).
#[utoipa::path(post, path = "/api/v1/informal/points", tag = "informal", security(("bearer" = [])),
    request_body = PointDraft,
    responses((status = 201, description = "The point", body = frontera_app::informal::KeptPoint), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_point(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<PointDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.save_point(&actor, &draft).await?)).into_response())
}

/// The points of a country, with their state (`active` or `retired`).
#[utoipa::path(get, path = "/api/v1/informal/points", tag = "informal", security(("bearer" = [])),
    params(CountryQuery),
    responses((status = 200, description = "The points", body = Vec<frontera_app::informal::KeptPoint>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn points(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<CountryQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(app.points(&actor, country(&q.country)?).await?).into_response())
}

/// Retire a point: kept with what was counted there, never drawn again.
#[utoipa::path(post, path = "/api/v1/informal/points/{id}/retire", tag = "informal", security(("bearer" = [])),
    params(("id" = String, Path, description = "The point's id")),
    responses((status = 200, description = "The point", body = frontera_app::informal::KeptPoint), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn retire_point(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(app.retire_point(&actor, &id).await?).into_response())
}

/// Draw a sampling plan for the caller's country: the frame of point-days (strata: stretch ×
/// weekday, market day, weekend) cut into hour blocks, and a sample of them without
/// replacement with every block's inclusion probability. A stratum with nothing drawn, or one
/// whose variance cannot be estimated (fewer than two point-days or blocks drawn where there are
/// more), is refused (422) saying which.
#[utoipa::path(post, path = "/api/v1/informal/plans", tag = "informal", security(("bearer" = [])),
    request_body = PlanDraft,
    responses((status = 201, description = "The plan, with its sample", body = frontera_app::informal::MonitoringPlan), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn draw_plan(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<PlanDraft>,
) -> Result<Response, ApiError> {
    Ok((StatusCode::CREATED, Json(app.draw_plan(&actor, &draft).await?)).into_response())
}

/// The sampling plans of a country, the latest first.
#[utoipa::path(get, path = "/api/v1/informal/plans", tag = "informal", security(("bearer" = [])),
    params(CountryQuery),
    responses((status = 200, description = "The plans", body = Vec<frontera_app::informal::MonitoringPlan>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn plans(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<CountryQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(app.plans(&actor, country(&q.country)?).await?).into_response())
}

/// One plan.
#[utoipa::path(get, path = "/api/v1/informal/plans/{id}", tag = "informal", security(("bearer" = [])),
    params(("id" = String, Path, description = "The plan's id")),
    responses((status = 200, description = "The plan", body = frontera_app::informal::MonitoringPlan), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn plan(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(app.plan(&actor, &id).await?).into_response())
}

/// A block of a plan given to an enumerator.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignmentDraft {
    /// The block's number in the plan (its place in `design.assignments`).
    pub index: usize,
    /// The enumerator's user name; empty takes the block back.
    pub enumerator: String,
}

/// Assign blocks of a plan to enumerators of its country.
#[utoipa::path(post, path = "/api/v1/informal/plans/{id}/assignments", tag = "informal", security(("bearer" = [])),
    params(("id" = String, Path, description = "The plan's id")),
    request_body = Vec<AssignmentDraft>,
    responses((status = 200, description = "The plan", body = frontera_app::informal::MonitoringPlan), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign(
    State(app): State<App>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    ValidJson(list): ValidJson<Vec<AssignmentDraft>>,
) -> Result<Response, ApiError> {
    let list: Vec<(usize, String)> = list.into_iter().map(|a| (a.index, a.enumerator)).collect();
    Ok(Json(app.assign(&actor, &id, &list).await?).into_response())
}

/// Which assignments to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignmentQuery {
    /// One plan's.
    pub plan: Option<String>,
    /// One enumerator's (an enumerator always sees their own).
    pub enumerator: Option<String>,
}

/// The blocks to watch, by day: an enumerator's own, or (for those who plan) every block of
/// the country's plans, each with its session once counted.
#[utoipa::path(get, path = "/api/v1/informal/assignments", tag = "informal", security(("bearer" = [])),
    params(AssignmentQuery),
    responses((status = 200, description = "The blocks", body = Vec<frontera_app::informal::Assignment>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn assignments(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<AssignmentQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(app.assignments(&actor, q.plan.as_deref(), q.enumerator.as_deref()).await?).into_response())
}

fn stored(s: Stored) -> Response {
    let status = if s.outcome == "stored" { StatusCode::CREATED } else { StatusCode::OK };
    (status, Json(s)).into_response()
}

/// Send a count session (enumerators): its id minted on the device, so a form sent again is
/// the same session (200 `already_present`); changed by whoever counted it, it is corrected. A
/// block of a plan counted by another session is a 409.
#[utoipa::path(post, path = "/api/v1/informal/sessions", tag = "informal", security(("bearer" = [])),
    request_body = SessionDraft,
    responses((status = 201, description = "Stored", body = Stored), (status = 200, description = "Already stored, or corrected", body = Stored),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_session(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<SessionDraft>,
) -> Result<Response, ApiError> {
    Ok(stored(app.record_session(&actor, &draft).await?))
}

/// A period of days.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// The first day, `YYYY-MM-DD`.
    pub from: String,
    /// The last day.
    pub to: String,
    /// The country (default: the caller's).
    pub country: Option<String>,
}

/// The count sessions of a period.
#[utoipa::path(get, path = "/api/v1/informal/sessions", tag = "informal", security(("bearer" = [])),
    params(PeriodQuery),
    responses((status = 200, description = "The sessions", body = Vec<frontera_app::informal::KeptSession>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sessions(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let (from, to) = (day(&q.from, "from")?, day(&q.to, "to")?);
    Ok(Json(app.sessions(&actor, country(&q.country)?, from, to).await?).into_response())
}

/// Send an anonymous interview drawn in a count session (enumerators): refused (422
/// `consent.given`) without the person's consent. With a protection concern and consent to a
/// referral, `refer` names the person and a protection case opens in the country's pool; the
/// interview keeps only that it was referred.
#[utoipa::path(post, path = "/api/v1/informal/interviews", tag = "informal", security(("bearer" = [])),
    request_body = InterviewDraft,
    responses((status = 201, description = "Stored", body = Stored), (status = 200, description = "Already stored", body = Stored),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record_interview(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidJson(draft): ValidJson<InterviewDraft>,
) -> Result<Response, ApiError> {
    Ok(stored(app.record_interview(&actor, &draft).await?))
}

/// The anonymous interviews of a period (those who read de-identified data).
#[utoipa::path(get, path = "/api/v1/informal/interviews", tag = "informal", security(("bearer" = [])),
    params(PeriodQuery),
    responses((status = 200, description = "The interviews", body = Vec<frontera_app::informal::KeptInterview>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn interviews(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let (from, to) = (day(&q.from, "from")?, day(&q.to, "to")?);
    Ok(Json(app.interviews(&actor, country(&q.country)?, from, to).await?).into_response())
}

/// What an estimate asks for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EstimateQuery {
    /// The first day, `YYYY-MM-DD`.
    pub from: String,
    /// The last day.
    pub to: String,
    /// A group of points (their stretch); none: all.
    pub group: Option<String>,
    /// `direction`, `sex`, `age`, `means`, `goods`, `nationality`, `purpose` or `document`.
    pub by: Option<String>,
    /// `crossings` (default) or `persons`.
    pub measure: Option<String>,
    /// The country (default: the caller's).
    pub country: Option<String>,
    /// `json` (default), `csv`, `sdmx-csv`, `hxl` or `xlsx`.
    pub format: Option<String>,
}

/// Estimated informal crossings (or persons) for a period and group of points, by a breakdown:
/// each line with its standard error and 95% interval from the design, plus descriptive
/// indicators of what was counted, labelled as such. A block drawn in the period and not
/// counted is a 422 naming it. Files carry the method.
#[utoipa::path(get, path = "/api/v1/informal/estimates", tag = "informal", security(("bearer" = [])),
    params(EstimateQuery),
    responses((status = 200, description = "The estimate", body = frontera_app::informal::InformalEstimate),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn estimates(
    State(app): State<App>,
    Caller(actor): Caller,
    Language(lang): Language,
    ValidQuery(q): ValidQuery<EstimateQuery>,
) -> Result<Response, ApiError> {
    let format = TableFormat::parse(q.format.as_deref(), TableFormat::Json).map_err(AppError::from)?;
    let request = EstimateRequest {
        country: country(&q.country)?,
        from: day(&q.from, "from")?,
        to: day(&q.to, "to")?,
        group: q.group.map(|g| g.trim().to_string()).filter(|g| !g.is_empty()),
        by: q.by.map(|b| b.trim().to_string()).filter(|b| !b.is_empty()),
        measure: Measure::parse(q.measure.as_deref()).map_err(AppError::from)?,
    };
    let estimate = app.estimate_informal(&actor, &request).await?;
    if format == TableFormat::Json {
        return Ok(Json(estimate).into_response());
    }
    file(format, "informal-estimate", estimate.render(format, lang)?)
}

/// What the total flow asks for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FlowQuery {
    /// The first month, `YYYY-MM`.
    pub from: String,
    /// The last month.
    pub to: String,
    /// A group of points: the official crossings are then those of the ports near them.
    pub group: Option<String>,
    /// The country (default: the caller's).
    pub country: Option<String>,
    /// `json` (default), `csv`, `sdmx-csv`, `hxl` or `xlsx`.
    pub format: Option<String>,
}

/// The total flow month by month: the crossings the posts recorded (entries, exits) beside the
/// informal crossings estimated, with their interval and share, or why there is no estimate.
#[utoipa::path(get, path = "/api/v1/informal/flow", tag = "informal", security(("bearer" = [])),
    params(FlowQuery),
    responses((status = 200, description = "The months", body = frontera_app::informal::TotalFlow),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn flow(
    State(app): State<App>,
    Caller(actor): Caller,
    Language(lang): Language,
    ValidQuery(q): ValidQuery<FlowQuery>,
) -> Result<Response, ApiError> {
    let format = TableFormat::parse(q.format.as_deref(), TableFormat::Json).map_err(AppError::from)?;
    let request = FlowRequest {
        country: country(&q.country)?,
        from: month(&q.from, "from")?,
        to: month(&q.to, "to")?,
        group: q.group.map(|g| g.trim().to_string()).filter(|g| !g.is_empty()),
    };
    let flow = app.total_flow(&actor, &request).await?;
    if format == TableFormat::Json {
        return Ok(Json(flow).into_response());
    }
    file(format, "total-flow", flow.render(format, lang)?)
}
