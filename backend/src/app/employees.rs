//! Employees of the comuni: personal data, scoped to a comune, logged on every access.
use std::collections::{HashMap, HashSet};

use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::AppError;
use crate::domain::access::{Actor, Operation, Scope};
use crate::domain::account::AccountAccess;
use crate::domain::audit::AuditEvent;
use crate::domain::campaign::Need;
use crate::domain::comune::IstatCode;
use crate::domain::employee::{
    Employee, EmployeeDraft, EmployeeFields, EmployeeFilter, JobProfile,
};
use crate::domain::employee_import::{self, ImportRow, ImportScope, RowError};
use crate::domain::user::Email;
use crate::store::{self, StoreError};

/// A page of the employees the caller may see that match `filter` (whose comune the
/// caller asked for: any for the admin, always their own for a referente), and how many
/// match in all. The list is logged as a read — or, for a download, an export — in the
/// same transaction.
///
/// # Errors
/// `Forbidden` for other roles, or a referente asking for another comune.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    mut filter: EmployeeFilter,
    export: bool,
) -> Result<EmployeePage, AppError> {
    filter.comune = match actor.scope() {
        Scope::Province => filter.comune,
        Scope::Comune(own) if filter.comune.as_ref().is_none_or(|a| *a == own) => Some(own),
        _ => return Err(AppError::Forbidden),
    };
    let txn = store::begin_write(db).await?;
    let (employees, total) = store::employees::list(&txn, &filter).await?;
    let action = if export { "export" } else { "read" };
    let detail = format!("elenco di {} dipendenti", employees.len());
    let comune = filter.comune.as_ref().map(IstatCode::as_str);
    store::employees::log_access(&txn, actor.user_id, action, None, comune, detail).await?;
    let access = if export {
        HashMap::new()
    } else {
        access_of(&txn, &employees).await?
    };
    txn.commit().await?;
    Ok(EmployeePage {
        employees,
        total,
        access,
    })
}

/// A page of employees, with whether each one can sign in (left empty for a download).
#[derive(Debug)]
pub struct EmployeePage {
    pub employees: Vec<Employee>,
    pub total: u64,
    /// By employee id.
    pub access: HashMap<i64, AccountAccess>,
}

/// Whether each employee can sign in, from the accounts of their addresses, in one query.
async fn access_of(
    db: &impl ConnectionTrait,
    employees: &[Employee],
) -> Result<HashMap<i64, AccountAccess>, AppError> {
    let email = |e: &Employee| e.fields.as_ref().and_then(|f| f.email.clone());
    let addresses: Vec<Email> = employees.iter().filter_map(email).collect();
    let accounts = store::users::find_by_emails(db, &addresses).await?;
    Ok(employees
        .iter()
        .map(|e| {
            let account = email(e).and_then(|m| accounts.get(m.as_str()));
            (e.id, AccountAccess::of(account))
        })
        .collect())
}

/// Registers an employee; without a comune, the referente's own.
///
/// # Errors
/// `Invalid` naming every bad field; `Forbidden` unless admin or the comune's referente;
/// `Conflict` for a tax code already registered.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    draft: &EmployeeDraft,
) -> Result<Employee, AppError> {
    let fields = draft.check(own_comune(actor))?;
    actor.authorize(Operation::ManageEmployeesOf(&fields.comune))?;
    let txn = store::begin_write(db).await?;
    let employee = store::employees::create(&txn, &fields, actor.user_id).await?;
    txn.commit().await?;
    Ok(employee)
}

/// One employee with their current data, logged as a read.
///
/// # Errors
/// `NotFound` (also once erased); `Forbidden` unless admin or the comune's referente.
pub async fn read(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<(Employee, EmployeeFields), AppError> {
    let txn = store::begin_write(db).await?;
    let (employee, fields) = manageable(&txn, actor, id).await?;
    log_one(&txn, actor, "read", &employee).await?;
    txn.commit().await?;
    Ok((employee, fields))
}

/// Changes an employee: `change` turns the stored record's draft into the new one, which
/// is checked (422) and authorized for its comune (a referente cannot move someone away,
/// 403) before `precondition` — the caller's `If-Match` — is asked about the record as
/// read (412); the write is conditional on that version, all in one transaction.
///
/// # Errors
/// `NotFound`; `Forbidden`; `Invalid`; `PreconditionFailed`; `Conflict` for a tax code
/// taken.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    change: impl FnOnce(EmployeeDraft) -> EmployeeDraft,
    precondition: impl FnOnce(&Employee, &EmployeeFields) -> bool,
) -> Result<Employee, AppError> {
    let txn = store::begin_write(db).await?;
    store::employees::lock_for_update(&txn, id).await?;
    let (current, fields) = manageable(&txn, actor, id).await?;
    let next = change(EmployeeDraft::from(&fields)).check(own_comune(actor))?;
    actor.authorize(Operation::ManageEmployeesOf(&next.comune))?;
    if !precondition(&current, &fields) {
        return Err(StoreError::PreconditionFailed.into());
    }
    let updated = store::employees::replace(&txn, &current, &next, actor.user_id).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Erases a person (GDPR art. 17) for good; the statistics keep their comune, area and
/// profile.
///
/// # Errors
/// `NotFound` (also once erased); `Forbidden` unless admin or the comune's referente.
pub async fn erase(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<(), AppError> {
    let (employee, _) = manageable(db, actor, id).await?;
    Ok(store::employees::erase(db, employee.id, actor.user_id).await?)
}

/// Everything held about one person (GDPR art. 15 and 20).
#[derive(Debug, Clone)]
pub struct PersonalData {
    pub employee: Employee,
    pub fields: EmployeeFields,
    /// Who read or changed these data, newest first (this export included).
    pub access_log: Vec<AuditEvent>,
    /// The need lines that name the person.
    pub training_needs: Vec<Need>,
}

/// Everything held about one person, logged as an export first, so the log it carries
/// includes this export.
///
/// # Errors
/// `NotFound` (also once erased); `Forbidden` unless admin or the comune's referente.
pub async fn personal_data(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> Result<PersonalData, AppError> {
    let txn = store::begin_write(db).await?;
    let (employee, fields) = manageable(&txn, actor, id).await?;
    log_one(&txn, actor, "export", &employee).await?;
    let subject = Some(("employee", employee.id));
    let (access_log, _) = store::audit::list(&txn, subject, 100_000, 0).await?;
    let training_needs = store::campaigns::needs_naming(&txn, employee.id).await?;
    txn.commit().await?;
    Ok(PersonalData {
        employee,
        fields,
        access_log,
        training_needs,
    })
}

/// An employee the caller may manage, with their current data (not erased).
async fn manageable(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> Result<(Employee, EmployeeFields), AppError> {
    let employee = store::employees::find(db, id).await?;
    actor.authorize(Operation::ManageEmployeesOf(&employee.comune))?;
    let fields = employee.fields.clone().ok_or(StoreError::NotFound)?;
    Ok((employee, fields))
}

/// Logs that the caller read or exported one employee's data.
async fn log_one(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    employee: &Employee,
) -> Result<(), AppError> {
    let comune = Some(employee.comune.as_str());
    store::employees::log_access(
        db,
        actor.user_id,
        action,
        Some(employee.id),
        comune,
        String::new(),
    )
    .await?;
    Ok(())
}

/// A referente's comune, the default for records that name none.
fn own_comune(actor: &Actor) -> Option<IstatCode> {
    match actor.scope() {
        Scope::Comune(code) => Some(code),
        _ => None,
    }
}

/// Where the caller may import rows: the admin anywhere (into `asked`, when the file has no
/// comune column), a referente only into their own comune. Decided before the file is
/// read, so a refused caller uploads nothing.
///
/// # Errors
/// `Forbidden` for other roles, or a referente asking for another comune.
pub fn import_scope(actor: &Actor, asked: Option<IstatCode>) -> Result<ImportScope, AppError> {
    match actor.scope() {
        Scope::Province => Ok(ImportScope {
            default_comune: asked,
            only_comune: None,
        }),
        Scope::Comune(own) if asked.as_ref().is_none_or(|a| *a == own) => Ok(ImportScope {
            default_comune: Some(own.clone()),
            only_comune: Some(own),
        }),
        _ => Err(AppError::Forbidden),
    }
}

/// What an import did, or would do in a dry run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    pub dry_run: bool,
    /// Good rows, imported or importable.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Bad rows (only in a dry run: a real import with any is refused whole).
    pub errors: Vec<RowError>,
    /// Each job title the file wrote in its own words, and the contract area it was read
    /// as, once, in the order first met.
    pub mapped_titles: Vec<(String, JobProfile)>,
}

/// The titles the rows wrote in their own words, once each (case aside), first met first.
fn mapped_titles(rows: &[ImportRow]) -> Vec<(String, JobProfile)> {
    let mut seen = HashSet::new();
    rows.iter()
        .filter_map(|r| Some((r.mapped_title.clone()?, r.fields.job_profile)))
        .filter(|(title, _)| seen.insert(title.to_lowercase()))
        .collect()
}

/// Reads a CSV of employees and upserts them by tax code, all or nothing. A dry run
/// reports what would happen, bad rows included; a real import with any bad row changes
/// nothing. The checks that need the database (the comune is the Province's, a tax code is
/// not another comune's) and the writes share one transaction holding the write lock, so
/// no concurrent change slips between them.
///
/// # Errors
/// `InvalidRows` listing every bad row by line (always for a file without the required
/// header); database errors.
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    scope: &ImportScope,
    csv: &[u8],
    dry_run: bool,
) -> Result<ImportOutcome, AppError> {
    let txn = store::begin_write(db).await?;
    let areas: Vec<(String, String)> = store::reference::office_areas(&txn)
        .await?
        .into_iter()
        .map(|a| (a.code, a.name))
        .collect();
    let (rows, mut errors) = employee_import::parse(csv, scope, &areas);
    let comuni: HashSet<String> = store::comuni::list(&txn)
        .await?
        .into_iter()
        .map(|c| c.istat_code.as_str().to_owned())
        .collect();
    errors.extend(
        rows.iter()
            .filter(|r| !comuni.contains(r.fields.comune.as_str()))
            .map(|r| RowError {
                line: r.line,
                field: "comune_istat_code".into(),
                message: "comune inesistente in questa Provincia".into(),
            }),
    );
    errors.sort_by_key(|e| e.line);
    // A file without the required header is no file to report on, dry run or not.
    if errors.iter().any(|e| e.line == 1) {
        return Err(AppError::InvalidRows(errors));
    }
    if let Some(own) = &scope.only_comune {
        errors.extend(held_elsewhere(&txn, &rows, own).await?);
        errors.sort_by_key(|e| e.line);
    }
    if !dry_run && !errors.is_empty() {
        return Err(AppError::InvalidRows(errors));
    }
    let bad_lines: HashSet<usize> = errors.iter().map(|e| e.line).collect();
    let good: Vec<ImportRow> = rows
        .into_iter()
        .filter(|r| !bad_lines.contains(&r.line))
        .collect();
    let counts = if dry_run {
        let tax_codes: Vec<_> = good.iter().map(|r| &r.fields.tax_code).collect();
        let existing = store::employees::by_tax_codes(&txn, &tax_codes).await?;
        let updated = good
            .iter()
            .filter(|r| existing.contains_key(r.fields.tax_code.as_str()))
            .count();
        store::employees::ImportCounts {
            created: good.len() - updated,
            updated,
        }
    } else {
        let counts = store::employees::import(&txn, &good, actor.user_id).await?;
        txn.commit().await?;
        counts
    };
    Ok(ImportOutcome {
        dry_run,
        rows: good.len(),
        created: counts.created,
        updated: counts.updated,
        errors,
        mapped_titles: mapped_titles(&good),
    })
}

/// Rows whose tax code belongs to another comune's employee: a referente cannot take a
/// person over from another comune.
async fn held_elsewhere(
    db: &impl sea_orm::ConnectionTrait,
    rows: &[ImportRow],
    own: &IstatCode,
) -> Result<Vec<RowError>, AppError> {
    let tax_codes: Vec<_> = rows.iter().map(|r| &r.fields.tax_code).collect();
    let existing = store::employees::by_tax_codes(db, &tax_codes).await?;
    Ok(rows
        .iter()
        .filter(|r| {
            existing
                .get(r.fields.tax_code.as_str())
                .is_some_and(|(_, comune)| comune != own.as_str())
        })
        .map(|r| RowError {
            line: r.line,
            field: "tax_code".into(),
            message: "dipendente registrato in un altro comune".into(),
        })
        .collect())
}
