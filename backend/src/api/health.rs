//! `GET /status` (readiness: the database answers and its schema is current) and
//! `GET /status/live` (liveness: the process answers), in the problem-shaped body the
//! Italian interoperability guidelines prescribe. A load balancer routes by the first;
//! an orchestrator restarts on the second only, so a database outage restarts nothing.
use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::{ApiError, PROBLEM_JSON, Problem};
use migration::{Migrator, MigratorTrait};

use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(read_status).service(read_liveness);
}

fn ok(detail: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(PROBLEM_JSON)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Problem {
            problem_type: "about:blank".into(),
            title: "OK".into(),
            status: 200,
            detail: detail.into(),
            instance: None,
            errors: Vec::new(),
        })
}

/// Whether the database answers and holds every migration this version knows.
async fn ready(state: &AppState) -> anyhow::Result<()> {
    state.db.ping().await?;
    let pending = Migrator::get_pending_migrations(&state.db).await?.len();
    anyhow::ensure!(pending == 0, "{pending} migrations not applied");
    Ok(())
}

/// Service status (readiness)
///
/// Answers 200 when the service can serve: its database answers and its schema is
/// current. 503 with `Retry-After` when the database does not answer within two seconds
/// or its schema is missing or behind. Public; never cached.
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
    match tokio::time::timeout(Duration::from_secs(2), ready(&state)).await {
        Ok(Ok(())) => Ok(ok("Il servizio è operativo.")),
        Ok(Err(e)) => Err(ApiError::Unavailable(e)),
        Err(_) => Err(ApiError::Unavailable(anyhow::anyhow!(
            "database ping timed out"
        ))),
    }
}

/// Process status (liveness)
///
/// Answers 200 whenever the process serves HTTP, without asking the database: a probe
/// that restarts the service should use this, not `/status`, so that a database outage
/// does not restart every replica. Public; never cached.
#[utoipa::path(
    tag = "status",
    security(()),
    responses(
        (status = 200, description = "The process answers.", body = Problem, content_type = "application/problem+json",
         headers(("Cache-Control" = String, description = "`no-store`: the status is always current.")),
         example = json!({"type": "about:blank", "title": "OK", "status": 200, "detail": "Il processo risponde."})),
    )
)]
#[get("/status/live")]
async fn read_liveness() -> HttpResponse {
    ok("Il processo risponde.")
}
