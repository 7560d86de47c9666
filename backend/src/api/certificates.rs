//! Certificates of attendance: the PDF *attestato* of a completed enrolment, and a public
//! check of a certificate number that reveals only what a verifier needs.
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::AuthUser;
use crate::documents::{Certificate, certificate_pdf};
use crate::domain::access::Operation;
use crate::domain::comune::IstatCode;
use crate::domain::enrolment::Enrolment;
use crate::domain::enrolment::{EnrolmentStatus, hours_label};
use crate::domain::notification::{italian_date, italian_day};
use crate::error::ApiError;
use crate::state::AppState;
use crate::store;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(download_certificate)
        .service(verify_certificate);
}

/// What is printed about the course of an enrolment.
struct CourseFacts {
    title: String,
    theme: String,
    provider: String,
    edition: String,
    dates: String,
    course_hours: String,
    completed_on: Option<NaiveDate>,
    issues_certificate: bool,
}

async fn course_facts(state: &AppState, e: &Enrolment) -> Result<CourseFacts, ApiError> {
    let edition = store::courses::find_edition(&state.db, e.edition_id.0).await?;
    let course = store::courses::find(&state.db, edition.course_id).await?;
    let provider = store::providers::find(&state.db, course.fields.provider_id).await?;
    let theme = store::reference::themes(&state.db)
        .await?
        .into_iter()
        .find(|t| t.code == course.fields.theme_code)
        .map_or(course.fields.theme_code.clone(), |t| t.name);
    let dates = match (edition.starts_at(), edition.ends_at()) {
        (Some(from), Some(to)) if italian_day(from) == italian_day(to) => {
            format!("il {}", italian_date(italian_day(from)))
        }
        (Some(from), Some(to)) => format!(
            "dal {} al {}",
            italian_date(italian_day(from)),
            italian_date(italian_day(to))
        ),
        _ => "—".to_owned(),
    };
    Ok(CourseFacts {
        title: course.fields.title.clone(),
        theme,
        provider: provider.profile.name,
        edition: edition.fields.title.clone(),
        dates,
        course_hours: hours_label(course.fields.duration.minutes()),
        completed_on: e.completed_at.map(italian_day),
        issues_certificate: course.fields.issues_certificate,
    })
}

async fn issuer(state: &AppState) -> Result<String, ApiError> {
    let comuni = store::comuni::list(&state.db).await?;
    Ok(comuni.iter().find(|c| c.is_provincial_capital).map_or_else(
        || format!("Provincia ({})", state.province),
        |c| format!("Provincia di {}", c.name),
    ))
}

/// Download a certificate of attendance
///
/// The PDF *attestato* of a completed enrolment: person and tax code, course, theme,
/// provider, edition and dates, hours attended and a unique number, verifiable at
/// `/certificates/{number}`. The number is assigned at the first download. For the person,
/// their referente and the admin; 409 until the course is completed or when the course
/// issues no certificate.
#[utoipa::path(
    tag = "certificates",
    operation_id = "download_certificate",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enrolment id.", minimum = 1, maximum = 9_007_199_254_740_991i64)),
    responses(
        (status = 200, description = "The certificate.", content((String = "application/pdf")),
         headers(("Cache-Control" = String, description = "`no-store`: personal data."),
                 ("Content-Disposition" = String, description = "The file name."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[get("/enrolments/{id}/certificate")]
async fn download_certificate(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let enrolment = store::enrolments::find(&state.db, id.into_inner()).await?;
    let own =
        super::enrolments::own_employee_id(&state, &actor).await? == Some(enrolment.employee_id);
    let comune = IstatCode::parse(&enrolment.comune)?;
    actor.authorize(Operation::ReadCertificate {
        comune: &comune,
        own_record: own,
    })?;
    let facts = course_facts(&state, &enrolment).await?;
    if !facts.issues_certificate {
        return Err(ApiError::Conflict(
            "Questo corso non rilascia attestati.".into(),
        ));
    }
    let enrolment =
        store::attendance::certificate(&state.db, enrolment.id, &state.province).await?;
    let number = enrolment.certificate_number.clone().unwrap_or_default();
    let employee = store::employees::find(&state.db, enrolment.employee_id.0).await?;
    let Some(person) = employee.fields else {
        return Err(ApiError::Conflict(
            "I dati della persona sono stati cancellati: l'attestato non si può più stampare."
                .into(),
        ));
    };
    store::employees::log_access(
        &state.db,
        actor.user_id,
        "export",
        Some(employee.id),
        Some(employee.comune.as_str()),
        format!("attestato {number}"),
    )
    .await?;
    let pdf = certificate_pdf(&Certificate {
        number: &number,
        issuer: &issuer(&state).await?,
        person: &format!("{} {}", person.given_name, person.family_name),
        tax_code: person.tax_code.as_str(),
        course_title: &facts.title,
        theme: &facts.theme,
        provider: &facts.provider,
        edition_title: &facts.edition,
        dates: &facts.dates,
        hours: &hours_label(enrolment.credited_minutes()),
        course_hours: &facts.course_hours,
        issued_on: &italian_date(
            facts
                .completed_on
                .unwrap_or_else(|| italian_day(store::now())),
        ),
        verify_url: &format!("{}/api/v1/certificates/{number}", state.public_url),
    });
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"attestato-{number}.pdf\""),
        ))
        .body(pdf))
}

/// The answer to a certificate check.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"number": "IM-2027-000901", "valid": true, "holder_initials": "M. R.",
    "course_title": "Privacy e protezione dei dati personali", "provider_name": "Formazione Ligure S.r.l.",
    "edition_title": "Imperia, marzo", "hours": 6.0, "completed_on": "2027-03-22"}))]
pub struct CertificateCheck {
    #[schema(max_length = 40)]
    pub number: String,
    /// The course is still recorded as completed by the holder.
    pub valid: bool,
    /// Initials only: enough to match the paper, nothing more.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 20)]
    pub holder_initials: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 200)]
    pub course_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 200)]
    pub provider_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 200)]
    pub edition_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 0, maximum = 100_000)]
    pub hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub completed_on: Option<NaiveDate>,
}

fn initials(given: &str, family: &str) -> String {
    let first = |s: &str| {
        s.chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default()
    };
    format!("{}. {}.", first(given), first(family))
}

/// Verify a certificate
///
/// Public: whoever holds a certificate (an employer, an auditor) checks its number. The
/// answer says whether it is valid and what it certifies, with the holder's initials only.
/// 404 for a number never issued.
#[utoipa::path(
    tag = "certificates",
    operation_id = "verify_certificate",
    params(("number" = String, Path, description = "The certificate number, e.g. `IM-2027-000901`.", max_length = 40, pattern = "^[A-Z]{2}-[0-9]{4}-[0-9]{6,}$")),
    responses(
        (status = 200, description = "The check.", body = CertificateCheck,
         headers(("Cache-Control" = String, description = "`no-store`."))),
    )
)]
#[get("/certificates/{number}")]
async fn verify_certificate(
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let number = number.into_inner();
    if number.len() > 40 {
        return Err(ApiError::NotFound);
    }
    let enrolment = store::attendance::by_certificate(&state.db, &number).await?;
    let valid = enrolment.status == EnrolmentStatus::Completed;
    let mut check = CertificateCheck {
        number,
        valid,
        holder_initials: None,
        course_title: None,
        provider_name: None,
        edition_title: None,
        hours: None,
        completed_on: None,
    };
    if valid {
        let facts = course_facts(&state, &enrolment).await?;
        let employee = store::employees::find(&state.db, enrolment.employee_id.0).await?;
        check.holder_initials = employee
            .fields
            .map(|p| initials(&p.given_name, &p.family_name));
        check.course_title = Some(facts.title);
        check.provider_name = Some(facts.provider);
        check.edition_title = Some(facts.edition);
        check.hours = Some(f64::from(enrolment.credited_minutes()) / 60.0);
        check.completed_on = facts.completed_on;
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(check))
}
