//! The one error of the use cases; the web crate maps it to HTTP in a single place.

use frontera_domain::{Lang, ValidationError};
use frontera_store::StoreError;

/// Why a use case did not complete.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input broke a rule; the field and the rule are named.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// No valid credentials.
    #[error("authentication required: {0}")]
    Unauthenticated(&'static str),
    /// A login with a wrong user name or password (which of the two is not said).
    #[error("the user name or the password is wrong")]
    BadCredentials,
    /// Too many failed attempts (logins, or requests without a valid token): the next is
    /// refused until then.
    #[error("too many failed attempts: try again after {} UTC", until.format("%Y-%m-%d %H:%M:%S"))]
    LockedOut {
        /// When logins are accepted again.
        until: chrono::DateTime<chrono::Utc>,
    },
    /// Credentials valid, but the policy denies this.
    #[error("{0}")]
    Forbidden(String),
    /// No such record (or none the caller may know of).
    #[error("{0} does not exist")]
    NotFound(String),
    /// A record with this key exists with different content.
    #[error("{0}")]
    Conflict(String),
    /// The step does not fit the record's state (a referral out of turn, a closed case, no
    /// covering consent): why, in both languages.
    #[error("{en}")]
    Refused {
        /// Why, in English.
        en: String,
        /// Why, in Spanish.
        es: String,
    },
    /// The store or something below it failed.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => AppError::Conflict(what),
            StoreError::NotFound(what) => AppError::NotFound(what),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    /// The error in words, in `lang`, for the caller. The reasons of `Forbidden` and `Conflict`
    /// are English sentences, so Spanish gives the general rule instead.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (AppError::Invalid(e), Lang::Es) => format!("{}: {}", e.field, e.message(Lang::Es)),
            (AppError::Unauthenticated(_), Lang::Es) => {
                "se requiere autenticación: un token de API válido o una sesión abierta".into()
            }
            (AppError::BadCredentials, Lang::Es) => {
                "el nombre de usuario o la contraseña no son correctos".into()
            }
            (AppError::LockedOut { until }, Lang::Es) => format!(
                "demasiados intentos fallidos: vuelva a intentarlo después de las {} UTC",
                until.format("%H:%M:%S del %d/%m/%Y")
            ),
            (AppError::Forbidden(_), Lang::Es) => {
                "no tiene permiso para esta acción en este país o puerto".into()
            }
            (AppError::NotFound(what), Lang::Es) => format!("{what} no existe"),
            (AppError::Conflict(_), Lang::Es) => {
                "ya existe un registro con este identificador y otro contenido".into()
            }
            (AppError::Refused { es, .. }, Lang::Es) => es.clone(),
            (AppError::Internal(what), Lang::Es) => format!("error interno: {what}"),
        }
    }
}
