//! The post dashboard: today's and the last seven days' entries and exits by hour, day and
//! category, the counters' processing times (for supervisors), and the open overstays.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use frontera_app::App;
use frontera_app::dashboard::{Dashboard, Flow, Period, ProcessingTimes};
use frontera_domain::access::{Action, Resource, can};
use serde::Deserialize;

use super::chart::{Series, bars};
use super::i18n::Tr;
use super::session::Viewer;
use super::shell::Choice;
use super::shell::{Bar, date, error_page, page};

/// Entries' colour: the brand's blue (9.6:1 on white).
pub(super) const ENTRY_COLOUR: &str = "#0b4f6c";
/// Exits' colour: a dark orange (4.6:1 on white), apart from the blue in grey print too.
pub(super) const EXIT_COLOUR: &str = "#b35c00";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DashboardQuery {
    port: String,
    country: String,
    /// The form's one choice: `port:ID` or `country:CODE`.
    scope: String,
}

/// A number with thousands separated: `12,345`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A processing time: `42 s`, `3 min 05 s`.
pub fn duration(ms: u32) -> String {
    let s = (ms + 500) / 1000;
    if s < 60 { format!("{s} s") } else { format!("{} min {:02} s", s / 60, s % 60) }
}

/// A figure in a tile.
pub struct Tile {
    label: String,
    value: String,
    id: &'static str,
}

/// A category's row: entries and exits today and over the week.
pub struct CategoryRow {
    name: String,
    figures: [String; 4],
}

/// An overstay's row.
pub struct OverstayRow {
    href: String,
    name: String,
    nationality: String,
    entry: String,
    until: String,
    overdue: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    place: String,
    today: String,
    scopes: Vec<Choice>,
    tiles: Vec<Tile>,
    hours_chart: String,
    days_chart: String,
    categories: Vec<CategoryRow>,
    overstays: String,
    overstayers: Vec<OverstayRow>,
    names_hidden: bool,
}

fn series<'a>(tr: &'a (String, String), flows: &[Flow]) -> [Series<'a>; 2] {
    [
        Series { name: &tr.0, colour: ENTRY_COLOUR, values: flows.iter().map(|f| f.entries).collect() },
        Series { name: &tr.1, colour: EXIT_COLOUR, values: flows.iter().map(|f| f.exits).collect() },
    ]
}

fn processing_tiles(tr: Tr, tiles: &mut Vec<Tile>, times: Option<ProcessingTimes>, week: bool) {
    let (median, p90) = match times {
        Some(t) => (duration(t.median_ms), duration(t.p90_ms)),
        None => ("—".to_string(), "—".to_string()),
    };
    let (m, p, mid, pid) = if week {
        ("dashboard-median-week", "dashboard-p90-week", "median-week", "p90-week")
    } else {
        ("dashboard-median-today", "dashboard-p90-today", "median-today", "p90-today")
    };
    tiles.push(Tile { label: tr.t(m), value: median, id: mid });
    tiles.push(Tile { label: tr.t(p), value: p90, id: pid });
}

fn place(app: &App, tr: Tr, d: &Dashboard) -> String {
    match d.port.as_ref().and_then(|p| app.ports.get(p)) {
        Some(p) => format!("{} ({})", p.name, p.country.name(tr.lang)),
        None => tr.t1("dashboard-all-ports", "country", d.country.name(tr.lang)),
    }
}

fn summary(tr: Tr, period: &Period) -> String {
    tr.t_args(
        "dashboard-chart-summary",
        &[("entries", period.total.entries.into()), ("exits", period.total.exits.into())],
    )
}

/// The dashboard page.
pub async fn show(State(app): State<App>, viewer: Viewer, Query(q): Query<DashboardQuery>) -> Response {
    let tr = viewer.tr;
    let actor = &viewer.actor;
    let mut q = q;
    if let Some((kind, value)) = q.scope.split_once(':') {
        match kind {
            "port" => q.port = value.to_string(),
            "country" => q.country = value.to_string(),
            _ => {}
        }
    }
    // Post staff land on their post; others on their country's ports.
    let port = if q.port.is_empty() && q.country.is_empty() {
        actor.scope.port.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default()
    } else {
        q.port.clone()
    };
    let d = match app.dashboard(actor, Some(&port), Some(&q.country)).await {
        Ok(d) => d,
        Err(e) => return error_page(tr, Bar::of(&viewer), &e),
    };
    // Every port the viewer may choose: their country's (both countries' for the binational group).
    let mut countries = vec![actor.scope.country];
    for p in app.ports.all() {
        if !countries.contains(&p.country)
            && can(actor, Action::ReadTables, Resource::of(p.country)).allowed()
        {
            countries.push(p.country);
        }
    }
    let mut scopes = Vec::new();
    for country in &countries {
        scopes.push(Choice {
            value: format!("country:{country}"),
            label: tr.t1("dashboard-all-ports", "country", country.name(tr.lang)),
            selected: d.port.is_none() && d.country == *country,
        });
        scopes.extend(app.ports.all().filter(|p| p.country == *country).map(|p| Choice {
            value: format!("port:{}", p.id),
            label: format!("{} · {}", p.name, country.name(tr.lang)),
            selected: d.port.as_ref() == Some(&p.id),
        }));
    }
    let names = (tr.t("dashboard-entries"), tr.t("dashboard-exits"));
    let hours: Vec<String> = (0..24).map(|h| format!("{h:02}")).collect();
    let hours_chart = bars(
        "chart-hours",
        &tr.t("dashboard-by-hour"),
        &summary(tr, &d.today),
        &hours,
        &series(&names, &d.today.by_hour),
        3,
    );
    let days: Vec<String> =
        d.week.by_day.iter().map(|(day, _)| format!("{} {}", day.day(), weekday(tr, day))).collect();
    let flows: Vec<Flow> = d.week.by_day.iter().map(|(_, f)| *f).collect();
    let days_chart = bars(
        "chart-days",
        &tr.t("dashboard-by-day"),
        &summary(tr, &d.week),
        &days,
        &series(&names, &flows),
        1,
    );
    let mut tiles = vec![
        Tile {
            label: tr.t("dashboard-entries-today"),
            value: count(d.today.total.entries.into()),
            id: "entries-today",
        },
        Tile {
            label: tr.t("dashboard-exits-today"),
            value: count(d.today.total.exits.into()),
            id: "exits-today",
        },
        Tile {
            label: tr.t("dashboard-crossings-week"),
            value: count(d.week.total.total().into()),
            id: "crossings-week",
        },
        Tile { label: tr.t("dashboard-overstays"), value: count(d.overstays), id: "overstays" },
    ];
    if d.shows_processing {
        processing_tiles(tr, &mut tiles, d.today.processing, false);
        processing_tiles(tr, &mut tiles, d.week.processing, true);
    }
    let categories = d
        .week
        .by_category
        .iter()
        .map(|(c, week)| {
            let today = d.today.by_category.iter().find(|(k, _)| k == c).map(|(_, f)| *f).unwrap_or_default();
            CategoryRow {
                name: tr.t(&format!("category-{}", c.as_str())),
                figures: [today.entries, today.exits, week.entries, week.exits].map(|n| count(n.into())),
            }
        })
        .collect();
    let today_local = app.now().with_timezone(&d.time_zone).date_naive();
    let overstayers = d
        .overstayers
        .iter()
        .map(|c| {
            let entered = app.local_date(&c.port_id, c.occurred_at);
            let until = entered + chrono::Duration::days(i64::from(c.permitted_stay_days.unwrap_or(0)));
            let port = app.ports.get(&c.port_id).map_or_else(|| c.port_id.to_string(), |p| p.name.clone());
            OverstayRow {
                href: format!("/travellers/{}", c.person_id),
                name: super::travellers::full_name(c),
                nationality: c.person.nationality.to_string(),
                entry: format!("{} · {port}", date(tr.lang, entered)),
                until: date(tr.lang, until),
                overdue: (today_local - until).num_days().max(0).to_string(),
            }
        })
        .collect();
    let view = DashboardPage {
        tr,
        bar: Bar::of(&viewer),
        next: "/dashboard".into(),
        place: place(&app, tr, &d),
        today: date(tr.lang, d.today.last),
        scopes,
        tiles,
        hours_chart,
        days_chart,
        categories,
        overstays: tr.t_args("dashboard-overstays-count", &[("count", d.overstays.into())]),
        names_hidden: d.overstays > 0 && d.overstayers.is_empty(),
        overstayers,
    };
    page(StatusCode::OK, &view)
}

fn weekday(tr: Tr, day: &chrono::NaiveDate) -> String {
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const ES: [&str; 7] = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];
    let names = if tr.lang == frontera_domain::Lang::Es { ES } else { EN };
    names[day.weekday().num_days_from_monday() as usize].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!([0, 999, 1_000, 1_234_567].map(count), ["0", "999", "1,000", "1,234,567"]);
        assert_eq!([400, 42_400, 60_000, 185_000].map(duration), ["0 s", "42 s", "1 min 00 s", "3 min 05 s"]);
    }
}
