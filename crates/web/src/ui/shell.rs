//! What every page shares: the menu bar, rendering a page or an error page, dates in the
//! reader's language, the form guard.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use chrono::DateTime;
use frontera_app::{App, AppError};
use frontera_domain::Lang;
use frontera_domain::access::Action;

use super::i18n::Tr;
use super::session::Viewer;

/// One option of a select or radio group.
pub struct Choice {
    /// The value sent.
    pub value: String,
    /// The label shown.
    pub label: String,
    /// Whether it is chosen.
    pub selected: bool,
}

/// The signed-in user's strip in the header.
pub struct Bar {
    /// Their name.
    pub name: String,
    /// The session's CSRF token, for the log-out form.
    pub csrf: String,
    /// Whether the user records crossings (and so sees the counter in the menu).
    pub counter: bool,
    /// Whether the user may search travellers.
    pub travellers: bool,
    /// Whether the user may see a dashboard.
    pub dashboard: bool,
    /// Whether the user administers users and reference data.
    pub admin: bool,
    /// Whether the user reads the audit trail.
    pub audit: bool,
    /// Whether the user decides on screening hits.
    pub hits: bool,
    /// Whether the user screens and reads the alert lists.
    pub alerts: bool,
    /// Whether the user identifies, works or receives protection cases and referrals.
    pub protection: bool,
    /// How many notifications they have not read.
    pub unread: u64,
    /// Whether the user sees the overview of protection work.
    pub overview: bool,
    /// Whether the user keeps the labour registry.
    pub labour: bool,
    /// Whether the user reads the counter's permit checks (a post's supervisor).
    pub checks: bool,
    /// Whether the user declares seasonal labour demand (an employer).
    pub demand: bool,
    /// Whether the user reads or plans the monitoring of informal crossings.
    pub informal: bool,
    /// Whether the user counts at informal crossings (an enumerator).
    pub count: bool,
}

impl Bar {
    pub(crate) fn of(viewer: &Viewer) -> Option<Bar> {
        Some(Bar {
            name: viewer.actor.name.clone(),
            csrf: viewer.session.csrf_token.clone(),
            counter: records_crossings(&viewer.actor),
            travellers: may(&viewer.actor, frontera_domain::Action::ReadPersonalData),
            dashboard: may(&viewer.actor, frontera_domain::Action::ReadTables),
            admin: may(&viewer.actor, frontera_domain::Action::ManageUsers),
            audit: may(&viewer.actor, frontera_domain::Action::ReadAudit),
            hits: may(&viewer.actor, frontera_domain::Action::ResolveHit),
            alerts: may(&viewer.actor, frontera_domain::Action::Screen),
            protection: may(&viewer.actor, Action::OpenCase) || receives_referrals(&viewer.actor),
            unread: viewer.unread,
            overview: may(&viewer.actor, Action::ReadProtectionOverview),
            labour: may(&viewer.actor, Action::ManageLabour),
            // The registry's keepers reach the checks and the demand from the registry's pages.
            checks: may(&viewer.actor, Action::ReadPermitChecks) && !may(&viewer.actor, Action::ManageLabour),
            demand: may(&viewer.actor, Action::DeclareDemand) && !may(&viewer.actor, Action::ManageLabour),
            informal: may(&viewer.actor, Action::ManageMonitoring) || may(&viewer.actor, Action::ReadTables),
            count: frontera_app::informal::works_own_blocks(&viewer.actor),
        })
    }
}

/// Whether the user records crossings: at their own port, or anywhere in their country.
pub(crate) fn records_crossings(actor: &frontera_domain::Actor) -> bool {
    use frontera_domain::access::{Action, Resource, can};
    let here = Resource::at(actor.scope.country, actor.scope.port.as_ref());
    can(actor, Action::RecordCrossing, here).allowed()
}

/// Whether the user may do `action` in their own country.
/// Whether the actor answers referrals for its organisation.
pub(crate) fn receives_referrals(actor: &frontera_domain::Actor) -> bool {
    use frontera_domain::access::{Resource, can};
    let Some(own) = actor.scope.organisation.as_deref() else { return false };
    can(actor, Action::ReceiveReferral, Resource::of(actor.scope.country).held_by(own)).allowed()
}

pub(crate) fn may(actor: &frontera_domain::Actor, action: Action) -> bool {
    use frontera_domain::access::{Resource, can};
    can(actor, action, Resource::of(actor.scope.country)).allowed()
}

/// One field of a posted `multipart/form-data` form: its bytes, and a file's name and type.
pub(crate) struct Part {
    /// The file's name, for a file.
    pub file_name: Option<String>,
    /// The type the browser claims, for a file.
    pub content_type: Option<String>,
    /// The value.
    pub bytes: axum::body::Bytes,
}

impl Part {
    /// The value as text (empty when it is not UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8(self.bytes.to_vec()).unwrap_or_default()
    }
}

/// Every field of a posted `multipart/form-data` form by name; `None` when the form cannot be
/// read whole (too large, cut short).
pub(crate) async fn posted(
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Option<std::collections::HashMap<String, Part>> {
    let mut multipart = multipart.ok()?;
    let mut fields = std::collections::HashMap::new();
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(String::from);
        let content_type = field.content_type().map(String::from);
        let bytes = field.bytes().await.ok()?;
        fields.insert(name, Part { file_name, content_type, bytes });
    }
    Some(fields)
}

/// The answer to a form whose CSRF token is not the session's: nothing was done.
pub(crate) fn form_expired(viewer: &Viewer, next: &str) -> Response {
    tracing::warn!(user = %viewer.actor.name, "a form without this session's CSRF token");
    let message = viewer.tr.t("form-expired");
    page(
        StatusCode::FORBIDDEN,
        &ErrorPage { tr: viewer.tr, bar: Bar::of(viewer), next: next.into(), message },
    )
}

/// A rendered page, or the error page when rendering fails.
pub(crate) fn page(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering a page");
            (StatusCode::INTERNAL_SERVER_ERROR, "rendering failed").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    message: String,
}

/// An error as a page in the viewer's language.
pub(crate) fn error_page(tr: Tr, bar: Option<Bar>, e: &AppError) -> Response {
    let (status, message) = match e {
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, tr.t("error-forbidden")),
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, tr.t("error-not-found")),
        AppError::Refused { .. } => (StatusCode::CONFLICT, e.message(tr.lang)),
        AppError::Invalid(v) => {
            (StatusCode::UNPROCESSABLE_ENTITY, format!("{}: {}", v.field, v.message(tr.lang)))
        }
        AppError::Internal(detail) => {
            tracing::error!(error = %detail, "internal error");
            (StatusCode::INTERNAL_SERVER_ERROR, tr.t("error-internal"))
        }
        other => (StatusCode::BAD_REQUEST, other.message(tr.lang)),
    };
    page(status, &ErrorPage { tr, bar, next: "/".into(), message })
}

/// A month's short name: `Nov` / `nov`.
pub(crate) fn month(lang: Lang, month0: u32) -> &'static str {
    const EN: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const ES: [&str; 12] =
        ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"];
    (if lang == Lang::Es { ES } else { EN }).get(month0 as usize).copied().unwrap_or("")
}

/// A local time in the viewer's language: `28 Nov 2026, 15:04 CST` / `28 nov 2026, 15:04 CST`.
pub fn datetime(lang: Lang, at: DateTime<chrono_tz::Tz>) -> String {
    use chrono::{Datelike, Timelike};
    let m = month(lang, at.month0());
    format!("{} {m} {}, {:02}:{:02} {}", at.day(), at.year(), at.hour(), at.minute(), at.format("%Z"))
}

/// The time zone a user reads instants in: their port's, else their country's first port's,
/// else UTC.
pub fn zone_of(app: &App, actor: &frontera_domain::Actor) -> chrono_tz::Tz {
    let port = actor.scope.port.as_ref().and_then(|p| app.ports.get(p));
    port.or_else(|| app.ports.all().find(|p| p.country == actor.scope.country))
        .map_or(chrono_tz::Tz::UTC, |p| p.time_zone)
}

/// A date in the viewer's language: `12 Aug 1974` / `12 ago 1974`.
pub fn date(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), month(lang, d.month0()), d.year())
}

/// A date that may lack its day or month, in the viewer's language.
pub fn partial_date(lang: Lang, d: &frontera_domain::PartialDate) -> String {
    match (d.month(), d.day()) {
        (Some(m), Some(day)) => {
            chrono::NaiveDate::from_ymd_opt(d.year(), m, day).map_or_else(|| d.to_string(), |f| date(lang, f))
        }
        (Some(m), None) => format!("{} {}", month(lang, m.saturating_sub(1)), d.year()),
        _ => d.year().to_string(),
    }
}

/// A crossing as a row of a table.
pub struct CrossingRow {
    /// When, in the port's (or the given) time zone.
    pub when: String,
    /// The port's name.
    pub port: String,
    /// Entry or exit.
    pub direction: String,
    /// The traveller's category.
    pub category: String,
    /// The permitted stay in days, when granted.
    pub stay: String,
}

impl CrossingRow {
    /// The row of `c`, its time shown in `tz` or else its port's zone.
    pub fn of(app: &App, tr: Tr, c: &frontera_domain::Crossing, tz: Option<chrono_tz::Tz>) -> CrossingRow {
        let port = app.ports.get(&c.port_id);
        let tz = tz.or(port.map(|p| p.time_zone)).unwrap_or(chrono_tz::UTC);
        CrossingRow {
            when: datetime(tr.lang, c.occurred_at.with_timezone(&tz)),
            port: port.map_or_else(|| c.port_id.to_string(), |p| p.name.clone()),
            direction: tr.t(&format!("direction-{}", c.direction.as_str())),
            category: tr.t(&format!("category-{}", c.category.as_str())),
            stay: c.permitted_stay_days.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

/// Whether `next` is a path of this site and nothing else: it begins with one `/` (not `//` or
/// `/\\`, which browsers read as another host) and holds only visible ASCII, so no tab or line
/// break a browser would drop (`/%09/evil.example` is `//evil.example` to it) and nothing a
/// `Location` header cannot carry.
pub(crate) fn same_site_path(next: &str) -> bool {
    let rest = next.strip_prefix('/');
    rest.is_some_and(|r| !r.starts_with(['/', '\\']))
        && next.bytes().all(|b| b.is_ascii_graphic())
        && !next.contains('\\')
}
