//! Proposals to change a published edition: its provider proposes, the Province decides.
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::editions::{EditionStatusName, SessionWrite, session_plans};
use super::extract::{Paged, ValidatedJson};
use super::http_cache::{created, json_with_etag};
use super::pagination::{Page, PageQuery, page_response};
use crate::app;
use crate::auth::AuthUser;
use crate::domain::edition_change::{
    ChangeProposal, EditionChange, ProposalFilter, ProposalStatus,
};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_edition_change_proposal)
        .service(list_edition_change_proposals)
        .service(read_edition_change_proposal)
        .service(decide_edition_change_proposal);
}

/// Where a proposal stands: `pending` until the Province decides; `superseded` when a
/// newer proposal for the same edition took its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatusName {
    Pending,
    Approved,
    Rejected,
    Superseded,
}

impl From<ProposalStatus> for ProposalStatusName {
    fn from(s: ProposalStatus) -> Self {
        match s {
            ProposalStatus::Pending => Self::Pending,
            ProposalStatus::Approved => Self::Approved,
            ProposalStatus::Rejected => Self::Rejected,
            ProposalStatus::Superseded => Self::Superseded,
        }
    }
}

impl From<ProposalStatusName> for ProposalStatus {
    fn from(s: ProposalStatusName) -> Self {
        match s {
            ProposalStatusName::Pending => Self::Pending,
            ProposalStatusName::Approved => Self::Approved,
            ProposalStatusName::Rejected => Self::Rejected,
            ProposalStatusName::Superseded => Self::Superseded,
        }
    }
}

/// What a provider asks to change; every field left out stays as it is.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "capacity": 30,
    "sessions": [{"starts_at": "2027-03-22T08:30:00Z", "ends_at": "2027-03-22T12:30:00Z", "venue_id": 1}],
    "reason": "Molte richieste in lista d'attesa; la sala grande è libera il 22 marzo."
}))]
pub struct ProposalWrite {
    /// New number of seats.
    #[schema(minimum = 1, maximum = 10000)]
    pub capacity: Option<i32>,
    /// New sessions, replacing them all.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_items = 1, max_items = 100)]
    pub sessions: Option<Vec<SessionWrite>>,
    /// New start of availability (e-learning).
    pub available_from: Option<DateTime<Utc>>,
    /// New end of availability (e-learning).
    pub available_until: Option<DateTime<Utc>>,
    /// Cancel the edition: everyone enrolled is told once it is approved.
    #[serde(default)]
    pub cancel: bool,
    /// Why, for the Province.
    #[validate(length(max = 4000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

impl ProposalWrite {
    fn change(self) -> (EditionChange, String) {
        (
            EditionChange {
                capacity: self.capacity,
                sessions: self.sessions.map(session_plans),
                available_from: self.available_from,
                available_until: self.available_until,
                cancel: self.cancel,
            },
            self.reason,
        )
    }
}

/// The edition a proposal concerns, as it is now.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalEdition {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(max_length = 200)]
    pub title: String,
    #[schema(format = Int64, minimum = 1)]
    pub course_id: i64,
    #[schema(max_length = 200)]
    pub course_title: String,
    #[schema(format = Int64, minimum = 1)]
    pub provider_id: i64,
    #[schema(max_length = 200)]
    pub provider_name: String,
    pub status: EditionStatusName,
    #[schema(minimum = 1, maximum = 10000)]
    pub capacity: i32,
    #[schema(max_items = 100)]
    pub sessions: Vec<SessionWrite>,
}

/// A proposal to change a published edition, with the decision once taken.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "id": 4, "status": "pending", "capacity": 30, "cancel": false,
    "reason": "Molte richieste in lista d'attesa.", "proposed_by": "Segreteria Ente",
    "decision_note": "", "created_at": "2027-02-20T09:00:00Z",
    "edition": {"id": 12, "title": "Edizione di Imperia", "course_id": 3,
                "course_title": "Privacy e protezione dei dati", "provider_id": 2,
                "provider_name": "Formazione Ligure S.r.l.", "status": "open", "capacity": 25,
                "sessions": [{"starts_at": "2027-03-15T08:30:00Z", "ends_at": "2027-03-15T12:30:00Z", "venue_id": 1}]}
}))]
pub struct ProposalResponse {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    pub status: ProposalStatusName,
    /// Proposed number of seats (absent: unchanged).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 1, maximum = 10000)]
    pub capacity: Option<i32>,
    /// Proposed sessions (absent: unchanged).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_items = 100)]
    pub sessions: Option<Vec<SessionWrite>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub available_from: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub available_until: Option<DateTime<Utc>>,
    pub cancel: bool,
    #[schema(max_length = 2000)]
    pub reason: String,
    /// Who proposed it (absent once that account is gone).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 200)]
    pub proposed_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 200)]
    pub decided_by: Option<String>,
    #[schema(max_length = 2000)]
    pub decision_note: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub edition: ProposalEdition,
}

impl From<&ChangeProposal> for ProposalResponse {
    fn from(p: &ChangeProposal) -> Self {
        let c = &p.change;
        Self {
            id: p.id,
            status: p.status.into(),
            capacity: c.capacity,
            sessions: c
                .sessions
                .as_ref()
                .map(|s| s.iter().map(SessionWrite::from).collect()),
            available_from: c.available_from,
            available_until: c.available_until,
            cancel: c.cancel,
            reason: p.reason.clone(),
            proposed_by: p.proposed_by.clone(),
            decided_by: p.decided_by.clone(),
            decision_note: p.decision_note.clone(),
            decided_at: p.decided_at,
            created_at: p.created_at,
            edition: ProposalEdition {
                id: p.edition_id,
                title: p.edition_title.clone(),
                course_id: p.course_id,
                course_title: p.course_title.clone(),
                provider_id: p.provider_id,
                provider_name: p.provider_name.clone(),
                status: p.edition_status.into(),
                capacity: p.edition_capacity,
                sessions: p.edition_sessions.iter().map(SessionWrite::from).collect(),
            },
        }
    }
}

/// Propose a change to an edition
///
/// For the staff of a provider the Province has not let act alone: the seats, the dates
/// (sessions, availability) or the cancellation of a published edition change only once
/// the Province approves. The change is checked now by the edition's rules; a newer
/// proposal supersedes a pending one; the Province's office is told by e-mail. A draft is
/// changed directly (409 here).
#[utoipa::path(
    tag = "edition-change-proposals",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Edition id.")),
    request_body(content = ProposalWrite, content_type = "application/json"),
    responses(
        (status = 201, description = "Proposed; waiting for the Province.", body = ProposalResponse,
         headers(("Location" = String, description = "The new proposal."),
                 ("ETag" = String, description = "Its version."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/editions/{id}/change-proposals")]
async fn create_edition_change_proposal(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    ValidatedJson(body): ValidatedJson<ProposalWrite>,
) -> Result<HttpResponse, ApiError> {
    let (change, reason) = body.change();
    let proposal = app::edition_proposals::propose(
        &state.db,
        &actor,
        id.into_inner(),
        &change,
        &reason,
        &state.public_url,
    )
    .await?;
    state.outbox_filled();
    let location = format!(
        "{}/api/v1/edition-change-proposals/{}",
        state.public_url, proposal.id
    );
    Ok(created(location, &ProposalResponse::from(&proposal)))
}

/// Filters of `GET /edition-change-proposals`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProposalListQuery {
    pub status: Option<ProposalStatusName>,
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[param(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub edition_id: Option<i64>,
}

/// List proposals to change editions
///
/// Pending first, then newest first: all for the admin, its own editions' for a provider's
/// staff.
#[utoipa::path(
    tag = "edition-change-proposals",
    security(("bearer" = [])),
    params(ProposalListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of proposals.", body = Page<ProposalResponse>),
    )
)]
#[get("/edition-change-proposals")]
async fn list_edition_change_proposals(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    Paged(query, page): Paged<ProposalListQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = ProposalFilter {
        status: query.status.map(Into::into),
        edition_id: query.edition_id,
        ..ProposalFilter::default()
    };
    let (proposals, total) = app::edition_proposals::list(&state.db, &actor, filter, page).await?;
    let items = proposals.iter().map(ProposalResponse::from).collect();
    Ok(page_response(items, total, page, &state.public_url, &req))
}

/// Get a proposal to change an edition
///
/// The admin, and the staff of the edition's provider.
#[utoipa::path(
    tag = "edition-change-proposals",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Proposal id.")),
    responses(
        (status = 200, description = "The proposal.", body = ProposalResponse,
         headers(("ETag" = String, description = "Version."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/edition-change-proposals/{id}")]
async fn read_edition_change_proposal(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let proposal = app::edition_proposals::read(&state.db, &actor, id.into_inner()).await?;
    Ok(json_with_etag(
        &req,
        &ProposalResponse::from(&proposal),
        "no-store",
    ))
}

/// The Province's decision on a proposal.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"approve": true, "note": "Va bene: confermate la sala."}))]
pub struct DecisionWrite {
    /// `true` applies the change to the edition; `false` leaves it as it is.
    pub approve: bool,
    /// For the provider.
    #[validate(length(max = 4000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// Decide a proposal to change an edition
///
/// Admin only. An approval applies the change now, through the edition's own rules (more
/// seats move the waitlist up; a cancellation tells everyone enrolled); if the edition no
/// longer allows it (409) nothing is decided. A proposal already decided or superseded is
/// a 409. The provider is told by e-mail either way.
#[utoipa::path(
    tag = "edition-change-proposals",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Proposal id.")),
    request_body(content = DecisionWrite, content_type = "application/json"),
    responses(
        (status = 200, description = "Decided.", body = ProposalResponse),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/edition-change-proposals/{id}/decision")]
async fn decide_edition_change_proposal(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    ValidatedJson(body): ValidatedJson<DecisionWrite>,
) -> Result<HttpResponse, ApiError> {
    let proposal = app::edition_proposals::decide(
        &state.db,
        &actor,
        id.into_inner(),
        body.approve,
        body.note.as_deref(),
    )
    .await?;
    state.outbox_filled();
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(ProposalResponse::from(&proposal)))
}
