//! `GET /status`: whether the service and its database answer, in the problem-shaped
//! body the Italian interoperability guidelines prescribe.
use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, PROBLEM_JSON, Problem};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(read_status);
}

/// Service status
///
/// Answers 200 when the service and its database work, 503 with `Retry-After` when the
/// database does not answer within two seconds. Public; never cached.
#[utoipa::path(
    tag = "status",
    security(()),
    responses(
        (status = 200, description = "The service works.", body = Problem, content_type = "application/problem+json",
         headers(("Cache-Control" = String, description = "`no-store`: the status is always current.")),
         example = json!({"type": "about:blank", "title": "OK", "status": 200, "detail": "Il servizio è operativo."})),
    )
)]
#[get("/status")]
async fn read_status(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => Ok(HttpResponse::Ok()
            .content_type(PROBLEM_JSON)
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(Problem {
                problem_type: "about:blank".into(),
                title: "OK".into(),
                status: 200,
                detail: "Il servizio è operativo.".into(),
                instance: None,
                errors: Vec::new(),
            })),
        Ok(Err(e)) => Err(ApiError::Unavailable(e.into())),
        Err(_) => Err(ApiError::Unavailable(anyhow::anyhow!(
            "database ping timed out"
        ))),
    }
}
