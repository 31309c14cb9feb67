//! The monthly statistical bulletin: headline figures with their change on the previous month
//! and on the same month a year before, the series its charts draw, the standard tables after
//! disclosure control, the definitions and the notes on data quality. Assembled here; the web
//! crate lays it out as a page and as a PDF.

use std::collections::HashMap;

use chrono::{DateTime, Months, NaiveDate, Utc};
use frontera_domain::access::Actor;
use frontera_domain::audit::AuditDraft;
use frontera_domain::{CountKey, CountryCode, Direction, Lang, Rule, ValidationError};
use frontera_stats::disclosure::TOTAL;
use frontera_stats::migrants::{self, Flow, MigrationRule, Status};
use frontera_stats::stays::{self, OverstayRate, Span};
use frontera_stats::{Cell, Dimension, ProtectedTable, Table, View, protect, protect_with, tabulate};
use frontera_store::CountQuery;
use serde::Serialize;

use super::stays::{Definition, Quality, Study};
use super::{TableScope, table_scope};
use crate::formats::Progress;
use crate::{App, AppError};

/// A headline value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// A count.
    Count(u64),
    /// A proportion, 0 to 1.
    Rate(f64),
    /// Withheld: it counts fewer persons than the threshold.
    Withheld,
    /// Nothing to compare with: no records for that month.
    None,
}

/// A headline figure of the month, with the same figure for the previous month and for the
/// same month a year before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    /// What it counts: `entries`, `exits`, `long_term_arrivals`, `long_term_departures`,
    /// `overstay_rate`.
    pub key: &'static str,
    /// This month.
    pub value: Figure,
    /// The month before.
    pub previous: Figure,
    /// The same month a year before.
    pub last_year: Figure,
    /// Whether this month's figure may still change (the 12/16-month window is open).
    pub provisional: bool,
}

/// A point of a chart's series: entries and exits (withheld where small).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The day, or the month's first day.
    pub day: NaiveDate,
    /// Entries.
    pub entries: Figure,
    /// Exits.
    pub exits: Figure,
}

/// One of the bulletin's standard tables.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulletinTable {
    /// Which: `ports`, `nationalities`, `categories`, `age_sex`, `migrants`.
    pub key: &'static str,
    /// The table after disclosure control.
    pub table: ProtectedTable,
}

/// The bulletin of one country's month.
#[derive(Debug, Clone, Serialize)]
pub struct Bulletin {
    /// The country.
    pub country: CountryCode,
    /// The month's first day.
    pub month: NaiveDate,
    /// The language it is written in.
    #[serde(serialize_with = "lang_code")]
    pub lang: Lang,
    /// When it was drawn up.
    pub generated: DateTime<Utc>,
    /// The smallest count it shows.
    pub threshold: u64,
    /// The headline figures.
    pub headlines: Vec<Headline>,
    /// Each day of the month.
    pub daily: Vec<Point>,
    /// The month and the twelve before it.
    pub trend: Vec<Point>,
    /// The standard tables.
    pub tables: Vec<BulletinTable>,
    /// What the figures mean.
    pub definitions: Vec<Definition>,
    /// What the records lack.
    pub quality: Quality,
    /// Crossings of the month whose traveller's nationality is unknown (`XXX`).
    pub unknown_nationality: u64,
    /// Whether the stored counts cover every crossing (`stats check` has nothing to repair).
    pub counts_whole: bool,
}

fn lang_code<S: serde::Serializer>(lang: &Lang, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(lang.code())
}

/// Parses `YYYY-MM` into the month's first day.
pub fn parse_month(text: &str) -> Result<NaiveDate, ValidationError> {
    NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .map_err(|_| ValidationError::new("month", Rule::NotADate { format: "YYYY-MM" }))
}

/// The month's tables of crossings and its days, protected together: they share the month's
/// entries, exits and crossings in all, so a total one of them withholds (to protect its own
/// cells) is withheld in all of them, each protecting it in turn, until none withholds a total
/// another shows. Answers the days' table and the standard tables.
fn linked_tables(
    this: &[(&CountKey, u64)],
    days: &Table,
    threshold: u64,
) -> (ProtectedTable, Vec<BulletinTable>) {
    let by_direction: [(&'static str, Vec<Dimension>); 3] = [
        ("ports", vec![Dimension::Port, Dimension::Direction]),
        ("nationalities", vec![Dimension::Nationality, Dimension::Direction]),
        ("categories", vec![Dimension::Category, Dimension::Direction]),
    ];
    let counted: Vec<(&'static str, Table)> =
        by_direction.iter().map(|(key, dims)| (*key, tabulate(dims, this.iter().copied()))).collect();
    let age_sex = tabulate(&[Dimension::AgeGroup, Dimension::Sex], this.iter().copied());
    // The shared totals, as keys of a table by something and direction.
    let shared = [[TOTAL, "entry"], [TOTAL, "exit"], [TOTAL, TOTAL]];
    let mut withheld: Vec<Vec<String>> = Vec::new();
    loop {
        let protected_days = protect_with(days, threshold, &withheld);
        let protected: Vec<(&'static str, ProtectedTable)> =
            counted.iter().map(|(key, t)| (*key, protect_with(t, threshold, &withheld))).collect();
        let grand: Vec<Vec<String>> = withheld.iter().filter(|k| k[1] == TOTAL).cloned().collect();
        let protected_age_sex = protect_with(&age_sex, threshold, &grand);
        let before = withheld.len();
        for key in shared {
            let suppressed = |t: &ProtectedTable| cell(t, &key) == Some(Cell::Suppressed);
            let anywhere = suppressed(&protected_days)
                || protected.iter().any(|(_, t)| suppressed(t))
                || key == [TOTAL, TOTAL] && suppressed(&protected_age_sex);
            let key: Vec<String> = key.iter().map(|k| k.to_string()).collect();
            if anywhere && !withheld.contains(&key) {
                withheld.push(key);
            }
        }
        if withheld.len() == before {
            let mut tables: Vec<BulletinTable> =
                protected.into_iter().map(|(key, table)| BulletinTable { key, table }).collect();
            tables.push(BulletinTable { key: "age_sex", table: protected_age_sex });
            return (protected_days, tables);
        }
    }
}

/// The cell of `table` at `key` (its dimensions' values in order, `_T` for a total).
fn cell(table: &ProtectedTable, key: &[&str]) -> Option<Cell> {
    table.rows.iter().find(|r| r.key.iter().map(String::as_str).eq(key.iter().copied())).map(|r| r.cell)
}

/// A protected cell as a headline figure.
fn figure(cell: Cell) -> Figure {
    match cell {
        Cell::Shown(n) => Figure::Count(n),
        Cell::Suppressed => Figure::Withheld,
    }
}

fn month_end(first: NaiveDate) -> NaiveDate {
    first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first)
}

fn months_back(first: NaiveDate, n: u32) -> NaiveDate {
    first.checked_sub_months(Months::new(n)).unwrap_or(first)
}

impl App {
    /// The bulletin of `country`'s (default: the caller's) `month` (`YYYY-MM`), in `lang`, every
    /// table through disclosure control with `threshold` (default 5). Audited.
    pub async fn bulletin(
        &self,
        actor: &Actor,
        month: &str,
        country: Option<&str>,
        lang: Lang,
        threshold: Option<u64>,
        progress: &dyn Progress,
    ) -> Result<Bulletin, AppError> {
        let first = parse_month(month)?;
        let TableScope { country, threshold, .. } = table_scope(self, actor, country, true, threshold, None)?;
        let country = country.unwrap_or(actor.scope.country);
        let last = month_end(first);
        let today = self.now().date_naive();
        if first > today {
            return Err(ValidationError::new("month", Rule::InFuture).into());
        }
        self.ensure_counts().await?;
        let small = |n: u64| if n > 0 && n < threshold { Figure::Withheld } else { Figure::Count(n) };

        // Thirteen months of counts by month and direction, and the month's by day.
        let year_before = months_back(first, 12);
        let query =
            CountQuery { countries: vec![country], from: Some(year_before), to: Some(last), monthly: true };
        let monthly = self.store.crossing_counts(&query).await?;
        let mut by_month: HashMap<(NaiveDate, Direction), u64> = HashMap::new();
        for (k, n) in &monthly {
            *by_month.entry((k.day, k.direction)).or_default() += n;
        }
        let at = |m: NaiveDate, d: Direction| by_month.get(&(m, d)).copied();
        let mut trend: Vec<Point> = (0..=12)
            .rev()
            .map(|back| {
                let m = months_back(first, back);
                let f = |d| at(m, d).map_or(Figure::Count(0), small);
                Point { day: m, entries: f(Direction::Entry), exits: f(Direction::Exit) }
            })
            .collect();
        let query =
            CountQuery { countries: vec![country], from: Some(first), to: Some(last), monthly: false };
        let daily_cells = self.store.crossing_counts(&query).await?;
        let mut by_day: HashMap<(NaiveDate, Direction), u64> = HashMap::new();
        for (k, n) in &daily_cells {
            *by_day.entry((k.day, k.direction)).or_default() += n;
        }
        // The days are a table of their own, protected with the month's totals they add up to:
        // a day withheld alone could otherwise be worked out from the month's headline.
        let day_counts: HashMap<Vec<String>, u64> = by_day
            .iter()
            .map(|((day, direction), n)| (vec![day.to_string(), direction.as_str().to_string()], *n))
            .collect();
        let days = Table::from_counts(&["day", "direction"], day_counts);
        let this: Vec<(&CountKey, u64)> =
            monthly.iter().filter(|(k, _)| k.day == first).map(|(k, n)| (k, *n)).collect();
        let unknown_nationality: u64 =
            this.iter().filter(|(k, _)| k.nationality.as_str() == "XXX").map(|(_, n)| n).sum();
        let (days_table, mut tables) = linked_tables(&this, &days, threshold);
        let daily: Vec<Point> = first
            .iter_days()
            .take_while(|d| *d <= last)
            .map(|d| {
                let f = |dir: Direction| match cell(&days_table, &[&d.to_string(), dir.as_str()]) {
                    Some(c) => figure(c),
                    None => Figure::Count(0),
                };
                Point { day: d, entries: f(Direction::Entry), exits: f(Direction::Exit) }
            })
            .collect();

        // Migrants and overstays, from the travellers' histories as they stand today.
        let as_of = today;
        let h = self.histories(country, as_of, progress).await?;
        let rule = MigrationRule::default();
        let events = migrants::classify(&h.movements, &h.stays, country, rule, as_of);
        // Each month's flows and overstay rate, from the same tables the CLI and API draw.
        let by_month = migrants::migrants(&events, &["month"], Span::default());
        let mut flows: HashMap<(String, String), (u64, bool)> = HashMap::new();
        for row in &by_month.rows {
            let slot = flows.entry((row.key[0].clone(), row.key[1].clone())).or_default();
            slot.0 += row.count;
            slot.1 |= row.key[2] == Status::Provisional.as_str();
        }
        let span = Span { from: Some(first), to: Some(last) };
        let migrant_table = migrants::migrants(&events, &[], span);
        tables.push(BulletinTable { key: "migrants", table: protect(&migrant_table, threshold) });
        let overstays = stays::overstays(&h.stays, &["month"], Span::default(), as_of);
        let rates: HashMap<String, OverstayRate> = stays::overstay_rates(&View::Counted(&overstays))
            .into_iter()
            .map(|r| (r.key[0].clone(), r))
            .collect();
        let month_key = |m: NaiveDate| m.format("%Y-%m").to_string();
        let rate = |m: NaiveDate| match rates.get(&month_key(m)) {
            Some(r) => match (r.expected.shown(), r.rate) {
                (Some(e), Some(rate)) if e >= threshold => Figure::Rate(rate),
                (Some(e), _) if e > 0 => Figure::Withheld,
                _ => Figure::None,
            },
            None => Figure::None,
        };
        let months = [first, months_back(first, 1), months_back(first, 12)];
        let direction = |d: Direction| {
            let [v, p, y] = months.map(|m| at(m, d).map_or(Figure::None, small));
            (v, p, y)
        };
        let flow = |f: Flow| {
            let of = |m: NaiveDate| flows.get(&(month_key(m), f.as_str().to_string()));
            let [v, p, y] = months.map(|m| of(m).map_or(Figure::None, |(n, _)| small(*n)));
            (v, p, y, of(first).is_some_and(|(_, provisional)| *provisional))
        };
        // The month's own figures are published in its tables too: a headline is the tables'
        // cell, withheld where they withhold it (the total less the other cells would be the
        // withheld one).
        let ports = tables.iter().find(|t| t.key == "ports").map(|t| &t.table);
        // Protected together, the tables agree on the month's totals: the ports' is the month's
        // (the days' where no port counted anything).
        let month_total = |d: Direction| {
            let key = [TOTAL, d.as_str()];
            ports.and_then(|t| cell(t, &key)).or_else(|| cell(&days_table, &key)).map_or(Figure::None, figure)
        };
        let migrant_cells = tables.iter().find(|t| t.key == "migrants").map(|t| &t.table);
        let mut headlines = Vec::new();
        for (key, d) in [("entries", Direction::Entry), ("exits", Direction::Exit)] {
            let (_, previous, last_year) = direction(d);
            let value = month_total(d);
            headlines.push(Headline { key, value, previous, last_year, provisional: false });
        }
        for (key, f) in
            [("long_term_arrivals", Flow::LongTermArrival), ("long_term_departures", Flow::LongTermDeparture)]
        {
            let (_, previous, last_year, provisional) = flow(f);
            let value = match migrant_cells.and_then(|t| cell(t, &[f.as_str(), TOTAL])) {
                Some(c) => figure(c),
                None => Figure::None,
            };
            headlines.push(Headline { key, value, previous, last_year, provisional });
        }
        // The trend's last point is the month: as its headlines show it.
        if let Some(point) = trend.last_mut() {
            point.entries = headlines[0].value;
            point.exits = headlines[1].value;
        }
        let [value, previous, last_year] = months.map(rate);
        headlines.push(Headline {
            key: "overstay_rate",
            value,
            previous,
            last_year,
            provisional: last >= as_of,
        });

        let mut definitions = super::stays::definitions(Study::Migrants, rule, lang);
        definitions.extend(super::stays::definitions(Study::Overstays, rule, lang));
        let counts_whole = self.store.meta("crossing_counts").await?.as_deref() == Some("whole");
        let event = AuditDraft::new(
            &actor.name,
            "stats.bulletin",
            "bulletin",
            first.format("%Y-%m").to_string(),
            Some(country.as_str()),
            serde_json::json!({"lang": lang.code(), "threshold": threshold}),
        );
        self.store.append_audit(event).await?;
        Ok(Bulletin {
            country,
            month: first,
            lang,
            generated: self.now(),
            threshold,
            headlines,
            daily,
            trend,
            tables,
            definitions,
            quality: h.quality,
            unknown_nationality,
            counts_whole,
        })
    }
}
