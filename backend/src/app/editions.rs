//! Editions of a course — when, where, how many seats, and their lifecycle — managed by
//! the admin and the staff of the course's provider.
use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction};

use super::AppError;
use super::courses::{conflict, provider_scope};
use crate::domain::access::{Actor, Operation};
use crate::domain::course::EditionFilter;
use crate::domain::course::{
    Course, Edition, EditionContext, EditionDraft, EditionFields, EditionStatus, SessionPlan,
};
use crate::domain::edition_change::needs_approval;
use crate::domain::user::Role;
use crate::domain::{DomainError, PageRequest};
use crate::store::{self, StoreError};

/// A page of editions, newest first: all for the admin, those of the provider's courses
/// for its staff.
///
/// # Errors
/// `Forbidden` for referenti and employees.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    mut filter: EditionFilter,
    page: PageRequest,
) -> Result<(Vec<Edition>, u64), AppError> {
    filter.provider_id = provider_scope(actor)?;
    filter.limit = page.limit;
    filter.offset = page.offset;
    Ok(store::courses::list_editions(db, &filter).await?)
}

/// One edition.
///
/// # Errors
/// `NotFound`; `Forbidden` unless the caller manages the course's editions.
pub async fn read(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Edition, AppError> {
    let edition = store::courses::find_edition(db, id).await?;
    manageable_course(db, actor, edition.course_id).await?;
    Ok(edition)
}

/// Adds an edition to a course; it starts as a draft or open.
///
/// # Errors
/// `NotFound` for the course; `Forbidden`; `Invalid` naming every bad field.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    course_id: i64,
    draft: &EditionDraft,
) -> Result<Edition, AppError> {
    let txn = store::begin_catalogue_write(db).await?;
    let course = manageable_course(&txn, actor, course_id).await?;
    let fields = checked(&txn, &course, draft).await?;
    if !matches!(fields.status, EditionStatus::Draft | EditionStatus::Open) {
        return Err(DomainError::invalid("status", "un'edizione nasce in bozza o aperta").into());
    }
    let edition = store::courses::create_edition_in(&txn, course.id, &fields).await?;
    txn.commit().await?;
    Ok(edition)
}

/// Changes an edition: `change` turns the stored edition's draft into the new one, checked
/// (422) before `precondition` — the caller's `If-Match` — is asked about the version read
/// (412), then the lifecycle (409). Under the edition's lock, the write is conditional on
/// the version read, and in the same transaction more seats go to the waitlist and a
/// cancellation is told to everyone enrolled.
///
/// # Errors
/// `NotFound`; `Forbidden`; `Invalid`; `PreconditionFailed`; `Conflict` for a status change
/// the lifecycle does not allow or fewer seats than people confirmed.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    change: impl FnOnce(EditionDraft) -> EditionDraft,
    precondition: impl FnOnce(&Edition) -> bool,
) -> Result<Edition, AppError> {
    let txn = store::begin_catalogue_write(db).await?;
    let updated = update_in(&txn, actor, id, change, precondition).await?;
    txn.commit().await?;
    Ok(updated)
}

/// [`update`] within the caller's transaction, begun with `store::begin_catalogue_write`:
/// also how an approved proposal is applied.
///
/// # Errors
/// As [`update`]; `Conflict` also when the provider's staff change the seats, dates or
/// status of a published edition their provider must propose to the Province.
pub(crate) async fn update_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    id: i64,
    change: impl FnOnce(EditionDraft) -> EditionDraft,
    precondition: impl FnOnce(&Edition) -> bool,
) -> Result<Edition, AppError> {
    let found = store::courses::find_edition(txn, id).await?;
    let course = manageable_course(txn, actor, found.course_id).await?;
    // Locked, then read again: what a concurrent writer committed meanwhile is the
    // version this change starts from, so the version check fails only for a stale If-Match.
    store::enrolments::lock_edition(txn, id).await?;
    let current = store::courses::find_edition(txn, id).await?;
    let fields = checked(txn, &course, &change(EditionDraft::from(&current.fields))).await?;
    if !precondition(&current) {
        return Err(StoreError::PreconditionFailed.into());
    }
    let (from, to) = (current.fields.status, fields.status);
    if !from.can_become(to) {
        return Err(conflict(format!(
            "Un'edizione non passa da «{}» a «{}».",
            from.as_str(),
            to.as_str()
        )));
    }
    if needs_approval(&current.fields, &fields)
        && must_propose(txn, actor, course.fields.provider_id).await?
    {
        return Err(conflict(format!(
            "Posti, date e annullamento di un'edizione pubblicata cambiano con l'approvazione \
             della Provincia: inviate una proposta di modifica \
             (POST /editions/{id}/change-proposals)."
        )));
    }
    let updated = store::courses::replace_edition_in(txn, id, &fields, current.updated_at).await?;
    store::enrolments::edition_changed(txn, id, actor.user_id).await?;
    Ok(updated)
}

/// Whether the caller is the staff of a provider the admin has not let act alone.
async fn must_propose(
    db: &impl ConnectionTrait,
    actor: &Actor,
    provider_id: i64,
) -> Result<bool, AppError> {
    if actor.role != Role::Provider {
        return Ok(false);
    }
    Ok(store::providers::find(db, provider_id)
        .await?
        .profile
        .edition_changes_need_approval)
}

/// Removes a draft or cancelled edition.
///
/// # Errors
/// `NotFound`; `Forbidden`; `Conflict` for an edition that is open, running or completed.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    let edition = store::courses::find_edition(db, id).await?;
    manageable_course(db, actor, edition.course_id).await?;
    Ok(store::courses::delete_edition(db, edition.id).await?)
}

/// The course an edition belongs to, if the caller may manage its editions.
///
/// # Errors
/// `NotFound`; `Forbidden`.
pub(crate) async fn manageable_course(
    db: &impl ConnectionTrait,
    actor: &Actor,
    course_id: i64,
) -> Result<Course, AppError> {
    let course = store::courses::find(db, course_id).await?;
    actor.authorize(Operation::ManageEditionsOf(course.fields.provider_id))?;
    Ok(course)
}

/// The draft's fields, checked against its course, its theme and its venues as stored now.
pub(crate) async fn checked(
    db: &impl ConnectionTrait,
    course: &Course,
    draft: &EditionDraft,
) -> Result<EditionFields, AppError> {
    let rooms = venue_capacities(db, &draft.sessions).await?;
    let theme_forbids_elearning =
        store::courses::theme_forbids_elearning(db, &course.fields.theme_code)
            .await?
            .unwrap_or(false);
    Ok(draft.check(EditionContext {
        course_modality: course.fields.modality,
        theme_forbids_elearning,
        venue_capacity: &|id| rooms.get(&id).copied(),
    })?)
}

/// The seats of each venue the sessions use; a venue that does not exist is left out.
async fn venue_capacities(
    db: &impl ConnectionTrait,
    sessions: &[SessionPlan],
) -> Result<HashMap<i64, i32>, AppError> {
    let mut capacities = HashMap::new();
    for id in sessions.iter().filter_map(|s| s.venue_id) {
        if capacities.contains_key(&id) {
            continue;
        }
        match store::venues::find(db, id).await {
            Ok(venue) => {
                capacities.insert(id, venue.fields.capacity);
            }
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(capacities)
}
