//! Venues: the Province's rooms and any other place where sessions are held.
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    ExprTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::StoreError;
use crate::domain::comune::{Coordinates, IstatCode};
use crate::domain::venue::{Venue, VenueFields, VenueFilter};
use crate::domain::{DomainError, PageRequest};
use crate::entities::{edition, session, venue};

/// A page of venues by name, optionally in one comune or matching a name fragment.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &VenueFilter,
    page: PageRequest,
) -> Result<(Vec<Venue>, u64), StoreError> {
    let mut condition = Condition::all();
    if let Some(code) = &filter.comune {
        condition = condition.add(venue::Column::ComuneIstatCode.eq(code.as_str()));
    }
    if let Some(q) = &filter.name_contains {
        let pattern = super::contains(q);
        condition =
            condition.add(Expr::expr(Func::lower(Expr::col(venue::Column::Name))).like(pattern));
    }
    let query = venue::Entity::find().filter(condition);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(venue::Column::Name)
        .order_by_asc(venue::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    let venues = rows.into_iter().map(to_domain).collect::<Result<_, _>>()?;
    Ok((venues, total))
}

/// One venue.
///
/// # Errors
/// `NotFound`.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Venue, StoreError> {
    venue::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
        .and_then(to_domain)
}

/// Creates a venue. Admin only.
///
/// # Errors
/// `Invalid` on `comune_istat_code` for a comune outside the Province.
pub async fn create(db: &impl ConnectionTrait, fields: &VenueFields) -> Result<Venue, StoreError> {
    let now = super::now();
    let mut row = columns(fields, <venue::ActiveModel as Default>::default());
    row.created_at = Set(now);
    row.updated_at = Set(now);
    to_domain(row.insert(db).await.map_err(unknown_comune)?)
}

/// Replaces a venue if it is still at `version`.
///
/// # Errors
/// `NotFound`; `PreconditionFailed` when it changed since `version`; `Invalid` on
/// `comune_istat_code`.
pub async fn replace(
    db: &impl ConnectionTrait,
    id: i64,
    fields: &VenueFields,
    version: chrono::DateTime<chrono::Utc>,
) -> Result<Venue, StoreError> {
    let mut row = columns(fields, <venue::ActiveModel as Default>::default());
    row.updated_at = Set(super::version_after(version));
    let result = venue::Entity::update_many()
        .set(row)
        .filter(venue::Column::Id.eq(id))
        .filter(venue::Column::UpdatedAt.eq(version))
        .exec(db)
        .await
        .map_err(unknown_comune)?;
    if result.rows_affected != 1 {
        find(db, id).await?;
        return Err(StoreError::PreconditionFailed);
    }
    touch_editions_at(db, id).await?;
    find(db, id).await
}

/// The catalogue shows each session's venue: editions held here change with it.
async fn touch_editions_at(db: &impl ConnectionTrait, venue_id: i64) -> Result<(), StoreError> {
    let editions: Vec<i64> = session::Entity::find()
        .select_only()
        .column(session::Column::EditionId)
        .filter(session::Column::VenueId.eq(venue_id))
        .into_tuple()
        .all(db)
        .await?;
    if editions.is_empty() {
        return Ok(());
    }
    edition::Entity::update_many()
        .col_expr(edition::Column::UpdatedAt, Expr::value(super::now()))
        .col_expr(
            edition::Column::Sequence,
            Expr::col(edition::Column::Sequence).add(1),
        )
        .filter(edition::Column::Id.is_in(editions))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes a venue no session uses. Admin only.
///
/// # Errors
/// `NotFound`; `Conflict` while sessions are held there.
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), StoreError> {
    match venue::Entity::delete_by_id(id).exec(db).await {
        Ok(result) if result.rows_affected == 0 => Err(StoreError::NotFound),
        Ok(_) => Ok(()),
        Err(e) if super::is_foreign_key_violation(&e) => Err(StoreError::Conflict {
            detail: "la sede ospita sessioni di qualche edizione".into(),
        }),
        Err(e) => Err(e.into()),
    }
}

fn unknown_comune(e: sea_orm::DbErr) -> StoreError {
    if super::is_foreign_key_violation(&e) {
        DomainError::invalid(
            "comune_istat_code",
            "comune inesistente in questa Provincia",
        )
        .into()
    } else {
        e.into()
    }
}

fn to_domain(m: venue::Model) -> Result<Venue, StoreError> {
    Ok(Venue {
        id: m.id,
        fields: VenueFields {
            name: m.name,
            address: m.address,
            comune: IstatCode::parse(&m.comune_istat_code)?,
            capacity: m.capacity,
            coordinates: Coordinates {
                latitude: m.latitude,
                longitude: m.longitude,
            },
            accessibility_notes: m.accessibility_notes,
        },
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn columns(f: &VenueFields, mut row: venue::ActiveModel) -> venue::ActiveModel {
    row.name = Set(f.name.clone());
    row.address = Set(f.address.clone());
    row.comune_istat_code = Set(f.comune.as_str().to_owned());
    row.capacity = Set(f.capacity);
    row.latitude = Set(f.coordinates.latitude);
    row.longitude = Set(f.coordinates.longitude);
    row.accessibility_notes = Set(f.accessibility_notes.clone());
    row
}

/// Locks a venue for the rest of the transaction (see `store::lock_row`).
///
/// # Errors
/// Database errors only.
pub async fn lock_for_update(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
) -> Result<(), StoreError> {
    super::lock_row::<venue::Entity>(txn, id).await
}
