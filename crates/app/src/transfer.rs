//! Importing and exporting crossings as CSV.
//!
//! An import never leaves partial garbage: every row is parsed first; unless asked to skip
//! invalid rows, one bad row stops the import before anything is written, and the report names
//! each bad row by line, field and rule. The rows are then stored in one transaction.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::crossing::{DocumentDraft, PersonDraft};
use frontera_domain::mrz::MrzFormat;
use frontera_domain::{
    Crossing, CrossingDraft, CrossingId, Lang, NewCrossing, Provenance, Rule, ValidationError,
};
use frontera_store::{CrossingQuery, ImportRow, Order};
use serde::Serialize;

use crate::crossings::CrossingFilter;
use crate::formats::unreadable_csv;
pub use crate::formats::{Progress, RowError, Silent};
use crate::{App, AppError};

/// The columns of a crossings CSV file, in order.
pub const COLUMNS: [&str; 24] = [
    "id",
    "occurred_at",
    "port_id",
    "direction",
    "category",
    "purpose",
    "transport_mode",
    "permitted_stay_days",
    "document_kind",
    "document_number",
    "issuing_state",
    "document_expiry",
    "mrz_format",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "nationality",
    "person_id",
    "recorded_by",
    "node_id",
    "recorded_at",
    "processing_ms",
];

/// How many rows go to the store at once.
const BATCH: usize = 5_000;

/// Rows parsed by the reading thread, with their lines, and the bad rows.
#[derive(Default)]
struct Batch {
    read: u64,
    rows: Vec<ImportRow>,
    lines: Vec<u64>,
    errors: Vec<(u64, ValidationError)>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: u64,
    /// Rows that passed every rule.
    pub valid: u64,
    /// Rows stored now.
    pub inserted: u64,
    /// Rows stored before with the same content (a re-import).
    pub already_present: u64,
    /// Bad rows, the first 1 000 of them.
    pub errors: Vec<RowError>,
    /// How many rows were bad.
    pub error_count: u64,
    /// Whether anything was stored.
    pub committed: bool,
}

/// Options of an import.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Store the good rows even when some are bad.
    pub skip_invalid: bool,
    /// Only check the rows: report what would be imported, store nothing.
    pub dry_run: bool,
    /// The language of the row errors' messages.
    pub lang: Lang,
}

/// A CSV row as read, borrowing the file's text; a column the file lacks reads as `None`.
#[derive(Debug)]
struct CsvRow<'a> {
    id: Option<&'a str>,
    occurred_at: Option<&'a str>,
    port_id: Option<&'a str>,
    direction: Option<&'a str>,
    category: Option<&'a str>,
    purpose: Option<&'a str>,
    transport_mode: Option<&'a str>,
    permitted_stay_days: Option<&'a str>,
    document_kind: Option<&'a str>,
    document_number: Option<&'a str>,
    issuing_state: Option<&'a str>,
    document_expiry: Option<&'a str>,
    mrz_format: Option<&'a str>,
    given_names: Option<&'a str>,
    first_surname: Option<&'a str>,
    second_surname: Option<&'a str>,
    sex: Option<&'a str>,
    birth_date: Option<&'a str>,
    nationality: Option<&'a str>,
    recorded_by: Option<&'a str>,
    node_id: Option<&'a str>,
    recorded_at: Option<&'a str>,
    processing_ms: Option<&'a str>,
}

/// The columns an import reads, in [`CsvRow`]'s order (`person_id` is derived, not read).
const READ: [&str; 23] = [
    "id",
    "occurred_at",
    "port_id",
    "direction",
    "category",
    "purpose",
    "transport_mode",
    "permitted_stay_days",
    "document_kind",
    "document_number",
    "issuing_state",
    "document_expiry",
    "mrz_format",
    "given_names",
    "first_surname",
    "second_surname",
    "sex",
    "birth_date",
    "nationality",
    "recorded_by",
    "node_id",
    "recorded_at",
    "processing_ms",
];

/// Where each column of [`READ`] stands in the file, looked up once from the header.
/// (`READ` is [`COLUMNS`] without `person_id`; a unit test keeps the two in step.)
struct Columns([Option<usize>; READ.len()]);

impl Columns {
    fn new(headers: &csv::StringRecord) -> Columns {
        Columns(READ.map(|name| headers.iter().position(|h| h == name)))
    }

    fn row<'r>(&self, record: &'r csv::StringRecord) -> CsvRow<'r> {
        let mut fields = self.0.iter().map(|at| at.and_then(|i| record.get(i)));
        // Struct fields are evaluated in the order written, which is READ's.
        let mut next = || fields.next().flatten();
        CsvRow {
            id: next(),
            occurred_at: next(),
            port_id: next(),
            direction: next(),
            category: next(),
            purpose: next(),
            transport_mode: next(),
            permitted_stay_days: next(),
            document_kind: next(),
            document_number: next(),
            issuing_state: next(),
            document_expiry: next(),
            mrz_format: next(),
            given_names: next(),
            first_surname: next(),
            second_surname: next(),
            sex: next(),
            birth_date: next(),
            nationality: next(),
            recorded_by: next(),
            node_id: next(),
            recorded_at: next(),
            processing_ms: next(),
        }
    }
}

fn own(v: Option<&str>) -> Option<String> {
    v.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// A row parsed into a crossing, or the rule it broke.
fn parse_row(
    app: &App,
    actor: &Actor,
    row: &CsvRow<'_>,
    now: DateTime<Utc>,
) -> Result<(Crossing, String), ValidationError> {
    if own(row.occurred_at).is_none() {
        return Err(ValidationError::new("occurred_at", Rule::Required));
    }
    let permitted_stay_days = own(row.permitted_stay_days)
        .map(|d| {
            d.parse::<i64>().map_err(|_| {
                ValidationError::new("permitted_stay_days", Rule::OutOfRange { min: 1, max: 365 })
            })
        })
        .transpose()?;
    let draft = CrossingDraft {
        id: own(row.id),
        port_id: own(row.port_id),
        direction: own(row.direction),
        category: own(row.category),
        purpose: own(row.purpose),
        transport_mode: own(row.transport_mode),
        permitted_stay_days,
        occurred_at: own(row.occurred_at),
        processing_ms: None,
        destination: None,
        mrz: None,
        document: Some(DocumentDraft {
            kind: own(row.document_kind),
            number: own(row.document_number),
            issuing_state: own(row.issuing_state),
            expiry_date: own(row.document_expiry),
        }),
        person: Some(PersonDraft {
            given_names: own(row.given_names),
            first_surname: own(row.first_surname),
            second_surname: own(row.second_surname),
            sex: own(row.sex),
            birth_date: own(row.birth_date),
            nationality: own(row.nationality),
        }),
    };
    let mut new: NewCrossing = draft.parse(&app.ports, now).map_err(|e| {
        // The CSV has flat columns: `document.number` is `document_number`, `person.sex` is `sex`.
        let field = match e.field.as_str() {
            "document.kind" => "document_kind".to_string(),
            "document.expiry_date" => "document_expiry".to_string(),
            f => f.trim_start_matches("document.").trim_start_matches("person.").to_string(),
        };
        let field = if field == "number" { "document_number".into() } else { field };
        ValidationError { field, rule: e.rule }
    })?;
    if let Some(format) = own(row.mrz_format) {
        new.document.mrz_format = Some(MrzFormat::parse(&format).ok_or_else(|| {
            ValidationError::new(
                "mrz_format",
                Rule::OneOf { allowed: &["TD1", "TD2", "TD3", "MRV-A", "MRV-B"] },
            )
        })?);
    }
    if !can(actor, Action::RecordCrossing, Resource::at(new.country, Some(&new.port_id))).allowed() {
        return Err(ValidationError::new("port_id", Rule::NotAllowedWith { other: "your country or port" }));
    }
    if own(row.id).is_none() {
        new = new.with_content_id();
    }
    let recorded_at = own(row.recorded_at)
        .map(|t| {
            DateTime::parse_from_rfc3339(&t)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| ValidationError::new("recorded_at", Rule::NotATimestamp))
        })
        .transpose()?
        .unwrap_or(now);
    let provenance = Provenance {
        recorded_by: own(row.recorded_by).unwrap_or_else(|| actor.name.clone()),
        node_id: own(row.node_id).unwrap_or_else(|| app.node_id.clone()),
        recorded_at,
        // Text that is no number is out of range too: there is no other rule to name.
        processing_ms: own(row.processing_ms)
            .map(|ms| Provenance::parse_processing_ms(ms.parse::<i64>().unwrap_or(-1)))
            .transpose()?,
    };
    let fingerprint = new.fingerprint();
    Ok((Crossing::from_new(new, provenance), fingerprint))
}

fn reader(path: &Path) -> Result<csv::Reader<std::fs::File>, AppError> {
    let file = std::fs::File::open(path).map_err(|e| {
        AppError::Invalid(ValidationError::new(
            "file",
            Rule::syntax(
                format!("{}: {e}", path.display()),
                format!("no se pudo abrir {}: {e}", path.display()),
            ),
        ))
    })?;
    Ok(csv::ReaderBuilder::new().flexible(false).from_reader(file))
}

fn check_header(headers: &csv::StringRecord) -> Result<(), AppError> {
    for required in [
        "occurred_at",
        "port_id",
        "direction",
        "category",
        "document_kind",
        "document_number",
        "issuing_state",
        "first_surname",
        "sex",
        "nationality",
    ] {
        if !headers.iter().any(|h| h == required) {
            return Err(ValidationError::new(
                required,
                Rule::syntax("column missing from the header", "falta la columna en el encabezado"),
            )
            .into());
        }
    }
    Ok(())
}

/// The rows of a CSV file, read in batches and parsed on every core.
struct Rows<'a> {
    app: &'a App,
    actor: &'a Actor,
    now: DateTime<Utc>,
    rdr: csv::Reader<std::fs::File>,
    columns: Columns,
    /// Records of the batch being read, with their lines; kept to reuse their buffers.
    records: Vec<(u64, csv::StringRecord)>,
    workers: usize,
    last_byte: u64,
}

type Parsed = Result<(Crossing, String), ValidationError>;

impl<'a> Rows<'a> {
    /// Opens `path` for reading; `storing` leaves one core to the store, which writes the rows
    /// as they come (a writer sharing its core with parsers would hold up the whole import).
    fn open(
        app: &'a App,
        actor: &'a Actor,
        path: &Path,
        now: DateTime<Utc>,
        storing: bool,
    ) -> Result<Self, AppError> {
        let mut rdr = reader(path)?;
        let headers = rdr
            .headers()
            .map_err(|e| AppError::Invalid(ValidationError::new("header", unreadable_csv(&e))))?;
        check_header(headers)?;
        let columns = Columns::new(headers);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let workers = if storing { cores.saturating_sub(1) } else { cores }.clamp(1, 8);
        Ok(Rows { app, actor, now, rdr, columns, records: Vec::new(), workers, last_byte: 0 })
    }

    /// The next batch of up to `BATCH` rows, empty at the end of the file.
    fn next_batch(&mut self, progress: &dyn Progress) -> Result<Batch, AppError> {
        let mut batch = Batch::default();
        let mut unreadable = Vec::new();
        let mut n = 0;
        while n < BATCH {
            if n == self.records.len() {
                self.records.push((0, csv::StringRecord::new()));
            }
            let line = self.rdr.position().line();
            let (at, record) = &mut self.records[n];
            match self.rdr.read_record(record) {
                Ok(false) => break,
                Ok(true) => {
                    *at = record.position().map_or(line, |p| p.line());
                    n += 1;
                }
                Err(e) if e.is_io_error() => {
                    return Err(AppError::Invalid(ValidationError::new(
                        "file",
                        Rule::syntax(e.to_string(), format!("no se pudo leer el archivo: {e}")),
                    )));
                }
                Err(e) => unreadable.push((line, ValidationError::new("row", unreadable_csv(&e)))),
            }
        }
        batch.read = (n + unreadable.len()) as u64;
        // Sized once: a batch grown push by push copies itself over and over into fresh memory.
        batch.rows.reserve_exact(n);
        batch.lines.reserve_exact(n);
        for (line, parsed) in self.parse(&self.records[..n])? {
            match parsed {
                Ok((crossing, fingerprint)) => {
                    let key = self.app.count_key(&crossing);
                    batch.rows.push(ImportRow { crossing, fingerprint, key });
                    batch.lines.push(line);
                }
                Err(e) => batch.errors.push((line, e)),
            }
        }
        if !unreadable.is_empty() {
            batch.errors.extend(unreadable);
            batch.errors.sort_by_key(|(line, _)| *line);
        }
        let byte = self.rdr.position().byte();
        progress.advance(byte.saturating_sub(self.last_byte));
        self.last_byte = byte;
        Ok(batch)
    }

    /// Parses `records` in order, a share of them on each worker thread.
    fn parse(&self, records: &[(u64, csv::StringRecord)]) -> Result<Vec<(u64, Parsed)>, AppError> {
        let one = |(line, record): &(u64, csv::StringRecord)| {
            (*line, parse_row(self.app, self.actor, &self.columns.row(record), self.now))
        };
        let share = records.len().div_ceil(self.workers).max(1);
        std::thread::scope(|s| {
            let mut shares = records.chunks(share);
            let first = shares.next().unwrap_or_default();
            let others: Vec<_> =
                shares.map(|chunk| s.spawn(move || chunk.iter().map(one).collect::<Vec<_>>())).collect();
            let mut parsed: Vec<(u64, Parsed)> = Vec::with_capacity(records.len());
            parsed.extend(first.iter().map(one));
            for other in others {
                parsed.extend(
                    other.join().map_err(|_| AppError::Internal("a CSV parsing thread failed".into()))?,
                );
            }
            Ok(parsed)
        })
    }
}

impl App {
    /// Import the crossings of a CSV file, in one transaction.
    ///
    /// One pass: a thread parses rows into batches while this task stores them. The first bad
    /// row stops the storing (unless `skip_invalid`), the reading goes on to report every bad
    /// row, and the transaction is rolled back, so nothing of a bad file is kept.
    pub async fn import_crossings(
        &self,
        actor: &Actor,
        path: &Path,
        options: ImportOptions,
        progress: Arc<dyn Progress>,
    ) -> Result<ImportReport, AppError> {
        let now = self.now();
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        // The header is checked before anything starts.
        drop(Rows::open(self, actor, path, now, false)?);
        let mut report = ImportReport::default();
        let row_error = |line: u64, e: &ValidationError| RowError {
            line,
            field: e.field.clone(),
            rule: e.rule.code(),
            message: e.message(options.lang),
        };
        progress.phase("importing", size);
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(4);
        let reader = {
            let (app, actor, path, progress) =
                (self.clone(), actor.clone(), path.to_path_buf(), Arc::clone(&progress));
            tokio::task::spawn_blocking(move || -> Result<(), AppError> {
                let mut rows = Rows::open(&app, &actor, &path, now, !options.dry_run)?;
                loop {
                    let batch = rows.next_batch(progress.as_ref())?;
                    let last = batch.read == 0;
                    if tx.blocking_send(batch).is_err() || last {
                        return Ok(());
                    }
                }
            })
        };
        // About 150 bytes a row: a hint for the store, not a promise.
        let expected = size / 150;
        let mut session = if options.dry_run { None } else { Some(self.store.begin_import(expected).await?) };
        while let Some(batch) = rx.recv().await {
            report.rows += batch.read;
            report.valid += batch.rows.len() as u64;
            for (line, e) in &batch.errors {
                report.error_count += 1;
                if report.errors.len() < 1_000 {
                    report.errors.push(row_error(*line, e));
                }
            }
            if report.error_count > 0 && !options.skip_invalid {
                // Nothing will be kept: stop storing, keep reading to report every bad row.
                session = None;
                continue;
            }
            let Some(s) = session.as_mut() else { continue };
            let lines: Vec<(CrossingId, u64)> =
                batch.rows.iter().map(|r| r.crossing.id).zip(batch.lines.iter().copied()).collect();
            let counts = s.insert(batch.rows).await?;
            report.inserted += counts.inserted;
            report.already_present += counts.already_present;
            for id in counts.conflicting {
                let line = lines.iter().find(|(i, _)| *i == id).map(|(_, line)| line);
                let e = ValidationError::new(
                    "id",
                    Rule::syntax(
                        "a crossing with this id is stored with different content",
                        "hay un cruce guardado con este id y otro contenido",
                    ),
                );
                report.error_count += 1;
                if report.errors.len() < 1_000 {
                    report.errors.push(row_error(line.copied().unwrap_or(0), &e));
                }
            }
        }
        reader.await.map_err(|e| AppError::Internal(format!("reading {}: {e}", path.display())))??;
        report.errors.sort_by_key(|e| e.line);
        let Some(session) = session else { return Ok(report) };
        if report.error_count > 0 && !options.skip_invalid {
            return Ok(report);
        }
        let event = AuditDraft::new(
            &actor.name,
            "crossing.import",
            "crossing",
            path.display().to_string(),
            None,
            serde_json::json!({
                "rows": report.rows, "inserted": report.inserted,
                "already_present": report.already_present, "skipped": report.error_count,
            }),
        );
        session.commit(event).await?;
        report.committed = true;
        Ok(report)
    }

    /// Write the crossings matching `filter` as CSV, oldest first. Returns how many.
    pub async fn export_crossings(
        &self,
        actor: &Actor,
        filter: &CrossingFilter,
        out: &mut dyn Write,
        progress: &dyn Progress,
    ) -> Result<u64, AppError> {
        let mut query: CrossingQuery = filter.parse(self)?;
        if !actor.is_console() {
            let own = Resource::of(actor.scope.country);
            if !can(actor, Action::ReadPersonalData, own).allowed() {
                return Err(AppError::Forbidden("your role may not export personal data".into()));
            }
            query.countries = vec![actor.scope.country];
        }
        query.order = Order::OldestFirst;
        query.limit = 10_000;
        let total = self.store.count_crossings(&query).await?;
        let event = AuditDraft::new(
            &actor.name,
            "crossing.export",
            "crossing",
            "export",
            (!actor.is_console()).then_some(actor.scope.country.as_str()),
            serde_json::json!({"filter": filter, "count": total}),
        );
        self.store.append_audit(event).await?;
        progress.phase("exporting", total);
        let mut w = csv::Writer::from_writer(out);
        let io = |e: csv::Error| AppError::Internal(format!("writing CSV: {e}"));
        w.write_record(COLUMNS).map_err(io)?;
        let mut written = 0;
        loop {
            let page = self.store.search_crossings(&query, None).await?;
            for c in &page.crossings {
                w.write_record(csv_fields(c)).map_err(io)?;
            }
            written += page.crossings.len() as u64;
            progress.advance(page.crossings.len() as u64);
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        w.flush().map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
        Ok(written)
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// A crossing's fields in [`COLUMNS`] order.
pub fn csv_fields(c: &Crossing) -> [String; 24] {
    let opt = |v: Option<&str>| v.unwrap_or("").to_string();
    [
        c.id.to_string(),
        rfc3339(c.occurred_at),
        c.port_id.to_string(),
        c.direction.to_string(),
        c.category.to_string(),
        opt(c.purpose.map(|p| p.as_str())),
        opt(c.transport_mode.map(|t| t.as_str())),
        c.permitted_stay_days.map(|d| d.to_string()).unwrap_or_default(),
        c.document.kind.as_str().to_string(),
        c.document.number.to_string(),
        c.document.issuing_state.to_string(),
        c.document.expiry_date.map(|d| d.to_string()).unwrap_or_default(),
        opt(c.document.mrz_format.map(|f| f.as_str())),
        c.person.name.given_names.clone(),
        c.person.name.first_surname.clone(),
        opt(c.person.name.second_surname.as_deref()),
        c.person.sex.code().to_string(),
        c.person.birth_date.map(|b| b.to_string()).unwrap_or_default(),
        c.person.nationality.to_string(),
        c.person_id.to_string(),
        c.provenance.recorded_by.clone(),
        c.provenance.node_id.clone(),
        rfc3339(c.provenance.recorded_at),
        c.provenance.processing_ms.map(|ms| ms.to_string()).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_reads_every_exported_column_but_the_derived_person_id() {
        let exported: Vec<&str> = COLUMNS.iter().copied().filter(|c| *c != "person_id").collect();
        assert_eq!(exported, READ);
    }
}
