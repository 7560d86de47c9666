//! Feedback: one anonymous questionnaire per completed enrolment, by the person; averages
//! and comments per edition and per provider, for the admin and the provider, released
//! in whole batches (`domain::feedback`).
use sea_orm::DatabaseConnection;

use super::AppError;
use super::editions::manageable_course;
use crate::domain::access::{Actor, Operation};
use crate::domain::course::EditionFilter;
use crate::domain::feedback::{Aggregate, Scores, aggregate, check_scores};
use crate::domain::ids::{EditionId, EnrolmentId};
use crate::store::{self, attendance::Answers};

/// Stores the questionnaire of a completed enrolment, once, by the person who attended,
/// without any link to them.
///
/// # Errors
/// `NotFound`; `Forbidden` unless it is the caller's own enrolment; `Invalid` naming each
/// score out of range; `Conflict` a second time or before completion.
pub async fn give(
    db: &DatabaseConnection,
    actor: &Actor,
    enrolment: EnrolmentId,
    scores: Scores,
    comment: &str,
) -> Result<(), AppError> {
    let enrolment = store::enrolments::find(db, enrolment.0).await?;
    let own = super::enrolments::own_employee_id(db, actor).await? == Some(enrolment.employee_id);
    actor.authorize(Operation::GiveFeedback { own_record: own })?;
    let errors = check_scores(&scores);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let answers = Answers {
        content: scores.content,
        teacher: scores.teacher,
        organisation: scores.organisation,
        usefulness: scores.usefulness,
        comment: comment.trim().to_owned(),
    };
    Ok(store::attendance::give_feedback(db, enrolment.id, &answers).await?)
}

/// The questionnaires of an edition, added up.
///
/// # Errors
/// `NotFound`; `Forbidden` unless the caller manages the edition.
pub async fn of_edition(
    db: &DatabaseConnection,
    actor: &Actor,
    edition: EditionId,
) -> Result<Aggregate, AppError> {
    let edition = store::courses::find_edition(db, edition.0).await?;
    manageable_course(db, actor, edition.course_id).await?;
    summary(db, &[edition.id]).await
}

/// The questionnaires of every edition a provider gave, added up.
///
/// # Errors
/// `NotFound`; `Forbidden` unless admin or the provider's own staff.
pub async fn of_provider(
    db: &DatabaseConnection,
    actor: &Actor,
    provider: i64,
) -> Result<Aggregate, AppError> {
    let provider = store::providers::find(db, provider).await?;
    actor.authorize(Operation::ManageEditionsOf(provider.id))?;
    let filter = EditionFilter {
        provider_id: Some(provider.id),
        limit: 1_000_000,
        ..Default::default()
    };
    let (editions, _) = store::courses::list_editions(db, &filter).await?;
    let ids: Vec<i64> = editions.iter().map(|e| e.id).collect();
    summary(db, &ids).await
}

async fn summary(db: &DatabaseConnection, editions: &[i64]) -> Result<Aggregate, AppError> {
    let answers = store::attendance::feedback_of(db, editions).await?;
    let all: Vec<(Scores, String)> = answers
        .into_iter()
        .map(|a| {
            let scores = Scores {
                content: a.content,
                teacher: a.teacher,
                organisation: a.organisation,
                usefulness: a.usefulness,
            };
            (scores, a.comment)
        })
        .collect();
    Ok(aggregate(&all))
}
