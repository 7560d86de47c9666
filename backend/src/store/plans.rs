//! Annual plans: stored whole (the planner's input and answer as JSON) with their headline
//! figures in columns, and what their publication put in the catalogue.
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::StoreError;
use crate::domain::PageRequest;
use crate::domain::notification::italian_day;
use crate::domain::plan::{PlanStatus, PlanSummary, StoredPlan, headline};
use crate::entities::{plan, plan_publication, session};

/// Which plans a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanFilter {
    pub campaign_id: Option<i64>,
    pub status: Option<PlanStatus>,
}

/// A page of plans, newest first, and how many match.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &PlanFilter,
    page: PageRequest,
) -> Result<(Vec<PlanSummary>, u64), StoreError> {
    let mut query = plan::Entity::find();
    if let Some(id) = filter.campaign_id {
        query = query.filter(plan::Column::CampaignId.eq(id));
    }
    if let Some(status) = filter.status {
        query = query.filter(plan::Column::Status.eq(status.as_str()));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(plan::Column::Id)
        .limit(page.limit)
        .offset(page.offset)
        .all(db)
        .await?;
    let plans = rows.iter().map(summary_of).collect::<Result<_, _>>()?;
    Ok((plans, total))
}

/// One plan, whole.
///
/// # Errors
/// `NotFound`.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<StoredPlan, StoreError> {
    let row = plan::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    to_domain(&row)
}

/// Stores a new draft.
///
/// # Errors
/// Database errors only.
pub async fn create(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    name: &str,
    input: &planner::PlanInput,
    computed: &planner::Plan,
    created_by: i64,
) -> Result<StoredPlan, StoreError> {
    let now = super::now();
    let (total, bound, standalone, requested, served, editions) = headline(computed);
    let row = plan::ActiveModel {
        campaign_id: Set(campaign_id),
        name: Set(name.to_owned()),
        status: Set(PlanStatus::Draft.as_str().to_owned()),
        input: Set(to_json(input)?),
        plan: Set(to_json(computed)?),
        total_cents: Set(total),
        lower_bound_cents: Set(bound),
        standalone_cents: Set(standalone),
        people_requested: Set(requested),
        people_served: Set(served),
        editions: Set(editions),
        created_by: Set(Some(created_by)),
        created_at: Set(now),
        updated_at: Set(now),
        approved_at: Set(None),
        published_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    to_domain(&row)
}

/// Replaces the plan (after an officer's edit) if it is still at `version`.
///
/// # Errors
/// `NotFound`; `PreconditionFailed` when it changed since `version`.
pub async fn replace_plan(
    db: &impl ConnectionTrait,
    id: i64,
    edited: &planner::Plan,
    version: DateTime<Utc>,
) -> Result<StoredPlan, StoreError> {
    let (total, bound, standalone, requested, served, editions) = headline(edited);
    let result = plan::Entity::update_many()
        .col_expr(plan::Column::Plan, Expr::value(to_json(edited)?))
        .col_expr(plan::Column::TotalCents, Expr::value(total))
        .col_expr(plan::Column::LowerBoundCents, Expr::value(bound))
        .col_expr(plan::Column::StandaloneCents, Expr::value(standalone))
        .col_expr(plan::Column::PeopleRequested, Expr::value(requested))
        .col_expr(plan::Column::PeopleServed, Expr::value(served))
        .col_expr(plan::Column::Editions, Expr::value(editions))
        .col_expr(
            plan::Column::UpdatedAt,
            Expr::value(super::version_after(version)),
        )
        .filter(plan::Column::Id.eq(id))
        .filter(plan::Column::UpdatedAt.eq(version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        find(db, id).await?;
        return Err(StoreError::PreconditionFailed);
    }
    find(db, id).await
}

/// Renames a plan and moves it to `status` if it is still at `version`, stamping when it
/// was approved or published.
///
/// # Errors
/// `NotFound`; `PreconditionFailed` when it changed since `version`.
pub async fn set_name_and_status(
    db: &impl ConnectionTrait,
    id: i64,
    name: &str,
    status: PlanStatus,
    version: DateTime<Utc>,
) -> Result<StoredPlan, StoreError> {
    let now = super::version_after(version);
    let mut update = plan::Entity::update_many()
        .col_expr(plan::Column::Name, Expr::value(name.to_owned()))
        .col_expr(plan::Column::Status, Expr::value(status.as_str()))
        .col_expr(plan::Column::UpdatedAt, Expr::value(now))
        .filter(plan::Column::Id.eq(id))
        .filter(plan::Column::UpdatedAt.eq(version));
    update = match status {
        PlanStatus::Draft => update.col_expr(
            plan::Column::ApprovedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        ),
        PlanStatus::Approved => update.col_expr(plan::Column::ApprovedAt, Expr::value(now)),
        PlanStatus::Published => update.col_expr(plan::Column::PublishedAt, Expr::value(now)),
    };
    if update.exec(db).await?.rows_affected != 1 {
        find(db, id).await?;
        return Err(StoreError::PreconditionFailed);
    }
    find(db, id).await
}

/// Takes the plan's row lock for the rest of the transaction (see
/// `store::campaigns::lock`): publication decides and writes under it.
///
/// # Errors
/// `NotFound`.
pub async fn lock(txn: &sea_orm::DatabaseTransaction, id: i64) -> Result<(), StoreError> {
    let locked = plan::Entity::update_many()
        .col_expr(plan::Column::Editions, Expr::col(plan::Column::Editions))
        .filter(plan::Column::Id.eq(id))
        .exec(txn)
        .await?;
    if locked.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// What a plan's publication already created: item key → (course id, edition id).
///
/// # Errors
/// Database errors only.
pub async fn publications(
    db: &impl ConnectionTrait,
    plan_id: i64,
) -> Result<std::collections::HashMap<String, (i64, Option<i64>)>, StoreError> {
    let rows = plan_publication::Entity::find()
        .filter(plan_publication::Column::PlanId.eq(plan_id))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.item_key, (r.course_id, r.edition_id)))
        .collect())
}

/// Records that publishing `item_key` of a plan created a course (and an edition).
///
/// # Errors
/// Database errors (a second record of one item breaks a unique constraint).
pub async fn record_publication(
    db: &impl ConnectionTrait,
    plan_id: i64,
    item_key: &str,
    course_id: i64,
    edition_id: Option<i64>,
) -> Result<(), StoreError> {
    plan_publication::ActiveModel {
        plan_id: Set(plan_id),
        item_key: Set(item_key.to_owned()),
        course_id: Set(course_id),
        edition_id: Set(edition_id),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Days on which a room is taken by a session between `from` and `to` (Italian calendar
/// days), so that a plan does not book it twice.
///
/// # Errors
/// Database errors only.
pub async fn room_bookings(
    db: &impl ConnectionTrait,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<planner::Booking>, StoreError> {
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::days(1);
    let end = to.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc() + chrono::Duration::days(1);
    let rows: Vec<(Option<i64>, DateTime<Utc>)> = session::Entity::find()
        .select_only()
        .columns([session::Column::VenueId, session::Column::StartsAt])
        .filter(session::Column::VenueId.is_not_null())
        .filter(session::Column::StartsAt.gte(start))
        .filter(session::Column::StartsAt.lte(end))
        .into_tuple()
        .all(db)
        .await?;
    let mut bookings: Vec<planner::Booking> = rows
        .into_iter()
        .filter_map(|(venue, at)| {
            let date = italian_day(at);
            (from..=to).contains(&date).then_some(planner::Booking {
                venue_id: venue?,
                date,
            })
        })
        .collect();
    bookings.sort();
    bookings.dedup();
    Ok(bookings)
}

fn to_json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Database(sea_orm::DbErr::Custom(format!("plan JSON: {e}"))))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Database(sea_orm::DbErr::Custom(format!("plan JSON: {e}"))))
}

fn summary_of(m: &plan::Model) -> Result<PlanSummary, StoreError> {
    Ok(PlanSummary {
        id: m.id,
        campaign_id: m.campaign_id,
        name: m.name.clone(),
        status: PlanStatus::parse(&m.status).map_err(StoreError::Invalid)?,
        total_cents: m.total_cents,
        lower_bound_cents: m.lower_bound_cents,
        standalone_cents: m.standalone_cents,
        people_requested: m.people_requested,
        people_served: m.people_served,
        editions: m.editions,
        created_at: m.created_at,
        updated_at: m.updated_at,
        approved_at: m.approved_at,
        published_at: m.published_at,
    })
}

fn to_domain(m: &plan::Model) -> Result<StoredPlan, StoreError> {
    Ok(StoredPlan {
        summary: summary_of(m)?,
        input: from_json(&m.input)?,
        plan: from_json(&m.plan)?,
    })
}
