//! Statistics of crossings.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use frontera_app::stats::StatsRequest;
use frontera_app::{App, AppError};
use frontera_domain::{Rule, ValidationError};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, ValidQuery};

/// What a table of crossings asks for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// Comma-separated, any of `day, week, month, quarter, year, port, direction, nationality,
    /// category, sex, age_group`, at most one period (none: the grand total).
    pub by: Option<String>,
    /// The first local day counted, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// The last local day counted, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// The country counted (alpha-3; default: the caller's).
    pub country: Option<String>,
    /// Apply disclosure control (always applied to another country's table).
    pub public: Option<bool>,
    /// The smallest count disclosure control shows, 1–1000 (default 5).
    pub threshold: Option<u64>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

/// Crossings counted by any dimensions, on each port's local day, from the raw records. JSON:
/// `{"disclosure": "none"|"controlled", "dimensions": [...], "rows": [...]}`, rows
/// `{"key": [...], "count": N}` or, controlled, `{"key", "cell": {"shown": N}|"suppressed",
/// "primary"}` with totals keyed `_T`. CSV: one column per dimension and `count` (and `status`,
/// `suppressed` where withheld).
#[utoipa::path(get, path = "/api/v1/stats/crossings", tag = "stats", security(("bearer" = [])),
    params(StatsQuery),
    responses((status = 200, description = "The table, as JSON or CSV"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn crossings(
    State(app): State<App>,
    Caller(actor): Caller,
    ValidQuery(q): ValidQuery<StatsQuery>,
) -> Result<Response, ApiError> {
    let format = q.format.as_deref().map(str::trim).filter(|f| !f.is_empty()).unwrap_or("json");
    if !matches!(format, "json" | "csv") {
        return Err(AppError::from(ValidationError::new(
            "format",
            Rule::OneOf { allowed: &["json", "csv"] },
        ))
        .into());
    }
    let request = StatsRequest {
        by: q.by,
        from: q.from,
        to: q.to,
        country: q.country,
        public: q.public.unwrap_or(false),
        threshold: q.threshold,
    };
    let table = app.crossing_stats(&actor, &request).await?;
    if format == "csv" {
        let mut body = Vec::new();
        table.write_csv(&mut body)?;
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body).into_response());
    }
    Ok(Json(table).into_response())
}
