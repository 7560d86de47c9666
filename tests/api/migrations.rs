//! Every migration can be applied from scratch and rolled back to nothing.
use migration::{Migrator, MigratorTrait};
use rstest::rstest;
use sea_orm::Database;

use crate::helpers::{Backend, TestDb};

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
