//! The postgres engine: users, their tokens and sessions, and login failures.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::access::UserId;
use frontera_domain::audit::AuditDraft;
use frontera_domain::{CountryCode, PortId};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::{PostgresStore, append};
use crate::accounts::{
    Account, AccountStore, Credentials, LockPolicy, LoginFailure, LoginRecord, Session, User, with_failure,
};
use crate::audit::with_detail;
use crate::error::StoreError;
use crate::rows::{ACCOUNT_SELECT, UserRecord, from_micros};

#[async_trait]
impl AccountStore for PostgresStore {
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
}

pub(super) fn user_from_row(row: &PgRow) -> Result<User, StoreError> {
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

pub(super) fn session_from_row(row: &PgRow) -> Result<Session, StoreError> {
    Ok(Session {
        token_hash: row.try_get("token_hash")?,
        user: UserId(row.try_get("user_id")?),
        csrf_token: row.try_get("csrf_token")?,
        created_at: from_micros("sessions.created_at", row.try_get("created_at")?)?,
        expires_at: from_micros("sessions.expires_at", row.try_get("expires_at")?)?,
    })
}

pub(super) async fn insert_token(
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
