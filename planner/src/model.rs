//! Input and output types of the planner. Everything is `serde`, so that a plan can be
//! stored next to the input and parameters that produced it and reproduced later.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::params::PlanParameters;
pub use crate::params::ThemeInfo;

/// A comune of the Province: where its employees start from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComunePoint {
    /// ISTAT code, e.g. `"008031"`.
    pub code: String,
    pub name: String,
    /// WGS84 latitude of the town hall (or centroid), degrees.
    pub lat: f64,
    /// WGS84 longitude, degrees.
    pub lon: f64,
}

/// A room where in-person editions can be held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VenueOption {
    pub id: i64,
    /// Display name, e.g. `"Imperia, sala del Consiglio provinciale"`.
    pub name: String,
    /// ISTAT code of the comune the room is in: people of that comune travel 0 km.
    pub comune_code: String,
    pub lat: f64,
    pub lon: f64,
    /// Seats in the room.
    pub capacity: u32,
}

/// Priority a comune gave a need line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Alta,
    Media,
    Bassa,
}

impl Priority {
    /// 0 for alta, 1 for media, 2 for bassa: the order in which demand is served.
    pub fn rank(self) -> usize {
        match self {
            Priority::Alta => 0,
            Priority::Media => 1,
            Priority::Bassa => 2,
        }
    }
    pub const ALL: [Priority; 3] = [Priority::Alta, Priority::Media, Priority::Bassa];
}

/// How an edition is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// In a room, everybody travels to the venue.
    InPerson,
    /// Live (synchronous) webinar: no travel, no room.
    Webinar,
}

/// What the comune said it would prefer. Informational: the optimisation does not price
/// it; the figures count how many people got what they preferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreferredModality {
    InPerson,
    Webinar,
    Any,
}

/// One answer line of the needs survey: comune × theme × office area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeedLine {
    pub id: i64,
    pub comune_code: String,
    pub theme_code: String,
    pub office_area: String,
    /// People to train.
    pub headcount: u32,
    pub priority: Priority,
    pub preferred_modality: PreferredModality,
    /// Named employees (at most `headcount`); the rest of the headcount is anonymous.
    #[serde(default)]
    pub employee_ids: Vec<i64>,
}

/// A room already taken on a day (another plan, another event).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Booking {
    pub venue_id: i64,
    pub date: NaiveDate,
}

/// Everything the planner reads. The order of the vectors does not matter: the planner
/// sorts them, so that the same content always gives the same plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanInput {
    pub comuni: Vec<ComunePoint>,
    pub venues: Vec<VenueOption>,
    pub needs: Vec<NeedLine>,
    pub themes: Vec<ThemeInfo>,
    pub parameters: PlanParameters,
    #[serde(default)]
    pub existing_bookings: Vec<Booking>,
}

/// Money in euro cents. Computed in `f64` and rounded once per edition component.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostBreakdown {
    /// Fixed cost of in-person editions (teacher, room, material).
    pub editions_cents: i64,
    /// Per-participant cost of in-person editions.
    pub participants_cents: i64,
    /// Mileage reimbursement: round trips × road km × €/km.
    pub travel_cents: i64,
    /// Value of the employees' time spent travelling.
    pub time_value_cents: i64,
    /// Webinars: fixed cost per edition plus cost per seat.
    pub webinars_cents: i64,
    /// Sum of the above.
    pub total_cents: i64,
}

impl CostBreakdown {
    pub(crate) fn add(&mut self, o: &CostBreakdown) {
        self.editions_cents += o.editions_cents;
        self.participants_cents += o.participants_cents;
        self.travel_cents += o.travel_cents;
        self.time_value_cents += o.time_value_cents;
        self.webinars_cents += o.webinars_cents;
        self.total_cents += o.total_cents;
    }
}

/// A part of a need line placed in an edition. The named employees are the line's first
/// names not yet placed elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineShare {
    pub need_line_id: i64,
    pub headcount: u32,
    pub employee_ids: Vec<i64>,
}

/// The people of one comune in one edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub comune_code: String,
    pub headcount: u32,
    /// Road distance one way to the venue (0 for webinars), rounded to 0.1 km.
    pub road_km: f64,
    /// The need lines these people come from (sum of headcounts = `headcount`).
    pub lines: Vec<LineShare>,
}

/// One concrete edition of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedEdition {
    /// Stable id: `"{theme}/{venue id}/{n}"`, `"{theme}/webinar/{n}"`, or
    /// `"{theme}/manual/{n}"` for editions added by an officer. The venue in the key is
    /// the one the optimisation chose; the scheduler may move the edition to an
    /// equivalent room at the same place, so read the room from `venue_id`.
    pub key: String,
    pub theme_code: String,
    pub modality: Modality,
    /// `None` for webinars.
    pub venue_id: Option<i64>,
    /// Session days, ascending; empty only in a plan that failed validation.
    pub dates: Vec<NaiveDate>,
    /// Participants (sum of the assignments).
    pub size: u32,
    pub assignments: Vec<Assignment>,
    pub cost: CostBreakdown,
    /// One Italian sentence saying why the edition is where it is.
    pub reason: String,
}

/// Why (part of) a need line is not in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnservedReason {
    /// Not enough people, even grouped with every reachable comune, to activate an edition.
    BelowThreshold,
    /// Dropped to keep the plan within the budget cap.
    OverBudget,
    /// The theme has no lawful modality enabled.
    NoLawfulModality,
    /// No venue within reach (or with enough seats) and no lawful webinar.
    NoVenue,
    /// The edition could not be placed in the calendar.
    CalendarFull,
    /// An officer dropped the edition.
    RemovedByOfficer,
}

/// Headcount of a need line left out of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnservedNeed {
    pub need_line_id: i64,
    pub comune_code: String,
    pub theme_code: String,
    pub headcount: u32,
    /// Named employees of the line who are left out.
    pub employee_ids: Vec<i64>,
    pub reason: UnservedReason,
}

/// Coverage of a subset of the demand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub people_requested: u64,
    pub people_served: u64,
    pub lines_total: u64,
    /// Lines whose whole headcount is in the plan.
    pub lines_served: u64,
    /// Lines with part of the headcount in the plan.
    pub lines_partial: u64,
}

/// How the bound of a theme was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundStatus {
    /// The MIP stopped within the relative gap target (or proved optimality).
    Optimal,
    /// The node limit stopped the MIP: the bound is valid but the gap may be wider.
    NodeLimit,
    /// Nothing to serve in the theme: cost and bound are 0.
    Empty,
}

/// Figures of one theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeFigures {
    pub theme_code: String,
    pub coverage: Coverage,
    pub editions_in_person: u32,
    pub editions_webinar: u32,
    pub cost: CostBreakdown,
    pub standalone_cents: i64,
    /// Proven lower bound (cents, rounded down) on the cost of any plan that serves the
    /// same people of this theme (see the crate docs).
    pub lower_bound_cents: i64,
    /// (cost − bound) / cost; 0 when the cost is 0.
    pub gap: f64,
    pub bound_status: BoundStatus,
}

/// Figures of one comune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComuneFigures {
    pub comune_code: String,
    pub coverage: Coverage,
    pub person_km: f64,
    pub travel_hours: f64,
}

/// The numbers of a plan. All sums are over the editions and unserved lines of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub coverage: Coverage,
    pub editions_in_person: u32,
    pub editions_webinar: u32,
    /// Kilometres travelled by all participants, all days, both ways.
    pub person_km: f64,
    /// Hours spent travelling by all participants.
    pub travel_hours: f64,
    /// People placed in the modality their line preferred (or `any`).
    pub people_with_preferred_modality: u64,
    pub cost: CostBreakdown,
    /// Every comune buying its own in-person edition at home for the people the plan
    /// serves: Σ ceil(d/max)·F + d·p per comune and theme (no travel, no threshold).
    pub standalone_cents: i64,
    /// `standalone_cents − cost.total_cents`.
    pub saving_cents: i64,
    /// Sum of the per-theme proven bounds.
    pub lower_bound_cents: i64,
    /// (total − bound) / total.
    pub gap: f64,
    pub per_theme: Vec<ThemeFigures>,
    pub per_comune: Vec<ComuneFigures>,
}

/// The annual training plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// The parameters the plan was computed with, per-theme defaults filled in.
    pub parameters: PlanParameters,
    /// Editions ordered by theme code, then key.
    pub editions: Vec<PlannedEdition>,
    /// Left-out headcount ordered by need line id, then reason.
    pub unserved: Vec<UnservedNeed>,
    pub figures: Figures,
}
