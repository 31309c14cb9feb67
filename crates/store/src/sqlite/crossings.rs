//! The sqlite engine: crossings and their counts: record, search, travellers, facts for statistics, bulk import.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::{AuditDraft, AuditEvent};
use frontera_domain::{CountKey, CountryCode, Crossing, CrossingId, PortId};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::alerts::insert_hits;
use super::{
    BUSY_TIMEOUT, REBUILD_FROM_ROWS, SECONDARY_INDEXES, SqliteStore, append, text, text_or_null, uuid_of,
    values,
};
use crate::alerts::ScreeningRecord;
use crate::crossings::{
    CountQuery, CrossingFact, CrossingPage, CrossingQuery, CrossingStore, ImportCounts, ImportRow,
    ImportSession, Movements, Order, Recorded, TravellerQuery, with_ids,
};
use crate::error::StoreError;
use crate::rows::alerts::micros;
use crate::rows::{
    COLUMN_COUNT, COLUMNS, CrossingRecord, LATEST_FIRST, LatestPerPerson, OVERDUE_FIRST, Param,
    TRAVELLER_COLUMNS, TRAVELLER_UPSERT, TravellerRecord, overstays, traveller_search,
};

#[async_trait]
impl ImportSession for SqliteImport {
    async fn insert(&mut self, rows: Vec<ImportRow>) -> Result<ImportCounts, StoreError> {
        let conn = self.conn.take().ok_or_else(|| StoreError::Worker("the import has ended".into()))?;
        let insert = tokio::task::spawn_blocking(move || {
            // In id order (UUIDv7: time order), the primary-key index grows at its end.
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_unstable_by_key(|&i| rows[i].crossing.id);
            let mut new = vec![false; rows.len()];
            let counts = insert_rows(&conn, order.iter().map(|&i| &rows[i]), |at| new[order[at]] = true);
            (conn, counts, rows, new)
        });
        // While the writer inserts these rows, the previous batch's are counted and go to the
        // latest per person.
        self.absorb();
        let (conn, counts, rows, new) = insert.await.map_err(|e| StoreError::Worker(e.to_string()))?;
        self.conn = Some(conn);
        self.unabsorbed = (rows, new);
        counts
    }

    async fn commit(mut self: Box<Self>, audit: AuditDraft) -> Result<AuditEvent, StoreError> {
        let (rebuild, journal) = (self.rebuild_indexes, self.rollback_journal);
        self.absorb();
        let travellers = std::mem::take(&mut self.latest).into_sorted();
        let cells = std::mem::take(&mut self.cells);
        let event = self
            .run(move |conn| {
                upsert_travellers(conn, &travellers)?;
                add_counts(conn, cells.iter().map(|(k, n)| (k, *n)))?;
                if rebuild {
                    for (_, create) in SECONDARY_INDEXES {
                        conn.execute_batch(create)?;
                    }
                }
                let event = append(conn, audit)?;
                conn.execute_batch("COMMIT")?;
                if journal {
                    back_to_wal(conn);
                }
                Ok(event)
            })
            .await?;
        self.rollback_journal = false;
        Ok(event)
    }
}

#[async_trait]
impl CrossingStore for SqliteStore {
    async fn record_crossing(
        &self,
        crossing: &Crossing,
        fingerprint: &str,
        key: &frontera_domain::CountKey,
        screening: Option<&ScreeningRecord>,
        audit: AuditDraft,
    ) -> Result<Recorded, StoreError> {
        let row =
            ImportRow { crossing: crossing.clone(), fingerprint: fingerprint.to_string(), key: key.clone() };
        let screening = screening.cloned();
        self.write(move |tx| {
            if let Some(stored) = crossing_by_id(tx, row.crossing.id.0)? {
                return if stored.fingerprint == row.fingerprint {
                    Ok(Recorded::AlreadyStored(stored.into_crossing()?))
                } else {
                    let id = row.crossing.id;
                    Err(StoreError::Conflict(format!("crossing {id} is stored with different content")))
                };
            }
            let mut new = false;
            insert_rows(tx, std::slice::from_ref(&row), |_| new = true)?;
            add_counts(tx, new.then_some((&row.key, 1)))?;
            upsert_travellers(tx, &[TravellerRecord::from_crossing(&row.crossing)])?;
            if let Some(s) = &screening {
                tx.prepare_cached(
                    "INSERT INTO screenings (crossing_id, screened_at, entries, protection) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    row.crossing.id.0.as_bytes().as_slice(),
                    micros(s.screened_at),
                    s.entries as i64,
                    s.protection
                ])?;
                insert_hits(tx, &s.hits)?;
            }
            append(tx, audit)?;
            Ok(Recorded::Created(row.crossing))
        })
        .await
    }

    async fn crossing(
        &self,
        id: CrossingId,
        audit: Option<AuditDraft>,
    ) -> Result<Option<Crossing>, StoreError> {
        let Some(audit) = audit else {
            return self
                .read(move |conn| crossing_by_id(conn, id.0)?.map(CrossingRecord::into_crossing).transpose())
                .await;
        };
        self.write(move |tx| {
            let found = crossing_by_id(tx, id.0)?.map(CrossingRecord::into_crossing).transpose()?;
            if found.is_some() {
                append(tx, with_ids(audit, &[id]))?;
            }
            Ok(found)
        })
        .await
    }

    async fn search_crossings(
        &self,
        query: &CrossingQuery,
        audit: Option<AuditDraft>,
    ) -> Result<CrossingPage, StoreError> {
        let query = query.clone();
        let Some(audit) = audit else {
            return self.read(move |conn| search(conn, &query)).await;
        };
        self.write(move |tx| {
            let page = search(tx, &query)?;
            let ids: Vec<CrossingId> = page.crossings.iter().map(|c| c.id).collect();
            append(tx, with_ids(audit, &ids))?;
            Ok(page)
        })
        .await
    }

    async fn count_crossings(&self, query: &CrossingQuery) -> Result<u64, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let (sql, args) = search_sql(&query, "SELECT COUNT(*)", false);
            let n: i64 =
                conn.prepare_cached(&sql)?.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?;
            Ok(n as u64)
        })
        .await
    }

    async fn search_travellers(
        &self,
        query: &TravellerQuery,
        audit: Option<AuditDraft>,
    ) -> Result<Vec<Crossing>, StoreError> {
        let select = traveller_search(query, "?");
        let Some(audit) = audit else {
            return self.read(move |conn| latest_crossings(conn, select, LATEST_FIRST)).await;
        };
        self.write(move |tx| {
            let found = latest_crossings(tx, select, LATEST_FIRST)?;
            let ids: Vec<CrossingId> = found.iter().map(|c| c.id).collect();
            append(tx, with_ids(audit, &ids))?;
            Ok(found)
        })
        .await
    }

    async fn overstays(
        &self,
        country: CountryCode,
        port: Option<&PortId>,
        at: DateTime<Utc>,
        limit: u32,
        audit: Option<AuditDraft>,
    ) -> Result<(u64, Vec<Crossing>), StoreError> {
        let (count_sql, count_args) = overstays(country, port, at, None, "?");
        let select = overstays(country, port, at, Some(limit), "?");
        let run = move |conn: &Connection| -> Result<(u64, Vec<Crossing>), StoreError> {
            let count: i64 = conn
                .prepare_cached(&count_sql)?
                .query_row(rusqlite::params_from_iter(values(count_args)), |r| r.get(0))?;
            let found = if limit == 0 { Vec::new() } else { latest_crossings(conn, select, OVERDUE_FIRST)? };
            Ok((count as u64, found))
        };
        let Some(audit) = audit else {
            return self.read(run).await;
        };
        self.write(move |tx| {
            let (count, found) = run(tx)?;
            let ids: Vec<CrossingId> = found.iter().map(|c| c.id).collect();
            append(tx, with_ids(audit, &ids))?;
            Ok((count, found))
        })
        .await
    }

    async fn crossing_facts(&self, query: &CrossingQuery) -> Result<Vec<CrossingFact>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let (sql, args) = search_sql(&query, crate::rows::FACT_COLUMNS, false);
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut facts = Vec::new();
            while let Some(row) = rows.next()? {
                facts.push(crate::rows::fact((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                    row.get(8)?,
                ))?);
            }
            Ok(facts)
        })
        .await
    }

    async fn movements(
        &self,
        country: CountryCode,
        before: Option<DateTime<Utc>>,
    ) -> Result<Movements, StoreError> {
        let before = before.map_or(i64::MAX, |b| b.timestamp_micros());
        self.read(move |conn| {
            let mut out = crate::rows::MovementsBuilder::default();
            let mut stmt = conn.prepare(crate::rows::HOLDER_SELECT)?;
            let mut rows = stmt.query(rusqlite::params![country.as_str()])?;
            while let Some(row) = rows.next()? {
                out.holder(
                    uuid_of(row.get(0)?, "person_id")?,
                    row.get(1)?,
                    text_or_null(row, 2, "birth_date")?,
                    text(row, 3, "sex")?,
                    text(row, 4, "nationality")?,
                )?;
            }
            let mut stmt = conn.prepare(crate::rows::MOVEMENT_SELECT)?;
            let mut rows = stmt.query(rusqlite::params![country.as_str(), before])?;
            while let Some(row) = rows.next()? {
                let person = row.get_ref(0)?.as_blob().unwrap_or_default();
                let person = Uuid::from_slice(person)
                    .map_err(|_| StoreError::Corrupt { column: "person_id", value: format!("{person:?}") })?;
                out.crossing(
                    person,
                    row.get(1)?,
                    text(row, 2, "port_id")?,
                    text(row, 3, "direction")?,
                    text(row, 4, "category")?,
                    row.get(5)?,
                )?;
            }
            Ok(out.finish())
        })
        .await
    }

    async fn crossing_counts(
        &self,
        query: &CountQuery,
    ) -> Result<Vec<(frontera_domain::CountKey, u64)>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let (filter, args) = crate::rows::count_filter(&query, "?");
            let sql = format!(
                "SELECT {}, crossings FROM {}{filter}",
                crate::rows::COUNT_KEY_COLUMNS,
                crate::rows::count_table(&query)
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                let fields: [String; 8] = [
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                    row.get(5)?,
                    row.get(6)?,
                    row.get(7)?,
                ];
                let n: i64 = row.get(8)?;
                out.push((crate::rows::count_key(fields)?, n.max(0) as u64));
            }
            Ok(out)
        })
        .await
    }

    async fn replace_counts(
        &self,
        counts: Vec<(frontera_domain::CountKey, u64)>,
        crossings: u64,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            let stored: i64 = tx.query_row("SELECT COUNT(*) FROM crossings", [], |r| r.get(0))?;
            if stored.max(0) as u64 != crossings {
                return Err(StoreError::Conflict(format!(
                    "{stored} crossings are stored, not the {crossings} counted: counting again"
                )));
            }
            for table in crate::rows::COUNT_TABLES {
                tx.execute(&format!("DELETE FROM {table}"), [])?;
            }
            add_counts(tx, counts.iter().map(|(k, n)| (k, *n)))?;
            tx.execute(
                "INSERT INTO node_meta (key, value) VALUES ('crossing_counts', 'whole') \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [],
            )?;
            Ok(())
        })
        .await
    }

    async fn begin_import(&self, expected_rows: u64) -> Result<Box<dyn ImportSession>, StoreError> {
        let conn = Arc::clone(&self.writer).lock_owned().await;
        let mut session = SqliteImport {
            conn: Some(conn),
            rebuild_indexes: false,
            rollback_journal: false,
            latest: LatestPerPerson::default(),
            unabsorbed: (Vec::new(), Vec::new()),
            cells: HashMap::new(),
        };
        let readers = Arc::clone(&self.readers);
        (session.rebuild_indexes, session.rollback_journal) = session
            .run(move |conn| {
                let stored: i64 =
                    conn.query_row("SELECT COALESCE(MAX(rowid), 0) FROM crossings", [], |r| r.get(0))?;
                let outgrows = expected_rows >= REBUILD_FROM_ROWS && expected_rows > stored.max(0) as u64;
                let journal = outgrows && leave_wal(conn, &readers);
                conn.execute_batch("BEGIN IMMEDIATE")?;
                // Inserting into an index row by row costs a B-tree search each; building it
                // from sorted rows at the end is cheaper once the import outgrows the table.
                if outgrows {
                    for (name, _) in SECONDARY_INDEXES {
                        conn.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
                    }
                }
                Ok((outgrows, journal))
            })
            .await?;
        Ok(Box::new(session))
    }
}

pub(super) fn crossing_record(row: &Row<'_>) -> Result<CrossingRecord, StoreError> {
    Ok(CrossingRecord {
        id: uuid_of(row.get(0)?, "id")?,
        port_id: row.get(1)?,
        country: row.get(2)?,
        direction: row.get(3)?,
        category: row.get(4)?,
        purpose: row.get(5)?,
        transport_mode: row.get(6)?,
        permitted_stay_days: row.get(7)?,
        occurred_at: row.get(8)?,
        person_id: uuid_of(row.get(9)?, "person_id")?,
        given_names: row.get(10)?,
        first_surname: row.get(11)?,
        second_surname: row.get(12)?,
        sex: row.get(13)?,
        birth_date: row.get(14)?,
        nationality: row.get(15)?,
        document_kind: row.get(16)?,
        document_number: row.get(17)?,
        issuing_state: row.get(18)?,
        document_expiry: row.get(19)?,
        mrz_format: row.get(20)?,
        recorded_by: row.get(21)?,
        node_id: row.get(22)?,
        recorded_at: row.get(23)?,
        fingerprint: row.get(24)?,
        processing_ms: row.get(25)?,
    })
}

pub(super) fn crossing_by_id(conn: &Connection, id: Uuid) -> Result<Option<CrossingRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM crossings WHERE id = ?1"))?;
    let mut rows = stmt.query(params![id.as_bytes().as_slice()])?;
    match rows.next()? {
        Some(row) => Ok(Some(crossing_record(row)?)),
        None => Ok(None),
    }
}

/// Inserts crossings one prepared statement at a time, binding their fields in place, skipping
/// ids already stored, and sorts the skipped ones into re-sent (same fingerprint) and conflicting.
/// `stored_now` is called with the place (in `rows`' order) of each row stored now, for the
/// caller to count it in `crossing_counts` (an import writes the counts once, at commit).
pub(super) fn insert_rows<'r>(
    conn: &Connection,
    rows: impl IntoIterator<Item = &'r ImportRow>,
    mut stored_now: impl FnMut(usize),
) -> Result<ImportCounts, StoreError> {
    let mut counts = ImportCounts::default();
    let placeholders: Vec<String> = (1..=COLUMN_COUNT).map(|i| format!("?{i}")).collect();
    let mut insert = conn.prepare_cached(&format!(
        "INSERT INTO crossings ({COLUMNS}) VALUES ({}) ON CONFLICT (id) DO NOTHING",
        placeholders.join(", ")
    ))?;
    let mut stored = conn.prepare_cached("SELECT fingerprint FROM crossings WHERE id = ?1")?;
    for (at, ImportRow { crossing: c, fingerprint, .. }) in rows.into_iter().enumerate() {
        let (p, d) = (&c.person, &c.document);
        let changed = insert.execute(params![
            c.id.0.as_bytes().as_slice(),
            c.port_id.as_str(),
            c.country.as_str(),
            c.direction.as_str(),
            c.category.as_str(),
            c.purpose.map(|v| v.as_str()),
            c.transport_mode.map(|v| v.as_str()),
            c.permitted_stay_days.map(i64::from),
            c.occurred_at.timestamp_micros(),
            c.person_id.0.as_bytes().as_slice(),
            p.name.given_names,
            p.name.first_surname,
            p.name.second_surname,
            p.sex.code(),
            p.birth_date.map(|b| b.to_string()),
            p.nationality.as_str(),
            d.kind.as_str(),
            d.number.as_str(),
            d.issuing_state.as_str(),
            d.expiry_date.map(|e| e.to_string()),
            d.mrz_format.map(|f| f.as_str()),
            c.provenance.recorded_by,
            c.provenance.node_id,
            c.provenance.recorded_at.timestamp_micros(),
            fingerprint,
            c.provenance.processing_ms.map(i64::from),
        ])?;
        if changed == 1 {
            counts.inserted += 1;
            stored_now(at);
            continue;
        }
        let stored: Option<String> =
            stored.query_row(params![c.id.0.as_bytes().as_slice()], |row| row.get(0)).optional()?;
        if stored.as_deref() == Some(fingerprint.as_str()) {
            counts.already_present += 1;
        } else {
            counts.conflicting.push(c.id);
        }
    }
    Ok(counts)
}

/// Adds to `crossing_counts`, and to `crossing_counts_monthly` the same added up by month.
pub(super) fn add_counts<'k>(
    conn: &Connection,
    cells: impl IntoIterator<Item = (&'k CountKey, u64)>,
) -> Result<(), StoreError> {
    let marks: Vec<String> = (1..=9).map(|i| format!("?{i}")).collect();
    let [daily_table, monthly_table] = crate::rows::COUNT_TABLES;
    let daily: Vec<(&CountKey, u64)> = cells.into_iter().collect();
    let months = frontera_domain::count::by_month(daily.iter().copied());
    let monthly: Vec<(&CountKey, u64)> = months.iter().map(|(k, n)| (k, *n)).collect();
    for (table, cells) in [(daily_table, daily), (monthly_table, monthly)] {
        let mut upsert = conn.prepare_cached(&crate::rows::count_upsert(table, &marks))?;
        for (key, n) in cells {
            let [a, b, c, d, e, f, g, h] = key.columns();
            upsert.execute(params![a, b, c, d, e, f, g, h, n as i64])?;
        }
    }
    Ok(())
}

/// Stores the `travellers` rows of `rows`, each where it is its person's latest crossing.
pub(super) fn upsert_travellers(conn: &Connection, rows: &[TravellerRecord]) -> Result<(), StoreError> {
    let mut upsert = conn.prepare_cached(&format!(
        "INSERT INTO travellers ({TRAVELLER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8){TRAVELLER_UPSERT}"
    ))?;
    for t in rows {
        upsert.execute(params![
            t.person_id.as_bytes().as_slice(),
            t.country,
            t.name_key,
            t.birth_date,
            t.document_number,
            t.last_crossing.as_bytes().as_slice(),
            t.last_at,
            t.stay_until,
        ])?;
    }
    Ok(())
}

/// Fills `travellers` from every stored crossing.
pub(super) fn fill_travellers(conn: &Connection) -> Result<(), StoreError> {
    let mut latest = LatestPerPerson::default();
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM crossings"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        latest.add([crossing_record(row)?.into_crossing()?]);
    }
    upsert_travellers(conn, &latest.into_sorted())
}

/// The crossings a `travellers` query selects (`SELECT last_crossing …`), in `order`.
pub(super) fn latest_crossings(
    conn: &Connection,
    (ids_sql, args): (String, Vec<Param>),
    order: &str,
) -> Result<Vec<Crossing>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM crossings WHERE id IN ({ids_sql}) ORDER BY {order}");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values(args)))?;
    let mut found = Vec::new();
    while let Some(row) = rows.next()? {
        found.push(crossing_record(row)?.into_crossing()?);
    }
    Ok(found)
}

/// ` WHERE …` for every filter of `q`, with the cursor's bound, order and limit (one more row
/// than asked, to see if a next page exists).
pub(super) fn search_sql(q: &CrossingQuery, select: &str, page: bool) -> (String, Vec<Value>) {
    let mut sql = format!("{select} FROM crossings WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    let mut bind = |sql: &mut String, clause: &str, value: Value| {
        args.push(value);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    if !q.countries.is_empty() {
        sql.push_str(" AND country IN (");
        for (i, c) in q.countries.iter().enumerate() {
            bind(&mut sql, if i == 0 { "?" } else { ", ?" }, Value::Text(c.as_str().into()));
        }
        sql.push(')');
    }
    if let Some(port) = &q.port {
        bind(&mut sql, " AND port_id = ?", Value::Text(port.to_string()));
    }
    if let Some(d) = q.direction {
        bind(&mut sql, " AND direction = ?", Value::Text(d.as_str().into()));
    }
    if let Some(from) = q.from {
        bind(&mut sql, " AND occurred_at >= ?", Value::Integer(from.timestamp_micros()));
    }
    if let Some(to) = q.to {
        bind(&mut sql, " AND occurred_at < ?", Value::Integer(to.timestamp_micros()));
    }
    if let Some(n) = q.nationality {
        bind(&mut sql, " AND nationality = ?", Value::Text(n.as_str().into()));
    }
    if let Some(c) = q.category {
        bind(&mut sql, " AND category = ?", Value::Text(c.as_str().into()));
    }
    if let Some(p) = q.person {
        bind(&mut sql, " AND person_id = ?", Value::Blob(p.0.as_bytes().to_vec()));
    }
    if page {
        let (cmp, dir) = match q.order {
            Order::NewestFirst => ("<", "DESC"),
            Order::OldestFirst => (">", "ASC"),
        };
        if let Some(c) = &q.after {
            bind(&mut sql, &format!(" AND (occurred_at, id) {cmp} (?"), Value::Integer(c.occurred_micros));
            bind(&mut sql, ", ?)", Value::Blob(c.id.0.as_bytes().to_vec()));
        }
        sql.push_str(&format!(" ORDER BY occurred_at {dir}, id {dir}"));
        bind(&mut sql, " LIMIT ?", Value::Integer(i64::from(q.limit.clamp(1, 10_000)) + 1));
    }
    (sql, args)
}

pub(super) fn search(conn: &Connection, q: &CrossingQuery) -> Result<CrossingPage, StoreError> {
    let (sql, args) = search_sql(q, &format!("SELECT {COLUMNS}"), true);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    let mut records = Vec::new();
    while let Some(row) = rows.next()? {
        records.push(crossing_record(row)?);
    }
    crate::rows::into_page(records, q.limit)
}

/// An import holding the writer connection inside one open transaction; dropped without commit,
/// it rolls back.
pub(super) struct SqliteImport {
    conn: Option<tokio::sync::OwnedMutexGuard<Connection>>,
    rebuild_indexes: bool,
    /// The import writes through a rollback journal, not the WAL (see [`leave_wal`]); the
    /// database goes back to WAL mode when it ends.
    rollback_journal: bool,
    latest: LatestPerPerson,
    /// The last batch inserted, and which of its rows were stored now: counted and taken into
    /// `latest` while the next one is inserted.
    unabsorbed: (Vec<ImportRow>, Vec<bool>),
    /// The statistical cells of the rows stored, written to `crossing_counts` at commit.
    cells: HashMap<CountKey, u64>,
}

impl SqliteImport {
    async fn run<T: Send + 'static>(
        &mut self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let conn = self.conn.take().ok_or_else(|| StoreError::Worker("the import has ended".into()))?;
        let (conn, out) = tokio::task::spawn_blocking(move || {
            let out = f(&conn);
            (conn, out)
        })
        .await
        .map_err(|e| StoreError::Worker(e.to_string()))?;
        self.conn = Some(conn);
        out
    }
}

impl SqliteImport {
    /// Counts the last batch's rows stored now and takes its crossings into `latest`.
    fn absorb(&mut self) {
        let (rows, new) = std::mem::take(&mut self.unabsorbed);
        for (row, _) in rows.iter().zip(&new).filter(|(_, new)| **new) {
            match self.cells.get_mut(&row.key) {
                Some(n) => *n += 1,
                None => {
                    self.cells.insert(row.key.clone(), 1);
                }
            }
        }
        self.latest.add(rows.into_iter().map(|r| r.crossing));
    }
}

impl Drop for SqliteImport {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        if !conn.is_autocommit()
            && let Err(e) = conn.execute_batch("ROLLBACK")
        {
            tracing::error!(error = %e, "rolling back an abandoned import failed");
        }
        if self.rollback_journal {
            back_to_wal(&conn);
        }
    }
}

/// Takes the database out of WAL mode for a large import, when nothing else has it open, and
/// says whether it did.
///
/// In WAL mode every page an import writes goes to the log first and is copied into the
/// database at the next checkpoint: twice. With a rollback journal, the pages beyond the file's
/// old end (nearly all of a large import's) are written once, straight into the file, and a
/// crash before the commit still leaves the database as it was (the journal restores the pages
/// it changed, and the file is cut back to its old length).
///
/// SQLite leaves WAL mode only when no other connection has the database open: this node's idle
/// readers are closed (they open again when next needed); where one is busy, or another process
/// has the database open, the import goes through the WAL as any other write, at once, without
/// waiting.
pub(super) fn leave_wal(conn: &Connection, readers: &Mutex<Vec<Connection>>) -> bool {
    if let Ok(mut pool) = readers.lock() {
        pool.clear();
    }
    let left = conn
        .busy_timeout(Duration::ZERO)
        .and_then(|()| conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0)));
    if let Err(e) = conn.busy_timeout(BUSY_TIMEOUT) {
        tracing::warn!(error = %e, "restoring the busy timeout failed");
    }
    match left {
        Ok(mode) => mode.eq_ignore_ascii_case("delete"),
        Err(e) => {
            tracing::debug!(error = %e, "the database is in use: a large import goes through the WAL");
            false
        }
    }
}

/// Puts the database back in WAL mode after an import through a rollback journal. Should it
/// fail, the node goes on in rollback mode (correct, with readers waiting on writers) until the
/// next import or start puts it back.
pub(super) fn back_to_wal(conn: &Connection) {
    match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
        Ok(mode) if mode.eq_ignore_ascii_case("wal") => {}
        Ok(mode) => tracing::warn!(mode, "the database stayed out of WAL mode after an import"),
        Err(e) => tracing::warn!(error = %e, "putting the database back in WAL mode failed"),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn indexes(path: &Path) -> Vec<String> {
        let conn = Connection::open(path).unwrap();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'crossings' AND sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<Vec<String>, _>>().unwrap()
    }

    #[tokio::test]
    async fn a_large_import_rebuilds_the_indexes_and_a_dropped_one_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let store = SqliteStore::open(&format!("sqlite:{}", path.display())).await.unwrap();
        let expected = vec!["crossings_by_person".to_string(), "crossings_by_time".to_string()];
        assert_eq!(indexes(&path), expected);
        {
            let session = store.begin_import(1_000_000).await.unwrap();
            drop(session);
        }
        assert_eq!(indexes(&path), expected, "an abandoned import keeps the indexes");
        let session = store.begin_import(1_000_000).await.unwrap();
        let audit = AuditDraft::new("t", "crossing.import", "crossing", "-", None, serde_json::json!({}));
        session.commit(audit).await.unwrap();
        assert_eq!(indexes(&path), expected, "a committed import rebuilt them");
    }
}
