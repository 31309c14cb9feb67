//! The row forms of protection records, notifications, attachments and the exchange outbox.

use frontera_domain::CountryCode;

use super::shared::{Param, corrupt, from_micros};
use crate::error::StoreError;

/// The columns of a [`crate::protection::ProtectionRecord`], in [`protection`]'s order.
pub(crate) const PROTECTION_COLUMNS: &str =
    "kind, id, case_id, country, organisation, counterpart, state, due_at, record, version";

/// A row of [`PROTECTION_COLUMNS`].
pub(crate) type ProtectionRow =
    (String, String, String, String, String, Option<String>, String, Option<i64>, String, i64);

/// A protection record from its row.
pub(crate) fn protection(row: ProtectionRow) -> Result<crate::protection::ProtectionRecord, StoreError> {
    let (kind, id, case_id, country, organisation, counterpart, state, due_at, record, version) = row;
    Ok(crate::protection::ProtectionRecord {
        country: CountryCode::parse(&country).map_err(|_| corrupt("country", &country))?,
        kind,
        id,
        case_id,
        organisation,
        counterpart,
        state,
        due_at,
        record,
        version,
    })
}

/// The query of a protection search: `SELECT … WHERE …` by kind and id, with placeholders in
/// the engine's `mark` form.
pub(crate) fn protection_search(q: &crate::protection::ProtectionQuery, mark: &str) -> (String, Vec<Param>) {
    let mut sql = format!("SELECT {PROTECTION_COLUMNS} FROM protection_records WHERE 1 = 1");
    let mut args = Vec::new();
    // Each `?` of a clause becomes the engine's mark of the next value, in one pass.
    let mut bind = |sql: &mut String, clause: &str, values: Vec<Param>| {
        let mut values = values.into_iter();
        for (i, part) in clause.split('?').enumerate() {
            if i > 0
                && let Some(v) = values.next()
            {
                args.push(v);
                sql.push_str(&format!("{mark}{}", args.len()));
            }
            sql.push_str(part);
        }
    };
    if let Some(k) = &q.kind {
        bind(&mut sql, " AND kind = ?", vec![Param::Text(k.clone())]);
    }
    if let Some(c) = &q.case_id {
        bind(&mut sql, " AND case_id = ?", vec![Param::Text(c.clone())]);
    }
    if let Some(o) = &q.organisation {
        bind(
            &mut sql,
            " AND (organisation = ? OR counterpart = ?)",
            vec![Param::Text(o.clone()), Param::Text(o.clone())],
        );
    }
    if let Some(c) = q.country {
        bind(&mut sql, " AND country = ?", vec![Param::Text(c.to_string())]);
    }
    if let Some(d) = q.due_before {
        bind(&mut sql, " AND due_at < ?", vec![Param::Int(d)]);
    }
    if !q.states.is_empty() {
        let marks = vec!["?"; q.states.len()].join(", ");
        bind(
            &mut sql,
            &format!(" AND state IN ({marks})"),
            q.states.iter().cloned().map(Param::Text).collect(),
        );
    }
    sql.push_str(" ORDER BY kind, id");
    (sql, args)
}

/// The columns of a notification, in [`NotificationRow`]'s order.
pub(crate) const NOTIFICATION_COLUMNS: &str =
    "id, recipient, kind, subject_kind, subject_id, case_id, detail, created_at, read_at";

/// A row of [`NOTIFICATION_COLUMNS`].
pub(crate) type NotificationRow =
    (i64, String, String, String, String, Option<String>, String, i64, Option<i64>);

/// A notification from its row.
pub(crate) fn notification(row: NotificationRow) -> Result<crate::protection::Notification, StoreError> {
    let (id, recipient, kind, subject_kind, subject_id, case_id, detail, created_at, read_at) = row;
    Ok(crate::protection::Notification {
        id,
        notification: crate::protection::NewNotification {
            recipient,
            kind,
            subject_kind,
            subject_id,
            case_id,
            detail,
        },
        created_at: from_micros("created_at", created_at)?,
        read_at: read_at.map(|v| from_micros("read_at", v)).transpose()?,
    })
}

/// The columns of an attachment without its content, in [`AttachmentRow`]'s order.
pub(crate) const ATTACHMENT_COLUMNS: &str = "id, case_id, name, media_type, size, sha256, added_by, added_at";

/// A row of [`ATTACHMENT_COLUMNS`].
pub(crate) type AttachmentRow = (String, String, String, String, i64, String, String, i64);

/// An attachment from its row.
pub(crate) fn attachment(row: AttachmentRow) -> Result<crate::protection::Attachment, StoreError> {
    let (id, case_id, name, media_type, size, sha256, added_by, added_at) = row;
    Ok(crate::protection::Attachment {
        id,
        case_id,
        name,
        media_type,
        size: size.max(0) as u64,
        sha256,
        added_by,
        added_at: from_micros("added_at", added_at)?,
    })
}

/// The columns of a queued message, in [`QueuedRow`]'s order.
pub(crate) const QUEUED_COLUMNS: &str =
    "id, peer, kind, subject_id, case_id, body, attempts, next_at, last_error";

/// A row of [`QUEUED_COLUMNS`].
pub(crate) type QueuedRow = (i64, String, String, String, String, String, i64, i64, Option<String>);

/// A queued message from its row.
pub(crate) fn queued(row: QueuedRow) -> Result<crate::protection::Queued, StoreError> {
    let (id, peer, kind, subject_id, case_id, body, attempts, next_at, last_error) = row;
    Ok(crate::protection::Queued {
        id,
        message: crate::protection::Outgoing {
            peer: CountryCode::parse(&peer).map_err(|_| corrupt("peer", &peer))?,
            kind,
            subject_id,
            case_id,
            body,
        },
        attempts: u32::try_from(attempts.max(0)).unwrap_or(u32::MAX),
        next_at: from_micros("next_at", next_at)?,
        last_error,
    })
}
