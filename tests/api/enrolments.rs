//! Enrolments: seats first come, first served; a waitlist promoted in arrival order; the
//! capacity never exceeded, even under hundreds of simultaneous requests, on both databases.
use chrono::{Duration, Utc};
use futures::future::join_all;
use rstest::rstest;
use serde_json::{Value, json};

use crate::courses::{catalogue_setup, course_body, create};
use crate::helpers::{
    Backend, IMPERIA, SANREMO, TestApp, assert_problem, fields_at_fault, spawn_app, tax_code,
};

/// An open edition taking enrolments now, with two sessions next month.
pub async fn open_edition(app: &TestApp, admin: &str, capacity: i64, quota: Option<i64>) -> Value {
    let (_, provider, venue) = catalogue_setup(app).await;
    let mut course = course_body(provider, "privacy", "in_person");
    course["status"] = json!("published");
    let course = create(app, admin, "/courses", &course).await;
    let mut edition = open_edition_body(venue, capacity);
    if let Some(q) = quota {
        edition["comune_quota"] = json!(q);
    }
    create(
        app,
        admin,
        &format!("/courses/{}/editions", course["id"]),
        &edition,
    )
    .await
}

/// An in-person edition taking enrolments now, with two sessions next month.
pub fn open_edition_body(venue: i64, capacity: i64) -> Value {
    let now = Utc::now();
    let at = |days: i64, hour: u32| {
        (now + Duration::days(days))
            .date_naive()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
            .and_utc()
            .to_rfc3339()
    };
    json!({"title": "Edizione di prova", "delivery": "in_person", "capacity": capacity,
        "enrolment_opens_at": (now - Duration::days(1)).to_rfc3339(), "enrolment_closes_at": (now + Duration::days(20)).to_rfc3339(),
        "status": "open", "self_enrolment": true,
        "sessions": [{"starts_at": at(30, 8), "ends_at": at(30, 11), "venue_id": venue},
                     {"starts_at": at(37, 8), "ends_at": at(37, 11), "venue_id": venue}]})
}

/// Imports `count` employees of `comune` (with e-mail addresses) and returns their ids in order.
pub async fn staff(app: &TestApp, admin: &str, comune: &str, first: u32, count: u32) -> Vec<i64> {
    let mut csv = String::from("codice_fiscale,nome,cognome,area,profilo,email\n");
    for n in first..first + count {
        csv.push_str(&format!(
            "{},Persona,Numero {n},tributi,istruttore,p{n}@comune.test\n",
            tax_code(n)
        ));
    }
    let response = app
        .client
        .post(app.url(&format!("/employee-imports?comune_istat_code={comune}")))
        .bearer_auth(admin)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let mut ids = Vec::new();
    let mut offset = 0;
    loop {
        let page: Value = app
            .get(
                &format!("/employees?comune_istat_code={comune}&limit=200&offset={offset}"),
                Some(admin),
            )
            .await
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap();
        ids.extend(items.iter().map(|e| {
            (
                e["tax_code"].as_str().unwrap().to_owned(),
                e["id"].as_i64().unwrap(),
            )
        }));
        offset += items.len();
        if items.is_empty() || offset as u64 >= page["total"].as_u64().unwrap() {
            break;
        }
    }
    (first..first + count)
        .map(|n| {
            let code = tax_code(n);
            ids.iter().find(|(c, _)| *c == code).unwrap().1
        })
        .collect()
}

async fn enrol(app: &TestApp, token: &str, edition: &Value, employee: i64) -> reqwest::Response {
    app.post_json(
        "/enrolments",
        Some(token),
        &json!({"edition_id": edition["id"], "employee_id": employee}),
    )
    .await
}

async fn cancel(app: &TestApp, token: &str, enrolment: i64) -> reqwest::Response {
    app.patch_merge(
        &format!("/enrolments/{enrolment}"),
        token,
        &json!({"status": "cancelled"}),
        None,
    )
    .await
}

async fn of_edition(app: &TestApp, token: &str, edition: &Value) -> Vec<Value> {
    let list: Value = app
        .get(
            &format!("/enrolments?edition_id={}", edition["id"]),
            Some(token),
        )
        .await
        .json()
        .await
        .unwrap();
    list["items"].as_array().unwrap().clone()
}

fn with_status<'a>(items: &'a [Value], status: &str) -> Vec<&'a Value> {
    items.iter().filter(|e| e["status"] == status).collect()
}

#[rstest]
#[tokio::test]
async fn two_hundred_simultaneous_enrolments_fill_25_seats_and_queue_the_rest_in_order(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = open_edition(&app, &admin, 25, None).await;
    let people = staff(&app, &admin, IMPERIA, 1000, 200).await;

    let responses = join_all(people.iter().map(|&p| enrol(&app, &admin, &edition, p))).await;
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
    let mut listed = of_edition(&app, &admin, &edition).await;
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
    let head: Vec<i64> = listed[25..35]
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    let leaving: Vec<i64> = listed[..10]
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    let newcomers = staff(&app, &admin, SANREMO, 2000, 10).await;
    let cancels = join_all(leaving.iter().map(|&id| cancel(&app, &admin, id)));
    let enrols = join_all(newcomers.iter().map(|&p| enrol(&app, &admin, &edition, p)));
    let (cancels, enrols) = futures::join!(cancels, enrols);
    assert!(cancels.iter().all(|r| r.status() == 200));
    assert!(enrols.iter().all(|r| r.status() == 201));
    let after = of_edition(&app, &admin, &edition).await;
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
    let promoted: Value = app
        .get(&format!("/enrolments/{}", head[0]), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
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
    let outbox: Value = app
        .get("/outbox?limit=200", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let promotions = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "enrolment_promoted")
        .count();
    assert_eq!(promotions, 10);
}

#[rstest]
#[tokio::test]
async fn simultaneous_duplicates_give_one_enrolment_and_409s(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = open_edition(&app, &admin, 5, None).await;
    let person = staff(&app, &admin, IMPERIA, 3000, 1).await[0];
    let responses = join_all((0..20).map(|_| enrol(&app, &admin, &edition, person))).await;
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
    assert_eq!(of_edition(&app, &admin, &edition).await.len(), 1);
}

#[rstest]
#[tokio::test]
async fn quotas_scoping_and_edition_rules_hold(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = open_edition(&app, &admin, 3, Some(2)).await;
    let imperia = staff(&app, &admin, IMPERIA, 4000, 3).await;
    let sanremo = staff(&app, &admin, SANREMO, 4100, 1).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;

    // A referente enrols their own comune's staff only.
    assert_problem(
        enrol(&app, &referente.token, &edition, sanremo[0]).await,
        403,
    )
    .await;
    let mut statuses = Vec::new();
    for &p in &imperia {
        let e: Value = enrol(&app, &referente.token, &edition, p)
            .await
            .json()
            .await
            .unwrap();
        statuses.push(e["status"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        statuses,
        ["confirmed", "confirmed", "waitlisted"],
        "Imperia is at its quota of 2 with a seat still free"
    );
    let other: Value = enrol(&app, &admin, &edition, sanremo[0])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        other["status"], "confirmed",
        "the free seat goes to another comune"
    );
    assert_problem(enrol(&app, &admin, &edition, imperia[0]).await, 409).await;
    let problem = assert_problem(
        app.post_json(
            "/enrolments",
            Some(&admin),
            &json!({"edition_id": edition["id"], "employee_id": 999_999}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields_at_fault(&problem), ["#/employee_id"]);

    // Raising the capacity promotes the waitlist (the quota still applies: raise it too).
    let path = format!("/editions/{}", edition["id"]);
    let raised = app
        .patch_merge(
            &path,
            &admin,
            &json!({"capacity": 5, "comune_quota": 3}),
            None,
        )
        .await;
    assert_eq!(raised.status(), 200, "{}", raised.text().await.unwrap());
    let listed = of_edition(&app, &admin, &edition).await;
    assert_eq!(with_status(&listed, "confirmed").len(), 4);
    // Fewer seats than people confirmed is refused.
    assert_problem(
        app.patch_merge(
            &path,
            &admin,
            &json!({"capacity": 2, "comune_quota": null}),
            None,
        )
        .await,
        409,
    )
    .await;

    // Cancelling the edition cancels every enrolment and tells each person.
    let cancelled = app
        .patch_merge(&path, &admin, &json!({"status": "cancelled"}), None)
        .await;
    assert_eq!(cancelled.status(), 200);
    let listed = of_edition(&app, &admin, &edition).await;
    assert!(listed.iter().all(|e| e["status"] == "cancelled"));
    assert_problem(enrol(&app, &admin, &edition, imperia[0]).await, 409).await;
    let outbox: Value = app
        .get("/outbox?limit=200", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let told = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "edition_cancelled")
        .count();
    assert_eq!(told, 4);

    // The referente sees their comune's enrolments only; Sanremo's stays hidden.
    let mine: Value = app
        .get("/enrolments", Some(&referente.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 3);
    assert_problem(
        app.get(
            &format!("/enrolments/{}", other["id"]),
            Some(&referente.token),
        )
        .await,
        403,
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn employees_enrol_themselves_where_allowed_and_cancel(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = open_edition(&app, &admin, 1, None).await;
    let employee = app.login_as("employee", Some(IMPERIA)).await;
    // The employee's record carries the same e-mail as their account.
    let body = json!({"given_name": "Paola", "family_name": "Sola", "office_area": "tributi", "job_profile": "istruttore",
                      "comune_istat_code": IMPERIA, "tax_code": tax_code(5000), "email": employee.email.to_uppercase()});
    let record = create(&app, &admin, "/employees", &body).await;
    let someone = staff(&app, &admin, IMPERIA, 5100, 1).await[0];
    let response = app
        .post_json(
            "/enrolments",
            Some(&employee.token),
            &json!({"edition_id": edition["id"]}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let mine: Value = response.json().await.unwrap();
    assert_eq!(mine["employee_id"], record["id"]);
    assert_eq!(mine["status"], "confirmed");
    // Not someone else, even of the same comune.
    assert_problem(enrol(&app, &employee.token, &edition, someone).await, 403).await;
    let waiting: Value = enrol(&app, &admin, &edition, someone)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(waiting["waitlist_position"], 1);
    let list: Value = app
        .get("/enrolments", Some(&employee.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "only their own");
    let cancelled = cancel(&app, &employee.token, mine["id"].as_i64().unwrap()).await;
    assert_eq!(cancelled.status(), 200);
    assert_problem(
        cancel(&app, &employee.token, mine["id"].as_i64().unwrap()).await,
        409,
    )
    .await;
    let promoted: Value = app
        .get(&format!("/enrolments/{}", waiting["id"]), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(promoted["status"], "confirmed");

    // Where the edition does not allow it, employees cannot enrol themselves.
    let closed = app
        .patch_merge(
            &format!("/editions/{}", edition["id"]),
            &admin,
            &json!({"self_enrolment": false}),
            None,
        )
        .await;
    assert_eq!(closed.status(), 200);
    assert_problem(
        app.post_json(
            "/enrolments",
            Some(&employee.token),
            &json!({"edition_id": edition["id"]}),
        )
        .await,
        403,
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn people_are_reminded_once_before_their_course_starts(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let (_, provider, venue) = catalogue_setup(&app).await;
    let mut course = course_body(provider, "privacy", "in_person");
    course["status"] = json!("published");
    let course = create(&app, &admin, "/courses", &course).await;
    let now = Utc::now();
    let starts = now + Duration::hours(30);
    let soon = create(
        &app,
        &admin,
        &format!("/courses/{}/editions", course["id"]),
        &json!({"title": "Domani", "delivery": "in_person", "capacity": 1, "status": "open",
            "enrolment_opens_at": (now - Duration::days(1)).to_rfc3339(), "enrolment_closes_at": (now + Duration::hours(12)).to_rfc3339(),
            "sessions": [{"starts_at": starts.to_rfc3339(), "ends_at": (starts + Duration::hours(3)).to_rfc3339(), "venue_id": venue}]}),
    )
    .await;
    let later = open_edition(&app, &admin, 5, None).await;
    let people = staff(&app, &admin, IMPERIA, 8000, 3).await;
    for &p in &people[..2] {
        enrol(&app, &admin, &soon, p).await;
    }
    enrol(&app, &admin, &later, people[2]).await;

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
    let outbox: Value = app.get("/outbox", Some(&admin)).await.json().await.unwrap();
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
