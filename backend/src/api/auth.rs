//! Login and the caller's identity.
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::ValidatedJson;
use super::users::UserResponse;
use crate::app;
use crate::auth::AuthUser;
use crate::client_address::throttle_key;
use crate::domain::user::Email;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_login_token).service(read_current_user);
}

/// Credentials for `POST /auth/login`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "admin@provincia.imperia.it", "password": "una-password-lunga"}))]
pub struct LoginRequest {
    #[validate(length(min = 3, max = 254))]
    #[schema(format = Email, min_length = 3, max_length = 254)]
    pub email: String,
    #[validate(length(min = 1, max = 1024))]
    #[schema(format = Password, min_length = 1, max_length = 1024)]
    pub password: String,
}

/// A bearer token for the `Authorization` header.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl", "token_type": "Bearer", "expires_in": 900}))]
pub struct TokenResponse {
    #[schema(max_length = 4000)]
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(max_length = 10)]
    pub token_type: String,
    /// Seconds until the token expires.
    #[schema(format = Int64, minimum = 1, maximum = 86400)]
    pub expires_in: u64,
}

/// Log in
///
/// Exchanges e-mail and password for a short-lived bearer token. A wrong password and an
/// unknown e-mail get the same answer. After repeated failures for one account or from
/// one address, logins are refused for a while with 429 and `Retry-After`.
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body(content = LoginRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Logged in. Never cached.", body = TokenResponse,
         headers(("Cache-Control" = String, description = "`no-store`: the token must not be cached."))),
        (status = 401, response = super::problems::Unauthorized),
    )
)]
#[post("/auth/login")]
async fn create_login_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidatedJson(body): ValidatedJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = Email::parse("email", &body.email)?;
    let address = throttle_key(&req);
    state
        .login_throttle
        .begin(email.as_str(), &address)
        .map_err(ApiError::TooManyRequests)?;
    let authenticated = app::users::authenticate(&state.db, &email, body.password).await?;
    let Some(user) = authenticated else {
        // Already counted by `begin`.
        tracing::info!("failed login");
        return Err(ApiError::InvalidCredentials);
    };
    state.login_throttle.succeeded(email.as_str(), &address);
    let token = state.jwt.issue(user.id)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse {
            access_token: token,
            token_type: "Bearer".into(),
            expires_in: state.jwt.ttl().as_secs(),
        }))
}

/// Who am I
///
/// The account behind the bearer token: role, and the comune or provider it belongs to.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The current user. Personal data: never cached.", body = UserResponse,
         headers(("Cache-Control" = String, description = "`no-store`: personal data."))),
    )
)]
#[get("/auth/me")]
async fn read_current_user(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
) -> Result<HttpResponse, ApiError> {
    let user = app::users::me(&state.db, &actor).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(UserResponse::from(&user)))
}
