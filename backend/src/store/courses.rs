//! Courses and their editions, soft-deleted so that catalogue mirrors learn of deletions.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DbErr, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::StoreError;
use crate::domain::DomainError;
use crate::domain::course::{
    Capacity, ComuneQuota, Course, CourseFields, CourseFilter, CourseStatus, Duration, Edition,
    EditionFields, EditionFilter, EditionStatus, Language, Modality, ParticipantFee, SessionPlan,
};
use crate::domain::ids::EditionId;
use crate::entities::{course, course_office_area, edition, enrolment, session, theme};

/// A page of courses (not deleted), newest first.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &CourseFilter,
) -> Result<(Vec<Course>, u64), StoreError> {
    let mut condition = Condition::all().add(course::Column::DeletedAt.is_null());
    if let Some(id) = filter.provider_id {
        condition = condition.add(course::Column::ProviderId.eq(id));
    }
    if let Some(theme) = &filter.theme {
        condition = condition.add(course::Column::ThemeCode.eq(theme.as_str()));
    }
    if let Some(status) = filter.status {
        condition = condition.add(course::Column::Status.eq(status.as_str()));
    }
    if let Some(q) = &filter.q {
        let pattern = super::contains(q);
        condition =
            condition.add(Expr::expr(Func::lower(Expr::col(course::Column::Title))).like(pattern));
    }
    let query = course::Entity::find().filter(condition);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(course::Column::Id)
        .limit(filter.limit)
        .offset(filter.offset)
        .all(db)
        .await?;
    Ok((courses_from(db, rows).await?, total))
}

/// Courses (deleted or not) with their target areas.
pub(crate) async fn courses_from(
    db: &impl ConnectionTrait,
    rows: Vec<course::Model>,
) -> Result<Vec<Course>, StoreError> {
    let areas = areas_of(db, rows.iter().map(|r| r.id)).await?;
    rows.into_iter()
        .map(|row| {
            let areas = areas.get(&row.id).cloned().unwrap_or_default();
            course_to_domain(row, areas)
        })
        .collect()
}

/// One course that is not deleted.
///
/// # Errors
/// `NotFound`.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Course, StoreError> {
    let row = course::Entity::find_by_id(id)
        .filter(course::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let areas = areas_of(db, [id]).await?.remove(&id).unwrap_or_default();
    course_to_domain(row, areas)
}

/// Creates a course. Admin only.
///
/// # Errors
/// `Invalid` for an unknown theme, provider or office area.
pub async fn create(db: &DatabaseConnection, fields: &CourseFields) -> Result<Course, StoreError> {
    let txn = super::begin_catalogue_write(db).await?;
    let created = create_in(&txn, fields).await?;
    txn.commit().await?;
    Ok(created)
}

/// Creates a course within the caller's transaction (a plan's publication).
///
/// # Errors
/// `Invalid` for an unknown theme, provider or office area.
pub async fn create_in(
    txn: &sea_orm::DatabaseTransaction,
    fields: &CourseFields,
) -> Result<Course, StoreError> {
    let now = super::now();
    let mut row = course_columns(fields, <course::ActiveModel as Default>::default());
    row.created_at = Set(now);
    row.updated_at = Set(now);
    row.deleted_at = Set(None);
    let id = row.insert(txn).await.map_err(unknown_reference)?.id;
    write_areas(txn, id, &fields.target_office_areas).await?;
    find(txn, id).await
}

/// Replaces a course if it is still at `version`, within the caller's transaction. A
/// change touches its editions too, since their place in the catalogue follows the course.
///
/// # Errors
/// `NotFound`; `PreconditionFailed`; `Invalid` for unknown references.
pub async fn replace(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
    fields: &CourseFields,
    version: DateTime<Utc>,
) -> Result<Course, StoreError> {
    let previous = find(txn, id).await?;
    let now = super::version_after(version);
    let mut row = course_columns(fields, <course::ActiveModel as Default>::default());
    row.updated_at = Set(now);
    let result = course::Entity::update_many()
        .set(row)
        .filter(course::Column::Id.eq(id))
        .filter(course::Column::UpdatedAt.eq(version))
        .exec(txn)
        .await
        .map_err(unknown_reference)?;
    if result.rows_affected != 1 {
        return Err(StoreError::PreconditionFailed);
    }
    course_office_area::Entity::delete_many()
        .filter(course_office_area::Column::CourseId.eq(id))
        .exec(txn)
        .await?;
    write_areas(txn, id, &fields.target_office_areas).await?;
    if previous.fields != *fields {
        touch_editions(txn, id, now).await?;
    }
    find(txn, id).await
}

/// Whether a theme requires presence (no asynchronous e-learning); `None` when there is
/// no such theme.
///
/// # Errors
/// Database errors only.
pub async fn theme_forbids_elearning(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<bool>, StoreError> {
    Ok(theme::Entity::find_by_id(code.to_owned())
        .one(db)
        .await?
        .map(|t| t.forbids_elearning))
}

/// Soft-deletes a course and its editions. Admin only.
///
/// # Errors
/// `NotFound`; `Conflict` while an edition is open or running.
pub async fn delete(db: &DatabaseConnection, id: i64) -> Result<(), StoreError> {
    let txn = super::begin_catalogue_write(db).await?;
    find(&txn, id).await?;
    let running = edition::Entity::find()
        .filter(edition::Column::CourseId.eq(id))
        .filter(edition::Column::DeletedAt.is_null())
        .filter(
            edition::Column::Status
                .is_in([EditionStatus::Open.as_str(), EditionStatus::Closed.as_str()]),
        )
        .count(&txn)
        .await?;
    if running > 0 {
        return Err(StoreError::Conflict {
            detail: "il corso ha edizioni aperte o in corso: annullarle prima di eliminarlo".into(),
        });
    }
    let now = super::now();
    course::Entity::update_many()
        .col_expr(course::Column::DeletedAt, Expr::value(now))
        .col_expr(course::Column::UpdatedAt, Expr::value(now))
        .filter(course::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    edition::Entity::update_many()
        .col_expr(edition::Column::DeletedAt, Expr::value(now))
        .filter(edition::Column::CourseId.eq(id))
        .filter(edition::Column::DeletedAt.is_null())
        .exec(&txn)
        .await?;
    touch_editions(&txn, id, now).await?;
    txn.commit().await?;
    Ok(())
}

/// Marks a course's editions as changed (for `updated_since` and iCalendar `SEQUENCE`).
async fn touch_editions(
    db: &impl ConnectionTrait,
    course_id: i64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    edition::Entity::update_many()
        .col_expr(edition::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            edition::Column::Sequence,
            Expr::col(edition::Column::Sequence).add(1),
        )
        .filter(edition::Column::CourseId.eq(course_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A page of editions (not deleted), newest first.
///
/// # Errors
/// Database errors only.
pub async fn list_editions(
    db: &impl ConnectionTrait,
    filter: &EditionFilter,
) -> Result<(Vec<Edition>, u64), StoreError> {
    let mut condition = Condition::all().add(edition::Column::DeletedAt.is_null());
    if let Some(id) = filter.course_id {
        condition = condition.add(edition::Column::CourseId.eq(id));
    }
    if let Some(status) = filter.status {
        condition = condition.add(edition::Column::Status.eq(status.as_str()));
    }
    if let Some(provider) = filter.provider_id {
        let courses = course::Entity::find()
            .select_only()
            .column(course::Column::Id)
            .filter(course::Column::ProviderId.eq(provider))
            .into_tuple::<i64>()
            .all(db)
            .await?;
        condition = condition.add(edition::Column::CourseId.is_in(courses));
    }
    let query = edition::Entity::find().filter(condition);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(edition::Column::Id)
        .limit(filter.limit)
        .offset(filter.offset)
        .all(db)
        .await?;
    Ok((editions_from(db, rows).await?, total))
}

/// Editions (deleted or not) with their sessions.
pub(crate) async fn editions_from(
    db: &impl ConnectionTrait,
    rows: Vec<edition::Model>,
) -> Result<Vec<Edition>, StoreError> {
    let mut sessions = sessions_of(db, rows.iter().map(|r| r.id)).await?;
    rows.into_iter()
        .map(|row| {
            let plans = sessions.remove(&row.id).unwrap_or_default();
            edition_to_domain(row, plans)
        })
        .collect()
}

/// One edition that is not deleted.
///
/// # Errors
/// `NotFound`.
pub async fn find_edition(db: &impl ConnectionTrait, id: i64) -> Result<Edition, StoreError> {
    let row = edition::Entity::find_by_id(id)
        .filter(edition::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let plans = sessions_of(db, [id]).await?.remove(&id).unwrap_or_default();
    edition_to_domain(row, plans)
}

/// Creates an edition of a course, with its sessions.
///
/// # Errors
/// `Invalid` on a session's venue that does not exist.
pub async fn create_edition(
    db: &DatabaseConnection,
    course_id: i64,
    fields: &EditionFields,
) -> Result<Edition, StoreError> {
    let txn = super::begin_catalogue_write(db).await?;
    let created = create_edition_in(&txn, course_id, fields).await?;
    txn.commit().await?;
    Ok(created)
}

/// Creates an edition within the caller's transaction (a plan's publication).
///
/// # Errors
/// `Invalid` on a session's venue that does not exist.
pub async fn create_edition_in(
    txn: &sea_orm::DatabaseTransaction,
    course_id: i64,
    fields: &EditionFields,
) -> Result<Edition, StoreError> {
    let now = super::now();
    let mut row = edition_columns(fields, <edition::ActiveModel as Default>::default());
    row.course_id = Set(course_id);
    row.sequence = Set(0);
    row.created_at = Set(now);
    row.updated_at = Set(now);
    row.deleted_at = Set(None);
    let id = row.insert(txn).await?.id;
    write_sessions(txn, id, &fields.sessions).await?;
    find_edition(txn, id).await
}

/// Replaces an edition if it is still at `version`, bumping its sequence.
///
/// # Errors
/// `NotFound`; `PreconditionFailed`; `Invalid` on a session's unknown venue.
pub async fn replace_edition(
    db: &DatabaseConnection,
    id: i64,
    fields: &EditionFields,
    version: DateTime<Utc>,
) -> Result<Edition, StoreError> {
    let txn = super::begin_catalogue_write(db).await?;
    let updated = replace_edition_in(&txn, id, fields, version).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Replaces an edition within the caller's transaction, as [`replace_edition`] does.
///
/// # Errors
/// `NotFound`; `PreconditionFailed`; `Conflict` with fewer seats than people confirmed;
/// `Invalid` on a session's unknown venue.
pub async fn replace_edition_in(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
    fields: &EditionFields,
    version: DateTime<Utc>,
) -> Result<Edition, StoreError> {
    let mut row = edition_columns(fields, <edition::ActiveModel as Default>::default());
    row.updated_at = Set(super::version_after(version));
    let result = edition::Entity::update_many()
        .set(row)
        .col_expr(
            edition::Column::Sequence,
            Expr::col(edition::Column::Sequence).add(1),
        )
        .filter(edition::Column::Id.eq(id))
        .filter(edition::Column::DeletedAt.is_null())
        .filter(edition::Column::UpdatedAt.eq(version))
        .exec(txn)
        .await?;
    if result.rows_affected != 1 {
        find_edition(txn, id).await?;
        return Err(StoreError::PreconditionFailed);
    }
    let held = held_seats(txn, id).await?;
    if held > u64::try_from(fields.capacity.seats()).unwrap_or(0) {
        return Err(StoreError::Conflict {
            detail: format!(
                "L'edizione ha {held} iscritti confermati: annullarne alcuni prima di ridurre i posti."
            ),
        });
    }
    keep_sessions(txn, id, &fields.sessions).await?;
    find_edition(txn, id).await
}

/// How many seats of an edition people hold (confirmed or completed enrolments).
///
/// # Errors
/// Database errors only.
pub async fn held_seats(db: &impl ConnectionTrait, edition_id: i64) -> Result<u64, StoreError> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::Status.is_in(["confirmed", "completed"]))
        .count(db)
        .await?)
}

/// Soft-deletes an edition that is a draft or cancelled.
///
/// # Errors
/// `NotFound`; `Conflict` for an edition that is open, running or completed.
pub async fn delete_edition(db: &DatabaseConnection, id: i64) -> Result<(), StoreError> {
    let txn = super::begin_catalogue_write(db).await?;
    let edition = find_edition(&txn, id).await?;
    if !matches!(
        edition.fields.status,
        EditionStatus::Draft | EditionStatus::Cancelled
    ) {
        return Err(StoreError::Conflict {
            detail: "si eliminano solo edizioni in bozza o annullate: annullarla prima".into(),
        });
    }
    let now = super::version_after(edition.updated_at);
    edition::Entity::update_many()
        .col_expr(edition::Column::DeletedAt, Expr::value(now))
        .col_expr(edition::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            edition::Column::Sequence,
            Expr::col(edition::Column::Sequence).add(1),
        )
        .filter(edition::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

async fn write_areas(
    db: &impl ConnectionTrait,
    id: i64,
    areas: &[String],
) -> Result<(), StoreError> {
    if areas.is_empty() {
        return Ok(());
    }
    let rows = areas.iter().map(|code| course_office_area::ActiveModel {
        course_id: Set(id),
        office_area_code: Set(code.clone()),
    });
    course_office_area::Entity::insert_many(rows)
        .exec(db)
        .await
        .map_err(|e| {
            if super::is_foreign_key_violation(&e) {
                DomainError::invalid("target_office_areas", "area sconosciuta").into()
            } else {
                StoreError::from(e)
            }
        })?;
    Ok(())
}

/// Replaces an edition's sessions, keeping the id (and so the attendance register) of every
/// session whose start did not change.
async fn keep_sessions(
    txn: &impl ConnectionTrait,
    id: i64,
    sessions: &[SessionPlan],
) -> Result<(), StoreError> {
    let existing = session::Entity::find()
        .filter(session::Column::EditionId.eq(id))
        .all(txn)
        .await?;
    let mut added = Vec::new();
    let mut kept = Vec::new();
    for plan in sessions {
        match existing
            .iter()
            .find(|s| s.starts_at == plan.starts_at && !kept.contains(&s.id))
        {
            Some(same) => {
                kept.push(same.id);
                session::Entity::update_many()
                    .col_expr(session::Column::EndsAt, Expr::value(plan.ends_at))
                    .col_expr(session::Column::VenueId, Expr::value(plan.venue_id))
                    .filter(session::Column::Id.eq(same.id))
                    .exec(txn)
                    .await
                    .map_err(unknown_venue)?;
            }
            None => added.push(plan.clone()),
        }
    }
    session::Entity::delete_many()
        .filter(session::Column::EditionId.eq(id))
        .filter(session::Column::Id.is_not_in(kept))
        .exec(txn)
        .await?;
    write_sessions(txn, id, &added).await
}

fn unknown_venue(e: DbErr) -> StoreError {
    if super::is_foreign_key_violation(&e) {
        DomainError::invalid("sessions", "sede inesistente").into()
    } else {
        StoreError::from(e)
    }
}

async fn write_sessions(
    db: &impl ConnectionTrait,
    id: i64,
    sessions: &[SessionPlan],
) -> Result<(), StoreError> {
    if sessions.is_empty() {
        return Ok(());
    }
    let rows = sessions.iter().map(|s| session::ActiveModel {
        edition_id: Set(id),
        starts_at: Set(s.starts_at),
        ends_at: Set(s.ends_at),
        venue_id: Set(s.venue_id),
        ..Default::default()
    });
    session::Entity::insert_many(rows)
        .exec(db)
        .await
        .map_err(unknown_venue)?;
    Ok(())
}

fn unknown_reference(e: DbErr) -> StoreError {
    if super::is_foreign_key_violation(&e) {
        DomainError::invalid("theme_code", "tema o ente formatore inesistente").into()
    } else {
        e.into()
    }
}

async fn areas_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Vec<String>>, DbErr> {
    let rows = course_office_area::Entity::find()
        .filter(course_office_area::Column::CourseId.is_in(ids))
        .order_by_asc(course_office_area::Column::OfficeAreaCode)
        .all(db)
        .await?;
    let mut areas: HashMap<i64, Vec<String>> = HashMap::new();
    for row in rows {
        areas
            .entry(row.course_id)
            .or_default()
            .push(row.office_area_code);
    }
    Ok(areas)
}

async fn sessions_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Vec<SessionPlan>>, DbErr> {
    let rows = session::Entity::find()
        .filter(session::Column::EditionId.is_in(ids))
        .order_by_asc(session::Column::StartsAt)
        .order_by_asc(session::Column::Id)
        .all(db)
        .await?;
    let mut sessions: HashMap<i64, Vec<SessionPlan>> = HashMap::new();
    for row in rows {
        sessions
            .entry(row.edition_id)
            .or_default()
            .push(SessionPlan {
                starts_at: row.starts_at,
                ends_at: row.ends_at,
                venue_id: row.venue_id,
            });
    }
    Ok(sessions)
}

fn course_columns(f: &CourseFields, mut row: course::ActiveModel) -> course::ActiveModel {
    row.title = Set(f.title.clone());
    row.description = Set(f.description.clone());
    row.objectives = Set(f.objectives.clone());
    row.theme_code = Set(f.theme_code.clone());
    row.provider_id = Set(f.provider_id);
    row.duration_minutes = Set(f.duration.minutes());
    row.modality = Set(f.modality.as_str().to_owned());
    row.min_attendance_percent = Set(f.min_attendance_percent);
    row.issues_certificate = Set(f.issues_certificate);
    row.status = Set(f.status.as_str().to_owned());
    row.participant_fee_cents = Set(f.participant_fee.cents());
    row.language = Set(f.language.as_str().to_owned());
    row
}

fn edition_columns(f: &EditionFields, mut row: edition::ActiveModel) -> edition::ActiveModel {
    row.title = Set(f.title.clone());
    row.delivery = Set(f.delivery.as_str().to_owned());
    row.capacity = Set(f.capacity.seats());
    row.enrolment_opens_at = Set(f.enrolment_opens_at);
    row.enrolment_closes_at = Set(f.enrolment_closes_at);
    row.available_from = Set(f.available_from);
    row.available_until = Set(f.available_until);
    row.access_url = Set(f.access_url.clone());
    row.self_enrolment = Set(f.self_enrolment);
    row.comune_quota = Set(f.comune_quota.map(ComuneQuota::seats));
    row.status = Set(f.status.as_str().to_owned());
    row
}

fn course_to_domain(
    m: course::Model,
    target_office_areas: Vec<String>,
) -> Result<Course, StoreError> {
    Ok(Course {
        id: m.id,
        fields: CourseFields {
            title: m.title,
            description: m.description,
            objectives: m.objectives,
            theme_code: m.theme_code,
            provider_id: m.provider_id,
            duration: Duration::from_minutes(m.duration_minutes),
            modality: Modality::parse(&m.modality)?,
            target_office_areas,
            min_attendance_percent: m.min_attendance_percent,
            issues_certificate: m.issues_certificate,
            status: CourseStatus::parse(&m.status)?,
            participant_fee: ParticipantFee::from_cents(m.participant_fee_cents),
            language: Language::parse(&m.language)?,
        },
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn edition_to_domain(m: edition::Model, sessions: Vec<SessionPlan>) -> Result<Edition, StoreError> {
    Ok(Edition {
        id: m.id,
        course_id: m.course_id,
        fields: EditionFields {
            title: m.title,
            delivery: Modality::parse(&m.delivery)?,
            capacity: Capacity::new(m.capacity)?,
            enrolment_opens_at: m.enrolment_opens_at,
            enrolment_closes_at: m.enrolment_closes_at,
            available_from: m.available_from,
            available_until: m.available_until,
            access_url: m.access_url,
            self_enrolment: m.self_enrolment,
            comune_quota: m
                .comune_quota
                .map(|q| ComuneQuota::new(q, m.capacity))
                .transpose()?,
            status: EditionStatus::parse(&m.status)?,
            sessions,
        },
        sequence: m.sequence,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Course and edition titles of many editions, by edition id, in two queries.
///
/// # Errors
/// Database errors only.
pub async fn titles_of(
    db: &impl ConnectionTrait,
    editions: &[EditionId],
) -> Result<HashMap<EditionId, (String, String)>, StoreError> {
    let mut titles = HashMap::with_capacity(editions.len());
    for chunk in editions.chunks(500) {
        let rows: Vec<(i64, i64, String)> = edition::Entity::find()
            .select_only()
            .columns([
                edition::Column::Id,
                edition::Column::CourseId,
                edition::Column::Title,
            ])
            .filter(edition::Column::Id.is_in(chunk.iter().map(|e| e.0)))
            .into_tuple()
            .all(db)
            .await?;
        let courses: HashMap<i64, String> = course::Entity::find()
            .select_only()
            .columns([course::Column::Id, course::Column::Title])
            .filter(course::Column::Id.is_in(rows.iter().map(|r| r.1)))
            .into_tuple()
            .all(db)
            .await?
            .into_iter()
            .collect();
        for (id, course_id, title) in rows {
            let course_title = courses.get(&course_id).cloned().unwrap_or_default();
            titles.insert(EditionId(id), (course_title, title));
        }
    }
    Ok(titles)
}

/// Locks a course for the rest of the transaction (see `store::lock_row`).
///
/// # Errors
/// Database errors only.
pub async fn lock_for_update(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
) -> Result<(), StoreError> {
    super::lock_row::<course::Entity>(txn, id).await
}
