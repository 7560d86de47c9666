//! Comuni of the Province.
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::StoreError;
use crate::domain::comune::{Comune, ComuneContacts, ContactsPatch, Coordinates, IstatCode};
use crate::entities::comune;

/// Every comune of the Province, by ISTAT code. A Province has at most a few hundred,
/// so callers filter and sort in memory (see `domain::comune::ComuneQuery`).
///
/// # Errors
/// Database errors only.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Comune>, StoreError> {
    let rows = comune::Entity::find()
        .order_by_asc(comune::Column::IstatCode)
        .all(db)
        .await?;
    rows.into_iter().map(to_domain).collect()
}

/// One comune.
///
/// # Errors
/// `NotFound` when no comune has that code.
pub async fn find(db: &impl ConnectionTrait, code: &IstatCode) -> Result<Comune, StoreError> {
    let row = comune::Entity::find_by_id(code.as_str().to_owned())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    to_domain(row)
}

/// Applies `patch` to a comune's contacts if `precondition` holds for its current state
/// (the caller's `If-Match`), atomically: a concurrent change in between makes it fail.
///
/// # Errors
/// `NotFound`; `PreconditionFailed` when the precondition does not hold or the row
/// changed meanwhile.
pub async fn update_contacts(
    db: &DatabaseConnection,
    code: &IstatCode,
    patch: &ContactsPatch,
    precondition: impl FnOnce(&Comune) -> bool,
) -> Result<Comune, StoreError> {
    let txn = super::begin_write(db).await?;
    let current = find(&txn, code).await?;
    if !precondition(&current) {
        return Err(StoreError::PreconditionFailed);
    }
    if patch.is_empty() {
        return Ok(current);
    }
    let next = patch.apply(&current.contacts);
    // Conditional on the version read above: if another writer got in first, nothing is
    // written and the caller is told its copy is stale.
    let result = comune::Entity::update_many()
        .col_expr(
            comune::Column::ReferenteEmail,
            Expr::value(next.referente_email),
        )
        .col_expr(comune::Column::Pec, Expr::value(next.pec))
        .col_expr(comune::Column::Phone, Expr::value(next.phone))
        .col_expr(comune::Column::Unione, Expr::value(next.unione))
        .col_expr(
            comune::Column::UpdatedAt,
            Expr::value(super::version_after(current.updated_at)),
        )
        .filter(comune::Column::IstatCode.eq(code.as_str()))
        .filter(comune::Column::UpdatedAt.eq(current.updated_at))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(StoreError::PreconditionFailed);
    }
    let updated = find(&txn, code).await?;
    txn.commit().await?;
    Ok(updated)
}

fn to_domain(m: comune::Model) -> Result<Comune, StoreError> {
    Ok(Comune {
        istat_code: IstatCode::parse(&m.istat_code)?,
        name: m.name,
        province_sigla: m.province_sigla,
        region_name: m.region_name,
        cadastral_code: m.cadastral_code,
        postal_code: m.postal_code,
        is_provincial_capital: m.is_provincial_capital,
        population: m.population,
        population_date: m.population_date,
        coordinates: Coordinates {
            latitude: m.latitude,
            longitude: m.longitude,
        },
        contacts: ComuneContacts {
            referente_email: m.referente_email,
            pec: m.pec,
            phone: m.phone,
            unione: m.unione,
        },
        updated_at: m.updated_at,
    })
}
