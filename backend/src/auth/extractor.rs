//! Turns the `Authorization: Bearer` header into a domain [`Actor`]. The token only names
//! the user; role and affiliation are read from the database on every request, so a
//! deactivated account or a changed role takes effect at once.
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use crate::domain::access::Actor;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::{self, StoreError};

/// An authenticated actor; extraction fails with 401 otherwise.
pub struct AuthUser(pub Actor);

/// An actor if the request carries credentials, `None` if it carries none. Credentials
/// that are present but invalid still fail with 401, so that a client notices.
pub struct MaybeAuthUser(pub Option<Actor>);

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match authenticate(&req).await? {
                Some(actor) => Ok(AuthUser(actor)),
                None => Err(ApiError::Unauthorized),
            }
        })
    }
}

impl FromRequest for MaybeAuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await.map(MaybeAuthUser) })
    }
}

/// `Ok(None)` without an `Authorization` header; 401 for a malformed, forged, expired
/// token or an inactive account.
async fn authenticate(req: &HttpRequest) -> Result<Option<Actor>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .ok_or(ApiError::Unauthorized)?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("AppState not registered")))?;
    let (user_id, issued_at) = state
        .jwt
        .verify_with_issue_time(token.trim())
        .ok_or(ApiError::Unauthorized)?;
    let user = match store::users::find(&state.db, user_id).await {
        Ok(user) if user.active && user.accepts_token_issued_at(issued_at) => user,
        Ok(_) | Err(StoreError::NotFound) => return Err(ApiError::Unauthorized),
        Err(e) => return Err(e.into()),
    };
    Ok(Some(Actor {
        user_id: user.id,
        role: user.role,
        affiliation: user.affiliation,
    }))
}
