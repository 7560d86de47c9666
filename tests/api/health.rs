use rstest::rstest;

use serde_json::{Value, json};

use crate::helpers::{Backend, TestDb, assert_problem, spawn_app, spawn_app_on};

#[rstest]
#[tokio::test]
async fn status_is_200_with_a_problem_shaped_body(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let response = app.get("/status", None).await;
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = assert_problem(response, 200).await;
    assert_eq!(body["title"], "OK");
}

#[rstest]
#[tokio::test]
async fn status_is_503_with_retry_after_when_the_database_is_gone(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.app_db.close_by_ref().await.unwrap();
    let response = app.get("/status", None).await;
    assert_eq!(response.headers()["retry-after"], "30");
    assert_problem(response, 503).await;
    // Other endpoints say the same instead of failing with a 500.
    let response = app.get("/themes", None).await;
    assert_problem(response, 503).await;
}

/// A database that cannot store anything — a read-only replica, a disk remounted read-only
/// after an error — answers every write with a clear 503 to retry, keeps serving reads,
/// and loses nothing it acknowledged before.
#[rstest]
#[tokio::test]
async fn a_read_only_database_is_a_clear_503_and_loses_nothing(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let venue = json!({"name": "Sala A", "address": "Via Roma 1", "comune_istat_code": "008031", "capacity": 30});
    let created = app.post_json("/venues", Some(&admin), &venue).await;
    assert_eq!(created.status(), 201, "acknowledged");
    let created: Value = created.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();
    let before = app.read("/venues", Some(&admin)).await;

    // SQLite: a second server opens the file read-only. PostgreSQL: the database turns
    // read-only under the running server (its connections are dropped and come back so).
    let replica = match (&app.db, backend) {
        (TestDb::Postgres { name, .. }, _) => {
            app.execute(&format!(
                "ALTER DATABASE \"{name}\" SET default_transaction_read_only = on"
            ))
            .await;
            app.execute(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ))
            .await;
            None
        }
        _ => {
            let url = app.db.url().replace("mode=rwc", "mode=ro");
            Some(spawn_app_on(TestDb::Shared { url }, backend, |_| {}).await)
        }
    };
    let replica = replica.as_ref().unwrap_or(&app);
    let read = replica.get(&format!("/venues/{id}"), Some(&admin)).await;
    assert_eq!(read.status(), 200, "reads go on");

    let refused = replica
        .post_json("/venues", Some(&admin), &json!({"name": "Sala B", "address": "Via Roma 2", "comune_istat_code": "008031", "capacity": 20}))
        .await;
    assert_eq!(refused.headers()["retry-after"], "30");
    let problem = assert_problem(refused, 503).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("nulla è stato modificato"),
        "{problem}"
    );
    let tag = read_etag(replica, &admin, id).await;
    let refused = replica
        .patch_merge(
            &format!("/venues/{id}"),
            &admin,
            &json!({"capacity": 5}),
            Some(&tag),
        )
        .await;
    assert_problem(refused, 503).await;

    let after = app.read("/venues", Some(&admin)).await;
    assert_eq!(after, before, "nothing half-written, nothing lost");
    assert!(after["items"].as_array().unwrap().contains(&created));
}

/// PostgreSQL out of disk (`disk_full`, raised here by a trigger, as the server raises it
/// when it cannot extend a file): a clear 503, and the same write succeeds once space is
/// back.
#[tokio::test]
async fn a_full_disk_is_a_clear_503_until_space_is_back() {
    let app = spawn_app(Backend::Postgres).await;
    let admin = app.admin_token().await;
    app.execute(
        "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
         RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; \
         END $$; \
         CREATE TRIGGER disk_full BEFORE INSERT ON venues FOR EACH ROW EXECUTE FUNCTION disk_full();",
    )
    .await;
    let venue = json!({"name": "Sala A", "address": "Via Roma 1", "comune_istat_code": "008031", "capacity": 30});
    let refused = app.post_json("/venues", Some(&admin), &venue).await;
    let problem = assert_problem(refused, 503).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("spazio esaurito"),
        "{problem}"
    );
    app.execute("DROP TRIGGER disk_full ON venues").await;
    assert_eq!(
        app.post_json("/venues", Some(&admin), &venue)
            .await
            .status(),
        201
    );
}

async fn read_etag(app: &crate::helpers::TestApp, token: &str, id: i64) -> String {
    let response = app.get(&format!("/venues/{id}"), Some(token)).await;
    response.headers()["etag"].to_str().unwrap().to_owned()
}
