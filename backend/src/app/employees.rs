//! Employees of the comuni: personal data, scoped to a comune, logged on every access.
use std::collections::HashSet;

use sea_orm::DatabaseConnection;

use super::AppError;
use crate::domain::access::{Actor, Scope};
use crate::domain::comune::IstatCode;
use crate::domain::employee_import::{self, ImportRow, ImportScope, RowError};
use crate::store;

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
