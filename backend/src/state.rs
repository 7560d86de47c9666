//! What every request handler shares.
use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::LoginThrottle;

use std::sync::atomic::{AtomicU64, Ordering};

/// Shared application state, registered once as `web::Data<AppState>`.
pub struct AppState {
    pub db: DatabaseConnection,
    pub jwt: JwtKeys,
    pub login_throttle: LoginThrottle,
    /// The public base URL without trailing slash, for links in responses.
    pub public_url: String,
    /// The OpenAPI document, serialized once at start-up.
    pub openapi_json: actix_web::web::Bytes,
    /// Bumped by every write to the catalogue; cached public representations carry the
    /// generation they were built at and are rebuilt when it moves.
    pub catalogue_generation: AtomicU64,
}

impl AppState {
    /// Invalidates every cached representation of the public catalogue.
    pub fn catalogue_changed(&self) {
        self.catalogue_generation.fetch_add(1, Ordering::SeqCst);
    }
}
