//! The catalogue's calendars as a calendar application reads them: each session an event
//! at the Province's local time, an asynchronous window a span of whole days, and an
//! edition that leaves the catalogue kept as a cancelled event, whatever the reason.
use std::str::FromStr;

use icalendar::{Calendar, CalendarComponent, Component, Event, EventLike, EventStatus};
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{Catalogue, ProviderId, course_body, in_person_edition};
use crate::helpers::{Backend, TestApp, spawn_app};

async fn events(app: &TestApp, path: &str) -> (String, Vec<Event>) {
    let response = app.get(path, None).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let calendar = Calendar::from_str(&text).expect("a valid RFC 5545 calendar");
    let events = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e.clone()),
            _ => None,
        })
        .collect();
    (text, events)
}

/// The raw `DTSTART` or `DTEND` line of an event, as a calendar application parses it.
fn line<'a>(event: &'a Event, name: &str) -> (&'a str, Option<&'a str>) {
    let property = event.properties().get(name).unwrap();
    let tzid = property.params().get("TZID").map(|p| p.value());
    let value = property.params().get("VALUE").map(|p| p.value());
    (property.value(), tzid.or(value))
}

async fn published_course(
    app: &TestApp,
    admin: &str,
    provider: ProviderId,
    modality: &str,
) -> Value {
    let mut body = course_body(provider, "privacy", modality);
    body["status"] = json!("published");
    app.create(admin, "/courses", &body).await
}

#[rstest]
#[tokio::test]
async fn each_session_is_an_event_at_the_provinces_local_time(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    let course = published_course(&app, &admin, provider, "in_person").await;
    // One session in winter time (CET, UTC+1), one in summer time (CEST, UTC+2).
    let edition = app.create(&admin, &format!("/courses/{}/editions", course["id"]),
        &json!({"title": "Edizione di Imperia", "delivery": "in_person", "capacity": 20,
                "enrolment_opens_at": "2027-02-01T08:00:00Z", "enrolment_closes_at": "2027-03-10T18:00:00Z",
                "status": "open", "self_enrolment": true,
                "sessions": [{"starts_at": "2027-03-15T08:30:00Z", "ends_at": "2027-03-15T11:30:00Z", "venue_id": venue.0},
                             {"starts_at": "2027-06-14T07:00:00Z", "ends_at": "2027-06-14T10:00:00Z", "venue_id": venue.0}]}))
        .await;

    let (text, events) = events(&app, "/catalogue/calendar").await;
    assert!(
        text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Rome"),
        "{text}"
    );
    assert_eq!(
        text.matches("\r\nPRODID:").collect::<Vec<_>>().len(),
        1,
        "one product identifier: {text}"
    );
    assert!(text.contains("\r\nPRODID:-//cabina//"), "{text}");
    assert_eq!(
        events.len(),
        2,
        "one event per session, not one spanning months"
    );
    let id = &edition["id"];
    let first = events
        .iter()
        .find(|e| e.get_uid() == Some(&format!("edition-{id}-session-1@cabina-im")))
        .unwrap();
    let second = events
        .iter()
        .find(|e| e.get_uid() == Some(&format!("edition-{id}-session-2@cabina-im")))
        .unwrap();
    assert_eq!(
        line(first, "DTSTART"),
        ("20270315T093000", Some("Europe/Rome"))
    );
    assert_eq!(
        line(first, "DTEND"),
        ("20270315T123000", Some("Europe/Rome"))
    );
    assert_eq!(
        line(second, "DTSTART"),
        ("20270614T090000", Some("Europe/Rome"))
    );
    assert!(first.get_summary().unwrap().ends_with("(1 di 2)"));
    assert!(
        first
            .get_location()
            .unwrap()
            .starts_with("Sala della Provincia")
    );
}

#[rstest]
#[tokio::test]
async fn an_asynchronous_window_is_a_span_of_whole_days(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue: _,
    } = app.catalogue().await;
    let course = published_course(&app, &admin, provider, "async_webinar").await;
    // 23:30 UTC on 31 May is already 1 June in Rome.
    let edition = app.create(&admin, &format!("/courses/{}/editions", course["id"]),
        &json!({"title": "Online", "delivery": "async_webinar", "capacity": 500, "status": "open",
                "enrolment_opens_at": "2027-04-01T08:00:00Z", "enrolment_closes_at": "2027-05-20T18:00:00Z",
                "available_from": "2027-05-31T23:30:00Z", "available_until": "2027-07-31T21:00:00Z",
                "access_url": "https://webinar.example/privacy"}))
        .await;

    let (text, events) = events(&app, "/catalogue/calendar").await;
    assert_eq!(events.len(), 1);
    let window = &events[0];
    assert_eq!(
        window.get_uid(),
        Some(format!("edition-{}@cabina-im", edition["id"]).as_str())
    );
    assert_eq!(line(window, "DTSTART"), ("20270601", Some("DATE")));
    assert_eq!(
        line(window, "DTEND"),
        ("20270801", Some("DATE")),
        "the day after the last"
    );
    assert!(
        !text.contains("webinar.example"),
        "the link is for enrolled people only"
    );
}

#[rstest]
#[tokio::test]
async fn editions_of_an_archived_course_stay_as_cancelled_events(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    let course = published_course(&app, &admin, provider, "in_person").await;
    app.create(
        &admin,
        &format!("/courses/{}/editions", course["id"]),
        &in_person_edition(venue, 20),
    )
    .await;
    let (_, before) = events(&app, "/catalogue/calendar").await;
    assert!(
        before
            .iter()
            .all(|e| e.get_status() == Some(EventStatus::Confirmed))
    );

    let response = app
        .patch_merge(
            &format!("/courses/{}", course["id"]),
            &admin,
            &json!({"status": "archived"}),
            None,
        )
        .await;
    assert_eq!(response.status(), 200);

    let (_, after) = events(&app, "/catalogue/calendar").await;
    assert_eq!(
        after.len(),
        before.len(),
        "the events stay, so calendars can drop them"
    );
    let (_, of_the_course) = events(
        &app,
        &format!("/catalogue/courses/{}/calendar", course["id"]),
    )
    .await;
    assert_eq!(
        of_the_course.len(),
        before.len(),
        "the course's own calendar too"
    );
    assert!(
        of_the_course
            .iter()
            .all(|e| e.get_status() == Some(EventStatus::Cancelled))
    );
    for event in &after {
        assert_eq!(event.get_status(), Some(EventStatus::Cancelled));
        let earlier = before
            .iter()
            .find(|e| e.get_uid() == event.get_uid())
            .unwrap();
        assert!(
            event.get_sequence() > earlier.get_sequence(),
            "a newer version"
        );
    }
}
