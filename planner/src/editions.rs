//! From a theme's integer solution to concrete editions with need lines and named people;
//! the cost of an edition; the sentence that says why an edition is where it is.

use std::collections::BTreeMap;

use crate::context::{Ctx, cents};
use crate::geo;
use crate::model::{
    Assignment, CostBreakdown, LineShare, Modality, PlannedEdition, UnservedNeed, UnservedReason,
};
use crate::optimise::{Problem, ThemeSolution};

/// A served piece of a need line: (need index, headcount).
#[derive(Debug, Clone, Copy)]
struct Piece {
    need: usize,
    h: u32,
}

/// Hands out a line's named employees in order, the named ones first.
#[derive(Default)]
pub(crate) struct NamedCursor {
    next: BTreeMap<usize, usize>,
}

impl NamedCursor {
    pub fn take(&mut self, ctx: &Ctx, need: usize, h: u32) -> Vec<i64> {
        let names = &ctx.needs[need].employee_ids;
        let from = *self.next.get(&need).unwrap_or(&0);
        let to = (from + h as usize).min(names.len());
        self.next.insert(need, to);
        names[from..to].to_vec()
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Builds the editions of a theme from its solution. `lines` are the theme's need
/// indices still in play (over-budget lines excluded), ascending.
pub(crate) fn split(
    ctx: &Ctx,
    p: &Problem,
    sol: &ThemeSolution,
    lines: &[usize],
) -> (Vec<PlannedEdition>, Vec<UnservedNeed>) {
    let t = &ctx.themes[p.theme];
    let theme_code = &t.info.code;
    let nc = p.comuni.len();
    let pos: BTreeMap<usize, usize> = p.comuni.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    // Lines per problem comune, by (priority, id).
    let mut by_comune: Vec<Vec<usize>> = vec![Vec::new(); nc];
    for &n in lines {
        let line = ctx.needs[n];
        if let Some(&ci) = pos.get(&ctx.comune_idx[line.comune_code.as_str()]) {
            by_comune[ci].push(n);
        }
    }
    for v in &mut by_comune {
        v.sort_by_key(|n| (ctx.needs[*n].priority.rank(), ctx.needs[*n].id));
    }
    let mut unserved = Vec::new();
    let mut cursor = NamedCursor::default();
    // Served pieces per comune, in priority order; the unserved tail per priority.
    let mut pieces: Vec<Vec<Piece>> = vec![Vec::new(); nc];
    for c in 0..nc {
        let no_option = !p.has_option(c);
        let reason = if no_option {
            if !t.in_person_lawful() && !t.webinar_lawful() {
                UnservedReason::NoLawfulModality
            } else {
                UnservedReason::NoVenue
            }
        } else {
            UnservedReason::BelowThreshold
        };
        let mut left = [0u32; 3];
        for k in 0..3 {
            left[k] = p.demand[c][k] - sol.u[c][k];
        }
        for &n in &by_comune[c] {
            let line = ctx.needs[n];
            let k = line.priority.rank();
            let h = line.headcount.min(left[k]);
            left[k] -= h;
            if h > 0 {
                pieces[c].push(Piece { need: n, h });
            }
            let rest = line.headcount - h;
            if rest > 0 {
                // Named people go with the served headcount first.
                let named = line.employee_ids.len().saturating_sub(h as usize);
                let employee_ids = line.employee_ids[line.employee_ids.len() - named..].to_vec();
                unserved.push(UnservedNeed {
                    need_line_id: line.id,
                    comune_code: line.comune_code.clone(),
                    theme_code: theme_code.clone(),
                    headcount: rest,
                    employee_ids,
                    reason,
                });
            }
        }
    }
    // Distribute each comune's pieces over its options: venues (by venue), then webinar.
    // option → comune → shares
    let mut at_venue: Vec<Vec<(usize, Vec<Piece>)>> = vec![Vec::new(); p.venues.len()];
    let mut at_webinar: Vec<(usize, Vec<Piece>)> = Vec::new();
    for c in 0..nc {
        let mut opts: Vec<(Option<usize>, u32)> = Vec::new();
        let mut arcs: Vec<usize> = p.arcs_of[c].clone();
        arcs.sort_by_key(|a| p.arcs[*a].v);
        for a in arcs {
            if sol.x[a] > 0 {
                opts.push((Some(p.arcs[a].v), sol.x[a]));
            }
        }
        if sol.s[c] > 0 {
            opts.push((None, sol.s[c]));
        }
        let mut queue = pieces[c].clone().into_iter();
        let mut cur: Option<Piece> = queue.next();
        for (opt, mut amount) in opts {
            let mut got = Vec::new();
            while amount > 0 {
                let Some(mut pc) = cur else { break };
                let take = pc.h.min(amount);
                got.push(Piece {
                    need: pc.need,
                    h: take,
                });
                amount -= take;
                pc.h -= take;
                cur = if pc.h == 0 { queue.next() } else { Some(pc) };
            }
            match opt {
                Some(v) => at_venue[v].push((c, got)),
                None => at_webinar.push((c, got)),
            }
        }
    }
    let mut editions = Vec::new();
    let mut fill = |groups: Vec<(usize, Vec<Piece>)>,
                    n_editions: u32,
                    venue: Option<usize>,
                    editions: &mut Vec<PlannedEdition>| {
        let load: u32 = groups
            .iter()
            .map(|(_, ps)| ps.iter().map(|p| p.h).sum::<u32>())
            .sum();
        if n_editions == 0 || load == 0 {
            return;
        }
        let base = load / n_editions;
        let extra = load % n_editions;
        let sizes: Vec<u32> = (0..n_editions)
            .map(|i| base + u32::from(i < extra))
            .collect();
        let mut e = 0usize;
        let mut room = sizes[0];
        let mut current: Vec<Assignment> = Vec::new();
        let mut finished: Vec<Vec<Assignment>> = Vec::new();
        for (c, ps) in groups {
            let comune = ctx.comuni[p.comuni[c]];
            let km = venue.map(|v| ctx.road[p.comuni[c]][v]).unwrap_or(0.0);
            for mut pc in ps {
                while pc.h > 0 {
                    if room == 0 {
                        finished.push(std::mem::take(&mut current));
                        e += 1;
                        room = sizes[e];
                    }
                    let take = pc.h.min(room);
                    room -= take;
                    pc.h -= take;
                    let share = LineShare {
                        need_line_id: ctx.needs[pc.need].id,
                        headcount: take,
                        employee_ids: cursor.take(ctx, pc.need, take),
                    };
                    match current.last_mut() {
                        Some(a) if a.comune_code == comune.code => {
                            a.headcount += take;
                            a.lines.push(share);
                        }
                        _ => current.push(Assignment {
                            comune_code: comune.code.clone(),
                            headcount: take,
                            road_km: round1(km),
                            lines: vec![share],
                        }),
                    }
                }
            }
        }
        finished.push(current);
        for (i, assignments) in finished.into_iter().enumerate() {
            let (key, modality, venue_id) = match venue {
                Some(v) => (
                    format!("{theme_code}/{}/{}", ctx.venues[v].id, i + 1),
                    Modality::InPerson,
                    Some(ctx.venues[v].id),
                ),
                None => (
                    format!("{theme_code}/webinar/{}", i + 1),
                    Modality::Webinar,
                    None,
                ),
            };
            let size = assignments.iter().map(|a| a.headcount).sum();
            editions.push(PlannedEdition {
                key,
                theme_code: theme_code.clone(),
                modality,
                venue_id,
                dates: Vec::new(),
                size,
                assignments,
                cost: CostBreakdown::default(),
                reason: String::new(),
            });
        }
    };
    for (v, groups) in at_venue.into_iter().enumerate() {
        fill(groups, sol.y[v], Some(p.venues[v].venue), &mut editions);
    }
    fill(at_webinar, sol.z, None, &mut editions);
    for e in &mut editions {
        e.cost = edition_cost(ctx, e);
    }
    (editions, unserved)
}

/// Cost of an edition, cents, from its theme, modality, venue and assignments.
pub(crate) fn edition_cost(ctx: &Ctx, e: &PlannedEdition) -> CostBreakdown {
    let Some(&ti) = ctx.theme_idx.get(&e.theme_code) else {
        return CostBreakdown::default();
    };
    let t = &ctx.themes[ti];
    let n = e.size as f64;
    let mut c = CostBreakdown::default();
    match e.modality {
        Modality::InPerson => {
            let venue = e.venue_id.and_then(|id| ctx.venue_idx.get(&id).copied());
            let (mut tr, mut tv) = (0.0, 0.0);
            for a in &e.assignments {
                let km = match (venue, ctx.comune_idx.get(a.comune_code.as_str())) {
                    (Some(v), Some(ci)) => ctx.road[*ci][v],
                    _ => 0.0,
                };
                let (r, v) = ctx.travel_cost(km, t.days);
                tr += r * a.headcount as f64;
                tv += v * a.headcount as f64;
            }
            c.editions_cents = cents(t.tp.edition_cost_eur);
            c.participants_cents = cents(t.tp.participant_cost_eur * n);
            c.travel_cents = cents(tr);
            c.time_value_cents = cents(tv);
        }
        Modality::Webinar => {
            c.webinars_cents = cents(t.tp.webinar_cost_eur + t.tp.webinar_seat_cost_eur * n);
        }
    }
    c.total_cents = c.editions_cents
        + c.participants_cents
        + c.travel_cents
        + c.time_value_cents
        + c.webinars_cents;
    c
}

fn comuni_word(k: usize) -> &'static str {
    if k == 1 { "comune" } else { "comuni" }
}

/// The Italian sentence of an edition, generated from the data: who comes, from how far,
/// and why this place (or why a webinar).
pub(crate) fn reason(ctx: &Ctx, e: &PlannedEdition, all: &[PlannedEdition]) -> String {
    let k = e.assignments.len();
    let n = e.size;
    let Some(&ti) = ctx.theme_idx.get(&e.theme_code) else {
        return format!("{n} persone da {k} {}", comuni_word(k));
    };
    let t = &ctx.themes[ti];
    let usable: Vec<usize> = (0..ctx.venues.len())
        .filter(|v| ctx.venue_cap(ti, *v).is_some())
        .collect();
    let comune_of =
        |a: &crate::model::Assignment| ctx.comune_idx.get(a.comune_code.as_str()).copied();
    match e.modality {
        Modality::Webinar => {
            let beyond = t.tp.webinar_beyond_km.min(ctx.params.max_travel_km);
            let far: u32 = e
                .assignments
                .iter()
                .filter(|a| match comune_of(a) {
                    Some(c) => usable.iter().all(|v| ctx.road[c][*v] > beyond),
                    None => false,
                })
                .map(|a| a.headcount)
                .sum();
            let head = format!("Webinar: {n} persone da {k} {}", comuni_word(k));
            if !t.in_person_lawful() || usable.is_empty() {
                format!("{head}; nessuna aula disponibile per il tema")
            } else if far == n {
                format!("{head} oltre {beyond:.0} km da ogni sede")
            } else if far > 0 {
                format!(
                    "{head}, di cui {far} oltre {beyond:.0} km da ogni sede; per gli altri costa meno di un'aula"
                )
            } else {
                format!("{head}; costa meno di un'aula per gruppi piccoli e sparsi")
            }
        }
        Modality::InPerson => {
            let Some(v) = e.venue_id.and_then(|id| ctx.venue_idx.get(&id).copied()) else {
                return format!("{n} persone da {k} {}", comuni_word(k));
            };
            let place = ctx.venue_place(v);
            let (mut km, mut lat, mut lon, mut w) = (0.0, 0.0, 0.0, 0.0);
            let mut all_local = true;
            for a in &e.assignments {
                if let Some(c) = comune_of(a) {
                    let h = a.headcount as f64;
                    km += ctx.road[c][v] * h;
                    lat += ctx.comuni[c].lat * h;
                    lon += ctx.comuni[c].lon * h;
                    w += h;
                    if ctx.comuni[c].code != ctx.venues[v].comune_code {
                        all_local = false;
                    }
                }
            }
            let avg = if w > 0.0 { km / w } else { 0.0 };
            let head = format!(
                "{place}: {n} persone da {k} {}, distanza media {avg:.0} km",
                comuni_word(k)
            );
            if w == 0.0 {
                return format!("{head}; edizione ancora vuota");
            }
            if all_local {
                return format!("{head}; tutti i partecipanti sono del comune sede");
            }
            let (lat, lon) = (lat / w, lon / w);
            let nearest = usable.iter().copied().min_by(|a, b| {
                let da = geo::haversine_km(lat, lon, ctx.venues[*a].lat, ctx.venues[*a].lon);
                let db = geo::haversine_km(lat, lon, ctx.venues[*b].lat, ctx.venues[*b].lon);
                da.total_cmp(&db).then(a.cmp(b))
            });
            match nearest {
                Some(nv) if nv == v => {
                    format!("{head}; sede più vicina al baricentro della domanda")
                }
                Some(nv) => {
                    let id = ctx.venues[nv].id;
                    let cap = ctx.venue_cap(ti, nv).unwrap_or(0);
                    let there: Vec<&PlannedEdition> = all
                        .iter()
                        .filter(|o| o.theme_code == e.theme_code && o.venue_id == Some(id))
                        .collect();
                    let other = ctx.venue_place(nv);
                    if !there.is_empty() && there.iter().all(|o| o.size >= cap) {
                        format!("{head}; la sede più vicina al baricentro ({other}) è al completo")
                    } else {
                        format!(
                            "{head}; costa meno, tra viaggi e aule, della sede più vicina al baricentro ({other})"
                        )
                    }
                }
                None => head,
            }
        }
    }
}
