//! The sqlite engine: opening a database file and migrating its schema.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, TransactionBehavior};

use super::crossings::fill_travellers;
use super::{SqliteStore, blocking, configure};
use crate::error::StoreError;

/// The migrations, in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_init.sql"),
    include_str!("../../migrations/sqlite/0002_logins.sql"),
    include_str!("../../migrations/sqlite/0003_processing_time.sql"),
    include_str!("../../migrations/sqlite/0004_travellers.sql"),
    include_str!("../../migrations/sqlite/0005_disabled_accounts.sql"),
    include_str!("../../migrations/sqlite/0006_alerts.sql"),
    include_str!("../../migrations/sqlite/0007_crossing_counts.sql"),
    include_str!("../../migrations/sqlite/0008_directory.sql"),
    include_str!("../../migrations/sqlite/0009_protection.sql"),
    include_str!("../../migrations/sqlite/0010_protection_statistics.sql"),
    include_str!("../../migrations/sqlite/0011_notifications.sql"),
    include_str!("../../migrations/sqlite/0012_attachments.sql"),
    include_str!("../../migrations/sqlite/0013_exchange_outbox.sql"),
    include_str!("../../migrations/sqlite/0014_labour.sql"),
    include_str!("../../migrations/sqlite/0015_informal.sql"),
    include_str!("../../migrations/sqlite/0016_token_expiry.sql"),
];

/// The migration that creates `travellers`, which the crossings stored before it then fill.
const TRAVELLERS_MIGRATION: usize = 4;

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

impl SqliteStore {
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
}
