//! Enrolments: first come, first served, with a waitlist that promotes in arrival order.
use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::{MergePatch, ValidatedJson, ValidatedQuery};
use super::http_cache::etag_of;
use crate::app;
use crate::auth::AuthUser;
use crate::domain::enrolment::{EnrolmentFilter, EnrolmentView, Event};
use crate::domain::enrolment::{EnrolmentStatus, hours_label};
use crate::domain::ids::{EditionId, EmployeeId, EnrolmentId};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_enrolments)
        .service(create_enrolment)
        .service(read_enrolment)
        .service(update_enrolment);
}

/// Where an enrolment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStatusName {
    /// Holds a seat.
    Confirmed,
    /// Waiting for a seat, in arrival order (see `waitlist_position`).
    Waitlisted,
    Cancelled,
    /// Attended the hours the course asks for.
    Completed,
}

impl From<EnrolmentStatus> for EnrolmentStatusName {
    fn from(s: EnrolmentStatus) -> Self {
        match s {
            EnrolmentStatus::Confirmed => Self::Confirmed,
            EnrolmentStatus::Waitlisted => Self::Waitlisted,
            EnrolmentStatus::Cancelled => Self::Cancelled,
            EnrolmentStatus::Completed => Self::Completed,
        }
    }
}

impl From<EnrolmentStatusName> for EnrolmentStatus {
    fn from(s: EnrolmentStatusName) -> Self {
        match s {
            EnrolmentStatusName::Confirmed => Self::Confirmed,
            EnrolmentStatusName::Waitlisted => Self::Waitlisted,
            EnrolmentStatusName::Cancelled => Self::Cancelled,
            EnrolmentStatusName::Completed => Self::Completed,
        }
    }
}

/// An enrolment to make.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"edition_id": 12, "employee_id": 345}))]
pub struct EnrolmentCreate {
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub edition_id: i64,
    /// The employee to enrol; an employee enrolling themselves leaves it out.
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub employee_id: Option<i64>,
}

/// A change of an enrolment: only cancellation.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "cancelled"}))]
pub struct EnrolmentPatch {
    /// `cancelled`: frees the seat, which goes to the first in the waitlist.
    pub status: EnrolmentStatusName,
}

/// One step of an enrolment's history.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentEvent {
    pub status: EnrolmentStatusName,
    /// Who did it; absent when the system did (a promotion after someone else cancelled).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub actor_user_id: Option<i64>,
    #[schema(max_length = 200)]
    pub reason: String,
    pub at: DateTime<Utc>,
}

impl From<Event> for EnrolmentEvent {
    fn from(e: Event) -> Self {
        Self {
            status: e.status.into(),
            actor_user_id: e.actor_user_id,
            reason: e.reason,
            at: e.at,
        }
    }
}

/// An enrolment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"id": 901, "edition_id": 12, "employee_id": 345, "employee_name": "Maria Rossi",
    "comune_istat_code": "008031", "course_title": "Privacy negli uffici comunali", "edition_title": "Imperia, marzo",
    "status": "waitlisted", "feedback_given": false, "waitlist_position": 3, "attended_hours": 0.0,
    "attended_hours_label": "0", "created_at": "2027-03-01T08:00:00Z", "updated_at": "2027-03-01T08:00:00Z"}))]
pub struct EnrolmentResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub edition_id: i64,
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub employee_id: i64,
    /// Given and family name (only to those who may see the enrolment).
    #[schema(max_length = 250)]
    pub employee_name: String,
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    #[schema(max_length = 200)]
    pub course_title: String,
    #[schema(max_length = 200)]
    pub edition_title: String,
    pub status: EnrolmentStatusName,
    /// 1 is next in line. Only while waitlisted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Int32, minimum = 1, maximum = 1_000_000)]
    pub waitlist_position: Option<u32>,
    /// Hours attended and credited.
    #[schema(minimum = 0, maximum = 100_000)]
    pub attended_hours: f64,
    /// The same, as Italians write it (`7,5`).
    #[schema(max_length = 20)]
    pub attended_hours_label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub completed_at: Option<DateTime<Utc>>,
    /// The person has answered the feedback questionnaire. Absent for the provider the
    /// questionnaire evaluates.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub feedback_given: Option<bool>,
    /// The number of the certificate, once issued.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 40)]
    pub certificate_number: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Status changes, oldest first (in the single-enrolment view).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_items = 1000)]
    pub history: Option<Vec<EnrolmentEvent>>,
}

impl From<&EnrolmentView> for EnrolmentResponse {
    fn from(v: &EnrolmentView) -> Self {
        let e = &v.enrolment;
        let minutes = e.credited_minutes();
        Self {
            id: e.id,
            edition_id: e.edition_id.0,
            employee_id: e.employee_id.0,
            employee_name: v.employee_name.clone(),
            comune_istat_code: e.comune.clone(),
            course_title: v.course_title.clone(),
            edition_title: v.edition_title.clone(),
            feedback_given: v.feedback_given,
            status: e.status.into(),
            waitlist_position: v.waitlist_position,
            attended_hours: f64::from(minutes) / 60.0,
            attended_hours_label: hours_label(minutes),
            completed_at: e.completed_at,
            certificate_number: e.certificate_number.clone(),
            created_at: e.created_at,
            updated_at: e.updated_at,
            history: None,
        }
    }
}

/// The enrolments.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentList {
    #[schema(max_items = 1000000)]
    pub items: Vec<EnrolmentResponse>,
}

/// Filters of `GET /enrolments`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EnrolmentQuery {
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[param(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub edition_id: Option<i64>,
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[param(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub employee_id: Option<i64>,
    pub status: Option<EnrolmentStatusName>,
}

/// List enrolments
///
/// In arrival order per edition: every enrolment for the admin, a referente's own comune,
/// the editions a provider gives, an employee's own.
#[utoipa::path(
    tag = "enrolments",
    security(("bearer" = [])),
    params(EnrolmentQuery),
    responses(
        (status = 200, description = "The enrolments.", body = EnrolmentList,
         headers(("Cache-Control" = String, description = "`no-store`: personal data."))),
    )
)]
#[get("/enrolments")]
async fn list_enrolments(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedQuery(query): ValidatedQuery<EnrolmentQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = EnrolmentFilter {
        edition_id: query.edition_id.map(EditionId),
        employee_id: query.employee_id.map(EmployeeId),
        status: query.status.map(Into::into),
        ..Default::default()
    };
    let views = app::enrolments::list(&state.db, &actor, filter).await?;
    let items = views.iter().map(EnrolmentResponse::from).collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(EnrolmentList { items }))
}

/// Enrol an employee
///
/// First come, first served: `confirmed` while seats remain (and the comune is within the
/// edition's quota, if any), otherwise `waitlisted` with its position. The admin enrols
/// anyone, a referente their comune's employees, an employee themselves where the edition
/// allows it. 409 when already enrolled or the edition does not take enrolments.
#[utoipa::path(
    tag = "enrolments",
    security(("bearer" = [])),
    request_body(content = EnrolmentCreate, content_type = "application/json"),
    responses(
        (status = 201, description = "Enrolled, confirmed or waitlisted.", body = EnrolmentResponse,
         headers(("Location" = String, description = "URL of the enrolment."))),
        (status = 404, response = super::problems::NotFound),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/enrolments")]
async fn create_enrolment(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedJson(body): ValidatedJson<EnrolmentCreate>,
) -> Result<HttpResponse, ApiError> {
    let edition = EditionId(body.edition_id);
    let employee = body.employee_id.map(EmployeeId);
    let view = app::enrolments::enrol(&state.db, &actor, edition, employee).await?;
    state.outbox_filled();
    let location = format!(
        "{}/api/v1/enrolments/{}",
        state.public_url, view.enrolment.id
    );
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(EnrolmentResponse::from(&view)))
}

/// Read an enrolment
///
/// With its status history (who changed it, when, why).
#[utoipa::path(
    tag = "enrolments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enrolment id.")),
    responses(
        (status = 200, description = "The enrolment.", body = EnrolmentResponse,
         headers(("ETag" = String, description = "Version."))),
    )
)]
#[get("/enrolments/{id}")]
async fn read_enrolment(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = EnrolmentId(id.into_inner());
    let (view, history) = app::enrolments::read(&state.db, &actor, id).await?;
    let mut response = EnrolmentResponse::from(&view);
    response.history = Some(history.into_iter().map(Into::into).collect());
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag_of(&response)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(response))
}

/// Cancel an enrolment
///
/// `{"status": "cancelled"}` frees the seat; the first person in the waitlist (within the
/// comune quota) is promoted in the same transaction and told so by e-mail. Whoever may
/// enrol the person may cancel. 409 when already cancelled or completed.
#[utoipa::path(
    tag = "enrolments",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enrolment id.")),
    request_body(content = EnrolmentPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Cancelled.", body = EnrolmentResponse),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[patch("/enrolments/{id}")]
async fn update_enrolment(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    MergePatch(patch): MergePatch<EnrolmentPatch>,
) -> Result<HttpResponse, ApiError> {
    let id = EnrolmentId(id.into_inner());
    let to = patch.status.into();
    let view = app::enrolments::change_status(&state.db, &actor, id, to).await?;
    state.outbox_filled();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(EnrolmentResponse::from(&view)))
}
