//! The public catalogue for Pi.Co. and any other platform: no authentication, no personal
//! data, strong ETags, `updated_since` with tombstones, and iCalendar feeds.
//!
//! Platforms poll it every minute, so answers come from an in-memory cache keyed by the
//! request and tagged with the catalogue generation, the head of the change log that
//! triggers keep on every catalogue write: nothing older than a committed write is served.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::courses::{LanguageCode, ModalityName};
use super::editions::EditionStatusName;
use super::extract::{NoParameters, ValidatedQuery};
use super::pagination::{PageLinks, limit_or_default};
use crate::catalogue_cache::Cached;
use crate::domain::catalogue::{
    CatalogueData, CourseEntry, CourseQuery, EditionEntry, EditionQuery, Removal, sync_page,
};
use crate::domain::comune::IstatCode;
use crate::domain::course::CourseStatus;
use crate::error::{ApiError, FieldError};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_catalogue_courses)
        .service(list_catalogue_editions)
        .service(read_calendar)
        .service(read_course_calendar);
}

/// `Cache-Control` of every catalogue answer: anyone may store it, but must revalidate.
const CACHE_POLICY: &str = "public, no-cache";
const CALENDAR_TYPE: &str = "text/calendar; charset=utf-8";

/// Serves `req` from the cache, or renders it with `render` over the current snapshot.
pub(super) async fn cached_answer(
    state: &AppState,
    req: &HttpRequest,
    content_type: &'static str,
    render: impl FnOnce(&CatalogueData) -> Result<Vec<u8>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let generation = crate::app::catalogue::generation(&state.db).await?;
    cached_answer_at(state, req, generation, content_type, render).await
}

/// Serves `req` from the cache of `generation`, or renders it with `render` over a
/// snapshot at least as new as that generation.
pub(super) async fn cached_answer_at(
    state: &AppState,
    req: &HttpRequest,
    generation: u64,
    content_type: &'static str,
    render: impl FnOnce(&CatalogueData) -> Result<Vec<u8>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let key = format!("{}?{}", req.path(), req.query_string());
    let hit = state.catalogue_cache.lookup(generation, &key);
    state.metrics.observe_catalogue_cache(hit.is_some());
    let cached = match hit {
        Some(cached) => cached,
        None => {
            let snapshot = state
                .catalogue_cache
                .snapshot(&state.db, generation)
                .await?;
            let body = Bytes::from(render(&snapshot)?);
            let cached = Cached {
                etag: super::http_cache::etag_of_bytes(&body),
                body,
                content_type,
            };
            state.catalogue_cache.store(generation, key, cached.clone());
            cached
        }
    };
    let not_modified =
        super::http_cache::if_none_match(req).is_some_and(|tags| tags.matches(&cached.etag));
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, cached.etag))
        .insert_header((header::CACHE_CONTROL, CACHE_POLICY));
    Ok(if not_modified {
        response.finish()
    } else {
        response.content_type(cached.content_type).body(cached.body)
    })
}

/// A course in the public catalogue.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "id": 7, "title": "Privacy nei comuni", "description": "…", "objectives": "…", "theme_code": "privacy",
    "theme_name": "Privacy e protezione dei dati personali", "provider_id": 3, "provider_name": "Formazione Ligure",
    "hours": 6.0, "modality": "blended", "target_office_areas": ["affari_generali"], "min_attendance_percent": 80,
    "issues_certificate": true, "participant_fee_eur": 0.0, "language": "it",
    "url": "https://cabina.example/catalogo/corsi/7", "updated_at": "2026-11-20T10:00:00Z"
}))]
pub struct CatalogueCourse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(max_length = 200)]
    pub title: String,
    #[schema(max_length = 10000)]
    pub description: String,
    #[schema(max_length = 10000)]
    pub objectives: String,
    #[schema(max_length = 40)]
    pub theme_code: String,
    #[schema(max_length = 120)]
    pub theme_name: String,
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub provider_id: i64,
    #[schema(max_length = 200)]
    pub provider_name: String,
    /// The provider's partita IVA; absent for a body without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, pattern = "^[0-9]{11}$")]
    pub provider_vat_number: Option<String>,
    #[schema(format = Double, minimum = 0.25, maximum = 500.0)]
    pub hours: f64,
    pub modality: ModalityName,
    #[schema(max_items = 50, inline)]
    pub target_office_areas: Vec<String>,
    #[schema(format = Int32, minimum = 1, maximum = 100)]
    pub min_attendance_percent: i32,
    pub issues_certificate: bool,
    /// What a participant pays, in euro (0: free).
    #[schema(format = Double, minimum = 0.0, maximum = 10000.0)]
    pub participant_fee_eur: f64,
    pub language: LanguageCode,
    /// The course's public page in the web application.
    #[schema(max_length = 2000)]
    pub url: String,
    pub updated_at: DateTime<Utc>,
}

/// A course as the catalogue shows it; `public_url` is the application's address.
pub(super) fn catalogue_course(e: &CourseEntry, public_url: &str) -> CatalogueCourse {
    let f = &e.course.fields;
    CatalogueCourse {
        id: e.course.id,
        title: f.title.clone(),
        description: f.description.clone(),
        objectives: f.objectives.clone(),
        theme_code: f.theme_code.clone(),
        theme_name: e.theme_name.clone(),
        provider_id: f.provider_id,
        provider_name: e.provider_name.clone(),
        provider_vat_number: e.provider_vat_number.clone(),
        hours: f.duration.hours(),
        modality: f.modality.into(),
        target_office_areas: f.target_office_areas.clone(),
        min_attendance_percent: f.min_attendance_percent,
        issues_certificate: f.issues_certificate,
        participant_fee_eur: f.participant_fee.euros(),
        language: f.language.into(),
        url: course_page_url(public_url, e.course.id),
        updated_at: e.course.updated_at,
    }
}

/// The public page of a course in the web application.
pub(super) fn course_page_url(public_url: &str, course_id: i64) -> String {
    format!("{public_url}/catalogo/corsi/{course_id}")
}

/// Where a signed-in employee enrols in an edition in the web application.
pub(super) fn enrolment_url(public_url: &str, edition_id: i64) -> String {
    format!("{public_url}/edizioni/{edition_id}")
}

/// Why a mirror must delete an item.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    Deleted,
    Unpublished,
    Cancelled,
}

impl From<Removal> for RemovalReason {
    fn from(r: Removal) -> Self {
        match r {
            Removal::Deleted => RemovalReason::Deleted,
            Removal::Unpublished => RemovalReason::Unpublished,
            Removal::Cancelled => RemovalReason::Cancelled,
        }
    }
}

/// An item that left the catalogue since `updated_since`: delete it from a mirror.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"id": 12, "reason": "cancelled", "updated_at": "2026-11-21T09:00:00Z"}))]
pub struct Tombstone {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    pub reason: RemovalReason,
    pub updated_at: DateTime<Utc>,
}

/// A page of the catalogue; with `updated_since`, also what to delete.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CataloguePage<T: ToSchema> {
    #[schema(max_items = 200)]
    pub items: Vec<T>,
    /// Only with `updated_since`: items to delete from a mirror.
    #[schema(max_items = 200)]
    pub removed: Vec<Tombstone>,
    /// Matches over all pages (with `updated_since`: changes, removals included).
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub total: u64,
    #[schema(format = Int32, minimum = 1, maximum = 200)]
    pub limit: u32,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub offset: u64,
    pub links: PageLinks,
}

/// Filters of `GET /catalogue/courses`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CatalogueCourseQuery {
    #[validate(length(max = 40))]
    #[param(max_length = 40)]
    pub theme_code: Option<String>,
    pub modality: Option<ModalityName>,
    /// Fragment of the title, case-insensitive.
    #[validate(length(max = 100))]
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Deprecated: use `GET /catalogue/changes`, which does not depend on clocks. Only what
    /// changed at or after this instant, removals included.
    pub updated_since: Option<DateTime<Utc>>,
    /// Page size, 1 to 200 (default 20).
    #[validate(range(min = 1, max = 200))]
    #[param(format = Int32, minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Items to skip.
    #[validate(range(max = 1_000_000))]
    #[param(format = Int64, minimum = 0, maximum = 1_000_000)]
    pub offset: Option<u64>,
}

/// One page: without `since`, the visible entries; with it, every change since then in
/// order, removals as tombstones.
fn page<T: ToSchema, E>(
    req: &HttpRequest,
    public_url: &str,
    (limit, offset): (u32, u64),
    entries: Vec<(&E, DateTime<Utc>, i64, Option<Removal>)>,
    since: Option<DateTime<Utc>>,
    item: impl Fn(&E) -> T,
) -> CataloguePage<T> {
    let (items, removed, total) = match since {
        Some(since) => {
            let sync = sync_page(entries, since, limit as usize, offset as usize);
            let removed = sync
                .removed
                .into_iter()
                .map(|(id, updated_at, reason)| Tombstone {
                    id,
                    reason: reason.into(),
                    updated_at,
                })
                .collect();
            (
                sync.items.into_iter().map(&item).collect(),
                removed,
                sync.total,
            )
        }
        None => {
            let visible: Vec<_> = entries
                .into_iter()
                .filter(|(.., removal)| removal.is_none())
                .collect();
            let total = visible.len();
            let items = visible
                .into_iter()
                .skip(offset as usize)
                .take(limit as usize)
                .map(|(e, ..)| item(e))
                .collect();
            (items, Vec::new(), total)
        }
    };
    let links = super::pagination::PageLinks::new(total as u64, limit, offset, public_url, req);
    CataloguePage {
        items,
        removed,
        total: total as u64,
        limit,
        offset,
        links,
    }
}

/// Where a session is held, as the catalogue shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueVenue {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(max_length = 200)]
    pub name: String,
    #[schema(max_length = 300)]
    pub address: String,
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    #[schema(max_length = 120)]
    pub comune_name: String,
    #[schema(format = Double, minimum = -90.0, maximum = 90.0)]
    pub latitude: f64,
    #[schema(format = Double, minimum = -180.0, maximum = 180.0)]
    pub longitude: f64,
    /// How to reach the room with a disability; absent when not described.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 2000)]
    pub accessibility_notes: Option<String>,
}

/// One meeting of an edition.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueSession {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub venue: Option<CatalogueVenue>,
}

/// An edition in the public catalogue. The webinar link is for enrolled people only.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "id": 12, "course_id": 7, "course_title": "Privacy nei comuni", "theme_code": "privacy", "title": "Edizione di Imperia",
    "delivery": "in_person", "status": "open", "capacity": 25, "seats_left": 7, "online": false,
    "participant_fee_eur": 0.0, "language": "it", "url": "https://cabina.example/catalogo/corsi/7",
    "enrolment_url": "https://cabina.example/edizioni/12", "enrolment_opens_at": "2027-02-01T08:00:00Z",
    "enrolment_closes_at": "2027-03-10T18:00:00Z", "self_enrolment": true, "starts_at": "2027-03-15T08:30:00Z",
    "ends_at": "2027-03-22T11:30:00Z", "sessions": [{"starts_at": "2027-03-15T08:30:00Z", "ends_at": "2027-03-15T11:30:00Z",
    "venue": {"id": 1, "name": "Sala della Provincia", "address": "Viale Matteotti 147", "comune_istat_code": "008031",
    "comune_name": "Imperia", "latitude": 43.8865, "longitude": 8.02965}}], "updated_at": "2026-11-20T10:00:00Z"
}))]
pub struct CatalogueEdition {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub course_id: i64,
    #[schema(max_length = 200)]
    pub course_title: String,
    #[schema(max_length = 40)]
    pub theme_code: String,
    #[schema(max_length = 200)]
    pub title: String,
    pub delivery: ModalityName,
    pub status: EditionStatusName,
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub capacity: i32,
    /// Seats not yet held by a confirmed enrolment (0 when full: new enrolments wait).
    #[schema(format = Int32, minimum = 0, maximum = 10000)]
    pub seats_left: i32,
    /// Whether it is followed online (a webinar, live or recorded), with no room to reach.
    pub online: bool,
    /// What a participant pays, in euro (0: free): the course's fee.
    #[schema(format = Double, minimum = 0.0, maximum = 10000.0)]
    pub participant_fee_eur: f64,
    /// The language of the course.
    pub language: LanguageCode,
    /// The course's public page in the web application.
    #[schema(max_length = 2000)]
    pub url: String,
    /// Where an employee, once signed in, enrols in this edition.
    #[schema(max_length = 2000)]
    pub enrolment_url: String,
    pub enrolment_opens_at: DateTime<Utc>,
    pub enrolment_closes_at: DateTime<Utc>,
    pub self_enrolment: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub starts_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub ends_at: Option<DateTime<Utc>>,
    #[schema(max_items = 100)]
    pub sessions: Vec<CatalogueSession>,
    /// With `near`: kilometres from that comune to the nearest venue of the edition.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Double, minimum = 0.0, maximum = 20040.0)]
    pub distance_km: Option<f64>,
    pub updated_at: DateTime<Utc>,
}

pub(super) fn catalogue_edition(
    data: &CatalogueData,
    e: &EditionEntry,
    distance_km: Option<f64>,
    public_url: &str,
) -> CatalogueEdition {
    let edition = &e.edition;
    let course = data.courses.get(&edition.course_id);
    let venue = |id: Option<i64>| {
        id.and_then(|id| data.venues.get(&id))
            .map(|v| CatalogueVenue {
                id: v.id,
                name: v.name.clone(),
                address: v.address.clone(),
                comune_istat_code: v.comune_istat_code.clone(),
                comune_name: v.comune_name.clone(),
                latitude: v.coordinates.latitude,
                longitude: v.coordinates.longitude,
                accessibility_notes: Some(v.accessibility_notes.clone())
                    .filter(|notes| !notes.trim().is_empty()),
            })
    };
    CatalogueEdition {
        id: edition.id,
        course_id: edition.course_id,
        course_title: course
            .map(|c| c.course.fields.title.clone())
            .unwrap_or_default(),
        theme_code: course
            .map(|c| c.course.fields.theme_code.clone())
            .unwrap_or_default(),
        title: edition.fields.title.clone(),
        delivery: edition.fields.delivery.into(),
        status: edition.fields.status.into(),
        capacity: edition.fields.capacity.seats(),
        seats_left: e.seats_left(),
        online: edition.fields.delivery.is_online(),
        participant_fee_eur: course.map_or(0.0, |c| c.course.fields.participant_fee.euros()),
        language: course.map_or(LanguageCode::It, |c| c.course.fields.language.into()),
        url: course_page_url(public_url, edition.course_id),
        enrolment_url: enrolment_url(public_url, edition.id),
        enrolment_opens_at: edition.fields.enrolment_opens_at,
        enrolment_closes_at: edition.fields.enrolment_closes_at,
        self_enrolment: edition.fields.self_enrolment,
        starts_at: edition.starts_at(),
        ends_at: edition.ends_at(),
        sessions: edition
            .fields
            .sessions
            .iter()
            .map(|s| CatalogueSession {
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                venue: venue(s.venue_id),
            })
            .collect(),
        distance_km,
        updated_at: edition.updated_at,
    }
}

/// Public catalogue of courses
///
/// The published courses, filtered by theme, modality or a fragment of the title. With
/// `updated_since`, every change since then in order of change, and in `removed` what a
/// mirror must delete (unpublished or deleted courses). Strong `ETag`: revalidate with
/// `If-None-Match` (304). No authentication, no personal data.
#[utoipa::path(
    tag = "catalogue",
    security(()),
    params(CatalogueCourseQuery),
    responses(
        (status = 200, description = "A page of the catalogue.", body = CataloguePage<CatalogueCourse>,
         headers(("Cache-Control" = String, description = "`public, no-cache`: any cache may store it, revalidating every time with `If-None-Match`."),
                 ("ETag" = String, description = "Strong validator of this answer."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/catalogue/courses")]
async fn list_catalogue_courses(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidatedQuery(query): ValidatedQuery<CatalogueCourseQuery>,
) -> Result<HttpResponse, ApiError> {
    let window = (limit_or_default(query.limit), query.offset.unwrap_or(0));
    let public_url = state.public_url.clone();
    let superseded = query.updated_since.is_some();
    let filter = CourseQuery {
        theme_code: query.theme_code.clone(),
        modality: query.modality.map(Into::into),
        q: query.q.clone(),
    };
    cached_answer(&state, &req, "application/json", |data| {
        let entries = filter
            .select(data)
            .into_iter()
            .map(|c| (c, c.course.updated_at, c.course.id, data.course_removal(c)))
            .collect();
        let page = page(
            &req,
            &public_url,
            window,
            entries,
            query.updated_since,
            |c: &CourseEntry| catalogue_course(c, &public_url),
        );
        Ok(serde_json::to_vec(&page).map_err(anyhow::Error::from)?)
    })
    .await
    .map(|response| point_to_the_feed(response, superseded, &state.public_url))
}

/// An answer to a request that used `updated_since` says it is deprecated and names the
/// change feed that replaces it (RFC 9745 `Deprecation`, RFC 8288 `Link`).
fn point_to_the_feed(
    mut response: HttpResponse,
    superseded: bool,
    public_url: &str,
) -> HttpResponse {
    if superseded {
        let headers = response.headers_mut();
        headers.insert(
            header::HeaderName::from_static("deprecation"),
            header::HeaderValue::from_static(UPDATED_SINCE_DEPRECATED),
        );
        if let Ok(link) = header::HeaderValue::from_str(&format!(
            "<{public_url}/api/v1/catalogue/changes>; rel=\"successor-version\""
        )) {
            headers.insert(header::LINK, link);
        }
    }
    response
}

/// When `updated_since` was deprecated (2026-12-01, as an RFC 9745 date).
const UPDATED_SINCE_DEPRECATED: &str = "@1796083200";

/// Filters of `GET /catalogue/editions`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CatalogueEditionQuery {
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[param(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub course_id: Option<i64>,
    #[validate(length(max = 40))]
    #[param(max_length = 40)]
    pub theme_code: Option<String>,
    pub delivery: Option<ModalityName>,
    /// Editions not ended before this instant.
    pub from: Option<DateTime<Utc>>,
    /// Editions starting no later than this instant.
    pub to: Option<DateTime<Utc>>,
    /// Fragment of the course title, case-insensitive.
    #[validate(length(max = 100))]
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// ISTAT code of a comune: nearest editions first, with `distance_km`.
    #[validate(length(equal = 6))]
    #[param(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub near: Option<String>,
    /// Deprecated: use `GET /catalogue/changes`, which does not depend on clocks. Only what
    /// changed at or after this instant, removals included.
    pub updated_since: Option<DateTime<Utc>>,
    /// Page size, 1 to 200 (default 20).
    #[validate(range(min = 1, max = 200))]
    #[param(format = Int32, minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Items to skip.
    #[validate(range(max = 1_000_000))]
    #[param(format = Int64, minimum = 0, maximum = 1_000_000)]
    pub offset: Option<u64>,
}

/// Public catalogue of editions
///
/// Editions of published courses that are open, closed or completed, by start date (or by
/// distance with `near`). With `updated_since`, every change since then, and in `removed`
/// what a mirror must delete (cancelled, unpublished or deleted editions). Strong `ETag`.
/// No authentication, no personal data.
#[utoipa::path(
    tag = "catalogue",
    security(()),
    params(CatalogueEditionQuery),
    responses(
        (status = 200, description = "A page of the catalogue.", body = CataloguePage<CatalogueEdition>,
         headers(("Cache-Control" = String, description = "`public, no-cache`: any cache may store it, revalidating every time with `If-None-Match`."),
                 ("ETag" = String, description = "Strong validator of this answer."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/catalogue/editions")]
async fn list_catalogue_editions(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidatedQuery(query): ValidatedQuery<CatalogueEditionQuery>,
) -> Result<HttpResponse, ApiError> {
    let near = query
        .near
        .as_deref()
        .map(IstatCode::parse)
        .transpose()
        .map_err(|e| ApiError::InvalidParameters(vec![FieldError::parameter("near", e.message)]))?;
    let window = (limit_or_default(query.limit), query.offset.unwrap_or(0));
    let public_url = state.public_url.clone();
    let superseded = query.updated_since.is_some();
    let filter = EditionQuery {
        course_id: query.course_id,
        theme_code: query.theme_code.clone(),
        delivery: query.delivery.map(Into::into),
        from: query.from,
        to: query.to,
        q: query.q.clone(),
    };
    cached_answer(&state, &req, "application/json", |data| {
        let origin = match &near {
            Some(code) => Some(*data.comuni.get(code.as_str()).ok_or_else(|| {
                ApiError::InvalidParameters(vec![FieldError::parameter(
                    "near",
                    "comune inesistente in questa Provincia",
                )])
            })?),
            None => None,
        };
        let distance = |e: &EditionEntry| origin.and_then(|o| data.distance_km(&e.edition, &o));
        let entries = filter
            .select(data, origin.as_ref())
            .into_iter()
            .map(|e| {
                (
                    e,
                    e.edition.updated_at,
                    e.edition.id,
                    data.edition_removal(e),
                )
            })
            .collect();
        let page = page(
            &req,
            &public_url,
            window,
            entries,
            query.updated_since,
            |e| catalogue_edition(data, e, distance(e), &public_url),
        );
        Ok(serde_json::to_vec(&page).map_err(anyhow::Error::from)?)
    })
    .await
    .map(|response| point_to_the_feed(response, superseded, &state.public_url))
}

/// Calendar of all editions
///
/// An iCalendar (RFC 5545) feed of the catalogue's editions: one event per session, at the
/// Province's local time (`TZID=Europe/Rome`, defined in the feed's `VTIMEZONE`), with the
/// venue as `LOCATION` (`Online` for a webinar); an asynchronous edition is one span of whole
/// days over its availability window. `UID`s (`edition-12-session-1@cabina-im`) do not
/// depend on the public address; `SEQUENCE` and `LAST-MODIFIED` move with every change. An
/// edition that leaves the catalogue for any reason — cancelled, deleted, its course
/// archived — stays with `STATUS:CANCELLED`, so subscribed calendars remove it. Public.
#[utoipa::path(
    tag = "catalogue",
    security(()),
    responses(
        (status = 200, description = "The calendar.", content_type = "text/calendar", body = String,
         headers(("Cache-Control" = String, description = "`public, no-cache`: revalidate with `If-None-Match`."),
                 ("ETag" = String, description = "Strong validator of this answer."))),
        (status = 400, response = super::problems::BadRequest),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/catalogue/calendar")]
async fn read_calendar(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidatedQuery(NoParameters {}): ValidatedQuery<NoParameters>,
) -> Result<HttpResponse, ApiError> {
    let province = state.province.clone();
    cached_answer(&state, &req, CALENDAR_TYPE, |data| {
        Ok(calendar(data, None, &province).into_bytes())
    })
    .await
}

/// Calendar of one course's editions
///
/// The iCalendar feed of one course's editions (see the province-wide calendar); a course
/// that left the catalogue keeps it, its editions cancelled. Public; 404 for a draft.
#[utoipa::path(
    tag = "catalogue",
    security(()),
    params(("id" = i64, Path, description = "Course id.")),
    responses(
        (status = 200, description = "The calendar.", content_type = "text/calendar", body = String,
         headers(("Cache-Control" = String, description = "`public, no-cache`: revalidate with `If-None-Match`."),
                 ("ETag" = String, description = "Strong validator of this answer."))),
        (status = 400, response = super::problems::BadRequest),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/catalogue/courses/{id}/calendar")]
async fn read_course_calendar(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidatedQuery(NoParameters {}): ValidatedQuery<NoParameters>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let province = state.province.clone();
    cached_answer(&state, &req, CALENDAR_TYPE, |data| {
        // A course that was published keeps its calendar after it leaves the catalogue, so
        // that subscribers receive its editions as cancelled; a draft never had one.
        match data.courses.get(&id) {
            Some(course) if course.course.fields.status != CourseStatus::Draft => {}
            _ => return Err(ApiError::NotFound),
        }
        Ok(calendar(data, Some(id), &province).into_bytes())
    })
    .await
}

/// The time zone of every time in the calendars: the Province's.
const TIME_ZONE: chrono_tz::Tz = chrono_tz::Europe::Rome;

/// `Europe/Rome` as iCalendar defines it (RFC 5545 §3.6.5): CET, and CEST from the last
/// Sunday of March to the last Sunday of October — what a calendar application needs to
/// place a `TZID=Europe/Rome` time without knowing the zone itself.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/Rome\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n\
DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n\
DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// The feed: one event per session, an all-day span for an asynchronous window. UIDs
/// name the edition, the session's place in it and the Province, never the host, so they
/// stay the same when the public address changes.
fn calendar(data: &CatalogueData, course_id: Option<i64>, province: &str) -> String {
    let uid_domain = format!("cabina-{}", province.to_lowercase());
    let mut calendar = Calendar::empty();
    // RFC 5545 §3.7.3: PRODID names the product that wrote the calendar, in the FPI form.
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//cabina//Catalogo della formazione//IT"))
        .append_property(("CALSCALE", "GREGORIAN"));
    calendar.name("cabina – Catalogo della formazione");
    calendar.timezone(TIME_ZONE.name());
    for entry in data.calendar_editions(course_id) {
        for event in edition_events(data, entry, &uid_domain) {
            calendar.push(event);
        }
    }
    let text = calendar.done().to_string();
    // The time zone's definition goes before the first event (or the end).
    let at = text
        .find("BEGIN:VEVENT")
        .or_else(|| text.find("END:VCALENDAR"))
        .unwrap_or(text.len());
    format!("{}{VTIMEZONE}{}", &text[..at], &text[at..])
}

fn edition_events(data: &CatalogueData, entry: &EditionEntry, uid_domain: &str) -> Vec<Event> {
    let edition = &entry.edition;
    let course = data
        .courses
        .get(&edition.course_id)
        .map(|c| &c.course.fields);
    let title = format!(
        "{} – {}",
        course.map(|c| c.title.as_str()).unwrap_or_default(),
        edition.fields.title
    );
    let status = match data.edition_removal(entry) {
        None => EventStatus::Confirmed,
        Some(_) => EventStatus::Cancelled,
    };
    let event = |uid: String, summary: &str| {
        let mut event = Event::new();
        event
            .uid(&uid)
            .summary(summary)
            .description(course.map(|c| c.description.as_str()).unwrap_or_default())
            .sequence(u32::try_from(edition.sequence).unwrap_or(0))
            .last_modified(edition.updated_at)
            .timestamp(edition.updated_at)
            .status(status);
        event
    };
    let mut sessions: Vec<_> = edition.fields.sessions.iter().collect();
    sessions.sort_by_key(|s| s.starts_at);
    if sessions.is_empty() {
        // An asynchronous window: all-day, from its first to its last day (DTEND is the
        // day after, as all-day events have it).
        let (Some(from), Some(until)) = (
            edition.fields.available_from,
            edition.fields.available_until,
        ) else {
            return Vec::new();
        };
        let mut window = event(
            format!("edition-{}@{uid_domain}", edition.id),
            &format!("{title} (online, al proprio ritmo)"),
        );
        window
            .starts(local_date(from))
            .ends(local_date(until) + chrono::Days::new(1))
            .location("Online");
        return vec![window.done()];
    }
    let count = sessions.len();
    sessions
        .into_iter()
        .enumerate()
        .map(|(index, session)| {
            let summary = match count {
                1 => title.clone(),
                _ => format!("{title} ({} di {count})", index + 1),
            };
            let mut meeting = event(
                format!("edition-{}-session-{}@{uid_domain}", edition.id, index + 1),
                &summary,
            );
            meeting
                .starts(local_time(session.starts_at))
                .ends(local_time(session.ends_at));
            match session.venue_id.and_then(|v| data.venues.get(&v)) {
                Some(venue) => meeting.location(&format!(
                    "{}, {}, {}",
                    venue.name, venue.address, venue.comune_name
                )),
                None => meeting.location("Online"),
            };
            meeting.done()
        })
        .collect()
}

/// A moment as the Province's wall clock shows it, with the zone named.
fn local_time(at: DateTime<Utc>) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: at.with_timezone(&TIME_ZONE).naive_local(),
        tzid: TIME_ZONE.name().to_owned(),
    }
}

/// The Province's calendar day of a moment.
fn local_date(at: DateTime<Utc>) -> chrono::NaiveDate {
    at.with_timezone(&TIME_ZONE).date_naive()
}
