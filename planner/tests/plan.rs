//! Behaviour of `plan` and `recost` on small fixed instances.

mod common;

use common::*;
use planner::*;

fn key_of(plan: &Plan, theme: &str, modality: Modality) -> Vec<String> {
    plan.editions
        .iter()
        .filter(|e| e.theme_code == theme && e.modality == modality)
        .map(|e| e.key.clone())
        .collect()
}

fn kinds(r: Result<Plan, Vec<Violation>>) -> Vec<ViolationKind> {
    match r {
        Ok(_) => panic!("expected violations"),
        Err(v) => {
            assert!(v.iter().all(|x| !x.field.is_empty()));
            v.into_iter().map(|x| x.kind).collect()
        }
    }
}

#[test]
fn fixture_plan_is_valid_and_explained() {
    let input = fixture();
    let plan = plan(&input).unwrap();
    check_invariants(&input, &plan, true);
    // 48 people of `sic` need two in-person editions at the only venue (max 25).
    assert_eq!(key_of(&plan, "sic", Modality::InPerson).len(), 2);
    // `priv`: 15 people from three comuni, cheapest as one webinar.
    assert_eq!(key_of(&plan, "priv", Modality::Webinar).len(), 1);
    assert!(plan.unserved.is_empty());
    let sic = plan
        .editions
        .iter()
        .find(|e| e.theme_code == "sic")
        .unwrap();
    assert!(sic.reason.starts_with("Comune A: "), "{}", sic.reason);
    let web = plan
        .editions
        .iter()
        .find(|e| e.theme_code == "priv")
        .unwrap();
    assert!(
        web.reason.starts_with("Webinar: 15 persone da 3 comuni"),
        "{}",
        web.reason
    );
    // Named employees go with their line.
    let with_100: Vec<_> = plan
        .editions
        .iter()
        .filter(|e| {
            e.assignments
                .iter()
                .any(|a| a.lines.iter().any(|l| l.employee_ids.contains(&100)))
        })
        .collect();
    assert_eq!(with_100.len(), 2);
    assert!(
        with_100[0]
            .dates
            .iter()
            .all(|d| !with_100[1].dates.contains(d))
    );
    // Mandatory theme first in the calendar: the first working day of 2027 is Mon 4 January.
    let first = plan
        .editions
        .iter()
        .flat_map(|e| e.dates.iter())
        .min()
        .unwrap();
    assert_eq!(*first, d(2027, 1, 4));
    assert!(plan.figures.gap >= 0.0 && plan.figures.gap < 0.01);
}

#[test]
fn planning_is_deterministic_and_order_independent() {
    let input = fixture();
    let a = serde_json::to_string(&plan(&input).unwrap()).unwrap();
    let b = serde_json::to_string(&plan(&input).unwrap()).unwrap();
    assert_eq!(a, b);
    let mut shuffled = input.clone();
    shuffled.needs.reverse();
    shuffled.comuni.reverse();
    shuffled.themes.reverse();
    let c = serde_json::to_string(&plan(&shuffled).unwrap()).unwrap();
    assert_eq!(a, c);
}

#[test]
fn below_threshold_no_venue_and_no_lawful_modality() {
    let mut input = fixture();
    // A far comune for a presence-only theme, and a theme with nothing enabled.
    input.comuni.push(comune("Z", 45.5, 9.2));
    input.themes.push(theme("off", false, false));
    input.parameters.themes.push(ThemeParameters {
        in_person_allowed: false,
        webinar_allowed: false,
        ..ThemeParameters::default_for("off", false, false)
    });
    input
        .needs
        .push(need(20, "Z", "sic", 9, Priority::Alta, &[]));
    input
        .needs
        .push(need(21, "A", "off", 9, Priority::Alta, &[]));
    // Only 3 people for a new theme: below the activation threshold.
    input.themes.push(theme("tiny", true, false));
    input
        .needs
        .push(need(22, "B", "tiny", 3, Priority::Alta, &[]));
    let plan = plan(&input).unwrap();
    check_invariants(&input, &plan, true);
    let reason = |id: i64| {
        plan.unserved
            .iter()
            .find(|u| u.need_line_id == id)
            .map(|u| u.reason)
    };
    assert_eq!(reason(20), Some(UnservedReason::NoVenue));
    assert_eq!(reason(21), Some(UnservedReason::NoLawfulModality));
    assert_eq!(reason(22), Some(UnservedReason::BelowThreshold));
}

#[test]
fn webinar_beyond_km_sends_far_people_to_webinars() {
    let mut input = fixture();
    // 12 people 60 km away (straight line): beyond 40 km of road from the venue.
    input.comuni.push(comune("F", 44.40, 8.10));
    input
        .needs
        .push(need(30, "F", "priv", 12, Priority::Alta, &[]));
    // Make the webinar expensive, so that only the distance rule keeps F out of the room.
    for t in &mut input.parameters.themes {
        if t.theme_code == "priv" {
            t.webinar_cost_eur = 5000.0;
        }
    }
    input
        .needs
        .push(need(31, "A", "priv", 20, Priority::Alta, &[]));
    let plan = plan(&input).unwrap();
    check_invariants(&input, &plan, true);
    for e in &plan.editions {
        if e.modality == Modality::InPerson {
            assert!(e.assignments.iter().all(|a| a.comune_code != "F"));
        }
    }
    let web = plan
        .editions
        .iter()
        .find(|e| {
            e.modality == Modality::Webinar && e.assignments.iter().any(|a| a.comune_code == "F")
        })
        .expect("F in a webinar");
    assert!(web.reason.contains("oltre 40 km"), "{}", web.reason);
}

#[test]
fn calendar_full_is_reported_and_bound_refers_to_served_demand() {
    let mut input = fixture();
    // Two weeks of January only, one edition a week: not everything fits.
    input.parameters.window_end = d(2027, 1, 15);
    input.parameters.editions_per_week = 1;
    let plan = plan(&input).unwrap();
    check_invariants(&input, &plan, true);
    assert!(plan.editions.len() <= 2);
    assert!(
        plan.unserved
            .iter()
            .any(|u| u.reason == UnservedReason::CalendarFull)
    );
    for t in &plan.figures.per_theme {
        assert!(t.lower_bound_cents <= t.cost.total_cents);
    }
}

#[test]
fn existing_bookings_are_respected() {
    let mut input = fixture();
    for day in 4..=8 {
        input.existing_bookings.push(Booking {
            venue_id: 1,
            date: d(2027, 1, day),
        });
    }
    let plan = plan(&input).unwrap();
    check_invariants(&input, &plan, true);
    for e in plan.editions.iter().filter(|e| e.venue_id == Some(1)) {
        assert!(e.dates.iter().all(|x| *x > d(2027, 1, 8)), "{:?}", e.dates);
    }
}

#[test]
fn budget_cap_drops_lowest_priority_first() {
    let mut input = fixture();
    input.themes.retain(|t| t.code == "sic");
    input.parameters.themes.retain(|t| t.theme_code == "sic");
    input.needs = vec![
        need(1, "A", "sic", 20, Priority::Alta, &[]),
        need(2, "B", "sic", 4, Priority::Media, &[]),
        need(3, "C", "sic", 10, Priority::Bassa, &[]),
        need(4, "D", "sic", 6, Priority::Bassa, &[]),
    ];
    let full = plan(&input).unwrap();
    assert_eq!(full.editions.len(), 2);
    let mut capped = input.clone();
    capped.parameters.budget_cap_cents = Some(full.figures.cost.total_cents - 100_000);
    let plan = plan(&capped).unwrap();
    check_invariants(&capped, &plan, true);
    assert!(plan.figures.cost.total_cents <= capped.parameters.budget_cap_cents.unwrap());
    assert_eq!(plan.editions.len(), 1);
    let mut dropped: Vec<i64> = plan
        .unserved
        .iter()
        .filter(|u| u.reason == UnservedReason::OverBudget)
        .map(|u| u.need_line_id)
        .collect();
    dropped.sort_unstable();
    assert_eq!(dropped, vec![3, 4]);
    // The bound is recomputed for what remains.
    assert!(plan.figures.lower_bound_cents <= plan.figures.cost.total_cents);
    assert!(plan.figures.lower_bound_cents < full.figures.lower_bound_cents);
}

#[test]
fn standalone_and_saving() {
    let input = fixture();
    let plan = plan(&input).unwrap();
    // Standalone: every comune its own edition per theme at home.
    // sic: A 20, B 15, C 10, D 3 → 4 × 1,200 + 48 × 15; priv: A 6, B 5, D 4 → 3 × 1,200 + 15 × 15.
    let expected = (4 * 1200 + 48 * 15 + 3 * 1200 + 15 * 15) * 100;
    assert_eq!(plan.figures.standalone_cents, expected);
    assert!(plan.figures.saving_cents > 0);
}

#[test]
fn invalid_parameters_name_every_field() {
    let mut input = fixture();
    input.parameters.window_end = d(2020, 1, 1);
    input.parameters.eur_per_km = -1.0;
    input.parameters.themes[0].min_participants = 40;
    input.parameters.themes[1].webinar_cost_eur = -5.0;
    let errors = plan(&input).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"window_end"), "{fields:?}");
    assert!(fields.contains(&"eur_per_km"));
    assert!(fields.iter().any(|f| f.ends_with(".min_participants")));
    assert!(fields.iter().any(|f| f.ends_with(".webinar_cost_eur")));
    let mut input = fixture();
    input
        .needs
        .push(need(99, "NOPE", "sic", 3, Priority::Alta, &[1, 2, 3, 4]));
    let errors = plan(&input).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert!(fields.contains(&"needs[99].comune_code"));
    assert!(fields.contains(&"needs[99].employee_ids"));
}

#[test]
fn recost_unedited_is_identical() {
    let input = fixture();
    let plan = plan(&input).unwrap();
    let again = recost(&input, &plan, &[]).unwrap();
    assert_eq!(again, plan);
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&plan).unwrap()
    );
}

#[test]
fn recost_valid_edits() {
    let input = fixture();
    let plan = plan(&input).unwrap();
    let sic = key_of(&plan, "sic", Modality::InPerson);
    let (e1, e2) = (
        &plan.editions.iter().find(|e| e.key == sic[0]).unwrap(),
        &sic[1],
    );
    // Move 1 person of the first edition's first comune to the second edition.
    let c = e1.assignments[0].comune_code.clone();
    let edited = recost(
        &input,
        &plan,
        &[Edit::MoveHeadcount {
            comune_code: c.clone(),
            from_edition: sic[0].clone(),
            to_edition: e2.clone(),
            headcount: 1,
        }],
    )
    .unwrap();
    check_invariants(&input, &edited, false);
    assert_eq!(edited.figures.coverage, plan.figures.coverage);
    assert_eq!(
        edited.figures.lower_bound_cents,
        plan.figures.lower_bound_cents
    );
    // Dropping the webinar: its people become unserved, removed by the officer.
    let web = key_of(&plan, "priv", Modality::Webinar)[0].clone();
    let dropped = recost(&input, &plan, &[Edit::DropEdition { edition_key: web }]).unwrap();
    check_invariants(&input, &dropped, false);
    assert_eq!(
        dropped
            .unserved
            .iter()
            .filter(|u| u.reason == UnservedReason::RemovedByOfficer)
            .map(|u| u.headcount)
            .sum::<u32>(),
        15
    );
    assert!(dropped.figures.cost.total_cents < plan.figures.cost.total_cents);
    // The bound stays; the gap is recomputed against the edited cost (negative here).
    assert_eq!(
        dropped.figures.lower_bound_cents,
        plan.figures.lower_bound_cents
    );
    assert!(dropped.figures.gap < plan.figures.gap);
    // Add an in-person edition for priv and fill it with the webinar's people.
    let web = key_of(&plan, "priv", Modality::Webinar)[0].clone();
    let mut edits = vec![Edit::AddEdition {
        theme_code: "priv".into(),
        modality: Modality::InPerson,
        venue_id: Some(1),
        start_date: d(2027, 6, 7),
    }];
    for (c, h) in [("A", 6), ("B", 5), ("D", 4)] {
        edits.push(Edit::MoveHeadcount {
            comune_code: c.into(),
            from_edition: web.clone(),
            to_edition: "priv/manual/1".into(),
            headcount: h,
        });
    }
    edits.push(Edit::DropEdition { edition_key: web });
    let moved = recost(&input, &plan, &edits).unwrap();
    check_invariants(&input, &moved, false);
    let manual = moved
        .editions
        .iter()
        .find(|e| e.key == "priv/manual/1")
        .unwrap();
    assert_eq!(manual.size, 15);
    assert_eq!(manual.dates, vec![d(2027, 6, 7), d(2027, 6, 8)]);
    assert!(manual.cost.travel_cents > 0);
    assert!(moved.unserved.is_empty());
}

#[test]
fn recost_reports_each_kind_of_violation() {
    let mut input = fixture();
    input.existing_bookings.push(Booking {
        venue_id: 1,
        date: d(2027, 9, 6),
    });
    let plan = plan(&input).unwrap();
    let sic = key_of(&plan, "sic", Modality::InPerson);
    let web = key_of(&plan, "priv", Modality::Webinar)[0].clone();
    let e1 = plan.editions.iter().find(|e| e.key == sic[0]).unwrap();
    let c1 = e1.assignments[0].comune_code.clone();
    let n1 = e1.assignments[0].headcount;
    let start = |k: &str, y, m, dd| Edit::ChangeStartDate {
        edition_key: k.into(),
        start_date: d(y, m, dd),
    };

    // Capacity exceeded and below activation: move a whole comune between the editions.
    let k = kinds(recost(
        &input,
        &plan,
        &[Edit::MoveHeadcount {
            comune_code: c1.clone(),
            from_edition: sic[0].clone(),
            to_edition: sic[1].clone(),
            headcount: n1,
        }],
    ));
    assert!(
        k.contains(&ViolationKind::CapacityExceeded) || k.contains(&ViolationKind::BelowActivation),
        "{k:?}"
    );
    let k = kinds(recost(
        &input,
        &plan,
        &[Edit::MoveHeadcount {
            comune_code: c1.clone(),
            from_edition: sic[0].clone(),
            to_edition: sic[1].clone(),
            headcount: n1 + 100,
        }],
    ));
    assert!(k.contains(&ViolationKind::HeadcountExceeded), "{k:?}");
    // Moving people to another theme's edition.
    let k = kinds(recost(
        &input,
        &plan,
        &[Edit::MoveHeadcount {
            comune_code: c1.clone(),
            from_edition: sic[0].clone(),
            to_edition: web.clone(),
            headcount: 1,
        }],
    ));
    assert!(k.contains(&ViolationKind::ThemeMismatch), "{k:?}");
    // Webinar for a presence-only theme; an empty edition is also below activation.
    let k = kinds(recost(
        &input,
        &plan,
        &[Edit::AddEdition {
            theme_code: "sic".into(),
            modality: Modality::Webinar,
            venue_id: None,
            start_date: d(2027, 6, 7),
        }],
    ));
    assert!(k.contains(&ViolationKind::ModalityNotLawful), "{k:?}");
    assert!(k.contains(&ViolationKind::BelowActivation), "{k:?}");
    // Dates: weekend, holiday (Easter Monday 2027), closed period, outside the window.
    assert!(
        kinds(recost(&input, &plan, &[start(&sic[0], 2027, 3, 6)]))
            .contains(&ViolationKind::DateWeekend)
    );
    assert!(
        kinds(recost(&input, &plan, &[start(&sic[0], 2027, 3, 29)]))
            .contains(&ViolationKind::DateHoliday)
    );
    assert!(
        kinds(recost(&input, &plan, &[start(&sic[0], 2027, 8, 10)]))
            .contains(&ViolationKind::DateClosedPeriod)
    );
    assert!(
        kinds(recost(&input, &plan, &[start(&sic[0], 2028, 2, 1)]))
            .contains(&ViolationKind::DateOutsideWindow)
    );
    // Room double-booked: two editions in the same room, or on an existing booking.
    let k = kinds(recost(
        &input,
        &plan,
        &[start(&sic[0], 2027, 5, 3), start(&sic[1], 2027, 5, 4)],
    ));
    assert!(k.contains(&ViolationKind::RoomDoubleBooked), "{k:?}");
    let k = kinds(recost(&input, &plan, &[start(&sic[0], 2027, 9, 6)]));
    assert!(k.contains(&ViolationKind::RoomDoubleBooked), "{k:?}");
    // Weekly capacity (2 a week): three editions in the week of 10 May 2027.
    let k = kinds(recost(
        &input,
        &plan,
        &[
            start(&sic[0], 2027, 5, 10),
            start(&sic[1], 2027, 5, 12),
            start(&web, 2027, 5, 10),
        ],
    ));
    assert!(k.contains(&ViolationKind::WeeklyCapacityExceeded), "{k:?}");
    // Employee 100 is in the first sic edition and in the webinar.
    let with_100 = plan
        .editions
        .iter()
        .find(|e| {
            e.theme_code == "sic"
                && e.assignments
                    .iter()
                    .any(|a| a.lines.iter().any(|l| l.employee_ids.contains(&100)))
        })
        .unwrap();
    let k = kinds(recost(
        &input,
        &plan,
        &[start(&with_100.key, 2027, 6, 14), start(&web, 2027, 6, 15)],
    ));
    assert!(k.contains(&ViolationKind::EmployeeDoubleBooked), "{k:?}");
    // Unknown ids.
    let k = kinds(recost(
        &input,
        &plan,
        &[Edit::DropEdition {
            edition_key: "nope".into(),
        }],
    ));
    assert!(k.contains(&ViolationKind::UnknownEdition));
    let k = kinds(recost(
        &input,
        &plan,
        &[Edit::ChangeVenue {
            edition_key: sic[0].clone(),
            venue_id: 999,
        }],
    ));
    assert!(k.contains(&ViolationKind::UnknownVenue));
    let k = kinds(recost(
        &input,
        &plan,
        &[Edit::AddEdition {
            theme_code: "nope".into(),
            modality: Modality::Webinar,
            venue_id: None,
            start_date: d(2027, 6, 7),
        }],
    ));
    assert!(k.contains(&ViolationKind::UnknownTheme));
}

#[test]
fn edits_round_trip_as_json() {
    let e = Edit::ChangeStartDate {
        edition_key: "sic/1/1".into(),
        start_date: d(2027, 2, 1),
    };
    let s = serde_json::to_string(&e).unwrap();
    assert_eq!(
        s,
        r#"{"kind":"change_start_date","edition_key":"sic/1/1","start_date":"2027-02-01"}"#
    );
    assert_eq!(serde_json::from_str::<Edit>(&s).unwrap(), e);
}
