use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{Backend, IMPERIA, SANREMO, assert_invalid, assert_problem, spawn_app};

#[rstest]
#[tokio::test]
async fn the_66_comuni_of_imperia_are_listed_publicly(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let page = app.read_public("/comuni?limit=200").await;
    assert_eq!(page["total"], 66);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 66);
    let names: Vec<&str> = items.iter().map(|c| c["name"].as_str().unwrap()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "sorted by name by default");
    assert!(
        items.iter().all(|c| c.get("contacts").is_none()),
        "no contacts for anonymous callers"
    );
    let population: i64 = items
        .iter()
        .map(|c| c["population"].as_i64().unwrap())
        .sum();
    assert_eq!(population, 212_681, "the ANPR total for the province");
}

#[rstest]
#[tokio::test]
async fn one_comune_has_its_data_distance_and_etag(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let response = app.get(&format!("/comuni/{SANREMO}"), None).await;
    assert_eq!(response.status(), 200);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let sanremo: Value = response.json().await.unwrap();
    assert_eq!(sanremo["name"], "Sanremo");
    assert_eq!(sanremo["cadastral_code"], "I138");
    assert_eq!(sanremo["population"], 54267);
    assert_eq!(sanremo["population_date"], "2024-01-10");
    let distance = sanremo["distance_km"].as_f64().unwrap();
    assert!(
        (18.0..26.0).contains(&distance),
        "Sanremo is about 22 km from Imperia: {distance}"
    );
    let imperia = app.read(&format!("/comuni/{IMPERIA}"), None).await;
    assert_eq!(imperia["is_provincial_capital"], true);
    assert_eq!(imperia["distance_km"], 0.0);

    let response = app
        .get_if_none_match(&format!("/comuni/{SANREMO}"), &etag)
        .await;
    assert_eq!(response.status(), 304);
    assert_eq!(response.headers()["etag"].to_str().unwrap(), etag);

    assert_problem(app.get("/comuni/001001", None).await, 404).await;
    assert_problem(app.get("/comuni/abc", None).await, 404).await;
}

#[rstest]
#[tokio::test]
async fn lists_filter_sort_and_page(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let page = app.read("/comuni?q=SAN", None).await;
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(page["total"], 8);
    assert_eq!(names.len(), 8, "every match on the page");
    assert!(
        names.iter().all(|n| n.to_lowercase().contains("san")),
        "{names:?}"
    );
    assert!(names.contains(&"Sanremo") && names.contains(&"Chiusanico"));

    let page = app.read("/comuni?sort=-population&limit=3", None).await;
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Sanremo", "Imperia", "Ventimiglia"]);
    let next = page["links"]["next"].as_str().unwrap();
    assert!(
        next.contains("sort=-population") && next.contains("offset=3"),
        "{next}"
    );
    assert!(page["links"].get("prev").is_none());

    let page = app.read("/comuni?sort=distance_km&limit=1", None).await;
    assert_eq!(page["items"][0]["name"], "Imperia");
    let page = app.read("/comuni?sort=-distance_km&limit=66", None).await;
    let distances: Vec<f64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["distance_km"].as_f64().unwrap())
        .collect();
    assert_eq!(
        distances.len(),
        66,
        "an empty page would be trivially sorted"
    );
    assert!(distances.windows(2).all(|w| w[0] >= w[1]));

    let page = app.read("/comuni?offset=60&limit=10", None).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 6);
    assert!(page["links"].get("next").is_none());
}

#[rstest]
#[tokio::test]
async fn the_admin_edits_contacts_with_merge_patch_and_if_match(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let path = format!("/comuni/{IMPERIA}");
    let response = app.get(&path, Some(&admin)).await;
    assert_eq!(response.headers()["cache-control"], "private, no-cache");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let before: Value = response.json().await.unwrap();
    assert_eq!(before["contacts"], json!({}));

    let patch = json!({"referente_email": "Formazione@Comune.Imperia.it", "pec": "protocollo@pec.comune.imperia.it", "phone": "+39 0183 7011"});
    let response = app.patch_merge(&path, &admin, &patch, Some(&etag)).await;
    assert_eq!(response.status(), 200);
    let new_etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let after: Value = response.json().await.unwrap();
    assert_eq!(
        after["contacts"]["referente_email"],
        "formazione@comune.imperia.it"
    );
    assert_eq!(after["contacts"]["phone"], "+39 0183 7011");
    assert_eq!(
        after["population"], before["population"],
        "reference data is untouched"
    );

    // null clears; absent keeps.
    let response = app
        .patch_merge(
            &path,
            &admin,
            &json!({"phone": null, "unione": "Unione dei Comuni di prova"}),
            Some(&new_etag),
        )
        .await;
    let after: Value = response.json().await.unwrap();
    assert!(after["contacts"].get("phone").is_none());
    assert_eq!(after["contacts"]["pec"], "protocollo@pec.comune.imperia.it");
    assert_eq!(after["contacts"]["unione"], "Unione dei Comuni di prova");

    // The first ETag is stale now.
    assert_problem(
        app.patch_merge(&path, &admin, &json!({"pec": null}), Some(&etag))
            .await,
        412,
    )
    .await;
    let current = app.read(&path, Some(&admin)).await;
    assert_eq!(
        current["contacts"]["pec"],
        "protocollo@pec.comune.imperia.it"
    );

    // Anonymous callers still see no contacts.
    let public = app.read(&path, None).await;
    assert!(public.get("contacts").is_none());
}

#[rstest]
#[tokio::test]
async fn invalid_contacts_are_422_and_change_nothing(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let path = format!("/comuni/{IMPERIA}");
    let body = json!({"referente_email": "nope", "pec": "also nope", "phone": "call me", "unione": "x".repeat(201)});
    assert_invalid(
        app.merge_patch(&path, &admin, &body).await,
        &["#/referente_email", "#/pec", "#/phone", "#/unione"],
    )
    .await;
    assert_invalid(
        app.merge_patch(&path, &admin, &json!({"name": "Oneglia"}))
            .await,
        &["#/name"],
    )
    .await;
    let current = app.read(&path, Some(&admin)).await;
    assert_eq!(current["contacts"], json!({}));
    assert_eq!(current["name"], "Imperia");
}

#[rstest]
#[tokio::test]
async fn a_referente_edits_only_their_own_comune(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    let own = app
        .merge_patch(
            &format!("/comuni/{IMPERIA}"),
            &referente.token,
            &json!({"phone": "0183 1"}),
        )
        .await;
    assert_eq!(own.status(), 200);
    let other = app
        .merge_patch(
            &format!("/comuni/{SANREMO}"),
            &referente.token,
            &json!({"phone": "0184 1"}),
        )
        .await;
    assert_problem(other, 403).await;
    let employee = app.login_as("employee", Some(SANREMO)).await;
    let response = app
        .merge_patch(
            &format!("/comuni/{SANREMO}"),
            &employee.token,
            &json!({"phone": "0184 1"}),
        )
        .await;
    assert_problem(response, 403).await;
    let sanremo = app
        .read(&format!("/comuni/{SANREMO}"), Some(&employee.token))
        .await;
    assert!(sanremo["contacts"].get("phone").is_none());
    let anonymous = app
        .client
        .patch(app.url(&format!("/comuni/{IMPERIA}")))
        .header("content-type", "application/merge-patch+json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, 401).await;
}
