//! The HTTP API: one module per resource, each with its DTOs, its handlers and a
//! `configure` that registers them (through utoipa-actix-web, so every route is in the
//! OpenAPI document).
pub mod accounts;
pub mod attendance;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod catalogue;
pub mod catalogue_changes;
pub mod catalogue_formats;
pub mod certificates;
pub mod comuni;
pub mod courses;
pub mod edition_proposals;
pub mod editions;
pub mod employees;
pub mod enrolments;
pub mod extract;
pub mod feedback;
pub mod health;
pub mod http_cache;
pub mod needs;
pub mod outbox;
pub mod pagination;
pub mod plans;
pub mod problems;
pub mod providers;
pub mod reference;
pub mod spreadsheet;
pub mod users;
pub mod venues;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::state::AppState;

/// Mounts every resource; the caller puts it under `/api/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(health::configure)
        .configure(auth::configure)
        .configure(users::configure)
        .configure(accounts::configure)
        .configure(comuni::configure)
        .configure(reference::configure)
        .configure(providers::configure)
        .configure(venues::configure)
        .configure(courses::configure)
        .configure(editions::configure)
        .configure(edition_proposals::configure)
        .configure(catalogue::configure)
        .configure(catalogue_changes::configure)
        .configure(catalogue_formats::configure)
        .configure(employees::configure)
        .configure(audit::configure)
        .configure(campaigns::configure)
        .configure(needs::configure)
        .configure(enrolments::configure)
        .configure(attendance::configure)
        .configure(certificates::configure)
        .configure(feedback::configure)
        .configure(outbox::configure)
        .configure(plans::configure)
        // The document describes the API, not itself.
        .route("/openapi.json", web::get().to(openapi_document));
}

async fn openapi_document(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(state.openapi_json.clone())
}

use crate::app::AppError;
use crate::error::{ApiError, FieldError, FieldErrors};

/// Why a use case did not happen, as the HTTP problem a client reads. It lives with the
/// adapters, not in `error.rs`, so that the error type below the application layer does
/// not import it.
impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Forbidden => ApiError::Forbidden,
            AppError::Invalid(errors) => {
                let mut fields = FieldErrors::default();
                errors.into_iter().for_each(|e| fields.add(e));
                fields
                    .finish()
                    .err()
                    .unwrap_or(ApiError::Validation(Vec::new()))
            }
            AppError::InvalidRows(rows) => ApiError::Validation(
                rows.into_iter()
                    .map(|e| FieldError::body(format!("#/rows/{}/{}", e.line, e.field), e.message))
                    .collect(),
            ),
            AppError::Busy => ApiError::Unavailable(anyhow::anyhow!("the planner is busy")),
            AppError::Internal(e) => e.into(),
            AppError::Store(e) => e.into(),
        }
    }
}
