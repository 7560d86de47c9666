//! Employees of the comuni. Every read or change of personal data is written to the audit
//! log in the same transaction.
use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DbErr, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::StoreError;
use super::audit::{self, AuditEntry};
use crate::domain::DomainError;
use crate::domain::comune::IstatCode;
use crate::domain::employee::{
    Employee, EmployeeFields, JobProfile, RiskClass, parse_safety_roles,
};
use crate::domain::employee_import::ImportRow;
use crate::domain::fiscal::TaxCode;
use crate::domain::user::Email;
use crate::entities::{employee, enrolment, need_employee};

pub use crate::domain::employee::EmployeeFilter;

/// A page of employees (erased ones left out) by family and given name.
///
/// # Errors
/// Database errors only.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &EmployeeFilter,
) -> Result<(Vec<Employee>, u64), StoreError> {
    let mut condition = Condition::all().add(employee::Column::ErasedAt.is_null());
    if let Some(code) = &filter.comune {
        condition = condition.add(employee::Column::ComuneIstatCode.eq(code.as_str()));
    }
    if let Some(q) = &filter.q {
        let pattern = super::contains(q);
        condition = condition.add(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(employee::Column::FamilyName)))
                        .like(pattern.clone()),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(employee::Column::GivenName)))
                        .like(pattern.clone()),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(employee::Column::Email)))
                        .like(pattern.clone()),
                )
                .add(Expr::expr(Func::lower(Expr::col(employee::Column::TaxCode))).like(pattern)),
        );
    }
    if let Some(area) = &filter.office_area {
        condition = condition.add(employee::Column::OfficeAreaCode.eq(area.as_str()));
    }
    if let Some(active) = filter.active {
        condition = condition.add(employee::Column::Active.eq(active));
    }
    let query = employee::Entity::find().filter(condition);
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(employee::Column::FamilyName)
        .order_by_asc(employee::Column::GivenName)
        .order_by_asc(employee::Column::Id)
        .limit(filter.limit)
        .offset(filter.offset)
        .all(db)
        .await?;
    Ok((
        rows.into_iter().map(to_domain).collect::<Result<_, _>>()?,
        total,
    ))
}

/// One employee, erased or not.
///
/// # Errors
/// `NotFound`.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Employee, StoreError> {
    let row = employee::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    to_domain(row)
}

/// Creates an employee, logging who did, in the caller's writing transaction.
///
/// # Errors
/// `Conflict` for a tax code already registered; `Invalid` for an unknown office area.
pub async fn create(
    db: &impl ConnectionTrait,
    fields: &EmployeeFields,
    actor: i64,
) -> Result<Employee, StoreError> {
    let now = super::now();
    let mut row = columns(fields, <employee::ActiveModel as Default>::default());
    row.erased_at = Set(None);
    row.created_at = Set(now);
    row.updated_at = Set(now);
    let created = row.insert(db).await.map_err(write_error)?;
    audit::record(
        db,
        entry(
            actor,
            "create",
            created.id,
            fields.comune.as_str(),
            String::new(),
        ),
    )
    .await?;
    to_domain(created)
}

/// Replaces an employee's data if still at the version read (`current`), logging who did;
/// a move to another comune takes their enrolments along. Call it in the caller's writing
/// transaction.
///
/// # Errors
/// `NotFound` once erased; `PreconditionFailed` when the record changed since it was read;
/// `Conflict` for a tax code taken.
pub async fn replace(
    txn: &sea_orm::DatabaseTransaction,
    current: &Employee,
    fields: &EmployeeFields,
    actor: i64,
) -> Result<Employee, StoreError> {
    let id = current.id;
    let mut row = columns(fields, <employee::ActiveModel as Default>::default());
    row.updated_at = Set(super::version_after(current.updated_at));
    let result = employee::Entity::update_many()
        .set(row)
        .filter(employee::Column::Id.eq(id))
        .filter(employee::Column::ErasedAt.is_null())
        .filter(employee::Column::UpdatedAt.eq(current.updated_at))
        .exec(txn)
        .await
        .map_err(write_error)?;
    if result.rows_affected != 1 {
        find(txn, id).await?;
        return Err(StoreError::PreconditionFailed);
    }
    audit::record(
        txn,
        entry(actor, "update", id, fields.comune.as_str(), String::new()),
    )
    .await?;
    if current.comune != fields.comune {
        transfer(
            txn,
            id,
            current.comune.as_str(),
            fields.comune.as_str(),
            actor,
        )
        .await?;
    }
    find(txn, id).await
}

/// An employee moved to another comune: their enrolments (and so their certificates)
/// follow them, so that the new comune's referente reads them and the old one no longer
/// does; the move is logged under both comuni.
async fn transfer(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
    from: &str,
    to: &str,
    actor: i64,
) -> Result<(), StoreError> {
    enrolment::Entity::update_many()
        .col_expr(enrolment::Column::ComuneIstatCode, Expr::value(to))
        .col_expr(enrolment::Column::UpdatedAt, Expr::value(super::now()))
        .filter(enrolment::Column::EmployeeId.eq(id))
        .exec(txn)
        .await?;
    for comune in [from, to] {
        audit::record(
            txn,
            entry(actor, "transfer", id, comune, format!("da {from} a {to}")),
        )
        .await?;
    }
    Ok(())
}

/// Erases a person (GDPR art. 17): names, e-mail and tax code are wiped; comune, office area
/// and profile stay, so that the statistics still add up.
///
/// # Errors
/// `NotFound`, also for someone already erased.
pub async fn erase(db: &DatabaseConnection, id: i64, actor: i64) -> Result<(), StoreError> {
    // The write lock first (SQLite): the erasure reads, then writes in many tables.
    let txn = super::begin_catalogue_write(db).await?;
    let current = find(&txn, id).await?;
    if current.erased_at.is_some() {
        return Err(StoreError::NotFound);
    }
    let row = employee::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let full_name = format!("{} {}", row.given_name, row.family_name);
    let now = super::now();
    employee::Entity::update_many()
        .col_expr(employee::Column::GivenName, Expr::value("—"))
        .col_expr(employee::Column::FamilyName, Expr::value("—"))
        .col_expr(employee::Column::Email, Expr::value(Option::<String>::None))
        .col_expr(
            employee::Column::TaxCode,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            employee::Column::HireDate,
            Expr::value(Option::<chrono::NaiveDate>::None),
        )
        .col_expr(employee::Column::SafetyRoles, Expr::value(""))
        .col_expr(employee::Column::Active, Expr::value(false))
        .col_expr(employee::Column::ErasedAt, Expr::value(now))
        .col_expr(employee::Column::UpdatedAt, Expr::value(now))
        .filter(employee::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    // Need lines keep their headcount (the statistics) but no longer name the person.
    need_employee::Entity::delete_many()
        .filter(need_employee::Column::EmployeeId.eq(id))
        .exec(&txn)
        .await?;
    super::enrolments::cancel_future_seats_of(&txn, id, actor).await?;
    if let Some(email) = &row.email {
        super::users::close_account_of(&txn, email).await?;
        super::outbox::forget_recipient(&txn, email).await?;
    }
    super::outbox::forget_name(&txn, &full_name).await?;
    audit::record(
        &txn,
        entry(actor, "erase", id, current.comune.as_str(), String::new()),
    )
    .await?;
    txn.commit().await?;
    super::compact_after_erasure(db).await?;
    Ok(())
}

/// Logs that `actor` read or exported an employee's data.
///
/// # Errors
/// Database errors only.
pub async fn log_access(
    db: &impl ConnectionTrait,
    actor: i64,
    action: &str,
    id: Option<i64>,
    comune: Option<&str>,
    detail: String,
) -> Result<(), StoreError> {
    audit::record(
        db,
        AuditEntry {
            actor_user_id: actor,
            action,
            subject_type: "employee",
            subject_id: id,
            comune,
            detail,
        },
    )
    .await
}

/// Employees (not erased) holding these tax codes: id and comune by tax code.
///
/// # Errors
/// Database errors only.
pub async fn by_tax_codes(
    db: &impl ConnectionTrait,
    codes: &[&TaxCode],
) -> Result<HashMap<String, (i64, String)>, StoreError> {
    let mut found = HashMap::new();
    for chunk in codes.chunks(500) {
        let rows = employee::Entity::find()
            .filter(employee::Column::TaxCode.is_in(chunk.iter().map(|c| c.as_str())))
            .all(db)
            .await?;
        for row in rows {
            if let Some(code) = row.tax_code {
                found.insert(code, (row.id, row.comune_istat_code));
            }
        }
    }
    Ok(found)
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: usize,
    pub updated: usize,
}

/// Upserts every row by tax code in the caller's transaction (all or nothing when it
/// rolls back), and logs the import.
///
/// # Errors
/// `Invalid` for an unknown office area; database errors.
pub async fn import(
    txn: &sea_orm::DatabaseTransaction,
    rows: &[ImportRow],
    actor: i64,
) -> Result<ImportCounts, StoreError> {
    let existing = by_tax_codes(
        txn,
        &rows.iter().map(|r| &r.fields.tax_code).collect::<Vec<_>>(),
    )
    .await?;
    let now = super::now();
    let mut counts = ImportCounts::default();
    let mut new_rows = Vec::new();
    for row in rows {
        match existing.get(row.fields.tax_code.as_str()) {
            Some((id, _)) => {
                let mut update =
                    columns(&row.fields, <employee::ActiveModel as Default>::default());
                update.updated_at = Set(now);
                employee::Entity::update_many()
                    .set(update)
                    .filter(employee::Column::Id.eq(*id))
                    .exec(txn)
                    .await
                    .map_err(write_error)?;
                counts.updated += 1;
            }
            None => {
                let mut insert =
                    columns(&row.fields, <employee::ActiveModel as Default>::default());
                insert.erased_at = Set(None);
                insert.created_at = Set(now);
                insert.updated_at = Set(now);
                new_rows.push(insert);
                counts.created += 1;
            }
        }
    }
    for chunk in new_rows.chunks(200) {
        employee::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await
            .map_err(write_error)?;
    }
    let comune = rows.first().map(|r| r.fields.comune.as_str().to_owned());
    let detail = format!(
        "{} righe: {} nuove, {} aggiornate",
        rows.len(),
        counts.created,
        counts.updated
    );
    log_access(txn, actor, "import", None, comune.as_deref(), detail).await?;
    Ok(counts)
}

fn entry<'a>(
    actor: i64,
    action: &'a str,
    id: i64,
    comune: &'a str,
    detail: String,
) -> AuditEntry<'a> {
    AuditEntry {
        actor_user_id: actor,
        action,
        subject_type: "employee",
        subject_id: Some(id),
        comune: Some(comune),
        detail,
    }
}

fn write_error(e: DbErr) -> StoreError {
    if super::is_foreign_key_violation(&e) {
        DomainError::invalid("office_area", "area sconosciuta").into()
    } else if matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    ) {
        StoreError::Conflict {
            detail: "esiste già un dipendente con questo codice fiscale".into(),
        }
    } else {
        e.into()
    }
}

fn columns(f: &EmployeeFields, mut row: employee::ActiveModel) -> employee::ActiveModel {
    row.comune_istat_code = Set(f.comune.as_str().to_owned());
    row.given_name = Set(f.given_name.clone());
    row.family_name = Set(f.family_name.clone());
    row.email = Set(f.email.as_ref().map(|e| e.as_str().to_owned()));
    row.tax_code = Set(Some(f.tax_code.as_str().to_owned()));
    row.office_area_code = Set(f.office_area.clone());
    row.job_profile = Set(f.job_profile.as_str().to_owned());
    row.safety_roles = Set(f
        .safety_roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(","));
    row.risk_class = Set(f.risk_class.as_str().to_owned());
    row.hire_date = Set(f.hire_date);
    row.active = Set(f.active);
    row
}

fn to_domain(m: employee::Model) -> Result<Employee, StoreError> {
    let comune = IstatCode::parse(&m.comune_istat_code)?;
    let job_profile = JobProfile::parse(&m.job_profile)?;
    let fields = match (&m.erased_at, &m.tax_code) {
        (None, Some(tax_code)) => Some(EmployeeFields {
            comune: comune.clone(),
            given_name: m.given_name,
            family_name: m.family_name,
            email: m.email.map(|e| Email::parse("email", &e)).transpose()?,
            tax_code: TaxCode::parse("tax_code", tax_code)?,
            office_area: m.office_area_code.clone(),
            job_profile,
            safety_roles: parse_safety_roles(&m.safety_roles)?,
            risk_class: RiskClass::parse(&m.risk_class)?,
            hire_date: m.hire_date,
            active: m.active,
        }),
        _ => None,
    };
    Ok(Employee {
        id: m.id,
        fields,
        comune,
        office_area: m.office_area_code,
        job_profile,
        erased_at: m.erased_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// The employee record of a signed-in employee: same comune, same e-mail (case-folded).
///
/// # Errors
/// Database errors only.
pub async fn id_by_email(
    db: &impl ConnectionTrait,
    comune: &IstatCode,
    email: &str,
) -> Result<Option<i64>, StoreError> {
    let id = employee::Entity::find()
        .select_only()
        .column(employee::Column::Id)
        .filter(employee::Column::ComuneIstatCode.eq(comune.as_str()))
        .filter(employee::Column::ErasedAt.is_null())
        .filter(
            Expr::expr(Func::lower(Expr::col(employee::Column::Email))).eq(email.to_lowercase()),
        )
        .order_by_asc(employee::Column::Id)
        .into_tuple::<i64>()
        .one(db)
        .await?;
    Ok(id)
}

/// "Given Family" of each employee, by id; an erased person is left out (callers show
/// "—").
///
/// # Errors
/// Database errors only.
pub async fn names_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, StoreError> {
    let ids: Vec<i64> = ids.into_iter().collect();
    let mut names = HashMap::with_capacity(ids.len());
    // Chunked so that no statement outgrows SQLite's bound-parameter limit.
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String, String)> = employee::Entity::find()
            .select_only()
            .columns([
                employee::Column::Id,
                employee::Column::GivenName,
                employee::Column::FamilyName,
            ])
            .filter(employee::Column::Id.is_in(chunk.iter().copied()))
            .filter(employee::Column::ErasedAt.is_null())
            .into_tuple()
            .all(db)
            .await?;
        for (id, given, family) in rows {
            names.insert(id, format!("{given} {family}"));
        }
    }
    Ok(names)
}

/// The active employees of `comune` (all, or those of `ids`), with the e-mail the register
/// holds, by family name: the people a referente may invite to sign in.
///
/// # Errors
/// Database errors only.
pub async fn invitees(
    db: &impl ConnectionTrait,
    comune: &IstatCode,
    ids: Option<&[i64]>,
) -> Result<Vec<crate::domain::account::Invitee>, StoreError> {
    let mut query = employee::Entity::find()
        .select_only()
        .columns([
            employee::Column::Id,
            employee::Column::GivenName,
            employee::Column::FamilyName,
            employee::Column::Email,
        ])
        .filter(employee::Column::ComuneIstatCode.eq(comune.as_str()))
        .filter(employee::Column::ErasedAt.is_null())
        .filter(employee::Column::Active.eq(true))
        .order_by_asc(employee::Column::FamilyName)
        .order_by_asc(employee::Column::GivenName)
        .order_by_asc(employee::Column::Id);
    if let Some(ids) = ids {
        query = query.filter(employee::Column::Id.is_in(ids.iter().copied()));
    }
    let rows: Vec<(i64, String, String, Option<String>)> = query.into_tuple().all(db).await?;
    Ok(rows
        .into_iter()
        .map(
            |(employee_id, given, family, email)| crate::domain::account::Invitee {
                employee_id,
                full_name: format!("{given} {family}"),
                email: email.filter(|e| !e.trim().is_empty()),
            },
        )
        .collect())
}

/// Locks an employee for the rest of the transaction (see `store::lock_row`).
///
/// # Errors
/// Database errors only.
pub async fn lock_for_update(
    txn: &sea_orm::DatabaseTransaction,
    id: i64,
) -> Result<(), StoreError> {
    super::lock_row::<employee::Entity>(txn, id).await
}
