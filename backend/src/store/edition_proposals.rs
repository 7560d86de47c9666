//! Proposals to change a published edition, and who is told about them.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use super::StoreError;
use crate::domain::course::SessionPlan;
use crate::domain::edition_change::{
    ChangeProposal, EditionChange, ProposalFilter, ProposalStatus,
};
use crate::entities::{course, edition, edition_change_proposal as proposal, provider, user};

/// A session as the proposal keeps it.
#[derive(Serialize, Deserialize)]
struct StoredSession {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    venue_id: Option<i64>,
}

/// Records a proposal; an older pending one for the same edition is superseded by it.
/// Returns its id.
///
/// # Errors
/// Database errors only.
pub async fn create(
    db: &impl ConnectionTrait,
    edition_id: i64,
    proposed_by: i64,
    reason: &str,
    change: &EditionChange,
) -> Result<i64, StoreError> {
    proposal::Entity::update_many()
        .col_expr(
            proposal::Column::Status,
            Expr::value(ProposalStatus::Superseded.as_str()),
        )
        .filter(proposal::Column::EditionId.eq(edition_id))
        .filter(proposal::Column::Status.eq(ProposalStatus::Pending.as_str()))
        .exec(db)
        .await?;
    let sessions = change.sessions.as_ref().map(|sessions| {
        let stored: Vec<StoredSession> = sessions
            .iter()
            .map(|s| StoredSession {
                starts_at: s.starts_at,
                ends_at: s.ends_at,
                venue_id: s.venue_id,
            })
            .collect();
        serde_json::to_string(&stored).expect("sessions serialize")
    });
    let row = proposal::ActiveModel {
        edition_id: Set(edition_id),
        proposed_by: Set(Some(proposed_by)),
        reason: Set(reason.to_owned()),
        capacity: Set(change.capacity),
        sessions: Set(sessions),
        available_from: Set(change.available_from),
        available_until: Set(change.available_until),
        cancel: Set(change.cancel),
        status: Set(ProposalStatus::Pending.as_str().to_owned()),
        decided_by: Set(None),
        decision_note: Set(String::new()),
        decided_at: Set(None),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// One proposal, with its edition as it is now.
///
/// # Errors
/// `NotFound`, also when its edition was deleted.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<ChangeProposal, StoreError> {
    let row = proposal::Entity::find_by_id(id)
        .filter(live_editions())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    read_models(db, vec![row])
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// A page of proposals, pending first, then newest first.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &ProposalFilter,
) -> Result<(Vec<ChangeProposal>, u64), StoreError> {
    let mut query = proposal::Entity::find().filter(live_editions());
    if let Some(status) = filter.status {
        query = query.filter(proposal::Column::Status.eq(status.as_str()));
    }
    if let Some(edition_id) = filter.edition_id {
        query = query.filter(proposal::Column::EditionId.eq(edition_id));
    }
    if let Some(provider_id) = filter.provider_id {
        query = query.filter(
            proposal::Column::EditionId.in_subquery(
                Query::select()
                    .column((edition::Entity, edition::Column::Id))
                    .from(edition::Entity)
                    .inner_join(
                        course::Entity,
                        Expr::col((course::Entity, course::Column::Id))
                            .equals((edition::Entity, edition::Column::CourseId)),
                    )
                    .and_where(
                        Expr::col((course::Entity, course::Column::ProviderId)).eq(provider_id),
                    )
                    .to_owned(),
            ),
        );
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(Expr::cust(format!(
            "CASE WHEN status = '{}' THEN 0 ELSE 1 END",
            ProposalStatus::Pending.as_str()
        )))
        .order_by_desc(proposal::Column::Id)
        .limit(filter.limit)
        .offset(filter.offset)
        .all(db)
        .await?;
    Ok((read_models(db, rows).await?, total))
}

/// Records the decision on a pending proposal. The write is conditional on the proposal
/// still pending, so two decisions at once cannot both pass.
///
/// # Errors
/// `Conflict` when it is no longer pending.
pub async fn decide(
    db: &impl ConnectionTrait,
    id: i64,
    status: ProposalStatus,
    decided_by: i64,
    note: &str,
) -> Result<(), StoreError> {
    let done = proposal::Entity::update_many()
        .col_expr(proposal::Column::Status, Expr::value(status.as_str()))
        .col_expr(proposal::Column::DecidedBy, Expr::value(decided_by))
        .col_expr(proposal::Column::DecisionNote, Expr::value(note))
        .col_expr(proposal::Column::DecidedAt, Expr::value(super::now()))
        .filter(proposal::Column::Id.eq(id))
        .filter(proposal::Column::Status.eq(ProposalStatus::Pending.as_str()))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(StoreError::Conflict {
            detail: "La proposta è già stata decisa o sostituita da una più recente.".into(),
        });
    }
    Ok(())
}

/// The addresses of the Province's training office: every active admin.
///
/// # Errors
/// Database errors only.
pub async fn office_recipients(db: &impl ConnectionTrait) -> Result<Vec<String>, StoreError> {
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Email)
        .filter(user::Column::Role.eq("admin"))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

/// The addresses of a provider: its own, then its active staff's, without repeats.
///
/// # Errors
/// Database errors only.
pub async fn provider_recipients(
    db: &impl ConnectionTrait,
    provider_id: i64,
) -> Result<Vec<String>, StoreError> {
    let own: Option<Option<String>> = provider::Entity::find_by_id(provider_id)
        .select_only()
        .column(provider::Column::Email)
        .into_tuple()
        .one(db)
        .await?;
    let staff: Vec<String> = user::Entity::find()
        .select_only()
        .column(user::Column::Email)
        .filter(user::Column::Role.eq("provider"))
        .filter(user::Column::ProviderId.eq(provider_id))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut recipients: Vec<String> = own.flatten().into_iter().collect();
    for email in staff {
        if !recipients.contains(&email) {
            recipients.push(email);
        }
    }
    Ok(recipients)
}

/// Proposals whose edition has not been deleted.
fn live_editions() -> sea_orm::sea_query::SimpleExpr {
    proposal::Column::EditionId.in_subquery(
        Query::select()
            .column(edition::Column::Id)
            .from(edition::Entity)
            .and_where(edition::Column::DeletedAt.is_null())
            .to_owned(),
    )
}

/// The read models of these rows, with their editions, courses, providers and people, in
/// a fixed number of queries.
async fn read_models(
    db: &impl ConnectionTrait,
    rows: Vec<proposal::Model>,
) -> Result<Vec<ChangeProposal>, StoreError> {
    let mut edition_ids: Vec<i64> = rows.iter().map(|r| r.edition_id).collect();
    edition_ids.sort_unstable();
    edition_ids.dedup();
    let edition_rows = edition::Entity::find()
        .filter(edition::Column::Id.is_in(edition_ids))
        .all(db)
        .await?;
    let editions: HashMap<i64, _> = super::courses::editions_from(db, edition_rows)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let courses: HashMap<i64, (String, i64)> = course::Entity::find()
        .select_only()
        .columns([
            course::Column::Id,
            course::Column::Title,
            course::Column::ProviderId,
        ])
        .filter(course::Column::Id.is_in(editions.values().map(|e| e.course_id)))
        .into_tuple::<(i64, String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, title, provider)| (id, (title, provider)))
        .collect();
    let providers: HashMap<i64, String> = provider::Entity::find()
        .select_only()
        .columns([provider::Column::Id, provider::Column::Name])
        .filter(provider::Column::Id.is_in(courses.values().map(|c| c.1)))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let people: HashMap<i64, String> = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::FullName])
        .filter(
            user::Column::Id.is_in(
                rows.iter()
                    .flat_map(|r| [r.proposed_by, r.decided_by])
                    .flatten(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    rows.into_iter()
        .map(|row| {
            let edition = editions.get(&row.edition_id).ok_or(StoreError::NotFound)?;
            let (course_title, provider_id) = courses
                .get(&edition.course_id)
                .cloned()
                .ok_or(StoreError::NotFound)?;
            let sessions = row
                .sessions
                .as_deref()
                .map(|json| {
                    serde_json::from_str::<Vec<StoredSession>>(json).map(|stored| {
                        stored
                            .into_iter()
                            .map(|s| SessionPlan {
                                starts_at: s.starts_at,
                                ends_at: s.ends_at,
                                venue_id: s.venue_id,
                            })
                            .collect()
                    })
                })
                .transpose()
                .map_err(|e| StoreError::Database(sea_orm::DbErr::Custom(e.to_string())))?;
            Ok(ChangeProposal {
                id: row.id,
                edition_id: row.edition_id,
                edition_title: edition.fields.title.clone(),
                course_id: edition.course_id,
                course_title,
                provider_id,
                provider_name: providers.get(&provider_id).cloned().unwrap_or_default(),
                proposed_by: row.proposed_by.and_then(|id| people.get(&id).cloned()),
                reason: row.reason,
                change: EditionChange {
                    capacity: row.capacity,
                    sessions,
                    available_from: row.available_from,
                    available_until: row.available_until,
                    cancel: row.cancel,
                },
                status: ProposalStatus::parse(&row.status)?,
                decided_by: row.decided_by.and_then(|id| people.get(&id).cloned()),
                decision_note: row.decision_note,
                decided_at: row.decided_at,
                created_at: row.created_at,
                edition_status: edition.fields.status,
                edition_capacity: edition.fields.capacity.seats(),
                edition_sessions: edition.fields.sessions.clone(),
            })
        })
        .collect()
}
