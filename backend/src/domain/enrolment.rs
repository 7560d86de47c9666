//! Enrolments: who gets a seat, in what order, and when attendance completes a course.
//! Pure rules; the store applies them inside one transaction per edition.
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::DomainError;
use super::ids::{EditionId, EmployeeId};

/// Where an enrolment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnrolmentStatus {
    /// Holds a seat.
    Confirmed,
    /// Waiting for a seat, in arrival order.
    Waitlisted,
    Cancelled,
    /// Attended enough hours; holds its seat.
    Completed,
}

impl EnrolmentStatus {
    pub const ALL: [EnrolmentStatus; 4] = [
        EnrolmentStatus::Confirmed,
        EnrolmentStatus::Waitlisted,
        EnrolmentStatus::Cancelled,
        EnrolmentStatus::Completed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentStatus::Confirmed => "confirmed",
            EnrolmentStatus::Waitlisted => "waitlisted",
            EnrolmentStatus::Cancelled => "cancelled",
            EnrolmentStatus::Completed => "completed",
        }
    }

    /// # Errors
    /// `DomainError` on `status` for an unknown name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                DomainError::invalid(
                    "status",
                    "valori ammessi: confirmed, waitlisted, cancelled, completed",
                )
            })
    }

    /// Whether the enrolment occupies one of the edition's seats.
    pub fn holds_seat(self) -> bool {
        matches!(
            self,
            EnrolmentStatus::Confirmed | EnrolmentStatus::Completed
        )
    }
}

/// An enrolment as seat allocation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place<'a> {
    pub id: i64,
    pub comune: &'a str,
    pub status: EnrolmentStatus,
    /// Arrival order within the edition.
    pub ticket: i64,
}

/// The edition's seats: total, and at most `quota` per comune if set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seats {
    pub capacity: i32,
    pub comune_quota: Option<i32>,
}

/// The waitlisted enrolments that get a seat now, in arrival order: first come, first
/// served, skipping only those whose comune has used its quota.
pub fn promotions(seats: Seats, places: &[Place<'_>]) -> Vec<i64> {
    let mut taken = 0i32;
    let mut by_comune: HashMap<&str, i32> = HashMap::new();
    for p in places.iter().filter(|p| p.status.holds_seat()) {
        taken += 1;
        *by_comune.entry(p.comune).or_default() += 1;
    }
    let mut waiting: Vec<&Place<'_>> = places
        .iter()
        .filter(|p| p.status == EnrolmentStatus::Waitlisted)
        .collect();
    waiting.sort_by_key(|p| p.ticket);
    let mut promoted = Vec::new();
    for p in waiting {
        if taken >= seats.capacity {
            break;
        }
        let of_comune = by_comune.entry(p.comune).or_default();
        if seats.comune_quota.is_some_and(|q| *of_comune >= q) {
            continue;
        }
        *of_comune += 1;
        taken += 1;
        promoted.push(p.id);
    }
    promoted
}

/// 1-based position of each waitlisted enrolment, by arrival.
pub fn waitlist_positions(places: &[Place<'_>]) -> HashMap<i64, u32> {
    let mut waiting: Vec<&Place<'_>> = places
        .iter()
        .filter(|p| p.status == EnrolmentStatus::Waitlisted)
        .collect();
    waiting.sort_by_key(|p| p.ticket);
    waiting.iter().zip(1u32..).map(|(p, n)| (p.id, n)).collect()
}

/// Minutes of attendance a course asks for: its duration times the minimum share.
pub fn required_minutes(course_minutes: i32, min_attendance_percent: i32) -> i32 {
    // Rounded up: 75 % of 7 h 30 is 5 h 37.5 → 338 minutes.
    let share = i64::from(course_minutes.max(0)) * i64::from(min_attendance_percent.clamp(0, 100));
    ((share + 99) / 100).try_into().unwrap_or(i32::MAX)
}

/// What attendance makes of a seat: `Completed` once the hours reach the threshold,
/// `Confirmed` otherwise (attendance can be corrected downwards).
pub fn after_attendance(
    status: EnrolmentStatus,
    attended_minutes: i32,
    required: i32,
) -> EnrolmentStatus {
    match status {
        EnrolmentStatus::Confirmed | EnrolmentStatus::Completed => {
            if attended_minutes >= required && attended_minutes > 0 {
                EnrolmentStatus::Completed
            } else {
                EnrolmentStatus::Confirmed
            }
        }
        other => other,
    }
}

/// Hours as people read them, e.g. `7,5`.
pub fn hours_label(minutes: i32) -> String {
    let hours = f64::from(minutes) / 60.0;
    let text = format!("{hours:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.replace('.', ",")
}

/// A certificate number: Province, year, a serial that is the enrolment id, and ten hex
/// digits drawn at random (40 bits). The serial keeps numbers readable and sortable; the
/// random part makes them impossible to guess from one another, so the public check
/// answers only to whoever holds the paper.
pub fn certificate_number(province: &str, year: i32, enrolment_id: i64, check: [u8; 5]) -> String {
    format!(
        "{}-{year}-{enrolment_id:06}-{}",
        province.to_uppercase(),
        hex::encode_upper(check)
    )
}

/// A stored enrolment.
#[derive(Debug, Clone, PartialEq)]
pub struct Enrolment {
    pub id: i64,
    pub edition_id: EditionId,
    pub employee_id: EmployeeId,
    pub comune: String,
    pub status: EnrolmentStatus,
    pub ticket: i64,
    pub attended_minutes: i32,
    pub async_minutes: i32,
    pub completed_at: Option<DateTime<Utc>>,
    pub certificate_number: Option<String>,
    pub feedback_given: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Enrolment {
    /// Hours credited: attended sessions plus asynchronous completion.
    pub fn credited_minutes(&self) -> i32 {
        self.attended_minutes.saturating_add(self.async_minutes)
    }
}

/// One step of an enrolment's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub status: EnrolmentStatus,
    /// `None`: the system (a promotion caused by someone else's cancellation).
    pub actor_user_id: Option<i64>,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// Filters of a listing; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct EnrolmentFilter {
    pub edition_id: Option<EditionId>,
    pub employee_id: Option<EmployeeId>,
    pub comune: Option<String>,
    /// Only enrolments in the editions of this provider's courses.
    pub provider_id: Option<i64>,
    pub status: Option<EnrolmentStatus>,
}

/// An enrolment as people read it: with the person's name (an em dash once erased), the
/// course and edition titles, and the place in the queue while waitlisted.
#[derive(Debug, Clone, PartialEq)]
pub struct EnrolmentView {
    pub enrolment: Enrolment,
    pub employee_name: String,
    pub course_title: String,
    pub edition_title: String,
    pub waitlist_position: Option<u32>,
    /// Whether the person answered the questionnaire; `None` to the provider being
    /// evaluated, who must not be able to tie answers to people.
    pub feedback_given: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use EnrolmentStatus::*;

    fn place(id: i64, comune: &str, status: EnrolmentStatus) -> Place<'_> {
        Place {
            id,
            comune,
            status,
            ticket: id,
        }
    }

    #[test]
    fn seats_go_to_the_waitlist_in_arrival_order() {
        let places = [
            place(1, "A", Confirmed),
            place(2, "B", Cancelled),
            place(4, "B", Waitlisted),
            place(3, "C", Waitlisted),
        ];
        let seats = Seats {
            capacity: 2,
            comune_quota: None,
        };
        assert_eq!(promotions(seats, &places), vec![3]);
        assert_eq!(waitlist_positions(&places), HashMap::from([(3, 1), (4, 2)]));
    }

    #[test]
    fn a_comune_at_its_quota_is_skipped_not_blocking_the_others() {
        let places = [
            place(1, "A", Confirmed),
            place(2, "A", Waitlisted),
            place(3, "B", Waitlisted),
            place(4, "A", Waitlisted),
        ];
        let seats = Seats {
            capacity: 3,
            comune_quota: Some(1),
        };
        assert_eq!(promotions(seats, &places), vec![3]);
    }

    #[test]
    fn nobody_is_promoted_into_a_full_edition() {
        let places = [place(1, "A", Completed), place(2, "A", Waitlisted)];
        let seats = Seats {
            capacity: 1,
            comune_quota: None,
        };
        assert!(promotions(seats, &places).is_empty());
    }

    #[test]
    fn completion_follows_the_attended_hours_both_ways() {
        let required = required_minutes(450, 75);
        assert_eq!(required, 338);
        assert_eq!(after_attendance(Confirmed, 338, required), Completed);
        assert_eq!(after_attendance(Completed, 300, required), Confirmed);
        assert_eq!(after_attendance(Waitlisted, 999, required), Waitlisted);
        assert_eq!(after_attendance(Confirmed, 0, 0), Confirmed);
    }

    #[test]
    fn labels_and_numbers_read_naturally() {
        assert_eq!(hours_label(450), "7,5");
        assert_eq!(hours_label(480), "8");
        assert_eq!(
            certificate_number("im", 2027, 42, [0x0a, 0x1b, 0x2c, 0x3d, 0x4e]),
            "IM-2027-000042-0A1B2C3D4E"
        );
    }
}
