//! Reading the seeded taxonomies.
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use super::StoreError;
use crate::domain::reference::{StoredOfficeArea, StoredTheme};
use crate::entities::{office_area, theme};

/// Office areas in their canonical order. Anyone may call it.
///
/// # Errors
/// Database errors only.
pub async fn office_areas(db: &impl ConnectionTrait) -> Result<Vec<StoredOfficeArea>, StoreError> {
    let rows = office_area::Entity::find()
        .order_by_asc(office_area::Column::Position)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|m| StoredOfficeArea {
            code: m.code,
            name: m.name,
            description: m.description,
        })
        .collect())
}

/// Themes in their canonical order. Anyone may call it.
///
/// # Errors
/// Database errors only.
pub async fn themes(db: &impl ConnectionTrait) -> Result<Vec<StoredTheme>, StoreError> {
    let rows = theme::Entity::find()
        .order_by_asc(theme::Column::Position)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|m| StoredTheme {
            code: m.code,
            name: m.name,
            description: m.description,
            priority: m.priority,
            mandatory: m.mandatory,
            refresher_months: m.refresher_months,
            forbids_elearning: m.forbids_elearning,
        })
        .collect())
}
