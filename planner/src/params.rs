//! Planning parameters, their documented defaults and their validation.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A training theme as the planner needs to know it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeInfo {
    pub code: String,
    pub name: String,
    /// The law requires presence (`forbids_elearning`): no webinar.
    pub presence_only: bool,
    /// Mandatory training: scheduled first.
    pub mandatory: bool,
}

/// An error in the parameters or in the input, naming the offending field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Path of the field, e.g. `"themes[privacy].min_participants"` or `"needs[42].comune_code"`.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A period (inclusive) with no training, e.g. August.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosedPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// Weights of the priorities when the demand cannot all be served: the plan maximises
/// the weighted number of people served before it minimises cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityWeights {
    pub alta: u32,
    pub media: u32,
    pub bassa: u32,
}

impl Default for PriorityWeights {
    /// 3 / 2 / 1.
    fn default() -> Self {
        Self {
            alta: 3,
            media: 2,
            bassa: 1,
        }
    }
}

impl PriorityWeights {
    pub(crate) fn by_rank(&self) -> [u32; 3] {
        [self.alta, self.media, self.bassa]
    }
}

/// Per-theme parameters. [`ThemeParameters::default_for`] documents the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeParameters {
    pub theme_code: String,
    /// Length of the course in hours.
    pub hours: f64,
    /// Activation threshold of an in-person edition.
    pub min_participants: u32,
    /// Maximum participants of an in-person edition (the room may allow fewer).
    pub max_participants: u32,
    /// Activation threshold of a webinar.
    pub webinar_min_participants: u32,
    /// Maximum participants of a webinar.
    pub webinar_max_participants: u32,
    /// Fixed cost of an in-person edition, euro.
    pub edition_cost_eur: f64,
    /// Cost per in-person participant (material, certificate), euro.
    pub participant_cost_eur: f64,
    /// Fixed cost of a webinar edition, euro.
    pub webinar_cost_eur: f64,
    /// Cost per webinar seat, euro.
    pub webinar_seat_cost_eur: f64,
    /// The admin allows in-person editions.
    pub in_person_allowed: bool,
    /// The admin allows live webinars. Ignored (never lawful) for presence-only themes.
    pub webinar_allowed: bool,
    /// Where a webinar is lawful, nobody farther than this road distance from a venue is
    /// sent there in person.
    pub webinar_beyond_km: f64,
}

impl ThemeParameters {
    /// Defaults derived from the theme:
    ///
    /// - `hours`: 12 for `primo_soccorso` (D.M. 388/2003, groups B/C) and
    ///   `sicurezza_rischio_medio_alto`; 6 for `sicurezza_lavoro_aggiornamento`; 8 for
    ///   everything else (including `antincendio`, level 2, and `sicurezza_preposti`);
    /// - in person: min 8, max 25 participants; fixed cost 1,200 € per 8 hours (150 €/h of
    ///   teaching, room and material), 15 € per participant;
    /// - webinar: min 8, max 100 participants; 600 € per 8 hours, 5 € per seat;
    /// - modalities: in person always; webinar unless the theme is presence-only;
    /// - `webinar_beyond_km`: 40 km of road.
    ///
    /// `mandatory` does not change the numbers (it changes the scheduling order).
    pub fn default_for(theme_code: &str, presence_only: bool, mandatory: bool) -> Self {
        let _ = mandatory;
        let hours = match theme_code {
            "primo_soccorso" | "sicurezza_rischio_medio_alto" => 12.0,
            "sicurezza_lavoro_aggiornamento" => 6.0,
            _ => 8.0,
        };
        Self {
            theme_code: theme_code.to_string(),
            hours,
            min_participants: 8,
            max_participants: 25,
            webinar_min_participants: 8,
            webinar_max_participants: 100,
            edition_cost_eur: 1200.0 * hours / 8.0,
            participant_cost_eur: 15.0,
            webinar_cost_eur: 600.0 * hours / 8.0,
            webinar_seat_cost_eur: 5.0,
            in_person_allowed: true,
            webinar_allowed: !presence_only,
            webinar_beyond_km: 40.0,
        }
    }
}

/// Every parameter of a plan. Stored in the plan, so that it can be reproduced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanParameters {
    /// Year of the survey campaign (the plan covers, by default, the year after).
    pub campaign_year: i32,
    /// First day an edition may take place.
    pub window_start: NaiveDate,
    /// Last day an edition may take place.
    pub window_end: NaiveDate,
    /// No session in these periods (default: August 1–31 of every year of the window).
    pub closed_periods: Vec<ClosedPeriod>,
    /// Teaching hours per session day (default 4: half-day sessions, so that small
    /// offices are not closed for a whole day). An edition lasts ceil(hours / this) days.
    pub hours_per_day: f64,
    /// Mileage reimbursement, euro per km (default 0.35).
    pub eur_per_km: f64,
    /// Value of one hour of an employee's time, euro (default 25).
    pub eur_per_hour: f64,
    /// Average road speed, km/h (default 45: valley roads).
    pub avg_speed_kmh: f64,
    /// Road km = straight-line km × this (default 1.5, see the crate docs).
    pub detour_factor: f64,
    /// Nobody is sent in person to a venue farther than this road distance (default 150).
    pub max_travel_km: f64,
    /// Editions with a session in one ISO week, at most (the office's capacity; default 4).
    pub editions_per_week: u32,
    /// Optional cap on the plan's total cost, euro cents.
    pub budget_cap_cents: Option<i64>,
    pub priority_weights: PriorityWeights,
    /// Relative gap at which the MIP of a theme stops (default 0.005 = 0.5 %).
    pub mip_rel_gap: f64,
    /// Branch-and-bound node limit per MIP (deterministic; default 20,000).
    pub mip_max_nodes: i64,
    /// Seed of the solver's pseudo-random choices (default 0).
    pub random_seed: i32,
    /// Per-theme parameters; a theme without an entry gets [`ThemeParameters::default_for`].
    pub themes: Vec<ThemeParameters>,
}

impl PlanParameters {
    /// Defaults for a campaign: the window is the calendar year after `campaign_year`,
    /// August is closed, and every theme gets [`ThemeParameters::default_for`].
    pub fn defaults(campaign_year: i32, themes: &[ThemeInfo]) -> Self {
        let year = campaign_year + 1;
        let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).expect("valid date");
        let mut theme_params: Vec<ThemeParameters> = themes
            .iter()
            .map(|t| ThemeParameters::default_for(&t.code, t.presence_only, t.mandatory))
            .collect();
        theme_params.sort_by(|a, b| a.theme_code.cmp(&b.theme_code));
        Self {
            campaign_year,
            window_start: d(1, 1),
            window_end: d(12, 31),
            closed_periods: vec![ClosedPeriod {
                start: d(8, 1),
                end: d(8, 31),
            }],
            hours_per_day: 4.0,
            eur_per_km: 0.35,
            eur_per_hour: 25.0,
            avg_speed_kmh: 45.0,
            detour_factor: 1.5,
            max_travel_km: 150.0,
            editions_per_week: 4,
            budget_cap_cents: None,
            priority_weights: PriorityWeights::default(),
            mip_rel_gap: 0.005,
            mip_max_nodes: 20_000,
            random_seed: 0,
            themes: theme_params,
        }
    }

    /// The parameters of a theme, if set.
    pub fn theme(&self, code: &str) -> Option<&ThemeParameters> {
        self.themes.iter().find(|t| t.theme_code == code)
    }

    /// Session days of an edition of `hours` hours.
    pub fn days_for(&self, hours: f64) -> u32 {
        ((hours / self.hours_per_day).ceil() as u32).max(1)
    }

    /// Every bad field, by name. Empty means valid.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Vec::new();
        if self.window_end < self.window_start {
            e.push(FieldError::new(
                "window_end",
                "il periodo finisce prima di cominciare",
            ));
        }
        if self.window_start.year() < 1900 || self.window_end.year() > 2999 {
            e.push(FieldError::new(
                "window_start",
                "anni tra il 1900 e il 2999",
            ));
        }
        for (i, p) in self.closed_periods.iter().enumerate() {
            if p.end < p.start {
                e.push(FieldError::new(
                    format!("closed_periods[{i}].end"),
                    "il periodo finisce prima di cominciare",
                ));
            }
        }
        let positive = |e: &mut Vec<FieldError>, name: &str, v: f64| {
            if !(v.is_finite() && v > 0.0) {
                e.push(FieldError::new(name, "deve essere un numero positivo"));
            }
        };
        let non_negative = |e: &mut Vec<FieldError>, name: &str, v: f64| {
            if !(v.is_finite() && v >= 0.0) {
                e.push(FieldError::new(name, "deve essere zero o positivo"));
            }
        };
        positive(&mut e, "hours_per_day", self.hours_per_day);
        non_negative(&mut e, "eur_per_km", self.eur_per_km);
        non_negative(&mut e, "eur_per_hour", self.eur_per_hour);
        positive(&mut e, "avg_speed_kmh", self.avg_speed_kmh);
        if !(self.detour_factor.is_finite() && self.detour_factor >= 1.0) {
            e.push(FieldError::new("detour_factor", "almeno 1"));
        }
        non_negative(&mut e, "max_travel_km", self.max_travel_km);
        if self.editions_per_week == 0 {
            e.push(FieldError::new("editions_per_week", "almeno 1"));
        }
        if let Some(cap) = self.budget_cap_cents
            && cap < 0
        {
            e.push(FieldError::new(
                "budget_cap_cents",
                "deve essere zero o positivo",
            ));
        }
        if self.priority_weights.alta == 0
            || self.priority_weights.media == 0
            || self.priority_weights.bassa == 0
        {
            e.push(FieldError::new(
                "priority_weights",
                "i pesi devono essere positivi",
            ));
        } else if !(self.priority_weights.alta >= self.priority_weights.media
            && self.priority_weights.media >= self.priority_weights.bassa)
        {
            e.push(FieldError::new(
                "priority_weights",
                "deve valere alta ≥ media ≥ bassa",
            ));
        }
        if !(self.mip_rel_gap.is_finite() && (0.0..1.0).contains(&self.mip_rel_gap)) {
            e.push(FieldError::new(
                "mip_rel_gap",
                "tra 0 (incluso) e 1 (escluso)",
            ));
        }
        if self.mip_max_nodes < 1 {
            e.push(FieldError::new("mip_max_nodes", "almeno 1"));
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in &self.themes {
            let f = |name: &str| format!("themes[{}].{name}", t.theme_code);
            if !seen.insert(t.theme_code.clone()) {
                e.push(FieldError::new(f("theme_code"), "tema ripetuto"));
            }
            positive(&mut e, &f("hours"), t.hours);
            if t.min_participants == 0 {
                e.push(FieldError::new(f("min_participants"), "almeno 1"));
            }
            if t.min_participants > t.max_participants {
                e.push(FieldError::new(
                    f("min_participants"),
                    "maggiore del massimo di partecipanti",
                ));
            }
            if t.webinar_min_participants == 0 {
                e.push(FieldError::new(f("webinar_min_participants"), "almeno 1"));
            }
            if t.webinar_min_participants > t.webinar_max_participants {
                e.push(FieldError::new(
                    f("webinar_min_participants"),
                    "maggiore del massimo di partecipanti al webinar",
                ));
            }
            non_negative(&mut e, &f("edition_cost_eur"), t.edition_cost_eur);
            non_negative(&mut e, &f("participant_cost_eur"), t.participant_cost_eur);
            non_negative(&mut e, &f("webinar_cost_eur"), t.webinar_cost_eur);
            non_negative(&mut e, &f("webinar_seat_cost_eur"), t.webinar_seat_cost_eur);
            non_negative(&mut e, &f("webinar_beyond_km"), t.webinar_beyond_km);
        }
        if e.is_empty() { Ok(()) } else { Err(e) }
    }
}
