//! The embedded SQLite store: the default for a post, a small country's hub, or the demo.
//!
//! WAL journal, a busy timeout, migrations on open. One writer connection, taken in turn by
//! writers (each transaction opens with `BEGIN IMMEDIATE`, so writers queue in the process instead
//! of failing with `SQLITE_BUSY`), and a pool of read-only connections that never wait for a
//! writer. SQLite calls block, so they run on Tokio's blocking threads.

mod accounts;
mod alerts;
mod audit;
mod crossings;
mod directory;
mod informal;
mod labour;
mod node;
mod protection;
mod schema;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use frontera_domain::audit::{AuditDraft, AuditEvent};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use uuid::Uuid;

use crate::error::StoreError;
use crate::rows::alerts::micros;
use crate::rows::{Param, Versioned, VersionedRow};

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

/// SQLite's values of a query's parameters.
fn values(args: Vec<Param>) -> impl Iterator<Item = Value> {
    args.into_iter().map(|a| match a {
        Param::Text(t) => Value::Text(t),
        Param::Int(i) => Value::Integer(i),
    })
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
