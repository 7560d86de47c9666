//! The append-only log of who read or changed personal data. Nothing updates or deletes
//! its rows; entries carry ids, never the personal data itself.
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::StoreError;
use crate::domain::audit::AuditEvent;
use crate::entities::audit_event;

/// One thing an actor did to personal data.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    pub actor_user_id: i64,
    /// `read`, `create`, `update`, `erase`, `export`, `import`.
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<i64>,
    pub comune: Option<&'a str>,
    pub detail: String,
}

/// Appends an entry; call it in the same transaction as the change it records.
///
/// # Errors
/// Database errors only.
pub async fn record(db: &impl ConnectionTrait, entry: AuditEntry<'_>) -> Result<(), StoreError> {
    audit_event::ActiveModel {
        at: Set(super::now()),
        actor_user_id: Set(entry.actor_user_id),
        action: Set(entry.action.to_owned()),
        subject_type: Set(entry.subject_type.to_owned()),
        subject_id: Set(entry.subject_id),
        comune_istat_code: Set(entry.comune.map(str::to_owned)),
        detail: Set(entry.detail.chars().take(500).collect()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A page of the log, newest first, optionally about one subject. Admin only.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &impl ConnectionTrait,
    subject: Option<(&str, i64)>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<AuditEvent>, u64), StoreError> {
    let mut query = audit_event::Entity::find();
    if let Some((kind, id)) = subject {
        query = query
            .filter(audit_event::Column::SubjectType.eq(kind))
            .filter(audit_event::Column::SubjectId.eq(id));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((rows.into_iter().map(to_domain).collect(), total))
}

fn to_domain(m: audit_event::Model) -> AuditEvent {
    AuditEvent {
        id: m.id,
        at: m.at,
        actor_user_id: m.actor_user_id,
        action: m.action,
        subject_type: m.subject_type,
        subject_id: m.subject_id,
        comune_istat_code: m.comune_istat_code,
        detail: m.detail,
    }
}
