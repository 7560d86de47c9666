use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{Backend, IMPERIA, assert_problem, fields_at_fault, spawn_app};

fn referente_body(email: &str) -> Value {
    json!({"email": email, "full_name": "Maria Rossi", "password": "una-password-lunga", "role": "referente", "comune_istat_code": IMPERIA})
}

#[rstest]
#[tokio::test]
async fn the_admin_creates_reads_lists_and_deletes_users(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;

    let response = app
        .post_json(
            "/users",
            Some(&admin),
            &referente_body("Maria.Rossi@Comune.Imperia.it"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["email"], "maria.rossi@comune.imperia.it");
    assert_eq!(created["comune_istat_code"], IMPERIA);
    assert!(created.get("password").is_none() && created.get("password_hash").is_none());
    let id = created["id"].as_i64().unwrap();
    assert!(location.ends_with(&format!("/api/v1/users/{id}")));

    let fetched = app.get(&format!("/users/{id}"), Some(&admin)).await;
    assert_eq!(fetched.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(fetched.headers()["cache-control"], "no-store");
    assert_eq!(fetched.json::<Value>().await.unwrap(), created);

    let page = app.read("/users?role=referente", Some(&admin)).await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], id);
    let page = app.read("/users?q=ROSSI", Some(&admin)).await;
    assert_eq!(page["total"], 1);
    let page = app
        .read("/users?comune_istat_code=008055", Some(&admin))
        .await;
    assert_eq!(page["total"], 0);

    // The new user can log in.
    assert_eq!(
        app.login("maria.rossi@comune.imperia.it", "una-password-lunga")
            .await
            .status(),
        200
    );

    assert_eq!(
        app.delete(&format!("/users/{id}"), &admin).await.status(),
        204
    );
    assert_problem(app.get(&format!("/users/{id}"), Some(&admin)).await, 404).await;
    assert_problem(app.delete(&format!("/users/{id}"), &admin).await, 404).await;
}

#[rstest]
#[tokio::test]
async fn a_duplicate_email_is_409_whatever_its_case(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    assert_eq!(
        app.post_json("/users", Some(&admin), &referente_body("dup@comune.it"))
            .await
            .status(),
        201
    );
    let response = app
        .post_json("/users", Some(&admin), &referente_body("DUP@comune.it"))
        .await;
    assert_problem(response, 409).await;
}

#[rstest]
#[tokio::test]
async fn invalid_users_are_422_listing_every_field(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            json!({"email": "x", "full_name": "", "password": "short", "role": "referente", "comune_istat_code": IMPERIA}),
            vec!["#/email", "#/full_name", "#/password"],
        ),
        (
            json!({"email": "a@b.it", "full_name": "A", "password": "una-password-lunga", "role": "referente"}),
            vec!["#/comune_istat_code"],
        ),
        (
            json!({"email": "a@b.it", "full_name": "A", "password": "una-password-lunga", "role": "admin", "comune_istat_code": IMPERIA}),
            vec!["#/comune_istat_code"],
        ),
        (
            json!({"email": "a@b.it", "full_name": "A", "password": "una-password-lunga", "role": "provider"}),
            vec!["#/provider_id"],
        ),
        (
            json!({"email": "a@b.it", "full_name": "A", "password": "una-password-lunga", "role": "referente", "comune_istat_code": "12"}),
            vec!["#/comune_istat_code"],
        ),
        (
            json!({"email": "a@b.it", "full_name": "A", "password": "una-password-lunga", "role": "referente", "comune_istat_code": "001001"}),
            vec!["#/comune_istat_code"],
        ),
        (
            json!({"email": "a@b.it", "full_name": "A", "password": "una-password-lunga", "role": "provider", "provider_id": 999}),
            vec!["#/provider_id"],
        ),
        (
            json!({"email": "a@b.it", "full_name": "A", "password": "una-password-lunga", "role": "root"}),
            vec!["#/role"],
        ),
    ];
    for (body, pointers) in cases {
        let response = app.post_json("/users", Some(&admin), &body).await;
        let problem = assert_problem(response, 422).await;
        assert_eq!(fields_at_fault(&problem), pointers, "{body}");
    }
    // Nothing was written.
    let page = app.read("/users", Some(&admin)).await;
    assert_eq!(page["total"], 1, "only the admin exists");
}

#[rstest]
#[tokio::test]
async fn only_the_admin_manages_users(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    for (role, comune) in [
        ("referente", Some(IMPERIA)),
        ("employee", Some(IMPERIA)),
        ("provider", None),
    ] {
        let user = app.login_as(role, comune).await;
        let token = Some(user.token.as_str());
        assert_problem(app.get("/users", token).await, 403).await;
        assert_problem(
            app.get(&format!("/users/{}", user.user_id), token).await,
            403,
        )
        .await;
        assert_problem(
            app.post_json("/users", token, &referente_body("x@y.it"))
                .await,
            403,
        )
        .await;
        assert_problem(app.delete("/users/1", &user.token).await, 403).await;
        // But everybody sees themselves.
        assert_eq!(
            app.get("/auth/me", token)
                .await
                .json::<Value>()
                .await
                .unwrap()["role"],
            role
        );
    }
    assert_problem(app.get("/users", None).await, 401).await;
}

#[rstest]
#[tokio::test]
async fn updates_honour_if_match_and_merge_patch(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let created = app
        .post_json("/users", Some(&admin), &referente_body("m@comune.it"))
        .await;
    let etag = created.headers()["etag"].to_str().unwrap().to_owned();
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/users/{id}");

    let response = app
        .patch_merge(
            &path,
            &admin,
            &json!({"full_name": "Maria Bianchi"}),
            Some(&etag),
        )
        .await;
    assert_eq!(response.status(), 200);
    let new_etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["full_name"], "Maria Bianchi");
    assert_eq!(
        body["email"], "m@comune.it",
        "fields not in the patch are kept"
    );

    // The stale ETag no longer applies, and nothing changes.
    let response = app
        .patch_merge(
            &path,
            &admin,
            &json!({"full_name": "Lost Update"}),
            Some(&etag),
        )
        .await;
    assert_problem(response, 412).await;
    let current = app.read(&path, Some(&admin)).await;
    assert_eq!(current["full_name"], "Maria Bianchi");

    // A new password works at once.
    let response = app
        .patch_merge(
            &path,
            &admin,
            &json!({"password": "un-altra-password"}),
            Some(&new_etag),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.login("m@comune.it", "un-altra-password").await.status(),
        200
    );

    for (body, pointer) in [
        (json!({"full_name": null}), "#/full_name"),
        (json!({"full_name": "  "}), "#/full_name"),
        (json!({"password": "short"}), "#/password"),
        (json!({"active": "yes"}), "#/active"),
        (json!({"role": "admin"}), "#/role"),
    ] {
        let problem = assert_problem(app.merge_patch(&path, &admin, &body).await, 422).await;
        assert_eq!(fields_at_fault(&problem), [pointer], "{body}");
    }
    // PATCH wants a merge patch.
    let response = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&admin)
        .json(&json!({"active": true}))
        .send()
        .await
        .unwrap();
    assert_problem(response, 415).await;
}

#[rstest]
#[tokio::test]
async fn the_admin_cannot_lock_themselves_out(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let me = app.read("/auth/me", Some(&admin)).await;
    let path = format!("/users/{}", me["id"]);
    assert_problem(
        app.merge_patch(&path, &admin, &json!({"active": false}))
            .await,
        409,
    )
    .await;
    assert_problem(app.delete(&path, &admin).await, 409).await;
    assert_eq!(app.get("/auth/me", Some(&admin)).await.status(), 200);
}

#[rstest]
#[tokio::test]
async fn user_lists_are_paged_with_links(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    for i in 0..4 {
        let response = app
            .post_json(
                "/users",
                Some(&admin),
                &referente_body(&format!("u{i}@comune.it")),
            )
            .await;
        assert_eq!(response.status(), 201);
    }
    let page = app
        .read("/users?limit=2&offset=2&role=referente", Some(&admin))
        .await;
    assert_eq!(page["total"], 4);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["email"], "u2@comune.it");
    assert!(page["links"].get("next").is_none());
    let prev = page["links"]["prev"].as_str().unwrap();
    assert!(
        prev.contains("role=referente") && prev.contains("offset=0") && prev.contains("limit=2"),
        "{prev}"
    );
}
