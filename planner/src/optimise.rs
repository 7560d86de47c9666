//! The per-theme MIP: where to open how many editions, who goes where, who is left out.

use crate::context::Ctx;
use crate::model::BoundStatus;
use crate::solver::{self, Mip, SolveOptions, Status};

/// A venue usable for the theme.
#[derive(Debug, Clone)]
pub(crate) struct PVenue {
    pub venue: usize,
    /// Seats per edition: min(theme max, room capacity).
    pub cap: u32,
}

/// People of a comune may go in person to a venue.
#[derive(Debug, Clone)]
pub(crate) struct PArc {
    /// Index into `Problem::comuni`.
    pub c: usize,
    /// Index into `Problem::venues`.
    pub v: usize,
    /// Per-participant cost: participant fee + travel reimbursement + time value.
    pub unit_cost: f64,
}

/// The webinar option of a theme.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PWebinar {
    pub min: u32,
    pub max: u32,
    pub fixed: f64,
    pub seat: f64,
}

/// The optimisation problem of one theme.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub theme: usize,
    /// Comune indices (into `Ctx::comuni`) with demand, ascending.
    pub comuni: Vec<usize>,
    /// Demand per comune and priority rank.
    pub demand: Vec<[u32; 3]>,
    pub venues: Vec<PVenue>,
    pub arcs: Vec<PArc>,
    /// Arcs of each comune, by ascending unit cost (then venue).
    pub arcs_of: Vec<Vec<usize>>,
    pub webinar: Option<PWebinar>,
    pub min: u32,
    pub fixed: f64,
}

/// The solution of one theme, in integers.
#[derive(Debug, Clone)]
pub(crate) struct ThemeSolution {
    /// Editions per venue (index into `Problem::venues`).
    pub y: Vec<u32>,
    /// People per arc.
    pub x: Vec<u32>,
    /// Webinar editions.
    pub z: u32,
    /// Webinar seats per comune.
    pub s: Vec<u32>,
    /// Unserved per comune and priority rank.
    pub u: Vec<[u32; 3]>,
    /// Cost of the solution, euro.
    pub cost: f64,
    /// Proven lower bound, euro.
    pub bound: f64,
    pub status: BoundStatus,
}

impl ThemeSolution {
    pub fn served(&self, p: &Problem, c: usize) -> u32 {
        p.demand[c].iter().sum::<u32>() - self.u[c].iter().sum::<u32>()
    }
    pub fn served_total(&self, p: &Problem) -> u64 {
        (0..p.comuni.len()).map(|c| self.served(p, c) as u64).sum()
    }
}

impl Problem {
    /// Builds the problem of `theme` for the given demand (comune index → per priority).
    pub fn new(ctx: &Ctx, theme: usize, demand: &[(usize, [u32; 3])]) -> Problem {
        let t = &ctx.themes[theme];
        let mut comuni: Vec<usize> = Vec::new();
        let mut dem = Vec::new();
        for (c, d) in demand {
            if d.iter().sum::<u32>() > 0 {
                comuni.push(*c);
                dem.push(*d);
            }
        }
        let venues: Vec<PVenue> = (0..ctx.venues.len())
            .filter_map(|v| ctx.venue_cap(theme, v).map(|cap| PVenue { venue: v, cap }))
            .collect();
        let mut arcs = Vec::new();
        let mut arcs_of = vec![Vec::new(); comuni.len()];
        for (ci, &c) in comuni.iter().enumerate() {
            for (vi, pv) in venues.iter().enumerate() {
                if ctx.arc_allowed(theme, c, pv.venue) {
                    let km = ctx.road[c][pv.venue];
                    let (tr, tv) = ctx.travel_cost(km, t.days);
                    arcs_of[ci].push(arcs.len());
                    arcs.push(PArc {
                        c: ci,
                        v: vi,
                        unit_cost: t.tp.participant_cost_eur + tr + tv,
                    });
                }
            }
            arcs_of[ci].sort_by(|a, b| {
                arcs[*a]
                    .unit_cost
                    .total_cmp(&arcs[*b].unit_cost)
                    .then(arcs[*a].v.cmp(&arcs[*b].v))
            });
        }
        let webinar = t.webinar_lawful().then_some(PWebinar {
            min: t.tp.webinar_min_participants,
            max: t.tp.webinar_max_participants,
            fixed: t.tp.webinar_cost_eur,
            seat: t.tp.webinar_seat_cost_eur,
        });
        Problem {
            theme,
            comuni,
            demand: dem,
            venues,
            arcs,
            arcs_of,
            webinar,
            min: t.tp.min_participants,
            fixed: t.tp.edition_cost_eur,
        }
    }

    pub fn d(&self, c: usize) -> u32 {
        self.demand[c].iter().sum()
    }

    /// The comune has some way to be served.
    pub fn has_option(&self, c: usize) -> bool {
        !self.arcs_of[c].is_empty() || self.webinar.is_some()
    }

    /// Cost of an integer solution, euro.
    pub fn cost(&self, y: &[u32], x: &[u32], z: u32, s: &[u32]) -> f64 {
        let mut cost = 0.0;
        for yv in y {
            cost += self.fixed * *yv as f64;
        }
        for (a, xa) in self.arcs.iter().zip(x) {
            cost += a.unit_cost * *xa as f64;
        }
        if let Some(w) = self.webinar {
            cost += w.fixed * z as f64;
            cost += w.seat * s.iter().sum::<u32>() as f64;
        }
        cost
    }
}

/// Whether `load` people fit in some number of editions with `min ≤ size ≤ cap`; returns
/// the smallest such number.
pub(crate) fn editions_for(load: u32, min: u32, cap: u32) -> Option<u32> {
    if load == 0 {
        return Some(0);
    }
    let y = load.div_ceil(cap);
    (y * min <= load).then_some(y)
}

type Start = (Vec<u32>, Vec<u32>, u32, Vec<u32>);

/// A quick feasible assignment serving every comune that has an option, if one is found:
/// the cheaper of [`greedy_venues`] and "everybody in webinars".
fn greedy(p: &Problem) -> Option<Start> {
    let a = greedy_venues(p);
    let b = p.webinar.and_then(|w| {
        let total: u32 = (0..p.comuni.len()).map(|c| p.d(c)).sum();
        let z = editions_for(total, w.min, w.max)?;
        let s: Vec<u32> = (0..p.comuni.len()).map(|c| p.d(c)).collect();
        Some((vec![0; p.venues.len()], vec![0; p.arcs.len()], z, s))
    });
    match (a, b) {
        (Some(a), Some(b)) => {
            if p.cost(&b.0, &b.1, b.2, &b.3) < p.cost(&a.0, &a.1, a.2, &a.3) {
                Some(b)
            } else {
                Some(a)
            }
        }
        (a, b) => a.or(b),
    }
}

/// Everybody to the cheapest venue, venues below the threshold closed and their people
/// moved to the next option (webinar last). Returns (y, x, z, s).
fn greedy_venues(p: &Problem) -> Option<Start> {
    #[derive(Clone, Copy, PartialEq)]
    enum Choice {
        Arc(usize),
        Webinar,
        Nothing,
    }
    let nc = p.comuni.len();
    let mut closed = vec![false; p.venues.len()];
    let mut web_closed = false;
    let pick = |c: usize, closed: &[bool], web_closed: bool| -> Choice {
        for &a in &p.arcs_of[c] {
            if !closed[p.arcs[a].v] {
                return Choice::Arc(a);
            }
        }
        if p.webinar.is_some() && !web_closed {
            Choice::Webinar
        } else {
            Choice::Nothing
        }
    };
    let mut choice: Vec<Choice> = (0..nc).map(|c| pick(c, &closed, web_closed)).collect();
    for _ in 0..(p.venues.len() + 2) {
        let mut load = vec![0u32; p.venues.len()];
        let mut wload = 0u32;
        for c in 0..nc {
            match choice[c] {
                Choice::Arc(a) => load[p.arcs[a].v] += p.d(c),
                Choice::Webinar => wload += p.d(c),
                Choice::Nothing => return None,
            }
        }
        // Close the least loaded venue below the threshold, if any.
        let under = (0..p.venues.len())
            .filter(|v| load[*v] > 0 && load[*v] < p.min)
            .min_by_key(|v| (load[*v], *v));
        if let Some(v) = under {
            closed[v] = true;
        } else if let Some(w) = p.webinar
            && wload > 0
            && wload < w.min
        {
            web_closed = true;
        } else {
            break;
        }
        choice = (0..nc).map(|c| pick(c, &closed, web_closed)).collect();
    }
    let mut y = vec![0u32; p.venues.len()];
    let mut x = vec![0u32; p.arcs.len()];
    let mut s = vec![0u32; nc];
    let mut load = vec![0u32; p.venues.len()];
    let mut wload = 0;
    for c in 0..nc {
        match choice[c] {
            Choice::Arc(a) => {
                x[a] = p.d(c);
                load[p.arcs[a].v] += p.d(c);
            }
            Choice::Webinar => {
                s[c] = p.d(c);
                wload += p.d(c);
            }
            Choice::Nothing => return None,
        }
    }
    for (v, pv) in p.venues.iter().enumerate() {
        y[v] = editions_for(load[v], p.min, pv.cap)?;
    }
    let z = match p.webinar {
        Some(w) => editions_for(wload, w.min, w.max)?,
        None => 0,
    };
    Some((y, x, z, s))
}

/// What the MIP is asked.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// Serve every comune that has an option; minimise cost.
    ServeAll,
    /// Maximise the priority-weighted people served (cost ignored).
    MaxServed,
    /// Minimise cost, leaving out at most `0` weighted people.
    CappedUnserved(f64),
}

struct Layout {
    y: Vec<usize>,
    x: Vec<usize>,
    z: Option<usize>,
    s: Vec<Option<usize>>,
    /// Unserved columns per comune and rank.
    u: Vec<[Option<usize>; 3]>,
}

fn build(p: &Problem, mode: Mode, weights: [u32; 3]) -> (Mip, Layout) {
    let mut m = Mip::default();
    let costs = !matches!(mode, Mode::MaxServed);
    let nc = p.comuni.len();
    // Reachable demand per venue bounds the number of editions.
    let mut reach = vec![0u64; p.venues.len()];
    for a in &p.arcs {
        reach[a.v] += p.d(a.c) as u64;
    }
    let y: Vec<usize> = p
        .venues
        .iter()
        .enumerate()
        .map(|(v, _)| {
            let ub = (reach[v] / p.min as u64) as f64;
            m.col(if costs { p.fixed } else { 0.0 }, 0.0, ub, true)
        })
        .collect();
    let x: Vec<usize> = p
        .arcs
        .iter()
        .map(|a| {
            let ub = p
                .d(a.c)
                .min(p.venues[a.v].cap * (reach[a.v] / p.min as u64) as u32);
            m.col(if costs { a.unit_cost } else { 0.0 }, 0.0, ub as f64, false)
        })
        .collect();
    let total: u64 = (0..nc).map(|c| p.d(c) as u64).sum();
    let z = p.webinar.map(|w| {
        let ub = (total / w.min as u64) as f64;
        m.col(if costs { w.fixed } else { 0.0 }, 0.0, ub, true)
    });
    let s: Vec<Option<usize>> = (0..nc)
        .map(|c| {
            p.webinar
                .map(|w| m.col(if costs { w.seat } else { 0.0 }, 0.0, p.d(c) as f64, false))
        })
        .collect();
    let with_u = !matches!(mode, Mode::ServeAll);
    let u: Vec<[Option<usize>; 3]> = (0..nc)
        .map(|c| {
            let mut cols = [None; 3];
            for k in 0..3 {
                if with_u && p.demand[c][k] > 0 {
                    let w = if matches!(mode, Mode::MaxServed) {
                        weights[k] as f64
                    } else {
                        0.0
                    };
                    cols[k] = Some(m.col(w, 0.0, p.demand[c][k] as f64, true));
                }
            }
            cols
        })
        .collect();
    // Demand: Σ x + s + Σ u = d.
    for c in 0..nc {
        let mut e: Vec<(usize, f64)> = p.arcs_of[c].iter().map(|a| (x[*a], 1.0)).collect();
        if let Some(sc) = s[c] {
            e.push((sc, 1.0));
        }
        for uc in u[c].iter().flatten() {
            e.push((*uc, 1.0));
        }
        let d = p.d(c) as f64;
        m.row(d, d, e);
    }
    // Venues: min·y ≤ Σ x ≤ cap·y, and x ≤ min(d, cap)·y.
    let mut at_venue: Vec<Vec<usize>> = vec![Vec::new(); p.venues.len()];
    for (ai, a) in p.arcs.iter().enumerate() {
        at_venue[a.v].push(ai);
    }
    for (v, pv) in p.venues.iter().enumerate() {
        if at_venue[v].is_empty() {
            continue;
        }
        let mut hi: Vec<(usize, f64)> = at_venue[v].iter().map(|a| (x[*a], 1.0)).collect();
        let mut lo = hi.clone();
        hi.push((y[v], -(pv.cap as f64)));
        lo.push((y[v], -(p.min as f64)));
        m.row(f64::NEG_INFINITY, 0.0, hi);
        m.row(0.0, f64::INFINITY, lo);
        for a in &at_venue[v] {
            let k = p.d(p.arcs[*a].c).min(pv.cap) as f64;
            m.row(f64::NEG_INFINITY, 0.0, vec![(x[*a], 1.0), (y[v], -k)]);
        }
    }
    if let (Some(w), Some(zc)) = (p.webinar, z) {
        let mut hi: Vec<(usize, f64)> = s.iter().flatten().map(|c| (*c, 1.0)).collect();
        let mut lo = hi.clone();
        hi.push((zc, -(w.max as f64)));
        lo.push((zc, -(w.min as f64)));
        m.row(f64::NEG_INFINITY, 0.0, hi);
        m.row(0.0, f64::INFINITY, lo);
        for c in 0..nc {
            if let Some(sc) = s[c] {
                let k = p.d(c).min(w.max) as f64;
                m.row(f64::NEG_INFINITY, 0.0, vec![(sc, 1.0), (zc, -k)]);
            }
        }
    }
    if let Mode::CappedUnserved(cap) = mode {
        let mut e = Vec::new();
        for c in 0..nc {
            for k in 0..3 {
                if let Some(uc) = u[c][k] {
                    e.push((uc, weights[k] as f64));
                }
            }
        }
        if !e.is_empty() {
            m.row(f64::NEG_INFINITY, cap + 0.5, e);
        }
    }
    (m, Layout { y, x, z, s, u })
}

/// The people columns (x, s) are continuous in the MIP: for fixed integer editions the
/// remaining problem is a transportation problem (totally unimodular), so it has an
/// integral optimal vertex. If the MIP's answer is fractional, re-solve that LP with the
/// integer columns fixed; the simplex returns a vertex, hence integral flows of the same
/// cost.
fn integral_flows(mip: &Mip, l: &Layout, x: &mut [f64], opts: SolveOptions) {
    let fractional =
        l.x.iter()
            .chain(l.s.iter().flatten())
            .any(|c| (x[*c] - x[*c].round()).abs() > 1e-6);
    if !fractional {
        return;
    }
    let mut lp = mip.clone();
    for (c, int) in mip.integer.iter().enumerate() {
        if *int {
            let v = x[c].round();
            lp.lower[c] = v;
            lp.upper[c] = v;
            lp.integer[c] = false;
        }
    }
    let r = solver::solve(&lp, None, opts);
    if r.status == Status::Optimal && r.objective <= mip.objective(x) + 1e-6 {
        x.copy_from_slice(&r.x);
    }
}

fn to_vector(
    l: &Layout,
    n: usize,
    y: &[u32],
    x: &[u32],
    z: u32,
    s: &[u32],
    u: &[[u32; 3]],
) -> Vec<f64> {
    let mut v = vec![0.0; n];
    for (i, c) in l.y.iter().enumerate() {
        v[*c] = y[i] as f64;
    }
    for (i, c) in l.x.iter().enumerate() {
        v[*c] = x[i] as f64;
    }
    if let Some(zc) = l.z {
        v[zc] = z as f64;
    }
    for (i, c) in l.s.iter().enumerate() {
        if let Some(c) = c {
            v[*c] = s[i] as f64;
        }
    }
    for (i, cols) in l.u.iter().enumerate() {
        for k in 0..3 {
            if let Some(c) = cols[k] {
                v[c] = u[i][k] as f64;
            }
        }
    }
    v
}

type Ints = (Vec<u32>, Vec<u32>, u32, Vec<u32>, Vec<[u32; 3]>);

fn from_vector(l: &Layout, v: &[f64], nc: usize) -> Ints {
    let r = |c: usize| v[c].round().max(0.0) as u32;
    let y = l.y.iter().map(|c| r(*c)).collect();
    let x = l.x.iter().map(|c| r(*c)).collect();
    let z = l.z.map(r).unwrap_or(0);
    let s = l.s.iter().map(|c| c.map(r).unwrap_or(0)).collect();
    let u = (0..nc)
        .map(|i| {
            let mut a = [0u32; 3];
            for k in 0..3 {
                if let Some(c) = l.u[i][k] {
                    a[k] = r(c);
                }
            }
            a
        })
        .collect();
    (y, x, z, s, u)
}

/// Checks an integer solution against the model of `p` (every comune's demand split
/// exactly, every venue and webinar load splittable into its editions).
pub(crate) fn check(p: &Problem, y: &[u32], x: &[u32], z: u32, s: &[u32], u: &[[u32; 3]]) -> bool {
    let nc = p.comuni.len();
    let mut load = vec![0u32; p.venues.len()];
    for (a, xa) in p.arcs.iter().zip(x) {
        load[a.v] += xa;
    }
    for c in 0..nc {
        let got: u32 =
            p.arcs_of[c].iter().map(|a| x[*a]).sum::<u32>() + s[c] + u[c].iter().sum::<u32>();
        if got != p.d(c) || (0..3).any(|k| u[c][k] > p.demand[c][k]) {
            return false;
        }
    }
    for (v, pv) in p.venues.iter().enumerate() {
        if load[v] < p.min * y[v] || load[v] > pv.cap * y[v] {
            return false;
        }
    }
    let wl: u32 = s.iter().sum();
    match p.webinar {
        Some(w) => wl >= w.min * z && wl <= w.max * z,
        None => wl == 0 && z == 0,
    }
}

/// Solves the theme: maximum priority-weighted people served first, then least cost.
/// `start`, if given, is a feasible way of serving every comune (used by the re-bound
/// after scheduling).
pub(crate) fn solve(ctx: &Ctx, p: &Problem, start: Option<Ints>) -> ThemeSolution {
    let params = &ctx.params;
    let opts = SolveOptions {
        rel_gap: params.mip_rel_gap,
        max_nodes: params.mip_max_nodes,
        seed: params.random_seed,
    };
    let weights = params.priority_weights.by_rank();
    let nc = p.comuni.len();
    // Comuni without any option are left out beforehand (the MIP never sees them).
    let lost: Vec<[u32; 3]> = (0..nc)
        .map(|c| if p.has_option(c) { [0; 3] } else { p.demand[c] })
        .collect();
    let mut q = p.clone();
    for c in 0..nc {
        if !p.has_option(c) {
            q.demand[c] = [0; 3];
        }
    }
    let p = &q;
    let empty = || ThemeSolution {
        y: vec![0; p.venues.len()],
        x: vec![0; p.arcs.len()],
        z: 0,
        s: vec![0; nc],
        u: lost.clone(),
        cost: 0.0,
        bound: 0.0,
        status: BoundStatus::Empty,
    };
    if (0..nc).all(|c| p.d(c) == 0) {
        return empty();
    }
    let zero_u = vec![[0u32; 3]; nc];
    let greedy_start = start
        .map(|(y, x, z, s, _)| (y, x, z, s))
        .or_else(|| greedy(p));
    let (_mode, start_vec, layout, mip) = match greedy_start {
        Some((y, x, z, s)) => {
            let (mip, l) = build(p, Mode::ServeAll, weights);
            let v = to_vector(&l, mip.cost.len(), &y, &x, z, &s, &zero_u);
            (Mode::ServeAll, Some(v), l, mip)
        }
        None => {
            // Phase 1: the most priority-weighted people that can be served.
            let (mip1, l1) = build(p, Mode::MaxServed, weights);
            let all_out = to_vector(
                &l1,
                mip1.cost.len(),
                &vec![0; p.venues.len()],
                &vec![0; p.arcs.len()],
                0,
                &vec![0; nc],
                &p.demand,
            );
            let s1 = solver::solve(
                &mip1,
                Some(&all_out),
                SolveOptions {
                    rel_gap: 0.0,
                    ..opts
                },
            );
            let (v1, best) = if matches!(s1.status, Status::Optimal | Status::Limit)
                && mip1.is_feasible(&s1.x, 1e-6)
            {
                (s1.x.clone(), s1.objective.round())
            } else {
                (all_out.clone(), mip1.objective(&all_out))
            };
            let ints = from_vector(&l1, &v1, nc);
            let (mip2, l2) = build(p, Mode::CappedUnserved(best), weights);
            let v2 = to_vector(
                &l2,
                mip2.cost.len(),
                &ints.0,
                &ints.1,
                ints.2,
                &ints.3,
                &ints.4,
            );
            (Mode::CappedUnserved(best), Some(v2), l2, mip2)
        }
    };
    let mut sol = solver::solve(&mip, start_vec.as_deref(), opts);
    if matches!(sol.status, Status::Optimal | Status::Limit) {
        integral_flows(&mip, &layout, &mut sol.x, opts);
    }
    let (ints, bound, status) = match sol.status {
        Status::Optimal | Status::Limit => {
            let ints = from_vector(&layout, &sol.x, nc);
            if check(p, &ints.0, &ints.1, ints.2, &ints.3, &ints.4) {
                let st = if sol.status == Status::Optimal {
                    BoundStatus::Optimal
                } else {
                    BoundStatus::NodeLimit
                };
                (ints, sol.dual_bound, st)
            } else {
                let v = start_vec.expect("a start exists");
                (
                    from_vector(&layout, &v, nc),
                    sol.dual_bound,
                    BoundStatus::NodeLimit,
                )
            }
        }
        _ => {
            // Should not happen: the start is feasible. Keep it, with the trivial bound.
            let v = start_vec.expect("a start exists");
            (from_vector(&layout, &v, nc), 0.0, BoundStatus::NodeLimit)
        }
    };
    let (y, x, z, s, mut u) = ints;
    for c in 0..nc {
        for k in 0..3 {
            u[c][k] += lost[c][k];
        }
    }
    let cost = p.cost(&y, &x, z, &s);
    let bound = if bound.is_finite() {
        bound.min(cost).max(0.0)
    } else {
        0.0
    };
    ThemeSolution {
        y,
        x,
        z,
        s,
        u,
        cost,
        bound,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editions_for_respects_bounds() {
        assert_eq!(editions_for(0, 8, 25), Some(0));
        assert_eq!(editions_for(7, 8, 25), None);
        assert_eq!(editions_for(8, 8, 25), Some(1));
        assert_eq!(editions_for(26, 8, 25), Some(2));
        assert_eq!(editions_for(26, 14, 25), None);
        assert_eq!(editions_for(28, 14, 25), Some(2));
    }
}
