//! The notifications page: what happened to the cases and referrals the user works, newest
//! first, each a link to its subject (opening one marks it read).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use frontera_app::notices::Notice;
use frontera_app::{App, AppError};
use serde::Deserialize;

use super::guard::Guarded;
use super::i18n::Tr;
use super::session::Viewer;
use super::shell::{Bar, datetime, error_page, page, zone_of};

/// An organisation as a message names it: the country's protection pool by its country.
pub fn organisation_name(tr: Tr, id: &str) -> String {
    match id.strip_prefix("pool:") {
        Some(country) => tr.t1("organisation-pool", "country", country),
        None => id.to_string(),
    }
}

/// What a notification says, in the viewer's language.
pub fn notice_text(tr: Tr, n: &Notice) -> String {
    let field = |k: &str| n.detail.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let key = format!("notice-{}", n.kind.replace(['.', '_'], "-"));
    let mut args: Vec<(&str, FluentValue<'_>)> = Vec::new();
    match n.kind.as_str() {
        "case.opened" => {
            let profiles = n.detail.get("profiles").and_then(|p| p.as_array()).cloned().unwrap_or_default();
            let names = profiles
                .iter()
                .filter_map(|p| p.as_str())
                .map(|p| tr.t(&format!("profile-{p}")))
                .collect::<Vec<_>>()
                .join(", ");
            args.push(("profiles", names.into()));
            args.push(("risk", tr.t(&format!("risk-{}", field("risk"))).into()));
            let on_hit = n.detail.get("on_hit").and_then(|v| v.as_bool()).unwrap_or(false);
            args.push(("hit", if on_hit { "yes" } else { "no" }.into()));
        }
        "case.task_due" => {
            let task = n.detail.get("task").and_then(|v| v.as_u64()).unwrap_or_default();
            args.push(("task", task.to_string().into()));
            let due = chrono::NaiveDate::parse_from_str(&field("due"), "%Y-%m-%d")
                .map(|d| super::shell::date(tr.lang, d))
                .unwrap_or_else(|_| field("due"));
            args.push(("due", due.into()));
        }
        "case.assigned" => args.push(("by", field("by").into())),
        "case.approval" | "case.approved" => {
            args.push(("step", tr.t(&format!("step-{}", field("step"))).into()));
        }
        _ => {
            args.push(("priority", tr.t(&format!("priority-{}", field("priority"))).into()));
            args.push(("from", organisation_name(tr, &field("from")).into()));
            args.push(("to", organisation_name(tr, &field("to")).into()));
            args.push(("note", field("note").into()));
        }
    }
    tr.t_args(&key, &args)
}

/// A notification's line.
pub(super) struct NoticeLine {
    href: String,
    text: String,
    at: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NoticesPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    csrf: String,
    unread_only: bool,
    unread: u64,
    notices: Vec<NoticeLine>,
}

/// The page's filter.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NoticesQuery {
    /// Only the unread ones (`1`).
    unread: String,
}

/// The user's notifications.
pub async fn inbox(State(app): State<App>, viewer: Viewer, Query(q): Query<NoticesQuery>) -> Response {
    let tr = viewer.tr;
    let unread_only = q.unread == "1";
    let notices = match app.notifications(&viewer.actor, unread_only).await {
        Ok(n) => n,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let zone = zone_of(&app, &viewer.actor);
    let notices = notices
        .iter()
        .map(|n| NoticeLine {
            href: format!("/notifications/{}", n.id),
            text: notice_text(tr, n),
            at: datetime(tr.lang, n.created_at.with_timezone(&zone)),
            unread: n.read_at.is_none(),
        })
        .collect();
    page(
        StatusCode::OK,
        &NoticesPage {
            tr,
            bar: Bar::of(&viewer),
            next: if unread_only { "/notifications?unread=1" } else { "/notifications" }.into(),
            csrf: viewer.session.csrf_token.clone(),
            unread_only,
            unread: viewer.unread,
            notices,
        },
    )
}

/// Opens a notification's subject, marking it read.
pub async fn open(State(app): State<App>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let found = match app.notifications(&viewer.actor, false).await {
        Ok(n) => n.into_iter().find(|n| n.id == id),
        Err(e) => return error_page(viewer.tr, Bar::of(&viewer), &e),
    };
    let Some(notice) = found else {
        return error_page(viewer.tr, Bar::of(&viewer), &AppError::NotFound(format!("notification {id}")));
    };
    if let Err(e) = app.mark_notifications_read(&viewer.actor, &[id]).await {
        return error_page(viewer.tr, Bar::of(&viewer), &e);
    }
    Redirect::to(&notice.link()).into_response()
}

/// Marks every notification of the user read.
pub async fn mark_read(State(app): State<App>, Guarded { viewer, .. }: Guarded<()>) -> Response {
    match app.mark_notifications_read(&viewer.actor, &[]).await {
        Ok(_) => Redirect::to("/notifications").into_response(),
        Err(e) => error_page(viewer.tr, Bar::of(&viewer), &e),
    }
}
