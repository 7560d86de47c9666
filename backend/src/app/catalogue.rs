//! The public catalogue: read by anyone, without authentication, holding no personal data.
//! The API keeps rendered answers per catalogue generation; this reads what they are
//! rendered from.
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::domain::catalogue::CatalogueData;
use crate::store;

/// The whole catalogue, deleted items included (for tombstones), read in one transaction
/// so that it is consistent. Anyone may ask: there is nothing to authorize.
///
/// # Errors
/// Database errors only.
pub async fn snapshot(db: &DatabaseConnection) -> Result<CatalogueData, AppError> {
    Ok(store::catalogue::snapshot(db).await?)
}

/// The catalogue's generation: the last committed change to anything it shows. Read on
/// every request, so that no replica serves an answer older than a committed write.
///
/// # Errors
/// Database errors only.
pub async fn generation(db: &DatabaseConnection) -> Result<u64, AppError> {
    Ok(store::catalogue::head(db).await?)
}
