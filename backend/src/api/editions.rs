//! Editions of a course: when, where, how many seats, and their lifecycle. The admin and
//! the staff of the course's provider manage them.
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::courses::ModalityName;
use super::extract::{MergePatch, Paged, ValidatedJson, double_option};
use super::http_cache::{
    IfMatch, created, etag_of, if_match, json_with_etag, precondition_holds, updated,
};
use super::pagination::{Page, PageQuery, page_response};
use crate::app;
use crate::auth::AuthUser;
use crate::domain::course::EditionFilter;
use crate::domain::course::{ComuneQuota, Edition, EditionDraft, EditionStatus, SessionPlan};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_edition)
        .service(list_editions)
        .service(read_edition)
        .service(update_edition)
        .service(remove_edition);
}

/// An edition's place in its life: `draft` → `open` → `closed` → `completed`, a closed
/// edition may reopen, and anything not completed may be `cancelled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EditionStatusName {
    Draft,
    Open,
    Closed,
    Completed,
    Cancelled,
}

impl From<EditionStatusName> for EditionStatus {
    fn from(s: EditionStatusName) -> Self {
        match s {
            EditionStatusName::Draft => EditionStatus::Draft,
            EditionStatusName::Open => EditionStatus::Open,
            EditionStatusName::Closed => EditionStatus::Closed,
            EditionStatusName::Completed => EditionStatus::Completed,
            EditionStatusName::Cancelled => EditionStatus::Cancelled,
        }
    }
}

impl From<EditionStatus> for EditionStatusName {
    fn from(s: EditionStatus) -> Self {
        match s {
            EditionStatus::Draft => EditionStatusName::Draft,
            EditionStatus::Open => EditionStatusName::Open,
            EditionStatus::Closed => EditionStatusName::Closed,
            EditionStatus::Completed => EditionStatusName::Completed,
            EditionStatus::Cancelled => EditionStatusName::Cancelled,
        }
    }
}

/// One meeting of an edition.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"starts_at": "2027-03-15T08:30:00Z", "ends_at": "2027-03-15T12:30:00Z", "venue_id": 1}))]
pub struct SessionWrite {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The venue, for an in-person session (absent or `null` online).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub venue_id: Option<i64>,
}

/// An edition's writable fields, as sent to create one.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Edizione di Imperia", "delivery": "in_person", "capacity": 25,
    "enrolment_opens_at": "2027-02-01T08:00:00Z", "enrolment_closes_at": "2027-03-10T18:00:00Z",
    "self_enrolment": true, "status": "open",
    "sessions": [{"starts_at": "2027-03-15T08:30:00Z", "ends_at": "2027-03-15T12:30:00Z", "venue_id": 1}]
}))]
pub struct EditionWrite {
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// `in_person`, `live_webinar` or `async_webinar`; must fit the course's modality.
    pub delivery: ModalityName,
    /// Seats; for an in-person edition, no more than any of its venues holds.
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub capacity: i32,
    pub enrolment_opens_at: DateTime<Utc>,
    pub enrolment_closes_at: DateTime<Utc>,
    /// Start of availability of an asynchronous webinar.
    #[serde(default)]
    pub available_from: Option<DateTime<Utc>>,
    /// End of availability of an asynchronous webinar.
    #[serde(default)]
    pub available_until: Option<DateTime<Utc>>,
    /// Link to the webinar.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub access_url: Option<String>,
    /// Employees may enrol themselves.
    #[serde(default)]
    pub self_enrolment: bool,
    /// Most confirmed seats one comune may hold, so that a large comune cannot take every
    /// seat; absent or `null`: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub comune_quota: Option<i32>,
    #[serde(default = "draft")]
    pub status: EditionStatusName,
    #[serde(default)]
    #[validate(length(max = 100))]
    #[schema(max_items = 100)]
    pub sessions: Vec<SessionWrite>,
}

fn draft() -> EditionStatusName {
    EditionStatusName::Draft
}

/// An edition as stored.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditionResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub course_id: i64,
    #[schema(max_length = 200)]
    pub title: String,
    pub delivery: ModalityName,
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub capacity: i32,
    pub enrolment_opens_at: DateTime<Utc>,
    pub enrolment_closes_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub available_from: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub available_until: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 500)]
    pub access_url: Option<String>,
    pub self_enrolment: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Int32, minimum = 1, maximum = 10000)]
    pub comune_quota: Option<i32>,
    pub status: EditionStatusName,
    #[schema(max_items = 100)]
    pub sessions: Vec<SessionWrite>,
    /// Revision number, bumped on every change.
    #[schema(format = Int32, minimum = 0, maximum = 2_147_483_647)]
    pub sequence: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Edition> for EditionResponse {
    fn from(e: &Edition) -> Self {
        let f = &e.fields;
        Self {
            id: e.id,
            course_id: e.course_id,
            title: f.title.clone(),
            delivery: f.delivery.into(),
            capacity: f.capacity.seats(),
            enrolment_opens_at: f.enrolment_opens_at,
            enrolment_closes_at: f.enrolment_closes_at,
            available_from: f.available_from,
            available_until: f.available_until,
            access_url: f.access_url.clone(),
            self_enrolment: f.self_enrolment,
            comune_quota: f.comune_quota.map(ComuneQuota::seats),
            status: f.status.into(),
            sessions: f.sessions.iter().map(SessionWrite::from).collect(),
            sequence: e.sequence,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

impl From<&SessionPlan> for SessionWrite {
    fn from(s: &SessionPlan) -> Self {
        Self {
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            venue_id: s.venue_id,
        }
    }
}

pub(crate) fn session_plans(sessions: Vec<SessionWrite>) -> Vec<SessionPlan> {
    sessions
        .into_iter()
        .map(|s| SessionPlan {
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            venue_id: s.venue_id,
        })
        .collect()
}

impl From<EditionWrite> for EditionDraft {
    fn from(e: EditionWrite) -> Self {
        Self {
            title: e.title,
            delivery: e.delivery.into(),
            capacity: e.capacity,
            enrolment_opens_at: e.enrolment_opens_at,
            enrolment_closes_at: e.enrolment_closes_at,
            available_from: e.available_from,
            available_until: e.available_until,
            access_url: e.access_url,
            self_enrolment: e.self_enrolment,
            comune_quota: e.comune_quota,
            status: e.status.into(),
            sessions: session_plans(e.sessions),
        }
    }
}

/// A merge patch of an edition; `null` clears the webinar fields and is refused elsewhere.
/// `sessions`, when present, replaces them all.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "cancelled"}))]
pub struct EditionPatch {
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub title: Option<String>,
    pub delivery: Option<ModalityName>,
    #[validate(range(min = 1, max = 10000))]
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub capacity: Option<i32>,
    pub enrolment_opens_at: Option<DateTime<Utc>>,
    pub enrolment_closes_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub available_from: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub available_until: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 500)]
    pub access_url: Option<Option<String>>,
    pub self_enrolment: Option<bool>,
    /// `null` removes the quota.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i32>, format = Int32, minimum = 1, maximum = 10000)]
    pub comune_quota: Option<Option<i32>>,
    pub status: Option<EditionStatusName>,
    #[validate(length(max = 100))]
    #[schema(max_items = 100)]
    pub sessions: Option<Vec<SessionWrite>>,
}

impl EditionPatch {
    fn apply(self, mut e: EditionDraft) -> EditionDraft {
        e.title = self.title.unwrap_or(e.title);
        e.delivery = self.delivery.map_or(e.delivery, Into::into);
        e.capacity = self.capacity.unwrap_or(e.capacity);
        e.enrolment_opens_at = self.enrolment_opens_at.unwrap_or(e.enrolment_opens_at);
        e.enrolment_closes_at = self.enrolment_closes_at.unwrap_or(e.enrolment_closes_at);
        e.available_from = self.available_from.unwrap_or(e.available_from);
        e.available_until = self.available_until.unwrap_or(e.available_until);
        e.access_url = self.access_url.unwrap_or(e.access_url);
        e.self_enrolment = self.self_enrolment.unwrap_or(e.self_enrolment);
        e.comune_quota = self.comune_quota.unwrap_or(e.comune_quota);
        e.status = self.status.map_or(e.status, Into::into);
        e.sessions = self.sessions.map_or(e.sessions, session_plans);
        e
    }
}

/// Create an edition
///
/// Adds an edition to a course: in person (sessions at venues, capacity within the rooms),
/// live webinar (sessions and a link) or asynchronous webinar (an availability window and a
/// link; refused for themes that require presence). The admin, and the course provider's staff.
#[utoipa::path(
    tag = "editions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Course id.")),
    request_body(content = EditionWrite, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = EditionResponse,
         headers(("Location" = String, description = "URL of the new edition."),
                 ("ETag" = String, description = "Version, for `If-Match`."))),
    )
)]
#[post("/courses/{id}/editions")]
async fn create_edition(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    ValidatedJson(body): ValidatedJson<EditionWrite>,
) -> Result<HttpResponse, ApiError> {
    let course_id = id.into_inner();
    let edition = app::editions::create(&state.db, &actor, course_id, &body.into()).await?;
    let location = format!("{}/api/v1/editions/{}", state.public_url, edition.id);
    Ok(created(location, &EditionResponse::from(&edition)))
}

/// Filters of `GET /editions`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EditionListQuery {
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[param(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub course_id: Option<i64>,
    pub status: Option<EditionStatusName>,
}

/// List editions
///
/// All editions for the admin, those of the provider's courses for its staff; newest first.
#[utoipa::path(
    tag = "editions",
    security(("bearer" = [])),
    params(EditionListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of editions.", body = Page<EditionResponse>),
    )
)]
#[get("/editions")]
async fn list_editions(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    Paged(query, page): Paged<EditionListQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = EditionFilter {
        course_id: query.course_id,
        status: query.status.map(Into::into),
        ..EditionFilter::default()
    };
    let (editions, total) = app::editions::list(&state.db, &actor, filter, page).await?;
    let items = editions.iter().map(EditionResponse::from).collect();
    Ok(page_response(items, total, page, &state.public_url, &req))
}

/// Get an edition
///
/// One edition with its `ETag`. The admin, and the course provider's staff.
#[utoipa::path(
    tag = "editions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Edition id.")),
    responses(
        (status = 200, description = "The edition.", body = EditionResponse,
         headers(("ETag" = String, description = "Version, for `If-Match`."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/editions/{id}")]
async fn read_edition(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let edition = app::editions::read(&state.db, &actor, id.into_inner()).await?;
    Ok(json_with_etag(
        &req,
        &EditionResponse::from(&edition),
        "no-store",
    ))
}

/// Update an edition
///
/// A JSON merge patch; `sessions`, when given, replaces them all. Status changes follow the
/// lifecycle (409 otherwise). The admin, and the course provider's staff. Send the `ETag`
/// in `If-Match`.
#[utoipa::path(
    tag = "editions",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Edition id."),
        IfMatch,
    ),
    request_body(content = EditionPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated.", body = EditionResponse,
         headers(("ETag" = String, description = "The new version."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[patch("/editions/{id}")]
async fn update_edition(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    MergePatch(patch): MergePatch<EditionPatch>,
) -> Result<HttpResponse, ApiError> {
    let if_match = if_match(&req)?;
    let holds =
        |e: &Edition| precondition_holds(if_match.as_ref(), &etag_of(&EditionResponse::from(e)));
    let id = id.into_inner();
    let edition = app::editions::update(&state.db, &actor, id, |d| patch.apply(d), holds).await?;
    state.outbox_filled();
    Ok(updated(&EditionResponse::from(&edition)))
}

/// Delete an edition
///
/// Removes a draft or cancelled edition (409 otherwise: cancel it first). The admin, and
/// the course provider's staff.
#[utoipa::path(
    tag = "editions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Edition id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[delete("/editions/{id}")]
async fn remove_edition(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    app::editions::delete(&state.db, &actor, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
