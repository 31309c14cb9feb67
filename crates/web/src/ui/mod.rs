//! The browser interface: server-rendered pages (askama) in English and Spanish (Fluent), every
//! asset served by the node itself.
//!
//! Pages are scoped like the API: each handler acts as the signed-in [`session::Viewer`] through
//! the same `app` use cases, so the access policy and the audit trail are the API's.

mod admin;
mod alerts;
mod bulletin;
pub(crate) mod chart;
mod count;
mod counter;
pub(crate) mod dashboard;
mod directory;
mod guard;
mod home;
pub mod i18n;
mod informal;
mod labour;
pub mod notices;
mod protection;
pub mod session;
pub(crate) mod shell;
mod stats;
mod travellers;

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::response::Response;
use axum::routing::{get, post};
use frontera_app::App;
use home::{count_script, counter_script, home, login, login_form, logout, stylesheet, switch_lang};

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
        .route("/informal/count", get(count::count))
        .route("/informal/count/send", axum::routing::post(count::send_form))
        .route("/informal/interview/send", axum::routing::post(count::interview_form))
        .route("/informal/send/{what}", axum::routing::post(count::send_json))
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
