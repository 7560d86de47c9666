//! The personal-data log, read by the admin.
use sea_orm::DatabaseConnection;

use super::AppError;
use crate::domain::PageRequest;
use crate::domain::access::{Actor, Operation};
use crate::domain::audit::AuditEvent;
use crate::store;

/// A page of the log, newest first, optionally only about one employee; and how many
/// entries match in all.
///
/// # Errors
/// `Forbidden` unless admin.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    employee_id: Option<i64>,
    page: PageRequest,
) -> Result<(Vec<AuditEvent>, u64), AppError> {
    actor.authorize(Operation::ReadAuditLog)?;
    let subject = employee_id.map(|id| ("employee", id));
    Ok(store::audit::list(db, subject, page.limit, page.offset).await?)
}
