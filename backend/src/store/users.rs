//! User accounts. Only the admin manages them (see `domain::access`); login reads them.
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DbErr, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, SqlErr,
};

use super::StoreError;
use crate::domain::DomainError;
use crate::domain::comune::IstatCode;
use crate::domain::user::{Affiliation, Email, NewUser, Role, User, UserPatch};
use crate::entities::user;

pub use crate::domain::user::UserFilter;

/// A page of users ordered by id, and how many match. Admin only.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &UserFilter,
) -> Result<(Vec<User>, u64), StoreError> {
    let mut condition = Condition::all();
    if let Some(q) = &filter.q {
        let pattern = super::contains(q);
        condition = condition.add(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(user::Column::FullName)))
                        .like(pattern.clone()),
                )
                .add(Expr::col(user::Column::Email).like(pattern)),
        );
    }
    if let Some(role) = filter.role {
        condition = condition.add(user::Column::Role.eq(role.as_str()));
    }
    if let Some(code) = &filter.comune {
        condition = condition.add(user::Column::ComuneIstatCode.eq(code.as_str()));
    }
    let query = user::Entity::find().filter(condition);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(user::Column::Id)
        .limit(filter.limit)
        .offset(filter.offset)
        .all(db)
        .await?;
    Ok((
        rows.into_iter().map(to_domain).collect::<Result<_, _>>()?,
        total,
    ))
}

/// One user.
///
/// # Errors
/// `NotFound` when no user has that id.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<User, StoreError> {
    let row = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    to_domain(row)
}

/// A user and their password hash, for login only.
///
/// # Errors
/// `NotFound` when no user has that e-mail.
pub async fn find_credentials(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<(User, String), StoreError> {
    let row = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let hash = row.password_hash.clone();
    Ok((to_domain(row)?, hash))
}

/// Whether any active admin exists (start-up uses it to create the first one).
///
/// # Errors
/// Database errors only.
pub async fn active_admin_exists(db: &impl ConnectionTrait) -> Result<bool, StoreError> {
    let count = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Admin.as_str()))
        .filter(user::Column::Active.eq(true))
        .count(db)
        .await?;
    Ok(count > 0)
}

/// Creates a user.
///
/// # Errors
/// `Conflict` when the e-mail is taken; `Invalid` on `comune_istat_code` or
/// `provider_id` when the comune or provider does not exist.
pub async fn create(db: &impl ConnectionTrait, new: NewUser) -> Result<User, StoreError> {
    let now = super::now();
    let row = user::ActiveModel {
        email: Set(new.email.as_str().to_owned()),
        full_name: Set(new.full_name),
        password_hash: Set(new.password_hash),
        role: Set(new.role.as_str().to_owned()),
        comune_istat_code: Set(new.affiliation.comune().map(|c| c.as_str().to_owned())),
        provider_id: Set(new.affiliation.provider()),
        active: Set(true),
        last_login_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let affiliation = new.affiliation.clone();
    let model = row
        .insert(db)
        .await
        .map_err(|e| on_write_error(e, &affiliation))?;
    to_domain(model)
}

/// Applies `patch` if `precondition` holds for the current state, atomically.
///
/// # Errors
/// `NotFound`; `PreconditionFailed` when the precondition fails or the row changed meanwhile.
pub async fn update(
    db: &DatabaseConnection,
    id: i64,
    patch: UserPatch,
    precondition: impl FnOnce(&User) -> bool,
) -> Result<User, StoreError> {
    let txn = super::begin_write(db).await?;
    let current = find(&txn, id).await?;
    if !precondition(&current) {
        return Err(StoreError::PreconditionFailed);
    }
    let mut update = user::Entity::update_many()
        .col_expr(
            user::Column::UpdatedAt,
            Expr::value(super::version_after(current.updated_at)),
        )
        .filter(user::Column::Id.eq(id))
        .filter(user::Column::UpdatedAt.eq(current.updated_at));
    if let Some(full_name) = patch.full_name {
        update = update.col_expr(user::Column::FullName, Expr::value(full_name));
    }
    if let Some(active) = patch.active {
        update = update.col_expr(user::Column::Active, Expr::value(active));
    }
    if let Some(hash) = patch.password_hash {
        update = update
            .col_expr(user::Column::PasswordHash, Expr::value(hash))
            .col_expr(
                user::Column::CredentialsChangedAt,
                Expr::value(super::now()),
            );
    }
    if update.exec(&txn).await?.rows_affected != 1 {
        return Err(StoreError::PreconditionFailed);
    }
    let updated = find(&txn, id).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Deletes a user.
///
/// # Errors
/// `NotFound` when no user has that id.
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), StoreError> {
    let result = user::Entity::delete_by_id(id).exec(db).await?;
    if result.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Stamps a successful login.
///
/// # Errors
/// Database errors only.
pub async fn record_login(db: &impl ConnectionTrait, id: i64) -> Result<(), StoreError> {
    user::Entity::update_many()
        .col_expr(user::Column::LastLoginAt, Expr::value(super::now()))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

fn on_write_error(err: DbErr, affiliation: &Affiliation) -> StoreError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict {
            detail: "esiste già un utente con questo indirizzo e-mail".into(),
        },
        _ if super::is_foreign_key_violation(&err) => StoreError::Invalid(match affiliation {
            Affiliation::Provider(_) => {
                DomainError::invalid("provider_id", "ente formatore inesistente")
            }
            _ => DomainError::invalid(
                "comune_istat_code",
                "comune inesistente in questa Provincia",
            ),
        }),
        _ => StoreError::Database(err),
    }
}

fn to_domain(m: user::Model) -> Result<User, StoreError> {
    let role: Role = m.role.parse()?;
    let comune = m
        .comune_istat_code
        .as_deref()
        .map(IstatCode::parse)
        .transpose()?;
    Ok(User {
        id: m.id,
        email: Email::parse("email", &m.email)?,
        full_name: m.full_name,
        role,
        affiliation: Affiliation::for_role(role, comune, m.provider_id)?,
        active: m.active,
        last_login_at: m.last_login_at,
        credentials_changed_at: m.credentials_changed_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// The e-mail addresses of the active referenti of each comune.
///
/// # Errors
/// Database errors only.
pub async fn referenti_emails(
    db: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<String, Vec<String>>, StoreError> {
    let rows: Vec<(Option<String>, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::ComuneIstatCode)
        .column(user::Column::Email)
        .filter(user::Column::Role.eq(Role::Referente.as_str()))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut emails: std::collections::HashMap<String, Vec<String>> = Default::default();
    for (comune, email) in rows {
        if let Some(comune) = comune {
            emails.entry(comune).or_default().push(email);
        }
    }
    Ok(emails)
}

/// Closes the login account of an erased employee: deactivated, and its e-mail, name and
/// password replaced, so that it can neither log in nor tell who it was.
///
/// # Errors
/// Database errors only.
pub async fn close_account_of(db: &impl ConnectionTrait, email: &str) -> Result<(), StoreError> {
    let Some(account) = user::Entity::find()
        .filter(user::Column::Email.eq(email.to_lowercase()))
        .filter(user::Column::Role.eq(Role::Employee.as_str()))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let now = super::now();
    user::Entity::update_many()
        .col_expr(user::Column::Active, Expr::value(false))
        .col_expr(
            user::Column::Email,
            Expr::value(format!("cancellato-{}@cabina.invalid", account.id)),
        )
        .col_expr(user::Column::FullName, Expr::value("—"))
        .col_expr(user::Column::PasswordHash, Expr::value("!"))
        .col_expr(user::Column::CredentialsChangedAt, Expr::value(now))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(account.id))
        .exec(db)
        .await?;
    Ok(())
}

/// The account of this e-mail, if any.
///
/// # Errors
/// Database errors only.
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<User>, StoreError> {
    Ok(find_by_emails(db, std::slice::from_ref(email))
        .await?
        .into_values()
        .next())
}

/// The accounts of these e-mails, by address, in one query per 500 addresses.
///
/// # Errors
/// Database errors only.
pub async fn find_by_emails(
    db: &impl ConnectionTrait,
    emails: &[Email],
) -> Result<std::collections::HashMap<String, User>, StoreError> {
    let mut found = std::collections::HashMap::new();
    for chunk in emails.chunks(500) {
        let rows = user::Entity::find()
            .filter(user::Column::Email.is_in(chunk.iter().map(Email::as_str)))
            .all(db)
            .await?;
        for row in rows {
            let user = to_domain(row)?;
            found.insert(user.email.as_str().to_owned(), user);
        }
    }
    Ok(found)
}

/// Sets the password a person chose through a link: tokens issued before stop working.
///
/// # Errors
/// `NotFound` when the account is gone.
pub async fn set_password(
    db: &impl ConnectionTrait,
    id: i64,
    password_hash: String,
) -> Result<(), StoreError> {
    let current = find(db, id).await?;
    let now = super::now();
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(password_hash))
        .col_expr(user::Column::CredentialsChangedAt, Expr::value(now))
        .col_expr(
            user::Column::UpdatedAt,
            Expr::value(super::version_after(current.updated_at)),
        )
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
