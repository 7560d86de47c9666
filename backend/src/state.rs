//! What every request handler shares.
use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::LoginThrottle;

/// Shared application state, registered once as `web::Data<AppState>`.
pub struct AppState {
    pub db: DatabaseConnection,
    pub jwt: JwtKeys,
    pub login_throttle: LoginThrottle,
    /// The public base URL without trailing slash, for links in responses.
    pub public_url: String,
    /// The OpenAPI document, serialized once at start-up.
    pub openapi_json: actix_web::web::Bytes,
}
