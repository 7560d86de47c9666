//! Attendance registers, asynchronous completion, certificates and feedback: everything
//! that happens to an enrolment once the edition runs. Writes lock the edition first, as
//! enrolments do, so registers and seat changes never interleave.
use std::collections::HashMap;

use chrono::Datelike;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::StoreError;
use super::enrolments::{find, settle_completion};
use crate::domain::DomainError;
use crate::domain::attendance::{Mark, RegisterLine, Session};
use crate::domain::course::{Edition, EditionStatus, Modality};
use crate::domain::enrolment::Enrolment;
use crate::domain::enrolment::{EnrolmentStatus, certificate_number};
use crate::domain::ids::EditionId;
use crate::entities::{attendance, edition, employee, enrolment, feedback, session};

/// A session and its edition (not deleted).
///
/// # Errors
/// `NotFound`.
pub async fn session(db: &impl ConnectionTrait, id: i64) -> Result<(Session, Edition), StoreError> {
    let session = session::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let edition = super::courses::find_edition(db, session.edition_id).await?;
    Ok((session_to_domain(session), edition))
}

/// The sessions of an edition, in time order.
///
/// # Errors
/// Database errors only.
pub async fn sessions(
    db: &impl ConnectionTrait,
    edition: EditionId,
) -> Result<Vec<Session>, StoreError> {
    Ok(session::Entity::find()
        .filter(session::Column::EditionId.eq(edition.0))
        .order_by_asc(session::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(session_to_domain)
        .collect())
}

fn session_to_domain(m: session::Model) -> Session {
    Session {
        id: m.id,
        edition_id: EditionId(m.edition_id),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        venue_id: m.venue_id,
    }
}

/// The register of a session: everyone holding a seat, by family name.
///
/// # Errors
/// Database errors only.
pub async fn register(
    db: &impl ConnectionTrait,
    session: &Session,
) -> Result<Vec<RegisterLine>, StoreError> {
    let seats = enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(session.edition_id.0))
        .filter(enrolment::Column::Status.is_in(["confirmed", "completed"]))
        .all(db)
        .await?;
    let records: HashMap<i64, attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session.id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.enrolment_id, a))
        .collect();
    let people: HashMap<i64, employee::Model> = employee::Entity::find()
        .filter(employee::Column::Id.is_in(seats.iter().map(|s| s.employee_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut lines: Vec<(String, RegisterLine)> = seats
        .iter()
        .map(|s| {
            let person = people.get(&s.employee_id);
            let record = records.get(&s.id);
            let sort = person.map_or(String::new(), |p| {
                format!("{} {}", p.family_name, p.given_name).to_lowercase()
            });
            (
                sort,
                RegisterLine {
                    enrolment_id: s.id,
                    employee_name: person.map_or("—".into(), |p| {
                        format!("{} {}", p.family_name, p.given_name)
                    }),
                    comune: s.comune_istat_code.clone(),
                    email: person.and_then(|p| p.email.clone()),
                    present: record.map(|r| r.present),
                    minutes: record.map(|r| r.minutes),
                },
            )
        })
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(lines.into_iter().map(|(_, l)| l).collect())
}

/// Locks an edition that runs (not a draft, not cancelled) for the rest of the transaction.
async fn lock(txn: &DatabaseTransaction, edition_id: i64) -> Result<edition::Model, StoreError> {
    super::enrolments::lock_edition(txn, edition_id).await?;
    let edition = edition::Entity::find_by_id(edition_id)
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    if matches!(
        EditionStatus::parse(&edition.status)?,
        EditionStatus::Draft | EditionStatus::Cancelled
    ) {
        return Err(StoreError::Conflict {
            detail: "L'edizione è in bozza o annullata: non c'è frequenza da registrare.".into(),
        });
    }
    Ok(edition)
}

/// Records attendance at a session and settles the completion of the people concerned.
/// Each mark must be of a seat-holding enrolment of the session's edition.
///
/// # Errors
/// `Invalid` on `records/{i}/enrolment_id`; `Conflict` for a draft or cancelled edition.
pub async fn record(
    db: &DatabaseConnection,
    session: &Session,
    marks: &[Mark],
    actor_user_id: i64,
) -> Result<(), StoreError> {
    let txn = super::begin_write(db).await?;
    let edition = lock(&txn, session.edition_id.0).await?;
    let seats: Vec<i64> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::Id)
        .filter(enrolment::Column::EditionId.eq(session.edition_id.0))
        .filter(enrolment::Column::Status.is_in(["confirmed", "completed"]))
        .into_tuple()
        .all(&txn)
        .await?;
    if let Some(at) = marks.iter().position(|m| !seats.contains(&m.enrolment_id)) {
        return Err(DomainError::invalid(
            &format!("records/{at}/enrolment_id"),
            "nessun iscritto confermato con questo identificativo in questa edizione",
        )
        .into());
    }
    let now = super::now();
    for chunk in marks.chunks(200) {
        attendance::Entity::insert_many(chunk.iter().map(|m| attendance::ActiveModel {
            session_id: Set(session.id),
            enrolment_id: Set(m.enrolment_id),
            present: Set(m.present),
            minutes: Set(if m.present { m.minutes } else { 0 }),
            recorded_by: Set(actor_user_id),
            recorded_at: Set(now),
        }))
        .on_conflict(
            OnConflict::columns([
                attendance::Column::SessionId,
                attendance::Column::EnrolmentId,
            ])
            .update_columns([
                attendance::Column::Present,
                attendance::Column::Minutes,
                attendance::Column::RecordedBy,
                attendance::Column::RecordedAt,
            ])
            .to_owned(),
        )
        .exec(&txn)
        .await?;
    }
    let ids: Vec<i64> = marks.iter().map(|m| m.enrolment_id).collect();
    let totals: HashMap<i64, Option<i64>> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::EnrolmentId)
        .column_as(attendance::Column::Minutes.sum(), "total")
        .filter(attendance::Column::EnrolmentId.is_in(ids.iter().copied()))
        .group_by(attendance::Column::EnrolmentId)
        .into_tuple::<(i64, Option<i64>)>()
        .all(&txn)
        .await?
        .into_iter()
        .collect();
    for &id in &ids {
        let total = totals.get(&id).copied().flatten().unwrap_or(0);
        enrolment::Entity::update_many()
            .col_expr(
                enrolment::Column::AttendedMinutes,
                Expr::value(i32::try_from(total).unwrap_or(i32::MAX)),
            )
            .col_expr(enrolment::Column::UpdatedAt, Expr::value(now))
            .filter(enrolment::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    settle_completion(&txn, &edition, &ids, actor_user_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Credits the hours of an asynchronous webinar (what the platform reports as completed).
///
/// # Errors
/// `NotFound`; `Conflict` when the edition is not an asynchronous webinar or the enrolment
/// holds no seat.
pub async fn credit_async(
    db: &DatabaseConnection,
    enrolment_id: i64,
    minutes: i32,
    actor_user_id: i64,
) -> Result<Enrolment, StoreError> {
    let edition_id = find(db, enrolment_id).await?.edition_id.0;
    let txn = super::begin_write(db).await?;
    let edition = lock(&txn, edition_id).await?;
    if Modality::parse(&edition.delivery)? != Modality::AsyncWebinar {
        return Err(StoreError::Conflict {
            detail: "Solo le edizioni in webinar asincrono si completano così; le altre con il registro delle sessioni.".into(),
        });
    }
    let current = find(&txn, enrolment_id).await?;
    if !current.status.holds_seat() {
        return Err(StoreError::Conflict {
            detail: "L'iscrizione non è confermata.".into(),
        });
    }
    enrolment::Entity::update_many()
        .col_expr(enrolment::Column::AsyncMinutes, Expr::value(minutes))
        .col_expr(enrolment::Column::UpdatedAt, Expr::value(super::now()))
        .filter(enrolment::Column::Id.eq(enrolment_id))
        .exec(&txn)
        .await?;
    settle_completion(&txn, &edition, &[enrolment_id], actor_user_id).await?;
    let updated = find(&txn, enrolment_id).await?;
    txn.commit().await?;
    Ok(updated)
}

/// The certificate number of a completed enrolment, assigned on first request.
///
/// # Errors
/// `NotFound`; `Conflict` unless the enrolment is completed.
pub async fn certificate(
    db: &DatabaseConnection,
    enrolment_id: i64,
    province: &str,
) -> Result<Enrolment, StoreError> {
    let current = find(db, enrolment_id).await?;
    if current.status != EnrolmentStatus::Completed {
        return Err(StoreError::Conflict {
            detail: "L'attestato si rilascia a corso completato.".into(),
        });
    }
    if current.certificate_number.is_some() {
        return Ok(current);
    }
    let year = current.completed_at.unwrap_or(current.updated_at).year();
    let number = certificate_number(province, year, current.id, rand::random());
    // Conditional: two simultaneous first downloads assign the same number once.
    enrolment::Entity::update_many()
        .col_expr(
            enrolment::Column::CertificateNumber,
            Expr::value(Some(number)),
        )
        .filter(enrolment::Column::Id.eq(enrolment_id))
        .filter(enrolment::Column::CertificateNumber.is_null())
        .exec(db)
        .await?;
    find(db, enrolment_id).await
}

/// The enrolment a certificate number was issued for.
///
/// # Errors
/// `NotFound`.
pub async fn by_certificate(
    db: &impl ConnectionTrait,
    number: &str,
) -> Result<Enrolment, StoreError> {
    let row = enrolment::Entity::find()
        .filter(enrolment::Column::CertificateNumber.eq(number))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    find(db, row.id).await
}

/// A questionnaire: four scores from 1 to 5 and a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    pub content: i16,
    pub teacher: i16,
    pub organisation: i16,
    pub usefulness: i16,
    pub comment: String,
}

/// Stores the feedback of a completed enrolment, once. The stored answers carry the edition
/// only: nobody can tell who said what.
///
/// # Errors
/// `Conflict` when already given or the course is not completed.
pub async fn give_feedback(
    db: &DatabaseConnection,
    enrolment_id: i64,
    answers: &Answers,
) -> Result<(), StoreError> {
    let current = find(db, enrolment_id).await?;
    let txn = super::begin_write(db).await?;
    let taken = enrolment::Entity::update_many()
        .col_expr(enrolment::Column::FeedbackGiven, Expr::value(true))
        .filter(enrolment::Column::Id.eq(enrolment_id))
        .filter(enrolment::Column::FeedbackGiven.eq(false))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Completed.as_str()))
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        return Err(StoreError::Conflict {
            detail: if current.feedback_given {
                "Il questionario è già stato compilato.".into()
            } else {
                "Il questionario si compila a corso completato.".into()
            },
        });
    }
    feedback::ActiveModel {
        edition_id: Set(current.edition_id.0),
        content: Set(answers.content),
        teacher: Set(answers.teacher),
        organisation: Set(answers.organisation),
        usefulness: Set(answers.usefulness),
        comment: Set(answers.comment.clone()),
        given_on: Set(super::now().date_naive()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Every feedback of some editions, in arrival order (the release in batches depends on
/// it).
///
/// # Errors
/// Database errors only.
pub async fn feedback_of(
    db: &impl ConnectionTrait,
    edition_ids: &[i64],
) -> Result<Vec<Answers>, StoreError> {
    let rows = feedback::Entity::find()
        .filter(feedback::Column::EditionId.is_in(edition_ids.iter().copied()))
        .order_by_asc(feedback::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|f| Answers {
            content: f.content,
            teacher: f.teacher,
            organisation: f.organisation,
            usefulness: f.usefulness,
            comment: f.comment,
        })
        .collect())
}
