//! The e-mail outbox, for the admin: what was sent, what waits, and why it failed.
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::Paged;
use super::pagination::{Page, PageQuery, page_response};
use crate::app;
use crate::auth::AuthUser;
use crate::domain::notification::{Delivery, QueuedMessage};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_outbox);
}

/// Whether a message has gone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryName {
    /// Waiting: never tried, no SMTP configured, or retrying after a failure.
    Pending,
    Sent,
}

/// Filters of `GET /outbox`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    pub delivery: Option<DeliveryName>,
}

/// An e-mail in the outbox.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"id": 41, "kind": "campaign_reminder", "topic": "campaign/1/comune/008029",
    "recipient": "referente@comune.dolceacqua.im.it", "subject": "Promemoria: Rilevazione 2027 — risposta del Comune di Dolceacqua",
    "body": "Gentile referente…", "delivery": "pending", "attempts": 0, "created_at": "2027-02-20T08:00:00Z"}))]
pub struct OutboxMessage {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    /// `campaign_reminder`, `enrolment_confirmed`, …
    #[schema(max_length = 40)]
    pub kind: String,
    /// What the message concerns.
    #[schema(max_length = 200)]
    pub topic: String,
    #[schema(max_length = 254)]
    pub recipient: String,
    #[schema(max_length = 300)]
    pub subject: String,
    #[schema(max_length = 100000)]
    pub body: String,
    pub delivery: DeliveryName,
    /// Delivery attempts so far.
    #[schema(format = Int32, minimum = 0, maximum = 1000000)]
    pub attempts: i32,
    /// Why the last attempt failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 1000)]
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<QueuedMessage> for OutboxMessage {
    fn from(m: QueuedMessage) -> Self {
        Self {
            id: m.id,
            kind: m.kind,
            topic: m.topic,
            recipient: m.recipient,
            subject: m.subject,
            body: m.body,
            delivery: if m.sent_at.is_some() {
                DeliveryName::Sent
            } else {
                DeliveryName::Pending
            },
            attempts: m.attempts,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
        }
    }
}

/// List the e-mail outbox
///
/// Every e-mail cabina has queued, newest first: sent, or pending with the last delivery
/// error. With no SMTP server configured (`CABINA_SMTP_URL`) messages stay pending here, so
/// nothing is lost. Admin only.
#[utoipa::path(
    tag = "outbox",
    security(("bearer" = [])),
    params(OutboxQuery, PageQuery),
    responses(
        (status = 200, description = "A page of messages.", body = Page<OutboxMessage>),
    )
)]
#[get("/outbox")]
async fn list_outbox(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    Paged(query, page): Paged<OutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    let delivery = query.delivery.map(|d| match d {
        DeliveryName::Pending => Delivery::Pending,
        DeliveryName::Sent => Delivery::Sent,
    });
    let (messages, total) = app::outbox::list(&state.db, &actor, delivery, page).await?;
    let items = messages.into_iter().map(OutboxMessage::from).collect();
    Ok(page_response(items, total, page, &state.public_url, &req))
}
