//! The public catalogue as browsers and caches meet it: `HEAD` where `GET` is, CORS that
//! an operator opens to any origin for the catalogue only, compression of public answers.
use reqwest::header;
use rstest::rstest;

use crate::fixtures::{Catalogue, in_person_edition};
use crate::helpers::{Backend, TestApp, TestDb, spawn_app, spawn_app_on};

async fn a_published_edition(app: &TestApp) {
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    let course = app.course(&admin, provider).published().create().await;
    app.edition(&admin, course.id, in_person_edition(venue, 20))
        .create()
        .await;
}

#[rstest]
#[tokio::test]
async fn head_answers_with_the_headers_of_get_and_no_body(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    a_published_edition(&app).await;
    for path in ["/catalogue/editions", "/catalogue/calendar", "/status"] {
        let get = app.get(path, None).await;
        let etag = get.headers().get(header::ETAG).cloned();
        let length = get.bytes().await.unwrap().len();
        let head = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(head.status(), 200, "{path}");
        assert_eq!(head.headers().get(header::ETAG).cloned(), etag, "{path}");
        assert_eq!(
            head.headers()[header::CONTENT_LENGTH].to_str().unwrap(),
            length.to_string(),
            "{path}: the length the GET would have"
        );
        assert!(head.bytes().await.unwrap().is_empty(), "{path}");
    }
    let admin = app.admin_token().await;
    let head = app
        .client
        .head(app.url("/courses"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200, "signed-in lists too");
}

#[tokio::test]
async fn an_operator_opens_the_catalogue_to_any_origin_and_nothing_else() {
    let app = spawn_app_on(
        TestDb::create(Backend::Sqlite).await,
        Backend::Sqlite,
        |s| {
            s.catalogue_cors_origins = vec!["*".into()];
        },
    )
    .await;
    a_published_edition(&app).await;
    let origin = "https://pico.example";

    let answer = app
        .client
        .get(app.url("/catalogue/editions"))
        .header(header::ORIGIN, origin)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let without_origin = app.get("/catalogue/editions", None).await;
    assert_eq!(
        without_origin.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "*",
        "a shared cache may hand any answer to any browser"
    );
    let exposed = answer.headers()[header::ACCESS_CONTROL_EXPOSE_HEADERS]
        .to_str()
        .unwrap()
        .to_owned();
    for name in ["ETag", "X-RateLimit-Remaining", "X-RateLimit-Reset"] {
        assert!(exposed.contains(name), "{name} in {exposed}");
    }

    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/catalogue/changes"))
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "if-none-match")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    assert_eq!(
        preflight.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "*"
    );
    assert!(
        preflight.headers()[header::ACCESS_CONTROL_ALLOW_HEADERS]
            .to_str()
            .unwrap()
            .contains("If-None-Match")
    );

    // The signed-in API stays closed to other origins.
    let admin = app.admin_token().await;
    let private = app
        .client
        .get(app.url("/courses"))
        .bearer_auth(&admin)
        .header(header::ORIGIN, origin)
        .send()
        .await
        .unwrap();
    assert!(
        private
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none()
    );
}

#[tokio::test]
async fn by_default_no_origin_may_read_the_catalogue_from_a_browser() {
    let app = spawn_app(Backend::Sqlite).await;
    let answer = app
        .client
        .get(app.url("/catalogue/courses"))
        .header(header::ORIGIN, "https://pico.example")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert!(
        answer
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none()
    );
}

#[tokio::test]
async fn public_answers_are_compressed_and_signed_in_ones_are_not() {
    let app = spawn_app(Backend::Sqlite).await;
    a_published_edition(&app).await;
    let catalogue = app
        .client
        .get(app.url("/catalogue/editions"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(catalogue.headers()[header::CONTENT_ENCODING], "gzip");
    let admin = app.admin_token().await;
    let private = app
        .client
        .get(app.url("/auth/me"))
        .bearer_auth(&admin)
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(private.status(), 200);
    assert!(
        private.headers().get(header::CONTENT_ENCODING).is_none(),
        "a token next to client-chosen text is never compressed (BREACH)"
    );
}

#[tokio::test]
async fn a_compressed_answer_has_the_weak_form_of_the_plain_answers_etag_and_revalidates() {
    let app = spawn_app(Backend::Sqlite).await;
    a_published_edition(&app).await;
    let fetch = |encoding: &'static str, if_none_match: Option<String>| {
        let mut request = app
            .client
            .get(app.url("/catalogue/editions"))
            .header(header::ACCEPT_ENCODING, encoding);
        if let Some(tag) = if_none_match {
            request = request.header(header::IF_NONE_MATCH, tag);
        }
        request.send()
    };
    let plain = fetch("identity", None).await.unwrap();
    let strong = plain.headers()[header::ETAG].to_str().unwrap().to_owned();
    assert!(strong.starts_with('"'), "{strong}");
    let compressed = fetch("gzip", None).await.unwrap();
    assert_eq!(compressed.headers()[header::CONTENT_ENCODING], "gzip");
    let weak = compressed.headers()[header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(weak, format!("W/{strong}"), "two bodies, two validators");
    for (encoding, held) in [("gzip", &weak), ("identity", &weak), ("gzip", &strong)] {
        let again = fetch(encoding, Some(held.clone())).await.unwrap();
        assert_eq!(again.status(), 304, "{encoding} holding {held}");
    }
}

#[tokio::test]
async fn updated_since_still_works_but_says_it_is_deprecated_and_names_the_feed() {
    let app = spawn_app(Backend::Sqlite).await;
    a_published_edition(&app).await;
    for path in ["/catalogue/courses", "/catalogue/editions"] {
        let old = app
            .get(&format!("{path}?updated_since=2000-01-01T00:00:00Z"), None)
            .await;
        assert_eq!(old.status(), 200);
        assert_eq!(old.headers()["deprecation"], "@1796083200", "{path}");
        let link = old.headers()[header::LINK].to_str().unwrap().to_owned();
        assert!(
            link.contains("/api/v1/catalogue/changes>") && link.contains("successor-version"),
            "{link}"
        );
        let page: serde_json::Value = old.json().await.unwrap();
        assert_eq!(page["total"], 1, "{path}: it keeps answering");
        let current = app.get(path, None).await;
        assert!(current.headers().get("deprecation").is_none(), "{path}");
    }
}

#[tokio::test]
async fn the_served_document_names_the_installations_contact_and_api_id() {
    let app = spawn_app_on(
        TestDb::create(Backend::Sqlite).await,
        Backend::Sqlite,
        |s| {
            s.api_contact_email = "formazione@provincia.imperia.it".into();
            s.api_contact_name = "Servizio formazione".into();
            s.api_id = "6a1f0c9e-2b7d-4e3a-9c55-0d8e7f1a2b3c".into();
        },
    )
    .await;
    let doc: serde_json::Value = app.get("/openapi.json", None).await.json().await.unwrap();
    assert_eq!(
        doc["info"]["contact"]["email"],
        "formazione@provincia.imperia.it"
    );
    assert_eq!(doc["info"]["contact"]["name"], "Servizio formazione");
    assert_eq!(
        doc["info"]["x-api-id"],
        "6a1f0c9e-2b7d-4e3a-9c55-0d8e7f1a2b3c"
    );
    let parameters = doc["paths"]["/catalogue/courses"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .clone();
    let updated_since = parameters
        .iter()
        .find(|p| p["name"] == "updated_since")
        .unwrap();
    assert_eq!(updated_since["deprecated"], true);
    assert!(
        doc["info"]["description"]
            .as_str()
            .unwrap()
            .contains("Deprecation"),
        "the versioning policy is in the document"
    );
}

#[tokio::test]
async fn operations_without_parameters_refuse_made_up_ones() {
    let app = spawn_app(Backend::Sqlite).await;
    for path in [
        "/catalogue/calendar?1",
        "/catalogue/linked-data?x=1",
        "/catalogue/open-data?nocache=42",
        "/catalogue/dataset?a",
    ] {
        let problem = crate::helpers::assert_problem(app.get(path, None).await, 400).await;
        assert!(
            !problem["errors"][0]["parameter"].is_null(),
            "{path}: {problem}"
        );
    }
}
