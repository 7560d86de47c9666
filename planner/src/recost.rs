//! Officer edits on a plan, re-validated and re-costed without calling the solver.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar;
use crate::context::Ctx;
use crate::editions::{edition_cost, reason};
use crate::figures;
use crate::model::{
    Assignment, CostBreakdown, LineShare, Modality, Plan, PlanInput, PlannedEdition, UnservedNeed,
    UnservedReason,
};
use crate::validate::{Violation, ViolationKind, check_plan, date_kind};

/// An officer's change to a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Edit {
    /// Move `headcount` people of a comune from one edition to another of the same theme.
    /// The lowest-priority lines move first, anonymous people before named ones.
    MoveHeadcount {
        comune_code: String,
        from_edition: String,
        to_edition: String,
        headcount: u32,
    },
    /// Add an empty edition (fill it with `move_headcount`). Its key is
    /// `"{theme}/manual/{n}"`.
    AddEdition {
        theme_code: String,
        modality: Modality,
        venue_id: Option<i64>,
        start_date: NaiveDate,
    },
    /// Drop an edition: its people become unserved with reason `removed_by_officer`.
    DropEdition { edition_key: String },
    /// Hold an in-person edition somewhere else.
    ChangeVenue { edition_key: String, venue_id: i64 },
    /// Move an edition in the calendar (its session days follow the start day).
    ChangeStartDate {
        edition_key: String,
        start_date: NaiveDate,
    },
}

fn find(eds: &[PlannedEdition], key: &str) -> Option<usize> {
    eds.iter().position(|e| e.key == key)
}

/// Takes `h` people out of an assignment: last lines first, anonymous before named.
fn take_from(a: &mut Assignment, mut h: u32) -> Vec<LineShare> {
    let mut out = Vec::new();
    while h > 0 {
        let Some(last) = a.lines.last_mut() else {
            break;
        };
        let take = last.headcount.min(h);
        let anonymous = last.headcount - last.employee_ids.len() as u32;
        let named_out = take.saturating_sub(anonymous) as usize;
        let keep = last.employee_ids.len() - named_out;
        let moved_names = last.employee_ids.split_off(keep);
        last.headcount -= take;
        a.headcount -= take;
        h -= take;
        out.push(LineShare {
            need_line_id: last.need_line_id,
            headcount: take,
            employee_ids: moved_names,
        });
        if last.headcount == 0 {
            a.lines.pop();
        }
    }
    out
}

fn merge_into(a: &mut Assignment, shares: Vec<LineShare>) {
    for s in shares {
        a.headcount += s.headcount;
        match a
            .lines
            .iter_mut()
            .find(|l| l.need_line_id == s.need_line_id)
        {
            Some(l) => {
                l.headcount += s.headcount;
                l.employee_ids.extend(s.employee_ids);
                l.employee_ids.sort_unstable();
            }
            None => a.lines.push(s),
        }
    }
    a.lines.sort_by_key(|l| l.need_line_id);
}

fn set_dates(
    ctx: &Ctx,
    e: &mut PlannedEdition,
    start: NaiveDate,
    field: String,
    violations: &mut Vec<Violation>,
) {
    let days = ctx
        .theme_idx
        .get(&e.theme_code)
        .map(|t| ctx.themes[*t].days)
        .unwrap_or(1);
    match calendar::session_days(&ctx.params, start, days) {
        Ok(ds) => e.dates = ds,
        Err((d, s)) => {
            violations.push(Violation::new(
                date_kind(s),
                Some(&e.key),
                field,
                format!("{d} is not usable ({s:?})"),
            ));
            e.dates = vec![start];
        }
    }
}

/// Applies `edits` to `plan` and returns the re-validated, re-costed plan, or every
/// violation. The per-theme bounds stay as optimised; gaps are recomputed against the
/// edited cost. The parameters are those stored in `plan` (not `input.parameters`), so
/// that the rules are the ones the plan was made with; `input` supplies comuni, venues,
/// need lines, themes and existing bookings. No solver call.
pub fn recost(input: &PlanInput, plan: &Plan, edits: &[Edit]) -> Result<Plan, Vec<Violation>> {
    let ctx = Ctx::new(input, &plan.parameters).map_err(|errs| {
        errs.into_iter()
            .map(|e| Violation::new(ViolationKind::InvalidInput, None, e.field, e.message))
            .collect::<Vec<_>>()
    })?;
    let mut eds = plan.editions.clone();
    let mut unserved = plan.unserved.clone();
    let mut violations = Vec::new();
    for (i, edit) in edits.iter().enumerate() {
        let f = |name: &str| format!("edits[{i}].{name}");
        match edit {
            Edit::MoveHeadcount {
                comune_code,
                from_edition,
                to_edition,
                headcount,
            } => {
                let (Some(a), Some(b)) = (find(&eds, from_edition), find(&eds, to_edition)) else {
                    for (k, name) in [(from_edition, "from_edition"), (to_edition, "to_edition")] {
                        if find(&eds, k).is_none() {
                            violations.push(Violation::new(
                                ViolationKind::UnknownEdition,
                                Some(k),
                                f(name),
                                format!("no edition {k}"),
                            ));
                        }
                    }
                    continue;
                };
                if eds[a].theme_code != eds[b].theme_code {
                    violations.push(Violation::new(
                        ViolationKind::ThemeMismatch,
                        Some(to_edition),
                        f("to_edition"),
                        format!(
                            "{} is for {}, not {}",
                            to_edition, eds[b].theme_code, eds[a].theme_code
                        ),
                    ));
                    continue;
                }
                let Some(ai) = eds[a]
                    .assignments
                    .iter()
                    .position(|x| &x.comune_code == comune_code)
                else {
                    violations.push(Violation::new(
                        if ctx.comune_idx.contains_key(comune_code.as_str()) {
                            ViolationKind::ThemeMismatch
                        } else {
                            ViolationKind::UnknownComune
                        },
                        Some(from_edition),
                        f("comune_code"),
                        format!("nobody from {comune_code} in {from_edition}"),
                    ));
                    continue;
                };
                if eds[a].assignments[ai].headcount < *headcount {
                    violations.push(Violation::new(
                        ViolationKind::HeadcountExceeded,
                        Some(from_edition),
                        f("headcount"),
                        format!(
                            "{} people of {comune_code} in {from_edition}, cannot move {headcount}",
                            eds[a].assignments[ai].headcount
                        ),
                    ));
                    continue;
                }
                let shares = take_from(&mut eds[a].assignments[ai], *headcount);
                eds[a].size -= *headcount;
                if eds[a].assignments[ai].headcount == 0 {
                    eds[a].assignments.remove(ai);
                }
                let road_km = match (
                    eds[b].venue_id.and_then(|v| ctx.venue_idx.get(&v)),
                    ctx.comune_idx.get(comune_code.as_str()),
                ) {
                    (Some(v), Some(c)) => (ctx.road[*c][*v] * 10.0).round() / 10.0,
                    _ => 0.0,
                };
                let target = &mut eds[b];
                target.size += *headcount;
                match target
                    .assignments
                    .iter_mut()
                    .find(|x| &x.comune_code == comune_code)
                {
                    Some(x) => merge_into(x, shares),
                    None => {
                        let mut x = Assignment {
                            comune_code: comune_code.clone(),
                            headcount: 0,
                            road_km,
                            lines: Vec::new(),
                        };
                        merge_into(&mut x, shares);
                        target.assignments.push(x);
                        target
                            .assignments
                            .sort_by(|p, q| p.comune_code.cmp(&q.comune_code));
                    }
                }
            }
            Edit::AddEdition {
                theme_code,
                modality,
                venue_id,
                start_date,
            } => {
                if !ctx.theme_idx.contains_key(theme_code) {
                    violations.push(Violation::new(
                        ViolationKind::UnknownTheme,
                        None,
                        f("theme_code"),
                        format!("unknown theme {theme_code}"),
                    ));
                    continue;
                }
                let prefix = format!("{theme_code}/manual/");
                let n = eds.iter().filter(|e| e.key.starts_with(&prefix)).count() + 1;
                let mut e = PlannedEdition {
                    key: format!("{prefix}{n}"),
                    theme_code: theme_code.clone(),
                    modality: *modality,
                    venue_id: *venue_id,
                    dates: Vec::new(),
                    size: 0,
                    assignments: Vec::new(),
                    cost: CostBreakdown::default(),
                    reason: String::new(),
                };
                set_dates(&ctx, &mut e, *start_date, f("start_date"), &mut violations);
                eds.push(e);
            }
            Edit::DropEdition { edition_key } => {
                let Some(a) = find(&eds, edition_key) else {
                    violations.push(Violation::new(
                        ViolationKind::UnknownEdition,
                        Some(edition_key),
                        f("edition_key"),
                        format!("no edition {edition_key}"),
                    ));
                    continue;
                };
                let e = eds.remove(a);
                for asg in e.assignments {
                    for l in asg.lines {
                        unserved.push(UnservedNeed {
                            need_line_id: l.need_line_id,
                            comune_code: asg.comune_code.clone(),
                            theme_code: e.theme_code.clone(),
                            headcount: l.headcount,
                            employee_ids: l.employee_ids,
                            reason: UnservedReason::RemovedByOfficer,
                        });
                    }
                }
            }
            Edit::ChangeVenue {
                edition_key,
                venue_id,
            } => {
                let Some(a) = find(&eds, edition_key) else {
                    violations.push(Violation::new(
                        ViolationKind::UnknownEdition,
                        Some(edition_key),
                        f("edition_key"),
                        format!("no edition {edition_key}"),
                    ));
                    continue;
                };
                let Some(&v) = ctx.venue_idx.get(venue_id) else {
                    violations.push(Violation::new(
                        ViolationKind::UnknownVenue,
                        Some(edition_key),
                        f("venue_id"),
                        format!("unknown venue {venue_id}"),
                    ));
                    continue;
                };
                let e = &mut eds[a];
                e.venue_id = Some(*venue_id);
                for asg in &mut e.assignments {
                    if let Some(c) = ctx.comune_idx.get(asg.comune_code.as_str()) {
                        asg.road_km = (ctx.road[*c][v] * 10.0).round() / 10.0;
                    }
                }
            }
            Edit::ChangeStartDate {
                edition_key,
                start_date,
            } => {
                let Some(a) = find(&eds, edition_key) else {
                    violations.push(Violation::new(
                        ViolationKind::UnknownEdition,
                        Some(edition_key),
                        f("edition_key"),
                        format!("no edition {edition_key}"),
                    ));
                    continue;
                };
                set_dates(
                    &ctx,
                    &mut eds[a],
                    *start_date,
                    f("start_date"),
                    &mut violations,
                );
            }
        }
    }
    let bookings: Vec<(i64, NaiveDate)> = input
        .existing_bookings
        .iter()
        .map(|b| (b.venue_id, b.date))
        .collect();
    violations.extend(check_plan(&ctx, &eds, &unserved, &bookings));
    if !violations.is_empty() {
        return Err(violations);
    }
    Ok(finish(&ctx, plan, eds, unserved))
}

/// Costs, reasons and figures of an edited plan; the bounds stay those of `plan`.
fn finish(
    ctx: &Ctx,
    plan: &Plan,
    mut eds: Vec<PlannedEdition>,
    mut unserved: Vec<UnservedNeed>,
) -> Plan {
    for e in &mut eds {
        e.cost = edition_cost(ctx, e);
    }
    let reasons: Vec<String> = eds.iter().map(|e| reason(ctx, e, &eds)).collect();
    for (e, r) in eds.iter_mut().zip(reasons) {
        e.reason = r;
    }
    crate::sort_unserved(&mut unserved);
    let bounds: BTreeMap<String, _> = plan
        .figures
        .per_theme
        .iter()
        .map(|t| (t.theme_code.clone(), (t.lower_bound_cents, t.bound_status)))
        .collect();
    let figures = figures::compute(ctx, &eds, &bounds);
    Plan {
        parameters: plan.parameters.clone(),
        editions: eds,
        unserved,
        figures,
    }
}
