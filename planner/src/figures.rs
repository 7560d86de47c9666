//! The figures of a plan: coverage, travel, cost, standalone baseline, bound and gap.
//! Everything is a sum over the plan's editions and unserved lines, so that the figures of
//! an edited plan are recomputed exactly the same way.

use std::collections::BTreeMap;

use crate::context::{Ctx, cents};
use crate::model::{
    BoundStatus, ComuneFigures, CostBreakdown, Coverage, Figures, Modality, PlannedEdition,
    PreferredModality, ThemeFigures,
};

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn gap(cost: i64, bound: i64) -> f64 {
    if cost <= 0 {
        0.0
    } else {
        // Rounded to 1e-6 so that JSON stays short and stable.
        (((cost - bound) as f64 / cost as f64) * 1e6).round() / 1e6
    }
}

/// Computes the figures. `bounds` gives, per theme code, the proven bound in cents and
/// how it was obtained; themes missing from it get bound 0.
pub(crate) fn compute(
    ctx: &Ctx,
    editions: &[PlannedEdition],
    bounds: &BTreeMap<String, (i64, BoundStatus)>,
) -> Figures {
    // Served headcount per need line.
    let mut served: Vec<u32> = vec![0; ctx.needs.len()];
    #[derive(Default, Clone)]
    struct Travel {
        km: f64,
        hours: f64,
    }
    let mut travel: Vec<Travel> = vec![Travel::default(); ctx.comuni.len()];
    let mut per_theme_cost: BTreeMap<&str, CostBreakdown> = BTreeMap::new();
    let mut per_theme_editions: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    let mut cost = CostBreakdown::default();
    let (mut in_person, mut webinars) = (0u32, 0u32);
    let mut preferred = 0u64;
    for e in editions {
        cost.add(&e.cost);
        per_theme_cost
            .entry(e.theme_code.as_str())
            .or_default()
            .add(&e.cost);
        let ed = per_theme_editions.entry(e.theme_code.as_str()).or_default();
        match e.modality {
            Modality::InPerson => {
                in_person += 1;
                ed.0 += 1;
            }
            Modality::Webinar => {
                webinars += 1;
                ed.1 += 1;
            }
        }
        let days = ctx
            .theme_idx
            .get(&e.theme_code)
            .map(|t| ctx.themes[*t].days)
            .unwrap_or(1) as f64;
        let venue = e.venue_id.and_then(|id| ctx.venue_idx.get(&id).copied());
        for a in &e.assignments {
            let ci = ctx.comune_idx.get(a.comune_code.as_str()).copied();
            if let (Some(c), Some(v), Modality::InPerson) = (ci, venue, e.modality) {
                let pkm = 2.0 * days * ctx.road[c][v] * a.headcount as f64;
                travel[c].km += pkm;
                travel[c].hours += pkm / ctx.params.avg_speed_kmh;
            }
            for l in &a.lines {
                if let Some(&n) = ctx.need_idx.get(&l.need_line_id) {
                    served[n] += l.headcount;
                    let ok = match ctx.needs[n].preferred_modality {
                        PreferredModality::Any => true,
                        PreferredModality::InPerson => e.modality == Modality::InPerson,
                        PreferredModality::Webinar => e.modality == Modality::Webinar,
                    };
                    if ok {
                        preferred += l.headcount as u64;
                    }
                }
            }
        }
    }
    let add = |cov: &mut Coverage, requested: u32, got: u32| {
        cov.people_requested += requested as u64;
        cov.people_served += got.min(requested) as u64;
        cov.lines_total += 1;
        if got >= requested {
            cov.lines_served += 1;
        } else if got > 0 {
            cov.lines_partial += 1;
        }
    };
    let mut coverage = Coverage::default();
    let mut theme_cov: BTreeMap<&str, Coverage> = BTreeMap::new();
    let mut comune_cov: Vec<Coverage> = vec![Coverage::default(); ctx.comuni.len()];
    // Standalone: per (theme, comune) the served people.
    let mut standalone_people: BTreeMap<(&str, usize), u32> = BTreeMap::new();
    for (n, line) in ctx.needs.iter().enumerate() {
        let got = served[n];
        add(&mut coverage, line.headcount, got);
        add(
            theme_cov.entry(line.theme_code.as_str()).or_default(),
            line.headcount,
            got,
        );
        let c = ctx.comune_idx[line.comune_code.as_str()];
        add(&mut comune_cov[c], line.headcount, got);
        if got > 0 {
            *standalone_people
                .entry((line.theme_code.as_str(), c))
                .or_default() += got.min(line.headcount);
        }
    }
    let mut standalone_eur: BTreeMap<&str, f64> = BTreeMap::new();
    for ((theme, _), d) in &standalone_people {
        if let Some(&ti) = ctx.theme_idx.get(*theme) {
            let tp = &ctx.themes[ti].tp;
            let eds = d.div_ceil(tp.max_participants.max(1)) as f64;
            *standalone_eur.entry(theme).or_default() +=
                eds * tp.edition_cost_eur + *d as f64 * tp.participant_cost_eur;
        }
    }
    let mut per_theme = Vec::new();
    let mut lower_bound = 0i64;
    let mut standalone = 0i64;
    for t in &ctx.themes {
        let code = t.info.code.as_str();
        let cov = theme_cov.get(code).copied().unwrap_or_default();
        let c = per_theme_cost.get(code).copied().unwrap_or_default();
        let (b, st) = bounds.get(code).copied().unwrap_or((0, BoundStatus::Empty));
        let sa = cents(standalone_eur.get(code).copied().unwrap_or(0.0));
        let (ip, wb) = per_theme_editions.get(code).copied().unwrap_or((0, 0));
        lower_bound += b;
        standalone += sa;
        if cov.lines_total == 0 && ip + wb == 0 {
            continue;
        }
        per_theme.push(ThemeFigures {
            theme_code: code.to_string(),
            coverage: cov,
            editions_in_person: ip,
            editions_webinar: wb,
            cost: c,
            standalone_cents: sa,
            lower_bound_cents: b,
            gap: gap(c.total_cents, b),
            bound_status: st,
        });
    }
    let mut person_km = 0.0;
    let mut travel_hours = 0.0;
    let mut per_comune = Vec::new();
    for (c, com) in ctx.comuni.iter().enumerate() {
        person_km += travel[c].km;
        travel_hours += travel[c].hours;
        if comune_cov[c].lines_total == 0 {
            continue;
        }
        per_comune.push(ComuneFigures {
            comune_code: com.code.clone(),
            coverage: comune_cov[c],
            person_km: round1(travel[c].km),
            travel_hours: round1(travel[c].hours),
        });
    }
    Figures {
        coverage,
        editions_in_person: in_person,
        editions_webinar: webinars,
        person_km: round1(person_km),
        travel_hours: round1(travel_hours),
        people_with_preferred_modality: preferred,
        cost,
        standalone_cents: standalone,
        saving_cents: standalone - cost.total_cents,
        lower_bound_cents: lower_bound,
        gap: gap(cost.total_cents, lower_bound),
        per_theme,
        per_comune,
    }
}
