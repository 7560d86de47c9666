//! The outbox of e-mail. Messages are inserted with the change that causes them and
//! delivered later by `mailer`; a message is claimed before sending so that two replicas
//! never send it twice.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::StoreError;
use crate::domain::notification::{Delivery, Message, QueuedMessage, retry_delay};
use crate::entities::outbox_message;

/// How long a claimed message stays reserved for the replica sending it.
const CLAIM: chrono::Duration = chrono::Duration::minutes(10);

/// Queues messages; call it in the transaction of the change that causes them.
///
/// # Errors
/// Database errors only.
pub async fn enqueue(db: &impl ConnectionTrait, messages: &[Message]) -> Result<(), StoreError> {
    if messages.is_empty() {
        return Ok(());
    }
    let now = super::now();
    let rows = messages.iter().map(|m| outbox_message::ActiveModel {
        kind: Set(m.kind.to_owned()),
        topic: Set(m.topic.clone()),
        recipient: Set(m.recipient.clone()),
        subject: Set(m.subject.chars().take(300).collect()),
        body: Set(m.body.clone()),
        attempts: Set(0),
        last_error: Set(None),
        created_at: Set(now),
        next_attempt_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    });
    for chunk in rows.collect::<Vec<_>>().chunks(100) {
        outbox_message::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// A page of messages, newest first, optionally only pending or sent ones. Admin only.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &impl ConnectionTrait,
    delivery: Option<Delivery>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<QueuedMessage>, u64), StoreError> {
    let mut query = outbox_message::Entity::find();
    query = match delivery {
        Some(Delivery::Pending) => query.filter(outbox_message::Column::SentAt.is_null()),
        Some(Delivery::Sent) => query.filter(outbox_message::Column::SentAt.is_not_null()),
        None => query,
    };
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(outbox_message::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((rows.into_iter().map(to_domain).collect(), total))
}

/// When each topic starting with `prefix` was last written to, for one kind of message.
///
/// # Errors
/// Database errors only.
pub async fn last_queued(
    db: &impl ConnectionTrait,
    kind: &str,
    prefix: &str,
) -> Result<HashMap<String, DateTime<Utc>>, StoreError> {
    let rows: Vec<(String, DateTime<Utc>)> = outbox_message::Entity::find()
        .select_only()
        .column(outbox_message::Column::Topic)
        .column_as(outbox_message::Column::CreatedAt.max(), "last")
        .filter(outbox_message::Column::Kind.eq(kind))
        .filter(outbox_message::Column::Topic.starts_with(prefix))
        .group_by(outbox_message::Column::Topic)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Messages due for delivery, each claimed for this sender. A message another replica
/// claimed first is skipped.
///
/// # Errors
/// Database errors only.
pub async fn claim_due(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<QueuedMessage>, StoreError> {
    let now = super::now();
    let due = outbox_message::Entity::find()
        .filter(outbox_message::Column::SentAt.is_null())
        .filter(outbox_message::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox_message::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut claimed = Vec::with_capacity(due.len());
    for message in due {
        let taken = outbox_message::Entity::update_many()
            .col_expr(
                outbox_message::Column::NextAttemptAt,
                sea_orm::sea_query::Expr::value(now + CLAIM),
            )
            .filter(outbox_message::Column::Id.eq(message.id))
            .filter(outbox_message::Column::NextAttemptAt.eq(message.next_attempt_at))
            .filter(outbox_message::Column::SentAt.is_null())
            .exec(db)
            .await?;
        if taken.rows_affected == 1 {
            claimed.push(to_domain(message));
        }
    }
    Ok(claimed)
}

/// How many messages wait to be sent, and when the oldest of them was queued: what an
/// operator alerts on when the mail server stops accepting.
///
/// # Errors
/// Database errors only.
pub async fn backlog(
    db: &impl ConnectionTrait,
) -> Result<(u64, Option<DateTime<Utc>>), StoreError> {
    let pending = outbox_message::Entity::find().filter(outbox_message::Column::SentAt.is_null());
    let count = pending.clone().count(db).await?;
    let oldest = pending
        .order_by_asc(outbox_message::Column::CreatedAt)
        .one(db)
        .await?
        .map(|m| m.created_at);
    Ok((count, oldest))
}

/// Records a delivery.
///
/// # Errors
/// Database errors only.
pub async fn mark_sent(db: &impl ConnectionTrait, id: i64) -> Result<(), StoreError> {
    outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::SentAt,
            sea_orm::sea_query::Expr::value(Some(super::now())),
        )
        .col_expr(
            outbox_message::Column::Attempts,
            sea_orm::sea_query::Expr::col(outbox_message::Column::Attempts).add(1),
        )
        .col_expr(
            outbox_message::Column::LastError,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .filter(outbox_message::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed delivery and when to try again.
///
/// # Errors
/// Database errors only.
pub async fn mark_failed(
    db: &impl ConnectionTrait,
    message: &QueuedMessage,
    error: &str,
) -> Result<(), StoreError> {
    let attempts = message.attempts.saturating_add(1);
    outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::Attempts,
            sea_orm::sea_query::Expr::value(attempts),
        )
        .col_expr(
            outbox_message::Column::LastError,
            sea_orm::sea_query::Expr::value(Some(error.chars().take(1000).collect::<String>())),
        )
        .col_expr(
            outbox_message::Column::NextAttemptAt,
            sea_orm::sea_query::Expr::value(super::now() + retry_delay(attempts)),
        )
        .filter(outbox_message::Column::Id.eq(message.id))
        .exec(db)
        .await?;
    Ok(())
}

/// An erased person's messages: those not sent yet are dropped (they would still go out),
/// those sent keep only that they existed.
///
/// # Errors
/// Database errors only.
pub async fn forget_recipient(db: &impl ConnectionTrait, email: &str) -> Result<(), StoreError> {
    use sea_orm::sea_query::Expr;
    outbox_message::Entity::delete_many()
        .filter(outbox_message::Column::Recipient.eq(email))
        .filter(outbox_message::Column::SentAt.is_null())
        .exec(db)
        .await?;
    outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::Recipient, Expr::value(ERASED))
        .col_expr(outbox_message::Column::Subject, Expr::value(ERASED))
        .col_expr(outbox_message::Column::Body, Expr::value(ERASED))
        .col_expr(
            outbox_message::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(outbox_message::Column::Recipient.eq(email))
        .exec(db)
        .await?;
    Ok(())
}

/// An erased person's name in messages to others (a referente's list of who goes where)
/// becomes a dash.
///
/// # Errors
/// Database errors only.
pub async fn forget_name(db: &impl ConnectionTrait, full_name: &str) -> Result<(), StoreError> {
    use sea_orm::sea_query::{Expr, Func};
    if full_name.trim().chars().count() < 3 {
        return Ok(());
    }
    let replaced = |column: outbox_message::Column| {
        Func::cust("REPLACE")
            .arg(Expr::col(column))
            .arg(full_name)
            .arg("—")
    };
    outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::Body,
            replaced(outbox_message::Column::Body).into(),
        )
        .col_expr(
            outbox_message::Column::Subject,
            replaced(outbox_message::Column::Subject).into(),
        )
        .filter(
            Condition::any()
                .add(outbox_message::Column::Body.contains(full_name))
                .add(outbox_message::Column::Subject.contains(full_name)),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// What an erased person's messages keep in place of their content.
const ERASED: &str = "(cancellato con i dati della persona)";

fn to_domain(m: outbox_message::Model) -> QueuedMessage {
    QueuedMessage {
        id: m.id,
        kind: m.kind,
        topic: m.topic,
        recipient: m.recipient,
        subject: m.subject,
        body: m.body,
        attempts: m.attempts,
        last_error: m.last_error,
        created_at: m.created_at,
        next_attempt_at: m.next_attempt_at,
        sent_at: m.sent_at,
    }
}
