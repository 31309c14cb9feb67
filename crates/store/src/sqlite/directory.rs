//! The sqlite engine: the referral directory's organisations, services and locations.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::AuditDraft;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, append};
use crate::audit::with_detail;
use crate::directory::{DirectoryChanges, DirectoryRecord, DirectoryStore};
use crate::error::StoreError;
use crate::rows::alerts::micros;

#[async_trait]
impl DirectoryStore for SqliteStore {
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
}
