//! The postgres engine: crossings and their counts: record, search, travellers, facts for statistics, bulk import.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::{AuditDraft, AuditEvent};
use frontera_domain::{CountryCode, Crossing, CrossingId, PortId};
use sqlx::{PgConnection, Postgres, QueryBuilder, Row, Transaction};
use uuid::Uuid;

use super::alerts::insert_hits;
use super::{PostgresStore, ROWS_PER_INSERT, append};
use crate::alerts::ScreeningRecord;
use crate::crossings::{
    CountQuery, CrossingFact, CrossingPage, CrossingQuery, CrossingStore, ImportCounts, ImportRow,
    ImportSession, Movements, Recorded, TravellerQuery, with_ids,
};
use crate::error::StoreError;
use crate::rows;
use crate::rows::alerts::micros;
use crate::rows::{
    COLUMN_COUNT, COLUMNS, CrossingRecord, LATEST_FIRST, LatestPerPerson, OVERDUE_FIRST, Param,
    TRAVELLER_COLUMNS, TRAVELLER_UPSERT, TravellerRecord,
};

#[async_trait]
impl ImportSession for PostgresImport {
    async fn insert(&mut self, rows: Vec<ImportRow>) -> Result<ImportCounts, StoreError> {
        if rows.is_empty() {
            return Ok(ImportCounts::default());
        }
        let records: Vec<CrossingRecord> =
            rows.iter().map(|r| CrossingRecord::from_crossing(&r.crossing, &r.fingerprint)).collect();
        let conn: &mut PgConnection = &mut self.tx;
        if self.staging {
            sqlx::query("TRUNCATE crossings_staging").execute(&mut *conn).await?;
        } else {
            sqlx::query("CREATE TEMPORARY TABLE crossings_staging (LIKE crossings) ON COMMIT DROP")
                .execute(&mut *conn)
                .await?;
            self.staging = true;
        }
        let mut copy = conn.copy_in_raw(&format!("COPY crossings_staging ({COLUMNS}) FROM STDIN")).await?;
        copy.send(copy_text(&records)).await?;
        copy.finish().await?;
        let new: Vec<(Uuid,)> = sqlx::query_as(&format!(
            "INSERT INTO crossings ({COLUMNS}) SELECT {COLUMNS} FROM crossings_staging \
             ON CONFLICT (id) DO NOTHING RETURNING id"
        ))
        .fetch_all(&mut *conn)
        .await?;
        let inserted = new.len() as u64;
        // Each id stored now counts once, for the first of its rows (a later one was skipped).
        let mut new: std::collections::HashSet<Uuid> = new.into_iter().map(|(id,)| id).collect();
        let keys = rows.iter().filter(|r| new.remove(&r.crossing.id.0)).map(|r| &r.key);
        add_counts(conn, rows::tally(keys)).await?;
        let mut counts = ImportCounts { inserted, ..ImportCounts::default() };
        if inserted < records.len() as u64 {
            let stored: HashMap<Uuid, String> = sqlx::query_as::<_, (Uuid, String)>(
                "SELECT c.id, c.fingerprint FROM crossings c WHERE c.id IN (SELECT id FROM crossings_staging)",
            )
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
            rows::sort_skipped(&records, &stored, inserted, &mut counts);
        }
        self.latest.add(rows.into_iter().map(|r| r.crossing));
        Ok(counts)
    }

    async fn commit(mut self: Box<Self>, audit: AuditDraft) -> Result<AuditEvent, StoreError> {
        let travellers = std::mem::take(&mut self.latest).into_sorted();
        upsert_travellers(&mut self.tx, &travellers).await?;
        let event = append(&mut self.tx, audit).await?;
        self.tx.commit().await?;
        Ok(event)
    }
}

#[async_trait]
impl CrossingStore for PostgresStore {
    async fn record_crossing(
        &self,
        crossing: &Crossing,
        fingerprint: &str,
        key: &frontera_domain::CountKey,
        screening: Option<&ScreeningRecord>,
        audit: AuditDraft,
    ) -> Result<Recorded, StoreError> {
        let mut tx = self.write().await?;
        if let Some(stored) = crossing_by_id(&mut tx, crossing.id.0).await? {
            return if stored.fingerprint == fingerprint {
                Ok(Recorded::AlreadyStored(stored.into_crossing()?))
            } else {
                Err(StoreError::Conflict(format!(
                    "crossing {} is stored with different content",
                    crossing.id
                )))
            };
        }
        let record = CrossingRecord::from_crossing(crossing, fingerprint);
        insert_records(&mut tx, std::slice::from_ref(&record)).await?;
        add_counts(&mut tx, [(key, 1)]).await?;
        upsert_travellers(&mut tx, &[TravellerRecord::from_crossing(crossing)]).await?;
        if let Some(s) = screening {
            sqlx::query("INSERT INTO screenings (crossing_id, screened_at, entries, protection) VALUES ($1, $2, $3, $4)")
                .bind(crossing.id.0)
                .bind(micros(s.screened_at))
                .bind(s.entries as i64)
                .bind(s.protection)
                .execute(&mut *tx)
                .await?;
            insert_hits(&mut tx, &s.hits).await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(Recorded::Created(crossing.clone()))
    }

    async fn crossing(
        &self,
        id: CrossingId,
        audit: Option<AuditDraft>,
    ) -> Result<Option<Crossing>, StoreError> {
        let Some(audit) = audit else {
            let mut conn = self.reader.acquire().await?;
            return crossing_by_id(&mut conn, id.0).await?.map(CrossingRecord::into_crossing).transpose();
        };
        let mut tx = self.write().await?;
        let found = crossing_by_id(&mut tx, id.0).await?.map(CrossingRecord::into_crossing).transpose()?;
        if found.is_some() {
            append(&mut tx, with_ids(audit, &[id])).await?;
            tx.commit().await?;
        }
        Ok(found)
    }

    async fn search_crossings(
        &self,
        query: &CrossingQuery,
        audit: Option<AuditDraft>,
    ) -> Result<CrossingPage, StoreError> {
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(format!("SELECT {COLUMNS} FROM crossings"));
        rows::push_filters(&mut qb, query);
        rows::push_page(&mut qb, query);
        let Some(audit) = audit else {
            let records = qb.build_query_as::<CrossingRecord>().fetch_all(&self.reader).await?;
            return rows::into_page(records, query.limit);
        };
        let mut tx = self.write().await?;
        let records = qb.build_query_as::<CrossingRecord>().fetch_all(&mut *tx).await?;
        let page = rows::into_page(records, query.limit)?;
        let ids: Vec<CrossingId> = page.crossings.iter().map(|c| c.id).collect();
        append(&mut tx, with_ids(audit, &ids)).await?;
        tx.commit().await?;
        Ok(page)
    }

    async fn count_crossings(&self, query: &CrossingQuery) -> Result<u64, StoreError> {
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new("SELECT COUNT(*) FROM crossings");
        rows::push_filters(&mut qb, query);
        let (n,): (i64,) = qb.build_query_as().fetch_one(&self.reader).await?;
        Ok(n as u64)
    }

    async fn search_travellers(
        &self,
        query: &TravellerQuery,
        audit: Option<AuditDraft>,
    ) -> Result<Vec<Crossing>, StoreError> {
        let select = rows::traveller_search(query, "$");
        let Some(audit) = audit else {
            let mut conn = self.reader.acquire().await?;
            return latest_crossings(&mut conn, select, LATEST_FIRST).await;
        };
        let mut tx = self.write().await?;
        let found = latest_crossings(&mut tx, select, LATEST_FIRST).await?;
        let ids: Vec<CrossingId> = found.iter().map(|c| c.id).collect();
        append(&mut tx, with_ids(audit, &ids)).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn overstays(
        &self,
        country: CountryCode,
        port: Option<&PortId>,
        at: DateTime<Utc>,
        limit: u32,
        audit: Option<AuditDraft>,
    ) -> Result<(u64, Vec<Crossing>), StoreError> {
        let (count_sql, count_args) = rows::overstays(country, port, at, None, "$");
        let mut count = sqlx::query_as::<_, (i64,)>(&count_sql);
        for arg in count_args {
            count = match arg {
                Param::Text(t) => count.bind(t),
                Param::Int(i) => count.bind(i),
            };
        }
        let (count,) = count.fetch_one(&self.reader).await?;
        if limit == 0 {
            return Ok((count as u64, Vec::new()));
        }
        let select = rows::overstays(country, port, at, Some(limit), "$");
        let Some(audit) = audit else {
            let mut conn = self.reader.acquire().await?;
            return Ok((count as u64, latest_crossings(&mut conn, select, OVERDUE_FIRST).await?));
        };
        let mut tx = self.write().await?;
        let found = latest_crossings(&mut tx, select, OVERDUE_FIRST).await?;
        let ids: Vec<CrossingId> = found.iter().map(|c| c.id).collect();
        append(&mut tx, with_ids(audit, &ids)).await?;
        tx.commit().await?;
        Ok((count as u64, found))
    }

    async fn crossing_counts(
        &self,
        query: &CountQuery,
    ) -> Result<Vec<(frontera_domain::CountKey, u64)>, StoreError> {
        let (filter, args) = rows::count_filter(query, "$");
        let sql = format!(
            "SELECT {}, crossings FROM {}{filter}",
            rows::COUNT_KEY_COLUMNS,
            rows::count_table(query)
        );
        let mut q = sqlx::query(&sql);
        for a in args {
            q = q.bind(a);
        }
        let rows = q.fetch_all(&self.reader).await?;
        rows.iter()
            .map(|row| {
                let fields: [String; 8] = [
                    row.try_get(0)?,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                    row.try_get(4)?,
                    row.try_get(5)?,
                    row.try_get(6)?,
                    row.try_get(7)?,
                ];
                let n: i64 = row.try_get(8)?;
                Ok((rows::count_key(fields)?, n.max(0) as u64))
            })
            .collect()
    }

    async fn replace_counts(
        &self,
        counts: Vec<(frontera_domain::CountKey, u64)>,
        crossings: u64,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        // No crossing may be stored meanwhile: the counts would miss it.
        sqlx::query("LOCK TABLE crossings IN SHARE MODE").execute(&mut *tx).await?;
        let (stored,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM crossings").fetch_one(&mut *tx).await?;
        if stored.max(0) as u64 != crossings {
            return Err(StoreError::Conflict(format!(
                "{stored} crossings are stored, not the {crossings} counted: counting again"
            )));
        }
        for table in rows::COUNT_TABLES {
            sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
        }
        add_counts(&mut tx, counts.iter().map(|(k, n)| (k, *n))).await?;
        sqlx::query(
            "INSERT INTO node_meta (key, value) VALUES ('crossing_counts', 'whole') \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn crossing_facts(&self, query: &CrossingQuery) -> Result<Vec<CrossingFact>, StoreError> {
        let mut qb: QueryBuilder<Postgres> =
            QueryBuilder::new(format!("{} FROM crossings", rows::FACT_COLUMNS));
        rows::push_filters(&mut qb, query);
        let rows: Vec<rows::FactRow> = qb.build_query_as().fetch_all(&self.reader).await?;
        rows.into_iter().map(rows::fact).collect()
    }

    async fn movements(
        &self,
        country: CountryCode,
        before: Option<DateTime<Utc>>,
    ) -> Result<Movements, StoreError> {
        use futures_util::TryStreamExt;
        let before = before.map_or(i64::MAX, |b| b.timestamp_micros());
        let mut out = rows::MovementsBuilder::default();
        let sql = rows::HOLDER_SELECT.replace('?', "$1");
        let mut rows = sqlx::query(&sql).bind(country.as_str()).fetch(&self.reader);
        while let Some(row) = rows.try_next().await? {
            out.holder(
                row.try_get(0)?,
                row.try_get(1)?,
                row.try_get::<Option<&str>, _>(2)?,
                row.try_get(3)?,
                row.try_get(4)?,
            )?;
        }
        drop(rows);
        let sql = rows::MOVEMENT_SELECT.replacen('?', "$1", 1).replacen('?', "$2", 1);
        let mut rows = sqlx::query(&sql).bind(country.as_str()).bind(before).fetch(&self.reader);
        while let Some(row) = rows.try_next().await? {
            out.crossing(
                row.try_get(0)?,
                row.try_get(1)?,
                row.try_get(2)?,
                row.try_get(3)?,
                row.try_get(4)?,
                row.try_get(5)?,
            )?;
        }
        Ok(out.finish())
    }

    async fn begin_import(&self, _expected_rows: u64) -> Result<Box<dyn ImportSession>, StoreError> {
        Ok(Box::new(PostgresImport {
            tx: self.write().await?,
            staging: false,
            latest: LatestPerPerson::default(),
        }))
    }
}

/// PostgreSQL's query of a traveller search (`SELECT last_crossing …`): the latest crossings it
/// selects, in `order`.
pub(super) async fn latest_crossings(
    conn: &mut PgConnection,
    (ids_sql, args): (String, Vec<Param>),
    order: &str,
) -> Result<Vec<Crossing>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM crossings WHERE id IN ({ids_sql}) ORDER BY {order}");
    let mut query = sqlx::query_as::<_, CrossingRecord>(&sql);
    for arg in args {
        query = match arg {
            Param::Text(t) => query.bind(t),
            Param::Int(i) => query.bind(i),
        };
    }
    query.fetch_all(&mut *conn).await?.into_iter().map(CrossingRecord::into_crossing).collect()
}

/// Stores the `travellers` rows, each where it is its person's latest crossing.
pub(super) async fn upsert_travellers(
    conn: &mut PgConnection,
    rows: &[TravellerRecord],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(60_000 / 8) {
        let mut qb: QueryBuilder<Postgres> =
            QueryBuilder::new(format!("INSERT INTO travellers ({TRAVELLER_COLUMNS}) "));
        qb.push_values(chunk, |mut b, t| {
            b.push_bind(t.person_id)
                .push_bind(t.country.as_str())
                .push_bind(t.name_key.as_str())
                .push_bind(t.birth_date.as_deref())
                .push_bind(t.document_number.as_str())
                .push_bind(t.last_crossing)
                .push_bind(t.last_at)
                .push_bind(t.stay_until);
        });
        qb.push(TRAVELLER_UPSERT);
        qb.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub(super) async fn crossing_by_id(
    conn: &mut PgConnection,
    id: Uuid,
) -> Result<Option<CrossingRecord>, StoreError> {
    Ok(sqlx::query_as::<_, CrossingRecord>(&format!("SELECT {COLUMNS} FROM crossings WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Inserts records, skipping ids already stored, and sorts the skipped ones into re-sent
/// (same fingerprint) and conflicting.
pub(super) async fn insert_records(
    conn: &mut PgConnection,
    records: &[CrossingRecord],
) -> Result<ImportCounts, StoreError> {
    let mut counts = ImportCounts::default();
    for chunk in records.chunks(ROWS_PER_INSERT) {
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(format!("INSERT INTO crossings ({COLUMNS}) "));
        rows::push_values(&mut qb, chunk);
        qb.push(" ON CONFLICT (id) DO NOTHING");
        let inserted = qb.build().execute(&mut *conn).await?.rows_affected();
        counts.inserted += inserted;
        if inserted < chunk.len() as u64 {
            // Some ids were stored already (or twice in this chunk): tell re-sent from conflicting.
            let mut qb: QueryBuilder<Postgres> =
                QueryBuilder::new("SELECT id, fingerprint FROM crossings WHERE id IN (");
            let mut sep = qb.separated(", ");
            for r in chunk {
                sep.push_bind(r.id);
            }
            qb.push(")");
            let stored: HashMap<Uuid, String> =
                qb.build_query_as::<(Uuid, String)>().fetch_all(&mut *conn).await?.into_iter().collect();
            rows::sort_skipped(chunk, &stored, inserted, &mut counts);
        }
    }
    Ok(counts)
}

/// An import in one transaction. Batches are streamed with `COPY` into a temporary staging table
/// and moved into `crossings` with one `INSERT … SELECT … ON CONFLICT DO NOTHING`.
pub(super) struct PostgresImport {
    tx: Transaction<'static, Postgres>,
    staging: bool,
    latest: LatestPerPerson,
}

/// A value in `COPY … (FORMAT text)`: backslash, tab and line breaks escaped.
pub(super) fn copy_field(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        None => out.extend_from_slice(b"\\N"),
        Some(text) => {
            for b in text.bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    b => out.push(b),
                }
            }
        }
    }
}

/// The records as `COPY` text rows, in [`COLUMNS`] order.
pub(super) fn copy_text(records: &[CrossingRecord]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * 256);
    for r in records {
        let (id, person) = (r.id.to_string(), r.person_id.to_string());
        let processing = r.processing_ms.map(|ms| ms.to_string());
        let (stay, occurred, recorded) = (
            r.permitted_stay_days.map(|d| d.to_string()),
            r.occurred_at.to_string(),
            r.recorded_at.to_string(),
        );
        let fields: [Option<&str>; COLUMN_COUNT] = [
            Some(&id),
            Some(&r.port_id),
            Some(&r.country),
            Some(&r.direction),
            Some(&r.category),
            r.purpose.as_deref(),
            r.transport_mode.as_deref(),
            stay.as_deref(),
            Some(&occurred),
            Some(&person),
            Some(&r.given_names),
            Some(&r.first_surname),
            r.second_surname.as_deref(),
            Some(&r.sex),
            r.birth_date.as_deref(),
            Some(&r.nationality),
            Some(&r.document_kind),
            Some(&r.document_number),
            Some(&r.issuing_state),
            r.document_expiry.as_deref(),
            r.mrz_format.as_deref(),
            Some(&r.recorded_by),
            Some(&r.node_id),
            Some(&recorded),
            Some(&r.fingerprint),
            processing.as_deref(),
        ];
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                out.push(b'\t');
            }
            copy_field(&mut out, field);
        }
        out.push(b'\n');
    }
    out
}

/// Adds to `crossing_counts`, and to `crossing_counts_monthly` the same added up by month: one
/// statement per few thousand cells (each cell once).
pub(super) async fn add_counts<'k>(
    conn: &mut PgConnection,
    cells: impl IntoIterator<Item = (&'k frontera_domain::CountKey, u64)>,
) -> Result<(), StoreError> {
    let daily: Vec<(&frontera_domain::CountKey, u64)> = cells.into_iter().collect();
    let monthly = frontera_domain::count::by_month(daily.iter().copied());
    let [daily_table, monthly_table] = rows::COUNT_TABLES;
    for (table, cells) in
        [(daily_table, daily), (monthly_table, monthly.iter().map(|(k, n)| (k, *n)).collect())]
    {
        let cells: Vec<([String; 8], i64)> =
            cells.into_iter().map(|(k, n)| (k.columns(), n as i64)).collect();
        for chunk in cells.chunks(6_000) {
            let mut qb: QueryBuilder<Postgres> =
                QueryBuilder::new(format!("INSERT INTO {table} ({}, crossings) ", rows::COUNT_KEY_COLUMNS));
            qb.push_values(chunk, |mut b, (fields, n)| {
                for f in fields {
                    b.push_bind(f.clone());
                }
                b.push_bind(*n);
            });
            qb.push(format!(
                " ON CONFLICT ({}) DO UPDATE SET crossings = {table}.crossings + excluded.crossings",
                rows::COUNT_KEY_COLUMNS
            ));
            qb.build().execute(&mut *conn).await?;
        }
    }
    Ok(())
}
