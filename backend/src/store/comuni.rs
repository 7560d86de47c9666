//! Comuni of the Province.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::StoreError;
use crate::domain::comune::{Comune, ComuneContacts, Coordinates, IstatCode};
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

/// Writes a comune's contacts if it is still at version `read` (its `updated_at` when the
/// caller read it), and gives back the comune as written.
///
/// # Errors
/// `PreconditionFailed` when another writer changed the comune since `read`.
pub async fn write_contacts(
    db: &impl ConnectionTrait,
    code: &IstatCode,
    contacts: &ComuneContacts,
    read: DateTime<Utc>,
) -> Result<Comune, StoreError> {
    let result = comune::Entity::update_many()
        .col_expr(
            comune::Column::ReferenteEmail,
            Expr::value(contacts.referente_email.clone()),
        )
        .col_expr(comune::Column::Pec, Expr::value(contacts.pec.clone()))
        .col_expr(comune::Column::Phone, Expr::value(contacts.phone.clone()))
        .col_expr(comune::Column::Unione, Expr::value(contacts.unione.clone()))
        .col_expr(
            comune::Column::UpdatedAt,
            Expr::value(super::version_after(read)),
        )
        .filter(comune::Column::IstatCode.eq(code.as_str()))
        .filter(comune::Column::UpdatedAt.eq(read))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Err(StoreError::PreconditionFailed);
    }
    find(db, code).await
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

/// Locks a comune's row for the rest of the transaction (see `store::lock_row`).
///
/// # Errors
/// Database errors only.
pub async fn lock_for_update(
    txn: &sea_orm::DatabaseTransaction,
    code: &IstatCode,
) -> Result<(), StoreError> {
    super::lock_row::<comune::Entity>(txn, code.as_str().to_owned()).await
}
