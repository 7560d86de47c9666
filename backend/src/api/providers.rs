//! Training providers: the admin qualifies and manages them; their staff keep their own
//! contacts up to date.
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::{MergePatch, Paged, ValidatedJson, double_option};
use super::http_cache::{
    IfMatch, created, etag_of, if_match, json_with_etag, precondition_holds, updated,
};
use super::pagination::{Page, PageQuery, page_response};
use crate::app;
use crate::auth::AuthUser;
use crate::domain::DomainError;
use crate::domain::provider::{Provider, ProviderDraft, ProviderFilter, Qualification};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_providers)
        .service(create_provider)
        .service(read_provider)
        .service(update_provider)
        .service(remove_provider);
}

/// Where a provider stands with the Province.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QualificationName {
    Pending,
    Qualified,
    Suspended,
}

impl From<QualificationName> for Qualification {
    fn from(q: QualificationName) -> Self {
        match q {
            QualificationName::Pending => Qualification::Pending,
            QualificationName::Qualified => Qualification::Qualified,
            QualificationName::Suspended => Qualification::Suspended,
        }
    }
}

impl From<Qualification> for QualificationName {
    fn from(q: Qualification) -> Self {
        match q {
            Qualification::Pending => QualificationName::Pending,
            Qualification::Qualified => QualificationName::Qualified,
            Qualification::Suspended => QualificationName::Suspended,
        }
    }
}

/// A training provider.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "id": 3, "name": "Formazione Ligure S.r.l.", "tax_code": "00743110157", "vat_number": "00743110157",
    "email": "info@formazioneligure.example", "themes": ["privacy", "sicurezza_preposti"],
    "qualification_status": "qualified", "qualified_until": "2027-12-31", "qualified": true, "notes": "",
    "edition_changes_need_approval": true,
    "created_at": "2026-10-01T08:00:00Z", "updated_at": "2026-10-01T08:00:00Z"
}))]
pub struct ProviderResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(max_length = 200)]
    pub name: String,
    /// Codice fiscale: 11 digits for an organisation, 16 characters for a person.
    #[schema(max_length = 16)]
    pub tax_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, pattern = "^[0-9]{11}$", max_length = 11)]
    pub vat_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Email, max_length = 254)]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Email, max_length = 254)]
    pub pec: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 30)]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 300)]
    pub website: Option<String>,
    /// Codes of the themes the provider is qualified for.
    #[schema(max_items = 100, inline)]
    pub themes: Vec<String>,
    pub qualification_status: QualificationName,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub qualified_until: Option<NaiveDate>,
    /// Qualified and not expired today.
    pub qualified: bool,
    #[schema(max_length = 5000)]
    pub notes: String,
    /// Whether the Province approves changes of seats, dates or cancellation of the
    /// provider's published editions (see `/edition-change-proposals`); `false`: its staff
    /// change them alone.
    pub edition_changes_need_approval: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Provider> for ProviderResponse {
    fn from(p: &Provider) -> Self {
        let f = &p.profile;
        Self {
            id: p.id,
            name: f.name.clone(),
            tax_code: f.tax_code.as_str().to_owned(),
            vat_number: f.vat_number.as_ref().map(|v| v.as_str().to_owned()),
            email: f.email.as_ref().map(|e| e.as_str().to_owned()),
            pec: f.pec.as_ref().map(|e| e.as_str().to_owned()),
            phone: f.phone.clone(),
            website: f.website.clone(),
            themes: f.themes.clone(),
            qualification_status: f.qualification.into(),
            qualified_until: f.qualified_until,
            qualified: p.is_qualified_on(Utc::now().date_naive()),
            notes: f.notes.clone(),
            edition_changes_need_approval: f.edition_changes_need_approval,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A provider's writable fields, as sent to create one.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Formazione Ligure S.r.l.", "tax_code": "00743110157", "vat_number": "00743110157",
    "email": "info@formazioneligure.example", "themes": ["privacy"], "qualification_status": "qualified",
    "qualified_until": "2027-12-31"
}))]
pub struct ProviderCreate {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[schema(min_length = 11, max_length = 16)]
    pub tax_code: String,
    #[serde(default)]
    #[schema(pattern = "^[0-9]{11}$", max_length = 11)]
    pub vat_number: Option<String>,
    #[serde(default)]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    #[serde(default)]
    #[schema(format = Email, max_length = 254)]
    pub pec: Option<String>,
    #[serde(default)]
    #[schema(max_length = 30)]
    pub phone: Option<String>,
    #[serde(default)]
    #[schema(max_length = 300)]
    pub website: Option<String>,
    #[serde(default)]
    #[validate(length(max = 100))]
    #[schema(max_items = 100, inline)]
    pub themes: Vec<String>,
    #[serde(default = "pending")]
    pub qualification_status: QualificationName,
    #[serde(default)]
    pub qualified_until: Option<NaiveDate>,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub notes: String,
    /// Whether the Province approves changes of seats, dates or cancellation of the
    /// provider's published editions; `false` lets its staff act alone.
    #[serde(default = "needs_approval")]
    pub edition_changes_need_approval: bool,
}

fn needs_approval() -> bool {
    true
}

fn pending() -> QualificationName {
    QualificationName::Pending
}

impl From<ProviderCreate> for ProviderDraft {
    fn from(p: ProviderCreate) -> Self {
        Self {
            name: p.name,
            tax_code: p.tax_code,
            vat_number: p.vat_number,
            email: p.email,
            pec: p.pec,
            phone: p.phone,
            website: p.website,
            themes: p.themes,
            qualification: p.qualification_status.into(),
            qualified_until: p.qualified_until,
            notes: p.notes,
            edition_changes_need_approval: p.edition_changes_need_approval,
        }
    }
}

/// A merge patch of a provider. Provider staff may change only `email`, `pec`, `phone`
/// and `website`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "+39 0183 123456", "website": null}))]
pub struct ProviderPatch {
    #[validate(length(max = 200))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub name: Option<Option<String>>,
    #[validate(length(max = 16))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 16)]
    pub tax_code: Option<Option<String>>,
    #[validate(length(max = 11))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 11)]
    pub vat_number: Option<Option<String>>,
    #[validate(length(max = 254))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Email, max_length = 254)]
    pub email: Option<Option<String>>,
    #[validate(length(max = 254))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Email, max_length = 254)]
    pub pec: Option<Option<String>>,
    #[validate(length(max = 30))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 30)]
    pub phone: Option<Option<String>>,
    #[validate(length(max = 300))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 300)]
    pub website: Option<Option<String>>,
    #[validate(length(max = 100))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Vec<String>>, max_items = 100)]
    pub themes: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<QualificationName>)]
    pub qualification_status: Option<Option<QualificationName>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<NaiveDate>)]
    pub qualified_until: Option<Option<NaiveDate>>,
    #[validate(length(max = 5000))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 5000)]
    pub notes: Option<Option<String>>,
    /// Admin only.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<bool>)]
    pub edition_changes_need_approval: Option<Option<bool>>,
}

impl ProviderPatch {
    /// Whether the patch touches only what a provider's own staff may change.
    fn only_contacts(&self) -> bool {
        self.name.is_none()
            && self.tax_code.is_none()
            && self.vat_number.is_none()
            && self.themes.is_none()
            && self.qualification_status.is_none()
            && self.qualified_until.is_none()
            && self.notes.is_none()
            && self.edition_changes_need_approval.is_none()
    }

    /// `current` with the patch applied; `null` clears optional fields and is refused for
    /// required ones.
    fn apply(self, mut current: ProviderDraft) -> Result<ProviderDraft, Vec<DomainError>> {
        let mut errors = Vec::new();
        let mut required =
            |field: &str, value: Option<Option<String>>, target: &mut String| match value {
                Some(Some(v)) => *target = v,
                Some(None) => errors.push(DomainError::invalid(field, "non può essere null")),
                None => {}
            };
        required("name", self.name, &mut current.name);
        required("tax_code", self.tax_code, &mut current.tax_code);
        if let Some(notes) = self.notes {
            current.notes = notes.unwrap_or_default();
        }
        for (value, target) in [
            (self.vat_number, &mut current.vat_number),
            (self.email, &mut current.email),
            (self.pec, &mut current.pec),
            (self.phone, &mut current.phone),
            (self.website, &mut current.website),
        ] {
            if let Some(v) = value {
                *target = v;
            }
        }
        if let Some(themes) = self.themes {
            current.themes = themes.unwrap_or_default();
        }
        match self.qualification_status {
            Some(Some(q)) => current.qualification = q.into(),
            Some(None) => errors.push(DomainError::invalid(
                "qualification_status",
                "non può essere null",
            )),
            None => {}
        }
        if let Some(until) = self.qualified_until {
            current.qualified_until = until;
        }
        match self.edition_changes_need_approval {
            Some(Some(approval)) => current.edition_changes_need_approval = approval,
            Some(None) => errors.push(DomainError::invalid(
                "edition_changes_need_approval",
                "non può essere null",
            )),
            None => {}
        }
        if errors.is_empty() {
            Ok(current)
        } else {
            Err(errors)
        }
    }
}

/// Filters of `GET /providers`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProviderListQuery {
    /// Fragment of the name.
    #[validate(length(max = 100))]
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Only providers qualified for this theme code.
    #[validate(length(max = 40))]
    #[param(max_length = 40)]
    pub theme: Option<String>,
    pub qualification_status: Option<QualificationName>,
}

/// List providers
///
/// Providers by name, filtered by theme, qualification or a fragment of the name. The admin
/// and provider staff.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(ProviderListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of providers.", body = Page<ProviderResponse>),
    )
)]
#[get("/providers")]
async fn list_providers(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    Paged(query, page): Paged<ProviderListQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = ProviderFilter {
        q: query.q,
        theme: query.theme,
        qualification: query.qualification_status.map(Into::into),
        ..ProviderFilter::default()
    };
    let (providers, total) = app::providers::list(&state.db, &actor, filter, page).await?;
    let items = providers.iter().map(ProviderResponse::from).collect();
    Ok(page_response(items, total, page, &state.public_url, &req))
}

/// Create a provider
///
/// Registers a training provider with its tax identifiers (checksums validated), contacts,
/// themes and qualification. Admin only.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    request_body(content = ProviderCreate, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = ProviderResponse,
         headers(("Location" = String, description = "URL of the new provider."),
                 ("ETag" = String, description = "Version, for `If-Match`."))),
    )
)]
#[post("/providers")]
async fn create_provider(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedJson(body): ValidatedJson<ProviderCreate>,
) -> Result<HttpResponse, ApiError> {
    let provider = app::providers::create(&state.db, &actor, &body.into()).await?;
    let location = format!("{}/api/v1/providers/{}", state.public_url, provider.id);
    Ok(created(location, &ProviderResponse::from(&provider)))
}

/// Get a provider
///
/// One provider with its `ETag`. The admin, and the provider's own staff.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id.")),
    responses(
        (status = 200, description = "The provider.", body = ProviderResponse,
         headers(("ETag" = String, description = "Version, for `If-Match`."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/providers/{id}")]
async fn read_provider(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let provider = app::providers::read(&state.db, &actor, id.into_inner()).await?;
    Ok(json_with_etag(
        &req,
        &ProviderResponse::from(&provider),
        "no-store",
    ))
}

/// Update a provider
///
/// A JSON merge patch. The admin may change everything; the provider's own staff only
/// `email`, `pec`, `phone` and `website`. Send the `ETag` in `If-Match` to avoid lost updates.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Provider id."),
        IfMatch,
    ),
    request_body(content = ProviderPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated.", body = ProviderResponse,
         headers(("ETag" = String, description = "The new version."))),
    )
)]
#[patch("/providers/{id}")]
async fn update_provider(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    MergePatch(patch): MergePatch<ProviderPatch>,
) -> Result<HttpResponse, ApiError> {
    let if_match = if_match(&req)?;
    let holds =
        |p: &Provider| precondition_holds(if_match.as_ref(), &etag_of(&ProviderResponse::from(p)));
    let only_contacts = patch.only_contacts();
    let id = id.into_inner();
    let change = |d| patch.apply(d);
    let provider =
        app::providers::update(&state.db, &actor, id, only_contacts, change, holds).await?;
    Ok(updated(&ProviderResponse::from(&provider)))
}

/// Delete a provider
///
/// Removes a provider that has no courses and no staff accounts (409 otherwise). Admin only.
#[utoipa::path(
    tag = "providers",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[delete("/providers/{id}")]
async fn remove_provider(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    app::providers::delete(&state.db, &actor, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
