//! Users, their tokens and sessions, and login failures.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use frontera_domain::access::{Actor, Role, Scope, UserId};
use frontera_domain::audit::AuditDraft;
use frontera_domain::{CountryCode, PortId};

use crate::audit::with_detail;
use crate::error::StoreError;

/// A user as an administrator sees the account: never its secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The user.
    pub user: User,
    /// Whether a password is set (the browser needs one).
    pub has_password: bool,
    /// How many API tokens the user has.
    pub api_tokens: u32,
    /// Failed logins since the last success.
    pub failed_logins: u32,
    /// Until when logins are refused.
    pub locked_until: Option<DateTime<Utc>>,
    /// When an administrator switched the account off.
    pub disabled_at: Option<DateTime<Utc>>,
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// Its unique name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Its country.
    pub country: CountryCode,
    /// Its port, for post staff.
    pub port: Option<PortId>,
    /// Its organisation, for providers.
    pub organisation: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl User {
    /// The user as the access policy knows them.
    pub fn as_actor(&self) -> Actor {
        Actor {
            id: self.id,
            name: self.name.clone(),
            role: self.role,
            scope: Scope {
                country: self.country,
                port: self.port.clone(),
                organisation: self.organisation.clone(),
            },
        }
    }
}

/// A new user's first credentials, as hashes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Credentials<'a> {
    /// The SHA-256 of an API token.
    pub token_hash: Option<&'a str>,
    /// When that token stops working.
    pub token_expires_at: Option<DateTime<Utc>>,
    /// The Argon2id PHC string of a password.
    pub password_hash: Option<&'a str>,
}

/// What a password check needs to know of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRecord {
    /// The user.
    pub user: User,
    /// The Argon2id PHC string of the password; `None` when the user has none (API only).
    pub password_hash: Option<String>,
    /// Failed logins since the last success (or the last lock's end).
    pub failed_logins: u32,
    /// Until when logins are refused, after too many failures.
    pub locked_until: Option<DateTime<Utc>>,
    /// Whether an administrator switched the account off.
    pub disabled: bool,
}

/// When repeated failed logins lock an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockPolicy {
    /// Failures in a row that lock the account.
    pub max_failures: u32,
    /// How long the lock lasts.
    pub lock_for: chrono::Duration,
}

impl LockPolicy {
    /// The count and lock after one more failure at `at`, from the stored ones.
    pub fn after_failure(
        &self,
        failed_logins: u32,
        locked_until: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> LoginFailure {
        // A lock that has run out starts the count again.
        let (failed, locked) = match locked_until {
            Some(until) if until <= at => (0, None),
            other => (failed_logins, other),
        };
        let failed_logins = failed.saturating_add(1);
        let locked_until = locked.or((failed_logins >= self.max_failures).then(|| at + self.lock_for));
        LoginFailure { failed_logins, locked_until }
    }
}

/// A failed login as counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailure {
    /// Failures in a row, this one included.
    pub failed_logins: u32,
    /// Set when this failure locked the account (or it was locked already).
    pub locked_until: Option<DateTime<Utc>>,
}

/// A browser session. Its `Debug` form hides the CSRF token.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The SHA-256 of the cookie's secret.
    pub token_hash: String,
    /// Whose session it is.
    pub user: UserId,
    /// The token every form of this session must send back.
    pub csrf_token: String,
    /// When it began.
    pub created_at: DateTime<Utc>,
    /// When it ends, whatever happens.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user", &self.user)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Adds a failed login's count and lock to its audit event.
pub(crate) fn with_failure(audit: AuditDraft, failure: LoginFailure) -> AuditDraft {
    let audit = with_detail(audit, "failed_logins", failure.failed_logins.into());
    let locked = failure.locked_until.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    with_detail(audit, "locked_until", locked.into())
}

/// Users, their tokens and sessions, and login failures.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Create a user, with an API token's hash if given, and its audit event.
    async fn add_user(
        &self,
        user: &User,
        credentials: Credentials<'_>,
        audit: AuditDraft,
    ) -> Result<(), StoreError>;

    /// Add an API token to a user, working until `expires_at`.
    async fn add_token(
        &self,
        user: UserId,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> Result<(), StoreError>;

    /// Revoke every API token of a user; answers how many there were. (A new password and
    /// switching an account off revoke them too, in their own transactions.)
    async fn revoke_tokens(&self, user: UserId, audit: AuditDraft) -> Result<u64, StoreError>;

    /// The user an API token's hash belongs to, while the token lasts at `now`, unless the
    /// account is switched off.
    async fn user_by_token(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>, StoreError>;

    /// The user with this name.
    async fn user_by_name(&self, name: &str) -> Result<Option<User>, StoreError>;

    /// The user with this name and what checking a password needs.
    async fn login_record(&self, name: &str) -> Result<Option<LoginRecord>, StoreError>;

    /// Set (or replace) a user's password hash; clears failed logins and any lock, and ends
    /// the user's sessions.
    async fn set_password(
        &self,
        user: UserId,
        password_hash: &str,
        audit: AuditDraft,
    ) -> Result<(), StoreError>;

    /// Count a failed login at `at`, locking the account as `policy` says; a lock that has run
    /// out starts the count again. The event's detail gains the count and the lock.
    async fn login_failed(
        &self,
        user: UserId,
        at: DateTime<Utc>,
        policy: LockPolicy,
        audit: AuditDraft,
    ) -> Result<LoginFailure, StoreError>;

    /// A successful login: clears the failures, stores the session and drops expired ones.
    async fn open_session(&self, session: &Session, audit: AuditDraft) -> Result<(), StoreError>;

    /// The session with this hash, and its user, unless the account is switched off.
    async fn session(&self, token_hash: &str) -> Result<Option<(Session, User)>, StoreError>;

    /// End a session (a no-op when it is gone).
    async fn close_session(&self, token_hash: &str, audit: AuditDraft) -> Result<(), StoreError>;

    /// Change a user's role, port and organisation (the rest of `user` is ignored) and switch the
    /// account off (`disabled_at`) or on; ends the user's sessions.
    async fn update_user(
        &self,
        user: &User,
        disabled_at: Option<DateTime<Utc>>,
        audit: AuditDraft,
    ) -> Result<(), StoreError>;

    /// Every account, of one country or of all, by name.
    async fn accounts(&self, country: Option<CountryCode>) -> Result<Vec<Account>, StoreError>;
}
