//! Reading the seeded taxonomies.
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use super::StoreError;
use crate::entities::{office_area, theme};

/// Office areas in their canonical order. Anyone may call it.
///
/// # Errors
/// Database errors only.
pub async fn office_areas(
    db: &impl ConnectionTrait,
) -> Result<Vec<office_area::Model>, StoreError> {
    Ok(office_area::Entity::find()
        .order_by_asc(office_area::Column::Position)
        .all(db)
        .await?)
}

/// Themes in their canonical order. Anyone may call it.
///
/// # Errors
/// Database errors only.
pub async fn themes(db: &impl ConnectionTrait) -> Result<Vec<theme::Model>, StoreError> {
    Ok(theme::Entity::find()
        .order_by_asc(theme::Column::Position)
        .all(db)
        .await?)
}
