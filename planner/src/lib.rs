//! # cabina-planner
//!
//! DOCS-PLACEHOLDER

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
