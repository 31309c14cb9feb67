//! Passwords, logins and browser sessions.
//!
//! The threats: a stolen database must not yield passwords (Argon2id, a memory-hard hash with a
//! salt per user), a guessing attacker at the login form must be slowed to a stop without
//! locking the account's owner out (the delays of [`crate::throttle`], every failure checked
//! audited), and a session cookie
//! copied from a database dump must not work (only the SHA-256 of the cookie's 256-bit secret is
//! stored). Each session carries its own CSRF token, which every form must send back.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::net::IpAddr;

use chrono::Duration;
use frontera_domain::access::{Action, Actor, Resource, can};
use frontera_domain::audit::AuditDraft;
use frontera_domain::{Rule, ValidationError};
pub use frontera_store::Session;
use frontera_store::{LockPolicy, User};
use rand::{Rng, RngCore};

use crate::auth::hash_token;
pub use crate::auth::random_secret;
use crate::{App, AppError};

/// Failed logins in a row, from anywhere, that lock an account in the store, and for how long:
/// the backstop of the throttle's delays (which a restart forgets), reached only by guessing
/// from many addresses for hours; waived for the address the account last logged in from.
pub const LOCK_POLICY: LockPolicy = LockPolicy { max_failures: 50, lock_for: Duration::minutes(15) };

/// How long a session lasts: a long shift at the counter.
pub const SESSION_HOURS: i64 = 12;

/// The shortest and longest passwords accepted, in characters.
pub const PASSWORD_CHARS: (usize, usize) = (12, 128);

/// A password as typed. Its `Debug` form never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    /// A password that is long enough and not too long; any characters are allowed, so that
    /// pass phrases in any language work.
    pub fn parse(text: &str) -> Result<Password, ValidationError> {
        let chars = text.chars().count();
        if text.trim().is_empty() {
            return Err(ValidationError::new("password", Rule::Required));
        }
        if chars < PASSWORD_CHARS.0 {
            return Err(ValidationError::new("password", Rule::TooShort { min: PASSWORD_CHARS.0 }));
        }
        if chars > PASSWORD_CHARS.1 {
            return Err(ValidationError::new("password", Rule::TooLong { max: PASSWORD_CHARS.1 }));
        }
        Ok(Password(text.to_string()))
    }

    /// A random password of 20 letters and digits (for demo users and resets).
    pub fn generate() -> Password {
        const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut rng = rand::rngs::OsRng;
        Password((0..20).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect())
    }

    /// The password's text, to show its owner once.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Its Argon2id hash (a PHC string with a fresh salt), computed off the async threads.
    pub async fn hash(&self) -> Result<String, AppError> {
        let text = self.0.clone();
        tokio::task::spawn_blocking(move || {
            let mut salt = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut salt);
            let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(e.to_string()))?;
            Argon2::default()
                .hash_password(text.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| AppError::Internal(format!("hashing a password: {e}")))
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    }
}

/// Whether `password` matches the PHC string `hash`, computed off the async threads.
async fn verify(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A hash of no one's password, checked when the user does not exist, so that the answer
/// takes as long as for a real user and does not reveal which names exist.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$Vv4pC6vjb2Dy1EfGmoJwUJIVZSYpJwzclZ0zPY/OV1A";

/// A session's cookie secret. Its `Debug` form never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionSecret(String);

impl std::fmt::Debug for SessionSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionSecret(…)")
    }
}

impl SessionSecret {
    /// The secret's text, to put in the cookie.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A session just opened by a login.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    /// Who logged in.
    pub actor: Actor,
    /// The cookie's secret.
    pub secret: SessionSecret,
    /// The session as stored (its CSRF token included).
    pub session: Session,
}

impl App {
    /// Check a user name and password and open a session, as the node's console (from the
    /// loopback address). See [`App::login_from`].
    pub async fn login(&self, name: &str, password: &str) -> Result<LoggedIn, AppError> {
        self.login_from(name, password, crate::throttle::CONSOLE_ADDRESS).await
    }

    /// Check a user name and password from `address` and open a session. The attempt is
    /// counted by the throttle before anything else (too many and it waits, whoever it names);
    /// wrong names and wrong passwords get the same answer after the same work; every failure
    /// checked is counted in the store and audited.
    pub async fn login_from(
        &self,
        name: &str,
        password: &str,
        address: IpAddr,
    ) -> Result<LoggedIn, AppError> {
        let wait = |d| self.wait_for(d);
        let ticket = self.throttle.admit(name, address).map_err(|d| {
            tracing::warn!(%address, "a login attempt throttled");
            wait(d)
        })?;
        let failed = |this: &App| this.throttle.failed(&ticket).map_or(AppError::BadCredentials, wait);
        let now = self.now();
        let Some(record) = self.store.login_record(name.trim()).await? else {
            self.verify(password, DECOY_HASH).await;
            return Err(failed(self));
        };
        let user = record.user;
        let country = user.country.as_str();
        let refused = |reason: &str| {
            AuditDraft::new(
                &user.name,
                "user.login_refused",
                "user",
                user.id.to_string(),
                Some(country),
                serde_json::json!({"reason": reason}),
            )
        };
        if record.disabled {
            // Said like a wrong password: the login form does not tell which accounts exist.
            self.verify(password, DECOY_HASH).await;
            self.store.append_audit(refused("disabled")).await?;
            return Err(failed(self));
        }
        // The store's lock, raised by failures from many addresses, is waived for the address
        // the account last logged in from.
        if let Some(until) = record.locked_until.filter(|until| *until > now)
            && !self.throttle.trusted(&user.name, address)
        {
            self.verify(password, DECOY_HASH).await;
            self.store.append_audit(refused("locked")).await?;
            self.throttle.failed(&ticket);
            return Err(AppError::LockedOut { until });
        }
        let matches = match &record.password_hash {
            Some(hash) => self.verify(password, hash).await,
            None => {
                self.verify(password, DECOY_HASH).await;
                false
            }
        };
        if !matches {
            let event = AuditDraft::new(
                &user.name,
                "user.login_failed",
                "user",
                user.id.to_string(),
                Some(country),
                serde_json::json!({}),
            );
            self.store.login_failed(user.id, now, LOCK_POLICY, event).await?;
            return Err(failed(self));
        }
        self.throttle.succeeded(&ticket);
        let secret = SessionSecret(format!("frs_{}", random_secret()));
        let session = Session {
            token_hash: hash_token(secret.expose()),
            user: user.id,
            csrf_token: random_secret(),
            created_at: now,
            expires_at: now + Duration::hours(SESSION_HOURS),
        };
        let event = AuditDraft::new(
            &user.name,
            "user.login",
            "user",
            user.id.to_string(),
            Some(country),
            serde_json::json!({"expires_at": session.expires_at}),
        );
        self.store.open_session(&session, event).await?;
        Ok(LoggedIn { actor: user.as_actor(), secret, session })
    }

    /// The answer to an attempt the throttle holds back `d` longer.
    fn wait_for(&self, d: std::time::Duration) -> AppError {
        AppError::LockedOut {
            until: self.now() + Duration::seconds(i64::try_from(d.as_secs()).unwrap_or(i64::MAX) + 1),
        }
    }

    /// Counts a request from `address` that carried no valid credentials against the address's
    /// attempts; refused while the address must wait.
    pub fn unauthenticated_from(&self, address: IpAddr) -> Result<(), AppError> {
        self.throttle.unauthenticated(address).map_err(|d| self.wait_for(d))
    }

    /// Whether `password` matches the PHC string `hash`, computed off the async threads, in
    /// the throttle's turn: however many logins arrive, only so many hashes run at once.
    async fn verify(&self, password: &str, hash: &str) -> bool {
        let _turn = self.throttle.hashing().await;
        verify(password, hash).await
    }

    /// The actor of a session cookie's secret, and the session, while it lasts.
    pub async fn session_actor(&self, secret: &str) -> Result<(Actor, Session), AppError> {
        let (session, user) = self
            .store
            .session(&hash_token(secret.trim()))
            .await?
            .ok_or(AppError::Unauthenticated("the session has ended; log in again"))?;
        if session.expires_at <= self.now() {
            return Err(AppError::Unauthenticated("the session has ended; log in again"));
        }
        Ok((user.as_actor(), session))
    }

    /// End the session of a cookie's secret.
    pub async fn logout(&self, actor: &Actor, secret: &str) -> Result<(), AppError> {
        let event = AuditDraft::new(
            &actor.name,
            "user.logout",
            "user",
            actor.id.to_string(),
            Some(actor.scope.country.as_str()),
            serde_json::json!({}),
        );
        self.store.close_session(&hash_token(secret.trim()), event).await?;
        Ok(())
    }

    /// Set a user's password: their own, or, for an administrator, any user's of their
    /// country. Ends the user's sessions and lifts any lock.
    pub async fn set_password(
        &self,
        actor: &Actor,
        name: &str,
        password: &Password,
    ) -> Result<User, AppError> {
        let user =
            self.store.user_by_name(name).await?.ok_or_else(|| AppError::NotFound(format!("user {name}")))?;
        let own = user.id == actor.id;
        if !own && !can(actor, Action::ManageUsers, Resource::of(user.country)).allowed() {
            return Err(AppError::Forbidden(format!("you may not set passwords for {}", user.country)));
        }
        let hash = password.hash().await?;
        let event = AuditDraft::new(
            &actor.name,
            "user.password",
            "user",
            user.id.to_string(),
            Some(user.country.as_str()),
            serde_json::json!({"name": user.name, "own": own}),
        );
        self.store.set_password(user.id, &hash, event).await?;
        self.throttle.forgive(&user.name);
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_have_a_length_rule_and_never_show_in_debug() {
        assert_eq!(Password::parse("short").unwrap_err().rule, Rule::TooShort { min: 12 });
        assert_eq!(Password::parse("   ").unwrap_err().rule, Rule::Required);
        assert_eq!(Password::parse(&"x".repeat(129)).unwrap_err().rule, Rule::TooLong { max: 128 });
        let p = Password::parse("contraseña de prueba").unwrap();
        assert_eq!(format!("{p:?}"), "Password(…)");
        let g = Password::generate();
        assert_eq!(g.expose().len(), 20);
        assert_ne!(g, Password::generate());
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only_and_the_decoy_matches_nothing() {
        let p = Password::parse("correct horse battery").unwrap();
        let hash = p.hash().await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"));
        assert!(verify("correct horse battery", &hash).await);
        assert!(!verify("correct horse battery!", &hash).await);
        assert_ne!(hash, p.hash().await.unwrap(), "a fresh salt each time");
        assert!(PasswordHash::new(DECOY_HASH).is_ok());
        assert!(!verify("", DECOY_HASH).await);
    }
}
