//! Single-use password links, kept as digests.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::StoreError;
use crate::domain::account::TokenPurpose;
use crate::entities::account_token;

/// Stores a new link for `user_id`; the links of the same purpose not yet used stop
/// working (only the newest one sent is good).
///
/// # Errors
/// Database errors only.
pub async fn issue(
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: TokenPurpose,
    digest: String,
    issued_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(issued_at))
        .filter(account_token::Column::UserId.eq(user_id))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    account_token::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(digest),
        expires_at: Set(purpose.expires_at(issued_at)),
        used_at: Set(None),
        created_at: Set(issued_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The account a link still opens at `now`, without using it up.
///
/// # Errors
/// Database errors only.
pub async fn holder(
    db: &impl ConnectionTrait,
    digest: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    Ok(live(digest, now).one(db).await?.map(|t| t.user_id))
}

/// Uses the link up, once: of two requests racing with the same link, only one gets the
/// account back. Every other link of the account stops working too.
///
/// # Errors
/// Database errors only.
pub async fn redeem(
    db: &impl ConnectionTrait,
    digest: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    let Some(token) = live(digest, now).one(db).await? else {
        return Ok(None);
    };
    let used = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(now))
        .filter(account_token::Column::Id.eq(token.id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected != 1 {
        return Ok(None);
    }
    account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(now))
        .filter(account_token::Column::UserId.eq(token.user_id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(Some(token.user_id))
}

/// When the newest link of this purpose was sent to `user_id`, if ever.
///
/// # Errors
/// Database errors only.
pub async fn last_issued(
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: TokenPurpose,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    use sea_orm::{QueryOrder, QuerySelect};
    let at = account_token::Entity::find()
        .select_only()
        .column(account_token::Column::CreatedAt)
        .filter(account_token::Column::UserId.eq(user_id))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .order_by_desc(account_token::Column::CreatedAt)
        .into_tuple::<DateTime<Utc>>()
        .one(db)
        .await?;
    Ok(at)
}

fn live(digest: &str, now: DateTime<Utc>) -> sea_orm::Select<account_token::Entity> {
    account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(digest))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(now))
}
