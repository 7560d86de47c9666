//! Venues, courses and editions, and the rules the law and the rooms impose.
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{Catalogue, CourseId, EditionId, course_body, in_person_edition};
use crate::helpers::{
    Backend, IMPERIA, assert_invalid, assert_problem, fields_at_fault, spawn_app,
};

#[rstest]
#[tokio::test]
async fn a_venue_without_coordinates_is_placed_at_its_comune(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let venue = app.venue(&admin).create().await;
    assert_eq!(
        venue["latitude"], 43.8865,
        "without coordinates the comune's are used"
    );
}

#[rstest]
#[tokio::test]
async fn a_course_starts_as_a_draft_and_its_status_only_moves_forward(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin, provider, ..
    } = app.catalogue().await;
    let course = app
        .course(&admin, provider)
        .modality("blended")
        .create()
        .await;
    assert_eq!(course["status"], "draft");
    assert_eq!(course["hours"], 6.0);
    let path = course.id.path();
    assert_problem(app.set_status(&admin, &path, "archived").await, 409).await;
    assert_eq!(
        app.set_status(&admin, &path, "published").await.status(),
        200
    );
    assert_problem(app.set_status(&admin, &path, "draft").await, 409).await;
}

#[rstest]
#[tokio::test]
async fn a_course_needs_a_provider_qualified_for_its_theme(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin, provider, ..
    } = app.catalogue().await;
    let unqualified = app
        .course(&admin, provider)
        .theme("antincendio")
        .send()
        .await;
    assert_invalid(unqualified, &["#/theme_code"]).await;
}

#[rstest]
#[tokio::test]
async fn a_presence_only_theme_refuses_e_learning(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin, provider, ..
    } = app.catalogue().await;
    let webinar = app
        .course(&admin, provider)
        .theme("sicurezza_preposti")
        .modality("async_webinar")
        .send()
        .await;
    assert_invalid(webinar, &["#/modality"]).await;
}

#[rstest]
#[tokio::test]
async fn an_invalid_course_is_refused_naming_every_bad_field(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin, provider, ..
    } = app.catalogue().await;
    let mut bad = course_body(provider, "privacy", "in_person");
    bad["hours"] = json!(0.1);
    bad["min_attendance_percent"] = json!(0);
    bad["title"] = json!("");
    bad["provider_id"] = json!(999);
    assert_invalid(
        app.post_json("/courses", Some(&admin), &bad).await,
        &[
            "#/hours",
            "#/min_attendance_percent",
            "#/provider_id",
            "#/title",
        ],
    )
    .await;
}

/// A course of supervisors' safety training (presence only), and the admin's token.
async fn supervisors_course(app: &crate::helpers::TestApp) -> (Catalogue, CourseId) {
    let catalogue = app.catalogue().await;
    let course = app
        .course(&catalogue.admin, catalogue.provider)
        .theme("sicurezza_preposti")
        .modality("blended")
        .create()
        .await;
    (catalogue, course.id)
}

#[rstest]
#[tokio::test]
async fn an_edition_has_no_more_seats_than_its_room(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (Catalogue { admin, venue, .. }, course) = supervisors_course(&app).await;
    let crowded = app
        .edition(&admin, course, in_person_edition(venue, 40))
        .send()
        .await;
    let problem = assert_problem(crowded, 422).await;
    assert_eq!(
        fields_at_fault(&problem),
        ["#/capacity"],
        "no more seats than the room"
    );
}

#[rstest]
#[tokio::test]
async fn supervisors_safety_training_is_given_in_presence_only(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (Catalogue { admin, .. }, course) = supervisors_course(&app).await;
    let webinar = json!({"title": "Online", "delivery": "async_webinar", "capacity": 500,
        "enrolment_opens_at": "2027-02-01T08:00:00Z", "enrolment_closes_at": "2027-03-10T18:00:00Z",
        "available_from": "2027-03-01T00:00:00Z", "available_until": "2027-04-01T00:00:00Z",
        "access_url": "https://webinar.example/preposti"});
    let problem = assert_problem(app.edition(&admin, course, webinar).send().await, 422).await;
    assert_eq!(
        fields_at_fault(&problem),
        ["#/delivery"],
        "supervisors' training must be in presence"
    );
}

#[rstest]
#[tokio::test]
async fn an_edition_is_closed_then_cancelled_then_deleted_and_never_goes_back(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (Catalogue { admin, venue, .. }, course) = supervisors_course(&app).await;
    let edition = app
        .edition(&admin, course, in_person_edition(venue, 25))
        .create()
        .await;
    assert_eq!(edition["sessions"].as_array().unwrap().len(), 2);
    assert_eq!(edition["sequence"], 0);
    let path = edition.id.path();
    assert_problem(app.set_status(&admin, &path, "completed").await, 409).await;
    assert_problem(app.delete(&path, &admin).await, 409).await;
    let closed = app.set_status(&admin, &path, "closed").await;
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
    assert_problem(app.set_status(&admin, &path, "open").await, 409).await;
    assert_eq!(app.delete(&path, &admin).await.status(), 204);
    assert_problem(app.get(&path, Some(&admin)).await, 404).await;
}

#[rstest]
#[tokio::test]
async fn a_venue_hosting_an_edition_cannot_be_deleted(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (Catalogue { admin, venue, .. }, course) = supervisors_course(&app).await;
    let edition = app
        .edition(&admin, course, in_person_edition(venue, 10))
        .create()
        .await;
    assert_problem(app.delete(&venue.path(), &admin).await, 409).await;
    assert_eq!(
        app.get(&edition.id.path(), Some(&admin)).await.status(),
        200,
        "the edition keeps its room"
    );
}

/// Provider staff, the course of their own provider and one of another provider.
struct TwoProviders {
    staff: String,
    own_provider: crate::fixtures::ProviderId,
    other: CourseId,
    edition: EditionId,
    venue: crate::fixtures::VenueId,
}

async fn two_providers(app: &crate::helpers::TestApp) -> TwoProviders {
    let Catalogue {
        admin,
        provider: other_provider,
        venue,
    } = app.catalogue().await;
    let staff = app.login_as("provider", None).await;
    let me = app.read("/auth/me", Some(&staff.token)).await;
    let own_provider = crate::fixtures::ProviderId(me["provider_id"].as_i64().unwrap());
    let own = app.course(&admin, own_provider).create().await.id;
    let other = app.course(&admin, other_provider).create().await.id;
    let edition = app
        .edition(&staff.token, own, in_person_edition(venue, 20))
        .create()
        .await
        .id;
    TwoProviders {
        staff: staff.token,
        own_provider,
        other,
        edition,
        venue,
    }
}

#[rstest]
#[tokio::test]
async fn provider_staff_add_and_change_editions_of_their_own_courses(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = two_providers(&app).await;
    let renamed = app
        .change(
            &f.staff,
            &f.edition.path(),
            json!({"title": "Edizione del pomeriggio"}),
        )
        .await;
    assert_eq!(renamed["title"], "Edizione del pomeriggio");
}

#[rstest]
#[tokio::test]
async fn provider_staff_touch_no_other_providers_course_and_create_none(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = two_providers(&app).await;
    let foreign = app
        .edition(&f.staff, f.other, in_person_edition(f.venue, 20))
        .send()
        .await;
    assert_problem(foreign, 403).await;
    assert_problem(app.course(&f.staff, f.own_provider).send().await, 403).await;
    assert_problem(app.get(&f.other.path(), Some(&f.staff)).await, 403).await;
}

#[rstest]
#[tokio::test]
async fn provider_staff_list_their_providers_courses_and_editions_only(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = two_providers(&app).await;
    let page = app.read("/courses", Some(&f.staff)).await;
    assert_eq!(page["total"], 1, "staff see their provider's courses only");
    let page = app.read("/editions", Some(&f.staff)).await;
    assert_eq!(page["total"], 1);
}

#[rstest]
#[tokio::test]
async fn a_referente_reads_neither_courses_nor_venues(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    assert_problem(app.get("/courses", Some(&referente.token)).await, 403).await;
    assert_problem(app.get("/venues", Some(&referente.token)).await, 403).await;
}
