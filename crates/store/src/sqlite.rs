//! The embedded SQLite store: the default for a post, a small country's hub, or the demo.
//!
//! WAL journal, a busy timeout, migrations on open. One writer connection, taken in turn by
//! writers (each transaction opens with `BEGIN IMMEDIATE`, so writers queue in the process instead
//! of failing with `SQLITE_BUSY`), and a pool of read-only connections that never wait for a
//! writer. SQLite calls block, so they run on Tokio's blocking threads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::access::UserId;
use frontera_domain::audit::{AuditDraft, AuditEvent};
use frontera_domain::{CountKey, CountryCode, Crossing, CrossingId, PortId};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use crate::alerts::{
    ENTRY_COLUMNS, EntryBody, EntryRow, EntryWrite, HIT_COLUMNS, HitRow, LIST_SELECT, ListRow, micros,
    plan_import,
};
use crate::record::{
    ACCOUNT_SELECT, COLUMN_COUNT, COLUMNS, CrossingRecord, INFORMAL_COLUMNS, INFORMAL_RECORDS,
    LABOUR_RECORDS, LATEST_FIRST, LatestPerPerson, OVERDUE_FIRST, Param, TRAVELLER_COLUMNS, TRAVELLER_UPSERT,
    TravellerRecord, UserRecord, Versioned, VersionedRow, audit_search, from_micros, overstays,
    traveller_search,
};
use crate::{
    ALERTS_VERSION, AlertList, AlertListSettings, AlertQuery, HitQuery, HitRecord, ListChanges,
    ScreeningRecord, StoredAlert, with_changes,
};
use crate::{
    Account, Attachment, AuditQuery, CountQuery, Credentials, CrossingFact, CrossingPage, CrossingQuery,
    DirectoryChanges, DirectoryRecord, Effects, ImportCounts, ImportRow, ImportSession, InformalQuery,
    InformalRecord, LabourQuery, LabourRecord, LockPolicy, LoginFailure, LoginRecord, Movements,
    Notification, Order, ProtectionQuery, ProtectionRecord, Queued, Recorded, Session, Store, StoreError,
    TravellerQuery, User, with_detail, with_failure, with_ids,
};

/// The secondary indexes a large import drops and builds again, sorted, at commit: rows arrive
/// in no order of person or document, so each would cost a search all over the index. The time
/// index of `crossings` stays: files come mostly in time order, so its inserts land at its end.
/// Each is created here exactly as its migration creates it.
const SECONDARY_INDEXES: [(&str, &str); 3] = [
    ("crossings_by_person", "CREATE INDEX crossings_by_person ON crossings (person_id, occurred_at)"),
    (
        "travellers_by_document",
        "CREATE INDEX travellers_by_document ON travellers (country, document_number)",
    ),
    (
        "travellers_by_stay",
        "CREATE INDEX travellers_by_stay ON travellers (country, stay_until) WHERE stay_until IS NOT NULL",
    ),
];

/// How long a connection waits for another's lock before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Imports at least this large, and larger than the table, rebuild the secondary indexes.
const REBUILD_FROM_ROWS: u64 = 50_000;

/// The migrations, in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/sqlite/0001_init.sql"),
    include_str!("../migrations/sqlite/0002_logins.sql"),
    include_str!("../migrations/sqlite/0003_processing_time.sql"),
    include_str!("../migrations/sqlite/0004_travellers.sql"),
    include_str!("../migrations/sqlite/0005_disabled_accounts.sql"),
    include_str!("../migrations/sqlite/0006_alerts.sql"),
    include_str!("../migrations/sqlite/0007_crossing_counts.sql"),
    include_str!("../migrations/sqlite/0008_directory.sql"),
    include_str!("../migrations/sqlite/0009_protection.sql"),
    include_str!("../migrations/sqlite/0010_protection_statistics.sql"),
    include_str!("../migrations/sqlite/0011_notifications.sql"),
    include_str!("../migrations/sqlite/0012_attachments.sql"),
    include_str!("../migrations/sqlite/0013_exchange_outbox.sql"),
    include_str!("../migrations/sqlite/0014_labour.sql"),
    include_str!("../migrations/sqlite/0015_informal.sql"),
    include_str!("../migrations/sqlite/0016_token_expiry.sql"),
];

/// The migration that creates `travellers`, which the crossings stored before it then fill.
const TRAVELLERS_MIGRATION: usize = 4;

/// A node's store in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    path: PathBuf,
    writer: Arc<tokio::sync::Mutex<Connection>>,
    readers: Arc<Mutex<Vec<Connection>>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("path", &self.path).finish()
    }
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -131_072)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let done: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done.max(0) as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql).map_err(|e| {
            let reason = match e {
                rusqlite::Error::SqlInputError { msg, .. } => msg,
                other => other.to_string(),
            };
            StoreError::Schema(format!("migration {} of {}: {reason}", i + 1, MIGRATIONS.len()))
        })?;
        if i + 1 == TRAVELLERS_MIGRATION {
            fill_travellers(&tx)?;
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// Runs blocking SQLite work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| StoreError::Worker(e.to_string()))?
}

impl SqliteStore {
    /// Stores versioned records in `table`, all or none, with their audit event.
    async fn save_versioned(
        &self,
        table: &'static Versioned,
        rows: Vec<VersionedRow>,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            let (version_sql, upsert_sql) = (table.version_sql("?", false), table.upsert_sql("?"));
            for r in &rows {
                let stored: Option<i64> = tx
                    .prepare_cached(&version_sql)?
                    .query_row(params![r.kind, r.id], |row| row.get(0))
                    .optional()?;
                r.check_version(stored)?;
                let mut args: Vec<Value> = vec![Value::Text(r.kind.clone()), Value::Text(r.id.clone())];
                args.extend(r.values.iter().map(|v| v.clone().map_or(Value::Null, Value::Text)));
                args.extend([Value::Integer(r.version), Value::Integer(micros(at))]);
                tx.prepare_cached(&upsert_sql)?.execute(rusqlite::params_from_iter(args))?;
            }
            append(tx, audit)?;
            Ok(())
        })
        .await
    }

    /// Open (creating if missing) the database at `url` (`sqlite:PATH` or `sqlite://PATH`) and
    /// migrate it.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        let path = PathBuf::from(rest.split('?').next().unwrap_or(rest));
        if path.as_os_str().is_empty() || rest.starts_with(":memory:") {
            return Err(StoreError::UnsupportedUrl(format!("{url} (an SQLite store needs a file path)")));
        }
        let writer = {
            let path = path.clone();
            blocking(move || {
                let mut conn = Connection::open(&path)?;
                conn.pragma_update(None, "journal_mode", "WAL")?;
                configure(&conn)?;
                // Index builds after a large import sort on helper threads.
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                conn.pragma_update(None, "threads", cores.min(4) as i64)?;
                migrate(&mut conn)?;
                Ok(conn)
            })
            .await?
        };
        Ok(SqliteStore {
            path,
            writer: Arc::new(tokio::sync::Mutex::new(writer)),
            readers: Arc::new(Mutex::new(Vec::new())),
        })
    }

    /// Run `f` in a write transaction, committed when it returns `Ok`.
    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let mut conn = Arc::clone(&self.writer).lock_owned().await;
        blocking(move || {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
    }

    /// Run `f` on a read-only connection.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (pool, path) = (Arc::clone(&self.readers), self.path.clone());
        blocking(move || {
            let pooled = pool.lock().map_err(|_| StoreError::Worker("reader pool poisoned".into()))?.pop();
            let conn = match pooled {
                Some(conn) => conn,
                None => open_reader(&path)?,
            };
            let out = f(&conn);
            if let Ok(mut pool) = pool.lock()
                && pool.len() < 8
            {
                pool.push(conn);
            }
            out
        })
        .await
    }
}

/// A row of [`crate::record::PROTECTION_COLUMNS`].
fn protection_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<crate::record::ProtectionRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
    ))
}

/// A text column of a row, borrowed.
fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize, column: &'static str) -> Result<&'r str, StoreError> {
    row.get_ref(i)?.as_str().map_err(|e| StoreError::Corrupt { column, value: e.to_string() })
}

/// A text column of a row that may be null, borrowed.
fn text_or_null<'r>(
    row: &'r rusqlite::Row<'_>,
    i: usize,
    column: &'static str,
) -> Result<Option<&'r str>, StoreError> {
    row.get_ref(i)?.as_str_or_null().map_err(|e| StoreError::Corrupt { column, value: e.to_string() })
}

fn uuid_of(bytes: Vec<u8>, column: &'static str) -> Result<Uuid, StoreError> {
    Uuid::from_slice(&bytes).map_err(|_| StoreError::Corrupt { column, value: format!("{bytes:?}") })
}

fn crossing_record(row: &Row<'_>) -> Result<CrossingRecord, StoreError> {
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

fn crossing_by_id(conn: &Connection, id: Uuid) -> Result<Option<CrossingRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM crossings WHERE id = ?1"))?;
    let mut rows = stmt.query(params![id.as_bytes().as_slice()])?;
    match rows.next()? {
        Some(row) => Ok(Some(crossing_record(row)?)),
        None => Ok(None),
    }
}

fn append(conn: &Connection, draft: AuditDraft) -> Result<AuditEvent, StoreError> {
    let (seq, hash): (i64, String) = conn
        .prepare_cached("SELECT seq, hash FROM audit_head WHERE id = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let event = AuditEvent::seal(draft, seq + 1, Utc::now(), &hash);
    conn.prepare_cached(
        "INSERT INTO audit_events (seq, at_micros, actor, action, record_kind, record_id, country, detail, \
         prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        event.seq,
        event.at_micros,
        event.actor,
        event.action,
        event.record_kind,
        event.record_id,
        event.country,
        event.detail,
        event.prev_hash,
        event.hash
    ])?;
    conn.prepare_cached("UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1")?
        .execute(params![event.seq, event.hash])?;
    Ok(event)
}

/// Inserts crossings one prepared statement at a time, binding their fields in place, skipping
/// ids already stored, and sorts the skipped ones into re-sent (same fingerprint) and conflicting.
/// `stored_now` is called with the place (in `rows`' order) of each row stored now, for the
/// caller to count it in `crossing_counts` (an import writes the counts once, at commit).
fn insert_rows<'r>(
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
fn add_counts<'k>(
    conn: &Connection,
    cells: impl IntoIterator<Item = (&'k CountKey, u64)>,
) -> Result<(), StoreError> {
    let marks: Vec<String> = (1..=9).map(|i| format!("?{i}")).collect();
    let [daily_table, monthly_table] = crate::record::COUNT_TABLES;
    let daily: Vec<(&CountKey, u64)> = cells.into_iter().collect();
    let months = frontera_domain::count::by_month(daily.iter().copied());
    let monthly: Vec<(&CountKey, u64)> = months.iter().map(|(k, n)| (k, *n)).collect();
    for (table, cells) in [(daily_table, daily), (monthly_table, monthly)] {
        let mut upsert = conn.prepare_cached(&crate::record::count_upsert(table, &marks))?;
        for (key, n) in cells {
            let [a, b, c, d, e, f, g, h] = key.columns();
            upsert.execute(params![a, b, c, d, e, f, g, h, n as i64])?;
        }
    }
    Ok(())
}

/// Stores the `travellers` rows of `rows`, each where it is its person's latest crossing.
fn upsert_travellers(conn: &Connection, rows: &[TravellerRecord]) -> Result<(), StoreError> {
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
fn fill_travellers(conn: &Connection) -> Result<(), StoreError> {
    let mut latest = LatestPerPerson::default();
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM crossings"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        latest.add([crossing_record(row)?.into_crossing()?]);
    }
    upsert_travellers(conn, &latest.into_sorted())
}

/// SQLite's values of a query's parameters.
fn values(args: Vec<Param>) -> impl Iterator<Item = Value> {
    args.into_iter().map(|a| match a {
        Param::Text(t) => Value::Text(t),
        Param::Int(i) => Value::Integer(i),
    })
}

/// The crossings a `travellers` query selects (`SELECT last_crossing …`), in `order`.
fn latest_crossings(
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
fn search_sql(q: &CrossingQuery, select: &str, page: bool) -> (String, Vec<Value>) {
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

fn search(conn: &Connection, q: &CrossingQuery) -> Result<CrossingPage, StoreError> {
    let (sql, args) = search_sql(q, &format!("SELECT {COLUMNS}"), true);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
    let mut records = Vec::new();
    while let Some(row) = rows.next()? {
        records.push(crossing_record(row)?);
    }
    crate::record::into_page(records, q.limit)
}

fn user_from_row(row: &Row<'_>) -> Result<User, StoreError> {
    UserRecord {
        id: uuid_of(row.get("id")?, "users.id")?,
        name: row.get("name")?,
        role: row.get("role")?,
        country: row.get("country")?,
        port_id: row.get("port_id")?,
        organisation: row.get("organisation")?,
        created_at: row.get("created_at")?,
    }
    .into_user()
}

fn session_from_row(row: &Row<'_>) -> Result<Session, StoreError> {
    Ok(Session {
        token_hash: row.get("token_hash")?,
        user: UserId(uuid_of(row.get("user_id")?, "sessions.user_id")?),
        csrf_token: row.get("csrf_token")?,
        created_at: from_micros("sessions.created_at", row.get("created_at")?)?,
        expires_at: from_micros("sessions.expires_at", row.get("expires_at")?)?,
    })
}

fn user_where(conn: &Connection, sql: &str, key: &str) -> Result<Option<User>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params![key])?;
    match rows.next()? {
        Some(row) => Ok(Some(user_from_row(row)?)),
        None => Ok(None),
    }
}

fn hit_from_row(row: &Row<'_>) -> Result<HitRecord, StoreError> {
    HitRow {
        id: uuid_of(row.get("id")?, "screening_hits.id")?,
        crossing_id: uuid_of(row.get("crossing_id")?, "screening_hits.crossing_id")?,
        country: row.get("country")?,
        port_id: row.get("port_id")?,
        list: row.get("list")?,
        reference: row.get("reference")?,
        kind: row.get("kind")?,
        action: row.get("action")?,
        score: row.get("score")?,
        names: row.get("names")?,
        explanation: row.get("explanation")?,
        status: row.get("status")?,
        created_at: row.get("created_at")?,
        resolved_by: row.get("resolved_by")?,
        resolved_at: row.get("resolved_at")?,
        note: row.get("note")?,
    }
    .into_hit()
}

fn entry_from_row(row: &Row<'_>) -> Result<StoredAlert, StoreError> {
    EntryRow {
        country: row.get("country")?,
        list: row.get("list")?,
        reference: row.get("reference")?,
        body: row.get("body")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        retired_at: row.get("retired_at")?,
    }
    .into_alert()
}

fn list_from_row(row: &Row<'_>) -> Result<AlertList, StoreError> {
    ListRow {
        country: row.get("country")?,
        name: row.get("name")?,
        kind: row.get("kind")?,
        threshold: row.get("threshold")?,
        source: row.get("source")?,
        updated_at: row.get("updated_at")?,
        active: row.get("active")?,
        retired: row.get("retired")?,
    }
    .into_list()
}

fn insert_hits(conn: &Connection, hits: &[HitRecord]) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO screening_hits ({HIT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    ))?;
    for hit in hits {
        let r = HitRow::of(hit);
        stmt.execute(params![
            r.id.as_bytes().as_slice(),
            r.crossing_id.as_bytes().as_slice(),
            r.country,
            r.port_id,
            r.list,
            r.reference,
            r.kind,
            r.action,
            r.score,
            r.names,
            r.explanation,
            r.status,
            r.created_at,
            r.resolved_by,
            r.resolved_at,
            r.note,
        ])?;
    }
    Ok(())
}

fn hit_by_id(conn: &Connection, id: Uuid) -> Result<Option<HitRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {HIT_COLUMNS} FROM screening_hits WHERE id = ?1"))?;
    let mut rows = stmt.query(params![id.as_bytes().as_slice()])?;
    match rows.next()? {
        Some(row) => Ok(Some(hit_from_row(row)?)),
        None => Ok(None),
    }
}

fn entry_by_key(
    conn: &Connection,
    country: &str,
    list: &str,
    reference: &str,
) -> Result<Option<StoredAlert>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM alert_entries WHERE country = ?1 AND list = ?2 AND reference = ?3"
    ))?;
    let mut rows = stmt.query(params![country, list, reference])?;
    match rows.next()? {
        Some(row) => Ok(Some(entry_from_row(row)?)),
        None => Ok(None),
    }
}

fn list_exists(conn: &Connection, country: &str, list: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM alert_lists WHERE country = ?1 AND name = ?2")?
        .query_row(params![country, list], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Marks a change to the alert lists, so that every process holding them in memory reloads.
fn touch_alerts(conn: &Connection) -> Result<(), StoreError> {
    let version = Uuid::now_v7().to_string();
    conn.prepare_cached(
        "INSERT INTO node_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
    )?
    .execute(params![ALERTS_VERSION, version])?;
    Ok(())
}

fn upsert_list(conn: &Connection, list: &AlertListSettings, at: DateTime<Utc>) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO alert_lists (country, name, kind, threshold, source, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (country, name) DO UPDATE SET kind = ?3, threshold = ?4, source = COALESCE(?5, source), updated_at = ?6",
    )?
    .execute(params![list.country.as_str(), list.name, list.kind.as_str(), list.threshold, list.source, micros(at)])?;
    Ok(())
}

fn event_from_row(row: &Row<'_>) -> Result<AuditEvent, rusqlite::Error> {
    Ok(AuditEvent {
        seq: row.get("seq")?,
        at_micros: row.get("at_micros")?,
        actor: row.get("actor")?,
        action: row.get("action")?,
        record_kind: row.get("record_kind")?,
        record_id: row.get("record_id")?,
        country: row.get("country")?,
        detail: row.get("detail")?,
        prev_hash: row.get("prev_hash")?,
        hash: row.get("hash")?,
    })
}

fn insert_token(
    conn: &Connection,
    user: UserId,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO api_tokens (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        token_hash,
        user.0.as_bytes().as_slice(),
        Utc::now().timestamp_micros(),
        expires_at.timestamp_micros()
    ])?;
    Ok(())
}

/// An import holding the writer connection inside one open transaction; dropped without commit,
/// it rolls back.
struct SqliteImport {
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
fn leave_wal(conn: &Connection, readers: &Mutex<Vec<Connection>>) -> bool {
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
fn back_to_wal(conn: &Connection) {
    match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
        Ok(mode) if mode.eq_ignore_ascii_case("wal") => {}
        Ok(mode) => tracing::warn!(mode, "the database stayed out of WAL mode after an import"),
        Err(e) => tracing::warn!(error = %e, "putting the database back in WAL mode failed"),
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn engine(&self) -> &'static str {
        "sqlite"
    }

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

    async fn screening(&self, crossing: CrossingId) -> Result<Option<ScreeningRecord>, StoreError> {
        self.read(move |conn| {
            let id = crossing.0.as_bytes().to_vec();
            let head: Option<(i64, i64, bool)> = conn
                .prepare_cached("SELECT screened_at, entries, protection FROM screenings WHERE crossing_id = ?1")?
                .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((at, entries, protection)) = head else { return Ok(None) };
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {HIT_COLUMNS} FROM screening_hits WHERE crossing_id = ?1 ORDER BY score DESC, reference"
            ))?;
            let mut rows = stmt.query(params![id])?;
            let mut hits = Vec::new();
            while let Some(row) = rows.next()? {
                hits.push(hit_from_row(row)?);
            }
            Ok(Some(ScreeningRecord {
                screened_at: from_micros("screenings.screened_at", at)?,
                entries: entries.max(0) as u64,
                protection,
                hits,
            }))
        })
        .await
    }

    async fn hits(&self, query: &HitQuery) -> Result<Vec<HitRecord>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let mut sql = format!("SELECT {HIT_COLUMNS} FROM screening_hits WHERE country = ?");
            let mut args: Vec<Value> = vec![Value::Text(query.country.to_string())];
            if let Some(port) = &query.port {
                sql.push_str(" AND port_id = ?");
                args.push(Value::Text(port.to_string()));
            }
            if !query.statuses.is_empty() {
                let marks = vec!["?"; query.statuses.len()].join(", ");
                sql.push_str(&format!(" AND status IN ({marks})"));
                args.extend(query.statuses.iter().map(|s| Value::Text(s.as_str().into())));
            }
            sql.push_str(" ORDER BY created_at DESC, id LIMIT ?");
            args.push(Value::Integer(i64::from(query.limit.clamp(1, 1000))));
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(hit_from_row(row)?);
            }
            Ok(out)
        })
        .await
    }

    async fn hit(&self, id: Uuid) -> Result<Option<HitRecord>, StoreError> {
        self.read(move |conn| hit_by_id(conn, id)).await
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
        let (by, note) = (by.to_string(), note.map(str::to_string));
        self.write(move |tx| {
            let changed = tx.execute(
                "UPDATE screening_hits SET status = ?3, resolved_by = ?4, resolved_at = ?5, note = ?6 \
                 WHERE id = ?1 AND status = ?2",
                params![id.as_bytes().as_slice(), from.as_str(), to.as_str(), by, micros(at), note],
            )?;
            if changed == 0 {
                return match hit_by_id(tx, id)? {
                    None => Err(StoreError::NotFound(format!("hit {id}"))),
                    Some(h) => Err(StoreError::Conflict(format!("hit {id} is {} now", h.status.as_str()))),
                };
            }
            append(tx, audit)?;
            hit_by_id(tx, id)?.ok_or_else(|| StoreError::NotFound(format!("hit {id}")))
        })
        .await
    }

    async fn save_alert_list(&self, list: &AlertListSettings, audit: AuditDraft) -> Result<(), StoreError> {
        let list = list.clone();
        self.write(move |tx| {
            let at = Utc::now();
            upsert_list(tx, &list, at)?;
            touch_alerts(tx)?;
            append(tx, audit)?;
            Ok(())
        })
        .await
    }

    async fn alert_lists(&self, country: Option<CountryCode>) -> Result<Vec<AlertList>, StoreError> {
        self.read(move |conn| {
            let (sql, args) = match country {
                Some(c) => (
                    format!("{LIST_SELECT} WHERE l.country = ?1 ORDER BY l.country, l.name"),
                    vec![c.to_string()],
                ),
                None => (format!("{LIST_SELECT} ORDER BY l.country, l.name"), Vec::new()),
            };
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(list_from_row(row)?);
            }
            Ok(out)
        })
        .await
    }

    async fn import_alerts(
        &self,
        list: &AlertListSettings,
        entries: Vec<frontera_domain::alert::AlertEntry>,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<ListChanges, StoreError> {
        let list = list.clone();
        self.write(move |tx| {
            let country = list.country.to_string();
            upsert_list(tx, &list, at)?;
            let mut stored = std::collections::HashMap::new();
            {
                let mut stmt = tx.prepare_cached(
                    "SELECT reference, fingerprint, retired_at IS NOT NULL FROM alert_entries WHERE country = ?1 AND list = ?2",
                )?;
                let mut rows = stmt.query(params![country, list.name])?;
                while let Some(row) = rows.next()? {
                    stored.insert(row.get::<_, String>(0)?, (row.get::<_, String>(1)?, row.get::<_, bool>(2)?));
                }
            }
            let (changes, writes) = plan_import(&stored, &entries)?;
            let at = micros(at);
            let mut insert = tx.prepare_cached(
                "INSERT INTO alert_entries (country, list, reference, body, fingerprint, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE alert_entries SET body = ?4, fingerprint = ?5, updated_at = ?6, retired_at = NULL \
                 WHERE country = ?1 AND list = ?2 AND reference = ?3",
            )?;
            let mut retire = tx.prepare_cached(
                "UPDATE alert_entries SET retired_at = ?4, updated_at = ?4 WHERE country = ?1 AND list = ?2 AND reference = ?3",
            )?;
            for write in writes {
                match write {
                    EntryWrite::Insert(b) => {
                        insert.execute(params![country, list.name, b.reference, b.body, b.fingerprint, at])?;
                    }
                    EntryWrite::Update(b) => {
                        update.execute(params![country, list.name, b.reference, b.body, b.fingerprint, at])?;
                    }
                    EntryWrite::Retire(reference) => {
                        retire.execute(params![country, list.name, reference, at])?;
                    }
                }
            }
            touch_alerts(tx)?;
            append(tx, with_changes(audit, &changes))?;
            Ok(changes)
        })
        .await
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
        let (list, body) = (list.to_string(), EntryBody::of(entry)?);
        self.write(move |tx| {
            let c = country.to_string();
            if !list_exists(tx, &c, &list)? {
                return Err(StoreError::NotFound(format!("alert list {list}")));
            }
            let exists = entry_by_key(tx, &c, &list, &body.reference)?.is_some();
            match (create, exists) {
                (true, true) => {
                    return Err(StoreError::Conflict(format!("{list} already holds the reference {}", body.reference)));
                }
                (false, false) => return Err(StoreError::NotFound(format!("alert {list}/{}", body.reference))),
                (true, false) => {
                    tx.execute(
                        "INSERT INTO alert_entries (country, list, reference, body, fingerprint, created_at, updated_at) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                        params![c, list, body.reference, body.body, body.fingerprint, micros(at)],
                    )?;
                }
                (false, true) => {
                    tx.execute(
                        "UPDATE alert_entries SET body = ?4, fingerprint = ?5, updated_at = ?6 \
                         WHERE country = ?1 AND list = ?2 AND reference = ?3",
                        params![c, list, body.reference, body.body, body.fingerprint, micros(at)],
                    )?;
                }
            }
            touch_alerts(tx)?;
            append(tx, audit)?;
            entry_by_key(tx, &c, &list, &body.reference)?
                .ok_or_else(|| StoreError::NotFound(format!("alert {list}/{}", body.reference)))
        })
        .await
    }

    async fn retire_alert(
        &self,
        country: CountryCode,
        list: &str,
        reference: &str,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<StoredAlert, StoreError> {
        let (list, reference) = (list.to_string(), reference.to_string());
        self.write(move |tx| {
            let c = country.to_string();
            let Some(stored) = entry_by_key(tx, &c, &list, &reference)? else {
                return Err(StoreError::NotFound(format!("alert {list}/{reference}")));
            };
            if stored.retired_at.is_some() {
                return Ok(stored);
            }
            tx.execute(
                "UPDATE alert_entries SET retired_at = ?4, updated_at = ?4 WHERE country = ?1 AND list = ?2 AND reference = ?3",
                params![c, list, reference, micros(at)],
            )?;
            touch_alerts(tx)?;
            append(tx, audit)?;
            entry_by_key(tx, &c, &list, &reference)?
                .ok_or_else(|| StoreError::NotFound(format!("alert {list}/{reference}")))
        })
        .await
    }

    async fn alert(
        &self,
        country: CountryCode,
        list: &str,
        reference: &str,
    ) -> Result<Option<StoredAlert>, StoreError> {
        let (list, reference) = (list.to_string(), reference.to_string());
        self.read(move |conn| entry_by_key(conn, country.as_str(), &list, &reference)).await
    }

    async fn alerts(&self, query: &AlertQuery) -> Result<Vec<StoredAlert>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let mut sql = format!("SELECT {ENTRY_COLUMNS} FROM alert_entries WHERE 1 = 1");
            let mut args: Vec<Value> = Vec::new();
            if let Some(c) = query.country {
                sql.push_str(" AND country = ?");
                args.push(Value::Text(c.to_string()));
            }
            if let Some(list) = &query.list {
                sql.push_str(" AND list = ?");
                args.push(Value::Text(list.clone()));
            }
            if !query.include_retired {
                sql.push_str(" AND retired_at IS NULL");
            }
            if let Some((list, reference)) = &query.after {
                sql.push_str(" AND (list > ? OR (list = ? AND reference > ?))");
                args.extend([
                    Value::Text(list.clone()),
                    Value::Text(list.clone()),
                    Value::Text(reference.clone()),
                ]);
            }
            sql.push_str(" ORDER BY country, list, reference");
            if query.limit > 0 {
                sql.push_str(" LIMIT ?");
                args.push(Value::Integer(i64::from(query.limit)));
            }
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(entry_from_row(row)?);
            }
            Ok(out)
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
            let (sql, args) = search_sql(&query, crate::record::FACT_COLUMNS, false);
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut facts = Vec::new();
            while let Some(row) = rows.next()? {
                facts.push(crate::record::fact((
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

    async fn save_directory(
        &self,
        records: &[DirectoryRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<DirectoryChanges, StoreError> {
        let records = records.to_vec();
        self.write(move |tx| {
            let mut changes = DirectoryChanges::default();
            for r in &records {
                let old: Option<String> = tx
                    .prepare_cached("SELECT record FROM directory_records WHERE kind = ?1 AND id = ?2")?
                    .query_row(params![r.kind, r.id], |row| row.get(0))
                    .optional()?;
                match old {
                    Some(o) if o == r.record => changes.unchanged += 1,
                    Some(_) => changes.updated += 1,
                    None => changes.added += 1,
                }
                tx.prepare_cached(
                    "INSERT INTO directory_records (kind, id, record, updated_at) VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT (kind, id) DO UPDATE SET record = ?3, updated_at = ?4",
                )?
                .execute(params![r.kind, r.id, r.record, micros(at)])?;
            }
            append(tx, with_detail(audit, "changes", serde_json::json!(changes)))?;
            Ok(changes)
        })
        .await
    }

    async fn directory_records(&self) -> Result<Vec<DirectoryRecord>, StoreError> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT kind, id, record FROM directory_records ORDER BY kind, id")?;
            let rows = stmt.query_map([], |r| {
                Ok(DirectoryRecord { kind: r.get(0)?, id: r.get(1)?, record: r.get(2)? })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn save_protection(
        &self,
        record: &ProtectionRecord,
        at: DateTime<Utc>,
        audit: AuditDraft,
        effects: &Effects,
    ) -> Result<(), StoreError> {
        let (r, effects) = (record.clone(), effects.clone());
        self.write(move |tx| {
            let stored: Option<i64> = tx
                .prepare_cached("SELECT version FROM protection_records WHERE kind = ?1 AND id = ?2")?
                .query_row(params![r.kind, r.id], |row| row.get(0))
                .optional()?;
            if stored != (r.version > 1).then_some(r.version - 1) {
                return Err(StoreError::Conflict(format!(
                    "{} {} changed meanwhile (version {}), try again",
                    r.kind,
                    r.id,
                    stored.unwrap_or(0)
                )));
            }
            tx.prepare_cached(
                "INSERT INTO protection_records (kind, id, case_id, country, organisation, counterpart, state, due_at, record, version, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
                 ON CONFLICT (kind, id) DO UPDATE SET case_id = ?3, country = ?4, organisation = ?5, counterpart = ?6, \
                 state = ?7, due_at = ?8, record = ?9, version = ?10, updated_at = ?11",
            )?
            .execute(params![
                r.kind,
                r.id,
                r.case_id,
                r.country.as_str(),
                r.organisation,
                r.counterpart,
                r.state,
                r.due_at,
                r.record,
                r.version,
                micros(at)
            ])?;
            for m in &effects.send {
                tx.prepare_cached(
                    "INSERT INTO exchange_outbox (peer, kind, subject_id, case_id, body, created_at, next_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                )?
                .execute(params![m.peer.as_str(), m.kind, m.subject_id, m.case_id, m.body, micros(at)])?;
            }
            for n in &effects.notify {
                tx.prepare_cached(
                    "INSERT INTO notifications (recipient, kind, subject_kind, subject_id, case_id, detail, created_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![n.recipient, n.kind, n.subject_kind, n.subject_id, n.case_id, n.detail, micros(at)])?;
            }
            append(tx, audit)?;
            Ok(())
        })
        .await
    }

    async fn outbox(&self) -> Result<Vec<Queued>, StoreError> {
        self.read(|conn| {
            let sql = format!(
                "SELECT {} FROM exchange_outbox WHERE given_up_at IS NULL ORDER BY id",
                crate::record::QUEUED_COLUMNS
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([], |r| crate::record::QueuedRow::try_from(r))?;
            rows.map(|row| crate::record::queued(row?)).collect()
        })
        .await
    }

    async fn outbox_delivered(&self, id: i64) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.execute("DELETE FROM exchange_outbox WHERE id = ?1", params![id])?;
            Ok(())
        })
        .await
    }

    async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let error = error.to_string();
        self.write(move |tx| {
            tx.execute(
                "UPDATE exchange_outbox SET attempts = attempts + 1, last_error = ?2, \
                 next_at = COALESCE(?3, next_at), given_up_at = CASE WHEN ?3 IS NULL THEN ?4 END WHERE id = ?1",
                params![id, error, retry_at.map(micros), micros(at)],
            )?;
            Ok(())
        })
        .await
    }

    async fn save_attachment(
        &self,
        attachment: &Attachment,
        content: &[u8],
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let (a, content) = (attachment.clone(), content.to_vec());
        self.write(move |tx| {
            tx.prepare_cached(
                "INSERT INTO protection_attachments (id, case_id, name, media_type, size, sha256, added_by, added_at, content) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                a.id,
                a.case_id,
                a.name,
                a.media_type,
                a.size as i64,
                a.sha256,
                a.added_by,
                micros(a.added_at),
                content
            ])?;
            append(tx, audit)?;
            Ok(())
        })
        .await
    }

    async fn attachments(&self, case_id: &str) -> Result<Vec<Attachment>, StoreError> {
        let case_id = case_id.to_string();
        self.read(move |conn| {
            let sql = format!(
                "SELECT {} FROM protection_attachments WHERE case_id = ?1 ORDER BY added_at, id",
                crate::record::ATTACHMENT_COLUMNS
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![case_id], |r| crate::record::AttachmentRow::try_from(r))?;
            rows.map(|row| crate::record::attachment(row?)).collect()
        })
        .await
    }

    async fn attachment(&self, id: &str) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
        let id = id.to_string();
        self.read(move |conn| {
            let sql = format!(
                "SELECT {}, content FROM protection_attachments WHERE id = ?1",
                crate::record::ATTACHMENT_COLUMNS
            );
            let row = conn
                .prepare_cached(&sql)?
                .query_row(params![id], |r| {
                    Ok((crate::record::AttachmentRow::try_from(r)?, r.get::<_, Vec<u8>>(8)?))
                })
                .optional()?;
            row.map(|(meta, content)| Ok((crate::record::attachment(meta)?, content))).transpose()
        })
        .await
    }

    async fn notifications(
        &self,
        recipient: &str,
        unread_only: bool,
        limit: u32,
    ) -> Result<Vec<Notification>, StoreError> {
        let recipient = recipient.to_string();
        self.read(move |conn| {
            let sql = format!(
                "SELECT {} FROM notifications WHERE recipient = ?1 AND (?2 = 0 OR read_at IS NULL) \
                 ORDER BY id DESC LIMIT ?3",
                crate::record::NOTIFICATION_COLUMNS
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![recipient, unread_only, limit], |r| {
                crate::record::NotificationRow::try_from(r)
            })?;
            rows.map(|row| crate::record::notification(row?)).collect()
        })
        .await
    }

    async fn unread_notifications(&self, recipient: &str) -> Result<u64, StoreError> {
        let recipient = recipient.to_string();
        self.read(move |conn| {
            let n: i64 = conn
                .prepare_cached(
                    "SELECT count(*) FROM notifications WHERE recipient = ?1 AND read_at IS NULL",
                )?
                .query_row(params![recipient], |r| r.get(0))?;
            Ok(n.max(0) as u64)
        })
        .await
    }

    async fn mark_notifications_read(
        &self,
        recipient: &str,
        ids: &[i64],
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let (recipient, ids) = (recipient.to_string(), ids.to_vec());
        self.write(move |tx| {
            let mut marked = 0;
            if ids.is_empty() {
                marked = tx.execute(
                    "UPDATE notifications SET read_at = ?2 WHERE recipient = ?1 AND read_at IS NULL",
                    params![recipient, micros(at)],
                )?;
            }
            for id in &ids {
                marked += tx
                    .prepare_cached(
                        "UPDATE notifications SET read_at = ?3 WHERE recipient = ?1 AND id = ?2 AND read_at IS NULL",
                    )?
                    .execute(params![recipient, id, micros(at)])?;
            }
            Ok(marked as u64)
        })
        .await
    }

    async fn protection_record(&self, kind: &str, id: &str) -> Result<Option<ProtectionRecord>, StoreError> {
        let (kind, id) = (kind.to_string(), id.to_string());
        self.read(move |conn| {
            let sql = format!(
                "SELECT {} FROM protection_records WHERE kind = ?1 AND id = ?2",
                crate::record::PROTECTION_COLUMNS
            );
            let row = conn.prepare_cached(&sql)?.query_row(params![kind, id], protection_row).optional()?;
            row.map(crate::record::protection).transpose()
        })
        .await
    }

    async fn protection_records(&self, query: &ProtectionQuery) -> Result<Vec<ProtectionRecord>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let (sql, args) = crate::record::protection_search(&query, "?");
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values(args)), protection_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(crate::record::protection(row?)?);
            }
            Ok(out)
        })
        .await
    }

    async fn purge_protection(
        &self,
        case_id: &str,
        counts: &[(String, String, String, u64)],
        audit: AuditDraft,
    ) -> Result<u64, StoreError> {
        let (case_id, counts) = (case_id.to_string(), counts.to_vec());
        let deleted = self.write(move |tx| {
            // What is deleted is overwritten, not left in free pages.
            tx.pragma_update(None, "secure_delete", true)?;
            let deleted = tx.execute("DELETE FROM protection_records WHERE case_id = ?1", params![case_id])?;
            tx.execute("DELETE FROM notifications WHERE case_id = ?1", params![case_id])?;
            tx.execute("DELETE FROM protection_attachments WHERE case_id = ?1", params![case_id])?;
            tx.execute("DELETE FROM exchange_outbox WHERE case_id = ?1", params![case_id])?;
            for (month, measure, value, n) in &counts {
                tx.prepare_cached(
                    "INSERT INTO protection_statistics (month, measure, value, count) VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT (month, measure, value) DO UPDATE SET count = count + ?4",
                )?
                .execute(params![month, measure, value, *n as i64])?;
            }
            append(tx, audit)?;
            Ok(deleted as u64)
        })
        .await?;
        // Nor in the write-ahead log: its frames are copied back and the log emptied.
        let conn = Arc::clone(&self.writer).lock_owned().await;
        blocking(move || {
            conn.pragma_update(None, "secure_delete", false)?;
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
            Ok(())
        })
        .await?;
        Ok(deleted)
    }

    async fn save_labour(
        &self,
        records: &[LabourRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        self.save_versioned(&LABOUR_RECORDS, records.iter().map(VersionedRow::from).collect(), at, audit)
            .await
    }

    async fn labour_record(&self, kind: &str, id: &str) -> Result<Option<LabourRecord>, StoreError> {
        let (kind, id) = (kind.to_string(), id.to_string());
        self.read(move |conn| {
            let sql = format!(
                "SELECT {} FROM labour_records WHERE kind = ?1 AND id = ?2",
                crate::record::LABOUR_COLUMNS
            );
            let row = conn
                .prepare_cached(&sql)?
                .query_row(params![kind, id], |r| crate::record::LabourRow::try_from(r))
                .optional()?;
            row.map(crate::record::labour).transpose()
        })
        .await
    }

    async fn labour_records(&self, query: &LabourQuery) -> Result<Vec<LabourRecord>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let (sql, args) = crate::record::labour_search(&query, "?");
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values(args)), |r| {
                crate::record::LabourRow::try_from(r)
            })?;
            rows.map(|row| crate::record::labour(row?)).collect()
        })
        .await
    }

    async fn save_informal(
        &self,
        records: &[InformalRecord],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        self.save_versioned(&INFORMAL_RECORDS, records.iter().map(VersionedRow::from).collect(), at, audit)
            .await
    }

    async fn informal_record(&self, kind: &str, id: &str) -> Result<Option<InformalRecord>, StoreError> {
        let (kind, id) = (kind.to_string(), id.to_string());
        self.read(move |conn| {
            let sql = format!("SELECT {INFORMAL_COLUMNS} FROM informal_records WHERE kind = ?1 AND id = ?2");
            let row = conn
                .prepare_cached(&sql)?
                .query_row(params![kind, id], |r| crate::record::InformalRow::try_from(r))
                .optional()?;
            row.map(crate::record::informal).transpose()
        })
        .await
    }

    async fn informal_records(&self, query: &InformalQuery) -> Result<Vec<InformalRecord>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let (sql, args) = crate::record::informal_search(&query, "?");
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values(args)), |r| {
                crate::record::InformalRow::try_from(r)
            })?;
            rows.map(|row| crate::record::informal(row?)).collect()
        })
        .await
    }

    async fn compact_protection(&self) -> Result<(), StoreError> {
        let conn = Arc::clone(&self.writer).lock_owned().await;
        blocking(move || {
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
            Ok(())
        })
        .await
    }

    async fn protection_statistics(&self) -> Result<Vec<(String, String, String, u64)>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT month, measure, value, count FROM protection_statistics ORDER BY month, measure, value",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)?.max(0) as u64)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
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
            let mut out = crate::record::MovementsBuilder::default();
            let mut stmt = conn.prepare(crate::record::HOLDER_SELECT)?;
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
            let mut stmt = conn.prepare(crate::record::MOVEMENT_SELECT)?;
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
            let (filter, args) = crate::record::count_filter(&query, "?");
            let sql = format!(
                "SELECT {}, crossings FROM {}{filter}",
                crate::record::COUNT_KEY_COLUMNS,
                crate::record::count_table(&query)
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
                out.push((crate::record::count_key(fields)?, n.max(0) as u64));
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
            for table in crate::record::COUNT_TABLES {
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

    async fn add_user(
        &self,
        user: &User,
        credentials: Credentials<'_>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let user = user.clone();
        let token_hash = credentials.token_hash.map(str::to_string);
        let token_expires_at = credentials.token_expires_at;
        let password_hash = credentials.password_hash.map(str::to_string);
        self.write(move |tx| {
            let taken: Option<Vec<u8>> = tx
                .prepare_cached("SELECT id FROM users WHERE name = ?1")?
                .query_row(params![user.name], |r| r.get(0))
                .optional()?;
            if taken.is_some() {
                return Err(StoreError::Conflict(format!("a user named {} exists", user.name)));
            }
            tx.prepare_cached(
                "INSERT INTO users (id, name, role, country, port_id, organisation, created_at, \
                 password_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                user.id.0.as_bytes().as_slice(),
                user.name,
                user.role.as_str(),
                user.country.as_str(),
                user.port.as_ref().map(PortId::as_str),
                user.organisation,
                user.created_at.timestamp_micros(),
                password_hash
            ])?;
            if let (Some(hash), Some(until)) = (&token_hash, token_expires_at) {
                insert_token(tx, user.id, hash, until)?;
            }
            append(tx, audit)?;
            Ok(())
        })
        .await
    }

    async fn add_token(
        &self,
        user: UserId,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let token_hash = token_hash.to_string();
        self.write(move |tx| {
            insert_token(tx, user, &token_hash, expires_at)?;
            append(tx, audit)?;
            Ok(())
        })
        .await
    }

    async fn revoke_tokens(&self, user: UserId, audit: AuditDraft) -> Result<u64, StoreError> {
        self.write(move |tx| {
            let gone = tx
                .prepare_cached("DELETE FROM api_tokens WHERE user_id = ?1")?
                .execute(params![user.0.as_bytes().as_slice()])?;
            append(tx, audit)?;
            Ok(gone as u64)
        })
        .await
    }

    async fn user_by_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>, StoreError> {
        let token_hash = token_hash.to_string();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT u.* FROM users u JOIN api_tokens t ON t.user_id = u.id \
                 WHERE t.token_hash = ?1 AND t.expires_at > ?2 AND u.disabled_at IS NULL",
            )?;
            let mut rows = stmt.query(params![token_hash, now.timestamp_micros()])?;
            rows.next()?.map(user_from_row).transpose()
        })
        .await
    }

    async fn user_by_name(&self, name: &str) -> Result<Option<User>, StoreError> {
        let name = name.to_string();
        self.read(move |conn| user_where(conn, "SELECT * FROM users WHERE name = ?1", &name)).await
    }

    async fn login_record(&self, name: &str) -> Result<Option<LoginRecord>, StoreError> {
        let name = name.to_string();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached("SELECT * FROM users WHERE name = ?1")?;
            let mut rows = stmt.query(params![name])?;
            let Some(row) = rows.next()? else { return Ok(None) };
            let locked: Option<i64> = row.get("locked_until")?;
            Ok(Some(LoginRecord {
                user: user_from_row(row)?,
                password_hash: row.get("password_hash")?,
                failed_logins: row.get::<_, i64>("failed_logins")?.clamp(0, i64::from(u32::MAX)) as u32,
                locked_until: locked.map(|t| from_micros("users.locked_until", t)).transpose()?,
                disabled: row.get::<_, Option<i64>>("disabled_at")?.is_some(),
            }))
        })
        .await
    }

    async fn set_password(
        &self,
        user: UserId,
        password_hash: &str,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let hash = password_hash.to_string();
        self.write(move |tx| {
            let id = user.0.as_bytes().to_vec();
            let changed = tx
                .prepare_cached(
                    "UPDATE users SET password_hash = ?1, failed_logins = 0, locked_until = NULL \
                     WHERE id = ?2",
                )?
                .execute(params![hash, id])?;
            if changed == 0 {
                return Err(StoreError::NotFound(format!("user {user}")));
            }
            tx.prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?.execute(params![id])?;
            // A new password revokes every API token: whoever knew the old one may have made one.
            tx.prepare_cached("DELETE FROM api_tokens WHERE user_id = ?1")?.execute(params![id])?;
            append(tx, audit)?;
            Ok(())
        })
        .await
    }

    async fn login_failed(
        &self,
        user: UserId,
        at: DateTime<Utc>,
        policy: LockPolicy,
        audit: AuditDraft,
    ) -> Result<LoginFailure, StoreError> {
        self.write(move |tx| {
            let id = user.0.as_bytes().to_vec();
            let (failed, locked): (i64, Option<i64>) = tx
                .prepare_cached("SELECT failed_logins, locked_until FROM users WHERE id = ?1")?
                .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("user {user}")))?;
            let locked = locked.map(|t| from_micros("users.locked_until", t)).transpose()?;
            let failure = policy.after_failure(failed.clamp(0, i64::from(u32::MAX)) as u32, locked, at);
            tx.prepare_cached("UPDATE users SET failed_logins = ?1, locked_until = ?2 WHERE id = ?3")?
                .execute(params![
                    i64::from(failure.failed_logins),
                    failure.locked_until.map(|t| t.timestamp_micros()),
                    id
                ])?;
            append(tx, with_failure(audit, failure))?;
            Ok(failure)
        })
        .await
    }

    async fn open_session(&self, session: &Session, audit: AuditDraft) -> Result<(), StoreError> {
        let session = session.clone();
        self.write(move |tx| {
            let id = session.user.0.as_bytes().to_vec();
            tx.prepare_cached("DELETE FROM sessions WHERE expires_at <= ?1")?
                .execute(params![session.created_at.timestamp_micros()])?;
            // A login that was checked while the lock was raised does not lift it.
            tx.prepare_cached(
                "UPDATE users SET failed_logins = 0, locked_until = NULL \
                 WHERE id = ?1 AND (locked_until IS NULL OR locked_until <= ?2)",
            )?
            .execute(params![id, session.created_at.timestamp_micros()])?;
            tx.prepare_cached(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                session.token_hash,
                id,
                session.csrf_token,
                session.created_at.timestamp_micros(),
                session.expires_at.timestamp_micros()
            ])?;
            append(tx, audit)?;
            Ok(())
        })
        .await
    }

    async fn session(&self, token_hash: &str) -> Result<Option<(Session, User)>, StoreError> {
        let token_hash = token_hash.to_string();
        self.read(move |conn| {
            let session = conn
                .prepare_cached("SELECT * FROM sessions WHERE token_hash = ?1")?
                .query_row(params![token_hash], |row| Ok(session_from_row(row)))
                .optional()?
                .transpose()?;
            let Some(session) = session else { return Ok(None) };
            let user = conn
                .prepare_cached("SELECT * FROM users WHERE id = ?1 AND disabled_at IS NULL")?
                .query_row(params![session.user.0.as_bytes().as_slice()], |row| Ok(user_from_row(row)))
                .optional()?
                .transpose()?;
            Ok(user.map(|user| (session, user)))
        })
        .await
    }

    async fn close_session(&self, token_hash: &str, audit: AuditDraft) -> Result<(), StoreError> {
        let token_hash = token_hash.to_string();
        self.write(move |tx| {
            let n = tx
                .prepare_cached("DELETE FROM sessions WHERE token_hash = ?1")?
                .execute(params![token_hash])?;
            append(tx, with_detail(audit, "ended", (n > 0).into()))?;
            Ok(())
        })
        .await
    }

    async fn append_audit(&self, audit: AuditDraft) -> Result<AuditEvent, StoreError> {
        self.write(move |tx| append(tx, audit)).await
    }

    async fn update_user(
        &self,
        user: &User,
        disabled_at: Option<DateTime<Utc>>,
        audit: AuditDraft,
    ) -> Result<(), StoreError> {
        let user = user.clone();
        self.write(move |tx| {
            let id = user.id.0.as_bytes().to_vec();
            let changed = tx.execute(
                "UPDATE users SET role = ?2, port_id = ?3, organisation = ?4, disabled_at = ?5 WHERE id = ?1",
                params![
                    id,
                    user.role.as_str(),
                    user.port.as_ref().map(PortId::as_str),
                    user.organisation,
                    disabled_at.map(|t| t.timestamp_micros()),
                ],
            )?;
            if changed == 0 {
                return Err(StoreError::NotFound(format!("user {}", user.name)));
            }
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", params![id])?;
            // Switching an account off revokes its tokens, so switching it on again brings none back.
            if disabled_at.is_some() {
                tx.execute("DELETE FROM api_tokens WHERE user_id = ?1", params![id])?;
            }
            append(tx, audit)?;
            Ok(())
        })
        .await
    }

    async fn accounts(&self, country: Option<CountryCode>) -> Result<Vec<Account>, StoreError> {
        self.read(move |conn| {
            let (sql, args) = match country {
                Some(c) => {
                    (format!("{ACCOUNT_SELECT} WHERE u.country = ?1 ORDER BY u.name"), vec![c.to_string()])
                }
                None => (format!("{ACCOUNT_SELECT} ORDER BY u.name"), Vec::new()),
            };
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut accounts = Vec::new();
            while let Some(row) = rows.next()? {
                let locked: Option<i64> = row.get("locked_until")?;
                accounts.push(Account {
                    user: user_from_row(row)?,
                    has_password: row.get("has_password")?,
                    api_tokens: row.get::<_, i64>("api_tokens")?.clamp(0, i64::from(u32::MAX)) as u32,
                    failed_logins: row.get::<_, i64>("failed_logins")?.clamp(0, i64::from(u32::MAX)) as u32,
                    locked_until: locked.map(|t| from_micros("users.locked_until", t)).transpose()?,
                    disabled_at: row
                        .get::<_, Option<i64>>("disabled_at")?
                        .map(|t| from_micros("users.disabled_at", t))
                        .transpose()?,
                });
            }
            Ok(accounts)
        })
        .await
    }

    async fn search_audit(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError> {
        let (sql, args) = audit_search(query, "?");
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let events = stmt.query_map(rusqlite::params_from_iter(values(args)), event_from_row)?;
            Ok(events.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn audit_events(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEvent>, StoreError> {
        self.read(move |conn| {
            let mut stmt =
                conn.prepare_cached("SELECT * FROM audit_events WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
            let events = stmt.query_map(params![after_seq, i64::from(limit)], event_from_row)?;
            Ok(events.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    async fn audit_head(&self) -> Result<Option<(i64, String)>, StoreError> {
        self.read(|conn| {
            let head: Option<(i64, String)> = conn
                .prepare_cached("SELECT seq, hash FROM audit_head WHERE id = 1")?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            Ok(head.filter(|(seq, _)| *seq > 0))
        })
        .await
    }

    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let key = key.to_string();
        self.read(move |conn| {
            Ok(conn
                .prepare_cached("SELECT value FROM node_meta WHERE key = ?1")?
                .query_row(params![key], |r| r.get(0))
                .optional()?)
        })
        .await
    }

    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let (key, value) = (key.to_string(), value.to_string());
        self.write(move |tx| {
            tx.prepare_cached(
                "INSERT INTO node_meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            )?
            .execute(params![key, value])?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
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
