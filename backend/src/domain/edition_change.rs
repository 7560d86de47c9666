//! Who decides a published edition's seats, dates and cancellation. People have arranged
//! their work around an open edition, so its provider proposes such a change and the
//! Province approves it — unless the admin lets that provider act alone. A draft is the
//! provider's own until it is published.
use chrono::{DateTime, Utc};

use super::DomainError;
use super::course::{EditionDraft, EditionFields, EditionStatus, SessionPlan};
use super::text::text;

/// What a provider asks to change in a published edition; `None`: unchanged.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EditionChange {
    pub capacity: Option<i32>,
    pub sessions: Option<Vec<SessionPlan>>,
    pub available_from: Option<DateTime<Utc>>,
    pub available_until: Option<DateTime<Utc>>,
    /// Cancel the edition (everyone enrolled is told).
    pub cancel: bool,
}

impl EditionChange {
    /// The edition as it would be with the change.
    #[must_use]
    pub fn applied_to(&self, mut draft: EditionDraft) -> EditionDraft {
        if let Some(capacity) = self.capacity {
            draft.capacity = capacity;
        }
        if let Some(sessions) = &self.sessions {
            draft.sessions.clone_from(sessions);
        }
        if self.available_from.is_some() {
            draft.available_from = self.available_from;
        }
        if self.available_until.is_some() {
            draft.available_until = self.available_until;
        }
        if self.cancel {
            draft.status = EditionStatus::Cancelled;
        }
        draft
    }

    /// # Errors
    /// `DomainError` on `capacity` for a proposal that changes nothing.
    pub fn check_not_empty(&self) -> Result<(), DomainError> {
        if *self == Self::default() {
            Err(DomainError::invalid(
                "capacity",
                "indicare almeno un cambiamento: posti, sessioni, date di disponibilità o annullamento",
            ))
        } else {
            Ok(())
        }
    }
}

/// Whether going from `before` to `after` touches what the Province decides once an
/// edition is published: its seats, its dates, its cancellation.
#[must_use]
pub fn needs_approval(before: &EditionFields, after: &EditionFields) -> bool {
    before.status != EditionStatus::Draft
        && (before.capacity != after.capacity
            || before.sessions != after.sessions
            || before.available_from != after.available_from
            || before.available_until != after.available_until
            || (after.status == EditionStatus::Cancelled
                && before.status != EditionStatus::Cancelled))
}

/// Why a proposal is made, as the Province reads it: 1 to 2000 characters.
///
/// # Errors
/// `DomainError` on `reason`.
pub fn reason(raw: &str) -> Result<String, DomainError> {
    text("reason", raw, 1, 2000)
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalStatus {
    /// Waiting for the Province.
    Pending,
    /// Applied to the edition.
    Approved,
    Rejected,
    /// A newer proposal for the same edition took its place.
    Superseded,
}

impl ProposalStatus {
    pub const ALL: [ProposalStatus; 4] = [
        ProposalStatus::Pending,
        ProposalStatus::Approved,
        ProposalStatus::Rejected,
        ProposalStatus::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Pending => "pending",
            ProposalStatus::Approved => "approved",
            ProposalStatus::Rejected => "rejected",
            ProposalStatus::Superseded => "superseded",
        }
    }

    /// # Errors
    /// `DomainError` on `status` for an unknown name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| DomainError::invalid("status", "stato sconosciuto"))
    }
}

/// A stored proposal, with the edition it concerns as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeProposal {
    pub id: i64,
    pub edition_id: i64,
    pub edition_title: String,
    pub course_id: i64,
    pub course_title: String,
    pub provider_id: i64,
    pub provider_name: String,
    /// Who proposed it (`None` once that account is gone).
    pub proposed_by: Option<String>,
    pub reason: String,
    pub change: EditionChange,
    pub status: ProposalStatus,
    pub decided_by: Option<String>,
    pub decision_note: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The edition's status, seats and sessions now.
    pub edition_status: EditionStatus,
    pub edition_capacity: i32,
    pub edition_sessions: Vec<SessionPlan>,
}

/// Which proposals to list.
#[derive(Debug, Clone, Default)]
pub struct ProposalFilter {
    pub status: Option<ProposalStatus>,
    pub edition_id: Option<i64>,
    /// Only proposals about this provider's editions.
    pub provider_id: Option<i64>,
    pub limit: u64,
    pub offset: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_proposal_is_refused_and_a_cancellation_is_a_change() {
        assert!(EditionChange::default().check_not_empty().is_err());
        let cancel = EditionChange {
            cancel: true,
            ..EditionChange::default()
        };
        assert!(cancel.check_not_empty().is_ok());
    }

    #[test]
    fn every_status_reads_back_from_its_name() {
        for status in ProposalStatus::ALL {
            assert_eq!(ProposalStatus::parse(status.as_str()).unwrap(), status);
        }
        assert!(ProposalStatus::parse("maybe").is_err());
    }
}
