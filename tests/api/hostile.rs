//! Hostile input: every trick gets a 4xx problem and changes nothing; text that looks like
//! SQL or script is just text.
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{Backend, assert_problem, spawn_app};

#[rstest]
#[tokio::test]
async fn malformed_and_monstrous_bodies_are_refused_without_effect(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let nested = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let deep_object = format!(
        "{{\"email\": {}1{}}}",
        "{\"a\":".repeat(3000),
        "}".repeat(3000)
    );
    let bodies: Vec<(Vec<u8>, u16)> = vec![
        (nested.into_bytes(), 422),
        (deep_object.into_bytes(), 422),
        (b"{\"email\": \"\xff\xfe\", \"full_name\": \"x\"}".to_vec(), 400),
        (br#"{"email": "a@b.it", "full_name": "A", "password": "una-password-lunga", "role": "provider", "provider_id": 1e400}"#.to_vec(), 400),
        (br#"{"email": "a@b.it", "full_name": "A", "password": "una-password-lunga", "role": "provider", "provider_id": 99999999999999999999999}"#.to_vec(), 422),
        (br#"{"email": "a@b.it", "full_name": "A", "password": "una-password-lunga", "role": "provider", "provider_id": -1}"#.to_vec(), 422),
        (b"\0\0\0".to_vec(), 400),
    ];
    for (i, (body, status)) in bodies.into_iter().enumerate() {
        let response = app
            .client
            .post(app.url("/users"))
            .bearer_auth(&admin)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "body {i}");
        assert_problem(response, status).await;
    }
    let users = app.read("/users", Some(&admin)).await;
    assert_eq!(users["total"], 1, "nothing was created");
}

#[rstest]
#[tokio::test]
async fn sql_and_script_fragments_are_only_text(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let fragments = [
        "Robert'); DROP TABLE users;--",
        "' OR '1'='1",
        "<script>alert(1)</script>",
        "\"; SELECT pg_sleep(10); --",
        "%_\\",
    ];
    for (i, fragment) in fragments.iter().enumerate() {
        let body = json!({"email": format!("u{i}@x.it"), "full_name": fragment, "password": "una-password-lunga", "role": "admin"});
        let created: Value = app
            .post_json("/users", Some(&admin), &body)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            created["full_name"], *fragment,
            "stored and returned as written"
        );
        // Searching with it matches literally, never everything.
        let found = app
            .read(&format!("/users?q={}", urlencode(fragment)), Some(&admin))
            .await;
        assert!(found["total"].as_i64().unwrap() <= 1 + i as i64);
        let comuni = app
            .read(&format!("/comuni?q={}", urlencode(fragment)), None)
            .await;
        assert_eq!(comuni["total"], 0);
    }
    let users = app.read("/users?limit=200", Some(&admin)).await;
    assert_eq!(
        users["total"],
        1 + fragments.len() as i64,
        "the users table is intact"
    );
    let catalogue = app
        .get("/catalogue/courses?q=%27%20OR%20%271%27%3D%271", None)
        .await;
    assert_eq!(catalogue.status(), 200);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A NUL character (U+0000) broke PostgreSQL's text columns (500), even on the anonymous
/// login: it is refused as a 4xx naming the field, in bodies, query strings and CSV files.
#[rstest]
#[tokio::test]
async fn a_nul_character_is_refused_everywhere_as_a_client_error(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let login = json!({"email": "admin\u{0}@provincia.test", "password": "x\u{0}y"});
    let problem = assert_problem(app.post_json("/auth/login", None, &login).await, 422).await;
    assert_eq!(
        crate::helpers::fields_at_fault(&problem),
        ["#/email", "#/password"]
    );
    let venue = json!({"name": "Sala\u{0}", "address": "Via Roma 1", "comune_istat_code": "008031", "capacity": 10});
    let problem = assert_problem(app.post_json("/venues", Some(&admin), &venue).await, 422).await;
    assert_eq!(crate::helpers::fields_at_fault(&problem), ["#/name"]);
    let listed = app.read("/venues", Some(&admin)).await;
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["name"] != "Sala\u{0}"),
        "nothing written"
    );
    let problem = assert_problem(app.get("/venues?q=a%00b", Some(&admin)).await, 400).await;
    assert_eq!(crate::helpers::fields_at_fault(&problem), ["q"]);
    let csv = "codice_fiscale;nome;cognome;area;profilo\nRSSMRA80A01E290X;Ma\0rio;Rossi;tributi;operatore\n";
    let response = app
        .client
        .post(app.url("/employee-imports?comune_istat_code=008031"))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(response, 422).await;
    assert_eq!(crate::helpers::fields_at_fault(&problem), ["#/rows/2/riga"]);
}
