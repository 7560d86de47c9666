//! User accounts, managed by the admin.
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::auth::password;
use crate::domain::access::{Actor, Operation};
use crate::domain::user::UserFilter;
use crate::domain::user::{Email, NewUser, User, UserChange, UserDraft, UserPatch};
use crate::store::{self, StoreError};

/// A page of accounts by id, and how many match in all.
///
/// # Errors
/// `Forbidden` unless admin.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &UserFilter,
) -> Result<(Vec<User>, u64), AppError> {
    actor.authorize(Operation::ManageUsers)?;
    Ok(store::users::list(db, filter).await?)
}

/// Creates an account with its role and affiliation; the password is hashed only once
/// the request is known to be allowed and valid.
///
/// # Errors
/// `Forbidden` unless admin; `Invalid` naming every bad field; `Conflict` for an e-mail
/// already taken; `Busy` when every hashing thread is taken.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    draft: UserDraft,
) -> Result<User, AppError> {
    actor.authorize(Operation::ManageUsers)?;
    let (email, affiliation) = draft.check()?;
    let new = NewUser {
        email,
        full_name: draft.full_name.trim().to_owned(),
        role: draft.role,
        affiliation,
        password_hash: hashed(draft.password).await?,
    };
    Ok(store::users::create(db, new).await?)
}

/// One account.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`.
pub async fn read(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<User, AppError> {
    actor.authorize(Operation::ManageUsers)?;
    Ok(store::users::find(db, id).await?)
}

/// Changes an account's name, active flag or password. The change is checked (422) and
/// an admin may not deactivate themselves (409); then, in one transaction, `precondition`
/// — the caller's `If-Match` — is asked about the account read (412) and the write is
/// conditional on that version.
///
/// # Errors
/// `Forbidden` unless admin; `Invalid`; `Conflict`; `NotFound`; `PreconditionFailed`;
/// `Busy`.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    change: UserChange,
    precondition: impl FnOnce(&User) -> bool,
) -> Result<User, AppError> {
    actor.authorize(Operation::ManageUsers)?;
    change.check()?;
    if id == actor.user_id && change.active == Some(Some(false)) {
        return Err(conflict("Non è possibile disattivare il proprio account."));
    }
    let password_hash = match change.password.flatten() {
        Some(password) => Some(hashed(password).await?),
        None => None,
    };
    let patch = UserPatch {
        full_name: change.full_name.flatten().map(|n| n.trim().to_owned()),
        active: change.active.flatten(),
        password_hash,
    };
    Ok(store::users::update(db, id, patch, precondition).await?)
}

/// Removes an account for good; an admin may not remove their own.
///
/// # Errors
/// `Forbidden` unless admin; `Conflict`; `NotFound`.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.authorize(Operation::ManageUsers)?;
    if id == actor.user_id {
        return Err(conflict("Non è possibile eliminare il proprio account."));
    }
    Ok(store::users::delete(db, id).await?)
}

/// The caller's own account, for `GET /auth/me`.
///
/// # Errors
/// `NotFound` when the account is gone.
pub async fn me(db: &DatabaseConnection, actor: &Actor) -> Result<User, AppError> {
    Ok(store::users::find(db, actor.user_id).await?)
}

/// The active account `email` and `password` open, its login recorded; `None` for a wrong
/// password, an unknown address or an inactive account alike (an unknown address costs the
/// same dummy verification, so timing tells nothing). Throttling is the caller's.
///
/// # Errors
/// `Internal` (a busy hashing pool is a 503) and database errors.
pub async fn authenticate(
    db: &DatabaseConnection,
    email: &Email,
    password: String,
) -> Result<Option<User>, AppError> {
    let (user, hash) = match store::users::find_credentials(db, email).await {
        Ok((user, hash)) => (Some(user), Some(hash)),
        Err(StoreError::NotFound) => (None, None),
        Err(e) => return Err(e.into()),
    };
    let verified = password::verify(password, hash)
        .await
        .map_err(AppError::Internal)?;
    let Some(user) = user.filter(|u| verified && u.active) else {
        return Ok(None);
    };
    store::users::record_login(db, user.id).await?;
    Ok(Some(user))
}

/// The argon2id hash of `password`, off the async runtime. A busy pool stays the 503 it
/// always was: `AppError::Internal` keeps the cause, which `api` sorts into 503 or 500.
async fn hashed(password: String) -> Result<String, AppError> {
    password::hash(password).await.map_err(AppError::Internal)
}

fn conflict(detail: &str) -> AppError {
    StoreError::Conflict {
        detail: detail.into(),
    }
    .into()
}
