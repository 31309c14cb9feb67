//! The versioned records of the labour registry and informal monitoring: one upsert per engine, and their searches.

use frontera_domain::CountryCode;

use super::shared::{Param, corrupt};
use crate::error::StoreError;

/// A table of records kept whole as JSON and versioned: `kind` and `id` (its key), `columns`,
/// then `version` (1 when created, one more with every change) and `updated_at`. The labour
/// registry and informal-crossing monitoring keep theirs this way.
pub(crate) struct Versioned {
    /// The table.
    pub table: &'static str,
    /// Its other columns, all text, in the order of [`VersionedRow::values`].
    pub columns: &'static [&'static str],
}

/// The labour registry's records.
pub(crate) const LABOUR_RECORDS: Versioned = Versioned {
    table: "labour_records",
    columns: &["country", "holder", "employer", "search_key", "state", "record"],
};

/// Informal-crossing monitoring's records.
pub(crate) const INFORMAL_RECORDS: Versioned =
    Versioned { table: "informal_records", columns: &["country", "point", "plan", "day", "state", "record"] };

/// A versioned record to store.
#[derive(Debug, Clone)]
pub(crate) struct VersionedRow {
    pub kind: String,
    pub id: String,
    pub values: Vec<Option<String>>,
    pub version: i64,
}

impl Versioned {
    /// The stored version of a record (`kind`, `id`), locked for the transaction where the
    /// engine locks rows (`FOR UPDATE`).
    pub fn version_sql(&self, mark: &str, lock: bool) -> String {
        format!(
            "SELECT version FROM {} WHERE kind = {mark}1 AND id = {mark}2{}",
            self.table,
            if lock { " FOR UPDATE" } else { "" }
        )
    }

    /// Inserts a record or replaces the stored one: kind, id, the columns, version, updated_at.
    pub fn upsert_sql(&self, mark: &str) -> String {
        let n = self.columns.len();
        let names = self.columns.join(", ");
        let marks: Vec<String> = (1..=n + 4).map(|i| format!("{mark}{i}")).collect();
        let sets: Vec<String> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = {mark}{}", i + 3))
            .chain([format!("version = {mark}{}", n + 3), format!("updated_at = {mark}{}", n + 4)])
            .collect();
        format!(
            "INSERT INTO {} (kind, id, {names}, version, updated_at) VALUES ({}) \
             ON CONFLICT (kind, id) DO UPDATE SET {}",
            self.table,
            marks.join(", "),
            sets.join(", ")
        )
    }
}

impl VersionedRow {
    /// Refuses the change unless the stored version is the one it was made from (none for a
    /// new record).
    pub fn check_version(&self, stored: Option<i64>) -> Result<(), StoreError> {
        if stored == (self.version > 1).then_some(self.version - 1) {
            return Ok(());
        }
        Err(StoreError::Conflict(format!(
            "{} {} changed meanwhile (version {}), try again",
            self.kind,
            self.id,
            stored.unwrap_or(0)
        )))
    }
}

impl From<&crate::labour::LabourRecord> for VersionedRow {
    fn from(r: &crate::labour::LabourRecord) -> Self {
        VersionedRow {
            kind: r.kind.clone(),
            id: r.id.clone(),
            values: vec![
                Some(r.country.to_string()),
                r.holder.clone(),
                r.employer.clone(),
                r.search_key.clone(),
                Some(r.state.clone()),
                Some(r.record.clone()),
            ],
            version: r.version,
        }
    }
}

impl From<&crate::informal::InformalRecord> for VersionedRow {
    fn from(r: &crate::informal::InformalRecord) -> Self {
        VersionedRow {
            kind: r.kind.clone(),
            id: r.id.clone(),
            values: vec![
                Some(r.country.to_string()),
                r.point.clone(),
                r.plan.clone(),
                r.day.clone(),
                Some(r.state.clone()),
                Some(r.record.clone()),
            ],
            version: r.version,
        }
    }
}

/// The columns of an informal-crossing record, in [`InformalRow`]'s order.
pub(crate) const INFORMAL_COLUMNS: &str = "kind, id, country, point, plan, day, state, record, version";

/// A row of [`INFORMAL_COLUMNS`].
pub(crate) type InformalRow =
    (String, String, String, Option<String>, Option<String>, Option<String>, String, String, i64);

/// An informal-crossing record from its row.
pub(crate) fn informal(row: InformalRow) -> Result<crate::informal::InformalRecord, StoreError> {
    let (kind, id, country, point, plan, day, state, record, version) = row;
    Ok(crate::informal::InformalRecord {
        country: CountryCode::parse(&country).map_err(|_| corrupt("country", &country))?,
        kind,
        id,
        point,
        plan,
        day,
        state,
        record,
        version,
    })
}

/// The SQL and values of an informal-crossing search, with the engine's placeholder `mark`.
pub(crate) fn informal_search(q: &crate::informal::InformalQuery, mark: &str) -> (String, Vec<Param>) {
    let mut sql = format!("SELECT {INFORMAL_COLUMNS} FROM informal_records WHERE 1 = 1");
    let mut args: Vec<Param> = Vec::new();
    let mut clause = |sql: &mut String, text: &str, value: &str| {
        args.push(Param::Text(value.to_string()));
        sql.push_str(&text.replace('?', &format!("{mark}{}", args.len())));
    };
    if let Some(k) = &q.kind {
        clause(&mut sql, " AND kind = ?", k);
    }
    if let Some(c) = q.country {
        clause(&mut sql, " AND country = ?", c.as_str());
    }
    if let Some(p) = &q.point {
        clause(&mut sql, " AND point = ?", p);
    }
    if let Some(p) = &q.plan {
        clause(&mut sql, " AND plan = ?", p);
    }
    if let Some(d) = &q.from_day {
        clause(&mut sql, " AND day >= ?", d);
    }
    if let Some(d) = &q.to_day {
        clause(&mut sql, " AND day <= ?", d);
    }
    for (i, state) in q.states.iter().enumerate() {
        clause(&mut sql, if i == 0 { " AND state IN (?" } else { ", ?" }, state);
    }
    if !q.states.is_empty() {
        sql.push(')');
    }
    sql.push_str(" ORDER BY kind, day, id");
    (sql, args)
}

/// The columns of a labour record, in [`LabourRow`]'s order.
pub(crate) const LABOUR_COLUMNS: &str =
    "kind, id, country, holder, employer, search_key, state, record, version";

/// A row of [`LABOUR_COLUMNS`].
pub(crate) type LabourRow =
    (String, String, String, Option<String>, Option<String>, Option<String>, String, String, i64);

/// A labour record from its row.
pub(crate) fn labour(row: LabourRow) -> Result<crate::labour::LabourRecord, StoreError> {
    let (kind, id, country, holder, employer, search_key, state, record, version) = row;
    Ok(crate::labour::LabourRecord {
        country: CountryCode::parse(&country).map_err(|_| corrupt("country", &country))?,
        kind,
        id,
        holder,
        employer,
        search_key,
        state,
        record,
        version,
    })
}

/// The SQL and values of a labour search, with the engine's placeholder `mark` (`?` or `$`).
pub(crate) fn labour_search(q: &crate::labour::LabourQuery, mark: &str) -> (String, Vec<Param>) {
    let mut sql = format!("SELECT {LABOUR_COLUMNS} FROM labour_records WHERE 1 = 1");
    let mut args: Vec<Param> = Vec::new();
    let mut clause = |sql: &mut String, text: &str, value: Param| {
        args.push(value);
        sql.push_str(&text.replace('?', &format!("{mark}{}", args.len())));
    };
    if let Some(k) = &q.kind {
        clause(&mut sql, " AND kind = ?", Param::Text(k.clone()));
    }
    if let Some(c) = q.country {
        clause(&mut sql, " AND country = ?", Param::Text(c.to_string()));
    }
    if let Some(h) = &q.holder {
        clause(&mut sql, " AND holder = ?", Param::Text(h.clone()));
    }
    if let Some(e) = &q.employer {
        clause(&mut sql, " AND employer = ?", Param::Text(e.clone()));
    }
    if let Some(k) = &q.key_contains {
        let escaped = k.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        clause(&mut sql, " AND search_key LIKE ? ESCAPE '\\'", Param::Text(format!("%{escaped}%")));
    }
    for (i, state) in q.states.iter().enumerate() {
        let text = if i == 0 { " AND state IN (?" } else { ", ?" };
        clause(&mut sql, text, Param::Text(state.clone()));
    }
    if !q.states.is_empty() {
        sql.push(')');
    }
    sql.push_str(" ORDER BY kind, id");
    (sql, args)
}
