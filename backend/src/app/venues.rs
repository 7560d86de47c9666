//! Venues: read by the admin and provider staff (who plan editions there), managed by the
//! admin.
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::domain::access::{Actor, Operation};
use crate::domain::venue::{CheckedVenue, Venue, VenueDraft, VenueFields, VenueFilter};
use crate::domain::{DomainError, PageRequest};
use crate::store::{self, StoreError};

/// A page of venues by name, and how many match in all.
///
/// # Errors
/// `Forbidden` for referenti and employees.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &VenueFilter,
    page: PageRequest,
) -> Result<(Vec<Venue>, u64), AppError> {
    actor.authorize(Operation::ReadCatalogueSetup)?;
    Ok(store::venues::list(db, filter, page).await?)
}

/// One venue.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn read(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Venue, AppError> {
    actor.authorize(Operation::ReadCatalogueSetup)?;
    Ok(store::venues::find(db, id).await?)
}

/// Registers a room; without coordinates it stands at its comune's point.
///
/// # Errors
/// `Forbidden` unless admin; `Invalid` naming every bad field.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    draft: &VenueDraft,
) -> Result<Venue, AppError> {
    actor.authorize(Operation::ManageCatalogue)?;
    let checked = draft.check()?;
    let txn = store::begin_write(db).await?;
    let fields = located(&txn, checked).await?;
    let venue = store::venues::create(&txn, &fields).await?;
    txn.commit().await?;
    Ok(venue)
}

/// Changes a venue: `change` turns the stored venue's draft into the new one, which is
/// checked (422) before `precondition` — the caller's `If-Match` — is asked about the
/// version read (412); the write is conditional on that version, all in one transaction,
/// so a concurrent change is never overwritten.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Invalid`; `PreconditionFailed`.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    change: impl FnOnce(VenueDraft) -> VenueDraft,
    precondition: impl FnOnce(&Venue) -> bool,
) -> Result<Venue, AppError> {
    actor.authorize(Operation::ManageCatalogue)?;
    let txn = store::begin_catalogue_write(db).await?;
    store::venues::lock_for_update(&txn, id).await?;
    let current = store::venues::find(&txn, id).await?;
    let checked = change(VenueDraft::from(&current)).check()?;
    let fields = located(&txn, checked).await?;
    if !precondition(&current) {
        return Err(StoreError::PreconditionFailed.into());
    }
    let updated = store::venues::replace(&txn, id, &fields, current.updated_at).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Removes a venue no session uses.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Conflict` while sessions are held there.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.authorize(Operation::ManageCatalogue)?;
    Ok(store::venues::delete(db, id).await?)
}

/// The fields of a checked venue, placed at its comune's point when it has no coordinates
/// of its own; the comune must be one of the Province's.
async fn located(
    db: &impl sea_orm::ConnectionTrait,
    checked: CheckedVenue,
) -> Result<VenueFields, AppError> {
    if let Some(coordinates) = checked.coordinates {
        return Ok(checked.located(coordinates));
    }
    match store::comuni::find(db, &checked.comune).await {
        Ok(comune) => Ok(checked.located(comune.coordinates)),
        Err(StoreError::NotFound) => Err(DomainError::invalid(
            "comune_istat_code",
            "comune inesistente in questa Provincia",
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}
