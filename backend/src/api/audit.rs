//! The log of who read or changed personal data, for the admin.
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::employees::AuditEventResponse;
use super::extract::Paged;
use super::pagination::{Page, PageQuery, page_response};
use crate::app;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_events);
}

/// Filters of `GET /audit-events`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only events about this employee.
    #[validate(range(min = 1, max = 9_007_199_254_740_991i64))]
    #[param(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub employee_id: Option<i64>,
}

/// List the personal-data log
///
/// Who read, exported, imported, changed or erased employees' data, newest first. The log
/// is append-only and holds ids, never the data themselves. Admin only.
#[utoipa::path(
    tag = "employees",
    security(("bearer" = [])),
    params(AuditQuery, PageQuery),
    responses(
        (status = 200, description = "A page of the log.", body = Page<AuditEventResponse>),
    )
)]
#[get("/audit-events")]
async fn list_audit_events(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    Paged(query, page): Paged<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let (events, total) = app::audit::list(&state.db, &actor, query.employee_id, page).await?;
    let items = events.into_iter().map(AuditEventResponse::from).collect();
    Ok(page_response(items, total, page, &state.public_url, &req))
}
