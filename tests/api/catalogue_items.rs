//! What an aggregator needs in each catalogue item: seats left that follow enrolments at
//! once, what the participant pays, the language, whether it is online, and where to read
//! about the course and to enrol.
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{Catalogue, EditionId, course_body, in_person_edition, webinar_body};
use crate::helpers::{Backend, IMPERIA, TestApp, assert_problem, spawn_app};

/// The public address the tests' settings give the application.
const PUBLIC_URL: &str = "http://127.0.0.1";

/// The public view of an edition, its ETag, and the change feed's latest cursor.
async fn public_edition(app: &TestApp, edition: EditionId) -> (Value, String) {
    let response = app.get("/catalogue/editions?limit=100", None).await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let page: Value = response.json().await.unwrap();
    let item = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == edition.0)
        .expect("the edition is in the catalogue")
        .clone();
    (item, etag)
}

/// The feed's cursor after everything committed so far.
async fn feed_head(app: &TestApp) -> String {
    let mut url = "/catalogue/changes?limit=100".to_owned();
    loop {
        let page = app.read(&url, None).await;
        let cursor = page["next_cursor"].as_str().unwrap().to_owned();
        if page["has_more"] == false {
            return cursor;
        }
        url = format!("/catalogue/changes?limit=100&after={cursor}");
    }
}

#[rstest]
#[tokio::test]
async fn seats_left_follow_every_enrolment_that_takes_or_frees_a_seat(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = app.open_edition(&admin, 2).await.id;
    let people = app.staff(&admin, IMPERIA, 7000, 3).await;
    let (before, first_etag) = public_edition(&app, edition).await;
    assert_eq!(before["seats_left"], 2);
    let cursor = feed_head(&app).await;

    let first = app.enrolment(&admin, edition, people[0]).await;
    let (after_one, second_etag) = public_edition(&app, edition).await;
    assert_eq!(after_one["seats_left"], 1);
    assert_ne!(first_etag, second_etag, "a changed answer has a new ETag");
    let feed = app
        .read(&format!("/catalogue/changes?after={cursor}"), None)
        .await;
    assert_eq!(feed["items"][0]["kind"], "edition");
    assert_eq!(feed["items"][0]["id"], edition.0);
    assert_eq!(feed["items"][0]["edition"]["seats_left"], 1);

    app.enrolment(&admin, edition, people[1]).await;
    let waiting = app.enrolment(&admin, edition, people[2]).await;
    assert_eq!(waiting.body["status"], "waitlisted");
    assert_eq!(public_edition(&app, edition).await.0["seats_left"], 0);

    // Cancelling the first frees its seat, which the waitlisted person takes at once.
    let response = app.cancel_enrolment(&admin, first.id).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    assert_eq!(public_edition(&app, edition).await.0["seats_left"], 0);
    let promoted = app.read_enrolment(&admin, waiting.id).await;
    assert_eq!(promoted["status"], "confirmed");
}

#[rstest]
#[tokio::test]
async fn a_course_says_what_it_costs_its_language_and_where_to_enrol(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    let mut body = course_body(provider, "privacy", "in_person");
    body["status"] = json!("published");
    body["participant_fee_eur"] = json!(120.5);
    body["language"] = json!("en");
    let course = app.create(&admin, "/courses", &body).await;
    assert_eq!(course["participant_fee_eur"], 120.5);
    assert_eq!(course["language"], "en");
    let edition = app
        .create(
            &admin,
            &format!("/courses/{}/editions", course["id"]),
            &in_person_edition(venue, 20),
        )
        .await;
    let base = PUBLIC_URL;

    let courses = app.read("/catalogue/courses", None).await;
    let listed = &courses["items"][0];
    assert_eq!(listed["participant_fee_eur"], 120.5);
    assert_eq!(listed["language"], "en");
    assert_eq!(
        listed["url"],
        format!("{base}/catalogo/corsi/{}", course["id"])
    );
    let editions = app.read("/catalogue/editions", None).await;
    let item = &editions["items"][0];
    assert_eq!(item["participant_fee_eur"], 120.5);
    assert_eq!(item["language"], "en");
    assert_eq!(item["online"], false);
    assert_eq!(item["seats_left"], 20);
    assert_eq!(item["url"], listed["url"]);
    assert_eq!(
        item["enrolment_url"],
        format!("{base}/edizioni/{}", edition["id"])
    );

    let linked = app.read("/catalogue/linked-data", None).await;
    let ld = &linked["itemListElement"][0]["item"];
    assert_eq!(ld["offers"]["price"], 120.5);
    assert_eq!(ld["offers"]["category"], "Paid");
    assert_eq!(ld["inLanguage"], "en");
    assert_eq!(ld["hasCourseInstance"][0]["remainingAttendeeCapacity"], 20);
    assert_eq!(ld["hasCourseInstance"][0]["url"], item["enrolment_url"]);

    let csv = app
        .get("/catalogue/open-data", None)
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_owned();
    assert_eq!(cell("costo_partecipante_eur"), "120.5");
    assert_eq!(cell("lingua"), "en");
    assert_eq!(cell("posti_disponibili"), "20");
    assert_eq!(
        cell("pagina_iscrizione"),
        item["enrolment_url"].as_str().unwrap()
    );
}

#[rstest]
#[tokio::test]
async fn a_course_is_free_and_in_italian_unless_told_and_a_webinar_is_online(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin, provider, ..
    } = app.catalogue().await;
    let course = app
        .course(&admin, provider)
        .modality("async_webinar")
        .published()
        .create()
        .await;
    assert_eq!(course.body["participant_fee_eur"], 0.0);
    assert_eq!(course.body["language"], "it");
    app.edition(&admin, course.id, webinar_body())
        .create()
        .await;
    let editions = app.read("/catalogue/editions", None).await;
    assert_eq!(editions["items"][0]["online"], true);
    let linked = app.read("/catalogue/linked-data", None).await;
    let offer = &linked["itemListElement"][0]["item"]["offers"];
    assert_eq!(offer["category"], "Free");
    assert_eq!(offer["price"], 0.0);
}

#[rstest]
#[tokio::test]
async fn a_fee_in_fractions_of_a_cent_or_an_unknown_language_is_refused(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin, provider, ..
    } = app.catalogue().await;
    let mut body = course_body(provider, "privacy", "in_person");
    for (field, wrong) in [
        ("participant_fee_eur", json!(10.001)),
        ("participant_fee_eur", json!(-1)),
        ("participant_fee_eur", json!(10_000.01)),
        ("language", json!("xx")),
    ] {
        body[field] = wrong.clone();
        let response = app.post_json("/courses", Some(&admin), &body).await;
        let status = response.status().as_u16();
        assert!(status == 400 || status == 422, "{field} {wrong}: {status}");
        let problem = assert_problem(response, status).await;
        assert_eq!(
            problem["errors"][0]["pointer"],
            format!("#/{field}"),
            "{wrong}: {problem}"
        );
        body = course_body(provider, "privacy", "in_person");
    }
    let courses = app.read("/courses", Some(&admin)).await;
    assert_eq!(courses["total"], 0, "nothing was written");
}
