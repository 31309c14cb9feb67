//! Cookies of the browser interface: the session, the language, and the login form's CSRF token.
//!
//! The threats: a session cookie read by a script (it is `HttpOnly`), sent by another site's
//! form (`SameSite=Lax`, and every form carries its session's CSRF token, checked before any
//! change), or sent over plain HTTP (`Secure` whenever the request came over TLS, directly or
//! through a proxy that says so). Before login there is no session, so the login form's token
//! is a double-submit cookie.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use frontera_app::App;
use frontera_app::login::Session;
use frontera_domain::Lang;
use frontera_domain::access::Actor;

use super::i18n::Tr;

/// The session cookie's name.
pub const SESSION: &str = "frontera_session";
/// The language cookie's name.
pub const LANG: &str = "frontera_lang";
/// The login form's CSRF cookie.
pub const LOGIN_CSRF: &str = "frontera_login_csrf";

/// The value of cookie `name`.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// Whether the request came over TLS, as the TLS-terminating proxy in front of the node says.
/// (A client that claims it over plain HTTP only gets a cookie its browser will not send back.)
pub fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` header: `HttpOnly` unless `script` may read it, `SameSite=Lax`, `Path=/`,
/// `Secure` over TLS; `max_age` 0 removes it.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age: i64,
    http_only: bool,
    secure: bool,
) -> (axum::http::HeaderName, HeaderValue) {
    let mut text = format!("{name}={value}; Path=/; SameSite=Lax; Max-Age={max_age}");
    if http_only {
        text.push_str("; HttpOnly");
    }
    if secure {
        text.push_str("; Secure");
    }
    (SET_COOKIE, HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("")))
}

/// Two secrets compared in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The interface language: the cookie's choice, else the browser's `Accept-Language`.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG).and_then(Lang::from_code).unwrap_or_else(|| {
        Lang::negotiate(headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or(""))
    })
}

/// The page's language, as an extractor.
pub struct UiLang(pub Tr);

impl<S: Send + Sync> FromRequestParts<S> for UiLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(UiLang(Tr::new(lang_of(&parts.headers))))
    }
}

/// The signed-in user of a page, from the session cookie; without a live session, the browser
/// goes to the login page.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// Who is signed in.
    pub actor: Actor,
    /// Their session (its CSRF token included).
    pub session: Session,
    /// The page's language.
    pub tr: Tr,
    /// How many notifications they have not read.
    pub unread: u64,
}

impl Viewer {
    /// Whether a form's CSRF token is this session's.
    pub fn csrf_ok(&self, token: &str) -> bool {
        same_secret(&self.session.csrf_token, token)
    }
}

/// Where a page without a session sends the browser.
pub struct ToLogin {
    ended: bool,
}

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        Redirect::to(if self.ended { "/login?ended=1" } else { "/login" }).into_response()
    }
}

impl FromRequestParts<App> for Viewer {
    type Rejection = ToLogin;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Some(secret) = cookie(&parts.headers, SESSION).filter(|s| !s.is_empty()) else {
            return Err(ToLogin { ended: false });
        };
        match app.session_actor(secret).await {
            Ok((actor, session)) => {
                // The header's count: a failure to read it shows none, not an error page.
                let unread = app.unread_notifications(&actor).await.unwrap_or(0);
                Ok(Viewer { actor, session, tr: Tr::new(lang_of(&parts.headers)), unread })
            }
            Err(_) => Err(ToLogin { ended: true }),
        }
    }
}

impl OptionalFromRequestParts<App> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Option<Self>, Self::Rejection> {
        Ok(<Viewer as FromRequestParts<App>>::from_request_parts(parts, app).await.ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name_and_secrets_compare_whole() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a_frontera_session=x; frontera_session=abc; frontera_lang=es"),
        );
        assert_eq!(cookie(&h, SESSION), Some("abc"));
        assert_eq!(lang_of(&h), Lang::Es);
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("abc", "ab"));
        let (_, v) = set_cookie(SESSION, "s", 60, true, true);
        assert_eq!(
            v.to_str().unwrap(),
            "frontera_session=s; Path=/; SameSite=Lax; Max-Age=60; HttpOnly; Secure"
        );
    }
}
