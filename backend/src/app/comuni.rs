//! The comuni of the Province: public reference data, and contacts the Province keeps.
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::domain::access::{Actor, Operation};
use crate::domain::comune::{self, ComuneEntry, ComuneQuery, ContactsPatch, IstatCode};
use crate::store::{self, StoreError};

/// The page of comuni `query` asks for, each with its distance from the provincial
/// capital, and how many match in all. Public: anyone may read the list.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &DatabaseConnection,
    query: &ComuneQuery,
) -> Result<(Vec<ComuneEntry>, usize), AppError> {
    let all = store::comuni::list(db).await?;
    Ok(comune::select(&all, query))
}

/// One comune with its distance from the provincial capital. Public.
///
/// # Errors
/// `NotFound`.
pub async fn read(db: &DatabaseConnection, code: &IstatCode) -> Result<ComuneEntry, AppError> {
    let all = store::comuni::list(db).await?;
    located(&all, code)
}

/// Changes a comune's contacts: the patch is checked (422) before `precondition` — the
/// caller's `If-Match` — is asked about the comune as read (412); the write is conditional
/// on that version, all in one transaction, so a concurrent change is never overwritten.
/// An empty patch writes nothing.
///
/// # Errors
/// `NotFound`; `Forbidden` unless admin or the comune's referente; `Invalid` naming every
/// bad field; `PreconditionFailed`.
pub async fn update_contacts(
    db: &DatabaseConnection,
    actor: &Actor,
    code: &IstatCode,
    patch: ContactsPatch,
    precondition: impl FnOnce(&ComuneEntry) -> bool,
) -> Result<ComuneEntry, AppError> {
    let txn = store::begin_write(db).await?;
    store::comuni::lock_for_update(&txn, code).await?;
    store::comuni::find(&txn, code).await?;
    actor.authorize(Operation::EditComuneContacts(code))?;
    let patch = patch.check()?;
    let all = store::comuni::list(&txn).await?;
    let current = located(&all, code)?;
    if !precondition(&current) {
        return Err(StoreError::PreconditionFailed.into());
    }
    if patch.is_empty() {
        return Ok(current);
    }
    let contacts = patch.apply(&current.comune.contacts);
    let written =
        store::comuni::write_contacts(&txn, code, &contacts, current.comune.updated_at).await?;
    txn.commit().await?;
    Ok(ComuneEntry {
        distance_km: comune::distance_from_seat(&all, &written),
        comune: written,
    })
}

/// The comune `code` among `all`, with its distance from the provincial capital.
fn located(all: &[comune::Comune], code: &IstatCode) -> Result<ComuneEntry, AppError> {
    let found = all
        .iter()
        .find(|c| &c.istat_code == code)
        .ok_or(StoreError::NotFound)?;
    Ok(ComuneEntry {
        distance_km: comune::distance_from_seat(all, found),
        comune: found.clone(),
    })
}
