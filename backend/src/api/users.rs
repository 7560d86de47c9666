//! User accounts, managed by the admin.
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::{MergePatch, Paged, ValidatedJson, double_option, query_parameter};
use super::http_cache::{
    IfMatch, created, etag_of, if_match, json_with_etag, precondition_holds, updated,
};
use super::pagination::{Page, PageQuery, page_response};
use crate::app;
use crate::auth::AuthUser;
use crate::domain::comune::IstatCode;
use crate::domain::user::UserFilter;
use crate::domain::user::{Role, User, UserChange, UserDraft};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users)
        .service(create_user)
        .service(read_user)
        .service(update_user)
        .service(remove_user);
}

/// A role, as the API spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleName {
    Admin,
    Referente,
    Provider,
    Employee,
}

impl From<RoleName> for Role {
    fn from(r: RoleName) -> Self {
        match r {
            RoleName::Admin => Role::Admin,
            RoleName::Referente => Role::Referente,
            RoleName::Provider => Role::Provider,
            RoleName::Employee => Role::Employee,
        }
    }
}

impl From<Role> for RoleName {
    fn from(r: Role) -> Self {
        match r {
            Role::Admin => RoleName::Admin,
            Role::Referente => RoleName::Referente,
            Role::Provider => RoleName::Provider,
            Role::Employee => RoleName::Employee,
        }
    }
}

/// A user account. The password is never returned.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "id": 12, "email": "referente@comune.dolceacqua.im.it", "full_name": "Maria Rossi", "role": "referente",
    "comune_istat_code": "008027", "active": true, "last_login_at": "2026-11-20T08:15:00Z",
    "created_at": "2026-09-01T10:00:00Z", "updated_at": "2026-09-01T10:00:00Z"
}))]
pub struct UserResponse {
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    #[schema(max_length = 200)]
    pub full_name: String,
    pub role: RoleName,
    /// The comune of a referente or employee.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(
        nullable = false,
        pattern = "^[0-9]{6}$",
        min_length = 6,
        max_length = 6
    )]
    pub comune_istat_code: Option<String>,
    /// The provider of provider staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub provider_id: Option<i64>,
    pub active: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&User> for UserResponse {
    fn from(u: &User) -> Self {
        Self {
            id: u.id,
            email: u.email.as_str().to_owned(),
            full_name: u.full_name.clone(),
            role: u.role.into(),
            comune_istat_code: u.affiliation.comune().map(|c| c.as_str().to_owned()),
            provider_id: u.affiliation.provider(),
            active: u.active,
            last_login_at: u.last_login_at,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A new account. A referente or employee needs `comune_istat_code`; provider staff need
/// `provider_id`; an admin needs neither.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "email": "referente@comune.dolceacqua.im.it", "full_name": "Maria Rossi",
    "password": "una-password-lunga", "role": "referente", "comune_istat_code": "008027"
}))]
pub struct UserCreate {
    #[validate(length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    #[schema(min_length = 1, max_length = 200)]
    pub full_name: String,
    /// At least 12 characters.
    #[schema(format = Password, min_length = 12, max_length = 1024)]
    pub password: String,
    pub role: RoleName,
    #[serde(default)]
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: Option<String>,
    #[serde(default)]
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub provider_id: Option<i64>,
}

impl From<UserCreate> for UserDraft {
    fn from(u: UserCreate) -> Self {
        Self {
            email: u.email,
            full_name: u.full_name,
            password: u.password,
            role: u.role.into(),
            comune_istat_code: u.comune_istat_code,
            provider_id: u.provider_id,
        }
    }
}

/// A merge patch of an account: name, active flag, password. `null` is not allowed.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UserPatchRequest {
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 200)]
    pub full_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<bool>)]
    pub active: Option<Option<bool>>,
    /// A new password, at least 12 characters.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Password, min_length = 12, max_length = 1024)]
    pub password: Option<Option<String>>,
}

impl From<UserPatchRequest> for UserChange {
    fn from(p: UserPatchRequest) -> Self {
        Self {
            full_name: p.full_name,
            active: p.active,
            password: p.password,
        }
    }
}

/// Filters of `GET /users`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    /// Fragment of the name or e-mail.
    #[validate(length(max = 100))]
    #[param(max_length = 100)]
    pub q: Option<String>,
    pub role: Option<RoleName>,
    #[validate(length(equal = 6))]
    #[param(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub comune_istat_code: Option<String>,
}

/// List users
///
/// All accounts, ordered by id, filtered by role, comune or a fragment of name or e-mail.
/// Admin only.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(UserListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of users. Personal data: never cached.", body = Page<UserResponse>,
         headers(("Cache-Control" = String, description = "`no-store`: personal data."))),
    )
)]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    Paged(query, page): Paged<UserListQuery>,
) -> Result<HttpResponse, ApiError> {
    let comune = query_parameter(
        "comune_istat_code",
        query.comune_istat_code,
        IstatCode::parse,
    )?;
    let filter = UserFilter {
        q: query.q,
        role: query.role.map(Into::into),
        comune,
        limit: page.limit,
        offset: page.offset,
    };
    let (users, total) = app::users::list(&state.db, &actor, &filter).await?;
    let items = users.iter().map(UserResponse::from).collect();
    Ok(page_response(items, total, page, &state.public_url, &req))
}

/// Create a user
///
/// Creates an account with its role and affiliation. Admin only. E-mail addresses are
/// unique regardless of case.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body(content = UserCreate, content_type = "application/json"),
    responses(
        (status = 201, description = "Created.", body = UserResponse,
         headers(("Location" = String, description = "URL of the new user."),
                 ("ETag" = String, description = "Version of the new user, for `If-Match`."),
                 ("Cache-Control" = String, description = "`no-store`: personal data."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    ValidatedJson(body): ValidatedJson<UserCreate>,
) -> Result<HttpResponse, ApiError> {
    let user = app::users::create(&state.db, &actor, body.into()).await?;
    let location = format!("{}/api/v1/users/{}", state.public_url, user.id);
    Ok(created(location, &UserResponse::from(&user)))
}

/// Get a user
///
/// One account, with its `ETag` for conditional updates. Admin only.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id.")),
    responses(
        (status = 200, description = "The user.", body = UserResponse,
         headers(("ETag" = String, description = "Version of the user, for `If-Match`."),
                 ("Cache-Control" = String, description = "`no-store`: personal data."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/users/{id}")]
async fn read_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let user = app::users::read(&state.db, &actor, id.into_inner()).await?;
    Ok(json_with_etag(&req, &UserResponse::from(&user), "no-store"))
}

/// Update a user
///
/// Changes name, active flag or password with a JSON merge patch. Send the `ETag` from
/// `GET` in `If-Match` to avoid overwriting someone else's change (412 if stale). Admin
/// only; an admin cannot deactivate their own account.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, description = "User id."),
        IfMatch,
    ),
    request_body(content = UserPatchRequest, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated.", body = UserResponse,
         headers(("ETag" = String, description = "The new version."),
                 ("Cache-Control" = String, description = "`no-store`: personal data."))),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    MergePatch(body): MergePatch<UserPatchRequest>,
) -> Result<HttpResponse, ApiError> {
    let expected = if_match(&req)?;
    let holds = |u: &User| precondition_holds(expected.as_ref(), &etag_of(&UserResponse::from(u)));
    let user = app::users::update(&state.db, &actor, id.into_inner(), body.into(), holds).await?;
    Ok(updated(&UserResponse::from(&user)))
}

/// Delete a user
///
/// Removes an account for good (to keep it but stop its access, set `active` to false).
/// Admin only; an admin cannot delete their own account.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[delete("/users/{id}")]
async fn remove_user(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    app::users::delete(&state.db, &actor, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
