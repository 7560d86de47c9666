//! The annual plan: from a closed campaign's need lines to editions, costs, a proven bound,
//! edits, approval and publication into the catalogue.
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::CampaignId;
use crate::helpers::{
    Backend, IMPERIA, SANREMO, TestApp, assert_problem, fields_at_fault, spawn_app,
};

/// Comuni of the fixture campaign and the people each asks to train in privacy.
const DEMAND: &[(&str, i64)] = &[
    (IMPERIA, 9),
    (SANREMO, 8),
    ("008008", 4), // Bordighera
    ("008065", 5), // Ventimiglia
    ("008059", 4), // Taggia
    ("008027", 3), // Diano Marina
    ("008042", 2), // Pieve di Teco
];

/// A campaign with privacy needs in seven comuni, rooms in Imperia and Sanremo, a qualified
/// provider for privacy, the campaign closed.
struct Survey {
    admin: String,
    campaign: i64,
}

impl Survey {
    async fn closed(app: &TestApp) -> Self {
        let admin = app.admin_token().await;
        app.provider("Formazione Ligure").await;
        for (name, comune, capacity) in [
            ("Sala della Provincia", IMPERIA, 40),
            ("Teatro Ariston, saletta", SANREMO, 30),
        ] {
            app.venue(&admin)
                .named(name)
                .set("address", "Via Roma 1")
                .in_comune(comune)
                .capacity(capacity)
                .create()
                .await;
        }
        let campaign = app.campaign(&admin).open().create().await.id;
        for &(comune, headcount) in DEMAND {
            app.need(&admin, campaign, "privacy", "tributi")
                .in_comune(comune)
                .headcount(headcount)
                .create()
                .await;
        }
        let closed = app.set_status(&admin, &campaign.path(), "closed").await;
        assert_eq!(closed.status(), 200, "{}", closed.text().await.unwrap());
        Self {
            admin,
            campaign: campaign.0,
        }
    }

    async fn plan(&self, app: &TestApp, name: &str, parameters: Option<Value>) -> Value {
        let mut body = json!({"campaign_id": self.campaign, "name": name});
        if let Some(parameters) = parameters {
            body["parameters"] = parameters;
        }
        app.create(&self.admin, "/plans", &body).await
    }

    async fn defaults(&self, app: &TestApp) -> Value {
        let response = app
            .get(
                &format!("/plan-defaults?campaign_id={}", self.campaign),
                Some(&self.admin),
            )
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

/// A closed campaign with a plan, for other tests (the authorization matrix).
pub async fn closed_campaign_with_plan(app: &TestApp, admin: &str) -> (i64, i64) {
    let campaign = app.campaign(admin).year(2028).open().create().await.id;
    let closed = app.set_status(admin, &campaign.path(), "closed").await;
    assert_eq!(closed.status(), 200);
    let plan = app
        .create(
            admin,
            "/plans",
            &json!({"campaign_id": campaign.0, "name": "Piano"}),
        )
        .await;
    (campaign.0, plan["id"].as_i64().unwrap())
}

fn people_placed(plan: &Value) -> i64 {
    plan["editions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["assignments"].as_array().unwrap())
        .map(|a| a["headcount"].as_i64().unwrap())
        .sum()
}

async fn etag_of(app: &TestApp, token: &str, plan: i64) -> String {
    let response = app.get(&format!("/plans/{plan}"), Some(token)).await;
    response.headers()["etag"].to_str().unwrap().to_owned()
}

#[rstest]
#[tokio::test]
async fn a_plan_waits_for_the_campaign_to_close(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let campaign: CampaignId = app.campaign(&admin).open().create().await.id;
    let body = json!({"campaign_id": campaign.0, "name": "Troppo presto"});
    assert_problem(app.post_json("/plans", Some(&admin), &body).await, 409).await;
    let listed = app.read("/plans", Some(&admin)).await;
    assert_eq!(listed["total"], 0, "a refused plan leaves nothing behind");
}

#[rstest]
#[tokio::test]
async fn bad_parameters_are_named_one_by_one(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::closed(&app).await;
    let mut parameters = survey.defaults(&app).await;
    parameters["window_end"] = json!("2026-01-01");
    let privacy = parameters["themes"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t["theme_code"] == "privacy")
        .unwrap();
    parameters["themes"][privacy]["min_participants"] = json!(30);
    let body =
        json!({"campaign_id": survey.campaign, "name": "Sbagliato", "parameters": parameters});
    let problem = assert_problem(
        app.post_json("/plans", Some(&survey.admin), &body).await,
        422,
    )
    .await;
    let fields = fields_at_fault(&problem);
    assert!(
        fields.contains(&"#/parameters/window_end".to_owned()),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"#/parameters/themes/privacy/min_participants".to_owned()),
        "{fields:?}"
    );
}

#[rstest]
#[tokio::test]
async fn the_plan_groups_the_comuni_and_proves_how_good_it_is(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::closed(&app).await;
    let plan = survey.plan(&app, "Piano 2028", None).await;
    let requested: i64 = DEMAND.iter().map(|(_, n)| n).sum();
    assert_eq!(plan["people_requested"], requested);
    assert_eq!(plan["people_served"], requested, "everyone can be grouped");
    assert_eq!(
        people_placed(&plan),
        requested,
        "every person is in one edition"
    );
    let editions = plan["editions"].as_array().unwrap();
    assert!(editions.len() < DEMAND.len(), "comuni share editions");
    for edition in editions {
        let size = edition["size"].as_i64().unwrap();
        assert!((8..=100).contains(&size), "{edition}");
        assert!(!edition["dates"].as_array().unwrap().is_empty());
        assert!(!edition["reason"].as_str().unwrap().is_empty());
    }
    let (total, bound, standalone) = (
        plan["total_cents"].as_i64().unwrap(),
        plan["lower_bound_cents"].as_i64().unwrap(),
        plan["standalone_cents"].as_i64().unwrap(),
    );
    assert!(
        bound <= total && total < standalone,
        "{bound} ≤ {total} < {standalone}"
    );
    assert!(plan["gap"].as_f64().unwrap() <= 0.02);
    assert_eq!(plan["saving_cents"].as_i64().unwrap(), standalone - total);
}

#[rstest]
#[tokio::test]
async fn the_same_parameters_give_the_same_plan(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::closed(&app).await;
    let first = survey.plan(&app, "A", None).await;
    let second = survey.plan(&app, "B", None).await;
    assert_eq!(first["editions"], second["editions"]);
    assert_eq!(first["figures"], second["figures"]);
}

#[rstest]
#[tokio::test]
async fn comparing_two_plans_shows_the_trade_off(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::closed(&app).await;
    let cheap_travel = survey.plan(&app, "Rimborso basso", None).await;
    let mut parameters = survey.defaults(&app).await;
    parameters["eur_per_km"] = json!(1.0);
    let dear_travel = survey.plan(&app, "Rimborso alto", Some(parameters)).await;
    let path = format!(
        "/plans/{}/comparison?with={}",
        cheap_travel["id"], dear_travel["id"]
    );
    let comparison = app.read(&path, Some(&survey.admin)).await;
    assert_eq!(comparison["changed_parameters"], json!(["eur_per_km"]));
    let change = dear_travel["total_cents"].as_i64().unwrap()
        - cheap_travel["total_cents"].as_i64().unwrap();
    assert_eq!(comparison["total_cents_change"], change);
    assert!(change >= 0, "dearer travel never makes a plan cheaper");
    assert_eq!(comparison["first"]["name"], "Rimborso basso");
}

#[rstest]
#[tokio::test]
async fn an_edit_is_recosted_and_a_broken_rule_is_named(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::closed(&app).await;
    let plan = survey.plan(&app, "Da ritoccare", None).await;
    let id = plan["id"].as_i64().unwrap();
    let edition = &plan["editions"][0];
    let key = edition["key"].as_str().unwrap();
    let path = format!("/plans/{id}/edits");
    // A Sunday is no day for a course.
    let sunday = json!({"edits": [{"kind": "change_start_date", "edition_key": key, "start_date": "2028-03-05"}]});
    let problem = assert_problem(
        app.post_json(&path, Some(&survey.admin), &sunday).await,
        422,
    )
    .await;
    assert!(
        fields_at_fault(&problem)
            .iter()
            .any(|f| f.contains("start_date") || f.contains("dates")),
        "{problem}"
    );
    // Dropping an edition leaves its people unserved and lowers the cost.
    let drop = json!({"edits": [{"kind": "drop_edition", "edition_key": key}]});
    let response = app.post_json(&path, Some(&survey.admin), &drop).await;
    assert_eq!(response.status(), 200);
    let edited: Value = response.json().await.unwrap();
    assert!(edited["total_cents"].as_i64().unwrap() < plan["total_cents"].as_i64().unwrap());
    let unserved: i64 = edited["unserved"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["reason"] == "removed_by_officer")
        .map(|u| u["headcount"].as_i64().unwrap())
        .sum();
    assert_eq!(unserved, edition["size"].as_i64().unwrap());
    assert_eq!(
        edited["lower_bound_cents"], plan["lower_bound_cents"],
        "the bound is the optimiser's"
    );
}

#[rstest]
#[tokio::test]
async fn a_stale_copy_cannot_overwrite_an_edit(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::closed(&app).await;
    let plan = survey.plan(&app, "Concorrenza", None).await;
    let id = plan["id"].as_i64().unwrap();
    let stale = etag_of(&app, &survey.admin, id).await;
    let renamed = app
        .patch_merge(
            &format!("/plans/{id}"),
            &survey.admin,
            &json!({"name": "Nuovo nome"}),
            Some(&stale),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let again = app
        .patch_merge(
            &format!("/plans/{id}"),
            &survey.admin,
            &json!({"name": "Altro"}),
            Some(&stale),
        )
        .await;
    assert_problem(again, 412).await;
}

/// A plan from [`Survey::closed`], approved; Sanremo has a referente to write to, the
/// other six comuni have nobody.
struct Approved {
    survey: Survey,
    plan: Value,
    path: String,
}

impl Approved {
    async fn plan(app: &TestApp) -> Self {
        let survey = Survey::closed(app).await;
        let plan = survey.plan(app, "Da pubblicare", None).await;
        app.login_as("referente", Some(SANREMO)).await;
        let path = format!("/plans/{}", plan["id"]);
        let approved = app.set_status(&survey.admin, &path, "approved").await;
        assert_eq!(approved.status(), 200);
        Approved { survey, plan, path }
    }

    async fn publish(&self, app: &TestApp) -> Value {
        app.set_status(&self.survey.admin, &self.path, "published")
            .await
            .json()
            .await
            .unwrap()
    }

    fn editions(&self) -> i64 {
        self.plan["editions"].as_array().unwrap().len() as i64
    }

    async fn editions_in_the_catalogue(&self, app: &TestApp) -> Value {
        app.read("/editions?limit=200", Some(&self.survey.admin))
            .await["total"]
            .clone()
    }
}

#[rstest]
#[tokio::test]
async fn only_an_approved_plan_is_published_and_an_approved_plan_takes_no_edits(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::closed(&app).await;
    let plan = survey.plan(&app, "Da pubblicare", None).await;
    let path = format!("/plans/{}", plan["id"]);
    assert_problem(app.set_status(&survey.admin, &path, "published").await, 409).await;
    let approved = app.set_status(&survey.admin, &path, "approved").await;
    assert_eq!(approved.status(), 200);
    let edit =
        json!({"edits": [{"kind": "drop_edition", "edition_key": plan["editions"][0]["key"]}]});
    assert_problem(
        app.post_json(&format!("{path}/edits"), Some(&survey.admin), &edit)
            .await,
        409,
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn publishing_fills_the_catalogue_and_tells_each_comune_it_can(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let approved = Approved::plan(&app).await;
    let published = approved.publish(&app).await;
    assert_eq!(published["status"], "published");
    assert_eq!(
        published["publication"]["editions_created"],
        approved.editions()
    );
    assert_eq!(published["publication"]["courses_created"], 1);
    assert_eq!(published["publication"]["messages"], 1);
    let unreachable = published["publication"]["unreachable_comuni"]
        .as_array()
        .unwrap();
    assert_eq!(
        unreachable.len(),
        DEMAND.len() - 1,
        "every other comune is named"
    );
    assert!(unreachable.iter().all(|c| c["istat_code"] != SANREMO));
    let outbox = app
        .get("/outbox?limit=200", Some(&approved.survey.admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(outbox.contains("Piano della formazione: le edizioni per Sanremo"));
    // The catalogue (admin view) holds the in-person editions.
    assert_eq!(
        approved.editions_in_the_catalogue(&app).await,
        approved.editions()
    );
}

#[rstest]
#[tokio::test]
async fn publishing_again_creates_nothing_twice(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let approved = Approved::plan(&app).await;
    approved.publish(&app).await;
    let again = approved.publish(&app).await;
    assert_eq!(again["publication"]["editions_created"], 0);
    assert_eq!(
        approved.editions_in_the_catalogue(&app).await,
        approved.editions()
    );
}

#[rstest]
#[tokio::test]
async fn a_referente_reads_only_where_their_people_go(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::closed(&app).await;
    let plan = survey.plan(&app, "Per i comuni", None).await;
    let referente = app.login_as("referente", Some(SANREMO)).await;
    let response = app
        .get(&format!("/plans/{}", plan["id"]), Some(&referente.token))
        .await;
    assert_eq!(response.status(), 200);
    let mine: Value = response.json().await.unwrap();
    let comuni: Vec<&str> = mine["editions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["assignments"].as_array().unwrap())
        .map(|a| a["comune_istat_code"].as_str().unwrap())
        .collect();
    assert!(!comuni.is_empty());
    assert!(comuni.iter().all(|c| *c == SANREMO), "{comuni:?}");
    assert_eq!(people_placed(&mine), 8);
    // Providers and employees read no plan.
    let provider = app.login_as("provider", None).await;
    assert_problem(
        app.get(&format!("/plans/{}", plan["id"]), Some(&provider.token))
            .await,
        403,
    )
    .await;
}
