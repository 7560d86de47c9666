//! Annual plans: the life of a plan and the rules that are the Province's, not the
//! optimiser's. The optimisation itself is the `planner` crate (pure, no I/O).
use chrono::{DateTime, Utc};

use super::DomainError;

/// A plan's place in its life: computed and edited as a draft, approved by the officer,
/// published into the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStatus {
    Draft,
    Approved,
    Published,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 3] = [
        PlanStatus::Draft,
        PlanStatus::Approved,
        PlanStatus::Published,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Approved => "approved",
            PlanStatus::Published => "published",
        }
    }

    /// # Errors
    /// `DomainError` on `status` for an unknown name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                DomainError::invalid("status", "valori ammessi: draft, approved, published")
            })
    }

    /// draft → approved → published; an approved plan may go back to draft to be edited.
    /// Published is final: the catalogue holds its editions.
    pub fn can_become(self, next: PlanStatus) -> bool {
        use PlanStatus::*;
        self == next
            || matches!(
                (self, next),
                (Draft, Approved) | (Approved, Draft | Published)
            )
    }

    /// Only a draft can be edited.
    pub fn editable(self) -> bool {
        self == PlanStatus::Draft
    }
}

/// The headline of a stored plan, as lists show it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSummary {
    pub id: i64,
    pub campaign_id: i64,
    pub name: String,
    pub status: PlanStatus,
    pub total_cents: i64,
    pub lower_bound_cents: i64,
    pub standalone_cents: i64,
    pub people_requested: i64,
    pub people_served: i64,
    pub editions: i32,
    pub created_at: DateTime<Utc>,
    /// The version stamp.
    pub updated_at: DateTime<Utc>,
    pub approved_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
}

/// A stored plan: its headline, what it was computed from and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlan {
    pub summary: PlanSummary,
    pub input: planner::PlanInput,
    pub plan: planner::Plan,
}

/// The headline figures of a plan, kept in columns so that lists need not read the plan.
pub fn headline(plan: &planner::Plan) -> (i64, i64, i64, i64, i64, i32) {
    let f = &plan.figures;
    (
        f.cost.total_cents,
        f.lower_bound_cents,
        f.standalone_cents,
        i64::try_from(f.coverage.people_requested).unwrap_or(i64::MAX),
        i64::try_from(f.coverage.people_served).unwrap_or(i64::MAX),
        i32::try_from(plan.editions.len()).unwrap_or(i32::MAX),
    )
}

/// The Italian explanation of a broken plan rule, for the officer.
pub fn violation_text(kind: planner::ViolationKind) -> &'static str {
    use planner::ViolationKind::*;
    match kind {
        InvalidInput => "dati o parametri del piano non validi",
        UnknownEdition => "edizione inesistente in questo piano",
        UnknownVenue => "sede inesistente",
        UnknownComune => "comune inesistente in questa Provincia",
        UnknownTheme => "tema inesistente",
        UnknownNeedLine => "riga di fabbisogno inesistente",
        DuplicateEdition => "edizione ripetuta",
        CapacityExceeded => "più persone dei posti dell'edizione o della sala",
        BelowActivation => "meno persone della soglia di attivazione",
        ModalityNotLawful => "modalità non ammessa per questo tema",
        ThemeMismatch => "le persone vanno spostate tra edizioni dello stesso tema e comune",
        HeadcountExceeded => "più persone di quante ce ne siano",
        WrongDates => "giornate non consecutive o in numero sbagliato",
        DateOutsideWindow => "data fuori dal periodo del piano",
        DateWeekend => "data in un fine settimana",
        DateHoliday => "data in un giorno festivo",
        DateClosedPeriod => "data in un periodo di chiusura",
        RoomDoubleBooked => "sala già occupata quel giorno",
        WeeklyCapacityExceeded => "troppe edizioni nella stessa settimana per l'ufficio",
        EmployeeDoubleBooked => "un dipendente nominato avrebbe due edizioni lo stesso giorno",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_plan_is_final_and_only_drafts_are_edited() {
        use PlanStatus::*;
        assert!(Draft.can_become(Approved));
        assert!(Approved.can_become(Published));
        assert!(Approved.can_become(Draft));
        assert!(!Draft.can_become(Published));
        assert!(!Published.can_become(Draft));
        assert!(Draft.editable() && !Approved.editable() && !Published.editable());
    }
}
