//! Enrolments: seats first come, first served; a waitlist promoted in arrival order; the
//! capacity never exceeded, even under hundreds of simultaneous requests, on both databases.
use chrono::{Duration, Utc};
use futures::future::join_all;
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{Catalogue, Created, EditionId, EmployeeId, EnrolmentId};
use crate::helpers::{
    Backend, IMPERIA, SANREMO, TestApp, assert_invalid, assert_problem, spawn_app, tax_code,
};

fn with_status<'a>(items: &'a [Value], status: &str) -> Vec<&'a Value> {
    items.iter().filter(|e| e["status"] == status).collect()
}

fn id_of(enrolment: &Value) -> EnrolmentId {
    EnrolmentId(enrolment["id"].as_i64().unwrap())
}

#[rstest]
#[tokio::test]
async fn two_hundred_simultaneous_enrolments_fill_25_seats_and_queue_the_rest_in_order(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = app.open_edition(&admin, 25).await.id;
    let people = app.staff(&admin, IMPERIA, 1000, 200).await;

    let responses = join_all(people.iter().map(|&p| app.enrol(&admin, edition, p))).await;
    let mut created = Vec::new();
    for response in responses {
        let status = response.status();
        let body = response.text().await.unwrap();
        assert_eq!(status, 201, "{body}");
        created.push(serde_json::from_str::<Value>(&body).unwrap());
    }
    assert_eq!(with_status(&created, "confirmed").len(), 25);
    assert_eq!(with_status(&created, "waitlisted").len(), 175);

    // Arrival order is the order the server took them: the first 25 got the seats, and the
    // waitlist positions follow arrival.
    let mut listed = app.enrolments_of(&admin, edition).await;
    assert_eq!(listed.len(), 200, "none lost, none duplicated");
    let ids: std::collections::BTreeSet<i64> =
        listed.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 200, "every enrolment listed once");
    listed.sort_by_key(|e| e["created_at"].as_str().unwrap().to_owned());
    assert!(listed[..25].iter().all(|e| e["status"] == "confirmed"));
    let positions: Vec<i64> = listed[25..]
        .iter()
        .map(|e| e["waitlist_position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, (1..=175).collect::<Vec<_>>());

    // Ten cancellations and ten new enrolments, all at once: still exactly 25 seats taken,
    // and the seats went to the head of the waitlist.
    let head: Vec<EnrolmentId> = listed[25..35].iter().map(id_of).collect();
    let leaving: Vec<EnrolmentId> = listed[..10].iter().map(id_of).collect();
    let newcomers = app.staff(&admin, SANREMO, 2000, 10).await;
    let cancels = join_all(leaving.iter().map(|&id| app.cancel_enrolment(&admin, id)));
    let enrols = join_all(newcomers.iter().map(|&p| app.enrol(&admin, edition, p)));
    let (cancels, enrols) = futures::join!(cancels, enrols);
    assert!(cancels.iter().all(|r| r.status() == 200));
    assert!(enrols.iter().all(|r| r.status() == 201));
    let after = app.enrolments_of(&admin, edition).await;
    assert_eq!(with_status(&after, "confirmed").len(), 25);
    assert_eq!(with_status(&after, "cancelled").len(), 10);
    assert_eq!(with_status(&after, "waitlisted").len(), 175);
    for id in &head {
        let e = after.iter().find(|e| e["id"] == *id).unwrap();
        assert_eq!(
            e["status"], "confirmed",
            "the first ten waiting were promoted"
        );
    }
    let mut positions: Vec<i64> = with_status(&after, "waitlisted")
        .iter()
        .map(|e| e["waitlist_position"].as_i64().unwrap())
        .collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=175).collect::<Vec<_>>());

    // A promoted person's history says so, and they were told by e-mail.
    let promoted = app.read_enrolment(&admin, head[0]).await;
    let history = promoted["history"].as_array().unwrap();
    assert_eq!(
        history
            .iter()
            .map(|h| h["status"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["waitlisted", "confirmed"]
    );
    assert_eq!(history[1]["reason"], "promosso dalla lista d'attesa");
    assert!(history[1].get("actor_user_id").is_none());
    let promotions = app.outbox_of_kind(&admin, "enrolment_promoted").await;
    assert_eq!(promotions.len(), 10);
}

#[rstest]
#[tokio::test]
async fn simultaneous_duplicates_give_one_enrolment_and_409s(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = app.open_edition(&admin, 5).await.id;
    let person = app.staff(&admin, IMPERIA, 3000, 1).await[0];
    let responses = join_all((0..20).map(|_| app.enrol(&admin, edition, person))).await;
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 409).count(),
        19,
        "{statuses:?}"
    );
    assert_eq!(app.enrolments_of(&admin, edition).await.len(), 1);
}

/// An edition of three seats, at most two per comune; three people of Imperia enrolled by
/// their referente (the third waits) and one of Sanremo by the admin (the free seat).
struct QuotaFilled {
    admin: String,
    referente: String,
    edition: EditionId,
    imperia: Vec<EmployeeId>,
    imperia_statuses: Vec<String>,
    sanremo: Value,
}

async fn quota_filled(app: &TestApp) -> QuotaFilled {
    let admin = app.admin_token().await;
    let edition = app.open_edition_with_quota(&admin, 3, 2).await.id;
    let imperia = app.staff(&admin, IMPERIA, 4000, 3).await;
    let sanremo = app.staff(&admin, SANREMO, 4100, 1).await[0];
    let referente = app.login_as("referente", Some(IMPERIA)).await.token;
    let mut imperia_statuses = Vec::new();
    for &p in &imperia {
        let e: Value = app
            .enrol(&referente, edition, p)
            .await
            .json()
            .await
            .unwrap();
        imperia_statuses.push(e["status"].as_str().unwrap().to_owned());
    }
    let sanremo: Value = app
        .enrol(&admin, edition, sanremo)
        .await
        .json()
        .await
        .unwrap();
    QuotaFilled {
        admin,
        referente,
        edition,
        imperia,
        imperia_statuses,
        sanremo,
    }
}

#[rstest]
#[tokio::test]
async fn a_referente_enrols_only_their_own_comunes_staff(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = app.open_edition_with_quota(&admin, 3, 2).await.id;
    let sanremo = app.staff(&admin, SANREMO, 4100, 1).await[0];
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    assert_problem(app.enrol(&referente.token, edition, sanremo).await, 403).await;
}

#[rstest]
#[tokio::test]
async fn a_comune_at_its_quota_waits_while_another_takes_the_free_seat(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = quota_filled(&app).await;
    assert_eq!(
        f.imperia_statuses,
        ["confirmed", "confirmed", "waitlisted"],
        "Imperia is at its quota of 2 with a seat still free"
    );
    assert_eq!(
        f.sanremo["status"], "confirmed",
        "the free seat goes to another comune"
    );
}

#[rstest]
#[tokio::test]
async fn a_person_is_enrolled_once_and_only_someone_known(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = quota_filled(&app).await;
    assert_problem(app.enrol(&f.admin, f.edition, f.imperia[0]).await, 409).await;
    let unknown = app.enrol(&f.admin, f.edition, EmployeeId(999_999)).await;
    assert_invalid(unknown, &["#/employee_id"]).await;
}

/// Raises the quota edition to five seats, three per comune.
async fn raise_capacity(app: &TestApp, f: &QuotaFilled) {
    let raise = json!({"capacity": 5, "comune_quota": 3});
    app.change(&f.admin, &f.edition.path(), raise).await;
}

#[rstest]
#[tokio::test]
async fn raising_the_capacity_promotes_the_waitlist(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = quota_filled(&app).await;
    // The quota still applies: raise it too.
    raise_capacity(&app, &f).await;
    let listed = app.enrolments_of(&f.admin, f.edition).await;
    assert_eq!(with_status(&listed, "confirmed").len(), 4);
}

#[rstest]
#[tokio::test]
async fn fewer_seats_than_people_confirmed_are_refused(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = quota_filled(&app).await;
    raise_capacity(&app, &f).await;
    let shrunk = app
        .merge_patch(
            &f.edition.path(),
            &f.admin,
            &json!({"capacity": 2, "comune_quota": null}),
        )
        .await;
    assert_problem(shrunk, 409).await;
}

#[rstest]
#[tokio::test]
async fn cancelling_an_edition_cancels_every_enrolment_and_tells_each_person(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = quota_filled(&app).await;
    raise_capacity(&app, &f).await;
    let cancelled = app
        .set_status(&f.admin, &f.edition.path(), "cancelled")
        .await;
    assert_eq!(cancelled.status(), 200);
    let listed = app.enrolments_of(&f.admin, f.edition).await;
    assert_eq!(
        listed.len(),
        4,
        "an empty list would be trivially cancelled"
    );
    assert!(listed.iter().all(|e| e["status"] == "cancelled"));
    assert_problem(app.enrol(&f.admin, f.edition, f.imperia[0]).await, 409).await;
    let told = app.outbox_of_kind(&f.admin, "edition_cancelled").await;
    assert_eq!(told.len(), 4);
}

#[rstest]
#[tokio::test]
async fn a_referente_sees_their_comunes_enrolments_only(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = quota_filled(&app).await;
    let mine = app.read("/enrolments", Some(&f.referente)).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 3);
    let sanremos = id_of(&f.sanremo).path();
    assert_problem(app.get(&sanremos, Some(&f.referente)).await, 403).await;
}

/// An edition of one seat, an employee with an account whose record carries the same
/// e-mail (in capitals), and a colleague of the same comune.
struct SelfService {
    admin: String,
    edition: EditionId,
    employee: String,
    record: Created<EmployeeId>,
    colleague: EmployeeId,
}

async fn self_service(app: &TestApp) -> SelfService {
    let admin = app.admin_token().await;
    let edition = app.open_edition(&admin, 1).await.id;
    let employee = app.login_as("employee", Some(IMPERIA)).await;
    let record = app
        .employee(&admin)
        .named("Paola", "Sola")
        .in_comune(IMPERIA)
        .tax_code(&tax_code(5000))
        .email(&employee.email.to_uppercase())
        .create()
        .await;
    let colleague = app.staff(&admin, IMPERIA, 5100, 1).await[0];
    SelfService {
        admin,
        edition,
        employee: employee.token,
        record,
        colleague,
    }
}

async fn enrol_oneself(app: &TestApp, token: &str, edition: EditionId) -> reqwest::Response {
    app.post_json(
        "/enrolments",
        Some(token),
        &json!({"edition_id": edition.0}),
    )
    .await
}

#[rstest]
#[tokio::test]
async fn an_employee_enrols_themselves_and_nobody_else(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = self_service(&app).await;
    let response = enrol_oneself(&app, &f.employee, f.edition).await;
    assert_eq!(response.status(), 201);
    let mine: Value = response.json().await.unwrap();
    assert_eq!(mine["employee_id"], f.record.id);
    assert_eq!(mine["status"], "confirmed");
    // Not someone else, even of the same comune.
    let for_a_colleague = app.enrol(&f.employee, f.edition, f.colleague).await;
    assert_problem(for_a_colleague, 403).await;
    app.enrolment(&f.admin, f.edition, f.colleague).await;
    let list = app.read("/enrolments", Some(&f.employee)).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "only their own");
}

#[rstest]
#[tokio::test]
async fn an_employee_cancels_once_and_the_seat_goes_to_the_first_waiting(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = self_service(&app).await;
    let mine: Value = enrol_oneself(&app, &f.employee, f.edition)
        .await
        .json()
        .await
        .unwrap();
    let waiting = app.enrolment(&f.admin, f.edition, f.colleague).await;
    assert_eq!(waiting["waitlist_position"], 1);
    let cancelled = app.cancel_enrolment(&f.employee, id_of(&mine)).await;
    assert_eq!(cancelled.status(), 200);
    assert_problem(app.cancel_enrolment(&f.employee, id_of(&mine)).await, 409).await;
    let promoted = app.read_enrolment(&f.admin, waiting.id).await;
    assert_eq!(promoted["status"], "confirmed");
}

#[rstest]
#[tokio::test]
async fn without_self_enrolment_employees_cannot_enrol_themselves(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = self_service(&app).await;
    let closed = json!({"self_enrolment": false});
    app.change(&f.admin, &f.edition.path(), closed).await;
    assert_problem(enrol_oneself(&app, &f.employee, f.edition).await, 403).await;
}

#[rstest]
#[tokio::test]
async fn people_are_reminded_once_before_their_course_starts(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let Catalogue {
        provider, venue, ..
    } = app.catalogue().await;
    let course = app.course(&admin, provider).published().create().await;
    let now = Utc::now();
    let starts = now + Duration::hours(30);
    let tomorrow = json!({"title": "Domani", "delivery": "in_person", "capacity": 1, "status": "open",
        "enrolment_opens_at": (now - Duration::days(1)).to_rfc3339(), "enrolment_closes_at": (now + Duration::hours(12)).to_rfc3339(),
        "sessions": [{"starts_at": starts.to_rfc3339(), "ends_at": (starts + Duration::hours(3)).to_rfc3339(), "venue_id": venue.0}]});
    let soon = app.edition(&admin, course.id, tomorrow).create().await.id;
    let later = app.open_edition(&admin, 5).await.id;
    let people = app.staff(&admin, IMPERIA, 8000, 3).await;
    for &p in &people[..2] {
        app.enrol(&admin, soon, p).await;
    }
    app.enrol(&admin, later, people[2]).await;

    let queued = cabina::store::enrolments::queue_start_reminders(&app.app_db, Duration::hours(48))
        .await
        .unwrap();
    assert_eq!(
        queued, 1,
        "the confirmed person only, not the waitlisted one nor next month's"
    );
    let again = cabina::store::enrolments::queue_start_reminders(&app.app_db, Duration::hours(48))
        .await
        .unwrap();
    assert_eq!(again, 0, "once");
    let outbox = app.read("/outbox", Some(&admin)).await;
    let reminders: Vec<&Value> = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "edition_reminder")
        .collect();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0]["recipient"], "p8000@comune.test");
    assert!(
        reminders[0]["subject"]
            .as_str()
            .unwrap()
            .contains("inizia a breve")
    );
}
