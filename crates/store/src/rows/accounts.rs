//! The row forms of users and accounts, and the audit trail's search.

use frontera_domain::{CountryCode, PortId};
use uuid::Uuid;

use super::shared::{Param, corrupt, from_micros, micros};
use crate::error::StoreError;

/// The columns of a `users` row, as both engines read them.
pub(crate) struct UserRecord {
    pub id: Uuid,
    pub name: String,
    pub role: String,
    pub country: String,
    pub port_id: Option<String>,
    pub organisation: Option<String>,
    pub created_at: i64,
}

impl UserRecord {
    pub(crate) fn into_user(self) -> Result<crate::accounts::User, StoreError> {
        Ok(crate::accounts::User {
            id: frontera_domain::access::UserId(self.id),
            role: frontera_domain::Role::parse(&self.role).map_err(|_| corrupt("role", &self.role))?,
            country: CountryCode::parse(&self.country).map_err(|_| corrupt("country", &self.country))?,
            port: self.port_id.map(|p| PortId::parse(&p).map_err(|_| corrupt("port_id", &p))).transpose()?,
            name: self.name,
            organisation: self.organisation,
            created_at: from_micros("created_at", self.created_at)?,
        })
    }
}

/// The columns of an [`crate::accounts::Account`], from `users` (as `u`).
pub(crate) const ACCOUNT_SELECT: &str = "SELECT u.id, u.name, u.role, u.country, u.port_id, u.organisation, \
    u.created_at, u.password_hash IS NOT NULL AS has_password, u.failed_logins, u.locked_until, u.disabled_at, \
    (SELECT COUNT(*) FROM api_tokens t WHERE t.user_id = u.id) AS api_tokens FROM users u";

/// The query of an audit search: `SELECT * FROM audit_events WHERE …` newest first, with
/// placeholders in the engine's `mark` form.
pub(crate) fn audit_search(q: &crate::audit::AuditQuery, mark: &str) -> (String, Vec<Param>) {
    let mut sql = String::from("SELECT * FROM audit_events WHERE 1 = 1");
    let mut args = Vec::new();
    let mut bind = |sql: &mut String, clause: &str, value: Param| {
        args.push(value);
        sql.push_str(&clause.replace('?', &format!("{mark}{}", args.len())));
    };
    if let Some(country) = q.country {
        bind(&mut sql, " AND (country = ? OR country IS NULL)", Param::Text(country.to_string()));
    }
    if let Some(actor) = &q.actor {
        bind(&mut sql, " AND actor = ?", Param::Text(actor.clone()));
    }
    if let Some(record) = &q.record_id {
        bind(&mut sql, " AND record_id = ?", Param::Text(record.clone()));
    }
    if let Some(kind) = &q.record_kind {
        bind(&mut sql, " AND record_kind = ?", Param::Text(kind.clone()));
    }
    if let Some(from) = q.from {
        bind(&mut sql, " AND at_micros >= ?", Param::Int(micros(from)));
    }
    if let Some(to) = q.to {
        bind(&mut sql, " AND at_micros < ?", Param::Int(micros(to)));
    }
    if let Some(before) = q.before_seq {
        bind(&mut sql, " AND seq < ?", Param::Int(before));
    }
    bind(&mut sql, " ORDER BY seq DESC LIMIT ?", Param::Int(i64::from(q.limit.clamp(1, 1_000))));
    (sql, args)
}
