//! Access for everyone who needs it: invitations, "password dimenticata", and the page
//! where a link lets a person choose a password.
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::ValidatedJson;
use crate::app;
use crate::auth::AuthUser;
use crate::client_address::throttle_key;
use crate::domain::DomainError;
use crate::domain::account::{InvitationReport, Invitee};
use crate::domain::comune::IstatCode;
use crate::domain::user::Email;
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_invitations)
        .service(create_password_reset)
        .service(create_account_password);
}

/// Whom to invite.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"comune_istat_code": "008031", "employee_ids": [12, 15]}))]
pub struct InvitationRequest {
    /// The comune whose employees are invited (a referente: their own).
    #[validate(length(equal = 6))]
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: String,
    /// Only these employees of the comune. Absent: every active employee of the comune.
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_items = 1, max_items = 5000)]
    pub employee_ids: Option<Vec<i64>>,
}

/// An employee named in an invitation report.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitedEmployee {
    #[schema(format = Int64, minimum = 1)]
    pub employee_id: i64,
    #[schema(max_length = 250)]
    pub full_name: String,
}

/// What an invitation round did, person by person. Personal data: never cached.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "invited": [{"employee_id": 12, "full_name": "Maria Rossi"}],
    "already_active": [{"employee_id": 15, "full_name": "Luca Bianchi"}],
    "without_email": [{"employee_id": 17, "full_name": "Anna Verdi"}]
}))]
pub struct InvitationResponse {
    /// Sent a single-use link to choose a password (valid 14 days): a new account, or a
    /// fresh link for an account never used.
    #[schema(max_items = 100000)]
    pub invited: Vec<InvitedEmployee>,
    /// Already signing in (or the address belongs to another account): nothing sent.
    #[schema(max_items = 100000)]
    pub already_active: Vec<InvitedEmployee>,
    /// No e-mail in the register: add one, then invite again.
    #[schema(max_items = 100000)]
    pub without_email: Vec<InvitedEmployee>,
}

impl From<InvitationReport> for InvitationResponse {
    fn from(r: InvitationReport) -> Self {
        let list = |people: Vec<Invitee>| {
            people
                .into_iter()
                .map(|p| InvitedEmployee {
                    employee_id: p.employee_id,
                    full_name: p.full_name,
                })
                .collect()
        };
        Self {
            invited: list(r.invited),
            already_active: list(r.already_active),
            without_email: list(r.without_email),
        }
    }
}

/// Invite employees to sign in
///
/// Gives the comune's employees access: each one with an e-mail in the register and no
/// account gets an employee account and a message with a single-use link (valid 14
/// days) to choose a password; an account never used gets a fresh link (older ones stop
/// working); a person already signing in is left alone. Messages go through the outbox.
/// Admin, or the comune's referente.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body(content = InvitationRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Who was invited, who already signs in, who has no e-mail. Never cached.",
         body = InvitationResponse,
         headers(("Cache-Control" = String, description = "`no-store`: personal data."))),
        (status = 404, response = super::problems::NotFound),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/invitations")]
async fn create_invitations(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedJson(body): ValidatedJson<InvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let comune = IstatCode::parse(&body.comune_istat_code)
        .map_err(|e| DomainError::invalid("comune_istat_code", e.message))?;
    let report = app::accounts::invite(
        &state.db,
        &actor,
        &comune,
        body.employee_ids.as_deref(),
        &state.public_url,
    )
    .await?;
    if !report.invited.is_empty() {
        state.outbox_filled();
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(InvitationResponse::from(report)))
}

/// Who forgot their password.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "mario.rossi@comune.imperia.it"}))]
pub struct PasswordResetRequest {
    #[validate(length(min = 3, max = 254))]
    #[schema(format = Email, min_length = 3, max_length = 254)]
    pub email: String,
}

/// Ask for a new password
///
/// If an active account has this e-mail, a message with a single-use link to choose a
/// new password (valid one hour) is sent to it; older links stop working. The answer is
/// the same whether or not the account exists, and one message at most every two minutes
/// goes to one address. Repeated requests from one address or for one account are
/// refused for a while with 429.
#[utoipa::path(
    tag = "accounts",
    security(()),
    request_body(content = PasswordResetRequest, content_type = "application/json"),
    responses(
        (status = 202, description = "Received: if the account exists, the message is on its way."),
    )
)]
#[post("/password-resets")]
async fn create_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidatedJson(body): ValidatedJson<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = Email::parse("email", &body.email)?;
    let address = throttle_key(&req);
    state
        .link_throttle
        .begin(&format!("reset:{}", email.as_str()), &address)
        .map_err(ApiError::TooManyRequests)?;
    if app::accounts::request_password_reset(&state.db, &email, &state.public_url).await? {
        state.outbox_filled();
    }
    Ok(HttpResponse::Accepted()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

/// A password chosen through a link.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"token": "mF3q9yY2c0lTQk5xVnJ0d1pQb0h1c2FkZkp3ZXJ0eXU", "password": "una-password-lunga"}))]
pub struct AccountPasswordRequest {
    /// The secret after `#` in the link of the invitation or reset message.
    #[validate(length(min = 1, max = 100))]
    #[schema(pattern = "^[A-Za-z0-9_-]{43}$", min_length = 43, max_length = 43)]
    pub token: String,
    /// At least 12 characters.
    #[validate(length(min = 1, max = 1024))]
    #[schema(format = Password, min_length = 12, max_length = 1024)]
    pub password: String,
}

/// Choose a password through a link
///
/// Sets the password of the account the link of an invitation or a reset message opens,
/// and uses the link up (every other link of the account too). Tokens issued before stop
/// working. An unknown, used or expired link is a 422 naming `token`, the same for all.
#[utoipa::path(
    tag = "accounts",
    security(()),
    request_body(content = AccountPasswordRequest, content_type = "application/json"),
    responses(
        (status = 204, description = "The password is set: sign in with it."),
    )
)]
#[post("/account-passwords")]
async fn create_account_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidatedJson(body): ValidatedJson<AccountPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let address = throttle_key(&req);
    let attempt = format!("link:{}", body.token);
    state
        .link_throttle
        .begin(&attempt, &address)
        .map_err(ApiError::TooManyRequests)?;
    app::accounts::choose_password(&state.db, &body.token, body.password).await?;
    state.link_throttle.succeeded(&attempt, &address);
    Ok(HttpResponse::NoContent().finish())
}
