//! The postgres engine: the referral directory's organisations, services and locations.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::AuditDraft;

use super::{PostgresStore, append};
use crate::audit::with_detail;
use crate::directory::{DirectoryChanges, DirectoryRecord, DirectoryStore};
use crate::error::StoreError;
use crate::rows::alerts::micros;

#[async_trait]
impl DirectoryStore for PostgresStore {
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
}
