//! API tokens: random, shown once, stored only as a SHA-256 hash.
//!
//! The threat: a stolen database (or backup) must not yield working credentials. Tokens carry 256
//! bits of randomness, so a fast hash is enough; only the hash is stored and looked up.

use frontera_domain::access::Actor;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{App, AppError};

/// The prefix of every token, so that leaked tokens are easy to find in logs and repositories.
const PREFIX: &str = "frt_";

/// A secret API token. Its `Debug` form never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

impl Token {
    /// A new random token.
    pub fn generate() -> Token {
        Token(format!("{PREFIX}{}", random_secret()))
    }

    /// The token's text, to show its owner once.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The hash stored for it.
    pub fn hash(&self) -> String {
        hash_token(&self.0)
    }
}

/// 256 random bits as hex: API tokens, session secrets, CSRF tokens.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The stored hash of a token's text.
pub fn hash_token(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl App {
    /// The actor a bearer token belongs to.
    pub async fn authenticate(&self, token: &str) -> Result<Actor, AppError> {
        let token = token.trim();
        if !token.starts_with(PREFIX) {
            return Err(AppError::Unauthenticated("the token is not a Frontera API token"));
        }
        let user = self
            .store
            .user_by_token(&hash_token(token), self.now())
            .await?
            .ok_or(AppError::Unauthenticated("the token is unknown, expired or revoked"))?;
        Ok(user.as_actor())
    }
}
