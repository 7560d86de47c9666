use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, Backend, IMPERIA, assert_problem, spawn_app};

#[rstest]
#[tokio::test]
async fn the_first_admin_logs_in_and_sees_themselves(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let response = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3);

    let me = app.read("/auth/me", Some(token)).await;
    assert_eq!(me["email"], ADMIN_EMAIL);
    assert_eq!(me["role"], "admin");
    assert!(me.get("password_hash").is_none() && me.get("password").is_none());
    assert!(me["last_login_at"].is_string());
}

#[rstest]
#[tokio::test]
async fn login_ignores_email_case_and_spaces(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let response = app
        .login(
            &format!("  {}  ", ADMIN_EMAIL.to_uppercase()),
            ADMIN_PASSWORD,
        )
        .await;
    assert_eq!(response.status(), 200);
}

#[rstest]
#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_401(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let wrong_password = app.login(ADMIN_EMAIL, "not-the-password").await;
    assert_eq!(
        wrong_password.headers()["www-authenticate"],
        r#"Bearer realm="cabina""#
    );
    let wrong_password = assert_problem(wrong_password, 401).await;
    let unknown = assert_problem(
        app.login("nobody@provincia.test", "not-the-password").await,
        401,
    )
    .await;
    assert_eq!(wrong_password, unknown);
}

#[rstest]
#[tokio::test]
async fn repeated_failures_are_throttled_with_retry_after(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    for _ in 0..5 {
        assert_problem(app.login(ADMIN_EMAIL, "guessing-wrong").await, 401).await;
    }
    // Now even the right password waits, so guessing cannot continue.
    let response = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after));
    assert_problem(response, 429).await;
    // An unknown account is throttled the same way, revealing nothing.
    for _ in 0..5 {
        assert_problem(
            app.login("ghost@provincia.test", "guessing-wrong").await,
            401,
        )
        .await;
    }
    assert_problem(
        app.login("ghost@provincia.test", "guessing-wrong").await,
        429,
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn the_address_is_throttled_across_accounts(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    for i in 0..20 {
        assert_problem(
            app.login(&format!("spray{i}@provincia.test"), "password")
                .await,
            401,
        )
        .await;
    }
    assert_problem(app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await, 429).await;
}

#[rstest]
#[tokio::test]
async fn bad_tokens_are_401(#[values(Backend::Sqlite, Backend::Postgres)] backend: Backend) {
    let app = spawn_app(backend).await;
    let valid = app.admin_token().await;
    let (header, payload, _) = {
        let mut parts = valid.split('.');
        (
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().to_owned(),
        )
    };
    let alg_none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
    let wrong_signature = format!("{header}.{payload}.c2lnbmF0dXJl");
    for token in [
        "garbage",
        "a.b.c",
        alg_none.as_str(),
        wrong_signature.as_str(),
        "",
    ] {
        let response = app.get("/auth/me", Some(token)).await;
        assert_problem(response, 401).await;
    }
    let response = app
        .client
        .get(app.url("/auth/me"))
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .send()
        .await
        .unwrap();
    assert_problem(response, 401).await;
    let response = app.get("/auth/me", None).await;
    assert_eq!(
        response.headers()["www-authenticate"],
        r#"Bearer realm="cabina""#
    );
    assert_problem(response, 401).await;
}

#[rstest]
#[tokio::test]
async fn an_expired_token_is_401(#[values(Backend::Sqlite, Backend::Postgres)] backend: Backend) {
    use crate::helpers::{TestDb, spawn_app_on};
    let db = TestDb::create(backend).await;
    // A token with the server's secret, issued an hour ago with a minute to live: expired
    // well beyond the validation leeway, without waiting.
    let app = spawn_app_on(db, backend, |_| {}).await;
    let keys = cabina::auth::jwt::JwtKeys::new(
        b"a-test-secret-that-is-long-enough-for-hs256",
        std::time::Duration::from_secs(60),
    );
    let an_hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
    let token = keys.issue_at(1, an_hour_ago).unwrap();
    assert_problem(app.get("/auth/me", Some(&token)).await, 401).await;
}

#[rstest]
#[tokio::test]
async fn a_deactivated_user_loses_access_at_once(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    assert_eq!(
        app.get("/auth/me", Some(&referente.token)).await.status(),
        200
    );
    let admin = app.admin_token().await;
    let response = app
        .merge_patch(
            &format!("/users/{}", referente.user_id),
            &admin,
            &json!({"active": false}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_problem(app.get("/auth/me", Some(&referente.token)).await, 401).await;
    // And cannot log in again, with the same answer as a wrong password.
    let response = app
        .login(&referente.email, "password-di-prova-utente")
        .await;
    assert_problem(response, 401).await;
}

async fn login_from(
    app: &crate::helpers::TestApp,
    address: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.client
        .post(app.url("/auth/login"))
        .header("x-forwarded-for", address)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

/// Five wrong passwords once locked the account for 15 minutes, owner included: the
/// guesser's address now waits longer and longer, the owner elsewhere logs in.
#[rstest]
#[tokio::test]
async fn the_owner_logs_in_from_elsewhere_while_a_guesser_waits(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    use crate::helpers::{TestDb, spawn_app_on};
    let app = spawn_app_on(TestDb::create(backend).await, backend, |s| {
        s.trusted_proxies = vec!["127.0.0.0/8".into()];
    })
    .await;
    for _ in 0..5 {
        let response = login_from(&app, "203.0.113.5", ADMIN_EMAIL, "indovino").await;
        assert_problem(response, 401).await;
    }
    let response = login_from(&app, "203.0.113.5", ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_problem(response, 429).await;
    let owner = login_from(&app, "198.51.100.7", ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(owner.status(), 200);
}

/// Forty parallel guesses were all checked against the limit before any failure was
/// recorded, so all forty ran: the attempt is counted when it is admitted now.
#[rstest]
#[tokio::test]
async fn parallel_guesses_cannot_slip_past_the_limit(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let guesses = (0..40).map(|i| app.login(ADMIN_EMAIL, if i % 2 == 0 { "a" } else { "b" }));
    let statuses: Vec<u16> = futures::future::join_all(guesses)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(checked <= 5, "{checked} guesses were checked: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 40 - checked);
}

/// A token issued before a password change no longer speaks for the user.
#[rstest]
#[tokio::test]
async fn a_password_change_ends_the_tokens_issued_before_it(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    let admin = app.admin_token().await;
    // A token of the referente's, issued ten minutes ago and valid for an hour.
    let keys = cabina::auth::jwt::JwtKeys::new(
        b"a-test-secret-that-is-long-enough-for-hs256",
        std::time::Duration::from_secs(3600),
    );
    let earlier = chrono::Utc::now() - chrono::Duration::minutes(10);
    let old_token = keys.issue_at(referente.user_id, earlier).unwrap();
    assert_eq!(app.get("/auth/me", Some(&old_token)).await.status(), 200);
    let changed = app
        .merge_patch(
            &format!("/users/{}", referente.user_id),
            &admin,
            &json!({"password": "una-password-nuova-e-lunga"}),
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_problem(app.get("/auth/me", Some(&old_token)).await, 401).await;
    let again = app
        .login(&referente.email, "una-password-nuova-e-lunga")
        .await;
    assert_eq!(again.status(), 200);
    let token: Value = again.json().await.unwrap();
    let me = app.get("/auth/me", token["access_token"].as_str()).await;
    assert_eq!(me.status(), 200);
}
