//! Employees of the comuni: personal data, so every answer is `no-store`, every read and
//! change is logged, and a referente reaches only their own comune's people.
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::{
    MergePatch, Paged, ValidatedJson, ValidatedQuery, csv_body, double_option, query_parameter,
};
use super::http_cache::{IfMatch, etag_of, if_match, json_with_etag, precondition_holds};
use super::pagination::{Page, PageQuery, page_response};
use crate::app;
use crate::auth::AuthUser;
use crate::domain::account::AccountAccess;
use crate::domain::audit::AuditEvent;
use crate::domain::comune::IstatCode;
use crate::domain::employee::EmployeeFilter;
use crate::domain::employee::{Employee, EmployeeDraft, EmployeeFields, RiskClass};
use crate::domain::text::spreadsheet_safe;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_employees)
        .service(create_employee)
        .service(read_employee)
        .service(update_employee)
        .service(erase_employee)
        .service(export_personal_data)
        .service(import_employees);
}

/// An employee.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "id": 41, "comune_istat_code": "008031", "given_name": "Maria", "family_name": "Rossi",
    "email": "m.rossi@comune.imperia.it", "tax_code": "RSSMRA85T10A562S", "office_area": "tributi",
    "job_profile": "istruttore", "safety_roles": ["preposto"], "risk_class": "basso", "hire_date": "2010-02-01",
    "active": true, "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:00:00Z"
}))]
pub struct EmployeeResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    #[schema(max_length = 100)]
    pub given_name: String,
    #[schema(max_length = 100)]
    pub family_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Email, max_length = 254)]
    pub email: Option<String>,
    /// Codice fiscale.
    #[schema(max_length = 16)]
    pub tax_code: String,
    /// Office area code (see `/office-areas`).
    #[schema(max_length = 40)]
    pub office_area: String,
    /// `operatore`, `operatore_esperto`, `istruttore`, `funzionario_eq`, `dirigente`, `segretario`.
    #[schema(max_length = 30)]
    pub job_profile: String,
    /// Any of `preposto`, `primo_soccorso`, `antincendio`, `rls`, `lavori_stradali`.
    #[schema(max_items = 5, inline)]
    pub safety_roles: Vec<String>,
    /// `basso`, `medio` or `alto`.
    #[schema(max_length = 10)]
    pub risk_class: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub hire_date: Option<NaiveDate>,
    pub active: bool,
    /// Whether the person can sign in (in `GET /employees` only): `none`, no account with
    /// this address (invite them); `invited`, an account never used yet; `active`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub account: Option<AccountAccessName>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Whether an employee can sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountAccessName {
    None,
    Invited,
    Active,
}

impl From<AccountAccess> for AccountAccessName {
    fn from(a: AccountAccess) -> Self {
        match a {
            AccountAccess::None => Self::None,
            AccountAccess::Invited => Self::Invited,
            AccountAccess::Active => Self::Active,
        }
    }
}

impl EmployeeResponse {
    fn new(e: &Employee, f: &EmployeeFields) -> Self {
        Self {
            id: e.id,
            comune_istat_code: f.comune.as_str().to_owned(),
            given_name: f.given_name.clone(),
            family_name: f.family_name.clone(),
            email: f.email.as_ref().map(|m| m.as_str().to_owned()),
            tax_code: f.tax_code.as_str().to_owned(),
            office_area: f.office_area.clone(),
            job_profile: f.job_profile.as_str().to_owned(),
            safety_roles: f
                .safety_roles
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
            risk_class: f.risk_class.as_str().to_owned(),
            hire_date: f.hire_date,
            active: f.active,
            account: None,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// An employee's writable fields. A referente may leave out the comune: theirs is used.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "given_name": "Maria", "family_name": "Rossi", "email": "m.rossi@comune.imperia.it", "tax_code": "RSSMRA85T10A562S",
    "office_area": "tributi", "job_profile": "istruttore", "safety_roles": ["preposto"], "risk_class": "basso",
    "hire_date": "2010-02-01"
}))]
pub struct EmployeeWrite {
    #[serde(default)]
    #[validate(length(equal = 6))]
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: Option<String>,
    #[validate(length(max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub given_name: String,
    #[validate(length(max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub family_name: String,
    #[serde(default)]
    #[validate(length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    #[validate(length(max = 16))]
    #[schema(min_length = 11, max_length = 16)]
    pub tax_code: String,
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub office_area: String,
    #[validate(length(max = 30))]
    #[schema(max_length = 30)]
    pub job_profile: String,
    #[serde(default)]
    #[validate(length(max = 5))]
    #[schema(max_items = 5, inline)]
    pub safety_roles: Vec<String>,
    #[serde(default = "low_risk")]
    #[validate(length(max = 10))]
    #[schema(max_length = 10)]
    pub risk_class: String,
    #[serde(default)]
    pub hire_date: Option<NaiveDate>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn low_risk() -> String {
    RiskClass::Basso.as_str().to_owned()
}

fn yes() -> bool {
    true
}

impl From<EmployeeWrite> for EmployeeDraft {
    fn from(w: EmployeeWrite) -> Self {
        Self {
            comune_istat_code: w.comune_istat_code,
            given_name: w.given_name,
            family_name: w.family_name,
            email: w.email,
            tax_code: w.tax_code,
            office_area: w.office_area,
            job_profile: w.job_profile,
            safety_roles: w.safety_roles,
            risk_class: w.risk_class,
            hire_date: w.hire_date,
            active: w.active,
        }
    }
}

/// A merge patch of an employee; `null` clears `email` and `hire_date`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"office_area": "demografici", "safety_roles": ["preposto", "antincendio"]}))]
pub struct EmployeePatch {
    #[validate(length(equal = 6))]
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: Option<String>,
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub given_name: Option<String>,
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub family_name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[validate(length(max = 254))]
    #[schema(value_type = Option<String>, format = Email, max_length = 254)]
    pub email: Option<Option<String>>,
    #[validate(length(max = 16))]
    #[schema(max_length = 16)]
    pub tax_code: Option<String>,
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub office_area: Option<String>,
    #[validate(length(max = 30))]
    #[schema(max_length = 30)]
    pub job_profile: Option<String>,
    #[validate(length(max = 5))]
    #[schema(max_items = 5)]
    pub safety_roles: Option<Vec<String>>,
    #[validate(length(max = 10))]
    #[schema(max_length = 10)]
    pub risk_class: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub hire_date: Option<Option<NaiveDate>>,
    pub active: Option<bool>,
}

impl EmployeePatch {
    fn apply(self, mut e: EmployeeDraft) -> EmployeeDraft {
        if self.comune_istat_code.is_some() {
            e.comune_istat_code = self.comune_istat_code;
        }
        e.given_name = self.given_name.unwrap_or(e.given_name);
        e.family_name = self.family_name.unwrap_or(e.family_name);
        e.email = self.email.unwrap_or(e.email);
        e.tax_code = self.tax_code.unwrap_or(e.tax_code);
        e.office_area = self.office_area.unwrap_or(e.office_area);
        e.job_profile = self.job_profile.unwrap_or(e.job_profile);
        e.safety_roles = self.safety_roles.unwrap_or(e.safety_roles);
        e.risk_class = self.risk_class.unwrap_or(e.risk_class);
        e.hire_date = self.hire_date.unwrap_or(e.hire_date);
        e.active = self.active.unwrap_or(e.active);
        e
    }
}

/// Filters of `GET /employees`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EmployeeListQuery {
    /// Fragment of the name, e-mail or tax code.
    #[validate(length(max = 100))]
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Only this comune (a referente always sees only their own).
    #[validate(length(equal = 6))]
    #[param(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: Option<String>,
    #[validate(length(max = 40))]
    #[param(max_length = 40)]
    pub office_area: Option<String>,
    pub active: Option<bool>,
}

/// CSV columns of the export, the same the import reads.
const CSV_HEADER: [&str; 11] = [
    "codice_fiscale",
    "nome",
    "cognome",
    "email",
    "area",
    "profilo",
    "ruoli_sicurezza",
    "classe_rischio",
    "data_assunzione",
    "attivo",
    "comune",
];

/// List employees
///
/// The employees of the referente's comune, or of any comune for the admin, by name.
/// With `Accept: text/csv`, every match as a CSV file with the columns the import reads
/// (`limit` and `offset` are ignored there: the file holds every match), in Italian
/// Excel's dialect: UTF-8 with BOM, `;`, CRLF.
/// Each list is logged as a read of personal data.
#[utoipa::path(
    tag = "employees",
    security(("bearer" = [])),
    params(EmployeeListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of employees, or the CSV export.",
         content((Page<EmployeeResponse> = "application/json"), (String = "text/csv")),
         headers(("Cache-Control" = String, description = "`no-store`: personal data."))),
    )
)]
#[get("/employees")]
async fn list_employees(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    Paged(query, page): Paged<EmployeeListQuery>,
) -> Result<HttpResponse, ApiError> {
    let comune = query_parameter(
        "comune_istat_code",
        query.comune_istat_code,
        IstatCode::parse,
    )?;
    let csv = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/csv"));
    let filter = EmployeeFilter {
        comune,
        q: query.q,
        office_area: query.office_area,
        active: query.active,
        limit: if csv { u64::MAX >> 1 } else { page.limit },
        offset: if csv { 0 } else { page.offset },
    };
    let listed = app::employees::list(&state.db, &actor, filter, csv).await?;
    if csv {
        return csv_export(&listed.employees);
    }
    let items = listed
        .employees
        .iter()
        .filter_map(|e| {
            let mut item = EmployeeResponse::new(e, e.fields.as_ref()?);
            item.account = listed.access.get(&e.id).copied().map(Into::into);
            Some(item)
        })
        .collect();
    Ok(page_response(
        items,
        listed.total,
        page,
        &state.public_url,
        &req,
    ))
}

fn csv_export(employees: &[Employee]) -> Result<HttpResponse, ApiError> {
    let mut writer = super::spreadsheet::excel_csv_writer();
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    writer.write_record(CSV_HEADER).map_err(fail)?;
    for f in employees.iter().filter_map(|e| e.fields.as_ref()) {
        let roles = f
            .safety_roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let hire_date = f
            .hire_date
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default();
        writer
            .write_record(
                [
                    f.tax_code.as_str(),
                    &f.given_name,
                    &f.family_name,
                    f.email.as_ref().map_or("", |e| e.as_str()),
                    &f.office_area,
                    f.job_profile.as_str(),
                    &roles,
                    f.risk_class.as_str(),
                    &hire_date,
                    if f.active { "sì" } else { "no" },
                    f.comune.as_str(),
                ]
                .map(|v| spreadsheet_safe(v).into_owned()),
            )
            .map_err(fail)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"dipendenti.csv\"",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// Create an employee
///
/// Registers an employee of the referente's comune (the admin names the comune). Tax codes
/// are unique (409).
#[utoipa::path(
    tag = "employees",
    security(("bearer" = [])),
    request_body(content = EmployeeWrite, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = EmployeeResponse,
         headers(("Location" = String, description = "URL of the new employee."),
                 ("ETag" = String, description = "Version, for `If-Match`."),
                 ("Cache-Control" = String, description = "`no-store`: personal data."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/employees")]
async fn create_employee(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedJson(body): ValidatedJson<EmployeeWrite>,
) -> Result<HttpResponse, ApiError> {
    let employee = app::employees::create(&state.db, &actor, &body.into()).await?;
    employee_response(
        actix_web::http::StatusCode::CREATED,
        &employee,
        &state.public_url,
    )
}

fn employee_response(
    status: actix_web::http::StatusCode,
    e: &Employee,
    public_url: &str,
) -> Result<HttpResponse, ApiError> {
    let fields = e.fields.as_ref().ok_or(ApiError::NotFound)?;
    let response = EmployeeResponse::new(e, fields);
    let mut builder = HttpResponse::build(status);
    if status == actix_web::http::StatusCode::CREATED {
        builder.insert_header((
            header::LOCATION,
            format!("{public_url}/api/v1/employees/{}", e.id),
        ));
    }
    Ok(builder
        .insert_header((header::ETAG, etag_of(&response)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(response))
}

/// Get an employee
///
/// One employee with its `ETag`. The admin, or the referente of the employee's comune.
/// Logged as a read of personal data.
#[utoipa::path(
    tag = "employees",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Employee id.")),
    responses(
        (status = 200, description = "The employee.", body = EmployeeResponse,
         headers(("ETag" = String, description = "Version, for `If-Match`."),
                 ("Cache-Control" = String, description = "`no-store`: personal data."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/employees/{id}")]
async fn read_employee(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (employee, fields) = app::employees::read(&state.db, &actor, id.into_inner()).await?;
    Ok(json_with_etag(
        &req,
        &EmployeeResponse::new(&employee, &fields),
        "no-store",
    ))
}

/// Update an employee
///
/// A JSON merge patch (`null` clears `email` and `hire_date`). A referente cannot move an
/// employee to another comune. Send the `ETag` in `If-Match` to avoid lost updates.
#[utoipa::path(
    tag = "employees",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Employee id."),
        IfMatch,
    ),
    request_body(content = EmployeePatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated.", body = EmployeeResponse,
         headers(("ETag" = String, description = "The new version."),
                 ("Cache-Control" = String, description = "`no-store`: personal data."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[patch("/employees/{id}")]
async fn update_employee(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    MergePatch(patch): MergePatch<EmployeePatch>,
) -> Result<HttpResponse, ApiError> {
    let if_match = if_match(&req)?;
    let holds = |e: &Employee, f: &EmployeeFields| {
        precondition_holds(if_match.as_ref(), &etag_of(&EmployeeResponse::new(e, f)))
    };
    let id = id.into_inner();
    let updated = app::employees::update(&state.db, &actor, id, |d| patch.apply(d), holds).await?;
    employee_response(actix_web::http::StatusCode::OK, &updated, &state.public_url)
}

/// Erase an employee
///
/// The right to erasure (GDPR art. 17): names, e-mail, tax code and hire date are wiped for
/// good; comune, office area and profile remain, so that the Province's statistics still add
/// up. The admin, or the referente of the employee's comune.
#[utoipa::path(
    tag = "employees",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Employee id.")),
    responses(
        (status = 204, description = "Erased."),
    )
)]
#[delete("/employees/{id}")]
async fn erase_employee(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    app::employees::erase(&state.db, &actor, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One entry of the personal-data log.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditEventResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The user who acted.
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub actor_user_id: i64,
    /// `read`, `create`, `update`, `erase`, `export` or `import`.
    #[schema(max_length = 20)]
    pub action: String,
    #[schema(max_length = 30)]
    pub subject_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub subject_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 6)]
    pub comune_istat_code: Option<String>,
    #[schema(max_length = 500)]
    pub detail: String,
}

impl From<AuditEvent> for AuditEventResponse {
    fn from(m: AuditEvent) -> Self {
        Self {
            id: m.id,
            at: m.at,
            actor_user_id: m.actor_user_id,
            action: m.action,
            subject_type: m.subject_type,
            subject_id: m.subject_id,
            comune_istat_code: m.comune_istat_code,
            detail: m.detail,
        }
    }
}

/// Everything held about one person (GDPR art. 15 and 20).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonalDataExport {
    pub employee: EmployeeResponse,
    /// Who read or changed these data, and when.
    #[schema(max_items = 100000)]
    pub access_log: Vec<AuditEventResponse>,
    /// Need lines of the training survey that name the employee.
    #[schema(max_items = 100000)]
    pub training_needs: Vec<NamedNeed>,
}

/// A need line naming the employee.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedNeed {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub campaign_id: i64,
    #[schema(max_length = 40)]
    pub theme_code: String,
    #[schema(max_length = 40)]
    pub office_area: String,
}

/// Export an employee's personal data
///
/// Everything cabina holds about one employee, with the log of who read or changed it, as
/// one JSON document (right of access and portability). The admin, or the referente of the
/// employee's comune.
#[utoipa::path(
    tag = "employees",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Employee id.")),
    responses(
        (status = 200, description = "The personal data.", body = PersonalDataExport,
         headers(("Cache-Control" = String, description = "`no-store`: personal data."))),
    )
)]
#[get("/employees/{id}/personal-data")]
async fn export_personal_data(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let data = app::employees::personal_data(&state.db, &actor, id.into_inner()).await?;
    let employee = &data.employee;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"dati-personali-{}.json\"",
                employee.id
            ),
        ))
        .json(PersonalDataExport {
            employee: EmployeeResponse::new(employee, &data.fields),
            access_log: data.access_log.into_iter().map(Into::into).collect(),
            training_needs: data
                .training_needs
                .into_iter()
                .map(|n| NamedNeed {
                    campaign_id: n.campaign_id,
                    theme_code: n.fields.theme_code,
                    office_area: n.fields.office_area,
                })
                .collect(),
        }))
}

/// Options of an import.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check the file and report, without writing anything.
    #[serde(default)]
    pub dry_run: bool,
    /// The comune of rows without a `comune` column (a referente's own by default).
    #[validate(length(equal = 6))]
    #[param(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: Option<String>,
}

/// One bad row of an imported file.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRowError {
    /// Line in the file; the header is line 1.
    #[schema(format = Int64, minimum = 1, maximum = 1_000_000)]
    pub line: u64,
    #[schema(max_length = 40)]
    pub field: String,
    #[schema(max_length = 500)]
    pub detail: String,
}

/// What an import did, or in a dry run would do.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"dry_run": true, "rows": 120, "created": 118, "updated": 2, "errors": [],
    "mapped_job_titles": [{"title": "Istruttore direttivo", "job_profile": "funzionario_eq", "job_profile_label": "Funzionari ed EQ"}]}))]
pub struct ImportReport {
    pub dry_run: bool,
    /// Valid rows read.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000)]
    pub rows: u64,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000)]
    pub created: u64,
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000)]
    pub updated: u64,
    /// Every bad row with the reason (only in a dry run: a real import with errors fails
    /// whole with 422).
    #[schema(max_items = 1000000)]
    pub errors: Vec<ImportRowError>,
    /// The job titles written in the file's own words ("Istruttore direttivo", "cat. C")
    /// and the contract area each was read as, once each: for the person to check.
    #[schema(max_items = 20000)]
    pub mapped_job_titles: Vec<MappedJobTitle>,
}

/// A job title as the file wrote it, and the contract area it was read as.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MappedJobTitle {
    #[schema(max_length = 200)]
    pub title: String,
    /// `operatore`, `operatore_esperto`, `istruttore`, `funzionario_eq`, `dirigente`, `segretario`.
    #[schema(max_length = 30)]
    pub job_profile: String,
    /// The area's Italian name.
    #[schema(max_length = 100)]
    pub job_profile_label: String,
}

/// Import employees from CSV
///
/// Reads the CSV a spreadsheet exports (UTF-8 or Windows-1252, comma or semicolon; columns
/// `codice_fiscale`, `nome`, `cognome`, `area`, `profilo`, optionally `email`,
/// `ruoli_sicurezza`, `classe_rischio`, `data_assunzione`, `attivo`, `comune`) and upserts by
/// tax code. With `dry_run=true`, reports every bad row and writes nothing. Otherwise the
/// import is all or nothing: any bad row fails it with 422 listing every bad row. A referente
/// imports only their own comune's employees.
#[utoipa::path(
    tag = "employees",
    security(("bearer" = [])),
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The CSV file."),
    responses(
        (status = 200, description = "Checked (dry run) or imported.", body = ImportReport),
    )
)]
#[post("/employee-imports")]
async fn import_employees(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    ValidatedQuery(query): ValidatedQuery<ImportQuery>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let asked = query_parameter(
        "comune_istat_code",
        query.comune_istat_code,
        IstatCode::parse,
    )?;
    let scope = app::employees::import_scope(&actor, asked)?;
    let csv = csv_body(&req, body).await?;
    let outcome = app::employees::import(&state.db, &actor, &scope, &csv, query.dry_run).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ImportReport::from(outcome)))
}

impl From<app::employees::ImportOutcome> for ImportReport {
    fn from(o: app::employees::ImportOutcome) -> Self {
        Self {
            dry_run: o.dry_run,
            rows: o.rows as u64,
            created: o.created as u64,
            updated: o.updated as u64,
            errors: o
                .errors
                .into_iter()
                .map(|e| ImportRowError {
                    line: e.line as u64,
                    field: e.field,
                    detail: e.message,
                })
                .collect(),
            mapped_job_titles: o
                .mapped_titles
                .into_iter()
                .map(|(title, profile)| MappedJobTitle {
                    title,
                    job_profile: profile.as_str().to_owned(),
                    job_profile_label: profile.label().to_owned(),
                })
                .collect(),
        }
    }
}
