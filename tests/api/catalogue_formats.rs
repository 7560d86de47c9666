//! The catalogue in the formats national platforms and search engines read: schema.org
//! JSON-LD, and open-data CSV described by a DCAT-AP_IT record with its licence.
use reqwest::header;
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{Catalogue, in_person_edition};
use crate::helpers::{Backend, TestApp, spawn_app};

/// A published course with one edition, a draft course, and the provider's partita IVA.
async fn a_catalogue(app: &TestApp) -> (Value, Value) {
    let Catalogue {
        admin,
        provider,
        venue,
    } = app.catalogue().await;
    let response = app
        .patch_merge(
            &format!("/providers/{provider}"),
            &admin,
            &json!({"vat_number": "00743110157"}),
            None,
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let course = app.course(&admin, provider).published().create().await;
    let edition = app
        .edition(&admin, course.id, in_person_edition(venue, 20))
        .create()
        .await;
    app.course(&admin, provider)
        .theme("digitalizzazione")
        .create()
        .await;
    (course.body, edition.body)
}

#[rstest]
#[tokio::test]
async fn the_catalogue_is_schema_org_courses_with_their_instances(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (course, edition) = a_catalogue(&app).await;
    let response = app.get("/catalogue/linked-data", None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/ld+json"
    );
    let list: Value = response.json().await.unwrap();
    assert_eq!(list["@context"], "https://schema.org");
    assert_eq!(list["numberOfItems"], 1, "drafts are not listed");
    let item = &list["itemListElement"][0]["item"];
    assert_eq!(item["@type"], "Course");
    assert_eq!(item["name"], course["title"]);
    assert_eq!(item["description"], course["description"]);
    assert_eq!(item["provider"]["name"], "Formazione Ligure");
    assert_eq!(item["provider"]["vatID"], "IT00743110157");
    assert_eq!(item["sourceOrganization"]["identifier"]["value"], "p_im");
    assert_eq!(item["offers"]["price"], 0.0);
    assert_eq!(item["timeRequired"], "PT6H");
    let instance = &item["hasCourseInstance"][0];
    assert_eq!(instance["@type"], "CourseInstance");
    assert_eq!(instance["courseMode"], "Onsite");
    assert_eq!(instance["name"], edition["title"]);
    assert_eq!(
        instance["location"]["address"]["addressLocality"],
        "Imperia"
    );
    assert_eq!(instance["startDate"], "2027-03-15T08:30:00+00:00");
    assert!(instance["location"]["geo"]["latitude"].is_number());
}

#[rstest]
#[tokio::test]
async fn the_open_data_csv_has_a_row_per_edition_in_the_catalogue(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (course, edition) = a_catalogue(&app).await;
    let response = app.get("/catalogue/open-data", None).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    for column in [
        "id_edizione",
        "titolo_corso",
        "ente_formatore",
        "partita_iva_ente",
        "modalita",
        "online",
        "ore",
        "inizio",
        "sede",
        "comune",
        "latitudine",
        "pagina_corso",
    ] {
        assert!(
            headers.iter().any(|h| h == column),
            "{column} in {headers:?}"
        );
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "one edition in the catalogue");
    let cell = |name: &str| {
        let index = headers.iter().position(|h| h == name).unwrap();
        rows[0][index].to_owned()
    };
    assert_eq!(cell("id_edizione"), edition["id"].to_string());
    assert_eq!(cell("titolo_corso"), course["title"].as_str().unwrap());
    assert_eq!(cell("partita_iva_ente"), "00743110157");
    assert_eq!(cell("online"), "no");
    assert_eq!(cell("comune"), "Imperia");
    assert!(cell("pagina_corso").ends_with(&format!("/catalogo/corsi/{}", course["id"])));
}

#[rstest]
#[tokio::test]
async fn the_open_data_is_described_by_a_dcat_ap_it_record(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    a_catalogue(&app).await;
    let document: Value = app
        .get("/catalogue/dataset", None)
        .await
        .json()
        .await
        .unwrap();
    let of_type = |class: &str| {
        document["@graph"]
            .as_array()
            .unwrap()
            .iter()
            .find(|node| node["@type"].as_array().unwrap().contains(&json!(class)))
            .unwrap_or_else(|| panic!("a {class} in {document}"))
            .clone()
    };
    // What harvesters (dati.gov.it) read first: the catalogue, which lists the dataset.
    let catalog = of_type("dcatapit:Catalog");
    for property in [
        "dct:title",
        "dct:description",
        "dct:publisher",
        "dct:modified",
        "dcat:dataset",
    ] {
        assert!(!catalog[property].is_null(), "catalog {property}");
    }
    let record = of_type("dcatapit:Dataset");
    assert_eq!(catalog["dcat:dataset"]["@id"], record["@id"]);
    // The properties DCAT-AP_IT makes mandatory for a dataset and its distribution.
    for property in [
        "dct:identifier",
        "dct:title",
        "dct:description",
        "dcat:theme",
        "dct:publisher",
        "dct:rightsHolder",
        "dct:modified",
        "dct:accrualPeriodicity",
        "dcat:contactPoint",
        "dcat:distribution",
    ] {
        assert!(!record[property].is_null(), "{property}");
    }
    assert_eq!(record["dct:publisher"]["dct:identifier"], "p_im");
    let email = record["dcat:contactPoint"]["vcard:hasEmail"]["@id"]
        .as_str()
        .unwrap();
    assert!(
        email.starts_with("mailto:") && email.contains('@'),
        "{email}"
    );
    assert_eq!(
        record["dct:modified"]["@value"].as_str().unwrap().len(),
        10,
        "a date"
    );
    let distribution = &record["dcat:distribution"];
    assert_eq!(
        distribution["dct:license"]["@id"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    assert!(!distribution["dct:format"].is_null());
    let access = distribution["dcat:accessURL"]["@id"].as_str().unwrap();
    let path = access.split("/api/v1").nth(1).unwrap();
    let csv = app.get(path, None).await;
    assert_eq!(csv.status(), 200, "the distribution is where it says");
}
