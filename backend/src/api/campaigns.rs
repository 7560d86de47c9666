//! Needs-survey campaigns: the admin runs them; each comune's referente answers; both see
//! who has answered.
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use std::collections::HashMap;

use super::extract::{MergePatch, ValidatedJson};
use super::http_cache::{
    IfMatch, created, etag_of, if_match, json_with_etag, precondition_holds, updated,
};
use super::spreadsheet::{self, Sheet, Tabular};
use crate::app;
use crate::auth::AuthUser;
use crate::domain::campaign::{
    Campaign, CampaignDraft, CampaignStatus, Demand, DemandLine, ResponseStatus, demand_by,
};
use crate::domain::comune::IstatCode;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_campaigns)
        .service(create_campaign)
        .service(read_campaign)
        .service(update_campaign)
        .service(list_campaign_responses)
        .service(set_campaign_response)
        .service(send_campaign_reminders)
        .service(read_campaign_summary);
}

/// A campaign's place in its life: `draft` → `open` → `closed` (→ `open` again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatusName {
    Draft,
    Open,
    Closed,
}

impl From<CampaignStatusName> for CampaignStatus {
    fn from(s: CampaignStatusName) -> Self {
        match s {
            CampaignStatusName::Draft => CampaignStatus::Draft,
            CampaignStatusName::Open => CampaignStatus::Open,
            CampaignStatusName::Closed => CampaignStatus::Closed,
        }
    }
}

impl From<CampaignStatus> for CampaignStatusName {
    fn from(s: CampaignStatus) -> Self {
        match s {
            CampaignStatus::Draft => CampaignStatusName::Draft,
            CampaignStatus::Open => CampaignStatusName::Open,
            CampaignStatus::Closed => CampaignStatusName::Closed,
        }
    }
}

/// A campaign's writable fields.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "year": 2027, "title": "Rilevazione dei fabbisogni formativi 2027", "opens_on": "2027-01-15", "closes_on": "2027-02-28",
    "instructions": "Indicare per ogni ufficio quante persone hanno bisogno di ciascun tema.",
    "themes": ["privacy", "anticorruzione_trasparenza", "sicurezza_lavoro_aggiornamento"]
}))]
pub struct CampaignWrite {
    #[schema(format = Int32, minimum = 2000, maximum = 2100)]
    pub year: i32,
    #[validate(length(max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    #[serde(default)]
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub instructions: String,
    /// Codes of the themes offered (see `/themes`).
    #[validate(length(max = 100))]
    #[schema(max_items = 100, inline)]
    pub themes: Vec<String>,
    #[serde(default = "draft")]
    pub status: CampaignStatusName,
}

fn draft() -> CampaignStatusName {
    CampaignStatusName::Draft
}

/// A campaign.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(format = Int32, minimum = 2000, maximum = 2100)]
    pub year: i32,
    #[schema(max_length = 200)]
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    #[schema(max_length = 10000)]
    pub instructions: String,
    #[schema(max_items = 100, inline)]
    pub themes: Vec<String>,
    pub status: CampaignStatusName,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Campaign> for CampaignResponse {
    fn from(c: &Campaign) -> Self {
        let f = &c.fields;
        Self {
            id: c.id,
            year: f.year,
            title: f.title.clone(),
            opens_on: f.opens_on,
            closes_on: f.closes_on,
            instructions: f.instructions.clone(),
            themes: f.themes.clone(),
            status: f.status.into(),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

impl From<CampaignWrite> for CampaignDraft {
    fn from(w: CampaignWrite) -> Self {
        Self {
            year: w.year,
            title: w.title,
            opens_on: w.opens_on,
            closes_on: w.closes_on,
            instructions: w.instructions,
            themes: w.themes,
            status: w.status.into(),
        }
    }
}

impl CampaignPatch {
    fn apply(self, mut d: CampaignDraft) -> CampaignDraft {
        d.year = self.year.unwrap_or(d.year);
        d.title = self.title.unwrap_or(d.title);
        d.opens_on = self.opens_on.unwrap_or(d.opens_on);
        d.closes_on = self.closes_on.unwrap_or(d.closes_on);
        d.instructions = self.instructions.unwrap_or(d.instructions);
        d.themes = self.themes.unwrap_or(d.themes);
        d.status = self.status.map_or(d.status, Into::into);
        d
    }
}

/// A merge patch of a campaign.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "open"}))]
pub struct CampaignPatch {
    #[schema(format = Int32, minimum = 2000, maximum = 2100)]
    #[validate(range(min = 2000, max = 2100))]
    pub year: Option<i32>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub title: Option<String>,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub instructions: Option<String>,
    #[validate(length(max = 100))]
    #[schema(max_items = 100)]
    pub themes: Option<Vec<String>>,
    pub status: Option<CampaignStatusName>,
}

/// The campaigns.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignList {
    #[schema(max_items = 1000)]
    pub items: Vec<CampaignResponse>,
}

/// List campaigns
///
/// Every needs-survey campaign, newest first. The admin and the referenti.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The campaigns.", body = CampaignList),
    )
)]
#[get("/campaigns")]
async fn list_campaigns(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
) -> Result<HttpResponse, ApiError> {
    let campaigns = app::campaigns::list(&state.db, &actor).await?;
    let items = campaigns.iter().map(CampaignResponse::from).collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(CampaignList { items }))
}

/// Create a campaign
///
/// A yearly needs survey: dates, instructions and the themes offered. Admin only.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    request_body(content = CampaignWrite, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = CampaignResponse,
         headers(("Location" = String, description = "URL of the new campaign."),
                 ("ETag" = String, description = "Version, for `If-Match`."))),
    )
)]
#[post("/campaigns")]
async fn create_campaign(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedJson(body): ValidatedJson<CampaignWrite>,
) -> Result<HttpResponse, ApiError> {
    let campaign = app::campaigns::create(&state.db, &actor, body.into()).await?;
    let location = format!("{}/api/v1/campaigns/{}", state.public_url, campaign.id);
    Ok(created(location, &CampaignResponse::from(&campaign)))
}

/// Get a campaign
///
/// One campaign with its `ETag`. The admin and the referenti.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Campaign id.")),
    responses(
        (status = 200, description = "The campaign.", body = CampaignResponse,
         headers(("ETag" = String, description = "Version, for `If-Match`."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/campaigns/{id}")]
async fn read_campaign(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let campaign = app::campaigns::read(&state.db, &actor, id.into_inner()).await?;
    Ok(json_with_etag(
        &req,
        &CampaignResponse::from(&campaign),
        "no-store",
    ))
}

/// Update a campaign
///
/// A JSON merge patch; opening and closing follow `draft` → `open` → `closed` (→ `open`), 409
/// otherwise. Admin only. Send the `ETag` in `If-Match`.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Campaign id."),
        IfMatch,
    ),
    request_body(content = CampaignPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated.", body = CampaignResponse,
         headers(("ETag" = String, description = "The new version."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[patch("/campaigns/{id}")]
async fn update_campaign(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    MergePatch(patch): MergePatch<CampaignPatch>,
) -> Result<HttpResponse, ApiError> {
    let if_match = if_match(&req)?;
    let holds =
        |c: &Campaign| precondition_holds(if_match.as_ref(), &etag_of(&CampaignResponse::from(c)));
    let campaign = app::campaigns::update(
        &state.db,
        &actor,
        id.into_inner(),
        |d| patch.apply(d),
        holds,
    )
    .await?;
    Ok(updated(&CampaignResponse::from(&campaign)))
}

/// Where a comune stands in a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatusName {
    NotStarted,
    Draft,
    Submitted,
}

impl From<ResponseStatusName> for ResponseStatus {
    fn from(s: ResponseStatusName) -> Self {
        match s {
            ResponseStatusName::NotStarted => ResponseStatus::NotStarted,
            ResponseStatusName::Draft => ResponseStatus::Draft,
            ResponseStatusName::Submitted => ResponseStatus::Submitted,
        }
    }
}

impl From<ResponseStatus> for ResponseStatusName {
    fn from(s: ResponseStatus) -> Self {
        match s {
            ResponseStatus::NotStarted => ResponseStatusName::NotStarted,
            ResponseStatus::Draft => ResponseStatusName::Draft,
            ResponseStatus::Submitted => ResponseStatusName::Submitted,
        }
    }
}

/// A comune's answer to a campaign.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"comune_istat_code": "008029", "comune_name": "Dolceacqua", "status": "submitted",
    "no_needs": false, "lines": 4, "submitted_at": "2027-02-10T09:12:00Z", "updated_at": "2027-02-10T09:12:00Z"}))]
pub struct ComuneAnswer {
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    #[schema(max_length = 120)]
    pub comune_name: String,
    pub status: ResponseStatusName,
    /// The comune declared it needs nothing this year.
    pub no_needs: bool,
    /// Need lines entered.
    #[schema(format = Int64, minimum = 0, maximum = 100000)]
    pub lines: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub submitted_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub updated_at: Option<DateTime<Utc>>,
    /// When the last reminder was queued for the comune.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub reminded_at: Option<DateTime<Utc>>,
}

impl From<app::campaigns::Answer> for ComuneAnswer {
    fn from(a: app::campaigns::Answer) -> Self {
        Self {
            comune_istat_code: a.response.comune,
            comune_name: a.comune_name,
            status: a.response.status.into(),
            no_needs: a.response.no_needs,
            lines: a.response.lines,
            submitted_at: a.response.submitted_at,
            updated_at: a.response.updated_at,
            reminded_at: a.reminded_at,
        }
    }
}

/// Every comune's answer, and how many have answered.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerList {
    #[schema(max_items = 1000)]
    pub items: Vec<ComuneAnswer>,
    /// Comuni that have submitted their answer.
    #[schema(format = Int64, minimum = 0, maximum = 10000)]
    pub submitted: u64,
    /// Comuni listed.
    #[schema(format = Int64, minimum = 0, maximum = 10000)]
    pub total: u64,
}

/// Who has answered
///
/// Each comune's answer to a campaign — not started, draft or submitted, with timestamps —
/// so that the Province sees at a glance who is missing. The admin sees every comune, a
/// referente their own.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Campaign id.")),
    responses(
        (status = 200, description = "The answers.", body = AnswerList),
    )
)]
#[get("/campaigns/{id}/responses")]
async fn list_campaign_responses(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let answers = app::campaigns::answers(&state.db, &actor, id.into_inner()).await?;
    let items: Vec<ComuneAnswer> = answers.into_iter().map(ComuneAnswer::from).collect();
    let submitted = items
        .iter()
        .filter(|i| i.status == ResponseStatusName::Submitted)
        .count() as u64;
    let total = items.len() as u64;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(AnswerList {
            items,
            submitted,
            total,
        }))
}

/// Submitting or reopening an answer.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "submitted", "no_needs": false}))]
pub struct ResponseWrite {
    /// `submitted` (the referente sends the answer) or `draft` (the admin reopens it).
    pub status: ResponseStatusName,
    /// With `submitted`: the comune needs no training this year (and has no lines).
    #[serde(default)]
    pub no_needs: bool,
}

/// Submit or reopen a comune's answer
///
/// The referente submits the answer (its lines, or a declaration of no needs) while the
/// campaign is open; after that the lines cannot change (409) until the admin reopens it
/// with `draft`.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "Campaign id."),
        ("istat_code" = String, Path, description = "ISTAT code of the comune.", pattern = "^[0-9]{6}$", min_length = 6, max_length = 6),
    ),
    request_body(content = ResponseWrite, content_type = "application/json"),
    responses(
        (status = 204, description = "Done."),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[put("/campaigns/{id}/responses/{istat_code}")]
async fn set_campaign_response(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    path: web::Path<(i64, String)>,
    ValidatedJson(body): ValidatedJson<ResponseWrite>,
) -> Result<HttpResponse, ApiError> {
    let (id, code) = path.into_inner();
    let code = IstatCode::parse(&code).map_err(|_| ApiError::NotFound)?;
    let status = body.status.into();
    app::campaigns::set_response(&state.db, &actor, id, &code, status, body.no_needs).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Which comuni to remind.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"istat_codes": ["008029", "008031"]}))]
pub struct ReminderRequest {
    /// Only these comuni (those that have already submitted are skipped). Absent: every
    /// comune that has not submitted.
    #[validate(length(max = 10000))]
    #[schema(max_items = 10000, inline)]
    pub istat_codes: Option<Vec<IstatCodeValue>>,
}

/// An ISTAT code of a comune.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
pub struct IstatCodeValue(pub String);

/// A comune reminded.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemindedComune {
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    #[schema(max_length = 120)]
    pub comune_name: String,
    /// Messages queued for it (one per address).
    #[schema(format = Int64, minimum = 0, maximum = 1000)]
    pub messages: u64,
}

/// What the reminder round queued.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"messages": 2, "reminded": [{"comune_istat_code": "008029", "comune_name": "Dolceacqua", "messages": 2}],
    "unreachable": [{"comune_istat_code": "008030", "comune_name": "Dolcedo", "messages": 0}]}))]
pub struct ReminderReport {
    /// Messages queued in the outbox.
    #[schema(format = Int64, minimum = 0, maximum = 1000000)]
    pub messages: u64,
    #[schema(max_items = 10000)]
    pub reminded: Vec<RemindedComune>,
    /// Comuni without a referente account or contact address: call them.
    #[schema(max_items = 10000)]
    pub unreachable: Vec<RemindedComune>,
}

impl From<app::campaigns::RemindedComune> for RemindedComune {
    fn from(c: app::campaigns::RemindedComune) -> Self {
        Self {
            comune_istat_code: c.istat_code,
            comune_name: c.name,
            messages: c.messages,
        }
    }
}

impl From<app::campaigns::ReminderRound> for ReminderReport {
    fn from(round: app::campaigns::ReminderRound) -> Self {
        Self {
            messages: round.messages,
            reminded: round.reminded.into_iter().map(Into::into).collect(),
            unreachable: round.unreachable.into_iter().map(Into::into).collect(),
        }
    }
}

/// Remind comuni that have not answered
///
/// Queues an e-mail to the referenti (their accounts and the comune's referente contact) of
/// every comune that has not submitted its answer, or of the ones listed. Messages go
/// through the outbox: sent by SMTP when configured, otherwise kept there for the admin.
/// The campaign must be open (409 otherwise). Admin only.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Campaign id.")),
    request_body(content = ReminderRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Queued.", body = ReminderReport),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/campaigns/{id}/reminders")]
async fn send_campaign_reminders(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    ValidatedJson(body): ValidatedJson<ReminderRequest>,
) -> Result<HttpResponse, ApiError> {
    let wanted: Option<Vec<String>> = body
        .istat_codes
        .map(|codes| codes.into_iter().map(|c| c.0).collect());
    let round = app::campaigns::send_reminders(
        &state.db,
        &actor,
        id.into_inner(),
        wanted.as_deref(),
        &state.public_url,
    )
    .await?;
    state.outbox_filled();
    Ok(HttpResponse::Accepted()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ReminderReport::from(round)))
}

/// People and comuni behind one slice of the demand.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandSlice {
    /// The theme code, office area code, comune ISTAT code or distance band.
    #[schema(max_length = 40)]
    pub key: String,
    /// A readable name for the key, where there is one.
    #[schema(max_length = 120)]
    pub label: String,
    /// People to train.
    #[schema(format = Int64, minimum = 0, maximum = 100_000_000)]
    pub headcount: i64,
    /// Comuni asking.
    #[schema(format = Int64, minimum = 0, maximum = 10000)]
    pub comuni: u64,
    #[schema(format = Int64, minimum = 0, maximum = 100_000_000)]
    pub lines: u64,
}

/// The demand of a campaign, aggregated for planning.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"campaign_id": 1, "comuni_total": 66, "comuni_submitted": 41, "comuni_no_needs": 3,
    "headcount": 812, "by_theme": [{"key": "privacy", "label": "Privacy e protezione dei dati personali", "headcount": 240,
    "comuni": 35, "lines": 61}], "by_office_area": [], "by_comune": [], "by_distance": []}))]
pub struct CampaignSummary {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub campaign_id: i64,
    #[schema(format = Int64, minimum = 0, maximum = 10000)]
    pub comuni_total: u64,
    #[schema(format = Int64, minimum = 0, maximum = 10000)]
    pub comuni_submitted: u64,
    #[schema(format = Int64, minimum = 0, maximum = 10000)]
    pub comuni_no_needs: u64,
    /// People to train, over all lines.
    #[schema(format = Int64, minimum = 0, maximum = 100_000_000)]
    pub headcount: i64,
    #[schema(max_items = 1000)]
    pub by_theme: Vec<DemandSlice>,
    #[schema(max_items = 1000)]
    pub by_office_area: Vec<DemandSlice>,
    #[schema(max_items = 10000)]
    pub by_comune: Vec<DemandSlice>,
    /// By straight-line distance of the comune from the provincial capital (km bands).
    #[schema(max_items = 10)]
    pub by_distance: Vec<DemandSlice>,
}

fn slices<K: ToString>(
    groups: std::collections::BTreeMap<K, Demand>,
    label: impl Fn(&str) -> String,
) -> Vec<DemandSlice> {
    let mut slices: Vec<DemandSlice> = groups
        .into_iter()
        .map(|(key, d)| {
            let key = key.to_string();
            DemandSlice {
                label: label(&key),
                key,
                headcount: d.headcount,
                comuni: d.comuni as u64,
                lines: d.lines as u64,
            }
        })
        .collect();
    slices.sort_by(|a, b| {
        b.headcount
            .cmp(&a.headcount)
            .then_with(|| a.key.cmp(&b.key))
    });
    slices
}

fn name_of(names: &HashMap<String, String>, key: &str) -> String {
    names.get(key).cloned().unwrap_or_default()
}

/// Demand summary
///
/// The campaign's need lines added up by theme, office area, comune and distance from the
/// provincial capital, with how many comuni have answered: the input of the annual plan.
/// Admin only.
#[utoipa::path(
    tag = "campaigns",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Campaign id.")),
    responses(
        (status = 200, description = "The summary. With `Accept: text/csv` one CSV file in Italian Excel's dialect (UTF-8 with BOM, `;`, CRLF, decimal comma; a `sezione` column names the breakdown); with the XLSX media type an Excel workbook, one worksheet per breakdown.",
         content((CampaignSummary = "application/json"), (String = "text/csv"),
                 (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
         headers(("Content-Disposition" = String, description = "With CSV or XLSX: the file name."))),
    )
)]
#[get("/campaigns/{id}/summary")]
async fn read_campaign_summary(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let input = app::campaigns::summary(&state.db, &actor, id.into_inner()).await?;
    let year = input.campaign.fields.year;
    let summary = CampaignSummary::from(&input);
    if let Some(format) = spreadsheet::requested(&req) {
        let stem = format!("fabbisogni-{year}-riepilogo");
        return spreadsheet::download(format, &stem, &summary_sheets(&summary, format));
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(summary))
}

impl From<&app::campaigns::SummaryInput> for CampaignSummary {
    fn from(input: &app::campaigns::SummaryInput) -> Self {
        let labels = &input.labels;
        let lines: Vec<DemandLine<'_>> = input
            .needs
            .iter()
            .map(|n| DemandLine {
                comune: &n.comune,
                theme_code: &n.fields.theme_code,
                office_area: &n.fields.office_area,
                headcount: n.fields.headcount,
            })
            .collect();
        let answers = &input.responses;
        let band_of =
            |l: &DemandLine<'_>| input.distance_bands.get(l.comune).copied().unwrap_or("40+");
        Self {
            campaign_id: input.campaign.id,
            comuni_total: answers.len() as u64,
            comuni_submitted: answers
                .iter()
                .filter(|a| a.status == ResponseStatus::Submitted)
                .count() as u64,
            comuni_no_needs: answers.iter().filter(|a| a.no_needs).count() as u64,
            headcount: lines.iter().map(|l| i64::from(l.headcount)).sum(),
            by_theme: slices(demand_by(&lines, |l| l.theme_code), |k| {
                name_of(&labels.themes, k)
            }),
            by_office_area: slices(demand_by(&lines, |l| l.office_area), |k| {
                name_of(&labels.areas, k)
            }),
            by_comune: slices(demand_by(&lines, |l| l.comune), |k| {
                name_of(&labels.comuni, k)
            }),
            by_distance: slices(demand_by(&lines, band_of), |band| format!("{band} km")),
        }
    }
}

/// The summary as worksheets: one per breakdown, and in a workbook an overview first.
fn summary_sheets(summary: &CampaignSummary, format: Tabular) -> Vec<Sheet> {
    let breakdown = |name: &'static str, slices: &[DemandSlice]| Sheet {
        name,
        headers: vec!["chiave", "descrizione", "persone", "comuni", "righe"],
        rows: slices
            .iter()
            .map(|s| {
                vec![
                    s.key.as_str().into(),
                    s.label.as_str().into(),
                    s.headcount.into(),
                    (s.comuni as i64).into(),
                    (s.lines as i64).into(),
                ]
            })
            .collect(),
    };
    let mut sheets = Vec::new();
    if format == Tabular::Xlsx {
        sheets.push(Sheet {
            name: "Riepilogo",
            headers: vec!["voce", "valore"],
            rows: vec![
                vec!["Comuni".into(), (summary.comuni_total as i64).into()],
                vec![
                    "Risposte inviate".into(),
                    (summary.comuni_submitted as i64).into(),
                ],
                vec![
                    "Nessun fabbisogno".into(),
                    (summary.comuni_no_needs as i64).into(),
                ],
                vec!["Persone da formare".into(), summary.headcount.into()],
            ],
        });
    }
    sheets.push(breakdown("Per tema", &summary.by_theme));
    sheets.push(breakdown("Per area", &summary.by_office_area));
    sheets.push(breakdown("Per comune", &summary.by_comune));
    sheets.push(breakdown("Per distanza", &summary.by_distance));
    sheets
}
