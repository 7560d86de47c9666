//! Courses of the catalogue: defined by the admin, read by the staff of their provider.
use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::AppError;
use crate::domain::PageRequest;
use crate::domain::access::{Actor, Operation, Scope};
use crate::domain::course::CourseFilter;
use crate::domain::course::{Course, CourseContext, CourseDraft, CourseFields};
use crate::store::{self, StoreError};

/// A page of courses, newest first: all for the admin, the provider's own for its staff
/// (asking for another provider's is forbidden rather than silently narrowed).
///
/// # Errors
/// `Forbidden` for referenti, employees, and provider staff asking for another provider.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    mut filter: CourseFilter,
    page: PageRequest,
) -> Result<(Vec<Course>, u64), AppError> {
    filter.provider_id = within_scope(actor, filter.provider_id)?;
    filter.limit = page.limit;
    filter.offset = page.offset;
    Ok(store::courses::list(db, &filter).await?)
}

/// One course.
///
/// # Errors
/// `Forbidden` (another provider's course too); `NotFound`.
pub async fn read(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Course, AppError> {
    let own = provider_scope(actor)?;
    let course = store::courses::find(db, id).await?;
    if own.is_some_and(|p| p != course.fields.provider_id) {
        return Err(AppError::Forbidden);
    }
    Ok(course)
}

/// Defines a course on a theme, given by a provider qualified for that theme.
///
/// # Errors
/// `Forbidden` unless admin; `Invalid` naming every bad field.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    draft: &CourseDraft,
) -> Result<Course, AppError> {
    actor.authorize(Operation::ManageCatalogue)?;
    let txn = store::begin_catalogue_write(db).await?;
    let fields = checked(&txn, draft).await?;
    let course = store::courses::create_in(&txn, &fields).await?;
    txn.commit().await?;
    Ok(course)
}

/// Changes a course: `change` turns the stored course's draft into the new one, checked
/// (422) before `precondition` — the caller's `If-Match` — is asked about the version read
/// (412), then the lifecycle (409); the write is conditional on that version, all in one
/// transaction.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Invalid`; `PreconditionFailed`; `Conflict` for a
/// status change the lifecycle does not allow.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    change: impl FnOnce(CourseDraft) -> CourseDraft,
    precondition: impl FnOnce(&Course) -> bool,
) -> Result<Course, AppError> {
    actor.authorize(Operation::ManageCatalogue)?;
    let txn = store::begin_catalogue_write(db).await?;
    store::courses::lock_for_update(&txn, id).await?;
    let current = store::courses::find(&txn, id).await?;
    let fields = checked(&txn, &change(CourseDraft::from(&current.fields))).await?;
    if !precondition(&current) {
        return Err(StoreError::PreconditionFailed.into());
    }
    let (from, to) = (current.fields.status, fields.status);
    if !from.can_become(to) {
        return Err(conflict(format!(
            "Un corso non passa da «{}» a «{}».",
            from.as_str(),
            to.as_str()
        )));
    }
    let updated = store::courses::replace(&txn, id, &fields, current.updated_at).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Removes a course and its editions from the catalogue (mirrors see tombstones).
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Conflict` while an edition is open or running.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.authorize(Operation::ManageCatalogue)?;
    Ok(store::courses::delete(db, id).await?)
}

/// The provider whose courses (and editions) the caller may see: `None` for all (admin).
///
/// # Errors
/// `Forbidden` for referenti and employees.
pub(crate) fn provider_scope(actor: &Actor) -> Result<Option<i64>, AppError> {
    actor.authorize(Operation::ReadCatalogueSetup)?;
    Ok(match actor.scope() {
        Scope::Provider(id) => Some(id),
        _ => None,
    })
}

/// The provider a list is narrowed to: the caller's own for provider staff (who may not
/// ask for another's), else the one asked for, if any.
///
/// # Errors
/// `Forbidden` for referenti, employees, and provider staff asking for another provider.
pub(crate) fn within_scope(actor: &Actor, asked: Option<i64>) -> Result<Option<i64>, AppError> {
    let own = provider_scope(actor)?;
    if own.is_some() && asked.is_some_and(|p| Some(p) != own) {
        return Err(AppError::Forbidden);
    }
    Ok(own.or(asked))
}

/// A 409 for a change the current state does not allow.
pub(crate) fn conflict(detail: String) -> AppError {
    StoreError::Conflict { detail }.into()
}

/// The draft's fields, checked against its theme and provider as stored now.
async fn checked(db: &impl ConnectionTrait, draft: &CourseDraft) -> Result<CourseFields, AppError> {
    let theme_forbids_elearning =
        store::courses::theme_forbids_elearning(db, &draft.theme_code).await?;
    let provider = match store::providers::find(db, draft.provider_id).await {
        Ok(provider) => Some(provider),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(draft.check(CourseContext {
        theme_forbids_elearning,
        provider: provider.as_ref(),
        today: Utc::now().date_naive(),
    })?)
}
