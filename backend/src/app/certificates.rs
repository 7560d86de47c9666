//! Certificates of attendance: issued to the person, their referente and the admin once a
//! course is completed; checked by anyone holding the paper, who learns only what a
//! verifier needs.
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::domain::access::{Actor, Operation};
use crate::domain::comune::IstatCode;
use crate::domain::enrolment::{Enrolment, EnrolmentStatus, hours_label};
use crate::domain::notification::{italian_date, italian_day};
use crate::store::{self, StoreError};

/// What is printed about the course of an enrolment.
#[derive(Debug, Clone)]
pub struct CourseFacts {
    pub title: String,
    pub theme: String,
    pub provider: String,
    pub edition: String,
    /// "dal 15/03/2027 al 22/03/2027", or "il 15/03/2027".
    pub dates: String,
    /// The course's length, e.g. "7,5".
    pub course_hours: String,
    pub completed_on: Option<NaiveDate>,
    issues_certificate: bool,
}

/// Everything an *attestato* prints.
#[derive(Debug, Clone)]
pub struct IssuedCertificate {
    pub number: String,
    /// "Provincia di Imperia".
    pub issuer: String,
    pub person: String,
    pub tax_code: String,
    pub course: CourseFacts,
    /// Hours credited to the person, e.g. "6".
    pub hours: String,
    /// The day the course was completed, as printed.
    pub issued_on: String,
}

/// What the public check of a number reveals: whether it is valid and, only if it is, what
/// it certifies with the holder's initials.
#[derive(Debug, Clone)]
pub struct CertificateStatus {
    pub number: String,
    pub valid: bool,
    pub details: Option<CertifiedFacts>,
}

/// The facts behind a valid certificate.
#[derive(Debug, Clone)]
pub struct CertifiedFacts {
    pub holder_initials: Option<String>,
    pub course: CourseFacts,
    pub hours: f64,
}

/// The certificate of a completed enrolment, numbered at its first issue; the download is
/// audited as an export of the person's data.
///
/// # Errors
/// `NotFound`; `Forbidden` unless the person, their referente or the admin; `Conflict`
/// until the course is completed, when the course issues no certificate, or when the
/// person's data were erased.
pub async fn issue(
    db: &DatabaseConnection,
    actor: &Actor,
    enrolment_id: i64,
    province: &str,
) -> Result<IssuedCertificate, AppError> {
    let enrolment = store::enrolments::find(db, enrolment_id).await?;
    let own = super::enrolments::own_employee_id(db, actor).await? == Some(enrolment.employee_id);
    let comune = IstatCode::parse(&enrolment.comune)?;
    actor.authorize(Operation::ReadCertificate {
        comune: &comune,
        own_record: own,
    })?;
    let course = course_facts(db, &enrolment).await?;
    if !course.issues_certificate {
        return Err(conflict("Questo corso non rilascia attestati."));
    }
    let enrolment = store::attendance::certificate(db, enrolment.id, province).await?;
    let number = enrolment.certificate_number.clone().unwrap_or_default();
    let employee = store::employees::find(db, enrolment.employee_id.0).await?;
    let Some(person) = employee.fields else {
        return Err(conflict(
            "I dati della persona sono stati cancellati: l'attestato non si può più stampare.",
        ));
    };
    store::employees::log_access(
        db,
        actor.user_id,
        "export",
        Some(employee.id),
        Some(employee.comune.as_str()),
        format!("attestato {number}"),
    )
    .await?;
    let completed_on = course
        .completed_on
        .unwrap_or_else(|| italian_day(store::now()));
    Ok(IssuedCertificate {
        number,
        issuer: issuer(db, province).await?,
        person: format!("{} {}", person.given_name, person.family_name),
        tax_code: person.tax_code.as_str().to_owned(),
        hours: hours_label(enrolment.credited_minutes()),
        issued_on: italian_date(completed_on),
        course,
    })
}

/// The public check of a certificate number. Anyone may ask; the number's random part
/// means only whoever holds the paper can.
///
/// # Errors
/// `NotFound` for a number never issued.
pub async fn check(db: &DatabaseConnection, number: &str) -> Result<CertificateStatus, AppError> {
    let enrolment = store::attendance::by_certificate(db, number).await?;
    let valid = enrolment.status == EnrolmentStatus::Completed;
    let details = if valid {
        let employee = store::employees::find(db, enrolment.employee_id.0).await?;
        Some(CertifiedFacts {
            holder_initials: employee
                .fields
                .map(|p| initials(&p.given_name, &p.family_name)),
            course: course_facts(db, &enrolment).await?,
            hours: f64::from(enrolment.credited_minutes()) / 60.0,
        })
    } else {
        None
    };
    Ok(CertificateStatus {
        number: number.to_owned(),
        valid,
        details,
    })
}

fn conflict(detail: &str) -> AppError {
    StoreError::Conflict {
        detail: detail.into(),
    }
    .into()
}

async fn course_facts(db: &DatabaseConnection, e: &Enrolment) -> Result<CourseFacts, AppError> {
    let edition = store::courses::find_edition(db, e.edition_id.0).await?;
    let course = store::courses::find(db, edition.course_id).await?;
    let provider = store::providers::find(db, course.fields.provider_id).await?;
    let theme = store::reference::themes(db)
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

/// The body that issues certificates: the Province, named after its capital.
async fn issuer(db: &DatabaseConnection, province: &str) -> Result<String, AppError> {
    let comuni = store::comuni::list(db).await?;
    Ok(comuni.iter().find(|c| c.is_provincial_capital).map_or_else(
        || format!("Provincia ({province})"),
        |c| format!("Provincia di {}", c.name),
    ))
}

/// "M. R.": enough to match the paper, nothing more.
fn initials(given: &str, family: &str) -> String {
    let first = |s: &str| {
        s.chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default()
    };
    format!("{}. {}.", first(given), first(family))
}
