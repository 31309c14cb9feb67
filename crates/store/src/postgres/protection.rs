//! The postgres engine: protection cases, referrals, consents, their files, notifications and the exchange outbox.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::AuditDraft;

use super::{PostgresStore, append};
use crate::error::StoreError;
use crate::protection::{
    Attachment, Effects, Notification, ProtectionQuery, ProtectionRecord, ProtectionStore, Queued,
};
use crate::rows;
use crate::rows::Param;
use crate::rows::alerts::micros;

#[async_trait]
impl ProtectionStore for PostgresStore {
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
            rows::QUEUED_COLUMNS
        );
        let rows: Vec<rows::QueuedRow> = sqlx::query_as(&sql).fetch_all(&self.reader).await?;
        rows.into_iter().map(rows::queued).collect()
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
            rows::ATTACHMENT_COLUMNS
        );
        let rows: Vec<rows::AttachmentRow> =
            sqlx::query_as(&sql).bind(case_id).fetch_all(&self.reader).await?;
        rows.into_iter().map(rows::attachment).collect()
    }

    async fn attachment(&self, id: &str) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
        let sql =
            format!("SELECT {}, content FROM protection_attachments WHERE id = $1", rows::ATTACHMENT_COLUMNS);
        let row: Option<(String, String, String, String, i64, String, String, i64, Vec<u8>)> =
            sqlx::query_as(&sql).bind(id).fetch_optional(&self.reader).await?;
        row.map(|(id, case_id, name, media_type, size, sha256, added_by, added_at, content)| {
            Ok((
                rows::attachment((id, case_id, name, media_type, size, sha256, added_by, added_at))?,
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
            rows::NOTIFICATION_COLUMNS
        );
        let rows: Vec<rows::NotificationRow> = sqlx::query_as(&sql)
            .bind(recipient)
            .bind(unread_only)
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await?;
        rows.into_iter().map(rows::notification).collect()
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
            rows::PROTECTION_COLUMNS
        );
        let row: Option<rows::ProtectionRow> =
            sqlx::query_as(&sql).bind(kind).bind(id).fetch_optional(&self.reader).await?;
        row.map(rows::protection).transpose()
    }

    async fn protection_records(&self, query: &ProtectionQuery) -> Result<Vec<ProtectionRecord>, StoreError> {
        let (sql, args) = rows::protection_search(query, "$");
        let mut q = sqlx::query_as::<_, rows::ProtectionRow>(&sql);
        for arg in args {
            q = match arg {
                Param::Text(t) => q.bind(t),
                Param::Int(i) => q.bind(i),
            };
        }
        q.fetch_all(&self.reader).await?.into_iter().map(rows::protection).collect()
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
}
