use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{Backend, IMPERIA, assert_invalid, assert_problem, spawn_app};

pub fn provider_body(name: &str) -> Value {
    json!({
        "name": name, "tax_code": "00743110157", "vat_number": "00743110157",
        "email": "info@ente.example", "themes": ["privacy", "sicurezza_preposti"],
        "qualification_status": "qualified", "qualified_until": "2099-12-31"
    })
}

#[rstest]
#[tokio::test]
async fn the_admin_registers_and_qualifies_providers(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let response = app
        .post_json(
            "/providers",
            Some(&admin),
            &provider_body("Formazione Ligure"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["themes"], json!(["privacy", "sicurezza_preposti"]));
    assert_eq!(created["qualified"], true);
    let path = format!("/providers/{}", created["id"]);

    let response = app
        .patch_merge(
            &path,
            &admin,
            &json!({"qualified_until": "2020-01-01", "themes": ["antincendio"]}),
            Some(&etag),
        )
        .await;
    assert_eq!(response.status(), 200);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(
        updated["qualified"], false,
        "an expired qualification no longer counts"
    );
    assert_eq!(updated["themes"], json!(["antincendio"]));
    assert_problem(
        app.patch_merge(&path, &admin, &json!({"notes": "x"}), Some(&etag))
            .await,
        412,
    )
    .await;

    let page = app.read("/providers?theme=antincendio", Some(&admin)).await;
    assert_eq!(page["total"], 1);
    let page = app.read("/providers?theme=privacy", Some(&admin)).await;
    assert_eq!(page["total"], 0);

    assert_eq!(app.delete(&path, &admin).await.status(), 204);
    assert_problem(app.get(&path, Some(&admin)).await, 404).await;
}

#[rstest]
#[tokio::test]
async fn tax_identifiers_are_checked(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let mut body = provider_body("Ente");
    body["tax_code"] = json!("00743110158");
    body["vat_number"] = json!("12345678901");
    body["email"] = json!("not-an-email");
    body["name"] = json!(" ");
    assert_invalid(
        app.post_json("/providers", Some(&admin), &body).await,
        &["#/email", "#/name", "#/tax_code", "#/vat_number"],
    )
    .await;
    let mut body = provider_body("Ente");
    body["tax_code"] = json!("rssmra85t10a562s");
    body["themes"] = json!(["not_a_theme"]);
    assert_invalid(
        app.post_json("/providers", Some(&admin), &body).await,
        &["#/themes"],
    )
    .await;
    let page = app.read("/providers", Some(&admin)).await;
    assert_eq!(page["total"], 0, "nothing half-written");
}

#[rstest]
#[tokio::test]
async fn provider_staff_edit_only_their_own_contacts(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let staff = app.login_as("provider", None).await;
    let me = app.read("/auth/me", Some(&staff.token)).await;
    let own = format!("/providers/{}", me["provider_id"]);
    let response = app
        .merge_patch(
            &own,
            &staff.token,
            &json!({"phone": "+39 0183 1", "website": "https://ente.example"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_problem(
        app.merge_patch(
            &own,
            &staff.token,
            &json!({"qualification_status": "qualified"}),
        )
        .await,
        403,
    )
    .await;
    assert_problem(
        app.merge_patch(&own, &staff.token, &json!({"name": "Nuovo nome"}))
            .await,
        403,
    )
    .await;

    let admin = app.admin_token().await;
    let other: Value = app
        .post_json("/providers", Some(&admin), &provider_body("Altro ente"))
        .await
        .json()
        .await
        .unwrap();
    let other = format!("/providers/{}", other["id"]);
    assert_problem(app.get(&other, Some(&staff.token)).await, 403).await;
    assert_problem(
        app.merge_patch(&other, &staff.token, &json!({"phone": "1"}))
            .await,
        403,
    )
    .await;
    assert_problem(
        app.post_json("/providers", Some(&staff.token), &provider_body("X"))
            .await,
        403,
    )
    .await;
    // The provider with staff accounts cannot be deleted.
    assert_problem(app.delete(&own, &admin).await, 409).await;

    let referente = app.login_as("referente", Some(IMPERIA)).await;
    assert_problem(app.get("/providers", Some(&referente.token)).await, 403).await;
}
