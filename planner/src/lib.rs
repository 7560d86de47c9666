//! # cabina-planner
//!
//! The pure planning algorithm of cabina: it turns the need lines of a closed survey
//! campaign (comune × training theme × office area, with a headcount, a priority, a
//! preferred modality and optionally named employees) into one annual training plan of a
//! Province, with economies of scale, and proves how good the plan is.
//!
//! No I/O, no database, no HTTP: [`plan`] and [`recost`] are functions of their input.
//! The same input gives the same plan, byte for byte.
//!
//! ## Public API
//!
//! - [`plan`]`(&PlanInput) -> Result<Plan, Vec<FieldError>>`: optimise, split, schedule,
//!   explain, count.
//! - [`recost`]`(&PlanInput, &Plan, &[Edit]) -> Result<Plan, Vec<Violation>>`: apply an
//!   officer's edits, re-validate and re-cost, without calling the solver.
//! - [`PlanParameters::defaults`], [`PlanParameters::validate`],
//!   [`ThemeParameters::default_for`]: parameters, their defaults, their checks.
//! - Calendar helpers: [`easter_sunday`], [`italian_holidays`], [`is_holiday`],
//!   [`day_status`]; distances: [`haversine_km`], [`road_km`].
//!
//! ## Objective
//!
//! Lexicographic, per theme: first serve as many people as possible, weighted by priority
//! (alta 3, media 2, bassa 1 by default: [`PriorityWeights`]); then, among the plans that
//! serve that much, the least total cost:
//!
//! - in-person edition: fixed cost `F` (default 1,200 € per 8 hours) + `p` per participant
//!   (15 €) + travel of every participant to the venue and back on every session day:
//!   `days = ceil(hours / hours_per_day)`, reimbursement `2·km·days·€/km` (0.35 €/km) and
//!   time value `2·(km / speed)·days·€/h` (45 km/h, 25 €/h);
//! - live webinar: fixed `W` (600 € per 8 hours) + `w` per seat (5 €), no travel;
//! - an edition runs with at least `min` and at most `max` participants (in person also at
//!   most the room's seats).
//!
//! **Road distance.** `road_km = haversine × detour_factor`, 0 inside the venue's comune.
//! The default detour factor is **1.5**. Road networks are commonly 1.2–1.4 times the
//! straight line in flat, well-connected areas; western Liguria is not: the valleys
//! (Roia, Nervia, Argentina, Impero, Arroscia) run perpendicular to the coast, so a trip
//! between two inland comuni, or from the upper valleys to the coast, goes down one valley
//! along the Aurelia and up another, on winding roads. Imperia–Pieve di Teco is about 20
//! km as the crow flies and about 30 km by the SS28; 1.5 is the middle of what such trips
//! give. It is a parameter: a flat Province should use ~1.3.
//!
//! ## Formulation (one MIP per theme)
//!
//! Themes are independent (they share only the budget cap and the calendar, handled
//! after the optimisation), so each theme is its own small MIP. For comuni `c` with demand
//! `d_c = Σ_k d_ck` (k = priority), usable venues `v` (in person lawful, room ≥ `min`)
//! with `cap_v = min(max, seats)`, and arcs `(c, v)` allowed when `road_km ≤
//! max_travel_km` and, if a webinar is lawful for the theme, `road_km ≤ webinar_beyond_km`:
//!
//! ```text
//! y_v ∈ ℤ₊  editions at v          z ∈ ℤ₊  webinars
//! x_cv ≥ 0  people of c at v       s_c ≥ 0  webinar seats of c
//! u_ck ∈ ℤ₊ unserved people of c with priority k  (only when needed, see below)
//!
//! Σ_v x_cv + s_c + Σ_k u_ck = d_c                       every comune
//! min·y_v ≤ Σ_c x_cv ≤ cap_v·y_v                        every venue
//! x_cv ≤ min(d_c, cap_v)·y_v                            every arc (strengthening)
//! minW·z ≤ Σ_c s_c ≤ maxW·z,   s_c ≤ min(d_c, maxW)·z   webinar, if lawful
//! min cost = Σ F·y_v + Σ (p + travel_cv)·x_cv + W·z + w·Σ s_c
//! ```
//!
//! `min·y ≤ load ≤ cap·y` is exactly "the load splits into `y` editions each within
//! bounds". Without the arc linking rows the LP relaxation pays only `load/cap` of an
//! edition's fixed cost, so a small comune looks almost free to serve anywhere; with them,
//! a comune sending all its people to a venue forces `y_v ≥ 1` there, i.e. the full fixed
//! cost. HiGHS' cuts and branching close the rest (measured gaps: below 0.4 % on every
//! Province of the benchmark). The people columns are continuous: once the integer edition
//! counts are fixed the rest is a transportation problem (totally unimodular), so an
//! integral optimal vertex exists; if HiGHS returns fractional flows they are re-solved
//! as that LP with the integers fixed, which yields integral flows of the same cost.
//!
//! **Serving first.** A quick greedy (everybody to the cheapest venue, venues below the
//! threshold closed and their people moved on; or everybody in webinars) looks for a way
//! of serving every comune that has an option. If it finds one, the MIP has no `u` at all
//! (everybody is served) and the greedy is its starting incumbent. If not, phase 1 solves
//! `min Σ weight_k·u_ck` (the most priority-weighted people that can be served) and
//! phase 2 minimises cost subject to `Σ weight_k·u_ck ≤` that optimum, starting from the
//! phase-1 solution. No big-M penalty mixes people and euros, so the gap of the cost is
//! not blurred by penalties. Comuni with no option at all are left out up front.
//!
//! **Solver.** HiGHS (through `highs-sys`, the C API: the safe `highs` crate hides the
//! dual bound and the MIP start). Single thread, `random_seed` fixed, `mip_rel_gap`
//! 0.5 % and a node limit (20,000): deterministic limits only, no time limit. Presolve,
//! feasibility jump, RINS/RENS and symmetry detection are off: on these small models they
//! cost more than they save (the Italy benchmark went from 40 s to 15 s), and presolve
//! together with a MIP start was seen to hand back the start instead of the optimum. The
//! wrapper checks every answer against the model and re-solves without the start if
//! HiGHS' values disagree with its own objective.
//!
//! ## The bound, and what it refers to
//!
//! Per theme, the bound is HiGHS' proven `mip_dual_bound` of the cost MIP (phase 2 when
//! there is one): a lower bound on the cost of **any plan that serves at least as many
//! priority-weighted people of the theme as this plan**, hence of any plan serving the
//! same people. The Province bound is the sum over themes: a valid bound for the whole
//! plan because the themes only interact through the budget and the calendar, which are
//! not in the MIPs (relaxing them can only lower the optimum). It is rounded down to
//! cents and reported with `gap = (cost − bound) / cost`.
//!
//! When a later step drops demand the bound is recomputed for what remains:
//!
//! - budget cap: the affected themes are re-optimised without the dropped lines, and
//!   their bounds are the new MIPs' bounds;
//! - calendar: for a theme that lost editions, a new MIP is solved for exactly the people
//!   its remaining editions serve (started from those editions), and its dual bound
//!   replaces the theme's bound.
//!
//! After officer edits ([`recost`]) the bounds stay as optimised and the gaps are
//! recomputed against the edited cost (they can turn negative if people were dropped).
//!
//! ## Steps of [`plan`]
//!
//! 1. Validate input and parameters ([`FieldError`] names every bad field); sort every
//!    list, so that the input order does not matter.
//! 2. Optimise every theme (above).
//! 3. Budget cap (optional): while the total exceeds it, drop whole need lines, lowest
//!    priority first (bassa, then media, then alta; within a priority non-mandatory
//!    themes first, then the dearest themes per person, then the highest line id), until
//!    the estimated saving covers the excess; re-optimise the affected themes; repeat.
//!    Dropped lines are unserved with reason `over_budget`.
//! 4. Split into editions: the `y_v` editions of a venue get sizes as equal as possible
//!    (all within `[min, cap]`); comuni fill them in code order (a comune may be split);
//!    within a comune, need lines go high priority first, then by id; a line's named
//!    employees go with its served headcount first. Keys: `theme/venue/n`,
//!    `theme/webinar/n`.
//! 5. Schedule (greedy, deterministic): mandatory themes first, then best priority, then
//!    larger editions, then key. Each edition takes the earliest start such that its
//!    `days` sessions are consecutive available working days (Mon–Fri, no national
//!    holiday — Easter Monday and, from 2026, 4 October included — no closed period,
//!    inside the window, within 14 calendar days); no ISO week gets more than
//!    `editions_per_week` editions with a session; the room is free (existing bookings
//!    included) — or another room at the same place with enough seats is, which changes
//!    no cost; no named employee has another session that day. An edition that finds no
//!    date is dropped: its people are unserved with reason `calendar_full`.
//! 6. Explain every edition with an Italian sentence built from the data, e.g.
//!    "Sanremo: 38 persone da 7 comuni, distanza media 12 km; sede più vicina al
//!    baricentro della domanda" or "Webinar: 22 persone da 5 comuni oltre 40 km da ogni
//!    sede".
//! 7. Figures ([`Figures`]): coverage of people and lines (overall, per comune, per
//!    theme), person-km and travel hours, cost by component, bound and gap, the
//!    standalone baseline and the saving.
//!
//! **Standalone baseline.** For the people the plan serves: every comune buys, per theme,
//! `ceil(d / max)` in-person editions at home (`max` = the theme's in-person maximum,
//! no room limit), at `F` each, plus `p` per person; no travel and no activation
//! threshold. The same in-person cost model is used for themes where a comune alone
//! would rather buy a webinar. `saving = standalone − plan total`. The plan is cheaper
//! whenever pooling is worth it (always in the benchmarks); it can cost more for a theme
//! where a large comune with no venue must travel far for many days, because the plan
//! must serve it (serving comes first) while the baseline does it at home.
//!
//! **Unserved reasons** ([`UnservedReason`]): `below_threshold` (not enough people even
//! grouped with every reachable comune), `over_budget`, `no_lawful_modality` (the theme
//! has neither modality enabled), `no_venue` (no venue within reach or with enough seats
//! and no lawful webinar), `calendar_full`, and, after an officer's edit,
//! `removed_by_officer`.
//!
//! **Money** is computed in `f64` euro and rounded once per edition component to integer
//! cents; all totals are sums of those integers, so the JSON is stable and the figures
//! equal the sum over the editions.
//!
//! ## Re-costing
//!
//! [`recost`] applies [`Edit`]s in order (move headcount of a comune between editions of
//! a theme — lowest-priority lines and anonymous people first; add an empty edition;
//! drop an edition; change venue; change start date), then checks every rule and returns
//! either the plan with recomputed costs, reasons and figures, or every [`Violation`]
//! naming its kind, edition and field: capacity exceeded, below activation, modality not
//! lawful, dates outside the window / on a weekend / holiday / in a closed period, wrong
//! session days, room double-booked (existing bookings included), weekly capacity
//! exceeded, named employee twice on one day, unknown ids. No solver call: it costs
//! microseconds to milliseconds. Re-costing an unedited plan returns the same plan.
//!
//! ## Parameters and defaults
//!
//! [`PlanParameters::defaults`] (stored in every [`Plan`]): window = the calendar year
//! after the campaign year, August closed, 4 teaching hours a day, 0.35 €/km, 25 €/h,
//! 45 km/h, detour 1.5, at most 150 road km in person, 4 editions a week, no budget cap,
//! priority weights 3/2/1, MIP gap 0.5 %, 20,000 nodes, seed 0. Per theme
//! ([`ThemeParameters::default_for`]): 8 hours (12 for first aid and medium/high-risk
//! safety, 6 for the five-year safety refresher), in person 8–25 people at 150 €/h + 15 €
//! each, webinar 8–100 people at 75 €/h + 5 € a seat, webinar lawful unless the theme is
//! presence-only, webinar beyond 40 km.
//!
//! ## Limits
//!
//! - Room-days and the weekly capacity are not in the MIP: a Province whose demand
//!   exceeds its rooms' calendar gets `calendar_full` lines rather than a re-optimised
//!   plan that spreads editions over more venues.
//! - Distances are straight lines times a factor, not a road graph.
//! - Sessions of an edition are consecutive working days; a course longer than the
//!   14-day span cannot be scheduled.
//! - The preferred modality is reported (how many people got it), not optimised.
//! - Named employees are only used to avoid double-booking a person; the planner does not
//!   check that two lines do not name the same person for the same theme.
//! - HiGHS is built from source by `highs-sys`: the build needs `cmake`, a C++ compiler
//!   and `libclang` (bindgen).
//!
//! ## Benchmark
//!
//! `cargo run --release -p cabina-planner --example plan_bench -- backend/seed/comuni-italia.csv`
//! plans Imperia (66 comuni, 7 venues) and then every Italian Province on two threads,
//! printing times, gaps and peak memory.

// The optimisation code walks parallel arrays indexed by comune, venue, arc and theme;
// index loops say that more plainly than zipped iterators.
#![allow(clippy::needless_range_loop)]

mod calendar;
mod context;
mod editions;
mod figures;
mod geo;
mod model;
mod optimise;
mod params;
mod recost;
mod schedule;
mod solver;
mod validate;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

pub use calendar::{DayStatus, day_status, easter_sunday, is_holiday, italian_holidays};
pub use geo::{haversine_km, road_km};
pub use model::*;
pub use params::{ClosedPeriod, FieldError, PlanParameters, PriorityWeights, ThemeParameters};
pub use recost::{Edit, recost};
pub use validate::{Violation, ViolationKind};

use context::{Ctx, cents};
use optimise::{Problem, ThemeSolution};

/// Sorts unserved entries by (need line, reason) and merges duplicates.
pub(crate) fn sort_unserved(v: &mut Vec<UnservedNeed>) {
    v.sort_by_key(|a| (a.need_line_id, a.reason));
    let mut out: Vec<UnservedNeed> = Vec::with_capacity(v.len());
    for u in v.drain(..) {
        match out.last_mut() {
            Some(l) if l.need_line_id == u.need_line_id && l.reason == u.reason => {
                l.headcount += u.headcount;
                l.employee_ids.extend(u.employee_ids);
                l.employee_ids.sort_unstable();
            }
            _ => out.push(u),
        }
    }
    *v = out;
}

/// Demand per comune and priority of the given need lines of a theme.
fn demand_of(ctx: &Ctx, lines: &[usize]) -> Vec<(usize, [u32; 3])> {
    let mut m: BTreeMap<usize, [u32; 3]> = BTreeMap::new();
    for &n in lines {
        let l = ctx.needs[n];
        m.entry(ctx.comune_idx[l.comune_code.as_str()]).or_default()[l.priority.rank()] +=
            l.headcount;
    }
    m.into_iter().collect()
}

fn solve_theme(ctx: &Ctx, theme: usize, lines: &[usize]) -> (Problem, ThemeSolution) {
    let p = Problem::new(ctx, theme, &demand_of(ctx, lines));
    let s = optimise::solve(ctx, &p, None);
    (p, s)
}

/// Plans a Province: see the crate documentation for the steps. Errors name every bad
/// field of the input or of the parameters.
pub fn plan(input: &PlanInput) -> Result<Plan, Vec<FieldError>> {
    let ctx = Ctx::new(input, &input.parameters)?;
    let nt = ctx.themes.len();
    let mut lines_of: Vec<Vec<usize>> = vec![Vec::new(); nt];
    for (n, l) in ctx.needs.iter().enumerate() {
        lines_of[ctx.theme_idx[&l.theme_code]].push(n);
    }
    let mut sols: Vec<(Problem, ThemeSolution)> = (0..nt)
        .map(|t| solve_theme(&ctx, t, &lines_of[t]))
        .collect();

    // Budget cap: drop the lowest-priority demand first and re-optimise what remains.
    let mut over_budget: BTreeSet<usize> = BTreeSet::new();
    if let Some(cap) = ctx.params.budget_cap_cents {
        for _ in 0..64 {
            let total: i64 = sols.iter().map(|(_, s)| cents(s.cost)).sum();
            if total <= cap {
                break;
            }
            let mut excess = (total - cap) as f64 / 100.0;
            let mut cands: Vec<(usize, usize, f64)> = Vec::new(); // (need, theme, €/person)
            for t in 0..nt {
                let (p, s) = &sols[t];
                let served = s.served_total(p);
                if served == 0 {
                    continue;
                }
                let per_person = s.cost / served as f64;
                let comune_pos: BTreeMap<usize, usize> =
                    p.comuni.iter().enumerate().map(|(i, c)| (*c, i)).collect();
                for &n in &lines_of[t] {
                    let c = ctx.comune_idx[ctx.needs[n].comune_code.as_str()];
                    if comune_pos.get(&c).is_some_and(|ci| s.served(p, *ci) > 0) {
                        cands.push((n, t, per_person));
                    }
                }
            }
            if cands.is_empty() {
                break;
            }
            cands.sort_by(|a, b| {
                let (la, lb) = (ctx.needs[a.0], ctx.needs[b.0]);
                lb.priority
                    .rank()
                    .cmp(&la.priority.rank())
                    .then(
                        ctx.themes[a.1]
                            .info
                            .mandatory
                            .cmp(&ctx.themes[b.1].info.mandatory),
                    )
                    .then(b.2.total_cmp(&a.2))
                    .then(lb.id.cmp(&la.id))
            });
            let mut touched = BTreeSet::new();
            for (n, t, pp) in cands {
                if excess <= 0.0 {
                    break;
                }
                over_budget.insert(n);
                touched.insert(t);
                excess -= pp * ctx.needs[n].headcount as f64;
            }
            for t in touched {
                lines_of[t].retain(|n| !over_budget.contains(n));
                sols[t] = solve_theme(&ctx, t, &lines_of[t]);
            }
        }
    }

    // Editions.
    let mut editions: Vec<PlannedEdition> = Vec::new();
    let mut unserved: Vec<UnservedNeed> = Vec::new();
    for t in 0..nt {
        let (p, s) = &sols[t];
        let (e, u) = editions::split(&ctx, p, s, &lines_of[t]);
        editions.extend(e);
        unserved.extend(u);
    }
    for &n in &over_budget {
        let l = ctx.needs[n];
        unserved.push(UnservedNeed {
            need_line_id: l.id,
            comune_code: l.comune_code.clone(),
            theme_code: l.theme_code.clone(),
            headcount: l.headcount,
            employee_ids: l.employee_ids.clone(),
            reason: UnservedReason::OverBudget,
        });
    }

    // Calendar.
    let bookings: Vec<(i64, NaiveDate)> = input
        .existing_bookings
        .iter()
        .map(|b| (b.venue_id, b.date))
        .collect();
    let failed = schedule::schedule(&ctx, &mut editions, &bookings);
    let mut rebound: BTreeSet<usize> = BTreeSet::new();
    for &i in failed.iter().rev() {
        let e = editions.remove(i);
        rebound.insert(ctx.theme_idx[&e.theme_code]);
        for a in e.assignments {
            for l in a.lines {
                unserved.push(UnservedNeed {
                    need_line_id: l.need_line_id,
                    comune_code: a.comune_code.clone(),
                    theme_code: e.theme_code.clone(),
                    headcount: l.headcount,
                    employee_ids: l.employee_ids,
                    reason: UnservedReason::CalendarFull,
                });
            }
        }
    }

    // Bounds: the optimisation's, or, where the calendar dropped editions, a fresh bound
    // for exactly the demand that remains served.
    let mut theme_cost: BTreeMap<&str, i64> = BTreeMap::new();
    for e in &editions {
        *theme_cost.entry(e.theme_code.as_str()).or_default() +=
            editions::edition_cost(&ctx, e).total_cents;
    }
    let mut bounds: BTreeMap<String, (i64, BoundStatus)> = BTreeMap::new();
    for t in 0..nt {
        let code = ctx.themes[t].info.code.as_str();
        let (bound_eur, status) = if rebound.contains(&t) {
            rebound_theme(&ctx, t, &editions)
        } else {
            (sols[t].1.bound, sols[t].1.status)
        };
        let cost = theme_cost.get(code).copied().unwrap_or(0);
        let b = ((bound_eur * 100.0).floor() as i64).clamp(0, cost);
        bounds.insert(code.to_string(), (b, status));
    }

    let reasons: Vec<String> = editions
        .iter()
        .map(|e| editions::reason(&ctx, e, &editions))
        .collect();
    for (e, r) in editions.iter_mut().zip(reasons) {
        e.reason = r;
    }
    sort_unserved(&mut unserved);
    debug_assert!(
        validate::check_plan(&ctx, &editions, &unserved, &bookings).is_empty(),
        "{:?}",
        validate::check_plan(&ctx, &editions, &unserved, &bookings)
    );
    let figures = figures::compute(&ctx, &editions, &bounds);
    Ok(Plan {
        parameters: ctx.params.clone(),
        editions,
        unserved,
        figures,
    })
}

/// A proven bound for theme `t` serving exactly the people its remaining editions serve.
fn rebound_theme(ctx: &Ctx, t: usize, editions: &[PlannedEdition]) -> (f64, BoundStatus) {
    let code = &ctx.themes[t].info.code;
    let mut dem: BTreeMap<usize, [u32; 3]> = BTreeMap::new();
    let mut at: BTreeMap<(usize, Option<usize>), u32> = BTreeMap::new();
    let mut y: BTreeMap<usize, u32> = BTreeMap::new();
    let mut z = 0u32;
    for e in editions.iter().filter(|e| &e.theme_code == code) {
        let v = e.venue_id.map(|id| ctx.venue_idx[&id]);
        match v {
            Some(v) => *y.entry(v).or_default() += 1,
            None => z += 1,
        }
        for a in &e.assignments {
            let c = ctx.comune_idx[a.comune_code.as_str()];
            *at.entry((c, v)).or_default() += a.headcount;
            for l in &a.lines {
                let n = ctx.need_idx[&l.need_line_id];
                dem.entry(c).or_default()[ctx.needs[n].priority.rank()] += l.headcount;
            }
        }
    }
    let demand: Vec<(usize, [u32; 3])> = dem.into_iter().collect();
    let p = Problem::new(ctx, t, &demand);
    let ys: Vec<u32> = p
        .venues
        .iter()
        .map(|pv| y.get(&pv.venue).copied().unwrap_or(0))
        .collect();
    let xs: Vec<u32> = p
        .arcs
        .iter()
        .map(|a| {
            at.get(&(p.comuni[a.c], Some(p.venues[a.v].venue)))
                .copied()
                .unwrap_or(0)
        })
        .collect();
    let ss: Vec<u32> = p
        .comuni
        .iter()
        .map(|c| at.get(&(*c, None)).copied().unwrap_or(0))
        .collect();
    let us = vec![[0u32; 3]; p.comuni.len()];
    let start = optimise::check(&p, &ys, &xs, z, &ss, &us).then_some((ys, xs, z, ss, us));
    let s = optimise::solve(ctx, &p, start);
    (s.bound, s.status)
}
