//! The e-mail outbox, read by the admin (addresses are personal data).
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::domain::PageRequest;
use crate::domain::access::{Actor, Operation};
use crate::domain::notification::{Delivery, QueuedMessage};
use crate::store;

/// A page of messages, newest first, optionally only pending or sent ones; and how many
/// match in all.
///
/// # Errors
/// `Forbidden` unless admin.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    delivery: Option<Delivery>,
    page: PageRequest,
) -> Result<(Vec<QueuedMessage>, u64), AppError> {
    actor.authorize(Operation::ReadOutbox)?;
    Ok(store::outbox::list(db, delivery, page.limit, page.offset).await?)
}
