//! A provider proposes to change the seats, dates or status of a published edition; the
//! Province approves or rejects; both are told through the outbox.
use sea_orm::DatabaseConnection;

use super::AppError;
use super::courses::{conflict, provider_scope};
use super::editions::{checked, manageable_course, update_in};
use crate::domain::access::{Actor, Operation};
use crate::domain::course::{EditionDraft, EditionStatus};
use crate::domain::edition_change::{
    ChangeProposal, EditionChange, ProposalFilter, ProposalStatus, needs_approval, reason,
};
use crate::domain::text::optional_text;
use crate::domain::{DomainError, PageRequest, notification};
use crate::store;

/// Proposes a change to an edition. It is checked now as the edition's rules would check
/// it, so the Province decides on something that can be applied; an older pending proposal
/// for the edition is superseded. The Province's office is told.
///
/// # Errors
/// `NotFound`; `Forbidden` unless the caller manages the edition; `Invalid` for an empty
/// change, a missing reason or a change the edition's rules refuse; `Conflict` for a draft
/// (change it directly) or an edition that is over.
pub async fn propose(
    db: &DatabaseConnection,
    actor: &Actor,
    edition_id: i64,
    change: &EditionChange,
    why: &str,
    public_url: &str,
) -> Result<ChangeProposal, AppError> {
    let mut errors = Vec::new();
    let why = reason(why).map_err(|e| errors.push(e)).ok();
    if let Err(e) = change.check_not_empty() {
        errors.push(e);
    }
    let txn = store::begin_write(db).await?;
    let current = store::courses::find_edition(&txn, edition_id).await?;
    let course = manageable_course(&txn, actor, current.course_id).await?;
    store::enrolments::lock_edition(&txn, edition_id).await?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    match current.fields.status {
        EditionStatus::Draft => {
            return Err(conflict(
                "Un'edizione in bozza si modifica direttamente: la proposta serve per le \
                 edizioni pubblicate."
                    .into(),
            ));
        }
        EditionStatus::Completed | EditionStatus::Cancelled => {
            return Err(conflict(format!(
                "L'edizione è «{}»: non si modifica più.",
                current.fields.status.as_str()
            )));
        }
        EditionStatus::Open | EditionStatus::Closed => {}
    }
    let proposed = checked(
        &txn,
        &course,
        &change.applied_to(EditionDraft::from(&current.fields)),
    )
    .await?;
    let held = store::courses::held_seats(&txn, edition_id).await?;
    if !change.cancel && u64::try_from(proposed.capacity.seats()).unwrap_or(0) < held {
        return Err(DomainError::invalid(
            "capacity",
            format!("l'edizione ha {held} iscritti confermati: non si possono proporre meno posti"),
        )
        .into());
    }
    if !needs_approval(&current.fields, &proposed) {
        return Err(DomainError::invalid(
            "capacity",
            "la proposta lascia l'edizione com'è: indicare valori diversi da quelli attuali",
        )
        .into());
    }
    let id = store::edition_proposals::create(
        &txn,
        edition_id,
        actor.user_id,
        why.as_deref().unwrap_or_default(),
        change,
    )
    .await?;
    let proposal = store::edition_proposals::find(&txn, id).await?;
    let link = format!("{}/gestione/proposte", public_url.trim_end_matches('/'));
    let messages: Vec<_> = store::edition_proposals::office_recipients(&txn)
        .await?
        .iter()
        .map(|office| notification::proposal_submitted(&proposal, office, &link))
        .collect();
    store::outbox::enqueue(&txn, &messages).await?;
    txn.commit().await?;
    Ok(proposal)
}

/// A page of proposals, pending first: all for the admin, its own for a provider's staff.
///
/// # Errors
/// `Forbidden` for referenti and employees.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    mut filter: ProposalFilter,
    page: PageRequest,
) -> Result<(Vec<ChangeProposal>, u64), AppError> {
    filter.provider_id = provider_scope(actor)?;
    filter.limit = page.limit;
    filter.offset = page.offset;
    Ok(store::edition_proposals::list(db, &filter).await?)
}

/// One proposal, for the admin and the staff of the edition's provider.
///
/// # Errors
/// `NotFound`; `Forbidden`.
pub async fn read(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<ChangeProposal, AppError> {
    let proposal = store::edition_proposals::find(db, id).await?;
    actor.authorize(Operation::ManageEditionsOf(proposal.provider_id))?;
    Ok(proposal)
}

/// The Province's decision. An approval applies the change to the edition in the same
/// transaction, through the edition's own rules (a waitlist moves up when seats grow,
/// everyone enrolled is told of a cancellation); if the edition no longer allows it —
/// fewer seats than people confirmed, say — nothing is decided and the proposal stays
/// pending. The provider is told either way.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Invalid` on a note over 2000 characters;
/// `Conflict` when the proposal was already decided or superseded, or the edition's rules
/// refuse the change now.
pub async fn decide(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    approve: bool,
    note: Option<&str>,
) -> Result<ChangeProposal, AppError> {
    actor.authorize(Operation::DecideEditionChanges)?;
    let note = optional_text("note", note, 2000)?.unwrap_or_default();
    let txn = store::begin_catalogue_write(db).await?;
    let before = store::edition_proposals::find(&txn, id).await?;
    // The edition's lock first, as a new proposal takes it: the two cannot cross.
    store::enrolments::lock_edition(&txn, before.edition_id).await?;
    let status = if approve {
        ProposalStatus::Approved
    } else {
        ProposalStatus::Rejected
    };
    store::edition_proposals::decide(&txn, id, status, actor.user_id, &note).await?;
    if approve {
        update_in(
            &txn,
            actor,
            before.edition_id,
            |draft| before.change.applied_to(draft),
            |_| true,
        )
        .await?;
    }
    let decided = ChangeProposal {
        status,
        decision_note: note,
        ..before
    };
    let messages: Vec<_> = store::edition_proposals::provider_recipients(&txn, decided.provider_id)
        .await?
        .iter()
        .map(|staff| notification::proposal_decided(&decided, staff))
        .collect();
    store::outbox::enqueue(&txn, &messages).await?;
    txn.commit().await?;
    Ok(store::edition_proposals::find(db, id).await?)
}
