//! The authorization matrix: every operation of the OpenAPI document × every kind of caller.
//! An operation missing from the table fails the test, so a new endpoint cannot be added
//! without deciding who may call it.
use std::collections::{BTreeMap, BTreeSet};

use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{
    Catalogue, ProviderId, VenueId, campaign_body, course_body, employee_body, in_person_edition,
    open_edition_body,
};
use crate::helpers::{Backend, IMPERIA, SANREMO, TestApp, spawn_app};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Anonymous,
    ReferenteA,
    ReferenteB,
    ProviderX,
    ProviderY,
    Employee,
    Admin,
}

use Caller::*;

const EVERYONE: &[Caller] = &[
    Anonymous, ReferenteA, ReferenteB, ProviderX, ProviderY, Employee, Admin,
];
const SIGNED_IN: &[Caller] = &[
    ReferenteA, ReferenteB, ProviderX, ProviderY, Employee, Admin,
];
const ADMIN: &[Caller] = &[Admin];
const CATALOGUE_STAFF: &[Caller] = &[Admin, ProviderX, ProviderY];
const OWNER_X: &[Caller] = &[Admin, ProviderX];

/// Who may call each operation. Targets are comune A (Imperia), provider X's resources.
fn allowed(operation_id: &str) -> Option<&'static [Caller]> {
    Some(match operation_id {
        "read_status" | "read_liveness" | "list_comuni" | "read_comune" | "list_office_areas"
        | "list_themes" => EVERYONE,
        "list_catalogue_courses"
        | "list_catalogue_changes"
        | "read_linked_data"
        | "read_open_data"
        | "read_dataset"
        | "list_catalogue_editions"
        | "read_calendar"
        | "read_course_calendar" => EVERYONE,
        "create_login_token" | "create_password_reset" | "create_account_password" => EVERYONE,
        "create_invitations" => &[Admin, ReferenteA],
        "read_current_user" => SIGNED_IN,
        "list_users" | "create_user" | "read_user" | "update_user" | "remove_user" => ADMIN,
        "update_comune" => &[Admin, ReferenteA],
        "list_providers" | "list_venues" | "read_venue" | "list_courses" | "list_editions" => {
            CATALOGUE_STAFF
        }
        "create_provider" | "remove_provider" => ADMIN,
        "read_provider" | "update_provider" => OWNER_X,
        "create_venue" | "update_venue" | "remove_venue" => ADMIN,
        "create_course" | "update_course" | "remove_course" => ADMIN,
        "read_course" | "create_edition" | "read_edition" | "update_edition" | "remove_edition" => {
            OWNER_X
        }
        // Provider X's staff propose a change to its open edition; the Province decides.
        "create_edition_change_proposal" | "read_edition_change_proposal" => OWNER_X,
        "list_edition_change_proposals" => CATALOGUE_STAFF,
        "decide_edition_change_proposal" => ADMIN,
        // Each referente lists and imports into their own comune; the staff member is comune A's.
        "list_employees" | "import_employees" => &[Admin, ReferenteA, ReferenteB],
        "create_employee"
        | "read_employee"
        | "update_employee"
        | "erase_employee"
        | "export_personal_data" => &[Admin, ReferenteA],
        "list_audit_events" | "create_campaign" | "update_campaign" | "read_campaign_summary" => {
            ADMIN
        }
        "send_campaign_reminders" | "list_outbox" => ADMIN,
        "list_enrolments" => SIGNED_IN,
        // The enrolment of comune A's staff member in provider X's edition.
        "create_enrolment" | "update_enrolment" => &[Admin, ReferenteA],
        "read_enrolment" => &[Admin, ReferenteA, ProviderX],
        // Registers, hours and feedback summaries: whoever runs the edition.
        "list_edition_sessions"
        | "read_attendance"
        | "record_attendance"
        | "import_attendance"
        | "credit_async_hours"
        | "read_edition_feedback"
        | "read_provider_feedback" => OWNER_X,
        "download_certificate" => &[Admin, ReferenteA],
        "verify_certificate" => EVERYONE,
        // Only the person who attended, and no caller here is the staff member.
        "give_feedback" => &[],
        "list_campaigns" | "read_campaign" | "list_campaign_responses" => {
            &[Admin, ReferenteA, ReferenteB]
        }
        // Needs of comune A: its referente and the admin; lists are scoped, so both referenti.
        "list_needs" => &[Admin, ReferenteA, ReferenteB],
        "create_need" | "update_need" | "remove_need" | "set_campaign_response" => {
            &[Admin, ReferenteA]
        }
        // Plans: the admin computes and changes them; referenti read their comune's part.
        "read_plan_defaults" | "create_plan" | "update_plan" | "edit_plan" | "compare_plans" => {
            ADMIN
        }
        "list_plans" | "read_plan" => &[Admin, ReferenteA, ReferenteB],
        _ => return None,
    })
}

/// The ids the matrix targets.
struct Fixtures {
    tokens: BTreeMap<Caller, String>,
    employee_id: i64,
    staff_member: i64,
    campaign: i64,
    need: i64,
    enrolment: i64,
    open_edition: i64,
    session: i64,
    provider_x: i64,
    venue: i64,
    course_x: i64,
    edition_x: i64,
    closed_campaign: i64,
    plan: i64,
    proposal: i64,
}

async fn fixtures(app: &TestApp) -> Fixtures {
    let Catalogue {
        admin,
        provider: provider_y,
        venue,
    } = app.catalogue().await;
    let referente_a = app.login_as("referente", Some(IMPERIA)).await;
    let referente_b = app.login_as("referente", Some(SANREMO)).await;
    let staff_x = app.login_as("provider", None).await;
    let staff_y_email = format!("y.{}@ente.test", rand::random::<u32>());
    app.user(&admin, &staff_y_email, "provider")
        .full_name("Staff Y")
        .of_provider(provider_y)
        .create()
        .await;
    let staff_y = app.token_of(&staff_y_email).await;
    let employee = app.login_as("employee", Some(IMPERIA)).await;
    let me = app.read("/auth/me", Some(&staff_x.token)).await;
    let provider_x = ProviderId(me["provider_id"].as_i64().unwrap());
    let course_x = app.course(&admin, provider_x).published().create().await.id;
    let edition_x = app
        .edition(&admin, course_x, in_person_edition(venue, 20))
        .create()
        .await
        .id;
    let staff_member = app.employee(&admin).in_comune(IMPERIA).create().await.id;
    let campaign = app.campaign(&admin).open().create().await.id;
    let need = app
        .need(&admin, campaign, "privacy", "tributi")
        .in_comune(IMPERIA)
        .create()
        .await
        .id;
    let open_edition = app
        .edition(&admin, course_x, open_edition_body(venue, 10))
        .create()
        .await
        .id;
    let enrolment = app.enrolment(&admin, open_edition, staff_member).await.id;
    let session = app.sessions(&admin, open_edition).await[0].id;
    let (closed_campaign, plan) = crate::plans::closed_campaign_with_plan(app, &admin).await;
    let proposal = app
        .post_json(
            &format!("{}/change-proposals", edition_x.path()),
            Some(&staff_x.token),
            &json!({"capacity": 18, "reason": "Meno richieste del previsto"}),
        )
        .await;
    assert_eq!(proposal.status(), 201);
    let proposal = proposal.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let tokens = BTreeMap::from([
        (ReferenteA, referente_a.token),
        (ReferenteB, referente_b.token),
        (ProviderX, staff_x.token),
        (ProviderY, staff_y),
        (Employee, employee.token),
        (Admin, admin),
    ]);
    Fixtures {
        proposal,
        closed_campaign,
        plan,
        enrolment: enrolment.0,
        open_edition: open_edition.0,
        session: session.0,
        tokens,
        employee_id: employee.user_id,
        staff_member: staff_member.0,
        campaign: campaign.0,
        need: need.0,
        provider_x: provider_x.0,
        venue: venue.0,
        course_x: course_x.0,
        edition_x: edition_x.0,
    }
}

/// The concrete path and a valid body for an operation.
fn request_for(path: &str, method: &str, f: &Fixtures) -> (String, Option<Value>) {
    let id = match path {
        p if p.starts_with("/users/") => f.employee_id,
        p if p.starts_with("/providers/") => f.provider_x,
        p if p.starts_with("/venues/") => f.venue,
        p if p.starts_with("/editions/") => f.edition_x,
        p if p.starts_with("/employees/") => f.staff_member,
        p if p.starts_with("/campaigns/") => f.campaign,
        p if p.starts_with("/needs/") => f.need,
        p if p.starts_with("/enrolments/") => f.enrolment,
        p if p.starts_with("/sessions/") => f.session,
        p if p.starts_with("/plans/") => f.plan,
        p if p.starts_with("/edition-change-proposals/") => f.proposal,
        _ => f.course_x,
    };
    let mut concrete = path
        .replace("{id}", &id.to_string())
        .replace("{istat_code}", IMPERIA);
    match path {
        "/plan-defaults" => concrete.push_str(&format!("?campaign_id={}", f.closed_campaign)),
        "/plans/{id}/comparison" => concrete.push_str(&format!("?with={}", f.plan)),
        _ => {}
    }
    let body = match (method, path) {
        ("post", "/auth/login") => {
            json!({"email": "nobody@provincia.test", "password": "password"})
        }
        ("post", "/invitations") => {
            json!({"comune_istat_code": IMPERIA, "employee_ids": [f.staff_member]})
        }
        ("post", "/password-resets") => json!({"email": "nobody@provincia.test"}),
        ("post", "/account-passwords") => {
            json!({"token": "a".repeat(43), "password": "una-password-lunga"})
        }
        ("post", "/users") => {
            json!({"email": format!("m{}@x.it", rand::random::<u32>()), "full_name": "M", "password": "una-password-lunga", "role": "admin"})
        }
        ("post", "/providers") => json!({"name": "Nuovo ente", "tax_code": "00743110157"}),
        ("post", "/venues") => {
            json!({"name": "Sala", "address": "Via Roma 1", "comune_istat_code": IMPERIA, "capacity": 10})
        }
        ("post", "/courses") => course_body(ProviderId(f.provider_x), "privacy", "in_person"),
        ("post", "/courses/{id}/editions") => in_person_edition(VenueId(f.venue), 5),
        ("patch", "/users/{id}") => json!({"full_name": "Nome aggiornato"}),
        ("patch", "/comuni/{istat_code}") => json!({"phone": "0183 1"}),
        ("patch", "/providers/{id}") => json!({"phone": "0183 2"}),
        ("patch", "/venues/{id}") => json!({"accessibility_notes": "Rampa"}),
        ("patch", "/courses/{id}") => json!({"objectives": "Nuovi obiettivi"}),
        ("patch", "/editions/{id}") => json!({"capacity": 20}),
        ("post", "/editions/{id}/change-proposals") => {
            json!({"capacity": 19, "reason": "Meno richieste del previsto"})
        }
        ("post", "/edition-change-proposals/{id}/decision") => json!({"approve": false}),
        ("post", "/employees") => {
            let mut body = employee_body("BLTMHL77S04E889G");
            body["comune_istat_code"] = json!(IMPERIA);
            body
        }
        ("patch", "/employees/{id}") => json!({"active": true}),
        ("post", "/campaigns") => campaign_body(),
        ("patch", "/campaigns/{id}") => json!({"instructions": "Nuove istruzioni"}),
        ("post", "/needs") => {
            json!({"campaign_id": f.campaign, "comune_istat_code": IMPERIA, "theme_code": "anticorruzione_trasparenza",
                                     "office_area": "tributi", "headcount": 2})
        }
        ("patch", "/needs/{id}") => json!({"headcount": 4}),
        ("put", "/campaigns/{id}/responses/{istat_code}") => json!({"status": "submitted"}),
        ("post", "/enrolments") => {
            json!({"edition_id": f.open_edition, "employee_id": f.staff_member})
        }
        ("patch", "/enrolments/{id}") => json!({"status": "cancelled"}),
        ("put", "/sessions/{id}/attendance") => {
            json!({"records": [{"enrolment_id": f.enrolment, "present": true}]})
        }
        ("post", "/sessions/{id}/attendance-imports") => {
            json!("Email,Duration (Minutes)\np@comune.test,60\n")
        }
        ("put", "/enrolments/{id}/async-completion") => json!({"hours": 2}),
        ("post", "/enrolments/{id}/feedback") => {
            json!({"content": 5, "teacher": 5, "organisation": 5, "usefulness": 5})
        }
        ("post", "/campaigns/{id}/reminders") => json!({"istat_codes": [SANREMO]}),
        ("post", "/plans") => json!({"campaign_id": f.closed_campaign, "name": "Variante"}),
        ("patch", "/plans/{id}") => json!({"name": "Piano rinominato"}),
        ("post", "/plans/{id}/edits") => {
            json!({"edits": [{"kind": "drop_edition", "edition_key": "nessuna"}]})
        }
        ("post", "/employee-imports") => json!(
            "codice_fiscale,nome,cognome,area,profilo\nMRARSS80A01H501T,Luca,Neri,tributi,operatore\n"
        ),
        _ => return (concrete, None),
    };
    (concrete, Some(body))
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    body: Option<&Value>,
    token: Option<&str>,
) -> u16 {
    let mut request = app
        .client
        .request(method.to_uppercase().parse().unwrap(), app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    match body {
        // A CSV upload travels as text.
        Some(Value::String(csv)) => {
            request = request.header("content-type", "text/csv").body(csv.clone())
        }
        Some(body) => {
            let media_type = if method == "patch" {
                "application/merge-patch+json"
            } else {
                "application/json"
            };
            request = request
                .header("content-type", media_type)
                .body(body.to_string());
        }
        None => {}
    }
    request.send().await.unwrap().status().as_u16()
}

#[rstest]
#[tokio::test]
async fn every_operation_admits_exactly_the_callers_it_should(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = fixtures(&app).await;
    let doc = serde_json::to_value(cabina::openapi::openapi("http://127.0.0.1")).unwrap();
    let mut operations: Vec<(String, String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations.push((
                path.clone(),
                method.clone(),
                operation["operationId"].as_str().unwrap().to_owned(),
            ));
        }
    }
    // Deletions last, the one that removes a caller's account very last, and the erasure
    // after everything else that reads the employee.
    operations.sort_by_key(|(_, method, id)| {
        (
            method == "delete",
            id == "erase_employee",
            id == "remove_user",
        )
    });
    let mut failures = Vec::new();
    for (path, method, id) in &operations {
        let Some(allowed) = allowed(id) else {
            failures.push(format!("{id}: not in the authorization matrix"));
            continue;
        };
        let (concrete, body) = request_for(path, method, &f);
        // Callers that must be refused first, the admin last, so allowed writes happen once.
        let mut callers: Vec<Caller> = EVERYONE.to_vec();
        callers.sort_by_key(|c| (allowed.contains(c), *c == Admin));
        for caller in callers {
            let status = call(
                &app,
                method,
                &concrete,
                body.as_ref(),
                f.tokens.get(&caller).map(String::as_str),
            )
            .await;
            let denied = status == 401 || status == 403;
            let expected_denied = !allowed.contains(&caller);
            let legitimate_401 = id == "create_login_token" && status == 401;
            if denied != expected_denied && !legitimate_401 {
                failures.push(format!(
                    "{method} {concrete} ({id}) as {caller:?}: {status}"
                ));
            }
            if expected_denied && caller == Anonymous && status != 401 {
                failures.push(format!(
                    "{method} {concrete} ({id}) as Anonymous: {status}, expected 401"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix broken:\n{}",
        failures.join("\n")
    );
    let covered: BTreeSet<&str> = operations.iter().map(|(.., id)| id.as_str()).collect();
    assert!(covered.len() >= 37, "{} operations", covered.len());
}

#[rstest]
#[tokio::test]
async fn scoped_lists_contain_only_the_callers_data(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = fixtures(&app).await;
    let admin = &f.tokens[&Admin];
    let me = app.read("/auth/me", Some(&f.tokens[&ProviderY])).await;
    let provider_y = ProviderId(me["provider_id"].as_i64().unwrap());
    let course_y = app.course(admin, provider_y).create().await.id;
    app.edition(admin, course_y, in_person_edition(VenueId(f.venue), 10))
        .create()
        .await;

    for (caller, provider) in [(ProviderX, f.provider_x), (ProviderY, provider_y.0)] {
        let token = Some(f.tokens[&caller].as_str());
        let courses = app.read("/courses?limit=200", token).await;
        assert!(courses["total"].as_i64().unwrap() >= 1);
        assert!(
            courses["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["provider_id"] == provider),
            "{caller:?}"
        );
        let editions = app.read("/editions?limit=200", token).await;
        let own_courses: BTreeSet<i64> = courses["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert!(editions["total"].as_i64().unwrap() >= 1);
        for edition in editions["items"].as_array().unwrap() {
            assert!(
                own_courses.contains(&edition["course_id"].as_i64().unwrap()),
                "{caller:?}"
            );
        }
        let other = if provider == f.provider_x {
            provider_y.0
        } else {
            f.provider_x
        };
        let status = app
            .get(&format!("/courses?provider_id={other}"), token)
            .await
            .status();
        assert_eq!(status, 403, "asking for another provider's courses");
    }
    let all = app.read("/courses?limit=200", Some(admin)).await;
    assert_eq!(all["total"], 2);
}
