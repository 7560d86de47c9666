//! Certificates of attendance: the PDF *attestato* of a completed enrolment, and a public
//! check of a certificate number that reveals only what a verifier needs.
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app;
use crate::app::certificates::CertificateStatus;
use crate::auth::AuthUser;
use crate::documents::{Certificate, certificate_pdf};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(download_certificate)
        .service(verify_certificate);
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
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enrolment id.")),
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
    let c = app::certificates::issue(&state.db, &actor, id.into_inner(), &state.province).await?;
    let pdf = certificate_pdf(&Certificate {
        number: &c.number,
        issuer: &c.issuer,
        person: &c.person,
        tax_code: &c.tax_code,
        course_title: &c.course.title,
        theme: &c.course.theme,
        provider: &c.course.provider,
        edition_title: &c.course.edition,
        dates: &c.course.dates,
        hours: &c.hours,
        course_hours: &c.course.course_hours,
        issued_on: &c.issued_on,
        verify_url: &format!("{}/api/v1/certificates/{}", state.public_url, c.number),
    });
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"attestato-{}.pdf\"", c.number),
        ))
        .body(pdf))
}

/// The answer to a certificate check.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"number": "IM-2027-000901-5F3A9C0B7E", "valid": true, "holder_initials": "M. R.",
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

/// Verify a certificate
///
/// Public: whoever holds a certificate (an employer, an auditor) checks its number. The
/// answer says whether it is valid and what it certifies, with the holder's initials only.
/// 404 for a number never issued. A number ends with ten random hex digits, so numbers
/// cannot be guessed by counting: only whoever holds the paper can check it.
#[utoipa::path(
    tag = "certificates",
    params(("number" = String, Path, description = "The certificate number, e.g. `IM-2027-000901-5F3A9C0B7E`.", max_length = 40, pattern = "^[A-Z]{2}-[0-9]{4}-[0-9]{6,}-[0-9A-F]{10}$")),
    responses(
        (status = 200, description = "The check.", body = CertificateCheck),
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
    let status = app::certificates::check(&state.db, &number).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(CertificateCheck::from(status)))
}

impl From<CertificateStatus> for CertificateCheck {
    fn from(s: CertificateStatus) -> Self {
        let details = s.details;
        Self {
            number: s.number,
            valid: s.valid,
            holder_initials: details.as_ref().and_then(|d| d.holder_initials.clone()),
            course_title: details.as_ref().map(|d| d.course.title.clone()),
            provider_name: details.as_ref().map(|d| d.course.provider.clone()),
            edition_title: details.as_ref().map(|d| d.course.edition.clone()),
            hours: details.as_ref().map(|d| d.hours),
            completed_on: details.and_then(|d| d.course.completed_on),
        }
    }
}
