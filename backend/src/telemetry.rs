//! Logging. Request logs carry the method, the matched route pattern, the status and the
//! latency — never query strings, bodies or tokens, which may hold personal data.
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

use crate::client_address::TrustedProxies;
use crate::state::AppState;

/// Logs to stderr, filtered by `CABINA_LOG` (e.g. `info`, `cabina=debug`), default `info`.
/// `CABINA_LOG_FORMAT=json` writes one JSON object a line.
pub fn init() {
    let filter = EnvFilter::try_from_env("CABINA_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if std::env::var("CABINA_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// The header carrying a request's id, to the client and from a trusted proxy.
pub const REQUEST_ID: &str = "x-request-id";

/// The id of a request: the one a trusted proxy gave it (so the proxy's and our logs
/// line up), if it is a plausible token; otherwise a new random one.
fn request_id(req: &ServiceRequest) -> String {
    let from_proxy = req
        .app_data::<web::Data<TrustedProxies>>()
        .zip(req.peer_addr())
        .is_some_and(|(proxies, peer)| proxies.trusts(peer.ip()));
    let given = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| {
            (1..=64).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        });
    match given {
        Some(id) if from_proxy => id.to_owned(),
        _ => format!("{:032x}", rand::random::<u128>()),
    }
}

/// Middleware: every log line of a request carries its id (a tracing span), the id goes
/// back in `X-Request-Id`, and one line per request records the method, the matched route
/// pattern, the status and the latency, which the metrics count too.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let id = request_id(&req);
    let span = tracing::info_span!("request", request_id = %id);
    let mut response = next.call(req).instrument(span.clone()).await?;
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "-".into());
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    if let Some(state) = response.request().app_data::<web::Data<AppState>>() {
        state
            .metrics
            .observe_request(method.as_str(), &route, status, elapsed.as_secs_f64());
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID), value);
    }
    span.in_scope(|| {
        tracing::info!(
            http.method = %method,
            http.route = %route,
            http.status = status,
            elapsed_ms = elapsed.as_millis() as u64,
            "request"
        );
    });
    Ok(response)
}

/// `GET /metrics`, in Prometheus' text format (see `metrics`).
pub async fn serve_metrics(state: web::Data<AppState>) -> actix_web::HttpResponse {
    match state.metrics.render(&state.db).await {
        Ok(text) => actix_web::HttpResponse::Ok()
            .insert_header((
                actix_web::http::header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ))
            .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
            .body(text),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: cannot read the database");
            actix_web::HttpResponse::ServiceUnavailable().finish()
        }
    }
}
