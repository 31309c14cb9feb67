//! The sqlite engine: protection cases, referrals, consents, their files, notifications and the exchange outbox.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::audit::AuditDraft;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, append, blocking, values};
use crate::error::StoreError;
use crate::protection::{
    Attachment, Effects, Notification, ProtectionQuery, ProtectionRecord, ProtectionStore, Queued,
};
use crate::rows::alerts::micros;

#[async_trait]
impl ProtectionStore for SqliteStore {
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
                crate::rows::QUEUED_COLUMNS
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([], |r| crate::rows::QueuedRow::try_from(r))?;
            rows.map(|row| crate::rows::queued(row?)).collect()
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
                crate::rows::ATTACHMENT_COLUMNS
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![case_id], |r| crate::rows::AttachmentRow::try_from(r))?;
            rows.map(|row| crate::rows::attachment(row?)).collect()
        })
        .await
    }

    async fn attachment(&self, id: &str) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
        let id = id.to_string();
        self.read(move |conn| {
            let sql = format!(
                "SELECT {}, content FROM protection_attachments WHERE id = ?1",
                crate::rows::ATTACHMENT_COLUMNS
            );
            let row = conn
                .prepare_cached(&sql)?
                .query_row(params![id], |r| {
                    Ok((crate::rows::AttachmentRow::try_from(r)?, r.get::<_, Vec<u8>>(8)?))
                })
                .optional()?;
            row.map(|(meta, content)| Ok((crate::rows::attachment(meta)?, content))).transpose()
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
                crate::rows::NOTIFICATION_COLUMNS
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params![recipient, unread_only, limit], |r| {
                crate::rows::NotificationRow::try_from(r)
            })?;
            rows.map(|row| crate::rows::notification(row?)).collect()
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
                crate::rows::PROTECTION_COLUMNS
            );
            let row = conn.prepare_cached(&sql)?.query_row(params![kind, id], protection_row).optional()?;
            row.map(crate::rows::protection).transpose()
        })
        .await
    }

    async fn protection_records(&self, query: &ProtectionQuery) -> Result<Vec<ProtectionRecord>, StoreError> {
        let query = query.clone();
        self.read(move |conn| {
            let (sql, args) = crate::rows::protection_search(&query, "?");
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(values(args)), protection_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(crate::rows::protection(row?)?);
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
}

/// A row of [`crate::rows::PROTECTION_COLUMNS`].
pub(super) fn protection_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<crate::rows::ProtectionRow> {
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
