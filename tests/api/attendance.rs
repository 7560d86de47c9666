//! After enrolment: registers by hand and from webinar reports, completion at the course's
//! threshold (both ways), certificates checked by extracting their text, public
//! verification, signature sheets, asynchronous webinars, and anonymous feedback.
use chrono::Utc;
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{Catalogue, EditionId, EnrolmentId, SessionId, webinar_body};
use crate::helpers::{
    Backend, IMPERIA, SANREMO, TestApp, assert_invalid, assert_problem, spawn_app, tax_code,
};

async fn pdf_text(response: reqwest::Response) -> String {
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let bytes = response.bytes().await.unwrap();
    pdf_extract::extract_text_from_mem(&bytes).unwrap()
}

/// The Zoom report of the second session: Anna (p6000) left and rejoined, 200 minutes in
/// all; Bruno (p6001) stayed 100 minutes; a guest is no one enrolled.
const ZOOM_REPORT: &str = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n\
     Persona,P6000@comune.test,x,x,120,No\nPersona,p6000@comune.test,x,x,80,No\n\
     Persona,p6001@comune.test,x,x,100,No\nOspite,ospite@altrove.test,x,x,180,Yes\n";

/// A class: a 6-hour course needing 80 % (4 h 48 min), two sessions of 3 hours, and Anna,
/// Bruno and Carla (Persona Numero 6000 to 6002, of Imperia) confirmed.
struct Class {
    admin: String,
    edition: EditionId,
    anna: EnrolmentId,
    bruno: EnrolmentId,
    carla: EnrolmentId,
    first: SessionId,
    second: SessionId,
}

impl Class {
    async fn enrolled(app: &TestApp) -> Self {
        let admin = app.admin_token().await;
        let edition = app.open_edition(&admin, 10).await.id;
        let mut enrolments = Vec::new();
        for person in app.staff(&admin, IMPERIA, 6000, 3).await {
            enrolments.push(app.enrolment(&admin, edition, person).await.id);
        }
        let sessions = app.sessions(&admin, edition).await;
        assert_eq!(sessions[0]["hours"], 3.0);
        Class {
            edition,
            anna: enrolments[0],
            bruno: enrolments[1],
            carla: enrolments[2],
            first: sessions[0].id,
            second: sessions[1].id,
            admin,
        }
    }

    /// Session 1 by hand: Anna all of it, Bruno two hours, Carla absent.
    async fn mark_the_first_session(&self, app: &TestApp) -> Value {
        let register = json!({"records": [{"enrolment_id": self.anna.0, "present": true},
                                           {"enrolment_id": self.bruno.0, "present": true, "hours": 2},
                                           {"enrolment_id": self.carla.0, "present": false}]});
        app.put_attendance(&self.admin, self.first, register)
            .await
            .json()
            .await
            .unwrap()
    }

    /// Session 2 from [`ZOOM_REPORT`].
    async fn import_the_second_session(&self, app: &TestApp, dry_run: bool) -> Value {
        let path = format!(
            "{}/attendance-imports?dry_run={dry_run}",
            self.second.path()
        );
        app.post_csv(&path, &self.admin, ZOOM_REPORT)
            .await
            .json()
            .await
            .unwrap()
    }

    /// Both sessions registered: Anna 6 h (completed), Bruno 3 h 40, Carla nothing.
    async fn attended(app: &TestApp) -> Self {
        let class = Self::enrolled(app).await;
        class.mark_the_first_session(app).await;
        class.import_the_second_session(app, false).await;
        class
    }

    async fn enrolment(&self, app: &TestApp, id: EnrolmentId) -> Value {
        app.read_enrolment(&self.admin, id).await
    }

    /// Downloads Anna's certificate and returns its text and number.
    async fn annas_certificate(&self, app: &TestApp) -> (String, String) {
        let path = format!("{}/certificate", self.anna.path());
        let text = pdf_text(app.get(&path, Some(&self.admin)).await).await;
        let number = self.enrolment(app, self.anna).await["certificate_number"]
            .as_str()
            .expect("a number once downloaded")
            .to_owned();
        (text, number)
    }
}

#[rstest]
#[tokio::test]
async fn a_register_with_impossible_marks_is_refused_naming_the_mark(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let class = Class::enrolled(&app).await;
    let too_long =
        json!({"records": [{"enrolment_id": class.anna.0, "present": true, "hours": 3.5}]});
    assert_invalid(
        app.put_attendance(&class.admin, class.first, too_long)
            .await,
        &["#/records/0/hours"],
    )
    .await;
    let stranger = json!({"records": [{"enrolment_id": 999_999, "present": true}]});
    assert_invalid(
        app.put_attendance(&class.admin, class.first, stranger)
            .await,
        &["#/records/0/enrolment_id"],
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn a_register_taken_by_hand_has_an_entry_for_everyone(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let class = Class::enrolled(&app).await;
    let register = class.mark_the_first_session(&app).await;
    assert_eq!(register["entries"].as_array().unwrap().len(), 3);
}

#[rstest]
#[tokio::test]
async fn a_webinar_report_adds_up_rejoins_skips_guests_and_previews_without_writing(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let class = Class::enrolled(&app).await;
    class.mark_the_first_session(&app).await;
    let preview = class.import_the_second_session(&app, true).await;
    assert_eq!(preview["present"].as_array().unwrap().len(), 2);
    assert_eq!(
        preview["skipped"],
        json!([{"line": 5, "detail": "nessun iscritto confermato con questo indirizzo e-mail"}])
    );
    assert_eq!(
        class.enrolment(&app, class.anna).await["attended_hours"],
        3.0
    );
    let done = class.import_the_second_session(&app, false).await;
    let anna_row = done["present"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["enrolment_id"] == class.anna)
        .unwrap()
        .clone();
    assert_eq!(anna_row["hours"], 3.0, "capped at the session's length");
}

#[rstest]
#[tokio::test]
async fn an_enrolment_completes_at_the_courses_attendance_threshold(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let class = Class::attended(&app).await;
    // Anna: 6 h → completed. Bruno: 2 h + 1 h 40 → not yet. Carla: nothing.
    let a = class.enrolment(&app, class.anna).await;
    assert_eq!(
        (a["status"].as_str(), a["attended_hours"].as_f64()),
        (Some("completed"), Some(6.0))
    );
    let b = class.enrolment(&app, class.bruno).await;
    assert_eq!(b["status"], "confirmed");
    assert_eq!(b["attended_hours_label"], "3,67");
    assert_eq!(
        class.enrolment(&app, class.carla).await["attended_hours"],
        0.0
    );
}

#[rstest]
#[tokio::test]
async fn the_certificate_names_the_person_the_course_and_the_hours(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let class = Class::attended(&app).await;
    let (text, number) = class.annas_certificate(&app).await;
    let serial = format!("IM-{}-{:06}", Utc::now().format("%Y"), class.anna.0);
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
}

/// Names as they are written at the registry office, from Poland, Japan (romanised),
/// Serbia, Greece and Russia: none of them fits Windows-1252.
const FOREIGN_NAMES: [(&str, &str); 4] = [
    ("Łukasz", "Ōno"),
    ("Ðorđe", "Šćepanović"),
    ("Αλέξανδρος", "Παπαδόπουλος"),
    ("Дмитрий", "Шостакович"),
];

#[rstest]
#[tokio::test]
async fn certificates_and_signature_sheets_print_names_in_any_alphabet(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let edition = app.open_edition(&admin, 10).await.id;
    let mut enrolments = Vec::new();
    for (n, (given, family)) in (7000..).zip(FOREIGN_NAMES) {
        let employee = app
            .employee(&admin)
            .in_comune(IMPERIA)
            .named(given, family)
            .tax_code(&tax_code(n))
            .email(&format!("p{n}@comune.test"))
            .create()
            .await
            .id;
        enrolments.push(app.enrolment(&admin, edition, employee).await.id);
    }
    let sessions = app.sessions(&admin, edition).await;
    let everyone: Vec<Value> = enrolments
        .iter()
        .map(|e| json!({"enrolment_id": e.0, "present": true}))
        .collect();
    for session in &sessions {
        let register = app
            .put_attendance(&admin, session.id, json!({ "records": everyone }))
            .await;
        assert_eq!(register.status(), 200);
    }
    for (enrolment, (given, family)) in enrolments.iter().zip(FOREIGN_NAMES) {
        let path = format!("{}/certificate", enrolment.path());
        let text = pdf_text(app.get(&path, Some(&admin)).await).await;
        let name = format!("{given} {family}");
        assert!(text.contains(&name), "{name:?} missing from:\n{text}");
    }
    let path = format!("{}/attendance", sessions[0].id.path());
    let sheet = pdf_text(app.get_as(&path, &admin, "application/pdf").await).await;
    for (given, family) in FOREIGN_NAMES {
        let name = format!("{family} {given}");
        assert!(sheet.contains(&name), "{name:?} missing from:\n{sheet}");
    }
}

#[rstest]
#[tokio::test]
async fn there_is_no_certificate_before_completion(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let class = Class::attended(&app).await;
    let path = format!("{}/certificate", class.carla.path());
    assert_problem(app.get(&path, Some(&class.admin)).await, 409).await;
}

#[rstest]
#[tokio::test]
async fn a_certificate_is_read_by_the_persons_own_comune_only(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let class = Class::attended(&app).await;
    class.annas_certificate(&app).await;
    let path = format!("{}/certificate", class.anna.path());
    let elsewhere = app.login_as("referente", Some(SANREMO)).await;
    assert_problem(app.get(&path, Some(&elsewhere.token)).await, 403).await;
    let own_referente = app.login_as("referente", Some(IMPERIA)).await;
    assert_eq!(
        app.get(&path, Some(&own_referente.token)).await.status(),
        200
    );
}

#[rstest]
#[tokio::test]
async fn anyone_can_check_a_certificate_number_but_not_guess_one(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let class = Class::attended(&app).await;
    let (_, number) = class.annas_certificate(&app).await;
    // Valid, initials only.
    let check = app.read(&format!("/certificates/{number}"), None).await;
    assert_eq!(check["valid"], true);
    assert_eq!(check["holder_initials"], "P. N.");
    assert_eq!(check["hours"], 6.0);
    assert!(
        !check.to_string().contains(&tax_code(6000)),
        "no tax code in public"
    );
    assert_problem(app.get("/certificates/IM-2027-999999", None).await, 404).await;
    // Counting is no use: the serial alone, or with another random part, is not a number.
    let serial = format!("IM-{}-{:06}", Utc::now().format("%Y"), class.anna.0);
    for guess in [serial.clone(), format!("{serial}-0000000000")] {
        assert_problem(app.get(&format!("/certificates/{guess}"), None).await, 404).await;
    }
}

#[rstest]
#[tokio::test]
async fn the_signature_sheet_lists_everyone_holding_a_seat(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let class = Class::attended(&app).await;
    let path = format!("{}/attendance", class.first.path());
    let sheet = app.get_as(&path, &class.admin, "application/pdf").await;
    let text = pdf_text(sheet).await;
    assert!(text.contains("Foglio firme"));
    assert!(
        text.contains("Numero 6001 Persona") && text.contains("Imperia"),
        "{text}"
    );
}

#[rstest]
#[tokio::test]
async fn feedback_is_given_by_the_person_only_once_and_shown_in_batches(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let class = Class::attended(&app).await;
    app.user(&class.admin, "p6000@comune.test", "employee")
        .full_name("Persona 6000")
        .in_comune(IMPERIA)
        .create()
        .await;
    let person = app.token_of("p6000@comune.test").await;
    let path = format!("{}/feedback", class.anna.path());
    let answers = json!({"content": 5, "teacher": 4, "organisation": 3, "usefulness": 5, "comment": "Chiaro"});
    assert_problem(
        app.post_json(&path, Some(&class.admin), &answers).await,
        403,
    )
    .await;
    let out_of_range = json!({"content": 6, "teacher": 4, "organisation": 0, "usefulness": 5});
    assert_invalid(
        app.post_json(&path, Some(&person), &out_of_range).await,
        &["#/content", "#/organisation"],
    )
    .await;
    assert_eq!(
        app.post_json(&path, Some(&person), &answers).await.status(),
        204
    );
    assert_problem(app.post_json(&path, Some(&person), &answers).await, 409).await;
    let summary = app
        .read(
            &format!("{}/feedback", class.edition.path()),
            Some(&class.admin),
        )
        .await;
    // One answer is counted but shows nothing: results come in whole batches of five.
    assert_eq!(
        summary,
        json!({"answers": 1, "released": 0, "comments": []})
    );
}

#[rstest]
#[tokio::test]
async fn a_correction_below_the_threshold_takes_completion_and_the_certificate_back(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let class = Class::attended(&app).await;
    let (_, number) = class.annas_certificate(&app).await;
    let absent = json!({"records": [{"enrolment_id": class.anna.0, "present": false}]});
    assert_eq!(
        app.put_attendance(&class.admin, class.second, absent)
            .await
            .status(),
        200
    );
    let a = class.enrolment(&app, class.anna).await;
    assert_eq!(a["status"], "confirmed");
    let history: Vec<&str> = a["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["confirmed", "completed", "confirmed"]);
    let check = app.read(&format!("/certificates/{number}"), None).await;
    assert_eq!(check, json!({"number": number, "valid": false}));
}

#[rstest]
#[tokio::test]
async fn an_asynchronous_webinar_completes_with_the_hours_reported(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let Catalogue { provider, .. } = app.catalogue().await;
    let course = app
        .course(&admin, provider)
        .modality("async_webinar")
        .published()
        .create()
        .await;
    let webinar = app
        .edition(&admin, course.id, webinar_body())
        .create()
        .await;
    let person = app.staff(&admin, IMPERIA, 7000, 1).await[0];
    let e = app.enrolment(&admin, webinar.id, person).await;
    let path = format!("{}/async-completion", e.id.path());
    let partial = app.put_json(&path, &admin, &json!({"hours": 4.0})).await;
    let partial: Value = partial.json().await.unwrap();
    assert_eq!(partial["status"], "confirmed");
    let done = app.put_json(&path, &admin, &json!({"hours": 5.0})).await;
    let done: Value = done.json().await.unwrap();
    assert_eq!(
        (done["status"].as_str(), done["attended_hours"].as_f64()),
        (Some("completed"), Some(5.0))
    );
}

#[rstest]
#[tokio::test]
async fn an_in_person_edition_completes_through_its_registers_not_reported_hours(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let in_person = app.open_edition(&admin, 5).await.id;
    let person = app.staff(&admin, IMPERIA, 7000, 1).await[0];
    let other = app.enrolment(&admin, in_person, person).await;
    let path = format!("{}/async-completion", other.id.path());
    let response = app.put_json(&path, &admin, &json!({"hours": 6})).await;
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
    let edition = app.open_edition(&admin, 10).await.id;
    let person = app.staff(&admin, IMPERIA, 6100, 1).await[0];
    let enrolment = app.enrolment(&admin, edition, person).await.id;
    let session = app.sessions(&admin, edition).await[0].id;
    let body = json!({"records": [{"enrolment_id": enrolment.0, "present": true, "hours": -2.0}]});
    assert_invalid(
        app.put_attendance(&admin, session, body).await,
        &["#/records/0/hours"],
    )
    .await;
    let hours = app.read_enrolment(&admin, enrolment).await["attended_hours"]
        .as_f64()
        .unwrap();
    assert_eq!(hours, 0.0);
}

/// Seven people of a 20-seat edition, all present at both sessions and so completed, each
/// with an account to give feedback with; the admin, and staff of the edition's provider.
struct Answered {
    admin: String,
    provider_staff: String,
    edition: EditionId,
    enrolments: Vec<EnrolmentId>,
    /// (released, average for content) as the admin saw them after each answer.
    seen: Vec<(i64, Option<f64>)>,
}

/// Gives seven answers, the first five of 4, the last two of 1, and watches the summary.
async fn seven_answers(app: &TestApp) -> Answered {
    let admin = app.admin_token().await;
    let edition = app.open_edition(&admin, 20).await;
    let mut enrolments = Vec::new();
    for person in app.staff(&admin, IMPERIA, 6200, 7).await {
        enrolments.push(app.enrolment(&admin, edition.id, person).await.id);
    }
    let records: Vec<Value> = enrolments
        .iter()
        .map(|id| json!({"enrolment_id": id.0, "present": true}))
        .collect();
    for session in app.sessions(&admin, edition.id).await {
        let register = json!({"records": records});
        let response = app.put_attendance(&admin, session.id, register).await;
        assert_eq!(response.status(), 200);
    }
    // Staff of the provider that gives the edition.
    let course = app
        .read(&format!("/courses/{}", edition["course_id"]), Some(&admin))
        .await;
    let provider = crate::fixtures::ProviderId(course["provider_id"].as_i64().unwrap());
    app.user(&admin, "staff@ente.test", "provider")
        .full_name("Staff")
        .of_provider(provider)
        .create()
        .await;
    let provider_staff = app.token_of("staff@ente.test").await;
    let summary_path = format!("{}/feedback", edition.id.path());
    let mut seen = Vec::new();
    for (i, (&enrolment, n)) in enrolments.iter().zip(6200..).enumerate() {
        let email = format!("p{n}@comune.test");
        app.user(&admin, &email, "employee")
            .in_comune(IMPERIA)
            .create()
            .await;
        let person = app.token_of(&email).await;
        let score = if i < 5 { 4 } else { 1 };
        let answers = json!({"content": score, "teacher": score, "organisation": score, "usefulness": score,
                             "comment": format!("commento {i}")});
        let given = app
            .post_json(
                &format!("{}/feedback", enrolment.path()),
                Some(&person),
                &answers,
            )
            .await;
        assert_eq!(given.status(), 204);
        let summary = app.read(&summary_path, Some(&admin)).await;
        seen.push((
            summary["released"].as_i64().unwrap(),
            summary["content"].as_f64(),
        ));
    }
    Answered {
        admin,
        provider_staff,
        edition: edition.id,
        enrolments,
        seen,
    }
}

/// The provider saw averages from the first answer: watching between answers tied scores
/// to people. Now results move only a whole batch of five at a time.
#[rstest]
#[tokio::test]
async fn feedback_results_move_only_a_whole_batch_of_five_at_a_time(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let answered = seven_answers(&app).await;
    assert_eq!(
        answered.seen,
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
}

/// The provider saw, per named enrolment, who had answered. Now the provider never sees
/// who answered; the admin does, to send reminders.
#[rstest]
#[tokio::test]
async fn a_provider_cannot_tell_who_answered(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let answered = seven_answers(&app).await;
    let listed = app
        .read(
            &format!("/enrolments?edition_id={}", answered.edition),
            Some(&answered.provider_staff),
        )
        .await;
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items.len(), 7);
    assert!(
        items.iter().all(|e| e.get("feedback_given").is_none()),
        "{listed}"
    );
    let first = answered.enrolments[0];
    let one = app.read_enrolment(&answered.provider_staff, first).await;
    assert!(one.get("feedback_given").is_none());
    let for_the_admin = app.read_enrolment(&answered.admin, first).await;
    assert_eq!(
        for_the_admin["feedback_given"], true,
        "the admin sends reminders"
    );
}
