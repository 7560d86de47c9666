//! Enrolments: who holds a seat or waits for one, as each role may see them.
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::AppError;
use crate::domain::access::{Actor, Scope};
use crate::domain::enrolment::{Enrolment, EnrolmentFilter, EnrolmentView};
use crate::store;

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
    let mut editions: Vec<i64> = enrolments.iter().map(|e| e.edition_id).collect();
    editions.dedup();
    let positions = store::enrolments::positions_in(db, &editions).await?;
    let titles = store::courses::titles_of(db, &editions).await?;
    let names = store::employees::names_of(db, enrolments.iter().map(|e| e.employee_id)).await?;
    Ok(enrolments
        .into_iter()
        .map(|enrolment| {
            let (course_title, edition_title) = titles
                .get(&enrolment.edition_id)
                .cloned()
                .unwrap_or_default();
            EnrolmentView {
                employee_name: names
                    .get(&enrolment.employee_id)
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
    let names = store::employees::names_of(db, [enrolment.employee_id]).await?;
    let (course_title, edition_title) = titles
        .get(&enrolment.edition_id)
        .cloned()
        .unwrap_or_default();
    Ok(EnrolmentView {
        employee_name: names
            .get(&enrolment.employee_id)
            .cloned()
            .unwrap_or_else(|| "—".to_owned()),
        waitlist_position,
        feedback_given: feedback_flag(actor, &enrolment),
        course_title,
        edition_title,
        enrolment,
    })
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
            filter.employee_id = Some(own_employee_id(db, actor).await?.unwrap_or(0));
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
) -> Result<Option<i64>, AppError> {
    let Scope::OwnRecords { comune, .. } = actor.scope() else {
        return Ok(None);
    };
    let user = store::users::find(db, actor.user_id).await?;
    Ok(store::employees::id_by_email(db, &comune, user.email.as_str()).await?)
}
