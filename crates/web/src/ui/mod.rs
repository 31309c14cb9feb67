//! The browser interface: server-rendered pages (askama) in English and Spanish (Fluent), every
//! asset served by the node itself.
//!
//! Pages are scoped like the API: each handler acts as the signed-in [`session::Viewer`] through
//! the same `app` use cases, so the access policy and the audit trail are the API's.

mod admin;
mod alerts;
mod bulletin;
pub(crate) mod chart;
mod counter;
pub(crate) mod dashboard;
mod directory;
pub mod i18n;
mod informal;
mod labour;
pub mod notices;
mod protection;
pub mod session;
mod stats;
mod travellers;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::DateTime;
use frontera_app::login::{SESSION_HOURS, random_secret};
use frontera_app::{App, AppError};
use frontera_domain::Lang;
use frontera_domain::access::Action;
use serde::Deserialize;

use i18n::Tr;
use session::{LANG, LOGIN_CSRF, SESSION, UiLang, Viewer, cookie, over_tls, same_secret, set_cookie};

/// The routes of the browser interface.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/lang/{code}", get(switch_lang))
        .route("/counter", get(counter::show).post(counter::submit))
        .route("/counter/permit-decision", axum::routing::post(counter::decide))
        .route("/informal", get(informal::overview))
        .route("/informal/plans/{id}", get(informal::plan))
        .route("/informal/do/{action}", axum::routing::post(informal::act))
        .route("/informal/download/{what}", get(informal::download))
        .route("/informal/count", get(informal::count))
        .route("/informal/count/send", axum::routing::post(informal::send_form))
        .route("/informal/interview/send", axum::routing::post(informal::interview_form))
        .route("/informal/send/{what}", axum::routing::post(informal::send_json))
        .route("/labour", get(labour::registry))
        .route("/labour/do/{action}", axum::routing::post(labour::act))
        .route("/labour/workers/{id}", get(labour::worker))
        .route("/labour/demand", get(labour::demand))
        .route("/labour/checks", get(labour::checks))
        .route("/labour/export/{file}", get(labour::export))
        .route("/labour/figures/{name}", get(labour::figures))
        .route(
            "/labour/import",
            axum::routing::post(labour::import).layer(axum::extract::DefaultBodyLimit::max(32 * 1024 * 1024)),
        )
        .route("/travellers", get(travellers::search))
        .route("/travellers/{person}", get(travellers::history))
        .route("/dashboard", get(dashboard::show))
        .route("/bulletin", get(bulletin::show))
        .route("/bulletin.pdf", get(bulletin::pdf))
        .route("/protection", get(protection::inbox))
        .route("/directory", get(directory::search))
        .route(
            "/directory/load",
            post(directory::load).layer(axum::extract::DefaultBodyLimit::max(16 * 1024 * 1024)),
        )
        .route("/protection/overview", get(protection::overview))
        .route("/protection/cases", post(protection::open))
        .route("/protection/cases/{id}", get(protection::case))
        .route(
            "/protection/cases/{id}/attachments",
            post(protection::upload).layer(axum::extract::DefaultBodyLimit::max(
                frontera_app::attachments::MAX_ATTACHMENT_BYTES + 64 * 1024,
            )),
        )
        .route("/protection/cases/{id}/attachments/{attachment}", get(protection::attachment))
        .route("/protection/cases/{id}/{action}", post(protection::act))
        .route("/protection/referrals/{id}", get(protection::referral))
        .route("/protection/referrals/{id}/step", post(protection::step))
        .route("/notifications", get(notices::inbox))
        .route("/notifications/read", post(notices::mark_read))
        .route("/notifications/{id}", get(notices::open))
        .route("/stats", get(stats::show))
        .route("/stats/export", get(stats::export))
        .route("/admin/users", get(admin::users).post(admin::add_user))
        .route("/admin/users/{name}", get(admin::account).post(admin::change_account))
        .route("/admin/users/{name}/password", post(admin::reset_password))
        .route("/admin/users/{name}/tokens/revoke", post(admin::revoke_tokens))
        .route("/admin/reference", get(admin::reference))
        .route("/hits", get(alerts::pending))
        .route("/hits/{id}", post(alerts::decide))
        .route("/alerts", get(alerts::lists))
        .route("/alerts/lists", post(alerts::save_list))
        .route(
            "/alerts/import",
            post(alerts::import).layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route("/alerts/{list}", get(alerts::list))
        .route("/alerts/{list}/entry", get(alerts::entry).post(alerts::save_entry))
        .route("/alerts/{list}/retire", post(alerts::retire))
        .route("/audit", get(admin::audit))
        .route("/audit/verify", post(admin::verify))
        .route("/static/app.css", get(stylesheet))
        .route("/static/counter.js", get(counter_script))
        .route("/static/count.js", get(count_script))
        .layer(axum::middleware::map_response(secure_headers))
}

/// Headers every page gets: no framing, no sniffing, no inline scripts, nothing cached (pages
/// show personal data).
async fn secure_headers(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    );
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.entry(CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
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
    fn of(viewer: &Viewer) -> Option<Bar> {
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
fn records_crossings(actor: &frontera_domain::Actor) -> bool {
    use frontera_domain::access::{Action, Resource, can};
    let here = Resource::at(actor.scope.country, actor.scope.port.as_ref());
    can(actor, Action::RecordCrossing, here).allowed()
}

/// Whether the user may do `action` in their own country.
/// Whether the actor answers referrals for its organisation.
fn receives_referrals(actor: &frontera_domain::Actor) -> bool {
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
fn form_expired(viewer: &Viewer, next: &str) -> Response {
    tracing::warn!(user = %viewer.actor.name, "a form without this session's CSRF token");
    let message = viewer.tr.t("form-expired");
    page(
        StatusCode::FORBIDDEN,
        &ErrorPage { tr: viewer.tr, bar: Bar::of(viewer), next: next.into(), message },
    )
}

/// A rendered page, or the error page when rendering fails.
fn page(status: StatusCode, template: &impl Template) -> Response {
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
struct ErrorPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    message: String,
}

/// An error as a page in the viewer's language.
fn error_page(tr: Tr, bar: Option<Bar>, e: &AppError) -> Response {
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

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    name: String,
    role: String,
    country: String,
    port: Option<String>,
    organisation: Option<String>,
    session_ends: String,
    session_ends_iso: String,
}

async fn home(State(app): State<App>, viewer: Viewer) -> Response {
    let tr = viewer.tr;
    let a = &viewer.actor;
    let port = a.scope.port.as_ref().and_then(|id| app.ports.get(id));
    let tz = port.map_or(chrono_tz::UTC, |p| p.time_zone);
    let country = a.scope.country.name(tr.lang).to_string();
    let page_data = HomePage {
        tr,
        bar: Bar::of(&viewer),
        next: "/".into(),
        name: a.name.clone(),
        role: tr.t(&format!("role-{}", a.role.as_str())),
        country,
        port: port.map(|p| p.name.clone()),
        organisation: a.scope.organisation.clone(),
        session_ends: datetime(tr.lang, viewer.session.expires_at.with_timezone(&tz)),
        session_ends_iso: viewer.session.expires_at.to_rfc3339(),
    };
    page(StatusCode::OK, &page_data)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    name: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
struct LoginQuery {
    #[serde(default)]
    ended: Option<String>,
    #[serde(default)]
    out: Option<String>,
}

/// The login form, with a fresh double-submit CSRF token.
fn login_page(
    tr: Tr,
    headers: &HeaderMap,
    status: StatusCode,
    name: String,
    error: Option<String>,
    notice: Option<String>,
) -> Response {
    let csrf = random_secret();
    let mut response = page(
        status,
        &LoginPage { tr, bar: None, next: "/login".into(), csrf: csrf.clone(), name, error, notice },
    );
    let (k, v) = set_cookie(LOGIN_CSRF, &csrf, 3600, true, over_tls(headers));
    response.headers_mut().append(k, v);
    response
}

async fn login_form(
    UiLang(tr): UiLang,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
    viewer: Option<Viewer>,
) -> Response {
    if viewer.is_some() {
        return Redirect::to("/").into_response();
    }
    let notice = if q.ended.is_some() {
        Some(tr.t("login-session-ended"))
    } else {
        q.out.is_some().then(|| tr.t("login-logged-out"))
    };
    login_page(tr, &headers, StatusCode::OK, String::new(), None, notice)
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

async fn login(
    State(app): State<App>,
    UiLang(tr): UiLang,
    crate::extract::ClientAddress(address): crate::extract::ClientAddress,
    headers: HeaderMap,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    let expected = cookie(&headers, LOGIN_CSRF).unwrap_or("");
    if expected.is_empty() || !same_secret(expected, &form.csrf) {
        return login_page(tr, &headers, StatusCode::FORBIDDEN, form.name, Some(tr.t("form-expired")), None);
    }
    match app.login_from(&form.name, &form.password, address).await {
        Ok(logged) => {
            let secure = over_tls(&headers);
            let mut response = Redirect::to("/").into_response();
            let h = response.headers_mut();
            let (k, v) = set_cookie(SESSION, logged.secret.expose(), SESSION_HOURS * 3600, true, secure);
            h.append(k, v);
            let (k, v) = set_cookie(LOGIN_CSRF, "", 0, true, secure);
            h.append(k, v);
            response
        }
        Err(AppError::BadCredentials) => login_page(
            tr,
            &headers,
            StatusCode::UNAUTHORIZED,
            form.name,
            Some(tr.t("login-bad-credentials")),
            None,
        ),
        Err(AppError::LockedOut { until }) => {
            let time = until.format("%H:%M:%S").to_string();
            let error = tr.t_args("login-locked", &[("time", time.into())]);
            login_page(tr, &headers, StatusCode::TOO_MANY_REQUESTS, form.name, Some(error), None)
        }
        Err(e) => error_page(tr, None, &e),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    if !viewer.csrf_ok(&form.csrf) {
        return form_expired(&viewer, "/");
    }
    let secret = cookie(&headers, SESSION).unwrap_or("");
    if let Err(e) = app.logout(&viewer.actor, secret).await {
        return error_page(viewer.tr, Bar::of(&viewer), &e);
    }
    let mut response = Redirect::to("/login?out=1").into_response();
    let (k, v) = set_cookie(SESSION, "", 0, true, over_tls(&headers));
    response.headers_mut().append(k, v);
    response
}

#[derive(Deserialize)]
struct LangQuery {
    #[serde(default)]
    next: Option<String>,
}

/// Whether `next` is a path of this site and nothing else: it begins with one `/` (not `//` or
/// `/\\`, which browsers read as another host) and holds only visible ASCII, so no tab or line
/// break a browser would drop (`/%09/evil.example` is `//evil.example` to it) and nothing a
/// `Location` header cannot carry.
fn same_site_path(next: &str) -> bool {
    let rest = next.strip_prefix('/');
    rest.is_some_and(|r| !r.starts_with(['/', '\\']))
        && next.bytes().all(|b| b.is_ascii_graphic())
        && !next.contains('\\')
}

/// Remember a language and go back where the user was (only to a path of this site).
async fn switch_lang(Path(code): Path<String>, headers: HeaderMap, Query(q): Query<LangQuery>) -> Response {
    let next = q.next.filter(|n| same_site_path(n)).unwrap_or_else(|| "/".into());
    let Some(lang) = Lang::from_code(&code) else {
        return Redirect::to(&next).into_response();
    };
    let mut response = Redirect::to(&next).into_response();
    // A year; readable by scripts is harmless for a language, but nothing needs it.
    let (k, v) = set_cookie(LANG, lang.code(), 365 * 24 * 3600, true, over_tls(&headers));
    response.headers_mut().append(k, v);
    response
}

/// A file of `static/`, compiled in, cached by browsers for an hour.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
    ];
    (headers, body).into_response()
}

async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", include_str!("../../static/app.css"))
}

async fn count_script() -> Response {
    asset("text/javascript; charset=utf-8", include_str!("../../static/count.js"))
}

async fn counter_script() -> Response {
    asset("text/javascript; charset=utf-8", include_str!("../../static/counter.js"))
}

/// WCAG 2.x AA contrast of the stylesheet and the charts: every rule that sets both a text colour
/// and a background, and the text colours that sit on the page's backgrounds, reach 4.5:1; chart
/// bars reach 3:1 on white (non-text contrast).
#[cfg(test)]
mod contrast {
    use std::collections::BTreeMap;

    const CSS: &str = include_str!("../../static/app.css");

    fn rgb(hex: &str) -> [f64; 3] {
        let hex = hex.trim().trim_start_matches('#');
        let hex = if hex.len() == 3 { hex.chars().flat_map(|c| [c, c]).collect() } else { hex.to_string() };
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap();
        [channel(0), channel(2), channel(4)].map(|c| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        })
    }

    /// The WCAG contrast ratio of two colours.
    fn ratio(a: &str, b: &str) -> f64 {
        let lum = |c: [f64; 3]| 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        let (x, y) = (lum(rgb(a)), lum(rgb(b)));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    fn variables() -> BTreeMap<String, String> {
        let root = CSS.split(":root {").nth(1).unwrap().split('}').next().unwrap();
        root.split(';')
            .filter_map(|d| d.trim().strip_prefix("--")?.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect()
    }

    fn resolve(value: &str, vars: &BTreeMap<String, String>) -> Option<String> {
        let value = value.trim();
        match value.strip_prefix("var(--").and_then(|v| v.strip_suffix(')')) {
            Some(name) => vars.get(name).cloned(),
            None => value.starts_with('#').then(|| value.to_string()),
        }
    }

    #[test]
    fn the_formula_matches_known_ratios() {
        assert!((ratio("#000000", "#ffffff") - 21.0).abs() < 0.01);
        assert!((ratio("#777777", "#ffffff") - 4.48).abs() < 0.01);
    }

    #[test]
    fn every_colour_pair_passes_wcag_aa() {
        let vars = variables();
        let mut failures = Vec::new();
        let mut checked = 0;
        // Rules that set both: `selector { … color: X; … background: Y; … }` (not the print sheet).
        let screen = CSS.split("@media print").next().unwrap();
        for block in screen.split('}') {
            let Some((selector, body)) = block.split_once('{') else { continue };
            let get = |prop: &str| {
                body.split(';').find_map(|d| {
                    let (k, v) = d.split_once(':')?;
                    (k.trim() == prop).then(|| resolve(v, &vars)).flatten()
                })
            };
            if let (Some(fg), Some(bg)) =
                (get("color"), get("background").or_else(|| get("background-color")))
            {
                checked += 1;
                if ratio(&fg, &bg) < 4.5 {
                    failures.push(format!("{}: {fg} on {bg} = {:.2}", selector.trim(), ratio(&fg, &bg)));
                }
            }
        }
        // Text colours on the page's backgrounds.
        for fg in ["ink", "muted", "accent", "error", "brand"] {
            for bg in ["paper", "wash"] {
                checked += 1;
                let (f, b) = (&vars[fg], &vars[bg]);
                if ratio(f, b) < 4.5 {
                    failures.push(format!("--{fg} on --{bg} = {:.2}", ratio(f, b)));
                }
            }
        }
        // Chart bars (non-text, 3:1) and chart text (4.5:1) on white.
        for (what, colour, min) in [
            ("entries", super::dashboard::ENTRY_COLOUR, 3.0),
            ("exits", super::dashboard::EXIT_COLOUR, 3.0),
            ("chart text", "#4a5360", 4.5),
        ] {
            checked += 1;
            if ratio(colour, "#ffffff") < min {
                failures.push(format!("{what}: {colour} = {:.2}", ratio(colour, "#ffffff")));
            }
        }
        assert!(checked >= 15, "only {checked} pairs found: has the stylesheet changed shape?");
        assert!(failures.is_empty(), "below WCAG AA: {failures:?}");
    }
}
