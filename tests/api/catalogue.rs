//! The public catalogue: what an integrator polling it, and a calendar subscribed to it, see.
use std::collections::BTreeMap;
use std::str::FromStr;

use icalendar::{Calendar, CalendarComponent, Component, EventStatus};
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{Catalogue, in_person_edition};
use crate::helpers::{Backend, IMPERIA, TestApp, TestDb, assert_problem, spawn_app, spawn_app_on};

/// A mirror kept by polling with `updated_since`, as an integrator would.
#[derive(Default)]
struct Mirror {
    courses: BTreeMap<i64, Value>,
    editions: BTreeMap<i64, Value>,
    since: Option<String>,
}

impl Mirror {
    async fn poll(&mut self, app: &TestApp) {
        let since = self
            .since
            .clone()
            .unwrap_or_else(|| "2000-01-01T00:00:00Z".into());
        let mut latest = since.clone();
        for (kind, store) in [
            ("courses", &mut self.courses),
            ("editions", &mut self.editions),
        ] {
            let mut url = format!(
                "/catalogue/{kind}?updated_since={}&limit=2",
                urlencode(&since)
            );
            loop {
                let page = app.read(&url, None).await;
                for item in page["items"].as_array().unwrap() {
                    latest = latest.max(item["updated_at"].as_str().unwrap().to_owned());
                    store.insert(item["id"].as_i64().unwrap(), item.clone());
                }
                for gone in page["removed"].as_array().unwrap() {
                    latest = latest.max(gone["updated_at"].as_str().unwrap().to_owned());
                    store.remove(&gone["id"].as_i64().unwrap());
                }
                match page["links"]["next"].as_str() {
                    Some(next) => url = next.split("/api/v1").nth(1).unwrap().to_owned(),
                    None => break,
                }
            }
        }
        self.since = Some(latest);
    }

    /// The source as a full read (no `updated_since`) shows it.
    async fn assert_equals_source(&self, app: &TestApp) {
        for (kind, store) in [("courses", &self.courses), ("editions", &self.editions)] {
            let page = app
                .read(&format!("/catalogue/{kind}?limit=200"), None)
                .await;
            let source: BTreeMap<i64, Value> = page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| (i["id"].as_i64().unwrap(), i.clone()))
                .collect();
            assert_eq!(&source, store, "the {kind} mirror differs from the source");
        }
    }
}

fn urlencode(s: &str) -> String {
    s.replace(':', "%3A").replace('+', "%2B")
}

#[rstest]
#[tokio::test]
async fn a_mirror_kept_with_updated_since_equals_the_catalogue(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    let mut mirror = Mirror::default();
    mirror.poll(&app).await;
    assert!(mirror.courses.is_empty());

    // Creates: a published course with two editions, a draft course (never public).
    let published = app.course(&admin, provider).published().create().await;
    let draft = app
        .course(&admin, provider)
        .theme("digitalizzazione")
        .create()
        .await;
    let edition = |course, seats| app.edition(&admin, course, in_person_edition(venue, seats));
    let first = edition(published.id, 20).create().await;
    let second = edition(published.id, 10).create().await;
    edition(draft.id, 10).create().await;
    mirror.poll(&app).await;
    mirror.assert_equals_source(&app).await;
    assert_eq!(mirror.courses.len(), 1);
    assert_eq!(mirror.editions.len(), 2);

    // Edits, a venue rename (shown inside editions), a cancellation.
    app.change(&admin, &first.id.path(), json!({"capacity": 15}))
        .await;
    app.change(&admin, &venue.path(), json!({"name": "Sala Riunioni"}))
        .await;
    app.change(&admin, &second.id.path(), json!({"status": "cancelled"}))
        .await;
    mirror.poll(&app).await;
    mirror.assert_equals_source(&app).await;
    assert_eq!(mirror.editions.len(), 1);
    assert_eq!(mirror.editions.values().next().unwrap()["capacity"], 15);
    assert_eq!(
        mirror.editions.values().next().unwrap()["sessions"][0]["venue"]["name"],
        "Sala Riunioni"
    );

    // Publishing the draft, archiving, deleting.
    app.change(&admin, &draft.id.path(), json!({"status": "published"}))
        .await;
    mirror.poll(&app).await;
    mirror.assert_equals_source(&app).await;
    assert_eq!((mirror.courses.len(), mirror.editions.len()), (2, 2));

    app.change(&admin, &draft.id.path(), json!({"status": "archived"}))
        .await;
    assert_eq!(app.delete(&second.id.path(), &admin).await.status(), 204);
    app.change(&admin, &first.id.path(), json!({"status": "cancelled"}))
        .await;
    assert_eq!(app.delete(&published.id.path(), &admin).await.status(), 204);
    mirror.poll(&app).await;
    mirror.assert_equals_source(&app).await;
    assert!(mirror.courses.is_empty() && mirror.editions.is_empty());
}

#[rstest]
#[tokio::test]
async fn the_catalogue_is_public_cacheable_and_free_of_personal_data(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    let course = app.course(&admin, provider).published().create().await;
    app.edition(&admin, course.id, in_person_edition(venue, 20))
        .create()
        .await;

    let response = app.get("/catalogue/editions", None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, no-cache");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"'), "a strong ETag");
    let body = response.text().await.unwrap();
    for secret in ["admin@", "password", "@comune.test", "access_url"] {
        assert!(!body.contains(secret), "{secret} leaked");
    }
    let revalidated = app.get_if_none_match("/catalogue/editions", &etag).await;
    assert_eq!(revalidated.status(), 304);

    // Any write makes the next answer new: never stale.
    app.merge_patch(
        &format!("/courses/{}", course["id"]),
        &admin,
        &json!({"title": "Nuovo titolo"}),
    )
    .await;
    let fresh = app.get_if_none_match("/catalogue/editions", &etag).await;
    assert_eq!(fresh.status(), 200);
    let page: Value = fresh.json().await.unwrap();
    assert_eq!(page["items"][0]["course_title"], "Nuovo titolo");

    // Filters.
    let near = app
        .read(&format!("/catalogue/editions?near={IMPERIA}"), None)
        .await;
    assert_eq!(near["items"][0]["distance_km"], 0.0);
    for (query, expected) in [
        ("theme_code=privacy", 1),
        ("theme_code=antincendio", 0),
        ("delivery=async_webinar", 0),
        ("from=2027-04-01T00:00:00Z", 0),
        ("to=2027-03-01T00:00:00Z", 0),
        ("q=TITOLO", 1),
    ] {
        let page = app
            .read(&format!("/catalogue/editions?{query}"), None)
            .await;
        assert_eq!(page["total"], expected, "{query}");
    }
    assert_problem(app.get("/catalogue/editions?near=001001", None).await, 400).await;
    assert_problem(
        app.get("/catalogue/editions?updated_since=yesterday", None)
            .await,
        400,
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn the_calendar_feed_parses_and_marks_cancellations(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    let course = app.course(&admin, provider).published().create().await;
    let edition = |seats| app.edition(&admin, course.id, in_person_edition(venue, seats));
    let kept = edition(20).create().await;
    let cancelled = edition(10).create().await;
    app.merge_patch(
        &format!("/editions/{}", cancelled["id"]),
        &admin,
        &json!({"status": "cancelled"}),
    )
    .await;

    for path in [
        "/catalogue/calendar".to_owned(),
        format!("/catalogue/courses/{}/calendar", course["id"]),
    ] {
        let response = app.get(&path, None).await;
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let calendar =
            Calendar::from_str(&response.text().await.unwrap()).expect("a valid RFC 5545 calendar");
        let events: Vec<_> = calendar
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .collect();
        assert_eq!(events.len(), 4, "one event per session, two sessions each");
        let by_uid = |id: &Value| {
            events
                .iter()
                .find(|e| e.get_uid() == Some(&format!("edition-{id}-session-1@cabina-im")))
                .unwrap()
        };
        let kept_event = by_uid(&kept["id"]);
        assert_eq!(kept_event.get_status(), Some(EventStatus::Confirmed));
        assert!(
            kept_event
                .get_summary()
                .unwrap()
                .contains("Corso di privacy")
        );
        assert!(
            kept_event
                .property_value("LOCATION")
                .unwrap()
                .contains("Imperia")
        );
        assert!(kept_event.property_value("LAST-MODIFIED").is_some());
        assert_eq!(kept_event.get_sequence(), Some(0));
        let cancelled_event = by_uid(&cancelled["id"]);
        assert_eq!(cancelled_event.get_status(), Some(EventStatus::Cancelled));
        assert_eq!(cancelled_event.get_sequence(), Some(1));
    }
    assert_problem(app.get("/catalogue/courses/9999/calendar", None).await, 404).await;
}

#[tokio::test]
async fn replicas_sharing_postgresql_never_serve_a_stale_catalogue() {
    let db = TestDb::create(Backend::Postgres).await;
    let url = db.url().to_owned();
    let first = spawn_app_on(db, Backend::Postgres, |_| {}).await;
    let second = spawn_app_on(TestDb::Shared { url }, Backend::Postgres, |_| {}).await;
    let Catalogue {
        admin, provider, ..
    } = first.catalogue().await;
    let course = first.course(&admin, provider).published();
    // The second replica caches the empty catalogue…
    let page = second.read("/catalogue/courses", None).await;
    assert_eq!(page["total"], 0);
    // …and the first one publishes a course.
    let course = course.create().await;
    let mut seen = 0;
    for _ in 0..50 {
        let page = second.read("/catalogue/courses", None).await;
        seen = page["total"].as_i64().unwrap();
        if seen == 1 {
            assert_eq!(page["items"][0]["id"], course["id"]);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(seen, 1, "the other replica saw the change within a second");
}
