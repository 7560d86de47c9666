//! Reads everything the public catalogue is built from, in one transaction so that the
//! snapshot is consistent.
use std::collections::HashMap;

use sea_orm::{
    AccessMode, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, EntityTrait, IsolationLevel, QueryFilter, QuerySelect, Statement, TransactionTrait,
};

use super::StoreError;
use crate::domain::catalogue::{
    CatalogueData, Change, CourseEntry, EditionEntry, ItemKind, VenueInfo,
};
use crate::domain::comune::Coordinates;
use crate::domain::enrolment::EnrolmentStatus;
use crate::entities::{comune, course, edition, enrolment, office_area, provider, theme, venue};

/// The whole catalogue (deleted items included, for tombstones). Anyone may call it: it
/// holds no personal data.
///
/// # Errors
/// Database errors only.
pub async fn snapshot(db: &DatabaseConnection) -> Result<CatalogueData, StoreError> {
    // PostgreSQL's default (read committed) gives each statement its own snapshot: a write
    // committed between two of the reads below would mix two versions of the catalogue.
    // SQLite's read transaction is one snapshot already.
    let txn = match db.get_database_backend() {
        DbBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await?
        }
        _ => db.begin().await?,
    };
    let themes: HashMap<String, String> = theme::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| (t.code, t.name))
        .collect();
    let providers: HashMap<i64, (String, Option<String>)> = provider::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.name, p.vat_number)))
        .collect();
    let course_rows = course::Entity::find().all(&txn).await?;
    let deleted_courses: HashMap<i64, bool> = course_rows
        .iter()
        .map(|c| (c.id, c.deleted_at.is_some()))
        .collect();
    let courses = super::courses::courses_from(&txn, course_rows)
        .await?
        .into_iter()
        .map(|course| {
            let entry = CourseEntry {
                deleted: deleted_courses[&course.id],
                theme_name: themes
                    .get(&course.fields.theme_code)
                    .cloned()
                    .unwrap_or_default(),
                provider_name: providers
                    .get(&course.fields.provider_id)
                    .map(|p| p.0.clone())
                    .unwrap_or_default(),
                provider_vat_number: providers
                    .get(&course.fields.provider_id)
                    .and_then(|p| p.1.clone()),
                course,
            };
            (entry.course.id, entry)
        })
        .collect();
    let edition_rows = edition::Entity::find()
        .filter(edition::Column::Id.gt(0))
        .all(&txn)
        .await?;
    let deleted_editions: HashMap<i64, bool> = edition_rows
        .iter()
        .map(|e| (e.id, e.deleted_at.is_some()))
        .collect();
    let seats_taken = seats_taken(&txn).await?;
    let editions = super::courses::editions_from(&txn, edition_rows)
        .await?
        .into_iter()
        .map(|edition| EditionEntry {
            deleted: deleted_editions[&edition.id],
            seats_taken: seats_taken.get(&edition.id).copied().unwrap_or(0),
            edition,
        })
        .collect();
    let comuni_rows = comune::Entity::find().all(&txn).await?;
    let comune_names: HashMap<String, String> = comuni_rows
        .iter()
        .map(|c| (c.istat_code.clone(), c.name.clone()))
        .collect();
    let venues = venue::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|v| {
            let info = VenueInfo {
                id: v.id,
                comune_name: comune_names
                    .get(&v.comune_istat_code)
                    .cloned()
                    .unwrap_or_default(),
                name: v.name,
                address: v.address,
                accessibility_notes: v.accessibility_notes,
                comune_istat_code: v.comune_istat_code,
                coordinates: Coordinates {
                    latitude: v.latitude,
                    longitude: v.longitude,
                },
            };
            (info.id, info)
        })
        .collect();
    let comuni = comuni_rows
        .into_iter()
        .map(|c| {
            (
                c.istat_code,
                Coordinates {
                    latitude: c.latitude,
                    longitude: c.longitude,
                },
            )
        })
        .collect();
    let office_areas = office_area::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| (a.code, a.name))
        .collect();
    txn.commit().await?;
    Ok(CatalogueData {
        courses,
        editions,
        venues,
        comuni,
        office_areas,
    })
}

/// Enrolments holding a seat, by edition.
async fn seats_taken(txn: &DatabaseTransaction) -> Result<HashMap<i64, i32>, StoreError> {
    let held: Vec<&str> = EnrolmentStatus::ALL
        .into_iter()
        .filter(|s| s.holds_seat())
        .map(EnrolmentStatus::as_str)
        .collect();
    let rows: Vec<(i64, i64)> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::EditionId)
        .column_as(enrolment::Column::Id.count(), "taken")
        .filter(enrolment::Column::Status.is_in(held))
        .group_by(enrolment::Column::EditionId)
        .into_tuple()
        .all(txn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(edition, taken)| (edition, i32::try_from(taken).unwrap_or(i32::MAX)))
        .collect())
}

/// The head of the catalogue's change log: the number of the last committed change to
/// anything the catalogue shows (0 before any). Triggers keep the log (see the migration
/// `m20261203_000001_catalogue_changes`), so every write path moves it, on every replica.
///
/// # Errors
/// Database errors only.
pub async fn head(db: &DatabaseConnection) -> Result<u64, StoreError> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COALESCE(MAX(seq), 0) AS head FROM catalogue_changes",
        ))
        .await?;
    let head: i64 = match row {
        Some(row) => row.try_get("", "head")?,
        None => 0,
    };
    Ok(u64::try_from(head).unwrap_or(0))
}

/// The items changed after `after` up to `upto` (a head read before), each once at its
/// latest change, in the order of those changes; at most `limit`. Everything numbered up to
/// a head that was read is committed (see `head`), so a page never skips a change that
/// commits later.
///
/// # Errors
/// Database errors only.
pub async fn changes(
    db: &DatabaseConnection,
    after: u64,
    upto: u64,
    limit: u64,
) -> Result<Vec<Change>, StoreError> {
    let backend = db.get_database_backend();
    let (after_at, upto_at, limit_at) = match backend {
        DbBackend::Postgres => ("$1", "$2", "$3"),
        _ => ("?", "?", "?"),
    };
    // An item still in draft (a draft course, a draft edition or one of a draft course)
    // has never been public, and a draft never comes back once left: the feed does not
    // name it, not even as a removal, so the drafts' ids and timing stay private.
    let sql = format!(
        "SELECT log.item_kind, log.item_id, MAX(log.seq) AS seq FROM catalogue_changes log \
         LEFT JOIN courses course ON log.item_kind = 'course' AND course.id = log.item_id \
         LEFT JOIN editions edition ON log.item_kind = 'edition' AND edition.id = log.item_id \
         LEFT JOIN courses parent ON parent.id = edition.course_id \
         WHERE log.seq > {after_at} AND log.seq <= {upto_at} \
         AND COALESCE(course.status, '') <> 'draft' \
         AND COALESCE(edition.status, '') <> 'draft' \
         AND COALESCE(parent.status, '') <> 'draft' \
         GROUP BY log.item_kind, log.item_id ORDER BY seq LIMIT {limit_at}"
    );
    let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            &sql,
            [
                as_i64(after).into(),
                as_i64(upto).into(),
                as_i64(limit).into(),
            ],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("", "item_kind")?;
            let id: i64 = row.try_get("", "item_id")?;
            let seq: i64 = row.try_get("", "seq")?;
            Ok(Change {
                kind: ItemKind::parse(&kind)
                    .ok_or_else(|| DbErr::Type(format!("catalogue_changes.item_kind {kind:?}")))?,
                id,
                seq: u64::try_from(seq).unwrap_or(0),
            })
        })
        .collect()
}
