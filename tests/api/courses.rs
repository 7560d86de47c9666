//! Venues, courses and editions, and the rules the law and the rooms impose.
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{Backend, IMPERIA, TestApp, assert_problem, fields_at_fault, spawn_app};

/// A qualified provider (themes: privacy, sicurezza_preposti, digitalizzazione,
/// primo_soccorso) and a 30-seat room in Imperia.
pub async fn catalogue_setup(app: &TestApp) -> (String, i64, i64) {
    let admin = app.admin_token().await;
    let provider = app.insert_provider("Formazione Ligure").await;
    let venue = app
        .post_json("/venues", Some(&admin), &json!({"name": "Sala della Provincia", "address": "Viale Matteotti 147", "comune_istat_code": IMPERIA, "capacity": 30}))
        .await;
    assert_eq!(venue.status(), 201);
    let venue: Value = venue.json().await.unwrap();
    assert_eq!(
        venue["latitude"], 43.8865,
        "without coordinates the comune's are used"
    );
    (admin, provider, venue["id"].as_i64().unwrap())
}

pub fn course_body(provider: i64, theme: &str, modality: &str) -> Value {
    json!({"title": format!("Corso di {theme}"), "description": "Descrizione", "objectives": "Obiettivi",
           "theme_code": theme, "provider_id": provider, "hours": 6.0, "modality": modality,
           "target_office_areas": ["affari_generali", "demografici"], "min_attendance_percent": 80})
}

pub fn in_person_edition(venue: i64, capacity: i64) -> Value {
    json!({"title": "Edizione di Imperia", "delivery": "in_person", "capacity": capacity,
           "enrolment_opens_at": "2027-02-01T08:00:00Z", "enrolment_closes_at": "2027-03-10T18:00:00Z",
           "status": "open", "self_enrolment": true,
           "sessions": [{"starts_at": "2027-03-15T08:30:00Z", "ends_at": "2027-03-15T11:30:00Z", "venue_id": venue},
                        {"starts_at": "2027-03-22T08:30:00Z", "ends_at": "2027-03-22T11:30:00Z", "venue_id": venue}]})
}

pub async fn create(app: &TestApp, token: &str, path: &str, body: &Value) -> Value {
    let response = app.post_json(path, Some(token), body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

#[rstest]
#[tokio::test]
async fn courses_follow_their_lifecycle_and_the_providers_qualification(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (admin, provider, _) = catalogue_setup(&app).await;
    let course = create(
        &app,
        &admin,
        "/courses",
        &course_body(provider, "privacy", "blended"),
    )
    .await;
    assert_eq!(course["status"], "draft");
    assert_eq!(course["hours"], 6.0);
    let path = format!("/courses/{}", course["id"]);
    assert_problem(
        app.patch_merge(&path, &admin, &json!({"status": "archived"}), None)
            .await,
        409,
    )
    .await;
    let published = app
        .patch_merge(&path, &admin, &json!({"status": "published"}), None)
        .await;
    assert_eq!(published.status(), 200);
    assert_problem(
        app.patch_merge(&path, &admin, &json!({"status": "draft"}), None)
            .await,
        409,
    )
    .await;

    // The provider must be qualified for the theme; presence-only themes refuse e-learning.
    let problem = assert_problem(
        app.post_json(
            "/courses",
            Some(&admin),
            &course_body(provider, "antincendio", "in_person"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields_at_fault(&problem), ["#/theme_code"]);
    let problem = assert_problem(
        app.post_json(
            "/courses",
            Some(&admin),
            &course_body(provider, "sicurezza_preposti", "async_webinar"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields_at_fault(&problem), ["#/modality"]);
    let mut bad = course_body(provider, "privacy", "in_person");
    bad["hours"] = json!(0.1);
    bad["min_attendance_percent"] = json!(0);
    bad["title"] = json!("");
    bad["provider_id"] = json!(999);
    let problem = assert_problem(app.post_json("/courses", Some(&admin), &bad).await, 422).await;
    assert_eq!(
        fields_at_fault(&problem),
        [
            "#/hours",
            "#/min_attendance_percent",
            "#/provider_id",
            "#/title"
        ]
    );
}

#[rstest]
#[tokio::test]
async fn editions_respect_rooms_the_law_and_their_lifecycle(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (admin, provider, venue) = catalogue_setup(&app).await;
    let course = create(
        &app,
        &admin,
        "/courses",
        &course_body(provider, "sicurezza_preposti", "blended"),
    )
    .await;
    let editions = format!("/courses/{}/editions", course["id"]);

    let problem = assert_problem(
        app.post_json(&editions, Some(&admin), &in_person_edition(venue, 40))
            .await,
        422,
    )
    .await;
    assert_eq!(
        fields_at_fault(&problem),
        ["#/capacity"],
        "no more seats than the room"
    );
    let webinar = json!({"title": "Online", "delivery": "async_webinar", "capacity": 500,
        "enrolment_opens_at": "2027-02-01T08:00:00Z", "enrolment_closes_at": "2027-03-10T18:00:00Z",
        "available_from": "2027-03-01T00:00:00Z", "available_until": "2027-04-01T00:00:00Z",
        "access_url": "https://webinar.example/preposti"});
    let problem = assert_problem(app.post_json(&editions, Some(&admin), &webinar).await, 422).await;
    assert_eq!(
        fields_at_fault(&problem),
        ["#/delivery"],
        "supervisors' training must be in presence"
    );

    let edition = create(&app, &admin, &editions, &in_person_edition(venue, 25)).await;
    assert_eq!(edition["sessions"].as_array().unwrap().len(), 2);
    assert_eq!(edition["sequence"], 0);
    let path = format!("/editions/{}", edition["id"]);
    assert_problem(
        app.patch_merge(&path, &admin, &json!({"status": "completed"}), None)
            .await,
        409,
    )
    .await;
    assert_problem(app.delete(&path, &admin).await, 409).await;
    let closed = app
        .patch_merge(&path, &admin, &json!({"status": "closed"}), None)
        .await;
    assert_eq!(closed.status(), 200);
    let etag = closed.headers()["etag"].to_str().unwrap().to_owned();
    let closed: Value = closed.json().await.unwrap();
    assert_eq!(closed["sequence"], 1);
    let response = app
        .patch_merge(&path, &admin, &json!({"status": "cancelled"}), Some(&etag))
        .await;
    assert_eq!(response.status(), 200);
    assert_problem(
        app.patch_merge(&path, &admin, &json!({"status": "open"}), Some(&etag))
            .await,
        412,
    )
    .await;
    assert_problem(
        app.patch_merge(&path, &admin, &json!({"status": "open"}), None)
            .await,
        409,
    )
    .await;
    assert_eq!(app.delete(&path, &admin).await.status(), 204);
    assert_problem(app.get(&path, Some(&admin)).await, 404).await;

    // The venue still hosts nothing now, so it can go; a used one cannot.
    let second = create(&app, &admin, &editions, &in_person_edition(venue, 10)).await;
    assert_problem(app.delete(&format!("/venues/{venue}"), &admin).await, 409).await;
    assert!(second["id"].is_i64());
}

#[rstest]
#[tokio::test]
async fn provider_staff_manage_only_their_own_editions(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (admin, other_provider, venue) = catalogue_setup(&app).await;
    let staff = app.login_as("provider", None).await;
    let own_provider = app
        .get("/auth/me", Some(&staff.token))
        .await
        .json::<Value>()
        .await
        .unwrap()["provider_id"]
        .as_i64()
        .unwrap();
    let own = create(
        &app,
        &admin,
        "/courses",
        &course_body(own_provider, "privacy", "in_person"),
    )
    .await;
    let other = create(
        &app,
        &admin,
        "/courses",
        &course_body(other_provider, "privacy", "in_person"),
    )
    .await;

    let edition = create(
        &app,
        &staff.token,
        &format!("/courses/{}/editions", own["id"]),
        &in_person_edition(venue, 20),
    )
    .await;
    let response = app
        .patch_merge(
            &format!("/editions/{}", edition["id"]),
            &staff.token,
            &json!({"capacity": 18}),
            None,
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_problem(
        app.post_json(
            &format!("/courses/{}/editions", other["id"]),
            Some(&staff.token),
            &in_person_edition(venue, 20),
        )
        .await,
        403,
    )
    .await;
    assert_problem(
        app.post_json(
            "/courses",
            Some(&staff.token),
            &course_body(own_provider, "privacy", "in_person"),
        )
        .await,
        403,
    )
    .await;
    assert_problem(
        app.get(&format!("/courses/{}", other["id"]), Some(&staff.token))
            .await,
        403,
    )
    .await;
    let page: Value = app
        .get("/courses", Some(&staff.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1, "staff see their provider's courses only");
    let page: Value = app
        .get("/editions", Some(&staff.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 1);

    let referente = app.login_as("referente", Some(IMPERIA)).await;
    assert_problem(app.get("/courses", Some(&referente.token)).await, 403).await;
    assert_problem(app.get("/venues", Some(&referente.token)).await, 403).await;
}
