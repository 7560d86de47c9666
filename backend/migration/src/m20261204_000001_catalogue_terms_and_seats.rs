use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::m20261203_000001_catalogue_changes::CHANGE_LOG_LOCK;

/// What an aggregator needs in each catalogue item and the catalogue did not hold: what a
/// participant pays and the language of a course, and the seats left in an edition; and a
/// renamed comune, which the catalogue shows as the place of its venues, in the change log.
///
/// Seats left change with enrolments, so an enrolment that takes or frees a seat is a
/// change of its edition in the change log (a waitlisted or pending enrolment is not:
/// it holds no seat).
#[derive(DeriveMigrationName)]
pub struct Migration;

/// Statuses that hold a seat (`EnrolmentStatus::holds_seat`).
const HOLDS_SEAT: &str = "('confirmed', 'completed')";

/// `(trigger, events, WHEN condition)` on `enrolments`; each logs the enrolment's edition.
fn triggers() -> [(&'static str, &'static str, String); 3] {
    [
        (
            "catalogue_seat_taken",
            "INSERT",
            format!("NEW.status IN {HOLDS_SEAT}"),
        ),
        (
            "catalogue_seat_moved",
            "UPDATE OF status",
            format!("(OLD.status IN {HOLDS_SEAT}) <> (NEW.status IN {HOLDS_SEAT})"),
        ),
        (
            "catalogue_seat_freed",
            "DELETE",
            format!("OLD.status IN {HOLDS_SEAT}"),
        ),
    ]
}

/// A comune renamed (the reference data reloaded after an ISTAT change) renames the place of
/// every edition held in one of its venues.
const COMUNE_RENAMED: &str = "catalogue_comune_renamed";
const EDITIONS_IN_COMUNE: &str = "SELECT DISTINCT 'edition', s.edition_id FROM sessions s \
     JOIN venues v ON v.id = s.venue_id WHERE v.comune_istat_code = NEW.istat_code";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Courses::Table)
                    .add_column(
                        ColumnDef::new(Courses::ParticipantFeeCents)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Courses::Table)
                    .add_column(
                        ColumnDef::new(Courses::Language)
                            .string_len(2)
                            .not_null()
                            .default("it"),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for (name, events, when) in triggers() {
            let row = if events == "DELETE" { "OLD" } else { "NEW" };
            let log = format!(
                "INSERT INTO catalogue_changes (item_kind, item_id) VALUES ('edition', {row}.edition_id)"
            );
            if postgres {
                db.execute_unprepared(&format!(
                    "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                     PERFORM pg_advisory_xact_lock({CHANGE_LOG_LOCK}); {log}; \
                     RETURN NULL; END $$"
                ))
                .await?;
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {name} AFTER {events} ON enrolments \
                     FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {name}()"
                ))
                .await?;
            } else {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {name} AFTER {events} ON enrolments FOR EACH ROW \
                     WHEN ({when}) BEGIN {log}; END"
                ))
                .await?;
            }
        }
        if postgres {
            db.execute_unprepared(&format!(
                "CREATE FUNCTION {COMUNE_RENAMED}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 PERFORM pg_advisory_xact_lock({CHANGE_LOG_LOCK}); \
                 INSERT INTO catalogue_changes (item_kind, item_id) {EDITIONS_IN_COMUNE}; \
                 RETURN NULL; END $$"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {COMUNE_RENAMED} AFTER UPDATE OF name ON comuni FOR EACH ROW \
                 WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION {COMUNE_RENAMED}()"
            ))
            .await?;
        } else {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {COMUNE_RENAMED} AFTER UPDATE OF name ON comuni FOR EACH ROW \
                 WHEN (OLD.name IS NOT NEW.name) BEGIN \
                 INSERT INTO catalogue_changes (item_kind, item_id) {EDITIONS_IN_COMUNE}; END"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for (name, _, _) in triggers() {
            if postgres {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name} ON enrolments"))
                    .await?;
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {name}()"))
                    .await?;
            } else {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}"))
                    .await?;
            }
        }
        if postgres {
            db.execute_unprepared(&format!(
                "DROP TRIGGER IF EXISTS {COMUNE_RENAMED} ON comuni"
            ))
            .await?;
            db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {COMUNE_RENAMED}()"))
                .await?;
        } else {
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {COMUNE_RENAMED}"))
                .await?;
        }
        for column in [Courses::Language, Courses::ParticipantFeeCents] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Courses::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    ParticipantFeeCents,
    Language,
}
