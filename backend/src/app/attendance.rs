//! Attendance: the sessions of an edition, the register of each (by hand, or from the
//! report a webinar tool exports), the signature sheet to print, and the hours of
//! asynchronous webinars. The admin, and the staff of the provider giving the edition.
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::AppError;
use super::editions::manageable_course;
use crate::documents::{SignatureSheet, signature_sheet_pdf};
use crate::domain::access::Actor;
use crate::domain::attendance::{self, ImportOutcome, MarkDraft, RegisterLine, Session};
use crate::domain::attendance_import;
use crate::domain::course::{Course, Edition};
use crate::domain::employee_import::RowError;
use crate::domain::enrolment::EnrolmentView;
use crate::domain::ids::{EditionId, EnrolmentId};
use crate::domain::notification::{italian_date_time, italian_time};
use crate::store;

/// The sessions of an edition, in time order.
///
/// # Errors
/// `NotFound`; `Forbidden` unless the caller manages the edition.
pub async fn sessions(
    db: &DatabaseConnection,
    actor: &Actor,
    edition: EditionId,
) -> Result<Vec<Session>, AppError> {
    let edition = store::courses::find_edition(db, edition.0).await?;
    manageable_course(db, actor, edition.course_id).await?;
    Ok(store::attendance::sessions(db, EditionId(edition.id)).await?)
}

/// A session's register: everyone holding a seat, by family name, and what was recorded.
///
/// # Errors
/// `NotFound`; `Forbidden`.
pub async fn register(
    db: &DatabaseConnection,
    actor: &Actor,
    session: i64,
) -> Result<(Session, Vec<RegisterLine>), AppError> {
    let (session, _, _) = managed_session(db, actor, session).await?;
    let lines = store::attendance::register(db, &session).await?;
    Ok((session, lines))
}

/// The signature sheet of a session, as a PDF to print: each person with their comune.
///
/// # Errors
/// `NotFound`; `Forbidden`.
pub async fn signature_sheet(
    db: &DatabaseConnection,
    actor: &Actor,
    session: i64,
) -> Result<(Session, Vec<u8>), AppError> {
    let (session, edition, course) = managed_session(db, actor, session).await?;
    let comuni = store::comuni::list(db).await?;
    let lines = store::attendance::register(db, &session).await?;
    let people: Vec<(String, String)> = lines
        .into_iter()
        .map(|l| {
            let comune = comuni
                .iter()
                .find(|c| c.istat_code.as_str() == l.comune)
                .map_or(l.comune.clone(), |c| c.name.clone());
            (l.employee_name, comune)
        })
        .collect();
    let venue = match session.venue_id {
        Some(id) => store::venues::find(db, id)
            .await
            .map(|v| format!(", {}", v.fields.name))
            .unwrap_or_default(),
        None => String::new(),
    };
    let label = format!(
        "{}–{}{venue}",
        italian_date_time(session.starts_at),
        italian_time(session.ends_at),
    );
    let pdf = signature_sheet_pdf(&SignatureSheet {
        course_title: &course.fields.title,
        edition_title: &edition.fields.title,
        session: &label,
        people: &people,
    });
    Ok((session, pdf))
}

/// Records present or absent, and the hours, for some or all of a register; completion
/// follows at once. Gives the register after the change.
///
/// # Errors
/// `NotFound`; `Forbidden`; `Invalid` naming each bad record; `Conflict` for a draft or
/// cancelled edition.
pub async fn record(
    db: &DatabaseConnection,
    actor: &Actor,
    session: i64,
    drafts: &[MarkDraft],
) -> Result<(Session, Vec<RegisterLine>), AppError> {
    let (session, _, _) = managed_session(db, actor, session).await?;
    let marks = attendance::marks(drafts, &session)?;
    store::attendance::record(db, &session, &marks, actor.user_id).await?;
    let lines = store::attendance::register(db, &session).await?;
    Ok((session, lines))
}

/// Whether the caller manages the session's edition: asked before an upload is read, so
/// that a stranger's file is refused unread.
///
/// # Errors
/// `NotFound`; `Forbidden`.
pub async fn may_record(
    db: &DatabaseConnection,
    actor: &Actor,
    session: i64,
) -> Result<(), AppError> {
    managed_session(db, actor, session).await.map(|_| ())
}

/// Reads a webinar tool's report and, unless `dry_run`, records the people it finds in
/// the register.
///
/// # Errors
/// `NotFound`; `Forbidden`; `InvalidRows` for unreadable lines; `Conflict` for a draft or
/// cancelled edition.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    session: i64,
    report: &[u8],
    dry_run: bool,
) -> Result<ImportOutcome, AppError> {
    let (session, _, _) = managed_session(db, actor, session).await?;
    let report = attendance_import::parse(report);
    if !report.errors.is_empty() {
        return Err(AppError::InvalidRows(
            report
                .errors
                .iter()
                .map(|e| RowError {
                    line: usize::try_from(e.line).unwrap_or(usize::MAX),
                    field: e.field.to_owned(),
                    message: e.message.clone(),
                })
                .collect(),
        ));
    }
    let register = store::attendance::register(db, &session).await?;
    let outcome = attendance::match_report(&report, &register, &session);
    if !dry_run && !outcome.marks.is_empty() {
        store::attendance::record(db, &session, &outcome.marks, actor.user_id).await?;
    }
    Ok(outcome)
}

/// Credits the hours an asynchronous webinar's platform reports as completed.
///
/// # Errors
/// `NotFound`; `Forbidden`; `Conflict` when the edition is not an asynchronous webinar or
/// the enrolment holds no seat.
pub async fn credit_async(
    db: &DatabaseConnection,
    actor: &Actor,
    enrolment: EnrolmentId,
    hours: f64,
) -> Result<EnrolmentView, AppError> {
    let enrolment = store::enrolments::find(db, enrolment.0).await?;
    let edition = store::courses::find_edition(db, enrolment.edition_id.0).await?;
    manageable_course(db, actor, edition.course_id).await?;
    let minutes = (hours * 60.0).round() as i32;
    let updated = store::attendance::credit_async(db, enrolment.id, minutes, actor.user_id).await?;
    super::enrolments::view(db, actor, updated).await
}

/// A session, its edition and course, if the caller manages the edition.
async fn managed_session(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<(Session, Edition, Course), AppError> {
    let (session, edition) = store::attendance::session(db, id).await?;
    let course = manageable_course(db, actor, edition.course_id).await?;
    Ok((session, edition, course))
}
