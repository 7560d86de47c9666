//! Courses of the catalogue: the admin defines them; provider staff read their own.
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::{MergePatch, Paged, ValidatedJson};
use super::http_cache::{
    IfMatch, created, etag_of, if_match, json_with_etag, precondition_holds, updated,
};
use super::pagination::{Page, PageQuery, page_response};
use crate::app;
use crate::auth::AuthUser;
use crate::domain::course::CourseFilter;
use crate::domain::course::{Course, CourseDraft, CourseStatus, Language, Modality};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_courses)
        .service(create_course)
        .service(read_course)
        .service(update_course)
        .service(remove_course);
}

/// How a course or edition is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModalityName {
    InPerson,
    LiveWebinar,
    AsyncWebinar,
    Blended,
}

impl From<ModalityName> for Modality {
    fn from(m: ModalityName) -> Self {
        match m {
            ModalityName::InPerson => Modality::InPerson,
            ModalityName::LiveWebinar => Modality::LiveWebinar,
            ModalityName::AsyncWebinar => Modality::AsyncWebinar,
            ModalityName::Blended => Modality::Blended,
        }
    }
}

impl From<Modality> for ModalityName {
    fn from(m: Modality) -> Self {
        match m {
            Modality::InPerson => ModalityName::InPerson,
            Modality::LiveWebinar => ModalityName::LiveWebinar,
            Modality::AsyncWebinar => ModalityName::AsyncWebinar,
            Modality::Blended => ModalityName::Blended,
        }
    }
}

/// A course's place in its life: `draft` → `published` → `archived` (→ `published`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CourseStatusName {
    Draft,
    Published,
    Archived,
}

impl From<CourseStatusName> for CourseStatus {
    fn from(s: CourseStatusName) -> Self {
        match s {
            CourseStatusName::Draft => CourseStatus::Draft,
            CourseStatusName::Published => CourseStatus::Published,
            CourseStatusName::Archived => CourseStatus::Archived,
        }
    }
}

impl From<CourseStatus> for CourseStatusName {
    fn from(s: CourseStatus) -> Self {
        match s {
            CourseStatus::Draft => CourseStatusName::Draft,
            CourseStatus::Published => CourseStatusName::Published,
            CourseStatus::Archived => CourseStatusName::Archived,
        }
    }
}

/// The language a course is taught in (ISO 639-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub enum LanguageCode {
    #[default]
    #[serde(rename = "it")]
    It,
    #[serde(rename = "en")]
    En,
    #[serde(rename = "fr")]
    Fr,
    #[serde(rename = "de")]
    De,
    #[serde(rename = "es")]
    Es,
}

impl From<LanguageCode> for Language {
    fn from(l: LanguageCode) -> Self {
        match l {
            LanguageCode::It => Language::Italian,
            LanguageCode::En => Language::English,
            LanguageCode::Fr => Language::French,
            LanguageCode::De => Language::German,
            LanguageCode::Es => Language::Spanish,
        }
    }
}

impl From<Language> for LanguageCode {
    fn from(l: Language) -> Self {
        match l {
            Language::Italian => LanguageCode::It,
            Language::English => LanguageCode::En,
            Language::French => LanguageCode::Fr,
            Language::German => LanguageCode::De,
            Language::Spanish => LanguageCode::Es,
        }
    }
}

/// A course's writable fields, as sent to create one.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Il regolamento europeo sulla protezione dei dati nei comuni",
    "description": "Obblighi del titolare e degli autorizzati al trattamento.",
    "objectives": "Saper gestire registro dei trattamenti e violazioni di dati.",
    "theme_code": "privacy", "provider_id": 3, "hours": 6.0, "modality": "blended",
    "target_office_areas": ["affari_generali", "demografici"], "min_attendance_percent": 80,
    "issues_certificate": true, "status": "draft", "participant_fee_eur": 0.0, "language": "it"
}))]
pub struct CourseWrite {
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub description: String,
    #[serde(default)]
    #[schema(max_length = 10000)]
    pub objectives: String,
    #[schema(max_length = 40)]
    pub theme_code: String,
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub provider_id: i64,
    /// Training hours, in quarter-hour steps.
    #[schema(format = Double, minimum = 0.25, maximum = 500.0, multiple_of = 0.25)]
    pub hours: f64,
    pub modality: ModalityName,
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50, inline)]
    pub target_office_areas: Vec<String>,
    /// Share of the hours an employee must attend to complete the course.
    #[serde(default = "full_attendance")]
    #[schema(format = Int32, minimum = 1, maximum = 100)]
    pub min_attendance_percent: i32,
    #[serde(default = "yes")]
    pub issues_certificate: bool,
    #[serde(default = "draft")]
    pub status: CourseStatusName,
    /// What a participant pays, in euro (0, the default: free).
    #[serde(default)]
    #[schema(format = Double, minimum = 0.0, maximum = 10000.0, multiple_of = 0.01)]
    pub participant_fee_eur: f64,
    /// The language the course is taught in; `it` by default.
    #[serde(default)]
    pub language: LanguageCode,
}

fn full_attendance() -> i32 {
    100
}

fn yes() -> bool {
    true
}

fn draft() -> CourseStatusName {
    CourseStatusName::Draft
}

/// A course as stored.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseResponse {
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
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub provider_id: i64,
    /// Training hours.
    #[schema(format = Double, minimum = 0.25, maximum = 500.0)]
    pub hours: f64,
    pub modality: ModalityName,
    #[schema(max_items = 50, inline)]
    pub target_office_areas: Vec<String>,
    #[schema(format = Int32, minimum = 1, maximum = 100)]
    pub min_attendance_percent: i32,
    pub issues_certificate: bool,
    pub status: CourseStatusName,
    /// What a participant pays, in euro (0: free).
    #[schema(format = Double, minimum = 0.0, maximum = 10000.0)]
    pub participant_fee_eur: f64,
    pub language: LanguageCode,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Course> for CourseResponse {
    fn from(c: &Course) -> Self {
        let f = &c.fields;
        Self {
            id: c.id,
            title: f.title.clone(),
            description: f.description.clone(),
            objectives: f.objectives.clone(),
            theme_code: f.theme_code.clone(),
            provider_id: f.provider_id,
            hours: f.duration.hours(),
            modality: f.modality.into(),
            target_office_areas: f.target_office_areas.clone(),
            min_attendance_percent: f.min_attendance_percent,
            issues_certificate: f.issues_certificate,
            status: f.status.into(),
            participant_fee_eur: f.participant_fee.euros(),
            language: f.language.into(),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

impl From<CourseWrite> for CourseDraft {
    fn from(c: CourseWrite) -> Self {
        Self {
            title: c.title,
            description: c.description,
            objectives: c.objectives,
            theme_code: c.theme_code,
            provider_id: c.provider_id,
            hours: c.hours,
            modality: c.modality.into(),
            target_office_areas: c.target_office_areas,
            min_attendance_percent: c.min_attendance_percent,
            issues_certificate: c.issues_certificate,
            status: c.status.into(),
            participant_fee_eur: c.participant_fee_eur,
            language: c.language.into(),
        }
    }
}

/// A merge patch of a course. Every field is optional; `null` is refused.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "published"}))]
pub struct CoursePatch {
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub title: Option<String>,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub objectives: Option<String>,
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub theme_code: Option<String>,
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub provider_id: Option<i64>,
    #[validate(range(min = 0.25, max = 500.0))]
    #[schema(format = Double, minimum = 0.25, maximum = 500.0, multiple_of = 0.25)]
    pub hours: Option<f64>,
    pub modality: Option<ModalityName>,
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub target_office_areas: Option<Vec<String>>,
    #[validate(range(min = 1, max = 100))]
    #[schema(format = Int32, minimum = 1, maximum = 100)]
    pub min_attendance_percent: Option<i32>,
    pub issues_certificate: Option<bool>,
    pub status: Option<CourseStatusName>,
    #[schema(format = Double, minimum = 0.0, maximum = 10000.0, multiple_of = 0.01)]
    pub participant_fee_eur: Option<f64>,
    pub language: Option<LanguageCode>,
}

impl CoursePatch {
    fn apply(self, mut c: CourseDraft) -> CourseDraft {
        c.title = self.title.unwrap_or(c.title);
        c.description = self.description.unwrap_or(c.description);
        c.objectives = self.objectives.unwrap_or(c.objectives);
        c.theme_code = self.theme_code.unwrap_or(c.theme_code);
        c.provider_id = self.provider_id.unwrap_or(c.provider_id);
        c.hours = self.hours.unwrap_or(c.hours);
        c.modality = self.modality.map_or(c.modality, Into::into);
        c.target_office_areas = self.target_office_areas.unwrap_or(c.target_office_areas);
        c.min_attendance_percent = self
            .min_attendance_percent
            .unwrap_or(c.min_attendance_percent);
        c.issues_certificate = self.issues_certificate.unwrap_or(c.issues_certificate);
        c.status = self.status.map_or(c.status, Into::into);
        c.participant_fee_eur = self.participant_fee_eur.unwrap_or(c.participant_fee_eur);
        c.language = self.language.map_or(c.language, Into::into);
        c
    }
}

/// Filters of `GET /courses`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CourseListQuery {
    /// Fragment of the title.
    #[validate(length(max = 100))]
    #[param(max_length = 100)]
    pub q: Option<String>,
    #[validate(length(max = 40))]
    #[param(max_length = 40)]
    pub theme_code: Option<String>,
    pub status: Option<CourseStatusName>,
    /// Only this provider's courses (provider staff always see only their own).
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[param(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub provider_id: Option<i64>,
}

/// List courses
///
/// All courses for the admin, the provider's own for its staff; newest first. The public
/// catalogue is at `/catalogue/courses`.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(CourseListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of courses.", body = Page<CourseResponse>),
    )
)]
#[get("/courses")]
async fn list_courses(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    Paged(query, page): Paged<CourseListQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = CourseFilter {
        provider_id: query.provider_id,
        theme: query.theme_code,
        status: query.status.map(Into::into),
        q: query.q,
        ..CourseFilter::default()
    };
    let (courses, total) = app::courses::list(&state.db, &actor, filter, page).await?;
    let items = courses.iter().map(CourseResponse::from).collect();
    Ok(page_response(items, total, page, &state.public_url, &req))
}

/// Create a course
///
/// Defines a course on a theme, given by a provider qualified for that theme. A theme that
/// requires presence refuses `async_webinar`. Admin only.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    request_body(content = CourseWrite, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = CourseResponse,
         headers(("Location" = String, description = "URL of the new course."),
                 ("ETag" = String, description = "Version, for `If-Match`."))),
    )
)]
#[post("/courses")]
async fn create_course(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedJson(body): ValidatedJson<CourseWrite>,
) -> Result<HttpResponse, ApiError> {
    let course = app::courses::create(&state.db, &actor, &body.into()).await?;
    let location = format!("{}/api/v1/courses/{}", state.public_url, course.id);
    Ok(created(location, &CourseResponse::from(&course)))
}

/// Get a course
///
/// One course with its `ETag`. The admin, and the staff of its provider.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Course id.")),
    responses(
        (status = 200, description = "The course.", body = CourseResponse,
         headers(("ETag" = String, description = "Version, for `If-Match`."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/courses/{id}")]
async fn read_course(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let course = app::courses::read(&state.db, &actor, id.into_inner()).await?;
    Ok(json_with_etag(
        &req,
        &CourseResponse::from(&course),
        "no-store",
    ))
}

/// Update a course
///
/// A JSON merge patch; status changes follow `draft` → `published` → `archived` (→
/// `published`), anything else is 409. Admin only. Send the `ETag` in `If-Match`.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Course id."),
        IfMatch,
    ),
    request_body(content = CoursePatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated.", body = CourseResponse,
         headers(("ETag" = String, description = "The new version."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[patch("/courses/{id}")]
async fn update_course(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    MergePatch(patch): MergePatch<CoursePatch>,
) -> Result<HttpResponse, ApiError> {
    let if_match = if_match(&req)?;
    let holds =
        |c: &Course| precondition_holds(if_match.as_ref(), &etag_of(&CourseResponse::from(c)));
    let id = id.into_inner();
    let course = app::courses::update(&state.db, &actor, id, |d| patch.apply(d), holds).await?;
    Ok(updated(&CourseResponse::from(&course)))
}

/// Delete a course
///
/// Removes a course and its editions from the catalogue (mirrors see tombstones); refused
/// with 409 while an edition is open or running. Admin only.
#[utoipa::path(
    tag = "courses",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Course id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[delete("/courses/{id}")]
async fn remove_course(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    app::courses::delete(&state.db, &actor, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
