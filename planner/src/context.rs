//! The validated, sorted and indexed view of a [`PlanInput`] every step works on.

use std::collections::{BTreeMap, BTreeSet};

use crate::geo;
use crate::model::{ComunePoint, NeedLine, PlanInput, ThemeInfo, VenueOption};
use crate::params::{FieldError, PlanParameters, ThemeParameters};

/// A theme with its resolved parameters.
#[derive(Debug, Clone)]
pub(crate) struct ThemeCtx {
    pub info: ThemeInfo,
    pub tp: ThemeParameters,
    /// Session days of one edition.
    pub days: u32,
}

impl ThemeCtx {
    /// A live webinar is lawful for the theme and enabled.
    pub fn webinar_lawful(&self) -> bool {
        self.tp.webinar_allowed && !self.info.presence_only
    }
    pub fn in_person_lawful(&self) -> bool {
        self.tp.in_person_allowed
    }
}

pub(crate) struct Ctx<'a> {
    pub params: PlanParameters,
    pub comuni: Vec<&'a ComunePoint>,
    pub comune_idx: BTreeMap<&'a str, usize>,
    pub venues: Vec<&'a VenueOption>,
    pub venue_idx: BTreeMap<i64, usize>,
    pub themes: Vec<ThemeCtx>,
    pub theme_idx: BTreeMap<String, usize>,
    /// Need lines sorted by id, headcount > 0.
    pub needs: Vec<&'a NeedLine>,
    pub need_idx: BTreeMap<i64, usize>,
    /// Road km, `[comune][venue]`.
    pub road: Vec<Vec<f64>>,
}

impl<'a> Ctx<'a> {
    /// Validates and indexes `input`; `params` overrides `input.parameters` (recost uses
    /// the parameters stored in the plan).
    pub fn new(input: &'a PlanInput, params: &PlanParameters) -> Result<Self, Vec<FieldError>> {
        let mut errors = match params.validate() {
            Ok(()) => Vec::new(),
            Err(e) => e,
        };
        let mut comuni: Vec<&ComunePoint> = input.comuni.iter().collect();
        comuni.sort_by(|a, b| a.code.cmp(&b.code));
        let mut comune_idx = BTreeMap::new();
        for (i, c) in comuni.iter().enumerate() {
            if comune_idx.insert(c.code.as_str(), i).is_some() {
                errors.push(FieldError::new(
                    format!("comuni[{}]", c.code),
                    "comune ripetuto",
                ));
            }
            if !(c.lat.is_finite() && c.lon.is_finite()) {
                errors.push(FieldError::new(
                    format!("comuni[{}].lat", c.code),
                    "coordinate non valide",
                ));
            }
        }
        let mut venues: Vec<&VenueOption> = input.venues.iter().collect();
        venues.sort_by_key(|v| v.id);
        let mut venue_idx = BTreeMap::new();
        for (i, v) in venues.iter().enumerate() {
            if venue_idx.insert(v.id, i).is_some() {
                errors.push(FieldError::new(
                    format!("venues[{}]", v.id),
                    "sede ripetuta",
                ));
            }
            if !(v.lat.is_finite() && v.lon.is_finite()) {
                errors.push(FieldError::new(
                    format!("venues[{}].lat", v.id),
                    "coordinate non valide",
                ));
            }
        }
        let mut infos: Vec<&ThemeInfo> = input.themes.iter().collect();
        infos.sort_by(|a, b| a.code.cmp(&b.code));
        let mut theme_idx = BTreeMap::new();
        let mut themes = Vec::new();
        let mut resolved = params.clone();
        for t in infos {
            if theme_idx.contains_key(&t.code) {
                errors.push(FieldError::new(
                    format!("themes[{}]", t.code),
                    "tema ripetuto",
                ));
                continue;
            }
            let tp = match params.theme(&t.code) {
                Some(tp) => tp.clone(),
                None => {
                    let tp = ThemeParameters::default_for(&t.code, t.presence_only, t.mandatory);
                    resolved.themes.push(tp.clone());
                    tp
                }
            };
            let days = params.days_for(tp.hours);
            theme_idx.insert(t.code.clone(), themes.len());
            themes.push(ThemeCtx {
                info: t.clone(),
                tp,
                days,
            });
        }
        resolved
            .themes
            .sort_by(|a, b| a.theme_code.cmp(&b.theme_code));
        let mut needs: Vec<&NeedLine> = input.needs.iter().collect();
        needs.sort_by_key(|n| n.id);
        let mut need_idx = BTreeMap::new();
        let mut employees_per_line = BTreeSet::new();
        for n in &needs {
            let f = |name: &str| format!("needs[{}].{name}", n.id);
            if need_idx.contains_key(&n.id) {
                errors.push(FieldError::new(f("id"), "riga di fabbisogno ripetuta"));
            }
            need_idx.insert(n.id, 0);
            if !comune_idx.contains_key(n.comune_code.as_str()) {
                errors.push(FieldError::new(f("comune_code"), "comune inesistente"));
            }
            if !theme_idx.contains_key(&n.theme_code) {
                errors.push(FieldError::new(f("theme_code"), "tema inesistente"));
            }
            if n.employee_ids.len() as u64 > n.headcount as u64 {
                errors.push(FieldError::new(
                    f("employee_ids"),
                    "più dipendenti nominati che persone",
                ));
            }
            employees_per_line.clear();
            for e in &n.employee_ids {
                if !employees_per_line.insert(*e) {
                    errors.push(FieldError::new(
                        f("employee_ids"),
                        "dipendente nominato due volte",
                    ));
                    break;
                }
            }
        }
        for b in &input.existing_bookings {
            if !venue_idx.contains_key(&b.venue_id) {
                errors.push(FieldError::new(
                    format!("existing_bookings[{}]", b.venue_id),
                    "sede inesistente",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let needs: Vec<&NeedLine> = needs.into_iter().filter(|n| n.headcount > 0).collect();
        let need_idx = needs.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
        let road = comuni
            .iter()
            .map(|c| {
                venues
                    .iter()
                    .map(|v| {
                        geo::road_km(
                            c.code == v.comune_code,
                            c.lat,
                            c.lon,
                            v.lat,
                            v.lon,
                            params.detour_factor,
                        )
                    })
                    .collect()
            })
            .collect();
        Ok(Ctx {
            params: resolved,
            comuni,
            comune_idx,
            venues,
            venue_idx,
            themes,
            theme_idx,
            needs,
            need_idx,
            road,
        })
    }

    /// Travel cost of one participant to a venue at `km` road km for the whole edition:
    /// (reimbursement, time value), euro.
    pub fn travel_cost(&self, km: f64, days: u32) -> (f64, f64) {
        let p = &self.params;
        let trips = 2.0 * days as f64;
        (
            trips * km * p.eur_per_km,
            trips * (km / p.avg_speed_kmh) * p.eur_per_hour,
        )
    }

    /// Seats of a venue for a theme (room and theme maximum), `None` if the venue cannot
    /// host an edition of the theme.
    pub fn venue_cap(&self, theme: usize, venue: usize) -> Option<u32> {
        let t = &self.themes[theme];
        if !t.in_person_lawful() {
            return None;
        }
        let cap = t.tp.max_participants.min(self.venues[venue].capacity);
        (cap >= t.tp.min_participants).then_some(cap)
    }

    /// Whether people of comune `c` may be sent in person to venue `v` for the theme.
    pub fn arc_allowed(&self, theme: usize, c: usize, v: usize) -> bool {
        let t = &self.themes[theme];
        let km = self.road[c][v];
        km <= self.params.max_travel_km && (!t.webinar_lawful() || km <= t.tp.webinar_beyond_km)
    }

    /// Display name of a venue's comune (falls back to the venue's name).
    pub fn venue_place(&self, venue: usize) -> &str {
        let v = self.venues[venue];
        self.comune_idx
            .get(v.comune_code.as_str())
            .map(|c| self.comuni[*c].name.as_str())
            .unwrap_or(v.name.as_str())
    }
}

/// Euro to cents, rounded once.
pub(crate) fn cents(eur: f64) -> i64 {
    (eur * 100.0).round() as i64
}
