//! Fixtures and the invariant checker shared by the planner's integration tests.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use planner::*;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn comune(code: &str, lat: f64, lon: f64) -> ComunePoint {
    ComunePoint {
        code: code.to_string(),
        name: format!("Comune {code}"),
        lat,
        lon,
    }
}

pub fn venue(id: i64, c: &ComunePoint, capacity: u32) -> VenueOption {
    VenueOption {
        id,
        name: format!("Sala {id}"),
        comune_code: c.code.clone(),
        lat: c.lat,
        lon: c.lon,
        capacity,
    }
}

pub fn theme(code: &str, presence_only: bool, mandatory: bool) -> ThemeInfo {
    ThemeInfo {
        code: code.to_string(),
        name: code.to_string(),
        presence_only,
        mandatory,
    }
}

#[allow(clippy::too_many_arguments)]
pub fn need(
    id: i64,
    comune: &str,
    theme: &str,
    headcount: u32,
    priority: Priority,
    employees: &[i64],
) -> NeedLine {
    NeedLine {
        id,
        comune_code: comune.to_string(),
        theme_code: theme.to_string(),
        office_area: "affari_generali".to_string(),
        headcount,
        priority,
        preferred_modality: PreferredModality::Any,
        employee_ids: employees.to_vec(),
    }
}

/// A small fixed Province: comuni A (venue 1, 30 seats), B, C, D within a few km; themes
/// `sic` (presence-only, mandatory, 8 h) and `priv` (webinar allowed, 8 h). Planning year
/// 2027, editions_per_week 2.
pub fn fixture() -> PlanInput {
    let a = comune("A", 43.90, 8.00);
    let b = comune("B", 43.92, 8.02);
    let c = comune("C", 43.88, 7.98);
    let dd = comune("D", 43.93, 7.97);
    let themes = vec![theme("sic", true, true), theme("priv", false, false)];
    let mut parameters = PlanParameters::defaults(2026, &themes);
    parameters.editions_per_week = 2;
    for t in &mut parameters.themes {
        t.hours = 8.0;
        t.edition_cost_eur = 1200.0;
        t.webinar_cost_eur = 600.0;
    }
    PlanInput {
        venues: vec![venue(1, &a, 30)],
        comuni: vec![a, b, c, dd],
        needs: vec![
            need(1, "A", "sic", 20, Priority::Alta, &[100, 101]),
            need(2, "B", "sic", 15, Priority::Media, &[200]),
            need(3, "C", "sic", 10, Priority::Bassa, &[]),
            need(4, "A", "priv", 6, Priority::Alta, &[100]),
            need(5, "B", "priv", 5, Priority::Media, &[]),
            need(6, "D", "priv", 4, Priority::Bassa, &[]),
            need(7, "D", "sic", 3, Priority::Bassa, &[]),
        ],
        themes,
        parameters,
        existing_bookings: vec![],
    }
}

/// Checks every rule a plan must satisfy; panics with a message on the first failure.
/// `optimised`: the plan comes from `plan` (bound ≤ cost), not from an officer's edit.
pub fn check_invariants(input: &PlanInput, plan: &Plan, optimised: bool) {
    let p = &plan.parameters;
    let themes: BTreeMap<&str, &ThemeInfo> =
        input.themes.iter().map(|t| (t.code.as_str(), t)).collect();
    let lines: BTreeMap<i64, &NeedLine> = input.needs.iter().map(|n| (n.id, n)).collect();
    let venues: BTreeMap<i64, &VenueOption> = input.venues.iter().map(|v| (v.id, v)).collect();
    let mut placed: BTreeMap<i64, u32> = BTreeMap::new();
    let mut names: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut room_days: BTreeSet<(i64, NaiveDate)> = input
        .existing_bookings
        .iter()
        .map(|b| (b.venue_id, b.date))
        .collect();
    let mut weeks: BTreeMap<(i32, u32), u32> = BTreeMap::new();
    let mut person_days: BTreeSet<(i64, NaiveDate)> = BTreeSet::new();
    let mut total = CostBreakdown::default();
    let mut served_people = 0u64;
    let mut keys = BTreeSet::new();
    for e in &plan.editions {
        assert!(keys.insert(e.key.clone()), "duplicate key {}", e.key);
        let tp = p.theme(&e.theme_code).expect("theme parameters");
        let info = themes[e.theme_code.as_str()];
        let size: u32 = e.assignments.iter().map(|a| a.headcount).sum();
        assert_eq!(size, e.size, "{}: size", e.key);
        served_people += size as u64;
        match e.modality {
            Modality::InPerson => {
                assert!(tp.in_person_allowed, "{}: in person not allowed", e.key);
                let v = venues[&e.venue_id.expect("venue")];
                let cap = tp.max_participants.min(v.capacity);
                assert!(
                    size >= tp.min_participants && size <= cap,
                    "{}: size {size} not in [{}, {cap}]",
                    e.key,
                    tp.min_participants
                );
            }
            Modality::Webinar => {
                assert!(
                    !info.presence_only && tp.webinar_allowed,
                    "{}: webinar not lawful",
                    e.key
                );
                assert!(e.venue_id.is_none());
                assert!(
                    size >= tp.webinar_min_participants && size <= tp.webinar_max_participants,
                    "{}: webinar size {size}",
                    e.key
                );
            }
        }
        // Dates.
        let days = p.days_for(tp.hours) as usize;
        assert_eq!(e.dates.len(), days, "{}: {} dates", e.key, e.dates.len());
        let mut ws = BTreeSet::new();
        for dt in &e.dates {
            assert_eq!(day_status(p, *dt), DayStatus::Available, "{}: {dt}", e.key);
            assert!(!is_holiday(*dt));
            assert!(dt.weekday().number_from_monday() <= 5);
            let w = dt.iso_week();
            ws.insert((w.year(), w.week()));
            if let Some(v) = e.venue_id {
                assert!(
                    room_days.insert((v, *dt)),
                    "{}: room {v} double-booked on {dt}",
                    e.key
                );
            }
        }
        for w in ws {
            *weeks.entry(w).or_default() += 1;
        }
        // Lines and people.
        let mut emps = BTreeSet::new();
        for a in &e.assignments {
            let s: u32 = a.lines.iter().map(|l| l.headcount).sum();
            assert_eq!(s, a.headcount, "{}: assignment headcount", e.key);
            for l in &a.lines {
                let line = lines[&l.need_line_id];
                assert_eq!(line.comune_code, a.comune_code);
                assert_eq!(line.theme_code, e.theme_code);
                assert!(l.employee_ids.len() <= l.headcount as usize);
                *placed.entry(line.id).or_default() += l.headcount;
                names.entry(line.id).or_default().extend(&l.employee_ids);
                emps.extend(l.employee_ids.iter().copied());
            }
        }
        for emp in emps {
            for dt in &e.dates {
                assert!(
                    person_days.insert((emp, *dt)),
                    "employee {emp} twice on {dt}"
                );
            }
        }
        total.editions_cents += e.cost.editions_cents;
        total.participants_cents += e.cost.participants_cents;
        total.travel_cents += e.cost.travel_cents;
        total.time_value_cents += e.cost.time_value_cents;
        total.webinars_cents += e.cost.webinars_cents;
        total.total_cents += e.cost.total_cents;
        assert_eq!(
            e.cost.total_cents,
            e.cost.editions_cents
                + e.cost.participants_cents
                + e.cost.travel_cents
                + e.cost.time_value_cents
                + e.cost.webinars_cents
        );
        assert!(!e.reason.is_empty());
    }
    for (w, n) in &weeks {
        assert!(*n <= p.editions_per_week, "week {w:?} has {n} editions");
    }
    for u in &plan.unserved {
        *placed.entry(u.need_line_id).or_default() += u.headcount;
        names
            .entry(u.need_line_id)
            .or_default()
            .extend(&u.employee_ids);
    }
    // Every person traceable; every line fully accounted for, never more.
    for n in input.needs.iter().filter(|n| n.headcount > 0) {
        assert_eq!(
            placed.get(&n.id).copied().unwrap_or(0),
            n.headcount,
            "line {}",
            n.id
        );
        let mut got = names.get(&n.id).cloned().unwrap_or_default();
        got.sort_unstable();
        let mut want = n.employee_ids.clone();
        want.sort_unstable();
        assert_eq!(got, want, "named employees of line {}", n.id);
    }
    // Figures = sums over the editions.
    let f = &plan.figures;
    assert_eq!(f.cost, total);
    assert_eq!(f.coverage.people_served, served_people);
    assert_eq!(
        f.coverage.people_requested,
        input.needs.iter().map(|n| n.headcount as u64).sum::<u64>()
    );
    assert_eq!(
        f.editions_in_person + f.editions_webinar,
        plan.editions.len() as u32
    );
    let theme_cost: i64 = f.per_theme.iter().map(|t| t.cost.total_cents).sum();
    assert_eq!(theme_cost, f.cost.total_cents);
    let theme_bound: i64 = f.per_theme.iter().map(|t| t.lower_bound_cents).sum();
    assert_eq!(theme_bound, f.lower_bound_cents);
    let comune_served: u64 = f.per_comune.iter().map(|c| c.coverage.people_served).sum();
    assert_eq!(comune_served, served_people);
    assert_eq!(f.saving_cents, f.standalone_cents - f.cost.total_cents);
    // Bound ≤ cost, per theme and overall.
    if !optimised {
        return;
    }
    for t in &f.per_theme {
        assert!(
            t.lower_bound_cents <= t.cost.total_cents,
            "{}: bound above cost",
            t.theme_code
        );
        assert!(t.lower_bound_cents >= 0);
        assert!((0.0..=1.0).contains(&t.gap));
    }
    assert!(f.lower_bound_cents <= f.cost.total_cents);
}
