use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// The catalogue's change log: one row per change to an item the public catalogue shows
/// (a course or an edition), numbered in commit order. Triggers write it, so no write
/// path — a handler, the plan's publication, the demo, a venue renamed, a provider or a
/// theme relabelled — can forget to. Its head is the catalogue's generation: every
/// replica reads it from the database, so none serves an answer older than a committed
/// write.
///
/// Commit order: on PostgreSQL each writer takes one transaction-scoped advisory lock
/// before drawing numbers and keeps it until commit, so a number never becomes visible
/// after a larger one; SQLite has one writer at a time.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The lock every writer of the change log takes (an arbitrary constant: "catalogue").
pub const CHANGE_LOG_LOCK: i64 = 0x6361_7461_6c6f;

/// Columns of `editions` whose change the catalogue shows (not `created_at`, which
/// enrolments rewrite to itself to take the edition's lock).
const EDITION_COLUMNS: &str = "course_id, title, delivery, capacity, enrolment_opens_at, \
     enrolment_closes_at, available_from, available_until, access_url, self_enrolment, \
     comune_quota, status, sequence, updated_at, deleted_at";

/// What changes with each table, as `(trigger, table, events, rows to log)`; `{row}` is
/// the changed row (`NEW`, or `OLD` for a deletion). A provider or a theme counts only for
/// the columns the catalogue shows: an edit of a provider's private notes must neither
/// show in the public feed nor take the change log's lock.
fn triggers() -> Vec<(&'static str, &'static str, String, &'static str)> {
    let editions_of_course = "SELECT 'edition', id FROM editions WHERE course_id = {row}.id";
    vec![
        (
            "catalogue_course_inserted",
            "courses",
            "INSERT".into(),
            "SELECT 'course', {row}.id",
        ),
        (
            "catalogue_course_updated",
            "courses",
            "UPDATE".into(),
            "SELECT 'course', {row}.id",
        ),
        (
            "catalogue_course_editions",
            "courses",
            "UPDATE".into(),
            editions_of_course,
        ),
        (
            "catalogue_edition_inserted",
            "editions",
            "INSERT".into(),
            "SELECT 'edition', {row}.id",
        ),
        (
            "catalogue_edition_updated",
            "editions",
            format!("UPDATE OF {EDITION_COLUMNS}"),
            "SELECT 'edition', {row}.id",
        ),
        (
            "catalogue_session_inserted",
            "sessions",
            "INSERT".into(),
            "SELECT 'edition', {row}.edition_id",
        ),
        (
            "catalogue_session_updated",
            "sessions",
            "UPDATE".into(),
            "SELECT 'edition', {row}.edition_id",
        ),
        (
            "catalogue_session_deleted",
            "sessions",
            "DELETE".into(),
            "SELECT 'edition', {row}.edition_id",
        ),
        (
            "catalogue_venue_updated",
            "venues",
            "UPDATE".into(),
            "SELECT DISTINCT 'edition', edition_id FROM sessions WHERE venue_id = {row}.id",
        ),
        (
            "catalogue_provider_courses",
            "providers",
            "UPDATE OF name, vat_number".into(),
            "SELECT 'course', id FROM courses WHERE provider_id = {row}.id",
        ),
        (
            "catalogue_provider_editions",
            "providers",
            "UPDATE OF name, vat_number".into(),
            "SELECT 'edition', e.id FROM editions e JOIN courses c ON c.id = e.course_id \
             WHERE c.provider_id = {row}.id",
        ),
        (
            "catalogue_theme_courses",
            "themes",
            "UPDATE OF name".into(),
            "SELECT 'course', id FROM courses WHERE theme_code = {row}.code",
        ),
        (
            "catalogue_theme_editions",
            "themes",
            "UPDATE OF name".into(),
            "SELECT 'edition', e.id FROM editions e JOIN courses c ON c.id = e.course_id \
             WHERE c.theme_code = {row}.code",
        ),
    ]
}

/// Columns whose value must actually change for a trigger to log: a provider or a theme
/// is rewritten whole by its update, so `UPDATE OF` alone would fire on any edit.
fn must_change(trigger: &str) -> &'static [&'static str] {
    match trigger {
        "catalogue_provider_courses" | "catalogue_provider_editions" => &["name", "vat_number"],
        "catalogue_theme_courses" | "catalogue_theme_editions" => &["name"],
        _ => &[],
    }
}

/// The trigger's `WHEN` clause (empty when it always logs), in the database's dialect.
fn when_changed(trigger: &str, postgres: bool) -> String {
    let columns = must_change(trigger);
    if columns.is_empty() {
        return String::new();
    }
    let differs = |c: &&str| {
        if postgres {
            format!("OLD.{c} IS DISTINCT FROM NEW.{c}")
        } else {
            format!("OLD.{c} IS NOT NEW.{c}")
        }
    };
    format!(
        " WHEN ({})",
        columns.iter().map(differs).collect::<Vec<_>>().join(" OR ")
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        let seq = if postgres {
            "seq BIGSERIAL PRIMARY KEY"
        } else {
            "seq INTEGER PRIMARY KEY AUTOINCREMENT"
        };
        db.execute_unprepared(&format!(
            "CREATE TABLE catalogue_changes ({seq}, \
             item_kind TEXT NOT NULL CHECK (item_kind IN ('course', 'edition')), \
             item_id BIGINT NOT NULL)"
        ))
        .await?;
        db.execute_unprepared(
            "CREATE INDEX catalogue_changes_item ON catalogue_changes (item_kind, item_id, seq)",
        )
        .await?;
        // What is there already: one change per item, in the order of their last edit.
        db.execute_unprepared(
            "INSERT INTO catalogue_changes (item_kind, item_id) \
             SELECT 'course', id FROM courses ORDER BY updated_at, id",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO catalogue_changes (item_kind, item_id) \
             SELECT 'edition', id FROM editions ORDER BY updated_at, id",
        )
        .await?;
        for (name, table, events, rows) in triggers() {
            let row = if events == "DELETE" { "OLD" } else { "NEW" };
            let rows = rows.replace("{row}", row);
            if postgres {
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                     PERFORM pg_advisory_xact_lock({CHANGE_LOG_LOCK}); \
                     INSERT INTO catalogue_changes (item_kind, item_id) {rows}; \
                     RETURN NULL; END $$"
                ))
                .await?;
                let when = when_changed(name, true);
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {name} AFTER {events} ON {table} \
                     FOR EACH ROW{when} EXECUTE FUNCTION {name}()"
                ))
                .await?;
            } else {
                let when = when_changed(name, false);
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH ROW{when} BEGIN \
                     INSERT INTO catalogue_changes (item_kind, item_id) {rows}; END"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for (name, table, _, _) in triggers() {
            if postgres {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name} ON {table}"))
                    .await?;
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {name}()"))
                    .await?;
            } else {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}"))
                    .await?;
            }
        }
        db.execute_unprepared("DROP TABLE catalogue_changes")
            .await?;
        Ok(())
    }
}
