//! After enrolment: registers by hand and from webinar reports, completion at the course's
//! threshold (both ways), certificates checked by extracting their text, public
//! verification, signature sheets, asynchronous webinars, and anonymous feedback.
use chrono::{Duration, Utc};
use rstest::rstest;
use serde_json::{Value, json};

use crate::courses::{catalogue_setup, course_body, create};
use crate::enrolments::{open_edition, staff};
use crate::helpers::{
    Backend, IMPERIA, SANREMO, TestApp, assert_problem, fields_at_fault, spawn_app, tax_code,
};

async fn put_attendance(
    app: &TestApp,
    token: &str,
    session: i64,
    body: Value,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/sessions/{session}/attendance")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn enrolment(app: &TestApp, token: &str, id: i64) -> Value {
    app.get(&format!("/enrolments/{id}"), Some(token))
        .await
        .json()
        .await
        .unwrap()
}

async fn pdf_text(response: reqwest::Response) -> String {
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let bytes = response.bytes().await.unwrap();
    pdf_extract::extract_text_from_mem(&bytes).unwrap()
}

#[rstest]
#[tokio::test]
async fn attendance_completes_enrolments_and_certificates_follow(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    // The course: 6 hours, 80 % attendance required (4 h 48 min); two sessions of 3 hours.
    let edition = open_edition(&app, &admin, 10, None).await;
    let people = staff(&app, &admin, IMPERIA, 6000, 3).await;
    let mut enrolments = Vec::new();
    for &p in &people {
        let e = create(
            &app,
            &admin,
            "/enrolments",
            &json!({"edition_id": edition["id"], "employee_id": p}),
        )
        .await;
        enrolments.push(e["id"].as_i64().unwrap());
    }
    let (anna, bruno, carla) = (enrolments[0], enrolments[1], enrolments[2]);
    let sessions: Value = app
        .get(
            &format!("/editions/{}/sessions", edition["id"]),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let first = sessions["items"][0]["id"].as_i64().unwrap();
    let second = sessions["items"][1]["id"].as_i64().unwrap();
    assert_eq!(sessions["items"][0]["hours"], 3.0);

    // Bad registers change nothing.
    let problem = assert_problem(
        put_attendance(
            &app,
            &admin,
            first,
            json!({"records": [{"enrolment_id": anna, "present": true, "hours": 3.5}]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields_at_fault(&problem), ["#/records/0/hours"]);
    let problem = assert_problem(
        put_attendance(
            &app,
            &admin,
            first,
            json!({"records": [{"enrolment_id": 999_999, "present": true}]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields_at_fault(&problem), ["#/records/0/enrolment_id"]);

    // Session 1 by hand.
    let register: Value = put_attendance(
        &app,
        &admin,
        first,
        json!({"records": [{"enrolment_id": anna, "present": true}, {"enrolment_id": bruno, "present": true, "hours": 2},
                           {"enrolment_id": carla, "present": false}]}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(register["entries"].as_array().unwrap().len(), 3);

    // Session 2 from a Zoom report: rejoins add up, the total is capped at the session, a
    // guest is skipped; a dry run writes nothing.
    let report = String::from(
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n\
         Persona,P6000@comune.test,x,x,120,No\nPersona,p6000@comune.test,x,x,80,No\n\
         Persona,p6001@comune.test,x,x,100,No\nOspite,ospite@altrove.test,x,x,180,Yes\n",
    );
    let import = |dry_run: bool| {
        app.client
            .post(app.url(&format!(
                "/sessions/{second}/attendance-imports?dry_run={dry_run}"
            )))
            .bearer_auth(&admin)
            .header("content-type", "text/csv")
            .body(report.clone())
            .send()
    };
    let preview: Value = import(true).await.unwrap().json().await.unwrap();
    assert_eq!(preview["present"].as_array().unwrap().len(), 2);
    assert_eq!(
        preview["skipped"],
        json!([{"line": 5, "detail": "nessun iscritto confermato con questo indirizzo e-mail"}])
    );
    assert_eq!(enrolment(&app, &admin, anna).await["attended_hours"], 3.0);
    let done: Value = import(false).await.unwrap().json().await.unwrap();
    let anna_row = done["present"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["enrolment_id"] == anna)
        .unwrap()
        .clone();
    assert_eq!(anna_row["hours"], 3.0, "capped at the session's length");

    // Anna: 6 h → completed. Bruno: 2 h + 1 h 40 → not yet. Carla: nothing.
    let a = enrolment(&app, &admin, anna).await;
    assert_eq!(
        (a["status"].as_str(), a["attended_hours"].as_f64()),
        (Some("completed"), Some(6.0))
    );
    let b = enrolment(&app, &admin, bruno).await;
    assert_eq!(b["status"], "confirmed");
    assert_eq!(b["attended_hours_label"], "3,67");
    assert_eq!(enrolment(&app, &admin, carla).await["attended_hours"], 0.0);

    // The certificate: the text names the person, the course and the hours.
    let response = app
        .get(&format!("/enrolments/{anna}/certificate"), Some(&admin))
        .await;
    let text = pdf_text(response).await;
    let number = enrolment(&app, &admin, anna).await["certificate_number"]
        .as_str()
        .expect("a number once downloaded")
        .to_owned();
    let serial = format!(
        "IM-{}-{:06}",
        Utc::now().format("%Y"),
        a["id"].as_i64().unwrap()
    );
    assert!(
        number.starts_with(&format!("{serial}-")) && number.len() == serial.len() + 11,
        "{number}: the serial, then ten random hex digits"
    );
    for expected in [
        "ATTESTATO DI PARTECIPAZIONE",
        "Persona Numero 6000",
        &tax_code(6000),
        "Corso di privacy",
        "Formazione Ligure",
        "Provincia di Imperia",
        &number,
        "6 ore",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert_problem(
        app.get(&format!("/enrolments/{carla}/certificate"), Some(&admin))
            .await,
        409,
    )
    .await;
    let elsewhere = app.login_as("referente", Some(SANREMO)).await;
    assert_problem(
        app.get(
            &format!("/enrolments/{anna}/certificate"),
            Some(&elsewhere.token),
        )
        .await,
        403,
    )
    .await;
    let own_referente = app.login_as("referente", Some(IMPERIA)).await;
    assert_eq!(
        app.get(
            &format!("/enrolments/{anna}/certificate"),
            Some(&own_referente.token)
        )
        .await
        .status(),
        200
    );

    // Anyone can check the number: valid, initials only.
    let check: Value = app
        .get(&format!("/certificates/{number}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(check["valid"], true);
    assert_eq!(check["holder_initials"], "P. N.");
    assert_eq!(check["hours"], 6.0);
    assert!(
        !check.to_string().contains(&tax_code(6000)),
        "no tax code in public"
    );
    assert_problem(app.get("/certificates/IM-2027-999999", None).await, 404).await;
    // Counting is no use: the serial alone, or with another random part, is not a number.
    for guess in [serial.clone(), format!("{serial}-0000000000")] {
        assert_problem(app.get(&format!("/certificates/{guess}"), None).await, 404).await;
    }

    // The signature sheet lists everyone holding a seat.
    let sheet = app
        .client
        .get(app.url(&format!("/sessions/{first}/attendance")))
        .bearer_auth(&admin)
        .header("accept", "application/pdf")
        .send()
        .await
        .unwrap();
    let text = pdf_text(sheet).await;
    assert!(text.contains("Foglio firme"));
    assert!(
        text.contains("Numero 6001 Persona") && text.contains("Imperia"),
        "{text}"
    );

    // Feedback: by the person only, once; stored without them.
    let body = json!({"email": "p6000@comune.test", "full_name": "Persona 6000", "password": "password-di-prova-utente",
                      "role": "employee", "comune_istat_code": IMPERIA});
    assert_eq!(
        app.post_json("/users", Some(&admin), &body).await.status(),
        201
    );
    let login: Value = app
        .login("p6000@comune.test", "password-di-prova-utente")
        .await
        .json()
        .await
        .unwrap();
    let person = login["access_token"].as_str().unwrap();
    let answers = json!({"content": 5, "teacher": 4, "organisation": 3, "usefulness": 5, "comment": "Chiaro"});
    assert_problem(
        app.post_json(
            &format!("/enrolments/{anna}/feedback"),
            Some(&admin),
            &answers,
        )
        .await,
        403,
    )
    .await;
    let problem = assert_problem(
        app.post_json(
            &format!("/enrolments/{anna}/feedback"),
            Some(person),
            &json!({"content": 6, "teacher": 4, "organisation": 0, "usefulness": 5}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields_at_fault(&problem), ["#/content", "#/organisation"]);
    assert_eq!(
        app.post_json(
            &format!("/enrolments/{anna}/feedback"),
            Some(person),
            &answers
        )
        .await
        .status(),
        204
    );
    assert_problem(
        app.post_json(
            &format!("/enrolments/{anna}/feedback"),
            Some(person),
            &answers,
        )
        .await,
        409,
    )
    .await;
    let summary: Value = app
        .get(
            &format!("/editions/{}/feedback", edition["id"]),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    // One answer is counted but shows nothing: results come in whole batches of five.
    assert_eq!(
        summary,
        json!({"answers": 1, "released": 0, "comments": []})
    );

    // A correction below the threshold takes completion back, and the certificate with it.
    assert_eq!(
        put_attendance(
            &app,
            &admin,
            second,
            json!({"records": [{"enrolment_id": anna, "present": false}]})
        )
        .await
        .status(),
        200
    );
    let a = enrolment(&app, &admin, anna).await;
    assert_eq!(a["status"], "confirmed");
    let history: Vec<&str> = a["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["confirmed", "completed", "confirmed"]);
    let check: Value = app
        .get(&format!("/certificates/{number}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(check, json!({"number": number, "valid": false}));
}

#[rstest]
#[tokio::test]
async fn asynchronous_webinars_complete_with_the_hours_reported(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let (_, provider, _) = catalogue_setup(&app).await;
    let mut course = course_body(provider, "privacy", "async_webinar");
    course["status"] = json!("published");
    let course = create(&app, &admin, "/courses", &course).await;
    let now = Utc::now();
    let webinar = create(
        &app,
        &admin,
        &format!("/courses/{}/editions", course["id"]),
        &json!({"title": "Online", "delivery": "async_webinar", "capacity": 500, "status": "open",
            "enrolment_opens_at": (now - Duration::days(1)).to_rfc3339(), "enrolment_closes_at": (now + Duration::days(20)).to_rfc3339(),
            "available_from": (now + Duration::days(21)).to_rfc3339(), "available_until": (now + Duration::days(60)).to_rfc3339(),
            "access_url": "https://webinar.example/privacy"}),
    )
    .await;
    let person = staff(&app, &admin, IMPERIA, 7000, 1).await[0];
    let e = create(
        &app,
        &admin,
        "/enrolments",
        &json!({"edition_id": webinar["id"], "employee_id": person}),
    )
    .await;
    let path = format!("/enrolments/{}/async-completion", e["id"]);
    let put = |hours: f64| {
        app.client
            .put(app.url(&path))
            .bearer_auth(&admin)
            .json(&json!({"hours": hours}))
            .send()
    };
    let partial: Value = put(4.0).await.unwrap().json().await.unwrap();
    assert_eq!(partial["status"], "confirmed");
    let done: Value = put(5.0).await.unwrap().json().await.unwrap();
    assert_eq!(
        (done["status"].as_str(), done["attended_hours"].as_f64()),
        (Some("completed"), Some(5.0))
    );

    // In-person editions complete through their registers instead.
    let in_person = open_edition(&app, &admin, 5, None).await;
    let other = create(
        &app,
        &admin,
        "/enrolments",
        &json!({"edition_id": in_person["id"], "employee_id": person}),
    )
    .await;
    let response = app
        .client
        .put(app.url(&format!("/enrolments/{}/async-completion", other["id"])))
        .bearer_auth(&admin)
        .json(&json!({"hours": 6}))
        .send()
        .await
        .unwrap();
    assert_problem(response, 409).await;
}

/// The marks inside a register are validated like any field: negative hours were once
/// accepted because nested objects were not checked.
#[rstest]
#[tokio::test]
async fn negative_hours_in_a_register_are_refused_and_change_nothing(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = open_edition(&app, &admin, 10, None).await;
    let person = staff(&app, &admin, IMPERIA, 6100, 1).await[0];
    let enrolment = create(
        &app,
        &admin,
        "/enrolments",
        &json!({"edition_id": edition["id"], "employee_id": person}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let sessions: Value = app
        .get(
            &format!("/editions/{}/sessions", edition["id"]),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let session = sessions["items"][0]["id"].as_i64().unwrap();
    let body = json!({"records": [{"enrolment_id": enrolment, "present": true, "hours": -2.0}]});
    let problem = assert_problem(put_attendance(&app, &admin, session, body).await, 422).await;
    assert_eq!(fields_at_fault(&problem), ["#/records/0/hours"]);
    assert_eq!(enrolment_hours(&app, &admin, enrolment).await, 0.0);
}

async fn enrolment_hours(app: &TestApp, token: &str, id: i64) -> f64 {
    enrolment(app, token, id).await["attended_hours"]
        .as_f64()
        .unwrap()
}

/// The provider saw, per named enrolment, who had answered, and averages from the first
/// answer: watching between answers tied scores to people. Now the provider never sees
/// who answered, and results move only a whole batch of five at a time.
#[rstest]
#[tokio::test]
async fn a_provider_cannot_tell_who_said_what(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = open_edition(&app, &admin, 20, None).await;
    let people = staff(&app, &admin, IMPERIA, 6200, 7).await;
    let mut enrolments = Vec::new();
    for &p in &people {
        let e = create(
            &app,
            &admin,
            "/enrolments",
            &json!({"edition_id": edition["id"], "employee_id": p}),
        )
        .await;
        enrolments.push(e["id"].as_i64().unwrap());
    }
    let sessions: Value = app
        .get(
            &format!("/editions/{}/sessions", edition["id"]),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let records: Vec<Value> = enrolments
        .iter()
        .map(|id| json!({"enrolment_id": id, "present": true}))
        .collect();
    for session in sessions["items"].as_array().unwrap() {
        let id = session["id"].as_i64().unwrap();
        let response = put_attendance(&app, &admin, id, json!({"records": records})).await;
        assert_eq!(response.status(), 200);
    }
    // Staff of the provider that gives the edition.
    let course: Value = app
        .get(&format!("/courses/{}", edition["course_id"]), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let staff_account = json!({"email": "staff@ente.test", "full_name": "Staff", "password": "password-di-prova-utente",
                               "role": "provider", "provider_id": course["provider_id"]});
    assert_eq!(
        app.post_json("/users", Some(&admin), &staff_account)
            .await
            .status(),
        201
    );
    let provider: Value = app
        .login("staff@ente.test", "password-di-prova-utente")
        .await
        .json()
        .await
        .unwrap();
    let provider_token = provider["access_token"].as_str().unwrap().to_owned();
    let summary_path = format!("/editions/{}/feedback", edition["id"]);
    let mut seen = Vec::new();
    for (i, (&enrolment, n)) in enrolments.iter().zip(6200..).enumerate() {
        let email = format!("p{n}@comune.test");
        let account = json!({"email": email, "full_name": "Persona", "password": "password-di-prova-utente",
                             "role": "employee", "comune_istat_code": IMPERIA});
        assert_eq!(
            app.post_json("/users", Some(&admin), &account)
                .await
                .status(),
            201
        );
        let login: Value = app
            .login(&email, "password-di-prova-utente")
            .await
            .json()
            .await
            .unwrap();
        let score = if i < 5 { 4 } else { 1 };
        let answers = json!({"content": score, "teacher": score, "organisation": score, "usefulness": score,
                             "comment": format!("commento {i}")});
        let given = app
            .post_json(
                &format!("/enrolments/{enrolment}/feedback"),
                login["access_token"].as_str(),
                &answers,
            )
            .await;
        assert_eq!(given.status(), 204);
        let summary: Value = app
            .get(&summary_path, Some(&admin))
            .await
            .json()
            .await
            .unwrap();
        seen.push((
            summary["released"].as_i64().unwrap(),
            summary["content"].as_f64(),
        ));
    }
    assert_eq!(
        seen,
        [
            (0, None),
            (0, None),
            (0, None),
            (0, None),
            (5, Some(4.0)),
            (5, Some(4.0)),
            (5, Some(4.0))
        ],
        "nothing before five answers, then nothing moves until five more"
    );
    let listed: Value = app
        .get(
            &format!("/enrolments?edition_id={}", edition["id"]),
            Some(&provider_token),
        )
        .await
        .json()
        .await
        .unwrap();
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 7);
    assert!(
        items.iter().all(|e| e.get("feedback_given").is_none()),
        "{listed}"
    );
    let one: Value = app
        .get(
            &format!("/enrolments/{}", enrolments[0]),
            Some(&provider_token),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(one.get("feedback_given").is_none());
    let for_the_admin: Value = app
        .get(&format!("/enrolments/{}", enrolments[0]), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        for_the_admin["feedback_given"], true,
        "the admin sends reminders"
    );
}
