//! The needs survey: the admin opens a campaign, referenti answer for their comune, the
//! Province sees who is missing, answers lock once submitted until reopened.
use rstest::rstest;
use serde_json::{Value, json};

use crate::helpers::{
    Backend, IMPERIA, SANREMO, TestApp, assert_problem, fields_at_fault, spawn_app,
};

pub fn campaign_body() -> Value {
    json!({"year": 2027, "title": "Fabbisogni 2027", "opens_on": "2027-01-15", "closes_on": "2027-02-28",
           "instructions": "Indicare per ogni ufficio le persone da formare.", "themes": ["privacy", "anticorruzione_trasparenza"]})
}

pub fn need_body(campaign: &Value, theme: &str, area: &str) -> Value {
    json!({"campaign_id": campaign["id"], "theme_code": theme, "office_area": area, "headcount": 3, "priority": "alta"})
}

async fn put_response(
    app: &TestApp,
    token: &str,
    campaign: &Value,
    comune: &str,
    body: Value,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/campaigns/{}/responses/{comune}", campaign["id"])))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[rstest]
#[tokio::test]
async fn comuni_answer_an_open_campaign_and_the_province_sees_who_is_missing(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let imperia = app.login_as("referente", Some(IMPERIA)).await;
    let sanremo = app.login_as("referente", Some(SANREMO)).await;
    let campaign: Value = app
        .post_json("/campaigns", Some(&admin), &campaign_body())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(campaign["status"], "draft");
    let path = format!("/campaigns/{}", campaign["id"]);

    // Not open yet: nothing can be entered.
    assert_problem(
        app.post_json(
            "/needs",
            Some(&imperia.token),
            &need_body(&campaign, "privacy", "demografici"),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(
        app.patch_merge(&path, &admin, &json!({"status": "open"}), None)
            .await
            .status(),
        200
    );

    let line: Value = app
        .post_json(
            "/needs",
            Some(&imperia.token),
            &need_body(&campaign, "privacy", "demografici"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(line["comune_istat_code"], IMPERIA);
    app.post_json(
        "/needs",
        Some(&imperia.token),
        &need_body(&campaign, "anticorruzione_trasparenza", "tributi"),
    )
    .await;
    assert_problem(
        app.post_json(
            "/needs",
            Some(&imperia.token),
            &need_body(&campaign, "privacy", "demografici"),
        )
        .await,
        409,
    )
    .await;
    let problem = assert_problem(
        app.post_json(
            "/needs",
            Some(&imperia.token),
            &need_body(&campaign, "antincendio", "tributi"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        fields_at_fault(&problem),
        ["#/theme_code"],
        "only the themes the campaign offers"
    );
    let mut elsewhere = need_body(&campaign, "privacy", "tributi");
    elsewhere["comune_istat_code"] = json!(IMPERIA);
    assert_problem(
        app.post_json("/needs", Some(&sanremo.token), &elsewhere)
            .await,
        403,
    )
    .await;
    assert_problem(
        app.patch_merge(
            &format!("/needs/{}", line["id"]),
            &sanremo.token,
            &json!({"headcount": 9}),
            None,
        )
        .await,
        403,
    )
    .await;
    let lines: Value = app
        .get("/needs", Some(&sanremo.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        lines["items"],
        json!([]),
        "Sanremo sees none of Imperia's lines"
    );

    // Who has answered: Imperia is a draft, the others have not started.
    let answers: Value = app
        .get(&format!("{path}/responses"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (answers["total"].as_i64(), answers["submitted"].as_i64()),
        (Some(66), Some(0))
    );
    let imperia_answer = answers["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["comune_istat_code"] == IMPERIA)
        .unwrap();
    assert_eq!(
        (
            imperia_answer["status"].as_str(),
            imperia_answer["lines"].as_i64()
        ),
        (Some("draft"), Some(2))
    );
    let own: Value = app
        .get(&format!("{path}/responses"), Some(&sanremo.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["total"], 1, "a referente sees their own comune only");

    // Submitting locks the lines; declaring "no needs" next to lines is refused.
    assert_problem(
        put_response(
            &app,
            &imperia.token,
            &campaign,
            IMPERIA,
            json!({"status": "submitted", "no_needs": true}),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(
        put_response(
            &app,
            &imperia.token,
            &campaign,
            IMPERIA,
            json!({"status": "submitted"})
        )
        .await
        .status(),
        204
    );
    assert_problem(
        app.patch_merge(
            &format!("/needs/{}", line["id"]),
            &imperia.token,
            &json!({"headcount": 4}),
            None,
        )
        .await,
        409,
    )
    .await;
    assert_problem(
        app.delete(&format!("/needs/{}", line["id"]), &imperia.token)
            .await,
        409,
    )
    .await;
    assert_problem(
        put_response(
            &app,
            &imperia.token,
            &campaign,
            IMPERIA,
            json!({"status": "draft"}),
        )
        .await,
        403,
    )
    .await;
    // Sanremo needs nothing this year.
    assert_problem(
        put_response(
            &app,
            &sanremo.token,
            &campaign,
            SANREMO,
            json!({"status": "submitted"}),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(
        put_response(
            &app,
            &sanremo.token,
            &campaign,
            SANREMO,
            json!({"status": "submitted", "no_needs": true})
        )
        .await
        .status(),
        204
    );
    let answers: Value = app
        .get(&format!("{path}/responses"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answers["submitted"], 2);

    // The admin reopens Imperia's answer; it can change again.
    assert_eq!(
        put_response(&app, &admin, &campaign, IMPERIA, json!({"status": "draft"}))
            .await
            .status(),
        204
    );
    let response = app
        .patch_merge(
            &format!("/needs/{}", line["id"]),
            &imperia.token,
            &json!({"headcount": 4}),
            None,
        )
        .await;
    assert_eq!(response.status(), 200);

    // Closed: nothing changes any more; a closed campaign never goes back to draft.
    assert_eq!(
        app.patch_merge(&path, &admin, &json!({"status": "closed"}), None)
            .await
            .status(),
        200
    );
    assert_problem(
        app.post_json(
            "/needs",
            Some(&imperia.token),
            &need_body(&campaign, "privacy", "tributi"),
        )
        .await,
        409,
    )
    .await;
    assert_problem(
        app.patch_merge(&path, &admin, &json!({"status": "draft"}), None)
            .await,
        409,
    )
    .await;
    let lines: Value = app
        .get(
            &format!("/needs?campaign_id={}", campaign["id"]),
            Some(&admin),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(lines["items"].as_array().unwrap().len(), 2);

    // The demand, added up for planning.
    let summary: Value = app
        .get(&format!("{path}/summary"), Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            summary["comuni_total"].as_i64(),
            summary["comuni_submitted"].as_i64(),
            summary["comuni_no_needs"].as_i64()
        ),
        (Some(66), Some(1), Some(1))
    );
    assert_eq!(summary["headcount"], 7);
    assert_eq!(
        summary["by_theme"][0],
        json!({"key": "privacy", "label": "Privacy e protezione dei dati personali", "headcount": 4, "comuni": 1, "lines": 1})
    );
    assert_eq!(summary["by_comune"][0]["label"], "Imperia");
    assert_eq!(
        summary["by_distance"],
        json!([{"key": "0-10", "label": "0-10 km", "headcount": 7, "comuni": 1, "lines": 2}])
    );
    assert_problem(
        app.get(&format!("{path}/summary"), Some(&imperia.token))
            .await,
        403,
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn campaigns_are_validated_and_run_by_the_admin(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let mut bad = campaign_body();
    bad["closes_on"] = json!("2027-01-01");
    bad["themes"] = json!(["non_esiste"]);
    bad["title"] = json!("");
    let problem = assert_problem(app.post_json("/campaigns", Some(&admin), &bad).await, 422).await;
    assert_eq!(
        fields_at_fault(&problem),
        ["#/closes_on", "#/themes", "#/title"]
    );
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    assert_problem(
        app.post_json("/campaigns", Some(&referente.token), &campaign_body())
            .await,
        403,
    )
    .await;
    let employee = app.login_as("employee", Some(IMPERIA)).await;
    assert_problem(app.get("/campaigns", Some(&employee.token)).await, 403).await;
    let list: Value = app
        .get("/campaigns", Some(&referente.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"], json!([]));
}
