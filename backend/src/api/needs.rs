//! Need lines: what training each comune's offices need in a campaign. Referenti write
//! their own comune's lines while the campaign is open and their answer not yet submitted.
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::courses::ModalityName;
use super::extract::query_parameter;
use super::extract::{MergePatch, ValidatedJson, ValidatedQuery};
use super::http_cache::{IfMatch, created, etag_of, if_match, precondition_holds, updated};
use super::spreadsheet::{self, Cell, Sheet};
use crate::app;
use crate::app::campaigns::Labels;
use crate::auth::AuthUser;
use crate::domain::campaign::Need;
use crate::domain::campaign::{NeedDraft, Priority};
use crate::domain::comune::IstatCode;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_needs)
        .service(create_need)
        .service(update_need)
        .service(remove_need);
}

/// How urgent a need is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriorityName {
    Alta,
    Media,
    Bassa,
}

impl From<PriorityName> for Priority {
    fn from(p: PriorityName) -> Self {
        match p {
            PriorityName::Alta => Priority::Alta,
            PriorityName::Media => Priority::Media,
            PriorityName::Bassa => Priority::Bassa,
        }
    }
}

impl From<Priority> for PriorityName {
    fn from(p: Priority) -> Self {
        match p {
            Priority::Alta => PriorityName::Alta,
            Priority::Media => PriorityName::Media,
            Priority::Bassa => PriorityName::Bassa,
        }
    }
}

/// A need line to add. A referente may leave out the comune: theirs is used.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"campaign_id": 1, "theme_code": "privacy", "office_area": "demografici", "headcount": 3,
    "priority": "alta", "preferred_modality": "async_webinar", "notes": "Due persone part-time", "employee_ids": [12, 15]}))]
pub struct NeedCreate {
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub campaign_id: i64,
    #[serde(default)]
    #[validate(length(equal = 6))]
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: Option<String>,
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub theme_code: String,
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub office_area: String,
    /// How many people of that office need the theme.
    #[validate(range(min = 1, max = 10000))]
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub headcount: i32,
    #[serde(default = "media")]
    pub priority: PriorityName,
    #[serde(default = "no_preference")]
    pub preferred_modality: ModalityName,
    #[serde(default)]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub notes: String,
    /// Optionally, the employees concerned (of the same comune), at most `headcount`.
    #[serde(default)]
    #[validate(length(max = 10000))]
    #[schema(max_items = 10000, inline)]
    pub employee_ids: Vec<EmployeeId>,
}

/// An employee id.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
pub struct EmployeeId(pub i64);

fn ids(list: &[EmployeeId]) -> Vec<i64> {
    list.iter().map(|e| e.0).collect()
}

fn media() -> PriorityName {
    PriorityName::Media
}

fn no_preference() -> ModalityName {
    ModalityName::Blended
}

/// A need line.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub campaign_id: i64,
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    #[schema(max_length = 40)]
    pub theme_code: String,
    #[schema(max_length = 40)]
    pub office_area: String,
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub headcount: i32,
    pub priority: PriorityName,
    /// `blended` means no preference.
    pub preferred_modality: ModalityName,
    #[schema(max_length = 2000)]
    pub notes: String,
    /// The employees named, if any.
    #[schema(max_items = 10000, inline)]
    pub employee_ids: Vec<EmployeeId>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Need> for NeedResponse {
    fn from(n: &Need) -> Self {
        Self {
            id: n.id,
            campaign_id: n.campaign_id,
            comune_istat_code: n.comune.clone(),
            theme_code: n.fields.theme_code.clone(),
            office_area: n.fields.office_area.clone(),
            headcount: n.fields.headcount,
            priority: n.fields.priority.into(),
            preferred_modality: n.fields.preferred_modality.into(),
            notes: n.fields.notes.clone(),
            employee_ids: n
                .fields
                .employee_ids
                .iter()
                .copied()
                .map(EmployeeId)
                .collect(),
            updated_at: n.updated_at,
        }
    }
}

/// A merge patch of a need line.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"headcount": 5}))]
pub struct NeedPatch {
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub theme_code: Option<String>,
    #[validate(length(max = 40))]
    #[schema(max_length = 40)]
    pub office_area: Option<String>,
    #[validate(range(min = 1, max = 10000))]
    #[schema(format = Int32, minimum = 1, maximum = 10000)]
    pub headcount: Option<i32>,
    pub priority: Option<PriorityName>,
    pub preferred_modality: Option<ModalityName>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    /// Replaces the named employees (`[]` names nobody).
    #[validate(length(max = 10000))]
    #[schema(max_items = 10000, inline)]
    pub employee_ids: Option<Vec<EmployeeId>>,
}

impl From<&NeedCreate> for NeedDraft {
    fn from(body: &NeedCreate) -> Self {
        Self {
            theme_code: body.theme_code.clone(),
            office_area: body.office_area.clone(),
            headcount: body.headcount,
            priority: body.priority.into(),
            preferred_modality: body.preferred_modality.into(),
            notes: body.notes.clone(),
            employee_ids: ids(&body.employee_ids),
        }
    }
}

impl NeedPatch {
    fn apply(self, mut d: NeedDraft) -> NeedDraft {
        if let Some(theme) = self.theme_code {
            d.theme_code = theme;
        }
        if let Some(area) = self.office_area {
            d.office_area = area;
        }
        if let Some(headcount) = self.headcount {
            d.headcount = headcount;
        }
        if let Some(priority) = self.priority {
            d.priority = priority.into();
        }
        if let Some(modality) = self.preferred_modality {
            d.preferred_modality = modality.into();
        }
        if let Some(notes) = self.notes {
            d.notes = notes;
        }
        if let Some(named) = self.employee_ids {
            d.employee_ids = ids(&named);
        }
        d
    }
}

/// Filters of `GET /needs`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NeedListQuery {
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[param(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub campaign_id: Option<i64>,
    /// Only this comune (a referente always sees only their own).
    #[validate(length(equal = 6))]
    #[param(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: Option<String>,
}

/// The need lines.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedList {
    #[schema(max_items = 1000000)]
    pub items: Vec<NeedResponse>,
}

/// List need lines
///
/// The need lines of a campaign: all comuni for the admin, the referente's own comune for a
/// referente.
#[utoipa::path(
    tag = "needs",
    security(("bearer" = [])),
    params(NeedListQuery),
    responses(
        (status = 200, description = "The lines. With `Accept: text/csv` a CSV file in Italian Excel's dialect (UTF-8 with BOM, `;`, CRLF, decimal comma), with the XLSX media type an Excel workbook (named employees as a count).",
         content((NeedList = "application/json"), (String = "text/csv"),
                 (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
         headers(("Content-Disposition" = String, description = "With CSV or XLSX: the file name."))),
    )
)]
#[get("/needs")]
async fn list_needs(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    ValidatedQuery(query): ValidatedQuery<NeedListQuery>,
) -> Result<HttpResponse, ApiError> {
    let asked = query_parameter(
        "comune_istat_code",
        query.comune_istat_code,
        IstatCode::parse,
    )?;
    let needs = app::needs::list(&state.db, &actor, query.campaign_id, asked).await?;
    if let Some(format) = spreadsheet::requested(&req) {
        let labels = app::campaigns::labels(&state.db).await?;
        let stem = match query.campaign_id {
            Some(id) => format!("fabbisogni-campagna-{id}"),
            None => "fabbisogni".to_owned(),
        };
        return spreadsheet::download(format, &stem, &[need_sheet(&needs, &labels)]);
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(NeedList {
            items: needs.iter().map(NeedResponse::from).collect(),
        }))
}

/// The need lines as one worksheet, with readable names next to the codes.
fn need_sheet(needs: &[Need], labels: &Labels) -> Sheet {
    let name = |names: &std::collections::HashMap<String, String>, key: &str| {
        Cell::from(names.get(key).cloned().unwrap_or_default())
    };
    Sheet {
        name: "Fabbisogni",
        headers: vec![
            "campagna",
            "codice_istat",
            "comune",
            "tema",
            "tema_descrizione",
            "area",
            "area_descrizione",
            "persone",
            "priorita",
            "modalita_preferita",
            "dipendenti_nominati",
            "note",
        ],
        rows: needs
            .iter()
            .map(|n| {
                let f = &n.fields;
                vec![
                    n.campaign_id.into(),
                    n.comune.as_str().into(),
                    name(&labels.comuni, &n.comune),
                    f.theme_code.as_str().into(),
                    name(&labels.themes, &f.theme_code),
                    f.office_area.as_str().into(),
                    name(&labels.areas, &f.office_area),
                    i64::from(f.headcount).into(),
                    f.priority.as_str().into(),
                    f.preferred_modality.as_str().into(),
                    (f.employee_ids.len() as i64).into(),
                    f.notes.as_str().into(),
                ]
            })
            .collect(),
    }
}

/// Add a need line
///
/// One line of the comune's answer: a theme offered by the campaign, an office area, how
/// many people, priority and preferred modality. Refused with 409 when the campaign is not
/// open, the answer was already submitted, or the line already exists.
#[utoipa::path(
    tag = "needs",
    security(("bearer" = [])),
    request_body(content = NeedCreate, content_type = "application/json"),
    responses(
        (status = 201, description = "Added.", body = NeedResponse,
         headers(("Location" = String, description = "URL of the new line."),
                 ("ETag" = String, description = "Version, for `If-Match`."))),
        (status = 404, response = super::problems::NotFound),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/needs")]
async fn create_need(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedJson(body): ValidatedJson<NeedCreate>,
) -> Result<HttpResponse, ApiError> {
    let draft = NeedDraft::from(&body);
    let comune = body.comune_istat_code.as_deref();
    let need = app::needs::create(&state.db, &actor, body.campaign_id, comune, draft).await?;
    let location = format!("{}/api/v1/needs/{}", state.public_url, need.id);
    Ok(created(location, &NeedResponse::from(&need)))
}

/// Update a need line
///
/// A JSON merge patch, under the same rules as adding a line. Send the `ETag` in `If-Match`.
#[utoipa::path(
    tag = "needs",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Line id."),
        IfMatch,
    ),
    request_body(content = NeedPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated.", body = NeedResponse,
         headers(("ETag" = String, description = "The new version."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[patch("/needs/{id}")]
async fn update_need(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    MergePatch(patch): MergePatch<NeedPatch>,
) -> Result<HttpResponse, ApiError> {
    let if_match = if_match(&req)?;
    let holds = |n: &Need| precondition_holds(if_match.as_ref(), &etag_of(&NeedResponse::from(n)));
    let need = app::needs::update(
        &state.db,
        &actor,
        id.into_inner(),
        |d| patch.apply(d),
        holds,
    )
    .await?;
    Ok(updated(&NeedResponse::from(&need)))
}

/// Delete a need line
///
/// Under the same rules as adding a line.
#[utoipa::path(
    tag = "needs",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Line id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[delete("/needs/{id}")]
async fn remove_need(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    app::needs::delete(&state.db, &actor, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
