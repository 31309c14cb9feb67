//! The monthly bulletin as a page, and as the PDF the page links to.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, Months};
use frontera_app::App;
use frontera_app::stats::bulletin::Bulletin;
use frontera_app::transfer::Silent;
use serde::Deserialize;

use super::chart::{Series, bars};
use super::dashboard::{ENTRY_COLOUR, EXIT_COLOUR};
use super::i18n::Tr;
use super::session::Viewer;
use super::shell::{Bar, error_page, page};
use crate::bulletin::{BulletinText, Chart};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct BulletinQuery {
    /// `YYYY-MM` (default: the last whole month).
    month: String,
    /// Another country's bulletin (alpha-3), for the binational group.
    country: String,
}

#[derive(Template)]
#[template(path = "bulletin.html")]
struct BulletinPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    month: String,
    pdf: String,
    b: BulletinText,
    trend_chart: String,
    daily_chart: String,
}

fn svg(id: &str, chart: &Chart, b: &BulletinText, every: usize) -> String {
    let series = [
        Series { name: &b.words.entries, colour: ENTRY_COLOUR, values: chart.entries.clone() },
        Series { name: &b.words.exits, colour: EXIT_COLOUR, values: chart.exits.clone() },
    ];
    bars(id, &chart.title, &chart.summary, &chart.labels, &series, every)
}

/// The month asked, or the last whole one.
fn month_of(app: &App, q: &BulletinQuery) -> String {
    if !q.month.trim().is_empty() {
        return q.month.trim().to_string();
    }
    let today = app.now().date_naive();
    let last = today.with_day(1).and_then(|d| d.checked_sub_months(Months::new(1))).unwrap_or(today);
    last.format("%Y-%m").to_string()
}

/// The bulletin the query asks for, with its month, or the error page.
async fn load(app: &App, viewer: &Viewer, q: &BulletinQuery) -> Result<(String, Bulletin), Response> {
    let month = month_of(app, q);
    let country = Some(q.country.as_str()).filter(|c| !c.trim().is_empty());
    match app.bulletin(&viewer.actor, &month, country, viewer.tr.lang, None, &Silent).await {
        Ok(b) => Ok((month, b)),
        Err(e) => Err(error_page(viewer.tr, Bar::of(viewer), &e)),
    }
}

/// The bulletin page.
pub async fn show(State(app): State<App>, viewer: Viewer, Query(q): Query<BulletinQuery>) -> Response {
    let tr = viewer.tr;
    let (month, bulletin) = match load(&app, &viewer, &q).await {
        Ok(loaded) => loaded,
        Err(page) => return page,
    };
    let country = Some(q.country.as_str()).filter(|c| !c.trim().is_empty());
    let b = crate::bulletin::text(&app, &bulletin);
    let trend_chart = svg("chart-trend", &b.trend, &b, 1);
    let daily_chart = svg("chart-daily", &b.daily, &b, 3);
    let mut pdf = format!("/bulletin.pdf?month={month}");
    if let Some(c) = country {
        pdf.push_str(&format!("&country={}", c.trim()));
    }
    let next = format!("/bulletin?month={month}");
    page(
        StatusCode::OK,
        &BulletinPage { tr, bar: Bar::of(&viewer), next, month, pdf, b, trend_chart, daily_chart },
    )
}

/// The bulletin as a PDF, in the page's language.
pub async fn pdf(State(app): State<App>, viewer: Viewer, Query(q): Query<BulletinQuery>) -> Response {
    let tr = viewer.tr;
    let (month, bulletin) = match load(&app, &viewer, &q).await {
        Ok(loaded) => loaded,
        Err(page) => return page,
    };
    let text = crate::bulletin::text(&app, &bulletin);
    match crate::bulletin::pdf::render(&text) {
        Ok((bytes, _)) => {
            let name = format!("bulletin-{}-{month}-{}.pdf", bulletin.country, tr.lang.code());
            (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_string()),
                    (header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}\"")),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &frontera_app::AppError::Internal(e)),
    }
}
