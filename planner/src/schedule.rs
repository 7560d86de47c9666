//! Dates: a greedy, deterministic list scheduler.
//!
//! Editions are taken in order (mandatory theme first, then the best priority among their
//! lines, then size descending, then key) and each gets the earliest start day such that:
//! its session days are consecutive available working days ([`crate::calendar`]); no
//! ISO week ends up with more than `editions_per_week` editions having a session; its
//! room is free every session day (existing bookings included); none of its named
//! employees has another session that day.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::calendar::{self, MAX_SPAN_DAYS};
use crate::context::Ctx;
use crate::model::PlannedEdition;

/// What is already taken.
#[derive(Default)]
pub(crate) struct Occupancy {
    pub rooms: BTreeSet<(i64, NaiveDate)>,
    pub weeks: BTreeMap<(i32, u32), u32>,
    pub people: BTreeSet<(i64, NaiveDate)>,
}

pub(crate) fn employees(e: &PlannedEdition) -> Vec<i64> {
    let mut v: Vec<i64> = e
        .assignments
        .iter()
        .flat_map(|a| a.lines.iter().flat_map(|l| l.employee_ids.iter().copied()))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn weeks_of(days: &[NaiveDate]) -> Vec<(i32, u32)> {
    let mut w: Vec<(i32, u32)> = days.iter().map(|d| calendar::iso_week(*d)).collect();
    w.dedup();
    w
}

/// Scheduling order key of an edition: (mandatory first, best priority, larger first, key).
fn order_key(ctx: &Ctx, e: &PlannedEdition) -> (bool, usize, std::cmp::Reverse<u32>, String) {
    let mandatory = ctx
        .theme_idx
        .get(&e.theme_code)
        .map(|t| ctx.themes[*t].info.mandatory)
        .unwrap_or(false);
    let best = e
        .assignments
        .iter()
        .flat_map(|a| a.lines.iter())
        .filter_map(|l| ctx.need_idx.get(&l.need_line_id))
        .map(|n| ctx.needs[*n].priority.rank())
        .min()
        .unwrap_or(2);
    (!mandatory, best, std::cmp::Reverse(e.size), e.key.clone())
}

/// Rooms an in-person edition may use: its own venue first, then the other rooms at the
/// same place (same comune and coordinates) with enough seats, by id. Moving between them
/// changes no distance and no cost.
fn equivalent_rooms(ctx: &Ctx, e: &PlannedEdition) -> Vec<i64> {
    let Some(own) = e.venue_id else {
        return Vec::new();
    };
    let Some(&vi) = ctx.venue_idx.get(&own) else {
        return vec![own];
    };
    let v = ctx.venues[vi];
    let mut rooms = vec![own];
    for o in &ctx.venues {
        if o.id != own
            && o.comune_code == v.comune_code
            && o.lat == v.lat
            && o.lon == v.lon
            && o.capacity >= e.size
        {
            rooms.push(o.id);
        }
    }
    rooms
}

/// Gives every edition its dates (and, where its room is taken, an equivalent room). Returns the indices of the editions that found no
/// room in the calendar (their `dates` stay empty).
pub(crate) fn schedule(
    ctx: &Ctx,
    editions: &mut [PlannedEdition],
    bookings: &[(i64, NaiveDate)],
) -> Vec<usize> {
    let avail = calendar::available_days(&ctx.params);
    let mut occ = Occupancy::default();
    for b in bookings {
        occ.rooms.insert(*b);
    }
    let cap = ctx.params.editions_per_week;
    let mut order: Vec<usize> = (0..editions.len()).collect();
    order.sort_by_cached_key(|i| order_key(ctx, &editions[*i]));
    // First start index worth trying per (theme days, venue): everything before is known
    // to be full for this kind of edition (weeks only fill up).
    let mut failed = Vec::new();
    for i in order {
        let e = &editions[i];
        let days = ctx
            .theme_idx
            .get(&e.theme_code)
            .map(|t| ctx.themes[*t].days)
            .unwrap_or(1) as usize;
        let people = employees(e);
        let rooms = equivalent_rooms(ctx, e);
        let mut chosen = None;
        'start: for s in 0..avail.len() {
            if s + days > avail.len() {
                break;
            }
            let ds = &avail[s..s + days];
            if (ds[days - 1] - ds[0]).num_days() > MAX_SPAN_DAYS {
                continue;
            }
            for w in weeks_of(ds) {
                if occ.weeks.get(&w).copied().unwrap_or(0) >= cap {
                    continue 'start;
                }
            }
            for d in ds {
                for p in &people {
                    if occ.people.contains(&(*p, *d)) {
                        continue 'start;
                    }
                }
            }
            let room = if rooms.is_empty() {
                None
            } else {
                match rooms
                    .iter()
                    .find(|r| ds.iter().all(|d| !occ.rooms.contains(&(**r, *d))))
                {
                    Some(r) => Some(*r),
                    None => continue 'start,
                }
            };
            chosen = Some((ds.to_vec(), room));
            break;
        }
        match chosen {
            Some((ds, venue)) => {
                editions[i].venue_id = venue.or(editions[i].venue_id);
                for w in weeks_of(&ds) {
                    *occ.weeks.entry(w).or_insert(0) += 1;
                }
                for d in &ds {
                    if let Some(v) = venue {
                        occ.rooms.insert((v, *d));
                    }
                    for p in &people {
                        occ.people.insert((*p, *d));
                    }
                }
                editions[i].dates = ds;
            }
            None => failed.push(i),
        }
    }
    failed.sort_unstable();
    failed
}
