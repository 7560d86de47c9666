use rstest::rstest;

use crate::helpers::{Backend, assert_problem, spawn_app};

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
