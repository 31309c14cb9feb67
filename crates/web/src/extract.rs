//! Extractors that turn bad requests into errors naming the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use frontera_app::App;
use frontera_domain::access::Actor;
use serde::de::DeserializeOwned;

use crate::errors::ApiError;
pub use crate::language::{Language, lang_of};

/// A JSON body; a body that is not the expected JSON is a 422 naming the field at fault.
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ValidJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::malformed(None, format!("the body could not be read: {e}")))?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de).map(ValidJson).map_err(|e| {
            let path = e.path().to_string();
            let field = (path != ".").then_some(path);
            ApiError::malformed(field, e.into_inner().to_string())
        })
    }
}

/// Query parameters; a bad one is a 422 naming it.
pub struct ValidQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ValidQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(ValidQuery).map_err(|e| {
            let path = e.path().to_string();
            let field = (path != ".").then_some(path);
            ApiError::malformed(field, e.into_inner().to_string())
        })
    }
}

/// The caller, from an `Authorization: Bearer` token.
pub struct Caller(pub Actor);

impl FromRequestParts<App> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .ok_or(frontera_app::AppError::Unauthenticated("no Authorization: Bearer header"));
        let refused = match token {
            Ok(token) => match app.authenticate(token).await {
                Ok(actor) => return Ok(Caller(actor)),
                Err(e) => e,
            },
            Err(e) => e,
        };
        // A request without a valid token counts against its address, as a login does: a
        // guesser of tokens runs out of attempts.
        let ClientAddress(address) = ClientAddress::of(parts);
        app.unauthenticated_from(address)?;
        Err(refused.into())
    }
}

/// The address a request came from, as the connection says (the loopback address where no
/// connection is known: a request made inside the process). Behind a reverse proxy every
/// request comes from the proxy; the throttle then limits the proxy as a whole, so a node
/// behind one should be given its own limits by the proxy.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub std::net::IpAddr);

impl ClientAddress {
    fn of(parts: &Parts) -> ClientAddress {
        ClientAddress(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map_or(frontera_app::throttle::CONSOLE_ADDRESS, |c| c.0.ip()),
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress::of(parts))
    }
}

/// Parse a path segment as a UUID, naming the parameter on failure.
pub(crate) fn uuid_param(text: &str, name: &str) -> Result<uuid::Uuid, crate::errors::ApiError> {
    uuid::Uuid::parse_str(text).map_err(|_| {
        crate::errors::ApiError::invalid(frontera_domain::ValidationError::new(
            name,
            frontera_domain::Rule::NotAUuid,
        ))
    })
}
