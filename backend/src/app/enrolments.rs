//! Enrolments: who holds a seat or waits for one, as each role may see them.
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::AppError;
use crate::domain::DomainError;
use crate::domain::access::{Actor, Operation, Scope};
use crate::domain::comune::IstatCode;
use crate::domain::enrolment::{Enrolment, EnrolmentFilter, EnrolmentStatus, EnrolmentView, Event};
use crate::domain::ids::{EditionId, EmployeeId, EnrolmentId};
use crate::domain::user::Role;
use crate::store::{self, StoreError};

/// The enrolments the caller may see that match `filter`, in arrival order per edition:
/// all for the admin, a referente's comune, the editions of a provider's courses, an
/// employee's own. Five queries whatever the number of editions and people.
///
/// # Errors
/// Database errors only: a caller who may see nothing gets an empty list.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: EnrolmentFilter,
) -> Result<Vec<EnrolmentView>, AppError> {
    let filter = visible_to(db, actor, filter).await?;
    let enrolments = store::enrolments::list(db, &filter).await?;
    let mut editions: Vec<EditionId> = enrolments.iter().map(|e| e.edition_id).collect();
    editions.dedup();
    let positions = store::enrolments::positions_in(db, &editions).await?;
    let titles = store::courses::titles_of(db, &editions).await?;
    let names = store::employees::names_of(db, enrolments.iter().map(|e| e.employee_id.0)).await?;
    Ok(enrolments
        .into_iter()
        .map(|enrolment| {
            let (course_title, edition_title) = titles
                .get(&enrolment.edition_id)
                .cloned()
                .unwrap_or_default();
            EnrolmentView {
                employee_name: names
                    .get(&enrolment.employee_id.0)
                    .cloned()
                    .unwrap_or_else(|| "—".to_owned()),
                waitlist_position: positions.get(&enrolment.id).copied(),
                feedback_given: feedback_flag(actor, &enrolment),
                course_title,
                edition_title,
                enrolment,
            }
        })
        .collect())
}

/// One enrolment as people read it.
///
/// # Errors
/// Database errors only.
pub async fn view(
    db: &impl ConnectionTrait,
    actor: &Actor,
    enrolment: Enrolment,
) -> Result<EnrolmentView, AppError> {
    let waitlist_position = store::enrolments::position_of(db, &enrolment).await?;
    let titles = store::courses::titles_of(db, &[enrolment.edition_id]).await?;
    let names = store::employees::names_of(db, [enrolment.employee_id.0]).await?;
    let (course_title, edition_title) = titles
        .get(&enrolment.edition_id)
        .cloned()
        .unwrap_or_default();
    Ok(EnrolmentView {
        employee_name: names
            .get(&enrolment.employee_id.0)
            .cloned()
            .unwrap_or_else(|| "—".to_owned()),
        waitlist_position,
        feedback_given: feedback_flag(actor, &enrolment),
        course_title,
        edition_title,
        enrolment,
    })
}

/// Enrols an employee — the caller's own record when `employee` is left out by an
/// employee —: confirmed while seats (and the comune's quota) remain, otherwise
/// waitlisted. The admin enrols anyone, a referente their comune's employees, an employee
/// themselves where the edition allows it.
///
/// # Errors
/// `Invalid` on `employee_id` or `edition_id` for what does not exist; `Forbidden`;
/// `Conflict` when already enrolled or the edition does not take enrolments.
pub async fn enrol(
    db: &DatabaseConnection,
    actor: &Actor,
    edition: EditionId,
    employee: Option<EmployeeId>,
) -> Result<EnrolmentView, AppError> {
    let own = own_employee_id(db, actor).await?;
    let employee_id = match (employee, actor.role) {
        (Some(id), _) => id,
        (None, Role::Employee) => own.ok_or_else(|| {
            DomainError::invalid("employee_id", "nessuna scheda dipendente con la sua e-mail")
        })?,
        (None, _) => return Err(DomainError::invalid("employee_id", "obbligatorio").into()),
    };
    let employee = match store::employees::find(db, employee_id.0).await {
        Err(StoreError::NotFound) => {
            return Err(DomainError::invalid("employee_id", "dipendente inesistente").into());
        }
        other => other?,
    };
    let (_, self_enrolment) = match provider_of(db, edition).await {
        Err(AppError::Store(StoreError::NotFound)) => {
            return Err(DomainError::invalid("edition_id", "edizione inesistente").into());
        }
        other => other?,
    };
    actor.authorize(Operation::Enrol {
        comune: &employee.comune,
        own_record: own == Some(employee_id),
        self_enrolment,
    })?;
    let enrolment = store::enrolments::enrol(db, edition, employee_id, actor.user_id).await?;
    view(db, actor, enrolment).await
}

/// One enrolment the caller may see, with its status history, oldest first.
///
/// # Errors
/// `NotFound`; `Forbidden`.
pub async fn read(
    db: &DatabaseConnection,
    actor: &Actor,
    id: EnrolmentId,
) -> Result<(EnrolmentView, Vec<Event>), AppError> {
    let (enrolment, _) = visible(db, actor, id).await?;
    let history = store::enrolments::history(db, enrolment.id).await?;
    Ok((view(db, actor, enrolment).await?, history))
}

/// Changes an enrolment's status to `to`, which may only be `Cancelled`: the seat goes to
/// the first in the waitlist (within the comune quota) in the same transaction. Whoever may
/// enrol the person may cancel.
///
/// # Errors
/// `NotFound`; `Forbidden`; `Invalid` on `status` for anything but a cancellation;
/// `Conflict` when already cancelled or completed.
pub async fn change_status(
    db: &DatabaseConnection,
    actor: &Actor,
    id: EnrolmentId,
    to: EnrolmentStatus,
) -> Result<EnrolmentView, AppError> {
    let (enrolment, own) = visible(db, actor, id).await?;
    if to != EnrolmentStatus::Cancelled {
        return Err(DomainError::invalid(
            "status",
            "si può solo annullare (cancelled): conferme e promozioni seguono i posti",
        )
        .into());
    }
    let comune = IstatCode::parse(&enrolment.comune)?;
    actor.authorize(Operation::Enrol {
        comune: &comune,
        own_record: own,
        self_enrolment: true,
    })?;
    let cancelled = store::enrolments::cancel(db, enrolment.id, actor.user_id).await?;
    view(db, actor, cancelled).await
}

/// An enrolment the caller may see, with whether it is the caller's own.
///
/// # Errors
/// `NotFound`; `Forbidden`.
pub(crate) async fn visible(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: EnrolmentId,
) -> Result<(Enrolment, bool), AppError> {
    let enrolment = store::enrolments::find(db, id.0).await?;
    let own = own_employee_id(db, actor).await? == Some(enrolment.employee_id);
    let (provider, _) = provider_of(db, enrolment.edition_id).await?;
    let comune = IstatCode::parse(&enrolment.comune)?;
    actor.authorize(Operation::ReadEnrolment {
        comune: &comune,
        provider,
        own_record: own,
    })?;
    Ok((enrolment, own))
}

/// The provider giving an edition, and whether employees may enrol themselves in it.
async fn provider_of(
    db: &impl ConnectionTrait,
    edition: EditionId,
) -> Result<(i64, bool), AppError> {
    let edition = store::courses::find_edition(db, edition.0).await?;
    let course = store::courses::find(db, edition.course_id).await?;
    Ok((course.fields.provider_id, edition.fields.self_enrolment))
}

/// Whether a person answered the questionnaire, for those who need it (the person, the
/// referente and the admin, who send reminders), never for the provider it evaluates.
fn feedback_flag(actor: &Actor, enrolment: &Enrolment) -> Option<bool> {
    match actor.scope() {
        Scope::Provider(_) => None,
        _ => Some(enrolment.feedback_given),
    }
}

/// `filter` narrowed to what the caller's scope lets them see: the one place where an
/// enrolment list meets authorization.
async fn visible_to(
    db: &impl ConnectionTrait,
    actor: &Actor,
    mut filter: EnrolmentFilter,
) -> Result<EnrolmentFilter, AppError> {
    match actor.scope() {
        Scope::Province => {}
        Scope::Comune(code) => filter.comune = Some(code.as_str().to_owned()),
        Scope::Provider(provider) => filter.provider_id = Some(provider),
        // No employee record: nothing of anyone's.
        Scope::OwnRecords { .. } => {
            filter.employee_id = Some(own_employee_id(db, actor).await?.unwrap_or(EmployeeId(0)));
        }
    }
    Ok(filter)
}

/// The employee record of an employee's account (found by its e-mail in its comune);
/// `None` for other roles or when the comune has no such record.
///
/// # Errors
/// Database errors only.
pub async fn own_employee_id(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Option<EmployeeId>, AppError> {
    let Scope::OwnRecords { comune, .. } = actor.scope() else {
        return Ok(None);
    };
    let user = store::users::find(db, actor.user_id).await?;
    let id = store::employees::id_by_email(db, &comune, user.email.as_str()).await?;
    Ok(id.map(EmployeeId))
}
