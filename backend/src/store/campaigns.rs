//! Campaigns of the needs survey, each comune's answer and its need lines. A need line is
//! written only while the campaign is open and the comune's answer not yet submitted; the
//! check and the write happen in one transaction.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::StoreError;
use crate::domain::DomainError;
use crate::domain::campaign::{
    Campaign, CampaignFields, CampaignStatus, NeedFields, Priority, ResponseStatus, editing_refusal,
};
use crate::domain::comune::IstatCode;
use crate::domain::course::Modality;
use crate::entities::{campaign, campaign_response, employee, need, need_employee};

/// Takes the campaign's row lock for the rest of the transaction (a no-op update: a row
/// lock on PostgreSQL, the write lock on SQLite, where it must come before any read). A
/// use case that decides from the campaign's state and then writes calls it first, so
/// that the state cannot change between the check and the write.
///
/// # Errors
/// `NotFound`.
pub async fn lock(txn: &sea_orm::DatabaseTransaction, id: i64) -> Result<(), StoreError> {
    use sea_orm::sea_query::Expr;
    let locked = campaign::Entity::update_many()
        .col_expr(campaign::Column::Year, Expr::col(campaign::Column::Year))
        .filter(campaign::Column::Id.eq(id))
        .exec(txn)
        .await?;
    if locked.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
/// All campaigns, newest year first.
///
/// # Errors
/// Database errors only.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Campaign>, StoreError> {
    let rows = campaign::Entity::find()
        .order_by_desc(campaign::Column::Year)
        .order_by_desc(campaign::Column::Id)
        .all(db)
        .await?;
    rows.into_iter().map(campaign_to_domain).collect()
}

/// One campaign.
///
/// # Errors
/// `NotFound`.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Campaign, StoreError> {
    let row = campaign::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    campaign_to_domain(row)
}

/// Creates a campaign. Admin only.
///
/// # Errors
/// Database errors only.
pub async fn create(
    db: &impl ConnectionTrait,
    fields: &CampaignFields,
) -> Result<Campaign, StoreError> {
    let now = super::now();
    let mut row = campaign_columns(fields, <campaign::ActiveModel as Default>::default());
    row.created_at = Set(now);
    row.updated_at = Set(now);
    campaign_to_domain(row.insert(db).await?)
}

/// Replaces a campaign if it is still at `version`. Admin only.
///
/// # Errors
/// `NotFound`; `PreconditionFailed`.
pub async fn replace(
    db: &impl ConnectionTrait,
    id: i64,
    fields: &CampaignFields,
    version: DateTime<Utc>,
) -> Result<Campaign, StoreError> {
    let mut row = campaign_columns(fields, <campaign::ActiveModel as Default>::default());
    row.updated_at = Set(super::version_after(version));
    let result = campaign::Entity::update_many()
        .set(row)
        .filter(campaign::Column::Id.eq(id))
        .filter(campaign::Column::UpdatedAt.eq(version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        find(db, id).await?;
        return Err(StoreError::PreconditionFailed);
    }
    find(db, id).await
}

pub use crate::domain::campaign::Response;

/// Every comune's answer to a campaign, `not_started` for those that have not begun.
///
/// # Errors
/// Database errors only.
pub async fn responses(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    comuni: &[String],
) -> Result<Vec<Response>, StoreError> {
    let stored: HashMap<String, campaign_response::Model> = campaign_response::Entity::find()
        .filter(campaign_response::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.comune_istat_code.clone(), r))
        .collect();
    let counts: HashMap<String, i64> = need::Entity::find()
        .select_only()
        .column(need::Column::ComuneIstatCode)
        .column_as(need::Column::Id.count(), "lines")
        .filter(need::Column::CampaignId.eq(campaign_id))
        .group_by(need::Column::ComuneIstatCode)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    comuni
        .iter()
        .map(|code| {
            let lines = counts.get(code).copied().unwrap_or(0).max(0) as u64;
            Ok(match stored.get(code) {
                Some(r) => Response {
                    comune: code.clone(),
                    status: ResponseStatus::parse(&r.status)?,
                    no_needs: r.no_needs,
                    lines,
                    submitted_at: r.submitted_at,
                    updated_at: Some(r.updated_at),
                },
                None => Response {
                    comune: code.clone(),
                    status: ResponseStatus::NotStarted,
                    no_needs: false,
                    lines,
                    submitted_at: None,
                    updated_at: None,
                },
            })
        })
        .collect()
}

async fn response_status(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    comune: &str,
) -> Result<ResponseStatus, StoreError> {
    let row = campaign_response::Entity::find_by_id((campaign_id, comune.to_owned()))
        .one(db)
        .await?;
    Ok(match row {
        Some(r) => ResponseStatus::parse(&r.status)?,
        None => ResponseStatus::NotStarted,
    })
}

/// Sets a comune's answer: `submitted` (optionally declaring no needs) by its referente
/// while the campaign is open, or `draft` to reopen it (the admin).
///
/// # Errors
/// `Conflict` when the campaign is not open, or when no needs are declared next to lines.
pub async fn set_response(
    db: &DatabaseConnection,
    campaign_id: i64,
    comune: &IstatCode,
    status: ResponseStatus,
    no_needs: bool,
) -> Result<(), StoreError> {
    let txn = super::begin_write(db).await?;
    let campaign = find(&txn, campaign_id).await?;
    if campaign.fields.status != CampaignStatus::Open && status == ResponseStatus::Submitted {
        return Err(StoreError::Conflict {
            detail: "La rilevazione non è aperta.".into(),
        });
    }
    let lines = need::Entity::find()
        .filter(need::Column::CampaignId.eq(campaign_id))
        .filter(need::Column::ComuneIstatCode.eq(comune.as_str()))
        .count(&txn)
        .await?;
    if status == ResponseStatus::Submitted && no_needs && lines > 0 {
        return Err(StoreError::Conflict {
            detail:
                "Ci sono righe di fabbisogno: eliminarle prima di dichiarare che non ce ne sono."
                    .into(),
        });
    }
    if status == ResponseStatus::Submitted && !no_needs && lines == 0 {
        return Err(StoreError::Conflict {
            detail: "Nessuna riga di fabbisogno: aggiungerne o dichiarare che non ce ne sono."
                .into(),
        });
    }
    upsert_response(
        &txn,
        campaign_id,
        comune.as_str(),
        status,
        no_needs && status == ResponseStatus::Submitted,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn upsert_response(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    comune: &str,
    status: ResponseStatus,
    no_needs: bool,
) -> Result<(), DbErr> {
    let now = super::now();
    let submitted_at = (status == ResponseStatus::Submitted).then_some(now);
    campaign_response::Entity::insert(campaign_response::ActiveModel {
        campaign_id: Set(campaign_id),
        comune_istat_code: Set(comune.to_owned()),
        status: Set(status.as_str().to_owned()),
        no_needs: Set(no_needs),
        submitted_at: Set(submitted_at),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            campaign_response::Column::CampaignId,
            campaign_response::Column::ComuneIstatCode,
        ])
        .update_columns([
            campaign_response::Column::Status,
            campaign_response::Column::NoNeeds,
            campaign_response::Column::SubmittedAt,
            campaign_response::Column::UpdatedAt,
        ])
        .to_owned(),
    )
    .exec(db)
    .await?;
    Ok(())
}

pub use crate::domain::campaign::Need;

/// The need lines of a campaign, optionally of one comune.
///
/// # Errors
/// Database errors only.
pub async fn needs(
    db: &impl ConnectionTrait,
    campaign_id: Option<i64>,
    comune: Option<&IstatCode>,
) -> Result<Vec<Need>, StoreError> {
    let mut query = need::Entity::find();
    if let Some(id) = campaign_id {
        query = query.filter(need::Column::CampaignId.eq(id));
    }
    if let Some(code) = comune {
        query = query.filter(need::Column::ComuneIstatCode.eq(code.as_str()));
    }
    let rows = query.order_by_asc(need::Column::Id).all(db).await?;
    let mut named = named_of(db, rows.iter().map(|r| r.id)).await?;
    rows.into_iter()
        .map(|r| {
            let ids = named.remove(&r.id).unwrap_or_default();
            need_to_domain(r, ids)
        })
        .collect()
}

/// The need lines that name an employee.
///
/// # Errors
/// Database errors only.
pub async fn needs_naming(
    db: &impl ConnectionTrait,
    employee_id: i64,
) -> Result<Vec<Need>, StoreError> {
    let need_ids: Vec<i64> = need_employee::Entity::find()
        .select_only()
        .column(need_employee::Column::NeedId)
        .filter(need_employee::Column::EmployeeId.eq(employee_id))
        .into_tuple()
        .all(db)
        .await?;
    let rows = need::Entity::find()
        .filter(need::Column::Id.is_in(need_ids))
        .order_by_asc(need::Column::Id)
        .all(db)
        .await?;
    let mut named = named_of(db, rows.iter().map(|r| r.id)).await?;
    rows.into_iter()
        .map(|r| {
            let ids = named.remove(&r.id).unwrap_or_default();
            need_to_domain(r, ids)
        })
        .collect()
}

/// The employees named by each of the given need lines.
async fn named_of(
    db: &impl ConnectionTrait,
    need_ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Vec<i64>>, DbErr> {
    let ids: Vec<i64> = need_ids.into_iter().collect();
    let mut named: HashMap<i64, Vec<i64>> = HashMap::new();
    // Chunked so that no statement outgrows SQLite's bound-parameter limit.
    for chunk in ids.chunks(500) {
        let links = need_employee::Entity::find()
            .filter(need_employee::Column::NeedId.is_in(chunk.iter().copied()))
            .order_by_asc(need_employee::Column::EmployeeId)
            .all(db)
            .await?;
        for link in links {
            named
                .entry(link.need_id)
                .or_default()
                .push(link.employee_id);
        }
    }
    Ok(named)
}

/// Checks that every named employee exists, belongs to the comune and was not erased.
async fn check_named(
    db: &impl ConnectionTrait,
    comune: &str,
    ids: &[i64],
) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let found: Vec<i64> = employee::Entity::find()
        .select_only()
        .column(employee::Column::Id)
        .filter(employee::Column::Id.is_in(ids.iter().copied()))
        .filter(employee::Column::ComuneIstatCode.eq(comune))
        .filter(employee::Column::ErasedAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    match ids.iter().position(|id| !found.contains(id)) {
        Some(at) => Err(DomainError::invalid(
            &format!("employee_ids/{at}"),
            "dipendente sconosciuto in questo comune",
        )
        .into()),
        None => Ok(()),
    }
}

async fn replace_named(db: &impl ConnectionTrait, need_id: i64, ids: &[i64]) -> Result<(), DbErr> {
    need_employee::Entity::delete_many()
        .filter(need_employee::Column::NeedId.eq(need_id))
        .exec(db)
        .await?;
    if ids.is_empty() {
        return Ok(());
    }
    need_employee::Entity::insert_many(ids.iter().map(|&employee_id| need_employee::ActiveModel {
        need_id: Set(need_id),
        employee_id: Set(employee_id),
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// One need line.
///
/// # Errors
/// `NotFound`.
pub async fn find_need(db: &impl ConnectionTrait, id: i64) -> Result<Need, StoreError> {
    let row = need::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let named = named_of(db, [row.id]).await?.remove(&row.id);
    need_to_domain(row, named.unwrap_or_default())
}

/// Adds a line to a comune's answer, which becomes a draft. Call it in the caller's
/// writing transaction: the checks and the writes must see the same state.
///
/// # Errors
/// `Conflict` when the campaign is not open, the answer was submitted, or the comune already
/// has a line for that theme and office area; `Invalid` for a theme the campaign does not offer.
pub async fn add_need(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    comune: &IstatCode,
    fields: &NeedFields,
) -> Result<Need, StoreError> {
    check_editable(db, campaign_id, comune.as_str(), &fields.theme_code).await?;
    check_named(db, comune.as_str(), &fields.employee_ids).await?;
    let now = super::now();
    let mut row = need_columns(fields, <need::ActiveModel as Default>::default());
    row.campaign_id = Set(campaign_id);
    row.comune_istat_code = Set(comune.as_str().to_owned());
    row.created_at = Set(now);
    row.updated_at = Set(now);
    let created = row.insert(db).await.map_err(need_write_error)?;
    replace_named(db, created.id, &fields.employee_ids).await?;
    upsert_response(
        db,
        campaign_id,
        comune.as_str(),
        ResponseStatus::Draft,
        false,
    )
    .await?;
    need_to_domain(created, fields.employee_ids.clone())
}

/// Replaces a line if still at `version`, under the same rules as adding one; call it in
/// the caller's writing transaction.
///
/// # Errors
/// As [`add_need`], plus `PreconditionFailed` when the line changed since `version`.
pub async fn replace_need(
    db: &impl ConnectionTrait,
    current: &Need,
    fields: &NeedFields,
) -> Result<Need, StoreError> {
    check_editable(db, current.campaign_id, &current.comune, &fields.theme_code).await?;
    check_named(db, &current.comune, &fields.employee_ids).await?;
    let mut row = need_columns(fields, <need::ActiveModel as Default>::default());
    row.updated_at = Set(super::version_after(current.updated_at));
    let result = need::Entity::update_many()
        .set(row)
        .filter(need::Column::Id.eq(current.id))
        .filter(need::Column::UpdatedAt.eq(current.updated_at))
        .exec(db)
        .await
        .map_err(need_write_error)?;
    if result.rows_affected != 1 {
        return Err(StoreError::PreconditionFailed);
    }
    replace_named(db, current.id, &fields.employee_ids).await?;
    find_need(db, current.id).await
}

/// Removes a line, under the same rules as adding one; call it in the caller's writing
/// transaction.
///
/// # Errors
/// `Conflict` when the answer can no longer change.
pub async fn delete_need(db: &impl ConnectionTrait, current: &Need) -> Result<(), StoreError> {
    check_editable(
        db,
        current.campaign_id,
        &current.comune,
        &current.fields.theme_code,
    )
    .await?;
    need::Entity::delete_by_id(current.id).exec(db).await?;
    Ok(())
}

async fn check_editable(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    comune: &str,
    theme: &str,
) -> Result<(), StoreError> {
    let campaign = find(db, campaign_id).await?;
    let response = response_status(db, campaign_id, comune).await?;
    if let Some(reason) = editing_refusal(campaign.fields.status, response) {
        return Err(StoreError::Conflict {
            detail: reason.into(),
        });
    }
    if !campaign.fields.themes.iter().any(|t| t == theme) {
        return Err(
            DomainError::invalid("theme_code", "tema non previsto da questa rilevazione").into(),
        );
    }
    Ok(())
}

fn need_write_error(e: DbErr) -> StoreError {
    if super::is_foreign_key_violation(&e) {
        DomainError::invalid("office_area", "area sconosciuta").into()
    } else if matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    ) {
        StoreError::Conflict {
            detail: "Esiste già una riga per questo tema e questo ufficio: modificarla.".into(),
        }
    } else {
        e.into()
    }
}

fn campaign_columns(f: &CampaignFields, mut row: campaign::ActiveModel) -> campaign::ActiveModel {
    row.year = Set(f.year);
    row.title = Set(f.title.clone());
    row.opens_on = Set(f.opens_on);
    row.closes_on = Set(f.closes_on);
    row.instructions = Set(f.instructions.clone());
    row.themes = Set(f.themes.join(","));
    row.status = Set(f.status.as_str().to_owned());
    row
}

fn need_columns(f: &NeedFields, mut row: need::ActiveModel) -> need::ActiveModel {
    row.theme_code = Set(f.theme_code.clone());
    row.office_area_code = Set(f.office_area.clone());
    row.headcount = Set(f.headcount);
    row.priority = Set(f.priority.as_str().to_owned());
    row.preferred_modality = Set(f.preferred_modality.as_str().to_owned());
    row.notes = Set(f.notes.clone());
    row
}

fn campaign_to_domain(m: campaign::Model) -> Result<Campaign, StoreError> {
    Ok(Campaign {
        id: m.id,
        fields: CampaignFields {
            year: m.year,
            title: m.title,
            opens_on: m.opens_on,
            closes_on: m.closes_on,
            instructions: m.instructions,
            themes: m
                .themes
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            status: CampaignStatus::parse(&m.status)?,
        },
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn need_to_domain(m: need::Model, employee_ids: Vec<i64>) -> Result<Need, StoreError> {
    Ok(Need {
        id: m.id,
        campaign_id: m.campaign_id,
        comune: m.comune_istat_code,
        fields: NeedFields {
            theme_code: m.theme_code,
            office_area: m.office_area_code,
            headcount: m.headcount,
            priority: Priority::parse(&m.priority)?,
            preferred_modality: Modality::parse(&m.preferred_modality)?,
            notes: m.notes,
            employee_ids,
        },
        updated_at: m.updated_at,
    })
}

/// Locks a campaign for the rest of the transaction (see `store::lock_row`).
///
/// # Errors
/// Database errors only.
pub async fn lock_for_update(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
) -> Result<(), StoreError> {
    super::lock_row::<campaign::Entity>(txn, id).await
}

/// Locks a need line for the rest of the transaction (see `store::lock_row`).
///
/// # Errors
/// Database errors only.
pub async fn lock_need_for_update(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
) -> Result<(), StoreError> {
    super::lock_row::<need::Entity>(txn, id).await
}
