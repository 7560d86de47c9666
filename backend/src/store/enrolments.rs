//! Enrolments. Every change to an edition's seats happens in one transaction that first
//! locks the edition row (a no-op UPDATE: a row lock on PostgreSQL, the write lock on
//! SQLite), so concurrent enrolments and cancellations of one edition run one at a time
//! and can never over-book, lose or duplicate a seat.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::StoreError;
use crate::domain::DomainError;
use crate::domain::course::EditionStatus;
use crate::domain::enrolment::{
    Enrolment, EnrolmentFilter, EnrolmentStatus, Event, Place, Seats, after_attendance, promotions,
    required_minutes, waitlist_positions,
};
use crate::domain::ids::{EditionId, EmployeeId};
use crate::domain::notification::{
    EnrolmentNews, EnrolmentNotice, Message, enrolment_message, italian_date_time,
};
use crate::entities::{course, edition, employee, enrolment, enrolment_event, session};

/// Takes the edition's lock for the rest of the transaction. Call it first: on SQLite a
/// transaction that has read cannot take the write lock once another writer committed.
pub async fn lock_edition(txn: &DatabaseTransaction, edition_id: i64) -> Result<(), StoreError> {
    // Rewrites a column to itself: the write takes the lock. `created_at`, because the
    // catalogue's change log ignores it (an enrolment is not a change to the catalogue).
    let locked = edition::Entity::update_many()
        .col_expr(
            edition::Column::CreatedAt,
            Expr::col(edition::Column::CreatedAt),
        )
        .filter(edition::Column::Id.eq(edition_id))
        .filter(edition::Column::DeletedAt.is_null())
        .exec(txn)
        .await?;
    if locked.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Enrols an employee: confirmed while seats (and the comune's quota) remain, otherwise
/// waitlisted. Re-enrolling after a cancellation joins the back of the queue.
///
/// # Errors
/// `NotFound` for an unknown edition; `Conflict` when the edition does not take
/// enrolments now or the employee is already enrolled; `Invalid` on `employee_id`.
pub async fn enrol(
    db: &DatabaseConnection,
    edition: EditionId,
    employee: EmployeeId,
    actor_user_id: i64,
) -> Result<Enrolment, StoreError> {
    let (edition_id, employee_id) = (edition.0, employee.0);
    let txn = super::begin_catalogue_write(db).await?;
    lock_edition(&txn, edition_id).await?;
    let edition = edition::Entity::find_by_id(edition_id)
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    check_taking_enrolments(&edition)?;
    let person = employee::Entity::find_by_id(employee_id)
        .one(&txn)
        .await?
        .filter(|e| e.erased_at.is_none() && e.active)
        .ok_or_else(|| {
            DomainError::invalid("employee_id", "dipendente inesistente o non attivo")
        })?;
    let existing = enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::EmployeeId.eq(employee_id))
        .one(&txn)
        .await?;
    let ticket = next_ticket(&txn, edition_id).await?;
    let now = super::now();
    let id = match existing {
        Some(row) if row.status != EnrolmentStatus::Cancelled.as_str() => {
            return Err(StoreError::Conflict {
                detail: "Il dipendente è già iscritto a questa edizione.".into(),
            });
        }
        Some(row) => {
            enrolment::Entity::update_many()
                .col_expr(
                    enrolment::Column::Status,
                    Expr::value(EnrolmentStatus::Waitlisted.as_str()),
                )
                .col_expr(enrolment::Column::Ticket, Expr::value(ticket))
                .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
                .filter(enrolment::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
            row.id
        }
        None => {
            enrolment::ActiveModel {
                edition_id: Set(edition_id),
                employee_id: Set(employee_id),
                comune_istat_code: Set(person.comune_istat_code.clone()),
                status: Set(EnrolmentStatus::Waitlisted.as_str().to_owned()),
                ticket: Set(ticket),
                attended_minutes: Set(0),
                async_minutes: Set(0),
                completed_at: Set(None),
                certificate_number: Set(None),
                feedback_given: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
            .id
        }
    };
    let mut messages = Vec::new();
    // With every seat taken nobody can move: skip loading the whole queue.
    let promoted = if seats_held(&txn, edition_id).await? < i64::from(edition.capacity) {
        allocate(&txn, &edition, Some(actor_user_id), Some(id), &mut messages).await?
    } else {
        Vec::new()
    };
    if !promoted.contains(&id) {
        record(
            &txn,
            id,
            EnrolmentStatus::Waitlisted,
            Some(actor_user_id),
            "iscrizione in lista d'attesa",
        )
        .await?;
        let position = position_of(&txn, &find(&txn, id).await?)
            .await?
            .unwrap_or(0);
        notify(
            &txn,
            id,
            EnrolmentNews::Waitlisted { position },
            &mut messages,
        )
        .await?;
    }
    super::outbox::enqueue(&txn, &messages).await?;
    let enrolled = find(&txn, id).await?;
    txn.commit().await?;
    Ok(enrolled)
}

fn check_taking_enrolments(edition: &edition::Model) -> Result<(), StoreError> {
    let status = EditionStatus::parse(&edition.status)?;
    if status != EditionStatus::Open {
        return Err(StoreError::Conflict {
            detail: "L'edizione non accetta iscrizioni (non è aperta, è chiusa o annullata)."
                .into(),
        });
    }
    let now = super::now();
    if now < edition.enrolment_opens_at || now > edition.enrolment_closes_at {
        return Err(StoreError::Conflict {
            detail: "Le iscrizioni a questa edizione non sono aperte in questo momento.".into(),
        });
    }
    Ok(())
}

async fn next_ticket(txn: &DatabaseTransaction, edition_id: i64) -> Result<i64, StoreError> {
    let last: Option<Option<i64>> = enrolment::Entity::find()
        .select_only()
        .column_as(enrolment::Column::Ticket.max(), "last")
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .into_tuple()
        .one(txn)
        .await?;
    Ok(last.flatten().unwrap_or(0) + 1)
}

/// Gives free seats to the waitlist in order. Returns the promoted ids; `newcomer` is
/// confirmed rather than "promoted" in its history and message.
async fn allocate(
    txn: &DatabaseTransaction,
    edition: &edition::Model,
    actor: Option<i64>,
    newcomer: Option<i64>,
    messages: &mut Vec<Message>,
) -> Result<Vec<i64>, StoreError> {
    let rows = active_places(txn, edition.id).await?;
    let places: Vec<Place<'_>> = rows
        .iter()
        .map(|(id, comune, status, ticket)| Place {
            id: *id,
            comune,
            status: *status,
            ticket: *ticket,
        })
        .collect();
    let seats = Seats {
        capacity: edition.capacity,
        comune_quota: edition.comune_quota,
    };
    let promoted = promotions(seats, &places);
    let now = super::now();
    for &id in &promoted {
        enrolment::Entity::update_many()
            .col_expr(
                enrolment::Column::Status,
                Expr::value(EnrolmentStatus::Confirmed.as_str()),
            )
            .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
            .filter(enrolment::Column::Id.eq(id))
            .exec(txn)
            .await?;
        if Some(id) == newcomer {
            record(
                txn,
                id,
                EnrolmentStatus::Confirmed,
                actor,
                "iscrizione confermata",
            )
            .await?;
            notify(txn, id, EnrolmentNews::Confirmed, messages).await?;
        } else {
            record(
                txn,
                id,
                EnrolmentStatus::Confirmed,
                None,
                "promosso dalla lista d'attesa",
            )
            .await?;
            notify(txn, id, EnrolmentNews::Promoted, messages).await?;
        }
    }
    Ok(promoted)
}

type PlaceRow = (i64, String, EnrolmentStatus, i64);

async fn active_places(
    db: &impl ConnectionTrait,
    edition_id: i64,
) -> Result<Vec<PlaceRow>, StoreError> {
    let rows: Vec<(i64, String, String, i64)> = enrolment::Entity::find()
        .select_only()
        .columns([
            enrolment::Column::Id,
            enrolment::Column::ComuneIstatCode,
            enrolment::Column::Status,
            enrolment::Column::Ticket,
        ])
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::Status.ne(EnrolmentStatus::Cancelled.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(id, comune, status, ticket)| {
            Ok((id, comune, EnrolmentStatus::parse(&status)?, ticket))
        })
        .collect()
}

async fn seats_held(db: &impl ConnectionTrait, edition_id: i64) -> Result<i64, StoreError> {
    let held = enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::Status.is_in([
            EnrolmentStatus::Confirmed.as_str(),
            EnrolmentStatus::Completed.as_str(),
        ]))
        .count(db)
        .await?;
    Ok(i64::try_from(held).unwrap_or(i64::MAX))
}

/// The waitlist position of one enrolment (1 is next), if it is waiting.
///
/// # Errors
/// Database errors only.
pub async fn position_of(
    db: &impl ConnectionTrait,
    e: &Enrolment,
) -> Result<Option<u32>, StoreError> {
    if e.status != EnrolmentStatus::Waitlisted {
        return Ok(None);
    }
    let ahead = enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(e.edition_id.0))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted.as_str()))
        .filter(enrolment::Column::Ticket.lt(e.ticket))
        .count(db)
        .await?;
    Ok(Some(u32::try_from(ahead + 1).unwrap_or(u32::MAX)))
}

/// Waitlist positions in an edition, by enrolment id.
///
/// # Errors
/// Database errors only.
pub async fn positions(
    db: &impl ConnectionTrait,
    edition_id: i64,
) -> Result<HashMap<i64, u32>, StoreError> {
    let rows = active_places(db, edition_id).await?;
    let places: Vec<Place<'_>> = rows
        .iter()
        .map(|(id, comune, status, ticket)| Place {
            id: *id,
            comune,
            status: *status,
            ticket: *ticket,
        })
        .collect();
    Ok(waitlist_positions(&places))
}

/// The waitlist positions in many editions at once, by enrolment id: one query whatever
/// the number of editions.
///
/// # Errors
/// Database errors only.
pub async fn positions_in(
    db: &impl ConnectionTrait,
    editions: &[EditionId],
) -> Result<HashMap<i64, u32>, StoreError> {
    let mut positions = HashMap::new();
    // Bounded IN lists: SQLite caps the number of bound parameters.
    for chunk in editions.chunks(500) {
        let rows: Vec<(i64, i64, String, String, i64)> = enrolment::Entity::find()
            .select_only()
            .columns([
                enrolment::Column::EditionId,
                enrolment::Column::Id,
                enrolment::Column::ComuneIstatCode,
                enrolment::Column::Status,
                enrolment::Column::Ticket,
            ])
            .filter(enrolment::Column::EditionId.is_in(chunk.iter().map(|e| e.0)))
            .filter(enrolment::Column::Status.ne(EnrolmentStatus::Cancelled.as_str()))
            .order_by_asc(enrolment::Column::EditionId)
            .into_tuple()
            .all(db)
            .await?;
        for edition_rows in rows.chunk_by(|a, b| a.0 == b.0) {
            let places = edition_rows
                .iter()
                .map(|(_, id, comune, status, ticket)| {
                    Ok(Place {
                        id: *id,
                        comune,
                        status: EnrolmentStatus::parse(status)?,
                        ticket: *ticket,
                    })
                })
                .collect::<Result<Vec<_>, DomainError>>()?;
            positions.extend(waitlist_positions(&places));
        }
    }
    Ok(positions)
}

async fn record(
    db: &impl ConnectionTrait,
    enrolment_id: i64,
    status: EnrolmentStatus,
    actor: Option<i64>,
    reason: &str,
) -> Result<(), StoreError> {
    enrolment_event::ActiveModel {
        enrolment_id: Set(enrolment_id),
        status: Set(status.as_str().to_owned()),
        actor_user_id: Set(actor),
        reason: Set(reason.chars().take(200).collect()),
        at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Queues a message to the enrolled person, if they have an e-mail address.
async fn notify(
    db: &impl ConnectionTrait,
    enrolment_id: i64,
    news: EnrolmentNews,
    messages: &mut Vec<Message>,
) -> Result<(), StoreError> {
    let row = enrolment::Entity::find_by_id(enrolment_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let Some(person) = employee::Entity::find_by_id(row.employee_id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let Some(email) = person.email.clone().filter(|e| !e.is_empty()) else {
        return Ok(());
    };
    let edition = edition::Entity::find_by_id(row.edition_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let course = course::Entity::find_by_id(edition.course_id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let starts = edition_start(db, &edition).await?;
    let notice = EnrolmentNotice {
        enrolment_id,
        person: &format!("{} {}", person.given_name, person.family_name),
        course_title: &course.title,
        edition_title: &edition.title,
        starts: &starts,
    };
    messages.push(enrolment_message(&notice, news, &email));
    Ok(())
}

/// "il 15/03/2027", from the first session or the start of availability.
async fn edition_start(
    db: &impl ConnectionTrait,
    edition: &edition::Model,
) -> Result<String, StoreError> {
    Ok(match edition_first_start(db, edition).await? {
        Some(at) => format!("il {}", italian_date_time(at)),
        None => "alla data che sarà comunicata".to_owned(),
    })
}

/// Cancels an enrolment and gives its seat to the first in the waitlist, in the same
/// transaction.
///
/// # Errors
/// `NotFound`; `Conflict` when already cancelled or completed.
pub async fn cancel(
    db: &DatabaseConnection,
    id: i64,
    actor_user_id: i64,
) -> Result<Enrolment, StoreError> {
    // The edition of an enrolment never changes; read it before the lock, because on SQLite a
    // transaction that reads before its first write cannot later take the write lock.
    let edition_id = find(db, id).await?.edition_id.0;
    let txn = super::begin_catalogue_write(db).await?;
    lock_edition(&txn, edition_id).await?;
    let cancelled = cancel_locked(&txn, id, actor_user_id, "iscrizione annullata").await?;
    txn.commit().await?;
    Ok(cancelled)
}

/// Cancels an enrolment whose edition the transaction has locked, and promotes.
async fn cancel_locked(
    txn: &DatabaseTransaction,
    id: i64,
    actor_user_id: i64,
    reason: &str,
) -> Result<Enrolment, StoreError> {
    // Read under the lock: a concurrent cancellation may have won.
    let current = find(txn, id).await?;
    match current.status {
        EnrolmentStatus::Cancelled => {
            return Err(StoreError::Conflict {
                detail: "L'iscrizione è già annullata.".into(),
            });
        }
        EnrolmentStatus::Completed => {
            return Err(StoreError::Conflict {
                detail: "Il corso è già stato completato: l'iscrizione non si annulla.".into(),
            });
        }
        _ => {}
    }
    set_status(txn, id, EnrolmentStatus::Cancelled).await?;
    record(
        txn,
        id,
        EnrolmentStatus::Cancelled,
        Some(actor_user_id),
        reason,
    )
    .await?;
    let edition = edition::Entity::find_by_id(current.edition_id.0)
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut messages = Vec::new();
    allocate(txn, &edition, Some(actor_user_id), None, &mut messages).await?;
    super::outbox::enqueue(txn, &messages).await?;
    find(txn, id).await
}

/// Frees every seat (held or waited for) an erased person has in an edition still to
/// come or running, promoting the waitlist as a cancellation does. Call it in a
/// transaction that holds the write lock (`store::begin_write`).
///
/// # Errors
/// Database errors only.
pub(crate) async fn cancel_future_seats_of(
    txn: &DatabaseTransaction,
    employee_id: i64,
    actor_user_id: i64,
) -> Result<(), StoreError> {
    let held: Vec<(i64, i64)> = enrolment::Entity::find()
        .select_only()
        .columns([enrolment::Column::Id, enrolment::Column::EditionId])
        .filter(enrolment::Column::EmployeeId.eq(employee_id))
        .filter(enrolment::Column::Status.is_in([
            EnrolmentStatus::Confirmed.as_str(),
            EnrolmentStatus::Waitlisted.as_str(),
        ]))
        .into_tuple()
        .all(txn)
        .await?;
    for (id, edition_id) in held {
        let edition = edition::Entity::find_by_id(edition_id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let status = EditionStatus::parse(&edition.status)?;
        if matches!(status, EditionStatus::Completed | EditionStatus::Cancelled) {
            continue;
        }
        lock_edition(txn, edition_id).await?;
        cancel_locked(txn, id, actor_user_id, "dati personali cancellati").await?;
    }
    Ok(())
}

async fn set_status(
    db: &impl ConnectionTrait,
    id: i64,
    status: EnrolmentStatus,
) -> Result<(), StoreError> {
    enrolment::Entity::update_many()
        .col_expr(enrolment::Column::Status, Expr::value(status.as_str()))
        .col_expr(enrolment::Column::UpdatedAt, Expr::value(super::now()))
        .filter(enrolment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// After an edition changed (more seats, a new quota), gives any free seats to the waitlist;
/// when it was cancelled, tells everyone enrolled. Runs in the caller's transaction, the
/// one that changed the edition.
///
/// # Errors
/// Database errors only.
pub async fn edition_changed(
    txn: &DatabaseTransaction,
    edition_id: i64,
    actor_user_id: i64,
) -> Result<(), StoreError> {
    lock_edition(txn, edition_id).await?;
    let edition = edition::Entity::find_by_id(edition_id)
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut messages = Vec::new();
    if EditionStatus::parse(&edition.status)? == EditionStatus::Cancelled {
        for (id, _, status, _) in active_places(txn, edition_id).await? {
            if status != EnrolmentStatus::Cancelled {
                set_status(txn, id, EnrolmentStatus::Cancelled).await?;
                record(
                    txn,
                    id,
                    EnrolmentStatus::Cancelled,
                    Some(actor_user_id),
                    "edizione annullata",
                )
                .await?;
                notify(txn, id, EnrolmentNews::EditionCancelled, &mut messages).await?;
            }
        }
    } else {
        allocate(txn, &edition, Some(actor_user_id), None, &mut messages).await?;
    }
    super::outbox::enqueue(txn, &messages).await?;
    Ok(())
}

/// Queues a reminder to everyone holding a seat in an edition that starts within
/// `within` (first session, or start of availability), once per enrolment. Returns how many
/// were queued.
///
/// # Errors
/// Database errors only.
pub async fn queue_start_reminders(
    db: &DatabaseConnection,
    within: chrono::Duration,
) -> Result<usize, StoreError> {
    let now = super::now();
    let horizon = now + within;
    let soon_sessions: Vec<i64> = session::Entity::find()
        .select_only()
        .column(session::Column::EditionId)
        .filter(session::Column::StartsAt.gt(now))
        .filter(session::Column::StartsAt.lte(horizon))
        .into_tuple()
        .all(db)
        .await?;
    let soon_async: Vec<i64> = edition::Entity::find()
        .select_only()
        .column(edition::Column::Id)
        .filter(edition::Column::AvailableFrom.gt(now))
        .filter(edition::Column::AvailableFrom.lte(horizon))
        .into_tuple()
        .all(db)
        .await?;
    let mut editions: Vec<i64> = soon_sessions.into_iter().chain(soon_async).collect();
    editions.sort_unstable();
    editions.dedup();
    let reminded = super::outbox::last_queued(db, "edition_reminder", "enrolment/").await?;
    let mut queued = 0;
    for edition_id in editions {
        let Some(edition) = edition::Entity::find_by_id(edition_id).one(db).await? else {
            continue;
        };
        let status = EditionStatus::parse(&edition.status)?;
        let first = edition_first_start(db, &edition).await?;
        // Only if the edition truly *starts* soon (not a later session of a running one).
        if !matches!(status, EditionStatus::Open | EditionStatus::Closed)
            || first.is_none_or(|f| f <= now || f > horizon)
        {
            continue;
        }
        let seats = list(
            db,
            &EnrolmentFilter {
                edition_id: Some(EditionId(edition_id)),
                status: Some(EnrolmentStatus::Confirmed),
                ..Default::default()
            },
        )
        .await?;
        let mut messages = Vec::new();
        for e in seats {
            if !reminded.contains_key(&format!("enrolment/{}", e.id)) {
                notify(db, e.id, EnrolmentNews::StartsSoon, &mut messages).await?;
            }
        }
        queued += messages.len();
        super::outbox::enqueue(db, &messages).await?;
    }
    Ok(queued)
}

async fn edition_first_start(
    db: &impl ConnectionTrait,
    edition: &edition::Model,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let first: Option<DateTime<Utc>> = session::Entity::find()
        .select_only()
        .column_as(session::Column::StartsAt.min(), "first")
        .filter(session::Column::EditionId.eq(edition.id))
        .into_tuple::<Option<DateTime<Utc>>>()
        .one(db)
        .await?
        .flatten();
    Ok(first.or(edition.available_from))
}

/// One enrolment.
///
/// # Errors
/// `NotFound`.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Enrolment, StoreError> {
    let row = enrolment::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    to_domain(row)
}

/// Enrolments matching the filter, in arrival order per edition.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &EnrolmentFilter,
) -> Result<Vec<Enrolment>, StoreError> {
    let mut query = enrolment::Entity::find();
    if let Some(id) = filter.edition_id {
        query = query.filter(enrolment::Column::EditionId.eq(id.0));
    }
    if let Some(id) = filter.employee_id {
        query = query.filter(enrolment::Column::EmployeeId.eq(id.0));
    }
    if let Some(code) = &filter.comune {
        query = query.filter(enrolment::Column::ComuneIstatCode.eq(code.as_str()));
    }
    if let Some(provider) = filter.provider_id {
        use sea_orm::ExprTrait;
        query = query.filter(
            enrolment::Column::EditionId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column((edition::Entity, edition::Column::Id))
                    .from(edition::Entity)
                    .inner_join(
                        course::Entity,
                        Expr::col((course::Entity, course::Column::Id))
                            .equals((edition::Entity, edition::Column::CourseId)),
                    )
                    .and_where(Expr::col((course::Entity, course::Column::ProviderId)).eq(provider))
                    .to_owned(),
            ),
        );
    }
    if let Some(status) = filter.status {
        query = query.filter(enrolment::Column::Status.eq(status.as_str()));
    }
    let rows = query
        .order_by_asc(enrolment::Column::EditionId)
        .order_by_asc(enrolment::Column::Ticket)
        .all(db)
        .await?;
    rows.into_iter().map(to_domain).collect()
}

/// The history of an enrolment, oldest first.
///
/// # Errors
/// Database errors only.
pub async fn history(db: &impl ConnectionTrait, id: i64) -> Result<Vec<Event>, StoreError> {
    let rows = enrolment_event::Entity::find()
        .filter(enrolment_event::Column::EnrolmentId.eq(id))
        .order_by_asc(enrolment_event::Column::Id)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Event {
                status: EnrolmentStatus::parse(&r.status)?,
                actor_user_id: r.actor_user_id,
                reason: r.reason,
                at: r.at,
            })
        })
        .collect()
}

/// Sets the completion of enrolments of one edition from their credited minutes, recording
/// each change.
pub(crate) async fn settle_completion(
    txn: &DatabaseTransaction,
    edition: &edition::Model,
    ids: &[i64],
    actor_user_id: i64,
) -> Result<(), StoreError> {
    // One edition, one course: the threshold is the same for everybody.
    let course = course::Entity::find_by_id(edition.course_id)
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let required = required_minutes(course.duration_minutes, course.min_attendance_percent);
    for &id in ids {
        let current = find(txn, id).await?;
        let next = after_attendance(current.status, current.credited_minutes(), required);
        if next == current.status {
            continue;
        }
        let completed_at = (next == EnrolmentStatus::Completed).then(super::now);
        enrolment::Entity::update_many()
            .col_expr(enrolment::Column::Status, Expr::value(next.as_str()))
            .col_expr(enrolment::Column::CompletedAt, Expr::value(completed_at))
            .col_expr(enrolment::Column::UpdatedAt, Expr::value(super::now()))
            .filter(enrolment::Column::Id.eq(id))
            .exec(txn)
            .await?;
        let reason = if next == EnrolmentStatus::Completed {
            "ore di frequenza raggiunte"
        } else {
            "frequenza corretta: ore non più sufficienti"
        };
        record(txn, id, next, Some(actor_user_id), reason).await?;
    }
    Ok(())
}

fn to_domain(m: enrolment::Model) -> Result<Enrolment, StoreError> {
    Ok(Enrolment {
        id: m.id,
        edition_id: EditionId(m.edition_id),
        employee_id: EmployeeId(m.employee_id),
        comune: m.comune_istat_code,
        status: EnrolmentStatus::parse(&m.status)?,
        ticket: m.ticket,
        attended_minutes: m.attended_minutes,
        async_minutes: m.async_minutes,
        completed_at: m.completed_at,
        certificate_number: m.certificate_number,
        feedback_given: m.feedback_given,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}
