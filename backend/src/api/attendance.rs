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
use crate::auth::AuthUser;
use crate::documents::{SignatureSheet, signature_sheet_pdf};
use crate::domain::DomainError;
use crate::domain::access::{Actor, Operation};
use crate::domain::attendance_import;
use crate::domain::notification::{italian_date_time, italian_time};
use crate::entities::edition;
use crate::error::{ApiError, FieldError, FieldErrors};
use crate::state::AppState;
use crate::store::{
    self,
    attendance::{Mark, RegisterLine, Session},
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_sessions)
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
            hours: f64::from(session_minutes(s)) / 60.0,
        }
    }
}

fn session_minutes(s: &Session) -> i32 {
    i32::try_from((s.ends_at - s.starts_at).num_minutes().max(0)).unwrap_or(i32::MAX)
}

/// The sessions.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionList {
    #[schema(max_items = 100)]
    pub items: Vec<SessionResponse>,
}

/// Checks that the actor runs the edition.
async fn runs(state: &AppState, actor: &Actor, edition: &edition::Model) -> Result<(), ApiError> {
    let course = store::courses::find(&state.db, edition.course_id).await?;
    actor.authorize(Operation::ManageEditionsOf(course.fields.provider_id))?;
    Ok(())
}

async fn managed_session(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(Session, edition::Model), ApiError> {
    let (session, edition) = store::attendance::session(&state.db, id).await?;
    runs(state, actor, &edition).await?;
    Ok((session, edition))
}

/// List the sessions of an edition
///
/// With their ids, for the attendance registers.
#[utoipa::path(
    tag = "attendance",
    operation_id = "list_edition_sessions",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Edition id.", minimum = 1, maximum = 9_007_199_254_740_991i64)),
    responses(
        (status = 200, description = "The sessions, in time order.", body = SessionList,
         headers(("Cache-Control" = String, description = "`no-store`."))),
    )
)]
#[get("/editions/{id}/sessions")]
async fn list_sessions(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let edition = store::courses::find_edition(&state.db, id.into_inner()).await?;
    let course = store::courses::find(&state.db, edition.course_id).await?;
    actor.authorize(Operation::ManageEditionsOf(course.fields.provider_id))?;
    let sessions = store::attendance::sessions(&state.db, edition.id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(SessionList {
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

async fn register_of(state: &AppState, session: &Session) -> Result<AttendanceRegister, ApiError> {
    let lines = store::attendance::register(&state.db, session).await?;
    Ok(AttendanceRegister {
        session: session.into(),
        edition_id: session.edition_id,
        entries: lines.into_iter().map(Into::into).collect(),
    })
}

/// Read a session's register
///
/// Who holds a seat and what was recorded. With `Accept: application/pdf`, the signature
/// sheet to print and take to the session.
#[utoipa::path(
    tag = "attendance",
    operation_id = "read_attendance",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id.", minimum = 1, maximum = 9_007_199_254_740_991i64)),
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
    let (session, edition) = managed_session(&state, &actor, id.into_inner()).await?;
    let wants_pdf = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/pdf"));
    if wants_pdf {
        return signature_sheet(&state, &session, &edition).await;
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(register_of(&state, &session).await?))
}

async fn signature_sheet(
    state: &AppState,
    session: &Session,
    edition: &edition::Model,
) -> Result<HttpResponse, ApiError> {
    let course = store::courses::find(&state.db, edition.course_id).await?;
    let comuni = store::comuni::list(&state.db).await?;
    let lines = store::attendance::register(&state.db, session).await?;
    let people: Vec<(String, String)> = lines
        .into_iter()
        .map(|l| {
            let comune = comuni
                .iter()
                .find(|c| c.istat_code.as_str() == l.comune)
                .map_or(l.comune.clone(), |c| c.name.clone());
            (l.employee_name, comune)
        })
        .collect();
    let venue = match session.venue_id {
        Some(id) => store::venues::find(&state.db, id)
            .await
            .map(|v| format!(", {}", v.fields.name))
            .unwrap_or_default(),
        None => String::new(),
    };
    let label = format!(
        "{}–{}{venue}",
        italian_date_time(session.starts_at),
        italian_time(session.ends_at),
    );
    let pdf = signature_sheet_pdf(&SignatureSheet {
        course_title: &course.fields.title,
        edition_title: &edition.title,
        session: &label,
        people: &people,
    });
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"foglio-firme-sessione-{}.pdf\"",
                session.id
            ),
        ))
        .body(pdf))
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

fn marks(body: &AttendanceWrite, session: &Session) -> Result<Vec<Mark>, ApiError> {
    let length = session_minutes(session);
    let mut errors = FieldErrors::default();
    let mut marks = Vec::with_capacity(body.records.len());
    for (i, r) in body.records.iter().enumerate() {
        let minutes = match (r.present, r.hours) {
            (false, _) => 0,
            (true, None) => length,
            (true, Some(h)) => (h * 60.0).round() as i32,
        };
        if minutes > length {
            errors.add(DomainError::invalid(
                &format!("records/{i}/hours"),
                format!(
                    "al massimo la durata della sessione ({} ore)",
                    f64::from(length) / 60.0
                ),
            ));
        }
        if marks
            .iter()
            .any(|m: &Mark| m.enrolment_id == r.enrolment_id)
        {
            errors.add(DomainError::invalid(
                &format!("records/{i}/enrolment_id"),
                "iscrizione ripetuta",
            ));
        }
        marks.push(Mark {
            enrolment_id: r.enrolment_id,
            present: r.present,
            minutes,
        });
    }
    errors.finish()?;
    Ok(marks)
}

/// Record attendance
///
/// Present or absent, and the hours actually attended, for some or all of the register.
/// Completion follows at once: an enrolment completes when its hours reach the course's
/// threshold (and goes back if a correction takes them below).
#[utoipa::path(
    tag = "attendance",
    operation_id = "record_attendance",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Session id.", minimum = 1, maximum = 9_007_199_254_740_991i64)),
    request_body(content = AttendanceWrite, content_type = "application/json"),
    responses(
        (status = 200, description = "The register after the change.", body = AttendanceRegister,
         headers(("Cache-Control" = String, description = "`no-store`."))),
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
    let (session, _) = managed_session(&state, &actor, id.into_inner()).await?;
    let marks = marks(&body, &session)?;
    store::attendance::record(&state.db, &session, &marks, actor.user_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(register_of(&state, &session).await?))
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
    operation_id = "import_attendance",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Session id.", minimum = 1, maximum = 9_007_199_254_740_991i64),
        AttendanceImportQuery,
    ),
    request_body(content = String, content_type = "text/csv", description = "The report."),
    responses(
        (status = 200, description = "What was (or would be) recorded.", body = AttendanceImportReport,
         headers(("Cache-Control" = String, description = "`no-store`."))),
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
    let (session, _) = managed_session(&state, &actor, id.into_inner()).await?;
    let bytes = super::extract::csv_body(&req, body).await?;
    let report = attendance_import::parse(&bytes);
    if !report.errors.is_empty() {
        return Err(ApiError::Validation(
            report
                .errors
                .iter()
                .map(|e| {
                    FieldError::body(format!("#/rows/{}/{}", e.line, e.field), e.message.clone())
                })
                .collect(),
        ));
    }
    let length = session_minutes(&session);
    let register = store::attendance::register(&state.db, &session).await?;
    let mut present = Vec::new();
    let mut marks = Vec::new();
    let mut skipped = Vec::new();
    for (email, minutes) in &report.minutes {
        let line = report.first_line.get(email).copied().unwrap_or(1);
        match register.iter().find(|l| {
            l.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        }) {
            Some(entry) => {
                let credited = (*minutes).min(length);
                marks.push(Mark {
                    enrolment_id: entry.enrolment_id,
                    present: credited > 0,
                    minutes: credited,
                });
                present.push(ImportedPresence {
                    enrolment_id: entry.enrolment_id,
                    employee_name: entry.employee_name.clone(),
                    hours: f64::from(credited) / 60.0,
                });
            }
            None => skipped.push(SkippedLine {
                line,
                detail: "nessun iscritto confermato con questo indirizzo e-mail".into(),
            }),
        }
    }
    skipped.sort_by_key(|s| s.line);
    if !query.dry_run && !marks.is_empty() {
        store::attendance::record(&state.db, &session, &marks, actor.user_id).await?;
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(AttendanceImportReport {
            dry_run: query.dry_run,
            present,
            skipped,
        }))
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
    operation_id = "credit_async_hours",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enrolment id.", minimum = 1, maximum = 9_007_199_254_740_991i64)),
    request_body(content = AsyncCompletion, content_type = "application/json"),
    responses(
        (status = 200, description = "The enrolment after the change.", body = EnrolmentResponse,
         headers(("Cache-Control" = String, description = "`no-store`."))),
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
    let enrolment = store::enrolments::find(&state.db, id.into_inner()).await?;
    let edition = store::courses::find_edition(&state.db, enrolment.edition_id.0).await?;
    let course = store::courses::find(&state.db, edition.course_id).await?;
    actor.authorize(Operation::ManageEditionsOf(course.fields.provider_id))?;
    let minutes = (body.hours * 60.0).round() as i32;
    let updated =
        store::attendance::credit_async(&state.db, enrolment.id, minutes, actor.user_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(super::enrolments::response_of(&state, &actor, &updated).await?))
}
