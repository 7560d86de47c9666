//! `cabina demo`: a working, fictitious year on an empty database, done once.
use rstest::rstest;
use serde_json::Value;

use crate::helpers::{Backend, spawn_app};

#[rstest]
#[tokio::test]
async fn the_demo_fills_an_empty_database_once_with_a_working_year(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let report = cabina::demo::fill(&app.app_db, "IM", 2027).await.unwrap();
    assert!(report.skipped.is_none());
    assert!(
        report.employees > 2000,
        "a few thousand employees: {report:?}"
    );
    assert!(report.certificates > 0 && report.feedback > 0, "{report:?}");
    let again = cabina::demo::fill(&app.app_db, "IM", 2027).await.unwrap();
    assert!(again.skipped.is_some(), "idempotent");

    // The demo accounts work, and what they see makes sense.
    let login: Value = app
        .login(
            "dipendente@imperia.demo.example",
            cabina::demo::DEMO_PASSWORD,
        )
        .await
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap();
    let mine = app.read("/enrolments", Some(token)).await;
    let mine = mine["items"].as_array().unwrap();
    let completed = mine
        .iter()
        .find(|e| e["status"] == "completed")
        .expect("a completed course");
    let certificate = app
        .get(
            &format!("/enrolments/{}/certificate", completed["id"]),
            Some(token),
        )
        .await;
    assert_eq!(certificate.status(), 200);
    let number = completed["certificate_number"].as_str().unwrap();
    let check = app.read(&format!("/certificates/{number}"), None).await;
    assert_eq!(check["valid"], true);

    let admin: Value = app
        .login(
            "formazione@provincia.demo.example",
            cabina::demo::DEMO_PASSWORD,
        )
        .await
        .json()
        .await
        .unwrap();
    let admin = admin["access_token"].as_str().unwrap();
    let all = app.read("/enrolments?status=waitlisted", Some(admin)).await;
    assert!(
        !all["items"].as_array().unwrap().is_empty(),
        "waitlists formed"
    );
    let campaigns = app.read("/campaigns", Some(admin)).await;
    let campaign = &campaigns["items"][0];
    let answers = app
        .read(
            &format!("/campaigns/{}/responses", campaign["id"]),
            Some(admin),
        )
        .await;
    let submitted = answers["submitted"].as_u64().unwrap();
    assert!(
        submitted > 33 && submitted < 66,
        "most comuni answered: {submitted}"
    );
    let catalogue = app.read("/catalogue/editions", None).await;
    assert!(!catalogue["items"].as_array().unwrap().is_empty());

    // Reminders reach most comuni: five in six have a referente's address.
    let comuni = app.read("/comuni?limit=100", Some(admin)).await;
    let with_referente = comuni["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["contacts"]["referente_email"].is_string())
        .count();
    assert!((50..66).contains(&with_referente), "{with_referente} of 66");

    // Provider staff sign in and see their own provider's courses; one acts alone.
    for (n, alone) in [(1, true), (2, false)] {
        let staff: Value = app
            .login(
                &format!("segreteria@ente{n}.demo.example"),
                cabina::demo::DEMO_PASSWORD,
            )
            .await
            .json()
            .await
            .unwrap();
        let staff = staff["access_token"].as_str().unwrap();
        let me = app.read("/auth/me", Some(staff)).await;
        let provider = app
            .read(&format!("/providers/{}", me["provider_id"]), Some(staff))
            .await;
        assert_eq!(provider["edition_changes_need_approval"], !alone);
        let courses = app.read("/courses", Some(staff)).await;
        assert!(
            courses["total"].as_u64().unwrap() > 0,
            "ente {n} runs courses"
        );
    }
}
