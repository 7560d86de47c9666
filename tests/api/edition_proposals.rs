//! Who decides a published edition's seats, dates and cancellation: its provider proposes,
//! the Province approves or rejects, both are told — unless the admin lets the provider
//! act alone.
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{Catalogue, EditionId, ProviderId, VenueId, in_person_edition};
use crate::helpers::{
    ADMIN_EMAIL, Backend, IMPERIA, TestApp, assert_invalid, assert_problem, spawn_app,
};

/// A provider whose staff must propose, one of its published editions (20 seats, venue
/// of 30) and one draft, and another provider's edition.
struct Setting {
    admin: String,
    staff: String,
    staff_email: String,
    provider: ProviderId,
    edition: EditionId,
    draft: EditionId,
    foreign: EditionId,
    venue: VenueId,
}

async fn setting(app: &TestApp) -> Setting {
    let Catalogue {
        admin,
        provider: other,
        venue,
    } = app.catalogue().await;
    let staff = app.login_as("provider", None).await;
    let me = app.read("/auth/me", Some(&staff.token)).await;
    let provider = ProviderId(me["provider_id"].as_i64().unwrap());
    let course = app.course(&admin, provider).published().create().await.id;
    let edition = app
        .edition(&admin, course, in_person_edition(venue, 20))
        .create()
        .await
        .id;
    let mut draft_body = in_person_edition(venue, 20);
    draft_body["status"] = json!("draft");
    let draft = app.edition(&admin, course, draft_body).create().await.id;
    let other_course = app.course(&admin, other).published().create().await.id;
    let foreign = app
        .edition(&admin, other_course, in_person_edition(venue, 20))
        .create()
        .await
        .id;
    Setting {
        admin,
        staff: staff.token,
        staff_email: staff.email,
        provider,
        edition,
        draft,
        foreign,
        venue,
    }
}

/// A published edition of the provider taking enrolments now: 10 seats.
async fn open_edition(app: &TestApp, s: &Setting) -> EditionId {
    let course = app
        .course(&s.admin, s.provider)
        .published()
        .create()
        .await
        .id;
    app.edition(
        &s.admin,
        course,
        crate::fixtures::open_edition_body(s.venue, 10),
    )
    .create()
    .await
    .id
}

fn proposals_of(edition: EditionId) -> String {
    format!("{}/change-proposals", edition.path())
}

async fn propose(app: &TestApp, token: &str, edition: EditionId, body: Value) -> Value {
    let response = app
        .post_json(&proposals_of(edition), Some(token), &body)
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    assert!(response.headers().contains_key("location"));
    response.json().await.unwrap()
}

async fn decide(app: &TestApp, admin: &str, proposal: &Value, approve: bool) -> reqwest::Response {
    let path = format!("/edition-change-proposals/{}/decision", proposal["id"]);
    app.post_json(
        &path,
        Some(admin),
        &json!({"approve": approve, "note": "Vista la richiesta."}),
    )
    .await
}

/// Subjects of the messages queued for `recipient`, newest first.
async fn subjects_to(app: &TestApp, admin: &str, recipient: &str) -> Vec<String> {
    let page = app.read("/outbox?limit=200", Some(admin)).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["recipient"] == recipient)
        .map(|m| m["subject"].as_str().unwrap().to_owned())
        .collect()
}

#[rstest]
#[tokio::test]
async fn staff_who_must_propose_cannot_change_seats_dates_or_cancel_a_published_edition(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = setting(&app).await;
    let path = s.edition.path();
    let moved = json!([{"starts_at": "2027-03-29T08:30:00Z", "ends_at": "2027-03-29T11:30:00Z", "venue_id": s.venue.0}]);
    for patch in [
        json!({"capacity": 25}),
        json!({"status": "cancelled"}),
        json!({"sessions": moved}),
    ] {
        let problem = assert_problem(app.merge_patch(&path, &s.staff, &patch).await, 409).await;
        assert!(
            problem["detail"].as_str().unwrap().contains("proposta"),
            "{problem}"
        );
    }
    let edition = app.read(&path, Some(&s.staff)).await;
    assert_eq!(edition["capacity"], 20, "nothing changed");
    assert_eq!(edition["status"], "open");
    assert_eq!(edition["sessions"].as_array().unwrap().len(), 2);

    let renamed = app
        .change(&s.staff, &path, json!({"title": "Edizione del mattino"}))
        .await;
    assert_eq!(
        renamed["title"], "Edizione del mattino",
        "other fields stay theirs"
    );
    let draft = app
        .change(&s.staff, &s.draft.path(), json!({"capacity": 25}))
        .await;
    assert_eq!(draft["capacity"], 25, "a draft is theirs until published");
    let by_admin = app.change(&s.admin, &path, json!({"capacity": 22})).await;
    assert_eq!(by_admin["capacity"], 22, "the Province changes it directly");
}

#[rstest]
#[tokio::test]
async fn an_approved_proposal_is_applied_and_both_sides_are_told(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = setting(&app).await;
    let proposal = propose(
        &app,
        &s.staff,
        s.edition,
        json!({"capacity": 28, "reason": "Lista d'attesa lunga; la sala ne tiene 30."}),
    )
    .await;
    assert_eq!(proposal["status"], "pending");
    assert_eq!(proposal["capacity"], 28);
    assert_eq!(
        proposal["edition"]["capacity"], 20,
        "the edition as it is now"
    );
    assert_eq!(proposal["edition"]["provider_id"], s.provider.0);
    assert_eq!(proposal["proposed_by"], "Utente provider");
    let told = subjects_to(&app, &s.admin, ADMIN_EMAIL).await;
    assert!(
        told.iter().any(|t| t.starts_with("Proposta di modifica")),
        "{told:?}"
    );
    let pending = app
        .read("/edition-change-proposals?status=pending", Some(&s.admin))
        .await;
    assert_eq!(pending["total"], 1);
    assert_eq!(
        app.read(&s.edition.path(), Some(&s.admin)).await["capacity"],
        20,
        "nothing changes before the Province decides"
    );

    let decided = decide(&app, &s.admin, &proposal, true).await;
    assert_eq!(decided.status(), 200, "{}", decided.text().await.unwrap());
    let decided: Value = decided.json().await.unwrap();
    assert_eq!(decided["status"], "approved");
    assert_eq!(decided["decision_note"], "Vista la richiesta.");
    assert!(decided["decided_at"].is_string());
    assert_eq!(decided["edition"]["capacity"], 28);
    assert_eq!(
        app.read(&s.edition.path(), Some(&s.staff)).await["capacity"],
        28
    );
    let told = subjects_to(&app, &s.admin, &s.staff_email).await;
    assert!(
        told.iter().any(|t| t.starts_with("Modifica approvata")),
        "{told:?}"
    );
    assert_problem(decide(&app, &s.admin, &proposal, false).await, 409).await;
}

#[rstest]
#[tokio::test]
async fn a_rejected_proposal_leaves_the_edition_as_it_was(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = setting(&app).await;
    let proposal = propose(
        &app,
        &s.staff,
        s.edition,
        json!({"cancel": true, "reason": "Il docente non è più disponibile."}),
    )
    .await;
    let rejected: Value = decide(&app, &s.admin, &proposal, false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(
        app.read(&s.edition.path(), Some(&s.admin)).await["status"],
        "open"
    );
    let told = subjects_to(&app, &s.admin, &s.staff_email).await;
    assert!(
        told.iter().any(|t| t.starts_with("Modifica respinta")),
        "{told:?}"
    );
}

#[rstest]
#[tokio::test]
async fn an_approved_cancellation_tells_everyone_enrolled(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = setting(&app).await;
    let open = open_edition(&app, &s).await;
    let employee = app.employee(&s.admin).in_comune(IMPERIA).create().await.id;
    let enrolment = app.enrolment(&s.admin, open, employee).await.id;
    let proposal = propose(
        &app,
        &s.staff,
        open,
        json!({"cancel": true, "reason": "Aula inagibile."}),
    )
    .await;
    assert_eq!(decide(&app, &s.admin, &proposal, true).await.status(), 200);
    assert_eq!(
        app.read(&open.path(), Some(&s.admin)).await["status"],
        "cancelled"
    );
    assert_eq!(
        app.read_enrolment(&s.admin, enrolment).await["status"],
        "cancelled"
    );
}

#[rstest]
#[tokio::test]
async fn a_proposal_is_checked_as_the_edition_would_be(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = setting(&app).await;
    let path = proposals_of(s.edition);
    let send = async |body: Value| app.post_json(&path, Some(&s.staff), &body).await;
    assert_invalid(send(json!({"reason": "Niente"})).await, &["#/capacity"]).await;
    assert_invalid(
        send(json!({"capacity": 25, "reason": "  "})).await,
        &["#/reason"],
    )
    .await;
    assert_invalid(
        send(json!({"capacity": 40, "reason": "Più posti"})).await,
        &["#/capacity"],
    )
    .await;
    assert_invalid(
        send(json!({"capacity": 20, "reason": "Gli stessi posti"})).await,
        &["#/capacity"],
    )
    .await;
    let backwards = json!([{"starts_at": "2027-03-29T11:30:00Z", "ends_at": "2027-03-29T08:30:00Z", "venue_id": s.venue.0}]);
    let problem = assert_problem(
        send(json!({"sessions": backwards, "reason": "Spostata"})).await,
        422,
    )
    .await;
    assert!(problem.to_string().contains("sessions"), "{problem}");
    let draft = app
        .post_json(
            &proposals_of(s.draft),
            Some(&s.staff),
            &json!({"capacity": 25, "reason": "x"}),
        )
        .await;
    assert_problem(draft, 409).await;
    let foreign = app
        .post_json(
            &proposals_of(s.foreign),
            Some(&s.staff),
            &json!({"capacity": 25, "reason": "x"}),
        )
        .await;
    assert_problem(foreign, 403).await;
    let none = app.read("/edition-change-proposals", Some(&s.admin)).await;
    assert_eq!(none["total"], 0, "nothing was recorded");
}

#[rstest]
#[tokio::test]
async fn a_newer_proposal_supersedes_the_pending_one(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = setting(&app).await;
    let first = propose(
        &app,
        &s.staff,
        s.edition,
        json!({"capacity": 25, "reason": "Prima idea"}),
    )
    .await;
    let second = propose(
        &app,
        &s.staff,
        s.edition,
        json!({"capacity": 26, "reason": "Meglio 26"}),
    )
    .await;
    let first_now = app
        .read(
            &format!("/edition-change-proposals/{}", first["id"]),
            Some(&s.staff),
        )
        .await;
    assert_eq!(first_now["status"], "superseded");
    assert_problem(decide(&app, &s.admin, &first, true).await, 409).await;
    assert_eq!(decide(&app, &s.admin, &second, true).await.status(), 200);
    assert_eq!(
        app.read(&s.edition.path(), Some(&s.admin)).await["capacity"],
        26
    );
}

#[rstest]
#[tokio::test]
async fn an_approval_the_edition_no_longer_allows_decides_nothing(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = setting(&app).await;
    let open = open_edition(&app, &s).await;
    let proposal = propose(
        &app,
        &s.staff,
        open,
        json!({"capacity": 1, "reason": "Un posto solo"}),
    )
    .await;
    for n in 0..2 {
        let employee = app
            .employee(&s.admin)
            .in_comune(IMPERIA)
            .tax_code(&crate::helpers::tax_code(900 + n))
            .create()
            .await
            .id;
        app.enrolment(&s.admin, open, employee).await;
    }
    assert_problem(decide(&app, &s.admin, &proposal, true).await, 409).await;
    // Proposed now, the same seats are refused at once: two people hold theirs.
    let late = app
        .post_json(
            &proposals_of(open),
            Some(&s.staff),
            &json!({"capacity": 1, "reason": "Un posto solo"}),
        )
        .await;
    assert_invalid(late, &["#/capacity"]).await;
    let still = app
        .read(
            &format!("/edition-change-proposals/{}", proposal["id"]),
            Some(&s.admin),
        )
        .await;
    assert_eq!(still["status"], "pending", "nothing was decided");
    assert_eq!(app.read(&open.path(), Some(&s.admin)).await["capacity"], 10);
}

#[rstest]
#[tokio::test]
async fn two_decisions_at_once_decide_once(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = setting(&app).await;
    let proposal = propose(
        &app,
        &s.staff,
        s.edition,
        json!({"capacity": 24, "reason": "Più posti"}),
    )
    .await;
    let (a, b) = tokio::join!(
        decide(&app, &s.admin, &proposal, true),
        decide(&app, &s.admin, &proposal, false)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let now = app
        .read(
            &format!("/edition-change-proposals/{}", proposal["id"]),
            Some(&s.admin),
        )
        .await;
    let capacity = app.read(&s.edition.path(), Some(&s.admin)).await["capacity"].clone();
    match now["status"].as_str().unwrap() {
        "approved" => assert_eq!(capacity, 24),
        "rejected" => assert_eq!(capacity, 20),
        other => panic!("{other}"),
    }
}

#[rstest]
#[tokio::test]
async fn staff_see_their_own_proposals_and_only_the_admin_decides(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = setting(&app).await;
    let proposal = propose(
        &app,
        &s.staff,
        s.edition,
        json!({"capacity": 24, "reason": "Più posti"}),
    )
    .await;
    let mine = app.read("/edition-change-proposals", Some(&s.staff)).await;
    assert_eq!(mine["total"], 1);
    let other_staff = app.login_as("provider", None).await;
    let theirs = app
        .read("/edition-change-proposals", Some(&other_staff.token))
        .await;
    assert_eq!(theirs["total"], 0, "another provider sees none of them");
    let path = format!("/edition-change-proposals/{}", proposal["id"]);
    assert_problem(app.get(&path, Some(&other_staff.token)).await, 403).await;
    assert_problem(decide(&app, &s.staff, &proposal, true).await, 403).await;
}

#[rstest]
#[tokio::test]
async fn a_provider_the_admin_lets_act_alone_changes_its_editions_directly(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let s = setting(&app).await;
    let provider = format!("/providers/{}", s.provider.0);
    let refused = app
        .merge_patch(
            &provider,
            &s.staff,
            &json!({"edition_changes_need_approval": false}),
        )
        .await;
    assert_problem(refused, 403).await;
    let trusted = app
        .change(
            &s.admin,
            &provider,
            json!({"edition_changes_need_approval": false}),
        )
        .await;
    assert_eq!(trusted["edition_changes_need_approval"], false);
    let changed = app
        .change(&s.staff, &s.edition.path(), json!({"capacity": 25}))
        .await;
    assert_eq!(changed["capacity"], 25);
}
