//! The service directory, HSDS-style: services with their organisation and locations nested,
//! in pages as HSDS's API serves them; and loading HSDS JSON.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use frontera_app::directory::{ServiceQuery, read_hsds, write_hsds};
use frontera_app::{App, AppError};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

use crate::errors::{ApiError, ErrorBody};
use crate::extract::{Caller, ValidQuery};

/// A search of the directory; every criterion given must hold.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServicesQuery {
    /// A kind of service, a taxonomy code (`shelter`, `legal_aid`, `child_protection`, …).
    pub kind: Option<String>,
    /// A city or region, without accents or case.
    pub place: Option<String>,
    /// A language the service is offered in (ISO 639).
    pub language: Option<String>,
    /// The age of the person to serve.
    pub age: Option<u8>,
    /// Only services in this country (alpha-3).
    pub country: Option<String>,
    /// The page, from 1.
    pub page: Option<u32>,
    /// Services per page, 1–200 (default 50).
    pub per_page: Option<u32>,
}

/// Services matching the query, HSDS 3.0 style: a page `{total_items, total_pages,
/// page_number, size, first_page, last_page, empty, contents}` whose `contents` are services
/// with `organization` and `service_at_locations[].location` nested.
#[utoipa::path(get, path = "/api/v1/directory/services", tag = "directory", security(("bearer" = [])),
    params(ServicesQuery),
    responses((status = 200, description = "A page of services, as HSDS 3.0 API pages are (`total_items`, `page_number`, `contents`: services in HSDS 3.0 JSON)", body = Object), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn services(
    State(app): State<App>,
    Caller(_actor): Caller,
    ValidQuery(q): ValidQuery<ServicesQuery>,
) -> Result<Json<Value>, ApiError> {
    let size = q.per_page.unwrap_or(50);
    if !(1..=200).contains(&size) {
        return Err(AppError::from(frontera_domain::ValidationError::new(
            "per_page",
            frontera_domain::Rule::OutOfRange { min: 1, max: 200 },
        ))
        .into());
    }
    let page = q.page.unwrap_or(1).max(1);
    let query =
        ServiceQuery { kind: q.kind, place: q.place, language: q.language, age: q.age, country: q.country };
    let found = app.search_services(&query).await?;
    let total = found.len() as u32;
    let pages = total.div_ceil(size).max(1);
    let from = ((page - 1) * size) as usize;
    let contents: Vec<_> = found.into_iter().skip(from).take(size as usize).collect();
    Ok(Json(json!({
        "total_items": total, "total_pages": pages, "page_number": page, "size": size,
        "first_page": page == 1, "last_page": page >= pages, "empty": contents.is_empty(),
        "contents": write_hsds(&contents),
    })))
}

/// One service, HSDS 3.0 style.
#[utoipa::path(get, path = "/api/v1/directory/services/{id}", tag = "directory", security(("bearer" = [])),
    params(("id" = String, Path, description = "The service's id")),
    responses((status = 200, description = "The service, in HSDS 3.0 JSON", body = Object), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn service(
    State(app): State<App>,
    Caller(_actor): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let found = app.search_services(&ServiceQuery::default()).await?;
    match found.into_iter().find(|s| s.service.id == id) {
        Some(s) => Ok(Json(write_hsds(&[s]).get(0).cloned().unwrap_or(Value::Null)).into_response()),
        None => Err(AppError::NotFound(format!("service {id}")).into()),
    }
}

/// Load services with their organisations and locations from HSDS 3.0 JSON (an array of
/// services, or a page of an HSDS API): all or nothing; a fault is named by its path
/// (`[2].service_at_locations[0].location.addresses[0].city`). Protection officers and
/// administrators, for their country's organisations. Answers what changed.
#[utoipa::path(post, path = "/api/v1/directory", tag = "directory", security(("bearer" = [])),
    request_body(content = String, content_type = "application/json"),
    responses((status = 200, description = "What changed", body = DirectoryChangesBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn load(State(app): State<App>, Caller(actor): Caller, body: Bytes) -> Result<Response, ApiError> {
    let text = String::from_utf8_lossy(&body);
    let part = read_hsds(&text, actor.scope.country).map_err(AppError::from)?;
    let changes = app.save_directory(&actor, &part, "api").await?;
    let body =
        DirectoryChangesBody { added: changes.added, updated: changes.updated, unchanged: changes.unchanged };
    Ok(Json(body).into_response())
}

/// What loading part of the directory changed.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DirectoryChangesBody {
    /// Records new to the directory.
    pub added: u64,
    /// Records that replaced a different one.
    pub updated: u64,
    /// Records the directory held already, the same.
    pub unchanged: u64,
}
