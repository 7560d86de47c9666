//! Annual plans: computed from a closed campaign, edited, compared, approved, published.
//!
//! The DTOs here are the API's contract; they mirror the planner's types field for field
//! (`via_json` converts between the two, and a unit test keeps the shapes equal), so that
//! the optimiser can change inside without changing what clients see.
use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::{MergePatch, Paged, ValidatedJson, ValidatedQuery};
use super::http_cache::{IfMatch, created, etag_of, if_match, json_with_etag, precondition_holds};
use super::pagination::{Page, PageQuery, page_response};
use super::spreadsheet::{self, Cell, Sheet};
use crate::app;
use crate::app::plans::{PlanChange, PlanView, Publication};
use crate::auth::AuthUser;
use crate::domain::plan::{PlanStatus, PlanSummary, StoredPlan};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::plans::PlanFilter;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(read_plan_defaults)
        .service(list_plans)
        .service(create_plan)
        .service(read_plan)
        .service(update_plan)
        .service(edit_plan)
        .service(compare_plans);
}

/// Converts between two types of the same JSON shape (a planner type and its DTO).
fn via_json<A: Serialize, B: DeserializeOwned>(value: &A) -> Result<B, ApiError> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("plan DTO shape: {e}")))
}

// ---------------------------------------------------------------------------------------
// Parameters

/// Parameters of one theme. Money in euro.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "theme_code": "privacy", "hours": 8.0, "min_participants": 8, "max_participants": 25,
    "webinar_min_participants": 8, "webinar_max_participants": 100, "edition_cost_eur": 1200.0,
    "participant_cost_eur": 15.0, "webinar_cost_eur": 600.0, "webinar_seat_cost_eur": 5.0,
    "in_person_allowed": true, "webinar_allowed": true, "webinar_beyond_km": 40.0
}))]
pub struct ThemeParametersBody {
    #[validate(length(min = 1, max = 60))]
    #[schema(min_length = 1, max_length = 60)]
    pub theme_code: String,
    /// Length of the course, hours.
    #[validate(range(min = 0.25, max = 500.0))]
    #[schema(minimum = 0.25, maximum = 500.0)]
    pub hours: f64,
    /// Activation threshold of an in-person edition.
    #[validate(range(min = 1, max = 10000))]
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub min_participants: u32,
    #[validate(range(min = 1, max = 10000))]
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub max_participants: u32,
    #[validate(range(min = 1, max = 10000))]
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub webinar_min_participants: u32,
    #[validate(range(min = 1, max = 10000))]
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub webinar_max_participants: u32,
    /// Fixed cost of an in-person edition (teacher, room, material).
    #[validate(range(min = 0.0, max = 10000000.0))]
    #[schema(minimum = 0, maximum = 10000000)]
    pub edition_cost_eur: f64,
    /// Cost per in-person participant.
    #[validate(range(min = 0.0, max = 1000000.0))]
    #[schema(minimum = 0, maximum = 1000000)]
    pub participant_cost_eur: f64,
    /// Fixed cost of a webinar.
    #[validate(range(min = 0.0, max = 10000000.0))]
    #[schema(minimum = 0, maximum = 10000000)]
    pub webinar_cost_eur: f64,
    /// Cost per webinar seat.
    #[validate(range(min = 0.0, max = 1000000.0))]
    #[schema(minimum = 0, maximum = 1000000)]
    pub webinar_seat_cost_eur: f64,
    pub in_person_allowed: bool,
    /// Ignored for themes the law wants in presence.
    pub webinar_allowed: bool,
    /// Where a webinar is lawful, nobody farther than this (road km) is sent in person.
    #[validate(range(min = 0.0, max = 10000.0))]
    #[schema(minimum = 0, maximum = 10000)]
    pub webinar_beyond_km: f64,
}

/// A period with no training (both days included).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"start": "2027-08-01", "end": "2027-08-31"}))]
pub struct ClosedPeriodBody {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// How much more a person of each priority counts when not everyone can be served.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"alta": 3, "media": 2, "bassa": 1}))]
pub struct PriorityWeightsBody {
    #[validate(range(min = 1, max = 1000))]
    #[schema(format = Int32, minimum = 1, maximum = 1000)]
    pub alta: u32,
    #[validate(range(min = 1, max = 1000))]
    #[schema(format = Int32, minimum = 1, maximum = 1000)]
    pub media: u32,
    #[validate(range(min = 1, max = 1000))]
    #[schema(format = Int32, minimum = 1, maximum = 1000)]
    pub bassa: u32,
}

/// Every parameter of a plan, stored with it so that it can be reproduced. `GET
/// /plan-defaults` gives the documented defaults to start from.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "campaign_year": 2026, "window_start": "2027-01-01", "window_end": "2027-12-31",
    "closed_periods": [{"start": "2027-08-01", "end": "2027-08-31"}], "hours_per_day": 4.0,
    "eur_per_km": 0.35, "eur_per_hour": 25.0, "avg_speed_kmh": 45.0, "detour_factor": 1.5,
    "max_travel_km": 150.0, "editions_per_week": 4, "budget_cap_cents": null,
    "priority_weights": {"alta": 3, "media": 2, "bassa": 1}, "mip_rel_gap": 0.005,
    "mip_max_nodes": 20000, "random_seed": 0,
    "themes": [{"theme_code": "privacy", "hours": 8.0, "min_participants": 8, "max_participants": 25,
        "webinar_min_participants": 8, "webinar_max_participants": 100, "edition_cost_eur": 1200.0,
        "participant_cost_eur": 15.0, "webinar_cost_eur": 600.0, "webinar_seat_cost_eur": 5.0,
        "in_person_allowed": true, "webinar_allowed": true, "webinar_beyond_km": 40.0}]
}))]
pub struct PlanParametersBody {
    #[validate(range(min = 1900, max = 2999))]
    #[schema(format = Int32, minimum = 1900, maximum = 2999)]
    pub campaign_year: i32,
    /// First day an edition may take place.
    pub window_start: NaiveDate,
    /// Last day (at most two years after the first).
    pub window_end: NaiveDate,
    #[validate(length(max = 50), nested)]
    #[schema(max_items = 50)]
    pub closed_periods: Vec<ClosedPeriodBody>,
    /// Teaching hours per session day: an edition lasts ceil(hours / this) days.
    #[validate(range(min = 0.5, max = 12.0))]
    #[schema(minimum = 0.5, maximum = 12)]
    pub hours_per_day: f64,
    /// Mileage reimbursement, euro per km.
    #[validate(range(min = 0.0, max = 100.0))]
    #[schema(minimum = 0, maximum = 100)]
    pub eur_per_km: f64,
    /// Value of an hour of an employee's time, euro.
    #[validate(range(min = 0.0, max = 10000.0))]
    #[schema(minimum = 0, maximum = 10000)]
    pub eur_per_hour: f64,
    /// Average road speed, km/h.
    #[validate(range(min = 1.0, max = 200.0))]
    #[schema(minimum = 1, maximum = 200)]
    pub avg_speed_kmh: f64,
    /// Road km = straight-line km × this (1.5 for Ligurian valleys).
    #[validate(range(min = 1.0, max = 5.0))]
    #[schema(minimum = 1, maximum = 5)]
    pub detour_factor: f64,
    /// Nobody is sent in person farther than this, road km.
    #[validate(range(min = 0.0, max = 10000.0))]
    #[schema(minimum = 0, maximum = 10000)]
    pub max_travel_km: f64,
    /// Editions with a session in one week, at most (the office's capacity).
    #[validate(range(min = 1, max = 1000))]
    #[schema(format = Int32, minimum = 1, maximum = 1000)]
    pub editions_per_week: u32,
    /// Optional cap on the total cost, euro cents.
    #[validate(range(min = 0, max = 1_000_000_000_000i64))]
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000i64)]
    pub budget_cap_cents: Option<i64>,
    #[validate(nested)]
    pub priority_weights: PriorityWeightsBody,
    /// Relative gap at which the optimisation of a theme stops.
    #[validate(range(min = 0.0, max = 0.5))]
    #[schema(minimum = 0, maximum = 0.5)]
    pub mip_rel_gap: f64,
    /// Branch-and-bound node limit per theme (deterministic).
    #[validate(range(min = 1, max = 1_000_000))]
    #[schema(format = Int64, minimum = 1, maximum = 1_000_000)]
    pub mip_max_nodes: i64,
    /// Seed of the solver's pseudo-random choices.
    #[validate(range(min = 0, max = 1_000_000))]
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub random_seed: i32,
    #[validate(length(max = 200), nested)]
    #[schema(max_items = 200)]
    pub themes: Vec<ThemeParametersBody>,
}

/// Which campaign's defaults.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DefaultsQuery {
    /// The campaign the plan is for.
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[param(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub campaign_id: i64,
}

/// Plan parameters' defaults
///
/// The documented defaults for a plan of a campaign: the year after the campaign's, August
/// closed, half-day sessions, 0.35 €/km, 25 € an hour of staff time, 45 km/h on valley
/// roads, a 1.5 detour factor, and per theme hours, thresholds and costs. Admin only.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(DefaultsQuery),
    responses(
        (status = 200, description = "The default parameters.", body = PlanParametersBody),
        (status = 404, response = super::problems::NotFound),
    )
)]
#[get("/plan-defaults")]
async fn read_plan_defaults(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedQuery(query): ValidatedQuery<DefaultsQuery>,
) -> Result<HttpResponse, ApiError> {
    let parameters = app::plans::defaults(&state.db, &actor, query.campaign_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(via_json::<_, PlanParametersBody>(&parameters)?))
}

// ---------------------------------------------------------------------------------------
// Plans

/// Where a plan is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatusName {
    Draft,
    Approved,
    Published,
}

impl From<PlanStatus> for PlanStatusName {
    fn from(s: PlanStatus) -> Self {
        match s {
            PlanStatus::Draft => Self::Draft,
            PlanStatus::Approved => Self::Approved,
            PlanStatus::Published => Self::Published,
        }
    }
}

impl From<PlanStatusName> for PlanStatus {
    fn from(s: PlanStatusName) -> Self {
        match s {
            PlanStatusName::Draft => Self::Draft,
            PlanStatusName::Approved => Self::Approved,
            PlanStatusName::Published => Self::Published,
        }
    }
}

/// A plan's headline: cost, bound, saving, coverage. Money in euro cents.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "id": 1, "campaign_id": 1, "name": "Piano 2027", "status": "draft", "total_cents": 18250000,
    "lower_bound_cents": 18020000, "gap": 0.0126, "standalone_cents": 41230000,
    "saving_cents": 22980000, "people_requested": 1840, "people_served": 1792, "edition_count": 94,
    "created_at": "2026-12-01T08:00:00Z", "updated_at": "2026-12-01T08:00:00Z"
}))]
pub struct PlanSummaryResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub campaign_id: i64,
    #[schema(max_length = 120)]
    pub name: String,
    pub status: PlanStatusName,
    /// What the plan costs, travel and staff time included.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub total_cents: i64,
    /// A proven lower bound on the cost of serving the same people: no plan can cost less.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub lower_bound_cents: i64,
    /// (total − bound) / total: how far the plan can be from the best possible, at most.
    /// Negative only after an officer's edits served fewer people.
    #[schema(minimum = -1000, maximum = 1)]
    pub gap: f64,
    /// What the comuni would pay buying the same training alone, each at home.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub standalone_cents: i64,
    /// standalone − total: what the comuni save together.
    #[schema(format = Int64, minimum = -1_000_000_000_000_000i64, maximum = 1_000_000_000_000_000i64)]
    pub saving_cents: i64,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub people_requested: i64,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub people_served: i64,
    /// How many editions the plan has (the whole plan lists them in `editions`).
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub edition_count: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub approved_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub published_at: Option<DateTime<Utc>>,
}

impl From<&PlanSummary> for PlanSummaryResponse {
    fn from(s: &PlanSummary) -> Self {
        Self {
            id: s.id,
            campaign_id: s.campaign_id,
            name: s.name.clone(),
            status: s.status.into(),
            total_cents: s.total_cents,
            lower_bound_cents: s.lower_bound_cents,
            gap: gap(s.total_cents, s.lower_bound_cents),
            standalone_cents: s.standalone_cents,
            saving_cents: s.standalone_cents - s.total_cents,
            people_requested: s.people_requested,
            people_served: s.people_served,
            edition_count: s.editions,
            created_at: s.created_at,
            updated_at: s.updated_at,
            approved_at: s.approved_at,
            published_at: s.published_at,
        }
    }
}

fn gap(total: i64, bound: i64) -> f64 {
    if total <= 0 {
        0.0
    } else {
        ((total - bound) as f64 / total as f64).max(-1000.0)
    }
}

/// A named employee a plan places.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedPerson {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    /// Given and family name; "—" once erased.
    #[schema(max_length = 250)]
    pub name: String,
}

/// The part of a need line placed in an edition.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedLineShare {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub need_line_id: i64,
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub headcount: u32,
    #[schema(max_items = 10000)]
    pub employees: Vec<PlannedPerson>,
}

/// The people of one comune in one edition.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedAssignment {
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    #[schema(max_length = 120)]
    pub comune_name: String,
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub headcount: u32,
    /// Road distance one way, km (0 for webinars).
    #[schema(minimum = 0, maximum = 100000)]
    pub road_km: f64,
    #[schema(max_items = 10000)]
    pub lines: Vec<PlannedLineShare>,
}

/// How a planned edition is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlannedModality {
    InPerson,
    Webinar,
}

/// Money of an edition or a plan, euro cents.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CostBreakdownBody {
    /// Fixed cost of in-person editions.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub editions_cents: i64,
    /// Per-participant cost of in-person editions.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub participants_cents: i64,
    /// Mileage reimbursement.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub travel_cents: i64,
    /// Value of the staff's travelling time.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub time_value_cents: i64,
    /// Webinars: fixed cost and seats.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub webinars_cents: i64,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub total_cents: i64,
}

/// One edition of the plan: where, when, who, at what cost, and why there.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlannedEditionResponse {
    /// Stable key within the plan (`{theme}/{venue id}/{n}`, `{theme}/webinar/{n}`).
    #[schema(max_length = 200)]
    pub key: String,
    #[schema(max_length = 60)]
    pub theme_code: String,
    #[schema(max_length = 200)]
    pub theme_name: String,
    pub modality: PlannedModality,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub venue_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 200)]
    pub venue_name: Option<String>,
    /// Session days, in order.
    #[schema(max_items = 1000)]
    pub dates: Vec<NaiveDate>,
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub size: u32,
    #[schema(max_items = 10000)]
    pub assignments: Vec<PlannedAssignment>,
    pub cost: CostBreakdownBody,
    /// Why the edition is where it is, in Italian.
    #[schema(max_length = 1000)]
    pub reason: String,
}

/// Why people are left out of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnservedReasonName {
    /// Too few people, even grouped with every reachable comune, to activate an edition.
    BelowThreshold,
    /// Dropped to stay within the budget (lowest priority first).
    OverBudget,
    /// No lawful modality is enabled for the theme.
    NoLawfulModality,
    /// No venue within reach and no lawful webinar.
    NoVenue,
    /// No room in the calendar.
    CalendarFull,
    /// The officer dropped the edition.
    RemovedByOfficer,
}

/// People of a need line left out, and why.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnservedResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub need_line_id: i64,
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    #[schema(max_length = 120)]
    pub comune_name: String,
    #[schema(max_length = 60)]
    pub theme_code: String,
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub headcount: u32,
    #[schema(max_items = 10000)]
    pub employees: Vec<PlannedPerson>,
    pub reason: UnservedReasonName,
}

/// How much of some demand the plan serves.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverageBody {
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub people_requested: u64,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub people_served: u64,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub lines_total: u64,
    /// Lines served whole.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub lines_served: u64,
    /// Lines served in part.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub lines_partial: u64,
}

/// How a theme's bound was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BoundStatusName {
    /// Within the target gap, or optimal.
    Optimal,
    /// The node limit stopped the search: the bound holds, the gap may be wider.
    NodeLimit,
    /// Nothing to serve.
    Empty,
}

/// The figures of one theme.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeFiguresBody {
    #[schema(max_length = 60)]
    pub theme_code: String,
    pub coverage: CoverageBody,
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub editions_in_person: u32,
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub editions_webinar: u32,
    pub cost: CostBreakdownBody,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub standalone_cents: i64,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub lower_bound_cents: i64,
    #[schema(minimum = -1000, maximum = 1)]
    pub gap: f64,
    pub bound_status: BoundStatusName,
}

/// The figures of one comune.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComuneFiguresBody {
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_code: String,
    pub coverage: CoverageBody,
    /// Kilometres travelled by its people, all days, both ways.
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    pub person_km: f64,
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    pub travel_hours: f64,
}

/// The numbers of a plan. Money in euro cents.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FiguresBody {
    pub coverage: CoverageBody,
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub editions_in_person: u32,
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub editions_webinar: u32,
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    pub person_km: f64,
    #[schema(minimum = 0, maximum = 1_000_000_000)]
    pub travel_hours: f64,
    /// People placed in the modality their line preferred.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub people_with_preferred_modality: u64,
    pub cost: CostBreakdownBody,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub standalone_cents: i64,
    #[schema(format = Int64, minimum = -1_000_000_000_000_000i64, maximum = 1_000_000_000_000_000i64)]
    pub saving_cents: i64,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000_000_000i64)]
    pub lower_bound_cents: i64,
    #[schema(minimum = -1000, maximum = 1)]
    pub gap: f64,
    #[schema(max_items = 1000)]
    pub per_theme: Vec<ThemeFiguresBody>,
    #[schema(max_items = 10000)]
    pub per_comune: Vec<ComuneFiguresBody>,
}

/// What a publication created.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicationReport {
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub courses_created: u32,
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub editions_created: u32,
    /// Messages queued to the comuni.
    #[schema(format = Int32, minimum = 0, maximum = 1_000_000)]
    pub messages: u32,
    /// Comuni with people in the plan but no referente account or contact address: nobody
    /// could be written to, someone must phone them.
    #[schema(max_items = 10000)]
    pub unreachable_comuni: Vec<UnreachableComune>,
}

/// A comune the publication could not write to.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnreachableComune {
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub istat_code: String,
    #[schema(max_length = 120)]
    pub name: String,
}

/// A whole plan: headline, parameters, editions, unserved needs, figures. A referente sees
/// only their comune's people and lines.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanResponse {
    #[serde(flatten)]
    pub summary: PlanSummaryResponse,
    pub parameters: PlanParametersBody,
    #[schema(max_items = 100000)]
    pub editions: Vec<PlannedEditionResponse>,
    #[schema(max_items = 1000000)]
    pub unserved: Vec<UnservedResponse>,
    pub figures: FiguresBody,
    /// Only in the answer to the change that published the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub publication: Option<PublicationReport>,
}

impl PlanResponse {
    fn of(view: &PlanView) -> Result<Self, ApiError> {
        let plan = &view.stored.plan;
        let person = |id: &i64| PlannedPerson {
            id: *id,
            name: view
                .employee_names
                .get(id)
                .cloned()
                .unwrap_or_else(|| "—".to_owned()),
        };
        let comune_name = |code: &str| view.comune_names.get(code).cloned().unwrap_or_default();
        let editions = plan
            .editions
            .iter()
            .map(|e| {
                Ok(PlannedEditionResponse {
                    key: e.key.clone(),
                    theme_code: e.theme_code.clone(),
                    theme_name: view
                        .theme_names
                        .get(&e.theme_code)
                        .cloned()
                        .unwrap_or_default(),
                    modality: via_json(&e.modality)?,
                    venue_id: e.venue_id,
                    venue_name: e.venue_id.and_then(|id| view.venue_names.get(&id).cloned()),
                    dates: e.dates.clone(),
                    size: e.size,
                    assignments: e
                        .assignments
                        .iter()
                        .map(|a| PlannedAssignment {
                            comune_istat_code: a.comune_code.clone(),
                            comune_name: comune_name(&a.comune_code),
                            headcount: a.headcount,
                            road_km: a.road_km,
                            lines: a
                                .lines
                                .iter()
                                .map(|l| PlannedLineShare {
                                    need_line_id: l.need_line_id,
                                    headcount: l.headcount,
                                    employees: l.employee_ids.iter().map(person).collect(),
                                })
                                .collect(),
                        })
                        .collect(),
                    cost: via_json(&e.cost)?,
                    reason: e.reason.clone(),
                })
            })
            .collect::<Result<_, ApiError>>()?;
        let unserved = plan
            .unserved
            .iter()
            .map(|u| {
                Ok(UnservedResponse {
                    need_line_id: u.need_line_id,
                    comune_istat_code: u.comune_code.clone(),
                    comune_name: comune_name(&u.comune_code),
                    theme_code: u.theme_code.clone(),
                    headcount: u.headcount,
                    employees: u.employee_ids.iter().map(person).collect(),
                    reason: via_json(&u.reason)?,
                })
            })
            .collect::<Result<_, ApiError>>()?;
        Ok(Self {
            summary: PlanSummaryResponse::from(&view.stored.summary),
            parameters: via_json(&plan.parameters)?,
            editions,
            unserved,
            figures: via_json(&plan.figures)?,
            publication: None,
        })
    }
}

/// The ETag of a plan: its version, not its (large) body, so that a referente's narrowed
/// view and the admin's whole one agree on what version they saw.
fn plan_etag(stored: &StoredPlan) -> String {
    etag_of(&(stored.summary.id, stored.summary.updated_at))
}

/// A new plan.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"campaign_id": 1, "name": "Piano 2027"}))]
pub struct PlanCreate {
    /// A closed campaign.
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub campaign_id: i64,
    #[validate(length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120)]
    pub name: String,
    /// Absent: the defaults (`GET /plan-defaults`).
    #[serde(default)]
    #[validate(nested)]
    pub parameters: Option<PlanParametersBody>,
}

/// Generate a plan
///
/// Computes a draft plan from a closed campaign's need lines: editions per theme, venue and
/// date, who goes where, coverage, travel, cost, what the comuni would pay alone, and a
/// proven lower bound with the gap. 409 while the campaign is open; 422 names each bad
/// parameter; 503 when the optimiser is busy for too long. Admin only.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    request_body(content = PlanCreate, content_type = "application/json"),
    responses(
        (status = 201, description = "Computed and stored as a draft.", body = PlanResponse,
         headers(("Location" = String, description = "URL of the plan."),
                 ("ETag" = String, description = "Version, for `If-Match`."))),
        (status = 404, response = super::problems::NotFound),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/plans")]
async fn create_plan(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedJson(body): ValidatedJson<PlanCreate>,
) -> Result<HttpResponse, ApiError> {
    let parameters = body.parameters.as_ref().map(via_json).transpose()?;
    let stored = app::plans::create(
        &state.db,
        &actor,
        body.campaign_id,
        body.name.trim(),
        parameters,
    )
    .await?;
    let view = app::plans::read(&state.db, &actor, stored.summary.id).await?;
    let location = format!("{}/api/v1/plans/{}", state.public_url, stored.summary.id);
    let mut response = created(location, &PlanResponse::of(&view)?);
    response.headers_mut().insert(
        header::ETAG,
        plan_etag(&stored)
            .parse()
            .expect("an ETag is a header value"),
    );
    Ok(response)
}

/// Filters of `GET /plans`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlanListQuery {
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[param(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub campaign_id: Option<i64>,
    #[param(inline)]
    pub status: Option<PlanStatusName>,
}

/// List plans
///
/// Plans, newest first, with their headline figures. The admin and referenti.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(PlanListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of plans.", body = Page<PlanSummaryResponse>),
    )
)]
#[get("/plans")]
async fn list_plans(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    Paged(query, page): Paged<PlanListQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = PlanFilter {
        campaign_id: query.campaign_id,
        status: query.status.map(Into::into),
    };
    let (plans, total) = app::plans::list(&state.db, &actor, &filter, page).await?;
    let items = plans.iter().map(PlanSummaryResponse::from).collect();
    Ok(page_response(items, total, page, &state.public_url, &req))
}

/// Get a plan
///
/// The whole plan for the admin; a referente sees the editions where their comune's people
/// go, only their comune's people, and their own unserved lines. With `Accept: text/csv` or
/// the XLSX media type, one row per edition and comune (the CSV in Italian Excel's dialect:
/// UTF-8 with BOM, `;`, CRLF, decimal comma).
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Plan id.")),
    responses(
        (status = 200, description = "The plan.",
         content((PlanResponse = "application/json"), (String = "text/csv"),
                 (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
         headers(("ETag" = String, description = "Version, for `If-Match`."),
                 ("Content-Disposition" = String, description = "With CSV or XLSX: the file name."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/plans/{id}")]
async fn read_plan(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let view = app::plans::read(&state.db, &actor, id.into_inner()).await?;
    if let Some(format) = spreadsheet::requested(&req) {
        let stem = format!("piano-{}", view.stored.summary.id);
        return spreadsheet::download(format, &stem, &[plan_sheet(&view)]);
    }
    let mut response = json_with_etag(&req, &PlanResponse::of(&view)?, "no-store");
    response.headers_mut().insert(
        header::ETAG,
        plan_etag(&view.stored)
            .parse()
            .expect("an ETag is a header value"),
    );
    Ok(response)
}

fn plan_sheet(view: &PlanView) -> Sheet {
    let plan = &view.stored.plan;
    let mut rows = Vec::new();
    for e in &plan.editions {
        let theme = view
            .theme_names
            .get(&e.theme_code)
            .cloned()
            .unwrap_or_default();
        let place = e
            .venue_id
            .and_then(|id| view.venue_names.get(&id).cloned())
            .unwrap_or_else(|| "webinar".to_owned());
        let dates: Vec<String> = e
            .dates
            .iter()
            .map(|d| d.format("%d/%m/%Y").to_string())
            .collect();
        for a in &e.assignments {
            let people: Vec<String> = a
                .lines
                .iter()
                .flat_map(|l| &l.employee_ids)
                .map(|id| {
                    view.employee_names
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| "—".to_owned())
                })
                .collect();
            rows.push(vec![
                Cell::from(e.key.as_str()),
                Cell::from(theme.clone()),
                Cell::from(place.clone()),
                Cell::from(dates.join(" ")),
                Cell::from(
                    view.comune_names
                        .get(&a.comune_code)
                        .cloned()
                        .unwrap_or_default(),
                ),
                Cell::from(i64::from(a.headcount)),
                Cell::Number(a.road_km),
                Cell::from(people.join(", ")),
                Cell::Number(e.cost.total_cents as f64 / 100.0),
            ]);
        }
    }
    Sheet {
        name: "Piano",
        headers: vec![
            "edizione",
            "tema",
            "sede",
            "date",
            "comune",
            "persone",
            "km",
            "nominati",
            "costo_edizione_eur",
        ],
        rows,
    }
}

/// A change of the plan itself: its name, or its status (`approved`; `published`, which
/// fills the catalogue and tells the comuni; back to `draft` from `approved`).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "approved"}))]
pub struct PlanPatch {
    #[validate(length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120)]
    pub name: Option<String>,
    pub status: Option<PlanStatusName>,
}

/// Approve, publish or rename a plan
///
/// A JSON merge patch. `draft` → `approved` → `published`; `approved` may go back to
/// `draft`. Publishing creates one course per theme (taught by the qualified provider of
/// lowest id that offers it) and one edition per planned edition — in person open for
/// enrolment, webinars as drafts until the provider adds the link — and queues one message
/// per comune listing where its people go. Publishing again creates nothing twice. 409 for
/// another transition or a theme no qualified provider teaches. Admin only; send the
/// `ETag` in `If-Match`.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Plan id."),
        IfMatch,
    ),
    request_body(content = PlanPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Changed.", body = PlanResponse,
         headers(("ETag" = String, description = "The new version."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[patch("/plans/{id}")]
async fn update_plan(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    MergePatch(patch): MergePatch<PlanPatch>,
) -> Result<HttpResponse, ApiError> {
    let if_match = if_match(&req)?;
    let holds = |p: &StoredPlan| precondition_holds(if_match.as_ref(), &plan_etag(p));
    let change = PlanChange {
        name: patch.name,
        status: patch.status.map(Into::into),
    };
    let (view, publication) = app::plans::update(
        &state.db,
        &actor,
        id.into_inner(),
        change,
        &state.public_url,
        holds,
    )
    .await?;
    if publication.messages > 0 {
        state.outbox_filled();
    }
    let mut body = PlanResponse::of(&view)?;
    body.publication = (view.stored.summary.status == PlanStatus::Published)
        .then(|| publication_report(&publication, &view));
    plan_answer(&view.stored, &body)
}

fn publication_report(p: &Publication, view: &PlanView) -> PublicationReport {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    PublicationReport {
        courses_created: count(p.courses_created),
        editions_created: count(p.editions_created),
        messages: count(p.messages),
        unreachable_comuni: p
            .unreachable
            .iter()
            .map(|code| UnreachableComune {
                istat_code: code.clone(),
                name: view.comune_names.get(code).cloned().unwrap_or_default(),
            })
            .collect(),
    }
}

fn plan_answer(stored: &StoredPlan, body: &PlanResponse) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, plan_etag(stored)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body))
}

/// An officer's change to a draft plan.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PlanEditBody {
    /// Move people of a comune between two editions of the same theme (lowest priority
    /// first, anonymous before named).
    MoveHeadcount {
        #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
        comune_code: String,
        #[schema(max_length = 200)]
        from_edition: String,
        #[schema(max_length = 200)]
        to_edition: String,
        #[schema(format = Int32, minimum = 1, maximum = 1_000_000)]
        headcount: u32,
    },
    /// Add an empty edition; fill it by moving people into it.
    AddEdition {
        #[schema(max_length = 60)]
        theme_code: String,
        modality: PlannedModality,
        #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
        venue_id: Option<i64>,
        start_date: NaiveDate,
    },
    /// Drop an edition: its people become unserved (`removed_by_officer`).
    DropEdition {
        #[schema(max_length = 200)]
        edition_key: String,
    },
    /// Hold an in-person edition in another venue.
    ChangeVenue {
        #[schema(max_length = 200)]
        edition_key: String,
        #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
        venue_id: i64,
    },
    /// Move an edition in the calendar.
    ChangeStartDate {
        #[schema(max_length = 200)]
        edition_key: String,
        start_date: NaiveDate,
    },
}

/// Changes applied together, in order: all or none.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"edits": [{"kind": "change_start_date", "edition_key": "privacy/1/1", "start_date": "2027-03-09"}]}))]
pub struct PlanEdits {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_items = 1, max_items = 200)]
    pub edits: Vec<PlanEditBody>,
}

/// Edit a draft plan
///
/// Applies the officer's changes (move people, add or drop an edition, change its venue
/// or date), re-validates and re-costs the plan without re-optimising: the bound stays the
/// optimiser's, the gap follows the new cost. 422 names each broken rule (capacity,
/// activation threshold, lawful modality, window, holidays, closed periods, room booked,
/// the office's weekly capacity, a named person twice on one day); 409 unless the plan is
/// a draft. Admin only; send the `ETag` in `If-Match`.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Plan id."),
        IfMatch,
    ),
    request_body(content = PlanEdits, content_type = "application/json"),
    responses(
        (status = 200, description = "The edited plan.", body = PlanResponse,
         headers(("ETag" = String, description = "The new version."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/plans/{id}/edits")]
async fn edit_plan(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    ValidatedJson(body): ValidatedJson<PlanEdits>,
) -> Result<HttpResponse, ApiError> {
    let edits: Vec<planner::Edit> = via_json(&body.edits)?;
    let if_match = if_match(&req)?;
    let holds = |p: &StoredPlan| precondition_holds(if_match.as_ref(), &plan_etag(p));
    let view = app::plans::edit(&state.db, &actor, id.into_inner(), &edits, holds).await?;
    plan_answer(&view.stored, &PlanResponse::of(&view)?)
}

/// The plan to compare with.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// Another plan of the same campaign.
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[param(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub with: i64,
}

/// One side of a comparison.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComparedPlan {
    #[serde(flatten)]
    pub summary: PlanSummaryResponse,
    pub parameters: PlanParametersBody,
    pub figures: FiguresBody,
}

/// Two plans of one campaign side by side, and what changes from the first to the second.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanComparison {
    pub first: ComparedPlan,
    pub second: ComparedPlan,
    /// second − first, euro cents.
    #[schema(format = Int64, minimum = -1_000_000_000_000_000i64, maximum = 1_000_000_000_000_000i64)]
    pub total_cents_change: i64,
    /// second − first, people.
    #[schema(format = Int64, minimum = -1_000_000_000, maximum = 1_000_000_000)]
    pub people_served_change: i64,
    /// second − first, km.
    #[schema(minimum = -1_000_000_000, maximum = 1_000_000_000)]
    pub person_km_change: f64,
    /// second − first, euro cents.
    #[schema(format = Int64, minimum = -1_000_000_000_000_000i64, maximum = 1_000_000_000_000_000i64)]
    pub saving_cents_change: i64,
    /// The parameters that differ, by name (`themes/privacy/hours`, `eur_per_km`…).
    #[schema(max_items = 10000)]
    pub changed_parameters: Vec<String>,
}

/// Compare two plans
///
/// Two plans of one campaign side by side — cost, coverage, travel, saving, bound — and
/// which parameters differ, to show the trade-off of a change. Admin only.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Plan id."),
        CompareQuery,
    ),
    responses(
        (status = 200, description = "The comparison.", body = PlanComparison),
        (status = 422, response = super::problems::UnprocessableContent),
    )
)]
#[get("/plans/{id}/comparison")]
async fn compare_plans(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    ValidatedQuery(query): ValidatedQuery<CompareQuery>,
) -> Result<HttpResponse, ApiError> {
    let (a, b) = app::plans::compare(&state.db, &actor, id.into_inner(), query.with).await?;
    let side = |p: &StoredPlan| -> Result<ComparedPlan, ApiError> {
        Ok(ComparedPlan {
            summary: PlanSummaryResponse::from(&p.summary),
            parameters: via_json(&p.plan.parameters)?,
            figures: via_json(&p.plan.figures)?,
        })
    };
    let first = side(&a)?;
    let second = side(&b)?;
    let comparison = PlanComparison {
        total_cents_change: second.summary.total_cents - first.summary.total_cents,
        people_served_change: second.summary.people_served - first.summary.people_served,
        person_km_change: second.figures.person_km - first.figures.person_km,
        saving_cents_change: second.summary.saving_cents - first.summary.saving_cents,
        changed_parameters: changed_parameters(&first.parameters, &second.parameters)?,
        first,
        second,
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(comparison))
}

/// The names of the parameters that differ, themes by code.
fn changed_parameters(
    a: &PlanParametersBody,
    b: &PlanParametersBody,
) -> Result<Vec<String>, ApiError> {
    let flat = |p: &PlanParametersBody| -> Result<HashMap<String, serde_json::Value>, ApiError> {
        let mut out = HashMap::new();
        let value = serde_json::to_value(p).map_err(|e| ApiError::Internal(e.into()))?;
        if let serde_json::Value::Object(map) = value {
            for (key, v) in map {
                if key == "themes" {
                    continue;
                }
                out.insert(key, v);
            }
        }
        for theme in &p.themes {
            let value = serde_json::to_value(theme).map_err(|e| ApiError::Internal(e.into()))?;
            if let serde_json::Value::Object(map) = value {
                for (key, v) in map {
                    if key != "theme_code" {
                        out.insert(format!("themes/{}/{key}", theme.theme_code), v);
                    }
                }
            }
        }
        Ok(out)
    };
    let (fa, fb) = (flat(a)?, flat(b)?);
    let mut names: Vec<String> = fa
        .keys()
        .chain(fb.keys())
        .filter(|k| fa.get(*k) != fb.get(*k))
        .cloned()
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn themes() -> Vec<planner::ThemeInfo> {
        vec![planner::ThemeInfo {
            code: "privacy".into(),
            name: "Privacy".into(),
            presence_only: false,
            mandatory: true,
        }]
    }

    #[test]
    fn the_parameters_dto_has_the_planners_shape_both_ways() {
        let defaults = planner::PlanParameters::defaults(2026, &themes());
        let body: PlanParametersBody = via_json(&defaults).unwrap();
        let back: planner::PlanParameters = via_json(&body).unwrap();
        assert_eq!(back, defaults);
    }

    #[test]
    fn every_edit_dto_reads_as_the_planners_edit() {
        let edits = vec![
            PlanEditBody::MoveHeadcount {
                comune_code: "008031".into(),
                from_edition: "privacy/1/1".into(),
                to_edition: "privacy/1/2".into(),
                headcount: 2,
            },
            PlanEditBody::AddEdition {
                theme_code: "privacy".into(),
                modality: PlannedModality::Webinar,
                venue_id: None,
                start_date: NaiveDate::from_ymd_opt(2027, 3, 9).unwrap(),
            },
            PlanEditBody::DropEdition {
                edition_key: "privacy/1/1".into(),
            },
            PlanEditBody::ChangeVenue {
                edition_key: "privacy/1/1".into(),
                venue_id: 2,
            },
            PlanEditBody::ChangeStartDate {
                edition_key: "privacy/1/1".into(),
                start_date: NaiveDate::from_ymd_opt(2027, 3, 9).unwrap(),
            },
        ];
        let planned: Vec<planner::Edit> = via_json(&edits).unwrap();
        assert_eq!(planned.len(), 5);
        let again: Vec<PlanEditBody> = via_json(&planned).unwrap();
        assert_eq!(
            serde_json::to_value(&again).unwrap(),
            serde_json::to_value(&edits).unwrap()
        );
    }

    #[test]
    fn comparisons_name_the_parameters_that_differ() {
        let a: PlanParametersBody =
            via_json(&planner::PlanParameters::defaults(2026, &themes())).unwrap();
        let mut b = a.clone();
        b.eur_per_km = 0.5;
        b.themes[0].hours = 12.0;
        assert_eq!(
            changed_parameters(&a, &b).unwrap(),
            ["eur_per_km", "themes/privacy/hours"]
        );
    }
}
