//! The shared taxonomies: office areas and training themes. Public reference data.
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::http_cache::json_with_etag;
use crate::app;
use crate::domain::reference::{StoredOfficeArea, StoredTheme};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_office_areas).service(list_themes);
}

/// A municipal function of the shared taxonomy, so that needs aggregate across comuni.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "tributi", "name": "Tributi", "description": "Entrate tributarie, IMU, TARI, riscossione"}))]
pub struct OfficeAreaResponse {
    #[schema(max_length = 40, pattern = "^[a-z_]+$")]
    pub code: String,
    #[schema(max_length = 120)]
    pub name: String,
    #[schema(max_length = 500)]
    pub description: String,
}

/// A training subject.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "code": "sicurezza_preposti", "name": "Sicurezza: preposti",
    "description": "Formazione e aggiornamento biennale dei preposti, in presenza",
    "priority": true, "mandatory": true, "refresher_months": 24, "forbids_elearning": true
}))]
pub struct ThemeResponse {
    #[schema(max_length = 40, pattern = "^[a-z_]+$")]
    pub code: String,
    #[schema(max_length = 120)]
    pub name: String,
    #[schema(max_length = 1000)]
    pub description: String,
    /// Named by the Province as a priority.
    pub priority: bool,
    /// Required by law for (some) employees.
    pub mandatory: bool,
    /// Months after which mandatory training must be repeated.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Int32, minimum = 1, maximum = 120)]
    pub refresher_months: Option<i32>,
    /// The law requires presence: no asynchronous e-learning edition is allowed.
    pub forbids_elearning: bool,
}

/// The office areas.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeAreaList {
    #[schema(max_items = 100)]
    pub items: Vec<OfficeAreaResponse>,
}

/// The themes.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThemeList {
    #[schema(max_items = 200)]
    pub items: Vec<ThemeResponse>,
}

impl From<StoredOfficeArea> for OfficeAreaResponse {
    fn from(m: StoredOfficeArea) -> Self {
        Self {
            code: m.code,
            name: m.name,
            description: m.description,
        }
    }
}

impl From<StoredTheme> for ThemeResponse {
    fn from(m: StoredTheme) -> Self {
        Self {
            code: m.code,
            name: m.name,
            description: m.description,
            priority: m.priority,
            mandatory: m.mandatory,
            refresher_months: m.refresher_months,
            forbids_elearning: m.forbids_elearning,
        }
    }
}

/// List office areas
///
/// The fixed taxonomy of municipal functions, in canonical order. Public.
#[utoipa::path(
    tag = "reference",
    security(()),
    responses(
        (status = 200, description = "All office areas.", body = OfficeAreaList,
         headers(("Cache-Control" = String, description = "`public, no-cache`: revalidate with `If-None-Match`."),
                 ("ETag" = String, description = "Version of the list."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/office-areas")]
async fn list_office_areas(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let areas = app::reference::office_areas(&state.db).await?;
    let items = areas.into_iter().map(Into::into).collect();
    Ok(json_with_etag(
        &req,
        &OfficeAreaList { items },
        "public, no-cache",
    ))
}

/// List themes
///
/// The training themes, in canonical order, with whether they are mandatory, how often
/// they must be refreshed and whether the law forbids e-learning for them. Public.
#[utoipa::path(
    tag = "reference",
    security(()),
    responses(
        (status = 200, description = "All themes.", body = ThemeList,
         headers(("Cache-Control" = String, description = "`public, no-cache`: revalidate with `If-None-Match`."),
                 ("ETag" = String, description = "Version of the list."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/themes")]
async fn list_themes(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let themes = app::reference::themes(&state.db).await?;
    let items = themes.into_iter().map(Into::into).collect();
    Ok(json_with_etag(
        &req,
        &ThemeList { items },
        "public, no-cache",
    ))
}
