//! What every request handler shares.
use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::LoginThrottle;
use crate::catalogue_cache::CatalogueCache;

use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::{ConnectionTrait, DbBackend};

/// The PostgreSQL channel on which replicas announce catalogue changes.
pub const CATALOGUE_CHANNEL: &str = "cabina_catalogue";

/// Shared application state, registered once as `web::Data<AppState>`.
pub struct AppState {
    pub db: DatabaseConnection,
    pub jwt: JwtKeys,
    pub login_throttle: LoginThrottle,
    /// The Province's car-plate code (`CABINA_PROVINCE`), e.g. `IM`.
    pub province: String,
    /// The public base URL without trailing slash, for links in responses.
    pub public_url: String,
    /// The OpenAPI document, serialized once at start-up.
    pub openapi_json: actix_web::web::Bytes,
    /// Bumped by every write to the catalogue; cached public representations carry the
    /// generation they were built at and are rebuilt when it moves.
    pub catalogue_generation: AtomicU64,
    /// Rendered public catalogue answers (see `catalogue_cache`).
    pub catalogue_cache: CatalogueCache,
    /// Wakes the e-mail sender when messages are queued.
    pub outbox_waker: std::sync::Arc<tokio::sync::Notify>,
}

impl AppState {
    /// Invalidates every cached representation of the public catalogue, here and — on
    /// PostgreSQL — in every other replica, which listen on [`CATALOGUE_CHANNEL`].
    pub async fn catalogue_changed(&self) {
        self.catalogue_changed_here();
        if self.db.get_database_backend() == DbBackend::Postgres
            && let Err(e) = self
                .db
                .execute_unprepared(&format!("NOTIFY {CATALOGUE_CHANNEL}"))
                .await
        {
            tracing::warn!(error = %e, "could not notify other replicas of a catalogue change");
        }
    }

    /// Invalidates this replica's cached catalogue only.
    pub fn catalogue_changed_here(&self) {
        self.catalogue_generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Tells the e-mail sender, if any, that messages are waiting.
    pub fn outbox_filled(&self) {
        self.outbox_waker.notify_one();
    }

    /// The current catalogue generation.
    pub fn catalogue_generation(&self) -> u64 {
        self.catalogue_generation.load(Ordering::SeqCst)
    }
}
