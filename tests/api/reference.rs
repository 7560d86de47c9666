use rstest::rstest;
use serde_json::Value;

use crate::helpers::{Backend, spawn_app};

#[rstest]
#[tokio::test]
async fn office_areas_and_themes_are_public_and_cacheable(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let areas = app.read_public("/office-areas").await;
    let codes: Vec<&str> = areas["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), cabina::domain::reference::OFFICE_AREAS.len());
    assert!(codes.contains(&"polizia_locale") && codes.contains(&"tributi"));

    let response = app.get("/themes", None).await;
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let themes: Value = response.json().await.unwrap();
    let themes = themes["items"].as_array().unwrap();
    let preposti = themes
        .iter()
        .find(|t| t["code"] == "sicurezza_preposti")
        .unwrap();
    assert_eq!(preposti["mandatory"], true);
    assert_eq!(preposti["forbids_elearning"], true);
    assert_eq!(preposti["refresher_months"], 24);
    let anticorruzione = themes
        .iter()
        .find(|t| t["code"] == "anticorruzione_trasparenza")
        .unwrap();
    assert_eq!(anticorruzione["refresher_months"], 12);
    for code in [
        "viabilita_gestione_strade",
        "privacy",
        "pari_opportunita",
        "digitalizzazione",
        "gestione_associata",
    ] {
        assert!(themes.iter().any(|t| t["code"] == code), "{code}");
    }

    let response = app.get_if_none_match("/themes", &etag).await;
    assert_eq!(response.status(), 304);
}
