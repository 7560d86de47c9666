//! Property tests on small generated Provinces.

mod common;

use common::*;
use planner::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Gen {
    comuni: Vec<(f64, f64)>,
    venues: Vec<(usize, u32)>,
    lines: Vec<(usize, usize, u32, usize, usize)>,
    tight_calendar: bool,
    per_week: u32,
    bookings: Vec<(usize, u32)>,
    budget_share: Option<f64>,
}

const THEMES: [(&str, bool, bool); 3] = [
    ("sicurezza", true, true),
    ("privacy", false, true),
    ("ambiente", false, false),
];

fn gen_instance() -> impl Strategy<Value = Gen> {
    (3usize..10).prop_flat_map(|n| {
        (
            prop::collection::vec((-0.15f64..0.15, -0.2f64..0.2), n),
            prop::collection::vec((0..n, 10u32..60), 1..3),
            prop::collection::vec((0..n, 0usize..3, 1u32..14, 0usize..3, 0usize..4), 1..18),
            any::<bool>(),
            1u32..4,
            prop::collection::vec((0usize..3, 0u32..40), 0..6),
            prop::option::of(0.5f64..1.0),
        )
            .prop_map(
                |(comuni, venues, lines, tight_calendar, per_week, bookings, budget_share)| Gen {
                    comuni,
                    venues,
                    lines,
                    tight_calendar,
                    per_week,
                    bookings,
                    budget_share,
                },
            )
    })
}

fn build(g: &Gen, with_budget: bool) -> PlanInput {
    let comuni: Vec<ComunePoint> = g
        .comuni
        .iter()
        .enumerate()
        .map(|(i, (dlat, dlon))| comune(&format!("C{i:02}"), 43.9 + dlat, 7.9 + dlon))
        .collect();
    let mut venues: Vec<VenueOption> = Vec::new();
    for (k, (c, cap)) in g.venues.iter().enumerate() {
        venues.push(venue(k as i64 + 1, &comuni[*c], *cap));
    }
    let themes: Vec<ThemeInfo> = THEMES.iter().map(|(c, p, m)| theme(c, *p, *m)).collect();
    let mut parameters = PlanParameters::defaults(2026, &themes);
    parameters.editions_per_week = g.per_week;
    if g.tight_calendar {
        parameters.window_end = d(2027, 1, 22);
    }
    let priorities = [Priority::Alta, Priority::Media, Priority::Bassa];
    let mut needs = Vec::new();
    for (i, (c, t, h, p, named)) in g.lines.iter().enumerate() {
        // A pool of 4 employees per comune, shared by the themes: conflicts happen.
        let employees: Vec<i64> = (0..(*named).min(*h as usize))
            .map(|k| (*c * 10 + (i + k) % 4) as i64)
            .collect();
        let mut employees_unique = employees.clone();
        employees_unique.sort_unstable();
        employees_unique.dedup();
        needs.push(need(
            i as i64 + 1,
            &comuni[*c].code,
            THEMES[*t].0,
            *h,
            priorities[*p],
            &employees_unique,
        ));
    }
    let existing_bookings = g
        .bookings
        .iter()
        .filter(|(v, _)| *v < venues.len())
        .map(|(v, day)| Booking {
            venue_id: *v as i64 + 1,
            date: d(2027, 1, 4) + chrono::Duration::days(*day as i64),
        })
        .collect();
    let mut input = PlanInput {
        comuni,
        venues,
        needs,
        themes,
        parameters,
        existing_bookings,
    };
    if with_budget && let Some(share) = g.budget_share {
        let full = plan(&input).unwrap();
        input.parameters.budget_cap_cents =
            Some((full.figures.cost.total_cents as f64 * share) as i64);
    }
    input
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    /// Capacity, thresholds, lawful modalities, traceability, named employees, calendar,
    /// weekly capacity, figures = sums, bound ≤ cost; determinism; recost of an unedited
    /// plan gives the same plan.
    #[test]
    fn plans_respect_every_rule(g in gen_instance()) {
        let input = build(&g, true);
        let p = plan(&input).unwrap();
        check_invariants(&input, &p, true);
        if let Some(cap) = input.parameters.budget_cap_cents {
            // Over budget only if nothing more could be dropped.
            let any_dropped = p.unserved.iter().any(|u| u.reason == UnservedReason::OverBudget);
            prop_assert!(p.figures.cost.total_cents <= cap || any_dropped);
        }
        let again = plan(&input).unwrap();
        prop_assert_eq!(
            serde_json::to_string(&p).unwrap(),
            serde_json::to_string(&again).unwrap()
        );
        let re = recost(&input, &p, &[]).unwrap();
        prop_assert_eq!(re, p);
    }

    /// Where the standalone baseline is dominated by construction — comuni within 5 km of
    /// one venue, at most 7 people each (below the threshold of 8), 8-hour courses — the
    /// plan never costs more than every comune buying its own edition at home for the
    /// same served people (see `Figures::standalone_cents`).
    #[test]
    fn plan_never_worse_than_standalone_when_pooling_is_cheap(
        offsets in prop::collection::vec((-0.03f64..0.03, -0.03f64..0.03), 2..10),
        heads in prop::collection::vec((1u32..8, 0usize..3), 2..10),
    ) {
        let comuni: Vec<ComunePoint> = offsets
            .iter()
            .enumerate()
            .map(|(i, (a, b))| comune(&format!("C{i:02}"), 43.9 + a, 7.9 + b))
            .collect();
        let themes = vec![theme("sicurezza", true, true), theme("privacy", false, true)];
        let mut parameters = PlanParameters::defaults(2026, &themes);
        for t in &mut parameters.themes {
            t.hours = 8.0;
            t.edition_cost_eur = 1200.0;
        }
        let needs: Vec<NeedLine> = heads
            .iter()
            .enumerate()
            .map(|(i, (h, t))| {
                let c = &comuni[i % comuni.len()];
                need(i as i64 + 1, &c.code, if *t == 0 { "sicurezza" } else { "privacy" }, *h, Priority::Alta, &[])
            })
            .collect();
        // One line per comune and theme at most, so that each comune has ≤ 7 people.
        let mut seen = std::collections::BTreeSet::new();
        let needs: Vec<NeedLine> = needs
            .into_iter()
            .filter(|n| seen.insert((n.comune_code.clone(), n.theme_code.clone())))
            .collect();
        let center = comune("VEN", 43.9, 7.9);
        let mut all = comuni.clone();
        all.push(center.clone());
        let input = PlanInput {
            comuni: all,
            venues: vec![venue(1, &center, 60)],
            needs,
            themes,
            parameters,
            existing_bookings: vec![],
        };
        let p = plan(&input).unwrap();
        check_invariants(&input, &p, true);
        prop_assert!(p.figures.cost.total_cents <= p.figures.standalone_cents,
            "plan {} > standalone {}", p.figures.cost.total_cents, p.figures.standalone_cents);
    }
}
