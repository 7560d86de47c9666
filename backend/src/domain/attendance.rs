//! Attendance: the sessions of an edition, the register of each, and the rules that turn
//! what a provider records (by hand or from a webinar tool's report) into minutes.
use chrono::{DateTime, Utc};

use super::DomainError;
use super::attendance_import::AttendanceReport;
use super::ids::EditionId;

/// A session of an edition, as the register sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub edition_id: EditionId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue_id: Option<i64>,
}

impl Session {
    /// The session's length: the most a person can be credited for it.
    pub fn minutes(&self) -> i32 {
        i32::try_from((self.ends_at - self.starts_at).num_minutes().max(0)).unwrap_or(i32::MAX)
    }
}

/// One line of a register: a person holding a seat, and what was recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterLine {
    pub enrolment_id: i64,
    pub employee_name: String,
    pub comune: String,
    pub email: Option<String>,
    pub present: Option<bool>,
    pub minutes: Option<i32>,
}

/// One person's attendance at a session, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub enrolment_id: i64,
    pub present: bool,
    pub minutes: i32,
}

/// One person's attendance as a provider writes it: present or not, and the hours (when
/// present and left out, the whole session).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarkDraft {
    pub enrolment_id: i64,
    pub present: bool,
    pub hours: Option<f64>,
}

/// The marks to record at `session`, or every one that breaks a rule: no more hours than
/// the session lasts, each enrolment once.
///
/// # Errors
/// `records/{i}/hours` and `records/{i}/enrolment_id`, every one at fault.
pub fn marks(drafts: &[MarkDraft], session: &Session) -> Result<Vec<Mark>, Vec<DomainError>> {
    let length = session.minutes();
    let mut errors = Vec::new();
    let mut marks: Vec<Mark> = Vec::with_capacity(drafts.len());
    for (i, r) in drafts.iter().enumerate() {
        let minutes = match (r.present, r.hours) {
            (false, _) => 0,
            (true, None) => length,
            (true, Some(h)) => (h * 60.0).round() as i32,
        };
        if minutes > length {
            errors.push(DomainError::invalid(
                &format!("records/{i}/hours"),
                format!(
                    "al massimo la durata della sessione ({} ore)",
                    f64::from(length) / 60.0
                ),
            ));
        }
        if marks.iter().any(|m| m.enrolment_id == r.enrolment_id) {
            errors.push(DomainError::invalid(
                &format!("records/{i}/enrolment_id"),
                "iscrizione ripetuta",
            ));
        }
        marks.push(Mark {
            enrolment_id: r.enrolment_id,
            present: r.present,
            minutes,
        });
    }
    if errors.is_empty() {
        Ok(marks)
    } else {
        Err(errors)
    }
}

/// A person a webinar report found in the register.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedPresence {
    pub enrolment_id: i64,
    pub employee_name: String,
    /// Credited: the report's total, at most the session's length.
    pub minutes: i32,
}

/// A line of a report that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    pub line: u64,
    pub detail: String,
}

/// What a webinar report gives for a session: the marks to record, the people found and
/// the lines skipped (by line, naming nobody).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportOutcome {
    pub marks: Vec<Mark>,
    pub present: Vec<ImportedPresence>,
    pub skipped: Vec<SkippedLine>,
}

/// Matches a report's people to the register by e-mail (case-insensitive), crediting each
/// at most the session's length; people not in the register are skipped.
pub fn match_report(
    report: &AttendanceReport,
    register: &[RegisterLine],
    session: &Session,
) -> ImportOutcome {
    let length = session.minutes();
    let mut outcome = ImportOutcome::default();
    for (email, minutes) in &report.minutes {
        let line = report.first_line.get(email).copied().unwrap_or(1);
        let entry = register.iter().find(|l| {
            l.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        });
        let Some(entry) = entry else {
            outcome.skipped.push(SkippedLine {
                line,
                detail: "nessun iscritto confermato con questo indirizzo e-mail".into(),
            });
            continue;
        };
        let credited = (*minutes).min(length);
        outcome.marks.push(Mark {
            enrolment_id: entry.enrolment_id,
            present: credited > 0,
            minutes: credited,
        });
        outcome.present.push(ImportedPresence {
            enrolment_id: entry.enrolment_id,
            employee_name: entry.employee_name.clone(),
            minutes: credited,
        });
    }
    outcome.skipped.sort_by_key(|s| s.line);
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn three_hours() -> Session {
        Session {
            id: 1,
            edition_id: EditionId(7),
            starts_at: Utc.with_ymd_and_hms(2027, 3, 15, 9, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2027, 3, 15, 12, 0, 0).unwrap(),
            venue_id: None,
        }
    }

    #[test]
    fn marks_credit_the_session_unless_told_otherwise_and_refuse_repeats_and_overruns() {
        let mark = |enrolment_id, present, hours| MarkDraft {
            enrolment_id,
            present,
            hours,
        };
        let marks = marks(
            &[
                mark(1, true, None),
                mark(2, true, Some(1.5)),
                mark(3, false, Some(2.0)),
            ],
            &three_hours(),
        )
        .unwrap();
        let minutes: Vec<i32> = marks.iter().map(|m| m.minutes).collect();
        assert_eq!(minutes, [180, 90, 0]);
        let errors: Vec<String> = super::marks(
            &[mark(1, true, Some(4.0)), mark(1, true, None)],
            &three_hours(),
        )
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
        assert_eq!(errors, ["records/0/hours", "records/1/enrolment_id"]);
    }
}
