//! The language a request asks for.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use frontera_domain::Lang;

/// The language `Accept-Language` asks for (English when it asks for none we speak).
pub struct Language(pub Lang);

/// The language of a request's `Accept-Language`.
pub fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::negotiate)
        .unwrap_or_default()
}

impl<S: Send + Sync> FromRequestParts<S> for Language {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Language(lang_of(&parts.headers)))
    }
}
