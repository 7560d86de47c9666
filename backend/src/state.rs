//! What every request handler shares.
use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::LoginThrottle;
use crate::catalogue_cache::CatalogueCache;

/// The body that organises the training and publishes the catalogue.
#[derive(Debug, Clone)]
pub struct Publisher {
    pub name: String,
    /// Code in the Indice delle Pubbliche Amministrazioni.
    pub ipa_code: String,
    /// URL of the open data's licence.
    pub licence: String,
    /// The office that answers for the data, and its address (the API's contact).
    pub contact_name: String,
    pub contact_email: String,
}

/// Shared application state, registered once as `web::Data<AppState>`.
pub struct AppState {
    pub db: DatabaseConnection,
    pub jwt: JwtKeys,
    pub login_throttle: LoginThrottle,
    /// Requests for password links and uses of them, counted apart from logins: a burst of
    /// "password dimenticata" from an office must not lock its people out of signing in.
    pub link_throttle: LoginThrottle,
    /// The Province's car-plate code (`CABINA_PROVINCE`), e.g. `IM`.
    pub province: String,
    /// Who publishes the catalogue (aggregators and open-data portals name it).
    pub publisher: Publisher,
    /// The public base URL without trailing slash, for links in responses.
    pub public_url: String,
    /// The OpenAPI document, serialized once at start-up.
    pub openapi_json: actix_web::web::Bytes,
    /// Rendered public catalogue answers, kept for one generation of the catalogue's
    /// change log (see `catalogue_cache`).
    pub catalogue_cache: CatalogueCache,
    /// Wakes the e-mail sender when messages are queued.
    pub outbox_waker: std::sync::Arc<tokio::sync::Notify>,
    /// What `GET /metrics` reports.
    pub metrics: crate::metrics::Metrics,
}

impl AppState {
    /// Tells the e-mail sender, if any, that messages are waiting.
    pub fn outbox_filled(&self) {
        self.outbox_waker.notify_one();
    }
}
