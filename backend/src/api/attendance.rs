//! Attendance: the sessions of an edition, the register of each session (by hand, or from
//! the report a webinar tool exports), the signature sheet to print, and the hours of
//! asynchronous webinars. Provider staff for their own editions, and the admin.
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::enrolments::EnrolmentResponse;
use super::extract::{ValidatedJson, ValidatedQuery};
use crate::app;
use crate::auth::AuthUser;
use crate::domain::attendance::{ImportOutcome, MarkDraft, RegisterLine, Session};
use crate::domain::ids::{EditionId, EnrolmentId};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_edition_sessions)
        .service(read_attendance)
        .service(record_attendance)
        .service(import_attendance)
        .service(credit_async_hours);
}

/// A session of an edition.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub venue_id: Option<i64>,
    /// Length of the session in hours: the most a person can be credited.
    #[schema(minimum = 0, maximum = 24)]
    pub hours: f64,
}

impl From<&Session> for SessionResponse {
    fn from(s: &Session) -> Self {
        Self {
            id: s.id,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            venue_id: s.venue_id,
            hours: f64::from(s.minutes()) / 60.0,
        }
    }
}

/// The sessions.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionList {
    #[schema(max_items = 100)]
    pub items: Vec<SessionResponse>,
}

/// List the sessions of an edition
///
/// With their ids, for the attendance registers.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Edition id.")),
    responses(
        (status = 200, description = "The sessions, in time order.", body = SessionList),
    )
)]
#[get("/editions/{id}/sessions")]
async fn list_edition_sessions(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let edition = EditionId(id.into_inner());
    let sessions = app::attendance::sessions(&state.db, &actor, edition).await?;
    Ok(no_store(SessionList {
        items: sessions.iter().map(SessionResponse::from).collect(),
    }))
}

/// One person in a register.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterEntry {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub enrolment_id: i64,
    #[schema(max_length = 250)]
    pub employee_name: String,
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    /// Absent until recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub present: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 0, maximum = 24)]
    pub hours: Option<f64>,
}

impl From<RegisterLine> for RegisterEntry {
    fn from(l: RegisterLine) -> Self {
        Self {
            enrolment_id: l.enrolment_id,
            employee_name: l.employee_name,
            comune_istat_code: l.comune,
            present: l.present,
            hours: l.minutes.map(|m| f64::from(m) / 60.0),
        }
    }
}

/// The register of a session.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"session": {"id": 31, "starts_at": "2027-03-15T08:30:00Z", "ends_at": "2027-03-15T11:30:00Z", "hours": 3.0},
    "edition_id": 12, "entries": [{"enrolment_id": 901, "employee_name": "Rossi Maria", "comune_istat_code": "008031", "present": true, "hours": 3.0}]}))]
pub struct AttendanceRegister {
    pub session: SessionResponse,
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub edition_id: i64,
    /// Everyone holding a seat, by family name.
    #[schema(max_items = 10000)]
    pub entries: Vec<RegisterEntry>,
}

impl AttendanceRegister {
    fn new(session: &Session, lines: Vec<RegisterLine>) -> Self {
        Self {
            session: session.into(),
            edition_id: session.edition_id.0,
            entries: lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// `200` with `value`, never cached: registers and enrolments are personal data.
fn no_store(value: impl Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(value)
}

/// Read a session's register
///
/// Who holds a seat and what was recorded. With `Accept: application/pdf`, the signature
/// sheet to print and take to the session.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id.")),
    responses(
        (status = 200, description = "The register, or the signature sheet.",
         content((AttendanceRegister = "application/json"), (String = "application/pdf")),
         headers(("Cache-Control" = String, description = "`no-store`: personal data."))),
    )
)]
#[get("/sessions/{id}/attendance")]
async fn read_attendance(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let wants_pdf = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/pdf"));
    if wants_pdf {
        let (session, pdf) = app::attendance::signature_sheet(&state.db, &actor, id).await?;
        return Ok(signature_sheet(&session, pdf));
    }
    let (session, lines) = app::attendance::register(&state.db, &actor, id).await?;
    Ok(no_store(AttendanceRegister::new(&session, lines)))
}

fn signature_sheet(session: &Session, pdf: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"foglio-firme-sessione-{}.pdf\"",
                session.id
            ),
        ))
        .body(pdf)
}

/// One person's attendance.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceMark {
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub enrolment_id: i64,
    pub present: bool,
    /// Hours actually attended; when present and left out, the whole session.
    #[validate(range(min = 0.0, max = 24.0))]
    #[schema(minimum = 0, maximum = 24)]
    pub hours: Option<f64>,
}

/// Marks to record in a register (others are left as they are): large registers go in
/// batches of up to 2,000.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"records": [{"enrolment_id": 901, "present": true}, {"enrolment_id": 902, "present": true, "hours": 2.5},
    {"enrolment_id": 903, "present": false}]}))]
pub struct AttendanceWrite {
    #[validate(length(min = 1, max = 2000), nested)]
    #[schema(min_items = 1, max_items = 2000)]
    pub records: Vec<AttendanceMark>,
}

impl From<&AttendanceMark> for MarkDraft {
    fn from(m: &AttendanceMark) -> Self {
        Self {
            enrolment_id: m.enrolment_id,
            present: m.present,
            hours: m.hours,
        }
    }
}

/// Record attendance
///
/// Present or absent, and the hours actually attended, for some or all of the register.
/// Completion follows at once: an enrolment completes when its hours reach the course's
/// threshold (and goes back if a correction takes them below).
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id.")),
    request_body(content = AttendanceWrite, content_type = "application/json"),
    responses(
        (status = 200, description = "The register after the change.", body = AttendanceRegister),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[put("/sessions/{id}/attendance")]
async fn record_attendance(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    ValidatedJson(body): ValidatedJson<AttendanceWrite>,
) -> Result<HttpResponse, ApiError> {
    let drafts: Vec<MarkDraft> = body.records.iter().map(MarkDraft::from).collect();
    let id = id.into_inner();
    let (session, lines) = app::attendance::record(&state.db, &actor, id, &drafts).await?;
    Ok(no_store(AttendanceRegister::new(&session, lines)))
}

/// Options of an attendance import.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AttendanceImportQuery {
    /// Check the report and say what it would record, without writing.
    #[serde(default)]
    pub dry_run: bool,
}

/// A person the report found.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportedPresence {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub enrolment_id: i64,
    #[schema(max_length = 250)]
    pub employee_name: String,
    /// Hours credited: the report's total, at most the session's length.
    #[schema(minimum = 0, maximum = 24)]
    pub hours: f64,
}

/// A line of the report that was not used.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SkippedLine {
    #[schema(format = Int64, minimum = 1, maximum = 1_000_000)]
    pub line: u64,
    #[schema(max_length = 200)]
    pub detail: String,
}

/// What an attendance report gives.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceImportReport {
    pub dry_run: bool,
    #[schema(max_items = 10000)]
    pub present: Vec<ImportedPresence>,
    /// Participants who are not enrolled (guests, teachers), by line: no personal data echoed.
    #[schema(max_items = 100000)]
    pub skipped: Vec<SkippedLine>,
}

/// Import a webinar attendance report
///
/// The CSV a webinar tool exports (Zoom, Teams — UTF-16 too —, GoToWebinar, Webex…): a
/// header with an e-mail and a duration column (minutes, `1h 20m` or `hh:mm:ss`), rows of the
/// same person added up. Enrolled people are matched by the e-mail of their employee record
/// and marked present with the minutes they stayed, at most the session's length; the
/// others are listed as skipped. Unreadable lines make the whole import a 422.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Session id."),
        AttendanceImportQuery,
    ),
    request_body(content = String, content_type = "text/csv", description = "The report."),
    responses(
        (status = 200, description = "What was (or would be) recorded.", body = AttendanceImportReport),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/sessions/{id}/attendance-imports")]
async fn import_attendance(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    ValidatedQuery(query): ValidatedQuery<AttendanceImportQuery>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    app::attendance::may_record(&state.db, &actor, id).await?;
    let csv = super::extract::csv_body(&req, body).await?;
    let outcome = app::attendance::import(&state.db, &actor, id, &csv, query.dry_run).await?;
    Ok(no_store(AttendanceImportReport::new(
        query.dry_run,
        outcome,
    )))
}

impl AttendanceImportReport {
    fn new(dry_run: bool, outcome: ImportOutcome) -> Self {
        Self {
            dry_run,
            present: outcome
                .present
                .into_iter()
                .map(|p| ImportedPresence {
                    enrolment_id: p.enrolment_id,
                    employee_name: p.employee_name,
                    hours: f64::from(p.minutes) / 60.0,
                })
                .collect(),
            skipped: outcome
                .skipped
                .into_iter()
                .map(|s| SkippedLine {
                    line: s.line,
                    detail: s.detail,
                })
                .collect(),
        }
    }
}

/// Hours completed in an asynchronous webinar.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"hours": 6.0}))]
pub struct AsyncCompletion {
    /// Hours the platform reports as completed (replacing any earlier figure).
    #[validate(range(min = 0.0, max = 500.0))]
    #[schema(minimum = 0, maximum = 500)]
    pub hours: f64,
}

/// Credit asynchronous webinar hours
///
/// For editions delivered as asynchronous webinars, which have no sessions: the hours the
/// platform reports as completed. Completion follows as for registers.
#[utoipa::path(
    tag = "attendance",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enrolment id.")),
    request_body(content = AsyncCompletion, content_type = "application/json"),
    responses(
        (status = 200, description = "The enrolment after the change.", body = EnrolmentResponse),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[put("/enrolments/{id}/async-completion")]
async fn credit_async_hours(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    ValidatedJson(body): ValidatedJson<AsyncCompletion>,
) -> Result<HttpResponse, ApiError> {
    let id = EnrolmentId(id.into_inner());
    let view = app::attendance::credit_async(&state.db, &actor, id, body.hours).await?;
    Ok(no_store(EnrolmentResponse::from(&view)))
}
