//! The registry's files: employers, workers and permits exported and imported as CSV or XLSX.
//!
//! An import reads every row first, through the same checks as the API, against the registry
//! and the rows before it; a file with any bad row stores nothing and names each bad row by its
//! line (the header is line 1) and column. A good file is stored whole, in one transaction,
//! with one audit event. Columns are found by name, in any order; unknown ones are refused.

use std::collections::{BTreeMap, HashSet};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use frontera_domain::access::Actor;
use frontera_domain::audit::AuditDraft;
use frontera_domain::labour::{PermitEvent, PermitKind, PermitLife, PermitState};
use frontera_domain::{Lang, Rule, ValidationError};
use frontera_store::{LabourQuery, LabourRecord};
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;
use serde_json::json;

use super::records::{
    Employer, EmployerDraft, Permit, PermitDraft, Worker, WorkerDraft, employer_of, employer_record,
    from_json, issued_by, permit_of, permit_record, registry_zone, worker_of, worker_record,
};
use crate::formats::RowError;
use crate::{App, AppError};

/// Which part of the registry a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistryFile {
    /// Employers.
    Employers,
    /// Workers.
    Workers,
    /// Permits.
    Permits,
}

impl RegistryFile {
    /// Every name.
    pub const NAMES: &'static [&'static str] = &["employers", "workers", "permits"];

    /// Parse a name.
    pub fn parse(text: &str) -> Result<RegistryFile, ValidationError> {
        match text.trim() {
            "employers" => Ok(RegistryFile::Employers),
            "workers" => Ok(RegistryFile::Workers),
            "permits" => Ok(RegistryFile::Permits),
            _ => Err(ValidationError::new("file", Rule::OneOf { allowed: RegistryFile::NAMES })),
        }
    }

    /// The name.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistryFile::Employers => "employers",
            RegistryFile::Workers => "workers",
            RegistryFile::Permits => "permits",
        }
    }

    /// The columns, in the order exports write them.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            RegistryFile::Employers => &["id", "name", "registration", "sector", "region"],
            RegistryFile::Workers => &[
                "id",
                "given_names",
                "surnames",
                "birth_date",
                "sex",
                "nationality",
                "document_kind",
                "document_number",
                "issuing_state",
            ],
            RegistryFile::Permits => &[
                "id",
                "kind",
                "worker_id",
                "employer_ids",
                "sector",
                "regions",
                "card_number",
                "state",
                "valid_from",
                "valid_until",
                "reason",
            ],
        }
    }

    /// The columns an import needs.
    fn required(self) -> &'static [&'static str] {
        match self {
            RegistryFile::Employers => &["name", "registration", "sector", "region"],
            RegistryFile::Workers => &["given_names", "surnames", "sex", "nationality", "document_number"],
            RegistryFile::Permits => &["kind", "worker_id", "employer_ids"],
        }
    }

    fn kind(self) -> &'static str {
        match self {
            RegistryFile::Employers => "employer",
            RegistryFile::Workers => "worker",
            RegistryFile::Permits => "permit",
        }
    }
}

/// CSV or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    /// Comma-separated, UTF-8, a header line.
    Csv,
    /// An Office Open XML workbook, its first sheet.
    Xlsx,
}

impl SheetFormat {
    /// Parse `csv` or `xlsx`.
    pub fn parse(text: &str) -> Result<SheetFormat, ValidationError> {
        match text.trim() {
            "csv" => Ok(SheetFormat::Csv),
            "xlsx" => Ok(SheetFormat::Xlsx),
            _ => Err(ValidationError::new("format", Rule::OneOf { allowed: &["csv", "xlsx"] })),
        }
    }

    /// What a file's first bytes say it is: a workbook is a ZIP archive.
    pub fn sniff(bytes: &[u8]) -> SheetFormat {
        if bytes.starts_with(b"PK\x03\x04") { SheetFormat::Xlsx } else { SheetFormat::Csv }
    }

    /// The media type.
    pub fn content_type(self) -> &'static str {
        match self {
            SheetFormat::Csv => "text/csv; charset=utf-8",
            SheetFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// What an import did, or would have done.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistryImport {
    /// Data rows read.
    pub rows: u64,
    /// Records stored (none when any row was bad).
    pub imported: u64,
    /// Rows the registry already held, the same (a re-import).
    pub already_present: u64,
    /// The bad rows, each by line and column (the first 1 000).
    pub errors: Vec<RowError>,
    /// How many rows were bad.
    pub error_count: u64,
}

/// A file's rows, as text, each with its line.
struct Sheet {
    header: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

fn unreadable(en: String, es: String) -> AppError {
    ValidationError::refused("file", en, es).into()
}

/// The most a registry workbook may unpack to, all its parts together.
pub const MAX_WORKBOOK_UNPACKED: u64 = 64 << 20;
/// The most rows a registry file may hold.
pub const MAX_SHEET_ROWS: u32 = 200_000;
/// The most columns a registry file's sheet may reach (its last column's number).
pub const MAX_SHEET_COLUMNS: u32 = 256;

fn too_large(en: String, es: String) -> AppError {
    ValidationError::refused("file", en, es).into()
}

/// Reads the first sheet of a workbook without trusting what it says of itself: an XLSX is a
/// zip of XML parts, so a file of a kilobyte can unpack to gigabytes, or name a cell at
/// `XFD1048576` that a dense grid would allocate 17 billion cells for. Every part is unpacked
/// once into nothing, counting its bytes, before the reader sees it; then the sheet is read
/// cell by cell into rows, refusing any cell past the limits.
fn read_workbook(bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>, AppError> {
    let not_a_workbook =
        |e: String| unreadable(format!("not a workbook: {e}"), format!("no es un libro de cálculo: {e}"));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_a_workbook(e.to_string()))?;
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(|e| not_a_workbook(e.to_string()))?;
        let left = MAX_WORKBOOK_UNPACKED - unpacked;
        unpacked += std::io::copy(&mut std::io::Read::take(part, left + 1), &mut std::io::sink())
            .map_err(|e| not_a_workbook(e.to_string()))?;
        if unpacked > MAX_WORKBOOK_UNPACKED {
            let mib = MAX_WORKBOOK_UNPACKED >> 20;
            return Err(too_large(
                format!("the workbook unpacks to more than {mib} MiB, the most a registry file may"),
                format!("el libro descomprimido pasa de {mib} MiB, lo más que puede un archivo del registro"),
            ));
        }
    }
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| not_a_workbook(e.to_string()))?;
    let first =
        book.sheet_names().into_iter().next().ok_or_else(|| {
            unreadable("the workbook has no sheet".into(), "el libro no tiene hojas".into())
        })?;
    let sheet_fault =
        |e: calamine::XlsxError| unreadable(format!("the first sheet: {e}"), format!("la primera hoja: {e}"));
    let mut cells = book.worksheet_cells_reader(&first).map_err(sheet_fault)?;
    let mut rows: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(sheet_fault)? {
        let (row, column) = cell.get_position();
        if row >= MAX_SHEET_ROWS || column >= MAX_SHEET_COLUMNS {
            let at = if row >= MAX_SHEET_ROWS { row + 1 } else { column + 1 };
            let (what, limit) =
                if row >= MAX_SHEET_ROWS { ("row", MAX_SHEET_ROWS) } else { ("column", MAX_SHEET_COLUMNS) };
            let que = if what == "row" { "fila" } else { "columna" };
            return Err(too_large(
                format!("the sheet has a cell in {what} {at}: a registry file holds at most {limit} {what}s"),
                format!(
                    "la hoja tiene una celda en la {que} {at}: un archivo del registro tiene a lo más {limit} {que}s"
                ),
            ));
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if !text.is_empty() {
            rows.entry(row).or_default().push((column, text));
        }
    }
    Ok(rows
        .into_iter()
        .map(|(row, mut cells)| {
            cells.sort_by_key(|(column, _)| *column);
            let width = cells.last().map_or(0, |(column, _)| *column as usize + 1);
            let mut line = vec![String::new(); width];
            for (column, text) in cells {
                line[column as usize] = text;
            }
            (u64::from(row) + 1, line)
        })
        .collect())
}

/// A workbook cell as the registry reads it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        // A spreadsheet's day: days since 1899-12-30.
        Data::DateTime(d) => NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(d.as_f64().max(0.0) as u64)))
            .map_or_else(|| d.to_string(), |day| day.to_string()),
        other => other.to_string().trim().to_string(),
    }
}

fn read_sheet(bytes: &[u8], format: SheetFormat) -> Result<Sheet, AppError> {
    let mut lines: Vec<(u64, Vec<String>)> = Vec::new();
    match format {
        SheetFormat::Csv => {
            let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
                .map_err(|_| unreadable("not UTF-8 text".into(), "no es texto UTF-8".into()))?;
            let mut reader =
                csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
            for record in reader.records() {
                let record =
                    record.map_err(|e| unreadable(format!("not CSV: {e}"), format!("no es CSV: {e}")))?;
                let line = record.position().map_or(0, |p| p.line());
                lines.push((line, record.iter().map(|v| v.trim().to_string()).collect()));
            }
        }
        SheetFormat::Xlsx => lines = read_workbook(bytes)?,
    }
    let mut lines = lines.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let (_, header) =
        lines.next().ok_or_else(|| unreadable("the file is empty".into(), "el archivo está vacío".into()))?;
    Ok(Sheet { header: header.into_iter().map(|h| h.to_ascii_lowercase()).collect(), rows: lines.collect() })
}

/// One row's values by column name.
struct Row<'a> {
    header: &'a [String],
    cells: &'a [String],
}

impl Row<'_> {
    fn get(&self, column: &str) -> Option<String> {
        let i = self.header.iter().position(|h| h == column)?;
        self.cells.get(i).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    fn list(&self, column: &str) -> Vec<String> {
        self.get(column)
            .map(|v| v.split([';', '|']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect())
            .unwrap_or_default()
    }
}

fn day(text: Option<String>, field: &str) -> Result<Option<NaiveDate>, ValidationError> {
    text.map(|t| {
        NaiveDate::parse_from_str(&t, "%Y-%m-%d")
            .map_err(|_| ValidationError::refused(field, "a day, YYYY-MM-DD", "un día, AAAA-MM-DD"))
    })
    .transpose()
}

/// A permit's life as a file states it: applied, or issued and then as it stands.
fn imported_life(
    kind: &'static PermitKind,
    row: &Row<'_>,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<PermitLife, AppError> {
    let state = match row.get("state") {
        None => PermitState::Applied,
        Some(s) => PermitState::parse(&s).map_err(|r| ValidationError::new("state", r))?,
    };
    let mut life = PermitLife::applied();
    let refuse = |e: frontera_domain::labour::PermitChangeRefused, field: &str| -> AppError {
        ValidationError::refused(field, e.message(Lang::En), e.message(Lang::Es)).into()
    };
    let reason =
        || row.get("reason").ok_or_else(|| AppError::from(ValidationError::new("reason", Rule::Required)));
    if state == PermitState::Applied {
        return Ok(life);
    }
    if state == PermitState::Refused {
        life.apply(kind, PermitEvent::Refuse { reason: reason()? }, today, now)
            .map_err(|e| refuse(e, "state"))?;
        return Ok(life);
    }
    let from = day(row.get("valid_from"), "valid_from")?
        .ok_or_else(|| ValidationError::new("valid_from", Rule::Required))?;
    let until = day(row.get("valid_until"), "valid_until")?
        .ok_or_else(|| ValidationError::new("valid_until", Rule::Required))?;
    life.apply(kind, PermitEvent::Issue { valid_from: from, valid_until: until }, today, now)
        .map_err(|e| refuse(e, "valid_until"))?;
    match state {
        PermitState::Expired => {
            life.apply(kind, PermitEvent::Expire, today, now).map_err(|e| refuse(e, "state"))?;
        }
        PermitState::Revoked => {
            life.apply(kind, PermitEvent::Revoke { reason: reason()? }, today, now)
                .map_err(|e| refuse(e, "state"))?;
        }
        _ => {}
    }
    Ok(life)
}

impl App {
    /// The registrar's country's employers, workers or permits as a file.
    pub async fn export_registry(
        &self,
        actor: &Actor,
        file: RegistryFile,
        format: SheetFormat,
    ) -> Result<Vec<u8>, AppError> {
        let country = actor.scope.country;
        self.may_keep(actor, country)?;
        let q =
            LabourQuery { kind: Some(file.kind().into()), country: Some(country), ..LabourQuery::default() };
        let records = self.store.labour_records(&q).await?;
        let mut rows: Vec<Vec<String>> = Vec::with_capacity(records.len());
        for r in &records {
            rows.push(match file {
                RegistryFile::Employers => {
                    let e: Employer = from_json(r)?;
                    vec![e.id, e.name, e.registration, e.sector, e.region]
                }
                RegistryFile::Workers => {
                    let w: Worker = from_json(r)?;
                    vec![
                        w.id,
                        w.given_names,
                        w.surnames,
                        w.birth_date.map(|b| b.to_string()).unwrap_or_default(),
                        w.sex.code().to_string(),
                        w.nationality.to_string(),
                        w.document_kind.as_str().to_string(),
                        w.document_number,
                        w.issuing_state.to_string(),
                    ]
                }
                RegistryFile::Permits => {
                    let p: Permit = from_json(r)?;
                    let d = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
                    vec![
                        p.id,
                        p.kind,
                        p.worker_id,
                        p.employer_ids.join(";"),
                        p.sector,
                        p.regions.join(";"),
                        p.card_number.unwrap_or_default(),
                        p.life.state.as_str().to_string(),
                        d(p.life.valid_from),
                        d(p.life.valid_until),
                        p.reason.unwrap_or_default(),
                    ]
                }
            });
        }
        rows.sort();
        let out = match format {
            SheetFormat::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                let io = |e: csv::Error| AppError::Internal(format!("writing CSV: {e}"));
                w.write_record(file.columns()).map_err(io)?;
                for row in &rows {
                    w.write_record(row).map_err(io)?;
                }
                w.into_inner().map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?
            }
            SheetFormat::Xlsx => {
                let failed = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("writing XLSX: {e}"));
                let mut book = Workbook::new();
                let ws = book.add_worksheet();
                ws.set_name(file.as_str()).map_err(failed)?;
                let bold = Format::new().set_bold();
                for (c, name) in file.columns().iter().enumerate() {
                    ws.write_string_with_format(0, c as u16, *name, &bold).map_err(failed)?;
                }
                for (r, row) in rows.iter().enumerate() {
                    for (c, value) in row.iter().enumerate() {
                        ws.write_string(r as u32 + 1, c as u16, value).map_err(failed)?;
                    }
                }
                ws.autofit();
                book.save_to_buffer().map_err(failed)?
            }
        };
        let event = AuditDraft::new(
            &actor.name,
            "labour.export",
            file.kind(),
            "",
            Some(country.as_str()),
            json!({"rows": rows.len()}),
        );
        self.store.append_audit(event).await?;
        Ok(out)
    }

    /// Imports employers, workers or permits into the registrar's country's registry: every
    /// row checked first; any bad row and nothing is stored (`dry_run` stores nothing either).
    pub async fn import_registry(
        &self,
        actor: &Actor,
        file: RegistryFile,
        bytes: &[u8],
        dry_run: bool,
        lang: Lang,
    ) -> Result<RegistryImport, AppError> {
        let country = actor.scope.country;
        self.may_keep(actor, country)?;
        let sheet = read_sheet(bytes, SheetFormat::sniff(bytes))?;
        for (i, h) in sheet.header.iter().enumerate() {
            if !file.columns().contains(&h.as_str()) {
                let known = file.columns().join(", ");
                return Err(ValidationError::refused(
                    "header",
                    format!("column {} ({h}) is not one of {known}", i + 1),
                    format!("la columna {} ({h}) no es ninguna de {known}", i + 1),
                )
                .into());
            }
            if sheet.header[..i].contains(h) {
                return Err(ValidationError::refused(
                    "header",
                    format!("column {h} twice"),
                    format!("la columna {h} dos veces"),
                )
                .into());
            }
        }
        for needed in file.required() {
            if !sheet.header.iter().any(|h| h == needed) {
                return Err(ValidationError::new(format!("header.{needed}"), Rule::Required).into());
            }
        }
        let of = |kind: &str| LabourQuery {
            kind: Some(kind.into()),
            country: Some(country),
            ..LabourQuery::default()
        };
        let held: BTreeMap<String, LabourRecord> = self
            .store
            .labour_records(&of(file.kind()))
            .await?
            .into_iter()
            .map(|r| (r.id.clone(), r))
            .collect();
        let workers: BTreeMap<String, Worker> = if file == RegistryFile::Permits {
            self.store
                .labour_records(&of("worker"))
                .await?
                .iter()
                .map(|r| from_json::<Worker>(r).map(|w| (w.id.clone(), w)))
                .collect::<Result<_, _>>()?
        } else {
            BTreeMap::new()
        };
        let employers: BTreeMap<String, Employer> = if file == RegistryFile::Permits {
            self.store
                .labour_records(&of("employer"))
                .await?
                .iter()
                .map(|r| from_json::<Employer>(r).map(|e| (e.id.clone(), e)))
                .collect::<Result<_, _>>()?
        } else {
            BTreeMap::new()
        };
        let now = self.now();
        let today = now.with_timezone(&registry_zone(country)).date_naive();
        let mut report = RegistryImport { rows: sheet.rows.len() as u64, ..RegistryImport::default() };
        let mut records: Vec<LabourRecord> = Vec::new();
        let mut ids: HashSet<String> = HashSet::new();
        let mut documents: HashSet<String> = HashSet::new();
        for (line, cells) in &sheet.rows {
            let row = Row { header: &sheet.header, cells };
            let made = (|| -> Result<Option<LabourRecord>, AppError> {
                if cells.len() > sheet.header.len() {
                    let (n, m) = (cells.len(), sheet.header.len());
                    return Err(ValidationError::refused(
                        "row",
                        format!("{n} values for {m} columns"),
                        format!("{n} valores para {m} columnas"),
                    )
                    .into());
                }
                let mut record = match file {
                    RegistryFile::Employers => {
                        let draft = EmployerDraft {
                            name: row.get("name"),
                            registration: row.get("registration"),
                            sector: row.get("sector"),
                            region: row.get("region"),
                        };
                        let mut e = employer_of(country, &draft)?;
                        if let Some(id) = row.get("id") {
                            e.id = id;
                        }
                        employer_record(&e)?
                    }
                    RegistryFile::Workers => {
                        let draft = WorkerDraft {
                            given_names: row.get("given_names"),
                            surnames: row.get("surnames"),
                            birth_date: row.get("birth_date"),
                            sex: row.get("sex"),
                            nationality: row.get("nationality"),
                            document_number: row.get("document_number"),
                            document_kind: row.get("document_kind"),
                            issuing_state: row.get("issuing_state"),
                            person_id: None,
                        };
                        let mut w = worker_of(country, &draft, None)?;
                        if let Some(id) = row.get("id") {
                            w.id = id;
                        }
                        if !documents.insert(w.person_id.clone()) {
                            let (en, es) =
                                ("another row holds this document", "otra fila tiene este documento");
                            return Err(ValidationError::refused("document_number", en, es).into());
                        }
                        worker_record(&w)?
                    }
                    RegistryFile::Permits => {
                        let draft = PermitDraft {
                            kind: row.get("kind"),
                            worker_id: row.get("worker_id"),
                            employer_ids: row.list("employer_ids"),
                            sector: row.get("sector"),
                            regions: row.list("regions"),
                            card_number: row.get("card_number"),
                        };
                        let kind = PermitKind::parse(draft.kind.as_deref().unwrap_or_default())
                            .map_err(|r| ValidationError::new("kind", r))?;
                        let worker_id = draft.worker_id.clone().unwrap_or_default();
                        let worker = workers.get(&worker_id).ok_or_else(|| {
                            ValidationError::refused(
                                "worker_id",
                                "no worker of this registry has this id",
                                "ningún trabajador de este registro tiene este id",
                            )
                        })?;
                        issued_by(kind, worker)?;
                        if draft.employer_ids.is_empty() {
                            return Err(ValidationError::new("employer_ids", Rule::Required).into());
                        }
                        let mut named = Vec::new();
                        for id in &draft.employer_ids {
                            named.push(employers.get(id).cloned().ok_or_else(|| {
                                ValidationError::refused(
                                    "employer_ids",
                                    format!("no employer of this registry has the id {id}"),
                                    format!("ningún empleador de este registro tiene el id {id}"),
                                )
                            })?);
                        }
                        let mut p = permit_of(kind, worker, &named, &draft)?;
                        if let Some(id) = row.get("id") {
                            p.id = id;
                        }
                        p.life = imported_life(kind, &row, today, now)?;
                        if matches!(p.life.state, PermitState::Refused | PermitState::Revoked) {
                            p.reason = row.get("reason");
                        }
                        permit_record(&p, country, 1)?
                    }
                };
                if !ids.insert(record.id.clone()) {
                    return Err(ValidationError::refused(
                        "id",
                        "another row has this id",
                        "otra fila tiene este id",
                    )
                    .into());
                }
                // A record the registry holds: the same again is already present; another
                // content under its id is refused.
                if let Some(stored) = held.get(&record.id) {
                    let same = if file == RegistryFile::Permits {
                        // A permit's changes carry the instant they were made: compare what
                        // the file states.
                        let stated = |r: &LabourRecord| {
                            serde_json::from_str::<Permit>(&r.record).ok().map(|mut p| {
                                p.life.changes.clear();
                                p
                            })
                        };
                        stated(stored) == stated(&record)
                    } else {
                        serde_json::from_str::<serde_json::Value>(&stored.record).ok()
                            == serde_json::from_str::<serde_json::Value>(&record.record).ok()
                    };
                    if same {
                        return Ok(None);
                    }
                    return Err(ValidationError::refused(
                        "id",
                        "the registry holds another record under this id",
                        "el registro guarda otro registro con este id",
                    )
                    .into());
                }
                record.version = 1;
                Ok(Some(record))
            })();
            match made {
                Ok(Some(r)) => records.push(r),
                Ok(None) => report.already_present += 1,
                Err(AppError::Invalid(e)) => {
                    report.error_count += 1;
                    if report.errors.len() < 1_000 {
                        report.errors.push(RowError {
                            line: *line,
                            field: e.field.clone(),
                            rule: e.rule.code(),
                            message: e.message(lang),
                        });
                    }
                }
                Err(other) => return Err(other),
            }
        }
        if report.error_count > 0 || dry_run || records.is_empty() {
            return Ok(report);
        }
        let event = AuditDraft::new(
            &actor.name,
            "labour.import",
            file.kind(),
            "",
            Some(country.as_str()),
            json!({"rows": report.rows, "imported": records.len(), "already_present": report.already_present}),
        );
        self.store.save_labour(&records, now, event).await.map_err(|e| match e {
            frontera_store::StoreError::Conflict(c) => AppError::Conflict(c),
            other => other.into(),
        })?;
        report.imported = records.len() as u64;
        Ok(report)
    }
}
