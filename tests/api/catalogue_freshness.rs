//! The public catalogue never lags behind a committed write, whatever was written and by
//! whichever replica: the public view is compared with the admin's after each kind of write.
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{Catalogue, ProviderId, VenueId, course_body, in_person_edition};
use crate::helpers::{Backend, TestApp, TestDb, spawn_app, spawn_app_on};

/// A public catalogue answer and its ETag.
async fn public(app: &TestApp, path: &str) -> (Value, String) {
    let response = app.get(path, None).await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    (response.json().await.unwrap(), etag)
}

/// What the admin reads of a resource.
async fn admin_view(app: &TestApp, admin: &str, path: &str) -> Value {
    let response = app.get(path, Some(admin)).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn patch(app: &TestApp, admin: &str, path: &str, body: Value) {
    let response = app.patch_merge(path, admin, &body, None).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

/// A published course with one in-person edition at `venue`; the course's id.
async fn published_course_with_edition(
    app: &TestApp,
    admin: &str,
    provider: ProviderId,
    venue: VenueId,
) -> i64 {
    let mut body = course_body(provider, "privacy", "in_person");
    body["status"] = json!("published");
    let course = app.create(admin, "/courses", &body).await;
    let path = format!("/courses/{}/editions", course["id"]);
    app.create(admin, &path, &in_person_edition(venue, 20))
        .await;
    course["id"].as_i64().unwrap()
}

#[rstest]
#[tokio::test]
async fn a_renamed_venue_shows_in_the_catalogue_at_once(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    published_course_with_edition(&app, &admin, provider, venue).await;
    let (_, before) = public(&app, "/catalogue/editions").await;

    patch(
        &app,
        &admin,
        &format!("/venues/{venue}"),
        json!({"name": "Sala consiliare"}),
    )
    .await;

    let (page, after) = public(&app, "/catalogue/editions").await;
    let admin_name = admin_view(&app, &admin, &format!("/venues/{venue}")).await["name"].clone();
    assert_eq!(admin_name, "Sala consiliare");
    for session in page["items"][0]["sessions"].as_array().unwrap() {
        assert_eq!(session["venue"]["name"], admin_name);
    }
    assert_ne!(before, after, "a changed answer has a new ETag");
    let calendar = app
        .get("/catalogue/calendar", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(calendar.contains("Sala consiliare"), "{calendar}");
}

#[rstest]
#[tokio::test]
async fn a_renamed_provider_shows_in_the_catalogue_at_once(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    published_course_with_edition(&app, &admin, provider, venue).await;
    let (_, before) = public(&app, "/catalogue/courses").await;

    patch(
        &app,
        &admin,
        &format!("/providers/{provider}"),
        json!({"name": "Scuola Ligure PA"}),
    )
    .await;

    let (page, after) = public(&app, "/catalogue/courses").await;
    let admin_name =
        admin_view(&app, &admin, &format!("/providers/{provider}")).await["name"].clone();
    assert_eq!(admin_name, "Scuola Ligure PA");
    assert_eq!(page["items"][0]["provider_name"], admin_name);
    assert_ne!(before, after);
}

#[rstest]
#[tokio::test]
async fn a_relabelled_theme_shows_in_the_catalogue_at_once(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    published_course_with_edition(&app, &admin, provider, venue).await;
    let (_, before) = public(&app, "/catalogue/courses").await;

    // Reference data change when a new release relabels a theme (the seed rewrites it at
    // start); the catalogue follows the database, not the code path that wrote it.
    app.execute("UPDATE themes SET name = 'Privacy e dati personali' WHERE code = 'privacy'")
        .await;

    let (page, after) = public(&app, "/catalogue/courses").await;
    let themes = admin_view(&app, &admin, "/themes").await;
    let label = themes["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "privacy")
        .map(|t| t["name"].clone())
        .unwrap();
    assert_eq!(label, "Privacy e dati personali");
    assert_eq!(page["items"][0]["theme_name"], label);
    assert_ne!(before, after);
}

#[rstest]
#[tokio::test]
async fn a_renamed_comune_shows_as_the_place_of_its_venues_at_once(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    published_course_with_edition(&app, &admin, provider, venue).await;
    let (page, before) = public(&app, "/catalogue/editions").await;
    let code = page["items"][0]["sessions"][0]["venue"]["comune_istat_code"]
        .as_str()
        .unwrap()
        .to_owned();

    // A new release of the ISTAT list renames a comune; the seed rewrites it at start.
    app.execute(&format!(
        "UPDATE comuni SET name = 'Imperia Porto Maurizio' WHERE istat_code = '{code}'"
    ))
    .await;

    let (page, after) = public(&app, "/catalogue/editions").await;
    let name = admin_view(&app, &admin, &format!("/comuni/{code}")).await["name"].clone();
    assert_eq!(name, "Imperia Porto Maurizio");
    assert_eq!(
        page["items"][0]["sessions"][0]["venue"]["comune_name"],
        name
    );
    assert_ne!(before, after);
}

#[tokio::test]
async fn another_replica_serves_a_committed_write_on_the_next_request() {
    let db = TestDb::create(Backend::Postgres).await;
    let url = db.url().to_owned();
    let first = spawn_app_on(db, Backend::Postgres, |_| {}).await;
    let second = spawn_app_on(TestDb::Shared { url }, Backend::Postgres, |_| {}).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = first.catalogue().await;
    let course = published_course_with_edition(&first, &admin, provider, venue).await;
    let (page, _) = public(&second, "/catalogue/courses").await;
    assert_eq!(page["items"][0]["provider_name"], "Formazione Ligure");

    // Each write through one replica is on the other's very next answer: no waiting for a
    // notification to arrive.
    patch(
        &first,
        &admin,
        &format!("/providers/{provider}"),
        json!({"name": "Scuola Ligure PA"}),
    )
    .await;
    let (page, _) = public(&second, "/catalogue/courses").await;
    assert_eq!(page["items"][0]["provider_name"], "Scuola Ligure PA");
    patch(
        &first,
        &admin,
        &format!("/courses/{course}"),
        json!({"status": "archived"}),
    )
    .await;
    let (page, _) = public(&second, "/catalogue/courses").await;
    assert_eq!(page["total"], 0);
}
