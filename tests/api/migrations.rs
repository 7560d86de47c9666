//! Every migration can be applied from scratch and rolled back to nothing.
use migration::{Migrator, MigratorTrait};
use rstest::rstest;
use sea_orm::Database;

use crate::helpers::{Backend, TestDb, spawn_app};

#[rstest]
#[tokio::test]
async fn migrations_go_up_and_all_the_way_down(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let test_db = TestDb::create(backend).await;
    let db = Database::connect(test_db.url()).await.unwrap();
    Migrator::fresh(&db).await.unwrap();
    let applied = Migrator::get_applied_migrations(&db).await.unwrap();
    assert_eq!(applied.len(), Migrator::migrations().len());
    Migrator::down(&db, None).await.unwrap();
    assert!(
        Migrator::get_applied_migrations(&db)
            .await
            .unwrap()
            .is_empty()
    );
    Migrator::up(&db, None).await.unwrap();
    assert!(
        Migrator::get_pending_migrations(&db)
            .await
            .unwrap()
            .is_empty()
    );
    db.close().await.unwrap();
}

/// Certificates issued as bare serials (`IM-2027-000042`) could be counted through on the
/// public check: the migration gives each the random part new numbers carry, and the bare
/// serial stops answering.
#[rstest]
#[tokio::test]
async fn certificate_numbers_issued_as_serials_become_unguessable(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    cabina::demo::fill(&app.app_db, "IM", 2027).await.unwrap();
    let migrations = Migrator::migrations().len();
    let db = Database::connect(app.db.url()).await.unwrap();
    // Back to before the certificate migration, whatever came after it.
    let certificate_migration = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261202_000001_unguessable_certificate_numbers")
        .unwrap();
    let later = u32::try_from(migrations - certificate_migration).unwrap();
    Migrator::down(&db, Some(later)).await.unwrap();
    let serials = certificate_numbers(&db).await;
    assert!(!serials.is_empty(), "the demo issues certificates");
    assert!(
        serials.iter().all(|n| n.len() == "IM-2027-000042".len()),
        "before: bare serials {serials:?}"
    );
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(
        Migrator::get_applied_migrations(&db).await.unwrap().len(),
        migrations
    );
    let numbers = certificate_numbers(&db).await;
    for (serial, number) in serials.iter().zip(&numbers) {
        let random = number
            .strip_prefix(&format!("{serial}-"))
            .unwrap_or_else(|| panic!("{number} extends {serial}"));
        assert!(
            random.len() == 10
                && random
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()),
            "{number}: ten upper-case hex digits"
        );
    }
    let distinct: std::collections::HashSet<_> = numbers.iter().map(|n| &n[15..]).collect();
    assert_eq!(distinct.len(), numbers.len(), "each drawn on its own");
    let check = app
        .get(&format!("/certificates/{}", numbers[0]), None)
        .await;
    assert_eq!(check.status(), 200);
    let guess = app
        .get(&format!("/certificates/{}", serials[0]), None)
        .await;
    assert_eq!(guess.status(), 404);
    db.close().await.unwrap();
}

async fn certificate_numbers(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT certificate_number FROM enrolments \
             WHERE certificate_number IS NOT NULL ORDER BY id",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| row.try_get::<String>("", "certificate_number").unwrap())
        .collect()
}
