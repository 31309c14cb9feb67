//! Whole-workload benchmarks behind `frontera bench`: each measures one path end to end on this
//! machine and reports a rate. Figures, never assertions: the machines are shared and noisy.

pub mod screening;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use frontera_domain::access::Actor;
use frontera_domain::{CountryCode, PortRegistry, mrz};
use frontera_store::ImportRow;
use serde::Serialize;

use crate::demo::{DemoOptions, Generator};
use crate::transfer::{ImportOptions, Silent, csv_fields};
use crate::{App, AppError};

/// One measured figure.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// What was measured.
    pub name: String,
    /// How many items.
    pub items: u64,
    /// Seconds taken.
    pub seconds: f64,
    /// Items per second.
    pub per_second: f64,
    /// Nanoseconds per item.
    pub ns_per_item: f64,
}

impl Figure {
    fn new(name: &str, items: u64, seconds: f64) -> Figure {
        let seconds = seconds.max(1e-9);
        Figure {
            name: name.into(),
            items,
            seconds,
            per_second: items as f64 / seconds,
            ns_per_item: seconds * 1e9 / items.max(1) as f64,
        }
    }
}

/// ICAO 9303 worked examples (TD1, TD2, TD3, MRV-A, MRV-B shapes).
const ZONES: [&[&str]; 4] = [
    &["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"],
    &["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"],
    &["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"],
    &["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"],
];

/// MRZ parse and verify, per document.
pub fn mrz(documents: u64) -> Figure {
    let started = Instant::now();
    let mut valid = 0u64;
    for i in 0..documents {
        let zone = ZONES[(i % ZONES.len() as u64) as usize];
        if mrz::parse(std::hint::black_box(zone)).is_ok_and(|z| z.valid) {
            valid += 1;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    std::hint::black_box(valid);
    Figure::new("mrz parse + verify", documents, seconds)
}

fn options(days: u32) -> DemoOptions {
    DemoOptions {
        days,
        seed: 2026,
        last_day: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default(),
        cutoff: None,
    }
}

/// Generating demo traffic, without storing it.
pub fn generate(days: u32) -> Result<Figure, AppError> {
    let generator = Generator::new(options(days))?;
    let started = Instant::now();
    let n: usize = generator.days().map(|d| generator.day(d).len()).sum();
    Ok(Figure::new("demo generation (no store)", n as u64, started.elapsed().as_secs_f64()))
}

async fn fresh(dir: &Path, name: &str) -> Result<App, AppError> {
    let url = format!("sqlite:{}", dir.join(name).display());
    let store = frontera_store::open(&url).await?;
    Ok(App::new(store, PortRegistry::builtin(), "bench"))
}

/// Writes `rows` as a crossings CSV file.
fn write_csv(path: &Path, rows: &[&ImportRow]) -> Result<(), AppError> {
    let io = |e: csv::Error| AppError::Internal(e.to_string());
    let file = std::fs::File::create(path).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    w.write_record(crate::transfer::COLUMNS).map_err(io)?;
    for r in rows {
        w.write_record(csv_fields(&r.crossing)).map_err(io)?;
    }
    w.flush().map_err(|e| AppError::Internal(e.to_string()))
}

/// Imports `path` into a fresh database `db` under `dir`.
async fn import(dir: &Path, db: &str, path: &Path, options: ImportOptions) -> Result<(u64, f64), AppError> {
    let app = fresh(dir, db).await?;
    let console = Actor::console("bench", CountryCode::BLZ);
    let started = Instant::now();
    let report = app.import_crossings(&console, path, options, Arc::new(Silent)).await?;
    let items = if options.dry_run { report.valid } else { report.inserted };
    Ok((items, started.elapsed().as_secs_f64()))
}

/// The store's bulk insert alone, then CSV imports into fresh SQLite databases: of a file in
/// time order (as `frontera export` writes it, and as a post's daily file comes), and of the
/// same rows in the order the demo makes them (trip by trip: a return leg follows its outward
/// leg, weeks apart), which scatters the inserts over the indexes.
pub async fn ingest(dir: &Path, days: u32) -> Result<Vec<Figure>, AppError> {
    let generator = Generator::new(options(days))?;
    let app = fresh(dir, "bulk.db").await?;
    let rows: Vec<ImportRow> = generator
        .days()
        .flat_map(|d| generator.day(d))
        .map(|g| {
            let key = app.count_key(&g.crossing);
            ImportRow { crossing: g.crossing, fingerprint: g.fingerprint, key }
        })
        .collect();
    let n = rows.len() as u64;

    let by_trip = dir.join("crossings-by-trip.csv");
    write_csv(&by_trip, &rows.iter().collect::<Vec<_>>())?;
    let by_time = dir.join("crossings-by-time.csv");
    let mut sorted: Vec<&ImportRow> = rows.iter().collect();
    sorted.sort_by_key(|r| (r.crossing.occurred_at, r.crossing.id));
    write_csv(&by_time, &sorted)?;
    drop(sorted);

    let started = Instant::now();
    let mut session = app.store.begin_import(n).await?;
    let mut rows = rows.into_iter();
    loop {
        let batch: Vec<ImportRow> = rows.by_ref().take(5_000).collect();
        if batch.is_empty() {
            break;
        }
        session.insert(batch).await?;
    }
    session
        .commit(frontera_domain::audit::AuditDraft::new(
            "bench",
            "crossing.import",
            "crossing",
            "bench",
            None,
            serde_json::json!({}),
        ))
        .await?;
    let bulk = Figure::new("store bulk insert (SQLite, trip order)", n, started.elapsed().as_secs_f64());

    let dry = ImportOptions { dry_run: true, ..ImportOptions::default() };
    let (items, secs) = import(dir, "check.db", &by_time, dry).await?;
    let check = Figure::new("CSV read + check only (--dry-run)", items, secs);
    let (items, secs) = import(dir, "time.db", &by_time, ImportOptions::default()).await?;
    let time = Figure::new("CSV import into SQLite, time order", items, secs);
    let (items, secs) = import(dir, "trip.db", &by_trip, ImportOptions::default()).await?;
    let trip = Figure::new("CSV import into SQLite, trip order", items, secs);
    Ok(vec![bulk, check, time, trip])
}

/// Generating and loading the demo into a fresh SQLite database, as `frontera demo` does.
pub async fn demo(dir: &Path, days: u32) -> Result<Figure, AppError> {
    let app = fresh(dir, "demo.db").await?;
    let console = Actor::console("bench", CountryCode::BLZ);
    let started = Instant::now();
    let report = app.load_demo(&console, options(days), Arc::new(Silent)).await?;
    Ok(Figure::new("demo generate + load (SQLite)", report.inserted, started.elapsed().as_secs_f64()))
}
