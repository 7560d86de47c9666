//! The public catalogue: read by anyone, without authentication, holding no personal data.
//! The API keeps rendered answers per catalogue generation; this reads what they are
//! rendered from.
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::domain::catalogue::{CatalogueData, Change, ChangeCursor};
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

/// The items changed after `after`, each once at its latest change, in change order, up to
/// the generation `upto` the caller will render them from (so that no state shown is older
/// than the change it is listed at); at most `limit`.
///
/// # Errors
/// Database errors only.
pub async fn changes(
    db: &DatabaseConnection,
    after: ChangeCursor,
    upto: u64,
    limit: u64,
) -> Result<Vec<Change>, AppError> {
    Ok(store::catalogue::changes(db, after.0, upto, limit).await?)
}
