//! The shared taxonomies: public reference data, read by anyone.
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::domain::reference::{StoredOfficeArea, StoredTheme};
use crate::store;

/// The office areas, in canonical order. Public: no caller is needed.
///
/// # Errors
/// Database errors only.
pub async fn office_areas(db: &DatabaseConnection) -> Result<Vec<StoredOfficeArea>, AppError> {
    Ok(store::reference::office_areas(db).await?)
}

/// The themes, in canonical order. Public: no caller is needed.
///
/// # Errors
/// Database errors only.
pub async fn themes(db: &DatabaseConnection) -> Result<Vec<StoredTheme>, AppError> {
    Ok(store::reference::themes(db).await?)
}
