//! The needs survey beyond the answers: named employees on need lines, reminders through
//! the outbox (kept when there is no SMTP, delivered when there is), and the downloads.
use std::io::Cursor;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use calamine::{DataType, Reader, Xlsx};
use rstest::rstest;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::fixtures::{CampaignId, Created, EmployeeId};
use crate::helpers::{
    Backend, IMPERIA, Login, SANREMO, TestApp, TestDb, assert_invalid, assert_problem,
    fields_at_fault, spawn_app, spawn_app_on, tax_code,
};

/// Each test database is fresh; a counter keeps the tax codes of one test distinct.
static NEXT_PERSON: AtomicU32 = AtomicU32::new(100);

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Anna, of the demografici office of `comune`, with a tax code of her own.
async fn add_employee(app: &TestApp, token: &str, comune: &str, family_name: &str) -> EmployeeId {
    let body = json!({"given_name": "Anna", "family_name": family_name, "office_area": "demografici",
                      "job_profile": "istruttore", "comune_istat_code": comune,
                      "tax_code": tax_code(NEXT_PERSON.fetch_add(1, Ordering::Relaxed))});
    let created = app.create(token, "/employees", &body).await;
    EmployeeId(created["id"].as_i64().unwrap())
}

/// An open campaign, Imperia's referente, Anna Bianchi and Bruno Verdi of Imperia and a
/// stranger of Sanremo.
struct Named {
    imperia: Login,
    campaign: CampaignId,
    anna: EmployeeId,
    bruno: EmployeeId,
    stranger: EmployeeId,
}

impl Named {
    async fn people(app: &TestApp) -> Self {
        let admin = app.admin_token().await;
        let imperia = app.login_as("referente", Some(IMPERIA)).await;
        let campaign = app.open_campaign(&admin).await.id;
        let anna = add_employee(app, &imperia.token, IMPERIA, "Bianchi").await;
        let bruno = add_employee(app, &imperia.token, IMPERIA, "Verdi").await;
        let stranger = add_employee(app, &admin, SANREMO, "Neri").await;
        Named {
            imperia,
            campaign,
            anna,
            bruno,
            stranger,
        }
    }

    /// Privacy for two people of demografici, naming `names`.
    async fn line(&self, app: &TestApp, names: &[EmployeeId]) -> reqwest::Response {
        let names: Vec<i64> = names.iter().map(|n| n.0).collect();
        app.need(&self.imperia.token, self.campaign, "privacy", "demografici")
            .headcount(2)
            .set("employee_ids", names)
            .send()
            .await
    }

    /// The line naming Bruno, Anna and Bruno again.
    async fn line_naming_both(&self, app: &TestApp) -> Value {
        let line = self.line(app, &[self.bruno, self.anna, self.bruno]).await;
        line.json().await.unwrap()
    }

    /// Anna is erased; the line keeps Bruno.
    async fn erase_anna(&self, app: &TestApp) -> Value {
        assert_eq!(
            app.delete(&self.anna.path(), &self.imperia.token)
                .await
                .status(),
            204
        );
        app.read("/needs", Some(&self.imperia.token)).await
    }
}

#[rstest]
#[tokio::test]
async fn a_need_line_names_only_the_comunes_own_people_and_no_more_than_it_counts(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let named = Named::people(&app).await;
    let with_stranger = named.line(&app, &[named.anna, named.stranger]).await;
    assert_invalid(with_stranger, &["#/employee_ids/1"]).await;
    let three = named
        .line(&app, &[named.anna, named.bruno, EmployeeId(999_999)])
        .await;
    let problem = assert_problem(three, 422).await;
    assert_eq!(
        fields_at_fault(&problem),
        ["#/employee_ids"],
        "three names for two people"
    );
    let lines = app.read("/needs", Some(&named.imperia.token)).await;
    assert_eq!(lines["items"], json!([]), "nothing half-written");
}

#[rstest]
#[tokio::test]
async fn a_need_line_names_each_person_once_in_order(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let named = Named::people(&app).await;
    let line = named.line_naming_both(&app).await;
    let mut both = vec![named.anna.0, named.bruno.0];
    both.sort_unstable();
    assert_eq!(line["employee_ids"], json!(both));
}

#[rstest]
#[tokio::test]
async fn a_persons_data_export_shows_the_need_lines_naming_them(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let named = Named::people(&app).await;
    named.line_naming_both(&app).await;
    let export = app
        .read(
            &format!("{}/personal-data", named.anna.path()),
            Some(&named.imperia.token),
        )
        .await;
    assert_eq!(
        export["training_needs"],
        json!([{"campaign_id": named.campaign.0, "theme_code": "privacy", "office_area": "demografici"}])
    );
}

#[rstest]
#[tokio::test]
async fn erasure_keeps_the_headcount_of_a_line_but_removes_the_name(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let named = Named::people(&app).await;
    named.line_naming_both(&app).await;
    let line = named.erase_anna(&app).await;
    assert_eq!(line["items"][0]["employee_ids"], json!([named.bruno.0]));
    assert_eq!(line["items"][0]["headcount"], 2);
}

#[rstest]
#[tokio::test]
async fn a_patch_replaces_the_names_and_never_names_more_than_the_headcount(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let named = Named::people(&app).await;
    named.line_naming_both(&app).await;
    let line = named.erase_anna(&app).await;
    let path = format!("/needs/{}", line["items"][0]["id"]);
    let token = &named.imperia.token;
    let too_many = json!({"headcount": 1, "employee_ids": [named.bruno.0, named.anna.0]});
    assert_invalid(
        app.merge_patch(&path, token, &too_many).await,
        &["#/employee_ids"],
    )
    .await;
    let cleared: Value = app
        .merge_patch(&path, token, &json!({"employee_ids": []}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cleared["employee_ids"], json!([]));
}

#[rstest]
#[tokio::test]
async fn a_draft_campaign_sends_no_reminders(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let admin = app.admin_token().await;
    let draft = app.campaign(&admin).create().await;
    let reminders = format!("{}/reminders", draft.id.path());
    assert_problem(
        app.post_json(&reminders, Some(&admin), &json!({})).await,
        409,
    )
    .await;
}

/// An open campaign Imperia has answered (one line, submitted); Sanremo has not, and has
/// a contact address besides its referente.
struct Unanswered {
    admin: String,
    sanremo: Login,
    campaign: Created<CampaignId>,
    reminders: String,
}

impl Unanswered {
    async fn by_sanremo(app: &TestApp) -> Self {
        let admin = app.admin_token().await;
        let imperia = app.login_as("referente", Some(IMPERIA)).await;
        let sanremo = app.login_as("referente", Some(SANREMO)).await;
        let campaign = app.open_campaign(&admin).await;
        app.need(&imperia.token, campaign.id, "privacy", "demografici")
            .create()
            .await;
        let submitted = app
            .put_response(
                &imperia.token,
                campaign.id,
                IMPERIA,
                json!({"status": "submitted"}),
            )
            .await;
        assert_eq!(submitted.status(), 204);
        let contact = json!({"referente_email": "formazione@comune.sanremo.test"});
        app.change(&admin, &format!("/comuni/{SANREMO}"), contact)
            .await;
        let reminders = format!("{}/reminders", campaign.id.path());
        Unanswered {
            admin,
            sanremo,
            campaign,
            reminders,
        }
    }

    /// The admin reminds every comune that has not answered.
    async fn remind(&self, app: &TestApp) -> Value {
        let response = app
            .post_json(&self.reminders, Some(&self.admin), &json!({}))
            .await;
        assert_eq!(response.status(), 202);
        response.json().await.unwrap()
    }
}

#[rstest]
#[tokio::test]
async fn only_the_admin_reminds_and_only_comuni_of_the_province(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Unanswered::by_sanremo(&app).await;
    assert_problem(
        app.post_json(&survey.reminders, Some(&survey.sanremo.token), &json!({}))
            .await,
        403,
    )
    .await;
    assert_invalid(
        app.post_json(
            &survey.reminders,
            Some(&survey.admin),
            &json!({"istat_codes": [SANREMO, "099999"]}),
        )
        .await,
        &["#/istat_codes/1"],
    )
    .await;
}

#[rstest]
#[tokio::test]
async fn reminders_go_to_every_address_of_the_comuni_that_have_not_answered(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Unanswered::by_sanremo(&app).await;
    let report = survey.remind(&app).await;
    assert_eq!(report["messages"], 2, "{report}");
    assert_eq!(
        report["reminded"],
        json!([{"comune_istat_code": SANREMO, "comune_name": "Sanremo", "messages": 2}])
    );
    let unreachable = report["unreachable"].as_array().unwrap();
    assert_eq!(unreachable.len(), 64, "every other comune but Imperia");
    assert!(
        unreachable
            .iter()
            .all(|c| c["comune_istat_code"] != IMPERIA)
    );
}

#[rstest]
#[tokio::test]
async fn without_smtp_reminders_wait_in_the_outbox_which_only_the_admin_reads(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Unanswered::by_sanremo(&app).await;
    survey.remind(&app).await;
    let outbox = app
        .read("/outbox?delivery=pending", Some(&survey.admin))
        .await;
    assert_eq!(outbox["total"], 2);
    let mut recipients: Vec<&str> = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["recipient"].as_str().unwrap())
        .collect();
    recipients.sort_unstable();
    assert_eq!(
        recipients,
        [
            "formazione@comune.sanremo.test",
            survey.sanremo.email.as_str()
        ]
    );
    let message = &outbox["items"][0];
    assert_eq!(message["kind"], "campaign_reminder");
    assert_eq!(message["delivery"], "pending");
    assert!(message["subject"].as_str().unwrap().contains("Sanremo"));
    assert!(
        message["body"]
            .as_str()
            .unwrap()
            .contains(&format!("/campagne/{}", survey.campaign.id))
    );
    assert_problem(app.get("/outbox", Some(&survey.sanremo.token)).await, 403).await;
    let sent = app.read("/outbox?delivery=sent", Some(&survey.admin)).await;
    assert_eq!(sent["total"], 0);
}

#[rstest]
#[tokio::test]
async fn the_tracking_shows_when_each_comune_was_last_reminded(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let survey = Unanswered::by_sanremo(&app).await;
    survey.remind(&app).await;
    let answers = app
        .read(
            &format!("{}/responses", survey.campaign.id.path()),
            Some(&survey.admin),
        )
        .await;
    let of = |code: &str| {
        answers["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["comune_istat_code"] == code)
            .unwrap()
            .clone()
    };
    assert!(of(SANREMO)["reminded_at"].is_string());
    assert!(of(IMPERIA).get("reminded_at").is_none());
}

/// A minimal SMTP server that accepts every message and keeps what it received.
async fn fake_smtp() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(message) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap());
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            message.push_str(&line);
                            message.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-fake\r\n250 8BITMIME\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.ok();
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, received)
}

async fn outbox_until(app: &TestApp, admin: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..100 {
        let outbox = app.read("/outbox", Some(admin)).await;
        if done(&outbox) {
            return outbox;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the outbox never reached the expected state");
}

/// Spawns the application with `smtp_url`, and has the admin remind Sanremo (which has a
/// referente) of an open campaign; returns the app, the admin's token and the referente.
async fn remind_sanremo_through(backend: Backend, smtp_url: String) -> (TestApp, String, Login) {
    let app = spawn_app_on(TestDb::create(backend).await, backend, |s| {
        s.smtp_url = Some(smtp_url.into());
    })
    .await;
    let admin = app.admin_token().await;
    let sanremo = app.login_as("referente", Some(SANREMO)).await;
    let campaign = app.open_campaign(&admin).await;
    let response = app
        .post_json(
            &format!("{}/reminders", campaign.id.path()),
            Some(&admin),
            &json!({"istat_codes": [SANREMO]}),
        )
        .await;
    assert_eq!(response.status(), 202);
    (app, admin, sanremo)
}

#[rstest]
#[tokio::test]
async fn with_smtp_configured_reminders_are_delivered(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let (port, received) = fake_smtp().await;
    let (app, admin, sanremo) =
        remind_sanremo_through(backend, format!("smtp://127.0.0.1:{port}")).await;
    let outbox = outbox_until(&app, &admin, |o| o["items"][0]["delivery"] == "sent").await;
    assert_eq!(outbox["items"][0]["attempts"], 1);
    assert!(outbox["items"][0]["sent_at"].is_string());
    let mail = received.lock().unwrap().join("\n");
    assert!(mail.contains(&format!("To: {}", sanremo.email)), "{mail}");
    assert!(mail.contains("Sanremo"), "{mail}");
}

#[rstest]
#[tokio::test]
async fn an_unreachable_smtp_server_leaves_the_reminder_pending_for_a_retry(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_port = closed.local_addr().unwrap().port();
    drop(closed);
    let (broken, admin, _) =
        remind_sanremo_through(backend, format!("smtp://127.0.0.1:{dead_port}")).await;
    let outbox = outbox_until(&broken, &admin, |o| o["items"][0]["attempts"] == 1).await;
    assert_eq!(outbox["items"][0]["delivery"], "pending");
    assert!(outbox["items"][0]["last_error"].is_string());
}

/// An open campaign with three lines, each noting `Turni; "part-time"`: Imperia's privacy
/// for 3 of demografici and anticorruption for 2 of tributi, Sanremo's privacy for 5.
struct Downloads {
    admin: String,
    imperia: Login,
    sanremo: Login,
    campaign: CampaignId,
}

async fn three_lines(app: &TestApp) -> Downloads {
    let admin = app.admin_token().await;
    let imperia = app.login_as("referente", Some(IMPERIA)).await;
    let sanremo = app.login_as("referente", Some(SANREMO)).await;
    let campaign = app.open_campaign(&admin).await.id;
    for (login, theme, area, people) in [
        (&imperia, "privacy", "demografici", 3),
        (&imperia, "anticorruzione_trasparenza", "tributi", 2),
        (&sanremo, "privacy", "tributi", 5),
    ] {
        app.need(&login.token, campaign, theme, area)
            .headcount(people)
            .set("notes", "Turni; \"part-time\"")
            .create()
            .await;
    }
    Downloads {
        admin,
        imperia,
        sanremo,
        campaign,
    }
}

/// Downloads `path` as `accept`; returns the content disposition and the bytes.
async fn download(app: &TestApp, path: &str, token: &str, accept: &str) -> (String, Vec<u8>) {
    let response = app.get_as(path, token, accept).await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    (disposition, response.bytes().await.unwrap().to_vec())
}

#[rstest]
#[tokio::test]
async fn a_referente_downloads_their_own_need_lines_as_csv(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = three_lines(&app).await;
    let path = format!("/needs?campaign_id={}", f.campaign);
    let (disposition, bytes) = download(&app, &path, &f.sanremo.token, "text/csv").await;
    assert!(disposition.contains(".csv"));
    let text = String::from_utf8(bytes).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][column("comune")], "Sanremo");
    assert_eq!(&rows[0][column("persone")], "5");
    assert_eq!(&rows[0][column("note")], "Turni; \"part-time\"");
}

#[rstest]
#[tokio::test]
async fn the_admins_workbook_holds_every_line_with_numbers_as_numbers(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = three_lines(&app).await;
    let path = format!("/needs?campaign_id={}", f.campaign);
    let (disposition, bytes) = download(&app, &path, &f.admin, XLSX).await;
    assert!(disposition.contains(".xlsx"));
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("Fabbisogni").unwrap();
    assert_eq!(sheet.height(), 4, "a header and three lines");
    let total: f64 = sheet
        .rows()
        .skip(1)
        .map(|r| r[7].get_float().unwrap())
        .sum();
    assert_eq!(total, 10.0);
}

#[rstest]
#[tokio::test]
async fn the_summary_downloads_with_the_same_figures_for_the_admin_only(
    #[values(Backend::Sqlite, Backend::Postgres)] backend: Backend,
) {
    let app = spawn_app(backend).await;
    let f = three_lines(&app).await;
    // One worksheet per breakdown, and the same figures as the JSON.
    let summary_path = format!("{}/summary", f.campaign.path());
    let (_, bytes) = download(&app, &summary_path, &f.admin, XLSX).await;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "Riepilogo",
            "Per tema",
            "Per area",
            "Per comune",
            "Per distanza"
        ]
    );
    let themes = workbook.worksheet_range("Per tema").unwrap();
    assert_eq!(themes.get((1, 0)).unwrap().to_string(), "privacy");
    assert_eq!(themes.get((1, 2)).unwrap().get_float(), Some(8.0));
    let (_, bytes) = download(&app, &summary_path, &f.admin, "text/csv").await;
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with("\u{feff}sezione;chiave;descrizione;persone;comuni;righe\r\n"));
    assert!(
        text.contains("Per comune;008055;Sanremo;5;1;1\r\n"),
        "{text}"
    );
    assert_problem(
        app.get_as(&summary_path, &f.imperia.token, "text/csv")
            .await,
        403,
    )
    .await;
}
