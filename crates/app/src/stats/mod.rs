//! Statistics of crossings: the standard tables, from the raw records, with disclosure control
//! for every table that leaves the hub.

pub mod bulletin;
pub mod stays;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use frontera_domain::CountKey;
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::{CountryCode, Lang, Rule, ValidationError};
use frontera_stats::export::{self, ExportError};
use frontera_stats::{Dimension, ProtectedTable, Table, View, parse_dimensions, protect, tabulate};
use frontera_store::{CountQuery, CrossingQuery, StoreError};
use serde::{Deserialize, Serialize};

use crate::{App, AppError};

/// The smallest count a public table shows.
pub const DISCLOSURE_THRESHOLD: u64 = 5;

/// What a table of crossings asks for, as typed (`--by`, `?by=`, …).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatsRequest {
    /// A comma-separated subset of `day, week, month, quarter, year, port, direction,
    /// nationality, category, sex, age_group` (empty: the grand total).
    pub by: Option<String>,
    /// The first local day counted, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// The last local day counted, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// The country whose crossings are counted (alpha-3; default: the caller's).
    pub country: Option<String>,
    /// Apply disclosure control (always applied to another country's table).
    #[serde(default)]
    pub public: bool,
    /// The smallest count shown by disclosure control (default 5).
    pub threshold: Option<u64>,
}

/// A table of crossings, as counted or after disclosure control.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "disclosure", rename_all = "snake_case")]
pub enum CrossingStats {
    /// Every count, for use inside the hub.
    None {
        /// The table.
        #[serde(flatten)]
        table: Table,
    },
    /// Small counts and whatever would give them away withheld, with totals.
    Controlled {
        /// The table.
        #[serde(flatten)]
        table: ProtectedTable,
    },
}

/// A file format for a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// The table as JSON, with its definitions.
    Json,
    /// One column per dimension and `count` (and `status` when public).
    Csv,
    /// SDMX-CSV 2.0 of the dataflow `FRONTERA:DF_CROSSINGS(1.0)` (tables of crossings).
    SdmxCsv,
    /// CSV with a row of HXL hashtags.
    Hxl,
    /// A workbook: the table and a sheet of definitions.
    Xlsx,
}

impl TableFormat {
    /// Every format's name, as `--format` and `?format=` spell it.
    pub const NAMES: &'static [&'static str] = &["csv", "sdmx-csv", "hxl", "xlsx", "json"];

    /// Parses a format's name (empty: `default`).
    pub fn parse(text: Option<&str>, default: TableFormat) -> Result<TableFormat, ValidationError> {
        Ok(match text.map(str::trim).unwrap_or("") {
            "" => default,
            "json" => TableFormat::Json,
            "csv" => TableFormat::Csv,
            "sdmx-csv" => TableFormat::SdmxCsv,
            "hxl" => TableFormat::Hxl,
            "xlsx" => TableFormat::Xlsx,
            _ => return Err(ValidationError::new("format", Rule::OneOf { allowed: Self::NAMES })),
        })
    }

    /// The media type of a file in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            TableFormat::Json => "application/json",
            TableFormat::Csv | TableFormat::Hxl => "text/csv; charset=utf-8",
            TableFormat::SdmxCsv => "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8",
            TableFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Json => "json",
            TableFormat::Csv | TableFormat::Hxl | TableFormat::SdmxCsv => "csv",
            TableFormat::Xlsx => "xlsx",
        }
    }
}

pub(crate) fn export_failed(e: ExportError) -> AppError {
    match e {
        ExportError::Invalid(v) => AppError::Invalid(v),
        ExportError::Write(w) => AppError::Internal(format!("writing the table: {w}")),
    }
}

impl App {
    /// The SDMX-ML structure message of the tables of crossings, with this node's ports.
    pub fn sdmx_structure(&self) -> String {
        let ports: Vec<(String, String)> =
            self.ports.all().map(|p| (p.id.as_str().to_string(), p.name.clone())).collect();
        export::sdmx::structure(&ports, &self.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
    }
}

/// A table of crossings with what it covers.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrossingTable {
    /// The country counted (none: every country the node holds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// The first local day counted.
    pub from: Option<NaiveDate>,
    /// The last local day counted.
    pub to: Option<NaiveDate>,
    /// The table (`disclosure`, `dimensions`, `rows`).
    #[serde(flatten)]
    pub table: CrossingStats,
}

impl CrossingTable {
    /// The table as a file in `format`, labels and definitions in `lang`.
    pub fn render(&self, format: TableFormat, lang: Lang) -> Result<Vec<u8>, AppError> {
        let mut out = Vec::new();
        match format {
            TableFormat::Json => {
                serde_json::to_writer_pretty(&mut out, self)
                    .map_err(|e| AppError::Internal(e.to_string()))?;
                out.push(b'\n');
            }
            TableFormat::Csv => self.table.write_csv(&mut out)?,
            TableFormat::SdmxCsv => {
                export::sdmx::write_csv(self.table.view(), self.country, &mut out).map_err(export_failed)?
            }
            TableFormat::Hxl => export::hxl::write_csv(self.table.view(), "#x_crossings", lang, &mut out)
                .map_err(export_failed)?,
            TableFormat::Xlsx => {
                let es = lang == Lang::Es;
                let title = if es { "Cruces" } else { "Crossings" };
                let sheet = export::xlsx::Sheet { name: title, title, view: self.table.view() };
                let about = about(self.country, self.from, self.to, &self.table, None, lang);
                out = export::xlsx::workbook(&[sheet], &about, &[], lang).map_err(export_failed)?;
            }
        }
        Ok(out)
    }
}

/// What a table covers, for the head of its sheet of definitions.
pub(crate) fn about(
    country: Option<CountryCode>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    table: &CrossingStats,
    as_of: Option<NaiveDate>,
    lang: Lang,
) -> Vec<(String, String)> {
    let es = lang == Lang::Es;
    let any = |d: Option<NaiveDate>| d.map_or_else(|| "—".to_string(), |d| d.to_string());
    let mut out = vec![
        (
            if es { "País" } else { "Country" }.to_string(),
            country.map_or_else(
                || if es { "Todos" } else { "All" }.to_string(),
                |c| format!("{} ({c})", c.name(lang)),
            ),
        ),
        (if es { "Desde" } else { "From" }.to_string(), any(from)),
        (if es { "Hasta" } else { "To" }.to_string(), any(to)),
    ];
    if let Some(as_of) = as_of {
        out.push((if es { "Registros al" } else { "Records as of" }.to_string(), as_of.to_string()));
    }
    out.push((
        if es { "Control de divulgación" } else { "Disclosure control" }.to_string(),
        match table {
            CrossingStats::None { .. } => {
                if es { "Ninguno: uso interno" } else { "None: for use inside the hub" }.to_string()
            }
            CrossingStats::Controlled { table } => {
                if es {
                    format!("Se omiten (x) los valores de menos de {} personas y los que los revelarían; _T es un total.", table.threshold)
                } else {
                    format!("Values of fewer than {} persons, and those that would reveal them, are withheld (x); _T is a total.", table.threshold)
                }
            }
        },
    ));
    out
}

impl CrossingStats {
    /// The table, as exports read it.
    pub fn view(&self) -> View<'_> {
        match self {
            CrossingStats::None { table } => View::Counted(table),
            CrossingStats::Controlled { table } => View::Protected(table),
        }
    }

    /// The dimensions, in column order.
    pub fn dimensions(&self) -> &[&'static str] {
        match self {
            CrossingStats::None { table } => &table.dimensions,
            CrossingStats::Controlled { table } => &table.dimensions,
        }
    }

    /// Writes the table as CSV: one column per dimension and `count`; a public table adds
    /// `status` (`suppressed` where the count is withheld, the count then empty) and its totals
    /// (`_T` in the dimension they add up).
    pub fn write_csv(&self, out: &mut dyn std::io::Write) -> Result<(), AppError> {
        let mut w = csv::Writer::from_writer(out);
        let io = |e: csv::Error| AppError::Internal(format!("writing CSV: {e}"));
        let mut header: Vec<&str> = self.dimensions().to_vec();
        header.push("count");
        match self {
            CrossingStats::None { table } => {
                w.write_record(&header).map_err(io)?;
                for row in &table.rows {
                    let count = row.count.to_string();
                    w.write_record(row.key.iter().map(String::as_str).chain([count.as_str()])).map_err(io)?;
                }
            }
            CrossingStats::Controlled { table } => {
                header.push("status");
                w.write_record(&header).map_err(io)?;
                for row in &table.rows {
                    let (count, status) = match row.cell {
                        frontera_stats::Cell::Shown(n) => (n.to_string(), ""),
                        frontera_stats::Cell::Suppressed => (String::new(), "suppressed"),
                    };
                    w.write_record(row.key.iter().map(String::as_str).chain([count.as_str(), status]))
                        .map_err(io)?;
                }
            }
        }
        w.flush().map_err(|e| AppError::Internal(format!("writing CSV: {e}")))
    }
}

/// Where a table is drawn from and whether it goes through disclosure control.
pub(crate) struct TableScope {
    /// The country counted (none: every country, the console's).
    pub country: Option<CountryCode>,
    /// Whether disclosure control applies.
    pub public: bool,
    /// The smallest count it shows.
    pub threshold: u64,
}

/// The threshold a protected table uses: the one asked for, raised to the node's own (a
/// liaison's `threshold=1` would describe one person per cell), and within 1 to 1,000.
fn threshold_of(app: &App, asked: Option<u64>) -> Result<u64, AppError> {
    match asked {
        Some(t) if t == 0 || t > 1_000 => {
            Err(ValidationError::new("threshold", Rule::OutOfRange { min: 1, max: 1_000 }).into())
        }
        Some(t) => Ok(t.max(app.disclosure_threshold)),
        None => Ok(app.disclosure_threshold),
    }
}

/// Checks who may draw a table of `country` (default: the caller's, or `default` when given)
/// and whether it must be public: another country's table (a liaison's view) always is.
pub(crate) fn table_scope(
    app: &App,
    actor: &Actor,
    country: Option<&str>,
    public: bool,
    threshold: Option<u64>,
    default: Option<Option<CountryCode>>,
) -> Result<TableScope, AppError> {
    let threshold = threshold_of(app, threshold)?;
    let country = match country.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(CountryCode::parse_field(c, "country")?),
        None => default.unwrap_or(Some(actor.scope.country)),
    };
    if let Some(c) = country
        && !can(actor, Action::ReadTables, Resource::of(c)).allowed()
    {
        return Err(AppError::Forbidden(format!("the statistics of {c} are outside your scope")));
    }
    // A table leaves its country, or goes to a role that may read no records (a liaison):
    // protected.
    let foreign = !actor.is_console() && country.is_some_and(|c| c != actor.scope.country);
    let tables_only = !can(actor, Action::ReadDeidentified, Resource::of(actor.scope.country)).allowed();
    let public = public || foreign || tables_only;
    Ok(TableScope { country, public, threshold })
}

/// As [`table_scope`], for the tables of border workers and permits, which a country's labour
/// registrar also draws, of their own country only.
pub(crate) fn labour_scope(
    app: &App,
    actor: &Actor,
    country: Option<&str>,
    public: bool,
    threshold: Option<u64>,
) -> Result<TableScope, AppError> {
    let own = actor.scope.country;
    let asked = country.map(str::trim).filter(|c| !c.is_empty());
    let registrar = can(actor, Action::ManageLabour, Resource::of(own)).allowed()
        && !can(actor, Action::ReadDeidentified, Resource::of(own)).allowed();
    if !registrar {
        return table_scope(app, actor, asked, public, threshold, None);
    }
    if let Some(c) = asked
        && CountryCode::parse_field(c, "country")? != own
    {
        return Err(AppError::Forbidden(format!("the statistics of {c} are outside your scope")));
    }
    Ok(TableScope { country: Some(own), public, threshold: threshold_of(app, threshold)? })
}

/// The first and last local days asked (`from`, `to`), checked to be in order.
pub(crate) fn days(
    from: &Option<String>,
    to: &Option<String>,
) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ValidationError> {
    let (from, to) = (day(from, "from")?, day(to, "to")?);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(ValidationError::new("to", Rule::Before { other: "from" }));
    }
    Ok((from, to))
}

pub(crate) fn day(text: &Option<String>, field: &str) -> Result<Option<NaiveDate>, ValidationError> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map_err(|_| ValidationError::new(field, Rule::NotADate { format: "YYYY-MM-DD" }))
        })
        .transpose()
}

impl App {
    /// Counts the crossings of a country by the dimensions asked, from the raw records: each
    /// crossing on the local day of its port. The caller's own country's table is shown whole
    /// unless `public` is asked; another country's (a liaison's view) always goes through
    /// disclosure control. Audited: the table, not the persons, is what is read.
    pub async fn crossing_stats(
        &self,
        actor: &Actor,
        request: &StatsRequest,
    ) -> Result<CrossingTable, AppError> {
        let dimensions = parse_dimensions(request.by.as_deref().unwrap_or(""))?;
        let (from, to) = days(&request.from, &request.to)?;
        let TableScope { country, public, threshold } = table_scope(
            self,
            actor,
            request.country.as_deref(),
            request.public,
            request.threshold,
            actor.is_console().then_some(None),
        )?;
        let countries: Vec<CountryCode> = country.into_iter().collect();
        self.ensure_counts().await?;
        // Whole months by month, quarter or year (or no period) add up the monthly counts.
        let whole_months =
            from.is_none_or(|d| d.day() == 1) && to.is_none_or(|d| d.succ_opt().is_none_or(|n| n.day() == 1));
        let monthly =
            whole_months && !dimensions.iter().any(|d| matches!(d, Dimension::Day | Dimension::Week));
        let query = CountQuery { countries: countries.clone(), from, to, monthly };
        let counts = self.store.crossing_counts(&query).await?;
        let table = tabulate(&dimensions, counts.iter().map(|(key, n)| (key, *n)));
        let event = AuditDraft::new(
            &actor.name,
            "stats.crossings",
            "table",
            dimensions.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(","),
            country.map(|c| c.as_str()),
            serde_json::json!({
                "from": from, "to": to, "public": public,
                "threshold": public.then_some(threshold), "cells": table.rows.len(),
            }),
        );
        self.store.append_audit(event).await?;
        let table = if public {
            CrossingStats::Controlled { table: protect(&table, threshold) }
        } else {
            CrossingStats::None { table }
        };
        Ok(CrossingTable { country, from, to, table })
    }
}

/// Where the kept counts and the raw records disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountDifference {
    /// `daily` or `monthly` (where the day is the month's first).
    pub grain: &'static str,
    /// The cell: country, local day, port, direction, nationality, category, sex, age group.
    pub cell: [String; 8],
    /// What the kept counts say.
    pub kept: u64,
    /// What the raw records say.
    pub recomputed: u64,
}

/// What checking the kept counts found.
#[derive(Debug, Clone, Serialize)]
pub struct CountCheck {
    /// Crossings read.
    pub crossings: u64,
    /// Cells compared.
    pub cells: usize,
    /// The cells that differ (all of them).
    pub differences: Vec<CountDifference>,
    /// Whether the kept counts were replaced by the recomputed ones.
    pub repaired: bool,
}

impl App {
    /// The counts of every stored crossing, worked out from the raw records, and how many
    /// crossings that is.
    async fn recount(&self) -> Result<(HashMap<CountKey, u64>, u64), AppError> {
        let facts = self.store.crossing_facts(&CrossingQuery::default()).await?;
        let mut counts: HashMap<CountKey, u64> = HashMap::new();
        for f in &facts {
            let zone = self.ports.get(&f.port_id).map_or(chrono_tz::Tz::UTC, |p| p.time_zone);
            let day = f.occurred_at.with_timezone(&zone).date_naive();
            let key = CountKey {
                country: f.country,
                day,
                port_id: f.port_id.clone(),
                direction: f.direction,
                nationality: f.nationality,
                category: f.category,
                sex: f.sex,
                age_group: frontera_domain::AgeGroup::of(f.birth_date.and_then(|b| b.earliest()), day),
            };
            *counts.entry(key).or_default() += 1;
        }
        Ok((counts, facts.len() as u64))
    }

    /// Replaces the kept counts with ones worked out from the raw records, counting again when
    /// crossings were stored meanwhile.
    async fn rebuild_counts(&self) -> Result<(), AppError> {
        for _ in 0..5 {
            let (counts, crossings) = self.recount().await?;
            match self.store.replace_counts(counts.into_iter().collect(), crossings).await {
                Err(StoreError::Conflict(_)) => continue,
                other => return Ok(other?),
            }
        }
        Err(AppError::Internal("crossings kept arriving while the counts were rebuilt; try again".into()))
    }

    /// Makes sure the kept counts cover the crossings stored before they were kept (once, after
    /// the store gained them).
    async fn ensure_counts(&self) -> Result<(), AppError> {
        if self.store.meta("crossing_counts").await?.as_deref() != Some("whole") {
            self.rebuild_counts().await?;
        }
        Ok(())
    }

    /// Recomputes every count from the raw records and compares it with the kept one; with
    /// `repair`, replaces the kept counts when they differ. Audited.
    pub async fn check_counts(&self, actor: &Actor, repair: bool) -> Result<CountCheck, AppError> {
        if !actor.is_console() {
            return Err(AppError::Forbidden("only the node's console checks the statistics".into()));
        }
        let (recomputed, crossings) = self.recount().await?;
        let recomputed_months = frontera_domain::count::by_month(recomputed.iter().map(|(k, n)| (k, *n)));
        let mut differences: Vec<CountDifference> = Vec::new();
        for (grain, monthly, recomputed) in
            [("daily", false, &recomputed), ("monthly", true, &recomputed_months)]
        {
            let query = CountQuery { monthly, ..CountQuery::default() };
            let kept: HashMap<CountKey, u64> =
                self.store.crossing_counts(&query).await?.into_iter().collect();
            for (key, &n) in recomputed {
                let k = kept.get(key).copied().unwrap_or(0);
                if k != n {
                    differences.push(CountDifference { grain, cell: key.columns(), kept: k, recomputed: n });
                }
            }
            for (key, &k) in &kept {
                if !recomputed.contains_key(key) && k != 0 {
                    differences.push(CountDifference { grain, cell: key.columns(), kept: k, recomputed: 0 });
                }
            }
        }
        differences.sort_by(|a, b| (a.grain, &a.cell).cmp(&(b.grain, &b.cell)));
        let cells = recomputed.len();
        let repaired =
            repair && (!differences.is_empty() || self.store.meta("crossing_counts").await?.is_none());
        if repaired {
            self.store.replace_counts(recomputed.into_iter().collect(), crossings).await?;
        }
        let event = AuditDraft::new(
            &actor.name,
            "stats.check",
            "table",
            "crossing_counts",
            None,
            serde_json::json!({"crossings": crossings, "differences": differences.len(), "repaired": repaired}),
        );
        self.store.append_audit(event).await?;
        Ok(CountCheck { crossings, cells, differences, repaired })
    }
}
