//! The needs survey: the admin opens a campaign, referenti answer for their comune, the
//! Province sees who is missing, answers lock once submitted until reopened.
use rstest::rstest;
use serde_json::{Value, json};

use crate::fixtures::{CampaignId, Created, NeedId, campaign_body};
use crate::helpers::{
    Backend, IMPERIA, Login, SANREMO, TestApp, assert_invalid, assert_problem, fields_at_fault,
    spawn_app,
};

/// A campaign still in draft, and the referenti of Imperia and Sanremo.
struct Survey {
    admin: String,
    imperia: Login,
    sanremo: Login,
    campaign: Created<CampaignId>,
}

impl Survey {
    async fn drafted(app: &TestApp) -> Self {
        let admin = app.admin_token().await;
        let imperia = app.login_as("referente", Some(IMPERIA)).await;
        let sanremo = app.login_as("referente", Some(SANREMO)).await;
        let campaign = app.campaign(&admin).create().await;
        Survey {
            admin,
            imperia,
            sanremo,
            campaign,
        }
    }

    async fn opened(app: &TestApp) -> Self {
        let survey = Self::drafted(app).await;
        let opened = app.set_status(&survey.admin, &survey.path(), "open").await;
        assert_eq!(opened.status(), 200);
        survey
    }

    fn path(&self) -> String {
        self.campaign.id.path()
    }

    /// Imperia's two lines, as a draft: privacy for demografici, anticorruption for
    /// tributi, three people each; returns the first.
    async fn imperia_answers(&self, app: &TestApp) -> Created<NeedId> {
        let token = &self.imperia.token;
        let line = app
            .need(token, self.campaign.id, "privacy", "demografici")
            .create()
            .await;
        app.need(
            token,
            self.campaign.id,
            "anticorruzione_trasparenza",
            "tributi",
        )
        .create()
        .await;
        line
    }

    async fn respond(&self, app: &TestApp, who: &Login, comune: &str, body: Value) -> u16 {
        let response = app
            .put_response(&who.token, self.campaign.id, comune, body)
            .await;
        response.status().as_u16()
    }

    /// Imperia submits its lines; Sanremo declares it needs nothing.
    async fn both_submit(&self, app: &TestApp) {
        let submitted = json!({"status": "submitted"});
        let status = self.respond(app, &self.imperia, IMPERIA, submitted).await;
        assert_eq!(status, 204);
        let nothing = json!({"status": "submitted", "no_needs": true});
        let status = self.respond(app, &self.sanremo, SANREMO, nothing).await;
        assert_eq!(status, 204);
    }

    /// The admin reopens Imperia's answer, and Imperia raises its first line to four.
    async fn imperia_corrects(&self, app: &TestApp, line: &Created<NeedId>) {
        let reopened = app
            .put_response(
                &self.admin,
                self.campaign.id,
                IMPERIA,
                json!({"status": "draft"}),
            )
            .await;
        assert_eq!(reopened.status(), 204);
        let four = json!({"headcount": 4});
        app.change(&self.imperia.token, &line.id.path(), four).await;
    }
}

#[rstest]
#[tokio::test]
async fn nothing_is_entered_before_the_campaign_opens(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::drafted(&app).await;
    assert_eq!(survey.campaign["status"], "draft");
    let early = app
        .need(
            &survey.imperia.token,
            survey.campaign.id,
            "privacy",
            "demografici",
        )
        .send()
        .await;
    assert_problem(early, 409).await;
    assert_eq!(
        app.set_status(&survey.admin, &survey.path(), "open")
            .await
            .status(),
        200
    );
}

#[rstest]
#[tokio::test]
async fn a_referente_enters_lines_for_their_comune_once_per_theme_and_area(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::opened(&app).await;
    let line = survey.imperia_answers(&app).await;
    assert_eq!(line["comune_istat_code"], IMPERIA);
    let token = &survey.imperia.token;
    let again = app
        .need(token, survey.campaign.id, "privacy", "demografici")
        .send()
        .await;
    assert_problem(again, 409).await;
    let not_offered = app
        .need(token, survey.campaign.id, "antincendio", "tributi")
        .send()
        .await;
    let problem = assert_problem(not_offered, 422).await;
    assert_eq!(
        fields_at_fault(&problem),
        ["#/theme_code"],
        "only the themes the campaign offers"
    );
}

#[rstest]
#[tokio::test]
async fn another_comunes_referente_neither_adds_nor_changes_nor_sees_the_lines(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::opened(&app).await;
    let line = survey.imperia_answers(&app).await;
    let sanremo = &survey.sanremo.token;
    let for_imperia = app
        .need(sanremo, survey.campaign.id, "privacy", "tributi")
        .in_comune(IMPERIA)
        .send()
        .await;
    assert_problem(for_imperia, 403).await;
    assert_problem(
        app.merge_patch(&line.id.path(), sanremo, &json!({"headcount": 9}))
            .await,
        403,
    )
    .await;
    let lines = app.read("/needs", Some(sanremo)).await;
    assert_eq!(
        lines["items"],
        json!([]),
        "Sanremo sees none of Imperia's lines"
    );
}

#[rstest]
#[tokio::test]
async fn the_province_sees_who_has_answered_and_a_referente_their_own_comune(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::opened(&app).await;
    survey.imperia_answers(&app).await;
    // Imperia is a draft, the others have not started.
    let responses = format!("{}/responses", survey.path());
    let answers = app.read(&responses, Some(&survey.admin)).await;
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
    let own = app.read(&responses, Some(&survey.sanremo.token)).await;
    assert_eq!(own["total"], 1, "a referente sees their own comune only");
}

#[rstest]
#[tokio::test]
async fn submitting_locks_the_lines_until_the_admin_reopens_them(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::opened(&app).await;
    let line = survey.imperia_answers(&app).await;
    let imperia = &survey.imperia;
    // Declaring "no needs" next to lines is refused.
    let contradiction = json!({"status": "submitted", "no_needs": true});
    assert_problem(
        app.put_response(&imperia.token, survey.campaign.id, IMPERIA, contradiction)
            .await,
        409,
    )
    .await;
    let submitted = json!({"status": "submitted"});
    assert_eq!(survey.respond(&app, imperia, IMPERIA, submitted).await, 204);
    assert_problem(
        app.merge_patch(&line.id.path(), &imperia.token, &json!({"headcount": 4}))
            .await,
        409,
    )
    .await;
    assert_problem(app.delete(&line.id.path(), &imperia.token).await, 409).await;
    let reopen = json!({"status": "draft"});
    assert_problem(
        app.put_response(&imperia.token, survey.campaign.id, IMPERIA, reopen)
            .await,
        403,
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn a_comune_without_lines_submits_by_declaring_no_needs(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::opened(&app).await;
    survey.imperia_answers(&app).await;
    let sanremo = &survey.sanremo;
    assert_problem(
        app.put_response(
            &sanremo.token,
            survey.campaign.id,
            SANREMO,
            json!({"status": "submitted"}),
        )
        .await,
        409,
    )
    .await;
    survey.both_submit(&app).await;
    let answers = app
        .read(&format!("{}/responses", survey.path()), Some(&survey.admin))
        .await;
    assert_eq!(answers["submitted"], 2);
}

#[rstest]
#[tokio::test]
async fn a_reopened_answer_can_change_again(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::opened(&app).await;
    let line = survey.imperia_answers(&app).await;
    survey.both_submit(&app).await;
    survey.imperia_corrects(&app, &line).await;
}

#[rstest]
#[tokio::test]
async fn a_closed_campaign_takes_no_lines_and_never_goes_back_to_draft(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::opened(&app).await;
    survey.imperia_answers(&app).await;
    let closed = app
        .set_status(&survey.admin, &survey.path(), "closed")
        .await;
    assert_eq!(closed.status(), 200);
    let late = app
        .need(
            &survey.imperia.token,
            survey.campaign.id,
            "privacy",
            "tributi",
        )
        .send()
        .await;
    assert_problem(late, 409).await;
    assert_problem(
        app.set_status(&survey.admin, &survey.path(), "draft").await,
        409,
    )
    .await;
    let lines = app
        .read(
            &format!("/needs?campaign_id={}", survey.campaign.id),
            Some(&survey.admin),
        )
        .await;
    assert_eq!(lines["items"].as_array().unwrap().len(), 2);
}

#[rstest]
#[tokio::test]
async fn the_summary_adds_up_the_demand_for_the_admin_only(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Survey::opened(&app).await;
    let line = survey.imperia_answers(&app).await;
    survey.both_submit(&app).await;
    survey.imperia_corrects(&app, &line).await;
    let closed = app
        .set_status(&survey.admin, &survey.path(), "closed")
        .await;
    assert_eq!(closed.status(), 200);
    let summary_path = format!("{}/summary", survey.path());
    let summary = app.read(&summary_path, Some(&survey.admin)).await;
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
        app.get(&summary_path, Some(&survey.imperia.token)).await,
        403,
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn an_invalid_campaign_is_refused_naming_every_bad_field(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let mut bad = campaign_body();
    bad["closes_on"] = json!("2027-01-01");
    bad["themes"] = json!(["non_esiste"]);
    bad["title"] = json!("");
    assert_invalid(
        app.post_json("/campaigns", Some(&admin), &bad).await,
        &["#/closes_on", "#/themes", "#/title"],
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn only_the_admin_runs_campaigns_and_employees_see_none(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let referente = app.login_as("referente", Some(IMPERIA)).await;
    assert_problem(app.campaign(&referente.token).send().await, 403).await;
    let employee = app.login_as("employee", Some(IMPERIA)).await;
    assert_problem(app.get("/campaigns", Some(&employee.token)).await, 403).await;
    let list = app.read("/campaigns", Some(&referente.token)).await;
    assert_eq!(list["items"], json!([]));
}
