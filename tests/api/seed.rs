//! Starting again on the same database changes nothing that people entered.
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, IMPERIA, TestDb, spawn_app_on};

#[rstest]
#[tokio::test]
async fn restarting_keeps_data_and_never_overwrites_the_admin(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let db = TestDb::create(backend).await;
    let first = spawn_app_on(db, backend, |_| {}).await;
    let admin = first.admin_token().await;
    let path = format!("/comuni/{IMPERIA}");
    let response = first
        .merge_patch(
            &path,
            &admin,
            &json!({"pec": "protocollo@pec.comune.imperia.it"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();

    // Start a second instance on the same database, with another admin password.
    let db = first.db;
    first.app_db.close_by_ref().await.ok();
    let second = spawn_app_on(db, backend, |s| {
        s.admin_password = Some("a-different-password".into())
    })
    .await;
    let page = second.read("/comuni", None).await;
    assert_eq!(page["total"], 66, "no comune is duplicated");
    let response = second.get(&path, Some(&second.admin_token().await)).await;
    assert_eq!(
        response.headers()["etag"].to_str().unwrap(),
        etag,
        "re-seeding does not touch the comune"
    );
    let imperia: Value = response.json().await.unwrap();
    assert_eq!(
        imperia["contacts"]["pec"],
        "protocollo@pec.comune.imperia.it"
    );
    assert_eq!(
        second.login(ADMIN_EMAIL, ADMIN_PASSWORD).await.status(),
        200,
        "the admin keeps the first password"
    );
    assert_eq!(
        second
            .login(ADMIN_EMAIL, "a-different-password")
            .await
            .status(),
        401
    );
}

#[rstest]
#[tokio::test]
async fn another_province_seeds_its_own_comuni(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let db = TestDb::create(backend).await;
    let app = spawn_app_on(db, backend, |s| s.province = "SV".into()).await;
    let page = app.read("/comuni?sort=-population&limit=1", None).await;
    assert_eq!(page["total"], 69);
    assert_eq!(page["items"][0]["name"], "Savona");
    assert_eq!(page["items"][0]["distance_km"], 0.0);
}
