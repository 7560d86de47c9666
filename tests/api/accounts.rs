//! Access for everyone who needs it: a referente invites the comune's employees, who
//! choose a password from a single-use link; anyone who forgot theirs asks for a new one.
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::EmployeeId;
use crate::helpers::{
    Backend, IMPERIA, SANREMO, TestApp, assert_invalid, assert_problem, spawn_app, tax_code,
};

const NEW_PASSWORD: &str = "una-password-scelta-da-me";

/// The messages queued for `recipient`, newest first, as the admin reads the outbox.
async fn messages_to(app: &TestApp, admin: &str, recipient: &str) -> Vec<Value> {
    let page = app.read("/outbox?limit=200", Some(admin)).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["recipient"] == recipient)
        .cloned()
        .collect()
}

/// The secret of the link in the newest message to `recipient`: what follows the `#`.
async fn link_secret(app: &TestApp, admin: &str, recipient: &str) -> String {
    let messages = messages_to(app, admin, recipient).await;
    let body = messages
        .first()
        .unwrap_or_else(|| panic!("no message to {recipient}"))["body"]
        .as_str()
        .unwrap();
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/imposta-password#"))
        .expect("the message carries the link");
    assert!(
        link.starts_with("http://127.0.0.1/imposta-password#"),
        "{link}"
    );
    link.split('#').nth(1).unwrap().to_owned()
}

async fn choose_password(app: &TestApp, secret: &str, password: &str) -> reqwest::Response {
    app.post_json(
        "/account-passwords",
        None,
        &json!({"token": secret, "password": password}),
    )
    .await
}

async fn invite(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.post_json("/invitations", Some(token), &body).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p["full_name"].as_str().unwrap())
        .collect()
}

/// Two employees of Imperia with an e-mail and one without.
async fn three_employees(app: &TestApp, admin: &str) -> [EmployeeId; 3] {
    let anna = app
        .employee(admin)
        .in_comune(IMPERIA)
        .named("Anna", "Bruni")
        .email("anna.bruni@comune.test")
        .tax_code(&tax_code(9101))
        .create()
        .await;
    let carlo = app
        .employee(admin)
        .in_comune(IMPERIA)
        .named("Carlo", "Conti")
        .email("carlo.conti@comune.test")
        .tax_code(&tax_code(9102))
        .create()
        .await;
    let dora = app
        .employee(admin)
        .in_comune(IMPERIA)
        .named("Dora", "Dani")
        .set("email", Value::Null)
        .tax_code(&tax_code(9103))
        .create()
        .await;
    [anna.id, carlo.id, dora.id]
}

#[rstest]
#[tokio::test]
async fn a_referente_invites_the_comunes_employees_who_choose_a_password_and_sign_in(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    three_employees(&app, &admin).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;

    let report = invite(
        &app,
        &referente.token,
        json!({"comune_istat_code": IMPERIA}),
    )
    .await;
    assert_eq!(names(&report["invited"]), ["Anna Bruni", "Carlo Conti"]);
    assert_eq!(names(&report["without_email"]), ["Dora Dani"]);
    assert_eq!(report["already_active"], json!([]));

    let messages = messages_to(&app, &admin, "anna.bruni@comune.test").await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["kind"], "account_invitation");
    assert!(
        messages[0]["body"]
            .as_str()
            .unwrap()
            .contains("Comune di Imperia")
    );
    // Invited, but no password opens the account yet.
    assert_problem(app.login("anna.bruni@comune.test", "").await, 422).await;
    assert_problem(app.login("anna.bruni@comune.test", "!").await, 401).await;

    let secret = link_secret(&app, &admin, "anna.bruni@comune.test").await;
    assert_eq!(
        choose_password(&app, &secret, NEW_PASSWORD).await.status(),
        204
    );
    let login = app.login("anna.bruni@comune.test", NEW_PASSWORD).await;
    assert_eq!(login.status(), 200);
    let token = login.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = app.read("/auth/me", Some(&token)).await;
    assert_eq!(me["role"], "employee");
    assert_eq!(me["comune_istat_code"], IMPERIA);
    assert_eq!(me["full_name"], "Anna Bruni");

    // Once used, the link is spent; inviting again leaves a person who signs in alone.
    assert_invalid(
        choose_password(&app, &secret, NEW_PASSWORD).await,
        &["#/token"],
    )
    .await;
    let again = invite(
        &app,
        &referente.token,
        json!({"comune_istat_code": IMPERIA}),
    )
    .await;
    assert_eq!(names(&again["already_active"]), ["Anna Bruni"]);
    assert_eq!(names(&again["invited"]), ["Carlo Conti"]);
    assert_eq!(
        messages_to(&app, &admin, "anna.bruni@comune.test")
            .await
            .len(),
        1
    );
}

#[rstest]
#[tokio::test]
async fn only_the_newest_link_of_an_account_works_and_only_until_it_expires(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let [anna, ..] = three_employees(&app, &admin).await;
    let only_anna = json!({"comune_istat_code": IMPERIA, "employee_ids": [anna.0]});
    invite(&app, &admin, only_anna.clone()).await;
    let first = link_secret(&app, &admin, "anna.bruni@comune.test").await;
    let report = invite(&app, &admin, only_anna).await;
    assert_eq!(names(&report["invited"]), ["Anna Bruni"]);
    let second = link_secret(&app, &admin, "anna.bruni@comune.test").await;
    assert_ne!(first, second);

    assert_invalid(
        choose_password(&app, &first, NEW_PASSWORD).await,
        &["#/token"],
    )
    .await;
    app.execute("UPDATE account_tokens SET expires_at = created_at WHERE used_at IS NULL")
        .await;
    assert_invalid(
        choose_password(&app, &second, NEW_PASSWORD).await,
        &["#/token"],
    )
    .await;
    assert_problem(app.login("anna.bruni@comune.test", NEW_PASSWORD).await, 401).await;
}

#[rstest]
#[tokio::test]
async fn a_password_too_short_is_refused_and_leaves_the_link_usable(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    three_employees(&app, &admin).await;
    invite(&app, &admin, json!({"comune_istat_code": IMPERIA})).await;
    let secret = link_secret(&app, &admin, "carlo.conti@comune.test").await;

    let problem = assert_invalid(
        choose_password(&app, &secret, "corta").await,
        &["#/password"],
    )
    .await;
    assert!(problem.to_string().contains("12"), "{problem}");
    assert_invalid(
        choose_password(&app, "non-un-segreto", "corta").await,
        &["#/password", "#/token"],
    )
    .await;
    assert_eq!(
        choose_password(&app, &secret, NEW_PASSWORD).await.status(),
        204
    );
}

#[rstest]
#[tokio::test]
async fn of_two_uses_of_one_link_at_once_exactly_one_sets_the_password(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    three_employees(&app, &admin).await;
    invite(&app, &admin, json!({"comune_istat_code": IMPERIA})).await;
    let secret = link_secret(&app, &admin, "anna.bruni@comune.test").await;

    let (a, b) = tokio::join!(
        choose_password(&app, &secret, "la-prima-password-scelta"),
        choose_password(&app, &secret, "la-seconda-password-scelta"),
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [204, 422]);
    let opened = [
        app.login("anna.bruni@comune.test", "la-prima-password-scelta")
            .await
            .status(),
        app.login("anna.bruni@comune.test", "la-seconda-password-scelta")
            .await
            .status(),
    ];
    assert_eq!(
        opened.iter().filter(|s| s.as_u16() == 200).count(),
        1,
        "the password the winner chose, and only it, opens the account"
    );
}

#[rstest]
#[tokio::test]
async fn a_referente_invites_only_their_own_comunes_employees(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let [anna, ..] = three_employees(&app, &admin).await;
    let other = app.login_as("referente", Some(SANREMO)).await;
    let refused = app
        .post_json(
            "/invitations",
            Some(&other.token),
            &json!({"comune_istat_code": IMPERIA}),
        )
        .await;
    assert_problem(refused, 403).await;
    // Naming Imperia's employees under Sanremo reaches nobody.
    let report = invite(
        &app,
        &other.token,
        json!({"comune_istat_code": SANREMO, "employee_ids": [anna.0]}),
    )
    .await;
    assert_eq!(report["invited"], json!([]));
    assert!(
        messages_to(&app, &admin, "anna.bruni@comune.test")
            .await
            .is_empty()
    );
    // An address that already belongs to a referente is not turned into an employee's.
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    app.employee(&admin)
        .in_comune(IMPERIA)
        .named("Rita", "Referente")
        .email(&referente.email)
        .tax_code(&tax_code(9104))
        .create()
        .await;
    let report = invite(&app, &admin, json!({"comune_istat_code": IMPERIA})).await;
    assert!(names(&report["already_active"]).contains(&"Rita Referente"));
    let me = app.read("/auth/me", Some(&referente.token)).await;
    assert_eq!(me["role"], "referente");
}

#[rstest]
#[tokio::test]
async fn a_forgotten_password_is_replaced_through_a_link_sent_only_to_a_real_account(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let user = app.login_as("referente", Some(IMPERIA)).await;
    let ask = |email: String| {
        let app = &app;
        async move {
            app.post_json("/password-resets", None, &json!({"email": email}))
                .await
                .status()
                .as_u16()
        }
    };
    // The same answer whether the account exists or not.
    assert_eq!(ask("nessuno@comune.test".into()).await, 202);
    assert_eq!(ask(user.email.clone()).await, 202);
    assert!(
        messages_to(&app, &admin, "nessuno@comune.test")
            .await
            .is_empty()
    );
    let sent = messages_to(&app, &admin, &user.email).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["kind"], "password_reset");
    // Asking again at once sends nothing more: a flood is one message.
    assert_eq!(ask(user.email.clone()).await, 202);
    assert_eq!(messages_to(&app, &admin, &user.email).await.len(), 1);

    let secret = link_secret(&app, &admin, &user.email).await;
    assert_eq!(
        choose_password(&app, &secret, NEW_PASSWORD).await.status(),
        204
    );
    assert_problem(
        app.login(&user.email, "password-di-prova-utente").await,
        401,
    )
    .await;
    assert_eq!(app.login(&user.email, NEW_PASSWORD).await.status(), 200);
}

#[rstest]
#[tokio::test]
async fn a_closed_account_gets_no_link_and_its_old_link_opens_nothing(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let user = app.login_as("referente", Some(IMPERIA)).await;
    app.post_json("/password-resets", None, &json!({"email": user.email}))
        .await;
    let secret = link_secret(&app, &admin, &user.email).await;
    let closed = app
        .merge_patch(
            &format!("/users/{}", user.user_id),
            &admin,
            &json!({"active": false}),
        )
        .await;
    assert_eq!(closed.status(), 200);
    assert_invalid(
        choose_password(&app, &secret, NEW_PASSWORD).await,
        &["#/token"],
    )
    .await;
    app.execute("UPDATE account_tokens SET created_at = '2020-01-01 00:00:00+00'")
        .await;
    app.post_json("/password-resets", None, &json!({"email": user.email}))
        .await;
    assert_eq!(messages_to(&app, &admin, &user.email).await.len(), 1);
}

#[rstest]
#[tokio::test]
async fn the_employees_list_tells_who_can_sign_in(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let [anna, carlo, dora] = three_employees(&app, &admin).await;
    let access = async || {
        let page = app
            .read(
                &format!("/employees?comune_istat_code={IMPERIA}"),
                Some(&admin),
            )
            .await;
        let of = |id: EmployeeId| {
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["id"] == id.0)
                .unwrap()["account"]
                .clone()
        };
        [of(anna), of(carlo), of(dora)]
    };
    assert_eq!(
        access().await,
        [json!("none"), json!("none"), json!("none")]
    );
    invite(
        &app,
        &admin,
        json!({"comune_istat_code": IMPERIA, "employee_ids": [anna.0, carlo.0]}),
    )
    .await;
    assert_eq!(
        access().await,
        [json!("invited"), json!("invited"), json!("none")]
    );
    let secret = link_secret(&app, &admin, "anna.bruni@comune.test").await;
    assert_eq!(
        choose_password(&app, &secret, NEW_PASSWORD).await.status(),
        204
    );
    assert_eq!(
        access().await,
        [json!("active"), json!("invited"), json!("none")]
    );
}
