//! Every failure path answers application/problem+json with the right status.
use rstest::rstest;
use serde_json::json;

use crate::helpers::{Backend, assert_problem, fields_at_fault, spawn_app};

#[rstest]
#[tokio::test]
async fn unknown_routes_are_404_problems(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    for path in [
        "/nothing-here",
        "/comuni/008031/nothing",
        "/users/1/nothing",
    ] {
        let response = app.get(path, None).await;
        assert_problem(response, 404).await;
    }
    let admin = app.admin_token().await;
    assert_problem(app.get("/users/not-a-number", Some(&admin)).await, 404).await;
    assert_problem(app.get("/users/99999", Some(&admin)).await, 404).await;
    let response = app
        .client
        .get(format!("{}/api/v2/status", app.address))
        .send()
        .await
        .unwrap();
    assert_problem(response, 404).await;
}

#[rstest]
#[tokio::test]
async fn wrong_methods_are_405_with_allow(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let cases = [
        (reqwest::Method::DELETE, "/status", "GET"),
        (reqwest::Method::PUT, "/comuni/008031", "GET, PATCH"),
        (reqwest::Method::POST, "/comuni", "GET"),
        (reqwest::Method::PUT, "/users", "GET, POST"),
        (reqwest::Method::POST, "/users/1", "GET, PATCH, DELETE"),
    ];
    for (method, path, allow) in cases {
        let response = app
            .client
            .request(method.clone(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
        assert_problem(response, 405).await;
    }
}

#[rstest]
#[tokio::test]
async fn bodies_are_checked_for_type_size_and_syntax(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let login = app.url("/auth/login");
    // 415: not JSON.
    let response = app
        .client
        .post(&login)
        .header("content-type", "text/plain")
        .body("hi")
        .send()
        .await
        .unwrap();
    assert_problem(response, 415).await;
    let response = app.client.post(&login).body("{}").send().await.unwrap();
    assert_problem(response, 415).await;
    // 400: malformed JSON, or no body.
    for body in ["{", "{\"email\": }", "[1,2", "\u{0}"] {
        let response = app
            .client
            .post(&login)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_problem(response, 400).await;
    }
    let response = app
        .client
        .post(&login)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_problem(response, 400).await;
    // 413: too large.
    let huge = json!({"email": "a@b.it", "password": "x".repeat(300 * 1024)});
    let response = app.post_json("/auth/login", None, &huge).await;
    assert_problem(response, 413).await;
}

#[rstest]
#[tokio::test]
async fn wrong_shapes_are_422_naming_the_field(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let cases = [
        (json!({"password": "x"}), "#/email"),
        (json!({"email": "a@b.it"}), "#/password"),
        (json!({"email": 5, "password": "x"}), "#/email"),
        (
            json!({"email": "a@b.it", "password": "x", "extra": true}),
            "#/extra",
        ),
        (
            json!({"email": "not an address", "password": "x"}),
            "#/email",
        ),
        (json!({"email": "a@b.it", "password": ""}), "#/password"),
    ];
    for (body, pointer) in cases {
        let response = app.post_json("/auth/login", None, &body).await;
        let problem = assert_problem(response, 422).await;
        assert_eq!(fields_at_fault(&problem), [pointer], "{body}");
    }
}

#[rstest]
#[tokio::test]
async fn bad_query_parameters_are_400_naming_the_parameter(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    for (query, parameter) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("sort=altitude", "sort"),
        ("colour=blue", "colour"),
    ] {
        let response = app.get(&format!("/comuni?{query}"), None).await;
        let problem = assert_problem(response, 400).await;
        assert_eq!(fields_at_fault(&problem), [parameter], "{query}");
    }
}

#[rstest]
#[tokio::test]
async fn a_database_fault_is_an_opaque_500(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    app.execute("ALTER TABLE themes RENAME TO themes_gone")
        .await;
    let response = app.get("/themes", None).await;
    let problem = assert_problem(response, 500).await;
    assert_eq!(problem["detail"], "Errore interno del server.");
    assert!(!problem.to_string().to_lowercase().contains("themes"));
}

#[rstest]
#[tokio::test]
async fn every_response_carries_security_and_cache_headers(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    for path in ["/status", "/comuni", "/nothing-here"] {
        let response = app.get(path, None).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'self'")
        );
        assert!(headers.contains_key("cache-control"), "{path}");
        assert!(
            !headers.contains_key("access-control-allow-origin"),
            "CORS is off by default"
        );
    }
}

#[rstest]
#[tokio::test]
async fn api_answers_carry_rate_limit_headers_and_429_past_the_limit(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    use crate::helpers::{TestDb, spawn_app_on};
    let db = TestDb::create(backend).await;
    let app = spawn_app_on(db, backend, |s| s.rate_limit = 3).await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let response = app.get("/status", None).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-ratelimit-limit"], "3");
        let reset: u64 = response.headers()["x-ratelimit-reset"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&reset));
        remaining.push(
            response.headers()["x-ratelimit-remaining"]
                .to_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let response = app.get("/comuni", None).await;
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(response.headers()["x-ratelimit-remaining"], "0");
    assert_problem(response, 429).await;
}

#[rstest]
#[tokio::test]
async fn forwarded_addresses_count_only_behind_a_trusted_proxy(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    use crate::helpers::{TestDb, spawn_app_on};
    let status_from = |app: &crate::helpers::TestApp, client: &'static str| {
        app.client
            .get(app.url("/status"))
            .header("x-forwarded-for", client)
            .send()
    };
    // Not trusted: a forged header does not buy a fresh quota.
    let app = spawn_app_on(TestDb::create(backend).await, backend, |s| s.rate_limit = 1).await;
    assert_eq!(
        status_from(&app, "198.51.100.1").await.unwrap().status(),
        200
    );
    assert_eq!(
        status_from(&app, "198.51.100.2").await.unwrap().status(),
        429
    );
    // Trusted: each client behind the proxy has its own quota.
    let app = spawn_app_on(TestDb::create(backend).await, backend, |s| {
        s.rate_limit = 1;
        s.trusted_proxies = vec!["127.0.0.0/8".into()];
    })
    .await;
    assert_eq!(
        status_from(&app, "198.51.100.1").await.unwrap().status(),
        200
    );
    assert_eq!(
        status_from(&app, "198.51.100.2").await.unwrap().status(),
        200
    );
    assert_eq!(
        status_from(&app, "198.51.100.1").await.unwrap().status(),
        429
    );
}

/// The limiter once matched the raw path while the router decodes it: `/%61pi/v1/…`
/// reached the API (the login included) without counting. Every spelling counts now.
#[rstest]
#[tokio::test]
async fn an_escaped_path_counts_against_the_same_limit(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    use crate::helpers::{TestDb, spawn_app_on};
    let app = spawn_app_on(TestDb::create(backend).await, backend, |s| s.rate_limit = 2).await;
    let root = app.url("/status").replace("/api/v1/status", "");
    for path in ["/api/v1/status", "/%61pi/v1/status"] {
        let response = app
            .client
            .get(format!("{root}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    for path in [
        "/%61pi/v1/status",
        "/%61%70%69/v1/auth/login",
        "/api/v1/status",
    ] {
        let response = app
            .client
            .get(format!("{root}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 429, "{path}");
    }
}

/// Concurrent merge patches of one resource, none with `If-Match`: each must apply (200),
/// one after the other. A 412 would blame a precondition the client never sent.
async fn concurrent_patches_all_apply(
    app: &crate::helpers::TestApp,
    token: &str,
    path: &str,
    bodies: Vec<serde_json::Value>,
) {
    let sent = bodies.iter().map(|body| async {
        let response = app.merge_patch(path, token, body).await;
        (response.status().as_u16(), response.text().await.unwrap())
    });
    let answers = futures::future::join_all(sent).await;
    assert!(
        answers.iter().all(|(s, _)| *s == 200),
        "{path}: {answers:?}"
    );
}

#[rstest]
#[tokio::test]
async fn concurrent_patches_without_if_match_never_answer_412(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    use crate::fixtures::{Catalogue, in_person_edition};
    let app = spawn_app(backend).await;
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    let course = app.course(&admin, provider).create().await.id;
    let edition = app
        .edition(&admin, course, in_person_edition(venue, 20))
        .create()
        .await
        .id;
    let employee = app
        .employee(&admin)
        .in_comune(crate::helpers::IMPERIA)
        .create()
        .await
        .id;
    let cases = [
        (format!("/providers/{}", provider.0), "phone"),
        (format!("/venues/{}", venue.0), "accessibility_notes"),
        (course.path(), "objectives"),
        (edition.path(), "title"),
        ("/comuni/008031".to_owned(), "phone"),
        (employee.path(), "given_name"),
    ];
    for (path, field) in cases {
        let bodies = (0..6)
            .map(|i| {
                let value = if field == "phone" {
                    format!("0183 12345{i}")
                } else {
                    format!("Valore {i}")
                };
                json!({ field: value })
            })
            .collect();
        concurrent_patches_all_apply(&app, &admin, &path, bodies).await;
    }
}
