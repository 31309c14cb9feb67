//! The sqlite engine: users, their tokens and sessions, and login failures.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::access::UserId;
use frontera_domain::audit::AuditDraft;
use frontera_domain::{CountryCode, PortId};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{SqliteStore, append, uuid_of};
use crate::accounts::{
    Account, AccountStore, Credentials, LockPolicy, LoginFailure, LoginRecord, Session, User, with_failure,
};
use crate::audit::with_detail;
use crate::error::StoreError;
use crate::rows::{ACCOUNT_SELECT, UserRecord, from_micros};

#[async_trait]
impl AccountStore for SqliteStore {
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
}

pub(super) fn user_from_row(row: &Row<'_>) -> Result<User, StoreError> {
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

pub(super) fn session_from_row(row: &Row<'_>) -> Result<Session, StoreError> {
    Ok(Session {
        token_hash: row.get("token_hash")?,
        user: UserId(uuid_of(row.get("user_id")?, "sessions.user_id")?),
        csrf_token: row.get("csrf_token")?,
        created_at: from_micros("sessions.created_at", row.get("created_at")?)?,
        expires_at: from_micros("sessions.expires_at", row.get("expires_at")?)?,
    })
}

pub(super) fn user_where(conn: &Connection, sql: &str, key: &str) -> Result<Option<User>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params![key])?;
    match rows.next()? {
        Some(row) => Ok(Some(user_from_row(row)?)),
        None => Ok(None),
    }
}

pub(super) fn insert_token(
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
