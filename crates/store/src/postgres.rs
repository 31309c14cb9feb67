//! The PostgreSQL store: for a national hub that outgrows one machine.
//!
//! The same schema as SQLite's, in PostgreSQL types; audit appends lock the chain's head row
//! (`SELECT … FOR UPDATE`), so concurrent writers extend the chain one at a time.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::access::UserId;
use frontera_domain::audit::{AuditDraft, AuditEvent};
use frontera_domain::{CountryCode, Crossing, CrossingId, PortId};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder, Row, Transaction};
use uuid::Uuid;

use crate::alerts::{
    ENTRY_COLUMNS, EntryBody, EntryRow, EntryWrite, HIT_COLUMNS, HitRow, LIST_SELECT, ListRow, micros,
    plan_import,
};
use crate::record::{
    self, ACCOUNT_SELECT, COLUMN_COUNT, COLUMNS, CrossingRecord, LATEST_FIRST, LatestPerPerson,
    OVERDUE_FIRST, Param, TRAVELLER_COLUMNS, TRAVELLER_UPSERT, TravellerRecord, UserRecord, from_micros,
};
use crate::{
    ALERTS_VERSION, AlertList, AlertListSettings, AlertQuery, HitQuery, HitRecord, ListChanges,
    ScreeningRecord, StoredAlert, with_changes,
};
use crate::{
    Account, Attachment, AuditQuery, CountQuery, Credentials, CrossingFact, CrossingPage, CrossingQuery,
    DirectoryChanges, DirectoryRecord, Effects, ImportCounts, ImportRow, ImportSession, InformalQuery,
    InformalRecord, LabourQuery, LabourRecord, LockPolicy, LoginFailure, LoginRecord, Movements,
    Notification, ProtectionQuery, ProtectionRecord, Queued, Recorded, Session, Store, StoreError,
    TravellerQuery, User, with_detail, with_failure, with_ids,
};

/// PostgreSQL allows 65 535 bound values per statement.
const ROWS_PER_INSERT: usize = 60_000 / COLUMN_COUNT;

/// A node's store in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    writer: PgPool,
    reader: PgPool,
}

impl PostgresStore {
    /// Stores versioned records in `table`, all or none, with their audit event.
    async fn save_versioned(
        &self,
        table: &record::Versioned,
        rows: &[record::VersionedRow],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let (version_sql, upsert_sql) = (table.version_sql("$", true), table.upsert_sql("$"));
        let mut tx = self.write().await?;
        for r in rows {
            let stored: Option<(i64,)> =
                sqlx::query_as(&version_sql).bind(&r.kind).bind(&r.id).fetch_optional(&mut *tx).await?;
            r.check_version(stored.map(|(v,)| v))?;
            let mut q = sqlx::query(&upsert_sql).bind(&r.kind).bind(&r.id);
            for v in &r.values {
                q = q.bind(v);
            }
            q.bind(r.version).bind(micros(at)).execute(&mut *tx).await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Connect to the database at `url` (`postgres://…`) and migrate it.
    pub async fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        let store = PostgresStore { writer: pool.clone(), reader: pool };
        store.fill_travellers().await?;
        Ok(store)
    }

    async fn write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        Ok(self.writer.begin().await?)
    }

    /// Fills `travellers` from the crossings stored before it existed (once: every crossing
    /// stored since keeps it).
    async fn fill_travellers(&self) -> Result<(), StoreError> {
        let (unfilled,): (bool,) = sqlx::query_as(
            "SELECT NOT EXISTS (SELECT 1 FROM travellers) AND EXISTS (SELECT 1 FROM crossings)",
        )
        .fetch_one(&self.reader)
        .await?;
        if !unfilled {
            return Ok(());
        }
        let mut tx = self.write().await?;
        let latest = sqlx::query_as::<_, CrossingRecord>(&format!(
            "SELECT DISTINCT ON (person_id) {COLUMNS} FROM crossings ORDER BY person_id, {LATEST_FIRST}"
        ))
        .fetch_all(&mut *tx)
        .await?;
        let rows = latest
            .into_iter()
            .map(|r| Ok(TravellerRecord::from_crossing(&r.into_crossing()?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        upsert_travellers(&mut tx, &rows).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// PostgreSQL's query of a traveller search (`SELECT last_crossing …`): the latest crossings it
/// selects, in `order`.
async fn latest_crossings(
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
async fn upsert_travellers(conn: &mut PgConnection, rows: &[TravellerRecord]) -> Result<(), StoreError> {
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

async fn append(conn: &mut PgConnection, draft: AuditDraft) -> Result<AuditEvent, StoreError> {
    let (seq, hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
            .fetch_one(&mut *conn)
            .await?;
    let event = AuditEvent::seal(draft, seq + 1, Utc::now(), &hash);
    sqlx::query(
        "INSERT INTO audit_events (seq, at_micros, actor, action, record_kind, record_id, country, detail, \
         prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(event.seq)
    .bind(event.at_micros)
    .bind(&event.actor)
    .bind(&event.action)
    .bind(&event.record_kind)
    .bind(&event.record_id)
    .bind(&event.country)
    .bind(&event.detail)
    .bind(&event.prev_hash)
    .bind(&event.hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(event.seq)
        .bind(&event.hash)
        .execute(&mut *conn)
        .await?;
    Ok(event)
}

async fn insert_hits(conn: &mut PgConnection, hits: &[HitRecord]) -> Result<(), StoreError> {
    if hits.is_empty() {
        return Ok(());
    }
    let mut qb: QueryBuilder<Postgres> =
        QueryBuilder::new(format!("INSERT INTO screening_hits ({HIT_COLUMNS}) "));
    qb.push_values(hits.iter().map(HitRow::of), |mut b, r| {
        b.push_bind(r.id)
            .push_bind(r.crossing_id)
            .push_bind(r.country)
            .push_bind(r.port_id)
            .push_bind(r.list)
            .push_bind(r.reference)
            .push_bind(r.kind)
            .push_bind(r.action)
            .push_bind(r.score)
            .push_bind(r.names)
            .push_bind(r.explanation)
            .push_bind(r.status)
            .push_bind(r.created_at)
            .push_bind(r.resolved_by)
            .push_bind(r.resolved_at)
            .push_bind(r.note);
    });
    qb.build().execute(&mut *conn).await?;
    Ok(())
}

async fn hit_by_id(conn: &mut PgConnection, id: Uuid) -> Result<Option<HitRecord>, StoreError> {
    sqlx::query_as::<_, HitRow>(&format!("SELECT {HIT_COLUMNS} FROM screening_hits WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(HitRow::into_hit)
        .transpose()
}

async fn entry_by_key(
    conn: &mut PgConnection,
    country: &str,
    list: &str,
    reference: &str,
) -> Result<Option<StoredAlert>, StoreError> {
    sqlx::query_as::<_, EntryRow>(&format!(
        "SELECT {ENTRY_COLUMNS} FROM alert_entries WHERE country = $1 AND list = $2 AND reference = $3"
    ))
    .bind(country)
    .bind(list)
    .bind(reference)
    .fetch_optional(&mut *conn)
    .await?
    .map(EntryRow::into_alert)
    .transpose()
}

/// Marks a change to the alert lists, so that every process holding them in memory reloads.
async fn touch_alerts(conn: &mut PgConnection) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO node_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2",
    )
    .bind(ALERTS_VERSION)
    .bind(Uuid::now_v7().to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn upsert_list(
    conn: &mut PgConnection,
    list: &AlertListSettings,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO alert_lists (country, name, kind, threshold, source, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (country, name) DO UPDATE SET kind = $3, threshold = $4, source = COALESCE($5, alert_lists.source), updated_at = $6",
    )
    .bind(list.country.as_str())
    .bind(&list.name)
    .bind(list.kind.as_str())
    .bind(list.threshold)
    .bind(&list.source)
    .bind(micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn crossing_by_id(conn: &mut PgConnection, id: Uuid) -> Result<Option<CrossingRecord>, StoreError> {
    Ok(sqlx::query_as::<_, CrossingRecord>(&format!("SELECT {COLUMNS} FROM crossings WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

fn user_from_row(row: &PgRow) -> Result<User, StoreError> {
    UserRecord {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        country: row.try_get("country")?,
        port_id: row.try_get("port_id")?,
        organisation: row.try_get("organisation")?,
        created_at: row.try_get("created_at")?,
    }
    .into_user()
}

fn session_from_row(row: &PgRow) -> Result<Session, StoreError> {
    Ok(Session {
        token_hash: row.try_get("token_hash")?,
        user: UserId(row.try_get("user_id")?),
        csrf_token: row.try_get("csrf_token")?,
        created_at: from_micros("sessions.created_at", row.try_get("created_at")?)?,
        expires_at: from_micros("sessions.expires_at", row.try_get("expires_at")?)?,
    })
}

async fn insert_token(
    conn: &mut PgConnection,
    user: UserId,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO api_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user.0)
    .bind(Utc::now().timestamp_micros())
    .bind(expires_at.timestamp_micros())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn event_from_row(row: &PgRow) -> Result<AuditEvent, StoreError> {
    Ok(AuditEvent {
        seq: row.try_get("seq")?,
        at_micros: row.try_get("at_micros")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        record_kind: row.try_get("record_kind")?,
        record_id: row.try_get("record_id")?,
        country: row.try_get("country")?,
        detail: row.try_get("detail")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// Inserts records, skipping ids already stored, and sorts the skipped ones into re-sent
/// (same fingerprint) and conflicting.
async fn insert_records(
    conn: &mut PgConnection,
    records: &[CrossingRecord],
) -> Result<ImportCounts, StoreError> {
    let mut counts = ImportCounts::default();
    for chunk in records.chunks(ROWS_PER_INSERT) {
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(format!("INSERT INTO crossings ({COLUMNS}) "));
        record::push_values(&mut qb, chunk);
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
            record::sort_skipped(chunk, &stored, inserted, &mut counts);
        }
    }
    Ok(counts)
}

/// An import in one transaction. Batches are streamed with `COPY` into a temporary staging table
/// and moved into `crossings` with one `INSERT … SELECT … ON CONFLICT DO NOTHING`.
struct PostgresImport {
    tx: Transaction<'static, Postgres>,
    staging: bool,
    latest: LatestPerPerson,
}

/// A value in `COPY … (FORMAT text)`: backslash, tab and line breaks escaped.
fn copy_field(out: &mut Vec<u8>, value: Option<&str>) {
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
fn copy_text(records: &[CrossingRecord]) -> Vec<u8> {
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
async fn add_counts<'k>(
    conn: &mut PgConnection,
    cells: impl IntoIterator<Item = (&'k frontera_domain::CountKey, u64)>,
) -> Result<(), StoreError> {
    let daily: Vec<(&frontera_domain::CountKey, u64)> = cells.into_iter().collect();
    let monthly = frontera_domain::count::by_month(daily.iter().copied());
    let [daily_table, monthly_table] = record::COUNT_TABLES;
    for (table, cells) in
        [(daily_table, daily), (monthly_table, monthly.iter().map(|(k, n)| (k, *n)).collect())]
    {
        let cells: Vec<([String; 8], i64)> =
            cells.into_iter().map(|(k, n)| (k.columns(), n as i64)).collect();
        for chunk in cells.chunks(6_000) {
            let mut qb: QueryBuilder<Postgres> =
                QueryBuilder::new(format!("INSERT INTO {table} ({}, crossings) ", record::COUNT_KEY_COLUMNS));
            qb.push_values(chunk, |mut b, (fields, n)| {
                for f in fields {
                    b.push_bind(f.clone());
                }
                b.push_bind(*n);
            });
            qb.push(format!(
                " ON CONFLICT ({}) DO UPDATE SET crossings = {table}.crossings + excluded.crossings",
                record::COUNT_KEY_COLUMNS
            ));
            qb.build().execute(&mut *conn).await?;
        }
    }
    Ok(())
}

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
        add_counts(conn, record::tally(keys)).await?;
        let mut counts = ImportCounts { inserted, ..ImportCounts::default() };
        if inserted < records.len() as u64 {
            let stored: HashMap<Uuid, String> = sqlx::query_as::<_, (Uuid, String)>(
                "SELECT c.id, c.fingerprint FROM crossings c WHERE c.id IN (SELECT id FROM crossings_staging)",
            )
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
            record::sort_skipped(&records, &stored, inserted, &mut counts);
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
impl Store for PostgresStore {
    fn engine(&self) -> &'static str {
        "postgres"
    }

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

    async fn screening(&self, crossing: CrossingId) -> Result<Option<ScreeningRecord>, StoreError> {
        let head: Option<(i64, i64, bool)> =
            sqlx::query_as("SELECT screened_at, entries, protection FROM screenings WHERE crossing_id = $1")
                .bind(crossing.0)
                .fetch_optional(&self.reader)
                .await?;
        let Some((at, entries, protection)) = head else { return Ok(None) };
        let hits = sqlx::query_as::<_, HitRow>(&format!(
            "SELECT {HIT_COLUMNS} FROM screening_hits WHERE crossing_id = $1 ORDER BY score DESC, reference"
        ))
        .bind(crossing.0)
        .fetch_all(&self.reader)
        .await?
        .into_iter()
        .map(HitRow::into_hit)
        .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(ScreeningRecord {
            screened_at: from_micros("screenings.screened_at", at)?,
            entries: entries.max(0) as u64,
            protection,
            hits,
        }))
    }

    async fn hits(&self, query: &HitQuery) -> Result<Vec<HitRecord>, StoreError> {
        let mut qb: QueryBuilder<Postgres> =
            QueryBuilder::new(format!("SELECT {HIT_COLUMNS} FROM screening_hits WHERE country = "));
        qb.push_bind(query.country.to_string());
        if let Some(port) = &query.port {
            qb.push(" AND port_id = ").push_bind(port.to_string());
        }
        if !query.statuses.is_empty() {
            qb.push(" AND status IN (");
            let mut sep = qb.separated(", ");
            for s in &query.statuses {
                sep.push_bind(s.as_str());
            }
            qb.push(")");
        }
        qb.push(" ORDER BY created_at DESC, id LIMIT ").push_bind(i64::from(query.limit.clamp(1, 1000)));
        qb.build_query_as::<HitRow>()
            .fetch_all(&self.reader)
            .await?
            .into_iter()
            .map(HitRow::into_hit)
            .collect()
    }

    async fn hit(&self, id: Uuid) -> Result<Option<HitRecord>, StoreError> {
        let mut conn = self.reader.acquire().await?;
        hit_by_id(&mut conn, id).await
    }

    async fn resolve_hit(
        &self,
        id: Uuid,
        from: frontera_domain::alert::HitStatus,
        to: frontera_domain::alert::HitStatus,
        by: &str,
        at: DateTime<Utc>,
        note: Option<&str>,
        audit: AuditDraft,
    ) -> Result<HitRecord, StoreError> {
        let mut tx = self.write().await?;
        let changed = sqlx::query(
            "UPDATE screening_hits SET status = $3, resolved_by = $4, resolved_at = $5, note = $6 \
             WHERE id = $1 AND status = $2",
        )
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(by)
        .bind(micros(at))
        .bind(note)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return match hit_by_id(&mut tx, id).await? {
                None => Err(StoreError::NotFound(format!("hit {id}"))),
                Some(h) => Err(StoreError::Conflict(format!("hit {id} is {} now", h.status.as_str()))),
            };
        }
        append(&mut tx, audit).await?;
        let hit = hit_by_id(&mut tx, id).await?.ok_or_else(|| StoreError::NotFound(format!("hit {id}")))?;
        tx.commit().await?;
        Ok(hit)
    }

    async fn save_alert_list(&self, list: &AlertListSettings, audit: AuditDraft) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        upsert_list(&mut tx, list, Utc::now()).await?;
        touch_alerts(&mut tx).await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn alert_lists(&self, country: Option<CountryCode>) -> Result<Vec<AlertList>, StoreError> {
        let rows = match country {
            Some(c) => {
                sqlx::query_as::<_, ListRow>(&format!(
                    "{LIST_SELECT} WHERE l.country = $1 ORDER BY l.country, l.name"
                ))
                .bind(c.as_str())
                .fetch_all(&self.reader)
                .await?
            }
            None => {
                sqlx::query_as::<_, ListRow>(&format!("{LIST_SELECT} ORDER BY l.country, l.name"))
                    .fetch_all(&self.reader)
                    .await?
            }
        };
        rows.into_iter().map(ListRow::into_list).collect()
    }

    async fn import_alerts(
        &self,
        list: &AlertListSettings,
        entries: Vec<frontera_domain::alert::AlertEntry>,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<ListChanges, StoreError> {
        let mut tx = self.write().await?;
        let country = list.country.to_string();
        upsert_list(&mut tx, list, at).await?;
        // The list's row is locked now: a concurrent import of it waits here.
        sqlx::query("SELECT 1 FROM alert_lists WHERE country = $1 AND name = $2 FOR UPDATE")
            .bind(&country)
            .bind(&list.name)
            .execute(&mut *tx)
            .await?;
        let rows: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT reference, fingerprint, retired_at IS NOT NULL FROM alert_entries WHERE country = $1 AND list = $2",
        )
        .bind(&country)
        .bind(&list.name)
        .fetch_all(&mut *tx)
        .await?;
        let stored: HashMap<String, (String, bool)> = rows.into_iter().map(|(r, f, x)| (r, (f, x))).collect();
        let (changes, writes) = plan_import(&stored, &entries)?;
        let at = micros(at);
        let (mut inserts, mut updates, mut retires) = (Vec::new(), Vec::new(), Vec::new());
        for write in writes {
            match write {
                EntryWrite::Insert(b) => inserts.push(b),
                EntryWrite::Update(b) => updates.push(b),
                EntryWrite::Retire(r) => retires.push(r),
            }
        }
        for chunk in inserts.chunks(60_000 / 7) {
            let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
                "INSERT INTO alert_entries (country, list, reference, body, fingerprint, created_at, updated_at) ",
            );
            qb.push_values(chunk, |mut b, e| {
                b.push_bind(&country)
                    .push_bind(&list.name)
                    .push_bind(&e.reference)
                    .push_bind(&e.body)
                    .push_bind(&e.fingerprint)
                    .push_bind(at)
                    .push_bind(at);
            });
            qb.build().execute(&mut *tx).await?;
        }
        for e in &updates {
            sqlx::query(
                "UPDATE alert_entries SET body = $4, fingerprint = $5, updated_at = $6, retired_at = NULL \
                 WHERE country = $1 AND list = $2 AND reference = $3",
            )
            .bind(&country)
            .bind(&list.name)
            .bind(&e.reference)
            .bind(&e.body)
            .bind(&e.fingerprint)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        if !retires.is_empty() {
            sqlx::query(
                "UPDATE alert_entries SET retired_at = $3, updated_at = $3 \
                 WHERE country = $1 AND list = $2 AND reference = ANY($4)",
            )
            .bind(&country)
            .bind(&list.name)
            .bind(at)
            .bind(&retires)
            .execute(&mut *tx)
            .await?;
        }
        touch_alerts(&mut tx).await?;
        append(&mut tx, with_changes(audit, &changes)).await?;
        tx.commit().await?;
        Ok(changes)
    }

    async fn save_alert(
        &self,
        country: CountryCode,
        list: &str,
        entry: &frontera_domain::alert::AlertEntry,
        create: bool,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<StoredAlert, StoreError> {
        let body = EntryBody::of(entry)?;
        let c = country.to_string();
        let mut tx = self.write().await?;
        let list_row: Option<(i32,)> =
            sqlx::query_as("SELECT 1 FROM alert_lists WHERE country = $1 AND name = $2 FOR UPDATE")
                .bind(&c)
                .bind(list)
                .fetch_optional(&mut *tx)
                .await?;
        if list_row.is_none() {
            return Err(StoreError::NotFound(format!("alert list {list}")));
        }
        let exists = entry_by_key(&mut tx, &c, list, &body.reference).await?.is_some();
        match (create, exists) {
            (true, true) => {
                return Err(StoreError::Conflict(format!(
                    "{list} already holds the reference {}",
                    body.reference
                )));
            }
            (false, false) => return Err(StoreError::NotFound(format!("alert {list}/{}", body.reference))),
            (true, false) => {
                sqlx::query(
                    "INSERT INTO alert_entries (country, list, reference, body, fingerprint, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6)",
                )
                .bind(&c)
                .bind(list)
                .bind(&body.reference)
                .bind(&body.body)
                .bind(&body.fingerprint)
                .bind(micros(at))
                .execute(&mut *tx)
                .await?;
            }
            (false, true) => {
                sqlx::query(
                    "UPDATE alert_entries SET body = $4, fingerprint = $5, updated_at = $6 \
                     WHERE country = $1 AND list = $2 AND reference = $3",
                )
                .bind(&c)
                .bind(list)
                .bind(&body.reference)
                .bind(&body.body)
                .bind(&body.fingerprint)
                .bind(micros(at))
                .execute(&mut *tx)
                .await?;
            }
        }
        touch_alerts(&mut tx).await?;
        append(&mut tx, audit).await?;
        let stored = entry_by_key(&mut tx, &c, list, &body.reference)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("alert {list}/{}", body.reference)))?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn retire_alert(
        &self,
        country: CountryCode,
        list: &str,
        reference: &str,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<StoredAlert, StoreError> {
        let c = country.to_string();
        let mut tx = self.write().await?;
        let Some(stored) = entry_by_key(&mut tx, &c, list, reference).await? else {
            return Err(StoreError::NotFound(format!("alert {list}/{reference}")));
        };
        if stored.retired_at.is_some() {
            return Ok(stored);
        }
        let changed = sqlx::query(
            "UPDATE alert_entries SET retired_at = $4, updated_at = $4 \
             WHERE country = $1 AND list = $2 AND reference = $3 AND retired_at IS NULL",
        )
        .bind(&c)
        .bind(list)
        .bind(reference)
        .bind(micros(at))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed > 0 {
            touch_alerts(&mut tx).await?;
            append(&mut tx, audit).await?;
        }
        let stored = entry_by_key(&mut tx, &c, list, reference)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("alert {list}/{reference}")))?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn alert(
        &self,
        country: CountryCode,
        list: &str,
        reference: &str,
    ) -> Result<Option<StoredAlert>, StoreError> {
        let mut conn = self.reader.acquire().await?;
        entry_by_key(&mut conn, country.as_str(), list, reference).await
    }

    async fn alerts(&self, query: &AlertQuery) -> Result<Vec<StoredAlert>, StoreError> {
        let mut qb: QueryBuilder<Postgres> =
            QueryBuilder::new(format!("SELECT {ENTRY_COLUMNS} FROM alert_entries WHERE 1 = 1"));
        if let Some(c) = query.country {
            qb.push(" AND country = ").push_bind(c.to_string());
        }
        if let Some(list) = &query.list {
            qb.push(" AND list = ").push_bind(list.clone());
        }
        if !query.include_retired {
            qb.push(" AND retired_at IS NULL");
        }
        if let Some((list, reference)) = &query.after {
            qb.push(" AND (list, reference) > (").push_bind(list.clone());
            qb.push(", ").push_bind(reference.clone()).push(")");
        }
        qb.push(" ORDER BY country, list, reference");
        if query.limit > 0 {
            qb.push(" LIMIT ").push_bind(i64::from(query.limit));
        }
        qb.build_query_as::<EntryRow>()
            .fetch_all(&self.reader)
            .await?
            .into_iter()
            .map(EntryRow::into_alert)
            .collect()
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
        record::push_filters(&mut qb, query);
        record::push_page(&mut qb, query);
        let Some(audit) = audit else {
            let records = qb.build_query_as::<CrossingRecord>().fetch_all(&self.reader).await?;
            return record::into_page(records, query.limit);
        };
        let mut tx = self.write().await?;
        let records = qb.build_query_as::<CrossingRecord>().fetch_all(&mut *tx).await?;
        let page = record::into_page(records, query.limit)?;
        let ids: Vec<CrossingId> = page.crossings.iter().map(|c| c.id).collect();
        append(&mut tx, with_ids(audit, &ids)).await?;
        tx.commit().await?;
        Ok(page)
    }

    async fn count_crossings(&self, query: &CrossingQuery) -> Result<u64, StoreError> {
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new("SELECT COUNT(*) FROM crossings");
        record::push_filters(&mut qb, query);
        let (n,): (i64,) = qb.build_query_as().fetch_one(&self.reader).await?;
        Ok(n as u64)
    }

    async fn search_travellers(
        &self,
        query: &TravellerQuery,
        audit: Option<AuditDraft>,
    ) -> Result<Vec<Crossing>, StoreError> {
        let select = record::traveller_search(query, "$");
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
        let (count_sql, count_args) = record::overstays(country, port, at, None, "$");
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
        let select = record::overstays(country, port, at, Some(limit), "$");
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
        let (filter, args) = record::count_filter(query, "$");
        let sql = format!(
            "SELECT {}, crossings FROM {}{filter}",
            record::COUNT_KEY_COLUMNS,
            record::count_table(query)
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
                Ok((record::count_key(fields)?, n.max(0) as u64))
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
        for table in record::COUNT_TABLES {
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
            QueryBuilder::new(format!("{} FROM crossings", record::FACT_COLUMNS));
        record::push_filters(&mut qb, query);
        let rows: Vec<record::FactRow> = qb.build_query_as().fetch_all(&self.reader).await?;
        rows.into_iter().map(record::fact).collect()
    }

    async fn save_directory(
        &self,
        records: &[DirectoryRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<DirectoryChanges, StoreError> {
        let mut tx = self.write().await?;
        let mut changes = DirectoryChanges::default();
        for r in records {
            let old: Option<(String,)> =
                sqlx::query_as("SELECT record FROM directory_records WHERE kind = $1 AND id = $2 FOR UPDATE")
                    .bind(&r.kind)
                    .bind(&r.id)
                    .fetch_optional(&mut *tx)
                    .await?;
            match old {
                Some((o,)) if o == r.record => changes.unchanged += 1,
                Some(_) => changes.updated += 1,
                None => changes.added += 1,
            }
            sqlx::query(
                "INSERT INTO directory_records (kind, id, record, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (kind, id) DO UPDATE SET record = $3, updated_at = $4",
            )
            .bind(&r.kind)
            .bind(&r.id)
            .bind(&r.record)
            .bind(micros(at))
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, with_detail(audit, "changes", serde_json::json!(changes))).await?;
        tx.commit().await?;
        Ok(changes)
    }

    async fn directory_records(&self) -> Result<Vec<DirectoryRecord>, StoreError> {
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT kind, id, record FROM directory_records ORDER BY kind, id")
                .fetch_all(&self.reader)
                .await?;
        Ok(rows.into_iter().map(|(kind, id, record)| DirectoryRecord { kind, id, record }).collect())
    }

    async fn save_protection(
        &self,
        record: &ProtectionRecord,
        at: DateTime<Utc>,
        audit: AuditDraft,
        effects: &Effects,
    ) -> Result<(), StoreError> {
        let r = record;
        let mut tx = self.write().await?;
        let stored: Option<(i64,)> =
            sqlx::query_as("SELECT version FROM protection_records WHERE kind = $1 AND id = $2 FOR UPDATE")
                .bind(&r.kind)
                .bind(&r.id)
                .fetch_optional(&mut *tx)
                .await?;
        let stored = stored.map(|(v,)| v);
        if stored != (r.version > 1).then_some(r.version - 1) {
            return Err(StoreError::Conflict(format!(
                "{} {} changed meanwhile (version {}), try again",
                r.kind,
                r.id,
                stored.unwrap_or(0)
            )));
        }
        sqlx::query(
            "INSERT INTO protection_records (kind, id, case_id, country, organisation, counterpart, state, due_at, record, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (kind, id) DO UPDATE SET case_id = $3, country = $4, organisation = $5, counterpart = $6, \
             state = $7, due_at = $8, record = $9, version = $10, updated_at = $11",
        )
        .bind(&r.kind)
        .bind(&r.id)
        .bind(&r.case_id)
        .bind(r.country.as_str())
        .bind(&r.organisation)
        .bind(&r.counterpart)
        .bind(&r.state)
        .bind(r.due_at)
        .bind(&r.record)
        .bind(r.version)
        .bind(micros(at))
        .execute(&mut *tx)
        .await?;
        for m in &effects.send {
            sqlx::query(
                "INSERT INTO exchange_outbox (peer, kind, subject_id, case_id, body, created_at, next_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6)",
            )
            .bind(m.peer.as_str())
            .bind(&m.kind)
            .bind(&m.subject_id)
            .bind(&m.case_id)
            .bind(&m.body)
            .bind(micros(at))
            .execute(&mut *tx)
            .await?;
        }
        for n in &effects.notify {
            sqlx::query(
                "INSERT INTO notifications (recipient, kind, subject_kind, subject_id, case_id, detail, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&n.recipient)
            .bind(&n.kind)
            .bind(&n.subject_kind)
            .bind(&n.subject_id)
            .bind(&n.case_id)
            .bind(&n.detail)
            .bind(micros(at))
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn outbox(&self) -> Result<Vec<Queued>, StoreError> {
        let sql = format!(
            "SELECT {} FROM exchange_outbox WHERE given_up_at IS NULL ORDER BY id",
            record::QUEUED_COLUMNS
        );
        let rows: Vec<record::QueuedRow> = sqlx::query_as(&sql).fetch_all(&self.reader).await?;
        rows.into_iter().map(record::queued).collect()
    }

    async fn outbox_delivered(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM exchange_outbox WHERE id = $1").bind(id).execute(&self.writer).await?;
        Ok(())
    }

    async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE exchange_outbox SET attempts = attempts + 1, last_error = $2, \
             next_at = COALESCE($3, next_at), given_up_at = CASE WHEN $3 IS NULL THEN $4 END WHERE id = $1",
        )
        .bind(id)
        .bind(error)
        .bind(retry_at.map(micros))
        .bind(micros(at))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn save_attachment(
        &self,
        attachment: &Attachment,
        content: &[u8],
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let a = attachment;
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO protection_attachments (id, case_id, name, media_type, size, sha256, added_by, added_at, content) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&a.id)
        .bind(&a.case_id)
        .bind(&a.name)
        .bind(&a.media_type)
        .bind(a.size as i64)
        .bind(&a.sha256)
        .bind(&a.added_by)
        .bind(micros(a.added_at))
        .bind(content)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn attachments(&self, case_id: &str) -> Result<Vec<Attachment>, StoreError> {
        let sql = format!(
            "SELECT {} FROM protection_attachments WHERE case_id = $1 ORDER BY added_at, id",
            record::ATTACHMENT_COLUMNS
        );
        let rows: Vec<record::AttachmentRow> =
            sqlx::query_as(&sql).bind(case_id).fetch_all(&self.reader).await?;
        rows.into_iter().map(record::attachment).collect()
    }

    async fn attachment(&self, id: &str) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
        let sql = format!(
            "SELECT {}, content FROM protection_attachments WHERE id = $1",
            record::ATTACHMENT_COLUMNS
        );
        let row: Option<(String, String, String, String, i64, String, String, i64, Vec<u8>)> =
            sqlx::query_as(&sql).bind(id).fetch_optional(&self.reader).await?;
        row.map(|(id, case_id, name, media_type, size, sha256, added_by, added_at, content)| {
            Ok((
                record::attachment((id, case_id, name, media_type, size, sha256, added_by, added_at))?,
                content,
            ))
        })
        .transpose()
    }

    async fn notifications(
        &self,
        recipient: &str,
        unread_only: bool,
        limit: u32,
    ) -> Result<Vec<Notification>, StoreError> {
        let sql = format!(
            "SELECT {} FROM notifications WHERE recipient = $1 AND (NOT $2 OR read_at IS NULL) \
             ORDER BY id DESC LIMIT $3",
            record::NOTIFICATION_COLUMNS
        );
        let rows: Vec<record::NotificationRow> = sqlx::query_as(&sql)
            .bind(recipient)
            .bind(unread_only)
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await?;
        rows.into_iter().map(record::notification).collect()
    }

    async fn unread_notifications(&self, recipient: &str) -> Result<u64, StoreError> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM notifications WHERE recipient = $1 AND read_at IS NULL")
                .bind(recipient)
                .fetch_one(&self.reader)
                .await?;
        Ok(n.max(0) as u64)
    }

    async fn mark_notifications_read(
        &self,
        recipient: &str,
        ids: &[i64],
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $3 WHERE recipient = $1 AND read_at IS NULL \
             AND (cardinality($2::BIGINT[]) = 0 OR id = ANY($2))",
        )
        .bind(recipient)
        .bind(ids)
        .bind(micros(at))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }

    async fn protection_record(&self, kind: &str, id: &str) -> Result<Option<ProtectionRecord>, StoreError> {
        let sql = format!(
            "SELECT {} FROM protection_records WHERE kind = $1 AND id = $2",
            record::PROTECTION_COLUMNS
        );
        let row: Option<record::ProtectionRow> =
            sqlx::query_as(&sql).bind(kind).bind(id).fetch_optional(&self.reader).await?;
        row.map(record::protection).transpose()
    }

    async fn protection_records(&self, query: &ProtectionQuery) -> Result<Vec<ProtectionRecord>, StoreError> {
        let (sql, args) = record::protection_search(query, "$");
        let mut q = sqlx::query_as::<_, record::ProtectionRow>(&sql);
        for arg in args {
            q = match arg {
                Param::Text(t) => q.bind(t),
                Param::Int(i) => q.bind(i),
            };
        }
        q.fetch_all(&self.reader).await?.into_iter().map(record::protection).collect()
    }

    async fn purge_protection(
        &self,
        case_id: &str,
        counts: &[(String, String, String, u64)],
        audit: AuditDraft,
    ) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        let deleted = sqlx::query("DELETE FROM protection_records WHERE case_id = $1")
            .bind(case_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM notifications WHERE case_id = $1").bind(case_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM protection_attachments WHERE case_id = $1")
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM exchange_outbox WHERE case_id = $1").bind(case_id).execute(&mut *tx).await?;
        for (month, measure, value, n) in counts {
            sqlx::query(
                "INSERT INTO protection_statistics (month, measure, value, count) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (month, measure, value) DO UPDATE SET count = protection_statistics.count + $4",
            )
            .bind(month)
            .bind(measure)
            .bind(value)
            .bind(*n as i64)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(deleted)
    }

    async fn save_labour(
        &self,
        records: &[LabourRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let rows: Vec<record::VersionedRow> = records.iter().map(Into::into).collect();
        self.save_versioned(&record::LABOUR_RECORDS, &rows, at, audit).await
    }

    async fn labour_record(&self, kind: &str, id: &str) -> Result<Option<LabourRecord>, StoreError> {
        let sql =
            format!("SELECT {} FROM labour_records WHERE kind = $1 AND id = $2", record::LABOUR_COLUMNS);
        let row: Option<record::LabourRow> =
            sqlx::query_as(&sql).bind(kind).bind(id).fetch_optional(&self.reader).await?;
        row.map(record::labour).transpose()
    }

    async fn labour_records(&self, query: &LabourQuery) -> Result<Vec<LabourRecord>, StoreError> {
        let (sql, args) = record::labour_search(query, "$");
        let mut q = sqlx::query_as::<_, record::LabourRow>(&sql);
        for a in args {
            q = match a {
                record::Param::Text(t) => q.bind(t),
                record::Param::Int(i) => q.bind(i),
            };
        }
        let rows = q.fetch_all(&self.reader).await?;
        rows.into_iter().map(record::labour).collect()
    }

    async fn save_informal(
        &self,
        records: &[InformalRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let rows: Vec<record::VersionedRow> = records.iter().map(Into::into).collect();
        self.save_versioned(&record::INFORMAL_RECORDS, &rows, at, audit).await
    }

    async fn informal_record(&self, kind: &str, id: &str) -> Result<Option<InformalRecord>, StoreError> {
        let sql =
            format!("SELECT {} FROM informal_records WHERE kind = $1 AND id = $2", record::INFORMAL_COLUMNS);
        let row: Option<record::InformalRow> =
            sqlx::query_as(&sql).bind(kind).bind(id).fetch_optional(&self.reader).await?;
        row.map(record::informal).transpose()
    }

    async fn informal_records(&self, query: &InformalQuery) -> Result<Vec<InformalRecord>, StoreError> {
        let (sql, args) = record::informal_search(query, "$");
        let mut q = sqlx::query_as::<_, record::InformalRow>(&sql);
        for a in args {
            q = match a {
                record::Param::Text(t) => q.bind(t),
                record::Param::Int(i) => q.bind(i),
            };
        }
        let rows = q.fetch_all(&self.reader).await?;
        rows.into_iter().map(record::informal).collect()
    }

    async fn compact_protection(&self) -> Result<(), StoreError> {
        // Outside a transaction, as VACUUM must be; it holds each table briefly on its own.
        sqlx::raw_sql(
            "VACUUM FULL protection_records, notifications, protection_attachments, exchange_outbox",
        )
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn protection_statistics(&self) -> Result<Vec<(String, String, String, u64)>, StoreError> {
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT month, measure, value, count FROM protection_statistics ORDER BY month, measure, value",
        )
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(|(m, k, v, n)| (m, k, v, n.max(0) as u64)).collect())
    }

    async fn movements(
        &self,
        country: CountryCode,
        before: Option<DateTime<Utc>>,
    ) -> Result<Movements, StoreError> {
        use futures_util::TryStreamExt;
        let before = before.map_or(i64::MAX, |b| b.timestamp_micros());
        let mut out = record::MovementsBuilder::default();
        let sql = record::HOLDER_SELECT.replace('?', "$1");
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
        let sql = record::MOVEMENT_SELECT.replacen('?', "$1", 1).replacen('?', "$2", 1);
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

    async fn add_user(
        &self,
        user: &User,
        credentials: Credentials<'_>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let taken: Option<(Uuid,)> = sqlx::query_as("SELECT id FROM users WHERE name = $1")
            .bind(&user.name)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!("a user named {} exists", user.name)));
        }
        sqlx::query(
            "INSERT INTO users (id, name, role, country, port_id, organisation, created_at, password_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(user.id.0)
        .bind(&user.name)
        .bind(user.role.as_str())
        .bind(user.country.as_str())
        .bind(user.port.as_ref().map(PortId::as_str))
        .bind(&user.organisation)
        .bind(user.created_at.timestamp_micros())
        .bind(credentials.password_hash)
        .execute(&mut *tx)
        .await?;
        if let (Some(hash), Some(until)) = (credentials.token_hash, credentials.token_expires_at) {
            insert_token(&mut tx, user.id, hash, until).await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_token(
        &self,
        user: UserId,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        insert_token(&mut tx, user, token_hash, expires_at).await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn revoke_tokens(&self, user: UserId, audit: AuditDraft) -> Result<u64, StoreError> {
        let mut tx = self.write().await?;
        let gone = sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(gone)
    }

    async fn user_by_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(
            "SELECT u.* FROM users u JOIN api_tokens t ON t.user_id = u.id \
             WHERE t.token_hash = $1 AND t.expires_at > $2 AND u.disabled_at IS NULL",
        )
        .bind(token_hash)
        .bind(now.timestamp_micros())
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn user_by_name(&self, name: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query("SELECT * FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn login_record(&self, name: &str) -> Result<Option<LoginRecord>, StoreError> {
        let row = sqlx::query("SELECT * FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.reader)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let failed: i32 = row.try_get("failed_logins")?;
        let locked: Option<i64> = row.try_get("locked_until")?;
        Ok(Some(LoginRecord {
            user: user_from_row(&row)?,
            password_hash: row.try_get("password_hash")?,
            failed_logins: failed.max(0) as u32,
            locked_until: locked.map(|t| from_micros("users.locked_until", t)).transpose()?,
            disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
        }))
    }

    async fn set_password(
        &self,
        user: UserId,
        password_hash: &str,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let changed = sqlx::query(
            "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2",
        )
        .bind(password_hash)
        .bind(user.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(format!("user {user}")));
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&mut *tx).await?;
        // A new password revokes every API token: whoever knew the old one may have made one.
        sqlx::query("DELETE FROM api_tokens WHERE user_id = $1").bind(user.0).execute(&mut *tx).await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn login_failed(
        &self,
        user: UserId,
        at: DateTime<Utc>,
        policy: LockPolicy,
        audit: AuditDraft,
    ) -> Result<LoginFailure, StoreError> {
        let mut tx = self.write().await?;
        let (failed, locked): (i32, Option<i64>) =
            sqlx::query_as("SELECT failed_logins, locked_until FROM users WHERE id = $1 FOR UPDATE")
                .bind(user.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("user {user}")))?;
        let locked = locked.map(|t| from_micros("users.locked_until", t)).transpose()?;
        let failure = policy.after_failure(failed.max(0) as u32, locked, at);
        sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
            .bind(i32::try_from(failure.failed_logins).unwrap_or(i32::MAX))
            .bind(failure.locked_until.map(|t| t.timestamp_micros()))
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, with_failure(audit, failure)).await?;
        tx.commit().await?;
        Ok(failure)
    }

    async fn open_session(&self, session: &Session, audit: AuditDraft) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(session.created_at.timestamp_micros())
            .execute(&mut *tx)
            .await?;
        // A login that was checked while the lock was raised does not lift it.
        sqlx::query(
            "UPDATE users SET failed_logins = 0, locked_until = NULL \
             WHERE id = $1 AND (locked_until IS NULL OR locked_until <= $2)",
        )
        .bind(session.user.0)
        .bind(session.created_at.timestamp_micros())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&session.token_hash)
        .bind(session.user.0)
        .bind(&session.csrf_token)
        .bind(session.created_at.timestamp_micros())
        .bind(session.expires_at.timestamp_micros())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str) -> Result<Option<(Session, User)>, StoreError> {
        let row = sqlx::query("SELECT * FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&self.reader)
            .await?;
        let Some(session) = row.as_ref().map(session_from_row).transpose()? else { return Ok(None) };
        let row = sqlx::query("SELECT * FROM users WHERE id = $1 AND disabled_at IS NULL")
            .bind(session.user.0)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.as_ref().map(user_from_row).transpose()?.map(|user| (session, user)))
    }

    async fn close_session(&self, token_hash: &str, audit: AuditDraft) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let n = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        append(&mut tx, with_detail(audit, "ended", (n > 0).into())).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn append_audit(&self, audit: AuditDraft) -> Result<AuditEvent, StoreError> {
        let mut tx = self.write().await?;
        let event = append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(event)
    }

    async fn update_user(
        &self,
        user: &User,
        disabled_at: Option<DateTime<Utc>>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        let changed = sqlx::query(
            "UPDATE users SET role = $2, port_id = $3, organisation = $4, disabled_at = $5 WHERE id = $1",
        )
        .bind(user.id.0)
        .bind(user.role.as_str())
        .bind(user.port.as_ref().map(PortId::as_str))
        .bind(&user.organisation)
        .bind(disabled_at.map(|t| t.timestamp_micros()))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound(format!("user {}", user.name)));
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.id.0).execute(&mut *tx).await?;
        // Switching an account off revokes its tokens, so switching it on again brings none back.
        if disabled_at.is_some() {
            sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
                .bind(user.id.0)
                .execute(&mut *tx)
                .await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn accounts(&self, country: Option<CountryCode>) -> Result<Vec<Account>, StoreError> {
        let rows = match country {
            Some(c) => {
                sqlx::query(&format!("{ACCOUNT_SELECT} WHERE u.country = $1 ORDER BY u.name"))
                    .bind(c.as_str())
                    .fetch_all(&self.reader)
                    .await?
            }
            None => sqlx::query(&format!("{ACCOUNT_SELECT} ORDER BY u.name")).fetch_all(&self.reader).await?,
        };
        rows.iter()
            .map(|row| {
                let failed: i32 = row.try_get("failed_logins")?;
                let tokens: i64 = row.try_get("api_tokens")?;
                let locked: Option<i64> = row.try_get("locked_until")?;
                Ok(Account {
                    user: user_from_row(row)?,
                    has_password: row.try_get("has_password")?,
                    api_tokens: tokens.clamp(0, i64::from(u32::MAX)) as u32,
                    failed_logins: failed.max(0) as u32,
                    locked_until: locked.map(|t| from_micros("users.locked_until", t)).transpose()?,
                    disabled_at: row
                        .try_get::<Option<i64>, _>("disabled_at")?
                        .map(|t| from_micros("users.disabled_at", t))
                        .transpose()?,
                })
            })
            .collect()
    }

    async fn search_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError> {
        let (sql, args) = record::audit_search(query, "$");
        let mut q = sqlx::query(&sql);
        for arg in args {
            q = match arg {
                Param::Text(t) => q.bind(t),
                Param::Int(i) => q.bind(i),
            };
        }
        q.fetch_all(&self.reader).await?.iter().map(event_from_row).collect()
    }

    async fn audit_events(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEvent>, StoreError> {
        let rows = sqlx::query("SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(event_from_row).collect()
    }

    async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        let head: Option<(i64, String)> = sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&self.reader)
            .await?;
        Ok(head.filter(|(seq, _)| *seq > 0))
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let v: Option<(String,)> = sqlx::query_as("SELECT value FROM node_meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.reader)
            .await?;
        Ok(v.map(|(v,)| v))
    }

    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO node_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
