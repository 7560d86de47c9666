//! Training providers. The admin manages them; provider staff edit their own contacts.
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DbErr, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::StoreError;
use crate::domain::DomainError;
use crate::domain::fiscal::{TaxCode, VatNumber};
use crate::domain::provider::{Provider, ProviderProfile, Qualification};
use crate::domain::user::Email;
use crate::entities::{course, provider, provider_theme};

/// Kept here too for the callers that name it through the store.
pub use crate::domain::provider::ProviderFilter;

/// A page of providers by name, and how many match. Admin and provider staff.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &ProviderFilter,
) -> Result<(Vec<Provider>, u64), StoreError> {
    let mut condition = Condition::all();
    if let Some(q) = &filter.q {
        let pattern = super::contains(q);
        condition =
            condition.add(Expr::expr(Func::lower(Expr::col(provider::Column::Name))).like(pattern));
    }
    if let Some(q) = filter.qualification {
        condition = condition.add(provider::Column::QualificationStatus.eq(q.as_str()));
    }
    if let Some(theme) = &filter.theme {
        let ids = provider_theme::Entity::find()
            .filter(provider_theme::Column::ThemeCode.eq(theme.as_str()))
            .all(db)
            .await?
            .into_iter()
            .map(|row| row.provider_id);
        condition = condition.add(provider::Column::Id.is_in(ids));
    }
    let query = provider::Entity::find().filter(condition);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(provider::Column::Name)
        .order_by_asc(provider::Column::Id)
        .limit(filter.limit)
        .offset(filter.offset)
        .all(db)
        .await?;
    let themes = themes_of(db, rows.iter().map(|r| r.id)).await?;
    let providers = rows
        .into_iter()
        .map(|row| {
            let themes = themes.get(&row.id).cloned().unwrap_or_default();
            to_domain(row, themes)
        })
        .collect::<Result<_, _>>()?;
    Ok((providers, total))
}

/// One provider.
///
/// # Errors
/// `NotFound`.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Provider, StoreError> {
    let row = provider::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let themes = themes_of(db, [id]).await?.remove(&id).unwrap_or_default();
    to_domain(row, themes)
}

/// Creates a provider with its themes. Admin only.
///
/// # Errors
/// `Invalid` on `themes` for an unknown theme code.
pub async fn create(
    db: &DatabaseConnection,
    profile: &ProviderProfile,
) -> Result<Provider, StoreError> {
    let txn = super::begin_write(db).await?;
    let now = super::now();
    let mut row = columns(profile, <provider::ActiveModel as Default>::default());
    row.created_at = Set(now);
    row.updated_at = Set(now);
    let id = row.insert(&txn).await?.id;
    write_themes(&txn, id, &profile.themes).await?;
    let created = find(&txn, id).await?;
    txn.commit().await?;
    Ok(created)
}

/// Replaces a provider's profile if it is still at `version` (its `updated_at`), within
/// the caller's transaction.
///
/// # Errors
/// `NotFound`; `PreconditionFailed` when someone changed it since `version`; `Invalid` on
/// `themes` for an unknown theme.
pub async fn replace(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
    profile: &ProviderProfile,
    version: chrono::DateTime<chrono::Utc>,
) -> Result<Provider, StoreError> {
    let previous_name = find(txn, id).await?.profile.name;
    let now = super::version_after(version);
    let mut row = columns(profile, <provider::ActiveModel as Default>::default());
    row.updated_at = Set(now);
    let result = provider::Entity::update_many()
        .set(row)
        .filter(provider::Column::Id.eq(id))
        .filter(provider::Column::UpdatedAt.eq(version))
        .exec(txn)
        .await?;
    if result.rows_affected != 1 {
        find(txn, id).await?;
        return Err(StoreError::PreconditionFailed);
    }
    provider_theme::Entity::delete_many()
        .filter(provider_theme::Column::ProviderId.eq(id))
        .exec(txn)
        .await?;
    write_themes(txn, id, &profile.themes).await?;
    if previous_name != profile.name {
        // The catalogue shows the provider's name with each of its courses.
        course::Entity::update_many()
            .col_expr(course::Column::UpdatedAt, Expr::value(now))
            .filter(course::Column::ProviderId.eq(id))
            .exec(txn)
            .await?;
    }
    find(txn, id).await
}

/// Deletes a provider that has no courses and no staff accounts. Admin only.
///
/// # Errors
/// `NotFound`; `Conflict` while courses or accounts refer to it.
pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), StoreError> {
    match provider::Entity::delete_by_id(id).exec(db).await {
        Ok(result) if result.rows_affected == 0 => Err(StoreError::NotFound),
        Ok(_) => Ok(()),
        Err(e) if super::is_foreign_key_violation(&e) => Err(StoreError::Conflict {
            detail: "l'ente ha corsi o utenti: archiviare i corsi e rimuovere gli utenti prima di eliminarlo".into(),
        }),
        Err(e) => Err(e.into()),
    }
}

async fn write_themes(
    db: &impl ConnectionTrait,
    id: i64,
    themes: &[String],
) -> Result<(), StoreError> {
    if themes.is_empty() {
        return Ok(());
    }
    let rows = themes.iter().map(|code| provider_theme::ActiveModel {
        provider_id: Set(id),
        theme_code: Set(code.clone()),
    });
    provider_theme::Entity::insert_many(rows)
        .exec(db)
        .await
        .map_err(unknown_theme)?;
    Ok(())
}

fn unknown_theme(e: DbErr) -> StoreError {
    if super::is_foreign_key_violation(&e) {
        DomainError::invalid("themes", "tema sconosciuto").into()
    } else {
        e.into()
    }
}

async fn themes_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Vec<String>>, StoreError> {
    let rows = provider_theme::Entity::find()
        .filter(provider_theme::Column::ProviderId.is_in(ids))
        .order_by_asc(provider_theme::Column::ThemeCode)
        .all(db)
        .await?;
    let mut themes: HashMap<i64, Vec<String>> = HashMap::new();
    for row in rows {
        themes
            .entry(row.provider_id)
            .or_default()
            .push(row.theme_code);
    }
    Ok(themes)
}

fn columns(p: &ProviderProfile, mut row: provider::ActiveModel) -> provider::ActiveModel {
    row.name = Set(p.name.clone());
    row.tax_code = Set(p.tax_code.as_str().to_owned());
    row.vat_number = Set(p.vat_number.as_ref().map(|v| v.as_str().to_owned()));
    row.email = Set(p.email.as_ref().map(|e| e.as_str().to_owned()));
    row.pec = Set(p.pec.as_ref().map(|e| e.as_str().to_owned()));
    row.phone = Set(p.phone.clone());
    row.website = Set(p.website.clone());
    row.qualification_status = Set(p.qualification.as_str().to_owned());
    row.qualified_until = Set(p.qualified_until);
    row.notes = Set(p.notes.clone());
    row.edition_changes_need_approval = Set(p.edition_changes_need_approval);
    row
}

fn to_domain(m: provider::Model, themes: Vec<String>) -> Result<Provider, StoreError> {
    let email = |field, v: Option<String>| v.map(|v| Email::parse(field, &v)).transpose();
    Ok(Provider {
        id: m.id,
        profile: ProviderProfile {
            // Providers created before their profile existed have an empty tax code.
            tax_code: TaxCode::parse("tax_code", &m.tax_code)
                .unwrap_or_else(|_| TaxCode::unchecked(&m.tax_code)),
            vat_number: m
                .vat_number
                .map(|v| VatNumber::parse("vat_number", &v))
                .transpose()?,
            email: email("email", m.email)?,
            pec: email("pec", m.pec)?,
            phone: m.phone,
            website: m.website,
            themes,
            qualification: Qualification::parse(&m.qualification_status)?,
            qualified_until: m.qualified_until,
            notes: m.notes,
            edition_changes_need_approval: m.edition_changes_need_approval,
            name: m.name,
        },
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// Locks a provider for the rest of the transaction (see `store::lock_row`).
///
/// # Errors
/// Database errors only.
pub async fn lock_for_update(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
) -> Result<(), StoreError> {
    super::lock_row::<provider::Entity>(txn, id).await
}
