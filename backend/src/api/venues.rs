//! Venues where in-person sessions are held: managed by the admin, read by the admin and
//! providers (who plan their editions there).
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::{MergePatch, Paged, ValidatedJson, double_option, query_parameter};
use super::http_cache::{
    IfMatch, created, etag_of, if_match, json_with_etag, precondition_holds, updated,
};
use super::pagination::{Page, PageQuery, page_response};
use crate::app;
use crate::auth::AuthUser;
use crate::domain::comune::IstatCode;
use crate::domain::venue::{Venue, VenueDraft, VenueFilter};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_venues)
        .service(create_venue)
        .service(read_venue)
        .service(update_venue)
        .service(remove_venue);
}

/// A place where sessions are held.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "id": 1, "name": "Sala consiliare della Provincia", "address": "Viale Matteotti 147, Imperia",
    "comune_istat_code": "008031", "capacity": 60, "latitude": 43.8865, "longitude": 8.02965,
    "accessibility_notes": "Accesso senza barriere; ascensore.", "created_at": "2026-10-01T08:00:00Z",
    "updated_at": "2026-10-01T08:00:00Z"
}))]
pub struct VenueResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(max_length = 200)]
    pub name: String,
    #[schema(max_length = 300)]
    pub address: String,
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    /// Seats in the room.
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub capacity: i32,
    #[schema(format = Double, minimum = -90.0, maximum = 90.0)]
    pub latitude: f64,
    #[schema(format = Double, minimum = -180.0, maximum = 180.0)]
    pub longitude: f64,
    #[schema(max_length = 2000)]
    pub accessibility_notes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Venue> for VenueResponse {
    fn from(v: &Venue) -> Self {
        Self {
            id: v.id,
            name: v.fields.name.clone(),
            address: v.fields.address.clone(),
            comune_istat_code: v.fields.comune.as_str().to_owned(),
            capacity: v.fields.capacity,
            latitude: v.fields.coordinates.latitude,
            longitude: v.fields.coordinates.longitude,
            accessibility_notes: v.fields.accessibility_notes.clone(),
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

/// A new venue. Without coordinates, the comune's are used.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Sala consiliare della Provincia", "address": "Viale Matteotti 147, Imperia",
    "comune_istat_code": "008031", "capacity": 60, "accessibility_notes": "Accesso senza barriere; ascensore."
}))]
pub struct VenueCreate {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(min_length = 1, max_length = 300)]
    pub address: String,
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub capacity: i32,
    #[serde(default)]
    #[schema(format = Double, minimum = -90.0, maximum = 90.0)]
    pub latitude: Option<f64>,
    #[serde(default)]
    #[schema(format = Double, minimum = -180.0, maximum = 180.0)]
    pub longitude: Option<f64>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub accessibility_notes: String,
}

impl From<VenueCreate> for VenueDraft {
    fn from(v: VenueCreate) -> Self {
        Self {
            name: v.name,
            address: v.address,
            comune_istat_code: v.comune_istat_code,
            capacity: v.capacity,
            latitude: v.latitude,
            longitude: v.longitude,
            accessibility_notes: v.accessibility_notes,
        }
    }
}

/// A merge patch of a venue; `null` is refused except for `accessibility_notes`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"capacity": 40}))]
pub struct VenuePatch {
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub name: Option<String>,
    #[validate(length(max = 300))]
    #[schema(max_length = 300)]
    pub address: Option<String>,
    #[validate(length(equal = 6))]
    #[schema(pattern = "^[0-9]{6}$", max_length = 6)]
    pub comune_istat_code: Option<String>,
    #[validate(range(min = 1, max = 10000))]
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub capacity: Option<i32>,
    #[validate(range(min = -90.0, max = 90.0))]
    #[schema(format = Double, minimum = -90.0, maximum = 90.0)]
    pub latitude: Option<f64>,
    #[validate(range(min = -180.0, max = 180.0))]
    #[schema(format = Double, minimum = -180.0, maximum = 180.0)]
    pub longitude: Option<f64>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub accessibility_notes: Option<Option<String>>,
}

impl VenuePatch {
    fn apply(self, mut v: VenueDraft) -> VenueDraft {
        if let Some(name) = self.name {
            v.name = name;
        }
        if let Some(address) = self.address {
            v.address = address;
        }
        if let Some(code) = self.comune_istat_code {
            // A new comune without new coordinates moves the venue to that comune's point.
            if self.latitude.is_none() && self.longitude.is_none() {
                v.latitude = None;
                v.longitude = None;
            }
            v.comune_istat_code = code;
        }
        if let Some(capacity) = self.capacity {
            v.capacity = capacity;
        }
        if self.latitude.is_some() || self.longitude.is_some() {
            v.latitude = self.latitude.or(v.latitude);
            v.longitude = self.longitude.or(v.longitude);
        }
        if let Some(notes) = self.accessibility_notes {
            v.accessibility_notes = notes.unwrap_or_default();
        }
        v
    }
}

/// Filters of `GET /venues`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VenueListQuery {
    /// Fragment of the name.
    #[validate(length(max = 100))]
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Only venues in this comune.
    #[validate(length(equal = 6))]
    #[param(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: Option<String>,
}

/// List venues
///
/// Venues by name. The admin and provider staff.
#[utoipa::path(
    tag = "venues",
    security(("bearer" = [])),
    params(VenueListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of venues.", body = Page<VenueResponse>),
    )
)]
#[get("/venues")]
async fn list_venues(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    Paged(query, page): Paged<VenueListQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = VenueFilter {
        name_contains: query.q,
        comune: query_parameter(
            "comune_istat_code",
            query.comune_istat_code,
            IstatCode::parse,
        )?,
    };
    let (venues, total) = app::venues::list(&state.db, &actor, &filter, page).await?;
    let items = venues.iter().map(VenueResponse::from).collect();
    Ok(page_response(items, total, page, &state.public_url, &req))
}

/// Create a venue
///
/// Registers a room. Without coordinates, the comune's point is used. Admin only.
#[utoipa::path(
    tag = "venues",
    security(("bearer" = [])),
    request_body(content = VenueCreate, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = VenueResponse,
         headers(("Location" = String, description = "URL of the new venue."),
                 ("ETag" = String, description = "Version, for `If-Match`."))),
    )
)]
#[post("/venues")]
async fn create_venue(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedJson(body): ValidatedJson<VenueCreate>,
) -> Result<HttpResponse, ApiError> {
    let venue = app::venues::create(&state.db, &actor, &body.into()).await?;
    let location = format!("{}/api/v1/venues/{}", state.public_url, venue.id);
    Ok(created(location, &VenueResponse::from(&venue)))
}

/// Get a venue
///
/// One venue with its `ETag`. The admin and provider staff.
#[utoipa::path(
    tag = "venues",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Venue id.")),
    responses(
        (status = 200, description = "The venue.", body = VenueResponse,
         headers(("ETag" = String, description = "Version, for `If-Match`."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/venues/{id}")]
async fn read_venue(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let venue = app::venues::read(&state.db, &actor, id.into_inner()).await?;
    Ok(json_with_etag(
        &req,
        &VenueResponse::from(&venue),
        "no-store",
    ))
}

/// Update a venue
///
/// A JSON merge patch. Admin only. Send the `ETag` in `If-Match` to avoid lost updates.
#[utoipa::path(
    tag = "venues",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Venue id."),
        IfMatch,
    ),
    request_body(content = VenuePatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated.", body = VenueResponse,
         headers(("ETag" = String, description = "The new version."))),
    )
)]
#[patch("/venues/{id}")]
async fn update_venue(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    MergePatch(patch): MergePatch<VenuePatch>,
) -> Result<HttpResponse, ApiError> {
    let if_match = if_match(&req)?;
    let holds =
        |v: &Venue| precondition_holds(if_match.as_ref(), &etag_of(&VenueResponse::from(v)));
    let venue = app::venues::update(
        &state.db,
        &actor,
        id.into_inner(),
        |d| patch.apply(d),
        holds,
    )
    .await?;
    Ok(updated(&VenueResponse::from(&venue)))
}

/// Delete a venue
///
/// Removes a venue that no session uses (409 otherwise). Admin only.
#[utoipa::path(
    tag = "venues",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Venue id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[delete("/venues/{id}")]
async fn remove_venue(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    app::venues::delete(&state.db, &actor, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
