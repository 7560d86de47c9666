//! Checks a plan's editions against every rule: the same checks serve `recost` and the
//! tests.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{self, DayStatus};
use crate::context::Ctx;
use crate::model::{Modality, PlannedEdition, UnservedNeed};
use crate::schedule;

/// Kind of rule an edited plan breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationKind {
    /// The input or the stored parameters are invalid (see the message).
    InvalidInput,
    UnknownEdition,
    UnknownVenue,
    UnknownComune,
    UnknownTheme,
    UnknownNeedLine,
    /// An edition key is used twice.
    DuplicateEdition,
    /// More people than the edition's maximum, the room's seats or the webinar maximum.
    CapacityExceeded,
    /// Fewer people than the activation threshold.
    BelowActivation,
    /// The modality is not lawful or not enabled for the theme (or an in-person edition
    /// has no venue, a webinar has one).
    ModalityNotLawful,
    /// People moved to an edition of another theme, or from a comune not in the edition.
    ThemeMismatch,
    /// More headcount than available (in a move, or over a need line's headcount).
    HeadcountExceeded,
    /// The edition has not the right number of session days, or they are not consecutive
    /// working days.
    WrongDates,
    DateOutsideWindow,
    DateWeekend,
    DateHoliday,
    DateClosedPeriod,
    RoomDoubleBooked,
    WeeklyCapacityExceeded,
    EmployeeDoubleBooked,
}

/// One broken rule, naming the edition (if any) and the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub kind: ViolationKind,
    /// Key of the offending edition, when there is one.
    pub edition_key: Option<String>,
    /// Offending field, e.g. `"size"`, `"dates[1]"`, `"venue_id"`, `"edits[2].to_edition"`.
    pub field: String,
    pub message: String,
}

impl Violation {
    pub(crate) fn new(
        kind: ViolationKind,
        edition_key: Option<&str>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            edition_key: edition_key.map(str::to_string),
            field: field.into(),
            message: message.into(),
        }
    }
}

pub(crate) fn date_kind(s: DayStatus) -> ViolationKind {
    match s {
        DayStatus::OutsideWindow => ViolationKind::DateOutsideWindow,
        DayStatus::Weekend => ViolationKind::DateWeekend,
        DayStatus::Holiday => ViolationKind::DateHoliday,
        DayStatus::ClosedPeriod => ViolationKind::DateClosedPeriod,
        DayStatus::Available => ViolationKind::WrongDates,
    }
}

/// Every rule broken by `editions` (+ `unserved`, for line totals).
pub(crate) fn check_plan(
    ctx: &Ctx,
    editions: &[PlannedEdition],
    unserved: &[UnservedNeed],
    bookings: &[(i64, NaiveDate)],
) -> Vec<Violation> {
    let mut v = Vec::new();
    let mut keys = BTreeSet::new();
    let mut line_total: BTreeMap<i64, u64> = BTreeMap::new();
    let mut rooms: BTreeMap<(i64, NaiveDate), Vec<&str>> = BTreeMap::new();
    for b in bookings {
        rooms.entry(*b).or_default();
    }
    let booked: BTreeSet<(i64, NaiveDate)> = bookings.iter().copied().collect();
    let mut weeks: BTreeMap<(i32, u32), Vec<&str>> = BTreeMap::new();
    let mut people: BTreeMap<(i64, NaiveDate), Vec<&str>> = BTreeMap::new();
    for e in editions {
        let key = Some(e.key.as_str());
        if !keys.insert(e.key.as_str()) {
            v.push(Violation::new(
                ViolationKind::DuplicateEdition,
                key,
                "key",
                "edition key used twice",
            ));
        }
        let Some(&ti) = ctx.theme_idx.get(&e.theme_code) else {
            v.push(Violation::new(
                ViolationKind::UnknownTheme,
                key,
                "theme_code",
                format!("unknown theme {}", e.theme_code),
            ));
            continue;
        };
        let t = &ctx.themes[ti];
        let size: u32 = e.assignments.iter().map(|a| a.headcount).sum();
        if size != e.size {
            v.push(Violation::new(
                ViolationKind::HeadcountExceeded,
                key,
                "size",
                format!("size {} but assignments add up to {size}", e.size),
            ));
        }
        match e.modality {
            Modality::InPerson => {
                if !t.in_person_lawful() {
                    v.push(Violation::new(
                        ViolationKind::ModalityNotLawful,
                        key,
                        "modality",
                        "in-person editions are not enabled for the theme",
                    ));
                }
                let venue = match e.venue_id {
                    None => {
                        v.push(Violation::new(
                            ViolationKind::ModalityNotLawful,
                            key,
                            "venue_id",
                            "an in-person edition needs a venue",
                        ));
                        None
                    }
                    Some(id) => match ctx.venue_idx.get(&id) {
                        None => {
                            v.push(Violation::new(
                                ViolationKind::UnknownVenue,
                                key,
                                "venue_id",
                                format!("unknown venue {id}"),
                            ));
                            None
                        }
                        Some(vi) => Some(*vi),
                    },
                };
                let max = match venue {
                    Some(vi) => t.tp.max_participants.min(ctx.venues[vi].capacity),
                    None => t.tp.max_participants,
                };
                if size > max {
                    v.push(Violation::new(
                        ViolationKind::CapacityExceeded,
                        key,
                        "size",
                        format!("{size} people, at most {max}"),
                    ));
                }
                if size < t.tp.min_participants {
                    v.push(Violation::new(
                        ViolationKind::BelowActivation,
                        key,
                        "size",
                        format!("{size} people, at least {}", t.tp.min_participants),
                    ));
                }
            }
            Modality::Webinar => {
                if !t.webinar_lawful() {
                    v.push(Violation::new(
                        ViolationKind::ModalityNotLawful,
                        key,
                        "modality",
                        if t.info.presence_only {
                            "the theme requires presence: no webinar"
                        } else {
                            "webinars are not enabled for the theme"
                        },
                    ));
                }
                if e.venue_id.is_some() {
                    v.push(Violation::new(
                        ViolationKind::ModalityNotLawful,
                        key,
                        "venue_id",
                        "a webinar has no venue",
                    ));
                }
                if size > t.tp.webinar_max_participants {
                    v.push(Violation::new(
                        ViolationKind::CapacityExceeded,
                        key,
                        "size",
                        format!("{size} people, at most {}", t.tp.webinar_max_participants),
                    ));
                }
                if size < t.tp.webinar_min_participants {
                    v.push(Violation::new(
                        ViolationKind::BelowActivation,
                        key,
                        "size",
                        format!("{size} people, at least {}", t.tp.webinar_min_participants),
                    ));
                }
            }
        }
        for (ai, a) in e.assignments.iter().enumerate() {
            if !ctx.comune_idx.contains_key(a.comune_code.as_str()) {
                v.push(Violation::new(
                    ViolationKind::UnknownComune,
                    key,
                    format!("assignments[{ai}].comune_code"),
                    format!("unknown comune {}", a.comune_code),
                ));
            }
            let sum: u32 = a.lines.iter().map(|l| l.headcount).sum();
            if sum != a.headcount {
                v.push(Violation::new(
                    ViolationKind::HeadcountExceeded,
                    key,
                    format!("assignments[{ai}].headcount"),
                    format!("headcount {} but lines add up to {sum}", a.headcount),
                ));
            }
            for (li, l) in a.lines.iter().enumerate() {
                match ctx.need_idx.get(&l.need_line_id) {
                    None => v.push(Violation::new(
                        ViolationKind::UnknownNeedLine,
                        key,
                        format!("assignments[{ai}].lines[{li}]"),
                        format!("unknown need line {}", l.need_line_id),
                    )),
                    Some(&n) => {
                        let line = ctx.needs[n];
                        if line.theme_code != e.theme_code || line.comune_code != a.comune_code {
                            v.push(Violation::new(
                                ViolationKind::ThemeMismatch,
                                key,
                                format!("assignments[{ai}].lines[{li}]"),
                                format!(
                                    "need line {} is for {} in {}",
                                    line.id, line.theme_code, line.comune_code
                                ),
                            ));
                        }
                        if l.employee_ids.len() > l.headcount as usize
                            || l.employee_ids
                                .iter()
                                .any(|x| !line.employee_ids.contains(x))
                        {
                            v.push(Violation::new(
                                ViolationKind::HeadcountExceeded,
                                key,
                                format!("assignments[{ai}].lines[{li}].employee_ids"),
                                "employees not of the line, or more than its share",
                            ));
                        }
                        *line_total.entry(line.id).or_default() += l.headcount as u64;
                    }
                }
            }
        }
        // Dates.
        if e.dates.len() != t.days as usize {
            v.push(Violation::new(
                ViolationKind::WrongDates,
                key,
                "dates",
                format!("{} session days, the theme needs {}", e.dates.len(), t.days),
            ));
        }
        for (di, d) in e.dates.iter().enumerate() {
            let s = calendar::day_status(&ctx.params, *d);
            if s != DayStatus::Available {
                v.push(Violation::new(
                    date_kind(s),
                    key,
                    format!("dates[{di}]"),
                    format!("{d} is not an available working day ({s:?})"),
                ));
            }
        }
        if let Some(first) = e.dates.first()
            && let Ok(expected) = calendar::session_days(&ctx.params, *first, t.days)
            && e.dates
                .iter()
                .all(|d| calendar::day_status(&ctx.params, *d) == DayStatus::Available)
            && expected != e.dates
        {
            v.push(Violation::new(
                ViolationKind::WrongDates,
                key,
                "dates",
                "session days must be consecutive working days",
            ));
        }
        let mut ws: Vec<(i32, u32)> = e.dates.iter().map(|d| calendar::iso_week(*d)).collect();
        ws.sort_unstable();
        ws.dedup();
        for w in ws {
            weeks.entry(w).or_default().push(e.key.as_str());
        }
        let emps = schedule::employees(e);
        for d in &e.dates {
            if let Some(vid) = e.venue_id {
                rooms.entry((vid, *d)).or_default().push(e.key.as_str());
            }
            for p in &emps {
                people.entry((*p, *d)).or_default().push(e.key.as_str());
            }
        }
    }
    for u in unserved {
        *line_total.entry(u.need_line_id).or_default() += u.headcount as u64;
    }
    for (id, total) in &line_total {
        if let Some(&n) = ctx.need_idx.get(id)
            && *total > ctx.needs[n].headcount as u64
        {
            v.push(Violation::new(
                ViolationKind::HeadcountExceeded,
                None,
                format!("needs[{id}].headcount"),
                format!(
                    "{total} people placed or left out, the line has {}",
                    ctx.needs[n].headcount
                ),
            ));
        }
    }
    for ((vid, d), ks) in &rooms {
        let taken = ks.len() + usize::from(booked.contains(&(*vid, *d)));
        if taken > 1 {
            for k in ks {
                v.push(Violation::new(
                    ViolationKind::RoomDoubleBooked,
                    Some(k),
                    "dates",
                    format!("venue {vid} is taken on {d}"),
                ));
            }
        }
    }
    for ((y, w), ks) in &weeks {
        if ks.len() > ctx.params.editions_per_week as usize {
            for k in ks {
                v.push(Violation::new(
                    ViolationKind::WeeklyCapacityExceeded,
                    Some(k),
                    "dates",
                    format!(
                        "{} editions in week {w} of {y}, at most {}",
                        ks.len(),
                        ctx.params.editions_per_week
                    ),
                ));
            }
        }
    }
    for ((p, d), ks) in &people {
        if ks.len() > 1 {
            for k in ks {
                v.push(Violation::new(
                    ViolationKind::EmployeeDoubleBooked,
                    Some(k),
                    "assignments",
                    format!("employee {p} has {} editions on {d}", ks.len()),
                ));
            }
        }
    }
    v
}
