//! The monthly bulletin laid out for readers: the same words, figures, charts and tables as a
//! page of the interface and as a PDF ([`pdf`]).

pub mod pdf;

use chrono::Datelike;
use frontera_app::App;
use frontera_app::stats::bulletin::{Bulletin, Figure, Headline, Point};
use frontera_domain::{AgeGroup, Category, CountryCode, Lang, PortId};
use frontera_stats::{Cell, ProtectedTable};

use crate::ui::dashboard::count;
use crate::ui::i18n::Tr;

/// A headline figure, in words.
pub struct Tile {
    /// What it counts.
    pub label: String,
    /// This month's value.
    pub value: String,
    /// The change on the previous month.
    pub previous: String,
    /// The change on the same month last year.
    pub last_year: String,
    /// Whether it may still change.
    pub provisional: bool,
}

/// A chart's series, for the page's SVG and the PDF's drawing alike.
pub struct Chart {
    /// Its title.
    pub title: String,
    /// What it shows, in a sentence.
    pub summary: String,
    /// One label per group of bars.
    pub labels: Vec<String>,
    /// Entries per group.
    pub entries: Vec<u32>,
    /// Exits per group.
    pub exits: Vec<u32>,
}

/// A two-way table in words: a row per value of its first dimension, a column per value of
/// its second, totals last.
pub struct TableText {
    /// Its title.
    pub title: String,
    /// The column headings (the first over the row labels).
    pub columns: Vec<String>,
    /// The rows: label, then one value per column.
    pub rows: Vec<Vec<String>>,
}

/// The bulletin in one language.
pub struct BulletinText {
    /// The language.
    pub lang: Lang,
    /// `Monthly migration bulletin`.
    pub title: String,
    /// The country and month.
    pub heading: String,
    /// What it covers and when it was drawn up.
    pub subtitle: String,
    /// The headline figures.
    pub tiles: Vec<Tile>,
    /// The last 13 months.
    pub trend: Chart,
    /// Each day of the month.
    pub daily: Chart,
    /// The standard tables.
    pub tables: Vec<TableText>,
    /// The disclosure control applied.
    pub disclosure: String,
    /// Term and definition.
    pub definitions: Vec<(String, String)>,
    /// Notes on what the records lack.
    pub quality: Vec<String>,
    /// The words a reader needs around them.
    pub words: Words,
}

/// Headings and labels.
pub struct Words {
    /// `Headline figures`.
    pub headlines: String,
    /// `Definitions`.
    pub definitions: String,
    /// `Data quality`.
    pub quality: String,
    /// `provisional`.
    pub provisional: String,
    /// `Entries`.
    pub entries: String,
    /// `Exits`.
    pub exits: String,
}

fn figure(tr: Tr, f: Figure) -> String {
    match f {
        Figure::Count(n) => count(n),
        Figure::Rate(r) => format!("{:.1} %", r * 100.0),
        Figure::Withheld => tr.t("bulletin-withheld"),
        Figure::None => "—".into(),
    }
}

fn change(tr: Tr, now: Figure, then: Figure, key: &str) -> String {
    let text = match (now, then) {
        (Figure::Count(a), Figure::Count(b)) if b > 0 => {
            let pct = (a as f64 / b as f64 - 1.0) * 100.0;
            format!("{}{:.1} %", if pct >= 0.0 { "+" } else { "−" }, pct.abs())
        }
        (Figure::Rate(a), Figure::Rate(b)) => {
            let points = (a - b) * 100.0;
            format!("{}{:.1} pp", if points >= 0.0 { "+" } else { "−" }, points.abs())
        }
        _ => return tr.t("bulletin-no-comparison"),
    };
    tr.t1(key, "change", &text)
}

fn month_name(lang: Lang, month0: u32) -> &'static str {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const ES: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    (if lang == Lang::Es { ES } else { EN }).get(month0 as usize).copied().unwrap_or("")
}

fn bars(f: Figure) -> u32 {
    match f {
        Figure::Count(n) => u32::try_from(n).unwrap_or(u32::MAX),
        _ => 0,
    }
}

fn chart(tr: Tr, title: String, points: &[Point], label: impl Fn(&Point) -> String) -> Chart {
    let entries: Vec<u32> = points.iter().map(|p| bars(p.entries)).collect();
    let exits: Vec<u32> = points.iter().map(|p| bars(p.exits)).collect();
    let summary = tr.t_args(
        "bulletin-chart-summary",
        &[
            ("entries", count(entries.iter().map(|&n| u64::from(n)).sum()).into()),
            ("exits", count(exits.iter().map(|&n| u64::from(n)).sum()).into()),
        ],
    );
    Chart { title, summary, labels: points.iter().map(label).collect(), entries, exits }
}

/// A value of a dimension in words.
fn value(app: &App, tr: Tr, dimension: &str, v: &str) -> String {
    if v == frontera_stats::disclosure::TOTAL {
        return tr.t("bulletin-total");
    }
    match dimension {
        "port" => {
            PortId::parse(v).ok().and_then(|p| app.ports.get(&p)).map_or(v.to_string(), |p| p.name.clone())
        }
        "direction" => tr.t(if v == "entry" { "bulletin-entries" } else { "bulletin-exits" }),
        "nationality" => CountryCode::parse(v).map_or(v.to_string(), |c| c.name(tr.lang).to_string()),
        "category" => Category::parse(v).map_or(v.to_string(), |c| tr.t(&format!("category-{}", c.as_str()))),
        "sex" => tr.t(&format!("sex-{v}")),
        "age_group" => match AgeGroup::parse(v) {
            Some(AgeGroup::Unknown) => tr.t("bulletin-age-unknown"),
            _ => v.to_string(),
        },
        "flow" => tr.t(&format!("flow-{v}")),
        "status" => tr.t(&format!("status-{v}")),
        _ => v.to_string(),
    }
}

/// A protected table of one or two dimensions as rows and columns.
fn two_way(app: &App, tr: Tr, title: String, t: &ProtectedTable, by_total: bool) -> TableText {
    let total = frontera_stats::disclosure::TOTAL;
    let cell = |c: Cell| match c {
        Cell::Shown(n) => count(n),
        Cell::Suppressed => tr.t("bulletin-withheld"),
    };
    let (rows_dim, cols_dim) = (t.dimensions.first().copied().unwrap_or(""), t.dimensions.get(1).copied());
    let mut columns_values: Vec<&str> = Vec::new();
    let mut row_values: Vec<&str> = Vec::new();
    for r in &t.rows {
        if let Some(c) = r.key.get(1)
            && !columns_values.contains(&c.as_str())
        {
            columns_values.push(c);
        }
        if let Some(v) = r.key.first()
            && !row_values.contains(&v.as_str())
        {
            row_values.push(v);
        }
    }
    // Columns in their order, rows by their total (largest first) unless their order means
    // something (age groups); totals last.
    columns_values.sort_by_key(|v| (*v == total, *v));
    let row_total = |v: &str| -> u64 {
        t.rows
            .iter()
            .filter(|r| r.key.first().map(String::as_str) == Some(v))
            .filter(|r| r.key.get(1).is_none_or(|c| c == total))
            .map(|r| r.cell.shown().unwrap_or(0))
            .sum()
    };
    if by_total {
        row_values.sort_by_key(|v| (*v == total, std::cmp::Reverse(row_total(v)), *v));
    } else {
        row_values.sort_by_key(|v| (*v == total, *v));
    }
    let mut columns = vec![String::new()];
    match cols_dim {
        Some(d) => columns.extend(columns_values.iter().map(|v| value(app, tr, d, v))),
        None => columns.push(tr.t("bulletin-total")),
    }
    let rows = row_values
        .iter()
        .map(|rv| {
            let mut line = vec![value(app, tr, rows_dim, rv)];
            if cols_dim.is_some() {
                for cv in &columns_values {
                    let found = t.rows.iter().find(|r| {
                        r.key.first().map(String::as_str) == Some(rv)
                            && r.key.get(1).map(String::as_str) == Some(cv)
                    });
                    line.push(found.map_or("0".to_string(), |r| cell(r.cell)));
                }
            } else {
                let found = t.rows.iter().find(|r| r.key.first().map(String::as_str) == Some(rv));
                line.push(found.map_or("0".to_string(), |r| cell(r.cell)));
            }
            line
        })
        .collect();
    TableText { title, columns, rows }
}

fn tile(tr: Tr, h: &Headline) -> Tile {
    Tile {
        label: tr.t(&format!("bulletin-{}", h.key)),
        value: figure(tr, h.value),
        previous: change(tr, h.value, h.previous, "bulletin-vs-previous"),
        last_year: change(tr, h.value, h.last_year, "bulletin-vs-last-year"),
        provisional: h.provisional,
    }
}

/// The bulletin in words, in its own language.
pub fn text(app: &App, b: &Bulletin) -> BulletinText {
    let tr = Tr::new(b.lang);
    let lang = b.lang;
    let country = b.country.name(lang);
    let month = format!("{} {}", month_name(lang, b.month.month0()), b.month.year());
    let generated = crate::ui::shell::date(lang, b.generated.date_naive());
    let trend = chart(tr, tr.t("bulletin-trend"), &b.trend, |p| {
        format!("{} {}", crate::ui::shell::month(lang, p.day.month0()), p.day.year() % 100)
    });
    let daily = chart(tr, tr.t("bulletin-daily"), &b.daily, |p| p.day.day().to_string());
    let tables = b
        .tables
        .iter()
        .map(|t| {
            let by_total = matches!(t.key, "ports" | "nationalities" | "categories");
            two_way(app, tr, tr.t(&format!("bulletin-table-{}", t.key)), &t.table, by_total)
        })
        .collect();
    let q = b.quality;
    let mut quality = vec![
        tr.t_args(
            "bulletin-quality-exits",
            &[("count", count(q.exits_not_recorded).into()), ("open", count(q.open_stays).into())],
        ),
        tr.t1("bulletin-quality-no-entry", "count", &count(q.exits_without_entry)),
        tr.t1("bulletin-quality-nationality", "count", &count(b.unknown_nationality)),
        tr.t_args(
            "bulletin-quality-documents",
            &[
                ("documents", count(q.documents).into()),
                ("travellers", count(q.travellers).into()),
                ("changed", count(q.document_changes).into()),
            ],
        ),
    ];
    quality.push(tr.t(if b.counts_whole {
        "bulletin-quality-counts-whole"
    } else {
        "bulletin-quality-counts-partial"
    }));
    quality.push(tr.t1("bulletin-quality-late", "date", &generated));
    let mut definitions: Vec<(String, String)> =
        ["port", "direction", "nationality", "category", "sex", "age_group"]
            .iter()
            .map(|d| {
                let (label, text) = frontera_stats::export::describe(d, lang);
                (label.to_string(), text.to_string())
            })
            .collect();
    definitions.extend(b.definitions.iter().map(|d| {
        let label = match d.name.as_str() {
            flow if flow.contains("term") || flow == "local_mobility" => tr.t(&format!("flow-{flow}")),
            "overstay_rate" => tr.t("bulletin-overstay_rate"),
            "provisional" => tr.t("status-provisional"),
            outcome => tr.t(&format!("outcome-{outcome}")),
        };
        (label, d.text.clone())
    }));
    BulletinText {
        lang,
        title: tr.t("bulletin-title"),
        heading: tr
            .t_args("bulletin-heading", &[("country", country.into()), ("month", month.clone().into())]),
        subtitle: tr.t_args("bulletin-subtitle", &[("country", country.into()), ("date", generated.into())]),
        tiles: b.headlines.iter().map(|h| tile(tr, h)).collect(),
        trend,
        daily,
        tables,
        disclosure: tr.t1("bulletin-disclosure", "threshold", &b.threshold.to_string()),
        definitions,
        quality,
        words: Words {
            headlines: tr.t("bulletin-headlines"),
            definitions: tr.t("bulletin-definitions"),
            quality: tr.t("bulletin-quality"),
            provisional: tr.t("bulletin-provisional"),
            entries: tr.t("bulletin-entries"),
            exits: tr.t("bulletin-exits"),
        },
    }
}
