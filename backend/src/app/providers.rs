//! Training providers: qualified and managed by the admin; their staff keep their own
//! contacts up to date.
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::domain::access::{Actor, Operation};
use crate::domain::provider::{Provider, ProviderDraft, ProviderFilter};
use crate::domain::{DomainError, PageRequest};
use crate::store::{self, StoreError};

/// A page of providers by name.
///
/// # Errors
/// `Forbidden` for referenti and employees.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    mut filter: ProviderFilter,
    page: PageRequest,
) -> Result<(Vec<Provider>, u64), AppError> {
    actor.authorize(Operation::ReadCatalogueSetup)?;
    filter.limit = page.limit;
    filter.offset = page.offset;
    Ok(store::providers::list(db, &filter).await?)
}

/// One provider: the admin, and the provider's own staff.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn read(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Provider, AppError> {
    actor.authorize(Operation::EditProviderContacts(id))?;
    Ok(store::providers::find(db, id).await?)
}

/// Registers a provider with its themes.
///
/// # Errors
/// `Forbidden` unless admin; `Invalid` naming every bad field.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    draft: &ProviderDraft,
) -> Result<Provider, AppError> {
    actor.authorize(Operation::ManageCatalogue)?;
    let profile = draft.check()?;
    Ok(store::providers::create(db, &profile).await?)
}

/// Changes a provider: the admin anything, its staff only the contacts (`only_contacts`
/// says the change stays within them). `change` turns the stored profile's draft into the
/// new one (it may refuse a `null`), checked (422) before `precondition` — the caller's
/// `If-Match` — is asked about the version read (412); the write is conditional on that
/// version, all in one transaction.
///
/// # Errors
/// `Forbidden`; `NotFound`; `Invalid`; `PreconditionFailed`.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    only_contacts: bool,
    change: impl FnOnce(ProviderDraft) -> Result<ProviderDraft, Vec<DomainError>>,
    precondition: impl FnOnce(&Provider) -> bool,
) -> Result<Provider, AppError> {
    actor.authorize(Operation::EditProviderContacts(id))?;
    if !only_contacts {
        actor.authorize(Operation::ManageCatalogue)?;
    }
    let txn = store::begin_catalogue_write(db).await?;
    store::providers::lock_for_update(&txn, id).await?;
    let current = store::providers::find(&txn, id).await?;
    let profile = change(ProviderDraft::from(&current.profile))?.check()?;
    if !precondition(&current) {
        return Err(StoreError::PreconditionFailed.into());
    }
    let updated = store::providers::replace(&txn, id, &profile, current.updated_at).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Removes a provider that has no courses and no staff accounts.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Conflict` while courses or accounts refer to it.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.authorize(Operation::ManageCatalogue)?;
    Ok(store::providers::delete(db, id).await?)
}
