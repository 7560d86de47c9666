//! Need lines: what training each comune's offices need in a campaign. A referente writes
//! their own comune's lines while the campaign is open and the answer not submitted.
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::domain::DomainError;
use crate::domain::access::{Actor, Operation, Scope};
use crate::domain::campaign::Need;
use crate::domain::campaign::NeedDraft;
use crate::domain::comune::IstatCode;
use crate::store::{self, StoreError};

/// The need lines of a campaign (or of all), of the comuni the caller may see: any or the
/// `asked` one for the admin, always their own for a referente.
///
/// # Errors
/// `Forbidden` for other roles, or a referente asking for another comune.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: Option<i64>,
    asked: Option<IstatCode>,
) -> Result<Vec<Need>, AppError> {
    let comune = match actor.scope() {
        Scope::Province => asked,
        Scope::Comune(own) if asked.as_ref().is_none_or(|a| *a == own) => Some(own),
        _ => return Err(AppError::Forbidden),
    };
    Ok(store::campaigns::needs(db, campaign_id, comune.as_ref()).await?)
}

/// Adds a line to a comune's answer (`comune`, or the referente's own), which becomes a
/// draft. The answer's state is checked and the line written in one transaction.
///
/// # Errors
/// `Invalid` for a bad or missing comune and every bad field; `Forbidden` unless admin or
/// the comune's referente; `NotFound` for an unknown campaign; `Conflict` when the answer
/// can no longer change or the line exists.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
    comune: Option<&str>,
    draft: NeedDraft,
) -> Result<Need, AppError> {
    let comune = match (comune, actor.scope()) {
        (Some(code), _) => IstatCode::parse(code)
            .map_err(|e| DomainError::invalid("comune_istat_code", e.message))?,
        (None, Scope::Comune(own)) => own,
        (None, _) => return Err(DomainError::invalid("comune_istat_code", "obbligatorio").into()),
    };
    actor.authorize(Operation::AnswerFor(&comune))?;
    let fields = draft.check()?;
    let txn = store::begin_write(db).await?;
    let need = store::campaigns::add_need(&txn, campaign_id, &comune, &fields).await?;
    txn.commit().await?;
    Ok(need)
}

/// Changes a line: `change` turns the stored line's draft into the new one, which is
/// checked (422) before `precondition` — the caller's `If-Match` — is asked about the
/// line as read (412); the write is conditional on that version, all in one transaction.
///
/// # Errors
/// `NotFound`; `Forbidden`; `Invalid`; `PreconditionFailed`; `Conflict` when the answer
/// can no longer change.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    change: impl FnOnce(NeedDraft) -> NeedDraft,
    precondition: impl FnOnce(&Need) -> bool,
) -> Result<Need, AppError> {
    let txn = store::begin_write(db).await?;
    store::campaigns::lock_need_for_update(&txn, id).await?;
    let current = answerable(&txn, actor, id).await?;
    let fields = change(NeedDraft::from(&current.fields)).check()?;
    if !precondition(&current) {
        return Err(StoreError::PreconditionFailed.into());
    }
    let updated = store::campaigns::replace_need(&txn, &current, &fields).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Removes a line, under the same rules as adding one.
///
/// # Errors
/// `NotFound`; `Forbidden`; `Conflict` when the answer can no longer change.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    let txn = store::begin_write(db).await?;
    let current = answerable(&txn, actor, id).await?;
    store::campaigns::delete_need(&txn, &current).await?;
    txn.commit().await?;
    Ok(())
}

/// A need line the caller may change: the admin's, or their own comune's for a referente.
async fn answerable(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<Need, AppError> {
    let need = store::campaigns::find_need(db, id).await?;
    let comune = IstatCode::parse(&need.comune)?;
    actor.authorize(Operation::AnswerFor(&comune))?;
    Ok(need)
}
