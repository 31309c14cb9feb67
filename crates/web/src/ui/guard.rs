//! [`Guarded`]: a form posted by the signed-in viewer with this session's CSRF token, the one
//! place every page's POST handler checks it.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use frontera_app::App;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::session::Viewer;
use super::shell::{form_expired, same_site_path};

/// A form posted by the signed-in viewer. Without this session's CSRF token the handler never
/// runs: the answer is the expired-form page (403), which leads back to the page the form was
/// on. Fields the form lacks take their defaults.
pub struct Guarded<T> {
    /// Who posted it.
    pub viewer: Viewer,
    /// The form.
    pub form: T,
    /// The form as sent, for fields that repeat.
    pub body: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Token {
    csrf: String,
}

impl<T: DeserializeOwned + Default> FromRequest<App> for Guarded<T> {
    type Rejection = Response;

    async fn from_request(request: Request, app: &App) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let viewer =
            Viewer::from_request_parts(&mut parts, app).await.map_err(IntoResponse::into_response)?;
        let back = parts
            .headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(|r| r.find("//").map(|i| &r[i + 2..]).and_then(|r| r.find('/').map(|j| &r[j..])))
            .filter(|p| same_site_path(p))
            .unwrap_or("/")
            .to_string();
        let bytes = Bytes::from_request(Request::from_parts(parts, body), app)
            .await
            .map_err(IntoResponse::into_response)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let token: Token = serde_urlencoded::from_str(&text).unwrap_or_default();
        if !viewer.csrf_ok(&token.csrf) {
            return Err(form_expired(&viewer, &back));
        }
        let form = serde_urlencoded::from_str(&text).unwrap_or_default();
        Ok(Guarded { viewer, form, body: text })
    }
}
