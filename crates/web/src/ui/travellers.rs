//! Traveller history: find a traveller by name (without accents or case), document number or
//! birth date, then read their entries and exits on this side, the days they spent, and what is
//! left of their permitted stay.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use frontera_app::travellers::{SEARCH_LIMIT, TravellerFilter};
use frontera_app::{App, AppError};
use frontera_domain::stay::Timeline;
use frontera_domain::{Crossing, PersonId};

use super::i18n::Tr;
use super::session::Viewer;
use super::shell::{Bar, CrossingRow, date, error_page, page, partial_date};

/// A traveller in a list of search results.
pub struct Found {
    href: String,
    name: String,
    birth: String,
    nationality: String,
    document: String,
    last: CrossingRow,
}

/// `SURNAMES, Given names`, as registers list people.
pub(super) fn full_name(c: &Crossing) -> String {
    let n = &c.person.name;
    if n.given_names.is_empty() { n.surnames() } else { format!("{}, {}", n.surnames(), n.given_names) }
}

fn document(tr: Tr, c: &Crossing) -> String {
    let d = &c.document;
    format!("{} {} ({})", tr.t(&format!("document-{}", d.kind.as_str())), d.number, d.issuing_state)
}

#[derive(Template)]
#[template(path = "travellers.html")]
struct SearchPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    name: String,
    document_number: String,
    birth_date: String,
    error: Option<(String, String)>,
    results: Option<Vec<Found>>,
    capped: bool,
}

/// The search form, and its results when a search was sent.
pub async fn search(
    State(app): State<App>,
    viewer: Viewer,
    Query(filter): Query<TravellerFilter>,
) -> Response {
    let tr = viewer.tr;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut view = SearchPage {
        tr,
        bar: Bar::of(&viewer),
        next: String::from("/travellers"),
        name: text(&filter.name),
        document_number: text(&filter.document_number),
        birth_date: text(&filter.birth_date),
        error: None,
        results: None,
        capped: false,
    };
    let mut status = StatusCode::OK;
    if !filter.is_empty() {
        match app.search_travellers(&viewer.actor, &filter).await {
            Ok(found) => {
                view.capped = found.len() as u32 >= SEARCH_LIMIT;
                view.results = Some(
                    found
                        .iter()
                        .map(|c| Found {
                            href: format!("/travellers/{}", c.person_id),
                            name: full_name(c),
                            birth: c.person.birth_date.map(|b| partial_date(tr.lang, &b)).unwrap_or_default(),
                            nationality: c.person.nationality.to_string(),
                            document: document(tr, c),
                            last: CrossingRow::of(&app, tr, c, None),
                        })
                        .collect(),
                );
            }
            Err(AppError::Invalid(e)) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                let label = tr.t(&format!("travellers-{}", e.field));
                view.error = Some((e.field.clone(), format!("{label}: {}", e.message(tr.lang))));
            }
            Err(e) => return error_page(tr, Bar::of(&viewer), &e),
        }
    } else if let Err(e) = app.may_search_travellers(&viewer.actor) {
        return error_page(tr, Bar::of(&viewer), &e);
    }
    page(status, &view)
}

/// A stay as a row.
pub struct StayRow {
    entry: String,
    exit: String,
    days: String,
}

#[derive(Template)]
#[template(path = "traveller.html")]
struct HistoryPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    name: String,
    facts: Vec<(String, String)>,
    status: String,
    status_class: &'static str,
    days_spent: String,
    stays: Vec<StayRow>,
    crossings: Vec<CrossingRow>,
}

/// One traveller's history.
pub async fn history(State(app): State<App>, viewer: Viewer, Path(person): Path<String>) -> Response {
    let tr = viewer.tr;
    let Ok(person) = uuid::Uuid::parse_str(&person).map(PersonId) else {
        return error_page(tr, Bar::of(&viewer), &AppError::NotFound(format!("person {person}")));
    };
    let history = match app.traveller_history(&viewer.actor, person).await {
        Ok(h) => h,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    let Some(latest) = history.crossings.last() else {
        return error_page(tr, Bar::of(&viewer), &AppError::NotFound(format!("person {person}")));
    };
    let timeline = Timeline::of(&history.crossings, history.today, |c| history.local_date(&app, c));
    let p = &latest.person;
    let mut facts = vec![
        (tr.t("field-sex"), tr.t(&format!("sex-{}", p.sex.code()))),
        (tr.t("field-birth_date"), p.birth_date.map(|b| partial_date(tr.lang, &b)).unwrap_or_default()),
        (tr.t("field-nationality"), format!("{} ({})", p.nationality.name(tr.lang), p.nationality)),
        (tr.t("counter-document"), document(tr, latest)),
    ];
    if let Some(expiry) = latest.document.expiry_date {
        facts.push((tr.t("field-expiry_date"), date(tr.lang, expiry)));
    }
    let (status, status_class) = match (timeline.inside, timeline.permitted) {
        (true, Some(stay)) if stay.remaining_days >= 0 => (
            tr.t_args(
                "traveller-stay-left",
                &[("date", date(tr.lang, stay.until).into()), ("days", stay.remaining_days.into())],
            ),
            "notice",
        ),
        (true, Some(stay)) => (
            tr.t_args(
                "traveller-overstayed",
                &[("date", date(tr.lang, stay.until).into()), ("days", (-stay.remaining_days).into())],
            ),
            "error",
        ),
        (true, None) => (tr.t("traveller-inside"), "notice"),
        (false, _) => (tr.t("traveller-outside"), "plain"),
    };
    let day = |c: &Crossing| {
        let port = app.ports.get(&c.port_id).map_or_else(|| c.port_id.to_string(), |p| p.name.clone());
        format!("{} · {port}", date(tr.lang, history.local_date(&app, c)))
    };
    let unknown = tr.t("traveller-not-recorded");
    let stays = timeline
        .stays
        .iter()
        .rev()
        .map(|s| StayRow {
            entry: s.entry.map_or_else(|| unknown.clone(), day),
            exit: s.exit.map_or_else(|| tr.t("traveller-still-in"), day),
            days: s.days.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
        })
        .collect();
    let view = HistoryPage {
        tr,
        bar: Bar::of(&viewer),
        next: format!("/travellers/{person}"),
        name: full_name(latest),
        facts,
        status,
        status_class,
        days_spent: tr.t_args("traveller-days-spent", &[("days", timeline.days_spent.into())]),
        stays,
        crossings: history.crossings.iter().rev().map(|c| CrossingRow::of(&app, tr, c, None)).collect(),
    };
    page(StatusCode::OK, &view)
}
