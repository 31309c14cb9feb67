//! The analyst's screen: any standard table (crossings, stays, overstays, migrants, border
//! workers' commuting and circularity) by any
//! dimensions, as a chart and a table, and each download format.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use frontera_app::stats::stays::{Study, StudyRequest};
use frontera_app::stats::{CrossingStats, StatsRequest, TableFormat};
use frontera_app::transfer::Silent;
use frontera_app::{App, AppError};
use frontera_stats::View;

use super::chart::{Series, bars};
use super::dashboard::{ENTRY_COLOUR, EXIT_COLOUR, count};
use super::i18n::Tr;
use super::session::Viewer;
use super::shell::{Bar, error_page, page};

/// The most rows a page shows; the downloads hold them all.
const SHOWN_ROWS: usize = 500;
/// The most groups a chart draws.
const CHART_GROUPS: usize = 48;

/// What the form asks, as typed.
#[derive(Debug, Default, Clone)]
struct Form {
    table: String,
    by: Vec<String>,
    from: String,
    to: String,
    as_of: String,
    country: String,
    public: bool,
}

impl Form {
    fn parse(query: Option<&str>) -> Form {
        let mut f = Form::default();
        for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let v = v.trim().to_string();
            match k.as_ref() {
                "table" => f.table = v,
                "by" if !v.is_empty() => f.by.push(v),
                "from" => f.from = v,
                "to" => f.to = v,
                "as_of" => f.as_of = v,
                "country" => f.country = v,
                "public" => f.public = v == "on" || v == "true",
                _ => {}
            }
        }
        f
    }

    fn study(&self) -> Option<Study> {
        match self.table.as_str() {
            "stays" => Some(Study::Stays),
            "overstays" => Some(Study::Overstays),
            "migrants" => Some(Study::Migrants),
            "commuting" => Some(Study::Commuting),
            "circularity" => Some(Study::Circularity),
            _ => None,
        }
    }

    /// The query string that asks for the same table (and `format`).
    fn query(&self, format: Option<&str>) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("table", if self.table.is_empty() { "crossings" } else { &self.table });
        for b in &self.by {
            q.append_pair("by", b);
        }
        for (k, v) in
            [("from", &self.from), ("to", &self.to), ("as_of", &self.as_of), ("country", &self.country)]
        {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        if self.public {
            q.append_pair("public", "on");
        }
        if let Some(f) = format {
            q.append_pair("format", f);
        }
        q.finish()
    }
}

/// A table drawn for the page.
enum Drawn {
    Crossings(frontera_app::stats::CrossingTable),
    Study(frontera_app::stats::stays::StudyTable),
}

impl Drawn {
    fn stats(&self) -> &CrossingStats {
        match self {
            Drawn::Crossings(t) => &t.table,
            Drawn::Study(t) => &t.table,
        }
    }

    fn render(&self, format: TableFormat, lang: frontera_domain::Lang) -> Result<Vec<u8>, AppError> {
        match self {
            Drawn::Crossings(t) => t.render(format, lang),
            Drawn::Study(t) => t.render(format, lang),
        }
    }
}

async fn draw(app: &App, viewer: &Viewer, form: &Form) -> Result<Drawn, AppError> {
    let opt = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
    let by = Some(form.by.join(","));
    Ok(match form.study() {
        None => {
            let request = StatsRequest {
                by,
                from: opt(&form.from),
                to: opt(&form.to),
                country: opt(&form.country),
                public: form.public,
                threshold: None,
            };
            Drawn::Crossings(app.crossing_stats(&viewer.actor, &request).await?)
        }
        Some(study) => {
            let request = StudyRequest {
                by,
                from: opt(&form.from),
                to: opt(&form.to),
                as_of: opt(&form.as_of),
                country: opt(&form.country),
                public: form.public,
                lang: Some(viewer.tr.lang.code().to_string()),
                ..StudyRequest::default()
            };
            Drawn::Study(app.study(&viewer.actor, study, &request, &Silent).await?)
        }
    })
}

/// A choice of the form.
struct Check {
    value: &'static str,
    label: String,
    checked: bool,
}

/// A download link.
struct Download {
    href: String,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    tr: Tr,
    bar: Option<Bar>,
    next: String,
    tables: Vec<Check>,
    dimensions: Vec<Check>,
    form_from: String,
    form_to: String,
    form_as_of: String,
    form_public: bool,
    error: Option<(String, String)>,
    result: Option<Shown>,
}

/// The table as the page shows it.
struct Shown {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    more: usize,
    chart: String,
    downloads: Vec<Download>,
    notes: Vec<String>,
    total: String,
}

/// A dimension's column heading, in the page's language.
fn heading(tr: Tr, name: &str) -> String {
    frontera_stats::export::describe(name, tr.lang).0.to_string()
}

fn shown(tr: Tr, drawn: &Drawn, form: &Form) -> Shown {
    let view = drawn.stats().view();
    let dims = view.dimensions();
    let lines = view.lines();
    let mut columns: Vec<String> = dims.iter().map(|d| heading(tr, d)).collect();
    columns.push(heading(tr, "count"));
    let rows: Vec<Vec<String>> = lines
        .iter()
        .take(SHOWN_ROWS)
        .map(|l| {
            let mut row = l.key.to_vec();
            row.push(l.count.map_or_else(|| tr.t("bulletin-withheld"), count));
            row
        })
        .collect();
    use frontera_stats::disclosure::TOTAL;
    // A protected table carries its totals: the heading and the bars are those totals as
    // protection left them, never sums of the cells shown (the total less the shown parts
    // would be the withheld ones). A table as counted has no totals and nothing withheld.
    let protected = lines.iter().any(|l| l.key.iter().any(|v| v == TOTAL));
    let total: Option<u64> = if protected {
        lines.iter().find(|l| !l.key.is_empty() && l.key.iter().all(|v| v == TOTAL)).and_then(|l| l.count)
    } else {
        Some(lines.iter().filter_map(|l| l.count).sum())
    };
    let total_text = total.map_or_else(|| tr.t("bulletin-withheld"), count);
    // The chart: the first dimension's values, entries and exits apart when direction is asked.
    let direction = dims.iter().position(|d| *d == "direction");
    let first = dims.iter().position(|d| *d != "direction");
    let mut labels: Vec<String> = Vec::new();
    let mut values: Vec<[u32; 2]> = Vec::new();
    for l in &lines {
        // From a protected table, each bar is its margin: the first dimension's value (and the
        // direction's, when split), every other dimension a total.
        let bar = |i: usize, v: &String| {
            if Some(i) == first || (Some(i) == direction) { v != TOTAL } else { v == TOTAL }
        };
        let wanted = if protected {
            l.key.iter().enumerate().all(|(i, v)| bar(i, v))
        } else {
            !l.key.iter().any(|v| v == TOTAL)
        };
        if !wanted {
            continue;
        }
        let label = first.map_or_else(|| tr.t("bulletin-total"), |i| l.key[i].clone());
        let at = match labels.iter().position(|x| *x == label) {
            Some(at) => at,
            None if labels.len() < CHART_GROUPS => {
                labels.push(label);
                values.push([0, 0]);
                labels.len() - 1
            }
            None => continue,
        };
        let slot = usize::from(direction.is_some_and(|d| l.key[d] == "exit"));
        values[at][slot] =
            values[at][slot].saturating_add(u32::try_from(l.count.unwrap_or(0)).unwrap_or(u32::MAX));
    }
    let (entries, exits) = (tr.t("bulletin-entries"), tr.t("bulletin-exits"));
    let all = heading(tr, "count");
    let series: Vec<Series<'_>> = if direction.is_some() {
        vec![
            Series { name: &entries, colour: ENTRY_COLOUR, values: values.iter().map(|v| v[0]).collect() },
            Series { name: &exits, colour: EXIT_COLOUR, values: values.iter().map(|v| v[1]).collect() },
        ]
    } else {
        vec![Series { name: &all, colour: ENTRY_COLOUR, values: values.iter().map(|v| v[0]).collect() }]
    };
    let title = columns.first().cloned().unwrap_or_default();
    let summary = tr.t1("stats-chart-summary", "total", &total_text);
    let chart = bars("chart-stats", &title, &summary, &labels, &series, labels.len().div_ceil(16).max(1));
    let mut formats: Vec<&'static str> = vec!["csv", "hxl", "xlsx", "json"];
    if matches!(drawn, Drawn::Crossings(_))
        && dims.iter().any(|d| matches!(*d, "day" | "week" | "month" | "quarter" | "year"))
    {
        formats.insert(1, "sdmx-csv");
    }
    let downloads = formats
        .into_iter()
        .map(|f| Download { href: format!("/stats/export?{}", form.query(Some(f))), label: f })
        .collect();
    let mut notes = Vec::new();
    if let View::Protected(t) = view {
        notes.push(tr.t1("bulletin-disclosure", "threshold", &t.threshold.to_string()));
    }
    if let Drawn::Study(s) = drawn {
        notes.extend(s.definitions.iter().map(|d| format!("{}: {}", d.name, d.text)));
    }
    Shown {
        more: lines.len().saturating_sub(SHOWN_ROWS),
        columns,
        rows,
        chart,
        downloads,
        notes,
        total: total_text,
    }
}

fn choices(form: &Form, tr: Tr) -> (Vec<Check>, Vec<Check>) {
    let table = if form.table.is_empty() { "crossings" } else { form.table.as_str() };
    let tables = ["crossings", "stays", "overstays", "migrants", "commuting", "circularity"]
        .into_iter()
        .map(|t| Check { value: t, label: tr.t(&format!("stats-table-{t}")), checked: t == table })
        .collect();
    let dimensions = frontera_stats::Dimension::NAMES
        .iter()
        .map(|d| Check { value: d, label: heading(tr, d), checked: form.by.iter().any(|b| b == d) })
        .collect();
    (tables, dimensions)
}

/// The analyst's screen.
pub async fn show(State(app): State<App>, viewer: Viewer, RawQuery(query): RawQuery) -> Response {
    let tr = viewer.tr;
    if !super::shell::may(&viewer.actor, frontera_domain::Action::ReadTables) {
        let denied = AppError::Forbidden("the statistics are outside your role".into());
        return error_page(tr, Bar::of(&viewer), &denied);
    }
    let form = Form::parse(query.as_deref());
    let (tables, dimensions) = choices(&form, tr);
    let mut error = None;
    let mut result = None;
    if !form.table.is_empty() {
        match draw(&app, &viewer, &form).await {
            Ok(drawn) => result = Some(shown(tr, &drawn, &form)),
            Err(AppError::Invalid(v)) => {
                error = Some((v.field.clone(), format!("{}: {}", v.field, v.message(tr.lang))))
            }
            Err(e) => return error_page(tr, Bar::of(&viewer), &e),
        }
    }
    let next = format!("/stats?{}", form.query(None));
    page(
        StatusCode::OK,
        &StatsPage {
            tr,
            bar: Bar::of(&viewer),
            next,
            tables,
            dimensions,
            form_from: form.from.clone(),
            form_to: form.to.clone(),
            form_as_of: form.as_of.clone(),
            form_public: form.public,
            error,
            result,
        },
    )
}

/// A table as a file.
pub async fn export(State(app): State<App>, viewer: Viewer, RawQuery(query): RawQuery) -> Response {
    let tr = viewer.tr;
    let form = Form::parse(query.as_deref());
    let format_text = form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.into_owned());
    let rendered = async {
        let format = TableFormat::parse(format_text.as_deref(), TableFormat::Csv)?;
        let drawn = draw(&app, &viewer, &form).await?;
        Ok::<_, AppError>((format, drawn.render(format, tr.lang)?))
    }
    .await;
    match rendered {
        Ok((format, body)) => {
            let name = if form.table.is_empty() { "crossings" } else { form.table.as_str() };
            let disposition = format!("attachment; filename=\"{name}.{}\"", format.extension());
            (
                [
                    (header::CONTENT_TYPE, format.content_type().to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                body,
            )
                .into_response()
        }
        Err(e) => error_page(tr, Bar::of(&viewer), &e),
    }
}
